//! x^e for a whole lane array at once, for the step-size controller of
//! both the scalar solver (one lane) and the ensemble kernel (many), which
//! therefore take the same steps to the bit.
//!
//! Calling the C library's `pow` twice per step and lane took close to half
//! of the kernel's time and 5 % of a forecast's (docs/performance.md). The controller only
//! needs x^e for x in a bounded range: errors below 1e-30 or above 1e30 give
//! the same clamped step factor as the limits themselves. So x^e is computed
//! as exp(e·ln x) with plain polynomials and bit manipulation that the
//! compiler vectorises. The relative error against `f64::powf` is below
//! 1e-14 (the rounding of ln x, up to 69 for x = 1e30, carried through
//! e·ln x), so the step sequence follows the scalar solver's except when an
//! error lands within ~1e-14 of the acceptance threshold.

const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INV_LN2: f64 = std::f64::consts::LOG2_E;
/// 1.5·2^52: adding it rounds a double below 2^51 to an integer, which then
/// sits in the low bits of the sum's representation.
const ROUNDER: f64 = 6755399441055744.0;

/// ln x for positive, normal, finite x.
#[inline(always)]
pub(crate) fn ln_lanes<const W: usize>(x: &[f64; W]) -> [f64; W] {
    let mut out = [0.0; W];
    for w in 0..W {
        let bits = x[w].to_bits();
        // x = m · 2^e with m in [1, 2); fold m into [√½, √2).
        let exponent = ((bits >> 52) as i64) - 1023;
        let mantissa = f64::from_bits((bits & ((1u64 << 52) - 1)) | (1023u64 << 52));
        let big = mantissa > std::f64::consts::SQRT_2;
        let m = if big { 0.5 * mantissa } else { mantissa };
        let e = exponent + i64::from(big);
        // i64 → f64 without a conversion instruction (AVX2 has none).
        let ef = f64::from_bits(ROUNDER.to_bits().wrapping_add(e as u64)) - ROUNDER;
        // ln m = 2 atanh(f), f = (m − 1)/(m + 1), |f| ≤ 0.1716.
        let f = (m - 1.0) / (m + 1.0);
        let s = f * f;
        // Σ s^k/(2k+1), k = 0..10, by Estrin's scheme: a shallow
        // dependency tree instead of a ten-deep Horner chain.
        let s2 = s * s;
        let s4 = s2 * s2;
        let s8 = s4 * s4;
        let p01 = 1.0 + s * (1.0 / 3.0);
        let p23 = 1.0 / 5.0 + s * (1.0 / 7.0);
        let p45 = 1.0 / 9.0 + s * (1.0 / 11.0);
        let p67 = 1.0 / 13.0 + s * (1.0 / 15.0);
        let p89 = 1.0 / 17.0 + s * (1.0 / 19.0);
        let u0 = p01 + s2 * p23;
        let u1 = p45 + s2 * p67;
        let u2 = p89 + s2 * (1.0 / 21.0);
        let series = (u0 + s4 * u1) + s8 * u2;
        out[w] = ef * LN2_HI + (2.0 * f * series + ef * LN2_LO);
    }
    out
}

