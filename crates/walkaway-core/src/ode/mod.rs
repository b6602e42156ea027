//! Integrators for fixed-size systems: an adaptive Dormand–Prince 5(4) pair
//! with dense output and event location, and fixed-step stochastic schemes.
//!
//! A model describes itself through [`HybridSystem`]: a right-hand side, an
//! optional diagonal noise, continuous events (roots of event functions, with
//! a direction) and scheduled time events that the stepper lands on exactly.
//! Drivers ([`integrate_ode`], [`integrate_sde`]) call an observer with the
//! output samples and the events, so no step allocates.

mod dopri5;
pub(crate) mod powers;
pub mod sde;
pub(crate) mod tableau;

pub use dopri5::Dopri5;
pub use sde::{SdeScheme, integrate_sde};

use crate::error::SolverError;

/// A right-hand side dy/dt = f(t, y).
pub trait OdeRhs<const N: usize> {
    fn rhs(&self, t: f64, y: &[f64; N], dydt: &mut [f64; N]);
}

impl<const N: usize, F> OdeRhs<N> for F
where
    F: Fn(f64, &[f64; N], &mut [f64; N]),
{
    fn rhs(&self, t: f64, y: &[f64; N], dydt: &mut [f64; N]) {
        self(t, y, dydt)
    }
}

/// Which sign change of an event function counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From negative to non-negative.
    Rising,
    /// From positive to non-positive.
    Falling,
    Either,
}

/// What the driver does after an event or a scheduled stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Continue,
    /// A terminal event: the run ends here.
    Stop,
}

/// A system with continuous dynamics, optional diagonal noise, state events
/// and scheduled time events. Only `state_names` and `rhs` are required.
pub trait HybridSystem<const N: usize> {
    /// Names used in error messages and outputs.
    fn state_names(&self) -> &[&'static str];
    fn rhs(&self, t: f64, y: &[f64; N], dydt: &mut [f64; N]);
    /// Diagonal noise amplitudes g_i(t, y) for dX_i = f_i dt + g_i dW_i.
    fn diffusion(&self, _t: f64, _y: &[f64; N], g: &mut [f64; N]) {
        *g = [0.0; N];
    }
    /// ∂g_i/∂y_i, used by the Milstein scheme.
    fn diffusion_derivative(&self, _t: f64, _y: &[f64; N], dg: &mut [f64; N]) {
        *dg = [0.0; N];
    }
    fn event_count(&self) -> usize {
        0
    }
    fn event_value(&self, _index: usize, _t: f64, _y: &[f64; N]) -> f64 {
        1.0
    }
    fn event_direction(&self, _index: usize) -> Direction {
        Direction::Either
    }
    /// `Some((c, level))` if event function `index` is now exactly
    /// `y[c] − level` (the same number `event_value` gives): its root is then
    /// located on the interpolant of component `c` alone.
    fn event_threshold(&self, _index: usize) -> Option<(usize, f64)> {
        None
    }
    /// Whether event `index` is off until the system next changes (at an
    /// event or a stop): its function then stays where it is, so it cannot
    /// cross, and the driver skips it inside steps instead of interpolating
    /// for it. `false` (the default): always checked.
    fn event_is_off(&self, _index: usize) -> bool {
        false
    }
    /// The state components the event functions read, if they read only a
    /// few: the driver then interpolates just those between steps (the
    /// others hold stale values). `None` (the default): all of them.
    fn event_components(&self) -> Option<&[usize]> {
        None
    }
    /// The state components the observer reads at output times, if it
    /// reads only some: outputs between step ends then interpolate just
    /// those (the others hold the values at the end of the step; the ones
    /// read are the same numbers as with all interpolated). `None` (the
    /// default): all of them.
    fn output_components(&self) -> Option<&[usize]> {
        None
    }
    fn on_event(&mut self, _index: usize, _t: f64, _y: &mut [f64; N]) -> Control {
        Control::Continue
    }
    /// The first scheduled time strictly after `t`, if any.
    fn next_stop(&self, _t: f64) -> Option<f64> {
        None
    }
    fn on_stop(&mut self, _t: f64, _y: &mut [f64; N]) -> Control {
        Control::Continue
    }
}

/// What the drivers report while they run.
#[derive(Debug, Clone, Copy)]
pub enum Record<'a, const N: usize> {
    /// A requested output time.
    Output { t: f64, y: &'a [f64; N] },
    /// A continuous event; `y` is the state after the system reacted.
    Event {
        index: usize,
        t: f64,
        y: &'a [f64; N],
    },
    /// A scheduled stop; `y` is the state after the system reacted, `step`
    /// the size of the next step the solver will try (what a run resumed
    /// from here needs to retrace the same steps).
    Stop { t: f64, y: &'a [f64; N], step: f64 },
}

/// Tolerances and limits of the adaptive solver.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OdeOptions {
    pub rtol: f64,
    pub atol: f64,
    /// Initial step; 0 lets the solver choose.
    pub h0: f64,
    pub h_max: f64,
    pub max_steps: u64,
    /// Any |y_i| above this stops the run with [`SolverError::BlowUp`];
    /// infinity disables the check.
    pub blow_up: f64,
}

impl Default for OdeOptions {
    fn default() -> Self {
        Self {
            rtol: 1e-6,
            atol: 1e-9,
            h0: 0.0,
            h_max: f64::INFINITY,
            max_steps: 1_000_000,
            blow_up: 1e12,
        }
    }
}

impl OdeOptions {
    pub fn with_tolerances(rtol: f64, atol: f64) -> Self {
        Self {
            rtol,
            atol,
            ..Self::default()
        }
    }

