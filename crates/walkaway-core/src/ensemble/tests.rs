use super::*;
use proptest::prelude::*;

fn lp_spec(jitter: f64, t_end: f64, seed: u64) -> JitterSpec {
    JitterSpec {
        model: JitterModel::LauraPetrarch,
        jitter,
        t_end,
        rtol: 1e-6,
        atol: 1e-9,
        seed,
    }
}

fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool")
        .install(f)
}

#[test]
fn every_lane_follows_the_scalar_solver_to_the_bit() {
    // 37 trajectories: not a multiple of the lane count, so lanes are
    // refilled at different times and some run idle at the end.
    let spec = lp_spec(0.1, 20.0, 7);
    let params: Vec<Vec<f64>> = (0..37).map(|k| spec.parameters(k)).collect();
    let opts = kernel_options(spec.t_end, spec.rtol, spec.atol).unwrap();
    let exact =
        lane_final_states::<3, 10, LANES, _>(&LauraPetrarch, &params, &opts, KernelPath::best())
            .unwrap();
    let scalar =
        scalar_final_states(spec.model, &params, spec.t_end, spec.rtol, spec.atol).unwrap();
    for (k, (lane, (reference, _))) in exact.iter().zip(&scalar).enumerate() {
        for (a, b) in lane.iter().zip(reference) {
            assert_eq!(
                a.to_bits(),
                b.to_bits(),
                "trajectory {k}: {lane:?} vs {reference:?}"
            );
        }
    }
    let summary = jittered_shard(&spec, 0..37).unwrap();
    let steps: u64 = scalar.iter().map(|(_, s)| s.steps).sum();
    let rejected: u64 = scalar.iter().map(|(_, s)| s.rejected).sum();
    let rhs: u64 = scalar.iter().map(|(_, s)| s.rhs_calls).sum();
    assert_eq!(
        (summary.steps, summary.rejected, summary.rhs_calls),
        (steps, rejected, rhs)
    );
    assert!(summary.rejected > 0, "the test should exercise rejections");
    for i in 0..3 {
        let mean = scalar.iter().map(|(y, _)| y[i]).sum::<f64>() / 37.0;
        assert!((summary.final_mean[i] - mean).abs() <= 1e-10 * mean.abs().max(1.0));
        let var = scalar
            .iter()
            .map(|(y, _)| (y[i] - mean).powi(2))
            .sum::<f64>()
            / 36.0;
        assert!((summary.final_sd[i] - var.sqrt()).abs() <= 1e-9 * var.sqrt());
    }
}

#[test]
fn every_kernel_path_gives_the_same_bits() {
    // Each instruction set this CPU has (at least the portable one), on
    // every built-in model: the same final state to the bit, trajectory by
    // trajectory, and the same exact sums and work counts for a whole run.
    let paths: Vec<KernelPath> = KernelPath::ALL
        .into_iter()
        .filter(|p| p.is_available())
        .collect();
    eprintln!(
        "kernel paths on this CPU: {:?}",
        paths.iter().map(|p| p.name()).collect::<Vec<_>>()
    );
    for model in JitterModel::ALL {
        let spec = JitterSpec {
            model,
            ..lp_spec(0.1, 20.0, 5)
        };
        let params: Vec<Vec<f64>> = (0..45).map(|k| spec.parameters(k)).collect();
        let opts = kernel_options(spec.t_end, spec.rtol, spec.atol).unwrap();
        let finals = |path| {
            with_model!(
                model,
                |sys| lane_final_states::<_, _, LANES, _>(sys, &params, &opts, path),
                |_m| unreachable!("not a built-in model")
            )
            .unwrap()
        };
        let run = |path| jittered_shard_on(&spec, 0..3000, path, &AtomicU64::new(0)).unwrap();
        let (portable_finals, portable_run) =
            (finals(KernelPath::Portable), run(KernelPath::Portable));
        for &path in &paths {
            for (k, (a, b)) in finals(path).iter().zip(&portable_finals).enumerate() {
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(
                    bits(a),
                    bits(b),
                    "{} trajectory {k} on {}",
                    model.id(),
                    path.name()
                );
            }
            let other = run(path);
            assert_eq!(
                other.to_parts(),
                portable_run.to_parts(),
                "{} on {}",
                model.id(),
                path.name()
            );
        }
    }
}

