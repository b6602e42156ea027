//! Each analysis against cases whose answer is known in closed form:
//! matrices with known spectra, linear systems, the fold dx/dt = r + x², the
//! Hopf normal form, the logistic map and the Lorenz system.

use super::*;
use crate::error::ModelError;
use crate::model::{ModelInfo, ParamSpec, RunOptions, StateSpec, TimeKind, Trajectory};
use crate::models::strogatz::{self, Strogatz};
use crate::ode::OdeOptions;
use std::f64::consts::PI;

/// A small model defined by a function, for the analytic cases.
struct TestModel {
    info: &'static ModelInfo,
    f: fn(&[f64], &[f64], &mut [f64]),
}

impl Model for TestModel {
    fn info(&self) -> &'static ModelInfo {
        self.info
    }
    fn simulate(&self, _: &[f64], _: &[f64], _: &RunOptions) -> Result<Trajectory, ModelError> {
        Err(ModelError::UnknownModel {
            id: self.info.id.into(),
            known: "analysis tests only".into(),
        })
    }
    fn vector_field(&self, p: &[f64], _t: f64, y: &[f64], out: &mut [f64]) {
        (self.f)(p, y, out)
    }
}

const fn state(name: &'static str) -> StateSpec {
    StateSpec {
        name,
        unit: "1",
        default: 0.0,
        description: "",
    }
}

const fn param(name: &'static str, default: f64) -> ParamSpec {
    ParamSpec::real(name, name, "1", default, -1e3, 1e3, "")
}

const fn info(
    id: &'static str,
    time: TimeKind,
    states: &'static [StateSpec],
    params: &'static [ParamSpec],
) -> ModelInfo {
    ModelInfo {
        id,
        title: id,
        description: "",
        citation: "",
        time_unit: "1",
        time,
        default_t_end: 10.0,
        default_every: 1.0,
        states,
        params,
    }
}

static FOLD_INFO: ModelInfo = info(
    "fold",
    TimeKind::Continuous,
    &[state("x")],
    &[param("r", -1.0)],
);
/// dx/dt = r + x²: equilibria ∓√(−r) for r < 0, a fold at r = 0.
static FOLD: TestModel = TestModel {
    info: &FOLD_INFO,
    f: |p, y, out| out[0] = p[0] + y[0] * y[0],
};

static HOPF_INFO: ModelInfo = info(
    "hopf",
    TimeKind::Continuous,
    &[state("x"), state("y")],
    &[param("mu", 0.25)],
);
/// The supercritical Hopf normal form: eigenvalues μ ± i at the origin,
/// for μ > 0 a cycle of radius √μ and period exactly 2π.
static HOPF: TestModel = TestModel {
    info: &HOPF_INFO,
    f: |p, y, out| {
        let r2 = y[0] * y[0] + y[1] * y[1];
        out[0] = p[0] * y[0] - y[1] - y[0] * r2;
        out[1] = y[0] + p[0] * y[1] - y[1] * r2;
    },
};

static LORENZ_INFO: ModelInfo = info(
    "lorenz",
    TimeKind::Continuous,
    &[state("x"), state("y"), state("z")],
    &[
        param("sigma", 10.0),
        param("rho", 28.0),
        param("beta", 8.0 / 3.0),
    ],
);
static LORENZ: TestModel = TestModel {
    info: &LORENZ_INFO,
    f: |p, y, out| {
        out[0] = p[0] * (y[1] - y[0]);
        out[1] = y[0] * (p[1] - y[2]) - y[1];
        out[2] = y[0] * y[1] - p[2] * y[2];
    },
};

static LOGISTIC_INFO: ModelInfo = info(
    "logistic",
    TimeKind::Discrete,
    &[state("x")],
    &[param("r", 2.5)],
);
/// x ↦ r x (1 − x): fixed point 1 − 1/r with multiplier 2 − r, period
/// doubling at r = 3, Lyapunov exponent ln 2 at r = 4.
static LOGISTIC: TestModel = TestModel {
    info: &LOGISTIC_INFO,
    f: |p, y, out| out[0] = p[0] * y[0] * (1.0 - y[0]),
};

