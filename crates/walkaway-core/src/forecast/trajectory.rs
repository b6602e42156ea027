//! Running trajectories: one partner under your strategy, the other
//! strategies and the mechanism switch-offs; shards of them in parallel.

use super::*;

/// Runs trajectories `range` and tallies them. Shards with the same options
/// and seed merge into exactly the result of one run over their union.
pub fn run_shard(
    sampler: &dyn ParamSampler,
    opts: &ForecastOptions,
    range: std::ops::Range<u64>,
) -> Result<Tally, ModelError> {
    run_shard_with_progress(sampler, opts, range, &AtomicU64::new(0))
}

/// [`run_shard`], adding the number of finished trajectories to `progress`
/// as it goes (for a progress display; the result is the same).
pub fn run_shard_with_progress(
    sampler: &dyn ParamSampler,
    opts: &ForecastOptions,
    range: std::ops::Range<u64>,
    progress: &AtomicU64,
) -> Result<Tally, ModelError> {
    let never = AtomicBool::new(false);
    let tally = run_shard_cancellable(sampler, opts, range, progress, &never)?;
    Ok(tally.expect("never cancelled"))
}

/// [`run_shard_with_progress`] that stops early, with `None`, once `cancel`
/// is raised (checked before each chunk of 64 trajectories, so within a
/// fraction of a second).
pub fn run_shard_cancellable(
    sampler: &dyn ParamSampler,
    opts: &ForecastOptions,
    range: std::ops::Range<u64>,
    progress: &AtomicU64,
    cancel: &AtomicBool,
) -> Result<Option<Tally>, ModelError> {
    use rayon::prelude::*;
    let plan = Plan::new(opts);
    // Chunks of 64 trajectories; rayon gives each task a run of them and
    // each task tallies into its own tally, made when the task starts work
    // (a tally with daily series is a few megabytes, so not one per chunk).
    // The sums are exact, so the grouping cannot change the result.
    let chunks: Vec<(u64, u64)> = (range.start..range.end)
        .step_by(64)
        .map(|s| (s, (s + 64).min(range.end)))
        .collect();
    let total = chunks
        .par_iter()
        .try_fold(
            || None,
            |tally: Option<Tally>, &(a, b)| {
                let mut t = tally.unwrap_or_else(|| Tally::new(opts));
                if cancel.load(Ordering::Relaxed) {
                    return Ok(Some(t));
                }
                let mut held = HeldBins::new(t.days);
                for k in a..b {
                    run_trajectory(sampler, opts, &plan, k, &mut t, &mut held)?;
                }
                held.release(&mut t);
                progress.fetch_add(b - a, Ordering::Relaxed);
                Ok::<_, ModelError>(Some(t))
            },
        )
        .try_reduce(
            || None,
            |a, b| {
                Ok(match (a, b) {
                    (Some(mut a), Some(b)) => {
                        a.merge(&b);
                        Some(a)
                    }
                    (a, None) => a,
                    (None, b) => b,
                })
            },
        )?;
    if cancel.load(Ordering::Relaxed) {
        return Ok(None);
    }
    Ok(Some(total.unwrap_or_else(|| Tally::new(opts))))
}

