//! The walkaway model: you walk away from a partner who treats you badly;
//! what follows?
//!
//! It is built on Rinaldi's form (oblivion, reaction to love, reaction to
//! appeal; Rinaldi 1998, Rinaldi & Gragnani 1998) and adds the article's
//! eleven reasons as named mechanisms, each of which can be switched off
//! alone with `mechanisms.<name> = false`. Time is in days. docs/model.md
//! gives, for each mechanism, the claim, the equation (with the same names as
//! here), the evidence, the defaults and when the claim fails.
//!
//! The relationship as it is on day 0 is a resting point of the "together"
//! dynamics: the everyday inputs (`input_love`, `input_you`) are set so that
//! nothing changes while you stay. Staying is the status quo by construction;
//! the model speaks only to what a separation changes.

use crate::error::ModelError;
use crate::model::{
    Event, Model, ModelInfo, ParamSpec, RunOptions, StateSpec, TimeKind, Trajectory,
    simulate_system, to_array,
};
use crate::ode::{Control, Direction, HybridSystem, Record};
use crate::rng::{Purpose, Stream};

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

/// Outcomes at the horizon.
pub const OUTCOMES: [&str; 5] = [
    "back together, changed",
    "back together, unchanged",
    "partner moved on",
    "you moved on",
    "unresolved",
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
    new_partner: ParamSpec::real("rates.new_partner", "λ₀", "1/day", 0.013, 0.0, 1.0,
        "Base rate of your partner meeting someone new while apart"),
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
    pub const N: usize = 12;
}
use state::*;

const STATE_NAMES: [&str; N] = [
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

fn on(flag: f64) -> bool {
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

/// The discrete part of the state: where the two of you stand.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Standing {
    pub together: bool,
    /// Contact level κ: 1 together, `separation.contact` apart.
    pub contact: f64,
    pub separated_at: f64,
    /// Wanting on the day you left (the bid threshold is relative to it).
    pub wanting_at_separation: f64,
    pub with_new_partner: bool,
    pub met_someone: bool,
    pub reunited: bool,
    pub bids: u32,
    /// Exp(1) draw the hazard must reach for the next meeting.
    pub meeting_threshold: f64,
}

/// The parameter products of the vector field that do not depend on the
/// state, for the current standing. Each is the leading factor of a product
/// that `field` once evaluated left to right, so hoisting it changes no bit
/// of the result (the tests compare against the plain formulas).
#[derive(Debug, Clone, Copy, Default)]
struct Coefficients {
    separated: bool,
    together: bool,
    with_new_partner: bool,
    m_pursuit: bool,
    m_longing: bool,
    m_loneliness: bool,
    m_jealousy: bool,
    m_learning: bool,
    m_space: bool,
    m_reevaluation: bool,
    m_bistability: bool,
    m_new_partner: bool,
    relapsing: bool,
    kappa: f64,
    commitment: f64,
    /// −α_L(C).
    neg_forgetting: f64,
    /// 0.004·resp (reaction of love to yours).
    love_reaction: f64,
    apart_nostalgia: f64,
    pursuit_cost: f64,
    /// (h·max(L₀, 0.05))⁴.
    synergy_h4: f64,
    apart_longing: f64,
    pursuit_push: f64,
    apart_loneliness_wanting: f64,
    loneliness_growth: f64,
    loneliness_relief: f64,
    /// ξ·poss·(0.5 + anx)·(1 − κ).
    jealousy_drive: f64,
    apart_learning: f64,
    /// 0.5·min(χ, 1), and the clarity without the space mechanism.
    clarity_slope: f64,
    clarity_fixed: f64,
    negativity_denominator: f64,
    contact_memory: f64,
    apart_fade_good: f64,
    apart_fade_bad: f64,
    stress_target: f64,
    contact_exchange: f64,
    reciprocity: f64,
    /// λ₀(0.5 + alt)(0.5 + soc), and the presence factor.
    meeting_base: f64,
    presence: f64,
    apart_contact_rate: f64,
}

/// Something that happened in a run, in a compact form.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogEntry {
    pub t: f64,
    pub kind: LogKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogKind {
    /// You walk away.
    Separation,
    /// Your partner bids to reconcile; whether you accept.
    Bid { accepted: bool },
    /// You get back together after a bid.
    ReunionAfterBid,
    /// The planned separation ends and you go back.
    ReunionPlanned,
    /// Your partner meets someone new.
    NewPartner,
    /// The planned separation ends; you stay apart.
    SeparationEnd,
}

impl LogKind {
    /// The event kind as trajectories name it.
    pub fn name(self) -> &'static str {
        match self {
            LogKind::Separation => "separation",
            LogKind::Bid { .. } => "bid",
            LogKind::ReunionAfterBid | LogKind::ReunionPlanned => "reunion",
            LogKind::NewPartner => "new-partner",
            LogKind::SeparationEnd => "separation-end",
        }
    }
}

/// The walkaway system: parameters, derived constants and the standing.
#[derive(Debug, Clone)]
pub struct WalkawaySystem {
    pub p: Params,
    /// Commitment and forgetting rate, refreshed when a new partner comes or goes.
    commitment_now: f64,
    forgetting_now: f64,
    /// Everyday input to your partner's love while together (calibrated).
    input_love: f64,
    /// Everyday input to your love while together (calibrated).
    input_you: f64,
    negativity_floor: f64,
    sep_end: f64,
    /// Extra stops where a forecast forks the run (see [`Checkpoint`]); the
    /// solver restarts there but nothing in the standing changes.
    checkpoints: Vec<f64>,
    /// Set for runs whose caller reads only the outcome and the first day
    /// of each kind of event (forecast variants): once every later bid can
    /// only be rejected ([`WalkawaySystem::bids_settled`]), bids stop being
    /// simulated.
    outcome_only: bool,
    /// No further bid is simulated (see `outcome_only`).
    bids_settled: bool,
    /// Constant factors of the vector field in the current standing
    /// (recomputed by `refresh` whenever the standing changes).
    k: Coefficients,
    pub standing: Standing,
    /// What happened, in order; turned into worded [`Event`]s only when a
    /// trajectory is built ([`WalkawaySystem::events`]), so runs that only
    /// count outcomes format no text.
    pub log: Vec<LogEntry>,
    events_rng: Stream,
}

impl WalkawaySystem {
    pub fn new(p: Params, seed: u64, trajectory: u64) -> Self {
        let mut events_rng = Stream::new(seed, trajectory, Purpose::Events);
        let threshold = events_rng.exp1();
        let mut s = Self {
            p,
            commitment_now: 0.5,
            forgetting_now: p.forgetting,
            input_love: 0.0,
            input_you: 0.0,
            negativity_floor: p.negativity * p.learning_floor,
            sep_end: p.sep_start + p.sep_length,
            checkpoints: Vec::new(),
            outcome_only: false,
            bids_settled: false,
            k: Coefficients::default(),
            standing: Standing {
                together: true,
                contact: 1.0,
                separated_at: f64::NAN,
                wanting_at_separation: f64::NAN,
                with_new_partner: false,
                met_someone: false,
                reunited: false,
                bids: 0,
                meeting_threshold: threshold,
            },
            log: Vec::new(),
            events_rng,
        };
        s.refresh();
        let y0 = s.initial_state();
        // Inputs that make day 0 a resting point of the together dynamics.
        let synergy0 = s.synergy(y0[LOVE]);
        s.input_love = s.forgetting_rate() * y0[LOVE] / (1.0 + synergy0) - s.love_reaction(&y0);
        s.input_you = p.your_forgetting * y0[YOUR_LOVE]
            - p.your_responsiveness * y0[LOVE].max(0.0)
            - s.reciprocity_pull(1.0, y0[BALANCE]);
        s
    }

