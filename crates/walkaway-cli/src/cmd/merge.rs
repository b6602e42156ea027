//! `walkaway merge PART...`: adds up the parts of a forecast, ensemble or
//! sweep that `--shard I/N --save-tally FILE` wrote (on one machine or many)
//! and prints (or, for a sweep, writes) what the whole run would have.

use std::path::PathBuf;

use serde_json::Value;
use walkaway_core::ensemble::EnsembleSummary;
use walkaway_core::forecast::summarise;
use walkaway_core::models::walkaway::INFO as WALKAWAY;

use crate::common::{Failure, Format, emit, refuse_csv};
use crate::output;
use crate::parts::{self, Part, ensemble, forecast};
use crate::sweep_grid::{Axis, SweepOutputs, parse_axis, sweep_table};

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
        .map(|p| parts::load(p))
        .collect::<Result<Vec<_>, _>>()?;
    let parts = parts::check_cover(parts)?;
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
            refuse_csv(args.format, "a forecast")?;
            let opts = forecast::options_from_run(&first.file, &first.run)?;
            same_total(first, opts.trajectories)?;
            let mut total =
                forecast::tally_from_json(&first.file, &first.tally, &opts, runs(first))?;
            for p in &parts[1..] {
                let part = forecast::tally_from_json(&p.file, &p.tally, &opts, runs(p))?;
                total
                    .checked_merge(&part)
                    .map_err(|e| Failure::Input(format!("{}: {e}", p.file)))?;
            }
            let f = summarise(&total, &opts);
            emit(&output::forecast(&f, seconds, args.format), None)
        }
        "ensemble" => {
            let spec = ensemble::spec_from_run(&first.file, &first.run)?;
            let trajectories = first.run.get("trajectories").and_then(Value::as_u64);
            same_total(first, trajectories.unwrap_or(0))?;
            let mut total: EnsembleSummary =
                ensemble::summary_from_json(&first.file, spec, &first.tally, runs(first))?;
            for p in &parts[1..] {
                total
                    .merge(&ensemble::summary_from_json(
                        &p.file,
                        spec,
                        &p.tally,
                        runs(p),
                    )?)
                    .map_err(|e| Failure::Input(format!("{}: {e}", p.file)))?;
            }
            emit(&output::ensemble(&total, seconds, 1, args.format), None)
        }
        other => Err(Failure::Input(format!(
            "{}: `kind` is \"{other}\"; allowed: \"forecast\", \"ensemble\", \"sweep\"",
            first.file
        ))),
    }
}

/// The trajectories (or cells) a part's range covers.
fn runs(p: &Part) -> u64 {
    p.range.end - p.range.start
}

/// The parts cover `total` units, which must be the run's own count.
fn same_total(first: &Part, trajectories: u64) -> Result<(), Failure> {
    if first.total == trajectories {
        return Ok(());
    }
    Err(Failure::Input(format!(
        "{}: `total` = {} but `run.trajectories` = {trajectories}; allowed: the same number",
        first.file, first.total
    )))
}

fn merge_sweep(parts: &[Part], args: &Args) -> Result<(), Failure> {
    let first = &parts[0];
    let opts = forecast::options_from_run(&first.file, &first.run)?;
    let axis = |key: &str, flag: &str| -> Result<Option<Axis>, Failure> {
        match first.run.get(key) {
            Some(Value::String(text)) => Ok(Some(parse_axis(flag, text, &WALKAWAY)?)),
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
            let tally = forecast::tally_from_json(&p.file, cell, &opts, opts.trajectories)?;
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
    let outputs = SweepOutputs::new(args.out.as_deref(), args.plot.as_deref())?;
    let table =
        sweep_table(&x, y.as_ref(), &results).map_err(|e| Failure::Internal(e.to_string()))?;
    outputs.write(&table, opts.seed)
}
