//! The `walkaway` command: a thin layer over walkaway-core and
//! walkaway-scenario. Each subcommand lives in its own module under `cmd/`.
//!
//! Exit codes (as ripgrep): 0 ok, 2 bad input (the message names the field,
//! the value and what is allowed), 1 internal error. A closed standard
//! output (`walkaway ... | head`) is not an error.

// Layers, each importing only from those below it: `cmd` (one module per
// subcommand; commands never import each other), then what several
// commands share (`analysis`, `figures`, `one_run`, `parts`, `sweep_grid`),
// then `common`, `output` and `progress`.
mod analysis;
mod cmd;
mod common;
mod figures;
mod one_run;
mod output;
mod parts;
mod progress;
mod sweep_grid;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::common::Failure;

#[derive(Parser, Debug)]
#[command(
    name = "walkaway",
    version,
    about = "What happens if you walk away? Simulations of relationship dynamics.",
    long_about = "What happens if you walk away? Simulations of relationship dynamics.\n\n\
        Without a subcommand, runs the embedded default scenario (you walk away on day 0 \
        and keep no contact) and tells it week by week. It is a model, not a prophecy."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// One run told week by week: the default story, or a scenario file's.
    ///
    /// Distributions in the scenario are replaced by their central values
    /// (their medians).
    Run(cmd::run::Args),
    /// Lists every built-in model with its states, parameters and citation.
    Models(cmd::models::Args),
    /// Integrates one trajectory of a model or scenario and writes its time series.
    ///
    /// One row per output time, a column per state variable and per extra
    /// column of the model, then the events and the outcome. Distributions in
    /// a scenario file are replaced by their central values (their medians);
    /// `walkaway forecast` draws from them instead.
    Simulate(cmd::simulate::Args),
    /// Monte Carlo forecast: outcome probabilities, timelines, strategies and drivers.
    Forecast(cmd::forecast::Args),
    /// Which unknowns decide the outcome: Sobol indices over traits, rates and chance.
    ///
    /// For every outcome at the horizon, the share of its variance each
    /// uncertain input explains on its own (S1) and takes part in at all
    /// (ST), with 95 % intervals. N base samples cost N·(k + 3) runs for k
    /// inputs (docs/sensitivity.md).
    Sensitivity(cmd::sensitivity::Args),
    /// Ensemble of one model with jittered parameters: mean final state (fast lane kernel).
    Ensemble(cmd::ensemble::EnsembleArgs),
    /// Adds up the parts of a forecast or ensemble saved with --shard I/N --save-tally.
    ///
    /// Checks that the parts come from one run and cover its trajectories
    /// exactly once, then prints what the whole run would have printed.
    Merge(cmd::merge::Args),
    /// The separation journal: what your partner did, day by day, updates the forecast.
    ///
    /// Reads a CSV journal (docs/journal.md), runs a particle filter over
    /// your partner's traits and the model's uncertain rates, and prints
    /// what the behaviour says about your partner and the forecast after it.
    Journal(cmd::journal::Args),
    /// The web app: questionnaire, forecast, model explorer, saved items.
    Serve(cmd::serve::Args),
    /// Outcome probabilities of the forecast on a grid of one or two parameters (CSV or Parquet).
    Sweep(cmd::sweep::Args),
    /// Equilibria, cycles, Lyapunov exponent, bifurcations and basins of a model.
    Analyze(cmd::analyze::Args),
    /// Figures as SVG or PNG: run, forecast, phase, sweep, bifurcation.
    Plot(cmd::plot::Args),
}

fn dispatch(command: Option<Command>) -> Result<(), Failure> {
    match command {
        None => cmd::run::run(&cmd::run::Args::default()),
        Some(Command::Run(args)) => cmd::run::run(&args),
        Some(Command::Models(args)) => cmd::models::run(&args),
        Some(Command::Simulate(args)) => cmd::simulate::run(&args),
        Some(Command::Forecast(args)) => cmd::forecast::run(&args),
        Some(Command::Sensitivity(args)) => cmd::sensitivity::run(&args),
        Some(Command::Ensemble(args)) => cmd::ensemble::run(&args),
        Some(Command::Merge(args)) => cmd::merge::run(&args),
        Some(Command::Sweep(args)) => cmd::sweep::run(&args),
        Some(Command::Analyze(args)) => cmd::analyze::run(&args),
        Some(Command::Plot(args)) => cmd::plot::run(&args),
        Some(Command::Serve(args)) => cmd::serve::run(&args),
        Some(Command::Journal(args)) => cmd::journal::run(&args),
    }
}

fn main() -> ExitCode {
    // clap exits with 2 on bad arguments and 0 for --help/--version.
    let cli = Cli::parse();
    match dispatch(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        // `let _ =`: a closed standard error must not turn into a panic.
        Err(Failure::Input(msg)) => {
            let _ = writeln!(std::io::stderr(), "walkaway: {msg}");
            ExitCode::from(2)
        }
        Err(Failure::Internal(msg)) => {
            let _ = writeln!(std::io::stderr(), "walkaway: internal error: {msg}");
            ExitCode::from(1)
        }
    }
}
