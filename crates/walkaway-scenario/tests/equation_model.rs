//! A scenario file whose `model =` names an equation file (docs/models.md):
//! read relative to the scenario's folder, run as the file itself runs, and
//! refused with the scenario's line where it cannot be.

use std::path::{Path, PathBuf};

use walkaway_scenario::Scenario;

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/models")
        .join(name)
}

/// A folder with `files` (name, text) in it.
fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("written");
    }
    dir
}

#[test]
fn a_scenario_runs_the_equation_file_it_names() {
    let ode = std::fs::read_to_string(example("strogatz.ode")).expect("example");
    let dir = folder(&[
        ("romeo.ode", &ode),
        (
            "s.toml",
            "model = \"romeo.ode\"\nhorizon = 7\n[params]\nb = -0.5\n[initial]\nj = 0.25\n",
        ),
    ]);
    let scenario = Scenario::load(&dir.path().join("s.toml")).expect("loads");
    assert_eq!(scenario.model.info().id, "strogatz-ode");
    let params = scenario.central_params();
    let y0 = scenario.initial_state(&params);
    assert_eq!(y0, vec![1.0, 0.25]);
    let from_scenario = scenario
        .model
        .simulate(&params, &y0, &scenario.run)
        .expect("runs");

    // The same run from the file itself, with the same values set.
    let path = example("strogatz.ode").display().to_string();
    let mut direct = walkaway_scenario::target::load(Some(&path)).expect("loads");
    for set in ["horizon=7", "b=-0.5", "initial.j=0.25"] {
        direct.apply_set(set).expect("set");
    }
    let params = direct.central_params();
    let y0 = direct.initial_state(&params);
    let from_file = direct
        .model
        .simulate(&params, &y0, &direct.run)
        .expect("runs");
    assert_eq!(from_scenario.times, from_file.times);
    assert_eq!(from_scenario.rows, from_file.rows);
    assert_eq!(*from_scenario.times.last().expect("rows"), 7.0);
}

#[test]
fn an_equation_file_is_not_read_from_scenario_text_without_a_file() {
    let e = Scenario::parse("model = \"../secret.ode\"\n", "(command line)").expect_err("refused");
    assert_eq!((e.line, e.key.as_str()), (1, "model"));
    assert!(e.message.contains("only in a scenario file"), "{e}");
}

#[test]
fn a_missing_or_bad_equation_file_is_named_at_the_model_line() {
    let dir = folder(&[("s.toml", "title = \"x\"\nmodel = \"nowhere.toml\"\n")]);
    let e = Scenario::load(&dir.path().join("s.toml")).expect_err("refused");
    assert_eq!((e.line, e.key.as_str()), (2, "model"));
    assert!(e.message.contains("no equation file at"), "{e}");

    let dir = folder(&[
        ("bad.ode", "x' = -x + y\ndone\n"),
        ("s.toml", "model = \"bad.ode\"\n"),
    ]);
    let e = Scenario::load(&dir.path().join("s.toml")).expect_err("refused");
    assert_eq!((e.line, e.key.as_str()), (1, "model"));
    // The equation file's own position, inside the scenario's message.
    assert!(e.message.contains("bad.ode:1:"), "{e}");
}
