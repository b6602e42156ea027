//! Probability distributions for uncertain parameters: what a scenario file
//! says when a number is not known exactly.
//!
//! Every distribution is sampled by inversion, `quantile(u)` with one uniform
//! `u` per draw. That costs a little speed but buys three things: a draw uses
//! exactly one number of its stream (so common random numbers stay aligned
//! when a scenario changes one distribution), truncation is exact (no
//! rejection loops), and the same `quantile` serves stratified designs such
//! as Latin hypercubes and Sobol sequences.
//!
//! The special functions are written here rather than pulled from a crate:
//! the normal CDF from the series and continued fraction of erf/erfc
//! (Abramowitz & Stegun 7.1.6 and 7.1.14), its inverse from Acklam's rational
//! start refined by Halley steps, and the regularised incomplete beta from
//! its continued fraction (A&S 26.5.8) inverted by safeguarded Newton steps.

use thiserror::Error;

use crate::rng::{Stream, ln_gamma};

/// A distribution of one real parameter.
///
/// `min`/`max` of `Normal` and `LogNormal` truncate the distribution (use
/// infinities, or 0 for the log-normal's lower end, for none). `min`/`max`
/// of `Beta` stretch the beta from [0, 1] onto [min, max].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Distribution {
    /// Always the same value.
    Fixed(f64),
    /// Normal with mean and standard deviation, truncated to [min, max].
    Normal {
        mean: f64,
        sd: f64,
        min: f64,
        max: f64,
    },
    /// exp(N(ln median, sigma²)), truncated to [min, max].
    LogNormal {
        median: f64,
        sigma: f64,
        min: f64,
        max: f64,
    },
    /// Beta(alpha, beta) stretched onto [min, max].
    Beta {
        alpha: f64,
        beta: f64,
        min: f64,
        max: f64,
    },
    /// Uniform on [min, max].
    Uniform { min: f64, max: f64 },
}

/// A distribution whose fields do not describe a distribution.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum DistributionError {
    /// One field has a value that is not allowed.
    #[error("{distribution} distribution: `{field}` = {value} is not allowed: {allowed}")]
    InvalidField {
        distribution: &'static str,
        field: &'static str,
        value: f64,
        allowed: String,
    },
    /// The truncation window keeps (almost) nothing of the distribution.
    #[error(
        "{distribution} distribution: truncating to [{min}, {max}] keeps a probability of only {mass:e}; \
         allowed: bounds that keep at least 1e-9 of the distribution (move min/max towards the centre)"
    )]
    EmptyTruncation {
        distribution: &'static str,
        min: f64,
        max: f64,
        mass: f64,
    },
}

/// Smallest probability a truncation window may keep. Below it the
/// quantiles lose their digits and the truncation is almost surely a typo.
const MIN_TRUNCATED_MASS: f64 = 1e-9;

