//! Each published model of the catalog against the result it is known for
//! (docs/verification.md, "Catalog of published models"). Where a number is
//! our own computation from transcribed parameters rather than a value read
//! in the paper, the test says so.

use std::f64::consts::PI;

use walkaway_core::analysis::{
    BasinOptions, ContinuationOptions, CycleOptions, EquilibriumKind, EquilibriumOptions,
    LyapunovOptions, SpecialKind, basins, continue_equilibria, find_equilibria, largest_lyapunov,
    limit_cycle, maxima,
};
use walkaway_core::models::gone_with_the_wind::GoneWithTheWind;
use walkaway_core::models::gottman::{self, Conversation, Gottman};
use walkaway_core::models::laura_petrarch::{self, LauraPetrarch};
use walkaway_core::models::rinaldi_insecure::{self, RinaldiInsecure};
use walkaway_core::models::rinaldi_linear::{self, RinaldiLinear};
use walkaway_core::models::strogatz::{self, Strogatz};
use walkaway_core::ode::OdeOptions;
use walkaway_core::{Model, RunOptions, TimeKind, catalog, find};

fn run(model: &dyn Model, params: &[f64], y0: &[f64], t_end: f64, every: f64) -> Vec<Vec<f64>> {
    let mut opts = RunOptions::for_model(model.info());
    opts.t_end = t_end;
    opts.every = Some(every);
    opts.rtol = 1e-10;
    opts.atol = 1e-12;
    model.simulate(params, y0, &opts).unwrap().rows
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

// ------------------------------------------------------------------ catalog

#[test]
fn catalog_lists_every_published_model_with_sane_defaults() {
    for id in [
        "strogatz",
        "rinaldi-linear",
        "rinaldi-insecure",
        "laura-petrarch",
        "gone-with-the-wind",
        "gottman",
    ] {
        let model = find(id).unwrap();
        let info = model.info();
        assert!(!info.citation.is_empty() && !info.description.is_empty());
        let p = info.default_params();
        info.check_params(&p).unwrap();
        let y0 = model.initial_state(&p);
        let traj = model
            .simulate(&p, &y0, &RunOptions::for_model(info))
            .unwrap();
        assert!(traj.final_state.iter().all(|v| v.is_finite()), "{id}");
        assert!(traj.rows.len() > 10, "{id}");
    }
    let ids: Vec<&str> = catalog().iter().map(|m| m.info().id).collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "duplicate ids in {ids:?}");
}

// ----------------------------------------------------------------- strogatz

#[test]
fn strogatz_fickle_period_is_two_pi_over_root_ab() {
    // 1988 form dR/dt = −aJ, dJ/dt = bR is (a, b, c, d) = (0, −a, b, 0).
    for (a, b) in [(1.0, 1.0), (4.0, 1.0), (0.5, 2.0), (0.3, 0.7)] {
        let period = 2.0 * PI / f64::sqrt(a * b);
        let cycle = limit_cycle(
            &Strogatz,
            &[0.0, -a, b, 0.0],
            &[1.0, 0.0],
            &CycleOptions {
                variable: 0,
                transient: 0.1,
                horizon: 6.0 * period,
                periods: 3,
                tolerance: 1e-6,
                rtol: 1e-11,
                atol: 1e-13,
            },
        )
        .unwrap()
        .expect("a closed orbit");
        assert!(
            (cycle.period / period - 1.0).abs() < 1e-8,
            "a={a} b={b}: measured {} vs {period}",
            cycle.period
        );
    }
}

#[test]
fn strogatz_both_love_at_once_a_quarter_of_the_time() {
    // Sample ten full periods finely; the share of samples with R > 0 and
    // J > 0 is 1/4 up to one sample per sign change (40 changes).
    for (a, b) in [(1.0, 1.0), (2.0, 0.5), (3.0, 1.0)] {
        let period = 2.0 * PI / f64::sqrt(a * b);
        let samples = 40_000;
        let rows = run(
            &Strogatz,
            &[0.0, -a, b, 0.0],
            &[1.0, 0.3],
            10.0 * period,
            10.0 * period / samples as f64,
        );
        let both = rows[..samples]
            .iter()
            .filter(|r| r[0] > 0.0 && r[1] > 0.0)
            .count();
        let share = both as f64 / samples as f64;
        assert!(
            (share - 0.25).abs() < 40.0 / samples as f64,
            "a={a} b={b}: {share}"
        );
    }
}

