//! Calibration: the default population must land inside the empirical bands
//! of docs/calibration.md, with enough trajectories that each 95 % interval
//! fits inside its band.

use walkaway_core::forecast::{
    EventKind, EventSummary, Forecast, ForecastOptions, forecast, forecast_run_options, is_staying,
    standard_strategies, wilson,
};
use walkaway_core::models::walkaway::INFO;
use walkaway_core::models::walkaway::Outcome;
use walkaway_core::population::Population;

fn run(
    population: &Population,
    n: u64,
    strategies: Vec<walkaway_core::forecast::Strategy>,
) -> Forecast {
    let opts = ForecastOptions {
        trajectories: n,
        seed: 2026,
        run: forecast_run_options(),
        strategies,
        attribution: false,
        series: false,
        model_draws: 0,
    };
    forecast(population, &opts).unwrap()
}

fn assert_in_band(name: &str, p: walkaway_core::forecast::Proportion, lo: f64, hi: f64) {
    assert!(
        p.ci_low >= lo && p.ci_high <= hi,
        "{name}: {:.3} [{:.3}, {:.3}] is not inside the band {lo}–{hi}",
        p.probability,
        p.ci_low,
        p.ci_high
    );
}

fn event(f: &Forecast, kind: EventKind) -> &EventSummary {
    &f.yours.events[kind as usize]
}

#[test]
fn default_population_matches_the_empirical_bands() {
    // Walking away with no contact for the whole horizon (your default plan),
    // and staying, side by side.
    let stay = standard_strategies(180.0, 0.5)
        .into_iter()
        .filter(is_staying)
        .collect();
    let f = run(&Population::walkaway_default(), 4000, stay);
    let asked = event(&f, EventKind::PartnerAsked);
    let met = event(&f, EventKind::PartnerMetSomeone);
    let staying = f.staying.as_ref().unwrap();
    let still = &staying.outcomes[Outcome::StillTogether.index()].p;
    eprintln!(
        "asked {:?}\nmet60 {:?}\nmet180 {:?}\nstaying: still together {:?}, you left {:?}, partner left {:?}\nbid given met {:?} / not {:?}",
        asked.p,
        met.by_day(60.0),
        met.p,
        still,
        staying.events[EventKind::YouLeft as usize].p,
        staying.events[EventKind::PartnerLeft as usize].p,
        f.bid_given_met,
        f.bid_given_not_met
    );
    // B1: reconciliation figures (Halpern-Meekin et al. 2013) and pursuit
    // studies (Langhinrichsen-Rohling et al. 2000; Dardis & Gidycz 2017).
    assert_in_band("your partner asks within 180 days", asked.p, 0.35, 0.75);
    // B3, B4: new relationships after a break-up (weak data, docs/calibration.md).
    assert_in_band(
        "new relationship by day 60",
        met.by_day(60.0).unwrap(),
        0.03,
        0.20,
    );
    assert_in_band("new relationship by day 180", met.p, 0.10, 0.40);
    // B7: break-ups of unmarried couples (Rhoades et al. 2011), higher for
    // one-sided relationships; B7s: the under-benefited leave more often.
    let ended = wilson(f.trajectories - still.count, f.trajectories);
    assert_in_band(
        "a break-up within 180 days while staying",
        ended,
        0.10,
        0.35,
    );
    assert!(
        staying.events[EventKind::YouLeft as usize].p.count
            >= staying.events[EventKind::PartnerLeft as usize].p.count,
        "while staying, you should end it at least as often as your partner"
    );
    // Dailey et al. 2011: dating others lowers the chance of renewal.
    assert!(
        f.bid_given_met.probability <= 0.5 * f.bid_given_not_met.probability,
        "bid | met {:.3} vs bid | not met {:.3}",
        f.bid_given_met.probability,
        f.bid_given_not_met.probability
    );
}

