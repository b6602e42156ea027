//! `walkaway analyze MODEL`: equilibria with eigenvalues and type, a limit
//! cycle (period, amplitudes) after a transient from the default start, the
//! largest Lyapunov exponent, and on request a one-parameter bifurcation
//! diagram and the basins of a two-dimensional model. The numerics are the
//! core's `analysis` module; this file chooses options and prints.

use serde_json::{Value, json};
use walkaway_core::TimeKind;
use walkaway_core::analysis::{
    CycleOptions, Equilibrium, LimitCycle, LyapunovEstimate, LyapunovOptions, OrbitSlice,
    largest_lyapunov, limit_cycle,
};

use crate::analysis::{
    Diagram, Setup, analysis_failure, basin_map, check_basins, diagram, equilibria,
    parse_param_range, parse_range, search_box, setup,
};
use crate::common::{Failure, Format, emit, refuse_csv};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A model id (see `walkaway models`) or a scenario file.
    #[arg(value_name = "MODEL_OR_SCENARIO_FILE")]
    target: String,
    /// Set a value: NAME=VALUE (repeatable), as in `simulate --set`.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    sets: Vec<String>,
    /// One-parameter diagram: NAME=LO:HI (equilibrium branches with folds and
    /// Hopf points, and the maxima of the orbits).
    #[arg(long, value_name = "NAME=LO:HI")]
    bifurcation: Option<String>,
    /// Basins of attraction on a grid (two-dimensional models).
    #[arg(long)]
    basins: bool,
    /// Cells per side of the basin grid.
    #[arg(long, default_value_t = 41)]
    grid: usize,
    /// Search box for equilibria and basins, the same for every state: LO:HI
    /// (default: around the trajectory from the default start).
    #[arg(long = "box", value_name = "LO:HI")]
    search_box: Option<String>,
    /// table for people, json for programs (csv is not offered: an analysis is nested).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// The same as --format json (kept for scripts written before --format).
    #[arg(long, hide = true, conflicts_with = "format")]
    json: bool,
}

/// What an analysis will do, checked before any numerics run.
struct Plan {
    setup: Setup,
    /// The box given with --box, the same for every state.
    given_box: Option<(f64, f64)>,
    /// The parameter and range of --bifurcation.
    bifurcation: Option<(usize, f64, f64)>,
    /// The cells per side of the basin grid, with --basins.
    basins: Option<usize>,
    format: Format,
}

impl Plan {
    fn new(args: &Args) -> Result<Self, Failure> {
        let format = if args.json { Format::Json } else { args.format };
        refuse_csv(format, "`walkaway analyze`")?;
        let setup = setup(&args.target, &args.sets)?;
        let model = setup.scenario.model;
        let given_box = args
            .search_box
            .as_deref()
            .map(|t| parse_range("--box", t))
            .transpose()?;
        let bifurcation = args
            .bifurcation
            .as_deref()
            .map(|t| parse_param_range("--bifurcation", t, model))
            .transpose()?;
        if args.basins {
            check_basins(model.info(), args.grid)?;
        }
        Ok(Self {
            setup,
            given_box,
            bifurcation,
            basins: args.basins.then_some(args.grid),
            format,
        })
    }
}

/// The start as a resting point of the field with its running totals left
/// out: states that nothing else depends on (a zero column of the
/// Jacobian) and that keep changing, such as the walkaway model's hazard
/// and expected contacts. Used when no full equilibrium exists.
pub struct RestingPoint {
    pub left_out: Vec<usize>,
    pub kept: Vec<usize>,
    pub residual: f64,
    pub eigenvalues: Vec<walkaway_core::analysis::Complex>,
    pub kind: walkaway_core::analysis::EquilibriumKind,
}

