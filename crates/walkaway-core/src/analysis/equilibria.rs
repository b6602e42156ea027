//! Jacobians, equilibria (fixed points of maps) and their types.

use super::linalg::{Complex, Matrix, eigenvalues, solve};
use super::{AnalysisError, Field, check_model, invalid, norm};
use crate::model::{Model, TimeKind};

/// The Jacobian of the model's vector field (or map) at (t, y), by central
/// differences with steps scaled to each variable (∛ε·max(|yⱼ|, 1), which
/// balances truncation against rounding for a second-order formula).
pub fn jacobian(model: &dyn Model, params: &[f64], t: f64, y: &[f64]) -> Matrix {
    let field = Field { model, params };
    let n = y.len();
    let mut jac = Matrix::zeros(n, n);
    let mut probe = y.to_vec();
    for j in 0..n {
        let h = f64::EPSILON.cbrt() * y[j].abs().max(1.0);
        probe[j] = y[j] + h;
        let up = field.eval(t, &probe);
        probe[j] = y[j] - h;
        let down = field.eval(t, &probe);
        probe[j] = y[j];
        let step = 2.0 * h;
        for i in 0..n {
            jac[(i, j)] = (up[i] - down[i]) / step;
        }
    }
    jac
}

/// The residual whose zeros are equilibria: f(t, y) for flows, map(y) − y
/// for maps.
pub(crate) fn residual(model: &dyn Model, params: &[f64], t: f64, y: &[f64]) -> Vec<f64> {
    let mut r = Field { model, params }.eval(t, y);
    if model.info().time == TimeKind::Discrete {
        for (ri, yi) in r.iter_mut().zip(y) {
            *ri -= yi;
        }
    }
    r
}

/// The Jacobian of the residual: J for flows, J − I for maps.
pub fn residual_jacobian(model: &dyn Model, params: &[f64], t: f64, y: &[f64]) -> Matrix {
    let mut jac = jacobian(model, params, t, y);
    if model.info().time == TimeKind::Discrete {
        for i in 0..y.len() {
            jac[(i, i)] -= 1.0;
        }
    }
    jac
}

/// The type of an equilibrium, from the eigenvalues of the Jacobian (flows:
/// sign of the real parts; maps: modulus against 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EquilibriumKind {
    /// Every eigenvalue attracting, all real.
    StableNode,
    /// Every eigenvalue attracting, some complex: nearby orbits wind in.
    StableSpiral,
    /// Every eigenvalue repelling, all real.
    UnstableNode,
    /// Every eigenvalue repelling, some complex.
    UnstableSpiral,
    /// Attracting and repelling directions both present.
    Saddle,
    /// On the stability boundary with only complex pairs there (a linear
    /// centre; for nonlinear systems the linearisation cannot decide).
    Centre,
    /// On the stability boundary with a real eigenvalue there (zero for
    /// flows, ±1 for maps): the linearisation cannot decide.
    Neutral,
}

impl EquilibriumKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::StableNode => "stable node",
            Self::StableSpiral => "stable spiral",
            Self::UnstableNode => "unstable node",
            Self::UnstableSpiral => "unstable spiral",
            Self::Saddle => "saddle",
            Self::Centre => "centre",
            Self::Neutral => "neutral",
        }
    }

    /// Whether nearby states are attracted (asymptotically stable).
    pub fn is_stable(self) -> bool {
        matches!(self, Self::StableNode | Self::StableSpiral)
    }
}

