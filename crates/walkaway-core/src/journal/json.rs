//! The one JSON form of a journal's analysis: what `walkaway journal
//! --format json` prints and what the API sends. `forecast` and
//! `prior_forecast` are forecasts in their one JSON form
//! ([`crate::forecast::to_json`]).

use super::report::{Interval, JournalReport, SAFETY_NOTICE};
use crate::forecast::{Forecast, to_json};
use serde_json::{Value, json};

fn number(x: f64) -> Value {
    if x.is_finite() { json!(x) } else { Value::Null }
}

fn interval_json(i: &Interval) -> Value {
    json!({
        "mean": number(i.mean),
        "q05": number(i.q05),
        "q25": number(i.q25),
        "median": number(i.q50),
        "q75": number(i.q75),
        "q95": number(i.q95),
    })
}

/// What the model says when the journal falls outside what it produces.
pub const MISFIT_MESSAGE: &str = "The model does not fit what you recorded: some of your days are outside what it can produce, so the numbers below are not to be trusted.";

pub fn journal_json(
    r: &JournalReport,
    forecast: Option<&Forecast>,
    prior_forecast: Option<&Forecast>,
) -> Value {
    let d = &r.diagnostics;
    json!({
        "days": r.days,
        "entries": r.entries,
        "filter": {
            "particles": d.particles,
            "ess_final": number(d.ess_final),
            "ess_min": number(d.ess_min),
            "resamples": d.resamples,
            "acceptance": number(d.acceptance),
            "ln_evidence": number(d.ln_evidence),
        },
        "fit": {
            "fits": d.fit.fits,
            "message": if d.fit.fits { Value::Null } else { json!(MISFIT_MESSAGE) },
            "counts_checked": d.fit.counts_checked,
            "extreme_counts": d.fit.extreme_counts,
            "impossible_counts": d.fit.impossible_counts,
            "worst": d.fit.worst.map(|(day, count, tail)| json!({
                "day": day, "contacts": count, "tail_probability": number(tail)
            })),
        },
        "traits": r.traits.iter().map(|t| json!({
            "key": t.which.key(),
            "label": t.which.label(),
            "prior": interval_json(&t.prior),
            "posterior": interval_json(&t.posterior),
        })).collect::<Vec<_>>(),
        "request_next_30_days": r.request_next_days.map(number),
        "met_someone": number(r.met_someone),
        "met_someone_prior": number(r.met_someone_prior),
        "jealous_share": number(r.jealous_share),
        "warning": r.warning.as_ref().map(|w| json!({
            "day": w.day,
            "attempts": w.attempts,
            "message": w.message,
            "safety_notice": SAFETY_NOTICE,
        })),
        "forecast": forecast.map(to_json),
        "prior_forecast": prior_forecast.map(to_json),
    })
}