#[test]
fn strogatz_styles_and_cases_are_classified_by_trace_and_determinant() {
    assert_eq!(strogatz::romantic_style(1.0, 1.0), "eager beaver");
    assert_eq!(strogatz::romantic_style(1.0, -1.0), "narcissistic nerd");
    assert_eq!(
        strogatz::romantic_style(-1.0, 1.0),
        "cautious (secure) lover"
    );
    assert_eq!(strogatz::romantic_style(-1.0, -1.0), "hermit");
    let cases = [
        // The fickle lover, 1988 and book versions: a centre.
        ([0.0, -1.0, 1.0, 0.0], "centre"),
        ([0.0, 1.0, -1.0, 0.0], "centre"),
        // Two identical cautious lovers: a² > b² fizzles out, a² < b² is
        // love fest or war.
        ([-2.0, 1.0, 1.0, -2.0], "stable node"),
        ([-1.0, 2.0, 2.0, -1.0], "saddle"),
        // Exercise 5.3.2: dR/dt = J, dJ/dt = −R + J.
        ([0.0, 1.0, -1.0, 1.0], "unstable spiral"),
        // Fire and water with a = −1, b = 2: dR/dt = aR + bJ, dJ/dt = −bR − aJ.
        ([-1.0, 2.0, -2.0, 1.0], "centre"),
        // Two cautious lovers who answer in opposite senses: damped cycles.
        ([-0.5, 1.0, -1.0, -0.5], "stable spiral"),
    ];
    for (p, want) in cases {
        assert_eq!(strogatz::classify(p[0], p[1], p[2], p[3]), want, "{p:?}");
        // The same type from the numerical analysis of the catalog model.
        let eq = find_equilibria(
            &Strogatz,
            &p,
            &[(-1.0, 1.0), (-1.0, 1.0)],
            &EquilibriumOptions::default(),
        )
        .unwrap();
        assert_eq!(eq.len(), 1);
        assert_eq!(eq[0].kind.name(), want, "{p:?}");
    }
}

// ----------------------------------------------------------- rinaldi-linear

#[test]
fn rinaldi_linear_stable_couple_reaches_the_closed_form_equilibrium() {
    let p = rinaldi_linear::INFO.default_params();
    assert!(rinaldi_linear::is_stable(&p));
    let [x1, x2] = rinaldi_linear::equilibrium(&p).unwrap();
    // By hand for the defaults: (1·1 + 1·1)/1.5 and (2·1 + 0.5·1)/1.5.
    assert!(close(x1, 4.0 / 3.0, 1e-14) && close(x2, 5.0 / 3.0, 1e-14));
    let rows = run(&RinaldiLinear, &p, &[0.0, 0.0], 40.0, 0.5);
    let end = rows.last().unwrap();
    assert!(
        close(end[0], x1, 1e-8) && close(end[1], x2, 1e-8),
        "{end:?}"
    );
    // From indifference both feelings grow monotonically (secure partners).
    for w in rows.windows(2) {
        assert!(
            w[1][0] >= w[0][0] - 1e-9 && w[1][1] >= w[0][1] - 1e-9,
            "{w:?}"
        );
    }
    let eq = find_equilibria(
        &RinaldiLinear,
        &p,
        &[(-10.0, 10.0), (-10.0, 10.0)],
        &EquilibriumOptions::default(),
    )
    .unwrap();
    assert_eq!(eq.len(), 1);
    assert_eq!(eq[0].kind, EquilibriumKind::StableNode);
}

#[test]
fn rinaldi_linear_couple_with_beta1_beta2_above_alpha1_alpha2_grows() {
    // α = (1, 1), β = (2, 1): α₁α₂ − β₁β₂ = −1, eigenvalues −1 ± √2.
    let p = [1.0, 1.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0];
    assert!(!rinaldi_linear::is_stable(&p));
    let [x1, x2] = rinaldi_linear::equilibrium(&p).unwrap();
    assert!(close(x1, -3.0, 1e-14) && close(x2, -2.0, 1e-14));
    let rows = run(&RinaldiLinear, &p, &[0.0, 0.0], 10.0, 5.0);
    let distance = |r: &Vec<f64>| (r[0] - x1).hypot(r[1] - x2);
    let growth = distance(&rows[2]) / distance(&rows[1]);
    let expected = (5.0 * (2f64.sqrt() - 1.0)).exp();
    // The stable mode (rate −1 − √2) has died out by t = 5 to ~e^(−12).
    assert!(
        (growth / expected - 1.0).abs() < 1e-4,
        "{growth} vs {expected}"
    );
    let eq = find_equilibria(
        &RinaldiLinear,
        &p,
        &[(-10.0, 10.0), (-10.0, 10.0)],
        &EquilibriumOptions::default(),
    )
    .unwrap();
    assert_eq!(eq.len(), 1);
    assert_eq!(eq[0].kind, EquilibriumKind::Saddle);
}

