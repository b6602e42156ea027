//! "Your forecast": answers → population → Monte Carlo forecast, with the
//! safety assessment, the reciprocity verdict, plain-language drivers and
//! the model's limits next to the numbers.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};
use walkaway_core::forecast::LIMITS;
use walkaway_core::forecast::{
    self, ForecastOptions, MechanismEffect, PairedDifference, Strategy, standard_strategies,
};

use std::sync::atomic::AtomicU64;

use crate::error::ApiError;
use crate::json::ApiJson;
use crate::questionnaire::{self, Answers};
use crate::reciprocity;
use crate::safety::{self, Level};
use crate::workers::Cancel;

pub const DEFAULT_TRAJECTORIES: u64 = 1000;
pub const DEFAULT_HORIZON_DAYS: f64 = 180.0;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForecastRequest {
    #[serde(default)]
    pub answers: Answers,
    /// Simulated futures.
    #[serde(default, deserialize_with = "crate::json::whole::option")]
    #[schema(minimum = 100, maximum = 20000, default = 1000)]
    pub trajectories: Option<u64>,
    #[serde(default, deserialize_with = "crate::json::whole::option")]
    #[schema(schema_with = crate::openapi::seed_schema)]
    pub seed: Option<u64>,
    /// Days simulated.
    #[schema(minimum = 30, maximum = 730, default = 180)]
    pub horizon_days: Option<f64>,
}

#[utoipa::path(get, path = "/api/questionnaire", tag = "forecast", summary = "The questions, their options, the parameter each sets and its basis",
    responses((status = 200, description = "Questions", body = Object)))]
pub async fn questionnaire() -> Json<Value> {
    let mut q = questionnaire::questions_json();
    q["safety_items"] = json!(
        questionnaire::SAFETY_ITEMS
            .iter()
            .map(|(id, label)| json!({"id": id, "label": label}))
            .collect::<Vec<_>>()
    );
    Json(q)
}

fn finite(x: f64) -> Value {
    if x.is_finite() { json!(x) } else { Value::Null }
}

fn percent(x: f64) -> String {
    format!("{:.0}%", 100.0 * x)
}

