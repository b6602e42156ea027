//! Forecasts run at looser tolerances than single trajectories
//! (`forecast::FORECAST_RTOL`), because their accuracy is limited by Monte
//! Carlo error. This test is the evidence: every variant a forecast runs
//! (your strategy, the alternatives, each mechanism switched off) ends with
//! the same outcome and the same events at the forecast tolerances as at
//! rtol 1e-10 in all but a tiny fraction of runs, far below the ±1 point
//! of a 10,000-trajectory interval.
//!
//! `cargo test --release -p walkaway-core --test forecast_tolerance -- --nocapture`
//! prints the rates (docs/performance.md quotes them).

use walkaway_core::RunOptions;
use walkaway_core::forecast::{ParamSampler, forecast_run_options, standard_strategies};
use walkaway_core::models::walkaway::{INFO, MECHANISMS, Walkaway};
use walkaway_core::population::Population;
use walkaway_core::rng::{Purpose, Stream};

/// Every parameter vector a forecast runs for one draw.
fn variants(params: &[f64]) -> Vec<Vec<f64>> {
    let mut all = vec![params.to_vec()];
    for s in standard_strategies(180.0, 0.5) {
        let mut p = params.to_vec();
        for (name, v) in [
            ("separation.length", s.length),
            ("separation.contact", s.contact),
            ("separation.after", s.after),
        ] {
            INFO.set_param(&mut p, name, v).unwrap();
        }
        all.push(p);
    }
    for m in MECHANISMS {
        let mut p = params.to_vec();
        INFO.set_param(&mut p, &format!("mechanisms.{m}"), 0.0)
            .unwrap();
        all.push(p);
    }
    all
}

/// Outcome, which events happened, and the accepted steps.
fn summary(params: &[f64], run: &RunOptions) -> (&'static str, [bool; 3], u64) {
    let (sys, y, stats) = Walkaway::run_final(params, None, run).unwrap();
    let mut events = [false; 3];
    for e in &sys.log {
        if let Some(i) = ["bid", "reunion", "new-partner"]
            .iter()
            .position(|k| *k == e.kind.name())
        {
            events[i] = true;
        }
    }
    (sys.outcome(run.t_end, &y).label(), events, stats.steps)
}

#[test]
fn forecast_tolerances_change_almost_no_run() {
    let draws = 300u64;
    let population = Population::walkaway_default();
    let mut loose = forecast_run_options();
    loose.seed = 1;
    let mut tight = loose;
    tight.rtol = 1e-10;
    tight.atol = 1e-13;
    let (mut runs, mut outcome_differs, mut events_differ) = (0u64, 0u64, 0u64);
    let (mut loose_steps, mut tight_steps) = (0u64, 0u64);
    for k in 0..draws {
        let mut stream = Stream::new(1, k, Purpose::Parameters);
        let params = population.sample_indexed(k, draws, 1, &mut stream);
        loose.trajectory = k;
        tight.trajectory = k;
        for p in variants(&params) {
            let a = summary(&p, &loose);
            let b = summary(&p, &tight);
            runs += 1;
            outcome_differs += u64::from(a.0 != b.0);
            events_differ += u64::from(a.1 != b.1);
            loose_steps += a.2;
            tight_steps += b.2;
        }
    }
    let rate = |n: u64| n as f64 / runs as f64;
    println!(
        "{runs} runs at rtol {:e} / atol {:e} against rtol 1e-10: outcome differs in {outcome_differs} ({:.3} %), events in {events_differ} ({:.3} %); {:.1} steps per run against {:.1}",
        loose.rtol,
        loose.atol,
        100.0 * rate(outcome_differs),
        100.0 * rate(events_differ),
        loose_steps as f64 / runs as f64,
        tight_steps as f64 / runs as f64,
    );
    // 0.2 % of runs is a fifth of the half-width of a 95 % interval at
    // 10,000 trajectories (±1 point near p = 0.5); the measured rate is
    // about 0.03 %.
    assert!(
        rate(outcome_differs) <= 0.002,
        "{outcome_differs} of {runs}"
    );
    assert!(rate(events_differ) <= 0.002, "{events_differ} of {runs}");
}
