//! The numerics of walkaway: love-dynamics models, the integrators that run
//! them and the random streams that make runs reproducible. No I/O and no
//! async live here; storage, export, the server and the CLI sit on top.

pub mod analysis;
pub mod distribution;
pub mod ensemble;
pub mod equations;
pub mod error;
pub mod forecast;
pub mod journal;
pub mod model;
pub mod models;
pub mod ode;
pub mod population;
pub mod real;
pub mod rng;
pub mod sampling;
pub mod sensitivity;
pub mod test_problems;

pub use error::{ModelError, SolverError};
pub use model::{
    Event, Method, Model, ModelInfo, ParamKind, ParamSpec, RunOptions, StateSpec, TimeKind,
    Trajectory,
};
pub use models::{catalog, find};
