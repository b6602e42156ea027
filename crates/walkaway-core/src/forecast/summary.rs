//! From a tally to the forecast: probabilities with both kinds of
//! uncertainty, events that say who did what, episodes, strategies compared
//! with staying, and attribution.

use super::*;

/// The probability of an outcome (or of being together at the end), with
/// its Monte Carlo interval (`p.ci_low`, `p.ci_high`) and, when the
/// forecast drew plausible models, the 5–95% range across them.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeProbability {
    /// Index among the indicators ([`indicator_key`], [`indicator_label`]).
    pub indicator: usize,
    pub p: Proportion,
    pub model_range: Option<ModelRange>,
}

impl OutcomeProbability {
    pub fn key(&self) -> &'static str {
        indicator_key(self.indicator)
    }
    pub fn label(&self) -> &'static str {
        indicator_label(self.indicator)
    }
}

/// The spread of a probability across plausible models: the 5% and 95%
/// points of the per-model probabilities, after removing the part of their
/// spread that is Monte Carlo noise of the per-model runs (each deviation
/// from the pooled value shrunk by sqrt(between-model variance / total)).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelRange {
    pub low: f64,
    pub high: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EventSummary {
    pub event: EventKind,
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

/// Separations after getting back together.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AfterReunion {
    pub days: f64,
    /// P(separated again within `days` | got back together), over first
    /// reunions followed for at least `days` before the horizon.
    pub p: Proportion,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StrategyResult {
    pub name: String,
    pub label: String,
    pub outcomes: Vec<OutcomeProbability>,
    pub together: OutcomeProbability,
    pub events: Vec<EventSummary>,
    /// Mean separations and reunions per run.
    pub separations_per_run: f64,
    pub reunions_per_run: f64,
    /// Only windows that some first reunion was followed for.
    pub after_reunion: Vec<AfterReunion>,
    /// P(indicator | this strategy) − P(indicator | your strategy), paired.
    pub versus_yours: Vec<(usize, PairedDifference)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MechanismEffect {
    pub mechanism: &'static str,
    pub title: &'static str,
    /// P(indicator | mechanism off) − P(indicator | all on), paired.
    pub changes: Vec<(usize, PairedDifference)>,
}

/// Where the comparison of a way of walking away with staying reverses
/// across plausible models.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderFlip {
    pub strategy: String,
    pub indicator: usize,
    /// Share of plausible models in which the difference with staying has
    /// the other sign than over all of them.
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    pub trajectories: u64,
    pub failures: u64,
    pub seed: u64,
    pub steps: u64,
    /// Your strategy.
    pub yours: StrategyResult,
    /// P(bid | met someone new before any bid) and P(bid | not).
    pub bid_given_met: Proportion,
    pub bid_given_not_met: Proportion,
    pub days: Vec<f64>,
    pub series: Vec<SeriesVariable>,
    /// The other ways of walking away (staying excluded).
    pub strategies: Vec<StrategyResult>,
    /// Staying: the comparison, not a way of walking away.
    pub staying: Option<StrategyResult>,
    pub attribution: Vec<MechanismEffect>,
    /// Plausible models drawn (0: the model's uncertainty is not shown).
    pub model_draws: u32,
    /// Comparisons with staying that reverse in at least 10% of plausible models.
    pub order_flips: Vec<OrderFlip>,
    /// Plain-language reading of the top drivers.
    pub drivers: String,
}

/// A strategy is staying when it never separates.
pub fn is_staying(s: &Strategy) -> bool {
    s.length == 0.0
}

/// Per-model probabilities of each indicator for strategy slot `slot`
/// (0 = yours, 1 + i = strategy i).
fn per_model(t: &Tally, strategies: usize, slot: usize) -> Vec<[f64; INDICATORS]> {
    let width = Tally::model_width(strategies);
    t.per_model
        .chunks(width)
        .filter(|c| c[0] > 0)
        .map(|c| {
            let n = c[0] as f64;
            let counts = &c[1 + INDICATORS * slot..1 + INDICATORS * (slot + 1)];
            std::array::from_fn(|i| counts[i] as f64 / n)
        })
        .collect()
}

/// The 5–95% range across models of one indicator, with the Monte Carlo
/// part of the spread removed (see [`ModelRange`]).
fn model_range(t: &Tally, values: &[f64], pooled: f64) -> Option<ModelRange> {
    if values.len() < 2 {
        return None;
    }
    let m = values.len() as f64;
    let mean = values.iter().sum::<f64>() / m;
    let total = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (m - 1.0);
    let per_model_n = t.n as f64 / m;
    let noise = (mean * (1.0 - mean) / per_model_n.max(1.0)).max(0.0);
    let shrink = if total > 0.0 {
        ((total - noise).max(0.0) / total).sqrt()
    } else {
        0.0
    };
    let mut shrunk: Vec<f64> = values
        .iter()
        .map(|v| (pooled + shrink * (v - mean)).clamp(0.0, 1.0))
        .collect();
    shrunk.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let pos = q * (shrunk.len() - 1) as f64;
        let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
        shrunk[lo] + (shrunk[hi] - shrunk[lo]) * (pos - lo as f64)
    };
    Some(ModelRange {
        low: at(0.05).min(pooled),
        high: at(0.95).max(pooled),
    })
}