impl Distribution {
    /// The name used in scenario files (`dist = "..."`).
    pub fn kind(&self) -> &'static str {
        match self {
            Distribution::Fixed(_) => "fixed",
            Distribution::Normal { .. } => "normal",
            Distribution::LogNormal { .. } => "lognormal",
            Distribution::Beta { .. } => "beta",
            Distribution::Uniform { .. } => "uniform",
        }
    }

    /// A normal distribution without truncation.
    pub fn normal(mean: f64, sd: f64) -> Self {
        Distribution::Normal {
            mean,
            sd,
            min: f64::NEG_INFINITY,
            max: f64::INFINITY,
        }
    }

    /// A log-normal distribution without truncation.
    pub fn lognormal(median: f64, sigma: f64) -> Self {
        Distribution::LogNormal {
            median,
            sigma,
            min: 0.0,
            max: f64::INFINITY,
        }
    }

    /// A beta distribution on [0, 1].
    pub fn beta(alpha: f64, beta: f64) -> Self {
        Distribution::Beta {
            alpha,
            beta,
            min: 0.0,
            max: 1.0,
        }
    }

    /// Checks every field; the error names the field, its value and what is
    /// allowed.
    pub fn validate(&self) -> Result<(), DistributionError> {
        let d = self.kind();
        let bad = |field: &'static str, value: f64, allowed: &str| {
            Err(DistributionError::InvalidField {
                distribution: d,
                field,
                value,
                allowed: allowed.to_string(),
            })
        };
        let bounds = |min: f64, max: f64, finite: bool| {
            if min.is_nan() || (finite && !min.is_finite()) {
                return bad("min", min, "a finite number");
            }
            if max.is_nan() || (finite && !max.is_finite()) {
                return bad("max", max, "a finite number");
            }
            if !(min < max) {
                return bad("max", max, &format!("a number greater than min = {min}"));
            }
            Ok(())
        };
        match *self {
            Distribution::Fixed(v) => {
                if !v.is_finite() {
                    return bad("value", v, "a finite number");
                }
            }
            Distribution::Normal { mean, sd, min, max } => {
                if !mean.is_finite() {
                    return bad("mean", mean, "a finite number");
                }
                if !(sd > 0.0 && sd.is_finite()) {
                    return bad("sd", sd, "a positive finite number");
                }
                bounds(min, max, false)?;
            }
            Distribution::LogNormal {
                median,
                sigma,
                min,
                max,
            } => {
                if !(median > 0.0 && median.is_finite()) {
                    return bad("median", median, "a positive finite number");
                }
                if !(sigma > 0.0 && sigma.is_finite()) {
                    return bad("sigma", sigma, "a positive finite number");
                }
                if min < 0.0 {
                    return bad(
                        "min",
                        min,
                        "a number of at least 0 (log-normal values are positive)",
                    );
                }
                bounds(min, max, false)?;
            }
            Distribution::Beta {
                alpha,
                beta,
                min,
                max,
            } => {
                // Shapes far outside this window are numerically hopeless and
                // never a belief anyone holds about a person.
                if !(alpha > 0.0 && alpha <= 1e6) {
                    return bad("alpha", alpha, "a number greater than 0 and at most 1e6");
                }
                if !(beta > 0.0 && beta <= 1e6) {
                    return bad("beta", beta, "a number greater than 0 and at most 1e6");
                }
                bounds(min, max, true)?;
            }
            Distribution::Uniform { min, max } => bounds(min, max, true)?,
        }
        let mass = self.truncated_mass();
        if !(mass >= MIN_TRUNCATED_MASS) {
            let (min, max) = self.support();
            return Err(DistributionError::EmptyTruncation {
                distribution: d,
                min,
                max,
                mass,
            });
        }
        Ok(())
    }

    /// The smallest and largest values a draw can take (may be infinite).
    pub fn support(&self) -> (f64, f64) {
        match *self {
            Distribution::Fixed(v) => (v, v),
            Distribution::Normal { min, max, .. }
            | Distribution::LogNormal { min, max, .. }
            | Distribution::Beta { min, max, .. }
            | Distribution::Uniform { min, max } => (min, max),
        }
    }

    /// Probability the untruncated distribution gives to the truncation
    /// window (1 for distributions without truncation).
    fn truncated_mass(&self) -> f64 {
        match *self {
            Distribution::Normal { mean, sd, min, max } => {
                let (a, b) = ((min - mean) / sd, (max - mean) / sd);
                standard_normal_mass(a, b)
            }
            Distribution::LogNormal {
                median,
                sigma,
                min,
                max,
            } => {
                let (a, b) = log_standardise(median, sigma, min, max);
                standard_normal_mass(a, b)
            }
            _ => 1.0,
        }
    }

    /// The expected value, truncation included (finite for every valid
    /// distribution).
    pub fn mean(&self) -> f64 {
        match *self {
            Distribution::Fixed(v) => v,
            Distribution::Uniform { min, max } => 0.5 * (min + max),
            Distribution::Beta {
                alpha,
                beta,
                min,
                max,
            } => min + (max - min) * alpha / (alpha + beta),
            Distribution::Normal { mean, sd, min, max } => {
                // E[Z | a < Z < b] = (φ(a) − φ(b)) / (Φ(b) − Φ(a)).
                let (a, b) = ((min - mean) / sd, (max - mean) / sd);
                let shift = (normal_pdf(a) - normal_pdf(b)) / standard_normal_mass(a, b);
                (mean + sd * shift).clamp(min, max)
            }
            Distribution::LogNormal {
                median,
                sigma,
                min,
                max,
            } => {
                // E[X | a < ln(X/median)/σ < b]
                //   = median·e^{σ²/2}·(Φ(b − σ) − Φ(a − σ)) / (Φ(b) − Φ(a)).
                let (a, b) = log_standardise(median, sigma, min, max);
                let ratio = standard_normal_mass(a - sigma, b - sigma) / standard_normal_mass(a, b);
                (median * (0.5 * sigma * sigma).exp() * ratio).clamp(min, max)
            }
        }
    }

    /// The median: the value a single run uses when the scenario gives a
    /// distribution.
    pub fn central(&self) -> f64 {
        self.quantile(0.5)
    }

    /// The inverse CDF at `u`. `u` is clamped to [0, 1] (NaN counts as
    /// 0.5), so the result always lies in [`support`](Self::support); at 0
    /// and 1 it is the support's ends (infinite for an untruncated normal).
    pub fn quantile(&self, u: f64) -> f64 {
        let u = if u.is_nan() { 0.5 } else { u.clamp(0.0, 1.0) };
        // The ends are the bounds exactly (the formulas below may round).
        let (lo, hi) = self.support();
        if u == 0.0 {
            return lo;
        }
        if u == 1.0 {
            return hi;
        }
        match *self {
            Distribution::Fixed(v) => v,
            Distribution::Uniform { min, max } => (min + (max - min) * u).clamp(min, max),
            Distribution::Normal { mean, sd, min, max } => {
                let (a, b) = ((min - mean) / sd, (max - mean) / sd);
                (mean + sd * truncated_standard_normal_quantile(a, b, u)).clamp(min, max)
            }
            Distribution::LogNormal {
                median,
                sigma,
                min,
                max,
            } => {
                let (a, b) = log_standardise(median, sigma, min, max);
                (median * (sigma * truncated_standard_normal_quantile(a, b, u)).exp())
                    .clamp(min, max)
            }
            Distribution::Beta {
                alpha,
                beta,
                min,
                max,
            } => (min + (max - min) * beta_quantile(alpha, beta, u)).clamp(min, max),
        }
    }

    /// The CDF at `x` (0 below the support, 1 above it).
    pub fn cdf(&self, x: f64) -> f64 {
        let (lo, hi) = self.support();
        if x < lo {
            return 0.0;
        }
        if x >= hi {
            return 1.0;
        }
        match *self {
            Distribution::Fixed(_) => 1.0,
            Distribution::Uniform { min, max } => (x - min) / (max - min),
            Distribution::Normal { mean, sd, min, max } => {
                let (a, b) = ((min - mean) / sd, (max - mean) / sd);
                standard_normal_mass(a, (x - mean) / sd) / standard_normal_mass(a, b)
            }
            Distribution::LogNormal {
                median,
                sigma,
                min,
                max,
            } => {
                let (a, b) = log_standardise(median, sigma, min, max);
                let z = (x / median).ln() / sigma;
                standard_normal_mass(a, z) / standard_normal_mass(a, b)
            }
            Distribution::Beta {
                alpha,
                beta,
                min,
                max,
            } => regularized_incomplete_beta(alpha, beta, (x - min) / (max - min)),
        }
    }

    /// One draw by inversion: exactly one uniform of `stream` per call.
    pub fn sample(&self, stream: &mut Stream) -> f64 {
        self.quantile(stream.uniform())
    }
}