pub fn resting_point(setup: &Setup) -> Result<Option<RestingPoint>, Failure> {
    use walkaway_core::analysis::{Matrix, classify, eigenvalues, jacobian};
    let model = setup.scenario.model;
    let info = model.info();
    if info.time == TimeKind::Discrete {
        return Ok(None);
    }
    let n = info.states.len();
    let mut f = vec![0.0; n];
    model.vector_field(&setup.params, 0.0, &setup.y0, &mut f);
    let j = jacobian(model, &setup.params, 0.0, &setup.y0);
    let left_out: Vec<usize> = (0..n)
        .filter(|&c| (0..n).all(|r| j[(r, c)].abs() <= 1e-12))
        .collect();
    let kept: Vec<usize> = (0..n).filter(|i| !left_out.contains(i)).collect();
    let residual = kept.iter().map(|&i| f[i].abs()).fold(0.0, f64::max);
    if kept.is_empty() || residual > 1e-8 {
        return Ok(None);
    }
    let mut reduced = Matrix::zeros(kept.len(), kept.len());
    for (a, &r) in kept.iter().enumerate() {
        for (b, &c) in kept.iter().enumerate() {
            reduced[(a, b)] = j[(r, c)];
        }
    }
    let mut eigs = eigenvalues(&reduced).map_err(analysis_failure)?;
    eigs.sort_by(|a, b| b.re.total_cmp(&a.re));
    let kind = classify(&eigs, info.time, 1e-6);
    Ok(Some(RestingPoint {
        left_out,
        kept,
        residual,
        eigenvalues: eigs,
        kind,
    }))
}

fn cycle(setup: &Setup) -> Result<Option<LimitCycle>, Failure> {
    let info = setup.scenario.model.info();
    if info.time == TimeKind::Discrete {
        return Ok(None);
    }
    let t = info.default_t_end;
    // Measured on the state that swings most after the transient.
    let mut best: Option<LimitCycle> = None;
    for variable in 0..info.states.len() {
        let found = limit_cycle(
            setup.scenario.model,
            &setup.params,
            &setup.y0,
            &CycleOptions {
                variable,
                transient: 2.0 * t,
                horizon: 4.0 * t,
                periods: 3,
                tolerance: 1e-3,
                rtol: 1e-9,
                atol: 1e-12,
            },
        )
        .map_err(analysis_failure)?;
        if let Some(c) = found {
            best = Some(c);
            break;
        }
    }
    Ok(best)
}

fn lyapunov(setup: &Setup) -> Result<LyapunovEstimate, Failure> {
    let info = setup.scenario.model.info();
    let t = info.default_t_end;
    let (interval, renormalisations) = match info.time {
        TimeKind::Continuous => (t / 40.0, 800),
        TimeKind::Discrete => (1.0, 400),
    };
    largest_lyapunov(
        setup.scenario.model,
        &setup.params,
        &setup.y0,
        &LyapunovOptions {
            transient: 2.0 * t,
            interval,
            renormalisations,
            ..LyapunovOptions::default()
        },
    )
    .map_err(analysis_failure)
}

fn fmt(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v.abs() >= 1e4 || v.abs() < 1e-3 {
        format!("{v:.3e}")
    } else {
        format!("{v:.4}")
    }
}

fn complex(z: &walkaway_core::analysis::Complex) -> String {
    if z.im.abs() <= 1e-12 * (1.0 + z.re.abs()) {
        fmt(z.re)
    } else if z.im > 0.0 {
        format!("{} + {}i", fmt(z.re), fmt(z.im))
    } else {
        format!("{} − {}i", fmt(z.re), fmt(-z.im))
    }
}

