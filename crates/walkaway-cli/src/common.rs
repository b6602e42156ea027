//! What every subcommand shares: output formats, the failure type that
//! decides the exit code, loading a model or scenario, and writing output.

use std::io::Write;
use std::path::Path;

use clap::ValueEnum;
use walkaway_core::ModelError;
use walkaway_core::ensemble::EnsembleError;
use walkaway_core::equations::EquationModel;
use walkaway_scenario::{Scenario, ScenarioError};

/// How results are written.
#[derive(ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// Aligned columns for people.
    #[default]
    Table,
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON document.
    Json,
}

/// A failure you can fix (exit 2) or ours (exit 1).
#[derive(Debug)]
pub enum Failure {
    /// Bad input: the message names the field, the value and what is allowed.
    Input(String),
    /// Something went wrong on our side (or in the numerics).
    Internal(String),
}

impl From<ModelError> for Failure {
    fn from(e: ModelError) -> Self {
        match e {
            // The defaults of every model run; a solver that stops was led
            // there by the values chosen (see `solver_failure` for naming them).
            ModelError::Solver(s) => {
                Failure::Input(walkaway_scenario::solver_failure_message(&s, &[]))
            }
            other => Failure::Input(other.to_string()),
        }
    }
}

/// A solver failure of `scenario`'s run, naming the values the scenario or
/// the command line chose (the likely cause), so it is fixable (exit 2);
/// `walkaway_scenario::Scenario::solver_failure_message`.
pub fn solver_failure(scenario: &Scenario, e: ModelError) -> Failure {
    let ModelError::Solver(s) = e else {
        return e.into();
    };
    Failure::Input(scenario.solver_failure_message(&s))
}

impl From<ScenarioError> for Failure {
    fn from(e: ScenarioError) -> Self {
        Failure::Input(e.to_message())
    }
}

impl From<EnsembleError> for Failure {
    fn from(e: EnsembleError) -> Self {
        match e {
            EnsembleError::Trajectory { .. } => {
                Failure::Internal(format!("the ensemble failed: {e}"))
            }
            other => Failure::Input(other.to_string()),
        }
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Internal(e.to_string())
    }
}

/// The equation file (docs/models.md) named by a command-line argument,
/// compiled and registered, or `None` when the argument is not one
/// (`walkaway_scenario::target::equation_file`).
pub fn equation_file(target: &str) -> Result<Option<&'static EquationModel>, Failure> {
    walkaway_scenario::target::equation_file(target).map_err(Failure::Input)
}

/// A scenario from a file, a bare model id, an equation file, or (with
/// `None`) the embedded default (`walkaway_scenario::target::load`).
pub fn load_scenario(target: Option<&str>) -> Result<Scenario, Failure> {
    walkaway_scenario::target::load(target).map_err(Failure::Input)
}

/// Refuses `--format csv` for results that are nested (a forecast, the
/// model list, an analysis); `what` names them, e.g. "`walkaway forecast`".
pub fn refuse_csv(format: Format, what: &str) -> Result<(), Failure> {
    if format == Format::Csv {
        return Err(Failure::Input(format!(
            "--format csv is not available for {what}; allowed: table, json"
        )));
    }
    Ok(())
}

/// A scenario of the walkaway model with the `--set` overrides applied;
/// `what` names the command's results in the refusal ("forecasts",
/// "sweeps") (`walkaway_scenario::target::load_walkaway`).
pub fn load_walkaway_scenario(
    target: Option<&str>,
    sets: &[String],
    what: &str,
) -> Result<Scenario, Failure> {
    walkaway_scenario::target::load_walkaway(target, sets, what).map_err(Failure::Input)
}

/// Writes `text` to `out` or to standard output. A reader that closes the
/// pipe early (`| head`) has all it wanted: that is not an error.
pub fn emit(text: &str, out: Option<&Path>) -> Result<(), Failure> {
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
