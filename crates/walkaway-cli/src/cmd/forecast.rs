//! `walkaway forecast [SCENARIO]`: Monte Carlo over the scenario's
//! distributions: outcome probabilities, timelines, strategies and drivers.

use std::path::PathBuf;

use serde_json::{Value, json};
use walkaway_core::forecast::{
    ForecastOptions, Strategy, Tally, TallyParts, forecast_run_options, run_shard_with_progress,
    standard_strategies, summarise, validate,
};
use walkaway_core::models::walkaway::INFO as WALKAWAY;
use walkaway_core::sampling::Design;

use crate::common::{Failure, Format, emit, load_scenario};
use crate::output;
use crate::progress::Progress;
use crate::shard;

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
    /// Run only slice I of N of the trajectories (from 0), for clusters:
    /// with --save-tally, then `walkaway merge` (docs/performance.md).
    #[arg(long, value_name = "I/N")]
    shard: Option<String>,
    /// Write the exact tally of this run (or shard) to FILE for `walkaway merge`
    /// instead of printing the forecast.
    #[arg(long, value_name = "FILE")]
    save_tally: Option<PathBuf>,
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
    validate(&opts)?;
    let range = shard::trajectories_to_run(
        args.shard.as_deref(),
        args.save_tally.is_some(),
        opts.trajectories,
        "forecast",
    )?;
    let progress = Progress::start("forecast", range.end - range.start);
    let started = std::time::Instant::now();
    let tally = run_shard_with_progress(
        &scenario.population,
        &opts,
        range.clone(),
        progress.counter(),
    )?;
    let seconds = started.elapsed().as_secs_f64();
    progress.finish();
    if let Some(path) = &args.save_tally {
        let source = match args.scenario.as_deref() {
            None => walkaway_scenario::DEFAULT_SCENARIO.to_string(),
            Some(t) => std::fs::read_to_string(t).unwrap_or_else(|_| t.to_string()),
        };
        let mut pieces = vec![source.as_str(), args.design.as_str()];
        pieces.extend(args.sets.iter().map(String::as_str));
        let run = run_json(&opts, &shard::fingerprint(&pieces));
        return shard::save(
            path,
            "forecast",
            run,
            (range, opts.trajectories),
            seconds,
            tally_json(&tally),
        );
    }
    let f = summarise(&tally, &opts);
    let text = if args.format == Format::Json {
        output::forecast_json(&f, seconds)
    } else {
        output::forecast_table(&f, seconds)
    };
    emit(&text, None)
}

/// Everything about a forecast that parts of it must share.
pub fn run_json(opts: &ForecastOptions, scenario: &str) -> Value {
    json!({
        "scenario": scenario,
        "trajectories": opts.trajectories,
        "seed": opts.seed,
        "t0": opts.run.t0,
        "t_end": opts.run.t_end,
        "rtol": opts.run.rtol,
        "atol": opts.run.atol,
        "method": opts.run.method.name(),
        "attribution": opts.attribution,
        "series": opts.series,
        "strategies": opts.strategies.iter().map(|s| json!({
            "name": s.name, "label": s.label, "length": s.length,
            "contact": s.contact, "after": s.after,
        })).collect::<Vec<_>>(),
    })
}

/// The forecast options a part's `run` describes (what the summary needs).
pub fn options_from_run(file: &str, run: &Value) -> Result<ForecastOptions, Failure> {
    let bad = |what: &str| Failure::Input(format!("{file}: `run.{what}` is missing or malformed"));
    let num = |k: &str| run.get(k).and_then(Value::as_f64).ok_or_else(|| bad(k));
    let mut options = forecast_run_options();
    options.t0 = num("t0")?;
    options.t_end = num("t_end")?;
    options.rtol = num("rtol")?;
    options.atol = num("atol")?;
    let strategies = run
        .get("strategies")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("strategies"))?
        .iter()
        .map(|s| {
            Some(Strategy {
                name: s.get("name")?.as_str()?.to_string(),
                label: s.get("label")?.as_str()?.to_string(),
                length: s.get("length")?.as_f64()?,
                contact: s.get("contact")?.as_f64()?,
                after: s.get("after")?.as_f64()?,
            })
        })
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| bad("strategies"))?;
    Ok(ForecastOptions {
        trajectories: run
            .get("trajectories")
            .and_then(Value::as_u64)
            .ok_or_else(|| bad("trajectories"))?,
        seed: run
            .get("seed")
            .and_then(Value::as_u64)
            .ok_or_else(|| bad("seed"))?,
        run: options,
        strategies,
        attribution: run
            .get("attribution")
            .and_then(Value::as_bool)
            .ok_or_else(|| bad("attribution"))?,
        series: run
            .get("series")
            .and_then(Value::as_bool)
            .ok_or_else(|| bad("series"))?,
    })
}

pub fn tally_json(tally: &Tally) -> Value {
    let p = tally.to_parts();
    json!({
        "trajectories": p.trajectories,
        "failures": p.failures,
        "steps": p.steps,
        "base": p.base,
        "strategies": p.strategies,
        "mechanisms": p.mechanisms,
        "event_hist": p.event_hist,
        "series_hist": p.series_hist,
        // i128 sums as decimal strings: JSON numbers are not read back exactly.
        "series_sum": p.series_sum.iter().map(i128::to_string).collect::<Vec<_>>(),
    })
}

/// A part's tally, checked against the forecast options.
pub fn tally_from_json(file: &str, v: &Value, opts: &ForecastOptions) -> Result<Tally, Failure> {
    let bad =
        |what: &str| Failure::Input(format!("{file}: `tally.{what}` is missing or malformed"));
    let u64s = |v: &Value| {
        v.as_array()?
            .iter()
            .map(Value::as_u64)
            .collect::<Option<Vec<u64>>>()
    };
    let u32s = |v: &Value| {
        v.as_array()?
            .iter()
            .map(|x| x.as_u64().and_then(|x| u32::try_from(x).ok()))
            .collect::<Option<Vec<u32>>>()
    };
    let nested = |k: &str| {
        v.get(k)
            .and_then(Value::as_array)
            .and_then(|a| a.iter().map(u64s).collect::<Option<Vec<_>>>())
            .ok_or_else(|| bad(k))
    };
    let count = |k: &str| v.get(k).and_then(Value::as_u64).ok_or_else(|| bad(k));
    let parts = TallyParts {
        trajectories: count("trajectories")?,
        failures: count("failures")?,
        steps: count("steps")?,
        base: v.get("base").and_then(u64s).ok_or_else(|| bad("base"))?,
        strategies: nested("strategies")?,
        mechanisms: nested("mechanisms")?,
        event_hist: v
            .get("event_hist")
            .and_then(Value::as_array)
            .and_then(|a| a.iter().map(u32s).collect::<Option<Vec<_>>>())
            .ok_or_else(|| bad("event_hist"))?,
        series_hist: v
            .get("series_hist")
            .and_then(u32s)
            .ok_or_else(|| bad("series_hist"))?,
        series_sum: v
            .get("series_sum")
            .and_then(Value::as_array)
            .and_then(|a| {
                a.iter()
                    .map(|x| x.as_str()?.parse::<i128>().ok())
                    .collect::<Option<Vec<_>>>()
            })
            .ok_or_else(|| bad("series_sum"))?,
    };
    Tally::from_parts(parts, opts).map_err(|e| Failure::Input(format!("{file}: {e}")))
}
