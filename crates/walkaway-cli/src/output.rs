//! Text, CSV and JSON renderings of models, trajectories and forecasts.

use std::fmt::Write;

use serde_json::{Value, json};
use walkaway_core::forecast::{Forecast, PairedDifference, Proportion};
use walkaway_core::{ParamKind, Trajectory, catalog};

pub const NOT_A_PROPHECY: &str = "This is a model, not a prophecy: it shows what follows from stated assumptions (docs/model.md), not what your partner will do. If you are afraid of your partner, put your safety first and talk to local domestic-violence services or emergency services.";

pub fn models(as_json: bool) -> String {
    let all = catalog();
    if as_json {
        let list: Vec<Value> = all
            .iter()
            .map(|m| {
                let i = m.info();
                json!({
                    "id": i.id,
                    "title": i.title,
                    "description": i.description,
                    "citation": i.citation,
                    "time_unit": i.time_unit,
                    "time": format!("{:?}", i.time).to_lowercase(),
                    "default_t_end": i.default_t_end,
                    "states": i.states.iter().map(|s| json!({"name": s.name, "unit": s.unit, "default": s.default, "description": s.description})).collect::<Vec<_>>(),
                    "params": i.params.iter().map(|p| {
                        let mut v = json!({"name": p.name, "symbol": p.symbol, "unit": p.unit, "default": p.show(p.default), "min": p.min, "max": p.max, "description": p.description});
                        v["kind"] = match p.kind {
                            ParamKind::Real => json!("real"),
                            ParamKind::Flag => json!("flag"),
                            ParamKind::Choice(o) => json!({"choice": o}),
                        };
                        v
                    }).collect::<Vec<_>>(),
                })
            })
            .collect();
        return serde_json::to_string_pretty(&list).unwrap_or_default() + "\n";
    }
    let mut s = String::new();
    for m in all {
        let i = m.info();
        let _ = writeln!(s, "{} — {}", i.id, i.description);
        let _ = writeln!(
            s,
            "  states ({}): {}",
            i.time_unit,
            i.states
                .iter()
                .map(|x| format!("{} [{}]", x.name, x.unit))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let _ = writeln!(s, "  parameters:");
        for p in i.params {
            let _ = writeln!(
                s,
                "    {:38} = {:<10} {:24} {}",
                p.name,
                p.show(p.default),
                p.unit,
                p.allowed()
            );
        }
        let _ = writeln!(s, "  citation: {}\n", i.citation);
    }
    s
}

fn fmt_num(v: f64) -> String {
    if v.abs() >= 1e4 || (v != 0.0 && v.abs() < 1e-3) {
        format!("{v:.4e}")
    } else {
        format!("{v:.4}")
    }
}

pub fn table(t: &Trajectory) -> String {
    let mut s = String::new();
    let _ = write!(s, "{:>10}", "t");
    for c in &t.columns {
        let _ = write!(s, " {:>14.14}", c);
    }
    s.push('\n');
    for (time, row) in t.times.iter().zip(&t.rows) {
        let _ = write!(s, "{:>10}", fmt_num(*time));
        for v in row {
            let _ = write!(s, " {:>14}", fmt_num(*v));
        }
        s.push('\n');
    }
    for e in &t.events {
        let _ = writeln!(s, "event at t = {:.3}: {} — {}", e.t, e.kind, e.detail);
    }
    if let Some(o) = &t.outcome {
        let _ = writeln!(s, "outcome: {o}");
    }
    s
}

pub fn csv(t: &Trajectory) -> String {
    let mut s = String::from("t");
    for c in &t.columns {
        s.push(',');
        s.push_str(c);
    }
    s.push('\n');
    for (time, row) in t.times.iter().zip(&t.rows) {
        let _ = write!(s, "{time}");
        for v in row {
            let _ = write!(s, ",{v}");
        }
        s.push('\n');
    }
    s
}

pub fn trajectory_json(t: &Trajectory) -> String {
    let v = json!({
        "model": t.model,
        "columns": t.columns,
        "times": t.times,
        "rows": t.rows,
        "events": t.events.iter().map(|e| json!({"t": e.t, "kind": e.kind, "detail": e.detail})).collect::<Vec<_>>(),
        "outcome": t.outcome,
        "stats": {"steps": t.stats.steps, "rejected": t.stats.rejected, "rhs_calls": t.stats.rhs_calls},
    });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}

/// The default story: week by week, in plain columns.
pub fn story(t: &Trajectory) -> String {
    let wanted = [
        "love",
        "wanting",
        "loneliness",
        "jealousy",
        "negativity",
        "your_love",
    ];
    let idx: Vec<usize> = wanted
        .iter()
        .filter_map(|w| t.columns.iter().position(|c| c == w))
        .collect();
    let attempts = t.columns.iter().position(|c| c == "contact_attempts");
    let together = t.columns.iter().position(|c| c == "together");
    let mut s = String::new();
    let _ = writeln!(
        s,
        "What happens if you walk away: one run of the walkaway model over {:.0} days\n",
        t.times.last().copied().unwrap_or(0.0)
    );
    let _ = writeln!(
        s,
        "{:>5}  {:>8} {:>8} {:>10} {:>8} {:>10} {:>9} {:>14}  together?",
        "week",
        "love",
        "wanting",
        "loneliness",
        "jealousy",
        "negativity",
        "your love",
        "contacts/week",
    );
    let mut week_contacts = 0.0;
    for (i, row) in t.rows.iter().enumerate() {
        if let Some(a) = attempts {
            week_contacts += row[a];
        }
        let day = t.times[i];
        let last = i + 1 == t.rows.len();
        if (day > 0.0 && (day as u64).is_multiple_of(7)) || last || i == 0 {
            let _ = write!(
                s,
                "{:>5}",
                if i == 0 {
                    "day 0".to_string()
                } else {
                    format!("{:.0}", (day / 7.0).ceil())
                }
            );
            for (k, j) in idx.iter().enumerate() {
                let w = [8, 8, 10, 8, 10, 9][k];
                let _ = write!(s, " {:>w$.3}", row[*j], w = w + if k == 0 { 1 } else { 0 });
            }
            let _ = write!(
                s,
                " {:>14}",
                if i == 0 {
                    "-".to_string()
                } else {
                    format!("{week_contacts:.0}")
                }
            );
            let _ = writeln!(
                s,
                "  {}",
                together.map_or("", |j| if row[j] > 0.5 { "yes" } else { "no" })
            );
            week_contacts = 0.0;
        }
    }
    let _ = writeln!(s, "\nEvents:");
    for e in &t.events {
        let _ = writeln!(s, "  day {:>6.1}: {}", e.t, e.detail);
    }
    if let Some(o) = &t.outcome {
        let _ = writeln!(
            s,
            "\nOutcome on day {:.0}: {o}.",
            t.times.last().copied().unwrap_or(0.0)
        );
    }
    let _ = writeln!(
        s,
        "\nOne run is one possible story. For probabilities over what you cannot know, run `walkaway forecast`."
    );
    let _ = writeln!(s, "{NOT_A_PROPHECY}");
    s
}

fn pct(p: f64) -> String {
    format!("{:5.1}%", 100.0 * p)
}

fn prop(p: &Proportion) -> String {
    format!(
        "{} ({}–{})",
        pct(p.probability),
        pct(p.ci_low).trim(),
        pct(p.ci_high).trim()
    )
}

fn diff(d: &PairedDifference) -> String {
    format!(
        "{:+.1} pts ({:+.1} to {:+.1})",
        100.0 * d.difference,
        100.0 * d.ci_low,
        100.0 * d.ci_high
    )
}

pub fn forecast_table(f: &Forecast, seconds: f64) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Forecast: {} simulated futures over {:.0} days (seed {}).\n",
        f.trajectories,
        f.days.last().copied().unwrap_or(0.0),
        f.seed
    );
    let _ = writeln!(
        s,
        "Outcome at the horizon             probability (95% interval)"
    );
    for o in &f.outcomes {
        let _ = writeln!(s, "  {:32} {}", o.outcome, prop(&o.p));
    }
    let _ = writeln!(
        s,
        "\nEvents by the horizon              probability         median day"
    );
    for e in &f.events {
        let _ = writeln!(
            s,
            "  {:32} {}  {}",
            e.event,
            prop(&e.p),
            e.median_day.map_or("-".into(), |d| format!("{d:.0}"))
        );
    }
    let _ = writeln!(
        s,
        "\nStrategies side by side (same simulated partners)   your partner back   vs. yours"
    );
    for st in &f.strategies {
        let back = st
            .versus_yours
            .iter()
            .find(|(o, _)| *o == walkaway_core::forecast::COMES_BACK)
            .map(|(_, d)| diff(d))
            .unwrap_or_default();
        if st.name == "stay" {
            // Staying is not "getting your partner back": nothing changes.
            let _ = writeln!(
                s,
                "  {:48} (you never leave: the relationship stays as it is)",
                st.label
            );
        } else {
            let _ = writeln!(s, "  {:48} {}   {}", st.label, prop(&st.comes_back), back);
        }
    }
    if !f.attribution.is_empty() {
        let _ = writeln!(
            s,
            "\nWhat drives it: change in \"your partner back\" with one mechanism switched off"
        );
        for m in &f.attribution {
            if let Some((_, d)) = m
                .changes
                .iter()
                .find(|(o, _)| *o == walkaway_core::forecast::COMES_BACK)
            {
                let _ = writeln!(s, "  {:62} {}", m.title, diff(d));
            }
        }
        let _ = writeln!(s, "\n{}", f.drivers);
    }
    let _ = writeln!(
        s,
        "\n({} steps in {seconds:.2} s; {} failed runs)",
        f.steps, f.failures
    );
    let _ = writeln!(s, "{NOT_A_PROPHECY}");
    s
}

