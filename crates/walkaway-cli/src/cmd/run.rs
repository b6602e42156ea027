//! `walkaway run [SCENARIO]` (and bare `walkaway`): one run told week by
//! week, then the events, the outcome and what the numbers are not.

use crate::common::{Failure, Format, emit};
use crate::one_run::{RunArgs, one_run};
use crate::output;

#[derive(clap::Args, Debug, Default)]
pub struct Args {
    /// A scenario file (default: the embedded scenarios/default.toml).
    #[arg(value_name = "SCENARIO_FILE")]
    pub scenario: Option<String>,
    #[command(flatten)]
    pub run: RunArgs,
}

pub fn run(args: &Args) -> Result<(), Failure> {
    let (scenario, traj) = one_run(args.scenario.as_deref(), &args.run)?;
    let text = match args.run.format {
        Format::Table => output::story(&traj, scenario.model.info(), scenario.title.as_deref()),
        Format::Csv => output::csv(&traj),
        Format::Json => output::trajectory_json(&traj),
    };
    emit(&text, args.run.out.as_deref())
}
