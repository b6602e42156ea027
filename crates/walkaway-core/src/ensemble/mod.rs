//! Monte Carlo ensembles of one model with jittered parameters, solved by a
//! lane-batched Dormand–Prince kernel and reduced on the fly.
//!
//! Trajectory k of seed s multiplies each published parameter by
//! (1 + F·U(−1, 1)), the uniforms drawn in parameter order from the Philox
//! stream `Stream::new(s, k, Purpose::Parameters)`, integrates from the
//! model's initial state at t = 0 to `t_end`, and adds its final state to an
//! exact sum. Memory stays flat in the number of trajectories, and because
//! the sum is exact, the result is the same to the bit on one thread or
//! many, and for one run or shards merged in any order.
//!
//! Work is split into chunks of [`CHUNK`] consecutive trajectories that
//! rayon spreads over its pool (the global one, or one `install`ed by the
//! caller); each chunk runs [`LANES`] trajectories side by side
//! ([`EQUATION_LANES`] for an equation file).

mod dispatch;
pub mod exact_sum;
mod kernel;
pub mod systems;

#[cfg(test)]
mod tests;

use crate::equations::{EquationLanes, EquationModel, with_state_count};
use crate::error::SolverError;
use crate::model::Model;
use crate::models::laura_petrarch::LauraPetrarch;
use crate::models::rinaldi_linear::RinaldiLinear;
use crate::models::strogatz::Strogatz;
use crate::ode::{Dopri5, OdeOptions};
use crate::rng::{Purpose, Stream};
pub use dispatch::KernelPath;
use dispatch::integrate_batch_on;
pub(crate) use dispatch::{LaneWork, run_lane_work};
pub use exact_sum::ExactSum;
use kernel::KernelOptions;
pub use kernel::TrajectoryWork;
use rayon::prelude::*;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use systems::{LaneSystem, SingleLane};
use thiserror::Error;

/// Trajectories per parallel task: large enough to amortise scheduling,
/// small enough to balance two to a few dozen threads at 10⁴–10⁶ trajectories.
pub const CHUNK: u64 = 1024;
/// Trajectories integrated side by side in one instruction stream: eight
/// f64 lanes fill two AVX2 registers per state variable, which measured
/// faster than four (docs/performance.md).
pub const LANES: usize = 8;
/// Lanes of an equation file in the kernel: its program is interpreted one
/// instruction at a time, and each instruction's decoding is shared by
/// all lanes, so more lanes than the catalog's pay off (docs/performance.md,
/// "Equation files").
pub const EQUATION_LANES: usize = 64;

/// The most steps one trajectory may take.
const MAX_STEPS: u64 = 1_000_000;
/// Any state component above this (in absolute value) stops the run.
const BLOW_UP: f64 = 1e12;

/// Why an ensemble did not run.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum EnsembleError {
    #[error("invalid ensemble setting `{field}` = {value}: {allowed}")]
    InvalidSetting {
        field: &'static str,
        value: String,
        allowed: &'static str,
    },
    #[error("unknown ensemble model `{id}`; known models: {known}")]
    UnknownModel { id: String, known: String },
    #[error("trajectory {index} failed: {source}")]
    Trajectory {
        index: u64,
        #[source]
        source: SolverError,
    },
    #[error("parameter set {row} has {got} values but model `{model}` takes {expected} ({names})")]
    ParameterCount {
        model: &'static str,
        row: usize,
        expected: usize,
        got: usize,
        names: String,
    },
    #[error("cannot merge ensemble shards of different runs: {first} vs {second}")]
    MismatchedShards { first: String, second: String },
    /// An equation model the kernel cannot run (time-dependent or with events).
    #[error("{reason}")]
    Unsupported { reason: String },
}

/// `$body` with `$sys` bound to the built-in model `$model` names (each is
/// its own type, with its own numbers of states and parameters, so each
/// arm compiles `$body` for that model), or `$equations` with `$m` the
/// loaded equation model. The one list of built-in models besides
/// [`JitterModel`] itself: a catalog model with a
/// [`crate::model::GenericField`] joins the kernel with a variant, an entry
/// in [`JitterModel::ALL`] and a line here.
macro_rules! with_model {
    ($model:expr, |$sys:ident| $body:expr, |$m:ident| $equations:expr) => {
        match $model {
            JitterModel::LauraPetrarch => {
                let $sys = &LauraPetrarch;
                $body
            }
            JitterModel::Strogatz => {
                let $sys = &Strogatz;
                $body
            }
            JitterModel::RinaldiLinear => {
                let $sys = &RinaldiLinear;
                $body
            }
            JitterModel::Equations($m) => $equations,
        }
    };
}
#[cfg(test)]
use with_model;

