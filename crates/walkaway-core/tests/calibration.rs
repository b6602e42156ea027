//! Calibration: the default population must land inside the empirical bands
//! of docs/calibration.md, with enough trajectories that each 95 % interval
//! fits inside its band.

use walkaway_core::forecast::{Forecast, ForecastOptions, forecast, forecast_run_options};
use walkaway_core::models::walkaway::INFO;
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

#[test]
fn default_population_matches_the_empirical_bands() {
    let f = run(&Population::walkaway_default(), 4000, Vec::new());
    // Barber & Cooper 2014: about a third have rebound sex within a month.
    let meet30 = f.events[2].by_day(30.0).unwrap();
    eprintln!(
        "meet30 {meet30:?}\nbid {:?}\nbid given met {:?} / not {:?}",
        f.events[0].p, f.bid_given_met, f.bid_given_not_met
    );
    assert_in_band("meets someone new within 30 days", meet30, 0.20, 0.35);
    // Halpern-Meekin et al. 2013: about 44 % reconcile at least once in two years.
    assert_in_band("bids within 180 days", f.events[0].p, 0.35, 0.55);
    // Dailey et al. 2011: dating others lowers the chance of renewal.
    assert!(
        f.bid_given_met.probability <= 0.5 * f.bid_given_not_met.probability,
        "bid | met {:.3} vs bid | not met {:.3}",
        f.bid_given_met.probability,
        f.bid_given_not_met.probability
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
    assert!(
        low.events[0].p.ci_high < high.events[0].p.ci_low,
        "bids: low {:?} vs high {:?}",
        low.events[0].p,
        high.events[0].p
    );
}
