//! Failures as Python exceptions, sorted as the command line sorts them
//! into exit codes: bad input (exit 2 there) is `ValueError`, a failure of
//! the numerics or of ours (exit 1 there) is `RuntimeError`. The messages
//! are the command line's.

use pyo3::PyErr;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use walkaway_core::ModelError;
use walkaway_core::ensemble::EnsembleError;

/// Bad input: the message names the field, the value and what is allowed.
pub fn input(message: impl Into<String>) -> PyErr {
    PyValueError::new_err(message.into())
}

/// Something went wrong in the numerics or on our side.
pub fn internal(message: impl Into<String>) -> PyErr {
    PyRuntimeError::new_err(message.into())
}

pub fn model(e: ModelError) -> PyErr {
    match e {
        // As the command line (exit 2): every model's defaults run, so a
        // solver that stops was led there by the values chosen.
        ModelError::Solver(s) => input(walkaway_scenario::solver_failure_message(&s, &[])),
        other => input(other.to_string()),
    }
}

pub fn ensemble(e: EnsembleError) -> PyErr {
    match e {
        EnsembleError::Trajectory { .. } => internal(format!("the ensemble failed: {e}")),
        other => input(other.to_string()),
    }
}
