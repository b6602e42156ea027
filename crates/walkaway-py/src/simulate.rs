//! `simulate(model_or_file, ...)`: one trajectory, as `walkaway simulate`.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyList, PyString};
use walkaway_core::ModelError;
use walkaway_scenario::Scenario;

use crate::{arrays, errors};

/// `NAME=VALUE` texts from keyword arguments, as the command line's
/// `--set`: a flag from a bool, a number, or a choice's name from a str.
pub fn settings(params: Option<&Bound<'_, PyDict>>) -> PyResult<Vec<String>> {
    let Some(params) = params else {
        return Ok(Vec::new());
    };
    params
        .iter()
        .map(|(name, value)| {
            let name: String = name.extract()?;
            let text = if value.is_instance_of::<PyBool>() {
                value.extract::<bool>()?.to_string()
            } else if value.is_instance_of::<PyString>() {
                value.extract::<String>()?
            } else {
                match value.extract::<f64>() {
                    Ok(v) => v.to_string(),
                    Err(_) => {
                        return Err(errors::input(format!(
                            "`{name}` = {}: allowed: a number, True/False for a switch, or an \
                             option's name",
                            value.repr()?
                        )));
                    }
                }
            };
            Ok(format!("{name}={text}"))
        })
        .collect()
}

/// Applies an argument of the call as a scenario override, naming the
/// argument when it is refused (as the command line names its flag).
fn apply_argument(
    scenario: &mut Scenario,
    argument: &str,
    name: &str,
    value: &str,
) -> PyResult<()> {
    scenario
        .apply_set(&format!("{name}={value}"))
        .map_err(|e| errors::input(format!("{argument} {value}: {}", e.message)))
}

/// One run of a catalog model, a scenario file or an equation file, with
/// the central value of every distribution (`walkaway simulate`).
///
/// `model_or_file`: a model id (`models()`), a scenario file (.toml) or
/// an equation file (.toml with a `[model]` table, or XPPAUT .ode).
/// Keyword arguments set parameters and initial values by name, as
/// `--set` does: `simulate("strogatz", a=-0.5)`; names with dots go in a
/// dict: `simulate("walkaway", **{"mechanisms.nostalgia": False})`.
///
/// Returns a dict: `times` (NumPy array), `states` (dict of NumPy arrays,
/// one per state variable and extra column, by name), `events` (list of
/// dicts with `t`, `kind`, `detail`), `outcome` (str or None), `model`
/// and `stats` (solver steps).
#[pyfunction]
#[pyo3(signature = (model_or_file, t_end=None, seed=None, every=None, method=None, **params))]
pub fn simulate<'py>(
    py: Python<'py>,
    model_or_file: &str,
    t_end: Option<f64>,
    seed: Option<u64>,
    every: Option<f64>,
    method: Option<&str>,
    params: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let mut scenario =
        walkaway_scenario::target::load(Some(model_or_file)).map_err(errors::input)?;
    for s in settings(params)? {
        scenario
            .apply_set(&s)
            .map_err(|e| errors::input(e.to_message()))?;
    }
    if let Some(t) = t_end {
        apply_argument(&mut scenario, "t_end", "horizon", &t.to_string())?;
    }
    if let Some(e) = every {
        apply_argument(&mut scenario, "every", "output.every", &e.to_string())?;
    }
    if let Some(seed) = seed {
        apply_argument(&mut scenario, "seed", "seed", &seed.to_string())?;
    }
    if let Some(m) = method {
        apply_argument(&mut scenario, "method", "solver.method", m)?;
    }
    scenario
        .check()
        .map_err(|e| errors::input(e.to_message()))?;
    let params = scenario.central_params();
    let y0 = scenario.initial_state(&params);
    let traj = py
        .detach(|| scenario.model.simulate(&params, &y0, &scenario.run))
        .map_err(|e| match e {
            // As the command line: a solver that stops was led there by
            // the values chosen, which the message names (ValueError).
            ModelError::Solver(s) => errors::input(scenario.solver_failure_message(&s)),
            other => errors::model(other),
        })?;

    let out = PyDict::new(py);
    out.set_item("model", &traj.model)?;
    out.set_item("times", arrays::vector(py, &traj.times)?)?;
    let states = PyDict::new(py);
    for (i, name) in traj.columns.iter().enumerate() {
        let column: Vec<f64> = traj.rows.iter().map(|r| r[i]).collect();
        states.set_item(name, arrays::vector(py, &column)?)?;
    }
    out.set_item("states", states)?;
    let events = PyList::empty(py);
    for e in &traj.events {
        let d = PyDict::new(py);
        d.set_item("t", e.t)?;
        d.set_item("kind", &e.kind)?;
        d.set_item("detail", &e.detail)?;
        events.append(d)?;
    }
    out.set_item("events", events)?;
    out.set_item("outcome", &traj.outcome)?;
    let stats = PyDict::new(py);
    stats.set_item("steps", traj.stats.steps)?;
    stats.set_item("rejected", traj.stats.rejected)?;
    stats.set_item("rhs_calls", traj.stats.rhs_calls)?;
    out.set_item("stats", stats)?;
    Ok(out)
}
