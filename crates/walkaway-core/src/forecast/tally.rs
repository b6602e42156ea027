//! What a forecast accumulates: exact, order-free, mergeable tallies.

use super::*;

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

/// The state components [`series_value`] reads (the contact rate reads
/// wanting and jealousy), so your strategy's run interpolates only these
/// at its daily outputs.
pub(super) const SERIES_COMPONENTS: [usize; 6] = [
    state::LOVE,
    state::WANTING,
    state::LONELINESS,
    state::JEALOUSY,
    state::NEGATIVITY,
    state::YOUR_LOVE,
];

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
    pub(super) outcomes: [u64; OUTCOME_COUNT],
    pub(super) events: [u64; EVENT_COUNT],
    /// Per indicator: only this strategy had it / only the reference had it.
    pub(super) only_here: [u64; INDICATORS],
    pub(super) only_reference: [u64; INDICATORS],
    pub(super) bid_given_met: [u64; 2],
    pub(super) bid_given_not_met: [u64; 2],
    /// Sums over runs of the separations and reunions in each.
    pub(super) episodes: [u64; 2],
    /// Per window of [`AFTER_REUNION_DAYS`]: first reunions followed for at
    /// least that long, and those of them separated again within it.
    pub(super) after_reunion: [[u64; 2]; AFTER_REUNION_DAYS.len()],
}

/// Counts in a [`StrategyTally`] saved as a flat list.
pub(super) const STRATEGY_COUNTS: usize =
    OUTCOME_COUNT + EVENT_COUNT + 2 * INDICATORS + 4 + 2 + 2 * AFTER_REUNION_DAYS.len();

impl StrategyTally {
    pub(super) fn new() -> Self {
        Self {
            outcomes: [0; OUTCOME_COUNT],
            events: [0; EVENT_COUNT],
            only_here: [0; INDICATORS],
            only_reference: [0; INDICATORS],
            bid_given_met: [0; 2],
            bid_given_not_met: [0; 2],
            episodes: [0; 2],
            after_reunion: [[0; 2]; AFTER_REUNION_DAYS.len()],
        }
    }

    pub(super) fn merge(&mut self, o: &Self) {
        let mut mine = self.to_counts();
        for (a, b) in mine.iter_mut().zip(o.to_counts()) {
            *a += b;
        }
        *self = Self::from_counts(&mine).expect("same shape");
    }

    pub(super) fn to_counts(&self) -> Vec<u64> {
        let mut v = Vec::with_capacity(STRATEGY_COUNTS);
        v.extend_from_slice(&self.outcomes);
        v.extend_from_slice(&self.events);
        v.extend_from_slice(&self.only_here);
        v.extend_from_slice(&self.only_reference);
        v.extend_from_slice(&self.bid_given_met);
        v.extend_from_slice(&self.bid_given_not_met);
        v.extend_from_slice(&self.episodes);
        for w in &self.after_reunion {
            v.extend_from_slice(w);
        }
        v
    }

    pub(super) fn from_counts(v: &[u64]) -> Option<Self> {
        if v.len() != STRATEGY_COUNTS {
            return None;
        }
        let mut t = Self::new();
        let mut rest = v;
        let mut take = |out: &mut [u64]| {
            let (head, tail) = rest.split_at(out.len());
            out.copy_from_slice(head);
            rest = tail;
        };
        take(&mut t.outcomes);
        take(&mut t.events);
        take(&mut t.only_here);
        take(&mut t.only_reference);
        take(&mut t.bid_given_met);
        take(&mut t.bid_given_not_met);
        take(&mut t.episodes);
        for w in t.after_reunion.iter_mut() {
            take(w);
        }
        Some(t)
    }
}

/// The summary of one run that the tallies need.
#[derive(Debug, Clone, Copy)]
pub(super) struct RunSummary {
    pub(super) outcome: Outcome,
    /// First day of each kind of event, in the order of [`EVENT_KINDS`].
    pub(super) event_day: [Option<f64>; EVENT_COUNT],
    pub(super) separations: u32,
    pub(super) reunions: u32,
    /// The first reunion, and the first separation after it.
    pub(super) first_reunion: Option<f64>,
    pub(super) separated_again: Option<f64>,
    pub(super) horizon: f64,
}

impl RunSummary {
    pub(super) fn indicators(&self) -> [bool; INDICATORS] {
        let mut v = [false; INDICATORS];
        v[self.outcome.index()] = true;
        v[TOGETHER] = self.outcome.together();
        v
    }

