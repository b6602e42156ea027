//! Parameters, states and the model's catalog entry.

use crate::model::{ModelInfo, ParamSpec, StateSpec, TimeKind};

/// The eleven mechanisms, in the article's order.
pub const MECHANISMS: [&str; 11] = [
    "longing",
    "pursuit",
    "loneliness",
    "true_feelings",
    "learning",
    "jealousy",
    "space",
    "reevaluation",
    "nostalgia",
    "bistability",
    "new_partner",
];

/// Plain titles of the mechanisms, for tables and sentences.
pub const MECHANISM_TITLES: [&str; 11] = [
    "absence and longing",
    "pursuit (wanting rises with scarcity in a committed partner)",
    "loneliness and the need for company",
    "true feelings (commitment decides)",
    "learning from the loss",
    "jealousy and possessiveness",
    "space to think (stress falls)",
    "your own re-evaluation (reciprocity)",
    "nostalgia (bad memories fade faster)",
    "love grows or collapses (two attractors)",
    "meeting someone new",
];

/// Where things stand at the horizon, and who got you there. The rules are
/// checked in the order of [`Outcome::ALL`] (docs/model.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Together and neither of you ever left.
    StillTogether,
    /// Back together after a separation, and the fall in negative behaviour
    /// has held for at least the change window.
    BackTogetherChanged,
    /// Back together after a separation, without a change that lasted.
    BackTogetherUnchanged,
    /// Apart, and your partner is with someone new.
    PartnerMovedOn,
    /// Apart, and you have moved on: your love is below your threshold, or
    /// you are with someone new.
    YouMovedOn,
    /// Apart, and you still love your partner at least as much as your threshold.
    ApartUnresolved,
}

impl Outcome {
    pub const ALL: [Outcome; 6] = [
        Outcome::StillTogether,
        Outcome::BackTogetherChanged,
        Outcome::BackTogetherUnchanged,
        Outcome::PartnerMovedOn,
        Outcome::YouMovedOn,
        Outcome::ApartUnresolved,
    ];

    /// Position in [`Outcome::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Stable machine name (JSON keys, CSV column stems).
    pub fn key(self) -> &'static str {
        match self {
            Outcome::StillTogether => "still_together",
            Outcome::BackTogetherChanged => "back_together_changed",
            Outcome::BackTogetherUnchanged => "back_together_unchanged",
            Outcome::PartnerMovedOn => "partner_moved_on",
            Outcome::YouMovedOn => "you_moved_on",
            Outcome::ApartUnresolved => "apart_unresolved",
        }
    }

    /// Plain words for people.
    pub fn label(self) -> &'static str {
        OUTCOMES[self.index()]
    }

    /// Together at the horizon (never apart, or again).
    pub fn together(self) -> bool {
        matches!(
            self,
            Outcome::StillTogether | Outcome::BackTogetherChanged | Outcome::BackTogetherUnchanged
        )
    }
}

/// The outcomes in plain words, in the order of [`Outcome::ALL`].
pub const OUTCOMES: [&str; 6] = [
    "still together (neither of you left)",
    "back together, and the change in how you are treated lasted",
    "back together, nothing lasting changed",
    "apart: your partner is with someone new",
    "apart: you have moved on",
    "apart, and you still have feelings for your partner",
];

pub const AFTER_OPTIONS: &[&str] = &["apart", "return", "decide"];

macro_rules! walkaway_params {
    ($( $field:ident : $spec:expr ),* $(,)?) => {
        /// Parameter specifications, in the order of [`Params`].
        pub static PARAMS: &[ParamSpec] = &[ $($spec),* ];

        /// The parameters by name, read from a slice in the order of [`PARAMS`].
        #[derive(Debug, Clone, Copy, PartialEq)]
        pub struct Params { $(pub $field: f64),* }

        impl Params {
            pub fn from_slice(p: &[f64]) -> Self {
                let mut values = p.iter().copied();
                $( let $field = values.next().expect("one value per parameter"); )*
                Self { $($field),* }
            }
        }
    };
}

