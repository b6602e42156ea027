//! Equilibrium branches over one parameter by pseudo-arclength continuation,
//! with folds and Hopf points (and, for maps, period doublings and
//! Neimark–Sacker points) located on the branch.
//!
//! The unknowns are u = (y, p). A step predicts along the unit tangent τ of
//! the branch and corrects with Newton on H(y, p) = 0 plus the arclength
//! condition τ·(u − uₖ) = s, so the branch is followed around folds where
//! the parameter turns back.

use super::equilibria::{EquilibriumOptions, newton, residual, residual_jacobian};
use super::linalg::{Complex, Matrix, determinant, eigenvalues, solve};
use super::{AnalysisError, EquilibriumKind, check_model, classify, invalid, jacobian, norm};
use crate::model::{Model, TimeKind};

/// How to follow a branch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ContinuationOptions {
    /// Index of the parameter to vary; the branch starts at its value in
    /// the parameter vector.
    pub param: usize,
    /// The other end of the parameter range; the branch starts towards it
    /// and ends when the parameter leaves the range between start and bound.
    pub bound: f64,
    /// First arclength step, and its limits.
    pub step: f64,
    pub min_step: f64,
    pub max_step: f64,
    pub max_points: usize,
    pub tolerance: f64,
    /// Time at which the field is evaluated.
    pub t: f64,
}

impl Default for ContinuationOptions {
    fn default() -> Self {
        Self {
            param: 0,
            bound: 1.0,
            step: 0.01,
            min_step: 1e-7,
            max_step: 0.1,
            max_points: 2000,
            tolerance: 1e-10,
            t: 0.0,
        }
    }
}

/// One point of a branch.
#[derive(Debug, Clone, PartialEq)]
pub struct BranchPoint {
    pub param: f64,
    pub state: Vec<f64>,
    pub eigenvalues: Vec<Complex>,
    pub kind: EquilibriumKind,
}

/// A special point found between two branch points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecialKind {
    /// det J (flows) or det(J − I) (maps) changes sign: a fold (saddle-node)
    /// or, in symmetric systems, a branch point.
    Fold,
    /// A complex pair crosses the imaginary axis (flows).
    Hopf,
    /// A real eigenvalue crosses −1 (maps).
    PeriodDoubling,
    /// A complex pair crosses the unit circle (maps).
    NeimarkSacker,
}

impl SpecialKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Fold => "fold",
            Self::Hopf => "Hopf",
            Self::PeriodDoubling => "period doubling",
            Self::NeimarkSacker => "Neimark–Sacker",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SpecialPoint {
    pub kind: SpecialKind,
    pub param: f64,
    pub state: Vec<f64>,
}

/// Why the branch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BranchEnd {
    LeftRange,
    MaxPoints,
    /// The corrector failed even at the smallest step.
    StepTooSmall,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Branch {
    pub points: Vec<BranchPoint>,
    pub special: Vec<SpecialPoint>,
    pub end: BranchEnd,
}

struct Problem<'a> {
    model: &'a dyn Model,
    params: Vec<f64>,
    param: usize,
    t: f64,
    n: usize,
    tolerance: f64,
}