/// Standardised log bounds of a log-normal's truncation window.
fn log_standardise(median: f64, sigma: f64, min: f64, max: f64) -> (f64, f64) {
    let a = if min > 0.0 {
        (min / median).ln() / sigma
    } else {
        f64::NEG_INFINITY
    };
    let b = (max / median).ln() / sigma;
    (a, b)
}

/// erfc(x) for x ≥ 0 with small relative error over the whole range.
fn erfc_nonnegative(x: f64) -> f64 {
    if x < 2.5 {
        // erf(x) = 2/√π · e^{-x²} · Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1)) (A&S 7.1.6):
        // every term is positive, so nothing cancels.
        let mut term = x;
        let mut sum = x;
        let x2 = x * x;
        let mut n = 0.0;
        while term > 1e-17 * sum {
            n += 1.0;
            term *= 2.0 * x2 / (2.0 * n + 1.0);
            sum += term;
        }
        1.0 - 2.0 / std::f64::consts::PI.sqrt() * (-x2).exp() * sum
    } else {
        // Continued fraction (A&S 7.1.14):
        // erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))),
        // evaluated from the tail; 60 levels are plenty for x ≥ 2.5.
        let mut f = x;
        for k in (1..=60).rev() {
            f = x + (k as f64 / 2.0) / f;
        }
        (-x * x).exp() / (std::f64::consts::PI.sqrt() * f)
    }
}

