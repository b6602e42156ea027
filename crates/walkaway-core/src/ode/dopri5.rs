//! Dormand–Prince 5(4) with a PI step-size controller and a fourth-order
//! continuous extension, on a fixed-size state that lives on the stack.
//!
//! The tableau and the dense-output weights are the published constants of
//! Dormand & Prince (1980) and Hairer, Nørsett & Wanner, *Solving ODEs I*
//! (2nd ed., §II.5 and §II.6); the controller follows Hairer & Wanner's PI
//! form (Gustafsson 1991). The implementation is our own.

use super::{OdeOptions, OdeRhs, SolverStats, check_finite, error_norm};
use crate::error::SolverError;

use super::powers::{controller_powers, initial_damping};
use super::tableau::*;

/// The stepper. `t` and `y` are the last accepted point; after a step the
/// dense output covers `[t_prev, t]`.
#[derive(Debug, Clone)]
pub struct Dopri5<const N: usize> {
    pub t: f64,
    pub y: [f64; N],
    /// f(t, y): first stage of the next step (first-same-as-last).
    f0: [f64; N],
    h: f64,
    /// err_old^β of the PI controller (err_old: the last accepted error,
    /// at least 1e-4).
    damping: f64,
    t_prev: f64,
    h_prev: f64,
    /// Start point of the last accepted step. With its stages (`k`) it
    /// defines the continuous extension, which is evaluated on demand:
    /// most steps need it for two components or none, so computing all of
    /// its coefficients at every step would be wasted work.
    y_prev: [f64; N],
    /// The step size the last accepted stages were computed with (may
    /// differ from `t - t_prev` in the last bit).
    h_stages: f64,
    /// Stages and end point of the last trial step (kept here so that no
    /// step copies them).
    k: [[f64; N]; 7],
    y1: [f64; N],
    opts: OdeOptions,
    pub stats: SolverStats,
}

impl<const N: usize> Dopri5<N> {
    /// Starts at `(t0, y0)`. The initial step is chosen by Hairer's
    /// algorithm unless `opts.h0` is set.
    pub fn new<F: OdeRhs<N> + ?Sized>(
        f: &F,
        t0: f64,
        y0: [f64; N],
        direction_span: f64,
        opts: OdeOptions,
    ) -> Result<Self, SolverError> {
        Self::new_with_step(f, t0, y0, direction_span, opts, 0.0)
    }

    /// Like [`Dopri5::new`] with `first_step` as the first step tried when
    /// it is positive (resuming a run; `opts.h0` still takes precedence).
    pub fn new_with_step<F: OdeRhs<N> + ?Sized>(
        f: &F,
        t0: f64,
        y0: [f64; N],
        direction_span: f64,
        opts: OdeOptions,
        first_step: f64,
    ) -> Result<Self, SolverError> {
        opts.validate()?;
        let mut s = Self {
            t: t0,
            y: y0,
            f0: [0.0; N],
            h: if first_step.is_finite() && first_step > 0.0 {
                first_step
            } else {
                0.0
            },
            damping: initial_damping(),
            t_prev: t0,
            h_prev: 0.0,
            y_prev: y0,
            h_stages: 0.0,
            k: [[0.0; N]; 7],
            y1: [0.0; N],
            opts,
            stats: SolverStats::default(),
        };
        s.restart(f, t0, y0, direction_span)?;
        Ok(s)
    }

    /// Restarts after a discontinuity (a scheduled change or an event that
    /// changed the state or the right-hand side). Keeps the step size as a
    /// hint but re-evaluates the first stage.
    pub fn restart<F: OdeRhs<N> + ?Sized>(
        &mut self,
        f: &F,
        t: f64,
        y: [f64; N],
        span: f64,
    ) -> Result<(), SolverError> {
        check_finite(t, &y, None)?;
        self.t = t;
        self.y = y;
        self.t_prev = t;
        self.h_prev = 0.0;
        f.rhs(t, &self.y, &mut self.f0);
        self.stats.rhs_calls += 1;
        check_finite(t, &self.f0, Some(&self.y))?;
        self.damping = initial_damping();
        if self.opts.h0 > 0.0 {
            self.h = self.opts.h0.min(self.opts.h_max);
        } else if self.h <= 0.0 {
            self.h = self.initial_step(f, span.abs().max(f64::MIN_POSITIVE));
        }
        Ok(())
    }

