//! What we do not know about the model itself: a prior for every assumed
//! rate, with its basis.
//!
//! Each prior is a factor range: in a plausible model the rate is its value
//! times a factor drawn log-uniformly from `[low, high]` (clamped to the
//! parameter's range). A forecast with model uncertainty draws plausible
//! models this way (outer draws) and, in each, partners from the population
//! (inner draws); the spread of an outcome's probability across models is
//! the model's own uncertainty, reported beside the Monte Carlo interval.
//! A factor of 3 either way means "we do not know this rate within a factor
//! of 3". Each prior carries its own basis (`why`); docs/model.md §6 says
//! how they are used.

use crate::rng::Stream;

/// How sure we are of a number, in the words of docs/model.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// Chosen by us; no measurement behind it.
    Assumption,
    /// Tuned so the default population lands in an empirical band.
    Tuned,
    /// Transcribed from a published model (not measured in people after a break-up).
    Transcribed,
}

impl Basis {
    pub fn name(self) -> &'static str {
        match self {
            Basis::Assumption => "assumption",
            Basis::Tuned => "tuned to a band",
            Basis::Transcribed => "transcribed",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prior {
    pub name: &'static str,
    pub low: f64,
    pub high: f64,
    pub basis: Basis,
    /// Why this range, in a few words.
    pub why: &'static str,
}

const fn prior(name: &'static str, low: f64, high: f64, basis: Basis, why: &'static str) -> Prior {
    Prior {
        name,
        low,
        high,
        basis,
        why,
    }
}

use Basis::*;

/// Every assumed, tuned or transcribed rate of the walkaway model.
pub const PRIORS: &[Prior] = &[
    prior(
        "rates.forgetting",
        0.5,
        2.0,
        Transcribed,
        "a poem's heroine (Rinaldi 1998), not people after a break-up",
    ),
    prior(
        "rates.your_forgetting",
        0.5,
        2.0,
        Assumption,
        "set equal to your partner's",
    ),
    prior(
        "rates.your_responsiveness",
        0.5,
        1.15,
        Assumption,
        "capped by the stability margin of day 0 (docs/model.md §1)",
    ),
    prior(
        "rates.commitment_effect",
        0.5,
        1.5,
        Assumption,
        "direction from Le & Agnew 2003, size unknown",
    ),
    prior(
        "rates.wanting_relax",
        1.0 / 3.0,
        3.0,
        Assumption,
        "no measurement of wanting after a break-up",
    ),
    prior(
        "rates.longing",
        1.0 / 3.0,
        3.0,
        Assumption,
        "analogy (hard-to-get studies); post-break-up love falls on average",
    ),
    prior(
        "rates.pursuit",
        1.0 / 3.0,
        3.0,
        Assumption,
        "analogy (Dai, Dong & Jia 2014)",
    ),
    prior(
        "rates.pursuit_liking_cost",
        1.0 / 3.0,
        3.0,
        Assumption,
        "analogy (Dai, Dong & Jia 2014)",
    ),
    prior(
        "rates.loneliness_growth",
        1.0 / 3.0,
        3.0,
        Assumption,
        "no rate measured",
    ),
    prior(
        "rates.loneliness_relief",
        1.0 / 3.0,
        3.0,
        Assumption,
        "no rate measured",
    ),
    prior(
        "rates.loneliness_wanting",
        1.0 / 3.0,
        3.0,
        Assumption,
        "direction only (De Smet et al. 2011: loneliness goes with pursuit)",
    ),
    prior(
        "rates.learning",
        1.0 / 3.0,
        3.0,
        Assumption,
        "change during a separation was never measured",
    ),
    prior(
        "rates.learning_floor",
        0.5,
        2.0,
        Assumption,
        "no measurement",
    ),
    prior(
        "rates.relapse",
        1.0 / 3.0,
        3.0,
        Assumption,
        "direction from Vennum & Johnson 2014",
    ),
    prior(
        "rates.relapse_keep",
        0.1,
        2.5,
        Assumption,
        "no measurement of lasting change after a reunion",
    ),
    prior(
        "rates.memory_fade_good",
        0.5,
        2.0,
        Assumption,
        "fading affect bias gives the order, not the rates",
    ),
    prior(
        "rates.memory_fade_bad",
        0.5,
        2.0,
        Assumption,
        "fading affect bias gives the order, not the rates",
    ),
    prior(
        "rates.nostalgia",
        1.0 / 3.0,
        3.0,
        Assumption,
        "analogy (autobiographical memory)",
    ),
    prior(
        "rates.synergy",
        0.5,
        1.5,
        Transcribed,
        "a transcription of Rinaldi et al. 2016, shape ours",
    ),
    prior(
        "rates.reciprocity",
        1.0 / 3.0,
        3.0,
        Assumption,
        "direction from Sprecher 2001",
    ),
    prior(
        "rates.exchange_tracking",
        1.0 / 3.0,
        3.0,
        Assumption,
        "no measurement",
    ),
    prior(
        "rates.new_partner",
        0.5,
        2.0,
        Tuned,
        "a band around weak data on new relationships (docs/calibration.md)",
    ),
    prior(
        "rates.new_partner_wanting_loss",
        1.0 / 3.0,
        3.0,
        Assumption,
        "no measurement",
    ),
    prior(
        "rates.you_leave",
        1.0 / 3.0,
        3.0,
        Assumption,
        "tuned only to a weak band on separating again after a reunion",
    ),
    prior(
        "rates.you_leave_underbenefit",
        0.5,
        2.0,
        Tuned,
        "a band around break-up rates of unmarried couples (Rhoades et al. 2011)",
    ),
    prior(
        "rates.partner_leave",
        0.5,
        2.0,
        Tuned,
        "a band around break-up rates of unmarried couples (Rhoades et al. 2011)",
    ),
    prior(
        "rates.new_relationship_end",
        1.0 / 3.0,
        3.0,
        Assumption,
        "secondary reports only on how long new relationships last",
    ),
    prior(
        "rates.you_meet",
        0.5,
        2.0,
        Tuned,
        "weak data on new relationships after a break-up",
    ),
    prior(
        "bid.threshold",
        0.5,
        2.0,
        Tuned,
        "a band around reconciliation figures (Halpern-Meekin et al. 2013)",
    ),
    prior("bid.rejection_drop", 0.5, 1.5, Assumption, "no measurement"),
    prior(
        "bid.escalation",
        0.25,
        2.0,
        Assumption,
        "direction from pursuit studies (De Smet et al. 2011)",
    ),
    prior(
        "bid.give_up",
        0.5,
        2.0,
        Assumption,
        "pursuit fades for most within months (De Smet et al. 2011)",
    ),
    prior(
        "contact.pull",
        0.0,
        2.0,
        Assumption,
        "direction from Sbarra & Emery 2005 (contact slows the fall of love)",
    ),
    prior(
        "contact.rate",
        0.5,
        2.0,
        Assumption,
        "no count of contact attempts after a break-up",
    ),
    prior(
        "contact.jealousy_weight",
        1.0 / 3.0,
        3.0,
        Assumption,
        "contact attempts only (no outcome)",
    ),
    prior(
        "rates.jealousy_drive",
        1.0 / 3.0,
        3.0,
        Assumption,
        "contact attempts only (no outcome)",
    ),
    prior(
        "rates.jealousy_decay",
        1.0 / 3.0,
        3.0,
        Assumption,
        "contact attempts only (no outcome)",
    ),
    prior(
        "rates.jealousy_habituation",
        1.0 / 3.0,
        3.0,
        Assumption,
        "contact attempts only (no outcome)",
    ),
    prior("rates.stress_relax", 0.5, 2.0, Assumption, "no measurement"),
    prior(
        "rates.stress_relief",
        0.5,
        1.5,
        Assumption,
        "against the evidence for the one who is left (docs/model.md §3.7)",
    ),
    prior(
        "rates.stress_negativity",
        0.5,
        1.5,
        Assumption,
        "no measurement",
    ),
    prior(
        "rates.synergy_half",
        0.9,
        1.0,
        Assumption,
        "kept near its cap so that day 0 stays on the upper branch",
    ),
    prior(
        "rates.reciprocity_together",
        0.5,
        2.0,
        Assumption,
        "no measurement",
    ),
    prior(
        "rates.new_partner_loneliness",
        1.0 / 3.0,
        3.0,
        Assumption,
        "direction only (Spielmann et al. 2009)",
    ),
    prior(
        "rates.new_partner_together",
        1.0 / 3.0,
        3.0,
        Assumption,
        "no measurement",
    ),
    prior(
        "rates.new_partner_alternatives",
        0.5,
        1.5,
        Assumption,
        "no measurement",
    ),
];

impl Prior {
    /// The factor for a uniform draw `u` in [0, 1): log-uniform on
    /// [low, high]; a prior whose low end is 0 is uniform on [0, high].
    pub fn factor(&self, u: f64) -> f64 {
        if self.low <= 0.0 {
            self.high * u
        } else {
            self.low * (self.high / self.low).powf(u)
        }
    }
}

/// Draws the rate factors of plausible model `m` (one per entry of
/// [`PRIORS`]) from the model's own stream, so every trajectory of model m
/// sees the same model.
pub fn model_factors(seed: u64, m: u64) -> Vec<f64> {
    // Purpose code 98: plausible models of a forecast with model uncertainty.
    let mut stream = Stream::with_purpose_code(seed, m, 98);
    PRIORS.iter().map(|p| p.factor(stream.uniform())).collect()
}
