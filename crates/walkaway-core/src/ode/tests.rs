//! Tests of the integrators against exact solutions.

use super::*;
use crate::rng::{Purpose, Stream};
use crate::test_problems::*;

fn run_to_end<const N: usize, S: HybridSystem<N>>(
    sys: &mut S,
    y0: [f64; N],
    t_end: f64,
    opts: OdeOptions,
) -> RunEnd<N> {
    integrate_ode(sys, 0.0, y0, t_end, Outputs::EndOnly, opts, |_, _| {}).unwrap()
}

#[test]
fn exponential_decay_matches_the_exact_solution() {
    for rate in [0.1, 1.0, 7.5] {
        let mut sys = ExponentialDecay { rate };
        let end = run_to_end(
            &mut sys,
            [2.0],
            3.0,
            OdeOptions::with_tolerances(1e-10, 1e-12),
        );
        let exact = sys.exact(2.0, 3.0);
        assert!(
            (end.y[0] - exact).abs() < 1e-9 * exact.max(1e-3),
            "rate {rate}: {} vs {exact}",
            end.y[0]
        );
    }
}

#[test]
fn harmonic_oscillator_keeps_phase_and_amplitude() {
    let mut sys = LinearOscillator { omega: 2.0 };
    let t_end = 20.0;
    let end = run_to_end(
        &mut sys,
        [1.0, 0.0],
        t_end,
        OdeOptions::with_tolerances(1e-11, 1e-13),
    );
    let exact = sys.exact([1.0, 0.0], t_end);
    for i in 0..2 {
        assert!(
            (end.y[i] - exact[i]).abs() < 1e-8,
            "component {i}: {} vs {}",
            end.y[i],
            exact[i]
        );
    }
}

#[test]
fn tolerance_controls_the_error() {
    // Tighter tolerances must give proportionally smaller global errors.
    let mut sys = ExpSin;
    let mut errors = Vec::new();
    for tol in [1e-4, 1e-6, 1e-8, 1e-10] {
        let end = run_to_end(&mut sys, [1.0], 10.0, OdeOptions::with_tolerances(tol, tol));
        errors.push((end.y[0] - ExpSin::exact(10.0)).abs());
    }
    for w in errors.windows(2) {
        assert!(
            w[1] < w[0],
            "errors must fall with the tolerance: {errors:?}"
        );
    }
    assert!(errors[3] < 1e-8, "{errors:?}");
}

/// Global error of fixed steps of size 1/n over [0, 1].
fn fixed_step_error(n: usize) -> f64 {
    let sys = ExpSin;
    let f = |t: f64, y: &[f64; 1], dy: &mut [f64; 1]| sys.rhs(t, y, dy);
    let mut s = Dopri5::new(&f, 0.0, [1.0], 1.0, OdeOptions::default()).unwrap();
    let h = 1.0 / n as f64;
    for _ in 0..n {
        s.step_fixed(&f, h).unwrap();
    }
    (s.y[0] - ExpSin::exact(s.t)).abs()
}

#[test]
fn measured_convergence_order_is_five() {
    let e: Vec<f64> = [4, 8, 16, 32]
        .iter()
        .map(|&n| fixed_step_error(n))
        .collect();
    let orders: Vec<f64> = e.windows(2).map(|w| (w[0] / w[1]).log2()).collect();
    let last = *orders.last().unwrap();
    assert!(
        (4.6..5.6).contains(&last),
        "observed orders {orders:?} (errors {e:?})"
    );
}

