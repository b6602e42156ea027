//! Equation files and XPPAUT imports of catalog models give the catalog's
//! trajectories.

use walkaway_core::{Model, RunOptions, find};
use walkaway_lang::{Format, compile};

const LP_TOML: &str = include_str!("../../../examples/models/laura-petrarch.toml");
const LP_ODE: &str = include_str!("../../../examples/models/laura-petrarch.ode");
const STROGATZ_TOML: &str = include_str!("../../../examples/models/strogatz.toml");
const STROGATZ_ODE: &str = include_str!("../../../examples/models/strogatz.ode");

/// Runs both models with the catalog model's defaults and compares every
/// output row of every state.
fn same_trajectory(file: &dyn Model, catalog_id: &str, tolerance: f64) {
    let catalog = find(catalog_id).unwrap();
    let info = catalog.info();
    assert_eq!(file.info().default_params(), info.default_params());
    assert_eq!(file.info().default_state(), info.default_state());
    let run = RunOptions::for_model(info);
    let a = catalog
        .simulate(&info.default_params(), &info.default_state(), &run)
        .unwrap();
    let b = file
        .simulate(&info.default_params(), &info.default_state(), &run)
        .unwrap();
    assert_eq!(a.times, b.times);
    let n = info.states.len();
    let mut worst: f64 = 0.0;
    for (ra, rb) in a.rows.iter().zip(&b.rows) {
        for i in 0..n {
            worst = worst.max((ra[i] - rb[i]).abs());
        }
    }
    assert!(
        worst <= tolerance,
        "{catalog_id}: largest difference {worst:e} > {tolerance:e}"
    );
}

#[test]
fn laura_petrarch_equation_file_matches_the_catalog() {
    let m = compile(LP_TOML, "laura-petrarch.toml", Format::Toml).unwrap();
    same_trajectory(&m, "laura-petrarch", 1e-12);
}

#[test]
fn laura_petrarch_xppaut_file_matches_the_catalog() {
    let m = compile(LP_ODE, "laura-petrarch.ode", Format::Xppaut).unwrap();
    assert_eq!(m.info().id, "laura-petrarch-ode");
    assert!(m.info().citation.contains("Rinaldi"));
    assert_eq!(m.info().default_t_end, 21.0);
    same_trajectory(&m, "laura-petrarch", 1e-12);
}

#[test]
fn strogatz_equation_file_matches_the_catalog() {
    let m = compile(STROGATZ_TOML, "strogatz.toml", Format::Toml).unwrap();
    // The file adds an event, and the solver restarts after each event:
    // the steps differ from the catalog's, the results only to within
    // the tolerances (rtol 1e-6).
    same_trajectory(&m, "strogatz", 1e-5);
}

#[test]
fn strogatz_xppaut_file_matches_the_catalog() {
    let m = compile(STROGATZ_ODE, "strogatz.ode", Format::Xppaut).unwrap();
    same_trajectory(&m, "strogatz", 1e-12);
}

#[test]
fn outputs_and_events_appear_in_the_trajectory() {
    let m = compile(STROGATZ_TOML, "strogatz.toml", Format::Toml).unwrap();
    let info = m.info();
    let traj = m
        .simulate(
            &info.default_params(),
            &info.default_state(),
            &RunOptions::for_model(info),
        )
        .unwrap();
    assert_eq!(traj.columns, ["romeo", "juliet", "together"]);
    for row in &traj.rows {
        assert_eq!(row[2], row[0] + row[1]);
    }
    // J = sin t falls through 0 at t = π, 3π, 5π (before 20).
    let times: Vec<f64> = traj.events.iter().map(|e| e.t).collect();
    assert_eq!(times.len(), 3, "{:?}", traj.events);
    for (t, k) in times.iter().zip([1.0, 3.0, 5.0]) {
        assert!((t - k * std::f64::consts::PI).abs() < 1e-5, "{t}");
    }
    assert_eq!(traj.events[0].kind, "juliet-turns-cold");
}

#[test]
fn the_ensemble_kernel_runs_an_equation_file_like_the_compiled_model() {
    use walkaway_core::ensemble::{JitterModel, JitterSpec, jittered_shard};
    let m = compile(LP_TOML, "laura-petrarch.toml", Format::Toml).unwrap();
    let m = walkaway_core::equations::register(m).unwrap();
    let spec = |model| JitterSpec {
        model,
        jitter: 0.1,
        t_end: 20.0,
        rtol: 1e-6,
        atol: 1e-9,
        seed: 7,
    };
    let compiled = jittered_shard(&spec(JitterModel::LauraPetrarch), 0..100).unwrap();
    let file = jittered_shard(&spec(JitterModel::equations(m).unwrap()), 0..100).unwrap();
    assert_eq!(compiled.final_mean, file.final_mean);
    assert_eq!(compiled.steps, file.steps);
    assert_eq!(
        JitterModel::from_id("laura-petrarch-file").unwrap(),
        JitterModel::Equations(m)
    );
}