fn state_text(names: &[&str], y: &[f64]) -> String {
    names
        .iter()
        .zip(y)
        .map(|(n, v)| format!("{n} = {}", fmt(*v)))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn run(args: &Args) -> Result<(), Failure> {
    let Plan {
        setup,
        given_box,
        bifurcation,
        basins,
        format,
    } = Plan::new(args)?;
    let info = setup.scenario.model.info();
    let bounds = search_box(&setup, given_box)?;
    let eq = equilibria(&setup, &bounds)?;
    let rest = if eq.is_empty() {
        resting_point(&setup)?
    } else {
        None
    };
    let cyc = cycle(&setup)?;
    let lyap = lyapunov(&setup)?;
    let diagram = bifurcation
        .map(|(p, lo, hi)| diagram(&setup, p, (lo, hi), &bounds, 0))
        .transpose()?;
    let stable: Vec<Equilibrium> = eq.iter().filter(|e| e.is_stable()).cloned().collect();
    let basin = basins
        .map(|grid| basin_map(&setup, &bounds, &stable, grid))
        .transpose()?;
    let names: Vec<&str> = info.states.iter().map(|s| s.name).collect();
    let text = if format == Format::Json {
        let mut doc = json!({
            "model": info.id,
            "time_unit": info.time_unit,
            "time": if info.time == TimeKind::Discrete { "discrete" } else { "continuous" },
            "analysed_at_t": 0.0,
            "caveat": setup.caveat,
            "params": info.params.iter().zip(&setup.params).map(|(s, v)| (s.name.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
            "search_box": bounds.iter().map(|(a, b)| json!([a, b])).collect::<Vec<_>>(),
            "equilibria": eq.iter().map(|e| json!({
                "state": names.iter().zip(&e.state).map(|(n, v)| (n.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
                "kind": e.kind.name(),
                "stable": e.is_stable(),
                "eigenvalues": e.eigenvalues.iter().map(|z| json!({"re": z.re, "im": z.im})).collect::<Vec<_>>(),
                "residual": e.residual,
            })).collect::<Vec<_>>(),
            "resting_point_at_start": rest.as_ref().map(|r| json!({
                "state": r.kept.iter().map(|&i| (names[i].to_string(), json!(setup.y0[i]))).collect::<serde_json::Map<_, _>>(),
                "left_out": r.left_out.iter().map(|&i| names[i]).collect::<Vec<_>>(),
                "kind": r.kind.name(),
                "stable": r.kind.is_stable(),
                "eigenvalues": r.eigenvalues.iter().map(|z| json!({"re": z.re, "im": z.im})).collect::<Vec<_>>(),
                "residual": r.residual,
            })),
            "limit_cycle": cyc.as_ref().map(|c| json!({
                "period": c.period,
                "ranges": names.iter().zip(&c.ranges).map(|(n, (lo, hi))| (n.to_string(), json!({"min": lo, "max": hi, "amplitude": 0.5 * (hi - lo)}))).collect::<serde_json::Map<_, _>>(),
                "period_spread": c.period_spread,
            })),
            "largest_lyapunov": {
                "exponent": lyap.exponent,
                "per": if info.time == TimeKind::Discrete { "turn".to_string() } else { info.time_unit.to_string() },
            },
        });
        if let Some(d) = &diagram {
            doc["bifurcation"] = diagram_json(d, info, &names);
        }
        if let Some(b) = &basin {
            let f = b.fractions();
            doc["basins"] = json!({
                "grid": [b.x_values.len(), b.y_values.len()],
                "x_range": [bounds[0].0, bounds[0].1],
                "y_range": [bounds[1].0, bounds[1].1],
                "attractors": b.attractors.iter().zip(&f).map(|(a, share)| json!({"state": a, "share": share})).collect::<Vec<_>>(),
                "unsettled_share": 1.0 - f.iter().sum::<f64>(),
            });
        }
        let mut s =
            serde_json::to_string_pretty(&doc).map_err(|e| Failure::Internal(e.to_string()))?;
        s.push('\n');
        s
    } else {
        let mut s = format!("{} — {}\n", info.id, info.title);
        if let Some(c) = setup.caveat {
            s.push_str(&format!("Note: {c}\n"));
        }
        s.push_str(&format!(
            "\nEquilibria{} in the box {}:\n",
            if info.time == TimeKind::Discrete {
                " (fixed points of the map)"
            } else {
                ""
            },
            names
                .iter()
                .zip(&bounds)
                .map(|(n, (a, b))| format!("{n} ∈ [{}, {}]", fmt(*a), fmt(*b)))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        if eq.is_empty() {
            s.push_str("  none found\n");
        }
        if let Some(r) = &rest {
            s.push_str(&format!(
                "  The start is a resting point once the running totals ({}) are left out, \
                 which only grow:\n  {}: {}\n     eigenvalues: {}\n",
                r.left_out
                    .iter()
                    .map(|&i| names[i])
                    .collect::<Vec<_>>()
                    .join(", "),
                r.kind.name(),
                r.kept
                    .iter()
                    .map(|&i| format!("{} = {}", names[i], fmt(setup.y0[i])))
                    .collect::<Vec<_>>()
                    .join(", "),
                r.eigenvalues
                    .iter()
                    .map(complex)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        for (k, e) in eq.iter().enumerate() {
            s.push_str(&format!(
                "  {}. {}: {}\n     eigenvalues: {}\n",
                k + 1,
                e.kind.name(),
                state_text(&names, &e.state),
                e.eigenvalues
                    .iter()
                    .map(complex)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        s.push_str("\nPeriodic orbit from the default start (after a transient):\n");
        match &cyc {
            Some(c) => {
                s.push_str(&format!(
                    "  period {} {}\n  amplitudes (half of max − min): {}\n",
                    fmt(c.period),
                    info.time_unit,
                    names
                        .iter()
                        .zip(&c.ranges)
                        .map(|(n, (lo, hi))| format!(
                            "{n} {} (from {} to {})",
                            fmt(0.5 * (hi - lo)),
                            fmt(*lo),
                            fmt(*hi)
                        ))
                        .collect::<Vec<_>>()
                        .join("; ")
                ));
                if eq.iter().any(|e| e.kind.name() == "centre") {
                    s.push_str(
                        "  (a closed orbit around a centre: every start has its own, none attracts)\n",
                    );
                }
            }
            None if info.time == TimeKind::Discrete => s.push_str("  not measured for maps\n"),
            None => s.push_str("  none: the orbit settles (or does not repeat)\n"),
        }
        s.push_str(&format!(
            "\nLargest Lyapunov exponent: {} per {} ({})\n",
            fmt(lyap.exponent),
            if info.time == TimeKind::Discrete {
                "turn"
            } else {
                info.time_unit
            },
            if lyap.exponent > 0.01 {
                "positive: nearby states part exponentially"
            } else if lyap.exponent < -0.01 {
                "negative: nearby states converge"
            } else {
                "about zero: a cycle or a centre"
            }
        ));
        if let Some(d) = &diagram {
            s.push_str(&diagram_text(d, info, &names));
        }
        if let Some(b) = &basin {
            s.push_str(&format!(
                "\nBasins on a {}×{} grid of starts ({} × {}):\n",
                b.x_values.len(),
                b.y_values.len(),
                names[0],
                names[1]
            ));
            let f = b.fractions();
            for (a, share) in b.attractors.iter().zip(&f) {
                s.push_str(&format!(
                    "  {:>5.1}% end at {}\n",
                    100.0 * share,
                    state_text(&names, a)
                ));
            }
            s.push_str(&format!(
                "  {:>5.1}% settle on none of them\n",
                100.0 * (1.0 - f.iter().sum::<f64>())
            ));
        }
        s
    };
    emit(&text, None)
}

fn diagram_text(d: &Diagram, info: &walkaway_core::ModelInfo, names: &[&str]) -> String {
    let pname = info.params[d.param].name;
    let mut s = format!(
        "\nBifurcation diagram over {pname} from {} to {}:\n",
        fmt(d.range.0),
        fmt(d.range.1)
    );
    if d.branches.is_empty() {
        s.push_str("  no equilibrium branch found\n");
    }
    for (k, b) in d.branches.iter().enumerate() {
        let (Some(first), Some(last)) = (b.points.first(), b.points.last()) else {
            continue;
        };
        s.push_str(&format!(
            "  branch {}: {} points, from {pname} = {} ({}) to {pname} = {} ({})\n",
            k + 1,
            b.points.len(),
            fmt(first.param),
            first.kind.name(),
            fmt(last.param),
            last.kind.name()
        ));
        for sp in &b.special {
            s.push_str(&format!(
                "    {} at {pname} = {}: {}\n",
                sp.kind.name(),
                fmt(sp.param),
                state_text(names, &sp.state)
            ));
        }
    }
    // Flows record maxima only while the orbit swings; maps record every
    // value, so there a column swings when its values differ.
    let swings = |o: &&OrbitSlice| {
        let (lo, hi) = o
            .values
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(*v), hi.max(*v))
            });
        match info.time {
            TimeKind::Continuous => !o.values.is_empty(),
            TimeKind::Discrete => hi - lo > 1e-6 * (1.0 + hi.abs()),
        }
    };
    let cycling: Vec<&OrbitSlice> = d.orbits.iter().filter(swings).collect();
    match (cycling.first(), cycling.last()) {
        (Some(a), Some(b)) => s.push_str(&format!(
            "  orbits from the default start oscillate in {} of {} columns, between {pname} = {} and {}\n",
            cycling.len(),
            d.orbits.len(),
            fmt(a.param),
            fmt(b.param)
        )),
        _ => s.push_str(&format!(
            "  orbits from the default start settle in all {} columns\n",
            d.orbits.len()
        )),
    }
    s
}

fn diagram_json(d: &Diagram, info: &walkaway_core::ModelInfo, names: &[&str]) -> Value {
    json!({
        "param": info.params[d.param].name,
        "range": [d.range.0, d.range.1],
        "variable": names[d.variable],
        "branches": d.branches.iter().map(|b| json!({
            "points": b.points.iter().map(|p| json!({"param": p.param, "state": p.state, "kind": p.kind.name(), "stable": p.kind.is_stable()})).collect::<Vec<_>>(),
            "special": b.special.iter().map(|sp| json!({"kind": sp.kind.name(), "param": sp.param, "state": sp.state})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "orbit_maxima": d.orbits.iter().map(|o| json!({"param": o.param, "maxima": o.values})).collect::<Vec<_>>(),
    })
}
