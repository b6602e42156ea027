//! Running the model: whole runs, observed runs, checkpoints and resumption.

use super::params::*;
use super::state::*;
use super::system::{Initiator, WalkawaySystem};
use crate::error::ModelError;
use crate::model::{Model, ModelInfo, RunOptions, Trajectory, simulate_system, to_array};
use crate::ode::{HybridSystem, Record};
use crate::rng::{Purpose, Stream};

/// Checks what a range check per parameter cannot: the schedule against the horizon.
pub fn check_schedule(p: &Params, run: &RunOptions) -> Result<(), ModelError> {
    if p.sep_length > 0.0 && p.sep_start >= run.t_end {
        return Err(ModelError::ImpossibleSchedule {
            reason: format!(
                "separation.start = {} is not before the horizon t_end = {}; choose a start between {} and {}",
                p.sep_start, run.t_end, run.t0, run.t_end
            ),
        });
    }
    if p.sep_length > 0.0 && p.sep_start < run.t0 {
        return Err(ModelError::ImpossibleSchedule {
            reason: format!(
                "separation.start = {} is before the start of the run ({})",
                p.sep_start, run.t0
            ),
        });
    }
    Ok(())
}

#[derive(Debug, Clone, Copy)]
pub struct Walkaway;

/// A run paused at time `t`: the system (standing, log, random stream) and
/// the state. Runs whose parameters differ only in what acts from `t` on
/// (such as a separation that ends at `t` instead of later) share the path
/// up to `t` exactly, so a forecast runs that part once and resumes each of
/// them from here ([`Walkaway::resume`]).
#[derive(Debug, Clone)]
pub struct Checkpoint {
    pub t: f64,
    pub system: WalkawaySystem,
    pub y: [f64; N],
    /// The solver's next step there (so the resumed run retraces the steps).
    pub step: f64,
}

/// What a run returns: the system at the end, the final state, the solver's work.
pub type RunResult = (WalkawaySystem, [f64; N], crate::ode::SolverStats);

impl Walkaway {
    /// Builds the system in its day-0 standing (already apart if the
    /// separation starts at the run's start).
    pub fn system(
        params: &[f64],
        run: &RunOptions,
    ) -> Result<(WalkawaySystem, [f64; N]), ModelError> {
        INFO.check_params(params)?;
        Self::system_outside_ranges(params, run)
    }

    /// [`Walkaway::system`] without the range check per parameter.
    fn system_outside_ranges(
        params: &[f64],
        run: &RunOptions,
    ) -> Result<(WalkawaySystem, [f64; N]), ModelError> {
        let p = Params::from_slice(params);
        check_schedule(&p, run)?;
        let sys = WalkawaySystem::new(p, run.seed, run.trajectory);
        let y0 = sys.initial_state();
        Ok((sys, y0))
    }

    /// Like [`Walkaway::run_final`] for parameters that already passed
    /// `INFO.check_params` (a forecast checks each draw once, then runs it
    /// under many strategies whose overrides were checked up front), so the
    /// per-run range checks are skipped; the schedule is still checked.
    /// Such runs report only the outcome and the first day of each kind of
    /// event faithfully: bids that can only be rejected (see
    /// `later_bids_are_rejected`) are not simulated, so later bids are
    /// missing from the log.
    pub fn run_final_prechecked(params: &[f64], run: &RunOptions) -> Result<RunResult, ModelError> {
        debug_assert!(INFO.check_params(params).is_ok());
        let mut quiet = *run;
        quiet.every = None;
        run.validate()?;
        let p = Params::from_slice(params);
        check_schedule(&p, run)?;
        let mut sys = WalkawaySystem::new(p, run.seed, run.trajectory);
        // Noise can lift your love again, so only deterministic runs settle.
        sys.outcome_only = run.method == crate::model::Method::Dopri5;
        let y = sys.initial_state();
        Self::integrate(sys, run.t0, y, &quiet, |_, _, _| {}, |_, _, _, _| {}, 0.0)
    }