#[test]
fn dense_output_is_fourth_order_inside_a_step() {
    // The interpolant's error inside one step scales like h^5.
    let sys = ExpSin;
    let f = |t: f64, y: &[f64; 1], dy: &mut [f64; 1]| sys.rhs(t, y, dy);
    let mut errs = Vec::new();
    for h in [0.2, 0.1, 0.05] {
        let mut s = Dopri5::new(&f, 0.3, [ExpSin::exact(0.3)], 1.0, OdeOptions::default()).unwrap();
        s.step_fixed(&f, h).unwrap();
        let worst = (1..10)
            .map(|k| {
                let t = 0.3 + h * k as f64 / 10.0;
                (s.dense(t)[0] - ExpSin::exact(t)).abs()
            })
            .fold(0.0f64, f64::max);
        errs.push(worst);
    }
    let orders: Vec<f64> = errs.windows(2).map(|w| (w[0] / w[1]).log2()).collect();
    for o in &orders {
        assert!(*o > 4.3, "dense output orders {orders:?}");
    }
    // The interpolant meets the step's end point exactly.
    let mut s = Dopri5::new(&f, 0.0, [1.0], 1.0, OdeOptions::default()).unwrap();
    s.step_fixed(&f, 0.1).unwrap();
    assert!((s.dense(s.t)[0] - s.y[0]).abs() < 1e-15);
    assert!((s.dense(0.0)[0] - 1.0).abs() < 1e-15);
}

#[test]
fn events_are_located_to_1e_10() {
    // x = cos(ωt): x falls through zero at π/(2ω), rises at 3π/(2ω), ...
    let omega = 1.3;
    let mut sys = OscillatorWithEvents::new(omega);
    let opts = OdeOptions::with_tolerances(1e-10, 1e-12);
    integrate_ode(
        &mut sys,
        0.0,
        [1.0, 0.0],
        10.0,
        Outputs::EndOnly,
        opts,
        |_, _| {},
    )
    .unwrap();
    let pi = std::f64::consts::PI;
    assert_eq!(sys.falling.len(), 2, "{:?}", sys.falling);
    assert_eq!(sys.rising.len(), 2, "{:?}", sys.rising);
    for (k, t) in sys.falling.iter().enumerate() {
        let exact = (pi / 2.0 + 2.0 * pi * k as f64) / omega;
        assert!((t - exact).abs() < 1e-10, "falling {k}: {t} vs {exact}");
    }
    for (k, t) in sys.rising.iter().enumerate() {
        let exact = (3.0 * pi / 2.0 + 2.0 * pi * k as f64) / omega;
        assert!((t - exact).abs() < 1e-10, "rising {k}: {t} vs {exact}");
    }
}

#[test]
fn a_terminal_event_ends_the_run_at_the_root() {
    let mut sys = OscillatorWithEvents::new(1.0);
    sys.terminal = true;
    let end = integrate_ode(
        &mut sys,
        0.0,
        [1.0, 0.0],
        10.0,
        Outputs::Every(0.5),
        OdeOptions::with_tolerances(1e-10, 1e-12),
        |_, _| {},
    )
    .unwrap();
    assert!(end.stopped_early);
    assert!((end.t - std::f64::consts::FRAC_PI_2).abs() < 1e-10);
}

#[test]
fn scheduled_stops_are_hit_exactly_and_change_the_dynamics() {
    // dy/dt = rate; the rate switches from 1 to -2 at t = 1/3 and back at 0.9.
    let mut sys = SwitchedRate::new(vec![1.0 / 3.0, 0.9], vec![1.0, -2.0, 1.0]);
    let mut stops = Vec::new();
    let end = integrate_ode(
        &mut sys,
        0.0,
        [0.0],
        2.0,
        Outputs::EndOnly,
        OdeOptions::default(),
        |_, r| {
            if let Record::Stop { t, .. } = r {
                stops.push(t);
            }
        },
    )
    .unwrap();
    assert_eq!(stops, vec![1.0 / 3.0, 0.9]);
    let exact = 1.0 / 3.0 - 2.0 * (0.9 - 1.0 / 3.0) + (2.0 - 0.9);
    assert!((end.y[0] - exact).abs() < 1e-12, "{} vs {exact}", end.y[0]);
}

