//! The one JSON form of a forecast: what `walkaway forecast --format json`
//! prints and what `/api/forecast` sends (the server adds its own fields
//! around it). Outcomes and events carry a stable `key` and plain `label`;
//! `ci_low`/`ci_high` are the Monte Carlo 95% interval and
//! `model_low`/`model_high` the 5–95% range across plausible models (null
//! when the forecast drew none).

use super::*;
use serde_json::{Value, json};

fn number(x: f64) -> Value {
    if x.is_finite() { json!(x) } else { Value::Null }
}

pub fn proportion_json(p: &Proportion) -> Value {
    json!({
        "probability": number(p.probability),
        "ci_low": number(p.ci_low),
        "ci_high": number(p.ci_high),
        "count": p.count,
        "n": p.n,
    })
}

fn probability_json(o: &OutcomeProbability) -> Value {
    let mut v = proportion_json(&o.p);
    v["key"] = json!(o.key());
    v["label"] = json!(o.label());
    v["model_low"] = o.model_range.map_or(Value::Null, |r| number(r.low));
    v["model_high"] = o.model_range.map_or(Value::Null, |r| number(r.high));
    v
}

fn difference_json(indicator: usize, d: &PairedDifference) -> Value {
    json!({
        "key": indicator_key(indicator),
        "label": indicator_label(indicator),
        "difference": number(d.difference),
        "ci_low": number(d.ci_low),
        "ci_high": number(d.ci_high),
    })
}

fn event_json(e: &EventSummary) -> Value {
    let mut v = proportion_json(&e.p);
    v["key"] = json!(e.event.key());
    v["label"] = json!(e.event.label());
    v["median_day"] = e.median_day.map_or(Value::Null, number);
    if !e.cumulative.is_empty() {
        v["cumulative"] = json!(e.cumulative);
    }
    v
}

pub fn strategy_json(s: &StrategyResult) -> Value {
    let mut after = serde_json::Map::new();
    for a in &s.after_reunion {
        after.insert(
            format!("separated_within_{}_days", a.days),
            proportion_json(&a.p),
        );
    }
    json!({
        "name": s.name,
        "label": s.label,
        "outcomes": s.outcomes.iter().map(probability_json).collect::<Vec<_>>(),
        "together": probability_json(&s.together),
        "events": s.events.iter().map(event_json).collect::<Vec<_>>(),
        "episodes": {
            "separations_per_run": number(s.separations_per_run),
            "reunions_per_run": number(s.reunions_per_run),
        },
        "after_reunion": after,
        "versus_yours": s.versus_yours.iter().map(|(i, d)| difference_json(*i, d)).collect::<Vec<_>>(),
    })
}

/// The whole forecast as JSON.
pub fn to_json(f: &Forecast) -> Value {
    let yours = strategy_json(&f.yours);
    json!({
        "trajectories": f.trajectories,
        "seed": f.seed,
        "failures": f.failures,
        "steps": f.steps,
        "model_draws": f.model_draws,
        "outcomes": yours["outcomes"],
        "together": yours["together"],
        "events": yours["events"],
        "episodes": yours["episodes"],
        "after_reunion": yours["after_reunion"],
        "bid_given_met": proportion_json(&f.bid_given_met),
        "bid_given_not_met": proportion_json(&f.bid_given_not_met),
        "series": {
            "days": f.days,
            "variables": f.series.iter().map(|v| json!({
                "name": v.name, "mean": v.mean, "q10": v.q10, "q50": v.q50, "q90": v.q90,
            })).collect::<Vec<_>>(),
        },
        "staying": f.staying.as_ref().map_or(Value::Null, strategy_json),
        "strategies": f.strategies.iter().map(strategy_json).collect::<Vec<_>>(),
        "attribution": f.attribution.iter().map(|m| json!({
            "mechanism": m.mechanism,
            "title": m.title,
            "changes": m.changes.iter().map(|(i, d)| difference_json(*i, d)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "order_flips": f.order_flips.iter().map(|o| json!({
            "strategy": o.strategy,
            "key": indicator_key(o.indicator),
            "label": indicator_label(o.indicator),
            "share": o.share,
        })).collect::<Vec<_>>(),
        "drivers": f.drivers,
    })
}