// --------------------------------------------------------- rinaldi-insecure

fn insecure_cycle(appeal1: f64) -> walkaway_core::analysis::LimitCycle {
    let mut p = rinaldi_insecure::INFO.default_params();
    rinaldi_insecure::INFO
        .set_param(&mut p, "appeal1", appeal1)
        .unwrap();
    limit_cycle(
        &RinaldiInsecure,
        &p,
        &[0.0, 0.0],
        &CycleOptions {
            variable: 0,
            // The cycle attracts slowly (successive periods 19.56, 19.29,
            // 19.12, … 18.7926), so the transient is long.
            transient: 500.0,
            horizon: 620.0,
            periods: 3,
            tolerance: 1e-4,
            rtol: 1e-10,
            atol: 1e-12,
        },
    )
    .unwrap()
    .expect("a limit cycle")
}

#[test]
fn rinaldi_insecure_couple_cycles_with_period_18_79() {
    // Our computation from transcribed parameters (literature notes A2).
    let c = insecure_cycle(0.1);
    eprintln!("insecure A1=0.1: period {} ranges {:?}", c.period, c.ranges);
    assert!(close(c.period, 18.79, 0.005), "{}", c.period);
    let (x1, x2) = (c.ranges[0], c.ranges[1]);
    assert!(
        close(x1.0, 0.85, 0.005) && close(x1.1, 1.06, 0.005),
        "{x1:?}"
    );
    assert!(
        close(x2.0, 1.59, 0.005) && close(x2.1, 3.77, 0.005),
        "{x2:?}"
    );
}

#[test]
fn rinaldi_insecure_couple_with_appeal1_0_15_cycles_with_period_28_14() {
    let c = insecure_cycle(0.15);
    eprintln!(
        "insecure A1=0.15: period {} ranges {:?}",
        c.period, c.ranges
    );
    assert!(close(c.period, 28.14, 0.005), "{}", c.period);
}

// ----------------------------------------------------------- laura-petrarch

#[test]
fn laura_petrarch_periods_converge_to_3_79_years() {
    let p = laura_petrarch::INFO.default_params();
    let peaks = maxima(
        &LauraPetrarch,
        &p,
        &[0.0, 0.0, 0.0],
        1,
        0.0,
        30.0,
        OdeOptions::with_tolerances(1e-11, 1e-13),
    )
    .unwrap();
    let periods: Vec<f64> = peaks.windows(2).map(|w| w[1].0 - w[0].0).collect();
    eprintln!("Laura–Petrarch periods between P maxima: {periods:?}");
    // Literature notes A3 (computed with scipy): 3.664, 3.805, 3.794, 3.791.
    for (got, want) in periods.iter().zip([3.664, 3.805, 3.794, 3.791]) {
        assert!(close(*got, want, 0.0015), "{periods:?}");
    }
}

#[test]
fn laura_petrarch_settles_on_a_slow_fast_cycle_with_the_computed_amplitudes() {
    let p = laura_petrarch::INFO.default_params();
    let c = limit_cycle(
        &LauraPetrarch,
        &p,
        &[0.0, 0.0, 0.0],
        &CycleOptions {
            variable: 1,
            transient: 60.0,
            horizon: 80.0,
            periods: 3,
            tolerance: 1e-6,
            rtol: 1e-11,
            atol: 1e-13,
        },
    )
    .unwrap()
    .expect("a limit cycle");
    eprintln!("Laura–Petrarch: period {} ranges {:?}", c.period, c.ranges);
    assert!(close(c.period, 3.79, 0.005), "{}", c.period);
    let [l, pe, z] = [c.ranges[0], c.ranges[1], c.ranges[2]];
    assert!(
        close(pe.0, -0.413, 0.0015) && close(pe.1, 0.488, 0.0015),
        "{pe:?}"
    );
    assert!(close(z.0, 2.37, 0.005) && close(z.1, 8.72, 0.005), "{z:?}");
    assert!(
        close(l.0, -0.438, 0.0015) && close(l.1, -0.218, 0.0015),
        "{l:?}"
    );
}

