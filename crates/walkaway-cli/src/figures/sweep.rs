//! The figure of a sweep table (`walkaway sweep --plot`, `walkaway merge
//! --plot`, `walkaway plot sweep`).

use walkaway_core::models::walkaway::INFO as WALKAWAY;
use walkaway_export::Table;
use walkaway_plot::{Band, Figure, HeatMap, Line, LineChart, ValueStyle};

use crate::common::Failure;

/// The column a heat map shows by default.
pub const COMES_BACK_COLUMN: &str = "p_together";

/// An axis label with the parameter's unit, when the column is a walkaway
/// parameter.
fn axis_label(column: &str) -> String {
    match WALKAWAY.param_index(column) {
        Ok(i) => {
            let spec = &WALKAWAY.params[i];
            let unit = match spec.unit {
                "1" | "" => String::new(),
                u => format!(" ({u})"),
            };
            format!("{} — {}{unit}", column, short(spec.description))
        }
        Err(_) => column.to_string(),
    }
}

fn short(description: &str) -> String {
    let first = description
        .split(['(', ':', ';'])
        .next()
        .unwrap_or("")
        .trim();
    let mut s: String = first.chars().take(40).collect();
    if first.chars().count() > 40 {
        s.push('…');
    }
    s.to_lowercase()
}

fn value_label(column: &str) -> String {
    let stem = column.trim_start_matches("p_");
    let what = match stem {
        "together" => "chance you two are together at the end (still or again)",
        "still_together" => "chance neither of you ever left",
        "back_together_changed" => "chance you are back together and the change lasted",
        "back_together_unchanged" => "chance you are back together and nothing lasting changed",
        "apart_unresolved" => "chance you are apart and still have feelings",
        "partner_asked" => "chance your partner asks to get back together",
        "partner_met_someone" => "chance your partner starts a new relationship",
        "partner_moved_on" => "chance your partner moved on",
        "you_moved_on" => "chance you moved on",
        _ => return column.to_string(),
    };
    what.to_string()
}

/// The figure of a sweep table: a heat map for two axes, a line with its
/// interval for one. The axes are the columns before `trajectories`.
pub fn sweep_figure(table: &Table, column: &str, seed: Option<u64>) -> Result<Figure, Failure> {
    let names: Vec<&str> = table.columns().iter().map(|c| c.name.as_str()).collect();
    let axes = names
        .iter()
        .position(|n| *n == "trajectories")
        .filter(|k| (1..=2).contains(k))
        .ok_or_else(|| {
            Failure::Input(
                "the table is not a sweep: it needs one or two axis columns followed by \
                 `trajectories` (as `walkaway sweep` writes)"
                    .into(),
            )
        })?;
    let numbers = |name: &str| -> Result<Vec<f64>, Failure> {
        table
            .column(name)
            .and_then(|c| c.values.as_f64())
            .ok_or_else(|| {
                let known: Vec<&str> = names
                    .iter()
                    .copied()
                    .filter(|n| {
                        n.starts_with("p_") && !n.ends_with("_low") && !n.ends_with("_high")
                    })
                    .collect();
                Failure::Input(format!(
                    "--value `{name}` is not a numeric column of the table; allowed: {}",
                    known.join(", ")
                ))
            })
    };
    let values = numbers(column)?;
    let n = numbers("trajectories")?.first().copied().unwrap_or(0.0);
    // A table read back from a file does not hold the seed: say only what is known.
    let seed = seed.map(|s| format!(", seed {s}")).unwrap_or_default();
    let note = format!(
        "{n} simulated futures per cell{seed}, the same futures in every cell. A model, not a prophecy."
    );
    let is_probability = column.starts_with("p_");
    // The title names what is shown, not a verdict on walking away.
    let title = {
        let v = value_label(column);
        let mut c = v.chars();
        match c.next() {
            Some(first) => first.to_uppercase().chain(c).collect::<String>(),
            None => v,
        }
    };
    let xs = numbers(names[0])?;
    if axes == 1 {
        let low = numbers(&format!("{column}_low")).unwrap_or_else(|_| values.clone());
        let high = numbers(&format!("{column}_high")).unwrap_or_else(|_| values.clone());
        return Ok(Figure::Lines(LineChart {
            title: title.clone(),
            x_label: axis_label(names[0]),
            y_label: value_label(column),
            lines: vec![Line {
                label: "estimate".into(),
                x: xs.clone(),
                y: values,
                dashed: false,
            }],
            bands: vec![Band {
                label: "95% interval".into(),
                x: xs,
                low,
                high,
            }],
            markers: Vec::new(),
            y_range: is_probability.then_some((0.0, 1.0)),
            note,
        }));
    }
    let ys = numbers(names[1])?;
    let x_values = distinct(&xs);
    let y_values = distinct(&ys);
    let (nx, ny) = (x_values.len(), y_values.len());
    if nx * ny != values.len() {
        return Err(Failure::Input(format!(
            "the sweep table has {} rows, not a full {nx}×{ny} grid",
            values.len()
        )));
    }
    let mut grid = vec![f64::NAN; nx * ny];
    for k in 0..values.len() {
        let i = x_values.iter().position(|v| *v == xs[k]).unwrap_or(0);
        let j = y_values.iter().position(|v| *v == ys[k]).unwrap_or(0);
        grid[j * nx + i] = values[k];
    }
    Ok(Figure::Heat(HeatMap {
        title,
        x_label: axis_label(names[0]),
        y_label: axis_label(names[1]),
        value_label: if is_probability {
            format!("{} (%)", value_label(column))
        } else {
            value_label(column)
        },
        x_values,
        y_values,
        values: grid,
        range: is_probability.then_some((0.0, 1.0)),
        style: if is_probability {
            ValueStyle::Percent
        } else {
            ValueStyle::Plain
        },
        note,
    }))
}

fn distinct(v: &[f64]) -> Vec<f64> {
    let mut d: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
    d.sort_by(f64::total_cmp);
    d.dedup();
    d
}
