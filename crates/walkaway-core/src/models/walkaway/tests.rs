use super::state::*;
use super::system::{Initiator, ReunionBy};
use super::*;
use crate::model::RunOptions;
use crate::ode::HybridSystem;
use crate::rng::{Purpose, Stream};

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
        1 => sys.separate(3.0, y0, Initiator::You, true),
        2 => {
            sys.standing.with_new_partner = true;
            sys.refresh();
        }
        3 => sys.reunite(40.0, y0, ReunionBy::YouWentBack),
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
                assert_eq!(a.outcome(t, &y), b.outcome(t, &y_other));
            }
        }
    }
}

/// The thresholds the driver locates roots with are the event
/// functions, to the bit, in every standing; and an event the driver
/// skips as off (`event_is_off`) has a function that cannot cross.
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
                if sys.event_is_off(e) {
                    assert_eq!(sys.event_value(e, 1.0, &y), -1.0, "case {case} event {e}");
                    assert_eq!(sys.event_value(e, 7.0, &y0), -1.0, "case {case} event {e}");
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

/// What lets a forecast skip the learning and space switch-offs in a run
/// of your strategy with no contact while apart and no reunion: together
/// before any separation, negativity and stress rest at their day-0
/// levels with either mechanism on or off (the whole field is the same to
/// the bit there); apart with no contact, switching either off (or
/// changing negativity and stress) changes no other component of the
/// field (as a number: a product with κ = 0 may be a zero of either
/// sign), no event function and no outcome.
#[test]
fn learning_and_space_reach_nothing_before_a_reunion_without_contact() {
    assert_eq!(BEFORE_REUNION_MECHANISMS, ["learning", "space"]);
    let mut rng = Stream::new(7, 0, Purpose::Parameters);
    let contact = INFO.param_index("separation.contact").unwrap();
    for mechanism in BEFORE_REUNION_MECHANISMS {
        let flag = INFO
            .param_index(&format!("mechanisms.{mechanism}"))
            .unwrap();
        for case in 0..1000u64 {
            let mut on = random_params(&mut rng);
            on[flag] = 1.0;
            on[contact] = 0.0;
            let mut off = on.clone();
            off[flag] = 0.0;
            let mut a = WalkawaySystem::new(Params::from_slice(&on), 1, case);
            let mut b = WalkawaySystem::new(Params::from_slice(&off), 1, case);
            let y0 = a.initial_state();
            // Together, never apart: negativity and stress at day 0.
            for _ in 0..5 {
                let mut y = random_state(&mut rng, &y0);
                y[NEGATIVITY] = y0[NEGATIVITY];
                y[STRESS] = y0[STRESS];
                let t = 200.0 * rng.uniform();
                let (mut da, mut db) = ([0.0; N], [0.0; N]);
                a.field(t, &y, &mut da);
                b.field(t, &y, &mut db);
                assert_eq!(
                    (da[NEGATIVITY], da[STRESS]),
                    (0.0, 0.0),
                    "{mechanism} {case}"
                );
                assert_eq!(
                    da.map(f64::to_bits),
                    db.map(f64::to_bits),
                    "{mechanism}: case {case} together"
                );
            }
            // Apart with no contact, alone or with a new partner.
            for stage in 1..3 {
                enter_stage(&mut a, stage, &y0);
                enter_stage(&mut b, stage, &y0);
                assert_eq!(a.standing.contact, 0.0);
                for _ in 0..5 {
                    let y = random_state(&mut rng, &y0);
                    let mut y_other = y;
                    for c in [NEGATIVITY, STRESS] {
                        y_other[c] = 3.0 * rng.uniform();
                    }
                    let t = 200.0 * rng.uniform();
                    let (mut da, mut db) = ([0.0; N], [0.0; N]);
                    a.field(t, &y, &mut da);
                    b.field(t, &y_other, &mut db);
                    for i in (0..N).filter(|i| ![NEGATIVITY, STRESS].contains(i)) {
                        assert_eq!(
                            da[i], db[i],
                            "{mechanism}: case {case} stage {stage} {}",
                            STATE_NAMES[i]
                        );
                    }
                    for e in 0..a.event_count() {
                        assert_eq!(a.event_value(e, t, &y), b.event_value(e, t, &y_other));
                    }
                    assert_eq!(a.outcome(t, &y), b.outcome(t, &y_other));
                    assert_eq!(
                        a.later_bids_are_rejected(&y),
                        b.later_bids_are_rejected(&y_other)
                    );
                }
            }
        }
    }
}

/// What lets a forecast skip a "no contact for N days" run that does not
/// go back on day N: resumed from your strategy's checkpoint there (with
/// jealousy off, as forecasts run them), it ends as your strategy's own
/// run: the same outcome, separations and reunions, and first days of
/// each kind of event (rtol 1e-10: the two runs take different steps).
#[test]
fn strategies_that_do_not_go_back_end_as_your_run() {
    let mut rng = Stream::new(11, 0, Purpose::Parameters);
    let run = RunOptions {
        every: None,
        rtol: 1e-10,
        atol: 1e-12,
        ..RunOptions::for_model(&INFO)
    };
    let set = |p: &mut Vec<f64>, name: &str, v: f64| INFO.set_param(p, name, v).unwrap();
    let fork_days = [14.0, 30.0, 60.0, 90.0];
    let (mut skipped, mut resumed) = (0, 0);
    for case in 0..120u64 {
        let mut base = INFO.default_params();
        for (name, lo, hi) in [
            ("partner.satisfaction", 0.1, 0.9),
            ("partner.investment", 0.1, 0.9),
            ("partner.alternatives", 0.1, 0.9),
            ("you.love", 0.1, 0.9),
            ("you.accept_threshold", 0.2, 0.8),
        ] {
            set(&mut base, name, lo + (hi - lo) * rng.uniform());
        }
        // Your plan ends at the horizon or later, or with you staying apart.
        let (length, after) = if case % 2 == 0 {
            (180.0, (3.0 * rng.uniform()).floor())
        } else {
            (120.0, 0.0)
        };
        set(&mut base, "separation.length", length);
        set(&mut base, "separation.after", after);
        set(&mut base, "separation.contact", 0.0);
        let run = RunOptions {
            trajectory: case,
            ..run
        };
        let mut checkpoints = Vec::new();
        let own = Walkaway::run_observed_with_checkpoints(
            &base,
            &run,
            &fork_days,
            None,
            |_, _, _| {},
            |c| checkpoints.push(c),
        )
        .unwrap();
        for c in &checkpoints {
            let mut strategy = base.clone();
            set(&mut strategy, "separation.length", c.t);
            set(&mut strategy, "separation.after", 2.0);
            set(&mut strategy, "mechanisms.jealousy", 0.0);
            if Walkaway::resume_for_outcome_if_new(c, &strategy, &run)
                .unwrap()
                .is_some()
            {
                resumed += 1;
                continue;
            }
            skipped += 1;
            let (sys, y, _) = Walkaway::resume_for_outcome(c, &strategy, &run).unwrap();
            let at = format!("case {case} day {}", c.t);
            assert_eq!(
                sys.outcome(run.t_end, &y),
                own.0.outcome(run.t_end, &own.1),
                "{at}"
            );
            assert_eq!(sys.standing.separations, own.0.standing.separations, "{at}");
            assert_eq!(sys.standing.reunions, own.0.standing.reunions, "{at}");
            let first = |log: &[LogEntry], kind: fn(&LogKind) -> bool| {
                log.iter().find(|e| kind(&e.kind)).map(|e| e.t)
            };
            let kinds: [fn(&LogKind) -> bool; 6] = [
                |k| {
                    matches!(
                        k,
                        LogKind::Bid {
                            after_refusal: false,
                            ..
                        }
                    )
                },
                |k| {
                    matches!(
                        k,
                        LogKind::Bid {
                            after_refusal: true,
                            ..
                        }
                    )
                },
                |k| matches!(k, LogKind::Reunion { .. }),
                |k| matches!(k, LogKind::NewPartner),
                |k| matches!(k, LogKind::Separation { .. }),
                |k| matches!(k, LogKind::YouMetSomeone),
            ];
            for (i, kind) in kinds.into_iter().enumerate() {
                match (first(&sys.log, kind), first(&own.0.log, kind)) {
                    (Some(a), Some(b)) => {
                        assert!((a - b).abs() < 1e-5, "{at} kind {i}: {a} vs {b}")
                    }
                    (a, b) => assert_eq!(a, b, "{at} kind {i}"),
                }
            }
        }
    }
    // Both branches are exercised.
    assert!(
        skipped > 200 && resumed > 20,
        "{skipped} skipped, {resumed} resumed"
    );
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
            None,
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
                None,
                |_, _, _| {},
                |_| {},
            )
            .unwrap();
            let for_outcome = Walkaway::resume_for_outcome(c, &strategy, &run).unwrap();
            assert_eq!(
                for_outcome.0.outcome(run.t_end, &for_outcome.1),
                own.0.outcome(run.t_end, &own.1)
            );
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
        // The shortcut needs contacts that cannot lift your love.
        INFO.set_param(&mut p, "contact.pull", 0.0).unwrap();
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
            full.0.outcome(run.t_end, &full.1),
            quick.0.outcome(run.t_end, &quick.1),
            "case {case}"
        );
        let first =
            |log: &[LogEntry], name: &str| log.iter().find(|e| e.kind.name() == name).map(|e| e.t);
        // The first request after a refusal (reported as unwanted pursuit).
        let again = |log: &[LogEntry]| {
            log.iter()
                .find(|e| {
                    matches!(
                        e.kind,
                        LogKind::Bid {
                            after_refusal: true,
                            ..
                        }
                    )
                })
                .map(|e| e.t)
        };
        match (again(&full.0.log), again(&quick.0.log)) {
            (Some(a), Some(b)) => {
                assert!((a - b).abs() < 1e-5, "case {case} asked again: {a} vs {b}")
            }
            (a, b) => assert_eq!(a, b, "case {case} asked again"),
        }
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
        INFO.set_param(&mut p, "contact.pull", 0.0).unwrap();
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
