//! Long-run behaviour along trajectories: extrema and periodic orbits, the
//! largest Lyapunov exponent, and orbit diagrams over a parameter.

use super::{AnalysisError, Field, array, check_model, invalid, norm, with_dimension};
use crate::model::{Model, TimeKind};
use crate::ode::{Dopri5, OdeOptions, OdeRhs, locate_root};

/// A local maximum or minimum of one state variable.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Extremum {
    t: f64,
    variable: usize,
    value: f64,
    is_max: bool,
}

/// What one integration recorded.
struct Scan {
    extrema: Vec<Extremum>,
    /// Full state at each maximum of the chosen variable.
    states_at_maxima: Vec<Vec<f64>>,
    final_state: Vec<f64>,
}

fn check_times(start: f64, record_from: f64, end: f64) -> Result<(), AnalysisError> {
    if !(start.is_finite() && end.is_finite() && end > start) {
        return Err(invalid("horizon", end, "a finite time after the start"));
    }
    if !(record_from >= start && record_from < end) {
        return Err(invalid(
            "transient",
            record_from - start,
            "a non-negative time shorter than the horizon",
        ));
    }
    Ok(())
}

/// Integrates from (t0, y0) to t_end and records every extremum of every
/// variable from `record_from` on: roots of dyᵢ/dt = fᵢ(t, y(t)) on the dense
/// output, located to rounding level, maxima where fᵢ falls through zero.
fn scan<const N: usize>(
    model: &dyn Model,
    params: &[f64],
    y0: &[f64],
    t0: f64,
    record_from: f64,
    t_end: f64,
    variable: usize,
    opts: OdeOptions,
) -> Result<Scan, AnalysisError> {
    let field = Field { model, params };
    let mut solver = Dopri5::new(&field, t0, array::<N>(y0), t_end - t0, opts)?;
    let mut extrema = Vec::new();
    let mut states_at_maxima = Vec::new();
    let mut g_prev = *solver.derivative();
    while solver.t < t_end {
        solver.step(&field, t_end)?;
        let (ta, tb) = (solver.t_prev(), solver.t);
        let g_new = *solver.derivative();
        if tb >= record_from {
            let tm = 0.5 * (ta + tb);
            let ym = solver.dense(tm);
            let mut gm = [0.0; N];
            field.rhs(tm, &ym, &mut gm);
            for i in 0..N {
                let derivative = |s: f64| {
                    let y = solver.dense(s);
                    let mut d = [0.0; N];
                    field.rhs(s, &y, &mut d);
                    d[i]
                };
                for (a, ga, b, gb) in [(ta, g_prev[i], tm, gm[i]), (tm, gm[i], tb, g_new[i])] {
                    let is_max = ga > 0.0 && gb <= 0.0;
                    let is_min = ga < 0.0 && gb >= 0.0;
                    if !(is_max || is_min) {
                        continue;
                    }
                    let root = if gb == 0.0 {
                        b
                    } else {
                        locate_root(a, ga, b, gb, derivative)
                    };
                    if root < record_from {
                        continue;
                    }
                    let y = solver.dense(root);
                    extrema.push(Extremum {
                        t: root,
                        variable: i,
                        value: y[i],
                        is_max,
                    });
                    if is_max && i == variable {
                        states_at_maxima.push(y.to_vec());
                    }
                }
            }
        }
        g_prev = g_new;
    }
    extrema.sort_by(|a, b| a.t.total_cmp(&b.t));
    Ok(Scan {
        extrema,
        states_at_maxima,
        final_state: solver.y.to_vec(),
    })
}

fn run_scan(
    model: &dyn Model,
    params: &[f64],
    y0: &[f64],
    t0: f64,
    record_from: f64,
    t_end: f64,
    variable: usize,
    opts: OdeOptions,
) -> Result<Scan, AnalysisError> {
    let n = check_model(model, params, Some(y0))?;
    if model.info().time != TimeKind::Continuous {
        return Err(invalid(
            "model",
            model.info().id,
            "a continuous-time model (maps have no maxima between turns)",
        ));
    }
    if variable >= n {
        return Err(invalid(
            "variable",
            variable,
            &format!("a state index below {n}"),
        ));
    }
    check_times(t0, record_from, t_end)?;
    with_dimension!(
        n,
        scan(model, params, y0, t0, record_from, t_end, variable, opts)
    )
}

