//! One module per subcommand. Each has an `Args` struct (clap derive) and a
//! `run` function returning `Result<(), Failure>`; `main` only dispatches.
//! To add a subcommand: a module here, a variant in `main::Command`, one
//! line in `main::dispatch`.

pub mod analyze;
pub mod ensemble;
pub mod forecast;
pub mod merge;
pub mod models;
pub mod plot;
pub mod run;
pub mod serve;
pub mod simulate;
pub mod sweep;
