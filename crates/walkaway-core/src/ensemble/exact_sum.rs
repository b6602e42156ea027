//! An exact sum of doubles: every f64 is a 53-bit integer times a power of
//! two, so a long fixed-point register (66 signed 32-bit digits spanning the
//! whole exponent range) holds any sum of them without rounding. Because
//! integer addition is associative, the total does not depend on the order
//! of the additions, on how the work was split between threads, or on how a
//! run was cut into shards and merged. Only the final conversion back to f64
//! rounds, and it is a function of the exact value alone.

/// 2045 is the highest bit position of a finite double (exponent field 2046,
/// shifted by the 1074 bits below 1.0); 64 digits of 32 bits cover it, and two
/// more take the top of a shifted 53-bit mantissa and the carries.
const DIGITS: usize = 66;
const DIGIT_BITS: u32 = 32;
const DIGIT_MASK: i64 = (1 << DIGIT_BITS) - 1;
/// One addition changes a digit by less than 2^32, so 2^30 additions fit in
/// an i64 digit with room to spare before the carries must be propagated.
const ADDS_BEFORE_CARRY: u32 = 1 << 30;
/// The largest digit (in size) a register can hold: below 2^32 after a
/// carry, plus fewer than 2^30 additions of less than 2^32 each. A saved
/// digit beyond it did not come from [`ExactSum::to_words`], and would
/// overflow the carries.
const DIGIT_LIMIT: i64 = (1 << 62) + (1 << 32);

/// A running sum of finite doubles with no rounding error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExactSum {
    digits: [i64; DIGITS],
    adds_since_carry: u32,
    /// A NaN or an infinity was added; the sum is then NaN.
    non_finite: bool,
}

impl Default for ExactSum {
    fn default() -> Self {
        Self::new()
    }
}

impl ExactSum {
    pub fn new() -> Self {
        Self {
            digits: [0; DIGITS],
            adds_since_carry: 0,
            non_finite: false,
        }
    }

    /// The register as plain integers (for saving a shard): the digits,
    /// then the count of additions since the last carry, then 1 if a
    /// non-finite value was added. [`ExactSum::from_words`] reads them back.
    pub fn to_words(&self) -> Vec<i64> {
        let mut words = self.digits.to_vec();
        words.push(i64::from(self.adds_since_carry));
        words.push(i64::from(self.non_finite));
        words
    }

    /// The inverse of [`ExactSum::to_words`]; `None` if the words cannot
    /// have come from it.
    pub fn from_words(words: &[i64]) -> Option<Self> {
        if words.len() != DIGITS + 2 {
            return None;
        }
        let adds = u32::try_from(words[DIGITS])
            .ok()
            .filter(|a| *a <= ADDS_BEFORE_CARRY)?;
        let non_finite = match words[DIGITS + 1] {
            0 => false,
            1 => true,
            _ => return None,
        };
        if words[..DIGITS]
            .iter()
            .any(|d| d.unsigned_abs() > DIGIT_LIMIT as u64)
        {
            return None;
        }
        let mut digits = [0; DIGITS];
        digits.copy_from_slice(&words[..DIGITS]);
        Some(Self {
            digits,
            adds_since_carry: adds,
            non_finite,
        })
    }

    pub fn add(&mut self, x: f64) {
        if !x.is_finite() {
            self.non_finite = true;
            return;
        }
        let bits = x.to_bits();
        let exponent = ((bits >> 52) & 0x7ff) as u32;
        let fraction = bits & ((1u64 << 52) - 1);
        // value = mantissa · 2^(position − 1074)
        let (mantissa, position) = if exponent == 0 {
            (fraction, 0)
        } else {
            (fraction | (1u64 << 52), exponent - 1)
        };
        if mantissa == 0 {
            return;
        }
        let index = (position / DIGIT_BITS) as usize;
        let shifted = u128::from(mantissa) << (position % DIGIT_BITS);
        let parts = [
            (shifted & DIGIT_MASK as u128) as i64,
            ((shifted >> DIGIT_BITS) & DIGIT_MASK as u128) as i64,
            (shifted >> (2 * DIGIT_BITS)) as i64,
        ];
        let negative = x < 0.0;
        for (offset, part) in parts.into_iter().enumerate() {
            if negative {
                self.digits[index + offset] -= part;
            } else {
                self.digits[index + offset] += part;
            }
        }
        self.adds_since_carry += 1;
        if self.adds_since_carry >= ADDS_BEFORE_CARRY {
            self.carry();
        }
    }

    /// Adds another exact sum (merging two shards of a run).
    pub fn merge(&mut self, other: &ExactSum) {
        self.carry();
        let mut other = other.clone();
        other.carry();
        for (d, o) in self.digits.iter_mut().zip(other.digits) {
            *d += o;
        }
        self.non_finite |= other.non_finite;
        self.carry();
    }

    /// [`ExactSum::merge`] for sums read from files: `None` (and `self`
    /// unchanged) if a digit would overflow, which only a sum that no run
    /// can produce reaches.
    pub fn checked_merge(&mut self, other: &ExactSum) -> Option<()> {
        let mut total = self.clone();
        let mut other = other.clone();
        total.checked_carry()?;
        other.checked_carry()?;
        for (d, o) in total.digits.iter_mut().zip(other.digits) {
            *d = d.checked_add(o)?;
        }
        total.non_finite |= other.non_finite;
        total.checked_carry()?;
        if total
            .digits
            .iter()
            .any(|d| d.unsigned_abs() > DIGIT_LIMIT as u64)
        {
            return None;
        }
        *self = total;
        Some(())
    }

