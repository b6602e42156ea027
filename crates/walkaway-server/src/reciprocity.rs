//! The give-and-take reading next to a forecast: whether, by the person's
//! own answers, one of the two puts clearly more into the relationship.
//!
//! It reads the two effort answers directly and says "can't tell" when
//! either is "not sure": an unanswered question is not evidence. It never
//! turns the reading into advice; what to do is the person's decision.
//! The direction (giving much more than you get back wears down love and
//! satisfaction) is from Sprecher (2001); the size of the step that counts
//! as "clearly more" (two of the five answer levels) is our assumption.

use serde::Serialize;

use crate::questionnaire::{Answers, QUESTIONS};

/// The reading of the two effort answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// One or both effort answers were "not sure".
    CantTell,
    /// You put clearly more in than your partner.
    YouGiveMore,
    /// About the same effort on both sides.
    Balanced,
    /// Your partner puts clearly more in than you.
    PartnerGivesMore,
}

/// How many answer levels apart counts as "clearly more".
pub const CLEAR_GAP: i64 = 2;
/// From this answer on ("often"), how often you are treated badly is named.
const OFTEN: u32 = 3;

/// What the page shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reading {
    pub verdict: Verdict,
    pub title: &'static str,
    /// Plain sentences, in order.
    pub message: Vec<String>,
}

fn option_label(question: &str, index: u32) -> Option<&'static str> {
    QUESTIONS
        .iter()
        .find(|q| q.id == question)
        .and_then(|q| q.options.get(index as usize).copied())
}

/// Reads validated answers.
pub fn assess(answers: &Answers) -> Reading {
    let yours = answers.choices.get("your_effort").copied();
    let theirs = answers.choices.get("partner_effort").copied();
    let closing = "What this means for you, and what you do about it, is yours to decide; the forecast below describes what tends to follow in a model, not what you should do.".to_string();
    let (verdict, title, mut message) = match (yours, theirs) {
        (Some(y), Some(t)) => {
            let said = format!(
                "You said you put in “{}” and your partner “{}”.",
                option_label("your_effort", y).unwrap_or("?"),
                option_label("partner_effort", t).unwrap_or("?")
            );
            let gap = i64::from(y) - i64::from(t);
            if gap >= CLEAR_GAP {
                (
                    Verdict::YouGiveMore,
                    "By your answers, you give clearly more than you get back",
                    vec![
                        said,
                        "Studies of couples find that giving much more than you receive tends to wear down love and satisfaction over time (Sprecher 2001).".to_string(),
                    ],
                )
            } else if gap <= -CLEAR_GAP {
                (
                    Verdict::PartnerGivesMore,
                    "By your answers, your partner puts in clearly more than you",
                    vec![said],
                )
            } else {
                (
                    Verdict::Balanced,
                    "By your answers, the effort on both sides is about the same",
                    vec![said],
                )
            }
        }
        _ => (
            Verdict::CantTell,
            "Can't tell whether the give and take is balanced",
            vec!["You left your own effort or your partner's effort at “not sure”, so there is nothing to compare. That is fine; the forecast does not need it.".to_string()],
        ),
    };
    if let Some(n) = answers.choices.get("negativity").copied()
        && n >= OFTEN
    {
        message.push(format!(
            "You also said your partner treats you badly “{}”. That counts against what you get back, whatever the effort.",
            option_label("negativity", n).unwrap_or("often")
        ));
    }
    message.push(closing);
    Reading {
        verdict,
        title,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(pairs: &[(&str, u32)]) -> Answers {
        Answers {
            choices: pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            safety: Vec::new(),
        }
    }

    #[test]
    fn not_sure_gives_no_verdict() {
        assert_eq!(assess(&Answers::default()).verdict, Verdict::CantTell);
        assert_eq!(
            assess(&with(&[("your_effort", 4)])).verdict,
            Verdict::CantTell
        );
    }

    #[test]
    fn equal_effort_is_balanced_even_when_treated_badly_sometimes() {
        let r = assess(&with(&[
            ("your_effort", 3),
            ("partner_effort", 3),
            ("negativity", 2),
        ]));
        assert_eq!(r.verdict, Verdict::Balanced);
        assert!(!r.message.iter().any(|m| m.contains("treats you badly")));
    }

    #[test]
    fn a_clear_gap_is_named_in_both_directions() {
        let r = assess(&with(&[
            ("your_effort", 4),
            ("partner_effort", 1),
            ("negativity", 3),
        ]));
        assert_eq!(r.verdict, Verdict::YouGiveMore);
        assert!(r.message.iter().any(|m| m.contains("“often”")));
        assert_eq!(
            assess(&with(&[("your_effort", 0), ("partner_effort", 2)])).verdict,
            Verdict::PartnerGivesMore
        );
    }

    #[test]
    fn the_reading_never_pushes_a_choice_and_uses_no_formula() {
        for a in [
            with(&[]),
            with(&[("your_effort", 4), ("partner_effort", 0), ("negativity", 4)]),
            with(&[("your_effort", 2), ("partner_effort", 2)]),
        ] {
            let r = assess(&a);
            let text = format!("{} {}", r.title, r.message.join(" ")).to_lowercase();
            for pushy in [
                "is right",
                "should leave",
                "leave",
                "toxic",
                "article",
                "gap =",
                "×",
            ] {
                assert!(!text.contains(pushy), "{pushy} in {text}");
            }
            assert!(text.contains("yours to decide"));
            for word in [" he ", " she ", " him ", " her ", " his "] {
                assert!(!text.contains(word), "{text}");
            }
        }
    }
}
