//! The grid of a sweep: its axes (`--x`, `--y`), the table of outcome
//! probabilities per cell, and where the table and its figure are written.
//! Shared by `walkaway sweep` and `walkaway merge`.

use std::path::{Path, PathBuf};

use walkaway_core::ModelInfo;
use walkaway_core::forecast::Forecast;
use walkaway_export::{Table, TableFormat, Values};
pub use walkaway_scenario::sweep::Axis;
use walkaway_scenario::sweep::Column;

use crate::common::{Failure, emit};
use crate::figures::{COMES_BACK_COLUMN, Output, sweep_figure, write_figure};

/// Reads `NAME=LO:HI:N` or `NAME=V1,V2,…` for a parameter of `info`
/// (`walkaway_scenario::sweep::parse_axis`).
pub fn parse_axis(flag: &str, text: &str, info: &ModelInfo) -> Result<Axis, Failure> {
    walkaway_scenario::sweep::parse_axis(flag, text, info).map_err(Failure::Input)
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

/// The table of a sweep: one row per cell (x fastest), the columns of
/// `walkaway_scenario::sweep::columns`.
pub fn sweep_table(
    x: &Axis,
    y: Option<&Axis>,
    results: &[Forecast],
) -> Result<Table, walkaway_export::ExportError> {
    let mut t = Table::new();
    for (name, column) in walkaway_scenario::sweep::columns(x, y, results) {
        match column {
            Column::F64(v) => t.push(name, Values::F64(v))?,
            Column::U64(v) => t.push(name, Values::U64(v))?,
        }
    }
    Ok(t)
}
