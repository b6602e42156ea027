//! Cluster runs: `--shard I/N --save-tally FILE` parts merged by `walkaway
//! merge` give exactly the whole run; parts that do not make up one run are
//! refused with a message that says what is wrong. Runs the real binary in a
//! temporary directory.

use std::path::Path;

use crate::util::{Run, walkaway_in};

fn without_seconds(json: &str) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(json).unwrap();
    v.as_object_mut().unwrap().remove("seconds");
    v
}

/// Writes shards `0..n` of `args` as p0.json, p1.json, …
fn save_shards(dir: &Path, args: &[&str], n: usize) {
    for i in 0..n {
        let shard = format!("{i}/{n}");
        let file = format!("p{i}.json");
        let mut all = args.to_vec();
        all.extend(["--shard", &shard, "--save-tally", &file]);
        let Run { code, out, err } = walkaway_in(dir, &all);
        assert_eq!(code, 0, "{err}");
        // A saved part prints nothing, and the progress line is only for terminals.
        assert!(out.is_empty() && err.is_empty(), "{out}{err}");
    }
}

#[test]
fn a_forecast_in_three_shards_merges_into_the_whole_forecast() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["forecast", "--trajectories", "45", "--seed", "3"];
    save_shards(dir.path(), &args, 3);
    let Run {
        code,
        out: merged,
        err,
    } = walkaway_in(
        dir.path(),
        &["merge", "p2.json", "p0.json", "p1.json", "--format", "json"],
    );
    assert_eq!(code, 0, "{err}");
    let mut whole_args = args.to_vec();
    whole_args.extend(["--format", "json"]);
    let Run {
        code,
        out: whole,
        err,
    } = walkaway_in(dir.path(), &whole_args);
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "piped stderr stays quiet: {err}");
    assert_eq!(without_seconds(&merged), without_seconds(&whole));
}

#[test]
fn parts_that_are_not_one_whole_run_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["forecast", "--trajectories", "30", "--no-attribution"];
    save_shards(dir.path(), &args, 3);
    let expect_refusal = |files: &[&str], words: &[&str]| {
        let mut all = vec!["merge"];
        all.extend(files);
        let Run { code, out, err } = walkaway_in(dir.path(), &all);
        assert_eq!(code, 2, "{files:?}: {out}");
        for w in words {
            assert!(err.contains(w), "{files:?}: {err}");
        }
    };
    expect_refusal(&["p0.json", "p2.json"], &["10..20", "missing"]);
    expect_refusal(
        &["p0.json", "p1.json", "p1.json", "p2.json"],
        &["p1.json", "overlaps"],
    );
    let Run { code, err, .. } = walkaway_in(
        dir.path(),
        &[
            "forecast",
            "--trajectories",
            "30",
            "--no-attribution",
            "--seed",
            "9",
            "--shard",
            "1/3",
            "--save-tally",
            "other.json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    expect_refusal(
        &["p0.json", "other.json", "p2.json"],
        &["different runs", "`seed`"],
    );
    std::fs::write(dir.path().join("junk.json"), "{\"a\": 1}").unwrap();
    expect_refusal(&["junk.json"], &["junk.json", "not a walkaway part"]);
    // A shard without a file to save it to is not a forecast.
    let Run { code, err, .. } = walkaway_in(dir.path(), &["forecast", "--shard", "0/2"]);
    assert_eq!(code, 2);
    assert!(err.contains("--save-tally"), "{err}");
    let Run { code, err, .. } = walkaway_in(
        dir.path(),
        &["forecast", "--shard", "2/2", "--save-tally", "x.json"],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("--shard `2/2`") && err.contains("allowed"),
        "{err}"
    );
}

#[test]
fn a_sweep_in_three_shards_merges_into_the_whole_table() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "sweep",
        "--x",
        "separation.length=0:120:4",
        "--y",
        "separation.contact=0:1:3",
        "--trajectories",
        "20",
    ];
    save_shards(dir.path(), &args, 3);
    let Run {
        code,
        out: merged,
        err,
    } = walkaway_in(dir.path(), &["merge", "p1.json", "p0.json", "p2.json"]);
    assert_eq!(code, 0, "{err}");
    let Run {
        code,
        out: whole,
        err,
    } = walkaway_in(dir.path(), &args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(merged, whole);
    let Run { code, err, .. } = walkaway_in(dir.path(), &["merge", "p0.json", "p2.json"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("cells 4..8") && err.contains("missing"),
        "{err}"
    );
}

#[test]
fn an_ensemble_in_three_shards_merges_into_the_whole_ensemble() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "ensemble",
        "laura-petrarch",
        "--trajectories",
        "50",
        "--t-end",
        "2",
    ];
    save_shards(dir.path(), &args, 3);
    let Run {
        code,
        out: merged,
        err,
    } = walkaway_in(
        dir.path(),
        &["merge", "p1.json", "p2.json", "p0.json", "--format", "json"],
    );
    assert_eq!(code, 0, "{err}");
    let mut whole_args = args.to_vec();
    whole_args.extend(["--format", "json"]);
    let Run {
        code,
        out: whole,
        err,
    } = walkaway_in(dir.path(), &whole_args);
    assert_eq!(code, 0, "{err}");
    let (mut a, mut b) = (without_seconds(&merged), without_seconds(&whole));
    for v in [&mut a, &mut b] {
        v.as_object_mut().unwrap().remove("threads");
    }
    assert_eq!(a, b);
}
