//! Runs the real `walkaway` binary in a temporary directory.

use std::process::{Command, Stdio};

use crate::util::{Run, walkaway};

#[test]
fn the_bare_command_tells_the_default_story() {
    let Run { code, out, .. } = walkaway(&[]);
    assert_eq!(code, 0);
    assert!(
        out.contains("week") && out.contains("wanting") && out.contains("Outcome on day 180"),
        "{out}"
    );
    assert!(out.contains("not a prophecy"));
}

#[test]
fn models_are_listed_as_json_with_units_and_citations() {
    let Run { code, out, .. } = walkaway(&["models", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"walkaway") && ids.contains(&"strogatz"),
        "{ids:?}"
    );
    for m in v.as_array().unwrap() {
        assert!(!m["citation"].as_str().unwrap().is_empty());
        for p in m["params"].as_array().unwrap() {
            assert!(p["unit"].is_string());
        }
    }
}

#[test]
fn simulate_writes_csv_that_matches_the_exact_solution() {
    // Fickle lover a = 0, b = -1, c = 1, d = 0 from (1, 0): R = cos t, J = sin t.
    let Run { code, out, err } = walkaway(&[
        "simulate",
        "strogatz",
        "--t-end",
        "6.283185307179586",
        "--every",
        "0.5",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let mut lines = out.lines();
    assert_eq!(lines.next().unwrap(), "t,romeo,juliet");
    for line in lines {
        let v: Vec<f64> = line.split(',').map(|x| x.parse().unwrap()).collect();
        assert!(
            (v[1] - v[0].cos()).abs() < 1e-5 && (v[2] - v[0].sin()).abs() < 1e-5,
            "{line}"
        );
    }
}

#[test]
fn simulate_writes_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.json");
    let out = Command::new(env!("CARGO_BIN_EXE_walkaway"))
        .args([
            "simulate",
            "walkaway",
            "--format",
            "json",
            "--out",
            path.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(v["model"], "walkaway");
    assert!(v["outcome"].is_string());
}

#[test]
fn bad_input_exits_2_naming_the_field_and_what_is_allowed() {
    let Run { code, err, .. } =
        walkaway(&["simulate", "walkaway", "--set", "partner.satisfaction=2"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("partner.satisfaction") && err.contains("from 0 to 1"),
        "{err}"
    );
    let Run { code, err, .. } = walkaway(&["simulate", "nobody"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("walkaway") && err.contains("strogatz"),
        "{err}"
    );
    let Run { code, err, .. } = walkaway(&[
        "simulate",
        "walkaway",
        "--set",
        "mechanisms.nostalgia=maybe",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("true or false"), "{err}");
    let Run { code, err, .. } =
        walkaway(&["simulate", "walkaway", "--set", "separation.start=400"]);
    assert_eq!(code, 2);
    assert!(err.contains("separation.start"), "{err}");
    let Run { code, err, .. } = walkaway(&["simulate", "walkaway", "--set", "nonsense"]);
    assert_eq!(code, 2);
    assert!(err.contains("NAME=VALUE"), "{err}");
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_walkaway"))
        .args([
            "simulate", "strogatz", "--t-end", "2000", "--every", "0.001", "--format", "csv",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn forecast_json_has_the_documented_keys() {
    let Run { code, out, err } = walkaway(&[
        "forecast",
        "--trajectories",
        "200",
        "--seed",
        "3",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    for key in [
        "outcomes",
        "events",
        "series",
        "attribution",
        "strategies",
        "trajectories",
        "seed",
        "drivers",
    ] {
        assert!(!v[key].is_null(), "missing {key}");
    }
    let total: f64 = v["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["probability"].as_f64().unwrap())
        .sum();
    assert!((total - 1.0).abs() < 1e-9);
    assert_eq!(v["attribution"].as_array().unwrap().len(), 11);
    assert_eq!(v["series"]["days"].as_array().unwrap().len(), 181);
    // Same seed, same numbers.
    let Run { out: again, .. } = walkaway(&[
        "forecast",
        "--trajectories",
        "200",
        "--seed",
        "3",
        "--format",
        "json",
    ]);
    let w: serde_json::Value = serde_json::from_str(&again).unwrap();
    assert_eq!(v["outcomes"], w["outcomes"]);
}

#[test]
fn scenario_files_run_and_their_errors_point_at_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.toml");
    std::fs::write(&good, "model = \"walkaway\"\nhorizon = 60\n[params.partner]\nsatisfaction = { dist = \"beta\", alpha = 8, beta = 2 }\n").unwrap();
    let Run { code, out, err } = walkaway(&["simulate", good.to_str().unwrap(), "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 62, "header + days 0..=60");
    let Run { code, out, err } = walkaway(&[
        "forecast",
        good.to_str().unwrap(),
        "--trajectories",
        "100",
        "--no-attribution",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("over 60 days"), "{out}");
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "model = \"walkaway\"\n\n[params]\npartner.negativity = 3\n",
    )
    .unwrap();
    let Run { code, err, .. } = walkaway(&["simulate", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("bad.toml:4:")
            && err.contains("partner.negativity")
            && err.contains("from 0 to 1"),
        "{err}"
    );
    let Run { code, err, .. } = walkaway(&["run", "/nonexistent/scenario.toml"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read"), "{err}");
    let strogatz = dir.path().join("s.toml");
    std::fs::write(&strogatz, "model = \"strogatz\"\n").unwrap();
    let Run { code, err, .. } = walkaway(&["forecast", strogatz.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("walkaway model"), "{err}");
}

#[test]
fn the_shipped_default_scenario_file_matches_the_embedded_one() {
    let shipped = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/default.toml");
    let Run {
        code,
        out: from_file,
        ..
    } = walkaway(&["simulate", shipped, "--format", "csv"]);
    assert_eq!(code, 0);
    let Run { out: embedded, .. } = walkaway(&["run", "--format", "csv"]);
    assert!(
        from_file == embedded,
        "the shipped and the embedded default scenario differ"
    );
}

#[test]
fn forecast_designs_and_the_partial_contact_level_are_chosen_by_flag() {
    for design in ["lhs", "sobol"] {
        let Run { code, out, err } = walkaway(&[
            "forecast",
            "--trajectories",
            "128",
            "--no-attribution",
            "--design",
            design,
            "--partial-contact",
            "0.3",
            "--format",
            "json",
        ]);
        assert_eq!(code, 0, "{design}: {err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let labels: Vec<&str> = v["strategies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["label"].as_str().unwrap())
            .collect();
        assert!(labels.iter().any(|l| l.contains("0.3")), "{labels:?}");
    }
    let Run { code, err, .. } =
        walkaway(&["forecast", "--trajectories", "10", "--design", "halton"]);
    assert_eq!(code, 2);
    assert!(err.contains("--design") && err.contains("sobol"), "{err}");
    let Run { code, err, .. } =
        walkaway(&["forecast", "--trajectories", "10", "--partial-contact", "2"]);
    assert_eq!(code, 2);
    assert!(err.contains("--partial-contact"), "{err}");
}
