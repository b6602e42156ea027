//! Claim tests: for each of the article's eleven reasons, one test that shows
//! the mechanism acting in the claimed direction under the conditions where
//! the evidence says it holds, and one where it does not.
//! docs/model.md cites the evidence for each condition.

use walkaway_core::models::walkaway::{self, MECHANISMS, Walkaway};
use walkaway_core::{Model, RunOptions, Trajectory, find};

mod mutation;

fn params(overrides: &[(&str, &str)]) -> Vec<f64> {
    let info = find("walkaway").unwrap().info();
    let mut p = info.default_params();
    for (k, v) in overrides {
        info.set_param_text(&mut p, k, v)
            .unwrap_or_else(|e| panic!("{k}={v}: {e}"));
    }
    p
}

fn run_with(overrides: &[(&str, &str)], seed: u64) -> Trajectory {
    run_until(overrides, seed, 180.0)
}

fn run_until(overrides: &[(&str, &str)], seed: u64, t_end: f64) -> Trajectory {
    let p = params(overrides);
    let mut run = RunOptions::for_model(&walkaway::INFO);
    run.seed = seed;
    run.t_end = t_end;
    let y0 = Walkaway.initial_state(&p);
    Walkaway.simulate(&p, &y0, &run).unwrap()
}

fn run(overrides: &[(&str, &str)]) -> Trajectory {
    run_with(overrides, 1)
}

fn col(t: &Trajectory, name: &str) -> Vec<f64> {
    t.column(name).unwrap_or_else(|| panic!("no column {name}"))
}

fn at(t: &Trajectory, name: &str, day: f64) -> f64 {
    let i = t.times.iter().position(|x| *x >= day).unwrap();
    col(t, name)[i]
}

fn peak(t: &Trajectory, name: &str, from: f64, to: f64) -> f64 {
    let v = col(t, name);
    t.times
        .iter()
        .zip(v)
        .filter(|(x, _)| **x >= from && **x <= to)
        .map(|(_, y)| y)
        .fold(f64::NEG_INFINITY, f64::max)
}

fn bids(t: &Trajectory) -> usize {
    t.events.iter().filter(|e| e.kind == "bid").count()
}

fn off(name: &str) -> (String, &'static str) {
    (format!("mechanisms.{name}"), "false")
}