impl Problem<'_> {
    fn with_param(&self, p: f64) -> Vec<f64> {
        let mut q = self.params.clone();
        q[self.param] = p;
        q
    }

    fn h(&self, u: &[f64]) -> Vec<f64> {
        residual(
            self.model,
            &self.with_param(u[self.n]),
            self.t,
            &u[..self.n],
        )
    }

    /// The bordered Jacobian [[H_y, H_p], [τᵀ]].
    fn bordered(&self, u: &[f64], tangent: &[f64]) -> Matrix {
        let n = self.n;
        let q = self.with_param(u[n]);
        let jy = residual_jacobian(self.model, &q, self.t, &u[..n]);
        let p = u[n];
        let hp = f64::EPSILON.cbrt() * p.abs().max(1.0);
        let up = residual(self.model, &self.with_param(p + hp), self.t, &u[..n]);
        let down = residual(self.model, &self.with_param(p - hp), self.t, &u[..n]);
        let mut a = Matrix::zeros(n + 1, n + 1);
        for i in 0..n {
            for j in 0..n {
                a[(i, j)] = jy[(i, j)];
            }
            a[(i, n)] = (up[i] - down[i]) / (2.0 * hp);
        }
        for j in 0..=n {
            a[(n, j)] = tangent[j];
        }
        a
    }

    /// The unit tangent at u, oriented like `previous`.
    fn tangent(&self, u: &[f64], previous: &[f64]) -> Option<Vec<f64>> {
        let a = self.bordered(u, previous);
        let mut rhs = vec![0.0; self.n + 1];
        rhs[self.n] = 1.0;
        let z = solve(&a, &rhs)?;
        let len = norm(&z);
        Some(z.iter().map(|v| v / len).collect())
    }

    /// Newton on [H(u); τ·(u − anchor) − s] = 0 from anchor + s·τ.
    fn correct(&self, anchor: &[f64], tangent: &[f64], s: f64) -> Option<(Vec<f64>, usize)> {
        let n = self.n;
        let mut u: Vec<f64> = anchor.iter().zip(tangent).map(|(a, t)| a + s * t).collect();
        for iteration in 1..=12 {
            let mut g = self.h(&u);
            let arc: f64 = tangent
                .iter()
                .zip(u.iter().zip(anchor))
                .map(|(t, (x, a))| t * (x - a))
                .sum();
            g.push(arc - s);
            if g.iter().any(|v| !v.is_finite()) {
                return None;
            }
            let a = self.bordered(&u, tangent);
            let minus: Vec<f64> = g.iter().map(|v| -v).collect();
            let delta = solve(&a, &minus)?;
            for (x, d) in u.iter_mut().zip(&delta) {
                *x += d;
            }
            if norm(&delta) <= self.tolerance * (1.0 + norm(&u))
                && norm(&self.h(&u)[..n]) <= self.tolerance.sqrt()
            {
                return Some((u, iteration));
            }
        }
        None
    }

    fn point(&self, u: &[f64]) -> Result<BranchPoint, AnalysisError> {
        let q = self.with_param(u[self.n]);
        let jac = jacobian(self.model, &q, self.t, &u[..self.n]);
        let eigs = eigenvalues(&jac)?;
        let kind = classify(&eigs, self.model.info().time, 1e-6);
        Ok(BranchPoint {
            param: u[self.n],
            state: u[..self.n].to_vec(),
            eigenvalues: eigs,
            kind,
        })
    }

    /// The test function of `kind` at u; `None` where it is undefined (no
    /// complex pair for Hopf and Neimark–Sacker).
    fn test(&self, kind: SpecialKind, u: &[f64]) -> Option<f64> {
        let n = self.n;
        let q = self.with_param(u[n]);
        let mut jac = jacobian(self.model, &q, self.t, &u[..n]);
        let scale = jac.amax().max(1.0);
        let complex_pairs = |m: &Matrix| -> Option<Vec<Complex>> {
            let eigs = eigenvalues(m).ok()?;
            let pairs: Vec<Complex> = eigs
                .into_iter()
                .filter(|z| z.im.abs() > 1e-9 * scale)
                .collect();
            (!pairs.is_empty()).then_some(pairs)
        };
        match kind {
            SpecialKind::Fold => {
                if self.model.info().time == TimeKind::Discrete {
                    for i in 0..n {
                        jac[(i, i)] -= 1.0;
                    }
                }
                Some(determinant(&jac))
            }
            SpecialKind::PeriodDoubling => {
                for i in 0..n {
                    jac[(i, i)] += 1.0;
                }
                Some(determinant(&jac))
            }
            SpecialKind::Hopf => complex_pairs(&jac)
                .map(|pairs| pairs.iter().fold(f64::NEG_INFINITY, |m, z| m.max(z.re))),
            SpecialKind::NeimarkSacker => complex_pairs(&jac).map(|pairs| {
                pairs
                    .iter()
                    .fold(f64::NEG_INFINITY, |m, z| m.max(z.norm() - 1.0))
            }),
        }
    }

    /// Bisects the arclength in (0, s) for the sign change of a test function.
    fn locate(
        &self,
        kind: SpecialKind,
        anchor: &[f64],
        tangent: &[f64],
        s: f64,
        end: &[f64],
    ) -> SpecialPoint {
        let sign0 = self.test(kind, anchor).map(f64::signum);
        let (mut lo, mut hi) = (0.0, s);
        let mut best = end.to_vec();
        for _ in 0..40 {
            let mid = 0.5 * (lo + hi);
            let Some((u, _)) = self.correct(anchor, tangent, mid) else {
                break;
            };
            let Some(value) = self.test(kind, &u) else {
                break;
            };
            if value == 0.0 {
                best = u;
                break;
            }
            if Some(value.signum()) == sign0 {
                lo = mid;
            } else {
                hi = mid;
                best = u;
            }
        }
        SpecialPoint {
            kind,
            param: best[self.n],
            state: best[..self.n].to_vec(),
        }
    }
}

