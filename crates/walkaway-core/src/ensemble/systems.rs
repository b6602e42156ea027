//! What the ensemble kernel runs: an autonomous system with `N` states and
//! `P` parameters, evaluated for `W` trajectories at once (each state
//! variable and each parameter a [`Lane`] of `W` values, one per trajectory),
//! the same arithmetic on every lane so the compiler can use SIMD registers.
//!
//! The catalog models whose field is written over [`Real`]
//! ([`GenericField`]: `laura-petrarch`, `strogatz`, `rinaldi-linear`) are
//! lane systems as they are: the kernel runs the catalog's own equations on
//! [`Lane`]s and takes names, published parameters and initial state from
//! the model's `INFO`, so there is no second copy to drift apart. Equation
//! files have their own impl (`equations/lanes.rs`).

use crate::model::GenericField;
use crate::real::Lane;

/// An autonomous system dy/dt = f(y; p) with `N` states and `P` parameters,
/// evaluated for `W` trajectories at once.
pub trait LaneSystem<const N: usize, const P: usize>: Sync {
    /// The catalog id (`laura-petrarch`, `strogatz`, …).
    fn id(&self) -> &'static str;
    fn state_names(&self) -> [&'static str; N];
    fn parameter_names(&self) -> [&'static str; P];
    /// The published parameters that the ensemble jitters.
    fn nominal_parameters(&self) -> [f64; P];
    fn initial_state(&self) -> [f64; N];
    /// dy/dt for `W` lanes. Must do the same operations on every lane, with
    /// no lane-dependent branches, so it vectorises.
    fn rhs<const W: usize>(&self, p: &[Lane<W>; P], y: &[Lane<W>; N], dy: &mut [Lane<W>; N]);
}

/// A catalog model with a [`GenericField`] in the kernel: its description
/// from `INFO` (the published defaults are the nominal parameters), its
/// field on [`Lane`]s. Each lane does the operations the catalog does on
/// `f64`, so a lane and the catalog's solver agree to the bit.
impl<const N: usize, const P: usize, M: GenericField<N, P>> LaneSystem<N, P> for M {
    fn id(&self) -> &'static str {
        self.info().id
    }
    fn state_names(&self) -> [&'static str; N] {
        std::array::from_fn(|i| self.info().states[i].name)
    }
    fn parameter_names(&self) -> [&'static str; P] {
        std::array::from_fn(|j| self.info().params[j].name)
    }
    fn nominal_parameters(&self) -> [f64; P] {
        std::array::from_fn(|j| self.info().params[j].default)
    }
    fn initial_state(&self) -> [f64; N] {
        std::array::from_fn(|i| self.info().states[i].default)
    }
    #[inline(always)]
    fn rhs<const W: usize>(&self, p: &[Lane<W>; P], y: &[Lane<W>; N], dy: &mut [Lane<W>; N]) {
        self.field(p, y, dy);
    }
}

/// One lane of a [`LaneSystem`] with fixed parameters, as an ordinary
/// right-hand side for the scalar [`crate::ode::Dopri5`] (tests, references).
#[derive(Debug, Clone, Copy)]
pub struct SingleLane<'a, S, const P: usize> {
    pub system: &'a S,
    pub parameters: [f64; P],
}

impl<const N: usize, const P: usize, S: LaneSystem<N, P>> crate::ode::OdeRhs<N>
    for SingleLane<'_, S, P>
{
    fn rhs(&self, _t: f64, y: &[f64; N], dydt: &mut [f64; N]) {
        let p = self.parameters.map(|v| Lane([v]));
        let yl = y.map(|v| Lane([v]));
        let mut out = [Lane([0.0]); N];
        self.system.rhs::<1>(&p, &yl, &mut out);
        *dydt = out.map(|Lane([v])| v);
    }
}
