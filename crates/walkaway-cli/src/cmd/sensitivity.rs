//! `walkaway sensitivity [SCENARIO]`: Sobol first-order and total indices of
//! each outcome's probability over the scenario's uncertain traits, the
//! model's assumed rates and chance (docs/sensitivity.md).

use std::fmt::Write;

use serde_json::{Value, json};
use walkaway_core::distribution::Distribution;
use walkaway_core::models::walkaway::INFO as WALKAWAY;
use walkaway_core::sensitivity::walkaway::{WalkawayOutcomes, rate_priors, walkaway_factors};
use walkaway_core::sensitivity::{
    Factor, FactorIndices, Indices, Interval, SobolOptions, evaluations,
    sobol_indices_with_progress,
};

use crate::common::{Failure, Format, emit, load_scenario};
use crate::progress::Progress;

/// Most base samples a person may ask for: (k + 3) runs each, so about
/// 5 million runs for the default scenario's 51 factors.
const MAX_SAMPLES: u64 = 100_000;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A scenario file of the walkaway model (default: the embedded scenarios/default.toml).
    #[arg(value_name = "SCENARIO_FILE")]
    scenario: Option<String>,
    /// Base samples N (rows of the matrices A and B): the analysis makes
    /// N·(k + 3) runs for k factors.
    #[arg(long, default_value_t = 1_000)]
    samples: u64,
    /// Seed of the design, the bootstrap and the chance events (default: the scenario's).
    #[arg(long)]
    seed: Option<u64>,
    /// Fix a value of the scenario: NAME=VALUE (repeatable), as in `forecast --set`.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    sets: Vec<String>,
    /// table or json.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Worker threads (default: one per core); the result is the same for any number.
    #[arg(long)]
    threads: Option<usize>,
}

/// Where a factor's distribution comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    /// The scenario draws it (a trait, or a rate the scenario spreads).
    Scenario,
    /// The model's prior for an assumed rate.
    RatePrior,
    /// The run's own random events.
    Chance,
}

impl Source {
    fn name(self) -> &'static str {
        match self {
            Source::Scenario => "scenario",
            Source::RatePrior => "rate prior",
            Source::Chance => "chance",
        }
    }
}

/// What the numbers mean, for the table's header and the JSON.
const INTERPRETATION: &str = "Each run ends in one outcome at the horizon. For each outcome, the runs \
vary between ending there or not; S1 is the share of that variance a factor explains on its own, \
ST the share it takes part in at all (alone or together with other factors). ST near 0: the \
factor could be fixed anywhere in its range without changing that outcome's probability. \
\"chance\" is the run's own random events (meeting someone, the timing of bids): a large share \
there means the outcome is luck more than anything you or the model could know.";

pub fn run(args: &Args) -> Result<(), Failure> {
    if args.format == Format::Csv {
        return Err(Failure::Input(
            "--format csv is not available for `walkaway sensitivity`; allowed: table, json".into(),
        ));
    }
    if !(2..=MAX_SAMPLES).contains(&args.samples) {
        return Err(Failure::Input(format!(
            "--samples {} is not allowed: between 2 and {MAX_SAMPLES} base samples",
            args.samples
        )));
    }
    if args.threads == Some(0) {
        return Err(Failure::Input(
            "--threads 0 is not allowed: at least 1 (or left out for one per core)".into(),
        ));
    }
    let mut scenario = load_scenario(args.scenario.as_deref())?;
    if scenario.model.info().id != WALKAWAY.id {
        return Err(Failure::Input(format!(
            "sensitivity analyses need a scenario of the walkaway model; `{}` is a scenario of `{}`",
            args.scenario.as_deref().unwrap_or("(default)"),
            scenario.model.info().id
        )));
    }
    for s in &args.sets {
        scenario.apply_set(s)?;
    }
    let seed = args.seed.unwrap_or(scenario.run.seed);
    let priors = rate_priors();
    let factors = walkaway_factors(&scenario.population, &priors);
    let sources: Vec<Source> = factors
        .iter()
        .map(|(i, _)| {
            if scenario.population.spreads.iter().any(|(j, _)| j == i) {
                Source::Scenario
            } else {
                Source::RatePrior
            }
        })
        .collect();
    let (params, factors): (Vec<usize>, Vec<Factor>) = factors.into_iter().unzip();
    let mut run = scenario.run;
    run.seed = seed;
    let model = WalkawayOutcomes::new(&scenario.population, params, run);
    let opts = SobolOptions::new(args.samples, seed);
    let total = evaluations(args.samples, factors.len(), true);
    let progress = Progress::start("sensitivity", total);
    let go = || sobol_indices_with_progress(&factors, &model, &opts, progress.counter());
    let started = std::time::Instant::now();
    let (indices, threads) = match args.threads {
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| Failure::Internal(e.to_string()))?;
            (pool.install(go)?, n)
        }
        None => (go()?, rayon::current_num_threads()),
    };
    let seconds = started.elapsed().as_secs_f64();
    progress.finish();
    let rows = ranked(&indices, &factors, &sources);
    let report = Report {
        scenario: args.scenario.as_deref().unwrap_or("the default scenario"),
        opts: &opts,
        indices: &indices,
        rows: &rows,
        seconds,
        threads,
        horizon: scenario.run.t_end,
    };
    let text = match args.format {
        Format::Json => report.json(),
        _ => report.table(),
    };
    emit(&text, None)
}

