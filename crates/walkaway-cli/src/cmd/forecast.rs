//! `walkaway forecast [SCENARIO]`: Monte Carlo over the scenario's
//! distributions: outcome probabilities, timelines, strategies and drivers.

use walkaway_core::forecast::{ForecastOptions, forecast, standard_strategies};
use walkaway_core::models::walkaway::INFO as WALKAWAY;
use walkaway_core::sampling::Design;

use crate::common::{Failure, Format, emit, load_scenario};
use crate::output;

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
    /// Contact level of the "partial withdrawal" strategy (0–1).
    #[arg(long, default_value_t = 0.5)]
    partial_contact: f64,
    /// table or json (csv is not offered: a forecast is nested).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub fn run(args: &Args) -> Result<(), Failure> {
    if args.format == Format::Csv {
        return Err(Failure::Input(
            "--format csv is not available for `walkaway forecast`; allowed: table, json".into(),
        ));
    }
    let mut scenario = load_scenario(args.scenario.as_deref())?;
    if scenario.model.info().id != WALKAWAY.id {
        return Err(Failure::Input(format!(
            "forecasts need a scenario of the walkaway model; `{}` is a scenario of `{}`",
            args.scenario.as_deref().unwrap_or("(default)"),
            scenario.model.info().id
        )));
    }
    for s in &args.sets {
        scenario.apply_set(s)?;
    }
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
    };
    let started = std::time::Instant::now();
    let f = forecast(&scenario.population, &opts)?;
    let seconds = started.elapsed().as_secs_f64();
    let text = if args.format == Format::Json {
        output::forecast_json(&f, seconds)
    } else {
        output::forecast_table(&f, seconds)
    };
    emit(&text, None)
}
