//! `walkaway models`: every catalog model with its states, parameters
//! (unit, default, range) and citation.

use crate::common::{Failure, Format, emit, refuse_csv};
use crate::output;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// table for people, json for programs (csv is not offered: models are nested).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub fn run(args: &Args) -> Result<(), Failure> {
    refuse_csv(args.format, "`walkaway models`")?;
    emit(&output::models(args.format == Format::Json), None)
}
