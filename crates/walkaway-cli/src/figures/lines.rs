//! Line charts over time: one run of a model, and the forecast's fan of
//! futures.

use walkaway_core::forecast::Forecast;
use walkaway_core::models::walkaway::INFO as WALKAWAY;
use walkaway_core::{ModelInfo, Trajectory};
use walkaway_plot::{Band, Figure, Line, LineChart, Marker};

use super::short_title;
use crate::common::Failure;

/// The time series of one run; `vars` is the comma-separated list of
/// `--vars` (default: all states, or love, wanting and your_love for the
/// walkaway model).
pub fn run_figure(
    info: &ModelInfo,
    traj: &Trajectory,
    vars: Option<&str>,
) -> Result<Figure, Failure> {
    let default_vars = if info.id == WALKAWAY.id {
        vec!["love".to_string(), "wanting".into(), "your_love".into()]
    } else {
        info.states.iter().map(|s| s.name.to_string()).collect()
    };
    let chosen = match vars {
        Some(v) => v.split(',').map(|s| s.trim().to_string()).collect(),
        None => default_vars,
    };
    let unit = common_unit(info, &chosen);
    let mixed = unit.ends_with("(see each label)");
    let mut lines = Vec::new();
    for name in &chosen {
        let y = traj.column(name).ok_or_else(|| {
            Failure::Input(format!(
                "--vars: `{name}` is not a column of `{}`; allowed: {}",
                info.id,
                traj.columns.join(", ")
            ))
        })?;
        let state_unit = info
            .states
            .iter()
            .find(|s| s.name == name)
            .map_or("", |s| s.unit);
        lines.push(Line {
            label: if mixed && !state_unit.is_empty() {
                format!("{name} ({state_unit})")
            } else {
                name.clone()
            },
            x: traj.times.clone(),
            y,
            dashed: false,
        });
    }
    let markers = traj
        .events
        .iter()
        .filter(|e| e.t > traj.times.first().copied().unwrap_or(0.0))
        .take(8)
        .map(|e| Marker {
            x: e.t,
            label: e.kind.replace('-', " "),
        })
        .collect();
    Ok(Figure::Lines(LineChart {
        title: format!("{} — one run", short_title(info)),
        x_label: format!("time ({})", info.time_unit),
        y_label: unit,
        lines,
        bands: Vec::new(),
        markers,
        y_range: None,
        note: match &traj.outcome {
            Some(o) => format!(
                "Outcome at the horizon: {o}. One run with central values; a model, not a prophecy."
            ),
            None => format!("Model: {}.", info.title),
        },
    }))
}

/// The forecast's fan: median and 10–90% band of futures, day by day, for
/// the comma-separated `vars`.
pub fn forecast_figure(f: &Forecast, vars: &str) -> Result<Figure, Failure> {
    let known: Vec<&str> = f.series.iter().map(|s| s.name).collect();
    let mut lines = Vec::new();
    let mut bands = Vec::new();
    let chosen: Vec<&str> = vars.split(',').map(str::trim).collect();
    for name in &chosen {
        let s = f.series.iter().find(|s| s.name == *name).ok_or_else(|| {
            Failure::Input(format!(
                "--vars: `{name}` has no daily series; allowed: {}",
                known.join(", ")
            ))
        })?;
        let plain = plain_state_name(name);
        lines.push(Line {
            label: format!("{plain}: median"),
            x: f.days.clone(),
            y: s.q50.clone(),
            dashed: false,
        });
        bands.push(Band {
            label: format!("{plain}: 10–90%"),
            x: f.days.clone(),
            low: s.q10.clone(),
            high: s.q90.clone(),
        });
    }
    Ok(Figure::Lines(LineChart {
        title: format!("After you walk away: {} simulated futures", f.trajectories),
        x_label: "day after you walk away".into(),
        y_label: "level (love scale; 0 = indifferent)".into(),
        lines,
        bands,
        markers: Vec::new(),
        y_range: None,
        note: format!(
            "You two are together at the end in {:.0}% of futures (95% interval {:.0}–{:.0}%). Seed {}. A model, not a prophecy.",
            100.0 * f.yours.together.p.probability,
            100.0 * f.yours.together.p.ci_low,
            100.0 * f.yours.together.p.ci_high,
            f.seed
        ),
    }))
}

/// A walkaway state in words ("your partner's love" for `love`): its
/// description up to the first comma, bracket or " for ", so that the legend says
/// whose feeling it is.
fn plain_state_name(name: &str) -> String {
    match WALKAWAY.states.iter().find(|s| s.name == name) {
        Some(s) => {
            let d = s.description;
            let cut = [d.find([',', '(', ':']), d.find(" for ")]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(d.len());
            d[..cut].trim().to_string()
        }
        None => name.replace('_', " "),
    }
}

/// The vertical axis's label: the states' shared unit, or a pointer to the
/// labels when they differ.
fn common_unit(info: &ModelInfo, vars: &[String]) -> String {
    let units: Vec<&str> = vars
        .iter()
        .filter_map(|v| info.states.iter().find(|s| s.name == v))
        .map(|s| s.unit)
        .collect();
    match units.first() {
        Some(u) if units.iter().all(|x| x == u) && !u.is_empty() => format!("level ({u})"),
        _ => "level (see each label)".into(),
    }
}
