//! Equation files and XPPAUT imports through the real binary: the same
//! commands and numbers as the catalog model they transcribe.

use crate::util::walkaway;

fn example(name: &str) -> String {
    format!(
        "{}/../../examples/models/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn simulate_an_ode_file_gives_the_catalog_numbers() {
    let file = walkaway(&[
        "simulate",
        &example("laura-petrarch.ode"),
        "--format",
        "csv",
    ]);
    assert_eq!(file.code, 0, "{}", file.err);
    let catalog = walkaway(&["simulate", "laura-petrarch", "--format", "csv"]);
    // Same rows; the file adds its `aux total` column and its names are lower case.
    let header = file.out.lines().next().unwrap();
    assert_eq!(header, "t,l,p,z,total");
    for (a, b) in file.out.lines().skip(1).zip(catalog.out.lines().skip(1)) {
        let a: Vec<&str> = a.split(',').collect();
        let b: Vec<&str> = b.split(',').collect();
        assert_eq!(a[..4], b[..4]);
    }
}

#[test]
fn set_analyze_and_ensemble_work_on_an_equation_file() {
    let run = walkaway(&[
        "simulate",
        &example("strogatz.toml"),
        "--set",
        "b=-0.5",
        "--t-end",
        "1",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.err);
    assert!(run.out.contains("together"), "{}", run.out);
    let eq = walkaway(&["analyze", &example("strogatz.toml")]);
    assert_eq!(eq.code, 0, "{}", eq.err);
    assert!(
        eq.out.to_lowercase().contains("centre") || eq.out.contains("0"),
        "{}",
        eq.out
    );
    let ens = walkaway(&[
        "ensemble",
        &example("laura-petrarch.toml"),
        "--trajectories",
        "64",
        "--format",
        "json",
    ]);
    assert_eq!(ens.code, 0, "{}", ens.err);
    let catalog = walkaway(&[
        "ensemble",
        "laura-petrarch",
        "--trajectories",
        "64",
        "--format",
        "json",
    ]);
    let mean = |s: &str| {
        let v: serde_json::Value = serde_json::from_str(s).unwrap();
        v["final_mean"].clone()
    };
    assert_eq!(mean(&ens.out), mean(&catalog.out));
}

#[test]
fn a_bad_equation_file_exits_2_naming_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.ode");
    std::fs::write(&path, "x' = -a*x + q\npar a=1\n").unwrap();
    let run = walkaway(&["simulate", path.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.err);
    assert!(
        run.err.contains("bad.ode:1:13: unknown name `q`"),
        "{}",
        run.err
    );
    let events = walkaway(&["ensemble", &example("strogatz.toml"), "--trajectories", "8"]);
    assert_eq!(events.code, 2, "{}", events.err);
    assert!(events.err.contains("threshold events"), "{}", events.err);
}
