//! The forecast's part files: the settings every part of one forecast (or
//! sweep) must share, and its exact tally, as JSON and back.

use serde_json::{Value, json};
use walkaway_core::forecast::{ForecastOptions, Strategy, Tally, TallyParts, forecast_run_options};

use crate::common::Failure;

/// Everything about a forecast that parts of it must share.
pub fn run_json(opts: &ForecastOptions, scenario: &str) -> Value {
    json!({
        "scenario": scenario,
        "trajectories": opts.trajectories,
        "seed": opts.seed,
        "t0": opts.run.t0,
        "t_end": opts.run.t_end,
        "rtol": opts.run.rtol,
        "atol": opts.run.atol,
        "method": opts.run.method.name(),
        "attribution": opts.attribution,
        "series": opts.series,
        "model_draws": opts.model_draws,
        "strategies": opts.strategies.iter().map(|s| json!({
            "name": s.name, "label": s.label, "length": s.length,
            "contact": s.contact, "after": s.after,
        })).collect::<Vec<_>>(),
    })
}

/// The forecast options a part's `run` describes (what the summary needs).
pub fn options_from_run(file: &str, run: &Value) -> Result<ForecastOptions, Failure> {
    let bad = |what: &str| Failure::Input(format!("{file}: `run.{what}` is missing or malformed"));
    let num = |k: &str| run.get(k).and_then(Value::as_f64).ok_or_else(|| bad(k));
    let mut options = forecast_run_options();
    options.t0 = num("t0")?;
    options.t_end = num("t_end")?;
    options.rtol = num("rtol")?;
    options.atol = num("atol")?;
    let strategies = run
        .get("strategies")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("strategies"))?
        .iter()
        .map(|s| {
            Some(Strategy {
                name: s.get("name")?.as_str()?.to_string(),
                label: s.get("label")?.as_str()?.to_string(),
                length: s.get("length")?.as_f64()?,
                contact: s.get("contact")?.as_f64()?,
                after: s.get("after")?.as_f64()?,
            })
        })
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| bad("strategies"))?;
    Ok(ForecastOptions {
        trajectories: run
            .get("trajectories")
            .and_then(Value::as_u64)
            .ok_or_else(|| bad("trajectories"))?,
        seed: run
            .get("seed")
            .and_then(Value::as_u64)
            .ok_or_else(|| bad("seed"))?,
        run: options,
        strategies,
        attribution: run
            .get("attribution")
            .and_then(Value::as_bool)
            .ok_or_else(|| bad("attribution"))?,
        series: run
            .get("series")
            .and_then(Value::as_bool)
            .ok_or_else(|| bad("series"))?,
        model_draws: run
            .get("model_draws")
            .and_then(Value::as_u64)
            .and_then(|m| u32::try_from(m).ok())
            .ok_or_else(|| bad("model_draws"))?,
    })
}

pub fn tally_json(tally: &Tally) -> Value {
    let p = tally.to_parts();
    json!({
        "trajectories": p.trajectories,
        "failures": p.failures,
        "steps": p.steps,
        "base": p.base,
        "strategies": p.strategies,
        "mechanisms": p.mechanisms,
        "event_hist": p.event_hist,
        "series_hist": p.series_hist,
        // i128 sums as decimal strings: JSON numbers are not read back exactly.
        "series_sum": p.series_sum.iter().map(i128::to_string).collect::<Vec<_>>(),
        "series_min": p.series_min.iter().map(i64::to_string).collect::<Vec<_>>(),
        "series_max": p.series_max.iter().map(i64::to_string).collect::<Vec<_>>(),
        "per_model": p.per_model,
    })
}

/// A part's tally, checked against the forecast options and against the
/// `runs` trajectories it covers (finished or stopped).
pub fn tally_from_json(
    file: &str,
    v: &Value,
    opts: &ForecastOptions,
    runs: u64,
) -> Result<Tally, Failure> {
    let bad =
        |what: &str| Failure::Input(format!("{file}: `tally.{what}` is missing or malformed"));
    let u64s = |v: &Value| {
        v.as_array()?
            .iter()
            .map(Value::as_u64)
            .collect::<Option<Vec<u64>>>()
    };
    let u32s = |v: &Value| {
        v.as_array()?
            .iter()
            .map(|x| x.as_u64().and_then(|x| u32::try_from(x).ok()))
            .collect::<Option<Vec<u32>>>()
    };
    let nested = |k: &str| {
        v.get(k)
            .and_then(Value::as_array)
            .and_then(|a| a.iter().map(u64s).collect::<Option<Vec<_>>>())
            .ok_or_else(|| bad(k))
    };
    let count = |k: &str| v.get(k).and_then(Value::as_u64).ok_or_else(|| bad(k));
    let extremes = |k: &str| match v.get(k) {
        None => Ok(Vec::new()),
        Some(a) => a
            .as_array()
            .and_then(|a| {
                a.iter()
                    .map(|x| x.as_str()?.parse::<i64>().ok())
                    .collect::<Option<Vec<i64>>>()
            })
            .ok_or_else(|| bad(k)),
    };
    let (trajectories, failures) = (count("trajectories")?, count("failures")?);
    if trajectories.checked_add(failures) != Some(runs) {
        return Err(Failure::Input(format!(
            "{file}: `tally.trajectories` = {trajectories} and `tally.failures` = {failures} \
             where its range covers {runs} trajectories; allowed: counts adding up to {runs}"
        )));
    }
    let parts = TallyParts {
        trajectories,
        failures,
        steps: count("steps")?,
        base: v.get("base").and_then(u64s).ok_or_else(|| bad("base"))?,
        strategies: nested("strategies")?,
        mechanisms: nested("mechanisms")?,
        event_hist: v
            .get("event_hist")
            .and_then(Value::as_array)
            .and_then(|a| a.iter().map(u32s).collect::<Option<Vec<_>>>())
            .ok_or_else(|| bad("event_hist"))?,
        series_hist: v
            .get("series_hist")
            .and_then(u32s)
            .ok_or_else(|| bad("series_hist"))?,
        series_sum: v
            .get("series_sum")
            .and_then(Value::as_array)
            .and_then(|a| {
                a.iter()
                    .map(|x| x.as_str()?.parse::<i128>().ok())
                    .collect::<Option<Vec<_>>>()
            })
            .ok_or_else(|| bad("series_sum"))?,
        // Absent in parts saved before the extremes were kept.
        series_min: extremes("series_min")?,
        series_max: extremes("series_max")?,
        per_model: v
            .get("per_model")
            .and_then(u64s)
            .ok_or_else(|| bad("per_model"))?,
    };
    Tally::from_parts(parts, opts).map_err(|e| Failure::Input(format!("{file}: {e}")))
}
