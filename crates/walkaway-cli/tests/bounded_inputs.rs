//! Issue 12's reproducers through the real binary: every input a person can
//! type is answered with exit 2 and a message naming the field (no exit 1,
//! no endless run), and the confusing messages are gone.

use crate::util::walkaway_in;

/// Runs `args` (with `file`'s text as s.toml in a fresh folder) and expects
/// exit 2 with each of `wanted` on standard error.
fn refused(file: Option<&[u8]>, args: &[&str], wanted: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    if let Some(text) = file {
        std::fs::write(dir.path().join("s.toml"), text).unwrap();
    }
    let r = walkaway_in(dir.path(), args);
    assert_eq!(r.code, 2, "exit code of {args:?}: stderr {}", r.err);
    assert!(r.out.is_empty(), "nothing on stdout: {}", r.out);
    assert!(!r.err.contains("panicked"), "{}", r.err);
    for w in wanted {
        assert!(r.err.contains(w), "expected {w:?} in: {}", r.err);
    }
    r.err
}

#[test]
fn stochastic_solvers_honour_max_steps() {
    refused(
        Some(b"model = \"strogatz\"\n[solver]\nmethod = \"euler-maruyama\"\ndt = 1e-9\nmax_steps = 1000\n"),
        &["simulate", "s.toml"],
        &["s.toml:4:", "`solver.dt`", "max_steps = 1000"],
    );
    refused(
        None,
        &[
            "simulate",
            "strogatz",
            "--method",
            "euler-maruyama",
            "--set",
            "solver.dt=1e-12",
        ],
        &["dt", "max_steps"],
    );
}

#[test]
fn solver_failures_from_chosen_inputs_exit_2_naming_them() {
    let err = refused(
        Some(b"model = \"gone-with-the-wind\"\n[initial]\nrhett = -1\n"),
        &["simulate", "s.toml"],
        &["initial.rhett = -1"],
    );
    assert!(!err.contains("internal"), "{err}");
    refused(
        Some(b"model = \"laura-petrarch\"\n[params]\nalpha1 = 0\n[solver]\nmethod = \"euler-maruyama\"\n"),
        &["simulate", "s.toml"],
        &["alpha1 = 0"],
    );
}

#[test]
fn horizons_out_of_range_name_the_horizon() {
    refused(
        Some(b"model = \"walkaway\"\nhorizon = 5e-324\n"),
        &["simulate", "s.toml"],
        &["s.toml:2:", "`horizon`", "5e-324"],
    );
    // Used to blame output.every at 1:1.
    let err = refused(
        Some(b"model = \"walkaway\"\nhorizon = 1e8\n"),
        &["simulate", "s.toml"],
        &["s.toml:2:", "`horizon`", "100000000", "10000000"],
    );
    assert!(!err.contains("output.every"), "{err}");
    // Used to say "run option `every` = 1".
    let err = refused(
        None,
        &["simulate", "walkaway", "--t-end", "1e12"],
        &["t_end", "1000000000000"],
    );
    assert!(!err.contains("`every`"), "{err}");
    refused(
        None,
        &["simulate", "walkaway", "--t-end", "1e-300"],
        &["t_end", "1e-300"],
    );
    refused(
        None,
        &["simulate", "walkaway", "--set", "separation.length=1e-300"],
        &["separation.length"],
    );
}

#[test]
fn initial_values_are_bounded_as_in_the_api() {
    let err = refused(
        None,
        &["simulate", "walkaway", "--set", "initial.love=1e308"],
        &["initial.love", "1e308", "1000000"],
    );
    assert!(
        !err.contains("000000000000000000"),
        "no 309-digit number: {err}"
    );
    refused(
        Some(b"model = \"strogatz\"\n[initial]\nromeo = 2e6\n"),
        &["simulate", "s.toml"],
        &["s.toml:3:", "`initial.romeo`", "1000000"],
    );
}

#[test]
fn tolerances_and_nan_are_refused_clearly() {
    refused(
        Some(b"model = \"strogatz\"\n[solver]\natol = 1e308\n"),
        &["simulate", "s.toml"],
        &["s.toml:3:", "`solver.atol`", "1e308", "atol <= 1"],
    );
    let err = refused(
        Some(b"model = \"walkaway\"\nhorizon = nan\n"),
        &["simulate", "s.toml"],
        &["s.toml:2:", "`horizon`", "finite number"],
    );
    assert!(!err.contains("found a number"), "{err}");
}

#[test]
fn invalid_utf8_names_the_line_and_byte() {
    let mut text = b"model = \"walkaway\"\n# caf".to_vec();
    text.push(0xe9);
    text.extend_from_slice(b"\n");
    refused(
        Some(&text),
        &["simulate", "s.toml"],
        &["s.toml:2:6:", "byte 24", "UTF-8"],
    );
}

#[test]
fn forecast_of_another_model_names_the_line() {
    refused(
        Some(b"# a scenario\nmodel = \"strogatz\"\n"),
        &["forecast", "s.toml"],
        &["s.toml:2:", "`model`", "walkaway model"],
    );
}

#[test]
fn ensemble_threads_are_bounded() {
    refused(
        None,
        &[
            "ensemble",
            "laura-petrarch",
            "--trajectories",
            "10",
            "--threads",
            "100000",
        ],
        &["--threads", "100000"],
    );
}

#[test]
fn large_outputs_are_refused_before_writing_with_the_estimate() {
    let dir = tempfile::tempdir().unwrap();
    let r = walkaway_in(
        dir.path(),
        &[
            "simulate", "walkaway", "--every", "1e-4", "--format", "csv", "--out", "big.csv",
        ],
    );
    assert_eq!(r.code, 2, "{}", r.err);
    assert!(r.err.contains("--max-output-mb"), "{}", r.err);
    assert!(r.err.contains("MB"), "{}", r.err);
    assert!(!dir.path().join("big.csv").exists());
}
