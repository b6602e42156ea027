//! `walkaway plot KIND …`: figures as SVG or PNG (chosen by the file's
//! extension). The numbers come from core (simulate, forecast, analysis) or
//! from a sweep table; walkaway-plot draws them.

use std::path::{Path, PathBuf};

use walkaway_core::analysis::EquilibriumKind;
use walkaway_core::forecast::{ForecastOptions, forecast};
use walkaway_core::models::walkaway::INFO as WALKAWAY;
use walkaway_export::Table;
use walkaway_plot::{
    Arrow, BasinGrid, BifurcationDiagram, BranchPoint, Curve, Figure, ImageFormat, Line, LineChart,
    Marker, PhasePortrait, PointMark, Size, SpecialMark, render, zero_contour,
};

use crate::cmd::analyze::{self, Setup};
use crate::cmd::simulate::{RunArgs, one_run};
use crate::cmd::sweep::{COMES_BACK_COLUMN, sweep_figure};
use crate::common::{Failure, load_scenario};

/// Where a figure goes, in which format and size.
#[derive(Debug, Clone)]
pub struct Output {
    pub path: PathBuf,
    pub format: ImageFormat,
    pub size: Size,
}

impl Output {
    pub fn new(flag: &str, path: &Path) -> Result<Self, Failure> {
        let format =
            ImageFormat::from_path(path).map_err(|e| Failure::Input(format!("{flag}: {e}")))?;
        Ok(Self {
            path: path.to_path_buf(),
            format,
            size: Size::default(),
        })
    }
}

pub fn write_figure(figure: &Figure, out: &Output) -> Result<(), Failure> {
    let bytes = render(figure, out.format, out.size).map_err(|e| match e {
        walkaway_plot::PlotError::InvalidSize { .. } => Failure::Input(e.to_string()),
        other => Failure::Internal(other.to_string()),
    })?;
    std::fs::write(&out.path, bytes)
        .map_err(|e| Failure::Input(format!("cannot write {}: {e}", out.path.display())))
}

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    kind: Kind,
}

/// Where and how big.
#[derive(clap::Args, Debug)]
struct Common {
    /// The figure file: .svg or .png.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Width in pixels.
    #[arg(long, default_value_t = 960)]
    width: u32,
    /// Height in pixels.
    #[arg(long, default_value_t = 600)]
    height: u32,
}

impl Common {
    fn output(&self) -> Result<Output, Failure> {
        let mut o = Output::new("--out", &self.out)?;
        o.size = Size {
            width: self.width,
            height: self.height,
        }
        .check()
        .map_err(|e| Failure::Input(format!("--width/--height: {e}")))?;
        Ok(o)
    }
}

