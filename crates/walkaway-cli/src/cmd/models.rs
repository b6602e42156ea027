//! `walkaway models`: every catalog model with its states, parameters
//! (unit, default, range) and citation.

use crate::common::{Failure, Format, emit};
use crate::output;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// table for people, json for programs (csv is not offered: models are nested).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub fn run(args: &Args) -> Result<(), Failure> {
    match args.format {
        Format::Table => emit(&output::models(false), None),
        Format::Json => emit(&output::models(true), None),
        Format::Csv => Err(Failure::Input(
            "--format csv is not available for `walkaway models`; allowed: table, json".into(),
        )),
    }
}
