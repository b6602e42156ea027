//! One module per subcommand. Each has an `Args` struct (clap derive) and a
//! `run` function returning `Result<(), Failure>`; `main` only dispatches.
//! Commands do not import each other: what two of them share lives in a
//! module below (`analysis`, `figures`, `one_run`, `parts`, `sweep_grid`,
//! `common`, `output`). Commands with many flags check them all into a
//! `Plan` before any work, so a bad flag is refused at once.
//! To add a subcommand: a module here, a variant in `main::Command`, one
//! line in `main::dispatch`.

pub mod analyze;
pub mod ensemble;
pub mod forecast;
pub mod journal;
pub mod merge;
pub mod models;
pub mod plot;
pub mod run;
pub mod sensitivity;
pub mod serve;
pub mod simulate;
pub mod sweep;
