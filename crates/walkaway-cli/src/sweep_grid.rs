//! The grid of a sweep: its axes (`--x`, `--y`), the table of outcome
//! probabilities per cell, and where the table and its figure are written.
//! Shared by `walkaway sweep` and `walkaway merge`.

use std::path::{Path, PathBuf};

use walkaway_core::forecast::Forecast;
use walkaway_core::forecast::{EventKind, TOGETHER_KEY};
use walkaway_core::model::ParamKind;
use walkaway_core::models::walkaway::Outcome;
use walkaway_core::{ModelInfo, ParamSpec};
use walkaway_export::{Table, TableFormat, Values};

use crate::common::{Failure, emit};
use crate::figures::{COMES_BACK_COLUMN, Output, sweep_figure, write_figure};

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

/// Where a sweep's table and figure go, checked before the work: the table
/// to `--out` (.csv or .parquet) or as CSV to standard output, and the heat
/// map or line to `--plot`.
#[derive(Debug)]
pub struct SweepOutputs {
    table: Option<PathBuf>,
    plot: Option<Output>,
}

impl SweepOutputs {
    pub fn new(out: Option<&Path>, plot: Option<&Path>) -> Result<Self, Failure> {
        if let Some(path) = out {
            TableFormat::of(path).map_err(|e| Failure::Input(format!("--out: {e}")))?;
        }
        Ok(Self {
            table: out.map(Path::to_path_buf),
            plot: plot.map(|p| Output::new("--plot", p)).transpose()?,
        })
    }

    pub fn write(&self, table: &Table, seed: u64) -> Result<(), Failure> {
        match &self.table {
            Some(path) => table
                .write(path)
                .map_err(|e| Failure::Input(format!("--out: {e}")))?,
            None => emit(&table.to_csv(), None)?,
        }
        if let Some(output) = &self.plot {
            let figure = sweep_figure(table, COMES_BACK_COLUMN, Some(seed))?;
            write_figure(&figure, output)?;
        }
        Ok(())
    }
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
    for outcome in Outcome::ALL {
        push_p(outcome.key(), &|f: &Forecast| {
            f.yours.outcomes[outcome.index()].p
        })?;
    }
    push_p(TOGETHER_KEY, &|f: &Forecast| f.yours.together.p)?;
    for event in [EventKind::PartnerAsked, EventKind::PartnerMetSomeone] {
        push_p(event.key(), &|f: &Forecast| {
            f.yours.events[event as usize].p
        })?;
    }
    Ok(t)
}