#[test]
fn outputs_fall_on_exact_multiples() {
    let mut sys = ExponentialDecay { rate: 0.5 };
    let mut times = Vec::new();
    integrate_ode(
        &mut sys,
        0.0,
        [1.0],
        1.0,
        Outputs::Every(0.1),
        OdeOptions::default(),
        |_, r| {
            if let Record::Output { t, .. } = r {
                times.push(t);
            }
        },
    )
    .unwrap();
    assert_eq!(times.len(), 11);
    for (k, t) in times.iter().enumerate() {
        assert_eq!(*t, if k == 10 { 1.0 } else { k as f64 * 0.1 });
    }
}

#[test]
fn a_blow_up_is_reported_with_time_and_variable() {
    // y' = y^2, y(0) = 1 explodes at t = 1.
    let mut sys = Explosive;
    let err = integrate_ode(
        &mut sys,
        0.0,
        [1.0],
        2.0,
        Outputs::EndOnly,
        OdeOptions::default(),
        |_, _| {},
    )
    .unwrap_err();
    match &err {
        SolverError::BlowUp { t, variable, .. } => {
            assert!((t - 1.0).abs() < 1e-3, "{err}");
            assert_eq!(variable, "y");
        }
        SolverError::StepSizeCollapsed { t, .. } => assert!((t - 1.0).abs() < 1e-3, "{err}"),
        other => panic!("unexpected error {other}"),
    }
    assert!(err.to_string().contains("likely cause"));
}

#[test]
fn a_nan_is_an_error_not_garbage() {
    let mut sys = NanAfter { t_bad: 0.5 };
    let err = integrate_ode(
        &mut sys,
        0.0,
        [1.0],
        1.0,
        Outputs::EndOnly,
        OdeOptions::default(),
        |_, _| {},
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(
            err,
            SolverError::NonFinite { .. } | SolverError::StepSizeCollapsed { .. }
        ),
        "{text}"
    );
}

#[test]
fn bad_options_are_rejected_by_name() {
    let mut sys = ExponentialDecay { rate: 1.0 };
    for (opts, field) in [
        (OdeOptions::with_tolerances(0.0, 1e-9), "rtol"),
        (OdeOptions::with_tolerances(1e-6, -1.0), "atol"),
        (OdeOptions::with_tolerances(f64::NAN, 1e-9), "rtol"),
    ] {
        let err = integrate_ode(&mut sys, 0.0, [1.0], 1.0, Outputs::EndOnly, opts, |_, _| {})
            .unwrap_err();
        assert!(err.to_string().contains(field), "{err}");
    }
}

#[test]
fn independent_oracle_agrees_on_a_nonlinear_problem() {
    // The oracle: a classical RK4 at a tiny fixed step (its own, simpler
    // code path). It is itself checked against the exact solution first.
    let sys = ExpSin;
    let rk4 = |h: f64, t_end: f64| {
        let mut t = 0.0;
        let mut y = 1.0;
        let f = |t: f64, y: f64| y * t.cos();
        let n = (t_end / h).round() as usize;
        for _ in 0..n {
            let k1 = f(t, y);
            let k2 = f(t + h / 2.0, y + h / 2.0 * k1);
            let k3 = f(t + h / 2.0, y + h / 2.0 * k2);
            let k4 = f(t + h, y + h * k3);
            y += h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
            t += h;
        }
        y
    };
    let oracle = rk4(1e-3, 5.0);
    assert!(
        (oracle - ExpSin::exact(5.0)).abs() < 1e-10,
        "the oracle itself is off"
    );
    let mut s = sys;
    let end = run_to_end(
        &mut s,
        [1.0],
        5.0,
        OdeOptions::with_tolerances(1e-10, 1e-12),
    );
    assert!((end.y[0] - oracle).abs() < 1e-9);
}

// ---------------------------------------------------------------- SDE tests

