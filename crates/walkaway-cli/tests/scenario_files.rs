//! Scenario files, output formats and exit codes through the real binary,
//! each run in a fresh temporary directory.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::util::{walkaway, walkaway_in};

/// Writes `text` to `bad.toml` in a temporary directory, runs
/// `walkaway simulate bad.toml` there and expects exit 2 with a message
/// naming `bad.toml:LINE:` and the key, plus each of `more`.
fn rejects(text: &str, line: usize, key: &str, more: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.toml"), text).unwrap();
    let r = walkaway_in(dir.path(), &["simulate", "bad.toml"]);
    assert_eq!(r.code, 2, "exit code for\n{text}\nstderr: {}", r.err);
    assert!(r.out.is_empty(), "nothing on stdout: {}", r.out);
    let located = format!("bad.toml:{line}:");
    let quoted = format!("`{key}`");
    assert!(
        r.err.contains(&located) && r.err.contains(&quoted),
        "expected {located} and {quoted} in: {}",
        r.err
    );
    for m in more {
        assert!(r.err.contains(m), "expected {m:?} in: {}", r.err);
    }
    assert!(!r.err.contains("panicked"), "{}", r.err);
}

#[test]
fn every_kind_of_bad_scenario_exits_2_naming_file_line_and_key() {
    // Syntax.
    rejects(
        "model = \"walkaway\"\nhorizon = [1\n",
        2,
        "(syntax)",
        &["not valid TOML"],
    );
    // Unknown keys, with the close match.
    rejects(
        "model = \"walkaway\"\nhorizn = 100\n",
        2,
        "horizn",
        &["did you mean `horizon`"],
    );
    rejects(
        "model = \"walkaway\"\n[solver]\nrtoll = 1e-6\n",
        3,
        "solver.rtoll",
        &["did you mean `rtol`"],
    );
    rejects(
        "model = \"walkaway\"\n[params]\npartner.satisfacton = 0.5\n",
        3,
        "partner.satisfacton",
        &["did you mean `partner.satisfaction`"],
    );
    rejects(
        "model = \"strogatz\"\n[initial]\nromeoo = 1\n",
        3,
        "initial.romeoo",
        &["did you mean `romeo`"],
    );
    // Missing or unknown model.
    rejects("title = \"x\"\n", 1, "model", &["missing"]);
    rejects(
        "model = \"romeo\"\n",
        1,
        "model",
        &["walkaway", "strogatz", "gottman"],
    );
    // Wrong types.
    rejects(
        "model = \"walkaway\"\n[params]\npartner.satisfaction = \"high\"\n",
        3,
        "partner.satisfaction",
        &["found a string", "from 0 to 1"],
    );
    rejects(
        "model = \"walkaway\"\n[params.mechanisms]\nnostalgia = 1\n",
        3,
        "mechanisms.nostalgia",
        &["true or false"],
    );
    rejects(
        "model = \"strogatz\"\nhorizon = \"long\"\n",
        2,
        "horizon",
        &["expected a number"],
    );
    rejects(
        "model = \"strogatz\"\n[initial]\nromeo = \"x\"\n",
        3,
        "initial.romeo",
        &["expected a number"],
    );
    // Out of range values and unknown options.
    rejects(
        "model = \"walkaway\"\n\n[params]\npartner.negativity = 3\n",
        4,
        "partner.negativity",
        &["= 3", "from 0 to 1"],
    );
    rejects(
        "model = \"walkaway\"\n[params]\nseparation.after = \"maybe\"\n",
        3,
        "separation.after",
        &["maybe", "apart, return, decide"],
    );
    rejects(
        "model = \"strogatz\"\nseed = -3\n",
        2,
        "seed",
        &["whole number"],
    );
    rejects(
        "model = \"strogatz\"\n[solver]\nmethod = \"rk4\"\n",
        3,
        "solver.method",
        &["dopri5, euler-maruyama, milstein"],
    );
    rejects(
        "model = \"strogatz\"\n[solver]\nrtol = 5\n",
        3,
        "solver.rtol",
        &["rtol < 1"],
    );
    rejects(
        "model = \"strogatz\"\n[output]\nevery = -1\n",
        3,
        "output.every",
        &["positive"],
    );
    // Distributions: support outside the range, unknown fields and kinds,
    // distributions for switches.
    rejects(
        "model = \"walkaway\"\n[params]\npartner.satisfaction = { dist = \"uniform\", min = 0.5, max = 2 }\n",
        3,
        "partner.satisfaction",
        &["outside the parameter's range", "from 0 to 1"],
    );
    rejects(
        "model = \"strogatz\"\n[params]\na = { dist = \"normal\", mean = 0, sd = 1 }\n",
        3,
        "a",
        &["outside the parameter's range", "min"],
    );
    rejects(
        "model = \"walkaway\"\n[params]\npartner.satisfaction = { dist = \"beta\", alpha = 2, beta = 2, mean = 3 }\n",
        3,
        "partner.satisfaction.mean",
        &["allowed: dist, alpha, beta, min, max"],
    );
    rejects(
        "model = \"walkaway\"\n[params]\npartner.satisfaction = { dist = \"gaussian\", mean = 0.5 }\n",
        3,
        "partner.satisfaction",
        &["normal, lognormal, beta, uniform"],
    );
    rejects(
        "model = \"walkaway\"\n[params]\nmechanisms.nostalgia = { dist = \"uniform\", min = 0, max = 1 }\n",
        3,
        "mechanisms.nostalgia",
        &["only allowed for numeric"],
    );
    // What the model itself rejects: a separation after the horizon.
    rejects(
        "model = \"walkaway\"\nhorizon = 100\n[params.separation]\nstart = 150\n",
        4,
        "separation.start",
        &["horizon"],
    );
}

