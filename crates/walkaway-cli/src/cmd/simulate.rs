//! `walkaway simulate MODEL_OR_SCENARIO`: one trajectory as a table, CSV or
//! JSON.

use crate::common::{Failure, Format, emit};
use crate::one_run::{RunArgs, one_run};
use crate::output;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A model id (see `walkaway models`), a scenario file (.toml, see docs/scenarios.md)
    /// or an equation file (.toml with a [model] table, or XPPAUT .ode; docs/models.md).
    #[arg(value_name = "MODEL_OR_SCENARIO_FILE")]
    pub target: String,
    #[command(flatten)]
    pub run: RunArgs,
}

pub fn run(args: &Args) -> Result<(), Failure> {
    let (_, traj) = one_run(Some(&args.target), &args.run)?;
    let text = match args.run.format {
        Format::Table => output::table(&traj),
        Format::Csv => output::csv(&traj),
        Format::Json => output::trajectory_json(&traj),
    };
    emit(&text, args.run.out.as_deref())
}