    /// Day-0 state implied by the parameters.
    pub fn initial_state(&self) -> [f64; N] {
        let p = &self.p;
        let mut y = [0.0; N];
        y[LOVE] = p.satisfaction;
        y[WANTING] = p.satisfaction;
        y[NEGATIVITY] = p.negativity;
        y[GOOD_MEMORIES] = 1.0 - p.negativity;
        y[BAD_MEMORIES] = p.negativity;
        y[STRESS] = p.stress;
        y[YOUR_LOVE] = p.your_love;
        y[BALANCE] = -reciprocity_gap(p);
        y
    }

    /// Commitment now (alternatives rise once your partner has met someone).
    pub fn commitment(&self) -> f64 {
        self.commitment_now
    }

    /// Recomputes everything that depends on the standing; called after
    /// every change of it.
    fn refresh(&mut self) {
        self.commitment_now = self.compute_commitment();
        self.forgetting_now = self.compute_forgetting_rate();
        self.k = self.coefficients();
    }

    fn coefficients(&self) -> Coefficients {
        let p = &self.p;
        let s = &self.standing;
        let kappa = s.contact;
        let apart = 1.0 - kappa;
        let separated = !s.together;
        let c = self.commitment();
        let company = kappa + if s.with_new_partner { 1.0 } else { 0.0 } + 0.5 * p.social;
        Coefficients {
            separated,
            together: s.together,
            with_new_partner: s.with_new_partner,
            m_pursuit: on(p.m_pursuit),
            m_longing: on(p.m_longing),
            m_loneliness: on(p.m_loneliness),
            m_jealousy: on(p.m_jealousy),
            m_learning: on(p.m_learning),
            m_space: on(p.m_space),
            m_reevaluation: on(p.m_reevaluation),
            m_bistability: synergy_active(p),
            m_new_partner: on(p.m_new_partner),
            relapsing: s.together && s.reunited,
            kappa,
            commitment: c,
            neg_forgetting: -self.forgetting_rate(),
            love_reaction: 0.004 * p.responsiveness,
            apart_nostalgia: apart * p.nostalgia,
            pursuit_cost: if on(p.m_pursuit) && separated {
                apart * p.pursuit_liking_cost
            } else {
                0.0
            },
            synergy_h4: (p.synergy_half * p.satisfaction).powi(4),
            apart_longing: apart * p.longing,
            pursuit_push: apart * p.pursuit * (c - p.pursuit_pivot),
            apart_loneliness_wanting: apart * p.loneliness_wanting,
            loneliness_growth: if separated {
                apart * p.loneliness_growth * (1.0 - 0.7 * p.social) * (0.5 + p.anxiety)
            } else {
                0.0
            },
            loneliness_relief: p.loneliness_relief * company,
            jealousy_drive: p.jealousy_drive * p.possessiveness * (0.5 + p.anxiety) * apart,
            apart_learning: p.learning * apart,
            clarity_slope: 0.5 * p.stress_negativity.min(1.0),
            clarity_fixed: 1.0 - 0.5 * p.stress,
            negativity_denominator: 1.0 + p.stress_negativity * p.stress,
            contact_memory: kappa * p.memory_form,
            apart_fade_good: apart * p.memory_fade_good,
            apart_fade_bad: apart
                * if on(p.m_nostalgia) {
                    p.memory_fade_bad
                } else {
                    p.memory_fade_good
                },
            stress_target: p.stress * (kappa + apart * (1.0 - p.stress_relief)),
            contact_exchange: kappa * p.exchange_tracking,
            reciprocity: p.reciprocity * (p.reciprocity_together * kappa + (1.0 - kappa)),
            meeting_base: p.new_partner * (0.5 + p.alternatives) * (0.5 + p.social),
            presence: apart + kappa * p.new_partner_together,
            apart_contact_rate: p.contact_rate * apart,
        }
    }

    fn compute_commitment(&self) -> f64 {
        let p = &self.p;
        if !on(p.m_true_feelings) {
            return 0.5;
        }
        let alt = if self.standing.with_new_partner {
            p.alternatives + p.new_partner_alternatives
        } else {
            p.alternatives
        };
        commitment(p.satisfaction, p.investment, alt)
    }

    /// α_L(C) = α_L (1 + φ_C (1 − 2C)): low commitment forgets fast.
    fn forgetting_rate(&self) -> f64 {
        self.forgetting_now
    }

    fn compute_forgetting_rate(&self) -> f64 {
        let p = &self.p;
        if on(p.m_true_feelings) {
            p.forgetting * (1.0 + p.commitment_effect * (1.0 - 2.0 * self.commitment()))
        } else {
            p.forgetting
        }
    }

    /// σ(L) = s_b L⁴ / (L⁴ + L_h⁴) with L_h = h·L₀: love amplifies the
    /// appeal it perceives. Tying the half-point to day-0 love keeps every
    /// couple's day-0 point on the upper, stable branch, with the tipping
    /// point below it (see [`synergy_active`] for the near-indifferent).
    fn synergy(&self, love: f64) -> f64 {
        let p = &self.p;
        if !synergy_active(p) {
            return 0.0;
        }
        let l4 = love.max(0.0).powi(4);
        let h4 = (p.synergy_half * p.satisfaction).powi(4);
        p.synergy * l4 / (l4 + h4)
    }

    /// Reaction of your partner's love to yours: β_L Y, β_L = 0.004·resp per
    /// day, small enough (with β_Y = 0.001) that the day-0 couple is a stable
    /// resting point: (α_L − I σ'(L₀)) α_Y > β_L (1 + σ(L₀)) β_Y, Rinaldi's
    /// condition with the synergy slope included (checked by a test).
    fn love_reaction(&self, y: &[f64; N]) -> f64 {
        0.004 * self.p.responsiveness * y[YOUR_LOVE].max(0.0)
    }

    /// θ_E (w κ + (1 − κ)) min(E, 0): under-benefit lowers your love, fully
    /// when apart, with weight w_tog when together.
    fn reciprocity_pull(&self, contact: f64, balance: f64) -> f64 {
        let p = &self.p;
        if !on(p.m_reevaluation) {
            return 0.0;
        }
        p.reciprocity * (p.reciprocity_together * contact + (1.0 - contact)) * balance.min(0.0)
    }

    /// Expressed negativity: stress amplifies behaviour, B (1 + χS)/(1 + χS₀).
    #[cfg(test)]
    fn expressed_negativity(&self, y: &[f64; N]) -> f64 {
        let p = &self.p;
        (y[NEGATIVITY] * (1.0 + p.stress_negativity * y[STRESS])
            / (1.0 + p.stress_negativity * p.stress))
            .clamp(0.0, 1.0)
    }

    /// Hazard of meeting someone new, h(t) in 1/day:
    /// λ₀ (0.5 + alt)(0.5 + soc)(1 + ω N) (1 − κ + κ ε_tog), zero once met.
    pub fn meeting_rate(&self, y: &[f64; N]) -> f64 {
        let k = &self.k;
        if !k.m_new_partner || k.with_new_partner {
            return 0.0;
        }
        let lonely = if k.m_loneliness {
            y[LONELINESS].max(0.0)
        } else {
            0.0
        };
        k.meeting_base * (1.0 + self.p.new_partner_loneliness * lonely) * k.presence
    }