/// Φ(z), the standard normal CDF.
pub fn normal_cdf(z: f64) -> f64 {
    if z.is_nan() {
        return f64::NAN;
    }
    let t = z.abs() / std::f64::consts::SQRT_2;
    let tail = 0.5 * erfc_nonnegative(t);
    if z < 0.0 { tail } else { 1.0 - tail }
}

/// 1 − Φ(z) without cancellation in the upper tail.
fn normal_upper(z: f64) -> f64 {
    normal_cdf(-z)
}

/// φ(z), the standard normal density.
pub fn normal_pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (std::f64::consts::TAU).sqrt()
}

/// P(a < Z < b) for a standard normal Z, accurate in both tails.
fn standard_normal_mass(a: f64, b: f64) -> f64 {
    if a >= b {
        return 0.0;
    }
    if a >= 0.0 {
        normal_upper(a) - normal_upper(b)
    } else if b <= 0.0 {
        normal_cdf(b) - normal_cdf(a)
    } else {
        1.0 - normal_cdf(a) - normal_upper(b)
    }
}

/// Φ⁻¹(p), the standard normal quantile; ±∞ at 0 and 1.
///
/// Start: P. J. Acklam's rational approximation (relative error below
/// 1.2e-9); then two Halley steps on Φ(x) − p bring it to full precision.
pub fn normal_quantile(p: f64) -> f64 {
    if p.is_nan() {
        return f64::NAN;
    }
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.383577518672690e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    const LOW: f64 = 0.02425;
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    let mut x = if p < LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p <= 1.0 - LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    };
    // Halley on whichever tail keeps its digits.
    for _ in 0..2 {
        let e = if x < 0.0 {
            normal_cdf(x) - p
        } else {
            (1.0 - p) - normal_upper(x)
        };
        let u = e / normal_pdf(x);
        if !u.is_finite() {
            break;
        }
        x -= u / (1.0 + 0.5 * x * u);
    }
    x
}

/// Quantile of a standard normal truncated to (a, b).
fn truncated_standard_normal_quantile(a: f64, b: f64, u: f64) -> f64 {
    if a > 0.0 {
        // Both bounds in the upper tail: mirror, so the lower-tail formula
        // (which keeps its digits) applies.
        return -truncated_standard_normal_quantile(-b, -a, 1.0 - u);
    }
    let fa = normal_cdf(a);
    let mass = standard_normal_mass(a, b);
    normal_quantile(fa + u * mass).clamp(a, b)
}

/// I_x(a, b), the regularised incomplete beta function.
pub fn regularized_incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    incomplete_beta_with(a, b, x, ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b))
}

/// I_x(a, b) for 0 < x < 1 with ln B(a, b) given (the quantile's Newton
/// iteration evaluates it several times for the same shapes).
fn incomplete_beta_with(a: f64, b: f64, x: f64, ln_beta: f64) -> f64 {
    let ln_front = a * x.ln() + b * (1.0 - x).ln() - ln_beta;
    // The continued fraction converges fast for x < (a+1)/(a+b+2); use the
    // symmetry I_x(a,b) = 1 − I_{1−x}(b,a) on the other side.
    if x < (a + 1.0) / (a + b + 2.0) {
        ln_front.exp() * beta_continued_fraction(a, b, x) / a
    } else {
        1.0 - ln_front.exp() * beta_continued_fraction(b, a, 1.0 - x) / b
    }
}

/// The continued fraction of I_x(a, b) (A&S 26.5.8), by the modified Lentz
/// method.
fn beta_continued_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=10_000 {
        let m = m as f64;
        let m2 = 2.0 * m;
        // Even step.
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        // Odd step.
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let delta = d * c;
        h *= delta;
        if (delta - 1.0).abs() < 1e-16 {
            break;
        }
    }
    h
}

