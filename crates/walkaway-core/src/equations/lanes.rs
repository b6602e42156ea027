//! An equation model in the ensemble kernel: the compiled program runs on
//! all lanes at once, one instruction at a time.
//!
//! The slots live in the kernel's batch ([`LaneSystem::Prepared`]), not in
//! a thread-local: the constants are written when the batch starts, the
//! parameters and what depends on them alone (`LaneProgram::hoisted`, e.g.
//! `-alpha1` in `-alpha1*laura`) whenever a lane takes a new trajectory,
//! and each right-hand-side call copies in the states and runs only the
//! per-call part (`LaneProgram::per_call`).

use super::model::{EquationModel, MAX_PARAMS};
use crate::ensemble::systems::LaneSystem;
use crate::real::Lane;

/// An equation model with `N` states, its parameters padded to
/// [`MAX_PARAMS`] (the padding is never read).
#[derive(Debug, Clone, Copy)]
pub struct EquationLanes<'m, const N: usize> {
    pub model: &'m EquationModel,
}

/// The slots of an equation model's program for one batch of `W` lanes,
/// constants and parameter-only values in place.
#[derive(Debug, Clone)]
pub struct EquationSlots<const W: usize> {
    slots: Vec<[f64; W]>,
}

impl<const N: usize> LaneSystem<N, MAX_PARAMS> for EquationLanes<'_, N> {
    fn id(&self) -> &'static str {
        crate::model::Model::info(self.model).id
    }

    fn state_names(&self) -> [&'static str; N] {
        std::array::from_fn(|i| self.model.state_names[i])
    }

    fn parameter_names(&self) -> [&'static str; MAX_PARAMS] {
        std::array::from_fn(|j| self.model.param_names.get(j).copied().unwrap_or(""))
    }

    fn nominal_parameters(&self) -> [f64; MAX_PARAMS] {
        std::array::from_fn(|j| self.model.source.params.get(j).map_or(0.0, |p| p.default))
    }

    fn parameter_count(&self) -> usize {
        self.model.param_names.len()
    }

    fn initial_state(&self) -> [f64; N] {
        std::array::from_fn(|i| self.model.source.states[i].initial)
    }

    type Prepared<const W: usize> = EquationSlots<W>;

    fn prepare<const W: usize>(&self, p: &[Lane<W>; MAX_PARAMS]) -> EquationSlots<W> {
        // The time slot stays 0: models that read t are refused before they
        // get here (`ensemble_obstacle`).
        let mut prepared = EquationSlots {
            slots: self.model.layout.slots::<W>(),
        };
        self.reload(&mut prepared, p);
        prepared
    }

    #[inline(always)]
    fn reload<const W: usize>(&self, prepared: &mut EquationSlots<W>, p: &[Lane<W>; MAX_PARAMS]) {
        let layout = &self.model.layout;
        let params = &mut prepared.slots[N..N + layout.params];
        for (slot, lane) in params.iter_mut().zip(p) {
            *slot = lane.0;
        }
        self.model.lanes.hoisted.run(&mut prepared.slots);
    }

    #[inline(always)]
    fn rhs<const W: usize>(
        &self,
        prepared: &mut EquationSlots<W>,
        _p: &[Lane<W>; MAX_PARAMS],
        y: &[Lane<W>; N],
        dy: &mut [Lane<W>; N],
    ) {
        let slots = &mut prepared.slots;
        for (slot, lane) in slots[..N].iter_mut().zip(y) {
            *slot = lane.0;
        }
        let program = &self.model.lanes.per_call;
        program.run(slots);
        for (d, &o) in dy.iter_mut().zip(&program.outputs) {
            *d = Lane(slots[o as usize]);
        }
    }
}
