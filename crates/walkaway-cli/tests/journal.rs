//! `walkaway journal`: the separation journal from a CSV file.

use crate::util::{Run, walkaway_in};

fn journal(csv: &str, extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("j.csv"), csv).unwrap();
    let mut args = vec!["journal", "j.csv", "--particles", "200"];
    args.extend_from_slice(extra);
    if !extra.contains(&"--trajectories") {
        args.extend(["--trajectories", "200"]);
    }
    walkaway_in(dir.path(), &args)
}

#[test]
fn a_journal_updates_what_the_model_says_about_your_partner() {
    let csv = "day,contacts,request,met_someone\n0,6,none,no\n1,9,none,no\n2,7,none,\n3,4,none,no\n\
               5,3,declined,no\n7,1,none,\n10,1,none,no\n14,0,none,no\n";
    let Run { code, out, err } = journal(csv, &["--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["entries"], 8);
    assert!(v["filter"]["ess_final"].as_f64().unwrap() > 1.0);
    let traits = v["traits"].as_array().unwrap();
    assert_eq!(traits[0]["key"], "commitment");
    assert!(traits.iter().all(
        |t| t["posterior"]["q05"].as_f64().unwrap() <= t["posterior"]["q95"].as_f64().unwrap()
    ));
    let p = v["request_next_30_days"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&p));
    assert!(v["forecast"]["outcomes"].is_array(), "{out}");
    assert!(v["prior_forecast"]["outcomes"].is_array());
    // 22 attempts in the first three days: a warning sign, with the notice.
    assert!(
        v["warning"]["message"]
            .as_str()
            .unwrap()
            .contains("not proof of love")
    );
    assert!(v["warning"]["safety_notice"].is_array());
    let Run { code, out, .. } = journal(csv, &["--trajectories", "0"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("Warning sign") && out.contains("effective sample size"),
        "{out}"
    );
}

#[test]
fn a_journal_the_model_cannot_produce_is_called_a_misfit() {
    let mut csv = String::from("day,contacts\n");
    for d in 0..20 {
        csv.push_str(&format!("{d},{}\n", if d % 2 == 0 { 0 } else { 150 }));
    }
    let Run { code, out, .. } = journal(&csv, &["--trajectories", "0"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("The model does not fit what you recorded"),
        "{out}"
    );
}

#[test]
fn bad_journals_are_refused_with_line_column_and_what_is_allowed() {
    for (csv, wants) in [
        ("day,contacts\n0,1\n1,-2\n", "line 3, column `contacts`"),
        ("day,contacts\n0,1\n1,9999\n", "from 0 to 500"),
        ("day,contacts\n4,1\n2,1\n", "days in order"),
        ("day,contacts\n4,1\n4,1\n", "each day once"),
        ("day,contacts\n0,1\n400,1\n", "the forecast's horizon"),
        ("day,feelings\n0,1\n", "column names among"),
        ("date,contacts\n2026-13-01,1\n", "YYYY-MM-DD"),
    ] {
        let Run { code, err, .. } = journal(csv, &[]);
        assert_eq!(code, 2, "{csv}: {err}");
        assert!(err.contains(wants) && err.contains("j.csv"), "{csv}: {err}");
    }
    let Run { code, err, .. } = journal("day\n0\n", &["--moves", "99"]);
    assert_eq!(code, 2);
    assert!(err.contains("--moves"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let Run { code, err, .. } = walkaway_in(dir.path(), &["journal", "missing.csv"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read the journal"), "{err}");
}