#[derive(clap::Subcommand, Debug)]
enum Kind {
    /// Time series of one run of a model or scenario.
    Run {
        #[arg(value_name = "MODEL_OR_SCENARIO_FILE")]
        target: String,
        /// State variables to draw (comma-separated; default: all, or love,
        /// wanting and your_love for the walkaway model).
        #[arg(long, value_name = "A,B")]
        vars: Option<String>,
        #[arg(long = "set", value_name = "NAME=VALUE")]
        sets: Vec<String>,
        #[arg(long, value_name = "T")]
        t_end: Option<f64>,
        #[command(flatten)]
        common: Common,
    },
    /// The forecast's fan: median and 10–90% band of futures, day by day.
    Forecast {
        #[arg(value_name = "SCENARIO_FILE")]
        scenario: Option<String>,
        /// Variables to draw (comma-separated) among love, wanting,
        /// loneliness, jealousy, negativity, your_love, contact_rate.
        #[arg(long, default_value = "love,your_love")]
        vars: String,
        #[arg(long, default_value_t = 2_000)]
        trajectories: u64,
        #[arg(long)]
        seed: Option<u64>,
        #[arg(long = "set", value_name = "NAME=VALUE")]
        sets: Vec<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Phase portrait of a two-dimensional model: direction field, null
    /// clines, the trajectory from the default start, equilibria.
    Phase {
        #[arg(value_name = "MODEL_OR_SCENARIO_FILE")]
        target: String,
        #[arg(long = "set", value_name = "NAME=VALUE")]
        sets: Vec<String>,
        /// Shade the basins of the stable equilibria.
        #[arg(long)]
        basins: bool,
        /// Cells per side of the basin grid.
        #[arg(long, default_value_t = 81)]
        grid: usize,
        /// The plotted box, the same for both states: LO:HI.
        #[arg(long = "box", value_name = "LO:HI")]
        search_box: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Heat map (two axes) or curve (one axis) of a sweep table.
    Sweep {
        /// A table written by `walkaway sweep` (.csv or .parquet).
        #[arg(value_name = "TABLE")]
        table: PathBuf,
        /// The column to show.
        #[arg(long, default_value = COMES_BACK_COLUMN)]
        value: String,
        #[command(flatten)]
        common: Common,
    },
    /// Bifurcation diagram: equilibrium branches (stable solid, unstable
    /// dashed) with folds and Hopf points, and the maxima of the orbits.
    Bifurcation {
        #[arg(value_name = "MODEL_OR_SCENARIO_FILE")]
        target: String,
        /// The parameter and its range: NAME=LO:HI.
        #[arg(long, value_name = "NAME=LO:HI")]
        param: String,
        /// The state variable on the vertical axis (default: the first).
        #[arg(long, value_name = "STATE")]
        var: Option<String>,
        #[arg(long = "set", value_name = "NAME=VALUE")]
        sets: Vec<String>,
        #[arg(long = "box", value_name = "LO:HI")]
        search_box: Option<String>,
        #[command(flatten)]
        common: Common,
    },
}

pub fn run(args: &Args) -> Result<(), Failure> {
    match &args.kind {
        Kind::Run {
            target,
            vars,
            sets,
            t_end,
            common,
        } => {
            let out = common.output()?;
            let run_args = RunArgs {
                sets: sets.clone(),
                t_end: *t_end,
                ..RunArgs::default()
            };
            let (scenario, traj) = one_run(Some(target), &run_args)?;
            let info = scenario.model.info();
            let default_vars = if info.id == WALKAWAY.id {
                vec!["love".to_string(), "wanting".into(), "your_love".into()]
            } else {
                info.states.iter().map(|s| s.name.to_string()).collect()
            };
            let chosen = match vars {
                Some(v) => v.split(',').map(|s| s.trim().to_string()).collect(),
                None => default_vars,
            };
            let unit = common_unit(info, &chosen);
            let mixed = unit.ends_with("(see each label)");
            let mut lines = Vec::new();
            for name in &chosen {
                let y = traj.column(name).ok_or_else(|| {
                    Failure::Input(format!(
                        "--vars: `{name}` is not a column of `{}`; allowed: {}",
                        info.id,
                        traj.columns.join(", ")
                    ))
                })?;
                let state_unit = info
                    .states
                    .iter()
                    .find(|s| s.name == name)
                    .map_or("", |s| s.unit);
                lines.push(Line {
                    label: if mixed && !state_unit.is_empty() {
                        format!("{name} ({state_unit})")
                    } else {
                        name.clone()
                    },
                    x: traj.times.clone(),
                    y,
                    dashed: false,
                });
            }
            let markers = traj
                .events
                .iter()
                .filter(|e| e.t > traj.times.first().copied().unwrap_or(0.0))
                .take(8)
                .map(|e| Marker {
                    x: e.t,
                    label: e.kind.replace('-', " "),
                })
                .collect();
            let figure = Figure::Lines(LineChart {
                title: format!("{} — one run", short_title(info)),
                x_label: format!("time ({})", info.time_unit),
                y_label: unit,
                lines,
                bands: Vec::new(),
                markers,
                y_range: None,
                note: match &traj.outcome {
                    Some(o) => format!(
                        "Outcome at the horizon: {o}. One run with central values; a model, not a prophecy."
                    ),
                    None => format!("Model: {}.", info.title),
                },
            });
            write_figure(&figure, &out)
        }
        Kind::Forecast {
            scenario,
            vars,
            trajectories,
            seed,
            sets,
            common,
        } => {
            let out = common.output()?;
            let mut sc = load_scenario(scenario.as_deref())?;
            if sc.model.info().id != WALKAWAY.id {
                return Err(Failure::Input(format!(
                    "forecasts need a scenario of the walkaway model; this one is of `{}`",
                    sc.model.info().id
                )));
            }
            for s in sets {
                sc.apply_set(s)?;
            }
            if !(1..=100_000).contains(trajectories) {
                return Err(Failure::Input(format!(
                    "--trajectories {trajectories}: allowed: from 1 to 100000"
                )));
            }
            let opts = ForecastOptions {
                trajectories: *trajectories,
                seed: seed.unwrap_or(sc.run.seed),
                run: sc.run,
                strategies: Vec::new(),
                attribution: false,
                series: true,
            };
            let f = forecast(&sc.population, &opts)?;
            let known: Vec<&str> = f.series.iter().map(|s| s.name).collect();
            let mut lines = Vec::new();
            let mut bands = Vec::new();
            let chosen: Vec<&str> = vars.split(',').map(str::trim).collect();
            for name in &chosen {
                let s = f.series.iter().find(|s| s.name == *name).ok_or_else(|| {
                    Failure::Input(format!(
                        "--vars: `{name}` has no daily series; allowed: {}",
                        known.join(", ")
                    ))
                })?;
                lines.push(Line {
                    label: format!("{name}: median"),
                    x: f.days.clone(),
                    y: s.q50.clone(),
                    dashed: false,
                });
                bands.push(walkaway_plot::Band {
                    label: format!("{name}: 10–90% of futures"),
                    x: f.days.clone(),
                    low: s.q10.clone(),
                    high: s.q90.clone(),
                });
            }
            let figure = Figure::Lines(LineChart {
                title: format!("After you walk away: {} simulated futures", f.trajectories),
                x_label: "day after you walk away".into(),
                y_label: "level (love scale; 0 = indifferent)".into(),
                lines,
                bands,
                markers: Vec::new(),
                y_range: None,
                note: format!(
                    "Your partner comes back in {:.0}% of futures (95% interval {:.0}–{:.0}%). Seed {}. A model, not a prophecy.",
                    100.0 * f.comes_back.probability,
                    100.0 * f.comes_back.ci_low,
                    100.0 * f.comes_back.ci_high,
                    f.seed
                ),
            });
            write_figure(&figure, &out)
        }
        Kind::Phase {
            target,
            sets,
            basins,
            grid,
            search_box,
            common,
        } => {
            let out = common.output()?;
            let setup = analyze::setup(target, sets)?;
            let figure = phase_figure(&setup, *basins, *grid, search_box.as_deref())?;
            write_figure(&figure, &out)
        }
        Kind::Sweep {
            table,
            value,
            common,
        } => {
            let out = common.output()?;
            let t = Table::read(table).map_err(|e| Failure::Input(e.to_string()))?;
            let figure = sweep_figure(&t, value, 0)?;
            let figure = match figure {
                // The seed is not in the table: say only what is.
                Figure::Heat(mut h) => {
                    h.note = h.note.replace(", seed 0", "");
                    Figure::Heat(h)
                }
                Figure::Lines(mut l) => {
                    l.note = l.note.replace(", seed 0", "");
                    Figure::Lines(l)
                }
                other => other,
            };
            write_figure(&figure, &out)
        }
        Kind::Bifurcation {
            target,
            param,
            var,
            sets,
            search_box,
            common,
        } => {
            let out = common.output()?;
            let setup = analyze::setup(target, sets)?;
            let figure = bifurcation_figure(&setup, param, var.as_deref(), search_box.as_deref())?;
            write_figure(&figure, &out)
        }
    }
}

fn common_unit(info: &walkaway_core::ModelInfo, vars: &[String]) -> String {
    let units: Vec<&str> = vars
        .iter()
        .filter_map(|v| info.states.iter().find(|s| s.name == v))
        .map(|s| s.unit)
        .collect();
    match units.first() {
        Some(u) if units.iter().all(|x| x == u) && !u.is_empty() => format!("level ({u})"),
        _ => "level (see each label)".into(),
    }
}

fn axis_name(info: &walkaway_core::ModelInfo, i: usize) -> String {
    let s = &info.states[i];
    if s.unit.is_empty() {
        s.name.to_string()
    } else {
        format!("{}, {}", s.name, s.unit)
    }
}

/// The title without its citation in brackets.
fn short_title(info: &walkaway_core::ModelInfo) -> &'static str {
    info.title.split(" (").next().unwrap_or(info.title).trim()
}

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
        .map(|t| analyze::parse_range("--box", t))
        .transpose()?;
    let bounds = analyze::search_box(setup, given)?;
    let eq = analyze::equilibria(setup, &bounds)?;
    let stable: Vec<_> = eq.iter().filter(|e| e.is_stable()).cloned().collect();
    let basin = if with_basins {
        Some(analyze::basin_map(setup, &bounds, &stable, grid)?)
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

pub fn bifurcation_figure(
    setup: &Setup,
    param: &str,
    var: Option<&str>,
    search_box: Option<&str>,
) -> Result<Figure, Failure> {
    let model = setup.scenario.model;
    let info = model.info();
    let (p, lo, hi) = analyze::parse_param_range("--param", param, model)?;
    let variable = match var {
        Some(v) => info
            .state_index(v)
            .map_err(|e| Failure::Input(format!("--var: {e}")))?,
        None => 0,
    };
    let given = search_box
        .map(|t| analyze::parse_range("--box", t))
        .transpose()?;
    let mut at_lo = setup.params.clone();
    at_lo[p] = lo;
    let bounds = analyze::search_box(setup, given)?;
    let d = analyze::diagram(setup, p, (lo, hi), &bounds, variable)?;
    let branches = d
        .branches
        .iter()
        .map(|b| {
            b.points
                .iter()
                .map(|q| BranchPoint {
                    param: q.param,
                    value: q.state[variable],
                    stable: q.kind.is_stable(),
                })
                .collect()
        })
        .collect();
    let pname = info.params[p].name;
    let special = d
        .branches
        .iter()
        .flat_map(|b| b.special.iter())
        .map(|s| SpecialMark {
            param: s.param,
            value: s.state[variable],
            label: format!("{} ({pname} = {:.3})", s.kind.name(), s.param),
        })
        .collect();
    let maxima = d
        .orbits
        .iter()
        .flat_map(|o| o.values.iter().map(move |v| (o.param, *v)))
        .collect();
    let unit = info.params[p].unit;
    Ok(Figure::Bifurcation(BifurcationDiagram {
        title: format!(
            "{}: equilibria and cycles against {pname}",
            short_title(info)
        ),
        x_label: if unit.is_empty() || unit == "1" {
            pname.to_string()
        } else {
            format!("{pname} ({unit})")
        },
        y_label: axis_name(info, variable),
        branches,
        special,
        maxima,
        note: if let Some(c) = setup.caveat {
            c.to_string()
        } else {
            format!("Model: {}.", info.title)
        },
    }))
}