    /// Expected contact attempts per day while apart: r_c (1 − κ)(W + ζ J).
    pub fn contact_rate(&self, y: &[f64; N]) -> f64 {
        let k = &self.k;
        if k.together {
            return 0.0;
        }
        let jealous = if k.m_jealousy {
            y[JEALOUSY].max(0.0)
        } else {
            0.0
        };
        k.apart_contact_rate * (y[WANTING].max(0.0) + self.p.contact_jealousy * jealous)
    }
    /// Whether, right after a rejected bid, every later bid must be
    /// rejected too and can change no outcome. With no contact (κ = 0) your
    /// love obeys dY/dt = −α_Y Y + θ_E min(E, 0): it only falls while
    /// positive and cannot rise above 0 while negative, so with
    /// θ_acc > 0 it stays below θ_acc. No reunion can follow (a planned
    /// "return" is excluded; "decide" needs Y ≥ θ_acc), so the outcome is
    /// "your partner moved on" or "you moved on", which rejections cannot
    /// change: they move only wanting, and wanting reaches only negativity
    /// (which counts only for a couple back together) and contact attempts.
    /// Meeting someone new depends on loneliness, not on bids. (Tested.)
    fn later_bids_are_rejected(&self, y: &[f64; N]) -> bool {
        let p = &self.p;
        !self.standing.together
            && self.standing.contact == 0.0
            && p.accept_threshold > 0.0
            && y[YOUR_LOVE] < p.accept_threshold
            && p.sep_after as usize != 1
    }

    fn bid_level(&self) -> f64 {
        let p = &self.p;
        // Past returns make the next bid easier (churning; an assumption).
        let threshold = p.bid_threshold / (1.0 + 0.3 * p.past_returns);
        self.standing.wanting_at_separation.max(0.05) * (1.0 + threshold)
    }

    fn separate(&mut self, t: f64, y: &[f64; N]) {
        self.standing.together = false;
        self.standing.contact = self.p.sep_contact;
        self.standing.separated_at = t;
        self.standing.wanting_at_separation = y[WANTING];
        self.refresh();
        self.log.push(LogEntry {
            t,
            kind: LogKind::Separation,
        });
    }

    /// The log as worded events.
    pub fn events(&self) -> Vec<Event> {
        self.log
            .iter()
            .map(|e| Event {
                t: e.t,
                kind: e.kind.name().into(),
                detail: match e.kind {
                    LogKind::Separation => {
                        format!("you walk away (contact level {})", self.p.sep_contact)
                    }
                    LogKind::Bid { accepted } => format!(
                        "your partner asks to get back together ({})",
                        if accepted {
                            "you accept"
                        } else {
                            "you decline"
                        }
                    ),
                    LogKind::ReunionAfterBid => "you get back together after a bid".into(),
                    LogKind::ReunionPlanned => "the planned separation ends and you go back".into(),
                    LogKind::NewPartner => "your partner meets someone new".into(),
                    LogKind::SeparationEnd => "the planned separation ends; you stay apart".into(),
                },
            })
            .collect()
    }

    fn reunite(&mut self, t: f64, why: LogKind) {
        self.standing.together = true;
        self.standing.contact = 1.0;
        self.standing.reunited = true;
        self.standing.with_new_partner = false;
        self.refresh();
        self.log.push(LogEntry { t, kind: why });
    }

    /// Outcome at the horizon from the final state.
    pub fn outcome(&self, y: &[f64; N]) -> &'static str {
        OUTCOMES[self.outcome_index(y)]
    }

    /// The outcome as an index into [`OUTCOMES`].
    pub fn outcome_index(&self, y: &[f64; N]) -> usize {
        let s = &self.standing;
        if s.together {
            let changed = y[NEGATIVITY] <= (1.0 - self.p.change_threshold) * self.p.negativity;
            return if changed { 0 } else { 1 };
        }
        if s.with_new_partner {
            return 2;
        }
        if y[YOUR_LOVE] < self.p.accept_threshold {
            return 3;
        }
        4
    }

    /// The vector field in the current standing (docs/model.md). The
    /// state-free factors come from `self.k`; the order of every product and
    /// sum is that of the formulas, so the result equals the term-by-term
    /// evaluation exactly.
    #[inline]
    fn field(&self, t: f64, y: &[f64; N], dy: &mut [f64; N]) {
        let p = &self.p;
        let k = &self.k;
        let kappa = k.kappa;
        let love = y[LOVE];
        let love_pos = love.max(0.0);
        // Expressed negativity: stress amplifies behaviour, B (1 + χS)/(1 + χS₀).
        let b_x = (y[NEGATIVITY] * (1.0 + p.stress_negativity * y[STRESS])
            / k.negativity_denominator)
            .clamp(0.0, 1.0);

        // Love: oblivion, reaction to you and your appeal (while in contact),
        // memories standing in for you (while apart), all amplified by synergy.
        let memory_balance = y[GOOD_MEMORIES] - y[BAD_MEMORIES];
        let inputs = kappa * (k.love_reaction * y[YOUR_LOVE].max(0.0) + self.input_love)
            + k.apart_nostalgia * memory_balance;
        let synergy = if k.m_bistability {
            let l4 = love_pos.powi(4);
            p.synergy * l4 / (l4 + k.synergy_h4)
        } else {
            0.0
        };
        dy[LOVE] = k.neg_forgetting * love + inputs * (1.0 + synergy) - k.pursuit_cost;

        // Wanting follows liking, pushed by longing, pursuit and loneliness while apart.
        let mut push = 0.0;
        if k.separated {
            if k.m_longing {
                push += k.apart_longing * love_pos;
            }
            if k.m_pursuit {
                push += k.pursuit_push;
            }
            if k.m_loneliness {
                push += k.apart_loneliness_wanting * y[LONELINESS].max(0.0) * love_pos;
            }
        }
        let new_partner_drag = if k.with_new_partner {
            p.new_partner_wanting_loss * y[WANTING]
        } else {
            0.0
        };
        dy[WANTING] = -p.wanting_relax * (y[WANTING] - love) + push - new_partner_drag;

        // Loneliness grows while apart (less with a full social life), eases with company.
        dy[LONELINESS] = if k.m_loneliness {
            k.loneliness_growth * (1.0 - y[LONELINESS]) - k.loneliness_relief * y[LONELINESS]
        } else {
            0.0
        };

        // Jealousy: a burst after you leave, wearing off with time.
        dy[JEALOUSY] = if k.m_jealousy {
            let drive = if k.separated {
                let since = (t - self.standing.separated_at).max(0.0);
                k.jealousy_drive * love_pos * (-since / p.jealousy_habituation).exp()
            } else {
                0.0
            };
            drive * (1.0 - y[JEALOUSY]) - p.jealousy_decay * y[JEALOUSY]
        } else {
            -p.jealousy_decay * y[JEALOUSY]
        };

        // Negativity falls while apart if your partner wants you back and is
        // committed (and not too stressed to think); relapses after a reunion.
        dy[NEGATIVITY] = if k.m_learning {
            let learn = if k.separated {
                let clarity = if k.m_space {
                    (1.0 - k.clarity_slope * y[STRESS]).max(0.0)
                } else {
                    k.clarity_fixed
                };
                k.apart_learning
                    * y[WANTING].max(0.0)
                    * k.commitment
                    * clarity
                    * (y[NEGATIVITY] - self.negativity_floor)
            } else {
                0.0
            };
            let relapse = if k.relapsing {
                p.relapse * (p.negativity - y[NEGATIVITY])
            } else {
                0.0
            };
            relapse - learn
        } else {
            0.0
        };

        // Memories follow experience while in contact; apart, their feelings
        // fade, the bad ones faster.
        dy[GOOD_MEMORIES] = k.contact_memory * ((1.0 - b_x) - y[GOOD_MEMORIES])
            - k.apart_fade_good * y[GOOD_MEMORIES];
        dy[BAD_MEMORIES] =
            k.contact_memory * (b_x - y[BAD_MEMORIES]) - k.apart_fade_bad * y[BAD_MEMORIES];

        // Stress relaxes towards its level for the current contact.
        dy[STRESS] = if k.m_space {
            (k.stress_target - y[STRESS]) / p.stress_relax
        } else {
            0.0
        };

        // Your love: oblivion, reaction to your partner's love while in
        // contact, and the pull of being under-benefited.
        let your_inputs = kappa * (p.your_responsiveness * love_pos + self.input_you);
        let pull = if k.m_reevaluation {
            k.reciprocity * y[BALANCE].min(0.0)
        } else {
            0.0
        };
        dy[YOUR_LOVE] = -p.your_forgetting * y[YOUR_LOVE] + your_inputs + pull;

        // Balance of give-and-take follows what happens while in contact.
        let received = p.partner_effort * (1.0 - b_x);
        dy[BALANCE] = k.contact_exchange * ((received - p.your_effort) - y[BALANCE]);

        dy[HAZARD] = self.meeting_rate(y);
        dy[CONTACTS] = self.contact_rate(y);
    }
}