walkaway_params! {
    satisfaction: ParamSpec::real("partner.satisfaction", "sat", "0–1", 0.55, 0.0, 1.0,
        "How satisfied your partner is with the relationship (Investment Model); also their love for you on day 0"),
    investment: ParamSpec::real("partner.investment", "inv", "0–1", 0.5, 0.0, 1.0,
        "What your partner has put in that would be lost: time, shared life, identity (Investment Model)"),
    alternatives: ParamSpec::real("partner.alternatives", "alt", "0–1", 0.4, 0.0, 1.0,
        "How good your partner's alternatives look: other people, being single (Investment Model)"),
    responsiveness: ParamSpec::real("partner.responsiveness", "resp", "0–1", 0.5, 0.0, 1.0,
        "How much your partner's love responds to yours (Rinaldi's reaction to love)"),
    anxiety: ParamSpec::real("partner.attachment_anxiety", "anx", "0–1", 0.4, 0.0, 1.0,
        "How anxious your partner's attachment is: fear of being left, need for reassurance"),
    possessiveness: ParamSpec::real("partner.possessiveness", "poss", "0–1", 0.3, 0.0, 1.0,
        "How possessive or controlling your partner is"),
    negativity: ParamSpec::real("partner.negativity", "B₀", "0–1", 0.5, 0.0, 1.0,
        "How often your partner treats you badly (0 never, 1 all the time), on day 0"),
    partner_effort: ParamSpec::real("partner.effort", "g_p", "0–1", 0.4, 0.0, 1.0,
        "Effort your partner puts into the relationship"),
    social: ParamSpec::real("partner.social", "soc", "0–1", 0.5, 0.0, 1.0,
        "How full your partner's social life is (friends, family, going out)"),
    stress: ParamSpec::real("partner.stress", "S₀", "0–1", 0.5, 0.0, 1.0,
        "Your partner's stress level on day 0"),
    your_love: ParamSpec::real("you.love", "Y₀", "love scale", 0.7, 0.0, 1.5,
        "Your love for your partner on day 0"),
    your_effort: ParamSpec::real("you.effort", "g_y", "0–1", 0.7, 0.0, 1.0,
        "Effort you put into the relationship"),
    accept_threshold: ParamSpec::real("you.accept_threshold", "θ_acc", "love scale", 0.35, 0.0, 1.5,
        "You take your partner back after a bid only if your love is at least this"),
    past_returns: ParamSpec::real("relationship.past_returns", "n_ret", "count", 0.0, 0.0, 20.0,
        "How many times you two broke up and got back together before"),

    m_longing: ParamSpec::flag("mechanisms.longing", true, "1 Absence and longing: being apart raises wanting in proportion to love"),
    m_pursuit: ParamSpec::flag("mechanisms.pursuit", true, "2 Pursuit: scarcity raises wanting only in a committed partner, lowers it otherwise; liking does not rise (Dai, Dong & Jia 2014)"),
    m_loneliness: ParamSpec::flag("mechanisms.loneliness", true, "3 Loneliness: the need for company grows while apart"),
    m_true_feelings: ParamSpec::flag("mechanisms.true_feelings", true, "4 True feelings: commitment (satisfaction, investment, alternatives) sets how fast love fades"),
    m_learning: ParamSpec::flag("mechanisms.learning", true, "5 Learning: negative behaviour falls while apart, and can come back after a reunion"),
    m_jealousy: ParamSpec::flag("mechanisms.jealousy", true, "6 Jealousy and possessiveness: bursts of contact after you leave"),
    m_space: ParamSpec::flag("mechanisms.space", true, "7 Space: stress (and noise) fall while apart"),
    m_reevaluation: ParamSpec::flag("mechanisms.reevaluation", true, "8 Your re-evaluation: being under-benefited lowers your love, more so with space (Sprecher 2001)"),
    m_nostalgia: ParamSpec::flag("mechanisms.nostalgia", true, "9 Nostalgia: bad memories fade faster than good ones (fading affect bias)"),
    m_bistability: ParamSpec::flag("mechanisms.bistability", true, "10 Love grows or collapses: synergy gives two attractors"),
    m_new_partner: ParamSpec::flag("mechanisms.new_partner", true, "11 Meeting someone new: a state-dependent hazard"),

    sep_start: ParamSpec::real("separation.start", "t_s", "days", 0.0, 0.0, 100_000.0,
        "Day you walk away"),
    sep_length: ParamSpec::real("separation.length", "T_s", "days", 180.0, 0.0, 100_000.0,
        "Planned length of the separation (0 = you stay)"),
    sep_contact: ParamSpec::real("separation.contact", "c", "0–1", 0.0, 0.0, 1.0,
        "Contact level while apart: 0 no contact, 1 as if together"),
    sep_after: ParamSpec::choice("separation.after", AFTER_OPTIONS, 0,
        "At the end of the planned separation: stay apart, return regardless, or decide (return if your love is still at least your threshold)"),

    forgetting: ParamSpec::real("rates.forgetting", "α_L", "1/day", 0.0099, 0.0, 1.0,
        "Oblivion rate of your partner's love (Laura's 3.6/yr in Rinaldi 1998)"),
    commitment_effect: ParamSpec::real("rates.commitment_effect", "φ_C", "1", 0.6, 0.0, 0.99,
        "How strongly commitment slows (or, when low, speeds) forgetting"),
    wanting_relax: ParamSpec::real("rates.wanting_relax", "α_W", "1/day", 0.05, 0.001, 10.0,
        "How fast wanting returns to liking"),
    longing: ParamSpec::real("rates.longing", "λ_W", "1/day", 0.015, 0.0, 1.0,
        "Growth of wanting per unit of love while apart"),
    pursuit: ParamSpec::real("rates.pursuit", "π_W", "1/day", 0.03, 0.0, 1.0,
        "Effect of scarcity on wanting, per unit of commitment above the pivot"),
    pursuit_pivot: ParamSpec::real("rates.pursuit_pivot", "C*", "0–1", 0.5, 0.0, 1.0,
        "Commitment above which scarcity raises wanting and below which it lowers it"),
    pursuit_liking_cost: ParamSpec::real("rates.pursuit_liking_cost", "π_L", "1/day", 0.0008, 0.0, 0.1,
        "Loss of liking per day of scarcity (wanting and liking part ways)"),
    loneliness_growth: ParamSpec::real("rates.loneliness_growth", "r_N", "1/day", 0.04, 0.0, 1.0,
        "Growth of loneliness while apart, for an empty social life"),
    loneliness_relief: ParamSpec::real("rates.loneliness_relief", "δ_N", "1/day", 0.1, 0.0, 10.0,
        "Relief of loneliness by company"),
    loneliness_wanting: ParamSpec::real("rates.loneliness_wanting", "ν", "1/day", 0.012, 0.0, 1.0,
        "How much loneliness adds to wanting the familiar partner"),
    jealousy_drive: ParamSpec::real("rates.jealousy_drive", "ξ", "1/day", 0.35, 0.0, 10.0,
        "Rise of jealousy after you leave, for a fully possessive partner"),
    jealousy_decay: ParamSpec::real("rates.jealousy_decay", "δ_J", "1/day", 0.15, 0.001, 10.0,
        "Decay of jealousy"),
    jealousy_habituation: ParamSpec::real("rates.jealousy_habituation", "τ_J", "days", 10.0, 0.1, 1000.0,
        "Time scale on which the jealous drive wears off after the separation starts"),
    learning: ParamSpec::real("rates.learning", "ℓ", "1/day", 0.08, 0.0, 1.0,
        "Rate at which negative behaviour falls while apart, per unit of wanting × commitment"),
    learning_floor: ParamSpec::real("rates.learning_floor", "b_min", "fraction", 0.4, 0.0, 1.0,
        "Share of the day-0 negativity that remains at best"),
    relapse: ParamSpec::real("rates.relapse", "ρ", "1/day", 0.011, 0.0, 1.0,
        "Return of negative behaviour towards its old level after a reunion"),
    stress_relax: ParamSpec::real("rates.stress_relax", "τ_S", "days", 14.0, 0.1, 1000.0,
        "Time scale of stress changes"),
    stress_relief: ParamSpec::real("rates.stress_relief", "s_rel", "fraction", 0.5, 0.0, 1.0,
        "Share of stress that goes away with space"),
    stress_negativity: ParamSpec::real("rates.stress_negativity", "χ", "1", 1.0, 0.0, 10.0,
        "How much stress amplifies expressed negativity and hinders learning"),
    memory_fade_good: ParamSpec::real("rates.memory_fade_good", "φ₊", "1/day", 0.005, 0.0, 1.0,
        "Fading of the feeling attached to good memories (assumption)"),
    memory_fade_bad: ParamSpec::real("rates.memory_fade_bad", "φ₋", "1/day", 0.02, 0.0, 1.0,
        "Fading of the feeling attached to bad memories (assumption; faster than good: fading affect bias)"),
    memory_form: ParamSpec::real("rates.memory_form", "μ", "1/day", 0.05, 0.0, 10.0,
        "How fast memories follow current experience while together"),
    nostalgia: ParamSpec::real("rates.nostalgia", "η", "1/day", 0.008, 0.0, 1.0,
        "How much the balance of memories feeds love while apart"),
    synergy: ParamSpec::real("rates.synergy", "s_b", "1", 2.9, 0.0, 10.0,
        "Synergy: how much love amplifies the appeal felt (Rinaldi's synergic bias; 2.9 as in the transcribed parameters of Rinaldi et al. 2016)"),
    synergy_half: ParamSpec::real("rates.synergy_half", "h", "fraction of day-0 love", 0.73, 0.05, 0.75,
        "Love, as a share of your partner's day-0 love, at which synergy is half on (keeps day 0 on the upper stable branch)"),
    your_forgetting: ParamSpec::real("rates.your_forgetting", "α_Y", "1/day", 0.0099, 0.0, 1.0,
        "Oblivion rate of your love"),
    your_responsiveness: ParamSpec::real("rates.your_responsiveness", "β_Y", "1/day", 0.001, 0.0, 1.0,
        "How much your love responds to your partner's"),
    reciprocity: ParamSpec::real("rates.reciprocity", "θ_E", "1/day", 0.01, 0.0, 1.0,
        "How fast being under-benefited lowers your love when you can see it clearly"),
    reciprocity_together: ParamSpec::real("rates.reciprocity_together", "w_tog", "fraction", 0.25, 0.0, 1.0,
        "Weight of that evidence while you are together (too close to see)"),
    exchange_tracking: ParamSpec::real("rates.exchange_tracking", "r_E", "1/day", 0.05, 0.0, 10.0,
        "How fast your sense of the give-and-take follows what happens"),
    new_partner: ParamSpec::real("rates.new_partner", "λ₀", "1/day", 0.0015, 0.0, 1.0,
        "Base rate of your partner starting a new relationship while apart"),
    new_partner_loneliness: ParamSpec::real("rates.new_partner_loneliness", "ω", "1", 1.0, 0.0, 10.0,
        "How much loneliness raises that rate"),
    new_partner_together: ParamSpec::real("rates.new_partner_together", "ε_tog", "fraction", 0.05, 0.0, 1.0,
        "That rate while together, as a share of the rate apart"),
    new_partner_alternatives: ParamSpec::real("rates.new_partner_alternatives", "Δ_alt", "0–1", 0.5, 0.0, 1.0,
        "Rise in alternatives once your partner has met someone"),
    new_partner_wanting_loss: ParamSpec::real("rates.new_partner_wanting_loss", "δ_new", "1/day", 0.04, 0.0, 10.0,
        "Extra decay of wanting while your partner is with someone new"),
    contact_rate: ParamSpec::real("contact.rate", "r_c", "attempts/day", 1.0, 0.0, 100.0,
        "Contact attempts per day per unit of wanting while apart"),
    contact_jealousy: ParamSpec::real("contact.jealousy_weight", "ζ", "1", 3.0, 0.0, 100.0,
        "Extra contact attempts per unit of jealousy, relative to wanting"),
    bid_threshold: ParamSpec::real("bid.threshold", "δ_bid", "fraction", 0.18, 0.0, 10.0,
        "Your partner bids to reconcile when wanting has risen this much above its level on the day you left"),
    bid_rejection: ParamSpec::real("bid.rejection_drop", "δ_rej", "fraction", 0.5, 0.0, 1.0,
        "Share of wanting lost when a bid is turned down"),
    change_threshold: ParamSpec::real("outcome.change_threshold", "δ_ch", "fraction", 0.3, 0.0, 1.0,
        "Fall in negative behaviour (vs day 0) that counts as changed"),
    noise: ParamSpec::real("noise.sigma", "σ", "1/√day", 0.02, 0.0, 1.0,
        "Noise of love, wanting and your love in stochastic runs, scaled by stress"),

    you_leave: ParamSpec::real("rates.you_leave", "λ_Y", "1/day", 0.01, 0.0, 1.0,
        "While together: how fast you leave once your love is gone (below your threshold) or the bad behaviour has come back"),
    you_leave_underbenefit: ParamSpec::real("rates.you_leave_underbenefit", "λ_E", "1/day", 0.0015, 0.0, 1.0,
        "While together: your rate of leaving per unit of being under-benefited (what you give minus what you get back)"),
    partner_leave: ParamSpec::real("rates.partner_leave", "λ_P", "1/day", 0.0008, 0.0, 1.0,
        "While together: your partner's rate of ending it, per unit of missing commitment (1 − C)"),
    relapse_keep: ParamSpec::real("rates.relapse_keep", "k", "fraction", 0.3, 0.0, 1.0,
        "Share of what your partner learned while apart that is kept after getting back together"),
    new_relationship_end: ParamSpec::real("rates.new_relationship_end", "λ_end", "1/day", 0.003, 0.0, 1.0,
        "Rate at which a new relationship (your partner's or yours) ends"),
    you_meet: ParamSpec::real("rates.you_meet", "λ_M", "1/day", 0.0013, 0.0, 1.0,
        "Your rate of starting a new relationship while apart"),
    bid_escalation: ParamSpec::real("bid.escalation", "ε", "1", 1.0, 0.0, 10.0,
        "After each declined bid, the rise in wanting that the next bid needs grows by the factor 1 + ε"),
    bid_give_up: ParamSpec::real("bid.give_up", "p_g", "probability", 0.3, 0.0, 1.0,
        "Chance that your partner stops asking after each declined bid"),
    contact_pull: ParamSpec::real("contact.pull", "υ", "love scale per attempt", 0.004, 0.0, 1.0,
        "How much each affectionate contact attempt from your partner slows the fading of your love while apart"),
    change_window: ParamSpec::real("outcome.change_window", "W", "days", 30.0, 0.0, 1000.0,
        "Back together counts as changed only when the reunion is at least this old and the change has held since"),
}

