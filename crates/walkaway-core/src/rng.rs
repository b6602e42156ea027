//! Reproducible randomness: the counter-based Philox4x32-10 generator
//! (Salmon, Moraes, Dror & Shaw 2011, "Parallel random numbers: as easy as
//! 1, 2, 3"). A stream is addressed by (seed, trajectory, purpose); its k-th
//! number is a pure function of that address and k, so trajectory k of seed s
//! is the same on any thread, in any shard and on any machine.
//!
//! Separate purposes (noise, events, observations) keep common random numbers
//! aligned when one part of a model is switched off.

const M0: u32 = 0xD251_1F53;
const M1: u32 = 0xCD9E_8D57;
const W0: u32 = 0x9E37_79B9;
const W1: u32 = 0xBB67_AE85;

/// One Philox4x32 block: ten rounds over a 128-bit counter with a 64-bit key.
pub fn philox4x32_10(counter: [u32; 4], key: [u32; 2]) -> [u32; 4] {
    let mut c = counter;
    let mut k = key;
    for round in 0..10 {
        if round > 0 {
            k[0] = k[0].wrapping_add(W0);
            k[1] = k[1].wrapping_add(W1);
        }
        let p0 = u64::from(M0) * u64::from(c[0]);
        let p1 = u64::from(M1) * u64::from(c[2]);
        let (hi0, lo0) = ((p0 >> 32) as u32, p0 as u32);
        let (hi1, lo1) = ((p1 >> 32) as u32, p1 as u32);
        c = [hi1 ^ c[1] ^ k[0], lo1, hi0 ^ c[3] ^ k[1], lo0];
    }
    c
}

/// What a stream is used for; each purpose is an independent stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub enum Purpose {
    /// Brownian increments of stochastic runs.
    Noise = 1,
    /// Thresholds of random events (Exp(1) draws for hazards).
    Events = 2,
    /// Observable counts such as daily contact attempts.
    Observations = 3,
    /// Parameter draws of Monte Carlo ensembles.
    Parameters = 4,
    /// Anything else a caller needs; the number is part of the address.
    Other = 5,
}

/// A random stream at address (seed, trajectory, purpose).
#[derive(Debug, Clone)]
pub struct Stream {
    key: [u32; 2],
    trajectory: u64,
    purpose: u32,
    block: u32,
    buffer: [u32; 4],
    used: usize,
    spare_normal: Option<f64>,
}

impl Stream {
    pub fn new(seed: u64, trajectory: u64, purpose: Purpose) -> Self {
        Self::with_purpose_code(seed, trajectory, purpose as u32)
    }

    /// A stream with a numeric purpose (for callers that need many).
    pub fn with_purpose_code(seed: u64, trajectory: u64, purpose: u32) -> Self {
        Self {
            key: [seed as u32, (seed >> 32) as u32],
            trajectory,
            purpose,
            block: 0,
            buffer: [0; 4],
            used: 4,
            spare_normal: None,
        }
    }

    fn refill(&mut self) {
        let counter = [
            self.block,
            self.purpose,
            self.trajectory as u32,
            (self.trajectory >> 32) as u32,
        ];
        self.buffer = philox4x32_10(counter, self.key);
        self.block = self.block.wrapping_add(1);
        self.used = 0;
    }

    pub fn next_u32(&mut self) -> u32 {
        if self.used == 4 {
            self.refill();
        }
        let v = self.buffer[self.used];
        self.used += 1;
        v
    }

    pub fn next_u64(&mut self) -> u64 {
        let lo = u64::from(self.next_u32());
        let hi = u64::from(self.next_u32());
        (hi << 32) | lo
    }

    /// Uniform on the open interval (0, 1): never 0, never 1.
    pub fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform on (lo, hi).
    pub fn uniform_in(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.uniform()
    }