/// The models the ensemble kernel runs: the catalog's [`crate::model::GenericField`]
/// models and loaded equation models.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JitterModel {
    /// Rinaldi (1998), three states, ten parameters.
    LauraPetrarch,
    /// Strogatz (1988), two states, four parameters.
    Strogatz,
    /// Rinaldi (1998), linear couple: two states, eight parameters.
    RinaldiLinear,
    /// A loaded equation model (docs/models.md): its compiled program runs
    /// on the lanes.
    Equations(&'static EquationModel),
}

impl JitterModel {
    pub const ALL: [JitterModel; 3] = [
        JitterModel::LauraPetrarch,
        JitterModel::Strogatz,
        JitterModel::RinaldiLinear,
    ];

    pub fn id(self) -> &'static str {
        with_model!(self, |sys| sys.id(), |m| m.info().id)
    }

    /// A kernel model by id, or a loaded equation model the kernel can run.
    pub fn from_id(id: &str) -> Result<Self, EnsembleError> {
        if let Some(m) = Self::ALL.into_iter().find(|m| m.id() == id) {
            return Ok(m);
        }
        if let Some(m) = crate::equations::find_registered(id) {
            return Self::equations(m);
        }
        let mut known: Vec<&str> = Self::ALL.iter().map(|m| m.id()).collect();
        let loaded = crate::equations::registered();
        known.extend(
            loaded
                .iter()
                .filter(|m| m.ensemble_obstacle().is_none())
                .map(|m| m.info().id),
        );
        Err(EnsembleError::UnknownModel {
            id: id.to_string(),
            known: format!("{}, or an equation file (docs/models.md)", known.join(", ")),
        })
    }

    /// An equation model, if the kernel can run it.
    pub fn equations(m: &'static EquationModel) -> Result<Self, EnsembleError> {
        match m.ensemble_obstacle() {
            Some(reason) => Err(EnsembleError::Unsupported { reason }),
            None => Ok(JitterModel::Equations(m)),
        }
    }

    pub fn state_names(self) -> Vec<&'static str> {
        with_model!(self, |sys| sys.state_names().to_vec(), |m| {
            m.info().states.iter().map(|s| s.name).collect()
        })
    }

    pub fn parameter_names(self) -> Vec<&'static str> {
        with_model!(self, |sys| sys.parameter_names().to_vec(), |m| {
            m.info().params.iter().map(|p| p.name).collect()
        })
    }

    pub fn nominal_parameters(self) -> Vec<f64> {
        with_model!(self, |sys| sys.nominal_parameters().to_vec(), |m| {
            m.info().default_params()
        })
    }
}

/// Everything that defines a jittered ensemble except which trajectories run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JitterSpec {
    pub model: JitterModel,
    /// F: each parameter is multiplied by (1 + F·U(−1, 1)); 0 ≤ F < 1.
    pub jitter: f64,
    /// End time (the model's time unit; years for Laura–Petrarch).
    pub t_end: f64,
    pub rtol: f64,
    pub atol: f64,
    pub seed: u64,
}

impl JitterSpec {
    fn validate(&self) -> Result<KernelOptions, EnsembleError> {
        if !(self.jitter >= 0.0 && self.jitter < 1.0) {
            return Err(EnsembleError::InvalidSetting {
                field: "jitter",
                value: self.jitter.to_string(),
                allowed: "a fraction with 0 <= jitter < 1 (parameters keep their sign)",
            });
        }
        kernel_options(self.t_end, self.rtol, self.atol)
    }

    /// Trajectory `index`'s parameters, in the model's parameter order.
    pub fn parameters(&self, index: u64) -> Vec<f64> {
        with_model!(self.model, |sys| jittered(sys, self, index).to_vec(), |m| {
            let mut p = jittered(&EquationLanes::<1> { model: m }, self, index).to_vec();
            p.truncate(m.info().params.len());
            p
        })
    }
}

