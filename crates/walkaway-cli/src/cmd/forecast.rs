//! `walkaway forecast [SCENARIO]`: Monte Carlo over the scenario's
//! distributions: outcome probabilities, timelines, strategies and drivers.

use std::path::PathBuf;

use std::ops::Range;

use walkaway_core::forecast::{
    ForecastOptions, run_shard_with_progress, standard_strategies, summarise, validate,
};
use walkaway_core::population::Population;
use walkaway_core::sampling::Design;

use crate::common::{Failure, Format, emit, load_walkaway_scenario, refuse_csv};
use crate::output;
use crate::parts;
use crate::progress::Progress;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A scenario file of the walkaway model (default: the embedded scenarios/default.toml).
    #[arg(value_name = "SCENARIO_FILE")]
    scenario: Option<String>,
    #[arg(long, default_value_t = 10_000)]
    trajectories: u64,
    /// Seed (default: the scenario's).
    #[arg(long)]
    seed: Option<u64>,
    /// Fix a value of the scenario: NAME=VALUE (repeatable), as in `simulate --set`.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    sets: Vec<String>,
    /// Skip the eleven mechanism switch-offs (faster).
    #[arg(long)]
    no_attribution: bool,
    /// How the uncertain parameters are covered: independent, lhs (Latin
    /// hypercube) or sobol (scrambled Sobol).
    #[arg(long, default_value = "independent")]
    design: String,
    /// Plausible models drawn over the priors of the assumed rates, beside
    /// the partners drawn from the scenario: the trajectories are shared out
    /// among them (no extra runs), and each probability gets its range
    /// across models next to its Monte Carlo interval. 0 turns this off.
    #[arg(long, default_value_t = 40)]
    models: u32,
    /// Contact level of the "partial withdrawal" strategy (0–1).
    #[arg(long, default_value_t = 0.5)]
    partial_contact: f64,
    /// table or json (csv is not offered: a forecast is nested).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Run only slice I of N of the trajectories (from 0), for clusters:
    /// with --save-tally, then `walkaway merge` (docs/performance.md).
    #[arg(long, value_name = "I/N")]
    shard: Option<String>,
    /// Write the exact tally of this run (or shard) to FILE for `walkaway merge`
    /// instead of printing the forecast.
    #[arg(long, value_name = "FILE")]
    save_tally: Option<PathBuf>,
}

/// What a forecast will do, checked in full before any work: a bad flag
/// is refused at once, not after minutes of simulation.
struct Plan {
    population: Population,
    opts: ForecastOptions,
    /// The trajectories this process runs (all, or one shard's).
    range: Range<u64>,
    /// Where the tally goes instead of the printed forecast, with the
    /// scenario's fingerprint.
    save_tally: Option<(PathBuf, String)>,
    format: Format,
}

impl Plan {
    fn new(args: &Args) -> Result<Self, Failure> {
        refuse_csv(args.format, "`walkaway forecast`")?;
        let mut scenario =
            load_walkaway_scenario(args.scenario.as_deref(), &args.sets, "forecasts")?;
        let design = Design::parse(&args.design).ok_or_else(|| {
            Failure::Input(format!(
                "--design `{}` is not known; allowed: {}",
                args.design,
                Design::NAMES.join(", ")
            ))
        })?;
        scenario.population.set_design(design)?;
        if !(0.0..=1.0).contains(&args.partial_contact) {
            return Err(Failure::Input(format!(
                "--partial-contact {} is not allowed: a contact level from 0 to 1",
                args.partial_contact
            )));
        }
        let horizon = scenario.run.t_end;
        let opts = ForecastOptions {
            trajectories: args.trajectories,
            seed: args.seed.unwrap_or(scenario.run.seed),
            run: scenario.run,
            strategies: standard_strategies(horizon, args.partial_contact),
            attribution: !args.no_attribution,
            series: true,
            model_draws: walkaway_core::forecast::model_draws_for(args.models, args.trajectories),
        };
        validate(&opts)?;
        let range = parts::trajectories_to_run(
            args.shard.as_deref(),
            args.save_tally.is_some(),
            opts.trajectories,
            "forecast",
        )?;
        let save_tally = args.save_tally.clone().map(|path| {
            let fingerprint = parts::scenario_fingerprint(
                args.scenario.as_deref(),
                &[args.design.as_str()],
                &args.sets,
            );
            (path, fingerprint)
        });
        Ok(Self {
            population: scenario.population,
            opts,
            range,
            save_tally,
            format: args.format,
        })
    }
}

pub fn run(args: &Args) -> Result<(), Failure> {
    let plan = Plan::new(args)?;
    let progress = Progress::start("forecast", plan.range.end - plan.range.start);
    let started = std::time::Instant::now();
    let tally = run_shard_with_progress(
        &plan.population,
        &plan.opts,
        plan.range.clone(),
        progress.counter(),
    )?;
    let seconds = started.elapsed().as_secs_f64();
    progress.finish();
    if let Some((path, fingerprint)) = &plan.save_tally {
        return parts::save(
            path,
            "forecast",
            parts::forecast::run_json(&plan.opts, fingerprint),
            (plan.range, plan.opts.trajectories),
            seconds,
            parts::forecast::tally_json(&tally),
        );
    }
    let f = summarise(&tally, &plan.opts);
    emit(&output::forecast(&f, seconds, plan.format), None)
}
