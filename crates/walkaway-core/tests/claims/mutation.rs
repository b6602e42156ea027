//! The mutation check: each mechanism's claim must fail without it.
//!
//! A claim test that also passes with its mechanism switched off proves
//! nothing about the mechanism. For each of the eleven mechanisms this
//! module takes the quantity its claim test measures, under the claim
//! test's conditions, and measures it three times: with the mechanism's
//! strength at its default, at zero, and with its sign flipped (values
//! outside the documented ranges, run through
//! `Walkaway::simulate_outside_ranges`). The claim must hold at the default,
//! fail at zero and fail when flipped, and the quantity must move against
//! the claim from default to zero and not come back when flipped.
//! docs/verification.md lists the measured values
//! (`cargo test -p walkaway-core --test claims mutation -- --nocapture`).

use super::*;

/// How strongly a mechanism acts, as a multiple of its default strength.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Strength {
    Default,
    Zero,
    Flipped,
}

impl Strength {
    const ALL: [Strength; 3] = [Strength::Default, Strength::Zero, Strength::Flipped];

    fn factor(self) -> f64 {
        match self {
            Strength::Default => 1.0,
            Strength::Zero => 0.0,
            Strength::Flipped => -1.0,
        }
    }
}

/// Which way the claim says the quantity goes when the mechanism acts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Claimed {
    /// The mechanism raises the quantity above the threshold.
    Above(f64),
    /// The mechanism lowers the quantity below the threshold.
    Below(f64),
}

impl Claimed {
    fn holds(self, q: f64) -> bool {
        match self {
            Claimed::Above(x) => q > x,
            Claimed::Below(x) => q < x,
        }
    }

    /// `a` is further the claimed way than `b`, by more than rounding
    /// (a flipped strength can act like zero where the model clips a
    /// negative state, e.g. jealousy at 0).
    fn beyond(self, a: f64, b: f64) -> bool {
        let rounding = 1e-6 * b.abs().max(1.0);
        match self {
            Claimed::Above(_) => a > b + rounding,
            Claimed::Below(_) => a < b - rounding,
        }
    }
}

/// One claim: the mechanism, the test whose quantity it is, how the
/// strength is set, and how the quantity is measured at a strength.
pub(crate) struct Claim {
    pub mechanism: &'static str,
    pub test: &'static str,
    /// What "strength" means for this mechanism, in words.
    pub strength: &'static str,
    pub measure: fn(Strength) -> f64,
    pub claimed: Claimed,
    /// Why the sign cannot be flipped, where it cannot.
    pub no_flip: Option<&'static str>,
}

/// Parameters from `overrides`, then the named rates scaled by `strength`
/// (bypassing the ranges: a flipped rate is negative).
pub(crate) fn mutated(overrides: &[(&str, &str)], rates: &[&str], strength: Strength) -> Vec<f64> {
    let info = find("walkaway").unwrap().info();
    let mut p = params(overrides);
    for name in rates {
        let i = info.param_index(name).unwrap();
        p[i] *= strength.factor();
    }
    p
}

pub(crate) fn run_params(p: &[f64], seed: u64, t_end: f64) -> Trajectory {
    let mut run = RunOptions::for_model(&walkaway::INFO);
    run.seed = seed;
    run.t_end = t_end;
    let y0 = Walkaway.initial_state(p);
    Walkaway::simulate_outside_ranges(p, &y0, &run).unwrap()
}

const OFF_WANTING_PUSHES: [(&str, &str); 2] = [
    ("mechanisms.pursuit", "false"),
    ("mechanisms.loneliness", "false"),
];

fn committed_alone(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut o = vec![NO_BIDS, COMMITTED[0], COMMITTED[1], COMMITTED[2]];
    o.extend_from_slice(extra);
    o
}

/// Mechanism 1: Peak wanting over days 1–60 as a multiple of day 0, longing alone.
pub(crate) fn longing_peak(s: Strength) -> f64 {
    let p = mutated(&committed_alone(&OFF_WANTING_PUSHES), &["rates.longing"], s);
    let t = run_params(&p, 1, 180.0);
    peak(&t, "wanting", 1.0, 60.0) / at(&t, "wanting", 0.0)
}