static BISTABLE_INFO: ModelInfo = info(
    "bistable",
    TimeKind::Continuous,
    &[state("x"), state("y")],
    &[param("unused", 0.0)],
);
/// dx/dt = x − x³, dy/dt = −y: attractors (±1, 0), basins split at x = 0.
static BISTABLE: TestModel = TestModel {
    info: &BISTABLE_INFO,
    f: |_, y, out| {
        out[0] = y[0] - y[0] * y[0] * y[0];
        out[1] = -y[1];
    },
};

/// A deterministic orthogonal matrix: a product of Householder reflectors
/// built from a simple congruential sequence.
fn orthogonal(n: usize, seed: u64) -> Matrix {
    let mut state = seed;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 11) as f64 / (1u64 << 53) as f64) - 0.5
    };
    let mut q = Matrix::identity(n, n);
    for _ in 0..3 {
        let v: Vec<f64> = (0..n).map(|_| next()).collect();
        let vv: f64 = v.iter().map(|x| x * x).sum();
        let mut h = Matrix::identity(n, n);
        for i in 0..n {
            for j in 0..n {
                h[(i, j)] -= 2.0 * v[i] * v[j] / vv;
            }
        }
        q *= &h;
    }
    q
}

fn real(re: f64) -> Complex {
    Complex::new(re, 0.0)
}

/// A matrix from its rows.
fn from_rows(rows: &[Vec<f64>]) -> Matrix {
    let flat: Vec<f64> = rows.iter().flatten().copied().collect();
    Matrix::from_row_slice(rows.len(), rows[0].len(), &flat)
}

fn sorted(mut v: Vec<Complex>) -> Vec<Complex> {
    v.sort_by(|a, b| b.re.total_cmp(&a.re).then(b.im.total_cmp(&a.im)));
    v
}

fn assert_spectrum(got: &[Complex], want: &[Complex], tol: f64) {
    assert_eq!(got.len(), want.len());
    for (g, w) in sorted(got.to_vec())
        .iter()
        .zip(sorted(want.to_vec()).iter())
    {
        assert!(
            (g.re - w.re).abs() < tol && (g.im - w.im).abs() < tol,
            "got {got:?}, want {want:?}"
        );
    }
}

#[test]
fn eigenvalues_of_a_rotated_block_diagonal_matrix() {
    // B = diag(3, −1, 0.5, [[2, 1], [−1, 2]]) has spectrum {3, −1, 0.5, 2 ± i};
    // Q B Qᵀ has the same.
    let mut b = Matrix::zeros(5, 5);
    b[(0, 0)] = 3.0;
    b[(1, 1)] = -1.0;
    b[(2, 2)] = 0.5;
    b[(3, 3)] = 2.0;
    b[(3, 4)] = 1.0;
    b[(4, 3)] = -1.0;
    b[(4, 4)] = 2.0;
    let q = orthogonal(5, 7);
    let a = &q * &b * q.transpose();
    let want = [
        real(3.0),
        real(-1.0),
        real(0.5),
        Complex::new(2.0, 1.0),
        Complex::new(2.0, -1.0),
    ];
    assert_spectrum(&eigenvalues(&a).unwrap(), &want, 1e-10);
}

#[test]
fn eigenvalues_of_companion_and_permutation_matrices() {
    // (x − 1)(x − 2)(x − 3)(x − 4) = x⁴ − 10x³ + 35x² − 50x + 24.
    let companion = from_rows(&[
        vec![10.0, -35.0, 50.0, -24.0],
        vec![1.0, 0.0, 0.0, 0.0],
        vec![0.0, 1.0, 0.0, 0.0],
        vec![0.0, 0.0, 1.0, 0.0],
    ]);
    let want: Vec<Complex> = [4.0, 3.0, 2.0, 1.0].map(real).to_vec();
    assert_spectrum(&eigenvalues(&companion).unwrap(), &want, 1e-9);
    // A cyclic permutation of 3: the cube roots of unity. Zero
    // subdiagonal structure exercises the exceptional shifts.
    let cycle = from_rows(&[
        vec![0.0, 0.0, 1.0],
        vec![1.0, 0.0, 0.0],
        vec![0.0, 1.0, 0.0],
    ]);
    let s = 3f64.sqrt() / 2.0;
    let want = [real(1.0), Complex::new(-0.5, s), Complex::new(-0.5, -s)];
    assert_spectrum(&eigenvalues(&cycle).unwrap(), &want, 1e-12);
}