/// The beta(a, b) quantile on [0, 1]: Newton steps on I_x(a, b) − u, kept
/// inside a bisection bracket so they cannot escape or oscillate.
pub fn beta_quantile(a: f64, b: f64, u: f64) -> f64 {
    if u.is_nan() {
        return f64::NAN;
    }
    if u <= 0.0 {
        return 0.0;
    }
    if u >= 1.0 {
        return 1.0;
    }
    let ln_beta = ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b);
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    // Start at the mean; Newton and bisection take it from there.
    let mut x = a / (a + b);
    for _ in 0..200 {
        let f = incomplete_beta_with(a, b, x, ln_beta) - u;
        if f == 0.0 {
            return x;
        }
        if f < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let ln_pdf = (a - 1.0) * x.ln() + (b - 1.0) * (1.0 - x).ln() - ln_beta;
        let step = f / ln_pdf.exp();
        let mut next = x - step;
        if !(next > lo && next < hi && next.is_finite()) {
            next = 0.5 * (lo + hi);
        }
        // Newton converges quadratically here (the density is smooth and
        // positive inside), so once a step is below 1e-8 the next point is
        // within ~1e-16 and a further evaluation would only confirm it.
        let converged = if step.is_finite() && next == x - step {
            step.abs() <= 1e-8 * x.max(1e-300)
        } else {
            (next - x).abs() <= 1e-15 * x.max(1e-300)
        };
        if converged || hi - lo <= 1e-16 * hi {
            return next;
        }
        x = next;
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Purpose;

    fn close(got: f64, want: f64, rel: f64) {
        assert!(
            (got - want).abs() <= rel * want.abs().max(1e-300),
            "got {got:e}, want {want:e} (relative tolerance {rel:e})"
        );
    }

    #[test]
    fn normal_cdf_matches_tabulated_values() {
        // Values of Φ from high-precision tables.
        close(normal_cdf(0.0), 0.5, 1e-15);
        close(normal_cdf(1.0), 0.8413447460685429, 1e-14);
        close(normal_cdf(-1.0), 0.15865525393145705, 1e-13);
        close(normal_cdf(-1.959963984540054), 0.025, 1e-13);
        close(normal_cdf(-3.0), 1.3498980316300946e-3, 1e-12);
        close(normal_cdf(-5.0), 2.866515718791939e-7, 1e-12);
        close(normal_cdf(-8.0), 6.22096057427178e-16, 1e-11);
        close(normal_cdf(-20.0), 2.7536241186062336e-89, 1e-10);
    }

    #[test]
    fn normal_quantile_inverts_the_cdf_to_full_precision() {
        close(normal_quantile(0.975), 1.959963984540054, 1e-14);
        close(normal_quantile(0.5).abs() + 1.0, 1.0, 1e-15);
        close(normal_quantile(0.8413447460685429), 1.0, 1e-13);
        close(normal_quantile(1e-10), -6.361340902404056, 1e-13);
        close(normal_quantile(1.0 - 1e-10), 6.361340889697422, 1e-7);
        for k in 1..1000 {
            let p = k as f64 / 1000.0;
            let x = normal_quantile(p);
            assert!((normal_cdf(x) - p).abs() < 2e-15, "p = {p}");
        }
        assert_eq!(normal_quantile(0.0), f64::NEG_INFINITY);
        assert_eq!(normal_quantile(1.0), f64::INFINITY);
    }

    #[test]
    fn incomplete_beta_matches_closed_forms() {
        // Beta(2, 3): F(x) = 6x² − 8x³ + 3x⁴.
        for x in [0.05f64, 0.2, 0.4, 0.7, 0.95] {
            let want = 6.0 * x * x - 8.0 * x * x * x + 3.0 * x.powi(4);
            close(regularized_incomplete_beta(2.0, 3.0, x), want, 1e-13);
        }
        // Beta(½, ½) is the arcsine law: F(x) = (2/π) asin √x.
        for x in [0.01f64, 0.25, 0.5, 0.9, 0.999] {
            let want = 2.0 / std::f64::consts::PI * x.sqrt().asin();
            close(regularized_incomplete_beta(0.5, 0.5, x), want, 1e-12);
        }
        // Beta(a, 1): F(x) = xᵃ.
        close(
            regularized_incomplete_beta(7.5, 1.0, 0.8),
            0.8f64.powf(7.5),
            1e-12,
        );
    }

    #[test]
    fn beta_quantile_matches_closed_forms() {
        // Arcsine: quantile(u) = sin²(πu/2).
        for u in [0.001f64, 0.1, 0.25, 0.5, 0.8, 0.999] {
            let want = (std::f64::consts::FRAC_PI_2 * u).sin().powi(2);
            close(beta_quantile(0.5, 0.5, u), want, 1e-11);
        }
        // Beta(a, 1): quantile(u) = u^(1/a); Beta(1, b): 1 − (1−u)^(1/b).
        for u in [0.01f64, 0.3, 0.77, 0.99] {
            close(beta_quantile(3.0, 1.0, u), u.cbrt(), 1e-12);
            close(
                beta_quantile(1.0, 4.0, u),
                1.0 - (1.0 - u).powf(0.25),
                1e-11,
            );
        }
        // Round trip on shapes used by the default population.
        for (a, b) in [(4.4, 3.6), (1.5, 3.5), (0.3, 0.7), (200.0, 50.0)] {
            for k in 1..100 {
                let u = k as f64 / 100.0;
                let x = beta_quantile(a, b, u);
                assert!(
                    (regularized_incomplete_beta(a, b, x) - u).abs() < 1e-12,
                    "Beta({a}, {b}) at u = {u}: x = {x}"
                );
            }
        }
    }

    #[test]
    fn central_is_the_median() {
        close(Distribution::normal(3.0, 2.0).central(), 3.0, 1e-15);
        close(Distribution::lognormal(0.013, 0.4).central(), 0.013, 1e-14);
        close(Distribution::beta(2.0, 2.0).central(), 0.5, 1e-14);
        close(
            Distribution::Uniform { min: 2.0, max: 4.0 }.central(),
            3.0,
            1e-15,
        );
        assert_eq!(Distribution::Fixed(0.25).central(), 0.25);
        // Half-normal: median σ·Φ⁻¹(3/4) = 0.6744897501960817σ.
        let half = Distribution::Normal {
            mean: 0.0,
            sd: 2.0,
            min: 0.0,
            max: f64::INFINITY,
        };
        close(half.central(), 2.0 * 0.6744897501960817, 1e-13);
        // Beta(2, 5) on [10, 20]: median 10 + 10·0.26444998329566 (tables).
        let scaled = Distribution::Beta {
            alpha: 2.0,
            beta: 5.0,
            min: 10.0,
            max: 20.0,
        };
        close(scaled.central(), 12.6444998329566, 1e-11);
    }

    /// Sample mean and variance of `n` draws.
    fn moments(d: &Distribution, n: usize, seed: u64) -> (f64, f64, Vec<f64>) {
        let mut s = Stream::new(seed, 0, Purpose::Parameters);
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut s)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n as f64 - 1.0);
        (mean, var, xs)
    }

    #[test]
    fn sample_moments_match_the_formulas() {
        // Tolerances: 5 standard errors of the mean (σ/√n); the variance
        // within 5 % at n = 100 000 is several standard errors for these
        // light-tailed cases.
        let n = 100_000;
        let cases: Vec<(Distribution, f64, f64)> = vec![
            (Distribution::normal(1.5, 0.3), 1.5, 0.09),
            (
                Distribution::lognormal(0.2, 0.5),
                0.2 * (0.125f64).exp(),
                0.04 * 0.25f64.exp_m1() * 0.25f64.exp(),
            ),
            (Distribution::beta(4.0, 3.0), 4.0 / 7.0, 12.0 / (49.0 * 8.0)),
            (
                Distribution::Beta {
                    alpha: 0.5,
                    beta: 0.5,
                    min: -1.0,
                    max: 3.0,
                },
                1.0,
                16.0 * 0.25 / 2.0,
            ),
            (
                Distribution::Uniform {
                    min: -2.0,
                    max: 4.0,
                },
                1.0,
                3.0,
            ),
        ];
        for (k, (d, mean, var)) in cases.iter().enumerate() {
            d.validate().unwrap();
            close(d.mean(), *mean, 1e-12);
            let (m, v, _) = moments(d, n, 10 + k as u64);
            let se = (var / n as f64).sqrt();
            assert!((m - mean).abs() < 5.0 * se, "{d:?}: mean {m} vs {mean}");
            assert!((v / var - 1.0).abs() < 0.05, "{d:?}: variance {v} vs {var}");
        }
    }

    #[test]
    fn truncation_is_respected_and_exact() {
        // Half-normal on [0, ∞): mean σ√(2/π).
        let half = Distribution::Normal {
            mean: 0.0,
            sd: 1.0,
            min: 0.0,
            max: f64::INFINITY,
        };
        let n = 100_000;
        let (m, v, xs) = moments(&half, n, 4);
        assert!(xs.iter().all(|x| *x >= 0.0));
        let want = (2.0 / std::f64::consts::PI).sqrt();
        let var = 1.0 - 2.0 / std::f64::consts::PI;
        assert!((m - want).abs() < 5.0 * (var / n as f64).sqrt(), "{m}");
        assert!((v / var - 1.0).abs() < 0.05, "{v}");

        // A window far in the upper tail: N(0, 1) on [4, 4.5]. The mean of
        // the truncated normal is (φ(a) − φ(b)) / (Φ(b) − Φ(a)).
        let tail = Distribution::Normal {
            mean: 0.0,
            sd: 1.0,
            min: 4.0,
            max: 4.5,
        };
        tail.validate().unwrap();
        let (m, _, xs) = moments(&tail, 20_000, 5);
        assert!(xs.iter().all(|x| (4.0..=4.5).contains(x)));
        let want = (normal_pdf(4.0) - normal_pdf(4.5)) / standard_normal_mass(4.0, 4.5);
        assert!((m - want).abs() < 0.01, "{m} vs {want}");
        close(tail.mean(), want, 1e-12);
        close(half.mean(), (2.0 / std::f64::consts::PI).sqrt(), 1e-13);

        // A truncated log-normal stays in its window, and its CDF at the
        // window's ends is 0 and 1.
        let ln = Distribution::LogNormal {
            median: 0.0099,
            sigma: 0.3,
            min: 0.005,
            max: 0.02,
        };
        let (m, v, xs) = moments(&ln, 20_000, 6);
        assert!(xs.iter().all(|x| (0.005..=0.02).contains(x)));
        // The truncated log-normal's mean formula against the sample.
        assert!(
            (m - ln.mean()).abs() < 5.0 * (v / 20_000.0).sqrt(),
            "{m} vs {}",
            ln.mean()
        );
        assert_eq!(ln.cdf(0.004), 0.0);
        assert_eq!(ln.cdf(0.02), 1.0);
        // Quantile and CDF are inverse to each other inside the window.
        for k in 1..20 {
            let u = k as f64 / 20.0;
            assert!((ln.cdf(ln.quantile(u)) - u).abs() < 1e-12);
        }
        // Quantiles at the ends are the bounds, and out-of-range u is clamped.
        assert_eq!(ln.quantile(0.0), 0.005);
        assert_eq!(ln.quantile(1.0), 0.02);
        assert_eq!(ln.quantile(7.0), 0.02);
        assert_eq!(ln.quantile(f64::NAN), ln.central());
    }

    #[test]
    fn validation_names_the_field_and_what_is_allowed() {
        let err = |d: Distribution| d.validate().unwrap_err().to_string();
        let e = err(Distribution::normal(0.0, -1.0));
        assert!(e.contains("`sd` = -1") && e.contains("positive"), "{e}");
        let e = err(Distribution::lognormal(0.0, 0.3));
        assert!(e.contains("`median` = 0") && e.contains("positive"), "{e}");
        let e = err(Distribution::beta(0.0, 2.0));
        assert!(
            e.contains("`alpha` = 0") && e.contains("greater than 0"),
            "{e}"
        );
        let e = err(Distribution::Uniform { min: 1.0, max: 1.0 });
        assert!(
            e.contains("`max` = 1") && e.contains("greater than min"),
            "{e}"
        );
        let e = err(Distribution::Uniform {
            min: 0.0,
            max: f64::INFINITY,
        });
        assert!(e.contains("`max`") && e.contains("finite"), "{e}");
        let e = err(Distribution::Fixed(f64::NAN));
        assert!(e.contains("`value`"), "{e}");
        let e = err(Distribution::LogNormal {
            median: 1.0,
            sigma: 0.1,
            min: -1.0,
            max: 2.0,
        });
        assert!(e.contains("`min` = -1") && e.contains("at least 0"), "{e}");
        // N(0, 1) on [40, 41] keeps about 1e-350 of the distribution.
        let e = err(Distribution::Normal {
            mean: 0.0,
            sd: 1.0,
            min: 40.0,
            max: 41.0,
        });
        assert!(e.contains("truncating to [40, 41]"), "{e}");
    }

    #[test]
    fn one_draw_uses_exactly_one_uniform() {
        let d = Distribution::beta(2.0, 3.0);
        let mut a = Stream::new(9, 1, Purpose::Parameters);
        let mut b = Stream::new(9, 1, Purpose::Parameters);
        let x = d.sample(&mut a);
        assert_eq!(x, d.quantile(b.uniform()));
        assert_eq!(a.uniform(), b.uniform());
    }
}
