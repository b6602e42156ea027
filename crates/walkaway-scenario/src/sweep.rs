//! A sweep: outcome probabilities of the forecast on a grid of one or two
//! parameters of the walkaway model. The axes as people write them
//! (`NAME=LO:HI:N` or `NAME=V1,V2,…`), the limits of a grid, the runs of one
//! cell, and the columns of the result. Shared by `walkaway sweep`,
//! `walkaway merge` and the Python package, so all three read the same
//! axes, refuse the same grids and give the same columns.
//!
//! Every cell runs the same trajectories (the same seed, so the same draws
//! of everything uncertain and the same random events): differences between
//! cells come from the swept parameters, not from sampling noise (common
//! random numbers).

use std::sync::atomic::AtomicU64;

use walkaway_core::forecast::{
    EventKind, Forecast, ForecastOptions, ParamSampler, Proportion, TOGETHER_KEY, Tally,
    run_shard_with_progress,
};
use walkaway_core::model::ParamKind;
use walkaway_core::models::walkaway::Outcome;
use walkaway_core::population::Population;
use walkaway_core::rng::Stream;
use walkaway_core::{ModelError, ModelInfo, ParamSpec, RunOptions};

/// Most values on one axis.
pub const MAX_AXIS: usize = 201;
/// Most cells of a grid.
pub const MAX_CELLS: usize = 2_500;
/// Most trajectories per cell, and in the whole sweep.
pub const MAX_TRAJECTORIES: u64 = 100_000;
pub const MAX_RUNS: u64 = 20_000_000;

/// One axis of a sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub index: usize,
    pub spec: ParamSpec,
    pub values: Vec<f64>,
}

fn axis_error(flag: &str, text: &str, why: &str) -> String {
    format!(
        "{flag} `{text}`: {why}; allowed: NAME=LO:HI:N with LO < HI and 2 <= N <= {MAX_AXIS} \
         (e.g. separation.length=0:120:13), or NAME=V1,V2,… with up to {MAX_AXIS} values"
    )
}

/// Reads `NAME=LO:HI:N` or `NAME=V1,V2,…` for a parameter of `info`;
/// `flag` names the argument in the error.
pub fn parse_axis(flag: &str, text: &str, info: &ModelInfo) -> Result<Axis, String> {
    let (name, values) = text
        .split_once('=')
        .ok_or_else(|| axis_error(flag, text, "no `=` between the name and the values"))?;
    let name = name.trim();
    let index = info.param_index(name).map_err(|e| format!("{flag}: {e}"))?;
    let spec = info.params[index];
    let values: Vec<f64> = if values.contains(':') {
        let parts: Vec<&str> = values.split(':').collect();
        if parts.len() != 3 {
            return Err(axis_error(flag, text, "a range needs three parts, LO:HI:N"));
        }
        if spec.kind != ParamKind::Real {
            return Err(format!(
                "{flag} `{text}`: `{name}` takes {}; list the values as NAME=V1,V2,…",
                spec.allowed()
            ));
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
            .map_err(|e| format!("{flag}: {e}"))?
    };
    for v in &values {
        spec.check(*v).map_err(|e| format!("{flag}: {e}"))?;
    }
    Ok(Axis {
        index,
        spec,
        values,
    })
}

/// How the caller names its arguments in refusals (`--x` on the command
/// line, `x` in Python).
#[derive(Debug, Clone, Copy)]
pub struct ArgumentNames<'a> {
    pub x: &'a str,
    pub y: &'a str,
    pub trajectories: &'a str,
}