pub(super) fn run_trajectory(
    sampler: &dyn ParamSampler,
    opts: &ForecastOptions,
    plan: &Plan,
    k: u64,
    t: &mut Tally,
    held: &mut HeldBins,
) -> Result<(), ModelError> {
    let mut stream = Stream::new(opts.seed, k, Purpose::Parameters);
    let mut params = sampler.sample_indexed(k, opts.trajectories, opts.seed, &mut stream);
    // With model uncertainty, trajectory k lives in plausible model k mod M.
    let model = plan.apply_model(k, &mut params);
    let mut run = opts.run;
    run.seed = opts.seed;
    run.trajectory = k;
    run.every = if opts.series { Some(1.0) } else { None };
    let days = t.days;
    let mut series = t.series_mut(held);
    let mut day = 0usize;
    // The base run checks the drawn parameters; the variants below only
    // override them with values `validate` has checked.
    let forks: Vec<Option<f64>> = (0..plan.strategies.len())
        .map(|si| plan.fork_day(si, &params, &run))
        .collect();
    let mut fork_days: Vec<f64> = forks.iter().flatten().copied().collect();
    fork_days.sort_by(f64::total_cmp);
    fork_days.dedup();
    let mut checkpoints: Vec<Checkpoint> = Vec::with_capacity(fork_days.len());
    let observe = |sys: &walkaway::WalkawaySystem, _time: f64, y: &[f64; state::N]| {
        if day < days {
            observe_day(&mut series, day, sys, y);
        }
        day += 1;
    };
    // The daily outputs interpolate only what the series read.
    let base = if run.method == crate::model::Method::Dopri5 {
        Walkaway::run_observed_with_checkpoints(
            &params,
            &run,
            &fork_days,
            Some(&SERIES_COMPONENTS),
            observe,
            |c| checkpoints.push(c),
        )
    } else {
        Walkaway::run_observed(&params, None, &run, observe)
    };
    let (sys, y, stats) = match base {
        Ok(r) => r,
        Err(ModelError::Solver(_)) => {
            t.failures += 1;
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    t.n += 1;
    t.steps += stats.steps;
    let horizon = opts.run.t_end;
    let reference = RunSummary::of(&sys, horizon, &y);
    tally_run(&mut t.base, &reference, None);
    for (i, d) in reference.event_day.iter().enumerate() {
        if let Some(d) = d {
            let bin = ((d - opts.run.t0) * EVENT_BINS_PER_DAY).floor() as usize;
            let last = t.event_hist[i].len() - 1;
            t.event_hist[i][bin.min(last)] += 1;
        }
    }
    run.every = None;
    let mut variant_params = params.clone();
    for &flag in &plan.neutral_flags {
        variant_params[flag] = 0.0;
    }
    let mut p = variant_params.clone();
    let run_variant = |p: &[f64], steps: &mut u64| -> Result<RunSummary, ModelError> {
        let (sys, y, stats) = Walkaway::run_final_prechecked(p, &run)?;
        *steps += stats.steps;
        Ok(RunSummary::of(&sys, horizon, &y))
    };
    if let Some(m) = model {
        let width = Tally::model_width(plan.strategies.len());
        let slot = &mut t.per_model[m * width..(m + 1) * width];
        slot[0] += 1;
        add_indicators(&mut slot[1..1 + INDICATORS], &reference);
    }
    for (si, overrides) in plan.strategies.iter().enumerate() {
        for &(i, v) in overrides {
            p[i] = v;
        }
        let checkpoint = forks[si].and_then(|d| checkpoints.iter().find(|c| c.t == d));
        // A strategy that does not go back at its checkpoint ends as your
        // strategy's run did.
        let summary = match checkpoint {
            Some(c) => match Walkaway::resume_for_outcome_if_new(c, &p, &run)? {
                Some((sys, y, stats)) => {
                    t.steps += stats.steps;
                    RunSummary::of(&sys, horizon, &y)
                }
                None => reference,
            },
            None => run_variant(&p, &mut t.steps)?,
        };
        tally_run(&mut t.strategies[si], &summary, Some(&reference));
        if let Some(m) = model {
            let width = Tally::model_width(plan.strategies.len());
            let start = m * width + 1 + INDICATORS * (1 + si);
            add_indicators(&mut t.per_model[start..start + INDICATORS], &summary);
        }
    }
    p.copy_from_slice(&variant_params);
    let met = reference.event_day[EventKind::PartnerMetSomeone as usize].is_some();
    // Learning and space can change nothing before a reunion when there is
    // no contact while apart (a deterministic run: stress enters the noise).
    let [_, _, contact] = plan.schedule;
    let learning_matters = reference.reunions > 0
        || variant_params[contact] != 0.0
        || run.method != crate::model::Method::Dopri5;
    for (mi, how) in plan.mechanisms.iter().enumerate() {
        let flag = match *how {
            MechanismRun::Neutral => None,
            MechanismRun::IfMet(flag) => met.then_some(flag),
            MechanismRun::IfReunited(flag) => learning_matters.then_some(flag),
            MechanismRun::Simulate(flag) => Some(flag),
        };
        let summary = match flag {
            Some(flag) => {
                p[flag] = 0.0;
                let s = run_variant(&p, &mut t.steps)?;
                p[flag] = variant_params[flag];
                s
            }
            None => reference,
        };
        tally_run(&mut t.mechanisms[mi], &summary, Some(&reference));
    }
    Ok(())
}

fn add_indicators(counts: &mut [u64], summary: &RunSummary) {
    for (c, on) in counts.iter_mut().zip(summary.indicators()) {
        *c += on as u64;
    }
}
