//! What `walkaway analyze` and `walkaway plot phase|bifurcation` share:
//! the model set up from the command line, the parsing of ranges, the
//! search box, and the core's analyses run with the options the CLI uses.

use walkaway_core::analysis::{
    AnalysisError, BasinMap, BasinOptions, Branch, ContinuationOptions, Equilibrium,
    EquilibriumOptions, OrbitSlice, basins, continue_equilibria, find_equilibria, orbit_diagram,
};
use walkaway_core::ode::OdeOptions;
use walkaway_core::{Model, ModelInfo, RunOptions};
use walkaway_scenario::Scenario;

use crate::common::{Failure, load_scenario};

/// Most cells per side of a basin grid, and most columns of an orbit diagram.
pub const MAX_GRID: usize = 401;
pub const ORBIT_COLUMNS: usize = 121;

/// The model with its parameters, start and the analysis time.
pub struct Setup {
    pub scenario: Scenario,
    pub params: Vec<f64>,
    pub y0: Vec<f64>,
    /// The walkaway model is analysed as the "together" field at t = 0.
    pub caveat: Option<&'static str>,
}

pub const WALKAWAY_CAVEAT: &str = "The walkaway model follows a schedule (the separation starts and ends on set days), \
     so it has no equilibria in the usual sense. This analyses its \"together\" field at t = 0: \
     the dynamics while you are still together, before you walk away.";

pub fn setup(target: &str, sets: &[String]) -> Result<Setup, Failure> {
    let mut scenario = load_scenario(Some(target))?;
    for s in sets {
        scenario.apply_set(s)?;
    }
    let params = scenario.central_params();
    let y0 = scenario.initial_state(&params);
    let caveat = (scenario.model.info().id == "walkaway").then_some(WALKAWAY_CAVEAT);
    Ok(Setup {
        scenario,
        params,
        y0,
        caveat,
    })
}

/// Reads `LO:HI` (a finite range with LO < HI).
pub fn parse_range(flag: &str, text: &str) -> Result<(f64, f64), Failure> {
    let bad = || {
        Failure::Input(format!(
            "{flag} `{text}`: allowed: LO:HI with finite numbers and LO < HI (e.g. 0:10)"
        ))
    };
    let (lo, hi) = text.split_once(':').ok_or_else(bad)?;
    let lo: f64 = lo.trim().parse().map_err(|_| bad())?;
    let hi: f64 = hi.trim().parse().map_err(|_| bad())?;
    if !(lo.is_finite() && hi.is_finite() && lo < hi) {
        return Err(bad());
    }
    Ok((lo, hi))
}

/// Reads `NAME=LO:HI` for a real parameter of the model, inside its range.
pub fn parse_param_range(
    flag: &str,
    text: &str,
    model: &dyn Model,
) -> Result<(usize, f64, f64), Failure> {
    let info = model.info();
    let (name, range) = text.split_once('=').ok_or_else(|| {
        Failure::Input(format!(
            "{flag} `{text}`: allowed: NAME=LO:HI for a parameter of `{}` (e.g. {}=0:1)",
            info.id,
            info.params.first().map_or("alpha", |p| p.name)
        ))
    })?;
    let index = info
        .param_index(name.trim())
        .map_err(|e| Failure::Input(format!("{flag}: {e}")))?;
    let spec = &info.params[index];
    if spec.kind != walkaway_core::ParamKind::Real {
        return Err(Failure::Input(format!(
            "{flag}: `{}` is a switch or a choice; allowed: a real parameter",
            spec.name
        )));
    }
    let (lo, hi) = parse_range(flag, range)?;
    for v in [lo, hi] {
        spec.check(v)
            .map_err(|e| Failure::Input(format!("{flag}: {e}")))?;
    }
    Ok((index, lo, hi))
}

/// A box for each state: the range of the trajectories from the default
/// start and (for models with up to four states) from starts nudged along
/// each state, over the model's horizon, widened by a quarter of its span
/// (at least 0.5). A state that never goes below zero keeps zero as its
/// lower bound: the box stays in the region the starts can reach.
pub fn search_box(setup: &Setup, given: Option<(f64, f64)>) -> Result<Vec<(f64, f64)>, Failure> {
    let info = setup.scenario.model.info();
    let n = info.states.len();
    if let Some(b) = given {
        return Ok(vec![b; n]);
    }
    let mut starts = vec![setup.y0.clone()];
    if n <= 4 {
        for i in 0..n {
            let mut y = setup.y0.clone();
            y[i] += 1f64.max(0.5 * y[i].abs());
            starts.push(y);
        }
    }
    let mut run = RunOptions::for_model(info);
    run.every = Some(info.default_every);
    let mut lo = vec![f64::INFINITY; n];
    let mut hi = vec![f64::NEG_INFINITY; n];
    for start in &starts {
        // A start that fails to integrate only narrows the box.
        let Ok(traj) = setup.scenario.model.simulate(&setup.params, start, &run) else {
            continue;
        };
        for row in traj.rows.iter().chain(std::iter::once(start)) {
            for i in 0..n {
                if row[i].is_finite() {
                    lo[i] = lo[i].min(row[i]);
                    hi[i] = hi[i].max(row[i]);
                }
            }
        }
    }
    Ok((0..n)
        .map(|i| {
            if !lo[i].is_finite() {
                return (-1.0, 1.0);
            }
            let pad = (0.25 * (hi[i] - lo[i])).max(0.5);
            let low = if lo[i] >= 0.0 {
                (lo[i] - pad).max(0.0)
            } else {
                lo[i] - pad
            };
            (low, hi[i] + pad)
        })
        .collect())
}

