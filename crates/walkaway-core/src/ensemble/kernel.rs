//! Lane-batched Dormand–Prince 5(4): `W` trajectories advance together, each
//! with its own time, step size, error and accept/reject decision. The seven
//! stages run the same arithmetic on all lanes (`[Lane<W>; N]` arrays, which
//! the compiler turns into SIMD code); only the step-size controller is
//! scalar per lane. A lane that reaches the end time is refilled at once
//! with the next trajectory of the batch, so no lane waits for another.
//!
//! Tableau, error norm (Hairer's RMS norm) and PI controller are those of
//! [`crate::ode::Dopri5`], operation for operation, so every lane follows the
//! scalar solver's accepted-step sequence and ends on the same bits (a test
//! checks this). The constants are repeated here rather than shared so that
//! the scalar solver stays free to change its internals; the same test
//! catches any drift.

use super::EnsembleError;
use super::systems::LaneSystem;
use crate::error::SolverError;
use crate::ode::powers::{controller_powers, initial_damping};
use crate::real::Lane;
use std::ops::Range;

use crate::ode::tableau::*;

/// Tolerances and limits of an ensemble run (start time 0).
#[derive(Debug, Clone, Copy)]
pub(crate) struct KernelOptions {
    pub t_end: f64,
    pub rtol: f64,
    pub atol: f64,
    pub max_steps: u64,
    pub blow_up: f64,
}

/// The work one trajectory took.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TrajectoryWork {
    pub steps: u64,
    pub rejected: u64,
    pub rhs_calls: u64,
}

/// Everything a lane carries between steps.
struct Lanes<const N: usize, const P: usize, const W: usize> {
    y: [Lane<W>; N],
    /// f(y) at the current point (first stage of the next step).
    f0: [Lane<W>; N],
    p: [Lane<W>; P],
    t: [f64; W],
    /// Proposed size of the next step.
    h: [f64; W],
    /// err_old^β, the PI controller's memory of the last accepted error;
    /// kept as the power so each step needs one logarithm, not two.
    damping: [f64; W],
    rejected_before: [bool; W],
    active: [bool; W],
    index: [u64; W],
    /// Accepted and rejected steps of each lane's current trajectory; the
    /// right-hand side ran 2 + 6·(steps + rejected) times.
    steps: [u64; W],
    rejected: [u64; W],
}

impl<const N: usize, const P: usize, const W: usize> Lanes<N, P, W> {
    /// All lanes idle but holding a valid (nominal) problem, so the stage
    /// arithmetic on idle lanes stays finite.
    fn idle<S: LaneSystem<N, P>>(sys: &S) -> Self {
        let p0 = sys.nominal_parameters();
        let y0 = sys.initial_state();
        Self {
            y: y0.map(Lane::from),
            f0: [Lane::from(0.0); N],
            p: p0.map(Lane::from),
            t: [0.0; W],
            h: [0.0; W],
            damping: [initial_damping(); W],
            rejected_before: [false; W],
            active: [false; W],
            index: [0; W],
            steps: [0; W],
            rejected: [0; W],
        }
    }

    /// Starts trajectory `index` in lane `l`: first stage and Hairer's
    /// initial step, exactly as `Dopri5::new` does.
    fn load<S: LaneSystem<N, P>>(
        &mut self,
        sys: &S,
        l: usize,
        index: u64,
        params: [f64; P],
        opts: &KernelOptions,
    ) -> Result<(), EnsembleError> {
        let y0 = sys.initial_state();
        let p1 = params.map(|v| Lane([v]));
        let mut prepared = sys.prepare::<1>(&p1);
        let mut f = |y: &[f64; N]| {
            let mut out = [Lane([0.0]); N];
            sys.rhs::<1>(&mut prepared, &p1, &y.map(|v| Lane([v])), &mut out);
            out.map(|Lane([v])| v)
        };
        let f0 = f(&y0);
        if let Some(i) = f0.iter().position(|v| !v.is_finite()) {
            return Err(EnsembleError::Trajectory {
                index,
                source: SolverError::NonFinite {
                    t: 0.0,
                    variable: sys.state_names()[i].to_string(),
                    value: f0[i],
                    state: y0.to_vec(),
                },
            });
        }
        let h0 = initial_step(&mut f, &y0, &f0, opts);
        for i in 0..N {
            self.y[i][l] = y0[i];
            self.f0[i][l] = f0[i];
        }
        for j in 0..P {
            self.p[j][l] = params[j];
        }
        self.t[l] = 0.0;
        self.h[l] = h0;
        self.damping[l] = initial_damping();
        self.rejected_before[l] = false;
        self.active[l] = true;
        self.index[l] = index;
        self.steps[l] = 0;
        self.rejected[l] = 0;
        Ok(())
    }
}