/// Mechanism 2a: Peak wanting over days 1–60 as a multiple of day 0, pursuit alone,
/// in a committed partner.
pub(crate) fn pursuit_peak(s: Strength) -> f64 {
    let p = mutated(
        &committed_alone(&[
            ("mechanisms.longing", "false"),
            ("mechanisms.loneliness", "false"),
        ]),
        &["rates.pursuit"],
        s,
    );
    let t = run_params(&p, 1, 180.0);
    peak(&t, "wanting", 1.0, 60.0) / at(&t, "wanting", 0.0)
}

/// Mechanism 2b: Liking on day 60 minus liking on day 60 without the liking cost.
pub(crate) fn pursuit_liking(s: Strength) -> f64 {
    let o = committed_alone(&[]);
    let love = |s| {
        at(
            &run_params(&mutated(&o, &["rates.pursuit_liking_cost"], s), 1, 180.0),
            "love",
            60.0,
        )
    };
    love(s) - love(Strength::Zero)
}

/// Mechanism 3: Loneliness on day 30 apart with a thin social life (nobody met:
/// the meeting rate is tiny, so no draw decides the result).
pub(crate) fn loneliness_level(s: Strength) -> f64 {
    let p = mutated(
        &[
            NO_BIDS,
            ("partner.social", "0.1"),
            ("rates.new_partner", "0.000001"),
        ],
        &["rates.loneliness_growth"],
        s,
    );
    at(&run_params(&p, 1, 180.0), "loneliness", 30.0)
}

/// Mechanism 4: Share of love lost over 60 days apart, uncommitted minus committed.
pub(crate) fn commitment_gap(s: Strength) -> f64 {
    let loss = |o: [(&'static str, &'static str); 3]| {
        let mut all = vec![NO_BIDS, ("mechanisms.bistability", "false")];
        all.extend(o);
        let t = run_params(&mutated(&all, &["rates.commitment_effect"], s), 1, 180.0);
        1.0 - at(&t, "love", 60.0) / at(&t, "love", 0.0)
    };
    loss(UNCOMMITTED) - loss(COMMITTED)
}

/// Mechanism 5: Share of negativity gone after 90 days apart, committed partner.
pub(crate) fn learning_drop(s: Strength) -> f64 {
    let p = mutated(&committed_alone(&[]), &["rates.learning"], s);
    let t = run_params(&p, 1, 180.0);
    1.0 - at(&t, "negativity", 90.0) / at(&t, "negativity", 0.0)
}

/// Mechanism 6: Peak contact rate over days 1–14 as a multiple of day 60.
pub(crate) fn jealousy_burst(s: Strength) -> f64 {
    let p = mutated(
        &[
            NO_BIDS,
            ("partner.possessiveness", "0.9"),
            ("partner.attachment_anxiety", "0.8"),
        ],
        &["rates.jealousy_drive"],
        s,
    );
    let t = run_params(&p, 1, 180.0);
    peak(&t, "contact_rate", 1.0, 14.0) / at(&t, "contact_rate", 60.0)
}

/// Mechanism 7: Stress on day 30 apart as a share of day 0.
pub(crate) fn space_stress(s: Strength) -> f64 {
    let p = mutated(
        &committed_alone(&[("partner.stress", "0.9")]),
        &["rates.stress_relief"],
        s,
    );
    let t = run_params(&p, 1, 180.0);
    at(&t, "stress", 30.0) / at(&t, "stress", 0.0)
}

/// Mechanism 8: Your love lost over 60 days apart when under-benefited, with your
/// forgetting off so that only what acts on your love counts.
pub(crate) fn reevaluation_loss(s: Strength) -> f64 {
    let p = mutated(
        &[
            NO_BIDS,
            ("you.effort", "0.9"),
            ("partner.effort", "0.2"),
            ("rates.your_forgetting", "0"),
        ],
        &["rates.reciprocity"],
        s,
    );
    let t = run_params(&p, 1, 180.0);
    at(&t, "your_love", 0.0) - at(&t, "your_love", 60.0)
}

