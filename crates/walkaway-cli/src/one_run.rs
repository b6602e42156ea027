//! One run of a scenario with the command line's overrides (`--set`,
//! `--t-end`, …) and the central value of every distribution: what
//! `simulate`, `run` and `plot run` share.

use std::path::PathBuf;

use walkaway_core::Trajectory;
use walkaway_scenario::Scenario;

use crate::common::{Failure, Format, load_scenario};

/// Options of a single run (shared by `simulate` and `run`).
#[derive(clap::Args, Debug, Default)]
pub struct RunArgs {
    /// Override a scenario value: NAME=VALUE (repeatable). NAME is a
    /// parameter (e.g. mechanisms.nostalgia=false), initial.STATE, horizon,
    /// seed, solver.method, solver.rtol, solver.atol, solver.dt or output.every.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub sets: Vec<String>,
    /// End time in the model's time unit (same as --set horizon=T).
    #[arg(long, value_name = "T", allow_negative_numbers = true)]
    pub t_end: Option<f64>,
    /// Output interval (same as --set output.every=DT).
    #[arg(long, value_name = "DT", allow_negative_numbers = true)]
    pub every: Option<f64>,
    /// Seed of the random streams (default: the scenario's, else 0).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// dopri5 (adaptive, deterministic), euler-maruyama or milstein (with the model's noise).
    #[arg(long, value_name = "M")]
    pub method: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Applies a command-line flag as a scenario override, naming the flag (not
/// `--set`) when it is refused.
fn apply_flag(scenario: &mut Scenario, flag: &str, name: &str, value: &str) -> Result<(), Failure> {
    scenario
        .apply_set(&format!("{name}={value}"))
        .map_err(|e| Failure::Input(format!("{flag} {value}: {}", e.message)))
}

/// Loads the scenario, applies the overrides and runs it once with the
/// central value of every distribution.
pub fn one_run(target: Option<&str>, args: &RunArgs) -> Result<(Scenario, Trajectory), Failure> {
    let mut scenario = load_scenario(target)?;
    for s in &args.sets {
        scenario.apply_set(s)?;
    }
    if let Some(t) = args.t_end {
        apply_flag(&mut scenario, "--t-end", "horizon", &t.to_string())?;
    }
    if let Some(e) = args.every {
        apply_flag(&mut scenario, "--every", "output.every", &e.to_string())?;
    }
    if let Some(seed) = args.seed {
        apply_flag(&mut scenario, "--seed", "seed", &seed.to_string())?;
    }
    if let Some(m) = &args.method {
        apply_flag(&mut scenario, "--method", "solver.method", m)?;
    }
    let params = scenario.central_params();
    let y0 = scenario.initial_state(&params);
    let traj = scenario.model.simulate(&params, &y0, &scenario.run)?;
    Ok((scenario, traj))
}
