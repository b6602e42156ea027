//! What a forecast accumulates: exact, order-free, mergeable tallies.

use super::*;

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
/// How the histogram bins of a series variable are spaced over its range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Binning {
    /// Even bins, for variables spread over their range.
    Linear,
    /// Bins even in √(x − lo): fine near the bottom, where loneliness,
    /// jealousy and contact spend much of the time at or near 0 (even bins
    /// of 1/400 of the range put all of that in one bin and report its
    /// interpolated middle as the quantiles).
    Sqrt,
}

/// Range and binning of each series variable, in the order of
/// [`SERIES_VARIABLES`]. Values outside the range count in the first or
/// last bin; the quantiles never leave the observed minimum and maximum.
pub(super) const SERIES_RANGES: [(f64, f64, Binning); 7] = [
    (-1.0, 2.0, Binning::Linear),
    (-1.0, 2.0, Binning::Linear),
    (0.0, 1.0, Binning::Sqrt),
    (0.0, 1.0, Binning::Sqrt),
    (0.0, 1.0, Binning::Linear),
    (-1.5, 2.0, Binning::Linear),
    (0.0, 20.0, Binning::Sqrt),
];

/// Where `x` falls on the histogram of series variable `var`, in bins
/// (0 to [`BINS`]; NaN stays NaN).
pub(super) fn bin_position(var: usize, x: f64) -> f64 {
    let (lo, hi, binning) = SERIES_RANGES[var];
    let u = ((x - lo) / (hi - lo)).clamp(0.0, 1.0);
    let u = match binning {
        Binning::Linear => u,
        Binning::Sqrt => u.sqrt(),
    };
    u * BINS as f64
}

/// The value at histogram position `position` of series variable `var`
/// (the inverse of [`bin_position`] inside the range).
pub(super) fn value_at(var: usize, position: f64) -> f64 {
    let (lo, hi, binning) = SERIES_RANGES[var];
    let u = position / BINS as f64;
    let u = match binning {
        Binning::Linear => u,
        Binning::Sqrt => u * u,
    };
    lo + u * (hi - lo)
}

/// The extremes of a slot no observation reached yet.
pub(super) const NO_MIN: i64 = i64::MAX;
pub(super) const NO_MAX: i64 = i64::MIN;
pub(super) const BINS: usize = 400;
pub(super) const EVENT_BINS_PER_DAY: f64 = 4.0;
/// Fixed-point scale of the exact sums (2^32).
pub(super) const FIXED: f64 = 4_294_967_296.0;

