//! Points in the unit cube for Monte Carlo designs: independent draws,
//! Latin hypercube and scrambled Sobol. Every point is a pure function of
//! (seed, trajectory index, dimension) — and, for the Latin hypercube, of the
//! total count — so ensembles stay identical whatever the threads or shards.
//!
//! Sobol points use the classic construction (Bratley & Fox 1988, Antonov &
//! Saleev's Gray-code order) with primitive polynomials and initial direction
//! numbers in the style of Joe & Kuo (2008) for the first 21 dimensions;
//! beyond them (up to 161, as a Saltelli design of many factors needs), the
//! next primitive polynomials with generated initial numbers. A random
//! digital shift per seed makes the estimates unbiased. The Latin hypercube places trajectory k of n
//! in stratum π_d(k) of each dimension d, with π_d a keyed permutation of
//! 0..n (a Feistel network with cycle walking), jittered inside the stratum.

use crate::rng::{Purpose, Stream, philox4x32_10};

/// How trajectories draw their uncertain parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Design {
    /// Independent draws from each trajectory's own stream.
    #[default]
    Independent,
    /// Latin hypercube over the whole ensemble.
    LatinHypercube,
    /// Scrambled (digitally shifted) Sobol sequence.
    Sobol,
}

impl Design {
    pub const NAMES: &'static [&'static str] = &["independent", "lhs", "sobol"];

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "independent" | "mc" => Some(Self::Independent),
            "lhs" | "latin-hypercube" => Some(Self::LatinHypercube),
            "sobol" => Some(Self::Sobol),
            _ => None,
        }
    }
}

/// Degrees s, coefficients a (the polynomial's middle bits) and initial
/// direction numbers m_1..m_s for dimensions 2, 3, …; dimension 1 is the van
/// der Corput sequence in base 2.
const SOBOL_TABLE: &[(u32, u32, &[u32])] = &[
    (1, 0, &[1]),
    (2, 1, &[1, 3]),
    (3, 1, &[1, 3, 1]),
    (3, 2, &[1, 1, 1]),
    (4, 1, &[1, 1, 3, 3]),
    (4, 4, &[1, 3, 5, 13]),
    (5, 2, &[1, 1, 5, 5, 17]),
    (5, 4, &[1, 1, 5, 5, 5]),
    (5, 7, &[1, 1, 7, 11, 19]),
    (5, 11, &[1, 1, 5, 1, 1]),
    (5, 13, &[1, 1, 1, 3, 11]),
    (5, 14, &[1, 3, 5, 5, 31]),
    (6, 1, &[1, 3, 3, 9, 7, 49]),
    (6, 13, &[1, 1, 1, 15, 21, 21]),
    (6, 16, &[1, 3, 1, 13, 27, 49]),
    (6, 19, &[1, 1, 1, 15, 7, 5]),
    (6, 22, &[1, 3, 1, 15, 13, 25]),
    (6, 25, &[1, 1, 5, 5, 19, 61]),
    (7, 1, &[1, 3, 7, 11, 23, 15, 103]),
    (7, 4, &[1, 3, 7, 13, 13, 15, 69]),
];

/// Dimensions with tabulated initial direction numbers; beyond them,
/// [`Sobol::new`] generates its own (see [`generated_initial_numbers`]).
pub const SOBOL_TABLE_DIMS: usize = SOBOL_TABLE.len() + 1;

/// Highest degree of the primitive polynomials the generator uses.
const MAX_DEGREE: u32 = 10;

/// The most dimensions a Sobol generator has: one for van der Corput plus
/// one per primitive polynomial over GF(2) of degree 1 to [`MAX_DEGREE`]
/// (there are 160 of them).
pub const SOBOL_MAX_DIMS: usize = 161;

const BITS: usize = 32;

/// Direction numbers v_1..v_32 (scaled by 2^32) for each dimension.
#[derive(Debug, Clone)]
pub struct Sobol {
    directions: Vec<[u32; BITS]>,
}

impl Sobol {
    /// A generator for `dims` dimensions, or `None` above [`SOBOL_MAX_DIMS`].
    /// The first [`SOBOL_TABLE_DIMS`] dimensions come from the table; the
    /// rest use the next primitive polynomials with generated initial
    /// numbers, so a generator's first dimensions never depend on `dims`.
    pub fn new(dims: usize) -> Option<Self> {
        if dims > SOBOL_MAX_DIMS {
            return None;
        }
        let polynomials = primitive_polynomials(MAX_DEGREE);
        let mut directions: Vec<[u32; BITS]> = Vec::with_capacity(dims);
        for d in 0..dims {
            let v = if d == 0 {
                std::array::from_fn(|k| 1u32 << (BITS - 1 - k))
            } else {
                let (s, a) = polynomials[d - 1];
                match SOBOL_TABLE.get(d - 1) {
                    Some(&(_, _, m)) => direction_numbers(s, a, m),
                    // Redraw until the first DISTINCT_PREFIX direction
                    // numbers differ from every earlier dimension's, so no
                    // two columns of the first 2^DISTINCT_PREFIX points
                    // coincide (up to the shift).
                    None => (0u32..)
                        .map(|attempt| {
                            direction_numbers(s, a, &generated_initial_numbers(d, s, attempt))
                        })
                        .find(|v| {
                            directions
                                .iter()
                                .all(|w| w[..DISTINCT_PREFIX] != v[..DISTINCT_PREFIX])
                        })
                        .expect("an unbounded search"),
                }
            };
            directions.push(v);
        }
        Some(Self { directions })
    }