/// Hairer's starting-step heuristic (HNW I, §II.4), as in `Dopri5`.
fn initial_step<const N: usize>(
    f: &mut impl FnMut(&[f64; N]) -> [f64; N],
    y: &[f64; N],
    f0: &[f64; N],
    opts: &KernelOptions,
) -> f64 {
    let (rtol, atol) = (opts.rtol, opts.atol);
    let span = opts.t_end.abs().max(f64::MIN_POSITIVE);
    let mut dnf = 0.0;
    let mut dny = 0.0;
    for i in 0..N {
        let sk = atol + rtol * y[i].abs();
        dnf += (f0[i] / sk).powi(2);
        dny += (y[i] / sk).powi(2);
    }
    let n = N.max(1) as f64;
    let mut h = if dnf <= 1e-10 || dny <= 1e-10 {
        1e-6
    } else {
        (dny / dnf).sqrt() * 0.01
    };
    h = h.min(f64::INFINITY).min(span);
    let mut y1 = [0.0; N];
    for i in 0..N {
        y1[i] = y[i] + h * f0[i];
    }
    let f1 = f(&y1);
    let mut der2 = 0.0;
    for i in 0..N {
        let sk = atol + rtol * y[i].abs();
        der2 += ((f1[i] - f0[i]) / sk).powi(2);
    }
    let der2 = (der2 / n).sqrt() / h;
    let der12 = der2.max((dnf / n).sqrt());
    let h1 = if der12 <= 1e-15 {
        (h * 1e-3).max(1e-6)
    } else {
        (0.01 / der12).powf(0.2)
    };
    let h = (100.0 * h).min(h1).min(f64::INFINITY).min(span);
    if h.is_finite() && h > 0.0 {
        h
    } else {
        1e-6_f64.min(span)
    }
}