/// Classifies from eigenvalues. `tolerance` is how close to the stability
/// boundary counts as on it, relative to the largest eigenvalue modulus
/// (at least 1).
pub fn classify(eigs: &[Complex], time: TimeKind, tolerance: f64) -> EquilibriumKind {
    let scale = eigs.iter().fold(1.0f64, |m, z| m.max(z.norm()));
    let tol = tolerance * scale;
    // Growth rate of each direction: Re λ for flows, |λ| − 1 for maps.
    let growth = |z: &Complex| match time {
        TimeKind::Continuous => z.re,
        TimeKind::Discrete => z.norm() - 1.0,
    };
    let complex = |z: &Complex| z.im.abs() > tol;
    let on_boundary: Vec<&Complex> = eigs.iter().filter(|z| growth(z).abs() <= tol).collect();
    if !on_boundary.is_empty() {
        let off: Vec<f64> = eigs.iter().map(growth).filter(|g| g.abs() > tol).collect();
        if off.iter().any(|g| *g > 0.0) && off.iter().any(|g| *g < 0.0) {
            return EquilibriumKind::Saddle;
        }
        if off.iter().any(|g| *g > 0.0) {
            return if eigs.iter().any(complex) {
                EquilibriumKind::UnstableSpiral
            } else {
                EquilibriumKind::UnstableNode
            };
        }
        return if on_boundary.iter().all(|z| complex(z)) {
            EquilibriumKind::Centre
        } else {
            EquilibriumKind::Neutral
        };
    }
    let up = eigs.iter().filter(|z| growth(z) > 0.0).count();
    let spiral = eigs.iter().any(complex);
    match (up, spiral) {
        (0, false) => EquilibriumKind::StableNode,
        (0, true) => EquilibriumKind::StableSpiral,
        (u, false) if u == eigs.len() => EquilibriumKind::UnstableNode,
        (u, true) if u == eigs.len() => EquilibriumKind::UnstableSpiral,
        _ => EquilibriumKind::Saddle,
    }
}

/// An equilibrium (or fixed point of a map) with its linearisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Equilibrium {
    pub state: Vec<f64>,
    /// Eigenvalues of the Jacobian of the field (or of the map), sorted by
    /// decreasing real part.
    pub eigenvalues: Vec<Complex>,
    pub kind: EquilibriumKind,
    /// |f(y)| (or |map(y) − y|) at the returned state.
    pub residual: f64,
}

impl Equilibrium {
    pub fn is_stable(&self) -> bool {
        self.kind.is_stable()
    }
}

/// How to look for equilibria.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EquilibriumOptions {
    /// Newton starts spread over the box (a Halton sequence, so the box is
    /// covered evenly and the result is reproducible).
    pub starts: usize,
    /// Convergence: |Newton step| ≤ tol·(1 + |y|) and |residual| ≤ tol·(1 + scale).
    pub tolerance: f64,
    pub max_iterations: usize,
    /// Time at which the field is evaluated (for non-autonomous models).
    pub t: f64,
    /// Two solutions closer than this (relative, max-norm) are the same.
    pub duplicate_tolerance: f64,
    /// How close to the stability boundary counts as on it (see [`classify`]).
    pub boundary_tolerance: f64,
}

impl Default for EquilibriumOptions {
    fn default() -> Self {
        Self {
            starts: 200,
            tolerance: 1e-10,
            max_iterations: 60,
            t: 0.0,
            duplicate_tolerance: 1e-6,
            boundary_tolerance: 1e-6,
        }
    }
}

/// The `index`-th point of the Halton sequence in `dims` dimensions (one
/// prime base per dimension), in the unit cube.
fn halton(index: usize, dims: usize) -> Vec<f64> {
    const PRIMES: [usize; 16] = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53];
    (0..dims)
        .map(|d| {
            let base = PRIMES[d % PRIMES.len()];
            let mut f = 1.0;
            let mut r = 0.0;
            let mut i = index + 1;
            while i > 0 {
                f /= base as f64;
                r += f * (i % base) as f64;
                i /= base;
            }
            r
        })
        .collect()
}

/// Damped Newton on the residual from `guess`. Returns the converged state
/// or `None` (no convergence, singular Jacobian, or non-finite values).
pub(crate) fn newton(
    model: &dyn Model,
    params: &[f64],
    guess: &[f64],
    opts: &EquilibriumOptions,
) -> Option<Vec<f64>> {
    let mut y = guess.to_vec();
    let mut r = residual(model, params, opts.t, &y);
    let mut r_norm = norm(&r);
    if !r_norm.is_finite() {
        return None;
    }
    for _ in 0..opts.max_iterations {
        let jac = residual_jacobian(model, params, opts.t, &y);
        let minus_r: Vec<f64> = r.iter().map(|v| -v).collect();
        let step = solve(&jac, &minus_r)?;
        // Backtrack until the residual drops (Armijo-like, halving).
        let mut lambda = 1.0;
        let mut accepted = None;
        while lambda >= 1.0 / 1024.0 {
            let trial: Vec<f64> = y.iter().zip(&step).map(|(a, s)| a + lambda * s).collect();
            let r_trial = residual(model, params, opts.t, &trial);
            let n_trial = norm(&r_trial);
            if n_trial.is_finite() && n_trial <= (1.0 - 1e-4 * lambda) * r_norm {
                accepted = Some((trial, r_trial, n_trial));
                break;
            }
            lambda *= 0.5;
        }
        let step_norm = norm(&step);
        let y_norm = norm(&y);
        match accepted {
            Some((trial, r_trial, n_trial)) => {
                y = trial;
                r = r_trial;
                r_norm = n_trial;
            }
            None => {
                // No decrease: either converged to rounding level, or stuck.
                return (step_norm <= opts.tolerance * (1.0 + y_norm)
                    && r_norm <= opts.tolerance.sqrt())
                .then_some(y);
            }
        }
        if lambda * step_norm <= opts.tolerance * (1.0 + norm(&y)) {
            return (r_norm <= opts.tolerance.sqrt()).then_some(y);
        }
    }
    None
}

