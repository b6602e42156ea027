//! Figures for walkaway, drawn from plain data: line charts with bands
//! (time series, forecast fans, one-dimensional sweeps), phase portraits
//! (vector field, null clines, trajectories, equilibria, basins), heat maps
//! (two-dimensional sweeps) and bifurcation diagrams.
//!
//! Nothing here simulates: the caller computes the numbers and fills the
//! structs; this crate only lays them out and renders SVG or PNG. Every
//! figure labels its curves directly (no legend to hunt for) and names its
//! axes with units, as the caller gives them.
//!
//! Text is set in DejaVu Sans, bundled in `fonts/` with its licence, so the
//! output is the same on every machine.

mod draw;
mod palette;

pub use palette::{OKABE_ITO, viridis};

use std::path::Path;

use thiserror::Error;

/// Why a figure could not be drawn.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum PlotError {
    #[error("figure size {width}×{height} is not allowed: each side from {min} to {max} pixels")]
    InvalidSize {
        width: u32,
        height: u32,
        min: u32,
        max: u32,
    },
    #[error("figure data `{field}` is not usable: {message}")]
    InvalidData {
        field: &'static str,
        message: String,
    },
    #[error("file `{path}` has extension `{extension}`; allowed: .svg, .png")]
    UnknownExtension { path: String, extension: String },
    #[error("drawing failed: {0}")]
    Draw(String),
    #[error("PNG encoding failed: {0}")]
    Encode(String),
}

/// The smallest and largest side of a figure, in pixels.
pub const MIN_SIDE: u32 = 200;
pub const MAX_SIDE: u32 = 4000;

/// Output file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Svg,
    Png,
}

impl ImageFormat {
    /// The format named by a file's extension (`.svg` or `.png`).
    pub fn from_path(path: &Path) -> Result<Self, PlotError> {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        match extension.as_str() {
            "svg" => Ok(Self::Svg),
            "png" => Ok(Self::Png),
            _ => Err(PlotError::UnknownExtension {
                path: path.display().to_string(),
                extension: if extension.is_empty() {
                    "(none)".into()
                } else {
                    format!(".{extension}")
                },
            }),
        }
    }
}

/// Width and height in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub width: u32,
    pub height: u32,
}

impl Default for Size {
    fn default() -> Self {
        Self {
            width: 960,
            height: 600,
        }
    }
}

impl Size {
    pub fn check(self) -> Result<Self, PlotError> {
        let ok = |s: u32| (MIN_SIDE..=MAX_SIDE).contains(&s);
        if ok(self.width) && ok(self.height) {
            Ok(self)
        } else {
            Err(PlotError::InvalidSize {
                width: self.width,
                height: self.height,
                min: MIN_SIDE,
                max: MAX_SIDE,
            })
        }
    }
}

/// A curve y(x) with its label, drawn at its right end.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Line {
    pub label: String,
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    pub dashed: bool,
}

/// A shaded band between two curves (a quantile range, an interval).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Band {
    pub label: String,
    pub x: Vec<f64>,
    pub low: Vec<f64>,
    pub high: Vec<f64>,
}

/// A vertical rule at x with a short label (an event, a day).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Marker {
    pub x: f64,
    pub label: String,
}

/// Curves against a common x axis: time series, forecast fans (bands of
/// quantiles around a median), one-dimensional sweeps with intervals. Band
/// k shares its colour with line k.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LineChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub lines: Vec<Line>,
    pub bands: Vec<Band>,
    pub markers: Vec<Marker>,
    /// Fixed y range; `None` fits the data.
    pub y_range: Option<(f64, f64)>,
    /// A line of small print under the plot (source, caveat).
    pub note: String,
}

/// One arrow of a direction field: the field (dx, dy) at (x, y). Arrows are
/// drawn with a common length; the direction is what they show.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Arrow {
    pub x: f64,
    pub y: f64,
    pub dx: f64,
    pub dy: f64,
}

/// A labelled curve made of straight segments (a null cline from
/// walkaway-core's `zero_contour`) or of a polyline (a trajectory).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Curve {
    pub label: String,
    /// Consecutive points joined in order.
    pub points: Vec<(f64, f64)>,
    /// Unconnected segments (null clines).
    pub segments: Vec<[(f64, f64); 2]>,
}

/// A marked point: an equilibrium with its type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PointMark {
    pub x: f64,
    pub y: f64,
    pub label: String,
    /// Filled when stable, open otherwise.
    pub stable: bool,
    /// The basin (colour) it belongs to, if any.
    pub group: Option<usize>,
}

/// Which attractor each start of a grid ends on.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BasinGrid {
    pub x_values: Vec<f64>,
    pub y_values: Vec<f64>,
    /// Row-major: `cells[j * nx + i]` is the start (x_values[i], y_values[j]).
    pub cells: Vec<Option<usize>>,
}

/// A phase portrait of a two-dimensional system.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PhasePortrait {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    pub arrows: Vec<Arrow>,
    pub nullclines: Vec<Curve>,
    pub trajectories: Vec<Curve>,
    pub points: Vec<PointMark>,
    pub basins: Option<BasinGrid>,
    pub note: String,
}

/// How heat-map values are printed in the cells and on the colour bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ValueStyle {
    /// Probabilities shown as percentages.
    #[default]
    Percent,
    /// Numbers as they are.
    Plain,
}

/// Values on a grid of two parameters (a sweep).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HeatMap {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    /// What the colour means, with its unit.
    pub value_label: String,
    pub x_values: Vec<f64>,
    pub y_values: Vec<f64>,
    /// Row-major: `values[j * nx + i]` belongs to (x_values[i], y_values[j]).
    /// NaN cells are drawn grey.
    pub values: Vec<f64>,
    /// Colour scale; `None` fits the data.
    pub range: Option<(f64, f64)>,
    pub style: ValueStyle,
    pub note: String,
}

/// A point of an equilibrium branch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BranchPoint {
    pub param: f64,
    pub value: f64,
    pub stable: bool,
}

/// A special point on a branch (fold, Hopf).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SpecialMark {
    pub param: f64,
    pub value: f64,
    pub label: String,
}

/// A one-parameter bifurcation diagram: equilibrium branches (stable solid,
/// unstable dashed), their special points, and the maxima of the orbits
/// (cycles show as one or more dots per parameter value).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BifurcationDiagram {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub branches: Vec<Vec<BranchPoint>>,
    pub special: Vec<SpecialMark>,
    /// (parameter, maximum) pairs of the orbit diagram.
    pub maxima: Vec<(f64, f64)>,
    pub note: String,
}

/// Any figure this crate draws.
#[derive(Debug, Clone, PartialEq)]
pub enum Figure {
    Lines(LineChart),
    Phase(PhasePortrait),
    Heat(HeatMap),
    Bifurcation(BifurcationDiagram),
}

/// Renders a figure as SVG text.
pub fn render_svg(figure: &Figure, size: Size) -> Result<String, PlotError> {
    draw::svg(figure, size.check()?)
}

/// Renders a figure as PNG bytes.
pub fn render_png(figure: &Figure, size: Size) -> Result<Vec<u8>, PlotError> {
    draw::png(figure, size.check()?)
}

/// Renders in the given format.
pub fn render(figure: &Figure, format: ImageFormat, size: Size) -> Result<Vec<u8>, PlotError> {
    match format {
        ImageFormat::Svg => render_svg(figure, size).map(String::into_bytes),
        ImageFormat::Png => render_png(figure, size),
    }
}

#[cfg(test)]
mod tests;
