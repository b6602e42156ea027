//! Statistics of counts: Wilson intervals, paired differences, histogram
//! quantiles.

use super::*;

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

pub(super) fn paired(only_alt: u64, only_ref: u64, n: u64) -> PairedDifference {
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

/// out[d] = number of events before day d (quarter-day resolution).
pub(super) fn cumulative_by_day(hist: &[u32]) -> Vec<u64> {
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

pub(super) fn histogram_quantile_days(hist: &[u32], q: f64) -> Option<f64> {
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

/// Quantile `q` of series variable `var` from its histogram: interpolated
/// inside the bin where it falls (on the variable's own bin spacing), then
/// kept inside the observed extremes `[min, max]`.
pub(super) fn histogram_quantile(hist: &[u32], q: f64, var: usize, min: f64, max: f64) -> f64 {
    let total: u64 = hist.iter().map(|c| *c as u64).sum();
    if total == 0 {
        return f64::NAN;
    }
    let target = q * total as f64;
    let mut acc = 0.0;
    let mut position = BINS as f64;
    for (i, c) in hist.iter().enumerate() {
        let next = acc + *c as f64;
        if next >= target && *c > 0 {
            position = i as f64 + (target - acc) / *c as f64;
            break;
        }
        acc = next;
    }
    value_at(var, position).clamp(min, max)
}
