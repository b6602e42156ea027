use super::dynamics::{Draws, PartnerModel};
use super::filter::ln_predictive;
use super::simulate::simulate_journal;
use super::*;
use crate::model::RunOptions;
use crate::models::walkaway::{INFO, LogKind, Params, Walkaway, state};
use crate::population::Population;
use crate::rng::Stream;

const DAYS: u32 = 180;

fn parse(text: &str) -> Result<ParsedJournal, JournalError> {
    parse_csv(text, DAYS)
}

#[test]
fn a_journal_reads_back_from_its_own_csv() {
    let text = "date,contacts,request,met_someone,you_contacted,mood,note\n\
                2026-11-01,3,none,no,no,4,first day\n\
                2026-11-02,,,,,,\n\
                2026-11-04,12,declined,not_sure,yes,2,\"called, then \"\"sorry\"\"\nat night\"\n";
    let j = parse(text).unwrap();
    assert_eq!(j.entries.len(), 3);
    assert_eq!(j.entries[2].day, 3);
    assert_eq!(j.entries[2].note, "called, then \"sorry\"\nat night");
    assert_eq!(j.entries[1].contacts, None);
    assert_eq!(j.entries[2].request, Some(Request::Declined));
    let again = parse(&to_csv(&j.entries, j.left_on)).unwrap();
    assert_eq!(again, j);
    assert_eq!(entries::date_from_days(j.left_on.unwrap()), "2026-11-01");
    // Notes that look like spreadsheet formulas are defused and read back.
    let mut risky = j.entries.clone();
    risky[0].note = "=HYPERLINK(\"x\")".into();
    risky[1].note = "'quoted".into();
    let text = to_csv(&risky, None);
    assert!(
        text.contains("'=HYPERLINK") && !text.contains(",=HYPERLINK"),
        "{text}"
    );
    assert_eq!(parse(&text).unwrap().entries, risky);
}

fn error(text: &str) -> JournalError {
    parse(text).expect_err("a bad journal must be refused")
}

#[test]
fn bad_rows_name_their_line_column_and_what_is_allowed() {
    let e = error("day,contacts\n0,2\n1,-3\n");
    assert_eq!(
        (e.line, e.column.as_str(), e.value.as_str()),
        (3, "contacts", "-3")
    );
    assert!(e.allowed.contains("0 to 500"), "{e}");
    let e = error("day,contacts\n0,2\n1,501\n");
    assert_eq!((e.line, e.column.as_str()), (3, "contacts"));
    let e = error("day,contacts\n0,2.5\n");
    assert_eq!((e.line, e.column.as_str()), (2, "contacts"));
    let e = error("day,contacts\n3,1\n2,1\n");
    assert_eq!((e.line, e.column.as_str()), (3, "day"));
    assert!(e.allowed.contains("in order"), "{e}");
    let e = error("day,contacts\n3,1\n3,1\n");
    assert!(e.allowed.contains("each day once"), "{e}");
    let e = error("day,contacts\n0,1\n180,1\n");
    assert_eq!(
        (e.line, e.column.as_str(), e.value.as_str()),
        (3, "day", "180")
    );
    assert!(e.allowed.contains("0 to 179"), "{e}");
    let e = error("day,mood\n0,11\n");
    assert_eq!(e.column, "mood");
    let e = error("day,request\n0,maybe\n");
    assert!(e.allowed.contains("declined"), "{e}");
    let e = error("day,met_someone\n0,perhaps\n");
    assert!(e.allowed.contains("not_sure"), "{e}");
    let e = error("day,calls\n0,1\n");
    assert_eq!(
        (e.line, e.column.as_str(), e.value.as_str()),
        (1, "header", "calls")
    );
    let e = error("date,contacts\n2026-02-30,1\n");
    assert_eq!(e.column, "date");
    let e = error("day,date\n0,2026-11-01\n1,2026-11-03\n");
    assert_eq!((e.line, e.column.as_str()), (3, "date"));
    let e = error("day,request\n0,accepted\n1,none\n");
    assert_eq!((e.line, e.column.as_str()), (3, "day"));
    let e = error("day,note\n0,\"never closed\n");
    assert_eq!(e.line, 2);
    let e = error("");
    assert_eq!(e.column, "header");
    let e = error("day,contacts\n0,1,2\n");
    assert_eq!(e.column, "row");
}

