//! Safety before strategy: whether the answers point to fear, threats,
//! violence, monitoring or control, and what the page says first if so.
//!
//! The model does not represent violence or coercion (docs/model.md §5), so
//! when any of these is present the forecast page leads with this notice and
//! does not compare strategies: leaving can raise the risk, and timing a
//! separation around a dangerous partner is not something a simulation of
//! feelings can advise on.

use serde::Serialize;

use crate::questionnaire::{Answers, SAFETY_ITEMS};

/// How strongly the answers call for the safety notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Nothing ticked that points to danger.
    None,
    /// Monitoring or control, or very high possessiveness: coercive control.
    Concern,
    /// Fear, threats, violence or sexual coercion.
    Danger,
}

/// The assessment shown on the page and returned by the API.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Safety {
    pub level: Level,
    /// The ticked items (and possessiveness) that led here, in plain words.
    pub reasons: Vec<String>,
    /// Whether the strategy comparison is withheld.
    pub strategies_withheld: bool,
    /// The notice, paragraph by paragraph (empty when level is none).
    pub notice: Vec<&'static str>,
}

const DANGER_ITEMS: &[&str] = &["afraid", "threats", "violence", "forced"];
const CONCERN_ITEMS: &[&str] = &["monitoring", "control"];
/// The highest possessiveness answer ("very").
const VERY_POSSESSIVE: u32 = 4;

/// Paragraphs of the notice, in our own words.
pub const NOTICE: &[&str] = &[
    "What you ticked can be signs of abuse or coercive control, and this simulator does not model threats, control or violence. It cannot tell you whether, when or how to leave safely.",
    "Leaving a controlling or violent partner can be the most dangerous time. It is worth planning it with someone trained to help, before your partner knows.",
    "A burst of calls, messages or questions about where you are after you leave is a warning sign, not proof of love.",
    "If you are in danger now, call your local emergency number. A domestic-violence helpline or support service where you live can talk things through in confidence, help you make a safety plan and tell you about shelter and legal protection.",
    "If someone might check this device, use a private window and delete your saved data on the Saved page.",
];

/// Assesses the answers. Pure: the same answers always give the same result.
pub fn assess(answers: &Answers) -> Safety {
    let label = |id: &str| {
        SAFETY_ITEMS
            .iter()
            .find(|(i, _)| *i == id)
            .map_or(id, |(_, l)| *l)
            .to_string()
    };
    let mut reasons: Vec<String> = Vec::new();
    let mut level = Level::None;
    for item in &answers.safety {
        if DANGER_ITEMS.contains(&item.as_str()) {
            level = Level::Danger;
            reasons.push(label(item));
        } else if CONCERN_ITEMS.contains(&item.as_str()) {
            if level == Level::None {
                level = Level::Concern;
            }
            reasons.push(label(item));
        }
    }
    if answers.choices.get("possessiveness") == Some(&VERY_POSSESSIVE) {
        if level == Level::None {
            level = Level::Concern;
        }
        reasons.push("You described your partner as very jealous or possessive".to_string());
    }
    let flagged = level != Level::None;
    Safety {
        level,
        reasons,
        strategies_withheld: flagged,
        notice: if flagged { NOTICE.to_vec() } else { Vec::new() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(safety: &[&str], possessive: Option<u32>) -> Answers {
        let mut a = Answers {
            safety: safety.iter().map(|s| s.to_string()).collect(),
            ..Answers::default()
        };
        if let Some(p) = possessive {
            a.choices.insert("possessiveness".into(), p);
        }
        a
    }

    #[test]
    fn nothing_ticked_means_no_notice() {
        let s = assess(&with(&[], Some(2)));
        assert_eq!(s.level, Level::None);
        assert!(!s.strategies_withheld && s.notice.is_empty() && s.reasons.is_empty());
    }

    #[test]
    fn each_danger_item_leads_with_the_notice() {
        for item in DANGER_ITEMS {
            let s = assess(&with(&[item], None));
            assert_eq!(s.level, Level::Danger, "{item}");
            assert!(s.strategies_withheld);
            assert_eq!(s.reasons.len(), 1);
            assert!(
                s.notice
                    .iter()
                    .any(|p| p.contains("warning sign, not proof of love"))
            );
            assert!(s.notice.iter().any(|p| p.contains("emergency")));
        }
    }

    #[test]
    fn monitoring_control_and_high_possessiveness_are_a_concern() {
        assert_eq!(assess(&with(&["monitoring"], None)).level, Level::Concern);
        assert_eq!(assess(&with(&["control"], None)).level, Level::Concern);
        let s = assess(&with(&[], Some(VERY_POSSESSIVE)));
        assert_eq!(s.level, Level::Concern);
        assert!(s.strategies_withheld);
        // Danger outranks concern whatever the order.
        assert_eq!(
            assess(&with(&["control", "afraid"], Some(4))).level,
            Level::Danger
        );
        assert_eq!(assess(&with(&["afraid", "control"], None)).reasons.len(), 2);
    }

    #[test]
    fn the_notice_is_gender_neutral() {
        for p in NOTICE {
            for word in [" he ", " she ", " him ", " her ", " his ", " hers "] {
                assert!(!p.to_lowercase().contains(word), "{p}");
            }
        }
    }
}
