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
use walkaway_core::forecast::{
    Forecast, ForecastOptions, ParamSampler, run_shard_with_progress, summarise, validate,
};
use walkaway_core::models::walkaway::INFO as WALKAWAY;
use walkaway_core::population::Population;
use walkaway_core::rng::Stream;

use crate::common::{Failure, load_walkaway_scenario};
use crate::parts;
use crate::progress::Progress;
use crate::sweep_grid::{
    Axis, MAX_CELLS, MAX_RUNS, MAX_TRAJECTORIES, SweepOutputs, parse_axis, sweep_table,
};

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

/// The population's draws with the swept parameters set on top, so every
/// cell sees the same draws of everything else.
struct Swept<'a> {
    population: &'a Population,
    overrides: Vec<(usize, f64)>,
}

impl Swept<'_> {
    fn apply(&self, mut p: Vec<f64>) -> Vec<f64> {
        for (i, v) in &self.overrides {
            p[*i] = *v;
        }
        p
    }
}

impl ParamSampler for Swept<'_> {
    fn sample(&self, stream: &mut Stream) -> Vec<f64> {
        self.apply(self.population.sample(stream))
    }

    fn sample_indexed(&self, k: u64, n: u64, seed: u64, stream: &mut Stream) -> Vec<f64> {
        self.apply(self.population.sample_indexed(k, n, seed, stream))
    }
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
        if let Some(y) = &y
            && y.index == x.index
        {
            return Err(Failure::Input(format!(
                "--y `{}`: the two axes must be different parameters; both are `{}`",
                args.y.as_deref().unwrap_or(""),
                x.spec.name
            )));
        }
        let cells = x.values.len() * y.as_ref().map_or(1, |y| y.values.len());
        if cells > MAX_CELLS {
            return Err(Failure::Input(format!(
                "--x/--y: the grid has {cells} cells; allowed: at most {MAX_CELLS}"
            )));
        }
        if !(1..=MAX_TRAJECTORIES).contains(&args.trajectories) {
            return Err(Failure::Input(format!(
                "--trajectories {}: allowed: from 1 to {MAX_TRAJECTORIES} per cell",
                args.trajectories
            )));
        }
        let runs = cells as u64 * args.trajectories;
        if runs > MAX_RUNS {
            return Err(Failure::Input(format!(
                "--trajectories {} on {cells} cells makes {runs} runs; allowed: at most {MAX_RUNS} \
                 (fewer trajectories or a coarser grid)",
                args.trajectories
            )));
        }
        let outputs = SweepOutputs::new(args.out.as_deref(), args.plot.as_deref())?;
        let opts = ForecastOptions {
            trajectories: args.trajectories,
            seed: args.seed.unwrap_or(scenario.run.seed),
            run: scenario.run,
            strategies: Vec::new(),
            attribution: false,
            series: false,
            model_draws: 0,
        };
        validate(&opts)?;
        let cell_range = parts::trajectories_to_run(
            args.shard.as_deref(),
            args.save_tally.is_some(),
            cells as u64,
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
            cells: cells as u64,
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
    let nx = plan.x.values.len();
    let mut tallies = Vec::with_capacity(plan.cell_range.clone().count());
    for cell in plan.cell_range.clone() {
        let cell = cell as usize;
        let mut overrides = vec![(plan.x.index, plan.x.values[cell % nx])];
        if let Some(y) = &plan.y {
            overrides.push((y.index, y.values[cell / nx]));
        }
        let sampler = Swept {
            population: &plan.population,
            overrides,
        };
        tallies.push(run_shard_with_progress(
            &sampler,
            opts,
            0..opts.trajectories,
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