/// The separation dynamics against the full model: with no meeting, the
/// expected contact attempts over 60 days and the day of the first bid.
#[test]
fn the_separation_dynamics_follow_the_full_model() {
    let pop = Population::walkaway_default();
    let set = |p: &mut [f64], name: &str, v: f64| p[INFO.param_index(name).unwrap()] = v;
    for k in 0..12u64 {
        let mut s = Stream::new(11, k, crate::rng::Purpose::Parameters);
        let mut p = crate::forecast::ParamSampler::sample(&pop, &mut s);
        set(&mut p, "mechanisms.new_partner", 0.0);
        set(
            &mut p,
            "separation.contact",
            if k % 3 == 0 { 0.3 } else { 0.0 },
        );
        if k % 2 == 0 {
            set(&mut p, "bid.threshold", 10.0);
        }
        let mut run = RunOptions::for_model(&INFO);
        run.t_end = 60.0;
        run.every = None;
        run.rtol = 1e-8;
        run.atol = 1e-10;
        let (sys, y, _) = Walkaway::run_final(&p, None, &run).unwrap();
        let full_bid = sys.log.iter().find_map(|e| match e.kind {
            LogKind::Bid { .. } => Some(e.t),
            _ => None,
        });
        // The full model's first bid can be accepted (a reunion ends the
        // comparison); compare contacts only up to it.
        let mut model = PartnerModel::new(Params::from_slice(&p));
        let draws = Draws {
            meet: [1e9, 1e9],
            end: 1e9,
            give_up: 0.5,
        };
        let mut st = model.start(&draws);
        let mut contacts = 0.0;
        let mut bid_day = None;
        for day in 0..60 {
            let out = model.step_day(&mut st, &draws, false);
            contacts += out.expected_contacts;
            if out.bid && bid_day.is_none() {
                bid_day = Some(day);
            }
        }
        match (full_bid, bid_day) {
            (None, None) => {
                let full = y[state::CONTACTS];
                assert!(
                    (contacts - full).abs() <= 0.03 * full + 0.05,
                    "draw {k}: {contacts} expected attempts against the model's {full}"
                );
            }
            (Some(t), Some(d)) => {
                assert!(
                    (t - f64::from(d)).abs() <= 1.5,
                    "draw {k}: first bid on day {d} against the model's {t}"
                );
            }
            other => panic!("draw {k}: bids differ: {other:?}"),
        }
    }
}

#[test]
fn a_burst_of_contact_is_a_warning_sign() {
    let mut entries: Vec<Entry> = (0..10)
        .map(|day| Entry {
            day,
            contacts: Some(1),
            ..Default::default()
        })
        .collect();
    assert!(report::possessive_burst(&entries).is_none());
    entries[4].contacts = Some(8);
    entries[5].contacts = Some(8);
    entries[6].contacts = Some(8);
    let w = report::possessive_burst(&entries).expect("24 attempts in three days");
    assert!(w.message.contains("warning sign, not proof of love"));
    assert!(!w.message.to_lowercase().contains(" he ") && !w.message.contains(" she "));
}

fn unknowns() -> Unknowns {
    Unknowns::new(&Population::walkaway_default())
}

#[test]
fn the_model_does_not_fit_a_journal_it_cannot_produce() {
    let u = unknowns();
    let entries: Vec<Entry> = (0..21)
        .map(|day| Entry {
            day,
            contacts: Some(if day % 2 == 0 { 0 } else { 120 }),
            ..Default::default()
        })
        .collect();
    let opts = FilterOptions {
        particles: 300,
        seed: 3,
        moves: 3,
        ess_threshold: 0.5,
    };
    let post = run_filter(&u, &entries, &opts);
    assert!(!post.diagnostics.fit.fits, "{:?}", post.diagnostics.fit);
}

