//! `walkaway merge PART...`: adds up the parts of a forecast or ensemble run
//! that `--shard I/N --save-tally FILE` wrote (on one machine or many) and
//! prints what the whole run would have printed.

use std::path::PathBuf;

use walkaway_core::ensemble::EnsembleSummary;
use walkaway_core::forecast::summarise;

use crate::cmd::{ensemble, forecast};
use crate::common::{Failure, Format};
use crate::output;
use crate::shard;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The part files (any order).
    #[arg(value_name = "PART", required = true)]
    parts: Vec<PathBuf>,
    /// table or json for a forecast; table, csv or json for an ensemble.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub fn run(args: &Args) -> Result<(), Failure> {
    let parts = args
        .parts
        .iter()
        .map(|p| shard::load(p))
        .collect::<Result<Vec<_>, _>>()?;
    let parts = shard::check_cover(parts)?;
    let seconds: f64 = parts.iter().map(|p| p.seconds).sum();
    let first = &parts[0];
    match first.kind.as_str() {
        "forecast" => {
            if args.format == Format::Csv {
                return Err(Failure::Input(
                    "--format csv is not available for a forecast; allowed: table, json".into(),
                ));
            }
            let opts = forecast::options_from_run(&first.file, &first.run)?;
            let mut total = forecast::tally_from_json(&first.file, &first.tally, &opts)?;
            for p in &parts[1..] {
                total.merge(&forecast::tally_from_json(&p.file, &p.tally, &opts)?);
            }
            let f = summarise(&total, &opts);
            let text = if args.format == Format::Json {
                output::forecast_json(&f, seconds)
            } else {
                output::forecast_table(&f, seconds)
            };
            crate::common::emit(&text, None)
        }
        "ensemble" => {
            let spec = ensemble::spec_from_run(&first.file, &first.run)?;
            let mut total: EnsembleSummary =
                ensemble::summary_from_json(&first.file, spec, &first.tally)?;
            for p in &parts[1..] {
                total
                    .merge(&ensemble::summary_from_json(&p.file, spec, &p.tally)?)
                    .map_err(|e| Failure::Input(format!("{}: {e}", p.file)))?;
            }
            ensemble::print_summary(&total, seconds, 1, args.format)
        }
        other => Err(Failure::Input(format!(
            "{}: `kind` is \"{other}\"; allowed: \"forecast\", \"ensemble\"",
            first.file
        ))),
    }
}
