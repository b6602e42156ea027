//! Typed errors of the numerics layer. Every variant carries the fields a
//! person needs to act on it: where (time, variable), what (value) and why.

use thiserror::Error;

/// A failure while integrating. The integrators never return silent garbage:
/// a non-finite value, a collapsing step or a blow-up stops the run here.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum SolverError {
    /// A stage or the accepted state contained NaN or infinity.
    #[error(
        "the state became non-finite at t = {t}: {variable} = {value} (state {state:?}); \
         likely cause: a parameter outside the model's range or a division by zero in the equations"
    )]
    NonFinite {
        t: f64,
        variable: String,
        value: f64,
        state: Vec<f64>,
    },
    /// The step size fell below the smallest step the clock can resolve.
    #[error(
        "the step size collapsed to {h:e} at t = {t} (state {state:?}); \
         likely cause: a discontinuity the solver cannot resolve, or a stiff system (try looser tolerances or other parameters)"
    )]
    StepSizeCollapsed { t: f64, h: f64, state: Vec<f64> },
    /// A state variable left the region where the model means anything.
    #[error(
        "the state blew up at t = {t}: |{variable}| = {value:e} exceeds {limit:e}; \
         likely cause: parameters that make the model unstable (e.g. reactions stronger than forgetting)"
    )]
    BlowUp {
        t: f64,
        variable: String,
        value: f64,
        limit: f64,
    },
    /// More steps than allowed before the end time.
    #[error(
        "more than {max_steps} steps before reaching t = {t_end} (stopped at t = {t}); likely cause: a stiff or chaotic system at very tight tolerances"
    )]
    TooManySteps { max_steps: u64, t: f64, t_end: f64 },
    /// A solver option is out of range.
    #[error("invalid solver option `{field}` = {value}: {allowed}")]
    InvalidOption {
        field: &'static str,
        value: String,
        allowed: &'static str,
    },
}

/// A parameter, state or option given by a user does not fit the model.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ModelError {
    #[error("unknown model `{id}`; known models: {known}")]
    UnknownModel { id: String, known: String },
    #[error("model `{model}` has no parameter `{name}`; its parameters are: {known}")]
    UnknownParameter {
        model: String,
        name: String,
        known: String,
    },
    #[error("model `{model}` has no state variable `{name}`; its state variables are: {known}")]
    UnknownState {
        model: String,
        name: String,
        known: String,
    },
    #[error("parameter `{name}` = {value} is out of range: {allowed}")]
    ParameterOutOfRange {
        name: String,
        value: String,
        allowed: String,
    },
    #[error("initial state `{name}` = {} is not allowed: {allowed}", crate::model::short(*.value))]
    InitialStateInvalid {
        name: String,
        value: f64,
        allowed: String,
    },
    #[error("run option `{field}` = {value} is not allowed: {allowed}")]
    InvalidRunOption {
        field: &'static str,
        value: String,
        allowed: String,
    },
    #[error("the separation schedule is impossible: {reason}")]
    ImpossibleSchedule { reason: String },
    /// A saved tally (a part of a sharded forecast) that no run of its
    /// options can have written: edited, damaged or from elsewhere.
    #[error("the saved tally's `{part}` cannot come from a forecast run: {reason}")]
    InvalidTally { part: String, reason: String },
    #[error(transparent)]
    Solver(#[from] SolverError),
}