    /// Standard normal (Box–Muller; the second value is kept for the next call).
    pub fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare_normal.take() {
            return z;
        }
        let u1 = self.uniform();
        let u2 = self.uniform();
        let r = (-2.0 * u1.ln()).sqrt();
        let (s, c) = (std::f64::consts::TAU * u2).sin_cos();
        self.spare_normal = Some(r * s);
        r * c
    }

    /// Exponential with rate 1.
    pub fn exp1(&mut self) -> f64 {
        -self.uniform().ln()
    }

    /// Poisson with mean `lambda` (inversion below 10, Hörmann's PTRS above).
    pub fn poisson(&mut self, lambda: f64) -> u64 {
        if !(lambda > 0.0) || !lambda.is_finite() {
            return 0;
        }
        if lambda < 10.0 {
            let limit = (-lambda).exp();
            let mut k = 0u64;
            let mut p = self.uniform();
            while p > limit {
                k += 1;
                p *= self.uniform();
            }
            return k;
        }
        // Transformed rejection with squeeze (Hörmann 1993).
        let slam = lambda.sqrt();
        let loglam = lambda.ln();
        let b = 0.931 + 2.53 * slam;
        let a = -0.059 + 0.02483 * b;
        let inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
        let vr = 0.9277 - 3.6224 / (b - 2.0);
        loop {
            let u = self.uniform() - 0.5;
            let v = self.uniform();
            let us = 0.5 - u.abs();
            let k = ((2.0 * a / us + b) * u + lambda + 0.43).floor();
            if us >= 0.07 && v <= vr {
                return k as u64;
            }
            if k < 0.0 || (us < 0.013 && v > us) {
                continue;
            }
            let lhs = v.ln() + inv_alpha.ln() - (a / (us * us) + b).ln();
            let rhs = -lambda + k * loglam - ln_gamma(k + 1.0);
            if lhs <= rhs {
                return k as u64;
            }
        }
    }
}

/// ln Γ(x) for x > 0 (Lanczos approximation, g = 7, n = 9; about 15 digits).
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut s = C[0];
    for (i, c) in C.iter().enumerate().skip(1) {
        s += c / (x + i as f64);
    }
    let t = x + G + 0.5;
    0.5 * (std::f64::consts::TAU).ln() + (x + 0.5) * t.ln() - t + s.ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Known-answer vectors of the Random123 distribution (kat_vectors).
    #[test]
    fn philox_known_answers() {
        assert_eq!(
            philox4x32_10([0, 0, 0, 0], [0, 0]),
            [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]
        );
        assert_eq!(
            philox4x32_10([u32::MAX; 4], [u32::MAX; 2]),
            [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]
        );
        assert_eq!(
            philox4x32_10(
                [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
                [0xa4093822, 0x299f31d0]
            ),
            [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]
        );
    }

    #[test]
    fn streams_are_addressed_not_ordered() {
        let mut a = Stream::new(7, 1000, Purpose::Noise);
        let first: Vec<u64> = (0..10).map(|_| a.next_u64()).collect();
        // Drawing from other streams in between changes nothing.
        let mut other = Stream::new(7, 999, Purpose::Noise);
        let _ = other.next_u64();
        let mut b = Stream::new(7, 1000, Purpose::Noise);
        let again: Vec<u64> = (0..10).map(|_| b.next_u64()).collect();
        assert_eq!(first, again);
        let mut c = Stream::new(7, 1000, Purpose::Events);
        assert_ne!(first[0], c.next_u64());
        let mut d = Stream::new(8, 1000, Purpose::Noise);
        assert_ne!(first[0], d.next_u64());
    }

    #[test]
    fn moments_of_the_distributions() {
        let n = 200_000;
        let mut s = Stream::new(1, 0, Purpose::Other);
        let (mut m, mut v) = (0.0, 0.0);
        for _ in 0..n {
            let z = s.normal();
            m += z;
            v += z * z;
        }
        m /= n as f64;
        v = v / n as f64 - m * m;
        assert!(m.abs() < 0.01, "normal mean {m}");
        assert!((v - 1.0).abs() < 0.015, "normal variance {v}");
        let e: f64 = (0..n).map(|_| s.exp1()).sum::<f64>() / n as f64;
        assert!((e - 1.0).abs() < 0.01, "exp mean {e}");
        for lambda in [0.3, 4.0, 25.0, 400.0] {
            let draws: Vec<f64> = (0..n).map(|_| s.poisson(lambda) as f64).collect();
            let mean = draws.iter().sum::<f64>() / n as f64;
            let var = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
            let se = (lambda / n as f64).sqrt();
            assert!(
                (mean - lambda).abs() < 5.0 * se,
                "poisson({lambda}) mean {mean}"
            );
            assert!(
                (var / lambda - 1.0).abs() < 0.03,
                "poisson({lambda}) var {var}"
            );
        }
    }

    #[test]
    fn uniform_stays_inside_the_open_interval() {
        let mut s = Stream::new(3, 3, Purpose::Other);
        for _ in 0..100_000 {
            let u = s.uniform();
            assert!(u > 0.0 && u < 1.0);
        }
    }

    #[test]
    fn ln_gamma_matches_factorials() {
        let mut f = 1.0f64;
        for k in 1..30 {
            f *= k as f64;
            assert!((ln_gamma(k as f64 + 1.0) - f.ln()).abs() < 1e-10 * f.ln().max(1.0));
        }
        assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-12);
    }
}