/// Mechanism 9: Share of the good memories' feeling left on day 60 minus the share of
/// the bad ones'. Strength is the gap between the two fading rates: zero
/// fades both at the good rate, flipped fades the good ones faster.
pub(crate) fn nostalgia_gap(s: Strength) -> f64 {
    let info = find("walkaway").unwrap().info();
    let mut p = params(&[NO_BIDS, ("partner.negativity", "0.7")]);
    let good = info.param_index("rates.memory_fade_good").unwrap();
    let bad = info.param_index("rates.memory_fade_bad").unwrap();
    let gap = p[bad] - p[good];
    match s {
        Strength::Default => {}
        Strength::Zero => p[bad] = p[good],
        Strength::Flipped => (p[good], p[bad]) = (p[good] + gap, p[good]),
    }
    let t = run_params(&p, 1, 180.0);
    let left = |name| at(&t, name, 60.0) / at(&t, name, 0.0);
    left("good_memories") - left("bad_memories")
}

/// Mechanism 10: Number of stable equilibria of love at or above zero along its own
/// axis (where dL/dt falls through zero), every other variable at its
/// day-0 value. (Love below zero is outside the model's meaning.)
pub(crate) fn synergy_attractors(s: Strength) -> f64 {
    let p = mutated(&[], &["rates.synergy"], s);
    let y0 = Walkaway.initial_state(&p);
    let mut stable = 0;
    let mut prev = f64::NAN;
    for k in 0..=3000 {
        let mut y = y0.clone();
        y[0] = 3.0 * k as f64 / 3000.0;
        let mut dy = vec![0.0; y.len()];
        Walkaway.vector_field(&p, 0.0, &y, &mut dy);
        if prev > 0.0 && dy[0] <= 0.0 {
            stable += 1;
        }
        prev = dy[0];
    }
    stable as f64
}

/// Mechanism 11: Chance of a bid among partners who met someone first, as a multiple
/// of the chance among those who did not (400 seeds). Strength is the
/// meeting rate; with nobody meeting the ratio is undefined and counted
/// as 1 (no difference shown).
pub(crate) fn meeting_bid_ratio(s: Strength) -> f64 {
    let (mut met, mut met_bid, mut not, mut not_bid) = (0u32, 0u32, 0u32, 0u32);
    let o = [
        ("rates.new_partner", "0.02"),
        COMMITTED[0],
        COMMITTED[1],
        COMMITTED[2],
        ("bid.threshold", "0.35"),
    ];
    let p = mutated(&o, &["rates.new_partner"], s);
    for seed in 0..400 {
        let t = run_params(&p, seed, 180.0);
        let meet = t
            .events
            .iter()
            .find(|e| e.kind == "new-partner")
            .map(|e| e.t);
        let bid = t.events.iter().find(|e| e.kind == "bid").map(|e| e.t);
        if matches!((meet, bid), (Some(m), b) if b.is_none_or(|b| m < b)) {
            met += 1;
            met_bid += bid.is_some() as u32;
        } else {
            not += 1;
            not_bid += bid.is_some() as u32;
        }
    }
    if met < 30 || not < 30 {
        return 1.0;
    }
    (met_bid as f64 / met as f64) / (not_bid as f64 / not as f64)
}