    pub(super) fn of(sys: &walkaway::WalkawaySystem, horizon: f64, y: &[f64; state::N]) -> Self {
        let mut event_day = [None; EVENT_COUNT];
        let mut first_reunion = None;
        let mut separated_again = None;
        for e in &sys.log {
            if let Some(kind) = EventKind::of(e.kind) {
                event_day[kind as usize].get_or_insert(e.t);
            }
            match e.kind {
                LogKind::Reunion { .. } => {
                    first_reunion.get_or_insert(e.t);
                }
                LogKind::Separation { .. } if first_reunion.is_some() => {
                    separated_again.get_or_insert(e.t);
                }
                _ => {}
            }
        }
        Self {
            outcome: sys.outcome(horizon, y),
            event_day,
            separations: sys.standing.separations,
            reunions: sys.standing.reunions,
            first_reunion,
            separated_again,
            horizon,
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
    /// With model uncertainty: per plausible model, its runs and the
    /// indicator counts of your strategy and of each other strategy
    /// ([`Tally::model_width`] counts each).
    pub(super) per_model: Vec<u64>,
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
            event_hist: vec![vec![0; event_bins]; EVENT_COUNT],
            series_hist: vec![0; days * SERIES_VARIABLES.len() * BINS],
            series_sum: vec![0; days * SERIES_VARIABLES.len()],
            series_min: vec![NO_MIN; days * SERIES_VARIABLES.len()],
            series_max: vec![NO_MAX; days * SERIES_VARIABLES.len()],
            per_model: vec![
                0;
                opts.model_draws as usize * Self::model_width(opts.strategies.len())
            ],
        }
    }

    /// Counts per plausible model: its runs, then the indicators of your
    /// strategy and of each other strategy.
    pub(super) fn model_width(strategies: usize) -> usize {
        1 + INDICATORS * (1 + strategies)
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
        for (x, y) in self.per_model.iter_mut().zip(&o.per_model) {
            *x += y;
        }
    }
}

