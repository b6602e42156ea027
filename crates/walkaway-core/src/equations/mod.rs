//! Models written by researchers as equations (docs/models.md): states,
//! parameters, formulas and threshold events, compiled to a compact
//! register program and run by the same solvers, analyses and ensemble
//! kernel as the catalog. File formats (equation files, XPPAUT `.ode`)
//! are read elsewhere (the `walkaway-lang` crate) into a [`ModelSource`];
//! this module does no I/O.

mod compile;
pub mod expr;
mod lanes;
mod model;
mod program;
mod registry;
pub mod source;

#[cfg(test)]
pub(crate) mod tests;

pub use compile::{RESERVED, function_list, is_name};
pub use lanes::{EquationLanes, EquationSlots};
pub(crate) use model::with_state_count;
pub use model::{EquationModel, MAX_PARAMS, MAX_STATES, compile, is_id};
pub use registry::{MAX_REGISTERED, find_registered, register, registered};
pub use source::{
    Assignment, Crossing, EventDecl, Formula, LangError, ModelSource, ParamDecl, Pos, StateDecl,
};