#[test]
fn reunited_couples_often_separate_again() {
    // B6: on-again/off-again couples renew two to three times (Dailey);
    // P(separated again within 180 days | reunited) in 0.25–0.65, and above
    // the break-up rate of couples who never separated (Vennum et al. 2014).
    let mut opts = ForecastOptions {
        trajectories: 4000,
        seed: 11,
        run: forecast_run_options(),
        strategies: standard_strategies(400.0, 0.5)
            .into_iter()
            .filter(is_staying)
            .collect(),
        attribution: false,
        series: false,
        model_draws: 0,
    };
    opts.run.t_end = 400.0;
    let f = forecast(&Population::walkaway_default(), &opts).unwrap();
    let again = f.yours.after_reunion[2].p;
    eprintln!("separated again within 180 days of a reunion: {again:?}");
    assert!(
        again.n >= 300,
        "too few reunions followed for 180 days: {}",
        again.n
    );
    assert_in_band(
        "separated again within 180 days | reunited",
        again,
        0.25,
        0.65,
    );
    let staying = f.staying.as_ref().unwrap();
    let horizon_rate = 1.0
        - staying.outcomes[Outcome::StillTogether.index()]
            .p
            .probability;
    // Per 180 days, for couples who never separated (horizon 400 days).
    let per_180 = 1.0 - (1.0 - horizon_rate).powf(180.0 / 400.0);
    assert!(
        again.probability > per_180,
        "after a reunion {:.3} vs never separated {per_180:.3}",
        again.probability
    );
}

#[test]
fn your_love_fades_apart_and_contact_slows_it() {
    // B5: Sbarra & Emery 2005: love for the ex falls over the first four
    // weeks; contact with the ex slows the fall.
    let opts = |contact: f64| {
        let mut pop = Population::walkaway_default();
        pop.fix(INFO.param_index("separation.contact").unwrap(), contact);
        let o = ForecastOptions {
            trajectories: 1000,
            seed: 5,
            run: forecast_run_options(),
            strategies: Vec::new(),
            attribution: false,
            series: true,
            model_draws: 0,
        };
        forecast(&pop, &o).unwrap()
    };
    let fall = |f: &Forecast| {
        let y = &f.series[5].mean;
        y[0] - y[28]
    };
    let (none, some) = (opts(0.0), opts(0.5));
    assert!(
        fall(&none) > 0.0,
        "no contact: your love should fall, fell by {}",
        fall(&none)
    );
    assert!(
        fall(&some) < fall(&none),
        "contact should slow the fall: {} vs {}",
        fall(&some),
        fall(&none)
    );
}

fn with_commitment(sat: f64, inv: f64, alt: f64) -> Population {
    let mut p = Population::walkaway_default();
    for (name, v) in [
        ("partner.satisfaction", sat),
        ("partner.investment", inv),
        ("partner.alternatives", alt),
    ] {
        p.fix(INFO.param_index(name).unwrap(), v);
    }
    p
}

#[test]
fn no_contact_works_on_wanting_only_in_the_committed() {
    // Dai, Dong & Jia 2014: playing hard to get raises wanting only in a
    // committed pursuer. Staying keeps wanting where it was on day 0 (the
    // status quo), so compare the mean wanting over the first 60 days of
    // full no contact with its day-0 level, and the bid probabilities.
    let opts = |n| ForecastOptions {
        trajectories: n,
        seed: 7,
        run: forecast_run_options(),
        strategies: Vec::new(),
        attribution: false,
        series: true,
        model_draws: 0,
    };
    let low = forecast(&with_commitment(0.3, 0.15, 0.85), &opts(1500)).unwrap();
    let high = forecast(&with_commitment(0.85, 0.85, 0.1), &opts(1500)).unwrap();
    let rise = |f: &Forecast| {
        let w = &f.series[1].mean;
        w[1..=60].iter().sum::<f64>() / 60.0 - w[0]
    };
    assert!(
        rise(&low) < 0.0,
        "low commitment: wanting should fall, rose by {}",
        rise(&low)
    );
    assert!(
        rise(&high) > 0.0,
        "high commitment: wanting should rise, fell by {}",
        -rise(&high)
    );
    let (low_asked, high_asked) = (
        event(&low, EventKind::PartnerAsked).p,
        event(&high, EventKind::PartnerAsked).p,
    );
    assert!(
        low_asked.ci_high < high_asked.ci_low,
        "bids: low {low_asked:?} vs high {high_asked:?}"
    );
}