    pub fn validate(&self) -> Result<(), SolverError> {
        if !(self.rtol > 0.0 && self.rtol < 1.0) {
            return Err(SolverError::InvalidOption {
                field: "rtol",
                value: self.rtol.to_string(),
                allowed: "a number with 0 < rtol < 1",
            });
        }
        if !(self.rtol >= 1e-14) {
            return Err(SolverError::InvalidOption {
                field: "rtol",
                value: self.rtol.to_string(),
                allowed: "at least 1e-14 (tighter is below double precision)",
            });
        }
        if !(self.atol > 0.0 && self.atol.is_finite()) {
            return Err(SolverError::InvalidOption {
                field: "atol",
                value: self.atol.to_string(),
                allowed: "a positive finite number",
            });
        }
        if !(self.h0 >= 0.0 && self.h0.is_finite()) {
            return Err(SolverError::InvalidOption {
                field: "h0",
                value: self.h0.to_string(),
                allowed: "0 (automatic) or a positive finite step",
            });
        }
        if !(self.h_max > 0.0) {
            return Err(SolverError::InvalidOption {
                field: "h_max",
                value: self.h_max.to_string(),
                allowed: "a positive step (or infinity)",
            });
        }
        if self.max_steps == 0 {
            return Err(SolverError::InvalidOption {
                field: "max_steps",
                value: "0".into(),
                allowed: "at least 1",
            });
        }
        Ok(())
    }

    fn blow_up_limit(&self) -> Option<f64> {
        self.blow_up.is_finite().then_some(self.blow_up)
    }
}

/// Work done by a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SolverStats {
    pub steps: u64,
    pub rejected: u64,
    pub rhs_calls: u64,
}

/// Where a run ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunEnd<const N: usize> {
    pub t: f64,
    pub y: [f64; N],
    pub stats: SolverStats,
    /// True when a terminal event or stop ended the run before `t_end`.
    pub stopped_early: bool,
}

/// Output sampling: every `dt` from `t0` (and always `t_end`), or none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Outputs {
    Every(f64),
    /// Only the final state.
    EndOnly,
}

/// Successive output times; exact multiples of `dt` so no drift accumulates.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OutputClock {
    t0: f64,
    t_end: f64,
    dt: f64,
    k: u64,
    done: bool,
}

impl OutputClock {
    pub(crate) fn new(t0: f64, t_end: f64, outputs: Outputs) -> Self {
        match outputs {
            Outputs::Every(dt) => Self {
                t0,
                t_end,
                dt,
                k: 0,
                done: false,
            },
            Outputs::EndOnly => Self {
                t0,
                t_end,
                dt: f64::INFINITY,
                k: 1,
                done: false,
            },
        }
    }

    pub(crate) fn peek(&self) -> Option<f64> {
        if self.done {
            return None;
        }
        if !self.dt.is_finite() {
            return Some(self.t_end);
        }
        let t = self.t0 + self.k as f64 * self.dt;
        // Within a rounding error of the end counts as the end.
        if t >= self.t_end - 1e-9 * self.dt {
            Some(self.t_end)
        } else {
            Some(t)
        }
    }