/// A [`Tally`] as plain integers, for saving a shard to a file and merging
/// it elsewhere ([`Tally::to_parts`], [`Tally::from_parts`]). Each strategy
/// tally is [`STRATEGY_COUNTS`] counts (outcomes, events, paired indicators,
/// bids by whether your partner met someone first, episodes, separations
/// after a reunion).
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
    pub per_model: Vec<u64>,
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
            per_model: self.per_model.clone(),
        }
    }

    /// A tally of a forecast with options `opts` from saved parts; an error
    /// names the part whose shape does not fit those options.
    pub fn from_parts(parts: TallyParts, opts: &ForecastOptions) -> Result<Self, ModelError> {
        let mut t = Tally::new(opts);
        let bad = |part: &'static str, got: usize, want: usize| ModelError::InvalidTally {
            part: part.into(),
            reason: format!("{got} entries where these forecast options make {want}"),
        };
        let counts = |part: &'static str, v: &[Vec<u64>], want: usize| {
            if v.len() != want {
                return Err(bad(part, v.len(), want));
            }
            v.iter()
                .map(|c| {
                    StrategyTally::from_counts(c).ok_or_else(|| bad(part, c.len(), STRATEGY_COUNTS))
                })
                .collect::<Result<Vec<_>, _>>()
        };
        t.base = StrategyTally::from_counts(&parts.base)
            .ok_or_else(|| bad("base", parts.base.len(), STRATEGY_COUNTS))?;
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
        if parts.per_model.len() != t.per_model.len() {
            return Err(bad("per_model", parts.per_model.len(), t.per_model.len()));
        }
        t.per_model = parts.per_model;
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
        t.check_counts(opts)?;
        Ok(t)
    }

    /// Checks that the counts can come from `n` runs (and `failures` more
    /// that stopped): a part edited or damaged by hand must be refused, not
    /// merged into a result above 100%.
    fn check_counts(&self, opts: &ForecastOptions) -> Result<(), ModelError> {
        let n = self.n;
        let invalid = |part: String, reason: String| ModelError::InvalidTally { part, reason };
        let attempted = n.checked_add(self.failures).ok_or_else(|| {
            invalid(
                "failures".into(),
                format!("{} runs plus {} stopped runs overflow", n, self.failures),
            )
        })?;
        let strategies = std::iter::once(("base".to_string(), &self.base))
            .chain(
                self.strategies
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (format!("strategies[{i}]"), s)),
            )
            .chain(
                self.mechanisms
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (format!("mechanisms[{i}]"), s)),
            );
        for (part, s) in strategies {
            s.check_counts(n).map_err(|reason| invalid(part, reason))?;
        }
        for (i, hist) in self.event_hist.iter().enumerate() {
            let dated: u64 = hist.iter().map(|&c| u64::from(c)).sum();
            if dated != self.base.events[i] {
                return Err(invalid(
                    "event_hist".into(),
                    format!(
                        "{dated} dated events of kind {i} where `base` counts {}",
                        self.base.events[i]
                    ),
                ));
            }
        }
        // Each run adds one observation per day and variable; a run that
        // stopped may have added some before it stopped.
        for (slot, bins) in self.series_hist.chunks(BINS).enumerate() {
            let seen: u64 = bins.iter().map(|&c| u64::from(c)).sum();
            if seen > attempted {
                return Err(invalid(
                    "series_hist".into(),
                    format!("{seen} observations in slot {slot} from {attempted} runs"),
                ));
            }
        }
        if opts.model_draws > 0 {
            let width = Self::model_width(opts.strategies.len());
            let mut runs = 0u64;
            for (m, counts) in self.per_model.chunks(width).enumerate() {
                let (here, indicators) = (counts[0], &counts[1..]);
                if let Some(c) = indicators.iter().find(|&&c| c > here) {
                    return Err(invalid(
                        "per_model".into(),
                        format!("a count of {c} in plausible model {m}, which has {here} runs"),
                    ));
                }
                runs = runs.saturating_add(here);
            }
            if runs != n {
                return Err(invalid(
                    "per_model".into(),
                    format!("{runs} runs over the plausible models where the tally has {n}"),
                ));
            }
        }
        Ok(())
    }

    /// [`Tally::merge`] for tallies read from files: an error, and `self`
    /// unchanged, if any count would overflow (no count may wrap around to
    /// a small one).
    pub fn checked_merge(&mut self, o: &Tally) -> Result<(), ModelError> {
        fn add<T: Copy>(
            part: &str,
            a: &mut [T],
            b: &[T],
            checked: fn(T, T) -> Option<T>,
        ) -> Result<(), ModelError> {
            for (x, y) in a.iter_mut().zip(b) {
                *x = checked(*x, *y).ok_or_else(|| ModelError::InvalidTally {
                    part: part.into(),
                    reason: "adding up the parts overflows".into(),
                })?;
            }
            Ok(())
        }
        let mut t = self.clone();
        let mut counts = [t.n, t.failures, t.steps];
        add(
            "trajectories",
            &mut counts,
            &[o.n, o.failures, o.steps],
            u64::checked_add,
        )?;
        [t.n, t.failures, t.steps] = counts;
        let strategy = |part: &str, a: &mut StrategyTally, b: &StrategyTally| {
            let mut mine = a.to_counts();
            add(part, &mut mine, &b.to_counts(), u64::checked_add)?;
            *a = StrategyTally::from_counts(&mine).expect("same shape");
            Ok::<(), ModelError>(())
        };
        strategy("base", &mut t.base, &o.base)?;
        for (a, b) in t.strategies.iter_mut().zip(&o.strategies) {
            strategy("strategies", a, b)?;
        }
        for (a, b) in t.mechanisms.iter_mut().zip(&o.mechanisms) {
            strategy("mechanisms", a, b)?;
        }
        for (a, b) in t.event_hist.iter_mut().zip(&o.event_hist) {
            add("event_hist", a, b, u32::checked_add)?;
        }
        add(
            "series_hist",
            &mut t.series_hist,
            &o.series_hist,
            u32::checked_add,
        )?;
        add(
            "series_sum",
            &mut t.series_sum,
            &o.series_sum,
            i128::checked_add,
        )?;
        add(
            "per_model",
            &mut t.per_model,
            &o.per_model,
            u64::checked_add,
        )?;
        for (x, y) in t.series_min.iter_mut().zip(&o.series_min) {
            *x = (*x).min(*y);
        }
        for (x, y) in t.series_max.iter_mut().zip(&o.series_max) {
            *x = (*x).max(*y);
        }
        *self = t;
        Ok(())
    }
}

impl StrategyTally {
    /// Checks the counts of `n` runs: one outcome each, at most one of each
    /// event and indicator each, and never more cases than their base.
    fn check_counts(&self, n: u64) -> Result<(), String> {
        let outcomes = self
            .outcomes
            .iter()
            .try_fold(0u64, |a, &c| a.checked_add(c))
            .unwrap_or(u64::MAX);
        if outcomes != n {
            return Err(format!("outcomes adding up to {outcomes} for {n} runs"));
        }
        let at_most_n = self
            .events
            .iter()
            .chain(&self.only_here)
            .chain(&self.only_reference)
            .chain(self.after_reunion.iter().map(|w| &w[0]));
        if let Some(c) = at_most_n.into_iter().find(|&&c| c > n) {
            return Err(format!("a count of {c} for {n} runs"));
        }
        let bids = self.bid_given_met[0].checked_add(self.bid_given_not_met[0]);
        if bids != Some(n) {
            return Err(format!(
                "{} + {} runs by whether your partner met someone, for {n} runs",
                self.bid_given_met[0], self.bid_given_not_met[0]
            ));
        }
        let pairs = [self.bid_given_met, self.bid_given_not_met]
            .into_iter()
            .chain(self.after_reunion);
        if let Some([of, cases]) = pairs.into_iter().find(|[of, cases]| cases > of) {
            return Err(format!("{cases} cases out of {of}"));
        }
        Ok(())
    }
}