    /// Runs and returns the final state and the standing, without
    /// recording rows (for ensembles).
    pub fn run_final(
        params: &[f64],
        y0: Option<&[f64]>,
        run: &RunOptions,
    ) -> Result<(WalkawaySystem, [f64; N], crate::ode::SolverStats), ModelError> {
        let mut quiet = *run;
        quiet.every = None;
        Self::run_observed(params, y0, &quiet, |_, _, _| {})
    }

    /// Like [`Walkaway::run_observed`], also stopping at the times in
    /// `checkpoints` (inside the run) and handing a [`Checkpoint`] to
    /// `at_checkpoint` there. Dopri5 only: a stochastic run could not be
    /// resumed on the same noise path. `reads`: the state components
    /// `observe` reads, if only some (the others then hold the values at
    /// the end of the solver's step, which saves interpolating them at
    /// every output); `None`: all.
    pub fn run_observed_with_checkpoints<O, C>(
        params: &[f64],
        run: &RunOptions,
        checkpoints: &[f64],
        reads: Option<&'static [usize]>,
        observe: O,
        mut at_checkpoint: C,
    ) -> Result<RunResult, ModelError>
    where
        O: FnMut(&WalkawaySystem, f64, &[f64; N]),
        C: FnMut(Checkpoint),
    {
        run.validate()?;
        if run.method != crate::model::Method::Dopri5 {
            return Err(ModelError::InvalidRunOption {
                field: "method",
                value: run.method.name().to_string(),
                allowed: "dopri5 (checkpoints need a deterministic run)".into(),
            });
        }
        let (mut sys, y) = Self::system(params, run)?;
        sys.checkpoints = checkpoints.to_vec();
        sys.output_components = reads;
        let on_stop = |s: &WalkawaySystem, t: f64, y: &[f64; N], step: f64| {
            if s.checkpoints.contains(&t) {
                let mut system = s.clone();
                system.checkpoints.clear();
                system.output_components = None;
                at_checkpoint(Checkpoint {
                    t,
                    system,
                    y: *y,
                    step,
                });
            }
        };
        Self::integrate(sys, run.t0, y, run, observe, on_stop, 0.0)
    }

    /// Continues `checkpoint` with `params`, which must equal the
    /// checkpoint's run's parameters except in what acts only from
    /// `checkpoint.t` on: the separation's length and what happens after it
    /// (a separation may end exactly at the checkpoint), and mechanisms
    /// whose switch-off cannot change what the caller reads. The parameters
    /// must have passed `INFO.check_params`. Returns the end of the run; the
    /// solver's work counts only the part after the checkpoint.
    pub fn resume(
        checkpoint: &Checkpoint,
        params: &[f64],
        run: &RunOptions,
    ) -> Result<RunResult, ModelError> {
        Self::resume_with(checkpoint, params, run, false)
    }

    /// [`Walkaway::resume`] for the outcome and the first day of each kind
    /// of event only, like [`Walkaway::run_final_prechecked`].
    pub fn resume_for_outcome(
        checkpoint: &Checkpoint,
        params: &[f64],
        run: &RunOptions,
    ) -> Result<RunResult, ModelError> {
        Self::resume_with(checkpoint, params, run, true)
    }

    /// [`Walkaway::resume_for_outcome`], or `None` when the resumed run can
    /// only end as the checkpoint's own run does (the same outcome, first
    /// event days and episodes, in exact arithmetic): when the plan of
    /// `params` ends at the checkpoint (or before) without going back
    /// there, and the checkpoint's own plan ends
    /// with no effect before the horizon (it ends at or after `run.t_end`,
    /// or with you staying apart). From the checkpoint on the two runs then
    /// differ only in the end of a plan, which changes nothing but whether
    /// the plan counts as active, and in what [`Walkaway::resume`] allows
    /// `params` to differ in. (Tested.)
    pub fn resume_for_outcome_if_new(
        checkpoint: &Checkpoint,
        params: &[f64],
        run: &RunOptions,
    ) -> Result<Option<RunResult>, ModelError> {
        let own = &checkpoint.system;
        let (sys, y) = Self::resumed_system(checkpoint, params, true);
        let own_plan_ends_quietly = own.sep_end >= run.t_end || own.p.sep_after as usize == 0;
        if own_plan_ends_quietly
            && sys.sep_end <= checkpoint.t
            && sys.standing.reunions == own.standing.reunions
        {
            return Ok(None);
        }
        Self::integrate_resumed(checkpoint, sys, y, run).map(Some)
    }