/// Plain sentences on what moves the chance of being together at the end,
/// one per mechanism whose effect is clearly non-zero (its interval excludes 0).
pub fn driver_sentences(attribution: &[MechanismEffect]) -> Vec<String> {
    let mut effects: Vec<(&MechanismEffect, &PairedDifference)> = attribution
        .iter()
        .filter_map(|m| {
            m.changes
                .iter()
                .find(|(i, _)| *i == forecast::TOGETHER)
                .map(|(_, d)| (m, d))
        })
        .filter(|(_, d)| d.difference.abs() >= 0.01 && (d.ci_low > 0.0 || d.ci_high < 0.0))
        .collect();
    effects.sort_by(|a, b| b.1.difference.abs().total_cmp(&a.1.difference.abs()));
    effects
        .iter()
        .take(4)
        .map(|(m, d)| {
            if d.difference < 0.0 {
                format!(
                    "{} makes being together at the end more likely here: without it the chance would be about {} points lower.",
                    capitalise(m.title),
                    (100.0 * d.difference.abs()).round()
                )
            } else {
                format!(
                    "{} makes being together at the end less likely here: without it the chance would be about {} points higher.",
                    capitalise(m.title),
                    (100.0 * d.difference.abs()).round()
                )
            }
        })
        .collect()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A checked forecast request, ready to run.
#[derive(Debug)]
pub struct Prepared {
    answers: Answers,
    mapped: questionnaire::Mapped,
    safety: safety::Safety,
    horizon: f64,
    opts: ForecastOptions,
}

impl Prepared {
    /// How many simulated futures the forecast runs (its progress total).
    pub fn trajectories(&self) -> u64 {
        self.opts.trajectories
    }
}

/// Checks a request against the limits: every error names its field.
/// The forecast horizon a request asks for, checked against this server's
/// limits; left out, the default capped by them (as the OpenAPI document
/// says). Forecasts and journal analyses share it.
pub fn horizon_days(asked: Option<f64>, limits: &crate::Limits) -> Result<f64, ApiError> {
    let horizon = asked.unwrap_or(DEFAULT_HORIZON_DAYS.min(limits.max_horizon_days));
    if horizon >= 30.0 && horizon <= limits.max_horizon_days {
        Ok(horizon)
    } else {
        Err(ApiError::invalid(
            "horizon_days",
            horizon.to_string(),
            format!("a number of days from 30 to {}", limits.max_horizon_days),
        ))
    }
}

pub fn prepare(req: ForecastRequest, limits: &crate::Limits) -> Result<Prepared, ApiError> {
    let trajectories = req
        .trajectories
        .unwrap_or(DEFAULT_TRAJECTORIES.min(limits.max_trajectories));
    if !(100..=limits.max_trajectories).contains(&trajectories) {
        return Err(ApiError::invalid(
            "trajectories",
            trajectories.to_string(),
            format!("a whole number from 100 to {}", limits.max_trajectories),
        ));
    }
    let horizon = horizon_days(req.horizon_days, limits)?;
    let mapped = questionnaire::map_answers(&req.answers, horizon)?;
    let safety = safety::assess(&req.answers);
    let seed = req.seed.unwrap_or(20_251_123);
    let mut run = forecast::forecast_run_options();
    run.t_end = horizon;
    // Alternatives beside your plan; none when safety comes first.
    let strategies: Vec<Strategy> = if safety.strategies_withheld {
        Vec::new()
    } else {
        standard_strategies(horizon, 0.5)
            .into_iter()
            .filter(|s| {
                !(s.length == mapped.plan.length
                    && s.contact == mapped.plan.contact
                    && s.after == mapped.plan.after)
            })
            .collect()
    };
    let opts = ForecastOptions {
        trajectories,
        seed,
        run,
        strategies,
        attribution: true,
        series: true,
        // Plausible models cost nothing extra: the trajectories are shared
        // out among them.
        model_draws: forecast::model_draws_for(MODEL_DRAWS, trajectories),
    };
    forecast::validate(&opts)?;
    Ok(Prepared {
        answers: req.answers,
        mapped,
        safety,
        horizon,
        opts,
    })
}

/// Runs a prepared forecast on the calling thread (a heavy-lane job),
/// counting finished futures in `progress`; stops early, with
/// [`ApiError::Cancelled`], once `cancel` is raised.
pub fn run(prepared: Prepared, progress: &AtomicU64, cancel: &Cancel) -> Result<Value, ApiError> {
    let started = std::time::Instant::now();
    let f = forecast::forecast_with_progress(
        &prepared.mapped.population,
        &prepared.opts,
        progress,
        cancel.flag(),
    )?
    .ok_or(ApiError::Cancelled)?;
    Ok(render(&prepared, &f, started.elapsed().as_secs_f64()))
}

#[utoipa::path(post, path = "/api/forecast", tag = "forecast", summary = "Forecast from answers: outcome probabilities with Monte Carlo and model ranges, daily quantile series, strategies side by side, drivers, reciprocity verdict, safety assessment, limits", request_body = ForecastRequest,
    responses((status = 200, description = "Forecast", body = Object), (status = 400), (status = 413), (status = 415), (status = 422), (status = 503)))]
pub async fn forecast(
    State(state): State<crate::State>,
    ApiJson(req): ApiJson<ForecastRequest>,
) -> Result<Json<Value>, ApiError> {
    let prepared = prepare(req, &state.limits)?;
    let cancel = Cancel::new();
    let job_cancel = cancel.clone();
    let out = state
        .workers
        .run_heavy(cancel, move || {
            run(prepared, &AtomicU64::new(0), &job_cancel)
        })
        .await?;
    Ok(Json(out))
}

