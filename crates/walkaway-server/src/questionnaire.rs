//! "Should I walk away?": the questions, and how answers become parameter
//! distributions of the walkaway model. docs/questionnaire.md states each
//! mapping and its basis; this module is the single source of both the
//! questions shown on the page and the numbers behind them.
//!
//! An answer is the index of the chosen option; a missing answer means "not
//! sure" and keeps the default population's distribution for that parameter
//! (docs/calibration.md). Answers about your partner are uncertain reports,
//! so they become distributions (beta, concentration [`CONCENTRATION`]),
//! not fixed values; answers about yourself are tighter.

use std::collections::BTreeMap;

use serde::Serialize;
use walkaway_core::distribution::Distribution;
use walkaway_core::forecast::Strategy;
use walkaway_core::models::walkaway::INFO;
use walkaway_core::population::Population;

use crate::error::ApiError;

/// How concentrated a beta distribution built from one answer about your
/// partner is: a + b. At a mean of 0.5 this gives a standard deviation of
/// 0.15, i.e. "somewhere around the middle", not a measurement.
pub const CONCENTRATION: f64 = 10.0;
/// The same for answers about yourself (you know your own effort better).
pub const OWN_CONCENTRATION: f64 = 24.0;

/// What a question sets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    /// A 0–1 parameter drawn from Beta(mean·κ, (1 − mean)·κ).
    Beta {
        param: &'static str,
        means: &'static [f64],
        concentration: f64,
    },
    /// Your love (0–1.5 love scale): a truncated normal.
    Normal {
        param: &'static str,
        means: &'static [f64],
        sd: f64,
    },
    /// A fixed value (something you know).
    Fixed {
        param: &'static str,
        values: &'static [f64],
    },
    /// Shifts the mean of another answer's beta (relationship length moves
    /// investment).
    Shift {
        param: &'static str,
        shifts: &'static [f64],
    },
    /// Your plan: the separation schedule of "your" strategy.
    Plan,
    /// Yes/no safety items (several may be ticked); never model input.
    Safety,
}

/// One question of the page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Question {
    pub id: &'static str,
    pub text: &'static str,
    /// Shown under the question.
    pub help: &'static str,
    pub options: &'static [&'static str],
    pub target: Target,
    /// The source the direction of the mapping rests on (docs/questionnaire.md).
    pub basis: &'static str,
}

/// The safety items, by id, in the order shown.
pub const SAFETY_ITEMS: &[(&str, &str)] = &[
    ("afraid", "I am afraid of my partner"),
    (
        "threats",
        "My partner has threatened me, my children, my pets, or to hurt themselves if I leave",
    ),
    (
        "violence",
        "My partner has pushed, hit, choked or otherwise physically hurt me",
    ),
    (
        "monitoring",
        "My partner checks my phone, tracks where I am or reads my messages",
    ),
    (
        "control",
        "My partner controls my money, who I see or where I go",
    ),
    (
        "forced",
        "My partner has pressured or forced me into sexual acts",
    ),
];

/// The plan used when "What are you thinking of doing?" is answered "not
/// sure": things as they are, the comparison every other way is measured
/// against, so that no way of leaving is assumed for the person.
pub const NOT_SURE_PLAN: usize = 0;

/// The plan options: (label, separation.length (days; `None` = the whole
/// horizon), contact while apart, separation.after index).
pub const PLANS: &[(&str, Option<f64>, f64, f64)] = &[
    ("stay as things are", Some(0.0), 1.0, 0.0),
    ("pull back partly (about half the contact)", None, 0.5, 0.0),
    ("no contact for 30 days, then decide", Some(30.0), 0.0, 2.0),
    ("no contact for 90 days, then decide", Some(90.0), 0.0, 2.0),
    ("leave for good", None, 0.0, 0.0),
];

const FIVE_LEVELS: &[f64] = &[0.1, 0.3, 0.5, 0.7, 0.9];

