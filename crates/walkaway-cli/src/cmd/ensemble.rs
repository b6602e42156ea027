//! `walkaway ensemble MODEL`: a Monte Carlo ensemble with jittered
//! parameters, solved by the lane-batched kernel; prints the mean final state.

use std::path::PathBuf;

use serde_json::{Value, json};
use walkaway_core::ensemble::{
    EnsembleError, EnsembleParts, EnsembleSummary, JitterModel, JitterSpec,
    jittered_shard_with_progress,
};

use crate::common::{Failure, Format, emit};
use crate::progress::Progress;
use crate::shard;

#[derive(clap::Args, Debug)]
pub struct EnsembleArgs {
    /// A model with a lane kernel: laura-petrarch or strogatz.
    model: String,
    #[arg(long, default_value_t = 100_000)]
    trajectories: u64,
    /// F: every parameter is multiplied by (1 + F·U(−1, 1)).
    #[arg(long, default_value_t = 0.1)]
    jitter: f64,
    /// End time in the model's time unit (years for laura-petrarch).
    #[arg(long, default_value_t = 20.0)]
    t_end: f64,
    #[arg(long, default_value_t = 1e-6)]
    rtol: f64,
    #[arg(long, default_value_t = 1e-9)]
    atol: f64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Run only slice I of N of the trajectories (from 0), for clusters:
    /// with --save-tally, then `walkaway merge` (docs/performance.md).
    #[arg(long, value_name = "I/N")]
    shard: Option<String>,
    /// Write the exact sums of this run (or shard) to FILE for `walkaway merge`
    /// instead of printing the summary.
    #[arg(long, value_name = "FILE")]
    save_tally: Option<PathBuf>,
}

impl From<EnsembleError> for Failure {
    fn from(e: EnsembleError) -> Self {
        match e {
            EnsembleError::Trajectory { .. } => {
                Failure::Internal(format!("the ensemble failed: {e}"))
            }
            other => Failure::Input(other.to_string()),
        }
    }
}

pub fn run(a: &EnsembleArgs) -> Result<(), Failure> {
    let model = JitterModel::from_id(&a.model)?;
    if a.trajectories == 0 {
        return Err(EnsembleError::InvalidSetting {
            field: "trajectories",
            value: "0".into(),
            allowed: "at least 1",
        }
        .into());
    }
    let spec = JitterSpec {
        model,
        jitter: a.jitter,
        t_end: a.t_end,
        rtol: a.rtol,
        atol: a.atol,
        seed: a.seed,
    };
    let range = shard::trajectories_to_run(
        a.shard.as_deref(),
        a.save_tally.is_some(),
        a.trajectories,
        "ensemble",
    )?;
    let progress = Progress::start("ensemble", range.end - range.start);
    let go = || jittered_shard_with_progress(&spec, range.clone(), progress.counter());
    let started = std::time::Instant::now();
    let (summary, threads) = match a.threads {
        Some(0) => {
            return Err(Failure::Input(
                "--threads must be at least 1 (or left out for one per core)".into(),
            ));
        }
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
    if let Some(path) = &a.save_tally {
        let run = run_json(&spec, a.trajectories);
        return shard::save(
            path,
            "ensemble",
            run,
            (range, a.trajectories),
            seconds,
            parts_json(&summary.to_parts()),
        );
    }
    print_summary(&summary, seconds, threads, a.format)
}

/// Writes a summary (of one run or of merged parts) in `format`.
pub fn print_summary(
    summary: &EnsembleSummary,
    seconds: f64,
    threads: usize,
    format: Format,
) -> Result<(), Failure> {
    let text = match format {
        Format::Json => json(summary, seconds, threads),
        Format::Csv => csv(summary),
        Format::Table => table(summary, seconds, threads),
    };
    emit(&text, None)
}

fn run_json(spec: &JitterSpec, trajectories: u64) -> Value {
    json!({
        "model": spec.model.id(),
        "trajectories": trajectories,
        "jitter": spec.jitter,
        "t_end": spec.t_end,
        "rtol": spec.rtol,
        "atol": spec.atol,
        "seed": spec.seed,
    })
}

/// The ensemble a part's `run` describes.
pub fn spec_from_run(file: &str, run: &Value) -> Result<JitterSpec, Failure> {
    let bad = |what: &str| Failure::Input(format!("{file}: `run.{what}` is missing or malformed"));
    let num = |k: &str| run.get(k).and_then(Value::as_f64).ok_or_else(|| bad(k));
    let id = run
        .get("model")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("model"))?;
    Ok(JitterSpec {
        model: JitterModel::from_id(id)?,
        jitter: num("jitter")?,
        t_end: num("t_end")?,
        rtol: num("rtol")?,
        atol: num("atol")?,
        seed: run
            .get("seed")
            .and_then(Value::as_u64)
            .ok_or_else(|| bad("seed"))?,
    })
}