fn with(
    base: &[(&'static str, &'static str)],
    extra: &[(String, &'static str)],
) -> Vec<(String, &'static str)> {
    base.iter()
        .map(|(k, v)| (k.to_string(), *v))
        .chain(extra.iter().cloned())
        .collect()
}

fn run_owned(o: &[(String, &'static str)]) -> Trajectory {
    let refs: Vec<(&str, &str)> = o.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    run(&refs)
}

/// Bids only are switched off so that wanting can be read over the whole
/// separation without a reunion cutting it short.
const NO_BIDS: (&str, &str) = ("bid.threshold", "10");

/// Neither of you ends it while together, and your partner meets nobody
/// then: the together field alone.
const NO_BREAKUPS: [(&str, &str); 4] = [
    ("rates.partner_leave", "0"),
    ("rates.you_leave", "0"),
    ("rates.you_leave_underbenefit", "0"),
    ("rates.new_partner_together", "0"),
];

/// You get back what you give (partner.effort 0.4 × (1 − negativity 0.5)).
const MUTUAL: (&str, &str) = ("you.effort", "0.2");
const COMMITTED: [(&str, &str); 3] = [
    ("partner.satisfaction", "0.8"),
    ("partner.investment", "0.8"),
    ("partner.alternatives", "0.1"),
];
const UNCOMMITTED: [(&str, &str); 3] = [
    ("partner.satisfaction", "0.3"),
    ("partner.investment", "0.1"),
    ("partner.alternatives", "0.9"),
];

#[test]
fn every_mechanism_has_a_switch() {
    let info = find("walkaway").unwrap().info();
    for m in MECHANISMS {
        assert!(info.param_index(&format!("mechanisms.{m}")).is_ok(), "{m}");
    }
}

#[test]
fn staying_in_a_mutual_relationship_is_the_status_quo() {
    let mut o = vec![("separation.length", "0"), MUTUAL];
    o.extend(NO_BREAKUPS);
    let t = run(&o);
    for name in ["love", "wanting", "negativity", "your_love", "stress"] {
        let v = col(&t, name);
        assert!(
            (v[v.len() - 1] - v[0]).abs() < 1e-6,
            "{name} drifted while staying: {} -> {}",
            v[0],
            v[v.len() - 1]
        );
    }
    assert_eq!(
        t.outcome.as_deref(),
        Some("still together (neither of you left)")
    );
}

#[test]
fn staying_in_a_one_sided_relationship_wears_your_love_down() {
    // Sprecher 2001: being under-benefited goes with lower satisfaction,
    // commitment and more break-ups. Staying is not frozen: your love wears
    // down, and only through reevaluation.
    let mut o = vec![("separation.length", "0")];
    o.extend(NO_BREAKUPS);
    let one_sided = run(&o);
    let y0 = at(&one_sided, "your_love", 0.0);
    assert!(
        at(&one_sided, "your_love", 180.0) < y0 - 0.05,
        "your love should wear down: {y0} -> {}",
        at(&one_sided, "your_love", 180.0)
    );
    let mut without: Vec<(String, &'static str)> =
        o.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    without.push(off("reevaluation"));
    let flat = run_owned(&without);
    assert!((at(&flat, "your_love", 180.0) - y0).abs() < 1e-6);
}

#[test]
fn staying_can_end_with_either_of_you_leaving() {
    // While together, either of you can end it: over 400 seeds of staying a
    // year in the default (one-sided) relationship, both happen, and you end
    // it more often (the under-benefited leave more; Sprecher 2001).
    let (mut you, mut partner) = (0, 0);
    for seed in 0..400 {
        let t = run_until(&[("separation.length", "0")], seed, 365.0);
        match t.events.iter().find(|e| e.kind == "separation") {
            Some(e) if e.detail.starts_with("you walk") => you += 1,
            Some(_) => partner += 1,
            None => {}
        }
    }
    assert!(
        partner > 0 && you > partner,
        "you {you}, your partner {partner}"
    );
}

// 1. Absence and longing -------------------------------------------------

#[test]
fn longing_raises_wanting_while_apart() {
    // Longing alone: pursuit and loneliness also push wanting in a
    // committed partner, and would carry the claim without longing.
    let base = [NO_BIDS, COMMITTED[0], COMMITTED[1], COMMITTED[2]];
    let alone = [off("pursuit"), off("loneliness")];
    let on = run_owned(&with(&base, &alone));
    let without = run_owned(&with(
        &base,
        &[off("pursuit"), off("loneliness"), off("longing")],
    ));
    let w0 = at(&on, "wanting", 0.0);
    assert!(
        peak(&on, "wanting", 1.0, 60.0) > w0 * 1.15,
        "wanting should rise above its day-0 level"
    );
    assert!(peak(&on, "wanting", 1.0, 60.0) > peak(&without, "wanting", 1.0, 60.0) + 0.05);
}

#[test]
fn longing_needs_love_to_long_for() {
    // A partner who feels nothing for you (and whom memories do not move)
    // has nothing to long for.
    let base = [
        NO_BIDS,
        ("partner.satisfaction", "0"),
        ("rates.nostalgia", "0"),
    ];
    let on = run_owned(&with(&base, &[]));
    let without = run_owned(&with(&base, &[off("longing")]));
    assert!(
        (peak(&on, "wanting", 1.0, 180.0) - peak(&without, "wanting", 1.0, 180.0)).abs() < 1e-3
    );
}

// 2. Pursuit: wanting, not liking, and only in the committed ------------

#[test]
fn scarcity_raises_wanting_in_a_committed_partner() {
    let base = [NO_BIDS, COMMITTED[0], COMMITTED[1], COMMITTED[2]];
    let on = run_owned(&with(&base, &[off("longing"), off("loneliness")]));
    let without = run_owned(&with(
        &base,
        &[off("longing"), off("loneliness"), off("pursuit")],
    ));
    assert!(peak(&on, "wanting", 1.0, 60.0) > peak(&without, "wanting", 1.0, 60.0) + 0.05);
    // Liking does not rise with the chase (Dai, Dong & Jia 2014): it falls
    // by the liking cost, by more than rounding.
    assert!(at(&on, "love", 60.0) < at(&without, "love", 60.0) - 0.01);
}

#[test]
fn scarcity_lowers_wanting_and_bids_in_an_uncommitted_partner() {
    let on = run_owned(&with(&UNCOMMITTED, &[]));
    let without = run_owned(&with(&UNCOMMITTED, &[off("pursuit")]));
    assert!(peak(&on, "wanting", 1.0, 60.0) < peak(&without, "wanting", 1.0, 60.0) - 0.02);
    assert!(
        at(&on, "wanting", 30.0) < at(&on, "wanting", 0.0),
        "wanting should fall below its day-0 level"
    );
    assert_eq!(
        bids(&on),
        0,
        "an uncommitted partner should not bid: {:?}",
        on.events
    );
}

// 3. Loneliness ----------------------------------------------------------

#[test]
fn loneliness_grows_apart_and_feeds_wanting_and_the_meeting_rate() {
    // The meeting rate is tiny so that no meeting (which ends the
    // accumulation of the hazard) depends on one seed's draw; the ratio of
    // accumulated hazards does not depend on the base rate.
    let base = [
        NO_BIDS,
        ("partner.social", "0.1"),
        ("mechanisms.new_partner", "true"),
        ("rates.new_partner", "0.000001"),
    ];
    let on = run_owned(&with(&base, &[]));
    let without = run_owned(&with(&base, &[off("loneliness")]));
    assert!(on.events.iter().all(|e| e.kind != "new-partner"));
    assert!(at(&on, "loneliness", 30.0) > 0.3);
    assert!(peak(&on, "wanting", 1.0, 90.0) > peak(&without, "wanting", 1.0, 90.0) + 0.02);
    assert!(at(&on, "hazard", 90.0) > 1.3 * at(&without, "hazard", 90.0));
}

#[test]
fn a_full_social_life_keeps_loneliness_low() {
    let isolated = run(&[
        NO_BIDS,
        ("partner.social", "0"),
        ("partner.attachment_anxiety", "0.5"),
    ]);
    let busy = run(&[
        NO_BIDS,
        ("partner.social", "1"),
        ("partner.attachment_anxiety", "0.5"),
    ]);
    assert!(at(&busy, "loneliness", 30.0) < 0.35 * at(&isolated, "loneliness", 30.0));
}

// 4. True feelings: commitment decides ----------------------------------

#[test]
fn a_committed_partner_holds_on_and_bids() {
    let committed = run(&COMMITTED);
    let uncommitted = run(&UNCOMMITTED);
    assert!(bids(&committed) >= 1, "{:?}", committed.events);
    assert_eq!(bids(&uncommitted), 0);
    // Relative loss of love over 60 days apart: faster without commitment.
    let loss = |t: &Trajectory| 1.0 - at(t, "love", 60.0) / at(t, "love", 0.0);
    let committed_apart = run(&[
        NO_BIDS,
        COMMITTED[0],
        COMMITTED[1],
        COMMITTED[2],
        ("mechanisms.bistability", "false"),
    ]);
    let uncommitted_apart = run(&[
        NO_BIDS,
        UNCOMMITTED[0],
        UNCOMMITTED[1],
        UNCOMMITTED[2],
        ("mechanisms.bistability", "false"),
    ]);
    assert!(loss(&uncommitted_apart) > loss(&committed_apart) + 0.1);
}

#[test]
fn without_the_commitment_mechanism_forgetting_ignores_commitment() {
    let extra = [
        off("true_feelings"),
        off("bistability"),
        off("pursuit"),
        off("longing"),
        off("loneliness"),
        off("nostalgia"),
    ];
    let a = run_owned(&with(
        &[
            NO_BIDS,
            ("partner.satisfaction", "0.5"),
            ("partner.investment", "0.9"),
            ("partner.alternatives", "0.1"),
        ],
        &extra,
    ));
    let b = run_owned(&with(
        &[
            NO_BIDS,
            ("partner.satisfaction", "0.5"),
            ("partner.investment", "0.1"),
            ("partner.alternatives", "0.9"),
        ],
        &extra,
    ));
    assert!((at(&a, "love", 60.0) - at(&b, "love", 60.0)).abs() < 1e-9);
}

// 5. Learning from the loss ---------------------------------------------

#[test]
fn negativity_falls_apart_and_relapses_after_a_reunion() {
    let apart = run(&[NO_BIDS, COMMITTED[0], COMMITTED[1], COMMITTED[2]]);
    assert!(at(&apart, "negativity", 90.0) < 0.8 * at(&apart, "negativity", 0.0));
    // Trial separation of 60 days, then back: the change fades.
    let trial = run(&[
        NO_BIDS,
        COMMITTED[0],
        COMMITTED[1],
        COMMITTED[2],
        NO_BREAKUPS[0],
        NO_BREAKUPS[1],
        NO_BREAKUPS[2],
        NO_BREAKUPS[3],
        ("separation.length", "60"),
        ("separation.after", "return"),
    ]);
    // Negativity drifts back towards its old level, keeping the share
    // rates.relapse_keep = 0.3 of what was learned: after 120 days it has
    // gone more than half of the way to that target, and not past it.
    let at_return = at(&trial, "negativity", 60.0);
    let later = at(&trial, "negativity", 180.0);
    let target = 0.5 - 0.3 * (0.5 - at_return);
    assert!(
        later > at_return + 0.5 * (target - at_return) && later <= target + 1e-9,
        "negativity should relapse towards {target}: {at_return} -> {later}"
    );
}

#[test]
fn an_uncommitted_partner_learns_little() {
    let committed = run(&[NO_BIDS, COMMITTED[0], COMMITTED[1], COMMITTED[2]]);
    let uncommitted = run_owned(&with(
        &[NO_BIDS, UNCOMMITTED[0], UNCOMMITTED[1], UNCOMMITTED[2]],
        &[],
    ));
    let drop = |t: &Trajectory| at(t, "negativity", 0.0) - at(t, "negativity", 90.0);
    assert!(drop(&uncommitted) < 0.5 * drop(&committed));
    let no_learning = run_owned(&with(
        &[NO_BIDS, COMMITTED[0], COMMITTED[1], COMMITTED[2]],
        &[off("learning")],
    ));
    assert_eq!(drop(&no_learning), 0.0);
}

// 6. Jealousy shows as bursts of contact --------------------------------

#[test]
fn a_possessive_partner_bursts_into_contact() {
    let t = run(&[
        NO_BIDS,
        ("partner.possessiveness", "0.9"),
        ("partner.attachment_anxiety", "0.8"),
    ]);
    let early = peak(&t, "contact_rate", 1.0, 14.0);
    let later = at(&t, "contact_rate", 60.0);
    assert!(early > 2.0 * later, "burst {early} vs later {later}");
    assert!(peak(&t, "jealousy", 1.0, 14.0) > 0.2);
}

#[test]
fn no_burst_without_possessiveness() {
    let t = run(&[NO_BIDS, ("partner.possessiveness", "0")]);
    assert!(peak(&t, "jealousy", 0.0, 180.0) < 1e-12);
    let without = run_owned(&with(
        &[NO_BIDS, ("partner.possessiveness", "0")],
        &[off("jealousy")],
    ));
    assert!(
        (peak(&t, "contact_rate", 1.0, 14.0) - peak(&without, "contact_rate", 1.0, 14.0)).abs()
            < 1e-9
    );
}

// 7. Space: stress falls, thinking clears -------------------------------

#[test]
fn space_lowers_stress_and_helps_learning() {
    let base = [
        NO_BIDS,
        COMMITTED[0],
        COMMITTED[1],
        COMMITTED[2],
        ("partner.stress", "0.9"),
    ];
    let on = run_owned(&with(&base, &[]));
    let without = run_owned(&with(&base, &[off("space")]));
    assert!(at(&on, "stress", 30.0) < 0.75 * at(&on, "stress", 0.0));
    assert!(at(&on, "negativity", 90.0) < at(&without, "negativity", 90.0));
}

#[test]
fn space_does_nothing_when_stress_is_not_relieved() {
    let t = run(&[NO_BIDS, ("rates.stress_relief", "0")]);
    assert!((at(&t, "stress", 60.0) - at(&t, "stress", 0.0)).abs() < 1e-9);
}

// 8. Your own re-evaluation (reciprocity) -------------------------------

#[test]
fn being_under_benefited_lowers_your_love_apart() {
    let base = [NO_BIDS, ("you.effort", "0.9"), ("partner.effort", "0.2")];
    let on = run_owned(&with(&base, &[]));
    let without = run_owned(&with(&base, &[off("reevaluation")]));
    assert!(at(&on, "your_love", 60.0) < at(&without, "your_love", 60.0) - 0.1);
    assert_eq!(
        walkaway::reciprocity_verdict(&walkaway::Params::from_slice(&params(&[
            ("you.effort", "0.9"),
            ("partner.effort", "0.2")
        ]))),
        "one-sided"
    );
}

#[test]
fn a_mutual_relationship_is_not_re_evaluated_downwards() {
    let base = [
        NO_BIDS,
        ("you.effort", "0.4"),
        ("partner.effort", "0.9"),
        ("partner.negativity", "0.1"),
    ];
    let on = run_owned(&with(&base, &[]));
    let without = run_owned(&with(&base, &[off("reevaluation")]));
    assert!((at(&on, "your_love", 60.0) - at(&without, "your_love", 60.0)).abs() < 1e-9);
    assert_eq!(
        walkaway::reciprocity_verdict(&walkaway::Params::from_slice(&params(&base))),
        "mutual"
    );
}

// 9. Nostalgia: bad memories fade faster --------------------------------

#[test]
fn bad_memories_fade_faster_so_the_past_looks_better() {
    let base = [NO_BIDS, ("partner.negativity", "0.7")];
    let on = run_owned(&with(&base, &[]));
    let without = run_owned(&with(&base, &[off("nostalgia")]));
    // Fading alone improves the balance of a mostly bad past even at equal
    // rates, so the claim is about the shares left: after 60 days apart, a
    // larger share of the good memories' feeling remains than of the bad.
    let left = |t: &Trajectory, name| at(t, name, 60.0) / at(t, name, 0.0);
    assert!(
        left(&on, "good_memories") > left(&on, "bad_memories") + 0.2,
        "bad memories should fade faster than good ones"
    );
    assert!((left(&without, "good_memories") - left(&without, "bad_memories")).abs() < 1e-9);
    assert!(at(&on, "love", 60.0) > at(&without, "love", 60.0));
}

#[test]
fn nostalgia_cannot_improve_a_past_with_little_bad_in_it() {
    let t = run(&[NO_BIDS, ("partner.negativity", "0.05")]);
    let balance = |d: f64| at(&t, "good_memories", d) - at(&t, "bad_memories", d);
    assert!(balance(60.0) < balance(0.0));
}

// 10. Love grows or collapses: two attractors ---------------------------

fn love_equilibria(overrides: &[(&str, &str)]) -> usize {
    love_equilibria_of(&params(overrides))
}

/// Zeros of dL/dt along L with every other variable at its day-0 value.
fn love_equilibria_of(p: &[f64]) -> usize {
    let p = p.to_vec();
    let y0 = Walkaway.initial_state(&p);
    let mut roots = 0;
    let mut prev = f64::NAN;
    for k in 0..=3000 {
        let mut y = y0.clone();
        y[0] = -0.5 + 3.0 * k as f64 / 3000.0;
        let mut dy = vec![0.0; y.len()];
        Walkaway.vector_field(&p, 0.0, &y, &mut dy);
        if prev.is_finite() && (prev < 0.0) != (dy[0] < 0.0) {
            roots += 1;
        }
        prev = dy[0];
    }
    roots
}

#[test]
fn synergy_gives_two_attractors_for_love() {
    assert_eq!(
        love_equilibria(&[]),
        3,
        "two stable states and a tipping point between them"
    );
    assert_eq!(love_equilibria(&[("mechanisms.bistability", "false")]), 1);
}

#[test]
fn a_long_separation_pushes_love_across_the_tipping_point() {
    // A year on: after a 10-day break love stays on the high branch; after a
    // 60-day one it has crossed the tipping point and settles on the low one,
    // even though you went back.
    let short = run_until(
        &[
            NO_BIDS,
            MUTUAL,
            NO_BREAKUPS[0],
            NO_BREAKUPS[1],
            NO_BREAKUPS[2],
            NO_BREAKUPS[3],
            ("separation.length", "10"),
            ("separation.after", "return"),
        ],
        1,
        360.0,
    );
    let long = run_until(
        &[
            NO_BIDS,
            MUTUAL,
            NO_BREAKUPS[0],
            NO_BREAKUPS[1],
            NO_BREAKUPS[2],
            NO_BREAKUPS[3],
            ("separation.length", "60"),
            ("separation.after", "return"),
        ],
        1,
        360.0,
    );
    let l0 = at(&short, "love", 0.0);
    assert!(
        at(&short, "love", 360.0) > 0.75 * l0,
        "after a short break love stays high: {}",
        at(&short, "love", 360.0)
    );
    // After a long one it has crossed the tipping point (0.649·L₀, §3.10)
    // and is still sinking towards the low state.
    assert!(
        at(&long, "love", 360.0) < 0.649 * l0
            && at(&long, "love", 360.0) < at(&long, "love", 300.0),
        "after a long one it collapses: {}",
        at(&long, "love", 360.0)
    );
    // Without synergy there is one attractor, and love heads back towards it.
    let linear = run_until(
        &[
            NO_BIDS,
            MUTUAL,
            NO_BREAKUPS[0],
            NO_BREAKUPS[1],
            NO_BREAKUPS[2],
            NO_BREAKUPS[3],
            ("separation.length", "60"),
            ("separation.after", "return"),
            ("mechanisms.bistability", "false"),
        ],
        1,
        360.0,
    );
    assert!(at(&linear, "love", 360.0) > at(&linear, "love", 90.0) + 0.05);
}

// 11. Meeting someone new -----------------------------------------------

#[test]
fn meeting_someone_new_lowers_the_chance_of_a_bid() {
    // Over many seeds (different Exp(1) draws), partners who met someone
    // before day 60 bid less often than those who did not.
    let (mut met, mut met_bid, mut not, mut not_bid) = (0, 0, 0, 0);
    for seed in 0..400 {
        let t = run_with(
            &[
                ("rates.new_partner", "0.02"),
                COMMITTED[0],
                COMMITTED[1],
                COMMITTED[2],
                ("bid.threshold", "0.35"),
            ],
            seed,
        );
        let meet = t
            .events
            .iter()
            .find(|e| e.kind == "new-partner")
            .map(|e| e.t);
        let bid = t.events.iter().find(|e| e.kind == "bid").map(|e| e.t);
        let met_first = matches!((meet, bid), (Some(m), b) if b.is_none_or(|b| m < b));
        if met_first {
            met += 1;
            met_bid += bid.is_some() as u32;
        } else {
            not += 1;
            not_bid += bid.is_some() as u32;
        }
    }
    assert!(met > 30 && not > 30, "met {met}, not {not}");
    let p_met = met_bid as f64 / met as f64;
    let p_not = not_bid as f64 / not as f64;
    assert!(
        p_met < 0.5 * p_not,
        "bid after meeting someone {p_met:.2} vs not {p_not:.2}"
    );
}

#[test]
fn together_the_meeting_rate_is_small_and_off_means_never() {
    // A rate so low that no meeting resets the accumulated hazard.
    let stay = run(&[("separation.length", "0"), ("rates.new_partner", "0.0005")]);
    let apart = run(&[NO_BIDS, ("rates.new_partner", "0.0005")]);
    assert!(apart.events.iter().all(|e| e.kind != "new-partner"));
    assert!(at(&stay, "hazard", 180.0) < 0.1 * at(&apart, "hazard", 180.0));
    let never = run_owned(&with(
        &[NO_BIDS, ("rates.new_partner", "0.5")],
        &[off("new_partner")],
    ));
    assert!(never.events.iter().all(|e| e.kind != "new-partner"));
}

// The schedule ----------------------------------------------------------

#[test]
fn a_separation_starting_after_the_horizon_is_rejected_with_its_name() {
    let p = params(&[("separation.start", "500")]);
    let run = RunOptions::for_model(&walkaway::INFO);
    let err = Walkaway
        .simulate(&p, &Walkaway.initial_state(&p), &run)
        .unwrap_err();
    assert!(err.to_string().contains("separation.start"), "{err}");
}

#[test]
fn partial_contact_softens_the_separation() {
    let full = run(&[NO_BIDS]);
    let partial = run(&[NO_BIDS, ("separation.contact", "0.5")]);
    assert!(at(&partial, "loneliness", 30.0) < at(&full, "loneliness", 30.0));
    assert!(at(&partial, "hazard", 60.0) < at(&full, "hazard", 60.0));
}

#[test]
fn the_same_seed_gives_the_same_story() {
    let a = run_with(&[], 42);
    let b = run_with(&[], 42);
    assert_eq!(a, b);
}

#[test]
fn day_zero_is_a_stable_resting_point_for_any_satisfaction() {
    // Nudge love by ±0.01 and stay: it must come back, not run away.
    for sat in [
        "0", "0.03", "0.05", "0.1", "0.3", "0.45", "0.55", "0.8", "1",
    ] {
        for resp in ["0", "1"] {
            let p = params(&[
                ("separation.length", "0"),
                ("partner.satisfaction", sat),
                ("partner.responsiveness", resp),
                MUTUAL,
                NO_BREAKUPS[0],
                NO_BREAKUPS[1],
                NO_BREAKUPS[2],
                NO_BREAKUPS[3],
            ]);
            let mut run = RunOptions::for_model(&walkaway::INFO);
            run.t_end = 2000.0;
            run.every = Some(2000.0);
            for nudge in [-0.01, 0.01] {
                let mut y0 = Walkaway.initial_state(&p);
                let l0 = y0[0];
                y0[0] += nudge;
                let t = Walkaway.simulate(&p, &y0, &run).unwrap();
                let end = t.final_state[0];
                assert!(
                    (end - l0).abs() < 0.5 * nudge.abs(),
                    "satisfaction {sat}, responsiveness {resp}: {l0} nudged by {nudge} ended at {end}"
                );
            }
        }
    }
}
