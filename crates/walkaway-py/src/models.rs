//! `models()` and `load_model(path)`: what can be run, as plain dicts.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use walkaway_core::model::ParamKind;
use walkaway_core::{ModelInfo, catalog};

use crate::errors;

/// A model's description as a dict: id, title, description, citation,
/// time unit, default end time, states and parameters (name, unit,
/// default, min, max, kind, what it is).
fn info_dict<'py>(py: Python<'py>, i: &ModelInfo) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", i.id)?;
    d.set_item("title", i.title)?;
    d.set_item("description", i.description)?;
    d.set_item("citation", i.citation)?;
    d.set_item("time_unit", i.time_unit)?;
    d.set_item("default_t_end", i.default_t_end)?;
    let states = PyList::empty(py);
    for s in i.states {
        let sd = PyDict::new(py);
        sd.set_item("name", s.name)?;
        sd.set_item("unit", s.unit)?;
        sd.set_item("default", s.default)?;
        sd.set_item("description", s.description)?;
        states.append(sd)?;
    }
    d.set_item("states", states)?;
    let params = PyList::empty(py);
    for p in i.params {
        let pd = PyDict::new(py);
        pd.set_item("name", p.name)?;
        pd.set_item("unit", p.unit)?;
        pd.set_item("default", p.show(p.default))?;
        pd.set_item("min", p.min)?;
        pd.set_item("max", p.max)?;
        match p.kind {
            ParamKind::Real => pd.set_item("kind", "real")?,
            ParamKind::Flag => pd.set_item("kind", "flag")?,
            ParamKind::Choice(options) => {
                pd.set_item("kind", "choice")?;
                pd.set_item("options", options.to_vec())?;
            }
        }
        pd.set_item("allowed", p.allowed())?;
        pd.set_item("description", p.description)?;
        params.append(pd)?;
    }
    d.set_item("params", params)?;
    Ok(d)
}

/// The catalog: one dict per built-in model (`id`, `title`, states,
/// parameters with units, defaults and ranges, citation), as
/// `walkaway models --format json`.
///
/// Your own model is a file, not an id: pass its path wherever a model id
/// goes (`simulate("my-model.toml")`, `simulate("lp.ode")`,
/// `ensemble("lp.ode")`), or describe it first with `load_model(path)`.
/// Equation files are TOML with a `[model]` table or XPPAUT `.ode`
/// (docs/models.md).
#[pyfunction]
pub fn models(py: Python<'_>) -> PyResult<Vec<Bound<'_, PyDict>>> {
    catalog().iter().map(|m| info_dict(py, m.info())).collect()
}

/// Reads, checks and compiles an equation file (TOML with a `[model]`
/// table, or XPPAUT `.ode`; docs/models.md) and returns its description
/// as a `models()` entry. Its id then works like a catalog id for the rest
/// of the session. Errors (ValueError) name the file, line and column.
#[pyfunction]
pub fn load_model<'py>(py: Python<'py>, path: &str) -> PyResult<Bound<'py, PyDict>> {
    match walkaway_scenario::target::equation_file(path).map_err(errors::input)? {
        Some(model) => info_dict(py, walkaway_core::Model::info(model)),
        None => Err(errors::input(format!(
            "{path} is not an equation file; allowed: a .ode file (XPPAUT) or a .toml file \
             with a [model] table (docs/models.md)"
        ))),
    }
}
