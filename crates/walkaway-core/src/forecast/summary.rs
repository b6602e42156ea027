//! From a tally to the forecast: probabilities, events, series, strategies
//! and attribution.

use super::*;

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
    /// Smallest and largest value seen that day (NaN when unknown: a
    /// tally merged from parts saved before extremes were kept).
    pub min: Vec<f64>,
    pub max: Vec<f64>,
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

pub(super) fn outcome_label(i: usize) -> &'static str {
    if i < 5 { OUTCOMES[i] } else { COMES_BACK }
}

pub(super) fn summarise_strategy(
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
            let mut sv = SeriesVariable {
                name,
                mean: Vec::with_capacity(t.days),
                q10: Vec::with_capacity(t.days),
                q50: Vec::with_capacity(t.days),
                q90: Vec::with_capacity(t.days),
                min: Vec::with_capacity(t.days),
                max: Vec::with_capacity(t.days),
            };
            for d in 0..t.days {
                let slot = d * SERIES_VARIABLES.len() + v;
                sv.mean.push(t.series_sum[slot] as f64 / FIXED / n as f64);
                let known = t.series_min[slot] != i64::MIN || t.series_max[slot] != i64::MAX;
                let (min, max) = if known && t.series_min[slot] <= t.series_max[slot] {
                    (
                        t.series_min[slot] as f64 / FIXED,
                        t.series_max[slot] as f64 / FIXED,
                    )
                } else {
                    (f64::NAN, f64::NAN)
                };
                // Unknown extremes do not clamp.
                let (lo, hi) = if min.is_nan() {
                    (f64::MIN, f64::MAX)
                } else {
                    (min, max)
                };
                let h = &t.series_hist[slot * BINS..(slot + 1) * BINS];
                sv.q10.push(histogram_quantile(h, 0.1, v, lo, hi));
                sv.q50.push(histogram_quantile(h, 0.5, v, lo, hi));
                sv.q90.push(histogram_quantile(h, 0.9, v, lo, hi));
                sv.min.push(min);
                sv.max.push(max);
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
