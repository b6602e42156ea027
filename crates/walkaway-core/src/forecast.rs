//! Forecasts: Monte Carlo over what you cannot know about your partner.
//!
//! Trajectory k draws its parameters from its own stream (seed, k) and runs
//! the walkaway model under your strategy, under every alternative strategy
//! and with each mechanism switched off in turn, always with the same draws
//! and the same random events (common random numbers), so differences between
//! strategies and mechanisms are paired and precise.
//!
//! Every reduction is exact and order-free (integer counts, histograms and
//! fixed-point sums), so the result is bit-identical for one thread or many,
//! and for one run or the same run split into shards and merged.

use crate::error::ModelError;
use crate::model::RunOptions;
use crate::models::walkaway::{
    self, Checkpoint, LogKind, MECHANISM_TITLES, MECHANISMS, MEETING_MECHANISM,
    OUTCOME_NEUTRAL_MECHANISMS, OUTCOMES, Walkaway, state,
};
use crate::rng::{Purpose, Stream};
use std::sync::atomic::{AtomicU64, Ordering};

/// Relative and absolute tolerance of forecast runs (the default scenario's
/// `[solver]`). A forecast's accuracy is limited by Monte Carlo error (about
/// ±1 point at 10,000 trajectories), not by the solver: at these tolerances
/// fewer than 1 run in 1,000 ends with a different outcome or different
/// events than at rtol 1e-10 (tests/forecast_tolerance.rs), while the runs
/// take about 40 % fewer steps than at rtol 1e-6 (docs/performance.md).
pub const FORECAST_RTOL: f64 = 1e-4;
pub const FORECAST_ATOL: f64 = 1e-7;

/// Run options for forecasts of the walkaway model: its horizon and output
/// step with the forecast tolerances.
pub fn forecast_run_options() -> RunOptions {
    let mut run = RunOptions::for_model(&walkaway::INFO);
    run.rtol = FORECAST_RTOL;
    run.atol = FORECAST_ATOL;
    run
}

/// Parameter draws for trajectory k: a function of its own stream only.
pub trait ParamSampler: Sync {
    fn sample(&self, stream: &mut Stream) -> Vec<f64>;

    /// Draws for trajectory `k` of `n` (designs such as a Latin hypercube
    /// need both); by default an independent draw from `stream`.
    fn sample_indexed(&self, _k: u64, _n: u64, _seed: u64, stream: &mut Stream) -> Vec<f64> {
        self.sample(stream)
    }
}

impl<F> ParamSampler for F
where
    F: Fn(&mut Stream) -> Vec<f64> + Sync,
{
    fn sample(&self, stream: &mut Stream) -> Vec<f64> {
        self(stream)
    }
}

/// A way of walking away (or not), as overrides of the schedule parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Strategy {
    pub name: String,
    pub label: String,
    pub length: f64,
    pub contact: f64,
    /// Index into `separation.after` options.
    pub after: f64,
}