#[test]
fn every_kernel_path_gives_an_equation_file_the_catalog_s_bits() {
    // Laura–Petrarch as an equation file, on its own lane width with its
    // prepared slots, on each instruction set this CPU has: the catalog's
    // final state to the bit, trajectory by trajectory (the file does the
    // catalog's operations in the catalog's order), and the same exact sums
    // and work counts on every path. 45 trajectories leave lanes idle at
    // the end and refill lanes mid-batch.
    use crate::equations::{EquationLanes, MAX_PARAMS};
    let file: &'static EquationModel =
        Box::leak(Box::new(crate::equations::tests::laura_petrarch_file()));
    let catalog = lp_spec(0.1, 20.0, 5);
    let spec = JitterSpec {
        model: JitterModel::equations(file).unwrap(),
        ..catalog
    };
    let params: Vec<Vec<f64>> = (0..45).map(|k| catalog.parameters(k)).collect();
    assert_eq!(params[7], spec.parameters(7));
    let opts = kernel_options(spec.t_end, spec.rtol, spec.atol).unwrap();
    let expected =
        lane_final_states::<3, 10, LANES, _>(&LauraPetrarch, &params, &opts, KernelPath::Portable)
            .unwrap();
    let padded = pad(file, &params).unwrap();
    let whole = jittered_shard_on(&catalog, 0..3000, KernelPath::Portable, &AtomicU64::new(0))
        .unwrap()
        .to_parts();
    for path in KernelPath::ALL.into_iter().filter(|p| p.is_available()) {
        let finals = lane_final_states::<3, MAX_PARAMS, EQUATION_LANES, _>(
            &EquationLanes::<3> { model: file },
            &padded,
            &opts,
            path,
        )
        .unwrap();
        for (k, (a, b)) in finals.iter().zip(&expected).enumerate() {
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(a), bits(b), "trajectory {k} on {}", path.name());
        }
        let run = jittered_shard_on(&spec, 0..3000, path, &AtomicU64::new(0)).unwrap();
        assert_eq!(run.to_parts(), whole, "{}", path.name());
    }
}

/// The kernel runs a built-in model's own catalog description and field,
/// not a copy: the names, published parameters and initial state of its
/// `INFO`, and on every lane the bits of the catalog's `vector_field`
/// (random parameters around the published ones, random states).
fn lanes_agree_with_the_catalog<const N: usize, const P: usize, M>(model: &M)
where
    M: LaneSystem<N, P> + Model,
{
    use crate::real::Lane;
    let info = model.info();
    assert_eq!(
        (info.states.len(), info.params.len()),
        (N, P),
        "{}",
        info.id
    );
    let states: Vec<&str> = info.states.iter().map(|s| s.name).collect();
    assert_eq!(model.state_names().to_vec(), states);
    let params: Vec<&str> = info.params.iter().map(|p| p.name).collect();
    assert_eq!(model.parameter_names().to_vec(), params);
    assert_eq!(model.nominal_parameters().to_vec(), info.default_params());
    assert_eq!(
        LaneSystem::initial_state(model).to_vec(),
        info.default_state()
    );
    let mut stream = Stream::new(3, 0, Purpose::Parameters);
    let nominal = model.nominal_parameters();
    for _ in 0..100 {
        let p: [Lane<LANES>; P] = std::array::from_fn(|j| {
            Lane(std::array::from_fn(|_| {
                nominal[j] * (1.0 + 0.5 * stream.uniform_in(-1.0, 1.0))
            }))
        });
        let y: [Lane<LANES>; N] =
            std::array::from_fn(|_| Lane(std::array::from_fn(|_| stream.uniform_in(-3.0, 3.0))));
        let mut lanes = [Lane::from(0.0); N];
        model.rhs_once(&p, &y, &mut lanes);
        for w in 0..LANES {
            let mut catalog = [0.0; N];
            let params: Vec<f64> = p.iter().map(|lane| lane[w]).collect();
            let state: Vec<f64> = y.iter().map(|lane| lane[w]).collect();
            model.vector_field(&params, 0.0, &state, &mut catalog);
            for i in 0..N {
                assert_eq!(
                    lanes[i][w].to_bits(),
                    catalog[i].to_bits(),
                    "{} d{}/dt, lane {w}: {params:?} {state:?}",
                    info.id,
                    states[i]
                );
            }
        }
    }
}