/// State variables (indices into the state array).
pub mod state {
    pub const LOVE: usize = 0;
    pub const WANTING: usize = 1;
    pub const LONELINESS: usize = 2;
    pub const JEALOUSY: usize = 3;
    pub const NEGATIVITY: usize = 4;
    pub const GOOD_MEMORIES: usize = 5;
    pub const BAD_MEMORIES: usize = 6;
    pub const STRESS: usize = 7;
    pub const YOUR_LOVE: usize = 8;
    pub const BALANCE: usize = 9;
    pub const HAZARD: usize = 10;
    pub const CONTACTS: usize = 11;
    pub const YOUR_HAZARD: usize = 12;
    pub const N: usize = 13;
}
use state::*;

pub(super) const STATE_NAMES: [&str; N] = [
    "love",
    "wanting",
    "loneliness",
    "jealousy",
    "negativity",
    "good_memories",
    "bad_memories",
    "stress",
    "your_love",
    "balance",
    "hazard",
    "expected_contacts",
    "your_leaving_hazard",
];

pub static INFO: ModelInfo = ModelInfo {
    id: "walkaway",
    title: "Walking away: you leave, your partner is left",
    description: "You walk away from a partner who treats you badly; the article's 11 reasons as switchable mechanisms on Rinaldi's love dynamics",
    citation: "This project (docs/model.md), built on Rinaldi (1998) and Rinaldi & Gragnani (1998); mechanisms after Dai, Dong & Jia (2014), Le & Agnew (2003), Sprecher (2001), Walker & Skowronski (2009), Dailey et al. (2011), Barber & Cooper (2014)",
    time_unit: "days",
    time: TimeKind::Continuous,
    default_t_end: 180.0,
    default_every: 1.0,
    states: &[
        StateSpec {
            name: "love",
            unit: "love scale",
            default: 0.55,
            description: "Your partner's love (liking) for you, L",
        },
        StateSpec {
            name: "wanting",
            unit: "love scale",
            default: 0.55,
            description: "Your partner's wanting: the urge to have you back, W",
        },
        StateSpec {
            name: "loneliness",
            unit: "0–1",
            default: 0.0,
            description: "Your partner's loneliness, N",
        },
        StateSpec {
            name: "jealousy",
            unit: "0–1",
            default: 0.0,
            description: "Your partner's jealous arousal, J",
        },
        StateSpec {
            name: "negativity",
            unit: "0–1",
            default: 0.5,
            description: "How often your partner behaves badly, B",
        },
        StateSpec {
            name: "good_memories",
            unit: "affect",
            default: 0.5,
            description: "Feeling attached to good memories, M₊",
        },
        StateSpec {
            name: "bad_memories",
            unit: "affect",
            default: 0.5,
            description: "Feeling attached to bad memories, M₋",
        },
        StateSpec {
            name: "stress",
            unit: "0–1",
            default: 0.5,
            description: "Your partner's stress, S",
        },
        StateSpec {
            name: "your_love",
            unit: "love scale",
            default: 0.7,
            description: "Your love for your partner, Y",
        },
        StateSpec {
            name: "balance",
            unit: "effort",
            default: -0.5,
            description: "What you receive minus what you give, as you see it, E",
        },
        StateSpec {
            name: "hazard",
            unit: "1",
            default: 0.0,
            description: "Accumulated hazard of your partner meeting someone new, H",
        },
        StateSpec {
            name: "expected_contacts",
            unit: "attempts",
            default: 0.0,
            description: "Expected contact attempts so far, Λ",
        },
        StateSpec {
            name: "your_leaving_hazard",
            unit: "1",
            default: 0.0,
            description: "Accumulated hazard of you leaving while together, H_Y",
        },
    ],
    params: PARAMS,
};

