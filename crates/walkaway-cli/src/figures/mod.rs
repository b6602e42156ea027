//! Figures as the CLI draws them: where a figure goes (format by the file's
//! extension, size) and the figure of each kind, built from core's numbers
//! (simulate, forecast, analysis) or a sweep table; walkaway-plot draws
//! them. Used by `walkaway plot`, `sweep --plot` and `merge --plot`.

mod bifurcation;
mod lines;
mod phase;
mod sweep;

use std::path::{Path, PathBuf};

use walkaway_core::ModelInfo;
use walkaway_plot::{Figure, ImageFormat, Size, render};

use crate::common::Failure;

pub use bifurcation::bifurcation_figure;
pub use lines::{forecast_figure, run_figure};
pub use phase::phase_figure;
pub use sweep::{COMES_BACK_COLUMN, sweep_figure};

/// Where a figure goes, in which format and size.
#[derive(Debug, Clone)]
pub struct Output {
    pub path: PathBuf,
    pub format: ImageFormat,
    pub size: Size,
}

impl Output {
    pub fn new(flag: &str, path: &Path) -> Result<Self, Failure> {
        let format =
            ImageFormat::from_path(path).map_err(|e| Failure::Input(format!("{flag}: {e}")))?;
        Ok(Self {
            path: path.to_path_buf(),
            format,
            size: Size::default(),
        })
    }
}

pub fn write_figure(figure: &Figure, out: &Output) -> Result<(), Failure> {
    let bytes = render(figure, out.format, out.size).map_err(|e| match e {
        walkaway_plot::PlotError::InvalidSize { .. } => Failure::Input(e.to_string()),
        other => Failure::Internal(other.to_string()),
    })?;
    std::fs::write(&out.path, bytes)
        .map_err(|e| Failure::Input(format!("cannot write {}: {e}", out.path.display())))
}

/// A state's name with its unit, for an axis.
fn axis_name(info: &ModelInfo, i: usize) -> String {
    let s = &info.states[i];
    if s.unit.is_empty() {
        s.name.to_string()
    } else {
        format!("{}, {}", s.name, s.unit)
    }
}

/// The title without its citation in brackets.
fn short_title(info: &ModelInfo) -> &'static str {
    info.title.split(" (").next().unwrap_or(info.title).trim()
}