    fn checked_carry(&mut self) -> Option<()> {
        for i in 0..DIGITS - 1 {
            let carry = self.digits[i] >> DIGIT_BITS;
            self.digits[i] -= carry << DIGIT_BITS;
            self.digits[i + 1] = self.digits[i + 1].checked_add(carry)?;
        }
        self.adds_since_carry = 0;
        Some(())
    }

    /// Propagates carries so every digit but the top one is in [0, 2^32).
    /// The result is the unique such representation of the exact value.
    fn carry(&mut self) {
        for i in 0..DIGITS - 1 {
            let carry = self.digits[i] >> DIGIT_BITS;
            self.digits[i] -= carry << DIGIT_BITS;
            self.digits[i + 1] += carry;
        }
        self.adds_since_carry = 0;
    }

    /// The sum rounded to a double (within a few units in the last place;
    /// the same exact sum always gives the same double).
    pub fn value(&self) -> f64 {
        if self.non_finite {
            return f64::NAN;
        }
        let mut d = self.clone();
        d.carry();
        let negative = d.digits[DIGITS - 1] < 0;
        if negative {
            for v in d.digits.iter_mut() {
                *v = -*v;
            }
            d.carry();
        }
        // All digits are now non-negative, so adding them from the top down
        // loses nothing to cancellation.
        let mut total = 0.0;
        for i in (0..DIGITS).rev() {
            if d.digits[i] != 0 {
                total += d.digits[i] as f64 * pow2(i as i32 * DIGIT_BITS as i32 - 1074);
            }
        }
        if negative { -total } else { total }
    }
}

/// 2^k as a double for k in [−1074, 1023]; 0 below and infinity above.
fn pow2(k: i32) -> f64 {
    if k > 1023 {
        f64::INFINITY
    } else if k >= -1022 {
        f64::from_bits(((k + 1023) as u64) << 52)
    } else if k >= -1074 {
        f64::from_bits(1u64 << (k + 1074))
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn words_no_run_can_write_are_refused_and_merges_never_wrap() {
        let mut words = ExactSum::new().to_words();
        words[DIGITS - 1] = i64::MAX;
        assert_eq!(ExactSum::from_words(&words), None);
        words[DIGITS - 1] = DIGIT_LIMIT;
        let big = ExactSum::from_words(&words).unwrap();
        let mut total = big.clone();
        assert_eq!(total.checked_merge(&big), None, "twice the largest digit");
        assert_eq!(total, big, "a refused merge changes nothing");
        let mut one = ExactSum::new();
        one.add(1.5);
        let mut sum = ExactSum::new();
        sum.checked_merge(&one).unwrap();
        sum.checked_merge(&one).unwrap();
        assert_eq!(sum.value(), 3.0);
    }

    #[test]
    fn sums_that_round_in_floating_point_are_exact_here() {
        let mut s = ExactSum::new();
        for x in [1e16, 1.0, -1e16, 1.0] {
            s.add(x);
        }
        assert_eq!(s.value(), 2.0);
        let mut s = ExactSum::new();
        for _ in 0..10 {
            s.add(0.1);
        }
        // 0.1 is not 1/10 in binary, so ten of them are slightly above 1 only
        // in exact arithmetic; the rounded exact sum is the double nearest it.
        assert_eq!(s.value(), 1.0);
    }

    #[test]
    fn extreme_magnitudes_and_signs() {
        let mut s = ExactSum::new();
        s.add(f64::MAX);
        s.add(-f64::MAX);
        s.add(f64::from_bits(1)); // the smallest subnormal
        assert_eq!(s.value(), f64::from_bits(1));
        s.add(-3.0 * f64::from_bits(1));
        assert_eq!(s.value(), -2.0 * f64::from_bits(1));
        let mut s = ExactSum::new();
        s.add(-0.0);
        assert_eq!(s.value(), 0.0);
        s.add(f64::NAN);
        assert!(s.value().is_nan());
    }

    #[test]
    fn many_additions_survive_the_carry_interval() {
        let mut s = ExactSum::new();
        s.adds_since_carry = ADDS_BEFORE_CARRY - 3;
        for _ in 0..10 {
            s.add(f64::MAX / 16.0);
        }
        assert_eq!(s.value(), f64::MAX / 16.0 * 10.0);
    }

    proptest! {
        #[test]
        fn order_and_split_do_not_change_the_sum(
            xs in prop::collection::vec(-1e6f64..1e6, 0..60),
            split in 0usize..60,
        ) {
            let mut forward = ExactSum::new();
            xs.iter().for_each(|&x| forward.add(x));
            let mut backward = ExactSum::new();
            xs.iter().rev().for_each(|&x| backward.add(x));
            let cut = split.min(xs.len());
            let (mut a, mut b) = (ExactSum::new(), ExactSum::new());
            xs[..cut].iter().for_each(|&x| a.add(x));
            xs[cut..].iter().for_each(|&x| b.add(x));
            b.merge(&a);
            prop_assert_eq!(forward.value().to_bits(), backward.value().to_bits());
            prop_assert_eq!(forward.value().to_bits(), b.value().to_bits());
            // And it is the sum to within rounding of a compensated sum.
            let naive: f64 = xs.iter().sum();
            let scale: f64 = xs.iter().map(|x| x.abs()).sum::<f64>().max(1.0);
            prop_assert!((forward.value() - naive).abs() <= 1e-12 * scale);
        }
    }
}