fn kernel_options(t_end: f64, rtol: f64, atol: f64) -> Result<KernelOptions, EnsembleError> {
    if !(t_end > 0.0 && t_end.is_finite()) {
        return Err(EnsembleError::InvalidSetting {
            field: "t_end",
            value: t_end.to_string(),
            allowed: "a finite time after the start (t = 0)",
        });
    }
    OdeOptions::with_tolerances(rtol, atol)
        .validate()
        .map_err(|e| match e {
            SolverError::InvalidOption {
                field,
                value,
                allowed,
            } => EnsembleError::InvalidSetting {
                field,
                value,
                allowed,
            },
            other => EnsembleError::Trajectory {
                index: 0,
                source: other,
            },
        })?;
    Ok(KernelOptions {
        t_end,
        rtol,
        atol,
        max_steps: MAX_STEPS,
        blow_up: BLOW_UP,
    })
}

fn jittered<const N: usize, const P: usize, S: LaneSystem<N, P>>(
    sys: &S,
    spec: &JitterSpec,
    index: u64,
) -> [f64; P] {
    let mut stream = Stream::new(spec.seed, index, Purpose::Parameters);
    let mut p = sys.nominal_parameters();
    // The padding of an equation model stays 0 without drawing for it: the
    // draws go in parameter order, so the model's own are the same.
    for v in &mut p[..sys.parameter_count()] {
        *v *= 1.0 + spec.jitter * stream.uniform_in(-1.0, 1.0);
    }
    p
}

/// The result of an ensemble run or of merged shards.
#[derive(Debug, Clone, PartialEq)]
pub struct EnsembleSummary {
    pub spec: JitterSpec,
    pub state_names: Vec<&'static str>,
    /// Mean final state over all trajectories, in `state_names` order.
    pub final_mean: Vec<f64>,
    /// Sample standard deviation of the final state (NaN below two
    /// trajectories); the Monte Carlo error of the mean is sd/√n.
    pub final_sd: Vec<f64>,
    pub trajectories: u64,
    /// Accepted steps, summed over trajectories.
    pub steps: u64,
    pub rejected: u64,
    pub rhs_calls: u64,
    sums: Vec<ExactSum>,
    squares: Vec<ExactSum>,
}

impl EnsembleSummary {
    fn empty(spec: JitterSpec) -> Self {
        let names = spec.model.state_names();
        Self {
            spec,
            final_mean: vec![f64::NAN; names.len()],
            final_sd: vec![f64::NAN; names.len()],
            sums: vec![ExactSum::new(); names.len()],
            squares: vec![ExactSum::new(); names.len()],
            state_names: names,
            trajectories: 0,
            steps: 0,
            rejected: 0,
            rhs_calls: 0,
        }
    }

    /// Adds a disjoint shard of the same run. The result does not depend
    /// on the order of merging or on where the shards were cut.
    pub fn merge(&mut self, other: &EnsembleSummary) -> Result<(), EnsembleError> {
        if self.spec != other.spec {
            return Err(EnsembleError::MismatchedShards {
                first: format!("{:?}", self.spec),
                second: format!("{:?}", other.spec),
            });
        }
        // Checked: a shard read from a file may hold counts no run makes,
        // and a wrapped count would pass for a small one.
        let overflow = |what: &str| EnsembleError::InvalidSetting {
            field: "parts",
            value: format!("{what} beyond what can be counted"),
            allowed: "shards saved by `walkaway ensemble --save-tally`",
        };
        let mut total = self.clone();
        for (a, b) in total.sums.iter_mut().zip(&other.sums) {
            a.checked_merge(b).ok_or_else(|| overflow("sums"))?;
        }
        for (a, b) in total.squares.iter_mut().zip(&other.squares) {
            a.checked_merge(b).ok_or_else(|| overflow("squares"))?;
        }
        for (mine, theirs, what) in [
            (&mut total.trajectories, other.trajectories, "trajectories"),
            (&mut total.steps, other.steps, "steps"),
            (&mut total.rejected, other.rejected, "rejected steps"),
            (
                &mut total.rhs_calls,
                other.rhs_calls,
                "right-hand-side calls",
            ),
        ] {
            *mine = mine.checked_add(theirs).ok_or_else(|| overflow(what))?;
        }
        total.refresh_mean();
        *self = total;
        Ok(())
    }