#[test]
fn laura_petrarch_cycle_has_a_zero_lyapunov_exponent() {
    let p = laura_petrarch::INFO.default_params();
    let est = largest_lyapunov(
        &LauraPetrarch,
        &p,
        &[0.0, 0.0, 0.0],
        &LyapunovOptions {
            transient: 40.0,
            interval: 0.5,
            renormalisations: 400,
            ..LyapunovOptions::default()
        },
    )
    .unwrap();
    eprintln!("Laura–Petrarch largest Lyapunov exponent: {}", est.exponent);
    assert!(est.exponent.abs() < 0.02, "{}", est.exponent);
}

/// Classical fourth-order Runge–Kutta at a fixed step: a simple, separate
/// code path used only as an oracle.
fn rk4<const N: usize>(
    f: impl Fn(&[f64; N]) -> [f64; N],
    y0: [f64; N],
    h: f64,
    steps: usize,
) -> [f64; N] {
    let axpy = |y: &[f64; N], k: &[f64; N], s: f64| {
        let mut out = *y;
        for i in 0..N {
            out[i] += s * k[i];
        }
        out
    };
    let mut y = y0;
    for _ in 0..steps {
        let k1 = f(&y);
        let k2 = f(&axpy(&y, &k1, h / 2.0));
        let k3 = f(&axpy(&y, &k2, h / 2.0));
        let k4 = f(&axpy(&y, &k3, h));
        for i in 0..N {
            y[i] += h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
        }
    }
    y
}

#[test]
fn laura_petrarch_agrees_with_an_independent_rk4_oracle() {
    // First the oracle against an exact solution: a rotation plus a decay,
    // x = cos t, y = sin t, z = e^(−t/2), over the same 21 years and step.
    let h = 1e-3;
    let steps = 21_000;
    let exact = rk4(
        |y: &[f64; 3]| [-y[1], y[0], -0.5 * y[2]],
        [1.0, 0.0, 1.0],
        h,
        steps,
    );
    let t = 21.0;
    assert!(close(exact[0], f64::cos(t), 1e-11), "{exact:?}");
    assert!(close(exact[1], f64::sin(t), 1e-11));
    assert!(close(exact[2], f64::exp(-t / 2.0), 1e-13));
    // Then Laura and Petrarch from the first meeting, 21 years.
    let p = laura_petrarch::INFO.default_params();
    let field = |y: &[f64; 3]| {
        let mut d = [0.0; 3];
        LauraPetrarch.vector_field(&p, 0.0, y, &mut d);
        d
    };
    let oracle = rk4(field, [0.0; 3], h, steps);
    let half = rk4(field, [0.0; 3], h / 2.0, 2 * steps);
    // The oracle's own error, from halving its step (RK4: error ∝ h⁴).
    let oracle_error = (0..3)
        .map(|i| (oracle[i] - half[i]).abs())
        .fold(0.0, f64::max);
    assert!(oracle_error < 1e-9, "{oracle_error}");
    let rows = run(&LauraPetrarch, &p, &[0.0; 3], 21.0, 21.0);
    let ours = rows.last().unwrap();
    let diff = (0..3)
        .map(|i| (ours[i] - half[i]).abs())
        .fold(0.0, f64::max);
    eprintln!("Laura–Petrarch at 21 years: dopri5 {ours:?}, rk4 {half:?}, |diff| {diff:e}");
    assert!(diff < 1e-7, "{diff}");
}

// ------------------------------------------------------- gone-with-the-wind

fn gwtw(appeal_scarlett: f64, appeal_rhett: f64) -> Vec<walkaway_core::analysis::Equilibrium> {
    find_equilibria(
        &GoneWithTheWind,
        &[appeal_scarlett, appeal_rhett, 15.0],
        &[(0.0, 12.0), (0.0, 12.0)],
        &EquilibriumOptions::default(),
    )
    .unwrap()
}

