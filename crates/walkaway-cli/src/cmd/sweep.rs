//! `walkaway sweep [SCENARIO] --x NAME=LO:HI:N [--y NAME=LO:HI:N]`: outcome
//! probabilities of the forecast on a grid of one or two parameters of the
//! walkaway model, as CSV or Parquet, with an optional heat map.
//!
//! Every cell runs the same trajectories (the same seed, so the same draws
//! of everything uncertain and the same random events): differences between
//! cells come from the swept parameters, not from sampling noise (common
//! random numbers).

use std::ops::Range;
use std::path::PathBuf;

use serde_json::json;
use walkaway_core::forecast::{Forecast, ForecastOptions, summarise, validate};
use walkaway_core::models::walkaway::INFO as WALKAWAY;
use walkaway_core::population::Population;
use walkaway_scenario::sweep::{ArgumentNames, cell_options, check_grid, run_cell};

use crate::common::{Failure, load_walkaway_scenario};
use crate::parts;
use crate::progress::Progress;
use crate::sweep_grid::{Axis, SweepOutputs, parse_axis, sweep_table};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A scenario file of the walkaway model (default: the embedded scenarios/default.toml).
    #[arg(value_name = "SCENARIO_FILE")]
    scenario: Option<String>,
    /// The first axis: NAME=LO:HI:N (N values from LO to HI) or NAME=V1,V2,…
    #[arg(long, value_name = "NAME=LO:HI:N")]
    x: String,
    /// An optional second axis, in the same form.
    #[arg(long, value_name = "NAME=LO:HI:N")]
    y: Option<String>,
    /// Simulated futures per cell.
    #[arg(long, default_value_t = 1_000)]
    trajectories: u64,
    /// Seed (default: the scenario's); every cell uses the same one.
    #[arg(long)]
    seed: Option<u64>,
    /// Fix a value of the scenario: NAME=VALUE (repeatable), as in `forecast --set`.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    sets: Vec<String>,
    /// Write the table here (.csv or .parquet); standard output gets CSV otherwise.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Also draw the chance that your partner comes back (.svg or .png).
    #[arg(long, value_name = "FILE")]
    plot: Option<PathBuf>,
    /// Compute only slice I of N of the grid's cells (from 0, x fastest),
    /// for clusters: with --save-tally, then `walkaway merge` (docs/performance.md).
    #[arg(long, value_name = "I/N")]
    shard: Option<String>,
    /// Write the exact tallies of the cells to FILE for `walkaway merge`
    /// instead of the table.
    #[arg(long, value_name = "FILE")]
    save_tally: Option<PathBuf>,
}

/// What a sweep will do, checked in full before any work.
struct Plan {
    population: Population,
    x: Axis,
    y: Option<Axis>,
    cells: u64,
    opts: ForecastOptions,
    /// The cells this process computes (all, or one shard's).
    cell_range: Range<u64>,
    /// Where the tallies go instead of the table, with the scenario's
    /// fingerprint.
    save_tally: Option<(PathBuf, String)>,
    outputs: SweepOutputs,
}

impl Plan {
    fn new(args: &Args) -> Result<Self, Failure> {
        let scenario = load_walkaway_scenario(args.scenario.as_deref(), &args.sets, "sweeps")?;
        let x = parse_axis("--x", &args.x, &WALKAWAY)?;
        let y = args
            .y
            .as_deref()
            .map(|t| parse_axis("--y", t, &WALKAWAY))
            .transpose()?;
        let names = ArgumentNames {
            x: "--x",
            y: "--y",
            trajectories: "--trajectories",
        };
        let cells = check_grid(
            names,
            &x,
            y.as_ref(),
            args.y.as_deref().unwrap_or(""),
            args.trajectories,
        )
        .map_err(Failure::Input)?;
        let outputs = SweepOutputs::new(args.out.as_deref(), args.plot.as_deref())?;
        let opts = cell_options(
            args.trajectories,
            args.seed.unwrap_or(scenario.run.seed),
            scenario.run,
        );
        validate(&opts)?;
        let cell_range = parts::trajectories_to_run(
            args.shard.as_deref(),
            args.save_tally.is_some(),
            cells,
            "sweep",
        )?;
        let save_tally = args.save_tally.clone().map(|path| {
            let fingerprint =
                parts::scenario_fingerprint(args.scenario.as_deref(), &[], &args.sets);
            (path, fingerprint)
        });
        Ok(Self {
            population: scenario.population,
            x,
            y,
            cells,
            opts,
            cell_range,
            save_tally,
            outputs,
        })
    }
}

pub fn run(args: &Args) -> Result<(), Failure> {
    let plan = Plan::new(args)?;
    let opts = &plan.opts;
    let progress = Progress::start(
        "sweep",
        (plan.cell_range.end - plan.cell_range.start) * opts.trajectories,
    );
    let started = std::time::Instant::now();
    let mut tallies = Vec::with_capacity(plan.cell_range.clone().count());
    for cell in plan.cell_range.clone() {
        tallies.push(run_cell(
            &plan.population,
            &plan.x,
            plan.y.as_ref(),
            cell as usize,
            opts,
            progress.counter(),
        )?);
    }
    progress.finish();
    if let Some((path, fingerprint)) = &plan.save_tally {
        let mut run = parts::forecast::run_json(opts, fingerprint);
        run["x"] = json!(args.x);
        run["y"] = json!(args.y);
        let cells_json: Vec<_> = tallies.iter().map(parts::forecast::tally_json).collect();
        return parts::save(
            path,
            "sweep",
            run,
            (plan.cell_range.clone(), plan.cells),
            started.elapsed().as_secs_f64(),
            json!({ "cells": cells_json }),
        );
    }
    let results: Vec<Forecast> = tallies.iter().map(|t| summarise(t, opts)).collect();
    let table = sweep_table(&plan.x, plan.y.as_ref(), &results)
        .map_err(|e| Failure::Internal(e.to_string()))?;
    plan.outputs.write(&table, opts.seed)
}