/// The vector field as written in docs/model.md, term by term, without
/// hoisted constants: the reference that `field` must match bit for bit.
#[cfg(test)]
impl WalkawaySystem {
    /// Hazard of meeting someone new, h(t) in 1/day.
    fn meeting_rate_plain(&self, y: &[f64; N]) -> f64 {
        let p = &self.p;
        if !on(p.m_new_partner) || self.standing.with_new_partner {
            return 0.0;
        }
        let apart = 1.0 - self.standing.contact;
        let presence = apart + self.standing.contact * p.new_partner_together;
        let lonely = if on(p.m_loneliness) {
            y[LONELINESS].max(0.0)
        } else {
            0.0
        };
        p.new_partner
            * (0.5 + p.alternatives)
            * (0.5 + p.social)
            * (1.0 + p.new_partner_loneliness * lonely)
            * presence
    }

    /// Expected contact attempts per day while apart.
    fn contact_rate_plain(&self, y: &[f64; N]) -> f64 {
        if self.standing.together {
            return 0.0;
        }
        let apart = 1.0 - self.standing.contact;
        let jealous = if on(self.p.m_jealousy) {
            y[JEALOUSY].max(0.0)
        } else {
            0.0
        };
        self.p.contact_rate * apart * (y[WANTING].max(0.0) + self.p.contact_jealousy * jealous)
    }

    /// The vector field in the current standing.
    fn field_plain(&self, t: f64, y: &[f64; N], dy: &mut [f64; N]) {
        let p = &self.p;
        let s = &self.standing;
        let kappa = s.contact;
        let apart = 1.0 - kappa;
        let separated = !s.together;
        let c = self.commitment();
        let love = y[LOVE];
        let love_pos = love.max(0.0);
        let b_x = self.expressed_negativity(y);

        // Love: oblivion, reaction to you and your appeal (while in contact),
        // memories standing in for you (while apart), all amplified by synergy.
        let memory_balance = y[GOOD_MEMORIES] - y[BAD_MEMORIES];
        let inputs = kappa * (self.love_reaction(y) + self.input_love)
            + apart * p.nostalgia * memory_balance;
        let pursuit_cost = if on(p.m_pursuit) && separated {
            apart * p.pursuit_liking_cost
        } else {
            0.0
        };
        dy[LOVE] =
            -self.forgetting_rate() * love + inputs * (1.0 + self.synergy(love)) - pursuit_cost;

        // Wanting follows liking, pushed by longing, pursuit and loneliness while apart.
        let mut push = 0.0;
        if separated {
            if on(p.m_longing) {
                push += apart * p.longing * love_pos;
            }
            if on(p.m_pursuit) {
                push += apart * p.pursuit * (c - p.pursuit_pivot);
            }
            if on(p.m_loneliness) {
                push += apart * p.loneliness_wanting * y[LONELINESS].max(0.0) * love_pos;
            }
        }
        let new_partner_drag = if s.with_new_partner {
            p.new_partner_wanting_loss * y[WANTING]
        } else {
            0.0
        };
        dy[WANTING] = -p.wanting_relax * (y[WANTING] - love) + push - new_partner_drag;

        // Loneliness grows while apart (less with a full social life), eases with company.
        dy[LONELINESS] = if on(p.m_loneliness) {
            let company = kappa + if s.with_new_partner { 1.0 } else { 0.0 } + 0.5 * p.social;
            let growth = if separated {
                apart * p.loneliness_growth * (1.0 - 0.7 * p.social) * (0.5 + p.anxiety)
            } else {
                0.0
            };
            growth * (1.0 - y[LONELINESS]) - p.loneliness_relief * company * y[LONELINESS]
        } else {
            0.0
        };

        // Jealousy: a burst after you leave, wearing off with time.
        dy[JEALOUSY] = if on(p.m_jealousy) {
            let drive = if separated {
                let since = (t - s.separated_at).max(0.0);
                p.jealousy_drive
                    * p.possessiveness
                    * (0.5 + p.anxiety)
                    * apart
                    * love_pos
                    * (-since / p.jealousy_habituation).exp()
            } else {
                0.0
            };
            drive * (1.0 - y[JEALOUSY]) - p.jealousy_decay * y[JEALOUSY]
        } else {
            -p.jealousy_decay * y[JEALOUSY]
        };

        // Negativity falls while apart if your partner wants you back and is
        // committed (and not too stressed to think); relapses after a reunion.
        dy[NEGATIVITY] = if on(p.m_learning) {
            let clarity = if on(p.m_space) {
                (1.0 - 0.5 * p.stress_negativity.min(1.0) * y[STRESS]).max(0.0)
            } else {
                1.0 - 0.5 * p.stress
            };
            let learn = if separated {
                p.learning
                    * apart
                    * y[WANTING].max(0.0)
                    * c
                    * clarity
                    * (y[NEGATIVITY] - self.negativity_floor)
            } else {
                0.0
            };
            let relapse = if s.together && s.reunited {
                p.relapse * (p.negativity - y[NEGATIVITY])
            } else {
                0.0
            };
            relapse - learn
        } else {
            0.0
        };

        // Memories follow experience while in contact; apart, their feelings
        // fade, the bad ones faster.
        let fade_bad = if on(p.m_nostalgia) {
            p.memory_fade_bad
        } else {
            p.memory_fade_good
        };
        dy[GOOD_MEMORIES] = kappa * p.memory_form * ((1.0 - b_x) - y[GOOD_MEMORIES])
            - apart * p.memory_fade_good * y[GOOD_MEMORIES];
        dy[BAD_MEMORIES] =
            kappa * p.memory_form * (b_x - y[BAD_MEMORIES]) - apart * fade_bad * y[BAD_MEMORIES];

        // Stress relaxes towards its level for the current contact.
        dy[STRESS] = if on(p.m_space) {
            let target = p.stress * (kappa + apart * (1.0 - p.stress_relief));
            (target - y[STRESS]) / p.stress_relax
        } else {
            0.0
        };

        // Your love: oblivion, reaction to your partner's love while in
        // contact, and the pull of being under-benefited.
        let your_inputs = kappa * (p.your_responsiveness * love_pos + self.input_you);
        dy[YOUR_LOVE] = -p.your_forgetting * y[YOUR_LOVE]
            + your_inputs
            + self.reciprocity_pull(kappa, y[BALANCE]);

        // Balance of give-and-take follows what happens while in contact.
        let received = p.partner_effort * (1.0 - b_x);
        dy[BALANCE] = kappa * p.exchange_tracking * ((received - p.your_effort) - y[BALANCE]);

        dy[HAZARD] = self.meeting_rate_plain(y);
        dy[CONTACTS] = self.contact_rate_plain(y);
    }
}