    /// Everything a shard adds up to, as plain integers (for saving a shard
    /// to a file and merging it elsewhere; [`EnsembleSummary::from_parts`]).
    pub fn to_parts(&self) -> EnsembleParts {
        EnsembleParts {
            trajectories: self.trajectories,
            steps: self.steps,
            rejected: self.rejected,
            rhs_calls: self.rhs_calls,
            sums: self.sums.iter().map(ExactSum::to_words).collect(),
            squares: self.squares.iter().map(ExactSum::to_words).collect(),
        }
    }

    /// A summary of a run of `spec` from saved parts.
    pub fn from_parts(spec: JitterSpec, parts: &EnsembleParts) -> Result<Self, EnsembleError> {
        let mut summary = Self::empty(spec);
        let bad = |what: &str| EnsembleError::InvalidSetting {
            field: "parts",
            value: what.to_string(),
            allowed: "the sums and squares saved by `walkaway ensemble --save-tally` for this model",
        };
        let states = summary.sums.len();
        let read = |words: &[Vec<i64>]| -> Result<Vec<ExactSum>, EnsembleError> {
            if words.len() != states {
                return Err(bad(&format!("{} sums", words.len())));
            }
            words
                .iter()
                .map(|w| ExactSum::from_words(w).ok_or_else(|| bad("a sum of the wrong shape")))
                .collect()
        };
        summary.sums = read(&parts.sums)?;
        summary.squares = read(&parts.squares)?;
        summary.trajectories = parts.trajectories;
        summary.steps = parts.steps;
        summary.rejected = parts.rejected;
        summary.rhs_calls = parts.rhs_calls;
        summary.refresh_mean();
        Ok(summary)
    }

    fn refresh_mean(&mut self) {
        let n = self.trajectories as f64;
        self.final_mean = self
            .sums
            .iter()
            .map(|s| if n > 0.0 { s.value() / n } else { f64::NAN })
            .collect();
        self.final_sd = self
            .sums
            .iter()
            .zip(&self.squares)
            .map(|(s, q)| {
                if n < 2.0 {
                    return f64::NAN;
                }
                let sum = s.value();
                ((q.value() - sum * sum / n) / (n - 1.0)).max(0.0).sqrt()
            })
            .collect();
    }

    fn add_trajectory(&mut self, y: &[f64], work: TrajectoryWork) {
        for ((s, q), &v) in self.sums.iter_mut().zip(&mut self.squares).zip(y) {
            s.add(v);
            q.add(v * v);
        }
        self.trajectories += 1;
        self.steps += work.steps;
        self.rejected += work.rejected;
        self.rhs_calls += work.rhs_calls;
    }
}

/// An [`EnsembleSummary`] as plain integers: exact sums as
/// [`ExactSum::to_words`], so nothing is rounded on the way to a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnsembleParts {
    pub trajectories: u64,
    pub steps: u64,
    pub rejected: u64,
    pub rhs_calls: u64,
    pub sums: Vec<Vec<i64>>,
    pub squares: Vec<Vec<i64>>,
}

/// Runs `trajectories` jittered trajectories (indices 0..trajectories) and
/// returns the mean final state.
pub fn jittered_final_mean(
    model: JitterModel,
    trajectories: u64,
    jitter: f64,
    t_end: f64,
    rtol: f64,
    atol: f64,
    seed: u64,
) -> Result<EnsembleSummary, EnsembleError> {
    if trajectories == 0 {
        return Err(EnsembleError::InvalidSetting {
            field: "trajectories",
            value: "0".into(),
            allowed: "at least 1",
        });
    }
    let spec = JitterSpec {
        model,
        jitter,
        t_end,
        rtol,
        atol,
        seed,
    };
    jittered_shard(&spec, 0..trajectories)
}

/// Runs the trajectories with indices in `range` only; shards of one run
/// combine with [`EnsembleSummary::merge`]. An empty range gives an empty
/// summary (mean NaN) that merges as the identity.
pub fn jittered_shard(
    spec: &JitterSpec,
    range: Range<u64>,
) -> Result<EnsembleSummary, EnsembleError> {
    jittered_shard_with_progress(spec, range, &AtomicU64::new(0))
}

/// [`jittered_shard`], adding the number of finished trajectories to
/// `progress` as it goes (for a progress display; the result is the same).
pub fn jittered_shard_with_progress(
    spec: &JitterSpec,
    range: Range<u64>,
    progress: &AtomicU64,
) -> Result<EnsembleSummary, EnsembleError> {
    jittered_shard_on(spec, range, KernelPath::best(), progress)
}