#[test]
fn the_kernel_runs_the_catalog_s_own_models() {
    lanes_agree_with_the_catalog(&LauraPetrarch);
    lanes_agree_with_the_catalog(&Strogatz);
    lanes_agree_with_the_catalog(&RinaldiLinear);
}

#[test]
fn the_lane_rhs_matches_the_catalog_laura_petrarch_model() {
    // The kernel and the catalog share the field (`GenericField`) but not
    // the solver driver: same parameters, same solver settings, same final
    // state.
    let model = crate::models::find("laura-petrarch").unwrap();
    let spec = lp_spec(0.1, 20.0, 13);
    let params: Vec<Vec<f64>> = (0..5).map(|k| spec.parameters(k)).collect();
    let lanes = final_states(spec.model, &params, 20.0, 1e-6, 1e-9).unwrap();
    let run = crate::RunOptions {
        t_end: 20.0,
        every: None,
        ..crate::RunOptions::for_model(model.info())
    };
    for (p, lane) in params.iter().zip(&lanes) {
        let traj = model.simulate(p, &[0.0; 3], &run).unwrap();
        let last = traj.rows.last().unwrap();
        for (name, v) in spec.model.state_names().iter().zip(lane) {
            let col = traj.columns.iter().position(|c| c == name).unwrap();
            assert!(
                (last[col] - v).abs() <= 1e-10 * v.abs().max(1e-3),
                "{name}: {} vs {v}",
                last[col]
            );
        }
    }
}

#[test]
fn laura_petrarch_settles_on_the_published_cycle() {
    // Literature notes §A3: on the cycle P ∈ [−0.413, 0.488],
    // Z ∈ [2.37, 8.72], L ∈ [−0.438, −0.218]. Sample the nominal orbit at
    // end times over the fifth and sixth cycles; the orbit approaches the
    // limit cycle slowly (Z still reaches 8.79 at t = 12, 8.75 after 15).
    let nominal = vec![JitterModel::LauraPetrarch.nominal_parameters()];
    for step in 0..21 {
        let t_end = 15.0 + 0.25 * f64::from(step);
        let y = &final_states(JitterModel::LauraPetrarch, &nominal, t_end, 1e-8, 1e-10).unwrap()[0];
        assert!(
            (-0.438 - 5e-3..=-0.218 + 5e-3).contains(&y[0]),
            "L({t_end}) = {}",
            y[0]
        );
        assert!(
            (-0.413 - 1e-2..=0.488 + 1e-2).contains(&y[1]),
            "P({t_end}) = {}",
            y[1]
        );
        assert!(
            (2.37 - 0.05..=8.72 + 0.05).contains(&y[2]),
            "Z({t_end}) = {}",
            y[2]
        );
    }
}

#[test]
fn kernel_accuracy_matches_its_tolerance_against_a_tight_reference() {
    let spec = lp_spec(0.1, 20.0, 11);
    let params: Vec<Vec<f64>> = (0..16).map(|k| spec.parameters(k)).collect();
    let loose = final_states(spec.model, &params, 20.0, 1e-6, 1e-9).unwrap();
    let tight = scalar_final_states(spec.model, &params, 20.0, 1e-12, 1e-14).unwrap();
    let mut worst: f64 = 0.0;
    for (a, (b, _)) in loose.iter().zip(&tight) {
        for (x, y) in a.iter().zip(b) {
            worst = worst.max((x - y).abs());
        }
    }
    // Global error of a tolerance-1e-6 run over five cycles: well below 1e-3,
    // and not suspiciously zero.
    assert!(worst < 1e-3 && worst > 1e-12, "worst error {worst}");
}

#[test]
fn strogatz_lanes_match_the_exact_rotation() {
    // a = d = 0: R = cos ωt, J = (ω/−b) sin ωt with ω = √(−b c).
    let spec = JitterSpec {
        model: JitterModel::Strogatz,
        ..lp_spec(0.3, 7.0, 3)
    };
    let params: Vec<Vec<f64>> = (0..13).map(|k| spec.parameters(k)).collect();
    let ys = final_states(spec.model, &params, 7.0, 1e-9, 1e-12).unwrap();
    for (p, y) in params.iter().zip(&ys) {
        assert_eq!((p[0], p[3]), (0.0, 0.0), "zero coefficients stay zero");
        let w = (-p[1] * p[2]).sqrt();
        let exact = [(w * 7.0).cos(), (w / -p[1]) * (w * 7.0).sin()];
        for (a, b) in y.iter().zip(exact) {
            assert!((a - b).abs() < 1e-6, "{y:?} vs {exact:?}");
        }
    }
}