/// Simulation-based calibration: partners drawn from the prior, journals
/// written by the model; the posterior's 50 % and 90 % intervals must cover
/// the true traits at their nominal rates (within 3.5 standard errors of a
/// binomial proportion over the partners), and the posterior must predict
/// the two weeks after the journal better than the prior.
#[test]
fn simulated_partners_are_covered_at_the_nominal_rates() {
    let u = unknowns();
    let d = u.dim();
    let partners = 200u64;
    let (journal_days, later_days) = (21u32, 14u32);
    let mut in50 = [0usize; 3];
    let mut in90 = [0usize; 3];
    let (mut post_score, mut prior_score, mut better) = (0.0, 0.0, 0);
    let mut misfits = 0;
    for k in 0..partners {
        let mut s = Stream::with_purpose_code(77, k, 300);
        let mut z = vec![0.0; d];
        u.sample(&mut s, &mut z);
        let truth = Params::from_slice(&u.params(&z));
        let all = simulate_journal(&u, &z, journal_days + later_days, &mut s);
        let journal = &all[..journal_days as usize];
        let opts = FilterOptions {
            particles: 192,
            seed: 1000 + k,
            moves: 5,
            ess_threshold: 0.5,
        };
        let post = run_filter(&u, journal, &opts);
        if !post.diagnostics.fit.fits {
            misfits += 1;
        }
        let r = report(&u, journal, &post);
        for (i, t) in r.traits.iter().enumerate() {
            let x = t.which.value(&truth);
            in50[i] += usize::from(t.posterior.in50(x));
            in90[i] += usize::from(t.posterior.in90(x));
        }
        let n = post.weights.len();
        let a = ln_predictive(&u, &post.z, &post.weights, &all, journal_days);
        let b = ln_predictive(&u, &post.prior_z, &vec![1.0; n], &all, journal_days);
        post_score += a;
        prior_score += b;
        better += usize::from(a > b);
    }
    let n = partners as f64;
    // Shown with `--no-capture`; docs/journal.md quotes them.
    eprintln!(
        "coverage 50%: {:?}, 90%: {:?} of {partners}; log score posterior {post_score:.1}, \
         prior {prior_score:.1}, posterior better for {better}; {misfits} misfits",
        in50.map(|h| h as f64 / n),
        in90.map(|h| h as f64 / n),
    );
    for (rate, hits) in [(0.5, in50), (0.9, in90)] {
        let band = 3.5 * (rate * (1.0 - rate) / n).sqrt();
        for (i, h) in hits.iter().enumerate() {
            let cover = *h as f64 / n;
            assert!(
                (cover - rate).abs() <= band,
                "{}: {}% interval covers {cover:.3} of {partners} partners (allowed {:.3}–{:.3})",
                Trait::ALL[i].key(),
                rate * 100.0,
                rate - band,
                rate + band
            );
        }
    }
    assert!(
        post_score > prior_score,
        "log score after the journal: posterior {post_score:.1}, prior {prior_score:.1}"
    );
    assert!(
        better as f64 > 0.6 * n,
        "posterior better for {better} of {partners}"
    );
    assert!(
        misfits as f64 <= 0.1 * n,
        "{misfits} model-made journals flagged as misfits"
    );
}

/// The benchmark's unknowns (bench/journal): the scenario's traits and the
/// chance draws, with every rate at the scenario's value.
#[test]
fn traits_only_leaves_the_rates_known() {
    let pop = Population::walkaway_default();
    let u = Unknowns::traits_only(&pop);
    let names = u.names();
    assert!(names.iter().all(|n| !n.ends_with("(factor)")), "{names:?}");
    // 11 of the default scenario's 15 spreads are read while apart.
    assert_eq!(u.dim(), 11 + unknowns::DRAWS);
    assert!(names.contains(&"partner.possessiveness".to_string()));
    let z = vec![0.0; u.dim()];
    let p = u.params(&z);
    for name in ["rates.longing", "contact.rate", "bid.give_up"] {
        let i = INFO.param_index(name).unwrap();
        assert_eq!(p[i], pop.base[i], "{name}");
    }
}