/// The questions in the order shown: safety first, so that a person in
/// danger meets the help before anything about strategy.
pub static QUESTIONS: &[Question] = &[
    Question {
        id: "safety",
        text: "Does any of this happen? Tick all that apply.",
        help: "These answers never go into the model. They decide whether this page talks about your safety first.",
        options: &[],
        target: Target::Safety,
        basis: "Safety before strategy (CONTRIBUTING.md; docs/model.md §5)",
    },
    Question {
        id: "satisfaction",
        text: "How happy does your partner seem with the relationship?",
        help: "Think of the last few months, not the best or worst day.",
        options: &[
            "very unhappy",
            "rather unhappy",
            "mixed",
            "mostly happy",
            "very happy",
        ],
        target: Target::Beta {
            param: "partner.satisfaction",
            means: &[0.1, 0.3, 0.5, 0.7, 0.85],
            concentration: CONCENTRATION,
        },
        basis: "Investment Model: satisfaction raises commitment (Rusbult 1983; Le & Agnew 2003)",
    },
    Question {
        id: "investment",
        text: "How much would your partner lose by ending it — shared home, friends in common, plans, time put in?",
        help: "Things that would be lost or hard to get back.",
        options: &["almost nothing", "a little", "some", "a lot", "very much"],
        target: Target::Beta {
            param: "partner.investment",
            means: FIVE_LEVELS,
            concentration: CONCENTRATION,
        },
        basis: "Investment Model: investment raises commitment (Rusbult 1983; Le & Agnew 2003)",
    },
    Question {
        id: "alternatives",
        text: "If you split up, how easily could your partner find someone else, or be content alone?",
        help: "How good the alternatives look to them, as far as you can tell.",
        options: &[
            "very hard",
            "rather hard",
            "somewhere in between",
            "rather easily",
            "very easily",
        ],
        target: Target::Beta {
            param: "partner.alternatives",
            means: FIVE_LEVELS,
            concentration: CONCENTRATION,
        },
        basis: "Investment Model: good alternatives lower commitment (Rusbult 1983; Le & Agnew 2003)",
    },
    Question {
        id: "years",
        text: "How long have you been together?",
        help: "Longer relationships usually carry more shared investment.",
        options: &[
            "under 6 months",
            "6 to 12 months",
            "1 to 3 years",
            "3 to 10 years",
            "over 10 years",
        ],
        target: Target::Shift {
            param: "partner.investment",
            shifts: &[-0.15, -0.08, 0.0, 0.08, 0.15],
        },
        basis: "Investment size grows with time together (Rusbult 1983); the size of the shift is our assumption",
    },
    Question {
        id: "anxiety",
        text: "When you pull back a little, how does your partner react?",
        help: "For example when you are busy for a few days.",
        options: &[
            "pulls back too",
            "hardly notices",
            "gets a bit unsettled",
            "seeks a lot of reassurance",
            "panics or clings",
        ],
        target: Target::Beta {
            param: "partner.attachment_anxiety",
            means: FIVE_LEVELS,
            concentration: CONCENTRATION,
        },
        basis: "Attachment anxiety: fear of abandonment and reassurance seeking (attachment research; see docs/model.md)",
    },
    Question {
        id: "responsiveness",
        text: "When you show your partner love, do they warm up towards you?",
        help: "Their reaction to being loved.",
        options: &[
            "no, they cool down",
            "not really",
            "a little",
            "yes, usually",
            "yes, clearly",
        ],
        target: Target::Beta {
            param: "partner.responsiveness",
            means: FIVE_LEVELS,
            concentration: CONCENTRATION,
        },
        basis: "Reaction to love in Rinaldi's love dynamics (Rinaldi 1998)",
    },
    Question {
        id: "negativity",
        text: "How often does your partner treat you badly — put-downs, ignoring you, broken promises?",
        help: "How often, not how bad.",
        options: &["never", "rarely", "sometimes", "often", "almost always"],
        target: Target::Beta {
            param: "partner.negativity",
            means: &[0.05, 0.25, 0.5, 0.7, 0.9],
            concentration: CONCENTRATION,
        },
        basis: "How often the partner behaves badly; day-0 negativity of the model (docs/model.md, mechanism 5)",
    },
    Question {
        id: "possessiveness",
        text: "How jealous or possessive is your partner?",
        help: "Wanting to know where you are and who you are with. If it frightens you, tick the safety items at the top too.",
        options: &["not at all", "a little", "somewhat", "quite", "very"],
        target: Target::Beta {
            param: "partner.possessiveness",
            means: FIVE_LEVELS,
            concentration: CONCENTRATION,
        },
        basis: "Jealousy and possessiveness drive bursts of contact after a separation (docs/model.md, mechanism 6)",
    },
    Question {
        id: "partner_effort",
        text: "How much effort does your partner put into the relationship?",
        help: "Time, care, attention, keeping promises.",
        options: &[
            "almost none",
            "a little",
            "some",
            "a lot",
            "as much as they can",
        ],
        target: Target::Beta {
            param: "partner.effort",
            means: FIVE_LEVELS,
            concentration: CONCENTRATION,
        },
        basis: "Reciprocity: the balance of effort given and received (Sprecher 2001)",
    },
    Question {
        id: "your_effort",
        text: "How much effort do you put into the relationship?",
        help: "The same measure, for you.",
        options: &[
            "almost none",
            "a little",
            "some",
            "a lot",
            "as much as I can",
        ],
        target: Target::Beta {
            param: "you.effort",
            means: FIVE_LEVELS,
            concentration: OWN_CONCENTRATION,
        },
        basis: "Reciprocity: under-benefit lowers love and satisfaction (Sprecher 2001)",
    },
    Question {
        id: "your_love",
        text: "How strong are your own feelings for your partner right now?",
        help: "Not how you felt at the start.",
        options: &["hardly any", "weak", "moderate", "strong", "very strong"],
        target: Target::Normal {
            param: "you.love",
            means: &[0.15, 0.4, 0.7, 1.0, 1.3],
            sd: 0.1,
        },
        basis: "Your love Y on the model's love scale (Rinaldi 1998; docs/model.md)",
    },
    Question {
        id: "social",
        text: "How full is your partner's social life — friends, family, going out?",
        help: "People to turn to when you are not there.",
        options: &[
            "very empty",
            "rather empty",
            "average",
            "rather full",
            "very full",
        ],
        target: Target::Beta {
            param: "partner.social",
            means: FIVE_LEVELS,
            concentration: CONCENTRATION,
        },
        basis: "Social ties ease loneliness and widen the chance of meeting someone new (docs/model.md, mechanisms 3 and 11)",
    },
    Question {
        id: "stress",
        text: "How stressed is your partner by other things — work, money, family?",
        help: "Stress that spills into how they treat you.",
        options: &["not at all", "a little", "somewhat", "quite", "very"],
        target: Target::Beta {
            param: "partner.stress",
            means: FIVE_LEVELS,
            concentration: CONCENTRATION,
        },
        basis: "Stress raises negative behaviour; space lets it fall (docs/model.md, mechanism 7)",
    },
    Question {
        id: "past_breakups",
        text: "How many times have you two broken up and got back together before?",
        help: "On-again, off-again couples tend to cycle again.",
        options: &["never", "once", "twice", "three times or more"],
        target: Target::Fixed {
            param: "relationship.past_returns",
            values: &[0.0, 1.0, 2.0, 4.0],
        },
        basis: "Relationship cycling and renewals (Dailey et al. 2011; Halpern-Meekin et al. 2013)",
    },
    Question {
        id: "take_back",
        text: "If your partner asked to get back together, what would you want?",
        help: "Your answer, not a prediction of theirs.",
        options: &[
            "to say yes readily",
            "yes, but only if things clearly changed",
            "no, I don't want them back",
        ],
        target: Target::Fixed {
            param: "you.accept_threshold",
            values: &[0.15, 0.35, 1.5],
        },
        basis: "Your own threshold for accepting a bid (docs/model.md); a choice, not an estimate",
    },
    Question {
        id: "plan",
        text: "What are you thinking of doing?",
        help: "Other ways are shown side by side with yours.",
        options: &[PLANS[0].0, PLANS[1].0, PLANS[2].0, PLANS[3].0, PLANS[4].0],
        target: Target::Plan,
        basis: "The separation schedule (docs/model.md); not a recommendation",
    },
];