/// Integrates trajectories `indices` from t = 0 to `opts.t_end` with `W`
/// lanes. `parameters(k)` gives trajectory k's parameters; `finished` gets
/// each trajectory's index, final state and work, in completion order.
///
/// The controller's powers are computed for all lanes at once
/// ([`crate::ode::powers`]) by the same arithmetic as the scalar
/// [`crate::ode::Dopri5`], so every lane reproduces it to the bit.
///
/// Always inlined, so that each caller compiles it for its own instruction
/// set (`dispatch.rs`).
#[inline(always)]
pub(crate) fn integrate_batch<const N: usize, const P: usize, const W: usize, S>(
    sys: &S,
    indices: Range<u64>,
    mut parameters: impl FnMut(u64) -> [f64; P],
    opts: &KernelOptions,
    mut finished: impl FnMut(u64, &[f64; N], TrajectoryWork),
) -> Result<(), EnsembleError>
where
    S: LaneSystem<N, P>,
{
    let names = sys.state_names();
    let t_end = opts.t_end;
    let mut lanes = Lanes::<N, P, W>::idle(sys);
    let mut next = indices.start;
    for l in 0..W {
        if next < indices.end {
            lanes.load(sys, l, next, parameters(next), opts)?;
            next += 1;
        }
    }
    // Made once for the batch, brought up to date when lanes are refilled.
    let mut prepared = sys.prepare::<W>(&lanes.p);
    let mut k = [[Lane::<W>::from(0.0); N]; 7];
    let mut ys = [Lane::<W>::from(0.0); N];
    let mut y1 = [Lane::<W>::from(0.0); N];
    let mut h = [0.0f64; W];
    let mut h_min = [0.0f64; W];
    let mut t_new = [0.0f64; W];
    let mut lands = [false; W];
    let mut err = [0.0f64; W];
    while lanes.active.iter().any(|&a| a) {
        // Per-lane step: never past the end, stretched by up to 1 % to land on it.
        let mut too_small = false;
        let mut too_many = false;
        for l in 0..W {
            let span = t_end - lanes.t[l];
            let proposal = lanes.h[l];
            lands[l] = proposal * 1.01 >= span;
            let hl = if lands[l] { span } else { proposal };
            h_min[l] = 16.0 * f64::EPSILON * lanes.t[l].abs().max(1.0);
            too_small |= lanes.active[l] & (hl < h_min[l]);
            too_many |= lanes.active[l] & (lanes.steps[l] + lanes.rejected[l] >= opts.max_steps);
            h[l] = if lanes.active[l] { hl } else { 0.0 };
            t_new[l] = if lands[l] { t_end } else { lanes.t[l] + hl };
        }
        if too_small || too_many {
            for l in (0..W).filter(|&l| lanes.active[l]) {
                if lanes.steps[l] + lanes.rejected[l] >= opts.max_steps {
                    return Err(EnsembleError::Trajectory {
                        index: lanes.index[l],
                        source: SolverError::TooManySteps {
                            max_steps: opts.max_steps,
                            t: lanes.t[l],
                            t_end,
                        },
                    });
                }
                if h[l] < h_min[l] {
                    return Err(collapsed(&lanes, l, h[l]));
                }
            }
        }

        // The seven stages, on all lanes at once.
        let y = &lanes.y;
        let p = &lanes.p;
        k[0] = lanes.f0;
        for i in 0..N {
            for w in 0..W {
                ys[i][w] = y[i][w] + h[w] * A21 * k[0][i][w];
            }
        }
        sys.rhs(&mut prepared, p, &ys, &mut k[1]);
        for i in 0..N {
            for w in 0..W {
                ys[i][w] = y[i][w] + h[w] * (A31 * k[0][i][w] + A32 * k[1][i][w]);
            }
        }
        sys.rhs(&mut prepared, p, &ys, &mut k[2]);
        for i in 0..N {
            for w in 0..W {
                ys[i][w] =
                    y[i][w] + h[w] * (A41 * k[0][i][w] + A42 * k[1][i][w] + A43 * k[2][i][w]);
            }
        }
        sys.rhs(&mut prepared, p, &ys, &mut k[3]);
        for i in 0..N {
            for w in 0..W {
                ys[i][w] = y[i][w]
                    + h[w]
                        * (A51 * k[0][i][w]
                            + A52 * k[1][i][w]
                            + A53 * k[2][i][w]
                            + A54 * k[3][i][w]);
            }
        }
        sys.rhs(&mut prepared, p, &ys, &mut k[4]);
        for i in 0..N {
            for w in 0..W {
                ys[i][w] = y[i][w]
                    + h[w]
                        * (A61 * k[0][i][w]
                            + A62 * k[1][i][w]
                            + A63 * k[2][i][w]
                            + A64 * k[3][i][w]
                            + A65 * k[4][i][w]);
            }
        }
        sys.rhs(&mut prepared, p, &ys, &mut k[5]);
        for i in 0..N {
            for w in 0..W {
                y1[i][w] = y[i][w]
                    + h[w]
                        * (A71 * k[0][i][w]
                            + A73 * k[2][i][w]
                            + A74 * k[3][i][w]
                            + A75 * k[4][i][w]
                            + A76 * k[5][i][w]);
            }
        }
        sys.rhs(&mut prepared, p, &y1, &mut k[6]);
        // Hairer's RMS error norm, lane by lane.
        let mut sum = [0.0f64; W];
        for i in 0..N {
            for w in 0..W {
                let e = h[w]
                    * (E1 * k[0][i][w]
                        + E3 * k[2][i][w]
                        + E4 * k[3][i][w]
                        + E5 * k[4][i][w]
                        + E6 * k[5][i][w]
                        + E7 * k[6][i][w]);
                let sk = opts.atol + opts.rtol * y[i][w].abs().max(y1[i][w].abs());
                let r = e / sk;
                sum[w] += r * r;
            }
        }
        for w in 0..W {
            err[w] = (sum[w] / N as f64).sqrt();
        }

        // The PI controller, on all lanes at once with selects instead of
        // branches; the rare cases (non-finite error, blow-up, a lane that
        // finished) are flagged and handled lane by lane below.
        // fac11 = err^(1/5 − 3β/4) now, and err_old^β for the next step.
        let (fac11, next_damping) = controller_powers(&err);
        let mut any_non_finite = false;
        let mut any_bad_state = false;
        let mut any_done = false;
        for w in 0..W {
            let active = lanes.active[w];
            let accept = active & (err[w] <= 1.0);
            let reject = active & (err[w] > 1.0);
            let fac = (fac11[w] / lanes.damping[w] / SAFETY).clamp(1.0 / FAC_MAX, 1.0 / FAC_MIN);
            let grown = h[w] / fac;
            let grown = if lanes.rejected_before[w] {
                grown.min(h[w])
            } else {
                grown
            };
            let shrunk = h[w] / (fac11[w] / SAFETY).min(1.0 / FAC_MIN);
            lanes.h[w] = if accept {
                grown
            } else if reject {
                shrunk
            } else {
                lanes.h[w]
            };
            lanes.damping[w] = if accept {
                next_damping[w]
            } else {
                lanes.damping[w]
            };
            lanes.rejected_before[w] = (lanes.rejected_before[w] | reject) & !accept;
            lanes.t[w] = if accept { t_new[w] } else { lanes.t[w] };
            lanes.steps[w] += u64::from(accept);
            lanes.rejected[w] += u64::from(reject);
            any_non_finite |= active & !err[w].is_finite();
            any_done |= accept & lands[w];
            for i in 0..N {
                any_bad_state |= accept & !(y1[i][w].abs() <= opts.blow_up);
            }
        }
        for i in 0..N {
            for w in 0..W {
                let accept = lanes.active[w] & (err[w] <= 1.0);
                lanes.y[i][w] = if accept { y1[i][w] } else { lanes.y[i][w] };
                lanes.f0[i][w] = if accept { k[6][i][w] } else { lanes.f0[i][w] };
            }
        }
        if any_non_finite {
            for l in 0..W {
                if !lanes.active[l] || err[l].is_finite() {
                    continue;
                }
                // A non-finite trial: shrink hard and retry; fail if it persists.
                lanes.rejected[l] += 1;
                lanes.h[l] = h[l] * FAC_MIN;
                if lanes.h[l] < h_min[l] {
                    return Err(non_finite_trial(&lanes, l, t_new[l], &y1, &k[6], names));
                }
                lanes.rejected_before[l] = true;
            }
        }
        if any_bad_state {
            for l in 0..W {
                if lanes.active[l] && err[l] <= 1.0 {
                    check_state(&lanes, l, names, opts)?;
                }
            }
        }
        if any_done {
            let mut refilled = false;
            for l in 0..W {
                if !(lanes.active[l] && err[l] <= 1.0 && lands[l]) {
                    continue;
                }
                let final_state: [f64; N] = std::array::from_fn(|i| lanes.y[i][l]);
                let work = TrajectoryWork {
                    steps: lanes.steps[l],
                    rejected: lanes.rejected[l],
                    rhs_calls: 2 + 6 * (lanes.steps[l] + lanes.rejected[l]),
                };
                finished(lanes.index[l], &final_state, work);
                if next < indices.end {
                    lanes.load(sys, l, next, parameters(next), opts)?;
                    next += 1;
                    refilled = true;
                } else {
                    lanes.active[l] = false;
                }
            }
            if refilled {
                sys.reload(&mut prepared, &lanes.p);
            }
        }
    }
    Ok(())
}