#[test]
fn gone_with_the_wind_equal_appeals_give_two_lopsided_stable_states_and_a_saddle() {
    let eq = gwtw(1.0, 1.0);
    for e in &eq {
        eprintln!("GWTW (1, 1): {:?} {}", e.state, e.kind.name());
    }
    assert_eq!(eq.len(), 3);
    let want = [
        ([1.15, 6.46], true),
        ([3.10, 3.10], false),
        ([6.46, 1.15], true),
    ];
    for (e, (state, stable)) in eq.iter().zip(want) {
        assert!(close(e.state[0], state[0], 0.005) && close(e.state[1], state[1], 0.005));
        assert_eq!(e.is_stable(), stable);
    }
    assert_eq!(eq[1].kind, EquilibriumKind::Saddle);
}

#[test]
fn gone_with_the_wind_post_war_appeals_leave_one_stable_state() {
    let eq = gwtw(2.0, 1.2);
    assert_eq!(eq.len(), 1, "{eq:?}");
    eprintln!("GWTW (2, 1.2): {:?}", eq[0].state);
    assert!(close(eq[0].state[0], 7.35, 0.005) && close(eq[0].state[1], 1.27, 0.005));
    assert!(eq[0].is_stable());
}

#[test]
fn gone_with_the_wind_basins_are_mirror_images_split_by_the_diagonal() {
    let eq = gwtw(1.0, 1.0);
    let attractors: Vec<Vec<f64>> = eq.iter().map(|e| e.state.clone()).collect();
    let n = 15;
    let map = basins(
        &GoneWithTheWind,
        &[1.0, 1.0, 15.0],
        &BasinOptions {
            x: 0,
            y: 1,
            x_range: (0.0, 10.0),
            y_range: (0.0, 10.0),
            nx: n,
            ny: n,
            base_state: vec![0.0, 0.0],
            t_end: 60.0,
            attractors,
            tolerance: 1e-4,
            rtol: 1e-9,
            atol: 1e-12,
        },
    )
    .unwrap();
    // Index 0 is (1.15, 6.46) (Scarlett loves more), 2 is its mirror, 1 the saddle.
    for i in 0..n {
        for j in 0..n {
            let here = map.at(i, j);
            let mirror = map.at(j, i);
            if i == j {
                // Equal feelings stay equal and slide into the saddle.
                assert_eq!(here, Some(1), "diagonal cell {i}");
            } else {
                assert!(matches!(here, Some(0) | Some(2)), "cell {i},{j}");
                assert_eq!(here.map(|k| 2 - k), mirror, "cell {i},{j}");
                // Whoever starts loving more ends loving more.
                assert_eq!(here == Some(2), i > j, "cell {i},{j}");
            }
        }
    }
    let f = map.fractions();
    assert!(close(f[0], f[2], 1e-12) && close(f[1], 1.0 / n as f64, 1e-12));
}

#[test]
fn gone_with_the_wind_loses_a_lopsided_state_in_a_fold_as_scarlett_appeal_grows() {
    // Follow (1.15, 6.46) as A_S grows from 1 (A_R = 1): it meets the
    // saddle in a fold; the fold value is our own computation, checked by
    // counting equilibria on either side of it.
    let branch = continue_equilibria(
        &GoneWithTheWind,
        &[1.0, 1.0, 15.0],
        &[1.15, 6.46],
        &ContinuationOptions {
            param: 0,
            bound: 3.0,
            step: 0.01,
            max_step: 0.05,
            ..ContinuationOptions::default()
        },
    )
    .unwrap();
    let folds: Vec<_> = branch
        .special
        .iter()
        .filter(|s| s.kind == SpecialKind::Fold)
        .collect();
    assert_eq!(folds.len(), 1, "{:?}", branch.special);
    let fold = folds[0].param;
    eprintln!("GWTW fold at A_S = {fold}, state {:?}", folds[0].state);
    assert!(fold > 1.0 && fold < 2.0);
    let count = |a_s: f64| {
        find_equilibria(
            &GoneWithTheWind,
            &[a_s, 1.0, 15.0],
            &[(0.0, 20.0), (0.0, 20.0)],
            &EquilibriumOptions::default(),
        )
        .unwrap()
        .len()
    };
    assert_eq!(count(fold - 1e-3), 3);
    assert_eq!(count(fold + 1e-3), 1);
}

// ------------------------------------------------------------------ gottman