/// Stay; withdraw partly (contact `partial_contact`) for the whole horizon;
/// no contact for 14, 30, 60 and 90 days and then decide.
pub fn standard_strategies(horizon: f64, partial_contact: f64) -> Vec<Strategy> {
    let mut v = vec![
        Strategy {
            name: "stay".into(),
            label: "stay".into(),
            length: 0.0,
            contact: 1.0,
            after: 0.0,
        },
        Strategy {
            name: "partial".into(),
            label: format!("partial withdrawal (contact {partial_contact})"),
            length: horizon,
            contact: partial_contact,
            after: 0.0,
        },
    ];
    for days in [14.0, 30.0, 60.0, 90.0] {
        v.push(Strategy {
            name: format!("no-contact-{days}"),
            label: format!("no contact for {days} days, then decide"),
            length: days,
            contact: 0.0,
            after: 2.0,
        });
    }
    v
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForecastOptions {
    pub trajectories: u64,
    pub seed: u64,
    /// Horizon, tolerances and method; `every` is ignored (series are daily).
    pub run: RunOptions,
    pub strategies: Vec<Strategy>,
    pub attribution: bool,
    pub series: bool,
}

/// A probability with its 95 % Wilson interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Proportion {
    pub count: u64,
    pub n: u64,
    pub probability: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// The 95 % Wilson score interval for k successes in n trials.
pub fn wilson(count: u64, n: u64) -> Proportion {
    if n == 0 {
        return Proportion {
            count,
            n,
            probability: f64::NAN,
            ci_low: 0.0,
            ci_high: 1.0,
        };
    }
    let z = 1.959_963_984_540_054;
    let nf = n as f64;
    let p = count as f64 / nf;
    let denom = 1.0 + z * z / nf;
    let centre = (p + z * z / (2.0 * nf)) / denom;
    let half = z * (p * (1.0 - p) / nf + z * z / (4.0 * nf * nf)).sqrt() / denom;
    Proportion {
        count,
        n,
        probability: p,
        ci_low: (centre - half).max(0.0),
        ci_high: (centre + half).min(1.0),
    }
}

/// A paired difference of two probabilities on the same trajectories.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairedDifference {
    /// P(alternative) − P(reference).
    pub difference: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

fn paired(only_alt: u64, only_ref: u64, n: u64) -> PairedDifference {
    if n == 0 {
        return PairedDifference {
            difference: f64::NAN,
            ci_low: f64::NAN,
            ci_high: f64::NAN,
        };
    }
    let nf = n as f64;
    let d = (only_alt as f64 - only_ref as f64) / nf;
    let second = (only_alt + only_ref) as f64 / nf;
    let var = ((second - d * d) / nf).max(0.0);
    let half = 1.959_963_984_540_054 * var.sqrt();
    PairedDifference {
        difference: d,
        ci_low: d - half,
        ci_high: d + half,
    }
}

pub const EVENT_KINDS: [&str; 3] = ["bid", "reunion", "new-partner"];

/// Variables of the daily series.
pub const SERIES_VARIABLES: [&str; 7] = [
    "love",
    "wanting",
    "loneliness",
    "jealousy",
    "negativity",
    "your_love",
    "contact_rate",
];
const SERIES_RANGES: [(f64, f64); 7] = [
    (-1.0, 2.0),
    (-1.0, 2.0),
    (0.0, 1.0),
    (0.0, 1.0),
    (0.0, 1.0),
    (-1.5, 2.0),
    (0.0, 20.0),
];
const BINS: usize = 400;
const EVENT_BINS_PER_DAY: f64 = 4.0;
/// Fixed-point scale of the exact sums (2^32).
const FIXED: f64 = 4_294_967_296.0;

fn series_value(var: usize, sys: &walkaway::WalkawaySystem, y: &[f64; state::N]) -> f64 {
    match var {
        0 => y[state::LOVE],
        1 => y[state::WANTING],
        2 => y[state::LONELINESS],
        3 => y[state::JEALOUSY],
        4 => y[state::NEGATIVITY],
        5 => y[state::YOUR_LOVE],
        _ => sys.contact_rate(y),
    }
}

/// What one strategy's runs add up to.
#[derive(Debug, Clone, PartialEq, Eq)]
struct StrategyTally {
    outcomes: [u64; 5],
    events: [u64; 3],
    /// Per outcome: only this strategy had it / only the reference had it.
    only_here: [u64; 6],
    only_reference: [u64; 6],
    bid_given_met: [u64; 2],
    bid_given_not_met: [u64; 2],
}

impl StrategyTally {
    fn new() -> Self {
        Self {
            outcomes: [0; 5],
            events: [0; 3],
            only_here: [0; 6],
            only_reference: [0; 6],
            bid_given_met: [0; 2],
            bid_given_not_met: [0; 2],
        }
    }

    fn merge(&mut self, o: &Self) {
        for i in 0..5 {
            self.outcomes[i] += o.outcomes[i];
        }
        for i in 0..3 {
            self.events[i] += o.events[i];
        }
        for i in 0..6 {
            self.only_here[i] += o.only_here[i];
            self.only_reference[i] += o.only_reference[i];
        }
        for i in 0..2 {
            self.bid_given_met[i] += o.bid_given_met[i];
            self.bid_given_not_met[i] += o.bid_given_not_met[i];
        }
    }
}

/// The summary of one run that the tallies need: outcome index, whether
/// each event happened (and when, for the first), and "comes back".
#[derive(Debug, Clone, Copy)]
struct RunSummary {
    outcome: usize,
    event_day: [Option<f64>; 3],
}

impl RunSummary {
    fn indicators(&self) -> [bool; 6] {
        let mut v = [false; 6];
        v[self.outcome] = true;
        // The sixth indicator: back together, changed or not.
        v[5] = self.outcome <= 1;
        v
    }

    fn of(sys: &walkaway::WalkawaySystem, y: &[f64; state::N]) -> Self {
        let mut event_day = [None; 3];
        for e in &sys.log {
            // The order of EVENT_KINDS.
            let i = match e.kind {
                LogKind::Bid { .. } => 0,
                LogKind::ReunionAfterBid | LogKind::ReunionPlanned => 1,
                LogKind::NewPartner => 2,
                LogKind::Separation | LogKind::SeparationEnd => continue,
            };
            event_day[i].get_or_insert(e.t);
        }
        Self {
            outcome: sys.outcome_index(y),
            event_day,
        }
    }
}

/// Everything accumulated over a set of trajectories; mergeable exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    n: u64,
    failures: u64,
    steps: u64,
    days: usize,
    base: StrategyTally,
    strategies: Vec<StrategyTally>,
    mechanisms: Vec<StrategyTally>,
    event_hist: Vec<Vec<u32>>,
    series_hist: Vec<u32>,
    series_sum: Vec<i128>,
}

impl Tally {
    fn new(opts: &ForecastOptions) -> Self {
        let days = if opts.series {
            (opts.run.t_end - opts.run.t0).floor() as usize + 1
        } else {
            0
        };
        let event_bins = ((opts.run.t_end - opts.run.t0) * EVENT_BINS_PER_DAY).ceil() as usize + 1;
        Self {
            n: 0,
            failures: 0,
            steps: 0,
            days,
            base: StrategyTally::new(),
            strategies: vec![StrategyTally::new(); opts.strategies.len()],
            mechanisms: if opts.attribution {
                vec![StrategyTally::new(); MECHANISMS.len()]
            } else {
                Vec::new()
            },
            event_hist: vec![vec![0; event_bins]; 3],
            series_hist: vec![0; days * SERIES_VARIABLES.len() * BINS],
            series_sum: vec![0; days * SERIES_VARIABLES.len()],
        }
    }

