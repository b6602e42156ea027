//! Sentences about a forecast.

use super::*;

pub(super) fn points(x: f64) -> String {
    format!("{:.0}", (x * 100.0).abs())
}

/// One sentence on where your plan leads (who did what) and what drives
/// the chance of being together at the end.
pub fn drivers_sentence(attribution: &[MechanismEffect], yours: &StrategyResult) -> String {
    let mut effects: Vec<(&MechanismEffect, f64)> = attribution
        .iter()
        .map(|m| {
            (
                m,
                m.changes
                    .iter()
                    .find(|(i, _)| *i == TOGETHER)
                    .map_or(0.0, |(_, d)| d.difference),
            )
        })
        .filter(|(_, d)| d.abs() >= 0.005)
        .collect();
    effects.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
    let asked = yours
        .events
        .iter()
        .find(|e| e.event == EventKind::PartnerAsked)
        .map_or(0.0, |e| e.p.probability);
    let base = format!(
        "In this model, with your plan, your partner asks to get back together in about {}% of the simulated futures, and you are together at the end in about {}%.",
        points(asked),
        points(yours.together.p.probability)
    );
    match effects.as_slice() {
        [] => format!("{base} No single mechanism moves that by half a point or more."),
        [(m, d)] => format!(
            "{base} The main driver is {}: without it that chance would {} by {} points.",
            m.title,
            if *d < 0.0 { "fall" } else { "rise" },
            points(*d)
        ),
        [(m1, d1), (m2, d2), ..] => format!(
            "{base} The main drivers are {} (without it that chance would {} by {} points) and {} ({} by {} points).",
            m1.title,
            if *d1 < 0.0 { "fall" } else { "rise" },
            points(*d1),
            m2.title,
            if *d2 < 0.0 { "fall" } else { "rise" },
            points(*d2)
        ),
    }
}
