//! An equation model in the ensemble kernel: the compiled program runs on
//! all lanes at once, one instruction at a time.

use std::cell::RefCell;

use super::model::{EquationModel, MAX_PARAMS};
use crate::ensemble::systems::LaneSystem;
use crate::real::Lane;

thread_local! {
    /// Slots of the running program, per thread (the kernel calls the
    /// right-hand side through `&self` from many threads).
    static SLOTS: RefCell<Vec<f64>> = const { RefCell::new(Vec::new()) };
}

/// An equation model with `N` states, its parameters padded to
/// [`MAX_PARAMS`] (the padding is never read).
#[derive(Debug, Clone, Copy)]
pub struct EquationLanes<'m, const N: usize> {
    pub model: &'m EquationModel,
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

    fn initial_state(&self) -> [f64; N] {
        std::array::from_fn(|i| self.model.source.states[i].initial)
    }

    fn rhs<const W: usize>(
        &self,
        p: &[Lane<W>; MAX_PARAMS],
        y: &[Lane<W>; N],
        dy: &mut [Lane<W>; N],
    ) {
        let layout = &self.model.layout;
        SLOTS.with(|cell| {
            let mut flat = cell.borrow_mut();
            if flat.len() < layout.slots * W {
                flat.resize(layout.slots * W, 0.0);
            }
            let (slots, _) = flat.as_chunks_mut::<W>();
            let slots = &mut slots[..layout.slots];
            // Constants first: another model or lane width may have used
            // these slots on this thread.
            for &(slot, v) in &layout.constants {
                slots[slot as usize] = [v; W];
            }
            for (slot, lane) in slots[..N].iter_mut().zip(y) {
                *slot = lane.0;
            }
            for (slot, lane) in slots[N..N + layout.params].iter_mut().zip(p) {
                *slot = lane.0;
            }
            // Models run by the kernel are autonomous in practice; time is
            // still a slot, held at 0 would be wrong, so such models are
            // refused before they get here (see `ensemble_ready`).
            self.model.rhs.run(slots);
            for (d, &o) in dy.iter_mut().zip(&self.model.rhs.outputs) {
                *d = Lane(slots[o as usize]);
            }
        });
    }
}
