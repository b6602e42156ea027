//! `walkaway plot KIND …`: figures as SVG or PNG (chosen by the file's
//! extension). The figures are built in `crate::figures`; this file reads
//! the flags and gathers the numbers.

use std::path::PathBuf;

use walkaway_core::forecast::{ForecastOptions, forecast};
use walkaway_export::Table;
use walkaway_plot::Size;

use crate::analysis;
use crate::common::{Failure, load_walkaway_scenario};
use crate::figures::{
    COMES_BACK_COLUMN, Output, bifurcation_figure, forecast_figure, phase_figure, run_figure,
    sweep_figure, write_figure,
};
use crate::one_run::{RunArgs, one_run};

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
            let figure = run_figure(scenario.model.info(), &traj, vars.as_deref())?;
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
            let sc = load_walkaway_scenario(scenario.as_deref(), sets, "forecasts")?;
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
                model_draws: 0,
            };
            let f = forecast(&sc.population, &opts)?;
            write_figure(&forecast_figure(&f, vars)?, &out)
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
            let setup = analysis::setup(target, sets)?;
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
            let figure = sweep_figure(&t, value, None)?;
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
            let setup = analysis::setup(target, sets)?;
            let figure = bifurcation_figure(&setup, param, var.as_deref(), search_box.as_deref())?;
            write_figure(&figure, &out)
        }
    }
}
