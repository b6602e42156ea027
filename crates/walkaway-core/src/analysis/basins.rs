//! Basins of attraction on a grid of starts in a plane of two state
//! variables: which attractor (equilibrium or fixed point) each start ends on.

use rayon::prelude::*;

use super::{AnalysisError, Field, array, check_model, invalid, with_dimension};
use crate::model::{Model, TimeKind};
use crate::ode::{Dopri5, OdeOptions};

/// The grid and how long to follow each start.
#[derive(Debug, Clone, PartialEq)]
pub struct BasinOptions {
    /// State indices along the horizontal and vertical axes.
    pub x: usize,
    pub y: usize,
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    pub nx: usize,
    pub ny: usize,
    /// Values of the other state variables (and of x and y, overwritten).
    pub base_state: Vec<f64>,
    /// How long each start runs (turns for maps).
    pub t_end: f64,
    /// Known attractors. When empty, the distinct end states are collected
    /// in the order the grid is scanned (row by row from the bottom left).
    pub attractors: Vec<Vec<f64>>,
    /// An end state within this distance (max-norm, relative to 1 + |a|) of
    /// an attractor belongs to it.
    pub tolerance: f64,
    pub rtol: f64,
    pub atol: f64,
}

/// The result: one attractor index per cell, `None` where the start did
/// not settle on a known point attractor within the time (a cycle, a slow
/// transient, or a run that failed or blew up).
#[derive(Debug, Clone, PartialEq)]
pub struct BasinMap {
    pub x_values: Vec<f64>,
    pub y_values: Vec<f64>,
    /// Row-major: `cells[j * nx + i]` is the start (x_values[i], y_values[j]).
    pub cells: Vec<Option<usize>>,
    pub attractors: Vec<Vec<f64>>,
}

impl BasinMap {
    pub fn at(&self, i: usize, j: usize) -> Option<usize> {
        self.cells[j * self.x_values.len() + i]
    }

    /// The share of the grid in each attractor's basin.
    pub fn fractions(&self) -> Vec<f64> {
        let total = self.cells.len() as f64;
        (0..self.attractors.len())
            .map(|a| self.cells.iter().filter(|c| **c == Some(a)).count() as f64 / total)
            .collect()
    }
}

fn settle<const N: usize>(
    model: &dyn Model,
    params: &[f64],
    y0: &[f64],
    t_end: f64,
    opts: OdeOptions,
) -> Option<Vec<f64>> {
    let field = Field { model, params };
    let mut solver = Dopri5::new(&field, 0.0, array::<N>(y0), t_end, opts).ok()?;
    while solver.t < t_end {
        solver.step(&field, t_end).ok()?;
    }
    Some(solver.y.to_vec())
}

fn grid(range: (f64, f64), n: usize) -> Vec<f64> {
    if n == 1 {
        return vec![0.5 * (range.0 + range.1)];
    }
    (0..n)
        .map(|i| range.0 + (range.1 - range.0) * i as f64 / (n - 1) as f64)
        .collect()
}

/// Runs every start of the grid to `t_end` and labels it by the attractor
/// its end state is closest to (within the tolerance).
pub fn basins(
    model: &dyn Model,
    params: &[f64],
    opts: &BasinOptions,
) -> Result<BasinMap, AnalysisError> {
    let n = check_model(model, params, Some(&opts.base_state))?;
    if opts.x >= n || opts.y >= n || opts.x == opts.y {
        return Err(invalid(
            "axes",
            format!("({}, {})", opts.x, opts.y),
            &format!("two different state indices below {n}"),
        ));
    }
    if opts.nx == 0 || opts.ny == 0 || opts.nx * opts.ny > 1_000_000 {
        return Err(invalid(
            "grid",
            format!("{}×{}", opts.nx, opts.ny),
            "between 1 and 1,000,000 cells",
        ));
    }
    if !(opts.t_end > 0.0 && opts.t_end.is_finite()) {
        return Err(invalid("t_end", opts.t_end, "a positive finite time"));
    }
    if !(opts.tolerance > 0.0) {
        return Err(invalid("tolerance", opts.tolerance, "a positive number"));
    }
    if let Some(a) = opts.attractors.iter().find(|a| a.len() != n) {
        return Err(invalid(
            "attractors",
            format!("{a:?}"),
            &format!("states of {n} values"),
        ));
    }
    let x_values = grid(opts.x_range, opts.nx);
    let y_values = grid(opts.y_range, opts.ny);
    let ode = OdeOptions::with_tolerances(opts.rtol, opts.atol);
    let ends: Vec<Option<Vec<f64>>> = (0..opts.nx * opts.ny)
        .into_par_iter()
        .map(|cell| {
            let mut y0 = opts.base_state.clone();
            y0[opts.x] = x_values[cell % opts.nx];
            y0[opts.y] = y_values[cell / opts.nx];
            match model.info().time {
                TimeKind::Continuous => {
                    with_dimension!(n, settle(model, params, &y0, opts.t_end, ode))
                }
                TimeKind::Discrete => {
                    let field = Field { model, params };
                    let mut y = y0;
                    for _ in 0..opts.t_end.round() as usize {
                        y = field.eval(0.0, &y);
                    }
                    y.iter().all(|v| v.is_finite()).then_some(y)
                }
            }
        })
        .collect();
    let mut attractors = opts.attractors.clone();
    let collect_new = attractors.is_empty();
    let close = |a: &[f64], b: &[f64]| {
        a.iter()
            .zip(b)
            .all(|(p, q)| (p - q).abs() <= opts.tolerance * (1.0 + p.abs()))
    };
    let mut cells = Vec::with_capacity(ends.len());
    for end in &ends {
        let label = end.as_ref().and_then(|y| {
            if let Some(k) = attractors.iter().position(|a| close(a, y)) {
                Some(k)
            } else if collect_new {
                attractors.push(y.clone());
                Some(attractors.len() - 1)
            } else {
                None
            }
        });
        cells.push(label);
    }
    Ok(BasinMap {
        x_values,
        y_values,
        cells,
        attractors,
    })
}