#[test]
fn a_good_scenario_file_runs_with_its_title_and_distributions_at_their_centre() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("fickle.toml"),
        "model = \"strogatz\"\ntitle = \"Fickle lovers\"\nhorizon = 6.283185307179586\n\
         [output]\nevery = 0.5\n\
         [params]\nb = { dist = \"uniform\", min = -1.5, max = -0.5 }\n\
         [initial]\nromeo = 2\n",
    )
    .unwrap();
    // The uniform's centre is b = -1: R = 2cos t, J = 2sin t.
    let r = walkaway_in(dir.path(), &["simulate", "fickle.toml", "--format", "csv"]);
    assert_eq!(r.code, 0, "{}", r.err);
    let mut lines = r.out.lines();
    assert_eq!(lines.next(), Some("t,romeo,juliet"));
    let mut rows = 0;
    for line in lines {
        let v: Vec<f64> = line.split(',').map(|x| x.parse().unwrap()).collect();
        assert!(
            (v[1] - 2.0 * v[0].cos()).abs() < 2e-5 && (v[2] - 2.0 * v[0].sin()).abs() < 2e-5,
            "{line}"
        );
        rows += 1;
    }
    assert_eq!(rows, 14, "t = 0, 0.5, ..., 6, and 2π");
    // The story of the same file uses its title and the model's columns.
    let r = walkaway_in(dir.path(), &["run", "fickle.toml"]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(
        r.out
            .starts_with("Fickle lovers: one run of the strogatz model"),
        "{}",
        r.out
    );
    assert!(r.out.contains("romeo") && r.out.contains("juliet"));
    assert!(r.out.contains("not a prophecy"));
}