fn summarise_strategy(
    name: &str,
    label: &str,
    st: &StrategyTally,
    t: &Tally,
    opts: &ForecastOptions,
    slot: usize,
    event_days: Option<&[Vec<u32>]>,
) -> StrategyResult {
    let n = t.n;
    let models = per_model(t, opts.strategies.len(), slot);
    let probability = |indicator: usize, count: u64| {
        let p = wilson(count, n);
        let values: Vec<f64> = models.iter().map(|m| m[indicator]).collect();
        OutcomeProbability {
            indicator,
            p,
            model_range: model_range(t, &values, p.probability),
        }
    };
    let outcomes = (0..OUTCOME_COUNT)
        .map(|i| probability(i, st.outcomes[i]))
        .collect();
    let together_count = Outcome::ALL
        .iter()
        .filter(|o| o.together())
        .map(|o| st.outcomes[o.index()])
        .sum();
    let events = EVENT_KINDS
        .iter()
        .map(|&kind| {
            let i = kind as usize;
            EventSummary {
                event: kind,
                p: wilson(st.events[i], n),
                median_day: event_days.and_then(|h| histogram_quantile_days(&h[i], 0.5)),
                cumulative: event_days
                    .map(|h| cumulative_by_day(&h[i]))
                    .unwrap_or_default(),
            }
        })
        .collect();
    let per_run = |sum: u64| {
        if n > 0 {
            sum as f64 / n as f64
        } else {
            f64::NAN
        }
    };
    StrategyResult {
        name: name.to_string(),
        label: label.to_string(),
        outcomes,
        together: probability(TOGETHER, together_count),
        events,
        separations_per_run: per_run(st.episodes[0]),
        reunions_per_run: per_run(st.episodes[1]),
        after_reunion: AFTER_REUNION_DAYS
            .iter()
            .zip(&st.after_reunion)
            .filter(|(_, w)| w[0] > 0)
            .map(|(&days, w)| AfterReunion {
                days,
                p: wilson(w[1], w[0]),
            })
            .collect(),
        versus_yours: (0..INDICATORS)
            .map(|i| (i, paired(st.only_here[i], st.only_reference[i], n)))
            .collect(),
    }
}

/// Comparisons with staying whose sign reverses in at least 10% of the
/// plausible models (after removing Monte Carlo noise as in [`ModelRange`]).
fn order_flips(t: &Tally, opts: &ForecastOptions) -> Vec<OrderFlip> {
    let Some(stay) = opts.strategies.iter().position(is_staying) else {
        return Vec::new();
    };
    let strategies = opts.strategies.len();
    let staying = per_model(t, strategies, 1 + stay);
    if staying.len() < 2 {
        return Vec::new();
    }
    let mut flips = Vec::new();
    let candidates = std::iter::once((0, "yours".to_string())).chain(
        (0..strategies)
            .filter(|&i| i != stay)
            .map(|i| (1 + i, opts.strategies[i].name.clone())),
    );
    for (slot, name) in candidates {
        let other = per_model(t, strategies, slot);
        for indicator in 0..INDICATORS {
            let d: Vec<f64> = other
                .iter()
                .zip(&staying)
                .map(|(a, b)| a[indicator] - b[indicator])
                .collect();
            let m = d.len() as f64;
            let mean = d.iter().sum::<f64>() / m;
            if mean.abs() < 0.01 {
                continue;
            }
            let total = d.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (m - 1.0);
            // Noise of a difference of two proportions from the same
            // partners is at most that of two independent ones.
            let p: f64 = other.iter().map(|a| a[indicator]).sum::<f64>() / m;
            let q: f64 = staying.iter().map(|a| a[indicator]).sum::<f64>() / m;
            let per_model_n = (t.n as f64 / m).max(1.0);
            let noise = (p * (1.0 - p) + q * (1.0 - q)) / per_model_n;
            let shrink = if total > 0.0 {
                ((total - noise).max(0.0) / total).sqrt()
            } else {
                0.0
            };
            let reversed = d
                .iter()
                .filter(|v| (mean + shrink * (*v - mean)).signum() != mean.signum())
                .count();
            let share = reversed as f64 / m;
            if share >= 0.1 {
                flips.push(OrderFlip {
                    strategy: name.clone(),
                    indicator,
                    share,
                });
            }
        }
    }
    flips
}

/// Turns a tally into the forecast.
pub fn summarise(t: &Tally, opts: &ForecastOptions) -> Forecast {
    let n = t.n;
    let yours = summarise_strategy(
        "yours",
        "your plan",
        &t.base,
        t,
        opts,
        0,
        Some(&t.event_hist),
    );
    let mut strategies = Vec::new();
    let mut staying = None;
    for (i, (s, st)) in opts.strategies.iter().zip(&t.strategies).enumerate() {
        let result = summarise_strategy(&s.name, &s.label, st, t, opts, 1 + i, None);
        if is_staying(s) {
            staying = Some(result);
        } else {
            strategies.push(result);
        }
    }
    let attribution: Vec<MechanismEffect> = t
        .mechanisms
        .iter()
        .enumerate()
        .map(|(mi, mt)| MechanismEffect {
            mechanism: MECHANISMS[mi],
            title: MECHANISM_TITLES[mi],
            changes: (0..INDICATORS)
                .map(|i| (i, paired(mt.only_here[i], mt.only_reference[i], n)))
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
    let drivers = drivers_sentence(&attribution, &yours);
    Forecast {
        trajectories: n,
        failures: t.failures,
        seed: opts.seed,
        steps: t.steps,
        bid_given_met: wilson(t.base.bid_given_met[1], t.base.bid_given_met[0]),
        bid_given_not_met: wilson(t.base.bid_given_not_met[1], t.base.bid_given_not_met[0]),
        yours,
        days,
        series,
        strategies,
        staying,
        attribution,
        model_draws: opts.model_draws,
        order_flips: order_flips(t, opts),
        drivers,
    }
}