/// The local maxima (t, value) of state variable `variable` along the
/// trajectory from (0, y0), from time `record_from` to `t_end`.
pub fn maxima(
    model: &dyn Model,
    params: &[f64],
    y0: &[f64],
    variable: usize,
    record_from: f64,
    t_end: f64,
    opts: OdeOptions,
) -> Result<Vec<(f64, f64)>, AnalysisError> {
    let s = run_scan(model, params, y0, 0.0, record_from, t_end, variable, opts)?;
    Ok(s.extrema
        .iter()
        .filter(|e| e.is_max && e.variable == variable)
        .map(|e| (e.t, e.value))
        .collect())
}

/// How to look for a periodic orbit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CycleOptions {
    /// The state variable whose maxima mark the period.
    pub variable: usize,
    /// Time discarded before measuring.
    pub transient: f64,
    /// End of the run (from t = 0).
    pub horizon: f64,
    /// How many of the last periods must agree.
    pub periods: usize,
    /// Relative agreement required of those periods and of their amplitudes.
    pub tolerance: f64,
    pub rtol: f64,
    pub atol: f64,
}

impl Default for CycleOptions {
    fn default() -> Self {
        Self {
            variable: 0,
            transient: 100.0,
            horizon: 200.0,
            periods: 3,
            tolerance: 1e-3,
            rtol: 1e-9,
            atol: 1e-12,
        }
    }
}

/// A periodic orbit measured along a trajectory.
#[derive(Debug, Clone, PartialEq)]
pub struct LimitCycle {
    /// The last period (time between the last two maxima).
    pub period: f64,
    /// Every period measured after the transient, in order.
    pub periods: Vec<f64>,
    /// (max − min)/mean of the last `periods` periods.
    pub period_spread: f64,
    /// Relative change of the peak-to-trough amplitude over those periods.
    pub amplitude_change: f64,
    /// Maxima (t, value) of the chosen variable after the transient.
    pub maxima: Vec<(f64, f64)>,
    /// (min, max) of every state variable over the last `periods` periods.
    pub ranges: Vec<(f64, f64)>,
}

