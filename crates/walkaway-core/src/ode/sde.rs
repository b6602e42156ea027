//! Fixed-step schemes for Itô SDEs with diagonal noise,
//! dX_i = f_i(t, X) dt + g_i(t, X) dW_i:
//! Euler–Maruyama (strong order 1/2, weak order 1) and Milstein (strong
//! order 1 for diagonal noise; Kloeden & Platen 1992, §10.3).
//!
//! Steps lie on the grid t0 + k·dt; a scheduled stop inside a step splits it
//! so the stop is hit exactly. Events are checked at step ends and located by
//! linear interpolation, which is first-order accurate like the schemes.

use super::{
    Control, HybridSystem, MAX_EVENTS, OutputClock, Outputs, Record, RunEnd, SolverStats,
    check_finite, crosses, name_variables,
};
use crate::error::SolverError;
use crate::rng::Stream;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SdeScheme {
    EulerMaruyama,
    Milstein,
}

/// One step of the chosen scheme from (t, y) over h with increments dw.
pub fn sde_step<const N: usize, S: HybridSystem<N> + ?Sized>(
    sys: &S,
    scheme: SdeScheme,
    t: f64,
    y: &[f64; N],
    h: f64,
    dw: &[f64; N],
) -> [f64; N] {
    let mut f = [0.0; N];
    let mut g = [0.0; N];
    sys.rhs(t, y, &mut f);
    sys.diffusion(t, y, &mut g);
    let mut out = [0.0; N];
    for i in 0..N {
        out[i] = y[i] + f[i] * h + g[i] * dw[i];
    }
    if scheme == SdeScheme::Milstein {
        let mut dg = [0.0; N];
        sys.diffusion_derivative(t, y, &mut dg);
        for i in 0..N {
            out[i] += 0.5 * g[i] * dg[i] * (dw[i] * dw[i] - h);
        }
    }
    out
}

