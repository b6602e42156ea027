//! `walkaway ensemble MODEL`: a Monte Carlo ensemble with jittered
//! parameters, solved by the lane-batched kernel; prints the mean final state.

use crate::common::{Failure, Format, emit};
use walkaway_core::ensemble::{EnsembleError, EnsembleSummary, JitterModel, jittered_final_mean};

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
    let go = || {
        jittered_final_mean(
            model,
            a.trajectories,
            a.jitter,
            a.t_end,
            a.rtol,
            a.atol,
            a.seed,
        )
    };
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
    let text = match a.format {
        Format::Json => json(&summary, seconds, threads),
        Format::Csv => csv(&summary),
        Format::Table => table(&summary, seconds, threads),
    };
    emit(&text, None)
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
