//! The `walkaway` command: a thin layer over walkaway-core.
//! Exit codes: 0 ok, 2 bad input, 1 internal error; a closed stdout pipe is
//! not an error.

mod ensemble_cmd;
mod output;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use walkaway_core::forecast::{ForecastOptions, forecast, standard_strategies};
use walkaway_core::models::walkaway::INFO as WALKAWAY;
use walkaway_core::{Method, ModelError, find};
use walkaway_scenario::{Scenario, ScenarioError};

#[derive(Parser, Debug)]
#[command(
    name = "walkaway",
    version,
    about = "What happens if you walk away? Simulations of relationship dynamics."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// The default story: you walk away on day 0; what happens over 180 days.
    Run {
        /// A scenario file (default: the embedded scenarios/default.toml).
        scenario: Option<String>,
        #[command(flatten)]
        args: SimArgs,
    },
    /// Lists every built-in model with its states, parameters and citation.
    Models {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Integrates one trajectory of a model and writes its time series.
    /// Distributions in a scenario file are replaced by their central values.
    Simulate {
        /// A model id (see `walkaway models`) or a scenario file (.toml).
        model: String,
        #[command(flatten)]
        args: SimArgs,
    },
    /// Monte Carlo forecast: outcome probabilities, timelines, strategies and drivers.
    Forecast {
        /// A scenario file of the walkaway model (default: the embedded scenarios/default.toml).
        scenario: Option<String>,
        #[arg(long, default_value_t = 10_000)]
        trajectories: u64,
        /// Seed (default: the scenario's).
        #[arg(long)]
        seed: Option<u64>,
        /// Fix a parameter of the walkaway model: NAME=VALUE (repeatable).
        #[arg(long = "set", value_name = "NAME=VALUE")]
        sets: Vec<String>,
        /// Skip the eleven mechanism switch-offs (faster).
        #[arg(long)]
        no_attribution: bool,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Ensemble of one model with jittered parameters: mean final state (fast lane kernel).
    Ensemble(ensemble_cmd::EnsembleArgs),
}

#[derive(clap::Args, Debug, Default)]
struct SimArgs {
    /// Set a parameter: NAME=VALUE (repeatable), e.g. mechanisms.nostalgia=false.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    sets: Vec<String>,
    /// End time in the model's time unit.
    #[arg(long)]
    t_end: Option<f64>,
    /// Output interval.
    #[arg(long)]
    every: Option<f64>,
    /// Seed of the random streams (default: the scenario's, else 1).
    #[arg(long)]
    seed: Option<u64>,
    /// dopri5 (adaptive, deterministic), euler-maruyama or milstein (with noise).
    #[arg(long)]
    method: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(long)]
    out: Option<std::path::PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Format {
    #[default]
    Table,
    Csv,
    Json,
}

/// A failure the user can fix (exit 2) or our own (exit 1).
#[derive(Debug)]
enum Failure {
    Input(String),
    Internal(String),
}

impl From<ModelError> for Failure {
    fn from(e: ModelError) -> Self {
        match e {
            ModelError::Solver(s) => Failure::Internal(format!("the simulation failed: {s}")),
            other => Failure::Input(other.to_string()),
        }
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Internal(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(msg)) => {
            eprintln!("walkaway: {msg}");
            ExitCode::from(2)
        }
        Err(Failure::Internal(msg)) if msg.contains("Broken pipe") => ExitCode::SUCCESS,
        Err(Failure::Internal(msg)) => {
            eprintln!("walkaway: internal error: {msg}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        None => simulate(None, &SimArgs::default(), true),
        Some(Command::Run { scenario, args }) => simulate(scenario.as_deref(), &args, true),
        Some(Command::Models { format }) => emit(&output::models(format == Format::Json), None),
        Some(Command::Simulate { model, args }) => simulate(Some(&model), &args, false),
        Some(Command::Forecast {
            scenario,
            trajectories,
            seed,
            sets,
            no_attribution,
            format,
        }) => run_forecast(
            scenario.as_deref(),
            trajectories,
            seed,
            &sets,
            !no_attribution,
            format,
        ),
        Some(Command::Ensemble(args)) => ensemble_cmd::run(&args),
    }
}

impl From<ScenarioError> for Failure {
    fn from(e: ScenarioError) -> Self {
        Failure::Input(e.to_string())
    }
}

/// A scenario from a file, a bare model id, or the embedded default.
fn load_scenario(target: Option<&str>) -> Result<Scenario, Failure> {
    match target {
        None => Ok(Scenario::default_scenario()),
        Some(t) if t.ends_with(".toml") || std::path::Path::new(t).is_file() => {
            Ok(Scenario::load(std::path::Path::new(t))?)
        }
        Some(id) => {
            find(id)?;
            Ok(Scenario::parse(
                &format!("model = \"{id}\"\n"),
                "(command line)",
            )?)
        }
    }
}

fn simulate(target: Option<&str>, args: &SimArgs, story: bool) -> Result<(), Failure> {
    let mut scenario = load_scenario(target)?;
    for s in &args.sets {
        scenario.apply_set(s)?;
    }
    if let Some(t) = args.t_end {
        scenario.apply_set(&format!("horizon={t}"))?;
    }
    if let Some(e) = args.every {
        scenario.apply_set(&format!("output.every={e}"))?;
    }
    if let Some(seed) = args.seed {
        scenario.run.seed = seed;
    }
    if let Some(m) = &args.method {
        scenario.run.method = Method::parse(m).ok_or_else(|| {
            Failure::Input(format!(
                "--method `{m}` is not known; use one of {}",
                Method::NAMES.join(", ")
            ))
        })?;
    }
    let params = scenario.central_params();
    let y0 = scenario.initial_state(&params);
    let traj = scenario.model.simulate(&params, &y0, &scenario.run)?;
    let story = story && scenario.model.info().id == WALKAWAY.id;
    let text = match (story, args.format) {
        (true, Format::Table) => output::story(&traj),
        (_, Format::Table) => output::table(&traj),
        (_, Format::Csv) => output::csv(&traj),
        (_, Format::Json) => output::trajectory_json(&traj),
    };
    emit(&text, args.out.as_deref())
}

fn run_forecast(
    target: Option<&str>,
    trajectories: u64,
    seed: Option<u64>,
    sets: &[String],
    attribution: bool,
    format: Format,
) -> Result<(), Failure> {
    let mut scenario = load_scenario(target)?;
    if scenario.model.info().id != WALKAWAY.id {
        return Err(Failure::Input(format!(
            "forecasts need a scenario of the walkaway model; `{}` is a scenario of `{}`",
            target.unwrap_or("(default)"),
            scenario.model.info().id
        )));
    }
    for s in sets {
        scenario.apply_set(s)?;
    }
    let horizon = scenario.run.t_end;
    let opts = ForecastOptions {
        trajectories,
        seed: seed.unwrap_or(scenario.run.seed),
        run: scenario.run,
        strategies: standard_strategies(horizon, 0.5),
        attribution,
        series: true,
    };
    let started = std::time::Instant::now();
    let f = forecast(&scenario.population, &opts)?;
    let seconds = started.elapsed().as_secs_f64();
    let text = if format == Format::Json {
        output::forecast_json(&f, seconds)
    } else {
        output::forecast_table(&f, seconds)
    };
    emit(&text, None)
}

fn emit(text: &str, out: Option<&std::path::Path>) -> Result<(), Failure> {
    match out {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| Failure::Input(format!("cannot write --out {}: {e}", path.display()))),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|_| stdout.flush())
            {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(e.into()),
            }
        }
    }
}