/// The number of cells of the grid of `x` (and `y`) with `trajectories`
/// runs each, or why the grid is refused: the same parameter twice, too
/// many cells, trajectories or runs. `y_text` is the second axis as
/// written, for the message.
pub fn check_grid(
    names: ArgumentNames<'_>,
    x: &Axis,
    y: Option<&Axis>,
    y_text: &str,
    trajectories: u64,
) -> Result<u64, String> {
    if let Some(y) = y
        && y.index == x.index
    {
        return Err(format!(
            "{} `{y_text}`: the two axes must be different parameters; both are `{}`",
            names.y, x.spec.name
        ));
    }
    let cells = x.values.len() * y.map_or(1, |y| y.values.len());
    if cells > MAX_CELLS {
        return Err(format!(
            "{}/{}: the grid has {cells} cells; allowed: at most {MAX_CELLS}",
            names.x, names.y
        ));
    }
    if !(1..=MAX_TRAJECTORIES).contains(&trajectories) {
        return Err(format!(
            "{} {trajectories}: allowed: from 1 to {MAX_TRAJECTORIES} per cell",
            names.trajectories
        ));
    }
    let runs = cells as u64 * trajectories;
    if runs > MAX_RUNS {
        return Err(format!(
            "{} {trajectories} on {cells} cells makes {runs} runs; allowed: at most {MAX_RUNS} \
             (fewer trajectories or a coarser grid)",
            names.trajectories
        ));
    }
    Ok(cells as u64)
}

/// The forecast options of every cell: `trajectories` runs under your
/// strategy only (no other strategies, switch-offs, series or model draws:
/// a cell needs its outcome probabilities and nothing else).
pub fn cell_options(trajectories: u64, seed: u64, run: RunOptions) -> ForecastOptions {
    ForecastOptions {
        trajectories,
        seed,
        run,
        strategies: Vec::new(),
        attribution: false,
        series: false,
        model_draws: 0,
    }
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

/// The tally of cell `cell` (x fastest) of the grid: all of `opts`'
/// trajectories with the axes' values set. Adds finished trajectories to
/// `progress`.
pub fn run_cell(
    population: &Population,
    x: &Axis,
    y: Option<&Axis>,
    cell: usize,
    opts: &ForecastOptions,
    progress: &AtomicU64,
) -> Result<Tally, ModelError> {
    let nx = x.values.len();
    let mut overrides = vec![(x.index, x.values[cell % nx])];
    if let Some(y) = y {
        overrides.push((y.index, y.values[cell / nx]));
    }
    let sampler = Swept {
        population,
        overrides,
    };
    run_shard_with_progress(&sampler, opts, 0..opts.trajectories, progress)
}

/// One column of a sweep's result.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    F64(Vec<f64>),
    U64(Vec<u64>),
}

/// The columns of a sweep's result, one row per cell (x fastest): the
/// axes' values, trajectories and failures, then the probability and the
/// 95 % Wilson interval (`p_KEY`, `p_KEY_low`, `p_KEY_high`) of each
/// outcome, of getting back together (changed or not), of a bid and of
/// your partner meeting someone new.
pub fn columns(x: &Axis, y: Option<&Axis>, results: &[Forecast]) -> Vec<(String, Column)> {
    let nx = x.values.len();
    let mut out = vec![(
        x.spec.name.to_string(),
        Column::F64((0..results.len()).map(|k| x.values[k % nx]).collect()),
    )];
    if let Some(y) = y {
        out.push((
            y.spec.name.to_string(),
            Column::F64((0..results.len()).map(|k| y.values[k / nx]).collect()),
        ));
    }
    out.push((
        "trajectories".into(),
        Column::U64(results.iter().map(|f| f.trajectories).collect()),
    ));
    out.push((
        "failures".into(),
        Column::U64(results.iter().map(|f| f.failures).collect()),
    ));
    let mut push_p = |stem: &str, get: &dyn Fn(&Forecast) -> Proportion| {
        out.push((
            format!("p_{stem}"),
            Column::F64(results.iter().map(|f| get(f).probability).collect()),
        ));
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
        out.push((
            format!("p_{stem}_low"),
            Column::F64(results.iter().map(low).collect()),
        ));
        out.push((
            format!("p_{stem}_high"),
            Column::F64(results.iter().map(high).collect()),
        ));
    };
    for outcome in Outcome::ALL {
        push_p(outcome.key(), &|f: &Forecast| {
            f.yours.outcomes[outcome.index()].p
        });
    }
    push_p(TOGETHER_KEY, &|f: &Forecast| f.yours.together.p);
    for event in [EventKind::PartnerAsked, EventKind::PartnerMetSomeone] {
        push_p(event.key(), &|f: &Forecast| {
            f.yours.events[event as usize].p
        });
    }
    out
}
