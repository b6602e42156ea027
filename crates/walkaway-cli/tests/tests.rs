//! The CLI's integration tests: one test binary (linking one is the slow
//! part of a cold build), its modules grouped by subject, the helpers that
//! run the real binary in `util`.

mod util;

mod analysis_cli;
mod bounded_inputs;
mod cli;
mod damaged_parts;
mod durability;
mod ensemble;
mod equation_files;
mod journal;
mod scenario_files;
mod sensitivity;
mod shards;
