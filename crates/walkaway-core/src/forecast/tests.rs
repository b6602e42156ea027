use super::*;
use crate::models::walkaway::INFO;

fn sampler(s: &mut Stream) -> Vec<f64> {
    let mut p = INFO.default_params();
    for name in [
        "partner.satisfaction",
        "partner.investment",
        "partner.alternatives",
        "you.love",
    ] {
        let i = INFO.param_index(name).unwrap();
        p[i] = (p[i] + 0.3 * (2.0 * s.uniform() - 1.0)).clamp(0.0, 1.0);
    }
    p
}

fn options(n: u64) -> ForecastOptions {
    ForecastOptions {
        trajectories: n,
        seed: 9,
        run: forecast_run_options(),
        strategies: standard_strategies(180.0, 0.5),
        attribution: true,
        series: true,
    }
}

#[test]
fn wilson_interval_matches_known_values() {
    // 50 of 100: 0.4038–0.5962 (Wilson 1927 score interval, z = 1.96).
    let p = wilson(50, 100);
    assert!(
        (p.ci_low - 0.4038).abs() < 1e-4 && (p.ci_high - 0.5962).abs() < 1e-4,
        "{p:?}"
    );
    let zero = wilson(0, 20);
    assert_eq!(zero.ci_low, 0.0);
    assert!((zero.ci_high - 0.1611).abs() < 1e-4, "{zero:?}");
}

#[test]
fn one_thread_or_two_give_identical_forecasts() {
    let opts = options(150);
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let two = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let a = one.install(|| forecast(&sampler, &opts)).unwrap();
    let b = two.install(|| forecast(&sampler, &opts)).unwrap();
    assert_eq!(a, b);
}

#[test]
fn shards_merge_into_the_same_tally() {
    let opts = options(130);
    let whole = run_shard(&sampler, &opts, 0..130).unwrap();
    let mut merged = run_shard(&sampler, &opts, 0..47).unwrap();
    merged.merge(&run_shard(&sampler, &opts, 47..100).unwrap());
    merged.merge(&run_shard(&sampler, &opts, 100..130).unwrap());
    assert_eq!(whole, merged);
    assert_eq!(summarise(&whole, &opts), summarise(&merged, &opts));
}

#[test]
fn tallies_survive_the_round_trip_through_parts() {
    let opts = options(70);
    let t = run_shard(&sampler, &opts, 0..70).unwrap();
    let back = Tally::from_parts(t.to_parts(), &opts).unwrap();
    assert_eq!(t, back);
    // Parts of other options are refused, naming the part.
    let mut other = opts.clone();
    other.attribution = false;
    let err = Tally::from_parts(t.to_parts(), &other).unwrap_err();
    assert!(err.to_string().contains("mechanisms"), "{err}");
}

#[test]
fn probabilities_add_up_and_series_are_daily() {
    let opts = options(200);
    let f = forecast(&sampler, &opts).unwrap();
    let total: f64 = f.outcomes.iter().map(|o| o.p.probability).sum();
    assert!((total - 1.0).abs() < 1e-12);
    assert_eq!(f.days.len(), 181);
    assert_eq!(f.series.len(), SERIES_VARIABLES.len());
    for s in &f.series {
        for d in 0..f.days.len() {
            assert!(
                s.q10[d] <= s.q50[d] + 1e-12 && s.q50[d] <= s.q90[d] + 1e-12,
                "{} day {d}",
                s.name
            );
        }
    }
    // Staying never separates: nobody bids.
    let stay = f.strategies.iter().find(|s| s.name == "stay").unwrap();
    assert_eq!(stay.events[0].p.count, 0);
    assert_eq!(f.attribution.len(), 11);
    assert!(!f.drivers.is_empty());
}

#[test]
fn bad_options_name_the_field() {
    let mut opts = options(0);
    let err = forecast(&sampler, &opts).unwrap_err();
    assert!(err.to_string().contains("trajectories"), "{err}");
    opts.trajectories = 10;
    opts.run.t_end = -1.0;
    let err = forecast(&sampler, &opts).unwrap_err();
    assert!(err.to_string().contains("t_end"), "{err}");
}
