//! `walkaway sensitivity`: the JSON's shape and bad input.

use crate::util::walkaway;

#[test]
fn sensitivity_json_has_every_factor_and_outcome() {
    let r = walkaway(&[
        "sensitivity",
        "--samples",
        "64",
        "--seed",
        "3",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.err);
    let v: serde_json::Value = serde_json::from_str(&r.out).unwrap();
    let k = v["factors"].as_u64().unwrap();
    assert!(k > 30, "{k} factors");
    assert_eq!(v["samples"], 64);
    assert_eq!(v["runs"].as_u64().unwrap(), 64 * (k + 3));
    assert_eq!(
        v["rows_used"].as_u64().unwrap() + v["rows_failed"].as_u64().unwrap(),
        64
    );
    let outcomes = v["outcomes"].as_array().unwrap();
    let total: f64 = outcomes
        .iter()
        .map(|o| o["probability"].as_f64().unwrap())
        .sum();
    assert!((total - 1.0).abs() < 1e-9, "{total}");
    let indices = v["indices"].as_array().unwrap();
    assert_eq!(indices.len() as u64, k + 1, "the factors and chance");
    assert!(
        indices
            .iter()
            .any(|f| f["factor"] == "chance" && f["source"] == "chance")
    );
    assert!(indices.iter().any(|f| f["source"] == "rate prior"));
    assert!(
        indices
            .iter()
            .any(|f| f["factor"] == "partner.satisfaction" && f["source"] == "scenario")
    );
    // Sorted by the largest total index, and each outcome has both indices
    // (null only where an outcome never varies).
    let largest: Vec<f64> = indices
        .iter()
        .map(|f| f["largest_total"].as_f64().unwrap())
        .collect();
    assert!(largest.windows(2).all(|w| w[0] >= w[1]), "{largest:?}");
    for f in indices {
        for o in outcomes {
            let name = o["outcome"].as_str().unwrap();
            let entry = &f["outcomes"][name];
            let varies = o["variance"].as_f64().unwrap() > 0.0;
            for index in ["first_order", "total"] {
                let i = &entry[index];
                if varies {
                    let (e, lo, hi) = (
                        i["estimate"].as_f64().unwrap(),
                        i["low"].as_f64().unwrap(),
                        i["high"].as_f64().unwrap(),
                    );
                    assert!(lo <= hi && e.is_finite(), "{}: {i}", f["factor"]);
                } else {
                    assert!(i.is_null(), "{}: {i}", f["factor"]);
                }
            }
        }
    }
}

#[test]
fn sensitivity_table_explains_itself() {
    let r = walkaway(&["sensitivity", "--samples", "16", "--threads", "1"]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.out.contains("S1") && r.out.contains("ST"), "{}", r.out);
    assert!(r.out.contains("chance"), "{}", r.out);
    assert!(r.out.contains("docs/sensitivity.md"), "{}", r.out);
}

#[test]
fn sensitivity_rejects_bad_input_naming_the_flag() {
    for (args, flag) in [
        (vec!["--samples", "1"], "--samples"),
        (vec!["--samples", "100001"], "--samples"),
        (vec!["--threads", "0"], "--threads"),
        (vec!["--format", "csv"], "--format"),
    ] {
        let mut all = vec!["sensitivity"];
        all.extend(args);
        let r = walkaway(&all);
        assert_eq!(r.code, 2, "{all:?}: {}", r.err);
        assert!(r.err.contains(flag), "{all:?}: {}", r.err);
    }
    let r = walkaway(&["sensitivity", "strogatz"]);
    assert_eq!(r.code, 2);
    assert!(r.err.contains("walkaway model"), "{}", r.err);
    let r = walkaway(&["sensitivity", "--samples", "many"]);
    assert_eq!(r.code, 2);
    assert!(r.err.contains("--samples"), "{}", r.err);
}
