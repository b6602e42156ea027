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
use walkaway_core::population::Population;
use walkaway_core::{Method, ModelError, RunOptions, find};

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
    Run(SimArgs),
    /// Lists every built-in model with its states, parameters and citation.
    Models {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Integrates one trajectory of a model and writes its time series.
    Simulate {
        /// A model id (see `walkaway models`).
        model: String,
        #[command(flatten)]
        args: SimArgs,
    },
    /// Monte Carlo forecast: outcome probabilities, timelines, strategies and drivers.
    Forecast {
        #[arg(long, default_value_t = 10_000)]
        trajectories: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
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
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// dopri5 (adaptive, deterministic), euler-maruyama or milstein (with noise).
    #[arg(long, default_value = "dopri5")]
    method: String,
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
        None => simulate("walkaway", &SimArgs::default(), true),
        Some(Command::Run(args)) => simulate("walkaway", &args, true),
        Some(Command::Models { format }) => emit(&output::models(format == Format::Json), None),
        Some(Command::Simulate { model, args }) => simulate(&model, &args, false),
        Some(Command::Forecast {
            trajectories,
            seed,
            sets,
            no_attribution,
            format,
        }) => run_forecast(trajectories, seed, &sets, !no_attribution, format),
        Some(Command::Ensemble(args)) => ensemble_cmd::run(&args),
    }
}

fn split_set(text: &str) -> Result<(&str, &str), Failure> {
    text.split_once('=').ok_or_else(|| {
        Failure::Input(format!(
            "--set `{text}` is not of the form NAME=VALUE (e.g. --set mechanisms.nostalgia=false)"
        ))
    })
}

fn simulate(model_id: &str, args: &SimArgs, story: bool) -> Result<(), Failure> {
    let model = find(model_id)?;
    let info = model.info();
    let mut params = info.default_params();
    for s in &args.sets {
        let (k, v) = split_set(s)?;
        info.set_param_text(&mut params, k, v)?;
    }
    let mut run = RunOptions::for_model(info);
    if let Some(t) = args.t_end {
        run.t_end = t;
    }
    if let Some(e) = args.every {
        run.every = Some(e);
    }
    run.seed = args.seed;
    let method = if args.method.is_empty() {
        "dopri5"
    } else {
        args.method.as_str()
    };
    run.method = Method::parse(method).ok_or_else(|| {
        Failure::Input(format!(
            "--method `{}` is not known; use one of {}",
            args.method,
            Method::NAMES.join(", ")
        ))
    })?;
    let y0 = model.initial_state(&params);
    let traj = model.simulate(&params, &y0, &run)?;
    let text = match (story, args.format) {
        (true, Format::Table) => output::story(&traj),
        (_, Format::Table) => output::table(&traj),
        (_, Format::Csv) => output::csv(&traj),
        (_, Format::Json) => output::trajectory_json(&traj),
    };
    emit(&text, args.out.as_deref())
}

fn run_forecast(
    trajectories: u64,
    seed: u64,
    sets: &[String],
    attribution: bool,
    format: Format,
) -> Result<(), Failure> {
    let mut population = Population::walkaway_default();
    for s in sets {
        let (k, v) = split_set(s)?;
        let i = WALKAWAY.param_index(k)?;
        let value = WALKAWAY.params[i].parse(v)?;
        population.fix(i, value);
    }
    let run = RunOptions::for_model(&WALKAWAY);
    let horizon = run.t_end;
    let opts = ForecastOptions {
        trajectories,
        seed,
        run,
        strategies: standard_strategies(horizon, 0.5),
        attribution,
        series: true,
    };
    let started = std::time::Instant::now();
    let f = forecast(&population, &opts)?;
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