    pub fn dims(&self) -> usize {
        self.directions.len()
    }

    /// Coordinate `dim` of point `index` (Gray-code order), XOR-shifted by
    /// `shift` (0 for the plain sequence), in [0, 1).
    pub fn coordinate(&self, index: u64, dim: usize, shift: u32) -> f64 {
        let gray = index ^ (index >> 1);
        let v = &self.directions[dim];
        let mut x = 0u32;
        for (k, vk) in v.iter().enumerate() {
            if (gray >> k) & 1 == 1 {
                x ^= vk;
            }
        }
        f64::from(x ^ shift) / 4_294_967_296.0
    }
}

/// Direction numbers v_1..v_32 (scaled by 2^32) of the polynomial of degree
/// `s` with middle bits `a` and initial numbers `m`, by the recurrence
/// v_k = a_1 v_(k−1) ⊕ … ⊕ a_(s−1) v_(k−s+1) ⊕ v_(k−s) ⊕ (v_(k−s) >> s).
fn direction_numbers(s: u32, a: u32, m: &[u32]) -> [u32; BITS] {
    let s = s as usize;
    let mut v = [0u32; BITS];
    for k in 0..s.min(BITS) {
        v[k] = m[k] << (BITS - 1 - k);
    }
    for k in s..BITS {
        let mut x = v[k - s] ^ (v[k - s] >> s);
        for j in 1..s {
            if (a >> (s - 1 - j)) & 1 == 1 {
                x ^= v[k - j];
            }
        }
        v[k] = x;
    }
    v
}

/// Generated dimensions differ from all earlier ones in their first this
/// many direction numbers (so in the first 64 points).
const DISTINCT_PREFIX: usize = 6;

/// Primitive polynomials over GF(2) of degree 1 to `max_degree`, ordered by
/// degree and then by their middle coefficients, as (degree s, middle bits a)
/// in the table's convention: x^s + a_1 x^(s-1) + … + a_(s-1) x + 1 with
/// a_1 the highest bit of a.
fn primitive_polynomials(max_degree: u32) -> Vec<(u32, u32)> {
    let mut found = Vec::new();
    for s in 1..=max_degree {
        for a in 0..(1u32 << (s - 1)) {
            let poly = (1 << s) | (a << 1) | 1;
            if is_primitive(poly, s) {
                found.push((s, a));
            }
        }
    }
    found
}

/// Whether x has order 2^s − 1 modulo `poly` (degree s): exactly when the
/// polynomial is primitive (a reducible one has fewer than 2^s − 1 units).
fn is_primitive(poly: u32, s: u32) -> bool {
    let order = (1u64 << s) - 1;
    let x_to = |e: u64| power_of_x(e, poly, s);
    if x_to(order) != 1 {
        return false;
    }
    prime_factors(order)
        .into_iter()
        .all(|q| x_to(order / q) != 1)
}

/// x^e modulo `poly` (degree s) over GF(2), by square and multiply.
fn power_of_x(mut e: u64, poly: u32, s: u32) -> u32 {
    let multiply = |a: u32, b: u32| {
        let mut product = 0u32;
        let mut a = a;
        for bit in 0..s {
            if (b >> bit) & 1 == 1 {
                product ^= a;
            }
            a <<= 1;
            if (a >> s) & 1 == 1 {
                a ^= poly;
            }
        }
        product
    };
    let mut result = 1u32;
    let mut base = if s == 1 { 2 ^ poly } else { 2 };
    while e > 0 {
        if e & 1 == 1 {
            result = multiply(result, base);
        }
        base = multiply(base, base);
        e >>= 1;
    }
    result
}

fn prime_factors(mut n: u64) -> Vec<u64> {
    let mut factors = Vec::new();
    let mut q = 2;
    while q * q <= n {
        if n.is_multiple_of(q) {
            factors.push(q);
            while n.is_multiple_of(q) {
                n /= q;
            }
        }
        q += 1;
    }
    if n > 1 {
        factors.push(n);
    }
    factors
}

