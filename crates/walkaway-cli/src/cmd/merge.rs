//! `walkaway merge PART...`: adds up the parts of a forecast, ensemble or
//! sweep that `--shard I/N --save-tally FILE` wrote (on one machine or many)
//! and prints (or, for a sweep, writes) what the whole run would have.

use std::path::PathBuf;

use walkaway_core::ensemble::EnsembleSummary;
use walkaway_core::forecast::summarise;

use serde_json::Value;
use walkaway_core::models::walkaway::INFO as WALKAWAY;

use crate::cmd::{ensemble, forecast, sweep};
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
    /// For a sweep: write the table here (.csv or .parquet) instead of CSV
    /// on standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// For a sweep: also draw the chance that your partner comes back (.svg or .png).
    #[arg(long, value_name = "FILE")]
    plot: Option<PathBuf>,
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
    if first.kind != "sweep" && (args.out.is_some() || args.plot.is_some()) {
        return Err(Failure::Input(format!(
            "--out and --plot are for the parts of a sweep; {} is part of a run of `{}`",
            first.file, first.kind
        )));
    }
    match first.kind.as_str() {
        "sweep" => merge_sweep(&parts, args),
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
            "{}: `kind` is \"{other}\"; allowed: \"forecast\", \"ensemble\", \"sweep\"",
            first.file
        ))),
    }
}

fn merge_sweep(parts: &[shard::Part], args: &Args) -> Result<(), Failure> {
    let first = &parts[0];
    let opts = forecast::options_from_run(&first.file, &first.run)?;
    let axis = |key: &str, flag: &str| -> Result<Option<sweep::Axis>, Failure> {
        match first.run.get(key) {
            Some(Value::String(text)) => Ok(Some(sweep::parse_axis(flag, text, &WALKAWAY)?)),
            Some(Value::Null) | None => Ok(None),
            Some(_) => Err(Failure::Input(format!(
                "{}: `run.{key}` is not an axis",
                first.file
            ))),
        }
    };
    let x = axis("x", "--x")?
        .ok_or_else(|| Failure::Input(format!("{}: `run.x` is missing", first.file)))?;
    let y = axis("y", "--y")?;
    let mut results = Vec::new();
    for p in parts {
        let cells = p
            .tally
            .get("cells")
            .and_then(Value::as_array)
            .filter(|c| c.len() as u64 == p.range.end - p.range.start)
            .ok_or_else(|| {
                Failure::Input(format!(
                    "{}: `tally.cells` does not hold one tally per cell of its range",
                    p.file
                ))
            })?;
        for cell in cells {
            let tally = forecast::tally_from_json(&p.file, cell, &opts)?;
            results.push(summarise(&tally, &opts));
        }
    }
    let grid = x.values.len() * y.as_ref().map_or(1, |y| y.values.len());
    if results.len() != grid {
        return Err(Failure::Input(format!(
            "{}: the parts hold {} cells but the grid of `run.x`/`run.y` has {grid}",
            first.file,
            results.len()
        )));
    }
    let format = args
        .out
        .as_deref()
        .map(walkaway_export::TableFormat::of)
        .transpose()
        .map_err(|e| Failure::Input(format!("--out: {e}")))?;
    let plot = args
        .plot
        .as_deref()
        .map(|p| crate::cmd::plot::Output::new("--plot", p))
        .transpose()?;
    let table = sweep::sweep_table(&x, y.as_ref(), &results)
        .map_err(|e| Failure::Internal(e.to_string()))?;
    sweep::write_sweep(&table, format.and(args.out.as_deref()), plot, opts.seed)
}
