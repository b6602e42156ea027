//! Sentences about a forecast.

use super::*;

pub(super) fn points(x: f64) -> String {
    format!("{:.0}", (x * 100.0).abs())
}

/// One sentence on what drives the chance that your partner comes back.
pub fn drivers_sentence(attribution: &[MechanismEffect], comes_back: &Proportion) -> String {
    let mut effects: Vec<(&MechanismEffect, f64)> = attribution
        .iter()
        .map(|m| {
            (
                m,
                m.changes
                    .iter()
                    .find(|(o, _)| *o == COMES_BACK)
                    .map_or(0.0, |(_, d)| d.difference),
            )
        })
        .filter(|(_, d)| d.abs() >= 0.005)
        .collect();
    effects.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
    let base = format!(
        "In this model your partner comes back in about {}% of the simulated futures.",
        points(comes_back.probability)
    );
    match effects.as_slice() {
        [] => format!("{base} No single mechanism moves that by half a point or more."),
        [(m, d)] => format!(
            "{base} The main driver is {}: without it the chance would {} by {} points.",
            m.title,
            if *d < 0.0 { "fall" } else { "rise" },
            points(*d)
        ),
        [(m1, d1), (m2, d2), ..] => format!(
            "{base} The main drivers are {} (without it the chance would {} by {} points) and {} ({} by {} points).",
            m1.title,
            if *d1 < 0.0 { "fall" } else { "rise" },
            points(*d1),
            m2.title,
            if *d2 < 0.0 { "fall" } else { "rise" },
            points(*d2)
        ),
    }
}