#[test]
fn simulate_json_matches_the_exact_solution() {
    let r = walkaway(&[
        "simulate", "strogatz", "--t-end", "10", "--every", "0.25", "--format", "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.err);
    let v: serde_json::Value = serde_json::from_str(&r.out).unwrap();
    assert_eq!(v["model"], "strogatz");
    assert_eq!(v["columns"], serde_json::json!(["romeo", "juliet"]));
    let times = v["times"].as_array().unwrap();
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(times.len(), 41);
    assert_eq!(rows.len(), 41);
    for (t, row) in times.iter().zip(rows) {
        let t = t.as_f64().unwrap();
        let r = row[0].as_f64().unwrap();
        let j = row[1].as_f64().unwrap();
        // Default tolerances (rtol 1e-6) over ten time units.
        assert!(
            (r - t.cos()).abs() < 1e-5 && (j - t.sin()).abs() < 1e-5,
            "t = {t}: ({r}, {j})"
        );
    }
    assert!(v["events"].as_array().unwrap().is_empty());
    assert!(v["outcome"].is_null());
    assert!(v["stats"]["steps"].as_u64().unwrap() > 0);
}

#[test]
fn the_default_story_is_weekly_with_events_outcome_and_caveat() {
    let r = walkaway(&[]);
    assert_eq!(r.code, 0, "{}", r.err);
    let header = r
        .out
        .lines()
        .find(|l| l.trim_start().starts_with("week"))
        .expect("a header row");
    for column in [
        "day",
        "love",
        "wanting",
        "loneliness",
        "jealousy",
        "contacts",
    ] {
        assert!(header.contains(column), "{column} missing in {header}");
    }
    // Weeks 0..=25 plus day 180: 27 rows after the header.
    let days: Vec<u32> = r
        .out
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("week"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty() && !l.starts_with('('))
        .map(|l| l.split_whitespace().nth(1).unwrap().parse().unwrap())
        .collect();
    let mut want: Vec<u32> = (0..=25).map(|w| 7 * w).collect();
    want.push(180);
    assert_eq!(days, want);
    assert!(r.out.contains("Events:"), "{}", r.out);
    assert!(r.out.contains("Outcome on day 180:"), "{}", r.out);
    assert!(r.out.contains("This is a model, not a prophecy"));
    // `walkaway run` without a file is the same story.
    assert_eq!(walkaway(&["run"]).out, r.out);
}

#[test]
fn out_writes_the_file_and_nothing_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let r = walkaway_in(
        dir.path(),
        &[
            "simulate", "strogatz", "--format", "csv", "--out", "run.csv",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.out.is_empty());
    let text = std::fs::read_to_string(dir.path().join("run.csv")).unwrap();
    assert!(text.starts_with("t,romeo,juliet\n"));
    // Default horizon 20, every 0.25: 81 rows and the header.
    assert_eq!(text.lines().count(), 82);
    // A directory that does not exist is bad input, not a crash.
    let r = walkaway_in(
        dir.path(),
        &["simulate", "strogatz", "--out", "no/such/dir/run.csv"],
    );
    assert_eq!(r.code, 2, "{}", r.err);
    assert!(r.err.contains("--out"), "{}", r.err);
}

#[test]
fn a_reader_that_stops_after_one_line_is_not_an_error() {
    // As `walkaway simulate strogatz --t-end 1000 --every 0.001 | head -1`.
    let mut child = Command::new(env!("CARGO_BIN_EXE_walkaway"))
        .args([
            "simulate", "strogatz", "--t-end", "1000", "--every", "0.001", "--format", "csv",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert_eq!(first, "t,romeo,juliet\n");
    // The reader is dropped here: the pipe closes with a million rows unread.
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn flags_and_overrides_are_checked_like_the_file() {
    let r = walkaway(&["simulate", "walkaway", "--t-end", "-1"]);
    assert_eq!(r.code, 2);
    assert!(
        r.err.contains("--t-end -1") && r.err.contains("a finite time after the start"),
        "{}",
        r.err
    );
    let r = walkaway(&["simulate", "strogatz", "--method", "rk4"]);
    assert_eq!(r.code, 2);
    assert!(
        r.err.contains("--method rk4") && r.err.contains("dopri5"),
        "{}",
        r.err
    );
    let r = walkaway(&["simulate", "strogatz", "--set", "initial.julia=1"]);
    assert_eq!(r.code, 2);
    assert!(
        r.err.contains("--set") && r.err.contains("julia") && r.err.contains("juliet"),
        "{}",
        r.err
    );
    let r = walkaway(&["simulate", "strogatz", "--set", "solver.rtol=2"]);
    assert_eq!(r.code, 2);
    assert!(r.err.contains("rtol"), "{}", r.err);
    let r = walkaway(&["run", "--set", "separation.start=500"]);
    assert_eq!(r.code, 2);
    assert!(r.err.contains("separation.start"), "{}", r.err);
    // Overrides that are fine take effect.
    let r = walkaway(&[
        "simulate",
        "strogatz",
        "--set",
        "initial.romeo=3",
        "--set",
        "horizon=1",
        "--every",
        "1",
        "--format",
        "csv",
    ]);
    assert_eq!(r.code, 0, "{}", r.err);
    let last: Vec<f64> = r
        .out
        .lines()
        .last()
        .unwrap()
        .split(',')
        .map(|x| x.parse().unwrap())
        .collect();
    assert!((last[0] - 1.0).abs() < 1e-12);
    assert!((last[1] - 3.0 * 1f64.cos()).abs() < 1e-5, "{last:?}");
}

#[test]
fn unknown_models_and_formats_exit_2_with_the_choices() {
    let r = walkaway(&["simulate", "romeo-and-juliet"]);
    assert_eq!(r.code, 2);
    for id in ["walkaway", "strogatz", "laura-petrarch", "gottman"] {
        assert!(r.err.contains(id), "{id} missing in {}", r.err);
    }
    let r = walkaway(&["simulate", "missing.toml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.err.contains("missing.toml") && r.err.contains("cannot read"),
        "{}",
        r.err
    );
    let r = walkaway(&["models", "--format", "csv"]);
    assert_eq!(r.code, 2);
    assert!(r.err.contains("table, json"), "{}", r.err);
    let r = walkaway(&["simulate", "strogatz", "--format", "xml"]);
    assert_eq!(r.code, 2);
}

#[test]
fn the_models_table_lists_every_model_with_ranges_and_citations() {
    let r = walkaway(&["models"]);
    assert_eq!(r.code, 0, "{}", r.err);
    for id in [
        "walkaway",
        "strogatz",
        "rinaldi-linear",
        "laura-petrarch",
        "gottman",
    ] {
        assert!(
            r.out.lines().any(|l| l.starts_with(&format!("{id} — "))),
            "{id} missing"
        );
    }
    assert!(r.out.contains("partner.satisfaction"));
    assert!(r.out.contains("a number from 0 to 1"));
    assert!(r.out.contains("citation: Strogatz"));
}