#[test]
fn eigenvalues_of_a_larger_random_matrix_are_roots_of_its_characteristic_polynomial() {
    let n = 12;
    let q = orthogonal(n, 99);
    // A non-symmetric matrix: Q times a shifted copy of itself.
    let mut a = &q * orthogonal(n, 5);
    for i in 0..n {
        a[(i, i)] += 0.3 * i as f64;
    }
    let eigs = eigenvalues(&a).unwrap();
    assert_eq!(eigs.len(), n);
    let sum_re: f64 = eigs.iter().map(|z| z.re).sum();
    let sum_im: f64 = eigs.iter().map(|z| z.im).sum();
    assert!(
        (sum_re - a.trace()).abs() < 1e-9,
        "{sum_re} vs {}",
        a.trace()
    );
    assert!(sum_im.abs() < 1e-9);
    // The product of the eigenvalues is the determinant.
    let (mut pr, mut pi) = (1.0, 0.0);
    for z in &eigs {
        (pr, pi) = (pr * z.re - pi * z.im, pr * z.im + pi * z.re);
    }
    assert!((pr - determinant(&a)).abs() < 1e-8 * determinant(&a).abs().max(1.0));
    assert!(pi.abs() < 1e-8);
    // Real eigenvalues make A − λI singular.
    for z in eigs.iter().filter(|z| z.im == 0.0) {
        let mut shifted = a.clone();
        for i in 0..n {
            shifted[(i, i)] -= z.re;
        }
        assert!(determinant(&shifted).abs() < 1e-8, "λ = {}", z.re);
    }
}

#[test]
fn solve_and_determinant_match_hand_computation() {
    let a = from_rows(&[
        vec![2.0, 1.0, 1.0],
        vec![1.0, 3.0, 2.0],
        vec![1.0, 0.0, 0.0],
    ]);
    assert!((determinant(&a) - (-1.0)).abs() < 1e-14);
    let x = solve(&a, &[4.0, 5.0, 6.0]).unwrap();
    // By hand: x = 6, then y + z = −8 and 3y + 2z = −1, so y = 15, z = −23.
    for (got, want) in x.iter().zip([6.0, 15.0, -23.0]) {
        assert!((got - want).abs() < 1e-12, "{x:?}");
    }
    let singular = from_rows(&[vec![1.0, 2.0], vec![2.0, 4.0]]);
    assert_eq!(solve(&singular, &[1.0, 1.0]), None);
    assert_eq!(determinant(&singular), 0.0);
}

#[test]
fn jacobian_of_lorenz_matches_the_analytic_one() {
    let p = LORENZ_INFO.default_params();
    let y = [1.5, -2.0, 20.0];
    let j = jacobian(&LORENZ, &p, 0.0, &y);
    let exact = [
        [-10.0, 10.0, 0.0],
        [28.0 - y[2], -1.0, -y[0]],
        [y[1], y[0], -8.0 / 3.0],
    ];
    for i in 0..3 {
        for k in 0..3 {
            assert!((j[(i, k)] - exact[i][k]).abs() < 1e-8, "{i},{k}");
        }
    }
}