/// Looks for a periodic orbit (a limit cycle, or a closed orbit around a
/// centre) along the trajectory from (0, y0). Returns `None` when the chosen
/// variable stops oscillating (an equilibrium) or when the last periods or
/// amplitudes do not agree within the tolerance (a transient that is still
/// decaying, quasi-periodic or chaotic motion).
pub fn limit_cycle(
    model: &dyn Model,
    params: &[f64],
    y0: &[f64],
    opts: &CycleOptions,
) -> Result<Option<LimitCycle>, AnalysisError> {
    if opts.periods < 1 {
        return Err(invalid("periods", opts.periods, "at least 1"));
    }
    if !(opts.tolerance > 0.0) {
        return Err(invalid("tolerance", opts.tolerance, "a positive number"));
    }
    let ode = OdeOptions {
        blow_up: f64::INFINITY,
        ..OdeOptions::with_tolerances(opts.rtol, opts.atol)
    };
    let s = run_scan(
        model,
        params,
        y0,
        0.0,
        opts.transient,
        opts.horizon,
        opts.variable,
        ode,
    )?;
    let v = opts.variable;
    let maxima: Vec<(f64, f64)> = s
        .extrema
        .iter()
        .filter(|e| e.is_max && e.variable == v)
        .map(|e| (e.t, e.value))
        .collect();
    if maxima.len() < opts.periods + 1 {
        return Ok(None);
    }
    let periods: Vec<f64> = maxima.windows(2).map(|w| w[1].0 - w[0].0).collect();
    let last = &periods[periods.len() - opts.periods..];
    let mean = last.iter().sum::<f64>() / last.len() as f64;
    let spread = last.iter().fold(f64::NEG_INFINITY, |m, p| m.max(*p))
        - last.iter().fold(f64::INFINITY, |m, p| m.min(*p));
    let period_spread = spread / mean;
    // Peak-to-trough amplitude of each of the last periods.
    let first_max = maxima.len() - 1 - opts.periods;
    let amplitude = |j: usize| {
        let (t_a, peak) = maxima[j];
        let t_b = maxima[j + 1].0;
        let trough = s
            .extrema
            .iter()
            .filter(|e| e.variable == v && !e.is_max && e.t > t_a && e.t < t_b)
            .fold(f64::INFINITY, |m, e| m.min(e.value));
        peak.max(maxima[j + 1].1) - trough
    };
    let a_first = amplitude(first_max);
    let a_last = amplitude(maxima.len() - 2);
    if !(a_first.is_finite() && a_last.is_finite() && a_last > 0.0) {
        return Ok(None);
    }
    let amplitude_change = (a_last - a_first).abs() / a_last;
    if period_spread > opts.tolerance || amplitude_change > opts.tolerance {
        return Ok(None);
    }
    let (t_lo, t_hi) = (maxima[first_max].0, maxima[maxima.len() - 1].0);
    let n = s.final_state.len();
    let window_states = &s.states_at_maxima[s.states_at_maxima.len() - opts.periods - 1..];
    let ranges = (0..n)
        .map(|i| {
            let mut lo = f64::INFINITY;
            let mut hi = f64::NEG_INFINITY;
            let in_window = s
                .extrema
                .iter()
                .filter(|e| e.variable == i && e.t >= t_lo && e.t <= t_hi)
                .map(|e| e.value);
            for value in in_window.chain(window_states.iter().map(|y| y[i])) {
                lo = lo.min(value);
                hi = hi.max(value);
            }
            (lo, hi)
        })
        .collect();
    Ok(Some(LimitCycle {
        period: periods[periods.len() - 1],
        periods,
        period_spread,
        amplitude_change,
        maxima,
        ranges,
    }))
}

/// Benettin's method for the largest Lyapunov exponent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LyapunovOptions {
    /// Time (or turns) discarded before measuring, so the reference orbit
    /// sits on its attractor.
    pub transient: f64,
    /// Time (or turns, rounded) between renormalisations.
    pub interval: f64,
    pub renormalisations: usize,
    /// Initial distance of the companion orbit, relative to max(1, |y|).
    pub separation: f64,
    pub rtol: f64,
    pub atol: f64,
}

impl Default for LyapunovOptions {
    fn default() -> Self {
        Self {
            transient: 100.0,
            interval: 1.0,
            renormalisations: 1000,
            separation: 1e-8,
            rtol: 1e-10,
            atol: 1e-12,
        }
    }
}

/// The estimate and its history.
#[derive(Debug, Clone, PartialEq)]
pub struct LyapunovEstimate {
    /// Σ ln(dₖ/d₀) / (total time), per unit of the model's time (per turn for maps).
    pub exponent: f64,
    /// The running estimate after each renormalisation (shows convergence).
    pub running: Vec<f64>,
    /// End of the reference orbit.
    pub final_state: Vec<f64>,
}

/// Advances the solver to exactly `target`.
fn advance<const N: usize>(
    solver: &mut Dopri5<N>,
    field: &Field<'_>,
    target: f64,
) -> Result<(), AnalysisError> {
    while solver.t < target {
        solver.step(field, target)?;
    }
    Ok(())
}

fn companion(y: &[f64], separation: f64) -> (Vec<f64>, f64) {
    let n = y.len();
    let d0 = separation * norm(y).max(1.0);
    let e = d0 / (n as f64).sqrt();
    (y.iter().map(|v| v + e).collect(), d0)
}