/// Integrates a hybrid system with a fixed-step stochastic scheme.
pub fn integrate_sde<const N: usize, S, O>(
    sys: &mut S,
    t0: f64,
    y0: [f64; N],
    t_end: f64,
    dt: f64,
    scheme: SdeScheme,
    outputs: Outputs,
    noise: &mut Stream,
    mut observe: O,
) -> Result<RunEnd<N>, SolverError>
where
    S: HybridSystem<N>,
    O: FnMut(&S, Record<'_, N>),
{
    let names: Vec<&'static str> = sys.state_names().to_vec();
    run_sde(sys, t0, y0, t_end, dt, scheme, outputs, noise, &mut observe)
        .map_err(|e| name_variables(e, &names))
}

fn run_sde<const N: usize, S, O>(
    sys: &mut S,
    t0: f64,
    y0: [f64; N],
    t_end: f64,
    dt: f64,
    scheme: SdeScheme,
    outputs: Outputs,
    noise: &mut Stream,
    observe: &mut O,
) -> Result<RunEnd<N>, SolverError>
where
    S: HybridSystem<N>,
    O: FnMut(&S, Record<'_, N>),
{
    if !(dt > 0.0 && dt.is_finite()) {
        return Err(SolverError::InvalidOption {
            field: "dt",
            value: dt.to_string(),
            allowed: "a positive finite step for the stochastic schemes",
        });
    }
    if !(t_end > t0) || !t_end.is_finite() || !t0.is_finite() {
        return Err(SolverError::InvalidOption {
            field: "t_end",
            value: t_end.to_string(),
            allowed: "a finite time after the start time",
        });
    }
    check_finite(t0, &y0, None)?;
    let mut stats = SolverStats::default();
    let mut clock = OutputClock::new(t0, t_end, outputs);
    if clock.peek() == Some(t0) {
        observe(sys, Record::Output { t: t0, y: &y0 });
        clock.advance();
    }
    let n_events = sys.event_count();
    assert!(
        n_events <= MAX_EVENTS,
        "at most {MAX_EVENTS} event functions"
    );
    let mut g_prev = [0.0f64; MAX_EVENTS];
    for i in 0..n_events {
        g_prev[i] = sys.event_value(i, t0, &y0);
    }
    let max_steps = ((t_end - t0) / dt).ceil() as u64 * 4 + 1000;
    let mut t = t0;
    let mut y = y0;
    let mut k: u64 = 0;
    let mut dw = [0.0; N];
    while t < t_end {
        let grid_next = (t0 + (k + 1) as f64 * dt).min(t_end);
        if grid_next <= t {
            k += 1;
            continue;
        }
        let stop = sys
            .next_stop(t)
            .filter(|s| *s > t && *s <= grid_next && *s < t_end);
        let t_next = stop.unwrap_or(grid_next);
        let h = t_next - t;
        let sq = h.sqrt();
        for w in dw.iter_mut() {
            *w = sq * noise.normal();
        }
        let y_next = sde_step(&*sys, scheme, t, &y, h, &dw);
        stats.steps += 1;
        stats.rhs_calls += 1;
        if stats.steps > max_steps {
            return Err(SolverError::TooManySteps {
                max_steps,
                t,
                t_end,
            });
        }
        check_finite(t_next, &y_next, Some(&y))?;
        for i in 0..N {
            if y_next[i].abs() > 1e12 {
                return Err(SolverError::BlowUp {
                    t: t_next,
                    variable: format!("state[{i}]"),
                    value: y_next[i].abs(),
                    limit: 1e12,
                });
            }
        }
        let lerp = |s: f64| -> [f64; N] {
            let w = (s - t) / h;
            let mut out = [0.0; N];
            for i in 0..N {
                out[i] = y[i] + w * (y_next[i] - y[i]);
            }
            out
        };
        // Earliest event by linear interpolation of the event functions.
        let mut first: Option<(usize, f64)> = None;
        let mut g_new = [0.0f64; MAX_EVENTS];
        for i in 0..n_events {
            g_new[i] = sys.event_value(i, t_next, &y_next);
            if crosses(sys.event_direction(i), g_prev[i], g_new[i]) {
                let w = g_prev[i] / (g_prev[i] - g_new[i]);
                let tr = (t + w * h).clamp(t, t_next);
                if first.is_none_or(|(_, tf)| tr < tf) {
                    first = Some((i, tr));
                }
            }
        }
        let t_hi = first.map_or(t_next, |(_, r)| r);
        while let Some(to) = clock.peek() {
            if to > t_hi {
                break;
            }
            let yo = if to == t_next { y_next } else { lerp(to) };
            observe(sys, Record::Output { t: to, y: &yo });
            clock.advance();
        }
        if let Some((index, tr)) = first {
            let mut ye = if tr == t_next { y_next } else { lerp(tr) };
            let control = sys.on_event(index, tr, &mut ye);
            observe(
                sys,
                Record::Event {
                    index,
                    t: tr,
                    y: &ye,
                },
            );
            if control == Control::Stop {
                return Ok(RunEnd {
                    t: tr,
                    y: ye,
                    stats,
                    stopped_early: true,
                });
            }
            t = tr;
            y = ye;
            for i in 0..n_events {
                g_prev[i] = sys.event_value(i, t, &y);
            }
            continue;
        }
        t = t_next;
        y = y_next;
        g_prev[..n_events].copy_from_slice(&g_new[..n_events]);
        if t == grid_next {
            k += 1;
        }
        if stop == Some(t) {
            let control = sys.on_stop(t, &mut y);
            observe(sys, Record::Stop { t, y: &y, step: dt });
            if control == Control::Stop {
                return Ok(RunEnd {
                    t,
                    y,
                    stats,
                    stopped_early: true,
                });
            }
            for i in 0..n_events {
                g_prev[i] = sys.event_value(i, t, &y);
            }
        }
    }
    Ok(RunEnd {
        t,
        y,
        stats,
        stopped_early: false,
    })
}