#[test]
fn rinaldi_linear_lanes_settle_on_the_closed_form_equilibrium() {
    // x* solves the linear system: (α₁α₂ − β₁β₂)·x₁* = α₂γ₁A₂ + β₁γ₂A₁ and
    // (α₁α₂ − β₁β₂)·x₂* = α₁γ₂A₁ + β₂γ₁A₂; with the defaults ±20 % the
    // slowest eigenvalue is about −0.6, so by t = 40 the gap is below 1e-9.
    let spec = JitterSpec {
        model: JitterModel::RinaldiLinear,
        ..lp_spec(0.2, 40.0, 8)
    };
    let params: Vec<Vec<f64>> = (0..21).map(|k| spec.parameters(k)).collect();
    let ys = final_states(spec.model, &params, 40.0, 1e-10, 1e-12).unwrap();
    for (p, y) in params.iter().zip(&ys) {
        let [a1, a2, b1, b2, g1, g2, app1, app2] = <[f64; 8]>::try_from(p.as_slice()).unwrap();
        let det = a1 * a2 - b1 * b2;
        let x1 = (a2 * g1 * app2 + b1 * g2 * app1) / det;
        let x2 = (a1 * g2 * app1 + b2 * g1 * app2) / det;
        assert!(
            (y[0] - x1).abs() < 1e-7 && (y[1] - x2).abs() < 1e-7,
            "{y:?} vs ({x1}, {x2})"
        );
    }
    let summary = jittered_shard(&spec, 0..21).unwrap();
    assert_eq!(summary.state_names, vec!["x1", "x2"]);
}

#[test]
fn one_thread_and_two_threads_give_identical_bits() {
    let spec = lp_spec(0.1, 4.0, 5);
    let n = 2 * CHUNK + 77;
    let one = in_pool(1, || jittered_shard(&spec, 0..n)).unwrap();
    let two = in_pool(2, || jittered_shard(&spec, 0..n)).unwrap();
    assert_eq!(one.trajectories, n);
    for (a, b) in one.final_mean.iter().zip(&two.final_mean) {
        assert_eq!(a.to_bits(), b.to_bits());
    }
    assert_eq!(one, two);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]
    #[test]
    fn shards_merged_in_any_order_equal_the_whole_run(
        cut in 0u64..1300,
        seed in 0u64..1000,
    ) {
        let spec = lp_spec(0.1, 2.0, seed);
        let n = 1300;
        let whole = jittered_shard(&spec, 0..n).unwrap();
        let head = in_pool(2, || jittered_shard(&spec, 0..cut)).unwrap();
        let tail = in_pool(1, || jittered_shard(&spec, cut..n)).unwrap();
        let mut forward = head.clone();
        forward.merge(&tail).unwrap();
        let mut backward = tail.clone();
        backward.merge(&head).unwrap();
        prop_assert_eq!(&forward, &whole);
        prop_assert_eq!(&backward, &whole);
    }
}

#[test]
fn parameters_come_from_the_philox_parameter_stream() {
    let spec = lp_spec(0.1, 20.0, 42);
    let nominal = spec.model.nominal_parameters();
    let mut stream = Stream::new(42, 9, Purpose::Parameters);
    let expected: Vec<f64> = nominal
        .iter()
        .map(|v| v * (1.0 + 0.1 * stream.uniform_in(-1.0, 1.0)))
        .collect();
    assert_eq!(spec.parameters(9), expected);
    for k in 0..200 {
        for (p, v) in spec.parameters(k).iter().zip(&nominal) {
            assert!((p - v).abs() <= 0.1 * v.abs() + 1e-15);
            assert_eq!(p.signum(), v.signum());
        }
    }
    assert_ne!(spec.parameters(0), spec.parameters(1));
}