/// The forecast as the pages read it.
fn render(prepared: &Prepared, f: &forecast::Forecast, seconds: f64) -> Value {
    let Prepared {
        answers,
        mapped,
        safety,
        horizon,
        ..
    } = prepared;
    let horizon = *horizon;
    let mut series = serde_json::Map::new();
    for v in &f.series {
        series.insert(
            v.name.to_string(),
            json!({
                "mean": v.mean.iter().map(|x| finite(*x)).collect::<Vec<_>>(),
                "q10": v.q10.iter().map(|x| finite(*x)).collect::<Vec<_>>(),
                "q50": v.q50.iter().map(|x| finite(*x)).collect::<Vec<_>>(),
                "q90": v.q90.iter().map(|x| finite(*x)).collect::<Vec<_>>(),
                "min": v.min.iter().map(|x| finite(*x)).collect::<Vec<_>>(),
                "max": v.max.iter().map(|x| finite(*x)).collect::<Vec<_>>(),
            }),
        );
    }
    // Expected contact attempts so far: the running sum of the mean daily rate.
    if let Some(rate) = f.series.iter().find(|v| v.name == "contact_rate") {
        let mut acc = 0.0;
        let cumulative: Vec<Value> = rate
            .mean
            .iter()
            .map(|r| {
                let v = acc;
                if r.is_finite() {
                    acc += r;
                }
                finite(v)
            })
            .collect();
        series.insert("expected_contact_attempts".into(), json!(cumulative));
    }
    let your_plan = json!({
        "name": "yours", "label": mapped.plan.label, "index": mapped.plan_index, "chosen": mapped.plan_chosen,
    });
    let mut drivers = vec![f.drivers.clone()];
    drivers.extend(driver_sentences(&f.attribution));
    let together_text = together_text(f, horizon);
    let warning_sign = "If your partner calls and messages a lot right after you leave, that is possessiveness wearing off, not proof of love; the model counts it as contact, nothing more.";
    let mut body = forecast::to_json(f);
    let extra = json!({
        "horizon_days": horizon,
        "seconds": seconds,
        "answers": answers,
        "safety": safety,
        "safety_first": safety.level != Level::None,
        "reciprocity": reciprocity::assess(answers),
        "plan": your_plan,
        "together_text": together_text,
        "days": f.days,
        "series": series,
        "drivers": drivers,
        "warning_sign": warning_sign,
        "limits": LIMITS,
    });
    if let (Some(body), Value::Object(extra)) = (body.as_object_mut(), extra) {
        body.extend(extra);
    }
    body
}

/// Plausible models drawn over the rate priors for every web forecast.
const MODEL_DRAWS: u32 = 20;

/// Where your plan leads, in words that say who did what.
fn together_text(f: &forecast::Forecast, horizon: f64) -> String {
    let y = &f.yours;
    let ev = |k: forecast::EventKind| &y.events[k as usize].p;
    let range = |o: &forecast::OutcomeProbability| match o.model_range {
        Some(r) => format!(
            "; across plausible versions of the model, {} to {}",
            percent(r.low),
            percent(r.high)
        ),
        None => String::new(),
    };
    format!(
        "In {} of the simulated futures (95% interval {} to {}{}) you two are together at day {}. Your partner asks to get back together in {}; you get back together because your partner asked in {}, and because you went back as planned in {}.",
        percent(y.together.p.probability),
        percent(y.together.p.ci_low),
        percent(y.together.p.ci_high),
        range(&y.together),
        horizon,
        percent(ev(forecast::EventKind::PartnerAsked).probability),
        percent(ev(forecast::EventKind::ReunionPartnerAsked).probability),
        percent(ev(forecast::EventKind::ReunionYouWentBack).probability),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_copy_are_gender_neutral() {
        for text in LIMITS {
            for word in [" he ", " she ", " him ", " her ", " his "] {
                assert!(!text.to_lowercase().contains(word), "{text}");
            }
        }
    }
}