/// Strong error E|X_T − X(T)| for geometric Brownian motion with both schemes,
/// on Brownian paths shared across step sizes.
fn gbm_strong_errors(scheme: SdeScheme) -> Vec<f64> {
    let gbm = Gbm {
        mu: 0.8,
        sigma: 0.9,
    };
    let t_end = 1.0;
    let fine = 1 << 10;
    let paths = 2000;
    let levels = [4usize, 5, 6, 7];
    let mut errs = vec![0.0; levels.len()];
    for p in 0..paths {
        let mut s = Stream::new(11, p, Purpose::Noise);
        let dwf: Vec<f64> = (0..fine)
            .map(|_| s.normal() * (t_end / fine as f64).sqrt())
            .collect();
        let w_t: f64 = dwf.iter().sum();
        let exact = gbm.exact(1.0, t_end, w_t);
        for (li, &lev) in levels.iter().enumerate() {
            let n = 1usize << lev;
            let chunk = fine / n;
            let h = t_end / n as f64;
            let mut y = [1.0];
            for k in 0..n {
                let dw: f64 = dwf[k * chunk..(k + 1) * chunk].iter().sum();
                y = sde::sde_step(&gbm, scheme, k as f64 * h, &y, h, &[dw]);
            }
            errs[li] += (y[0] - exact).abs() / paths as f64;
        }
    }
    errs
}

fn fitted_order(errs: &[f64]) -> f64 {
    // Least-squares slope of log2(error) against log2(1/h).
    let n = errs.len() as f64;
    let xs: Vec<f64> = (0..errs.len()).map(|i| i as f64).collect();
    let ys: Vec<f64> = errs.iter().map(|e| -e.log2()).collect();
    let mx = xs.iter().sum::<f64>() / n;
    let my = ys.iter().sum::<f64>() / n;
    let num: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let den: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    num / den
}

#[test]
fn euler_maruyama_has_strong_order_one_half() {
    let order = fitted_order(&gbm_strong_errors(SdeScheme::EulerMaruyama));
    assert!((0.35..0.7).contains(&order), "EM strong order {order}");
}

#[test]
fn milstein_has_strong_order_one() {
    let order = fitted_order(&gbm_strong_errors(SdeScheme::Milstein));
    assert!(
        (0.85..1.2).contains(&order),
        "Milstein strong order {order}"
    );
}

#[test]
fn euler_maruyama_mean_has_weak_order_one() {
    let gbm = Gbm {
        mu: 1.0,
        sigma: 0.5,
    };
    let paths = 100_000u64;
    let exact_mean = 1.0f64.exp();
    let mut biases = Vec::new();
    for dt in [0.25, 0.125, 0.0625] {
        let mut sum = 0.0;
        for p in 0..paths {
            let mut sys = gbm;
            let mut noise = Stream::new(5, p, Purpose::Noise);
            let end = integrate_sde(
                &mut sys,
                0.0,
                [1.0],
                1.0,
                dt,
                SdeScheme::EulerMaruyama,
                Outputs::EndOnly,
                &mut noise,
                |_, _| {},
            )
            .unwrap();
            sum += end.y[0];
        }
        biases.push(exact_mean - sum / paths as f64);
    }
    let order = fitted_order(&biases);
    assert!(
        (0.75..1.25).contains(&order),
        "weak order {order}, biases {biases:?}"
    );
}

#[test]
fn sde_runs_hit_stops_and_find_events() {
    // With no noise the SDE driver is forward Euler: stops must still be exact.
    let mut sys = SwitchedRate::new(vec![0.3], vec![1.0, -1.0]);
    let mut noise = Stream::new(1, 0, Purpose::Noise);
    let mut stops = Vec::new();
    let end = integrate_sde(
        &mut sys,
        0.0,
        [0.0],
        1.0,
        0.07,
        SdeScheme::EulerMaruyama,
        Outputs::Every(0.25),
        &mut noise,
        |_, r| {
            if let Record::Stop { t, .. } = r {
                stops.push(t);
            }
        },
    )
    .unwrap();
    assert_eq!(stops, vec![0.3]);
    assert!((end.y[0] - (0.3 - 0.7)).abs() < 1e-12);
}