/// The answers as sent by the page: question id → option index, and the
/// ticked safety items.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Answers {
    #[serde(default, deserialize_with = "crate::json::whole::map")]
    #[schema(schema_with = crate::openapi::choices_schema)]
    pub choices: BTreeMap<String, u32>,
    #[serde(default)]
    #[schema(schema_with = crate::openapi::safety_schema)]
    pub safety: Vec<String>,
}

/// What the answers mean for the model.
#[derive(Debug, Clone)]
pub struct Mapped {
    pub population: Population,
    /// "Your" plan as a strategy.
    pub plan: Strategy,
    /// The plan's index in [`PLANS`].
    pub plan_index: usize,
    /// Whether the person picked the plan (false: "not sure", [`NOT_SURE_PLAN`]).
    pub plan_chosen: bool,
}

fn beta(mean: f64, concentration: f64) -> Distribution {
    let m = mean.clamp(0.02, 0.98);
    Distribution::beta(m * concentration, (1.0 - m) * concentration)
}

/// The label of option `index` of a question, if it exists.
fn option_error(q: &Question, field: String, value: u32) -> ApiError {
    let listed: Vec<String> = q
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| format!("{i} ({o})"))
        .collect();
    ApiError::invalid(
        field,
        value.to_string(),
        format!("one of {}", listed.join(", ")),
    )
}