fn parts_json(p: &EnsembleParts) -> Value {
    json!({
        "trajectories": p.trajectories,
        "steps": p.steps,
        "rejected": p.rejected,
        "rhs_calls": p.rhs_calls,
        "sums": p.sums,
        "squares": p.squares,
    })
}

/// A part's sums, checked against the ensemble's model.
pub fn summary_from_json(
    file: &str,
    spec: JitterSpec,
    v: &Value,
) -> Result<EnsembleSummary, Failure> {
    let bad =
        |what: &str| Failure::Input(format!("{file}: `tally.{what}` is missing or malformed"));
    let count = |k: &str| v.get(k).and_then(Value::as_u64).ok_or_else(|| bad(k));
    let words = |k: &str| {
        v.get(k)
            .and_then(Value::as_array)
            .and_then(|a| {
                a.iter()
                    .map(|w| {
                        w.as_array()?
                            .iter()
                            .map(Value::as_i64)
                            .collect::<Option<Vec<_>>>()
                    })
                    .collect::<Option<Vec<_>>>()
            })
            .ok_or_else(|| bad(k))
    };
    let parts = EnsembleParts {
        trajectories: count("trajectories")?,
        steps: count("steps")?,
        rejected: count("rejected")?,
        rhs_calls: count("rhs_calls")?,
        sums: words("sums")?,
        squares: words("squares")?,
    };
    EnsembleSummary::from_parts(spec, &parts).map_err(|e| Failure::Input(format!("{file}: {e}")))
}

fn json(s: &EnsembleSummary, seconds: f64, threads: usize) -> String {
    let v = serde_json::json!({
        "model": s.spec.model.id(),
        "state_names": s.state_names,
        "final_mean": s.final_mean,
        "final_sd": s.final_sd,
        "trajectories": s.trajectories,
        "steps": s.steps,
        "rejected": s.rejected,
        "rhs_calls": s.rhs_calls,
        "jitter": s.spec.jitter,
        "t_end": s.spec.t_end,
        "rtol": s.spec.rtol,
        "atol": s.spec.atol,
        "seed": s.spec.seed,
        "seconds": seconds,
        "threads": threads,
    });
    format!("{v}\n")
}

fn csv(s: &EnsembleSummary) -> String {
    let mut out = String::from("state,mean,sd,standard_error\n");
    let n = s.trajectories as f64;
    for ((name, m), sd) in s.state_names.iter().zip(&s.final_mean).zip(&s.final_sd) {
        out += &format!("{name},{m},{sd},{}\n", sd / n.sqrt());
    }
    out
}

fn table(s: &EnsembleSummary, seconds: f64, threads: usize) -> String {
    let n = s.trajectories as f64;
    let mut out = format!(
        "{} trajectories of {} to t = {} (parameters jittered by ±{}%, seed {})\n\n",
        s.trajectories,
        s.spec.model.id(),
        s.spec.t_end,
        100.0 * s.spec.jitter,
        s.spec.seed
    );
    out += &format!(
        "{:<14} {:>14} {:>12} {:>12}\n",
        "state", "mean final", "sd", "± s.e."
    );
    for ((name, m), sd) in s.state_names.iter().zip(&s.final_mean).zip(&s.final_sd) {
        out += &format!("{name:<14} {m:>14.6} {sd:>12.6} {:>12.2e}\n", sd / n.sqrt());
    }
    out += &format!(
        "\n{:.1} accepted steps and {:.1} rejections per trajectory; {seconds:.3} s on {threads} thread(s)\n",
        s.steps as f64 / n,
        s.rejected as f64 / n
    );
    out
}