impl HybridSystem<N> for WalkawaySystem {
    fn state_names(&self) -> &[&'static str] {
        &STATE_NAMES
    }

    fn rhs(&self, t: f64, y: &[f64; N], dy: &mut [f64; N]) {
        self.field(t, y, dy);
    }

    fn diffusion(&self, _t: f64, y: &[f64; N], g: &mut [f64; N]) {
        *g = [0.0; N];
        let scale = self.p.noise * y[STRESS].max(0.0);
        g[LOVE] = scale;
        g[WANTING] = scale;
        g[YOUR_LOVE] = self.p.noise * 0.5;
    }

    fn event_count(&self) -> usize {
        2
    }

    fn event_value(&self, index: usize, _t: f64, y: &[f64; N]) -> f64 {
        match index {
            // A bid: wanting rises through its threshold while apart.
            0 if !self.standing.together && !self.bids_settled => y[WANTING] - self.bid_level(),
            0 => -1.0,
            // Meeting someone: the hazard reaches its Exp(1) draw.
            _ if self.standing.with_new_partner => -1.0,
            _ => y[HAZARD] - self.standing.meeting_threshold,
        }
    }

    fn event_direction(&self, _index: usize) -> Direction {
        Direction::Rising
    }

    fn event_threshold(&self, index: usize) -> Option<(usize, f64)> {
        match index {
            0 if !self.standing.together && !self.bids_settled => Some((WANTING, self.bid_level())),
            1 if !self.standing.with_new_partner => Some((HAZARD, self.standing.meeting_threshold)),
            _ => None,
        }
    }

    fn event_components(&self) -> Option<&[usize]> {
        Some(&[WANTING, HAZARD])
    }

    fn on_event(&mut self, index: usize, t: f64, y: &mut [f64; N]) -> Control {
        if index == 0 {
            self.standing.bids += 1;
            let accepted = y[YOUR_LOVE] >= self.p.accept_threshold;
            self.log.push(LogEntry {
                t,
                kind: LogKind::Bid { accepted },
            });
            if accepted {
                self.reunite(t, LogKind::ReunionAfterBid);
            } else {
                y[WANTING] *= 1.0 - self.p.bid_rejection;
                self.standing.wanting_at_separation =
                    self.standing.wanting_at_separation.min(y[WANTING]).max(0.0);
                self.bids_settled = self.outcome_only && self.later_bids_are_rejected(y);
            }
        } else {
            self.standing.with_new_partner = true;
            self.refresh();
            self.standing.met_someone = true;
            y[HAZARD] = 0.0;
            self.standing.meeting_threshold = self.events_rng.exp1();
            self.log.push(LogEntry {
                t,
                kind: LogKind::NewPartner,
            });
        }
        Control::Continue
    }

    fn next_stop(&self, t: f64) -> Option<f64> {
        let schedule = [self.p.sep_start, self.sep_end]
            .into_iter()
            .filter(|s| *s > t && self.p.sep_length > 0.0);
        schedule
            .chain(self.checkpoints.iter().copied().filter(|s| *s > t))
            .reduce(f64::min)
    }

    fn on_stop(&mut self, t: f64, y: &mut [f64; N]) -> Control {
        if t == self.p.sep_start && self.standing.together && !self.standing.reunited {
            self.separate(t, y);
        } else if t == self.sep_end && !self.standing.together {
            let back = match self.p.sep_after as usize {
                1 => true,
                2 => y[YOUR_LOVE] >= self.p.accept_threshold && !self.standing.with_new_partner,
                _ => false,
            };
            if back {
                self.reunite(t, LogKind::ReunionPlanned);
            } else {
                self.log.push(LogEntry {
                    t,
                    kind: LogKind::SeparationEnd,
                });
            }
        }
        Control::Continue
    }
}

/// Mechanisms whose switch-off cannot change an outcome or an event.
/// Jealousy drives only your partner's contact attempts (`contacts` and the
/// `contact_rate` series), and nothing else in the model reads them, so a
/// forecast reports its effect on the outcomes as exactly zero without
/// re-running (a test checks this structure of the vector field).
pub const OUTCOME_NEUTRAL_MECHANISMS: [&str; 1] = ["jealousy"];

/// The mechanism that acts only through the meeting event: with it switched
/// off, a run in which your partner met nobody ends with the same outcome and
/// events (the meeting hazard feeds nothing but that event; tested).
pub const MEETING_MECHANISM: &str = "new_partner";

/// Checks what a range check per parameter cannot: the schedule against the horizon.
pub fn check_schedule(p: &Params, run: &RunOptions) -> Result<(), ModelError> {
    if p.sep_length > 0.0 && p.sep_start >= run.t_end {
        return Err(ModelError::ImpossibleSchedule {
            reason: format!(
                "separation.start = {} is not before the horizon t_end = {}; choose a start between {} and {}",
                p.sep_start, run.t_end, run.t0, run.t_end
            ),
        });
    }
    if p.sep_length > 0.0 && p.sep_start < run.t0 {
        return Err(ModelError::ImpossibleSchedule {
            reason: format!(
                "separation.start = {} is before the start of the run ({})",
                p.sep_start, run.t0
            ),
        });
    }
    Ok(())
}

#[derive(Debug, Clone, Copy)]
pub struct Walkaway;

/// A run paused at time `t`: the system (standing, log, random stream) and
/// the state. Runs whose parameters differ only in what acts from `t` on
/// (such as a separation that ends at `t` instead of later) share the path
/// up to `t` exactly, so a forecast runs that part once and resumes each of
/// them from here ([`Walkaway::resume`]).
#[derive(Debug, Clone)]
pub struct Checkpoint {
    pub t: f64,
    pub system: WalkawaySystem,
    pub y: [f64; N],
    /// The solver's next step there (so the resumed run retraces the steps).
    pub step: f64,
}

/// What a run returns: the system at the end, the final state, the solver's work.
pub type RunResult = (WalkawaySystem, [f64; N], crate::ode::SolverStats);

impl Walkaway {
    /// Builds the system in its day-0 standing (already apart if the
    /// separation starts at the run's start).
    pub fn system(
        params: &[f64],
        run: &RunOptions,
    ) -> Result<(WalkawaySystem, [f64; N]), ModelError> {
        INFO.check_params(params)?;
        let p = Params::from_slice(params);
        check_schedule(&p, run)?;
        let sys = WalkawaySystem::new(p, run.seed, run.trajectory);
        let y0 = sys.initial_state();
        Ok((sys, y0))
    }