/// [`jittered_shard_with_progress`] with the kernel compiled for `path`
/// (the portable one if this CPU cannot run `path`). Every path gives the
/// same bits; this exists to compare them and to measure each.
pub fn jittered_shard_on(
    spec: &JitterSpec,
    range: Range<u64>,
    path: KernelPath,
    progress: &AtomicU64,
) -> Result<EnsembleSummary, EnsembleError> {
    let opts = spec.validate()?;
    let run = Run {
        spec,
        opts: &opts,
        path,
        progress,
    };
    let mut summary = with_model!(
        spec.model,
        |sys| run_jittered::<_, _, LANES, _>(sys, &run, range),
        |m| {
            fn go<const N: usize>(
                model: &EquationModel,
                run: &Run<'_>,
                range: Range<u64>,
            ) -> Result<EnsembleSummary, EnsembleError> {
                run_jittered::<N, _, EQUATION_LANES, _>(&EquationLanes::<N> { model }, run, range)
            }
            with_state_count!(m.info().states.len(), go, m, &run, range)
        }
    )?;
    summary.refresh_mean();
    Ok(summary)
}

/// What every chunk of one ensemble run shares.
struct Run<'a> {
    spec: &'a JitterSpec,
    opts: &'a KernelOptions,
    path: KernelPath,
    progress: &'a AtomicU64,
}

fn run_jittered<const N: usize, const P: usize, const W: usize, S: LaneSystem<N, P>>(
    sys: &S,
    run: &Run<'_>,
    range: Range<u64>,
) -> Result<EnsembleSummary, EnsembleError> {
    let Run {
        spec,
        opts,
        path,
        progress,
    } = *run;
    if range.start >= range.end {
        return Ok(EnsembleSummary::empty(*spec));
    }
    let first = range.start / CHUNK;
    let last = range.end.div_ceil(CHUNK);
    (first..last)
        .into_par_iter()
        .map(|c| {
            let chunk = (c * CHUNK).max(range.start)..((c + 1) * CHUNK).min(range.end);
            let done = chunk.end - chunk.start;
            let mut part = EnsembleSummary::empty(*spec);
            integrate_batch_on::<N, P, W, S>(
                path,
                sys,
                chunk,
                |k| jittered(sys, spec, k),
                opts,
                |_, y, work| part.add_trajectory(y, work),
            )?;
            progress.fetch_add(done, Ordering::Relaxed);
            Ok(part)
        })
        .reduce(
            || Ok(EnsembleSummary::empty(*spec)),
            |a, b| match (a, b) {
                (Ok(mut a), Ok(b)) => {
                    a.merge(&b)?;
                    Ok(a)
                }
                (Err(e), Ok(_)) | (Ok(_), Err(e)) => Err(e),
                // Report the failure with the lowest trajectory index, so the
                // error does not depend on the thread schedule.
                (Err(a), Err(b)) => Err(if first_failure(&b) < first_failure(&a) {
                    b
                } else {
                    a
                }),
            },
        )
}

fn first_failure(e: &EnsembleError) -> u64 {
    match e {
        EnsembleError::Trajectory { index, .. } => *index,
        _ => 0,
    }
}

/// Final states for given parameter sets (one row per trajectory, in the
/// model's parameter order), with the ensemble kernel. Used to compare
/// programs on the same parameter sets.
pub fn final_states(
    model: JitterModel,
    parameters: &[Vec<f64>],
    t_end: f64,
    rtol: f64,
    atol: f64,
) -> Result<Vec<Vec<f64>>, EnsembleError> {
    let opts = kernel_options(t_end, rtol, atol)?;
    let path = KernelPath::best();
    with_model!(
        model,
        |sys| lane_final_states::<_, _, LANES, _>(sys, parameters, &opts, path),
        |m| {
            fn go<const N: usize>(
                model: &EquationModel,
                parameters: &[Vec<f64>],
                opts: &KernelOptions,
            ) -> Result<Vec<Vec<f64>>, EnsembleError> {
                let padded = pad(model, parameters)?;
                lane_final_states::<N, { crate::equations::MAX_PARAMS }, EQUATION_LANES, _>(
                    &EquationLanes::<N> { model },
                    &padded,
                    opts,
                    KernelPath::best(),
                )
            }
            with_state_count!(m.info().states.len(), go, m, parameters, &opts)
        }
    )
}

