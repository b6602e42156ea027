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
        model_draws: 0,
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
    let total: f64 = f.yours.outcomes.iter().map(|o| o.p.probability).sum();
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
    // Staying is the comparison, not a way of walking away; its plan never
    // starts, so nobody goes back by plan.
    assert!(f.strategies.iter().all(|s| s.name != "stay"));
    let stay = f.staying.as_ref().unwrap();
    let went_back = EventKind::ReunionYouWentBack as usize;
    assert_eq!(stay.events[went_back].p.count, 0);
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

#[test]
fn series_mean_and_quantiles_agree_for_every_variable_and_day() {
    let opts = options(120);
    let f = forecast(&sampler, &opts).unwrap();
    // The fixed-point sums carry 2^-32 per value.
    let eps = 1e-9;
    for s in &f.series {
        for d in 0..f.days.len() {
            let (min, max, mean) = (s.min[d], s.max[d], s.mean[d]);
            let (q10, q50, q90) = (s.q10[d], s.q50[d], s.q90[d]);
            let at = format!(
                "{} day {d}: min {min}, q10 {q10}, q50 {q50}, q90 {q90}, max {max}, mean {mean}",
                s.name
            );
            assert!(min <= q10 && q10 <= q50 && q50 <= q90 && q90 <= max, "{at}");
            assert!(mean >= min - eps && mean <= max + eps, "{at}");
            // For a variable that is never negative, at least 90 % of the
            // values are at or above q10, so the mean is at least 0.9 q10
            // (up to the width of the bins near 0).
            if min >= 0.0 {
                assert!(0.9 * q10 <= mean + 1e-3, "{at}");
            }
        }
    }
    // Jealousy and loneliness start at exactly 0: their quantiles are 0, not
    // the middle of the first bin.
    for name in ["jealousy", "loneliness"] {
        let s = f.series.iter().find(|s| s.name == name).unwrap();
        assert_eq!((s.min[0], s.max[0]), (0.0, 0.0), "{name}");
        assert_eq!((s.q10[0], s.q50[0], s.q90[0]), (0.0, 0.0, 0.0), "{name}");
    }
}

#[test]
fn parts_saved_without_extremes_still_merge() {
    let opts = options(40);
    let t = run_shard(&sampler, &opts, 0..40).unwrap();
    let mut parts = t.to_parts();
    parts.series_min.clear();
    parts.series_max.clear();
    let back = Tally::from_parts(parts, &opts).unwrap();
    let f = summarise(&back, &opts);
    let love = &f.series[0];
    assert!(love.min[5].is_nan() && love.max[5].is_nan());
    assert!(love.q10[5] <= love.q50[5] && love.q50[5] <= love.q90[5]);
}

#[test]
fn series_read_only_the_components_their_outputs_interpolate() {
    // Your strategy's run interpolates only SERIES_COMPONENTS at its daily
    // outputs; the others hold stale values, which no series may read.
    let params = INFO.default_params();
    let mut run = forecast_run_options();
    run.t_end = 20.0;
    let (sys, y, _) = Walkaway::run_final(&params, None, &run).unwrap();
    assert!(!sys.standing.together);
    let mut stale = y;
    for (c, v) in stale.iter_mut().enumerate() {
        if !SERIES_COMPONENTS.contains(&c) {
            *v = 1e3 + c as f64;
        }
    }
    for v in 0..SERIES_VARIABLES.len() {
        assert_eq!(
            series_value(v, &sys, &y).to_bits(),
            series_value(v, &sys, &stale).to_bits(),
            "{}",
            SERIES_VARIABLES[v]
        );
    }
    assert!(series_value(SERIES_VARIABLES.len() - 1, &sys, &y) > 0.0);
}

#[test]
fn held_bins_add_the_observed_days_and_nothing_else() {
    // Three trajectories over the series' days: the second stops after
    // day 1 (a run that failed), so its later days must add no count.
    let opts = options(3);
    let mut t = Tally::new(&opts);
    let mut held = HeldBins::new(t.days);
    let mut want = vec![0u32; t.series_hist.len()];
    for (trajectory, observed_days) in [(0usize, t.days), (1, 2), (2, t.days)] {
        let series = t.series_mut(&mut held);
        for day in 0..observed_days {
            for v in 0..SERIES_VARIABLES.len() {
                let slot = day * SERIES_VARIABLES.len() + v;
                let bin = (trajectory * 7 + day * 3 + v) % BINS;
                series.bins[slot] = bin as u16;
                want[slot * BINS + bin] += 1;
            }
        }
    }
    held.release(&mut t);
    assert_eq!(t.series_hist, want);
    // Released rows are taken again from the start.
    let series = t.series_mut(&mut held);
    assert!(series.bins.iter().all(|&b| b == u16::MAX));
    held.release(&mut t);
    assert_eq!(t.series_hist, want);
}