pub(super) fn tally_run(t: &mut StrategyTally, s: &RunSummary, reference: Option<&RunSummary>) {
    t.outcomes[s.outcome.index()] += 1;
    for (count, day) in t.events.iter_mut().zip(&s.event_day) {
        *count += day.is_some() as u64;
    }
    let bid = s.event_day[EventKind::PartnerAsked as usize];
    let met = s.event_day[EventKind::PartnerMetSomeone as usize];
    let met_before_bid = match (met, bid) {
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
    slot[1] += bid.is_some() as u64;
    t.episodes[0] += s.separations as u64;
    t.episodes[1] += s.reunions as u64;
    if let Some(r) = s.first_reunion {
        for (w, days) in t.after_reunion.iter_mut().zip(AFTER_REUNION_DAYS) {
            if r + days <= s.horizon {
                w[0] += 1;
                w[1] += s.separated_again.is_some_and(|a| a <= r + days) as u64;
            }
        }
    }
    if let Some(r) = reference {
        let (a, b) = (s.indicators(), r.indicators());
        for i in 0..INDICATORS {
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
        t.bins[slot] = bin as u16;
    }
}

/// The series parts of a [`Tally`], borrowed together while a trajectory
/// runs (the rest of the tally is updated after the run), and the row of
/// [`HeldBins`] that takes this trajectory's histogram bins.
pub(super) struct SeriesTally<'a> {
    pub(super) bins: &'a mut [u16],
    pub(super) sum: &'a mut [i128],
    pub(super) min: &'a mut [i64],
    pub(super) max: &'a mut [i64],
}

impl Tally {
    /// The series of one trajectory, its bins held in `held` until
    /// [`HeldBins::release`].
    pub(super) fn series_mut<'a>(&'a mut self, held: &'a mut HeldBins) -> SeriesTally<'a> {
        SeriesTally {
            bins: held.next_row(),
            sum: &mut self.series_sum,
            min: &mut self.series_min,
            max: &mut self.series_max,
        }
    }
}

/// The histogram bins of a few trajectories' daily series, held back and
/// then added to the tally's histograms one row (day and variable) at a
/// time. Added as each day is observed, one trajectory's counts land in
/// days × variables rows of 400 bins spread over megabytes, nearly every
/// count a cache miss (a fifth of a forecast's time); held back, each row
/// takes all the held trajectories' counts while it is in cache. The counts
/// are sums, so the order cannot change them.
pub(super) struct HeldBins {
    /// One row of `slots` bins per trajectory; [`HeldBins::UNSEEN`] where
    /// a day was not observed (a run that failed before it).
    bins: Vec<u16>,
    slots: usize,
    rows: usize,
}

impl HeldBins {
    const UNSEEN: u16 = u16::MAX;

    /// Room for the series of `days` days, grown as rows are taken.
    pub(super) fn new(days: usize) -> Self {
        const _: () = assert!(BINS < HeldBins::UNSEEN as usize);
        HeldBins {
            bins: Vec::new(),
            slots: days * SERIES_VARIABLES.len(),
            rows: 0,
        }
    }

    fn next_row(&mut self) -> &mut [u16] {
        let start = self.rows * self.slots;
        self.rows += 1;
        if self.bins.len() < start + self.slots {
            self.bins.resize(start + self.slots, Self::UNSEEN);
        }
        let row = &mut self.bins[start..start + self.slots];
        row.fill(Self::UNSEEN);
        row
    }

    /// Adds the held counts to `t`'s histograms and empties the rows.
    pub(super) fn release(&mut self, t: &mut Tally) {
        let slots = self.slots;
        let held = &self.bins[..self.rows * slots];
        for (slot, hist) in t.series_hist.chunks_exact_mut(BINS).enumerate() {
            for bin in held.iter().skip(slot).step_by(slots) {
                if *bin != Self::UNSEEN {
                    hist[*bin as usize] += 1;
                }
            }
        }
        self.rows = 0;
    }
}
