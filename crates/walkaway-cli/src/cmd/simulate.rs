//! `walkaway simulate MODEL_OR_SCENARIO`: one trajectory as a table, CSV or
//! JSON. Also the shared "one run" used by `walkaway run`.

use std::path::PathBuf;

use walkaway_core::Trajectory;
use walkaway_scenario::Scenario;

use crate::common::{Failure, Format, emit, load_scenario};
use crate::output;

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

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A model id (see `walkaway models`) or a scenario file (.toml, see docs/scenarios.md).
    #[arg(value_name = "MODEL_OR_SCENARIO_FILE")]
    pub target: String,
    #[command(flatten)]
    pub run: RunArgs,
}

pub fn run(args: &Args) -> Result<(), Failure> {
    let (_, traj) = one_run(Some(&args.target), &args.run)?;
    let text = match args.run.format {
        Format::Table => output::table(&traj),
        Format::Csv => output::csv(&traj),
        Format::Json => output::trajectory_json(&traj),
    };
    emit(&text, args.run.out.as_deref())
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
