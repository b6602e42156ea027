//! `walkaway sweep [SCENARIO] --x NAME=LO:HI:N [--y NAME=LO:HI:N]`: outcome
//! probabilities of the forecast on a grid of one or two parameters of the
//! walkaway model, as CSV or Parquet, with an optional heat map.
//!
//! Every cell runs the same trajectories (the same seed, so the same draws
//! of everything uncertain and the same random events): differences between
//! cells come from the swept parameters, not from sampling noise (common
//! random numbers).

use std::path::PathBuf;

use walkaway_core::forecast::{
    Forecast, ForecastOptions, ParamSampler, run_shard_with_progress, summarise, validate,
};
use walkaway_core::model::ParamKind;
use walkaway_core::models::walkaway::{INFO as WALKAWAY, OUTCOMES};
use walkaway_core::population::Population;
use walkaway_core::rng::Stream;
use walkaway_core::{ModelInfo, ParamSpec};
use walkaway_export::{Table, TableFormat, Values};
use walkaway_plot::{Band, Figure, HeatMap, Line, LineChart, ValueStyle};

use serde_json::json;

use crate::cmd::forecast;
use crate::cmd::plot::{Output, write_figure};
use crate::common::{Failure, emit, load_scenario};
use crate::progress::Progress;
use crate::shard;

/// Most values on one axis.
pub const MAX_AXIS: usize = 201;
/// Most cells of a grid.
pub const MAX_CELLS: usize = 2_500;
/// Most trajectories per cell, and in the whole sweep.
pub const MAX_TRAJECTORIES: u64 = 100_000;
pub const MAX_RUNS: u64 = 20_000_000;

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

/// One axis of a sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub index: usize,
    pub spec: ParamSpec,
    pub values: Vec<f64>,
}

fn axis_error(flag: &str, text: &str, why: &str) -> Failure {
    Failure::Input(format!(
        "{flag} `{text}`: {why}; allowed: NAME=LO:HI:N with LO < HI and 2 <= N <= {MAX_AXIS} \
         (e.g. separation.length=0:120:13), or NAME=V1,V2,… with up to {MAX_AXIS} values"
    ))
}