    fn initial_step<F: OdeRhs<N> + ?Sized>(&mut self, f: &F, span: f64) -> f64 {
        let (rtol, atol) = (self.opts.rtol, self.opts.atol);
        let mut dnf = 0.0;
        let mut dny = 0.0;
        for i in 0..N {
            let sk = atol + rtol * self.y[i].abs();
            dnf += (self.f0[i] / sk).powi(2);
            dny += (self.y[i] / sk).powi(2);
        }
        let n = N.max(1) as f64;
        let mut h = if dnf <= 1e-10 || dny <= 1e-10 {
            1e-6
        } else {
            (dny / dnf).sqrt() * 0.01
        };
        h = h.min(self.opts.h_max).min(span);
        let mut y1 = [0.0; N];
        for i in 0..N {
            y1[i] = self.y[i] + h * self.f0[i];
        }
        let mut f1 = [0.0; N];
        f.rhs(self.t + h, &y1, &mut f1);
        self.stats.rhs_calls += 1;
        let mut der2 = 0.0;
        for i in 0..N {
            let sk = atol + rtol * self.y[i].abs();
            der2 += ((f1[i] - self.f0[i]) / sk).powi(2);
        }
        let der2 = (der2 / n).sqrt() / h;
        let der12 = der2.max((dnf / n).sqrt());
        let h1 = if der12 <= 1e-15 {
            (h * 1e-3).max(1e-6)
        } else {
            (0.01 / der12).powf(0.2)
        };
        let h = (100.0 * h).min(h1).min(self.opts.h_max).min(span);
        if h.is_finite() && h > 0.0 {
            h
        } else {
            1e-6_f64.min(span)
        }
    }

    /// Current step-size proposal.
    pub fn step_size(&self) -> f64 {
        self.h
    }

    /// First stage f(t, y) at the current point.
    pub fn derivative(&self) -> &[f64; N] {
        &self.f0
    }

    /// Runs the seven stages of one trial step of size `h` ending at `t_new`,
    /// leaving them in `self.k` and the end point in `self.y1`; returns the
    /// error norm.
    fn trial<F: OdeRhs<N> + ?Sized>(&mut self, f: &F, h: f64, t_new: f64) -> f64 {
        let t = self.t;
        let y = &self.y;
        let k = &mut self.k;
        k[0] = self.f0;
        let mut ys = [0.0; N];
        for i in 0..N {
            ys[i] = y[i] + h * A21 * k[0][i];
        }
        f.rhs(t + C2 * h, &ys, &mut k[1]);
        for i in 0..N {
            ys[i] = y[i] + h * (A31 * k[0][i] + A32 * k[1][i]);
        }
        f.rhs(t + C3 * h, &ys, &mut k[2]);
        for i in 0..N {
            ys[i] = y[i] + h * (A41 * k[0][i] + A42 * k[1][i] + A43 * k[2][i]);
        }
        f.rhs(t + C4 * h, &ys, &mut k[3]);
        for i in 0..N {
            ys[i] = y[i] + h * (A51 * k[0][i] + A52 * k[1][i] + A53 * k[2][i] + A54 * k[3][i]);
        }
        f.rhs(t + C5 * h, &ys, &mut k[4]);
        for i in 0..N {
            ys[i] = y[i]
                + h * (A61 * k[0][i]
                    + A62 * k[1][i]
                    + A63 * k[2][i]
                    + A64 * k[3][i]
                    + A65 * k[4][i]);
        }
        f.rhs(t_new, &ys, &mut k[5]);
        let y1 = &mut self.y1;
        for i in 0..N {
            y1[i] = y[i]
                + h * (A71 * k[0][i]
                    + A73 * k[2][i]
                    + A74 * k[3][i]
                    + A75 * k[4][i]
                    + A76 * k[5][i]);
        }
        f.rhs(t_new, y1, &mut k[6]);
        let mut err_vec = [0.0; N];
        for i in 0..N {
            err_vec[i] = h
                * (E1 * k[0][i]
                    + E3 * k[2][i]
                    + E4 * k[3][i]
                    + E5 * k[4][i]
                    + E6 * k[5][i]
                    + E7 * k[6][i]);
        }
        error_norm(&err_vec, y, y1, self.opts.rtol, self.opts.atol)
    }

    /// Accepts the trial in `self.k` and `self.y1`.
    fn accept(&mut self, h: f64, t_new: f64) -> Result<(), SolverError> {
        self.y_prev = self.y;
        self.h_stages = h;
        let k = &self.k;
        self.t_prev = self.t;
        self.h_prev = t_new - self.t;
        self.t = t_new;
        self.y = self.y1;
        self.f0 = k[6];
        self.stats.steps += 1;
        self.stats.rhs_calls += 6;
        // One pass for the common case (every component finite and below
        // the blow-up limit); the detailed checks only when it fails.
        // (`f64::MAX` as the bound when the limit is infinite: infinities fail.)
        let limit = self.opts.blow_up.min(f64::MAX);
        if self.y.iter().all(|v| v.abs() <= limit) {
            return Ok(());
        }
        check_finite(self.t, &self.y, None)?;
        if let Some(limit) = self.opts.blow_up_limit() {
            for i in 0..N {
                if self.y[i].abs() > limit {
                    return Err(SolverError::BlowUp {
                        t: self.t,
                        variable: format!("state[{i}]"),
                        value: self.y[i].abs(),
                        limit,
                    });
                }
            }
        }
        Ok(())
    }