    /// Adds another tally (from another thread or shard).
    pub fn merge(&mut self, o: &Tally) {
        self.n += o.n;
        self.failures += o.failures;
        self.steps += o.steps;
        self.base.merge(&o.base);
        for (a, b) in self.strategies.iter_mut().zip(&o.strategies) {
            a.merge(b);
        }
        for (a, b) in self.mechanisms.iter_mut().zip(&o.mechanisms) {
            a.merge(b);
        }
        for (a, b) in self.event_hist.iter_mut().zip(&o.event_hist) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
        for (x, y) in self.series_hist.iter_mut().zip(&o.series_hist) {
            *x += y;
        }
        for (x, y) in self.series_sum.iter_mut().zip(&o.series_sum) {
            *x += y;
        }
    }
}

/// A [`Tally`] as plain integers, for saving a shard to a file and merging
/// it elsewhere ([`Tally::to_parts`], [`Tally::from_parts`]). Each strategy
/// tally is 24 counts: 5 outcomes, 3 events, 6 + 6 paired indicators, and
/// (trajectories, bids) for those who met someone first and for the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TallyParts {
    pub trajectories: u64,
    pub failures: u64,
    pub steps: u64,
    pub base: Vec<u64>,
    pub strategies: Vec<Vec<u64>>,
    pub mechanisms: Vec<Vec<u64>>,
    pub event_hist: Vec<Vec<u32>>,
    pub series_hist: Vec<u32>,
    pub series_sum: Vec<i128>,
}

impl StrategyTally {
    fn to_counts(&self) -> Vec<u64> {
        let mut v = Vec::with_capacity(24);
        v.extend_from_slice(&self.outcomes);
        v.extend_from_slice(&self.events);
        v.extend_from_slice(&self.only_here);
        v.extend_from_slice(&self.only_reference);
        v.extend_from_slice(&self.bid_given_met);
        v.extend_from_slice(&self.bid_given_not_met);
        v
    }

    fn from_counts(v: &[u64]) -> Option<Self> {
        if v.len() != 24 {
            return None;
        }
        let mut t = Self::new();
        t.outcomes.copy_from_slice(&v[0..5]);
        t.events.copy_from_slice(&v[5..8]);
        t.only_here.copy_from_slice(&v[8..14]);
        t.only_reference.copy_from_slice(&v[14..20]);
        t.bid_given_met.copy_from_slice(&v[20..22]);
        t.bid_given_not_met.copy_from_slice(&v[22..24]);
        Some(t)
    }
}

impl Tally {
    /// Everything this tally holds, as plain integers.
    pub fn to_parts(&self) -> TallyParts {
        TallyParts {
            trajectories: self.n,
            failures: self.failures,
            steps: self.steps,
            base: self.base.to_counts(),
            strategies: self
                .strategies
                .iter()
                .map(StrategyTally::to_counts)
                .collect(),
            mechanisms: self
                .mechanisms
                .iter()
                .map(StrategyTally::to_counts)
                .collect(),
            event_hist: self.event_hist.clone(),
            series_hist: self.series_hist.clone(),
            series_sum: self.series_sum.clone(),
        }
    }

    /// A tally of a forecast with options `opts` from saved parts; an error
    /// names the part whose shape does not fit those options.
    pub fn from_parts(parts: TallyParts, opts: &ForecastOptions) -> Result<Self, ModelError> {
        let mut t = Tally::new(opts);
        let bad = |part: &'static str, got: usize, want: usize| ModelError::InvalidRunOption {
            field: part,
            value: format!("{got} entries"),
            allowed: format!("{want} entries for these forecast options"),
        };
        let counts = |part: &'static str, v: &[Vec<u64>], want: usize| {
            if v.len() != want {
                return Err(bad(part, v.len(), want));
            }
            v.iter()
                .map(|c| StrategyTally::from_counts(c).ok_or_else(|| bad(part, c.len(), 24)))
                .collect::<Result<Vec<_>, _>>()
        };
        t.base = StrategyTally::from_counts(&parts.base)
            .ok_or_else(|| bad("base", parts.base.len(), 24))?;
        t.strategies = counts("strategies", &parts.strategies, t.strategies.len())?;
        t.mechanisms = counts("mechanisms", &parts.mechanisms, t.mechanisms.len())?;
        let hist_shape_ok = parts.event_hist.len() == t.event_hist.len()
            && parts
                .event_hist
                .iter()
                .zip(&t.event_hist)
                .all(|(a, b)| a.len() == b.len());
        if !hist_shape_ok {
            return Err(bad(
                "event_hist",
                parts.event_hist.len(),
                t.event_hist.len(),
            ));
        }
        if parts.series_hist.len() != t.series_hist.len() {
            return Err(bad(
                "series_hist",
                parts.series_hist.len(),
                t.series_hist.len(),
            ));
        }
        if parts.series_sum.len() != t.series_sum.len() {
            return Err(bad(
                "series_sum",
                parts.series_sum.len(),
                t.series_sum.len(),
            ));
        }
        t.n = parts.trajectories;
        t.failures = parts.failures;
        t.steps = parts.steps;
        t.event_hist = parts.event_hist;
        t.series_hist = parts.series_hist;
        t.series_sum = parts.series_sum;
        Ok(t)
    }
}

