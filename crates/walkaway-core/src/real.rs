//! The number types a vector field is written for, so that each model's
//! equations exist once: `f64` when the catalog's solvers run one
//! trajectory, [`Lane`] when the ensemble kernel runs `W` trajectories side
//! by side (one value per trajectory).
//!
//! A field written over [`Real`] does on every lane exactly the operations
//! it does on one `f64`, in the same order, so the kernel and the catalog
//! get the same bits from the same parameters and state. There is on
//! purpose no fused multiply-add: it rounds once where `a * b + c` rounds
//! twice, so it would change the catalog's results, and on CPUs without
//! FMA (the kernel's portable path) it is a slow library call.

use std::ops::{Add, Div, Index, IndexMut, Mul, Neg, Sub};

/// What a vector field may compute with: the four operations, negation and
/// constants, written `R::from(1.0)`. `f64` and [`Lane`] implement it.
pub trait Real:
    Copy
    + From<f64>
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
}

impl Real for f64 {}

/// One value for each of `W` trajectories. Every operation works lane by
/// lane, in a loop without branches that the compiler turns into SIMD
/// instructions (always inlined, so each kernel path of
/// `ensemble/dispatch.rs` compiles it for its own instruction set).
///
/// The kernel keeps its states, stages and parameters as `Lane`s, so the
/// field reads them where they are: copying them into another type on
/// every call measured 5–14 % slower. `lane[w]` is trajectory `w`'s value.
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(transparent)]
pub struct Lane<const W: usize>(pub [f64; W]);

impl<const W: usize> Index<usize> for Lane<W> {
    type Output = f64;
    #[inline(always)]
    fn index(&self, w: usize) -> &f64 {
        &self.0[w]
    }
}

impl<const W: usize> IndexMut<usize> for Lane<W> {
    #[inline(always)]
    fn index_mut(&mut self, w: usize) -> &mut f64 {
        &mut self.0[w]
    }
}

impl<const W: usize> Real for Lane<W> {}

impl<const W: usize> From<f64> for Lane<W> {
    /// The same value on every lane.
    #[inline(always)]
    fn from(value: f64) -> Self {
        Lane([value; W])
    }
}

/// `impl $op for Lane<W>`: the `f64` operation on each pair of lanes.
macro_rules! lane_by_lane {
    ($op:ident, $method:ident) => {
        impl<const W: usize> $op for Lane<W> {
            type Output = Self;
            #[inline(always)]
            fn $method(self, other: Self) -> Self {
                Lane(std::array::from_fn(|w| self.0[w].$method(other.0[w])))
            }
        }
    };
}

lane_by_lane!(Add, add);
lane_by_lane!(Sub, sub);
lane_by_lane!(Mul, mul);
lane_by_lane!(Div, div);

impl<const W: usize> Neg for Lane<W> {
    type Output = Self;
    #[inline(always)]
    fn neg(self) -> Self {
        Lane(self.0.map(|v| -v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_lane_computes_what_f64_computes() {
        let a = Lane([1.5, -0.0, 3.0, f64::MIN_POSITIVE]);
        let b = Lane([0.1, 2.0, -7.0, 3.0]);
        for w in 0..4 {
            let (x, y) = (a.0[w], b.0[w]);
            assert_eq!((a + b).0[w].to_bits(), (x + y).to_bits());
            assert_eq!((a - b).0[w].to_bits(), (x - y).to_bits());
            assert_eq!((a * b).0[w].to_bits(), (x * y).to_bits());
            assert_eq!((a / b).0[w].to_bits(), (x / y).to_bits());
            assert_eq!((-a).0[w].to_bits(), (-x).to_bits());
        }
        assert_eq!(Lane::<3>::from(2.5), Lane([2.5; 3]));
    }
}