fn lane_state<const N: usize, const P: usize, const W: usize>(
    lanes: &Lanes<N, P, W>,
    l: usize,
) -> Vec<f64> {
    (0..N).map(|i| lanes.y[i][l]).collect()
}

fn collapsed<const N: usize, const P: usize, const W: usize>(
    lanes: &Lanes<N, P, W>,
    l: usize,
    h: f64,
) -> EnsembleError {
    EnsembleError::Trajectory {
        index: lanes.index[l],
        source: SolverError::StepSizeCollapsed {
            t: lanes.t[l],
            h,
            state: lane_state(lanes, l),
        },
    }
}

/// A trial stayed non-finite down to the smallest step: name the culprit.
fn non_finite_trial<const N: usize, const P: usize, const W: usize>(
    lanes: &Lanes<N, P, W>,
    l: usize,
    t: f64,
    y1: &[Lane<W>; N],
    f1: &[Lane<W>; N],
    names: [&'static str; N],
) -> EnsembleError {
    let trial: Vec<f64> = (0..N).map(|i| y1[i][l]).collect();
    for (values, state) in [(y1, &trial), (f1, &trial)] {
        if let Some(i) = (0..N).find(|&i| !values[i][l].is_finite()) {
            return EnsembleError::Trajectory {
                index: lanes.index[l],
                source: SolverError::NonFinite {
                    t,
                    variable: names[i].to_string(),
                    value: values[i][l],
                    state: state.clone(),
                },
            };
        }
    }
    collapsed(lanes, l, lanes.h[l])
}

/// After an accepted step: the state must be finite and below the blow-up limit.
fn check_state<const N: usize, const P: usize, const W: usize>(
    lanes: &Lanes<N, P, W>,
    l: usize,
    names: [&'static str; N],
    opts: &KernelOptions,
) -> Result<(), EnsembleError> {
    for i in 0..N {
        let v = lanes.y[i][l];
        if !v.is_finite() {
            return Err(EnsembleError::Trajectory {
                index: lanes.index[l],
                source: SolverError::NonFinite {
                    t: lanes.t[l],
                    variable: names[i].to_string(),
                    value: v,
                    state: lane_state(lanes, l),
                },
            });
        }
    }
    for i in 0..N {
        let v = lanes.y[i][l].abs();
        if v > opts.blow_up {
            return Err(EnsembleError::Trajectory {
                index: lanes.index[l],
                source: SolverError::BlowUp {
                    t: lanes.t[l],
                    variable: names[i].to_string(),
                    value: v,
                    limit: opts.blow_up,
                },
            });
        }
    }
    Ok(())
}