fn prop_json(p: &Proportion) -> Value {
    json!({"probability": p.probability, "ci_low": p.ci_low, "ci_high": p.ci_high, "count": p.count, "n": p.n})
}

fn diff_json(d: &PairedDifference) -> Value {
    json!({"difference": d.difference, "ci_low": d.ci_low, "ci_high": d.ci_high})
}

pub fn forecast_json(f: &Forecast, seconds: f64) -> String {
    let outcome = |o: &walkaway_core::forecast::OutcomeProbability| json!({"outcome": o.outcome, "probability": o.p.probability, "ci_low": o.p.ci_low, "ci_high": o.p.ci_high});
    let v = json!({
        "trajectories": f.trajectories,
        "seed": f.seed,
        "failures": f.failures,
        "steps": f.steps,
        "seconds": seconds,
        "outcomes": f.outcomes.iter().map(outcome).collect::<Vec<_>>(),
        "comes_back": prop_json(&f.comes_back),
        "events": f.events.iter().map(|e| json!({"event": e.event, "probability": e.p.probability, "ci_low": e.p.ci_low, "ci_high": e.p.ci_high, "median_day": e.median_day, "cumulative": e.cumulative})).collect::<Vec<_>>(),
        "bid_given_met": prop_json(&f.bid_given_met),
        "bid_given_not_met": prop_json(&f.bid_given_not_met),
        "series": {
            "days": f.days,
            "variables": f.series.iter().map(|v| json!({"name": v.name, "mean": v.mean, "q10": v.q10, "q50": v.q50, "q90": v.q90})).collect::<Vec<_>>(),
        },
        "strategies": f.strategies.iter().map(|s| json!({
            "name": s.name, "label": s.label,
            "outcomes": s.outcomes.iter().map(outcome).collect::<Vec<_>>(),
            "comes_back": prop_json(&s.comes_back),
            "events": s.events.iter().map(|e| json!({"event": e.event, "probability": e.p.probability, "ci_low": e.p.ci_low, "ci_high": e.p.ci_high})).collect::<Vec<_>>(),
            "versus_yours": s.versus_yours.iter().map(|(o, d)| {let mut v = diff_json(d); v["outcome"] = json!(o); v}).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "attribution": f.attribution.iter().map(|m| json!({
            "mechanism": m.mechanism, "title": m.title,
            "changes": m.changes.iter().map(|(o, d)| {let mut v = diff_json(d); v["outcome"] = json!(o); v}).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "drivers": f.drivers,
        "caveat": NOT_A_PROPHECY,
    });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}