/// Initial direction numbers m_1..m_s of a dimension beyond the table: m_k
/// odd and below 2^k, as any valid set must be, drawn from a fixed Philox
/// block per dimension and attempt (the same for every seed; the seed only
/// shifts).
/// Such numbers give every one-dimensional projection the Sobol
/// stratification, but pairs of these dimensions are less even than with
/// optimised numbers (Joe & Kuo 2008); the random shift keeps estimates
/// unbiased either way.
fn generated_initial_numbers(dim: usize, s: u32, attempt: u32) -> Vec<u32> {
    (0..s)
        .map(|k| {
            let counter = [dim as u32, k, attempt, 0x5_0B01];
            let bits = philox4x32_10(counter, [0x50B0_1E57, 0x1D1E_C7ED])[0];
            (bits & ((1u32 << (k + 1)) - 1)) | 1
        })
        .collect()
}

/// The digital shift of dimension `dim` for a seed.
pub fn sobol_shift(seed: u64, dim: usize) -> u32 {
    let mut s = Stream::with_purpose_code(seed, dim as u64, 0x5_0B01);
    s.next_u32()
}

/// A keyed permutation of 0..n: a balanced Feistel network over the next
/// power of four, with cycle walking to stay inside the range.
pub fn permute(k: u64, n: u64, seed: u64, dim: usize) -> u64 {
    assert!(k < n, "index {k} outside 0..{n}");
    if n <= 1 {
        return 0;
    }
    let bits = 64 - (n - 1).leading_zeros();
    let half = bits.div_ceil(2);
    let mask = (1u64 << half) - 1;
    let key = [seed as u32 ^ dim as u32, (seed >> 32) as u32 ^ 0x9E37_79B9];
    let mut x = k;
    loop {
        let (mut left, mut right) = (x >> half, x & mask);
        for round in 0..4u32 {
            let f = philox4x32_10([right as u32, (right >> 32) as u32, round, dim as u32], key)[0]
                as u64
                & mask;
            let next = left ^ f;
            left = right;
            right = next;
        }
        x = (left << half) | right;
        if x < n {
            return x;
        }
    }
}

/// Coordinate `dim` of trajectory `k` of `n` in a Latin hypercube: one point
/// in each of the n strata of every dimension.
pub fn latin_hypercube(k: u64, n: u64, seed: u64, dim: usize) -> f64 {
    let stratum = permute(k, n, seed, dim);
    let mut s = Stream::with_purpose_code(seed, k, 0x1A7_0000 + dim as u32);
    (stratum as f64 + s.uniform()) / n as f64
}

/// Coordinate `dim` of trajectory `k` of `n` under a design; independent
/// draws come from the trajectory's own parameter stream `stream`.
pub fn unit_coordinate(
    design: Design,
    sobol: Option<&Sobol>,
    k: u64,
    n: u64,
    seed: u64,
    dim: usize,
    stream: &mut Stream,
) -> f64 {
    match design {
        Design::Independent => stream.uniform(),
        Design::LatinHypercube => latin_hypercube(k, n, seed, dim),
        Design::Sobol => {
            let s = sobol.expect("a Sobol generator for the Sobol design");
            // Keep strictly inside (0, 1) for quantile functions.
            s.coordinate(k, dim, sobol_shift(seed, dim))
                .clamp(1e-12, 1.0 - 1e-12)
        }
    }
}