/// One row of the report: a factor (or chance) with its indices.
struct Row<'a> {
    indices: &'a FactorIndices,
    source: Source,
    distribution: Option<&'a Factor>,
}

/// The factors and chance, the largest total index first (ties keep the
/// factors' order).
fn ranked<'a>(indices: &'a Indices, factors: &'a [Factor], sources: &[Source]) -> Vec<Row<'a>> {
    let mut rows: Vec<Row<'_>> = indices
        .factors
        .iter()
        .zip(factors)
        .zip(sources)
        .map(|((indices, factor), &source)| Row {
            indices,
            source,
            distribution: Some(factor),
        })
        .chain(indices.chance.iter().map(|indices| Row {
            indices,
            source: Source::Chance,
            distribution: None,
        }))
        .collect();
    rows.sort_by(|a, b| {
        b.indices
            .largest_total()
            .total_cmp(&a.indices.largest_total())
    });
    rows
}

struct Report<'a> {
    scenario: &'a str,
    opts: &'a SobolOptions,
    indices: &'a Indices,
    rows: &'a [Row<'a>],
    seconds: f64,
    threads: usize,
    horizon: f64,
}

fn interval_json(i: &Option<Interval>) -> Value {
    match i {
        Some(i) => json!({"estimate": i.estimate, "low": i.low, "high": i.high}),
        None => Value::Null,
    }
}