/// Checks the answers: known question ids, option indices in range, known
/// safety items without repeats.
pub fn validate(answers: &Answers) -> Result<(), ApiError> {
    for (id, value) in &answers.choices {
        let field = format!("answers.choices.{id}");
        let Some(q) = QUESTIONS
            .iter()
            .find(|q| q.id == id && !q.options.is_empty())
        else {
            let known: Vec<&str> = QUESTIONS
                .iter()
                .filter(|q| !q.options.is_empty())
                .map(|q| q.id)
                .collect();
            return Err(ApiError::invalid(
                field,
                id.clone(),
                format!("a question id: {}", known.join(", ")),
            ));
        };
        if *value as usize >= q.options.len() {
            return Err(option_error(q, field, *value));
        }
    }
    for (i, item) in answers.safety.iter().enumerate() {
        if !SAFETY_ITEMS.iter().any(|(id, _)| id == item) {
            let known: Vec<&str> = SAFETY_ITEMS.iter().map(|(id, _)| *id).collect();
            return Err(ApiError::invalid(
                format!("answers.safety[{i}]"),
                item.clone(),
                format!("one of {}", known.join(", ")),
            ));
        }
        if answers.safety[..i].contains(item) {
            return Err(ApiError::invalid(
                format!("answers.safety[{i}]"),
                item.clone(),
                "each safety item at most once".to_string(),
            ));
        }
    }
    Ok(())
}

/// Maps validated answers to the population the forecast draws from and to
/// your plan over a horizon of `horizon` days.
pub fn map_answers(answers: &Answers, horizon: f64) -> Result<Mapped, ApiError> {
    validate(answers)?;
    let mut population = Population::walkaway_default();
    let idx = |name: &str| INFO.param_index(name).expect("walkaway parameter");
    let chosen = |id: &str| answers.choices.get(id).map(|v| *v as usize);
    // Shifts apply to the mean of the answer they modify.
    let shift_of = |param: &str| -> f64 {
        QUESTIONS
            .iter()
            .filter_map(|q| match q.target {
                Target::Shift { param: p, shifts } if p == param => chosen(q.id).map(|i| shifts[i]),
                _ => None,
            })
            .sum()
    };
    for q in QUESTIONS {
        let Some(i) = chosen(q.id) else {
            continue;
        };
        match q.target {
            Target::Beta {
                param,
                means,
                concentration,
            } => population.spread(idx(param), beta(means[i] + shift_of(param), concentration)),
            Target::Normal { param, means, sd } => {
                let spec = &INFO.params[idx(param)];
                population.spread(
                    idx(param),
                    Distribution::Normal {
                        mean: means[i],
                        sd,
                        min: spec.min,
                        max: spec.max,
                    },
                );
            }
            Target::Fixed { param, values } => population.fix(idx(param), values[i]),
            Target::Shift { .. } | Target::Plan | Target::Safety => {}
        }
    }
    // Relationship length without an investment answer shifts the default.
    if chosen("investment").is_none() && chosen("years").is_some() {
        population.spread(
            idx("partner.investment"),
            beta(0.5 + shift_of("partner.investment"), CONCENTRATION),
        );
    }
    let plan_chosen = chosen("plan").is_some();
    let plan_index = chosen("plan").unwrap_or(NOT_SURE_PLAN);
    let (label, length, contact, after) = PLANS[plan_index];
    let plan = Strategy {
        name: "yours".into(),
        label: label.into(),
        length: length.unwrap_or(horizon),
        contact,
        after,
    };
    let base = &mut population.base;
    base[idx("separation.start")] = 0.0;
    base[idx("separation.length")] = plan.length;
    base[idx("separation.contact")] = plan.contact;
    base[idx("separation.after")] = plan.after;
    Ok(Mapped {
        population,
        plan,
        plan_index,
        plan_chosen,
    })
}