#[test]
fn gottman_without_influence_settles_at_a_over_one_minus_r() {
    let mut p = gottman::INFO.default_params();
    for name in [
        "slope_on_1_pos",
        "slope_on_1_neg",
        "slope_on_2_pos",
        "slope_on_2_neg",
    ] {
        gottman::INFO.set_param(&mut p, name, 0.0).unwrap();
    }
    let [w0, h0] = gottman::uninfluenced_steady_states(&p);
    assert!(close(w0, 0.4 / 0.4, 1e-15) && close(h0, -0.3 / 0.6, 1e-15));
    for start in [[3.0, -2.0], [-5.0, 5.0], [0.0, 0.0]] {
        let mut opts = RunOptions::for_model(&gottman::INFO);
        opts.t_end = 200.0;
        let traj = Gottman.simulate(&p, &start, &opts).unwrap();
        assert_eq!(traj.rows.len(), 201);
        assert_eq!(traj.times[17], 17.0);
        let end = &traj.final_state;
        assert!(
            close(end[0], w0, 1e-12) && close(end[1], h0, 1e-12),
            "{end:?}"
        );
    }
    // With no influence the null clines are straight lines through the
    // uninfluenced point, so it is also the influenced one.
    assert_eq!(gottman::influenced_steady_states(&p), vec![[w0, h0]]);
}

#[test]
fn gottman_influenced_steady_state_is_the_null_cline_crossing_reached_by_the_map() {
    let p = gottman::INFO.default_params();
    assert_eq!(gottman::INFO.time, TimeKind::Discrete);
    let steady = gottman::influenced_steady_states(&p);
    // By hand for the defaults: W = H + 1 (H ≤ 0) and H = (0.2W − 0.3)/0.6
    // (W > 0) cross at (0.75, −0.25); the uninfluenced point is (1, −0.5).
    assert_eq!(steady.len(), 1, "{steady:?}");
    let [w, h] = steady[0];
    assert!(
        close(w, 0.75, 1e-12) && close(h, -0.25, 1e-12),
        "{steady:?}"
    );
    let c = Conversation::from_slice(&p);
    assert!(close(c.null_cline_1(h), w, 1e-12) && close(c.null_cline_2(w), h, 1e-12));
    for start in [[4.0, 4.0], [-4.0, 3.0], [2.0, -6.0], [-3.0, -3.0]] {
        let mut opts = RunOptions::for_model(&gottman::INFO);
        opts.t_end = 300.0;
        opts.every = None;
        let end = Gottman.simulate(&p, &start, &opts).unwrap().final_state;
        assert!(
            close(end[0], w, 1e-10) && close(end[1], h, 1e-10),
            "{start:?} → {end:?}"
        );
    }
    // The analysis finds the same fixed point of the map, and it attracts.
    let fixed = find_equilibria(
        &Gottman,
        &p,
        &[(-5.0, 5.0), (-5.0, 5.0)],
        &EquilibriumOptions::default(),
    )
    .unwrap();
    assert_eq!(fixed.len(), 1, "{fixed:?}");
    assert!(close(fixed[0].state[0], w, 1e-9) && close(fixed[0].state[1], h, 1e-9));
    assert!(fixed[0].is_stable());
}

#[test]
fn gottman_sign_reversing_influence_has_the_steady_state_found_by_hand() {
    // Influence that reverses sign with the partner's score (illustrative
    // values). By hand: with W, H > 0, W = 2.5(0.3H + 0.2) and
    // H = (0.3W + 0.2)/0.6 cross at (1.2, 14/15); with W, H < 0 the first
    // line gives W = 0.5 − 0.75H > 0, a contradiction, and the mixed
    // quadrants give no crossing either, so it is the only one.
    let mut p = gottman::INFO.default_params();
    for (name, value) in [
        ("a", 0.2),
        ("b", 0.2),
        ("slope_on_1_pos", 0.3),
        ("slope_on_1_neg", -0.3),
        ("slope_on_2_pos", 0.3),
        ("slope_on_2_neg", -0.3),
    ] {
        gottman::INFO.set_param(&mut p, name, value).unwrap();
    }
    let steady = gottman::influenced_steady_states(&p);
    assert_eq!(steady.len(), 1, "{steady:?}");
    let [w, h] = steady[0];
    assert!(
        close(w, 1.2, 1e-12) && close(h, 14.0 / 15.0, 1e-12),
        "{steady:?}"
    );
    let next = Conversation::from_slice(&p).step([w, h]);
    assert!(close(next[0], w, 1e-12) && close(next[1], h, 1e-12));
}