    /// The system and state `checkpoint` resumes from with `params`.
    fn resumed_system(
        checkpoint: &Checkpoint,
        params: &[f64],
        outcome_only: bool,
    ) -> (WalkawaySystem, [f64; N]) {
        debug_assert!(INFO.check_params(params).is_ok());
        let mut sys = checkpoint.system.clone();
        sys.outcome_only = outcome_only;
        sys.p = Params::from_slice(params);
        sys.sep_end = sys.p.sep_start + sys.p.sep_length;
        sys.refresh();
        let mut y = checkpoint.y;
        if checkpoint.t == sys.sep_end {
            sys.on_stop(checkpoint.t, &mut y);
        }
        // Bids declined before the checkpoint settle the later ones just as
        // they would have in a run for the outcome from the start.
        sys.bids_settled =
            outcome_only && sys.standing.declined >= 2 && sys.later_bids_are_rejected(&y);
        (sys, y)
    }

    fn resume_with(
        checkpoint: &Checkpoint,
        params: &[f64],
        run: &RunOptions,
        outcome_only: bool,
    ) -> Result<RunResult, ModelError> {
        let (sys, y) = Self::resumed_system(checkpoint, params, outcome_only);
        Self::integrate_resumed(checkpoint, sys, y, run)
    }

    fn integrate_resumed(
        checkpoint: &Checkpoint,
        sys: WalkawaySystem,
        y: [f64; N],
        run: &RunOptions,
    ) -> Result<RunResult, ModelError> {
        let mut quiet = *run;
        quiet.every = None;
        Self::integrate(
            sys,
            checkpoint.t,
            y,
            &quiet,
            |_, _, _| {},
            |_, _, _, _| {},
            checkpoint.step,
        )
    }

    /// Runs with the method in `run`, calling `observe(system, t, y)` at each
    /// output time (none if `run.every` is `None`). Nothing is allocated per
    /// step; only events append to the system's log.
    pub fn run_observed<O>(
        params: &[f64],
        y0: Option<&[f64]>,
        run: &RunOptions,
        observe: O,
    ) -> Result<(WalkawaySystem, [f64; N], crate::ode::SolverStats), ModelError>
    where
        O: FnMut(&WalkawaySystem, f64, &[f64; N]),
    {
        run.validate()?;
        let (sys, default_y0) = Self::system(params, run)?;
        let y = match y0 {
            Some(v) => to_array::<N>(&INFO, v)?,
            None => default_y0,
        };
        Self::integrate(sys, run.t0, y, run, observe, |_, _, _, _| {}, 0.0)
    }