fn lyapunov_flow<const N: usize>(
    model: &dyn Model,
    params: &[f64],
    y0: &[f64],
    opts: &LyapunovOptions,
) -> Result<LyapunovEstimate, AnalysisError> {
    let field = Field { model, params };
    let ode = OdeOptions::with_tolerances(opts.rtol, opts.atol);
    let total = opts.transient + opts.interval * opts.renormalisations as f64;
    let mut a = Dopri5::new(&field, 0.0, array::<N>(y0), total, ode)?;
    advance(&mut a, &field, opts.transient)?;
    let (start, d0) = companion(&a.y, opts.separation);
    let mut b = Dopri5::new(&field, a.t, array::<N>(&start), total - a.t, ode)?;
    let mut sum = 0.0;
    let mut running = Vec::with_capacity(opts.renormalisations);
    for k in 1..=opts.renormalisations {
        let target = opts.transient + opts.interval * k as f64;
        advance(&mut a, &field, target)?;
        advance(&mut b, &field, target)?;
        let diff: Vec<f64> = b.y.iter().zip(&a.y).map(|(x, y)| x - y).collect();
        let d = norm(&diff).max(f64::MIN_POSITIVE);
        sum += (d / d0).ln();
        running.push(sum / (opts.interval * k as f64));
        let back: Vec<f64> =
            a.y.iter()
                .zip(&diff)
                .map(|(y, dy)| y + dy * (d0 / d))
                .collect();
        b.restart(&field, target, array::<N>(&back), total - target)?;
    }
    Ok(LyapunovEstimate {
        exponent: *running.last().unwrap_or(&f64::NAN),
        running,
        final_state: a.y.to_vec(),
    })
}

fn lyapunov_map(
    model: &dyn Model,
    params: &[f64],
    y0: &[f64],
    opts: &LyapunovOptions,
) -> Result<LyapunovEstimate, AnalysisError> {
    let field = Field { model, params };
    let turns = (opts.interval.round() as usize).max(1);
    let mut a = y0.to_vec();
    for _ in 0..opts.transient.round().max(0.0) as usize {
        a = field.eval(0.0, &a);
    }
    let (mut b, d0) = companion(&a, opts.separation);
    let mut sum = 0.0;
    let mut running = Vec::with_capacity(opts.renormalisations);
    for k in 1..=opts.renormalisations {
        for _ in 0..turns {
            a = field.eval(0.0, &a);
            b = field.eval(0.0, &b);
        }
        let diff: Vec<f64> = b.iter().zip(&a).map(|(x, y)| x - y).collect();
        let d = norm(&diff);
        if !d.is_finite() {
            return Err(invalid(
                "initial",
                format!("{y0:?}"),
                "a start whose orbit stays finite",
            ));
        }
        let d = d.max(f64::MIN_POSITIVE);
        sum += (d / d0).ln();
        running.push(sum / (turns * k) as f64);
        b = a
            .iter()
            .zip(&diff)
            .map(|(y, dy)| y + dy * (d0 / d))
            .collect();
    }
    Ok(LyapunovEstimate {
        exponent: *running.last().unwrap_or(&f64::NAN),
        running,
        final_state: a,
    })
}

/// The largest Lyapunov exponent of the orbit from y0 by Benettin's method:
/// a companion orbit starts a small distance d₀ away, both are followed for
/// one interval, the log of the stretch is summed, and the companion is
/// pulled back to distance d₀ along the current separation. Positive means
/// nearby states part exponentially (chaos), zero a cycle (or a centre),
/// negative an attracting equilibrium.
pub fn largest_lyapunov(
    model: &dyn Model,
    params: &[f64],
    y0: &[f64],
    opts: &LyapunovOptions,
) -> Result<LyapunovEstimate, AnalysisError> {
    let n = check_model(model, params, Some(y0))?;
    if !(opts.transient >= 0.0 && opts.transient.is_finite()) {
        return Err(invalid("transient", opts.transient, "a non-negative time"));
    }
    if !(opts.interval > 0.0 && opts.interval.is_finite()) {
        return Err(invalid("interval", opts.interval, "a positive time"));
    }
    if opts.renormalisations == 0 {
        return Err(invalid("renormalisations", 0, "at least 1"));
    }
    if !(opts.separation > 0.0 && opts.separation < 1.0) {
        return Err(invalid(
            "separation",
            opts.separation,
            "a small positive number below 1",
        ));
    }
    match model.info().time {
        TimeKind::Continuous => with_dimension!(n, lyapunov_flow(model, params, y0, opts)),
        TimeKind::Discrete => lyapunov_map(model, params, y0, opts),
    }
}