/// e^y for |y| < 700.
#[inline(always)]
pub(crate) fn exp_lanes<const W: usize>(y: &[f64; W]) -> [f64; W] {
    let mut out = [0.0; W];
    for w in 0..W {
        let shifted = y[w] * INV_LN2 + ROUNDER;
        let k = shifted.to_bits().wrapping_sub(ROUNDER.to_bits()) as i64;
        let kf = shifted - ROUNDER;
        // r = y − k ln 2 in two parts; |r| ≤ ln2 / 2.
        let r = (y[w] - kf * LN2_HI) - kf * LN2_LO;
        // Taylor series to r^13 (remainder below 1e-17 for |r| ≤ 0.35),
        // by Estrin's scheme.
        let r2 = r * r;
        let r4 = r2 * r2;
        let r8 = r4 * r4;
        let q0 = 1.0 + r;
        let q1 = 0.5 + r * (1.0 / 6.0);
        let q2 = 1.0 / 24.0 + r * (1.0 / 120.0);
        let q3 = 1.0 / 720.0 + r * (1.0 / 5040.0);
        let q4 = 1.0 / 40320.0 + r * (1.0 / 362880.0);
        let q5 = 1.0 / 3628800.0 + r * (1.0 / 39916800.0);
        let q6 = 1.0 / 479001600.0 + r * (1.0 / 6227020800.0);
        let s0 = q0 + r2 * q1;
        let s1 = q2 + r2 * q3;
        let s2 = q4 + r2 * q5;
        let t0 = s0 + r4 * s1;
        let t1 = s2 + r4 * q6;
        let p = t0 + r8 * t1;
        let scale = f64::from_bits(((k + 1023) as u64) << 52);
        out[w] = p * scale;
    }
    out
}

/// x^e lane by lane, with x clamped to [1e-30, 1e30] (callers only use the
/// result through a clamped factor, see the module notes). The result for a
/// NaN is meaningless: callers treat non-finite errors separately.
#[cfg(test)]
pub(crate) fn pow_lanes<const W: usize>(x: &[f64; W], e: f64) -> [f64; W] {
    let clamped = x.map(|v| v.clamp(1e-30, 1e30));
    let mut l = ln_lanes(&clamped);
    for v in l.iter_mut() {
        *v *= e;
    }
    exp_lanes(&l)
}

/// ln 1e-4: the controller never lets the remembered error fall below 1e-4.
pub(crate) const LN_ERR_FLOOR: f64 = -9.210340371976184;

/// The PI controller's powers of the error norm `err` of a trial step:
/// err^(1/5 − 3β/4) for this step's factor, and the damping err_old^β the
/// next step divides by (with err_old = max(err, 1e-4)) if this one is
/// accepted. Errors are clamped to [1e-30, 1e30], where the step factor is
/// clamped anyway.
#[inline(always)]
pub(crate) fn controller_powers<const W: usize>(err: &[f64; W]) -> ([f64; W], [f64; W]) {
    let ln_err = ln_lanes(&err.map(|e| e.clamp(1e-30, 1e30)));
    (
        exp_lanes(&ln_err.map(|l| l * super::tableau::EXPO1)),
        exp_lanes(&ln_err.map(|l| l.max(LN_ERR_FLOOR) * super::tableau::BETA)),
    )
}

/// The damping before the first step: err_old = 1e-4.
pub(crate) fn initial_damping() -> f64 {
    exp_lanes(&[LN_ERR_FLOOR * super::tableau::BETA])[0]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Purpose, Stream};

    #[test]
    fn matches_the_library_pow_to_a_few_ulp() {
        let mut s = Stream::new(3, 0, Purpose::Other);
        let mut worst: f64 = 0.0;
        for _ in 0..20_000 {
            // log-uniform over the controller's range
            let x = 10f64.powf(s.uniform_in(-30.0, 30.0));
            for e in [0.17, 0.04, 0.2, -0.3] {
                let got = pow_lanes(&[x, 1.0, 0.5, 2.0], e);
                let want = x.powf(e);
                worst = worst.max(((got[0] - want) / want).abs());
                assert_eq!(got[1], 1.0);
            }
        }
        assert!(worst < 1e-14, "worst relative error {worst:e}");
    }

    #[test]
    fn edges_are_clamped() {
        let got = pow_lanes(&[0.0, 1e-300, 1e300, 1.0], 0.17);
        assert_eq!(got[0], got[1]);
        assert!((got[0] - 1e-30f64.powf(0.17)).abs() < 1e-20);
        assert!((got[2] - 1e30f64.powf(0.17)).abs() < 1e-9);
        assert!(got[3] == 1.0);
    }
}