    pub(crate) fn advance(&mut self) {
        if self.peek() == Some(self.t_end) {
            self.done = true;
        } else {
            self.k += 1;
        }
    }
}

pub(crate) fn check_finite<const N: usize>(
    t: f64,
    y: &[f64; N],
    context: Option<&[f64; N]>,
) -> Result<(), SolverError> {
    for (i, v) in y.iter().enumerate() {
        if !v.is_finite() {
            return Err(SolverError::NonFinite {
                t,
                variable: format!("state[{i}]"),
                value: *v,
                state: context.unwrap_or(y).to_vec(),
            });
        }
    }
    Ok(())
}

/// Root-mean-square error norm scaled by the mixed tolerance (Hairer's norm).
pub(crate) fn error_norm<const N: usize>(
    err: &[f64; N],
    y0: &[f64; N],
    y1: &[f64; N],
    rtol: f64,
    atol: f64,
) -> f64 {
    if N == 0 {
        return 0.0;
    }
    let mut sum = 0.0;
    for i in 0..N {
        let sk = atol + rtol * y0[i].abs().max(y1[i].abs());
        let r = err[i] / sk;
        sum += r * r;
    }
    (sum / N as f64).sqrt()
}

/// Replaces `state[i]` in an error by the model's own variable name.
pub(crate) fn name_variables(err: SolverError, names: &[&'static str]) -> SolverError {
    let rename = |v: String| -> String {
        v.strip_prefix("state[")
            .and_then(|r| r.strip_suffix(']'))
            .and_then(|i| i.parse::<usize>().ok())
            .and_then(|i| names.get(i))
            .map(|n| (*n).to_string())
            .unwrap_or(v)
    };
    match err {
        SolverError::NonFinite {
            t,
            variable,
            value,
            state,
        } => SolverError::NonFinite {
            t,
            variable: rename(variable),
            value,
            state,
        },
        SolverError::BlowUp {
            t,
            variable,
            value,
            limit,
        } => SolverError::BlowUp {
            t,
            variable: rename(variable),
            value,
            limit,
        },
        other => other,
    }
}

struct RhsOf<'a, S>(&'a S);

impl<const N: usize, S: HybridSystem<N>> OdeRhs<N> for RhsOf<'_, S> {
    fn rhs(&self, t: f64, y: &[f64; N], dydt: &mut [f64; N]) {
        self.0.rhs(t, y, dydt)
    }
}

fn crosses(direction: Direction, before: f64, after: f64) -> bool {
    match direction {
        Direction::Rising => before < 0.0 && after >= 0.0,
        Direction::Falling => before > 0.0 && after <= 0.0,
        Direction::Either => (before < 0.0 && after >= 0.0) || (before > 0.0 && after <= 0.0),
    }
}

/// Finds the crossing of `g` in `(a, b]` with `g(a)` and `g(b)` on opposite
/// sides (Illinois regula falsi, with a bisection every eighth iteration).
/// Returns the bracket end on the far side of the root, so the event
/// function has already changed sign at the returned time.
pub(crate) fn locate_root(
    mut a: f64,
    mut ga: f64,
    mut b: f64,
    mut gb: f64,
    g: impl Fn(f64) -> f64,
) -> f64 {
    let tol = 4.0 * f64::EPSILON * a.abs().max(b.abs()).max(1.0);
    let mut side = 0i8;
    for iter in 0..200 {
        if (b - a).abs() <= tol || gb == 0.0 {
            break;
        }
        let mut c = if iter % 8 == 7 {
            0.5 * (a + b)
        } else {
            (a * gb - b * ga) / (gb - ga)
        };
        if !(c > a.min(b) && c < a.max(b)) {
            c = 0.5 * (a + b);
        }
        let gc = g(c);
        if gc == 0.0 {
            return c;
        }
        if (gc < 0.0) == (gb < 0.0) {
            // c replaces b; if a is kept a second time, halve its weight (Illinois).
            b = c;
            gb = gc;
            if side == 1 {
                ga *= 0.5;
            }
            side = 1;
        } else {
            a = c;
            ga = gc;
            if side == -1 {
                gb *= 0.5;
            }
            side = -1;
        }
    }
    b
}