fn tally_run(t: &mut StrategyTally, s: &RunSummary, reference: Option<&RunSummary>) {
    t.outcomes[s.outcome] += 1;
    for i in 0..3 {
        if s.event_day[i].is_some() {
            t.events[i] += 1;
        }
    }
    let bid = s.event_day[0].is_some();
    let met_before_bid = match (s.event_day[2], s.event_day[0]) {
        (Some(m), Some(b)) => m < b,
        (Some(_), None) => true,
        _ => false,
    };
    let slot = if met_before_bid {
        &mut t.bid_given_met
    } else {
        &mut t.bid_given_not_met
    };
    slot[0] += 1;
    slot[1] += bid as u64;
    if let Some(r) = reference {
        let (a, b) = (s.indicators(), r.indicators());
        for i in 0..6 {
            if a[i] && !b[i] {
                t.only_here[i] += 1;
            }
            if b[i] && !a[i] {
                t.only_reference[i] += 1;
            }
        }
    }
}

/// What every trajectory of a forecast runs besides your strategy, resolved
/// once per forecast: parameter indices of the overrides, and which
/// mechanism switch-offs need no run of their own.
struct Plan {
    strategies: Vec<[(usize, f64); 3]>,
    /// Indices of separation.start, .length and .contact.
    schedule: [usize; 3],
    mechanisms: Vec<MechanismRun>,
    /// Flags of the outcome-neutral mechanisms. The variants report only
    /// outcomes and events, which these cannot change, so the variants run
    /// with them off (jealousy's drive costs an `exp` per evaluation).
    neutral_flags: Vec<usize>,
}

#[derive(Debug, Clone, Copy)]
enum MechanismRun {
    /// Run with the flag at this index set to 0.
    Simulate(usize),
    /// Cannot change an outcome or event: the run's summary is yours.
    Neutral,
    /// The meeting mechanism: its switch-off changes nothing in a run where
    /// your partner met nobody, so only the others are run.
    IfMet(usize),
}

impl Plan {
    /// The day at which strategy `si` leaves the path of your strategy, if
    /// it shares its beginning: the same contact while apart, a separation
    /// that ends earlier (at that day) than yours. Up to that day both runs
    /// are the same run, so the strategy resumes from a checkpoint there.
    fn fork_day(&self, si: usize, params: &[f64], run: &RunOptions) -> Option<f64> {
        let [start, length, contact] = self.schedule;
        let [(_, s_length), (_, s_contact), _] = self.strategies[si];
        let day = params[start] + s_length;
        (run.method == crate::model::Method::Dopri5
            && s_contact == params[contact]
            && s_length > 0.0
            && s_length < params[length]
            && day > run.t0
            && day < run.t_end)
            .then_some(day)
    }