    /// Integrates from `start` (the run's start, or a checkpoint) to the
    /// horizon, reporting outputs to `observe` and scheduled stops to
    /// `at_stop`; `first_step` (0 to choose) resumes a run's step sequence.
    fn integrate<O, S>(
        mut sys: WalkawaySystem,
        start: f64,
        y: [f64; N],
        run: &RunOptions,
        mut observe: O,
        mut at_stop: S,
        first_step: f64,
    ) -> Result<RunResult, ModelError>
    where
        O: FnMut(&WalkawaySystem, f64, &[f64; N]),
        S: FnMut(&WalkawaySystem, f64, &[f64; N], f64),
    {
        if start == run.t0 && sys.p.sep_length > 0.0 && sys.p.sep_start == run.t0 {
            sys.separate(run.t0, &y, Initiator::You, true);
        }
        let mut observer = |s: &WalkawaySystem, r: Record<'_, N>| match r {
            Record::Output { t, y } => observe(s, t, y),
            Record::Stop { t, y, step } => at_stop(s, t, y, step),
            _ => {}
        };
        let end = match run.method {
            crate::model::Method::Dopri5 => crate::ode::integrate_ode_resumed(
                &mut sys,
                start,
                y,
                run.t_end,
                run.outputs(),
                run.ode_options(),
                first_step,
                &mut observer,
            )?,
            method => {
                let scheme = if method == crate::model::Method::Milstein {
                    crate::ode::SdeScheme::Milstein
                } else {
                    crate::ode::SdeScheme::EulerMaruyama
                };
                let mut noise = Stream::new(run.seed, run.trajectory, Purpose::Noise);
                crate::ode::integrate_sde(
                    &mut sys,
                    run.t0,
                    y,
                    run.t_end,
                    run.dt,
                    scheme,
                    run.outputs(),
                    &mut noise,
                    &mut observer,
                )?
            }
        };
        Ok((sys, end.y, end.stats))
    }
}

impl Walkaway {
    /// [`Model::simulate`] without the range check per parameter, for the
    /// mutation check of the claim tests (crates/walkaway-core/tests/claims/),
    /// which runs each mechanism with its strength set to 0 or its sign
    /// flipped — values no user may set. Not for anything a user can reach:
    /// outside the ranges the model's results mean nothing.
    #[doc(hidden)]
    pub fn simulate_outside_ranges(
        params: &[f64],
        y0: &[f64],
        run: &RunOptions,
    ) -> Result<Trajectory, ModelError> {
        let (mut sys, _) = Self::system_outside_ranges(params, run)?;
        let y0 = to_array::<N>(&INFO, y0)?;
        if sys.p.sep_length > 0.0 && sys.p.sep_start == run.t0 {
            sys.separate(run.t0, &y0, Initiator::You, true);
        }
        let mut observations = Stream::new(run.seed, run.trajectory, Purpose::Observations);
        let mut last_contacts = y0[CONTACTS];
        let mut traj = simulate_system(
            &INFO,
            &mut sys,
            y0,
            run,
            &EXTRA_COLUMNS,
            |s, _t, y, row| {
                // Attempts since the previous output: Poisson with the
                // integrated expected count, so the sum is exact over any grid.
                let expected = (y[CONTACTS] - last_contacts).max(0.0);
                last_contacts = y[CONTACTS];
                row.push(observations.poisson(expected) as f64);
                row.push(s.contact_rate(y));
                row.push(if s.standing.together { 1.0 } else { 0.0 });
                row.push(s.commitment());
                row.push(if s.standing.with_new_partner {
                    1.0
                } else {
                    0.0
                });
            },
            |_, _: Record<'_, N>| None,
        )?;
        // The system's own log is the complete list (the separation on day 0 included).
        traj.events = sys.events();
        let y_end: [f64; N] = to_array::<N>(&INFO, &traj.final_state)?;
        traj.outcome = Some(sys.outcome(run.t_end, &y_end).label().to_string());
        Ok(traj)
    }
}

impl Model for Walkaway {
    fn info(&self) -> &'static ModelInfo {
        &INFO
    }

    fn initial_state(&self, params: &[f64]) -> Vec<f64> {
        WalkawaySystem::new(Params::from_slice(params), 0, 0)
            .initial_state()
            .to_vec()
    }

    fn simulate(
        &self,
        params: &[f64],
        y0: &[f64],
        run: &RunOptions,
    ) -> Result<Trajectory, ModelError> {
        INFO.check_params(params)?;
        Self::simulate_outside_ranges(params, y0, run)
    }

    fn vector_field(&self, params: &[f64], t: f64, y: &[f64], out: &mut [f64]) {
        let sys = WalkawaySystem::new(Params::from_slice(params), 0, 0);
        let mut yy = [0.0; N];
        yy.copy_from_slice(&y[..N]);
        let mut dy = [0.0; N];
        sys.field(t, &yy, &mut dy);
        out[..N].copy_from_slice(&dy);
    }
}