impl Report<'_> {
    fn outcome_names(&self) -> &'static [&'static str] {
        WalkawayOutcomes::output_names()
    }

    fn json(&self) -> String {
        let names = self.outcome_names();
        let i = self.indices;
        let factors: Vec<Value> = self
            .rows
            .iter()
            .map(|row| {
                let by_outcome: serde_json::Map<String, Value> = names
                    .iter()
                    .enumerate()
                    .map(|(o, name)| {
                        (
                            name.to_string(),
                            json!({
                                "first_order": interval_json(&row.indices.first_order[o]),
                                "total": interval_json(&row.indices.total[o]),
                            }),
                        )
                    })
                    .collect();
                json!({
                    "factor": row.indices.name,
                    "source": row.source.name(),
                    "distribution": row.distribution.map(|f| distribution_json(&f.distribution)),
                    "largest_total": row.indices.largest_total(),
                    "outcomes": by_outcome,
                })
            })
            .collect();
        let outcomes: Vec<Value> = names
            .iter()
            .enumerate()
            .map(|(o, name)| {
                json!({"outcome": name, "probability": i.mean[o], "variance": i.variance[o]})
            })
            .collect();
        let v = json!({
            "scenario": self.scenario,
            "method": "Saltelli design on scrambled Sobol points; first order: Saltelli (2010); total: Jansen (1999); percentile bootstrap intervals over rows",
            "interpretation": INTERPRETATION,
            "horizon_days": self.horizon,
            "samples": self.opts.samples,
            "seed": self.opts.seed,
            "factors": self.indices.factors.len(),
            "runs": i.evaluations,
            "rows_used": i.rows,
            "rows_failed": i.failed_rows,
            "confidence": self.opts.confidence,
            "resamples": self.opts.resamples,
            "threads": self.threads,
            "seconds": self.seconds,
            "outcomes": outcomes,
            "indices": factors,
        });
        serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
    }

    fn table(&self) -> String {
        let names = self.outcome_names();
        let i = self.indices;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Sensitivity of the outcomes at day {} ({}): Sobol indices",
            self.horizon, self.scenario
        );
        let _ = writeln!(s);
        for line in wrap(INTERPRETATION, 96) {
            let _ = writeln!(s, "{line}");
        }
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{} factors, {} base samples: {} runs in {:.1} s on {} threads ({} rows dropped: a run failed); \
             {:.0} % bootstrap intervals in brackets.",
            i.factors.len(),
            self.opts.samples,
            i.evaluations,
            self.seconds,
            self.threads,
            i.failed_rows,
            self.opts.confidence * 100.0,
        );
        let shown: Vec<usize> = (0..names.len()).filter(|&o| i.variance[o] > 0.0).collect();
        let never: Vec<&str> = (0..names.len())
            .filter(|&o| i.variance[o] <= 0.0)
            .map(|o| names[o])
            .collect();
        if !never.is_empty() {
            let _ = writeln!(
                s,
                "Not shown (the same in every run, so nothing to explain): {}.",
                never.join("; ")
            );
        }
        let _ = writeln!(s);
        const NAME: usize = 36;
        const CELL: usize = 19;
        let _ = write!(s, "{:NAME$}", "");
        for &o in &shown {
            let title = format!("{} (p {:.2})", names[o], i.mean[o]);
            let _ = write!(
                s,
                " {:<w$}",
                truncate(&title, 2 * CELL + 1),
                w = 2 * CELL + 1
            );
        }
        let _ = writeln!(s);
        let _ = write!(s, "{:NAME$}", "factor");
        for _ in &shown {
            let _ = write!(s, " {:<CELL$} {:<CELL$}", "S1", "ST");
        }
        let _ = writeln!(s);
        for row in self.rows {
            let label = match row.source {
                Source::Chance => "chance (random events)".to_string(),
                Source::RatePrior => format!("{} (prior)", row.indices.name),
                Source::Scenario => row.indices.name.clone(),
            };
            let _ = write!(s, "{:NAME$}", truncate(&label, NAME));
            for &o in &shown {
                let _ = write!(
                    s,
                    " {:<CELL$} {:<CELL$}",
                    cell(&row.indices.first_order[o]),
                    cell(&row.indices.total[o])
                );
            }
            let _ = writeln!(s);
        }
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "Sorted by the largest ST over the outcomes. \"(prior)\": an assumed rate drawn from its prior \
             (a placeholder: half to one and a half times its default). Method and checks: docs/sensitivity.md."
        );
        s
    }
}

fn cell(i: &Option<Interval>) -> String {
    match i {
        Some(i) => format!("{:.2} [{:.2},{:.2}]", i.estimate, i.low, i.high),
        None => "–".into(),
    }
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let mut t: String = text.chars().take(width - 1).collect();
        t.push('…');
        t
    }
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().expect("one line");
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(word.to_string());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}

/// A distribution as a scenario file writes it (`dist` and its fields).
fn distribution_json(d: &Distribution) -> Value {
    let bound = |x: f64| if x.is_finite() { json!(x) } else { Value::Null };
    match *d {
        Distribution::Fixed(value) => json!({"dist": "fixed", "value": value}),
        Distribution::Normal { mean, sd, min, max } => {
            json!({"dist": "normal", "mean": mean, "sd": sd, "min": bound(min), "max": bound(max)})
        }
        Distribution::LogNormal {
            median,
            sigma,
            min,
            max,
        } => json!({
            "dist": "lognormal", "median": median, "sigma": sigma, "min": bound(min), "max": bound(max)
        }),
        Distribution::Beta {
            alpha,
            beta,
            min,
            max,
        } => json!({"dist": "beta", "alpha": alpha, "beta": beta, "min": min, "max": max}),
        Distribution::Uniform { min, max } => json!({"dist": "uniform", "min": min, "max": max}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_wraps_at_word_boundaries() {
        let lines = wrap(INTERPRETATION, 40);
        assert!(lines.iter().all(|l| l.chars().count() <= 40));
        assert_eq!(lines.join(" "), INTERPRETATION);
    }
}
