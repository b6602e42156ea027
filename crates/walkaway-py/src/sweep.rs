//! `sweep(x, y, ...)`: outcome probabilities on a grid of one or two
//! parameters, as `walkaway sweep`, with one NumPy array per column.

use std::sync::atomic::AtomicU64;

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyString};
use walkaway_core::forecast::{summarise, validate};
use walkaway_core::models::walkaway::INFO as WALKAWAY;
use walkaway_scenario::sweep::{
    ArgumentNames, Axis, Column, cell_options, check_grid, columns, parse_axis, run_cell,
};

use crate::simulate::settings;
use crate::{arrays, errors};

/// An axis as the command line writes it: the text `NAME=LO:HI:N` or
/// `NAME=V1,V2,…` as it is, or a pair (NAME, values) written as
/// `NAME=V1,V2,…`.
fn axis_text(axis: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(text) = axis.extract::<String>() {
        return Ok(text);
    }
    let (name, values): (String, Vec<Bound<'_, PyAny>>) = axis.extract().map_err(|_| {
        errors::input("an axis is \"NAME=LO:HI:N\", \"NAME=V1,V2,…\" or a pair (NAME, [V1, V2, …])")
    })?;
    let values = values
        .iter()
        .map(|v| {
            if v.is_instance_of::<PyBool>() {
                Ok(v.extract::<bool>()?.to_string())
            } else if v.is_instance_of::<PyString>() {
                v.extract::<String>()
            } else {
                Ok(v.extract::<f64>()?.to_string())
            }
        })
        .collect::<PyResult<Vec<String>>>()?;
    Ok(format!("{name}={}", values.join(",")))
}

/// Outcome probabilities of the forecast on a grid of one or two
/// parameters of the walkaway model (`walkaway sweep`): every cell runs the
/// same `trajectories` futures from the same `seed`, so differences between
/// cells come from the swept values, not from chance.
///
/// `x`, `y`: "NAME=LO:HI:N" (N values from LO to HI), "NAME=V1,V2,…", or
/// a pair (NAME, [V1, V2, …]). `scenario`: a scenario file of the walkaway
/// model or None (the default). Keyword arguments fix scenario values as
/// `--set` does.
///
/// Returns a dict of NumPy arrays, one row per cell (x fastest): the axes'
/// values, `trajectories`, `failures`, and for each outcome, getting back
/// together, a bid and your partner meeting someone new, `p_KEY` with its
/// 95 % interval `p_KEY_low`, `p_KEY_high` (the columns of the CSV). The
/// GIL is released while it runs.
#[pyfunction]
#[pyo3(signature = (x, y=None, scenario=None, trajectories=1_000, seed=None, **params))]
pub fn sweep<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    y: Option<&Bound<'py, PyAny>>,
    scenario: Option<&str>,
    trajectories: u64,
    seed: Option<u64>,
    params: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let sets = settings(params)?;
    let scenario = walkaway_scenario::target::load_walkaway(scenario, &sets, "sweeps")
        .map_err(errors::input)?;
    let x_text = axis_text(x)?;
    let y_text = y.map(axis_text).transpose()?;
    let x_axis = parse_axis("x", &x_text, &WALKAWAY).map_err(errors::input)?;
    let y_axis: Option<Axis> = y_text
        .as_deref()
        .map(|t| parse_axis("y", t, &WALKAWAY))
        .transpose()
        .map_err(errors::input)?;
    let names = ArgumentNames {
        x: "x",
        y: "y",
        trajectories: "trajectories",
    };
    let cells = check_grid(
        names,
        &x_axis,
        y_axis.as_ref(),
        y_text.as_deref().unwrap_or(""),
        trajectories,
    )
    .map_err(errors::input)?;
    let opts = cell_options(
        trajectories,
        seed.unwrap_or(scenario.run.seed),
        scenario.run,
    );
    validate(&opts).map_err(errors::model)?;
    let population = scenario.population;
    let results = py
        .detach(|| {
            let progress = AtomicU64::new(0);
            (0..cells as usize)
                .map(|cell| {
                    run_cell(
                        &population,
                        &x_axis,
                        y_axis.as_ref(),
                        cell,
                        &opts,
                        &progress,
                    )
                    .map(|tally| summarise(&tally, &opts))
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .map_err(errors::model)?;
    let out = PyDict::new(py);
    for (name, column) in columns(&x_axis, y_axis.as_ref(), &results) {
        match column {
            Column::F64(v) => out.set_item(name, arrays::vector(py, &v)?)?,
            Column::U64(v) => out.set_item(name, arrays::counts(py, &v)?)?,
        }
    }
    Ok(out)
}
