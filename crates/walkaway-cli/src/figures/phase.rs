//! The phase portrait of a two-dimensional model: direction field, null
//! clines, the trajectory from the default start, equilibria and basins.

use walkaway_core::analysis::EquilibriumKind;
use walkaway_core::analysis::zero_contour;
use walkaway_plot::{Arrow, BasinGrid, Curve, Figure, PhasePortrait, PointMark};

use super::{axis_name, short_title};
use crate::analysis::{self, Setup};
use crate::common::Failure;

fn point_label(kind: EquilibriumKind, y: &[f64]) -> String {
    format!(
        "{} ({})",
        kind.name(),
        y.iter()
            .map(|v| format!("{v:.2}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

pub fn phase_figure(
    setup: &Setup,
    with_basins: bool,
    grid: usize,
    search_box: Option<&str>,
) -> Result<Figure, Failure> {
    let model = setup.scenario.model;
    let info = model.info();
    if info.states.len() != 2 {
        return Err(Failure::Input(format!(
            "phase portraits need a model with 2 state variables; `{}` has {}",
            info.id,
            info.states.len()
        )));
    }
    let given = search_box
        .map(|t| analysis::parse_range("--box", t))
        .transpose()?;
    let bounds = analysis::search_box(setup, given)?;
    let eq = analysis::equilibria(setup, &bounds)?;
    let stable: Vec<_> = eq.iter().filter(|e| e.is_stable()).cloned().collect();
    let basin = if with_basins {
        Some(analysis::basin_map(setup, &bounds, &stable, grid)?)
    } else {
        None
    };
    let (x0, x1) = bounds[0];
    let (y0, y1) = bounds[1];
    let discrete = info.time == walkaway_core::TimeKind::Discrete;
    // The field (or the step y_next − y of a map) on a grid.
    let field = |x: f64, y: f64| {
        let mut d = [0.0; 2];
        model.vector_field(&setup.params, 0.0, &[x, y], &mut d);
        if discrete { [d[0] - x, d[1] - y] } else { d }
    };
    let n = 21;
    let mut arrows = Vec::with_capacity(n * n);
    for j in 0..n {
        for i in 0..n {
            let x = x0 + (x1 - x0) * (i as f64 + 0.5) / n as f64;
            let y = y0 + (y1 - y0) * (j as f64 + 0.5) / n as f64;
            let d = field(x, y);
            arrows.push(Arrow {
                x,
                y,
                dx: d[0],
                dy: d[1],
            });
        }
    }
    let m = 241;
    let xs: Vec<f64> = (0..m)
        .map(|i| x0 + (x1 - x0) * i as f64 / (m - 1) as f64)
        .collect();
    let ys: Vec<f64> = (0..m)
        .map(|j| y0 + (y1 - y0) * j as f64 / (m - 1) as f64)
        .collect();
    let mut f0 = Vec::with_capacity(m * m);
    let mut f1 = Vec::with_capacity(m * m);
    for y in &ys {
        for x in &xs {
            let d = field(*x, *y);
            f0.push(d[0]);
            f1.push(d[1]);
        }
    }
    let names = [info.states[0].name, info.states[1].name];
    let change = if discrete { "change per turn" } else { "d/dt" };
    let nullclines = vec![
        Curve {
            label: format!("{} {change} = 0", names[0]),
            points: Vec::new(),
            segments: zero_contour(&xs, &ys, &f0),
        },
        Curve {
            label: format!("{} {change} = 0", names[1]),
            points: Vec::new(),
            segments: zero_contour(&xs, &ys, &f1),
        },
    ];
    let mut run = walkaway_core::RunOptions::for_model(info);
    run.every = Some(info.default_every);
    let traj = model.simulate(&setup.params, &setup.y0, &run)?;
    let trajectory = Curve {
        label: format!("start ({:.2}, {:.2})", setup.y0[0], setup.y0[1]),
        points: traj.rows.iter().map(|r| (r[0], r[1])).collect(),
        segments: Vec::new(),
    };
    let points = eq
        .iter()
        .map(|e| PointMark {
            x: e.state[0],
            y: e.state[1],
            label: point_label(e.kind, &e.state),
            stable: e.is_stable(),
            group: stable.iter().position(|s| s.state == e.state),
        })
        .collect();
    let basins = basin.map(|b| BasinGrid {
        x_values: b.x_values,
        y_values: b.y_values,
        cells: b.cells,
    });
    let mut note = format!("Model: {}.", info.title);
    if with_basins {
        note = format!("Shading: which stable state each start ends in. {note}");
    }
    Ok(Figure::Phase(PhasePortrait {
        title: format!("{} — phase portrait", short_title(info)),
        x_label: axis_name(info, 0),
        y_label: axis_name(info, 1),
        x_range: (x0, x1),
        y_range: (y0, y1),
        arrows,
        nullclines,
        trajectories: vec![trajectory],
        points,
        basins,
        note,
    }))
}
