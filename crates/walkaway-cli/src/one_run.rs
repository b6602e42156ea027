//! One run of a scenario with the command line's overrides (`--set`,
//! `--t-end`, …) and the central value of every distribution: what
//! `simulate`, `run` and `plot run` share.

use std::path::PathBuf;

use walkaway_core::Trajectory;
use walkaway_scenario::Scenario;

use crate::common::{Failure, Format, load_scenario, solver_failure};

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
    /// Largest CSV or JSON output, in megabytes, estimated before the run
    /// (a finer --every than this allows is refused with the estimate).
    #[arg(long, value_name = "MB", default_value_t = 100.0)]
    pub max_output_mb: f64,
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
    scenario.check()?;
    check_output_size(&scenario, args)?;
    let params = scenario.central_params();
    let y0 = scenario.initial_state(&params);
    let traj = scenario
        .model
        .simulate(&params, &y0, &scenario.run)
        .map_err(|e| solver_failure(&scenario, e))?;
    Ok((scenario, traj))
}

/// Bytes one value takes in the output, about (digits, sign, separator).
fn bytes_per_value(format: Format) -> Option<f64> {
    match format {
        Format::Csv => Some(12.0),
        Format::Json => Some(14.0),
        // The table shows a bounded number of rows whatever --every says.
        Format::Table => None,
    }
}

/// Refuses, before running, an output larger than --max-output-mb: rows
/// (horizon / every) times columns (time and the states; observables
/// only add to it) times the bytes of a value.
fn check_output_size(scenario: &Scenario, args: &RunArgs) -> Result<(), Failure> {
    let (Some(every), Some(per_value)) = (scenario.run.every, bytes_per_value(args.format)) else {
        return Ok(());
    };
    if !(args.max_output_mb > 0.0) || !args.max_output_mb.is_finite() {
        return Err(Failure::Input(format!(
            "--max-output-mb {} is not allowed: a positive number of megabytes",
            args.max_output_mb
        )));
    }
    let rows = ((scenario.run.t_end - scenario.run.t0) / every).floor() + 1.0;
    let columns = (scenario.model.info().states.len() + 1) as f64;
    let megabytes = rows * columns * per_value / 1e6;
    if megabytes > args.max_output_mb {
        return Err(Failure::Input(format!(
            "the output would be about {megabytes:.0} MB ({rows:.0} rows of {columns:.0} columns at every = {}), \
             more than --max-output-mb {}; raise --every (or output.every), shorten the horizon, \
             or raise --max-output-mb",
            walkaway_core::model::short(every),
            args.max_output_mb
        )));
    }
    Ok(())
}