pub(crate) const CLAIMS: [Claim; 12] = [
    Claim {
        mechanism: "longing",
        test: "longing_raises_wanting_while_apart",
        strength: "rates.longing",
        measure: longing_peak,
        claimed: Claimed::Above(1.15),
        no_flip: None,
    },
    Claim {
        mechanism: "pursuit",
        test: "scarcity_raises_wanting_in_a_committed_partner",
        strength: "rates.pursuit",
        measure: pursuit_peak,
        claimed: Claimed::Above(1.05),
        no_flip: None,
    },
    Claim {
        mechanism: "pursuit",
        test: "scarcity_raises_wanting_in_a_committed_partner (liking)",
        strength: "rates.pursuit_liking_cost",
        measure: pursuit_liking,
        claimed: Claimed::Below(-0.01),
        no_flip: None,
    },
    Claim {
        mechanism: "loneliness",
        test: "loneliness_grows_apart_and_feeds_wanting_and_the_meeting_rate",
        strength: "rates.loneliness_growth",
        measure: loneliness_level,
        claimed: Claimed::Above(0.3),
        no_flip: None,
    },
    Claim {
        mechanism: "true_feelings",
        test: "a_committed_partner_holds_on_and_bids",
        strength: "rates.commitment_effect",
        measure: commitment_gap,
        claimed: Claimed::Above(0.1),
        no_flip: None,
    },
    Claim {
        mechanism: "learning",
        test: "negativity_falls_apart_and_relapses_after_a_reunion",
        strength: "rates.learning",
        measure: learning_drop,
        claimed: Claimed::Above(0.2),
        no_flip: None,
    },
    Claim {
        mechanism: "jealousy",
        test: "a_possessive_partner_bursts_into_contact",
        strength: "rates.jealousy_drive",
        measure: jealousy_burst,
        claimed: Claimed::Above(2.0),
        no_flip: None,
    },
    Claim {
        mechanism: "space",
        test: "space_lowers_stress_and_helps_learning",
        strength: "rates.stress_relief",
        measure: space_stress,
        claimed: Claimed::Below(0.75),
        no_flip: None,
    },
    Claim {
        mechanism: "reevaluation",
        test: "being_under_benefited_lowers_your_love_apart",
        strength: "rates.reciprocity",
        measure: reevaluation_loss,
        claimed: Claimed::Above(0.1),
        no_flip: None,
    },
    Claim {
        mechanism: "nostalgia",
        test: "bad_memories_fade_faster_so_the_past_looks_better",
        strength: "rates.memory_fade_bad − rates.memory_fade_good",
        measure: nostalgia_gap,
        claimed: Claimed::Above(0.2),
        no_flip: None,
    },
    Claim {
        mechanism: "bistability",
        test: "synergy_gives_two_attractors_for_love",
        strength: "rates.synergy",
        measure: synergy_attractors,
        claimed: Claimed::Above(1.5),
        no_flip: None,
    },
    Claim {
        mechanism: "new_partner",
        test: "meeting_someone_new_lowers_the_chance_of_a_bid",
        strength: "rates.new_partner",
        measure: meeting_bid_ratio,
        claimed: Claimed::Below(0.5),
        no_flip: Some("a meeting rate below zero is no rate at all; at zero nobody meets"),
    },
];

#[test]
fn every_mechanism_has_a_claim_in_the_mutation_check() {
    for m in MECHANISMS {
        assert!(CLAIMS.iter().any(|c| c.mechanism == m), "{m}");
    }
}

#[test]
fn mutation_each_claim_fails_without_its_mechanism() {
    let mut failures = Vec::new();
    for c in &CLAIMS {
        let [q1, q0, qf] = Strength::ALL.map(|s| {
            if s == Strength::Flipped && c.no_flip.is_some() {
                f64::NAN
            } else {
                (c.measure)(s)
            }
        });
        println!(
            "{:<14} {:<28} default {q1:>9.4}  zero {q0:>9.4}  flipped {qf:>9.4}  claim {:?}",
            c.mechanism, c.strength, c.claimed
        );
        let mut bad = |what: &str| failures.push(format!("{} ({}): {what}", c.mechanism, c.test));
        if !c.claimed.holds(q1) {
            bad(&format!("the claim fails at the default strength ({q1})"));
        }
        if c.claimed.holds(q0) {
            bad(&format!("the claim still holds at strength zero ({q0})"));
        }
        if !c.claimed.beyond(q1, q0) {
            bad(&format!(
                "the quantity does not move against the claim at zero ({q1} -> {q0})"
            ));
        }
        if c.no_flip.is_none() {
            if c.claimed.holds(qf) {
                bad(&format!(
                    "the claim still holds with the sign flipped ({qf})"
                ));
            }
            if c.claimed.beyond(qf, q0) {
                bad(&format!(
                    "flipping the sign moves the quantity back the claimed way ({q0} -> {qf})"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