#[test]
fn linear_equilibria_are_classified_like_the_trace_determinant_rule() {
    // Every non-degenerate sign pattern of a 2×2 matrix over a grid of
    // coefficients: the eigenvalue classification agrees with Strogatz's
    // trace–determinant rule.
    let values = [-2.0, -0.5, 0.0, 0.7, 1.5];
    let mut checked = 0;
    for a in values {
        for b in values {
            for c in values {
                for d in values {
                    let rule = strogatz::classify(a, b, c, d);
                    let tau = a + d;
                    let delta = a * d - b * c;
                    if delta == 0.0 || (tau * tau - 4.0 * delta).abs() < 1e-12 {
                        continue;
                    }
                    let found = find_equilibria(
                        &Strogatz,
                        &[a, b, c, d],
                        &[(-1.0, 1.0), (-1.0, 1.0)],
                        &EquilibriumOptions {
                            starts: 3,
                            ..EquilibriumOptions::default()
                        },
                    )
                    .unwrap();
                    assert_eq!(found.len(), 1, "{a} {b} {c} {d}");
                    assert!(found[0].state.iter().all(|v| v.abs() < 1e-12));
                    assert_eq!(found[0].kind.name(), rule, "{a} {b} {c} {d}");
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 300, "{checked}");
}

#[test]
fn fold_model_has_two_equilibria_before_the_fold_and_none_after() {
    let opts = EquilibriumOptions::default();
    let before = find_equilibria(&FOLD, &[-0.25], &[(-3.0, 3.0)], &opts).unwrap();
    assert_eq!(before.len(), 2);
    assert!((before[0].state[0] + 0.5).abs() < 1e-10);
    assert_eq!(before[0].kind, EquilibriumKind::StableNode);
    assert!((before[1].state[0] - 0.5).abs() < 1e-10);
    assert_eq!(before[1].kind, EquilibriumKind::UnstableNode);
    let after = find_equilibria(&FOLD, &[0.25], &[(-3.0, 3.0)], &opts).unwrap();
    assert!(after.is_empty());
}

#[test]
fn fixed_points_of_the_logistic_map() {
    let found = find_equilibria(
        &LOGISTIC,
        &[2.5],
        &[(-0.5, 1.5)],
        &EquilibriumOptions::default(),
    )
    .unwrap();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].state[0].abs() < 1e-12);
    assert_eq!(found[0].kind, EquilibriumKind::UnstableNode); // multiplier 2.5
    assert!((found[1].state[0] - 0.6).abs() < 1e-12);
    assert!((found[1].eigenvalues[0].re + 0.5).abs() < 1e-8); // multiplier −0.5
    assert!(found[1].is_stable());
}

#[test]
fn continuation_goes_round_the_fold_of_r_plus_x_squared() {
    let branch = continue_equilibria(
        &FOLD,
        &[-1.0],
        &[-0.9],
        &ContinuationOptions {
            param: 0,
            bound: 1.0,
            ..ContinuationOptions::default()
        },
    )
    .unwrap();
    assert_eq!(branch.special.len(), 1, "{:?}", branch.special);
    let fold = &branch.special[0];
    assert_eq!(fold.kind, SpecialKind::Fold);
    assert!(fold.param.abs() < 1e-8, "fold at r = {}", fold.param);
    assert!(fold.state[0].abs() < 1e-4, "fold at x = {}", fold.state[0]);
    // Along the whole branch x² = −r, stable below the fold, unstable above.
    for p in &branch.points {
        assert!((p.state[0] * p.state[0] + p.param).abs() < 1e-9);
        assert_eq!(p.kind.is_stable(), p.state[0] < 0.0);
    }
    // It came back on the upper half to the start of the range.
    let last = branch.points.last().unwrap();
    assert!(last.state[0] > 0.9 && last.param < -0.8, "{last:?}");
    assert_eq!(branch.end, continuation::BranchEnd::LeftRange);
}

#[test]
fn continuation_finds_the_hopf_point_of_the_normal_form() {
    let branch = continue_equilibria(
        &HOPF,
        &[-1.0],
        &[0.1, 0.1],
        &ContinuationOptions {
            param: 0,
            bound: 1.0,
            ..ContinuationOptions::default()
        },
    )
    .unwrap();
    assert_eq!(branch.special.len(), 1, "{:?}", branch.special);
    assert_eq!(branch.special[0].kind, SpecialKind::Hopf);
    assert!(branch.special[0].param.abs() < 1e-8);
    assert!(
        branch
            .points
            .iter()
            .all(|p| p.state.iter().all(|v| v.abs() < 1e-9))
    );
    let last = branch.points.last().unwrap();
    assert!(last.param > 0.9);
    assert_eq!(last.kind, EquilibriumKind::UnstableSpiral);
}

#[test]
fn continuation_finds_the_period_doubling_of_the_logistic_map() {
    let branch = continue_equilibria(
        &LOGISTIC,
        &[2.5],
        &[0.6],
        &ContinuationOptions {
            param: 0,
            bound: 3.5,
            ..ContinuationOptions::default()
        },
    )
    .unwrap();
    let flips: Vec<_> = branch
        .special
        .iter()
        .filter(|s| s.kind == SpecialKind::PeriodDoubling)
        .collect();
    assert_eq!(flips.len(), 1, "{:?}", branch.special);
    assert!((flips[0].param - 3.0).abs() < 1e-7);
    assert!((flips[0].state[0] - 2.0 / 3.0).abs() < 1e-7);
}

#[test]
fn hopf_cycle_has_radius_root_mu_and_period_two_pi() {
    let cycle = limit_cycle(
        &HOPF,
        &[0.25],
        &[0.1, 0.0],
        &CycleOptions {
            transient: 60.0,
            horizon: 100.0,
            ..CycleOptions::default()
        },
    )
    .unwrap()
    .expect("a cycle");
    assert!((cycle.period - 2.0 * PI).abs() < 1e-7, "{}", cycle.period);
    for (lo, hi) in &cycle.ranges {
        assert!(
            (lo + 0.5).abs() < 1e-6 && (hi - 0.5).abs() < 1e-6,
            "{lo} {hi}"
        );
    }
    // Below the Hopf point the spiral decays: no cycle.
    let none = limit_cycle(&HOPF, &[-0.25], &[0.5, 0.0], &CycleOptions::default()).unwrap();
    assert_eq!(none, None);
}

#[test]
fn maxima_of_the_fickle_centre_are_one_period_apart() {
    // dR/dt = −J, dJ/dt = R: maxima of R every 2π, all of height 1.
    let m = maxima(
        &Strogatz,
        &[0.0, -1.0, 1.0, 0.0],
        &[1.0, 0.0],
        0,
        0.5,
        40.0,
        OdeOptions::with_tolerances(1e-11, 1e-13),
    )
    .unwrap();
    assert_eq!(m.len(), 6);
    for (k, (t, v)) in m.iter().enumerate() {
        assert!((t - 2.0 * PI * (k + 1) as f64).abs() < 1e-8, "{t}");
        assert!((v - 1.0).abs() < 1e-9);
    }
}

#[test]
fn lyapunov_exponent_of_a_stable_focus_is_its_decay_rate() {
    let est = largest_lyapunov(
        &HOPF,
        &[-0.5],
        &[1e-3, 0.0],
        &LyapunovOptions {
            transient: 0.0,
            renormalisations: 50,
            ..LyapunovOptions::default()
        },
    )
    .unwrap();
    assert!((est.exponent + 0.5).abs() < 0.01, "{}", est.exponent);
}

#[test]
fn lyapunov_exponent_on_a_limit_cycle_is_zero() {
    let est = largest_lyapunov(
        &HOPF,
        &[0.25],
        &[0.5, 0.0],
        &LyapunovOptions {
            transient: 20.0,
            renormalisations: 400,
            ..LyapunovOptions::default()
        },
    )
    .unwrap();
    // Along the cycle the separation neither grows nor decays; the
    // transverse part decays within a few renormalisations, leaving a
    // bias of order 1/(total time).
    assert!(est.exponent.abs() < 0.01, "{}", est.exponent);
}

#[test]
fn lyapunov_exponent_of_lorenz_is_about_0_906() {
    // The commonly quoted value for σ = 10, ρ = 28, β = 8/3 is 0.9056
    // (e.g. Sprott, Chaos and Time-Series Analysis, 2003).
    let est = largest_lyapunov(
        &LORENZ,
        &LORENZ_INFO.default_params(),
        &[1.0, 1.0, 20.0],
        &LyapunovOptions {
            transient: 20.0,
            interval: 0.5,
            renormalisations: 2000,
            separation: 1e-8,
            rtol: 1e-9,
            atol: 1e-11,
        },
    )
    .unwrap();
    assert!((est.exponent - 0.906).abs() < 0.05, "{}", est.exponent);
}

#[test]
fn lyapunov_exponent_of_the_full_logistic_map_is_ln_2() {
    let est = largest_lyapunov(
        &LOGISTIC,
        &[4.0],
        &[0.1234],
        &LyapunovOptions {
            transient: 100.0,
            interval: 1.0,
            renormalisations: 20_000,
            separation: 1e-9,
            ..LyapunovOptions::default()
        },
    )
    .unwrap();
    assert!((est.exponent - 2f64.ln()).abs() < 0.02, "{}", est.exponent);
}

#[test]
fn orbit_diagram_of_the_hopf_normal_form() {
    let slices = orbit_diagram(
        &HOPF,
        &[0.0],
        0,
        &[0.25, 0.09, -0.2],
        &[0.5, 0.0],
        0,
        80.0,
        20.0,
        OdeOptions::with_tolerances(1e-10, 1e-12),
    )
    .unwrap();
    // Each column starts where the last ended, following the cycle as it
    // shrinks and then the equilibrium once the cycle is gone.
    assert!(slices[2].values.is_empty(), "{:?}", slices[2].values);
    for (slice, radius) in slices[..2].iter().zip([0.5, 0.3]) {
        assert!(slice.values.len() >= 3);
        for v in &slice.values {
            assert!((v - radius).abs() < 1e-6, "μ = {}: {v}", slice.param);
        }
    }
    // A map: the logistic map at r = 3.2 alternates between two values.
    let map = orbit_diagram(
        &LOGISTIC,
        &[3.2],
        0,
        &[3.2],
        &[0.3],
        0,
        500.0,
        10.0,
        OdeOptions::default(),
    )
    .unwrap();
    let mut distinct: Vec<f64> = Vec::new();
    for v in &map[0].values {
        if !distinct.iter().any(|d| (d - v).abs() < 1e-9) {
            distinct.push(*v);
        }
    }
    assert_eq!(distinct.len(), 2, "{:?}", map[0].values);
}

#[test]
fn basins_of_a_bistable_system_split_at_the_stable_manifold() {
    let opts = BasinOptions {
        x: 0,
        y: 1,
        x_range: (-1.9, 1.9),
        y_range: (-1.0, 1.0),
        nx: 20,
        ny: 5,
        base_state: vec![0.0, 0.0],
        t_end: 40.0,
        attractors: vec![vec![-1.0, 0.0], vec![1.0, 0.0]],
        tolerance: 1e-6,
        rtol: 1e-9,
        atol: 1e-12,
    };
    let map = basins(&BISTABLE, &[0.0], &opts).unwrap();
    for j in 0..5 {
        for i in 0..20 {
            let want = if map.x_values[i] < 0.0 { 0 } else { 1 };
            assert_eq!(map.at(i, j), Some(want), "cell {i},{j}");
        }
    }
    assert_eq!(map.fractions(), vec![0.5, 0.5]);
    // Without the attractors given, the two are discovered in scan order.
    let found = basins(
        &BISTABLE,
        &[0.0],
        &BasinOptions {
            attractors: Vec::new(),
            ..opts
        },
    )
    .unwrap();
    assert_eq!(found.attractors.len(), 2);
    assert!((found.attractors[0][0] + 1.0).abs() < 1e-6);
    assert_eq!(found.cells, map.cells);
}

#[test]
fn bad_options_are_errors_naming_the_field() {
    let err =
        find_equilibria(&HOPF, &[0.0], &[(0.0, 1.0)], &EquilibriumOptions::default()).unwrap_err();
    assert!(err.to_string().contains("bounds"), "{err}");
    let err = limit_cycle(
        &HOPF,
        &[0.25],
        &[0.1, 0.0],
        &CycleOptions {
            variable: 5,
            ..CycleOptions::default()
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("variable"), "{err}");
    let err = largest_lyapunov(
        &HOPF,
        &[0.25],
        &[0.1, 0.0],
        &LyapunovOptions {
            interval: 0.0,
            ..LyapunovOptions::default()
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("interval"), "{err}");
    let err = continue_equilibria(
        &FOLD,
        &[0.5],
        &[0.0],
        &ContinuationOptions {
            bound: 1.0,
            ..ContinuationOptions::default()
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("no equilibrium"), "{err}");
}
