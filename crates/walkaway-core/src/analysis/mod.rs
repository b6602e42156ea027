//! Dynamics analysis for any model of the catalog, through the [`Model`]
//! trait alone (its `vector_field`, or its map for discrete models):
//!
//! - Jacobians by central differences, eigenvalues, and the type of an
//!   equilibrium ([`jacobian`], [`eigenvalues`], [`classify`]);
//! - equilibria (fixed points of maps) by damped Newton from many starts
//!   ([`find_equilibria`]);
//! - periodic orbits: period, maxima and amplitude ranges ([`limit_cycle`],
//!   [`maxima`]);
//! - the largest Lyapunov exponent by Benettin's renormalisation
//!   ([`largest_lyapunov`]);
//! - one-parameter bifurcation diagrams: equilibrium branches by
//!   pseudo-arclength continuation with folds and Hopf points marked
//!   ([`continue_equilibria`]), and orbit diagrams of maxima
//!   ([`orbit_diagram`]);
//! - basins of attraction on a grid ([`basins`]);
//! - the zero curves of a function on a grid, for null clines
//!   ([`zero_contour`]).
//!
//! Everything here is pure numerics: no I/O, deterministic results.
//! Models are assumed autonomous unless a time is given; the walkaway model's
//! separation schedule makes it time-dependent, so analyse it at a chosen
//! time with that caveat.

mod basins;
mod continuation;
mod contour;
mod equilibria;
pub mod linalg;
mod orbits;

#[cfg(test)]
mod tests;

pub use basins::{BasinMap, BasinOptions, basins};
pub use continuation::{
    Branch, BranchEnd, BranchPoint, ContinuationOptions, SpecialKind, SpecialPoint,
    continue_equilibria,
};
pub use contour::{Segment, zero_contour};
pub use equilibria::{
    Equilibrium, EquilibriumKind, EquilibriumOptions, classify, equilibrium_from, find_equilibria,
    jacobian, residual_jacobian,
};
pub use linalg::{Complex, Matrix, determinant, eigenvalues, solve};
pub use orbits::{
    CycleOptions, LimitCycle, LyapunovEstimate, LyapunovOptions, OrbitSlice, largest_lyapunov,
    limit_cycle, maxima, orbit_diagram,
};

use crate::error::{ModelError, SolverError};
use crate::model::Model;
use crate::ode::OdeRhs;
use thiserror::Error;

/// The largest state dimension the integrating analyses accept.
pub const MAX_STATES: usize = 16;

/// Why an analysis could not give an answer.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum AnalysisError {
    #[error("a matrix with a NaN or infinite entry has no eigenvalues")]
    NonFiniteMatrix,
    #[error("the QR iteration for the eigenvalues of a {size}×{size} matrix did not converge")]
    EigenvaluesDidNotConverge { size: usize },
    #[error("analysis option `{field}` = {value} is not allowed: {allowed}")]
    InvalidOption {
        field: &'static str,
        value: String,
        allowed: String,
    },
    #[error("model `{model}` has {states} state variables; the analysis handles at most {max}")]
    TooManyStates {
        model: String,
        states: usize,
        max: usize,
    },
    #[error("the continuation could not leave its start at {param} = {value}: {reason}")]
    ContinuationFailed {
        param: String,
        value: f64,
        reason: String,
    },
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    Solver(#[from] SolverError),
}

pub(crate) fn invalid(field: &'static str, value: impl ToString, allowed: &str) -> AnalysisError {
    AnalysisError::InvalidOption {
        field,
        value: value.to_string(),
        allowed: allowed.to_string(),
    }
}

/// A model's vector field with fixed parameters, as a right-hand side for
/// the integrators of any size.
#[derive(Clone, Copy)]
pub(crate) struct Field<'a> {
    pub model: &'a dyn Model,
    pub params: &'a [f64],
}

impl<const N: usize> OdeRhs<N> for Field<'_> {
    fn rhs(&self, t: f64, y: &[f64; N], dydt: &mut [f64; N]) {
        self.model.vector_field(self.params, t, y, dydt);
    }
}

impl Field<'_> {
    pub(crate) fn eval(&self, t: f64, y: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; y.len()];
        self.model.vector_field(self.params, t, y, &mut out);
        out
    }
}

/// Checks the parameters and the state dimension against the model.
pub(crate) fn check_model(
    model: &dyn Model,
    params: &[f64],
    state: Option<&[f64]>,
) -> Result<usize, AnalysisError> {
    let info = model.info();
    info.check_params(params)?;
    if let Some(y) = state {
        info.check_state(y)?;
    }
    let n = info.states.len();
    if n > MAX_STATES {
        return Err(AnalysisError::TooManyStates {
            model: info.id.to_string(),
            states: n,
            max: MAX_STATES,
        });
    }
    Ok(n)
}

/// Calls a function generic over the state dimension with the model's
/// dimension as a constant (the integrators work on fixed-size arrays).
macro_rules! with_dimension {
    ($n:expr, $f:ident ( $($arg:expr),* $(,)? )) => {
        match $n {
            1 => $f::<1>($($arg),*),
            2 => $f::<2>($($arg),*),
            3 => $f::<3>($($arg),*),
            4 => $f::<4>($($arg),*),
            5 => $f::<5>($($arg),*),
            6 => $f::<6>($($arg),*),
            7 => $f::<7>($($arg),*),
            8 => $f::<8>($($arg),*),
            9 => $f::<9>($($arg),*),
            10 => $f::<10>($($arg),*),
            11 => $f::<11>($($arg),*),
            12 => $f::<12>($($arg),*),
            13 => $f::<13>($($arg),*),
            14 => $f::<14>($($arg),*),
            15 => $f::<15>($($arg),*),
            16 => $f::<16>($($arg),*),
            _ => unreachable!("dimension checked by check_model"),
        }
    };
}
pub(crate) use with_dimension;

/// Copies a slice into an array of the dimension in use.
pub(crate) fn array<const N: usize>(y: &[f64]) -> [f64; N] {
    let mut a = [0.0; N];
    a.copy_from_slice(&y[..N]);
    a
}

pub(crate) fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}
