//! Forecasts: Monte Carlo over what you cannot know about your partner.
//!
//! Trajectory k draws its parameters from its own stream (seed, k) and runs
//! the walkaway model under your strategy, under every alternative strategy
//! and with each mechanism switched off in turn, always with the same draws
//! and the same random events (common random numbers), so differences between
//! strategies and mechanisms are paired and precise.
//!
//! Every reduction is exact and order-free (integer counts, histograms and
//! fixed-point sums), so the result is bit-identical for one thread or many,
//! and for one run or the same run split into shards and merged.

mod events;
#[cfg(feature = "json")]
mod json;
mod plan;
mod report;
mod stats;
mod summary;
mod tally;
#[cfg(test)]
mod tests;
mod trajectory;

pub use events::*;
#[cfg(feature = "json")]
pub use json::{proportion_json, strategy_json, to_json};
pub use plan::*;
pub use report::*;
pub use stats::*;
pub use summary::*;
pub use tally::*;
pub use trajectory::*;

use crate::error::ModelError;
use crate::model::RunOptions;
use crate::models::walkaway::{
    self, BEFORE_REUNION_MECHANISMS, Checkpoint, Initiator, LogKind, MECHANISM_TITLES, MECHANISMS,
    MEETING_MECHANISM, OUTCOME_NEUTRAL_MECHANISMS, Outcome, ReunionBy, Walkaway, state,
};
use crate::rng::{Purpose, Stream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Most plausible models one forecast draws.
pub const MAX_MODEL_DRAWS: u32 = 1000;

/// The plausible models a forecast of `trajectories` can share them out
/// among: at most `requested`, at least 10 trajectories each, and none
/// when fewer than 2 would remain.
pub fn model_draws_for(requested: u32, trajectories: u64) -> u32 {
    let fit = (trajectories / 10).min(requested.min(MAX_MODEL_DRAWS) as u64) as u32;
    if fit < 2 { 0 } else { fit }
}

/// Runs the whole forecast on the current rayon pool.
pub fn forecast(
    sampler: &dyn ParamSampler,
    opts: &ForecastOptions,
) -> Result<Forecast, ModelError> {
    validate(opts)?;
    let tally = run_shard(sampler, opts, 0..opts.trajectories)?;
    Ok(summarise(&tally, opts))
}

/// [`forecast`] counting finished trajectories in `progress`; `None` if
/// `cancel` was raised before it finished.
pub fn forecast_with_progress(
    sampler: &dyn ParamSampler,
    opts: &ForecastOptions,
    progress: &AtomicU64,
    cancel: &AtomicBool,
) -> Result<Option<Forecast>, ModelError> {
    validate(opts)?;
    let tally = run_shard_cancellable(sampler, opts, 0..opts.trajectories, progress, cancel)?;
    Ok(tally.map(|t| summarise(&t, opts)))
}

/// Checks the options a person can get wrong.
pub fn validate(opts: &ForecastOptions) -> Result<(), ModelError> {
    opts.run.validate()?;
    if opts.trajectories == 0 || opts.trajectories > 100_000_000 {
        return Err(ModelError::InvalidRunOption {
            field: "trajectories",
            value: opts.trajectories.to_string(),
            allowed: "between 1 and 100000000".into(),
        });
    }
    // The variants skip the per-run range checks, so their overrides are
    // checked here, once.
    let info = &walkaway::INFO;
    for s in &opts.strategies {
        for (name, value) in [
            ("separation.length", s.length),
            ("separation.contact", s.contact),
            ("separation.after", s.after),
        ] {
            info.params[info.param_index(name).expect("walkaway parameter")].check(value)?;
        }
    }
    if opts.model_draws > MAX_MODEL_DRAWS
        || (opts.model_draws > 0 && opts.trajectories < 10 * opts.model_draws as u64)
    {
        return Err(ModelError::InvalidRunOption {
            field: "model_draws",
            value: opts.model_draws.to_string(),
            allowed: format!(
                "0 (no model uncertainty) or 2 to {MAX_MODEL_DRAWS}, with at least 10 trajectories per model"
            ),
        });
    }
    if opts.model_draws == 1 {
        return Err(ModelError::InvalidRunOption {
            field: "model_draws",
            value: "1".into(),
            allowed: "0 (no model uncertainty) or at least 2 plausible models".into(),
        });
    }
    if opts.series && opts.run.t_end - opts.run.t0 > 100_000.0 {
        return Err(ModelError::InvalidRunOption {
            field: "t_end",
            value: opts.run.t_end.to_string(),
            allowed: "a horizon of at most 100000 days for daily series".into(),
        });
    }
    Ok(())
}