/// Oscillations of relative height below this count as settled in an
/// orbit diagram.
pub const SETTLED: f64 = 1e-6;

/// One column of an orbit diagram.
#[derive(Debug, Clone, PartialEq)]
pub struct OrbitSlice {
    pub param: f64,
    /// Flows: the maxima of the variable after the transient (empty when the
    /// orbit settles on an equilibrium, i.e. when the variable's swing is
    /// below [`SETTLED`] relative to its size). Maps: every value of the variable
    /// after the transient.
    pub values: Vec<f64>,
    /// Where the orbit ended (the start of the next column).
    pub final_state: Vec<f64>,
}

/// An orbit diagram: for each parameter value in order, runs for
/// `transient` and records for `record` more time units (turns for maps),
/// starting each column from the end of the previous one so that the
/// diagram follows one attractor.
pub fn orbit_diagram(
    model: &dyn Model,
    params: &[f64],
    param: usize,
    values: &[f64],
    y0: &[f64],
    variable: usize,
    transient: f64,
    record: f64,
    opts: OdeOptions,
) -> Result<Vec<OrbitSlice>, AnalysisError> {
    let info = model.info();
    let n = check_model(model, params, Some(y0))?;
    if param >= info.params.len() {
        return Err(invalid(
            "param",
            param,
            &format!("a parameter index below {}", info.params.len()),
        ));
    }
    if variable >= n {
        return Err(invalid(
            "variable",
            variable,
            &format!("a state index below {n}"),
        ));
    }
    if !(transient >= 0.0 && record > 0.0 && (transient + record).is_finite()) {
        return Err(invalid(
            "record",
            record,
            "a positive recording time after a non-negative transient",
        ));
    }
    let mut p = params.to_vec();
    let mut y = y0.to_vec();
    let mut out = Vec::with_capacity(values.len());
    for &value in values {
        info.params[param].check(value)?;
        p[param] = value;
        let slice = match info.time {
            TimeKind::Continuous => {
                let s = run_scan(
                    model,
                    &p,
                    &y,
                    0.0,
                    transient,
                    transient + record,
                    variable,
                    opts,
                )?;
                let mut values: Vec<f64> = s
                    .extrema
                    .iter()
                    .filter(|e| e.is_max && e.variable == variable)
                    .map(|e| e.value)
                    .collect();
                // A spiral still winding into its equilibrium leaves maxima
                // of vanishing height; below the settling threshold the
                // column counts as an equilibrium.
                let (lo, hi) = s
                    .extrema
                    .iter()
                    .filter(|e| e.variable == variable)
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), e| {
                        (lo.min(e.value), hi.max(e.value))
                    });
                if !(hi - lo > SETTLED * (1.0 + hi.abs())) {
                    values.clear();
                }
                OrbitSlice {
                    param: value,
                    values,
                    final_state: s.final_state,
                }
            }
            TimeKind::Discrete => {
                let field = Field { model, params: &p };
                let mut state = y.clone();
                for _ in 0..transient.round() as usize {
                    state = field.eval(0.0, &state);
                }
                let mut values = Vec::new();
                for _ in 0..(record.round() as usize).max(1) {
                    state = field.eval(0.0, &state);
                    values.push(state[variable]);
                }
                OrbitSlice {
                    param: value,
                    values,
                    final_state: state,
                }
            }
        };
        y.clone_from(&slice.final_state);
        out.push(slice);
    }
    Ok(out)
}
