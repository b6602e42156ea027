//! Times a default-sized forecast and prints its headline numbers (a quick
//! look while calibrating; `walkaway forecast` is the real interface).
use walkaway_core::forecast::{ForecastOptions, forecast, standard_strategies};
use walkaway_core::models::walkaway::INFO;
use walkaway_core::rng::Stream;

fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .map_or(10_000, |a| a.parse().expect("a count"));
    let overrides: Vec<(String, f64)> = std::env::args()
        .skip(2)
        .map(|a| {
            let (k, v) = a.split_once('=').expect("NAME=VALUE");
            (k.to_string(), v.parse().expect("number"))
        })
        .collect();
    let base = {
        let mut p = INFO.default_params();
        for (k, v) in &overrides {
            INFO.set_param(&mut p, k, *v).expect("valid");
        }
        p
    };
    let jittered = [
        "partner.satisfaction",
        "partner.investment",
        "partner.alternatives",
        "partner.social",
        "partner.negativity",
        "you.love",
    ];
    let sampler = move |s: &mut Stream| {
        let mut p = base.clone();
        for name in jittered {
            let i = INFO.param_index(name).unwrap();
            p[i] = (p[i] + 0.25 * (2.0 * s.uniform() - 1.0)).clamp(0.0, 1.0);
        }
        p
    };
    let mut run = walkaway_core::forecast::forecast_run_options();
    if let Ok(v) = std::env::var("ATOL") {
        run.atol = v.parse().expect("a number");
    }
    if let Ok(v) = std::env::var("RTOL") {
        run.rtol = v.parse().expect("a number");
    }
    let opts = ForecastOptions {
        trajectories: n,
        seed: 1,
        run,
        strategies: standard_strategies(180.0, 0.5),
        attribution: true,
        series: true,
        model_draws: std::env::var("MODELS").map_or(0, |v| v.parse().expect("a whole number")),
    };
    let t0 = std::time::Instant::now();
    let f = forecast(&sampler, &opts).expect("forecast");
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "{n} trajectories in {secs:.3} s, {} steps, failures {}",
        f.steps, f.failures
    );
    for o in &f.yours.outcomes {
        println!(
            "{:60} {:.3} [{:.3}, {:.3}] models {:?}",
            o.label(),
            o.p.probability,
            o.p.ci_low,
            o.p.ci_high,
            o.model_range
        );
    }
    for e in &f.yours.events {
        println!(
            "event {:60} {:.3} median day {:?}",
            e.event.label(),
            e.p.probability,
            e.median_day
        );
    }
    for a in &f.yours.after_reunion {
        println!(
            "separated again within {} days of a reunion: {:?}",
            a.days, a.p
        );
    }
    println!(
        "bid | met {:.3} (n {}), bid | not met {:.3} (n {})",
        f.bid_given_met.probability,
        f.bid_given_met.n,
        f.bid_given_not_met.probability,
        f.bid_given_not_met.n
    );
    for s in f.staying.iter().chain(&f.strategies) {
        println!(
            "{:40} together at the end {:.3}  your partner asks {:.3}",
            s.label, s.together.p.probability, s.events[0].p.probability
        );
    }
    println!("{}", f.drivers);
}