/// Parameter rows of an equation model padded to the kernel's width,
/// after checking each has the model's own count.
fn pad(model: &EquationModel, parameters: &[Vec<f64>]) -> Result<Vec<Vec<f64>>, EnsembleError> {
    let info = model.info();
    parameters
        .iter()
        .enumerate()
        .map(|(row, p)| {
            if p.len() != info.params.len() {
                return Err(EnsembleError::ParameterCount {
                    model: info.id,
                    row,
                    expected: info.params.len(),
                    got: p.len(),
                    names: info
                        .params
                        .iter()
                        .map(|q| q.name)
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
            let mut padded = p.clone();
            padded.resize(crate::equations::MAX_PARAMS, 0.0);
            Ok(padded)
        })
        .collect()
}

fn rows<const P: usize, S: LaneSystem<N, P>, const N: usize>(
    sys: &S,
    parameters: &[Vec<f64>],
) -> Result<Vec<[f64; P]>, EnsembleError> {
    parameters
        .iter()
        .enumerate()
        .map(|(row, p)| {
            <[f64; P]>::try_from(p.as_slice()).map_err(|_| EnsembleError::ParameterCount {
                model: sys.id(),
                row,
                expected: P,
                got: p.len(),
                names: sys.parameter_names().join(", "),
            })
        })
        .collect()
}

fn lane_final_states<const N: usize, const P: usize, const W: usize, S: LaneSystem<N, P>>(
    sys: &S,
    parameters: &[Vec<f64>],
    opts: &KernelOptions,
    path: KernelPath,
) -> Result<Vec<Vec<f64>>, EnsembleError> {
    let rows = rows::<P, S, N>(sys, parameters)?;
    let chunks: Vec<Vec<Vec<f64>>> = rows
        .par_chunks(CHUNK as usize)
        .enumerate()
        .map(|(c, chunk)| {
            let offset = c as u64 * CHUNK;
            let mut out = vec![Vec::new(); chunk.len()];
            integrate_batch_on::<N, P, W, S>(
                path,
                sys,
                offset..offset + chunk.len() as u64,
                |k| chunk[(k - offset) as usize],
                opts,
                |k, y, _| out[(k - offset) as usize] = y.to_vec(),
            )?;
            Ok(out)
        })
        .collect::<Result<_, EnsembleError>>()?;
    Ok(chunks.into_iter().flatten().collect())
}

/// Final states for given parameter sets with the scalar [`Dopri5`], one
/// trajectory at a time (the reference path; also used at tight tolerances).
pub fn scalar_final_states(
    model: JitterModel,
    parameters: &[Vec<f64>],
    t_end: f64,
    rtol: f64,
    atol: f64,
) -> Result<Vec<(Vec<f64>, crate::ode::SolverStats)>, EnsembleError> {
    let opts = kernel_options(t_end, rtol, atol)?;
    with_model!(model, |sys| scalar_rows(sys, parameters, &opts), |m| {
        fn go<const N: usize>(
            model: &EquationModel,
            parameters: &[Vec<f64>],
            opts: &KernelOptions,
        ) -> Result<Vec<(Vec<f64>, crate::ode::SolverStats)>, EnsembleError> {
            scalar_rows(
                &EquationLanes::<N> { model },
                &pad(model, parameters)?,
                opts,
            )
        }
        with_state_count!(m.info().states.len(), go, m, parameters, &opts)
    })
}

fn scalar_rows<const N: usize, const P: usize, S: LaneSystem<N, P>>(
    sys: &S,
    parameters: &[Vec<f64>],
    opts: &KernelOptions,
) -> Result<Vec<(Vec<f64>, crate::ode::SolverStats)>, EnsembleError> {
    let rows = rows::<P, S, N>(sys, parameters)?;
    rows.par_iter()
        .enumerate()
        .map(|(index, &p)| {
            let fail = |source| EnsembleError::Trajectory {
                index: index as u64,
                source,
            };
            let rhs = SingleLane::new(sys, p);
            let ode_opts = OdeOptions {
                max_steps: opts.max_steps,
                blow_up: opts.blow_up,
                ..OdeOptions::with_tolerances(opts.rtol, opts.atol)
            };
            let mut solver =
                Dopri5::new(&rhs, 0.0, sys.initial_state(), opts.t_end, ode_opts).map_err(fail)?;
            while solver.t < opts.t_end {
                solver.step(&rhs, opts.t_end).map_err(fail)?;
            }
            Ok((solver.y.to_vec(), solver.stats))
        })
        .collect()
}