/// A trajectory's parameter stream (the same address every design uses).
pub fn parameter_stream(seed: u64, k: u64) -> Stream {
    Stream::new(seed, k, Purpose::Parameters)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sobol_dimension_is_stratified() {
        // The first 2^m points of each coordinate fall one in each of the
        // 2^m intervals of width 2^-m (a property of any valid direction numbers).
        let s = Sobol::new(SOBOL_MAX_DIMS).unwrap();
        for m in [4u32, 8, 10] {
            let n = 1u64 << m;
            for d in 0..s.dims() {
                let mut seen = vec![false; n as usize];
                for i in 0..n {
                    let cell = (s.coordinate(i, d, 0) * n as f64) as usize;
                    assert!(!seen[cell], "dimension {d}, m {m}: cell {cell} twice");
                    seen[cell] = true;
                }
            }
        }
    }

    #[test]
    fn the_first_two_sobol_dimensions_form_a_zero_net() {
        // (0, m, 2)-net: every elementary box of area 2^-m holds exactly one point.
        let s = Sobol::new(2).unwrap();
        let m = 8u32;
        let n = 1u64 << m;
        for a in 0..=m {
            let (bx, by) = (1u64 << a, 1u64 << (m - a));
            let mut count = vec![0u32; (bx * by) as usize];
            for i in 0..n {
                let x = (s.coordinate(i, 0, 0) * bx as f64) as u64;
                let y = (s.coordinate(i, 1, 0) * by as f64) as u64;
                count[(x * by + y) as usize] += 1;
            }
            assert!(count.iter().all(|c| *c == 1), "boxes {bx}x{by}");
        }
    }

    #[test]
    fn scrambled_sobol_beats_the_monte_carlo_error_on_a_smooth_integral() {
        // ∫ over [0,1]^6 of Π (1 + (x_i − ½)) = 1. Independent draws have a
        // standard error of sqrt(((13/12)^6 − 1)/n) ≈ 0.0123 at n = 4096; the
        // shifted Sobol estimate must be ten times closer, for several seeds.
        let dims = 6;
        let n = 4096u64;
        let s = Sobol::new(dims).unwrap();
        let f = |x: &[f64]| x.iter().map(|v| 1.0 + (v - 0.5)).product::<f64>();
        let se = (((13.0f64 / 12.0).powi(6) - 1.0) / n as f64).sqrt();
        for seed in 0..5 {
            let mut qmc = 0.0;
            let mut x = vec![0.0; dims];
            for k in 0..n {
                let mut stream = parameter_stream(seed, k);
                for d in 0..dims {
                    x[d] = unit_coordinate(Design::Sobol, Some(&s), k, n, seed, d, &mut stream);
                }
                qmc += f(&x) / n as f64;
            }
            assert!((qmc - 1.0).abs() < 0.1 * se, "seed {seed}: {qmc}");
        }
    }

    #[test]
    fn the_table_follows_the_primitive_polynomials_in_order() {
        let polynomials = primitive_polynomials(MAX_DEGREE);
        assert_eq!(polynomials.len() + 1, SOBOL_MAX_DIMS);
        for (d, (s, a, m)) in SOBOL_TABLE.iter().enumerate() {
            assert_eq!(polynomials[d], (*s, *a), "dimension {}", d + 2);
            assert_eq!(m.len(), *s as usize);
        }
        // Counts of primitive polynomials of each degree: φ(2^s − 1)/s.
        for (s, count) in [
            (1, 1),
            (2, 1),
            (3, 2),
            (5, 6),
            (7, 18),
            (8, 16),
            (9, 48),
            (10, 60),
        ] {
            assert_eq!(
                polynomials.iter().filter(|p| p.0 == s).count(),
                count,
                "degree {s}"
            );
        }
    }

    #[test]
    fn generated_dimensions_leave_the_tabulated_ones_unchanged() {
        let small = Sobol::new(SOBOL_TABLE_DIMS).unwrap();
        let large = Sobol::new(SOBOL_MAX_DIMS).unwrap();
        for i in 0..300 {
            for d in 0..SOBOL_TABLE_DIMS {
                assert_eq!(small.coordinate(i, d, 7), large.coordinate(i, d, 7));
            }
        }
        // No two dimensions coincide.
        let column = |d: usize| {
            (0..64)
                .map(|i| large.coordinate(i, d, 0))
                .collect::<Vec<_>>()
        };
        let columns: Vec<_> = (0..SOBOL_MAX_DIMS).map(column).collect();
        for a in 0..SOBOL_MAX_DIMS {
            for b in a + 1..SOBOL_MAX_DIMS {
                assert_ne!(columns[a], columns[b], "dimensions {a} and {b}");
            }
        }
    }

    #[test]
    fn the_keyed_permutation_is_a_bijection() {
        for n in [1u64, 2, 3, 10, 97, 1000, 4096] {
            let mut seen = vec![false; n as usize];
            for k in 0..n {
                let p = permute(k, n, 42, 3) as usize;
                assert!(!seen[p], "n {n}: {p} twice");
                seen[p] = true;
            }
        }
        assert_ne!(
            (0..50).map(|k| permute(k, 50, 1, 0)).collect::<Vec<_>>(),
            (0..50).map(|k| permute(k, 50, 2, 0)).collect::<Vec<_>>()
        );
    }

    #[test]
    fn latin_hypercube_puts_one_point_in_every_stratum() {
        let n = 500u64;
        for d in 0..4 {
            let mut seen = vec![false; n as usize];
            for k in 0..n {
                let u = latin_hypercube(k, n, 9, d);
                assert!(u > 0.0 && u < 1.0);
                let cell = (u * n as f64) as usize;
                assert!(!seen[cell]);
                seen[cell] = true;
            }
        }
    }

    #[test]
    fn designs_parse_by_name() {
        assert_eq!(Design::parse("lhs"), Some(Design::LatinHypercube));
        assert_eq!(Design::parse("sobol"), Some(Design::Sobol));
        assert_eq!(Design::parse("independent"), Some(Design::Independent));
        assert_eq!(Design::parse("random"), None);
        assert!(Sobol::new(SOBOL_MAX_DIMS + 1).is_none());
    }
}