    /// Takes one step of exactly `h` without error control (for measuring
    /// the convergence order and for fixed-step use).
    pub fn step_fixed<F: OdeRhs<N> + ?Sized>(&mut self, f: &F, h: f64) -> Result<(), SolverError> {
        let t_new = self.t + h;
        self.trial(f, h, t_new);
        self.accept(h, t_new)
    }

    /// Takes one accepted step, never past `t_limit` (which must be ahead of
    /// `t`). Lands on `t_limit` exactly when it is within reach.
    pub fn step<F: OdeRhs<N> + ?Sized>(&mut self, f: &F, t_limit: f64) -> Result<(), SolverError> {
        let span = t_limit - self.t;
        let mut rejected_before = false;
        loop {
            if self.stats.steps + self.stats.rejected >= self.opts.max_steps {
                return Err(SolverError::TooManySteps {
                    max_steps: self.opts.max_steps,
                    t: self.t,
                    t_end: t_limit,
                });
            }
            let mut h = self.h.min(self.opts.h_max);
            // Stretch by up to 1 % to land on the limit instead of leaving a sliver.
            let lands = h * 1.01 >= span;
            if lands {
                h = span;
            }
            let h_min = 16.0 * f64::EPSILON * self.t.abs().max(1.0);
            if h < h_min {
                return Err(SolverError::StepSizeCollapsed {
                    t: self.t,
                    h,
                    state: self.y.to_vec(),
                });
            }
            let t_new = if lands { t_limit } else { self.t + h };
            let err = self.trial(f, h, t_new);
            if !err.is_finite() {
                // A non-finite trial: shrink hard and retry; fail if it persists.
                self.stats.rejected += 1;
                self.stats.rhs_calls += 6;
                self.h = h * FAC_MIN;
                if self.h < h_min {
                    check_finite(t_new, &self.y1, None)?;
                    check_finite(t_new, &self.k[6], Some(&self.y1))?;
                    return Err(SolverError::StepSizeCollapsed {
                        t: self.t,
                        h: self.h,
                        state: self.y.to_vec(),
                    });
                }
                rejected_before = true;
                continue;
            }
            let ([fac11], [next_damping]) = controller_powers(&[err]);
            if err <= 1.0 {
                // PI control: the previous error damps the change.
                let fac = (fac11 / self.damping / SAFETY).clamp(1.0 / FAC_MAX, 1.0 / FAC_MIN);
                let mut h_new = h / fac;
                if rejected_before {
                    h_new = h_new.min(h);
                }
                self.damping = next_damping;
                self.h = h_new;
                return self.accept(h, t_new);
            }
            self.stats.rejected += 1;
            self.stats.rhs_calls += 6;
            self.h = h / (fac11 / SAFETY).min(1.0 / FAC_MIN);
            rejected_before = true;
        }
    }

    /// Start of the last accepted step.
    pub fn t_prev(&self) -> f64 {
        self.t_prev
    }

    /// Coefficient set of the continuous extension for component `i` of the
    /// last accepted step (Hairer, Nørsett & Wanner's `rcont`); evaluate it
    /// with [`Dopri5::dense_with`]. Root finding computes it once per step
    /// and then evaluates only the polynomial.
    #[inline]
    pub fn dense_coefficients(&self, i: usize) -> [f64; 5] {
        let k = &self.k;
        let h = self.h_stages;
        let ydiff = self.y[i] - self.y_prev[i];
        let bspl = h * k[0][i] - ydiff;
        [
            self.y_prev[i],
            ydiff,
            bspl,
            ydiff - h * k[6][i] - bspl,
            h * (D1 * k[0][i]
                + D3 * k[2][i]
                + D4 * k[3][i]
                + D5 * k[4][i]
                + D6 * k[5][i]
                + D7 * k[6][i]),
        ]
    }

    /// Evaluates the continuous extension at `t` in `[t_prev, t]` of the last
    /// accepted step (fourth-order accurate).
    pub fn dense(&self, t: f64) -> [f64; N] {
        if self.h_prev == 0.0 {
            return self.y;
        }
        let mut out = [0.0; N];
        for (i, v) in out.iter_mut().enumerate() {
            *v = self.dense_component(t, i);
        }
        out
    }

    /// Dense output of one component.
    #[inline]
    pub fn dense_component(&self, t: f64, i: usize) -> f64 {
        if self.h_prev == 0.0 {
            return self.y[i];
        }
        self.dense_with(&self.dense_coefficients(i), t)
    }

    /// The continuous extension with coefficients `r` (of one component,
    /// from [`Dopri5::dense_coefficients`]) at `t`; only meaningful after a
    /// step (not right after a restart).
    #[inline]
    pub fn dense_with(&self, r: &[f64; 5], t: f64) -> f64 {
        let theta = (t - self.t_prev) / self.h_prev;
        let theta1 = 1.0 - theta;
        r[0] + theta * (r[1] + theta1 * (r[2] + theta * (r[3] + theta1 * r[4])))
    }
}