pub fn equilibria(setup: &Setup, bounds: &[(f64, f64)]) -> Result<Vec<Equilibrium>, Failure> {
    find_equilibria(
        setup.scenario.model,
        &setup.params,
        bounds,
        &EquilibriumOptions::default(),
    )
    .map_err(analysis_failure)
}

pub fn analysis_failure(e: AnalysisError) -> Failure {
    use AnalysisError as E;
    match e {
        E::InvalidOption { .. } | E::Model(_) | E::TooManyStates { .. } => {
            Failure::Input(e.to_string())
        }
        other => Failure::Internal(other.to_string()),
    }
}

/// Branches through the equilibria at both ends of the range, and the orbit
/// diagram (maxima of `variable`) from the default start.
pub struct Diagram {
    pub param: usize,
    pub range: (f64, f64),
    pub branches: Vec<Branch>,
    pub orbits: Vec<OrbitSlice>,
    pub variable: usize,
}

pub fn diagram(
    setup: &Setup,
    param: usize,
    (lo, hi): (f64, f64),
    bounds: &[(f64, f64)],
    variable: usize,
) -> Result<Diagram, Failure> {
    let model = setup.scenario.model;
    let info = model.info();
    let at = |v: f64| {
        let mut p = setup.params.clone();
        p[param] = v;
        p
    };
    let span = hi - lo;
    let mut branches: Vec<Branch> = Vec::new();
    for (start, bound) in [(lo, hi), (hi, lo)] {
        let p = at(start);
        let found = find_equilibria(model, &p, bounds, &EquilibriumOptions::default())
            .map_err(analysis_failure)?;
        for e in found {
            // Skip an equilibrium already on a branch followed from the
            // other end (which stops within a step of this end).
            let known = branches.iter().any(|b| {
                b.points.iter().any(|q| {
                    (q.param - start).abs() <= span / 50.0
                        && q.state
                            .iter()
                            .zip(&e.state)
                            .all(|(a, b)| (a - b).abs() <= 1e-2 * (1.0 + b.abs()))
                })
            });
            if known {
                continue;
            }
            let opts = ContinuationOptions {
                param,
                bound,
                step: span / 400.0,
                min_step: span * 1e-9,
                max_step: span / 60.0,
                max_points: 4000,
                ..ContinuationOptions::default()
            };
            if let Ok(b) = continue_equilibria(model, &p, &e.state, &opts) {
                branches.push(b);
            }
        }
    }
    let values: Vec<f64> = (0..ORBIT_COLUMNS)
        .map(|k| lo + span * k as f64 / (ORBIT_COLUMNS - 1) as f64)
        .collect();
    let horizon = info.default_t_end;
    let orbits = orbit_diagram(
        model,
        &at(lo),
        param,
        &values,
        &setup.y0,
        variable,
        horizon,
        horizon,
        OdeOptions::with_tolerances(1e-8, 1e-10),
    )
    .map_err(analysis_failure)?;
    Ok(Diagram {
        param,
        range: (lo, hi),
        branches,
        orbits,
        variable,
    })
}

/// Basins are drawn for two-dimensional models on a grid of at most
/// `MAX_GRID` cells per side.
pub fn check_basins(info: &ModelInfo, grid: usize) -> Result<(), Failure> {
    if info.states.len() != 2 {
        return Err(Failure::Input(format!(
            "--basins: model `{}` has {} state variables; allowed: models with 2",
            info.id,
            info.states.len()
        )));
    }
    if !(2..=MAX_GRID).contains(&grid) {
        return Err(Failure::Input(format!(
            "--grid {grid}: allowed: from 2 to {MAX_GRID} cells per side"
        )));
    }
    Ok(())
}

pub fn basin_map(
    setup: &Setup,
    bounds: &[(f64, f64)],
    stable: &[Equilibrium],
    grid: usize,
) -> Result<BasinMap, Failure> {
    let info = setup.scenario.model.info();
    check_basins(info, grid)?;
    basins(
        setup.scenario.model,
        &setup.params,
        &BasinOptions {
            x: 0,
            y: 1,
            x_range: bounds[0],
            y_range: bounds[1],
            nx: grid,
            ny: grid,
            base_state: setup.y0.clone(),
            t_end: 4.0 * info.default_t_end,
            attractors: stable.iter().map(|e| e.state.clone()).collect(),
            tolerance: 1e-3,
            rtol: 1e-8,
            atol: 1e-10,
        },
    )
    .map_err(analysis_failure)
}