    /// Like [`Walkaway::run_final`] for parameters that already passed
    /// `INFO.check_params` (a forecast checks each draw once, then runs it
    /// under many strategies whose overrides were checked up front), so the
    /// per-run range checks are skipped; the schedule is still checked.
    /// Such runs report only the outcome and the first day of each kind of
    /// event faithfully: bids that can only be rejected (see
    /// `later_bids_are_rejected`) are not simulated, so later bids are
    /// missing from the log.
    pub fn run_final_prechecked(params: &[f64], run: &RunOptions) -> Result<RunResult, ModelError> {
        debug_assert!(INFO.check_params(params).is_ok());
        let mut quiet = *run;
        quiet.every = None;
        run.validate()?;
        let p = Params::from_slice(params);
        check_schedule(&p, run)?;
        let mut sys = WalkawaySystem::new(p, run.seed, run.trajectory);
        // Noise can lift your love again, so only deterministic runs settle.
        sys.outcome_only = run.method == crate::model::Method::Dopri5;
        let y = sys.initial_state();
        Self::integrate(sys, run.t0, y, &quiet, |_, _, _| {}, |_, _, _, _| {}, 0.0)
    }

    /// Runs and returns the final state and the standing, without
    /// recording rows (for ensembles).
    pub fn run_final(
        params: &[f64],
        y0: Option<&[f64]>,
        run: &RunOptions,
    ) -> Result<(WalkawaySystem, [f64; N], crate::ode::SolverStats), ModelError> {
        let mut quiet = *run;
        quiet.every = None;
        Self::run_observed(params, y0, &quiet, |_, _, _| {})
    }

    /// Like [`Walkaway::run_observed`], also stopping at the times in
    /// `checkpoints` (inside the run) and handing a [`Checkpoint`] to
    /// `at_checkpoint` there. Dopri5 only: a stochastic run could not be
    /// resumed on the same noise path.
    pub fn run_observed_with_checkpoints<O, C>(
        params: &[f64],
        run: &RunOptions,
        checkpoints: &[f64],
        observe: O,
        mut at_checkpoint: C,
    ) -> Result<RunResult, ModelError>
    where
        O: FnMut(&WalkawaySystem, f64, &[f64; N]),
        C: FnMut(Checkpoint),
    {
        run.validate()?;
        if run.method != crate::model::Method::Dopri5 {
            return Err(ModelError::InvalidRunOption {
                field: "method",
                value: run.method.name().to_string(),
                allowed: "dopri5 (checkpoints need a deterministic run)".into(),
            });
        }
        let (mut sys, y) = Self::system(params, run)?;
        sys.checkpoints = checkpoints.to_vec();
        let on_stop = |s: &WalkawaySystem, t: f64, y: &[f64; N], step: f64| {
            if s.checkpoints.contains(&t) {
                let mut system = s.clone();
                system.checkpoints.clear();
                at_checkpoint(Checkpoint {
                    t,
                    system,
                    y: *y,
                    step,
                });
            }
        };
        Self::integrate(sys, run.t0, y, run, observe, on_stop, 0.0)
    }

    /// Continues `checkpoint` with `params`, which must equal the
    /// checkpoint's run's parameters except in what acts only from
    /// `checkpoint.t` on: the separation's length and what happens after it
    /// (a separation may end exactly at the checkpoint), and mechanisms
    /// whose switch-off cannot change what the caller reads. The parameters
    /// must have passed `INFO.check_params`. Returns the end of the run; the
    /// solver's work counts only the part after the checkpoint.
    pub fn resume(
        checkpoint: &Checkpoint,
        params: &[f64],
        run: &RunOptions,
    ) -> Result<RunResult, ModelError> {
        Self::resume_with(checkpoint, params, run, false)
    }

    /// [`Walkaway::resume`] for the outcome and the first day of each kind
    /// of event only, like [`Walkaway::run_final_prechecked`].
    pub fn resume_for_outcome(
        checkpoint: &Checkpoint,
        params: &[f64],
        run: &RunOptions,
    ) -> Result<RunResult, ModelError> {
        Self::resume_with(checkpoint, params, run, true)
    }

    fn resume_with(
        checkpoint: &Checkpoint,
        params: &[f64],
        run: &RunOptions,
        outcome_only: bool,
    ) -> Result<RunResult, ModelError> {
        debug_assert!(INFO.check_params(params).is_ok());
        let mut sys = checkpoint.system.clone();
        sys.outcome_only = outcome_only;
        sys.p = Params::from_slice(params);
        sys.sep_end = sys.p.sep_start + sys.p.sep_length;
        sys.refresh();
        let mut y = checkpoint.y;
        if checkpoint.t == sys.sep_end {
            sys.on_stop(checkpoint.t, &mut y);
        }
        // A bid rejected before the checkpoint settles the later ones just
        // as it would have in a run for the outcome from the start.
        let rejected_before = sys
            .log
            .iter()
            .any(|e| e.kind == LogKind::Bid { accepted: false });
        sys.bids_settled = outcome_only && rejected_before && sys.later_bids_are_rejected(&y);
        let mut quiet = *run;
        quiet.every = None;
        Self::integrate(
            sys,
            checkpoint.t,
            y,
            &quiet,
            |_, _, _| {},
            |_, _, _, _| {},
            checkpoint.step,
        )
    }

    /// Runs with the method in `run`, calling `observe(system, t, y)` at each
    /// output time (none if `run.every` is `None`). Nothing is allocated per
    /// step; only events append to the system's log.
    pub fn run_observed<O>(
        params: &[f64],
        y0: Option<&[f64]>,
        run: &RunOptions,
        observe: O,
    ) -> Result<(WalkawaySystem, [f64; N], crate::ode::SolverStats), ModelError>
    where
        O: FnMut(&WalkawaySystem, f64, &[f64; N]),
    {
        run.validate()?;
        let (sys, default_y0) = Self::system(params, run)?;
        let y = match y0 {
            Some(v) => to_array::<N>(&INFO, v)?,
            None => default_y0,
        };
        Self::integrate(sys, run.t0, y, run, observe, |_, _, _, _| {}, 0.0)
    }

    /// Integrates from `start` (the run's start, or a checkpoint) to the
    /// horizon, reporting outputs to `observe` and scheduled stops to
    /// `at_stop`; `first_step` (0 to choose) resumes a run's step sequence.
    fn integrate<O, S>(
        mut sys: WalkawaySystem,
        start: f64,
        y: [f64; N],
        run: &RunOptions,
        mut observe: O,
        mut at_stop: S,
        first_step: f64,
    ) -> Result<RunResult, ModelError>
    where
        O: FnMut(&WalkawaySystem, f64, &[f64; N]),
        S: FnMut(&WalkawaySystem, f64, &[f64; N], f64),
    {
        if start == run.t0 && sys.p.sep_length > 0.0 && sys.p.sep_start == run.t0 {
            sys.separate(run.t0, &y);
        }
        let mut observer = |s: &WalkawaySystem, r: Record<'_, N>| match r {
            Record::Output { t, y } => observe(s, t, y),
            Record::Stop { t, y, step } => at_stop(s, t, y, step),
            _ => {}
        };
        let end = match run.method {
            crate::model::Method::Dopri5 => crate::ode::integrate_ode_resumed(
                &mut sys,
                start,
                y,
                run.t_end,
                run.outputs(),
                run.ode_options(),
                first_step,
                &mut observer,
            )?,
            method => {
                let scheme = if method == crate::model::Method::Milstein {
                    crate::ode::SdeScheme::Milstein
                } else {
                    crate::ode::SdeScheme::EulerMaruyama
                };
                let mut noise = Stream::new(run.seed, run.trajectory, Purpose::Noise);
                crate::ode::integrate_sde(
                    &mut sys,
                    run.t0,
                    y,
                    run.t_end,
                    run.dt,
                    scheme,
                    run.outputs(),
                    &mut noise,
                    &mut observer,
                )?
            }
        };
        Ok((sys, end.y, end.stats))
    }
}