#[test]
fn zero_jitter_gives_every_trajectory_the_nominal_orbit() {
    let summary =
        jittered_final_mean(JitterModel::LauraPetrarch, 9, 0.0, 20.0, 1e-6, 1e-9, 1).unwrap();
    let nominal = vec![JitterModel::LauraPetrarch.nominal_parameters()];
    let single = final_states(JitterModel::LauraPetrarch, &nominal, 20.0, 1e-6, 1e-9).unwrap();
    for (m, s) in summary.final_mean.iter().zip(&single[0]) {
        assert!((m - s).abs() <= 4.0 * f64::EPSILON * s.abs());
    }
    assert_eq!(summary.steps % 9, 0);
}

#[test]
fn bad_settings_are_named() {
    let lp = JitterModel::LauraPetrarch;
    let field = |r: Result<EnsembleSummary, EnsembleError>| match r {
        Err(EnsembleError::InvalidSetting { field, .. }) => field,
        other => panic!("expected an invalid setting, got {other:?}"),
    };
    assert_eq!(
        field(jittered_final_mean(lp, 0, 0.1, 20.0, 1e-6, 1e-9, 1)),
        "trajectories"
    );
    assert_eq!(
        field(jittered_final_mean(lp, 5, 1.0, 20.0, 1e-6, 1e-9, 1)),
        "jitter"
    );
    assert_eq!(
        field(jittered_final_mean(lp, 5, f64::NAN, 20.0, 1e-6, 1e-9, 1)),
        "jitter"
    );
    assert_eq!(
        field(jittered_final_mean(lp, 5, 0.1, -1.0, 1e-6, 1e-9, 1)),
        "t_end"
    );
    assert_eq!(
        field(jittered_final_mean(lp, 5, 0.1, 20.0, 0.0, 1e-9, 1)),
        "rtol"
    );
    assert_eq!(
        field(jittered_final_mean(lp, 5, 0.1, 20.0, 1e-6, -1.0, 1)),
        "atol"
    );
    let err = JitterModel::from_id("romeo").unwrap_err().to_string();
    assert!(
        err.contains("laura-petrarch") && err.contains("strogatz"),
        "{err}"
    );
    assert_eq!(JitterModel::from_id("laura-petrarch").unwrap(), lp);
    let short = final_states(lp, &[vec![1.0; 3]], 1.0, 1e-6, 1e-9).unwrap_err();
    assert!(matches!(
        short,
        EnsembleError::ParameterCount {
            row: 0,
            got: 3,
            expected: 10,
            ..
        }
    ));
}

#[test]
fn a_failing_trajectory_is_reported_by_index_and_variable() {
    // Self-reinforcing feelings (a = d = 5) blow up past 1e12 before t = 10.
    let mut params = vec![vec![0.0, -1.0, 1.0, 0.0]; 8];
    params[5] = vec![5.0, 0.0, 0.0, 5.0];
    let err = final_states(JitterModel::Strogatz, &params, 10.0, 1e-6, 1e-9).unwrap_err();
    match err {
        EnsembleError::Trajectory {
            index: 5,
            source: SolverError::BlowUp { ref variable, .. },
        } => assert_eq!(variable, "romeo"),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn shards_of_different_runs_do_not_merge() {
    let mut a = jittered_shard(&lp_spec(0.1, 1.0, 1), 0..4).unwrap();
    let b = jittered_shard(&lp_spec(0.1, 1.0, 2), 4..8).unwrap();
    assert!(matches!(
        a.merge(&b),
        Err(EnsembleError::MismatchedShards { .. })
    ));
    let empty = jittered_shard(&lp_spec(0.1, 1.0, 1), 3..3).unwrap();
    let before = a.clone();
    a.merge(&empty).unwrap();
    assert_eq!(a, before);
}

#[test]
fn shards_saved_as_parts_merge_into_the_whole_run() {
    let spec = lp_spec(0.1, 2.0, 5);
    let whole = jittered_shard(&spec, 0..40).unwrap();
    let mut merged = EnsembleSummary::empty(spec);
    for range in [0..13, 13..29, 29..40] {
        let parts = jittered_shard(&spec, range).unwrap().to_parts();
        merged
            .merge(&EnsembleSummary::from_parts(spec, &parts).unwrap())
            .unwrap();
    }
    assert_eq!(merged, whole);
    let mut broken = whole.to_parts();
    broken.sums.pop();
    assert!(EnsembleSummary::from_parts(spec, &broken).is_err());
    broken = whole.to_parts();
    broken.squares[0].push(0);
    assert!(EnsembleSummary::from_parts(spec, &broken).is_err());
}