/// Integrates a hybrid system with the Dormand–Prince pair from `t0` to
/// `t_end`, landing on every scheduled stop, locating events on the dense
/// output and sampling the outputs from it.
pub fn integrate_ode<const N: usize, S, O>(
    sys: &mut S,
    t0: f64,
    y0: [f64; N],
    t_end: f64,
    outputs: Outputs,
    opts: OdeOptions,
    observe: O,
) -> Result<RunEnd<N>, SolverError>
where
    S: HybridSystem<N>,
    O: FnMut(&S, Record<'_, N>),
{
    integrate_ode_resumed(sys, t0, y0, t_end, outputs, opts, 0.0, observe)
}

/// [`integrate_ode`] resuming a run that stopped at `t0` ([`Record::Stop`]):
/// the first step tried is `first_step`, the `step` of that record, so the
/// resumed run takes exactly the steps the original took after its stop
/// (0 chooses a first step as a fresh run does).
pub fn integrate_ode_resumed<const N: usize, S, O>(
    sys: &mut S,
    t0: f64,
    y0: [f64; N],
    t_end: f64,
    outputs: Outputs,
    opts: OdeOptions,
    first_step: f64,
    mut observe: O,
) -> Result<RunEnd<N>, SolverError>
where
    S: HybridSystem<N>,
    O: FnMut(&S, Record<'_, N>),
{
    let names: Vec<&'static str> = sys.state_names().to_vec();
    run_ode(sys, t0, y0, t_end, outputs, opts, first_step, &mut observe)
        .map_err(|e| name_variables(e, &names))
}

fn run_ode<const N: usize, S, O>(
    sys: &mut S,
    t0: f64,
    y0: [f64; N],
    t_end: f64,
    outputs: Outputs,
    opts: OdeOptions,
    first_step: f64,
    observe: &mut O,
) -> Result<RunEnd<N>, SolverError>
where
    S: HybridSystem<N>,
    O: FnMut(&S, Record<'_, N>),
{
    if !(t_end > t0) || !t0.is_finite() || !t_end.is_finite() {
        return Err(SolverError::InvalidOption {
            field: "t_end",
            value: t_end.to_string(),
            allowed: "a finite time after the start time",
        });
    }
    let mut clock = OutputClock::new(t0, t_end, outputs);
    let mut solver = Dopri5::new_with_step(&RhsOf(&*sys), t0, y0, t_end - t0, opts, first_step)?;
    if clock.peek() == Some(t0) {
        observe(sys, Record::Output { t: t0, y: &y0 });
        clock.advance();
    }
    let n_events = sys.event_count();
    // Event functions rarely number more than a handful; keep them inline.
    let mut g_prev = [0.0f64; MAX_EVENTS];
    let mut g_new = [0.0f64; MAX_EVENTS];
    assert!(
        n_events <= MAX_EVENTS,
        "at most {MAX_EVENTS} event functions"
    );
    for i in 0..n_events {
        g_prev[i] = sys.event_value(i, t0, &y0);
    }
    let mut t = t0;
    while t < t_end {
        let stop = sys
            .next_stop(t)
            .filter(|s| *s < t_end && *s > t)
            .unwrap_or(t_end);
        solver.step(&RhsOf(&*sys), stop)?;
        let (ta, tb) = (solver.t_prev(), solver.t);

        // Earliest event crossing in (ta, tb], checking the midpoint too so
        // that a pair of crossings inside one step is not missed.
        let mut first: Option<(usize, f64)> = None;
        if n_events > 0 {
            let components = sys
                .event_components()
                .filter(|list| list.len() <= MAX_EVENT_COMPONENTS);
            // The interpolation coefficients of the components the events
            // read, computed once per step: root finding evaluates them
            // many times.
            let mut coefficients = [[0.0; 5]; MAX_EVENT_COMPONENTS];
            let any_general =
                (0..n_events).any(|i| !sys.event_is_off(i) && sys.event_threshold(i).is_none());
            if let Some(list) = components.filter(|_| any_general) {
                for (slot, &c) in coefficients.iter_mut().zip(list) {
                    *slot = solver.dense_coefficients(c);
                }
            }
            // The dense state at `tt`, or only the components the events read.
            let dense_for_events = |tt: f64| match components {
                Some(list) => {
                    let mut y = solver.y;
                    for (r, &c) in coefficients.iter().zip(list) {
                        y[c] = solver.dense_with(r, tt);
                    }
                    y
                }
                None => solver.dense(tt),
            };
            let tm = 0.5 * (ta + tb);
            for i in 0..n_events {
                if sys.event_is_off(i) {
                    g_new[i] = sys.event_value(i, tb, &solver.y);
                    continue;
                }
                // Thresholds read one interpolant (the same numbers as the
                // event function of the interpolated state).
                let threshold = sys.event_threshold(i);
                let gm = match threshold {
                    Some((c, level)) => {
                        g_new[i] = solver.y[c] - level;
                        solver.dense_with(&solver.dense_coefficients(c), tm) - level
                    }
                    None => {
                        g_new[i] = sys.event_value(i, tb, &solver.y);
                        sys.event_value(i, tm, &dense_for_events(tm))
                    }
                };
                let dir = sys.event_direction(i);
                let (ga, gb, a, b) = if crosses(dir, g_prev[i], gm) {
                    (g_prev[i], gm, ta, tm)
                } else if crosses(dir, gm, g_new[i]) {
                    (gm, g_new[i], tm, tb)
                } else {
                    continue;
                };
                // A threshold on one component is located on that
                // component's interpolant alone (the same numbers as
                // `event_value` on the interpolated state, fewer operations).
                let root = match threshold {
                    Some((c, level)) => {
                        let r = solver.dense_coefficients(c);
                        locate_root(a, ga, b, gb, |tt| solver.dense_with(&r, tt) - level)
                    }
                    None => locate_root(a, ga, b, gb, |tt| {
                        sys.event_value(i, tt, &dense_for_events(tt))
                    }),
                };
                if first.is_none_or(|(_, tf)| root < tf) {
                    first = Some((i, root));
                }
            }
        }
        let t_hi = first.map_or(tb, |(_, r)| r);
        while let Some(to) = clock.peek() {
            if to > t_hi {
                break;
            }
            if to == tb {
                observe(
                    sys,
                    Record::Output {
                        t: to,
                        y: &solver.y,
                    },
                );
            } else {
                let y = match sys.output_components() {
                    Some(list) => {
                        let mut y = solver.y;
                        for &c in list {
                            y[c] = solver.dense_component(to, c);
                        }
                        y
                    }
                    None => solver.dense(to),
                };
                observe(sys, Record::Output { t: to, y: &y });
            }
            clock.advance();
        }
        if let Some((index, tr)) = first {
            let mut y = if tr == tb { solver.y } else { solver.dense(tr) };
            let control = sys.on_event(index, tr, &mut y);
            observe(
                sys,
                Record::Event {
                    index,
                    t: tr,
                    y: &y,
                },
            );
            if control == Control::Stop {
                return Ok(RunEnd {
                    t: tr,
                    y,
                    stats: solver.stats,
                    stopped_early: true,
                });
            }
            solver.restart(&RhsOf(&*sys), tr, y, t_end - tr)?;
            for i in 0..n_events {
                g_prev[i] = sys.event_value(i, tr, &y);
            }
            t = tr;
            continue;
        }
        t = tb;
        g_prev[..n_events].copy_from_slice(&g_new[..n_events]);
        if t == stop && stop < t_end {
            let mut y = solver.y;
            let control = sys.on_stop(t, &mut y);
            observe(
                sys,
                Record::Stop {
                    t,
                    y: &y,
                    step: solver.step_size(),
                },
            );
            if control == Control::Stop {
                return Ok(RunEnd {
                    t,
                    y,
                    stats: solver.stats,
                    stopped_early: true,
                });
            }
            solver.restart(&RhsOf(&*sys), t, y, t_end - t)?;
            for i in 0..n_events {
                g_prev[i] = sys.event_value(i, t, &y);
            }
        }
    }
    Ok(RunEnd {
        t,
        y: solver.y,
        stats: solver.stats,
        stopped_early: false,
    })
}

/// The most event functions one system may declare.
pub const MAX_EVENTS: usize = 8;

/// The most state components whose interpolants the event checks cache;
/// systems whose events read more are interpolated in full.
const MAX_EVENT_COMPONENTS: usize = 4;

#[cfg(test)]
mod tests;
