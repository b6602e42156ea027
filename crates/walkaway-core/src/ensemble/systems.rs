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
//!
//! A system may keep working memory for a batch of lanes
//! ([`LaneSystem::Prepared`]): the kernel makes it once per batch from the
//! lanes' parameters ([`LaneSystem::prepare`]), refreshes it whenever a lane
//! starts a new trajectory ([`LaneSystem::reload`]) and hands it to every
//! right-hand-side call. The catalog needs none (`()`); an equation file
//! keeps its slots there, with the constants, the parameters and what
//! depends on the parameters alone computed before the first call.

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
    /// How many of the `P` parameters the model has (the rest is padding,
    /// 0 and never read, which the ensemble does not jitter).
    fn parameter_count(&self) -> usize {
        P
    }
    fn initial_state(&self) -> [f64; N];
    /// What the right-hand side keeps between its calls on one batch of
    /// `W` lanes: anything that depends only on the lanes' parameters.
    type Prepared<const W: usize>;
    /// The working memory for `W` lanes with parameters `p`.
    fn prepare<const W: usize>(&self, p: &[Lane<W>; P]) -> Self::Prepared<W>;
    /// Some lanes' parameters changed (a lane took a new trajectory):
    /// brings `prepared` up to date with `p`.
    fn reload<const W: usize>(&self, prepared: &mut Self::Prepared<W>, p: &[Lane<W>; P]);
    /// dy/dt for `W` lanes with parameters `p`, `prepared` made from the
    /// same `p`. Must do the same operations on every lane, with no
    /// lane-dependent branches, so it vectorises.
    fn rhs<const W: usize>(
        &self,
        prepared: &mut Self::Prepared<W>,
        p: &[Lane<W>; P],
        y: &[Lane<W>; N],
        dy: &mut [Lane<W>; N],
    );
    /// One call of [`LaneSystem::rhs`] with fresh working memory (tests,
    /// one-off evaluations; the kernel prepares once per batch).
    fn rhs_once<const W: usize>(&self, p: &[Lane<W>; P], y: &[Lane<W>; N], dy: &mut [Lane<W>; N]) {
        let mut prepared = self.prepare(p);
        self.rhs(&mut prepared, p, y, dy);
    }
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
    /// The field reads the parameters where the kernel keeps them.
    type Prepared<const W: usize> = ();
    #[inline(always)]
    fn prepare<const W: usize>(&self, _p: &[Lane<W>; P]) {}
    #[inline(always)]
    fn reload<const W: usize>(&self, _prepared: &mut (), _p: &[Lane<W>; P]) {}
    #[inline(always)]
    fn rhs<const W: usize>(
        &self,
        _prepared: &mut (),
        p: &[Lane<W>; P],
        y: &[Lane<W>; N],
        dy: &mut [Lane<W>; N],
    ) {
        self.field(p, y, dy);
    }
}

/// One lane of a [`LaneSystem`] with fixed parameters, as an ordinary
/// right-hand side for the scalar [`crate::ode::Dopri5`] (tests, references).
pub struct SingleLane<'a, const N: usize, const P: usize, S: LaneSystem<N, P>> {
    system: &'a S,
    parameters: [Lane<1>; P],
    /// Prepared once; a `RefCell` because the solver calls through `&self`.
    prepared: std::cell::RefCell<S::Prepared<1>>,
}

impl<const N: usize, const P: usize, S: LaneSystem<N, P>> std::fmt::Debug
    for SingleLane<'_, N, P, S>
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SingleLane")
            .field("system", &self.system.id())
            .field("parameters", &self.parameters)
            .finish_non_exhaustive()
    }
}

impl<'a, const N: usize, const P: usize, S: LaneSystem<N, P>> SingleLane<'a, N, P, S> {
    pub fn new(system: &'a S, parameters: [f64; P]) -> Self {
        let parameters = parameters.map(|v| Lane([v]));
        Self {
            system,
            prepared: std::cell::RefCell::new(system.prepare(&parameters)),
            parameters,
        }
    }
}

impl<const N: usize, const P: usize, S: LaneSystem<N, P>> crate::ode::OdeRhs<N>
    for SingleLane<'_, N, P, S>
{
    fn rhs(&self, _t: f64, y: &[f64; N], dydt: &mut [f64; N]) {
        let yl = y.map(|v| Lane([v]));
        let mut out = [Lane([0.0]); N];
        self.system.rhs::<1>(
            &mut self.prepared.borrow_mut(),
            &self.parameters,
            &yl,
            &mut out,
        );
        *dydt = out.map(|Lane([v])| v);
    }
}
