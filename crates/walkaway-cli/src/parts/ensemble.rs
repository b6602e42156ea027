//! The ensemble's part files: the ensemble a part belongs to and its exact
//! sums, as JSON and back.

use serde_json::{Value, json};
use walkaway_core::ensemble::{EnsembleParts, EnsembleSummary, JitterModel, JitterSpec};

use crate::common::Failure;

pub fn run_json(spec: &JitterSpec, trajectories: u64) -> Value {
    json!({
        "model": spec.model.id(),
        "trajectories": trajectories,
        "jitter": spec.jitter,
        "t_end": spec.t_end,
        "rtol": spec.rtol,
        "atol": spec.atol,
        "seed": spec.seed,
    })
}

/// The ensemble a part's `run` describes.
pub fn spec_from_run(file: &str, run: &Value) -> Result<JitterSpec, Failure> {
    let bad = |what: &str| Failure::Input(format!("{file}: `run.{what}` is missing or malformed"));
    let num = |k: &str| run.get(k).and_then(Value::as_f64).ok_or_else(|| bad(k));
    let id = run
        .get("model")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("model"))?;
    Ok(JitterSpec {
        model: JitterModel::from_id(id)?,
        jitter: num("jitter")?,
        t_end: num("t_end")?,
        rtol: num("rtol")?,
        atol: num("atol")?,
        seed: run
            .get("seed")
            .and_then(Value::as_u64)
            .ok_or_else(|| bad("seed"))?,
    })
}

pub fn parts_json(p: &EnsembleParts) -> Value {
    json!({
        "trajectories": p.trajectories,
        "steps": p.steps,
        "rejected": p.rejected,
        "rhs_calls": p.rhs_calls,
        "sums": p.sums,
        "squares": p.squares,
    })
}

/// A part's sums, checked against the ensemble's model and against the
/// `runs` trajectories its range covers.
pub fn summary_from_json(
    file: &str,
    spec: JitterSpec,
    v: &Value,
    runs: u64,
) -> Result<EnsembleSummary, Failure> {
    let bad =
        |what: &str| Failure::Input(format!("{file}: `tally.{what}` is missing or malformed"));
    let count = |k: &str| v.get(k).and_then(Value::as_u64).ok_or_else(|| bad(k));
    let words = |k: &str| {
        v.get(k)
            .and_then(Value::as_array)
            .and_then(|a| {
                a.iter()
                    .map(|w| {
                        w.as_array()?
                            .iter()
                            .map(Value::as_i64)
                            .collect::<Option<Vec<_>>>()
                    })
                    .collect::<Option<Vec<_>>>()
            })
            .ok_or_else(|| bad(k))
    };
    let trajectories = count("trajectories")?;
    if trajectories != runs {
        return Err(Failure::Input(format!(
            "{file}: `tally.trajectories` = {trajectories} where its range covers {runs}; \
             allowed: {runs}"
        )));
    }
    let parts = EnsembleParts {
        trajectories,
        steps: count("steps")?,
        rejected: count("rejected")?,
        rhs_calls: count("rhs_calls")?,
        sums: words("sums")?,
        squares: words("squares")?,
    };
    EnsembleSummary::from_parts(spec, &parts).map_err(|e| Failure::Input(format!("{file}: {e}")))
}