/// Finishes an equilibrium: eigenvalues and type.
fn describe(
    model: &dyn Model,
    params: &[f64],
    y: Vec<f64>,
    opts: &EquilibriumOptions,
) -> Result<Equilibrium, AnalysisError> {
    let jac = jacobian(model, params, opts.t, &y);
    let eigs = eigenvalues(&jac)?;
    let kind = classify(&eigs, model.info().time, opts.boundary_tolerance);
    let residual = norm(&residual(model, params, opts.t, &y));
    Ok(Equilibrium {
        state: y,
        eigenvalues: eigs,
        kind,
        residual,
    })
}

/// The equilibrium Newton reaches from `guess`, if it converges.
pub fn equilibrium_from(
    model: &dyn Model,
    params: &[f64],
    guess: &[f64],
    opts: &EquilibriumOptions,
) -> Result<Option<Equilibrium>, AnalysisError> {
    check_model(model, params, Some(guess))?;
    match newton(model, params, guess, opts) {
        Some(y) => describe(model, params, y, opts).map(Some),
        None => Ok(None),
    }
}

/// All equilibria (fixed points of a map) that damped Newton finds from
/// `opts.starts` starts spread over the box `bounds` (one (low, high) pair
/// per state variable), keeping those inside the box, without duplicates,
/// sorted by their first coordinate.
pub fn find_equilibria(
    model: &dyn Model,
    params: &[f64],
    bounds: &[(f64, f64)],
    opts: &EquilibriumOptions,
) -> Result<Vec<Equilibrium>, AnalysisError> {
    let n = check_model(model, params, None)?;
    if bounds.len() != n {
        return Err(invalid(
            "bounds",
            bounds.len(),
            &format!("one (low, high) pair per state variable ({n})"),
        ));
    }
    if let Some((lo, hi)) = bounds
        .iter()
        .find(|(lo, hi)| !(lo.is_finite() && hi.is_finite() && hi >= lo))
    {
        return Err(invalid(
            "bounds",
            format!("({lo}, {hi})"),
            "finite pairs with low <= high",
        ));
    }
    if opts.starts == 0 {
        return Err(invalid("starts", 0, "at least 1 Newton start"));
    }
    let inside = |y: &[f64]| {
        y.iter().zip(bounds).all(|(v, (lo, hi))| {
            let slack = 1e-9 * (hi - lo).abs().max(1.0);
            *v >= lo - slack && *v <= hi + slack
        })
    };
    let mut found: Vec<Vec<f64>> = Vec::new();
    for k in 0..opts.starts {
        let u = halton(k, n);
        let guess: Vec<f64> = u
            .iter()
            .zip(bounds)
            .map(|(ui, (lo, hi))| lo + ui * (hi - lo))
            .collect();
        let Some(y) = newton(model, params, &guess, opts) else {
            continue;
        };
        if !inside(&y) {
            continue;
        }
        let duplicate = found.iter().any(|f| {
            f.iter()
                .zip(&y)
                .all(|(a, b)| (a - b).abs() <= opts.duplicate_tolerance * (1.0 + a.abs()))
        });
        if !duplicate {
            found.push(y);
        }
    }
    found.sort_by(|a, b| {
        a.iter()
            .zip(b)
            .map(|(x, y)| x.total_cmp(y))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    found
        .into_iter()
        .map(|y| describe(model, params, y, opts))
        .collect()
}