impl Model for Walkaway {
    fn info(&self) -> &'static ModelInfo {
        &INFO
    }

    fn initial_state(&self, params: &[f64]) -> Vec<f64> {
        WalkawaySystem::new(Params::from_slice(params), 0, 0)
            .initial_state()
            .to_vec()
    }

    fn simulate(
        &self,
        params: &[f64],
        y0: &[f64],
        run: &RunOptions,
    ) -> Result<Trajectory, ModelError> {
        let (mut sys, _) = Self::system(params, run)?;
        let y0 = to_array::<N>(&INFO, y0)?;
        if sys.p.sep_length > 0.0 && sys.p.sep_start == run.t0 {
            sys.separate(run.t0, &y0);
        }
        let mut observations = Stream::new(run.seed, run.trajectory, Purpose::Observations);
        let mut last_contacts = y0[CONTACTS];
        let mut traj = simulate_system(
            &INFO,
            &mut sys,
            y0,
            run,
            &EXTRA_COLUMNS,
            |s, _t, y, row| {
                // Attempts since the previous output: Poisson with the
                // integrated expected count, so the sum is exact over any grid.
                let expected = (y[CONTACTS] - last_contacts).max(0.0);
                last_contacts = y[CONTACTS];
                row.push(observations.poisson(expected) as f64);
                row.push(s.contact_rate(y));
                row.push(if s.standing.together { 1.0 } else { 0.0 });
                row.push(s.commitment());
                row.push(if s.standing.with_new_partner {
                    1.0
                } else {
                    0.0
                });
            },
            |_, _: Record<'_, N>| None,
        )?;
        // The system's own log is the complete list (the separation on day 0 included).
        traj.events = sys.events();
        let y_end: [f64; N] = to_array::<N>(&INFO, &traj.final_state)?;
        traj.outcome = Some(sys.outcome(&y_end).to_string());
        Ok(traj)
    }

    fn vector_field(&self, params: &[f64], t: f64, y: &[f64], out: &mut [f64]) {
        let sys = WalkawaySystem::new(Params::from_slice(params), 0, 0);
        let mut yy = [0.0; N];
        yy.copy_from_slice(&y[..N]);
        let mut dy = [0.0; N];
        sys.field(t, &yy, &mut dy);
        out[..N].copy_from_slice(&dy);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random parameters (each mechanism off with probability 0.3) for
    /// structural tests of the vector field.
    fn random_params(rng: &mut Stream) -> Vec<f64> {
        let first_flag = INFO.param_index("mechanisms.longing").unwrap();
        let mut params = INFO.default_params();
        for (i, spec) in PARAMS.iter().enumerate() {
            if i >= first_flag && i < first_flag + MECHANISMS.len() {
                params[i] = if rng.uniform() < 0.3 { 0.0 } else { 1.0 };
            } else if spec.max.is_finite() && spec.min.is_finite() {
                let hi = spec
                    .max
                    .min(spec.min + 3.0 * (params[i] - spec.min).max(0.1));
                params[i] = spec.min + (hi - spec.min) * rng.uniform();
            }
        }
        params[INFO.param_index("separation.after").unwrap()] = 0.0;
        params
    }

    /// Puts `sys` in standing `stage`: 0 together, 1 apart, 2 apart with a
    /// new partner, 3 reunited (applied in order).
    fn enter_stage(sys: &mut WalkawaySystem, stage: usize, y0: &[f64; N]) {
        match stage {
            1 => sys.separate(3.0, y0),
            2 => {
                sys.standing.with_new_partner = true;
                sys.refresh();
            }
            3 => sys.reunite(40.0, LogKind::ReunionPlanned),
            _ => {}
        }
    }

    fn random_state(rng: &mut Stream, y0: &[f64; N]) -> [f64; N] {
        let mut y = *y0;
        for v in y.iter_mut() {
            *v += 1.2 * (2.0 * rng.uniform() - 1.0);
        }
        y
    }

    /// Switching `mechanism` off (or changing the components in `free`)
    /// changes no component of the field outside `allowed`, no event
    /// function in `events` and no outcome, in any standing.
    fn assert_acts_only_on(mechanism: &str, free: &[usize], allowed: &[usize], events: &[usize]) {
        let mut rng = Stream::new(6, 0, Purpose::Parameters);
        let flag = INFO
            .param_index(&format!("mechanisms.{mechanism}"))
            .unwrap();
        for case in 0..1000u64 {
            let mut on = random_params(&mut rng);
            on[flag] = 1.0;
            let mut off = on.clone();
            off[flag] = 0.0;
            let mut a = WalkawaySystem::new(Params::from_slice(&on), 1, case);
            let mut b = WalkawaySystem::new(Params::from_slice(&off), 1, case);
            let y0 = a.initial_state();
            for stage in 0..4 {
                enter_stage(&mut a, stage, &y0);
                enter_stage(&mut b, stage, &y0);
                for _ in 0..5 {
                    let y = random_state(&mut rng, &y0);
                    let mut y_other = y;
                    for &c in free {
                        y_other[c] = 3.0 * rng.uniform();
                    }
                    let t = 200.0 * rng.uniform();
                    let (mut da, mut db) = ([0.0; N], [0.0; N]);
                    a.field(t, &y, &mut da);
                    b.field(t, &y_other, &mut db);
                    for i in (0..N).filter(|i| !allowed.contains(i)) {
                        assert_eq!(
                            da[i].to_bits(),
                            db[i].to_bits(),
                            "{mechanism}: case {case} stage {stage} {}",
                            STATE_NAMES[i]
                        );
                    }
                    for &e in events {
                        assert_eq!(a.event_value(e, t, &y), b.event_value(e, t, &y_other));
                    }
                    assert_eq!(a.outcome(&y), b.outcome(&y_other));
                }
            }
        }
    }

    /// The thresholds the driver locates roots with are the event
    /// functions, to the bit, in every standing.
    #[test]
    fn event_thresholds_are_the_event_functions() {
        let mut rng = Stream::new(9, 0, Purpose::Parameters);
        for case in 0..300u64 {
            let params = random_params(&mut rng);
            let mut sys = WalkawaySystem::new(Params::from_slice(&params), 1, case);
            let y0 = sys.initial_state();
            for stage in 0..4 {
                enter_stage(&mut sys, stage, &y0);
                let y = random_state(&mut rng, &y0);
                for e in 0..sys.event_count() {
                    if let Some((c, level)) = sys.event_threshold(e) {
                        assert_eq!(
                            (y[c] - level).to_bits(),
                            sys.event_value(e, 1.0, &y).to_bits(),
                            "case {case} stage {stage} event {e}"
                        );
                    }
                }
            }
        }
    }

    /// What lets a forecast skip the jealousy switch-off: jealousy (the
    /// flag and the state) reaches only jealousy itself and the count of
    /// contact attempts.
    #[test]
    fn jealousy_reaches_only_contact_attempts() {
        assert_eq!(OUTCOME_NEUTRAL_MECHANISMS, ["jealousy"]);
        assert_acts_only_on("jealousy", &[JEALOUSY], &[JEALOUSY, CONTACTS], &[0, 1]);
    }

    /// What lets a forecast skip the new-partner switch-off when nobody was
    /// met: the mechanism and the hazard reach only the hazard (and through
    /// it the meeting event, index 1), never the bid.
    #[test]
    fn the_meeting_hazard_reaches_only_the_meeting_event() {
        assert_acts_only_on(MEETING_MECHANISM, &[HAZARD], &[HAZARD], &[0]);
    }

    /// A run resumed from a checkpoint of another run is, bit for bit, the
    /// run it stands for: the no-contact strategy that ends at the
    /// checkpoint, run on its own with the same stops up to there.
    #[test]
    fn resumed_runs_equal_their_own_runs_bit_for_bit() {
        let mut rng = Stream::new(8, 0, Purpose::Parameters);
        let run = RunOptions {
            every: None,
            rtol: 1e-4,
            atol: 1e-7,
            ..RunOptions::for_model(&INFO)
        };
        let set = |p: &mut Vec<f64>, name: &str, v: f64| INFO.set_param(p, name, v).unwrap();
        let fork_days = [14.0, 30.0, 60.0];
        for case in 0..60u64 {
            let mut base = INFO.default_params();
            for name in [
                "partner.satisfaction",
                "partner.investment",
                "partner.alternatives",
                "you.love",
            ] {
                set(&mut base, name, 0.1 + 0.8 * rng.uniform());
            }
            set(&mut base, "separation.length", 180.0);
            set(&mut base, "separation.contact", 0.0);
            let run = RunOptions {
                trajectory: case,
                ..run
            };
            let mut checkpoints = Vec::new();
            Walkaway::run_observed_with_checkpoints(
                &base,
                &run,
                &fork_days,
                |_, _, _| {},
                |c| checkpoints.push(c),
            )
            .unwrap();
            assert_eq!(checkpoints.len(), fork_days.len());
            for c in &checkpoints {
                let mut strategy = base.clone();
                set(&mut strategy, "separation.length", c.t);
                set(&mut strategy, "separation.after", 2.0);
                let resumed = Walkaway::resume(c, &strategy, &run).unwrap();
                let earlier: Vec<f64> = fork_days.iter().copied().filter(|d| *d <= c.t).collect();
                let own = Walkaway::run_observed_with_checkpoints(
                    &strategy,
                    &run,
                    &earlier,
                    |_, _, _| {},
                    |_| {},
                )
                .unwrap();
                let for_outcome = Walkaway::resume_for_outcome(c, &strategy, &run).unwrap();
                assert_eq!(for_outcome.0.outcome(&for_outcome.1), own.0.outcome(&own.1));
                assert_eq!(
                    resumed.1.map(f64::to_bits),
                    own.1.map(f64::to_bits),
                    "case {case} day {}",
                    c.t
                );
                assert_eq!(resumed.0.log, own.0.log, "case {case} day {}", c.t);
                assert_eq!(resumed.0.standing, own.0.standing);
            }
        }
    }

    /// Runs for the outcome stop simulating bids once they can only be
    /// rejected; the outcome and the first day of each kind of event stay
    /// those of the full run (tight tolerances, so that the two step
    /// sequences agree to far below a day).
    #[test]
    fn settled_bids_change_no_outcome_and_no_first_event() {
        let mut rng = Stream::new(10, 0, Purpose::Parameters);
        let run = RunOptions {
            every: None,
            rtol: 1e-10,
            atol: 1e-12,
            ..RunOptions::for_model(&INFO)
        };
        let mut settled = 0;
        for case in 0..400u64 {
            let mut p = INFO.default_params();
            for (name, lo, hi) in [
                ("partner.satisfaction", 0.2, 0.9),
                ("partner.investment", 0.1, 0.9),
                ("partner.alternatives", 0.1, 0.9),
                ("you.love", 0.2, 1.0),
                ("you.accept_threshold", 0.2, 0.8),
                ("partner.effort", 0.0, 0.8),
                ("rates.new_partner", 0.0, 0.04),
            ] {
                INFO.set_param(&mut p, name, lo + (hi - lo) * rng.uniform())
                    .unwrap();
            }
            let after = (3.0 * rng.uniform()).floor();
            INFO.set_param(&mut p, "separation.after", after).unwrap();
            INFO.set_param(
                &mut p,
                "separation.length",
                if case % 2 == 0 { 180.0 } else { 60.0 },
            )
            .unwrap();
            let run = RunOptions {
                trajectory: case,
                ..run
            };
            let full = Walkaway::run_final(&p, None, &run).unwrap();
            let quick = Walkaway::run_final_prechecked(&p, &run).unwrap();
            settled += usize::from(quick.0.bids_settled);
            assert_eq!(
                full.0.outcome(&full.1),
                quick.0.outcome(&quick.1),
                "case {case}"
            );
            let first = |log: &[LogEntry], name: &str| {
                log.iter().find(|e| e.kind.name() == name).map(|e| e.t)
            };
            for name in ["bid", "reunion", "new-partner"] {
                match (first(&full.0.log, name), first(&quick.0.log, name)) {
                    (Some(a), Some(b)) => {
                        assert!((a - b).abs() < 1e-5, "case {case} {name}: {a} vs {b}")
                    }
                    (a, b) => assert_eq!(a, b, "case {case} {name}"),
                }
            }
        }
        // The shortcut must actually be taken in a good share of the cases.
        assert!(settled > 40, "settled in only {settled} of 400 runs");
        // Never with noise: it can lift your love back over the threshold.
        let noisy = RunOptions {
            method: crate::model::Method::EulerMaruyama,
            dt: 0.05,
            ..run
        };
        for case in 0..40u64 {
            let mut p = INFO.default_params();
            INFO.set_param(&mut p, "you.accept_threshold", 0.9).unwrap();
            INFO.set_param(&mut p, "noise.sigma", 0.2).unwrap();
            let noisy = RunOptions {
                trajectory: case,
                ..noisy
            };
            let quick = Walkaway::run_final_prechecked(&p, &noisy).unwrap();
            assert!(!quick.0.bids_settled, "case {case}");
        }
    }

    /// The hoisted field equals the formulas term by term, bit for bit, in
    /// every standing, with every mechanism on or off, at random states
    /// (including negative values that the clamps and `max(0, ·)` act on).
    #[test]
    fn field_matches_the_plain_formulas_bit_for_bit() {
        let mut rng = Stream::new(5, 0, Purpose::Parameters);
        for case in 0..4000u64 {
            let params = random_params(&mut rng);
            let mut sys = WalkawaySystem::new(Params::from_slice(&params), 1, case);
            let y0 = sys.initial_state();
            // Walk through the standings: together, apart, apart with a new
            // partner, reunited.
            for stage in 0..4 {
                enter_stage(&mut sys, stage, &y0);
                for _ in 0..5 {
                    let y = random_state(&mut rng, &y0);
                    let t = 200.0 * rng.uniform();
                    let (mut a, mut b) = ([0.0; N], [0.0; N]);
                    sys.field(t, &y, &mut a);
                    sys.field_plain(t, &y, &mut b);
                    for i in 0..N {
                        assert_eq!(
                            a[i].to_bits(),
                            b[i].to_bits(),
                            "case {case} stage {stage} {}: {} vs {}",
                            STATE_NAMES[i],
                            a[i],
                            b[i]
                        );
                    }
                }
            }
        }
    }
}