/// Follows the branch of equilibria (fixed points of a map) through
/// `state` from the parameter's current value towards `opts.bound`.
/// `state` need only be near an equilibrium; Newton corrects it first.
pub fn continue_equilibria(
    model: &dyn Model,
    params: &[f64],
    state: &[f64],
    opts: &ContinuationOptions,
) -> Result<Branch, AnalysisError> {
    let n = check_model(model, params, Some(state))?;
    let info = model.info();
    if opts.param >= info.params.len() {
        return Err(invalid(
            "param",
            opts.param,
            &format!("a parameter index below {}", info.params.len()),
        ));
    }
    let start = params[opts.param];
    if !opts.bound.is_finite() || opts.bound == start {
        return Err(invalid(
            "bound",
            opts.bound,
            "a finite parameter value other than the start",
        ));
    }
    if !(opts.min_step > 0.0 && opts.step >= opts.min_step && opts.max_step >= opts.step) {
        return Err(invalid(
            "step",
            opts.step,
            "0 < min_step <= step <= max_step",
        ));
    }
    let problem = Problem {
        model,
        params: params.to_vec(),
        param: opts.param,
        t: opts.t,
        n,
        tolerance: opts.tolerance,
    };
    let newton_opts = EquilibriumOptions {
        t: opts.t,
        tolerance: opts.tolerance,
        ..EquilibriumOptions::default()
    };
    let name = info.params[opts.param].name.to_string();
    let y0 = newton(model, params, state, &newton_opts).ok_or_else(|| {
        AnalysisError::ContinuationFailed {
            param: name.clone(),
            value: start,
            reason: "Newton found no equilibrium near the given state".into(),
        }
    })?;
    let mut u = y0;
    u.push(start);
    let direction = (opts.bound - start).signum();
    let mut seed = vec![0.0; n + 1];
    seed[n] = direction;
    let mut tangent =
        problem
            .tangent(&u, &seed)
            .ok_or_else(|| AnalysisError::ContinuationFailed {
                param: name.clone(),
                value: start,
                reason: "the start is singular (already at a fold?)".into(),
            })?;
    let (lo, hi) = if start < opts.bound {
        (start, opts.bound)
    } else {
        (opts.bound, start)
    };
    let slack = 1e-12 * (hi - lo);
    let kinds: &[SpecialKind] = match info.time {
        TimeKind::Continuous => &[SpecialKind::Fold, SpecialKind::Hopf],
        TimeKind::Discrete => &[
            SpecialKind::Fold,
            SpecialKind::PeriodDoubling,
            SpecialKind::NeimarkSacker,
        ],
    };
    let mut points = vec![problem.point(&u)?];
    let mut tests: Vec<Option<f64>> = kinds.iter().map(|k| problem.test(*k, &u)).collect();
    let mut special = Vec::new();
    let mut ds = opts.step;
    let end = loop {
        if points.len() >= opts.max_points {
            break BranchEnd::MaxPoints;
        }
        let Some((next, iterations)) = problem.correct(&u, &tangent, ds) else {
            ds *= 0.5;
            if ds < opts.min_step {
                break BranchEnd::StepTooSmall;
            }
            continue;
        };
        let p = next[n];
        if p < lo - slack || p > hi + slack {
            break BranchEnd::LeftRange;
        }
        let new_tests: Vec<Option<f64>> = kinds.iter().map(|k| problem.test(*k, &next)).collect();
        for (k, kind) in kinds.iter().enumerate() {
            if let (Some(a), Some(b)) = (tests[k], new_tests[k])
                && a * b < 0.0
            {
                special.push(problem.locate(*kind, &u, &tangent, ds, &next));
            }
        }
        let Some(next_tangent) = problem.tangent(&next, &tangent) else {
            break BranchEnd::StepTooSmall;
        };
        points.push(problem.point(&next)?);
        u = next;
        tangent = next_tangent;
        tests = new_tests;
        if iterations <= 3 {
            ds = (ds * 1.5).min(opts.max_step);
        }
    };
    Ok(Branch {
        points,
        special,
        end,
    })
}