    fn new(opts: &ForecastOptions) -> Self {
        let info = &walkaway::INFO;
        let index = |name: &str| info.param_index(name).expect("walkaway parameter");
        let (length, contact, after) = (
            index("separation.length"),
            index("separation.contact"),
            index("separation.after"),
        );
        let strategies = opts
            .strategies
            .iter()
            .map(|s| [(length, s.length), (contact, s.contact), (after, s.after)])
            .collect();
        let mechanisms = if opts.attribution {
            MECHANISMS
                .iter()
                .map(|m| {
                    let flag = index(&format!("mechanisms.{m}"));
                    if OUTCOME_NEUTRAL_MECHANISMS.contains(m) {
                        MechanismRun::Neutral
                    } else if *m == MEETING_MECHANISM {
                        MechanismRun::IfMet(flag)
                    } else {
                        MechanismRun::Simulate(flag)
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        let neutral_flags = OUTCOME_NEUTRAL_MECHANISMS
            .iter()
            .map(|m| index(&format!("mechanisms.{m}")))
            .collect();
        Self {
            strategies,
            schedule: [index("separation.start"), length, contact],
            mechanisms,
            neutral_flags,
        }
    }
}

/// Runs trajectories `range` and tallies them. Shards with the same options
/// and seed merge into exactly the result of one run over their union.
pub fn run_shard(
    sampler: &dyn ParamSampler,
    opts: &ForecastOptions,
    range: std::ops::Range<u64>,
) -> Result<Tally, ModelError> {
    run_shard_with_progress(sampler, opts, range, &AtomicU64::new(0))
}

/// [`run_shard`], adding the number of finished trajectories to `progress`
/// as it goes (for a progress display; the result is the same).
pub fn run_shard_with_progress(
    sampler: &dyn ParamSampler,
    opts: &ForecastOptions,
    range: std::ops::Range<u64>,
    progress: &AtomicU64,
) -> Result<Tally, ModelError> {
    use rayon::prelude::*;
    let plan = Plan::new(opts);
    // Chunks of 64 trajectories; rayon gives each task a run of them and
    // each task tallies into its own tally, made when the task starts work
    // (a tally with daily series is a few megabytes, so not one per chunk).
    // The sums are exact, so the grouping cannot change the result.
    let chunks: Vec<(u64, u64)> = (range.start..range.end)
        .step_by(64)
        .map(|s| (s, (s + 64).min(range.end)))
        .collect();
    let total = chunks
        .par_iter()
        .try_fold(
            || None,
            |tally: Option<Tally>, &(a, b)| {
                let mut t = tally.unwrap_or_else(|| Tally::new(opts));
                for k in a..b {
                    run_trajectory(sampler, opts, &plan, k, &mut t)?;
                }
                progress.fetch_add(b - a, Ordering::Relaxed);
                Ok::<_, ModelError>(Some(t))
            },
        )
        .try_reduce(
            || None,
            |a, b| {
                Ok(match (a, b) {
                    (Some(mut a), Some(b)) => {
                        a.merge(&b);
                        Some(a)
                    }
                    (a, None) => a,
                    (None, b) => b,
                })
            },
        )?;
    Ok(total.unwrap_or_else(|| Tally::new(opts)))
}

/// Adds day `day` of the base run to the series: an exact fixed-point sum
/// and a histogram bin per variable.
fn observe_day(
    series_hist: &mut [u32],
    series_sum: &mut [i128],
    day: usize,
    sys: &walkaway::WalkawaySystem,
    y: &[f64; state::N],
) {
    for (v, (lo, hi)) in SERIES_RANGES.iter().enumerate() {
        let x = series_value(v, sys, y);
        let slot = day * SERIES_VARIABLES.len() + v;
        // Truncating casts are single instructions here, where `round` and
        // `floor` are library calls on the baseline x86-64 target; the sum
        // stays exact and order-free either way (2^-32 per value).
        series_sum[slot] += (x * FIXED) as i64 as i128;
        let position = (x - lo) * (BINS as f64 / (hi - lo));
        let bin = if position >= 0.0 {
            (position as usize).min(BINS - 1)
        } else {
            0
        };
        series_hist[slot * BINS + bin] += 1;
    }
}

fn run_trajectory(
    sampler: &dyn ParamSampler,
    opts: &ForecastOptions,
    plan: &Plan,
    k: u64,
    t: &mut Tally,
) -> Result<(), ModelError> {
    let mut stream = Stream::new(opts.seed, k, Purpose::Parameters);
    let params = sampler.sample_indexed(k, opts.trajectories, opts.seed, &mut stream);
    let mut run = opts.run;
    run.seed = opts.seed;
    run.trajectory = k;
    run.every = if opts.series { Some(1.0) } else { None };
    let days = t.days;
    let series_hist = &mut t.series_hist;
    let series_sum = &mut t.series_sum;
    let mut day = 0usize;
    // The base run checks the drawn parameters; the variants below only
    // override them with values `validate` has checked.
    let forks: Vec<Option<f64>> = (0..plan.strategies.len())
        .map(|si| plan.fork_day(si, &params, &run))
        .collect();
    let mut fork_days: Vec<f64> = forks.iter().flatten().copied().collect();
    fork_days.sort_by(f64::total_cmp);
    fork_days.dedup();
    let mut checkpoints: Vec<Checkpoint> = Vec::with_capacity(fork_days.len());
    let observe = |sys: &walkaway::WalkawaySystem, _time: f64, y: &[f64; state::N]| {
        if day < days {
            observe_day(series_hist, series_sum, day, sys, y);
        }
        day += 1;
    };
    let base = if fork_days.is_empty() {
        Walkaway::run_observed(&params, None, &run, observe)
    } else {
        Walkaway::run_observed_with_checkpoints(&params, &run, &fork_days, observe, |c| {
            checkpoints.push(c)
        })
    };
    let (sys, y, stats) = match base {
        Ok(r) => r,
        Err(ModelError::Solver(_)) => {
            t.failures += 1;
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    t.n += 1;
    t.steps += stats.steps;
    let reference = RunSummary::of(&sys, &y);
    tally_run(&mut t.base, &reference, None);
    for (i, d) in reference.event_day.iter().enumerate() {
        if let Some(d) = d {
            let bin = ((d - opts.run.t0) * EVENT_BINS_PER_DAY).floor() as usize;
            let last = t.event_hist[i].len() - 1;
            t.event_hist[i][bin.min(last)] += 1;
        }
    }
    run.every = None;
    let mut variant_params = params.clone();
    for &flag in &plan.neutral_flags {
        variant_params[flag] = 0.0;
    }
    let mut p = variant_params.clone();
    let run_variant = |p: &[f64], steps: &mut u64| -> Result<RunSummary, ModelError> {
        let (sys, y, stats) = Walkaway::run_final_prechecked(p, &run)?;
        *steps += stats.steps;
        Ok(RunSummary::of(&sys, &y))
    };
    for (si, overrides) in plan.strategies.iter().enumerate() {
        for &(i, v) in overrides {
            p[i] = v;
        }
        let checkpoint = forks[si].and_then(|d| checkpoints.iter().find(|c| c.t == d));
        let summary = match checkpoint {
            Some(c) => {
                let (sys, y, stats) = Walkaway::resume_for_outcome(c, &p, &run)?;
                t.steps += stats.steps;
                RunSummary::of(&sys, &y)
            }
            None => run_variant(&p, &mut t.steps)?,
        };
        tally_run(&mut t.strategies[si], &summary, Some(&reference));
    }
    p.copy_from_slice(&variant_params);
    let met = reference.event_day[2].is_some();
    for (mi, how) in plan.mechanisms.iter().enumerate() {
        let flag = match *how {
            MechanismRun::Neutral => None,
            MechanismRun::IfMet(flag) => met.then_some(flag),
            MechanismRun::Simulate(flag) => Some(flag),
        };
        let summary = match flag {
            Some(flag) => {
                p[flag] = 0.0;
                let s = run_variant(&p, &mut t.steps)?;
                p[flag] = variant_params[flag];
                s
            }
            None => reference,
        };
        tally_run(&mut t.mechanisms[mi], &summary, Some(&reference));
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeProbability {
    pub outcome: &'static str,
    pub p: Proportion,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EventSummary {
    pub event: &'static str,
    pub p: Proportion,
    /// Median day among the trajectories where it happened.
    pub median_day: Option<f64>,
    /// Count of trajectories where it happened before day d (d = 0, 1, …;
    /// your strategy only, empty for the alternatives).
    pub cumulative: Vec<u64>,
}

impl EventSummary {
    /// Probability (with interval) that it happened before day `day`
    /// (whole days; "within 30 days" is `by_day(30.0)`).
    pub fn by_day(&self, day: f64) -> Option<Proportion> {
        let d = day.floor();
        if self.cumulative.is_empty() || d < 0.0 {
            return None;
        }
        let i = (d as usize).min(self.cumulative.len() - 1);
        Some(wilson(self.cumulative[i], self.p.n))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SeriesVariable {
    pub name: &'static str,
    pub mean: Vec<f64>,
    pub q10: Vec<f64>,
    pub q50: Vec<f64>,
    pub q90: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StrategyResult {
    pub name: String,
    pub label: String,
    pub outcomes: Vec<OutcomeProbability>,
    pub comes_back: Proportion,
    pub events: Vec<EventSummary>,
    /// P(outcome | this strategy) − P(outcome | your strategy), paired.
    pub versus_yours: Vec<(&'static str, PairedDifference)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MechanismEffect {
    pub mechanism: &'static str,
    pub title: &'static str,
    /// P(outcome | mechanism off) − P(outcome | all on), paired.
    pub changes: Vec<(&'static str, PairedDifference)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    pub trajectories: u64,
    pub failures: u64,
    pub seed: u64,
    pub steps: u64,
    pub outcomes: Vec<OutcomeProbability>,
    /// Back together, changed or not.
    pub comes_back: Proportion,
    pub events: Vec<EventSummary>,
    /// P(bid | met someone new before any bid) and P(bid | not).
    pub bid_given_met: Proportion,
    pub bid_given_not_met: Proportion,
    pub days: Vec<f64>,
    pub series: Vec<SeriesVariable>,
    pub strategies: Vec<StrategyResult>,
    pub attribution: Vec<MechanismEffect>,
    /// Plain-language reading of the top drivers.
    pub drivers: String,
}

/// The label of the sixth indicator used in comparisons.
pub const COMES_BACK: &str = "back together (changed or not)";

fn outcome_label(i: usize) -> &'static str {
    if i < 5 { OUTCOMES[i] } else { COMES_BACK }
}

fn summarise_strategy(
    t: &StrategyTally,
    n: u64,
    event_days: Option<&[Vec<u32>]>,
) -> (Vec<OutcomeProbability>, Proportion, Vec<EventSummary>) {
    let outcomes = (0..5)
        .map(|i| OutcomeProbability {
            outcome: OUTCOMES[i],
            p: wilson(t.outcomes[i], n),
        })
        .collect();
    let comes_back = wilson(t.outcomes[0] + t.outcomes[1], n);
    let events = (0..3)
        .map(|i| EventSummary {
            event: EVENT_KINDS[i],
            p: wilson(t.events[i], n),
            median_day: event_days.and_then(|h| histogram_quantile_days(&h[i], 0.5)),
            cumulative: event_days
                .map(|h| cumulative_by_day(&h[i]))
                .unwrap_or_default(),
        })
        .collect();
    (outcomes, comes_back, events)
}

/// out[d] = number of events before day d (quarter-day resolution).
fn cumulative_by_day(hist: &[u32]) -> Vec<u64> {
    let per_day = EVENT_BINS_PER_DAY as usize;
    let days = hist.len().div_ceil(per_day);
    let mut out = Vec::with_capacity(days + 1);
    let mut acc = 0u64;
    out.push(0);
    for d in 0..days {
        for c in &hist[d * per_day..((d + 1) * per_day).min(hist.len())] {
            acc += *c as u64;
        }
        out.push(acc);
    }
    out
}

fn histogram_quantile_days(hist: &[u32], q: f64) -> Option<f64> {
    let total: u64 = hist.iter().map(|c| *c as u64).sum();
    if total == 0 {
        return None;
    }
    let target = q * total as f64;
    let mut acc = 0.0;
    for (i, c) in hist.iter().enumerate() {
        let next = acc + *c as f64;
        if next >= target && *c > 0 {
            let within = (target - acc) / *c as f64;
            return Some((i as f64 + within) / EVENT_BINS_PER_DAY);
        }
        acc = next;
    }
    None
}

fn histogram_quantile(hist: &[u32], q: f64, lo: f64, hi: f64) -> f64 {
    let total: u64 = hist.iter().map(|c| *c as u64).sum();
    if total == 0 {
        return f64::NAN;
    }
    let target = q * total as f64;
    let width = (hi - lo) / BINS as f64;
    let mut acc = 0.0;
    for (i, c) in hist.iter().enumerate() {
        let next = acc + *c as f64;
        if next >= target && *c > 0 {
            let within = (target - acc) / *c as f64;
            return lo + (i as f64 + within) * width;
        }
        acc = next;
    }
    hi
}

/// Turns a tally into the forecast.
pub fn summarise(t: &Tally, opts: &ForecastOptions) -> Forecast {
    let n = t.n;
    let (outcomes, comes_back, events) = summarise_strategy(&t.base, n, Some(&t.event_hist));
    let strategies = opts
        .strategies
        .iter()
        .zip(&t.strategies)
        .map(|(s, st)| {
            let (outcomes, comes_back, events) = summarise_strategy(st, n, None);
            StrategyResult {
                name: s.name.clone(),
                label: s.label.clone(),
                outcomes,
                comes_back,
                events,
                versus_yours: (0..6)
                    .map(|i| {
                        (
                            outcome_label(i),
                            paired(st.only_here[i], st.only_reference[i], n),
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    let attribution: Vec<MechanismEffect> = t
        .mechanisms
        .iter()
        .enumerate()
        .map(|(mi, mt)| MechanismEffect {
            mechanism: MECHANISMS[mi],
            title: MECHANISM_TITLES[mi],
            changes: (0..6)
                .map(|i| {
                    (
                        outcome_label(i),
                        paired(mt.only_here[i], mt.only_reference[i], n),
                    )
                })
                .collect(),
        })
        .collect();
    let mut series = Vec::new();
    let mut days = Vec::new();
    if t.days > 0 && n > 0 {
        days = (0..t.days).map(|d| opts.run.t0 + d as f64).collect();
        for (v, name) in SERIES_VARIABLES.iter().enumerate() {
            let (lo, hi) = SERIES_RANGES[v];
            let mut sv = SeriesVariable {
                name,
                mean: Vec::with_capacity(t.days),
                q10: Vec::with_capacity(t.days),
                q50: Vec::with_capacity(t.days),
                q90: Vec::with_capacity(t.days),
            };
            for d in 0..t.days {
                let slot = d * SERIES_VARIABLES.len() + v;
                sv.mean.push(t.series_sum[slot] as f64 / FIXED / n as f64);
                let h = &t.series_hist[slot * BINS..(slot + 1) * BINS];
                sv.q10.push(histogram_quantile(h, 0.1, lo, hi));
                sv.q50.push(histogram_quantile(h, 0.5, lo, hi));
                sv.q90.push(histogram_quantile(h, 0.9, lo, hi));
            }
            series.push(sv);
        }
    }
    let drivers = drivers_sentence(&attribution, &comes_back);
    Forecast {
        trajectories: n,
        failures: t.failures,
        seed: opts.seed,
        steps: t.steps,
        outcomes,
        comes_back,
        events,
        bid_given_met: wilson(t.base.bid_given_met[1], t.base.bid_given_met[0]),
        bid_given_not_met: wilson(t.base.bid_given_not_met[1], t.base.bid_given_not_met[0]),
        days,
        series,
        strategies,
        attribution,
        drivers,
    }
}

fn points(x: f64) -> String {
    format!("{:.0}", (x * 100.0).abs())
}

/// One sentence on what drives the chance that your partner comes back.
pub fn drivers_sentence(attribution: &[MechanismEffect], comes_back: &Proportion) -> String {
    let mut effects: Vec<(&MechanismEffect, f64)> = attribution
        .iter()
        .map(|m| {
            (
                m,
                m.changes
                    .iter()
                    .find(|(o, _)| *o == COMES_BACK)
                    .map_or(0.0, |(_, d)| d.difference),
            )
        })
        .filter(|(_, d)| d.abs() >= 0.005)
        .collect();
    effects.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
    let base = format!(
        "In this model your partner comes back in about {}% of the simulated futures.",
        points(comes_back.probability)
    );
    match effects.as_slice() {
        [] => format!("{base} No single mechanism moves that by half a point or more."),
        [(m, d)] => format!(
            "{base} The main driver is {}: without it the chance would {} by {} points.",
            m.title,
            if *d < 0.0 { "fall" } else { "rise" },
            points(*d)
        ),
        [(m1, d1), (m2, d2), ..] => format!(
            "{base} The main drivers are {} (without it the chance would {} by {} points) and {} ({} by {} points).",
            m1.title,
            if *d1 < 0.0 { "fall" } else { "rise" },
            points(*d1),
            m2.title,
            if *d2 < 0.0 { "fall" } else { "rise" },
            points(*d2)
        ),
    }
}

/// Runs the whole forecast on the current rayon pool.
pub fn forecast(
    sampler: &dyn ParamSampler,
    opts: &ForecastOptions,
) -> Result<Forecast, ModelError> {
    validate(opts)?;
    let tally = run_shard(sampler, opts, 0..opts.trajectories)?;
    Ok(summarise(&tally, opts))
}

/// Checks the options a person can get wrong.
pub fn validate(opts: &ForecastOptions) -> Result<(), ModelError> {
    opts.run.validate()?;
    if opts.trajectories == 0 || opts.trajectories > 100_000_000 {
        return Err(ModelError::InvalidRunOption {
            field: "trajectories",
            value: opts.trajectories.to_string(),
            allowed: "between 1 and 100000000".into(),
        });
    }
    // The variants skip the per-run range checks, so their overrides are
    // checked here, once.
    let info = &walkaway::INFO;
    for s in &opts.strategies {
        for (name, value) in [
            ("separation.length", s.length),
            ("separation.contact", s.contact),
            ("separation.after", s.after),
        ] {
            info.params[info.param_index(name).expect("walkaway parameter")].check(value)?;
        }
    }
    if opts.series && opts.run.t_end - opts.run.t0 > 100_000.0 {
        return Err(ModelError::InvalidRunOption {
            field: "t_end",
            value: opts.run.t_end.to_string(),
            allowed: "a horizon of at most 100000 days for daily series".into(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::walkaway::INFO;

    fn sampler(s: &mut Stream) -> Vec<f64> {
        let mut p = INFO.default_params();
        for name in [
            "partner.satisfaction",
            "partner.investment",
            "partner.alternatives",
            "you.love",
        ] {
            let i = INFO.param_index(name).unwrap();
            p[i] = (p[i] + 0.3 * (2.0 * s.uniform() - 1.0)).clamp(0.0, 1.0);
        }
        p
    }

    fn options(n: u64) -> ForecastOptions {
        ForecastOptions {
            trajectories: n,
            seed: 9,
            run: forecast_run_options(),
            strategies: standard_strategies(180.0, 0.5),
            attribution: true,
            series: true,
        }
    }

    #[test]
    fn wilson_interval_matches_known_values() {
        // 50 of 100: 0.4038–0.5962 (Wilson 1927 score interval, z = 1.96).
        let p = wilson(50, 100);
        assert!(
            (p.ci_low - 0.4038).abs() < 1e-4 && (p.ci_high - 0.5962).abs() < 1e-4,
            "{p:?}"
        );
        let zero = wilson(0, 20);
        assert_eq!(zero.ci_low, 0.0);
        assert!((zero.ci_high - 0.1611).abs() < 1e-4, "{zero:?}");
    }

    #[test]
    fn one_thread_or_two_give_identical_forecasts() {
        let opts = options(150);
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let two = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let a = one.install(|| forecast(&sampler, &opts)).unwrap();
        let b = two.install(|| forecast(&sampler, &opts)).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn shards_merge_into_the_same_tally() {
        let opts = options(130);
        let whole = run_shard(&sampler, &opts, 0..130).unwrap();
        let mut merged = run_shard(&sampler, &opts, 0..47).unwrap();
        merged.merge(&run_shard(&sampler, &opts, 47..100).unwrap());
        merged.merge(&run_shard(&sampler, &opts, 100..130).unwrap());
        assert_eq!(whole, merged);
        assert_eq!(summarise(&whole, &opts), summarise(&merged, &opts));
    }

    #[test]
    fn tallies_survive_the_round_trip_through_parts() {
        let opts = options(70);
        let t = run_shard(&sampler, &opts, 0..70).unwrap();
        let back = Tally::from_parts(t.to_parts(), &opts).unwrap();
        assert_eq!(t, back);
        // Parts of other options are refused, naming the part.
        let mut other = opts.clone();
        other.attribution = false;
        let err = Tally::from_parts(t.to_parts(), &other).unwrap_err();
        assert!(err.to_string().contains("mechanisms"), "{err}");
    }

    #[test]
    fn probabilities_add_up_and_series_are_daily() {
        let opts = options(200);
        let f = forecast(&sampler, &opts).unwrap();
        let total: f64 = f.outcomes.iter().map(|o| o.p.probability).sum();
        assert!((total - 1.0).abs() < 1e-12);
        assert_eq!(f.days.len(), 181);
        assert_eq!(f.series.len(), SERIES_VARIABLES.len());
        for s in &f.series {
            for d in 0..f.days.len() {
                assert!(
                    s.q10[d] <= s.q50[d] + 1e-12 && s.q50[d] <= s.q90[d] + 1e-12,
                    "{} day {d}",
                    s.name
                );
            }
        }
        // Staying never separates: nobody bids.
        let stay = f.strategies.iter().find(|s| s.name == "stay").unwrap();
        assert_eq!(stay.events[0].p.count, 0);
        assert_eq!(f.attribution.len(), 11);
        assert!(!f.drivers.is_empty());
    }

    #[test]
    fn bad_options_name_the_field() {
        let mut opts = options(0);
        let err = forecast(&sampler, &opts).unwrap_err();
        assert!(err.to_string().contains("trajectories"), "{err}");
        opts.trajectories = 10;
        opts.run.t_end = -1.0;
        let err = forecast(&sampler, &opts).unwrap_err();
        assert!(err.to_string().contains("t_end"), "{err}");
    }
}