/// Extra output columns after the states.
pub const EXTRA_COLUMNS: [&str; 5] = [
    "contact_attempts",
    "contact_rate",
    "together",
    "commitment",
    "new_partner",
];

/// Commitment from the Investment Model: a weighted sum of satisfaction,
/// investment and (the absence of) alternatives, with weights equal to the
/// meta-analytic correlations of each with commitment (Le & Agnew 2003:
/// .68, .46, −.48), normalised to 0–1.
pub fn commitment(satisfaction: f64, investment: f64, alternatives: f64) -> f64 {
    let alt = alternatives.clamp(0.0, 1.0);
    (0.68 * satisfaction + 0.46 * investment + 0.48 * (1.0 - alt)) / (0.68 + 0.46 + 0.48)
}

/// The reciprocity verdict of the article's "toxic" definition: one-sided
/// when you give clearly more than you get back.
pub fn reciprocity_gap(p: &Params) -> f64 {
    p.your_effort - p.partner_effort * (1.0 - p.negativity)
}

/// "mutual" or "one-sided": one-sided when the gap exceeds 0.2 on the 0–1 scale.
pub fn reciprocity_verdict(p: &Params) -> &'static str {
    if reciprocity_gap(p) > 0.2 {
        "one-sided"
    } else {
        "mutual"
    }
}

pub(super) fn on(flag: f64) -> bool {
    flag != 0.0
}

/// Smallest day-0 love for which synergy (mechanism 10) acts.
pub const SYNERGY_MIN_LOVE: f64 = 0.05;

/// Synergy needs love to amplify: for a partner who starts almost
/// indifferent (day-0 love below [`SYNERGY_MIN_LOVE`]) the half-point would
/// shrink towards zero and turn σ into a step, so such a couple is linear
/// (one attractor, stable by α_L α_Y > β_L β_Y).
pub fn synergy_active(p: &Params) -> bool {
    on(p.m_bistability) && p.satisfaction >= SYNERGY_MIN_LOVE
}
