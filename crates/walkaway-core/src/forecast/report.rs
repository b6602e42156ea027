//! Sentences about a forecast.

use super::*;

pub(super) fn points(x: f64) -> String {
    format!("{:.0}", (x * 100.0).abs())
}

/// What the model cannot know, shown next to every forecast (the web page's
/// "What this model cannot know"). Which mechanisms rest on analogy is
/// documented per mechanism in docs/evidence.md §1 and docs/model.md.
pub const LIMITS: &[&str] = &[
    "This is a model, not a prophecy: the percentages describe simulated futures of a partner like the one you described, not your partner.",
    "Most rates in the model are our assumptions. The range \u{201c}across plausible models\u{201d} next to each percentage lets those assumed rates vary within ranges we chose; it shows how much the answer depends on them, not a measurement.",
    "Longing, the chase, nostalgia, jealousy and the tipping point between love that grows and love that collapses come from studies of first attraction, memory and jealousy, and from theory: none was measured in a partner after being left.",
    "What is better supported: feelings for an ex usually fade over the first weeks (more slowly with contact), new relationships usually take months, and couples who get back together often break up again.",
    "Repeated contact after a clear no is unwanted pursuit, a warning sign, not proof of love. Threats, coercion and violence are not in the model at all, so it cannot tell you how safe leaving is.",
    "Your own pain, loneliness and the support around you are not modelled, nor are children, a shared home, money or friends.",
];

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