/// The questions as JSON for the page and the API.
pub fn questions_json() -> serde_json::Value {
    let qs: Vec<serde_json::Value> = QUESTIONS
        .iter()
        .map(|q| {
            let (kind, param) = match q.target {
                Target::Beta { param, .. }
                | Target::Normal { param, .. }
                | Target::Fixed { param, .. }
                | Target::Shift { param, .. } => ("choice", Some(param)),
                Target::Plan => ("choice", None),
                Target::Safety => ("safety", None),
            };
            let options: Vec<serde_json::Value> = if matches!(q.target, Target::Safety) {
                SAFETY_ITEMS
                    .iter()
                    .map(|(id, label)| serde_json::json!({"id": id, "label": label}))
                    .collect()
            } else {
                q.options
                    .iter()
                    .enumerate()
                    .map(|(i, label)| serde_json::json!({"value": i, "label": label}))
                    .collect()
            };
            serde_json::json!({
                "id": q.id,
                "kind": kind,
                "text": q.text,
                "help": q.help,
                "parameter": param,
                "basis": q.basis,
                "options": options,
            })
        })
        .collect();
    serde_json::json!({ "questions": qs })
}

#[cfg(test)]
mod tests {
    use super::*;
    use walkaway_core::forecast::ParamSampler;
    use walkaway_core::rng::{Purpose, Stream};

    fn answers(pairs: &[(&str, u32)]) -> Answers {
        Answers {
            choices: pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            safety: Vec::new(),
        }
    }

    fn mean_of(pop: &Population, name: &str) -> f64 {
        let i = INFO.param_index(name).unwrap();
        let mut s = Stream::new(5, 0, Purpose::Parameters);
        let n = 20_000;
        (0..n).map(|_| pop.sample(&mut s)[i]).sum::<f64>() / n as f64
    }

    #[test]
    fn every_question_targets_a_real_parameter_and_has_consistent_options() {
        for q in QUESTIONS {
            let (param, len) = match q.target {
                Target::Beta { param, means, .. } | Target::Normal { param, means, .. } => {
                    (Some(param), means.len())
                }
                Target::Fixed { param, values } => (Some(param), values.len()),
                Target::Shift { param, shifts } => (Some(param), shifts.len()),
                Target::Plan => (None, PLANS.len()),
                Target::Safety => (None, 0),
            };
            assert_eq!(len, q.options.len(), "question {}", q.id);
            if let Some(p) = param {
                let spec = &INFO.params[INFO.param_index(p).unwrap()];
                if let Target::Fixed { values, .. } = q.target {
                    for v in values {
                        spec.check(*v).unwrap();
                    }
                }
            }
        }
        assert!(QUESTIONS.len() >= 15);
    }