pub(super) fn series_value(var: usize, sys: &walkaway::WalkawaySystem, y: &[f64; state::N]) -> f64 {
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
pub(super) struct StrategyTally {
    pub(super) outcomes: [u64; 5],
    pub(super) events: [u64; 3],
    /// Per outcome: only this strategy had it / only the reference had it.
    pub(super) only_here: [u64; 6],
    pub(super) only_reference: [u64; 6],
    pub(super) bid_given_met: [u64; 2],
    pub(super) bid_given_not_met: [u64; 2],
}

impl StrategyTally {
    pub(super) fn new() -> Self {
        Self {
            outcomes: [0; 5],
            events: [0; 3],
            only_here: [0; 6],
            only_reference: [0; 6],
            bid_given_met: [0; 2],
            bid_given_not_met: [0; 2],
        }
    }

    pub(super) fn merge(&mut self, o: &Self) {
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
pub(super) struct RunSummary {
    pub(super) outcome: usize,
    pub(super) event_day: [Option<f64>; 3],
}

impl RunSummary {
    pub(super) fn indicators(&self) -> [bool; 6] {
        let mut v = [false; 6];
        v[self.outcome] = true;
        // The sixth indicator: back together, changed or not.
        v[5] = self.outcome <= 1;
        v
    }

    pub(super) fn of(sys: &walkaway::WalkawaySystem, y: &[f64; state::N]) -> Self {
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
    pub(super) n: u64,
    pub(super) failures: u64,
    pub(super) steps: u64,
    pub(super) days: usize,
    pub(super) base: StrategyTally,
    pub(super) strategies: Vec<StrategyTally>,
    pub(super) mechanisms: Vec<StrategyTally>,
    pub(super) event_hist: Vec<Vec<u32>>,
    pub(super) series_hist: Vec<u32>,
    pub(super) series_sum: Vec<i128>,
    /// Smallest and largest value per slot, fixed-point like the sums
    /// (min and max merge exactly and in any order).
    pub(super) series_min: Vec<i64>,
    pub(super) series_max: Vec<i64>,
}

impl Tally {
    pub(super) fn new(opts: &ForecastOptions) -> Self {
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
            series_min: vec![NO_MIN; days * SERIES_VARIABLES.len()],
            series_max: vec![NO_MAX; days * SERIES_VARIABLES.len()],
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
        for (x, y) in self.series_min.iter_mut().zip(&o.series_min) {
            *x = (*x).min(*y);
        }
        for (x, y) in self.series_max.iter_mut().zip(&o.series_max) {
            *x = (*x).max(*y);
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
    /// Per-slot extremes (fixed-point); both empty in parts saved before
    /// they were kept, which then merge as "unknown" (no clamping).
    pub series_min: Vec<i64>,
    pub series_max: Vec<i64>,
}

impl StrategyTally {
    pub(super) fn to_counts(&self) -> Vec<u64> {
        let mut v = Vec::with_capacity(24);
        v.extend_from_slice(&self.outcomes);
        v.extend_from_slice(&self.events);
        v.extend_from_slice(&self.only_here);
        v.extend_from_slice(&self.only_reference);
        v.extend_from_slice(&self.bid_given_met);
        v.extend_from_slice(&self.bid_given_not_met);
        v
    }

    pub(super) fn from_counts(v: &[u64]) -> Option<Self> {
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
            series_min: self.series_min.clone(),
            series_max: self.series_max.clone(),
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
        if parts.series_min.is_empty() && parts.series_max.is_empty() {
            // Saved before extremes were kept: unknown, the widest possible.
            t.series_min.fill(i64::MIN);
            t.series_max.fill(i64::MAX);
        } else {
            for (part, got) in [
                ("series_min", parts.series_min.len()),
                ("series_max", parts.series_max.len()),
            ] {
                if got != t.series_min.len() {
                    return Err(bad(part, got, t.series_min.len()));
                }
            }
            t.series_min = parts.series_min;
            t.series_max = parts.series_max;
        }
        t.series_hist = parts.series_hist;
        t.series_sum = parts.series_sum;
        Ok(t)
    }
}

pub(super) fn tally_run(t: &mut StrategyTally, s: &RunSummary, reference: Option<&RunSummary>) {
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

/// Adds day `day` of the base run to the series: an exact fixed-point sum,
/// the extremes and a histogram bin per variable.
pub(super) fn observe_day(
    t: &mut SeriesTally<'_>,
    day: usize,
    sys: &walkaway::WalkawaySystem,
    y: &[f64; state::N],
) {
    for v in 0..SERIES_VARIABLES.len() {
        let x = series_value(v, sys, y);
        let slot = day * SERIES_VARIABLES.len() + v;
        // Truncating casts are single instructions here, where `round` and
        // `floor` are library calls on the baseline x86-64 target; the sum
        // stays exact and order-free either way (2^-32 per value).
        let fixed = (x * FIXED) as i64;
        t.sum[slot] += fixed as i128;
        t.min[slot] = t.min[slot].min(fixed);
        t.max[slot] = t.max[slot].max(fixed);
        let position = bin_position(v, x);
        let bin = if position >= 0.0 {
            (position as usize).min(BINS - 1)
        } else {
            0
        };
        t.hist[slot * BINS + bin] += 1;
    }
}

/// The series parts of a [`Tally`], borrowed together while a trajectory
/// runs (the rest of the tally is updated after the run).
pub(super) struct SeriesTally<'a> {
    pub(super) hist: &'a mut [u32],
    pub(super) sum: &'a mut [i128],
    pub(super) min: &'a mut [i64],
    pub(super) max: &'a mut [i64],
}

impl Tally {
    pub(super) fn series_mut(&mut self) -> SeriesTally<'_> {
        SeriesTally {
            hist: &mut self.series_hist,
            sum: &mut self.series_sum,
            min: &mut self.series_min,
            max: &mut self.series_max,
        }
    }
}
