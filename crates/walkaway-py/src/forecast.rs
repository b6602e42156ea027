//! `forecast(scenario, ...)`: the Monte Carlo forecast of `walkaway
//! forecast`, in its one JSON form (`walkaway_core::forecast::to_json`).

use std::time::Instant;

use pyo3::prelude::*;
use pyo3::types::PyDict;
use walkaway_core::forecast::{
    ForecastOptions, model_draws_for, run_shard, standard_strategies, summarise, to_json, validate,
};
use walkaway_core::sampling::Design;

use crate::errors;
use crate::simulate::settings;

/// The forecast of a scenario of the walkaway model (default: the
/// embedded scenarios/default.toml): outcome probabilities with their
/// intervals, timelines, strategies compared and what drives the outcome,
/// as `walkaway forecast --format json` with the same arguments.
///
/// `scenario`: a scenario file (.toml) or None. `seed`: default the
/// scenario's. `design`: independent, lhs or sobol. `models`: plausible
/// models drawn over the priors (0: off). `partial_contact`: contact level
/// of the "partial withdrawal" strategy (0–1). `attribution=False` skips
/// the mechanism switch-offs (faster). Keyword arguments fix values of the
/// scenario as `--set` does (`**{"separation.length": 60}`).
///
/// Returns the forecast as a plain dict (the JSON form of docs/forecast),
/// plus `seconds`. The GIL is released while it runs.
#[pyfunction]
#[pyo3(signature = (
    scenario=None, trajectories=10_000, seed=None, design="independent", models=40,
    partial_contact=0.5, attribution=true, **params
))]
pub fn forecast<'py>(
    py: Python<'py>,
    scenario: Option<&str>,
    trajectories: u64,
    seed: Option<u64>,
    design: &str,
    models: u32,
    partial_contact: f64,
    attribution: bool,
    params: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let sets = settings(params)?;
    let mut scenario = walkaway_scenario::target::load_walkaway(scenario, &sets, "forecasts")
        .map_err(errors::input)?;
    let design_choice = Design::parse(design).ok_or_else(|| {
        errors::input(format!(
            "design `{design}` is not known; allowed: {}",
            Design::NAMES.join(", ")
        ))
    })?;
    scenario
        .population
        .set_design(design_choice)
        .map_err(errors::model)?;
    if !(0.0..=1.0).contains(&partial_contact) {
        return Err(errors::input(format!(
            "partial_contact {partial_contact} is not allowed: a contact level from 0 to 1"
        )));
    }
    let horizon = scenario.run.t_end;
    let opts = ForecastOptions {
        trajectories,
        seed: seed.unwrap_or(scenario.run.seed),
        run: scenario.run,
        strategies: standard_strategies(horizon, partial_contact),
        attribution,
        series: true,
        model_draws: model_draws_for(models, trajectories),
    };
    validate(&opts).map_err(errors::model)?;
    let population = scenario.population;
    let (tally, seconds) = py.detach(|| {
        let started = Instant::now();
        let tally = run_shard(&population, &opts, 0..opts.trajectories);
        (tally, started.elapsed().as_secs_f64())
    });
    let tally = tally.map_err(errors::model)?;
    let mut json = to_json(&summarise(&tally, &opts));
    json["seconds"] = serde_json::json!(seconds);
    // Python's own JSON reader makes the plain dict (floats round-trip
    // exactly: both sides print and read shortest representations).
    let text = serde_json::to_string(&json).map_err(|e| errors::internal(e.to_string()))?;
    py.import("json")?.call_method1("loads", (text,))
}