    #[test]
    fn no_answers_give_the_default_population_and_no_plan_pushed() {
        let m = map_answers(&Answers::default(), 180.0).unwrap();
        let mut default = Population::walkaway_default();
        default.base[INFO.param_index("separation.length").unwrap()] = 0.0;
        default.base[INFO.param_index("separation.contact").unwrap()] = 1.0;
        assert_eq!(m.population, default);
        assert!(!m.plan_chosen);
        assert_eq!(m.plan_index, NOT_SURE_PLAN);
        assert_eq!(m.plan.label, "stay as things are");
    }

    #[test]
    fn the_safety_question_comes_first() {
        assert_eq!(QUESTIONS[0].target, Target::Safety);
        assert!(
            QUESTIONS[1..]
                .iter()
                .all(|q| !matches!(q.target, Target::Safety))
        );
    }

    #[test]
    fn answers_move_the_drawn_means_in_the_stated_direction() {
        let low = map_answers(&answers(&[("satisfaction", 0), ("negativity", 0)]), 180.0).unwrap();
        let high = map_answers(&answers(&[("satisfaction", 4), ("negativity", 4)]), 180.0).unwrap();
        let (l, h) = (
            mean_of(&low.population, "partner.satisfaction"),
            mean_of(&high.population, "partner.satisfaction"),
        );
        // Beta means: 0.1 and 0.85; a sample of 20 000 has sd < 0.002.
        assert!((l - 0.1).abs() < 0.01 && (h - 0.85).abs() < 0.01, "{l} {h}");
        assert!(mean_of(&high.population, "partner.negativity") > 0.85);
    }

    #[test]
    fn relationship_length_shifts_investment() {
        let short = map_answers(&answers(&[("investment", 2), ("years", 0)]), 180.0).unwrap();
        let long = map_answers(&answers(&[("investment", 2), ("years", 4)]), 180.0).unwrap();
        let s = mean_of(&short.population, "partner.investment");
        let l = mean_of(&long.population, "partner.investment");
        assert!(
            (s - 0.35).abs() < 0.01 && (l - 0.65).abs() < 0.01,
            "{s} {l}"
        );
        let only_years = map_answers(&answers(&[("years", 4)]), 180.0).unwrap();
        assert!((mean_of(&only_years.population, "partner.investment") - 0.65).abs() < 0.01);
    }

    #[test]
    fn fixed_answers_and_the_plan_set_exact_values() {
        let m = map_answers(&answers(&[("past_breakups", 3), ("plan", 2)]), 120.0).unwrap();
        let p = m.population.central();
        assert_eq!(
            p[INFO.param_index("relationship.past_returns").unwrap()],
            4.0
        );
        assert_eq!(p[INFO.param_index("separation.length").unwrap()], 30.0);
        assert_eq!(p[INFO.param_index("separation.after").unwrap()], 2.0);
        assert_eq!(m.plan.label, "no contact for 30 days, then decide");
        INFO.check_params(&p).unwrap();
    }

    #[test]
    fn draws_always_fit_the_model_ranges() {
        let m = map_answers(
            &answers(&[
                ("your_love", 4),
                ("your_effort", 4),
                ("years", 4),
                ("investment", 4),
            ]),
            365.0,
        )
        .unwrap();
        let mut s = Stream::new(1, 0, Purpose::Parameters);
        for _ in 0..2000 {
            INFO.check_params(&m.population.sample(&mut s)).unwrap();
        }
    }

    #[test]
    fn bad_answers_name_the_field_the_value_and_what_is_allowed() {
        let e = map_answers(&answers(&[("satisfaction", 9)]), 180.0).unwrap_err();
        let body = e.body();
        assert_eq!(body["error"]["field"], "answers.choices.satisfaction");
        assert_eq!(body["error"]["value"], "9");
        assert!(
            body["error"]["allowed"]
                .as_str()
                .unwrap()
                .contains("4 (very happy)")
        );
        let e = map_answers(&answers(&[("mood", 1)]), 180.0).unwrap_err();
        assert_eq!(e.body()["error"]["field"], "answers.choices.mood");
        let bad = Answers {
            choices: BTreeMap::new(),
            safety: vec!["afraid".into(), "ghosts".into()],
        };
        let e = validate(&bad).unwrap_err();
        assert_eq!(e.body()["error"]["field"], "answers.safety[1]");
    }
}