/// Reads `NAME=LO:HI:N` or `NAME=V1,V2,…` for a parameter of `info`.
pub fn parse_axis(flag: &str, text: &str, info: &ModelInfo) -> Result<Axis, Failure> {
    let (name, values) = text
        .split_once('=')
        .ok_or_else(|| axis_error(flag, text, "no `=` between the name and the values"))?;
    let name = name.trim();
    let index = info
        .param_index(name)
        .map_err(|e| Failure::Input(format!("{flag}: {e}")))?;
    let spec = info.params[index];
    let values: Vec<f64> = if values.contains(':') {
        let parts: Vec<&str> = values.split(':').collect();
        if parts.len() != 3 {
            return Err(axis_error(flag, text, "a range needs three parts, LO:HI:N"));
        }
        if spec.kind != ParamKind::Real {
            return Err(Failure::Input(format!(
                "{flag} `{text}`: `{name}` takes {}; list the values as NAME=V1,V2,…",
                spec.allowed()
            )));
        }
        let number = |s: &str| s.trim().parse::<f64>().ok().filter(|v| v.is_finite());
        let (Some(lo), Some(hi)) = (number(parts[0]), number(parts[1])) else {
            return Err(axis_error(flag, text, "LO and HI must be finite numbers"));
        };
        let n: usize = parts[2]
            .trim()
            .parse()
            .map_err(|_| axis_error(flag, text, "N must be a whole number"))?;
        if !(lo < hi) {
            return Err(axis_error(flag, text, "LO must be below HI"));
        }
        if !(2..=MAX_AXIS).contains(&n) {
            return Err(axis_error(flag, text, &format!("N = {n} is out of range")));
        }
        (0..n)
            .map(|i| {
                if i == n - 1 {
                    hi
                } else {
                    lo + (hi - lo) * i as f64 / (n - 1) as f64
                }
            })
            .collect()
    } else {
        let parts: Vec<&str> = values.split(',').map(str::trim).collect();
        if parts.iter().any(|p| p.is_empty()) {
            return Err(axis_error(flag, text, "a value is empty"));
        }
        if parts.len() > MAX_AXIS {
            return Err(axis_error(
                flag,
                text,
                &format!("{} values are too many", parts.len()),
            ));
        }
        parts
            .iter()
            .map(|p| spec.parse(p))
            .collect::<Result<_, _>>()
            .map_err(|e| Failure::Input(format!("{flag}: {e}")))?
    };
    for v in &values {
        spec.check(*v)
            .map_err(|e| Failure::Input(format!("{flag}: {e}")))?;
    }
    Ok(Axis {
        index,
        spec,
        values,
    })
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

/// Column-name stems of the outcomes, in the order of `OUTCOMES`.
pub const OUTCOME_COLUMNS: [&str; 5] = [
    "back_changed",
    "back_unchanged",
    "partner_moved_on",
    "you_moved_on",
    "unresolved",
];

/// The column a heat map shows by default.
pub const COMES_BACK_COLUMN: &str = "p_comes_back";

pub fn run(args: &Args) -> Result<(), Failure> {
    let mut scenario = load_scenario(args.scenario.as_deref())?;
    if scenario.model.info().id != WALKAWAY.id {
        return Err(Failure::Input(format!(
            "sweeps need a scenario of the walkaway model; `{}` is a scenario of `{}`",
            args.scenario.as_deref().unwrap_or("(default)"),
            scenario.model.info().id
        )));
    }
    for s in &args.sets {
        scenario.apply_set(s)?;
    }
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
    let out_format = args
        .out
        .as_deref()
        .map(TableFormat::of)
        .transpose()
        .map_err(|e| Failure::Input(format!("--out: {e}")))?;
    let plot_output = args
        .plot
        .as_deref()
        .map(|p| Output::new("--plot", p))
        .transpose()?;
    let opts = ForecastOptions {
        trajectories: args.trajectories,
        seed: args.seed.unwrap_or(scenario.run.seed),
        run: scenario.run,
        strategies: Vec::new(),
        attribution: false,
        series: false,
    };
    validate(&opts)?;
    let cell_range = shard::trajectories_to_run(
        args.shard.as_deref(),
        args.save_tally.is_some(),
        cells as u64,
        "sweep",
    )?;
    let progress = Progress::start(
        "sweep",
        (cell_range.end - cell_range.start) * opts.trajectories,
    );
    let started = std::time::Instant::now();
    let nx = x.values.len();
    let mut tallies = Vec::with_capacity(cells);
    for cell in cell_range.clone() {
        let cell = cell as usize;
        let mut overrides = vec![(x.index, x.values[cell % nx])];
        if let Some(y) = &y {
            overrides.push((y.index, y.values[cell / nx]));
        }
        let sampler = Swept {
            population: &scenario.population,
            overrides,
        };
        tallies.push(run_shard_with_progress(
            &sampler,
            &opts,
            0..opts.trajectories,
            progress.counter(),
        )?);
    }
    progress.finish();
    if let Some(path) = &args.save_tally {
        let source = match args.scenario.as_deref() {
            None => walkaway_scenario::DEFAULT_SCENARIO.to_string(),
            Some(t) => std::fs::read_to_string(t).unwrap_or_else(|_| t.to_string()),
        };
        let mut pieces = vec![source.as_str()];
        pieces.extend(args.sets.iter().map(String::as_str));
        let mut run = forecast::run_json(&opts, &shard::fingerprint(&pieces));
        run["x"] = json!(args.x);
        run["y"] = json!(args.y);
        let cells_json: Vec<_> = tallies.iter().map(forecast::tally_json).collect();
        return shard::save(
            path,
            "sweep",
            run,
            (cell_range, cells as u64),
            started.elapsed().as_secs_f64(),
            json!({ "cells": cells_json }),
        );
    }
    let results: Vec<Forecast> = tallies.iter().map(|t| summarise(t, &opts)).collect();
    let table =
        sweep_table(&x, y.as_ref(), &results).map_err(|e| Failure::Internal(e.to_string()))?;
    write_sweep(
        &table,
        out_format.and(args.out.as_deref()),
        plot_output,
        opts.seed,
    )
}

/// Writes the table to `out` (.csv or .parquet) or as CSV to standard
/// output, and the heat map or line to `plot`.
pub fn write_sweep(
    table: &Table,
    out: Option<&std::path::Path>,
    plot: Option<Output>,
    seed: u64,
) -> Result<(), Failure> {
    match out {
        Some(path) => table
            .write(path)
            .map_err(|e| Failure::Input(format!("--out: {e}")))?,
        None => emit(&table.to_csv(), None)?,
    }
    if let Some(output) = plot {
        let figure = sweep_figure(table, COMES_BACK_COLUMN, seed)?;
        write_figure(&figure, &output)?;
    }
    Ok(())
}

/// One row per cell (x fastest), with the probability and the 95 % Wilson
/// interval of each outcome, of getting back together (changed or not), of
/// a bid and of your partner meeting someone new.
pub fn sweep_table(
    x: &Axis,
    y: Option<&Axis>,
    results: &[Forecast],
) -> Result<Table, walkaway_export::ExportError> {
    let mut t = Table::new();
    let nx = x.values.len();
    t.push(
        x.spec.name,
        Values::F64((0..results.len()).map(|k| x.values[k % nx]).collect()),
    )?;
    if let Some(y) = y {
        t.push(
            y.spec.name,
            Values::F64((0..results.len()).map(|k| y.values[k / nx]).collect()),
        )?;
    }
    t.push(
        "trajectories",
        Values::U64(results.iter().map(|f| f.trajectories).collect()),
    )?;
    t.push(
        "failures",
        Values::U64(results.iter().map(|f| f.failures).collect()),
    )?;
    let mut push_p = |stem: &str,
                      get: &dyn Fn(&Forecast) -> walkaway_core::forecast::Proportion|
     -> Result<(), walkaway_export::ExportError> {
        t.push(
            format!("p_{stem}"),
            Values::F64(results.iter().map(|f| get(f).probability).collect()),
        )?;
        // Rounding can leave an interval end a hair inside the estimate at
        // 0 or 1 (or a hair off 0 and 1): snap those to the estimate.
        let low = |f: &Forecast| {
            let p = get(f);
            let v = p.ci_low.min(p.probability);
            if v.abs() < 1e-12 { 0.0 } else { v }
        };
        let high = |f: &Forecast| {
            let p = get(f);
            let v = p.ci_high.max(p.probability);
            if (1.0 - v).abs() < 1e-12 { 1.0 } else { v }
        };
        t.push(
            format!("p_{stem}_low"),
            Values::F64(results.iter().map(low).collect()),
        )?;
        t.push(
            format!("p_{stem}_high"),
            Values::F64(results.iter().map(high).collect()),
        )
    };
    for (i, stem) in OUTCOME_COLUMNS.iter().enumerate() {
        let outcome = OUTCOMES[i];
        push_p(stem, &|f: &Forecast| {
            f.outcomes
                .iter()
                .find(|o| o.outcome == outcome)
                .map(|o| o.p)
                .unwrap_or_else(|| walkaway_core::forecast::wilson(0, 0))
        })?;
    }
    push_p("comes_back", &|f: &Forecast| f.comes_back)?;
    for (stem, event) in [("bid", "bid"), ("new_partner", "new-partner")] {
        push_p(stem, &|f: &Forecast| {
            f.events
                .iter()
                .find(|e| e.event == event)
                .map(|e| e.p)
                .unwrap_or_else(|| walkaway_core::forecast::wilson(0, 0))
        })?;
    }
    Ok(t)
}

/// An axis label with the parameter's unit, when the column is a walkaway
/// parameter.
fn axis_label(column: &str) -> String {
    match WALKAWAY.param_index(column) {
        Ok(i) => {
            let spec = &WALKAWAY.params[i];
            let unit = match spec.unit {
                "1" | "" => String::new(),
                u => format!(" ({u})"),
            };
            format!("{} — {}{unit}", column, short(spec.description))
        }
        Err(_) => column.to_string(),
    }
}

fn short(description: &str) -> String {
    let first = description
        .split(['(', ':', ';'])
        .next()
        .unwrap_or("")
        .trim();
    let mut s: String = first.chars().take(40).collect();
    if first.chars().count() > 40 {
        s.push('…');
    }
    s.to_lowercase()
}

fn value_label(column: &str) -> String {
    let stem = column.trim_start_matches("p_");
    let what = match stem {
        "comes_back" => "chance your partner comes back (together again, changed or not)",
        "back_changed" => "chance you are back together and your partner changed",
        "back_unchanged" => "chance you are back together and nothing changed",
        "partner_moved_on" => "chance your partner moved on",
        "you_moved_on" => "chance you moved on",
        "unresolved" => "chance it is unresolved at the horizon",
        "bid" => "chance your partner asks to get back together",
        "new_partner" => "chance your partner meets someone new",
        _ => return column.to_string(),
    };
    what.to_string()
}

/// The figure of a sweep table: a heat map for two axes, a line with its
/// interval for one. The axes are the columns before `trajectories`.
pub fn sweep_figure(table: &Table, column: &str, seed: u64) -> Result<Figure, Failure> {
    let names: Vec<&str> = table.columns().iter().map(|c| c.name.as_str()).collect();
    let axes = names
        .iter()
        .position(|n| *n == "trajectories")
        .filter(|k| (1..=2).contains(k))
        .ok_or_else(|| {
            Failure::Input(
                "the table is not a sweep: it needs one or two axis columns followed by \
                 `trajectories` (as `walkaway sweep` writes)"
                    .into(),
            )
        })?;
    let numbers = |name: &str| -> Result<Vec<f64>, Failure> {
        table
            .column(name)
            .and_then(|c| c.values.as_f64())
            .ok_or_else(|| {
                let known: Vec<&str> = names
                    .iter()
                    .copied()
                    .filter(|n| {
                        n.starts_with("p_") && !n.ends_with("_low") && !n.ends_with("_high")
                    })
                    .collect();
                Failure::Input(format!(
                    "--value `{name}` is not a numeric column of the table; allowed: {}",
                    known.join(", ")
                ))
            })
    };
    let mut values = numbers(column)?;
    let n = numbers("trajectories")?.first().copied().unwrap_or(0.0);
    let mut note = format!(
        "{n} simulated futures per cell, seed {seed}, the same futures in every cell. A model, not a prophecy."
    );
    // With a planned separation of 0 days you stay: being together then is
    // not your partner coming back, so those cells are left blank.
    let about_return = ["p_comes_back", "p_back_changed", "p_back_unchanged"]
        .iter()
        .any(|c| column.starts_with(c));
    if let Some(k) = names[..axes].iter().position(|c| *c == "separation.length")
        && about_return
    {
        let lengths = numbers(names[k])?;
        if lengths.contains(&0.0) {
            for (v, l) in values.iter_mut().zip(&lengths) {
                if *l == 0.0 {
                    *v = f64::NAN;
                }
            }
            note = format!("Blank at length 0: you stay, so nobody comes back. {note}");
        }
    }
    let is_probability = column.starts_with("p_");
    let xs = numbers(names[0])?;
    if axes == 1 {
        let low = numbers(&format!("{column}_low")).unwrap_or_else(|_| values.clone());
        let high = numbers(&format!("{column}_high")).unwrap_or_else(|_| values.clone());
        return Ok(Figure::Lines(LineChart {
            title: "Where walking away works".into(),
            x_label: axis_label(names[0]),
            y_label: value_label(column),
            lines: vec![Line {
                label: "estimate".into(),
                x: xs.clone(),
                y: values,
                dashed: false,
            }],
            bands: vec![Band {
                label: "95% interval".into(),
                x: xs,
                low,
                high,
            }],
            markers: Vec::new(),
            y_range: is_probability.then_some((0.0, 1.0)),
            note,
        }));
    }
    let ys = numbers(names[1])?;
    let x_values = distinct(&xs);
    let y_values = distinct(&ys);
    let (nx, ny) = (x_values.len(), y_values.len());
    if nx * ny != values.len() {
        return Err(Failure::Input(format!(
            "the sweep table has {} rows, not a full {nx}×{ny} grid",
            values.len()
        )));
    }
    let mut grid = vec![f64::NAN; nx * ny];
    for k in 0..values.len() {
        let i = x_values.iter().position(|v| *v == xs[k]).unwrap_or(0);
        let j = y_values.iter().position(|v| *v == ys[k]).unwrap_or(0);
        grid[j * nx + i] = values[k];
    }
    Ok(Figure::Heat(HeatMap {
        title: "Where walking away works".into(),
        x_label: axis_label(names[0]),
        y_label: axis_label(names[1]),
        value_label: if is_probability {
            format!("{} (%)", value_label(column))
        } else {
            value_label(column)
        },
        x_values,
        y_values,
        values: grid,
        range: is_probability.then_some((0.0, 1.0)),
        style: if is_probability {
            ValueStyle::Percent
        } else {
            ValueStyle::Plain
        },
        note,
    }))
}

fn distinct(v: &[f64]) -> Vec<f64> {
    let mut d: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
    d.sort_by(f64::total_cmp);
    d.dedup();
    d
}
