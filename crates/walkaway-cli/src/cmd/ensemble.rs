//! `walkaway ensemble MODEL`: a Monte Carlo ensemble with jittered
//! parameters, solved by the lane-batched kernel; prints the mean final state.

use std::path::PathBuf;

use walkaway_core::ensemble::{
    EnsembleError, JitterModel, JitterSpec, KernelPath, jittered_shard_on,
};

use crate::common::{Failure, Format, emit};
use crate::output;
use crate::parts;
use crate::progress::Progress;

#[derive(clap::Args, Debug)]
pub struct EnsembleArgs {
    /// A model with a lane kernel (laura-petrarch, strogatz, rinaldi-linear)
    /// or an equation file without events or t in its equations (docs/models.md).
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
    /// Instruction set of the kernel: `auto` takes the widest this CPU has
    /// (AVX-512, else AVX2+FMA, else `portable`); the others are for
    /// comparing them (every one gives the same result,
    /// docs/performance.md). One the CPU lacks falls back to `portable`.
    #[arg(long, value_enum, default_value_t = Kernel::Auto)]
    kernel: Kernel,
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

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kernel {
    Auto,
    Portable,
    Avx2,
    Avx512,
}

impl Kernel {
    fn path(self) -> KernelPath {
        match self {
            Kernel::Auto => KernelPath::best(),
            Kernel::Portable => KernelPath::Portable,
            Kernel::Avx2 => KernelPath::Avx2Fma,
            Kernel::Avx512 => KernelPath::Avx512,
        }
    }
}

pub fn run(a: &EnsembleArgs) -> Result<(), Failure> {
    let model = match crate::common::equation_file(&a.model)? {
        Some(m) => JitterModel::equations(m)?,
        None => JitterModel::from_id(&a.model)?,
    };
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
    // More threads than cores only adds switching; far more exhausts the
    // operating system, so the range is checked before any work.
    let most_threads = 4 * std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .max(16);
    if let Some(n) = a.threads
        && (n == 0 || n > most_threads)
    {
        return Err(Failure::Input(format!(
            "--threads {n} is not allowed: a whole number from 1 to {most_threads} \
             (four per core here, at least 64), or left out for one per core"
        )));
    }
    let range = parts::trajectories_to_run(
        a.shard.as_deref(),
        a.save_tally.is_some(),
        a.trajectories,
        "ensemble",
    )?;
    let progress = Progress::start("ensemble", range.end - range.start);
    let path = a.kernel.path();
    let go = || jittered_shard_on(&spec, range.clone(), path, progress.counter());
    let started = std::time::Instant::now();
    let (summary, threads) = match a.threads {
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
        let run = parts::ensemble::run_json(&spec, a.trajectories);
        return parts::save(
            path,
            "ensemble",
            run,
            (range, a.trajectories),
            seconds,
            parts::ensemble::parts_json(&summary.to_parts()),
        );
    }
    emit(
        &output::ensemble(&summary, seconds, threads, a.format),
        None,
    )
}
