//! What a forecast runs: tolerances, strategies, options, and the plan
//! of the variants every trajectory runs besides your strategy.

use super::*;

/// Relative and absolute tolerance of forecast runs (the default scenario's
/// `[solver]`). A forecast's accuracy is limited by Monte Carlo error (about
/// ±1 point at 10,000 trajectories), not by the solver: at these tolerances
/// fewer than 1 run in 1,000 ends with a different outcome or different
/// events than at rtol 1e-10 (tests/forecast_tolerance.rs), while the runs
/// take about 40 % fewer steps than at rtol 1e-6 (docs/performance.md).
pub const FORECAST_RTOL: f64 = 1e-4;
pub const FORECAST_ATOL: f64 = 1e-7;

/// Run options for forecasts of the walkaway model: its horizon and output
/// step with the forecast tolerances.
pub fn forecast_run_options() -> RunOptions {
    let mut run = RunOptions::for_model(&walkaway::INFO);
    run.rtol = FORECAST_RTOL;
    run.atol = FORECAST_ATOL;
    run
}

/// Parameter draws for trajectory k: a function of its own stream only.
pub trait ParamSampler: Sync {
    fn sample(&self, stream: &mut Stream) -> Vec<f64>;

    /// Draws for trajectory `k` of `n` (designs such as a Latin hypercube
    /// need both); by default an independent draw from `stream`.
    fn sample_indexed(&self, _k: u64, _n: u64, _seed: u64, stream: &mut Stream) -> Vec<f64> {
        self.sample(stream)
    }
}

impl<F> ParamSampler for F
where
    F: Fn(&mut Stream) -> Vec<f64> + Sync,
{
    fn sample(&self, stream: &mut Stream) -> Vec<f64> {
        self(stream)
    }
}

/// A way of walking away (or not), as overrides of the schedule parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Strategy {
    pub name: String,
    pub label: String,
    pub length: f64,
    pub contact: f64,
    /// Index into `separation.after` options.
    pub after: f64,
}

/// Stay; withdraw partly (contact `partial_contact`) for the whole horizon;
/// no contact for 14, 30, 60 and 90 days and then decide.
pub fn standard_strategies(horizon: f64, partial_contact: f64) -> Vec<Strategy> {
    let mut v = vec![
        Strategy {
            name: "stay".into(),
            label: "stay".into(),
            length: 0.0,
            contact: 1.0,
            after: 0.0,
        },
        Strategy {
            name: "partial".into(),
            label: format!("partial withdrawal (contact {partial_contact})"),
            length: horizon,
            contact: partial_contact,
            after: 0.0,
        },
    ];
    for days in [14.0, 30.0, 60.0, 90.0] {
        v.push(Strategy {
            name: format!("no-contact-{days}"),
            label: format!("no contact for {days} days, then decide"),
            length: days,
            contact: 0.0,
            after: 2.0,
        });
    }
    v
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForecastOptions {
    pub trajectories: u64,
    pub seed: u64,
    /// Horizon, tolerances and method; `every` is ignored (series are daily).
    pub run: RunOptions,
    pub strategies: Vec<Strategy>,
    pub attribution: bool,
    pub series: bool,
    /// Plausible models to draw over the rate priors
    /// ([`walkaway::PRIORS`]); 0 for none. Trajectory k lives in model
    /// k mod `model_draws`.
    pub model_draws: u32,
}

/// What every trajectory of a forecast runs besides your strategy, resolved
/// once per forecast: parameter indices of the overrides, and which
/// mechanism switch-offs need no run of their own.
pub(super) struct Plan {
    pub(super) strategies: Vec<[(usize, f64); 3]>,
    /// Indices of separation.start, .length and .contact.
    pub(super) schedule: [usize; 3],
    pub(super) mechanisms: Vec<MechanismRun>,
    /// Flags of the outcome-neutral mechanisms. The variants report only
    /// outcomes and events, which these cannot change, so the variants run
    /// with them off (jealousy's drive costs an `exp` per evaluation).
    pub(super) neutral_flags: Vec<usize>,
    /// Parameter index of each prior, and the factors of each plausible model.
    pub(super) prior_params: Vec<usize>,
    pub(super) models: Vec<Vec<f64>>,
}

#[derive(Debug, Clone, Copy)]
pub(super) enum MechanismRun {
    /// Run with the flag at this index set to 0.
    Simulate(usize),
    /// Cannot change an outcome or event: the run's summary is yours.
    Neutral,
    /// The meeting mechanism: its switch-off changes nothing in a run where
    /// your partner met nobody, so only the others are run.
    IfMet(usize),
    /// Learning and space: their switch-off changes nothing in a
    /// deterministic run with no contact while apart and no reunion
    /// ([`walkaway::BEFORE_REUNION_MECHANISMS`]), so only the others are run.
    IfReunited(usize),
}

impl Plan {
    /// The day at which strategy `si` leaves the path of your strategy, if
    /// it shares its beginning: the same contact while apart, a separation
    /// that ends earlier (at that day) than yours. Up to that day both runs
    /// are the same run, so the strategy resumes from a checkpoint there.
    pub(super) fn fork_day(&self, si: usize, params: &[f64], run: &RunOptions) -> Option<f64> {
        let [start, length, contact] = self.schedule;
        let [(_, s_length), (_, s_contact), _] = self.strategies[si];
        let day = params[start] + s_length;
        (run.method == crate::model::Method::Dopri5
            && s_contact == params[contact]
            && s_length > 0.0
            && s_length < params[length]
            && day > run.t0
            && day < run.t_end)
            .then_some(day)
    }

    pub(super) fn new(opts: &ForecastOptions) -> Self {
        let info = &walkaway::INFO;
        let index = |name: &str| info.param_index(name).expect("walkaway parameter");
        let (length, contact, after) = (
            index("separation.length"),
            index("separation.contact"),
            index("separation.after"),
        );
        let strategies = opts
            .strategies
            .iter()
            .map(|s| [(length, s.length), (contact, s.contact), (after, s.after)])
            .collect();
        let mechanisms = if opts.attribution {
            MECHANISMS
                .iter()
                .map(|m| {
                    let flag = index(&format!("mechanisms.{m}"));
                    if OUTCOME_NEUTRAL_MECHANISMS.contains(m) {
                        MechanismRun::Neutral
                    } else if *m == MEETING_MECHANISM {
                        MechanismRun::IfMet(flag)
                    } else if BEFORE_REUNION_MECHANISMS.contains(m) {
                        MechanismRun::IfReunited(flag)
                    } else {
                        MechanismRun::Simulate(flag)
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        let neutral_flags = OUTCOME_NEUTRAL_MECHANISMS
            .iter()
            .map(|m| index(&format!("mechanisms.{m}")))
            .collect();
        Self {
            strategies,
            schedule: [index("separation.start"), length, contact],
            mechanisms,
            neutral_flags,
            prior_params: walkaway::PRIORS.iter().map(|p| index(p.name)).collect(),
            models: (0..opts.model_draws as u64)
                .map(|m| walkaway::model_factors(opts.seed, m))
                .collect(),
        }
    }
}

impl Plan {
    /// Puts trajectory `k` in its plausible model (rates times the model's
    /// factors, clamped to each parameter's range); returns the model.
    pub(super) fn apply_model(&self, k: u64, params: &mut [f64]) -> Option<usize> {
        if self.models.is_empty() {
            return None;
        }
        let m = (k % self.models.len() as u64) as usize;
        for (&i, f) in self.prior_params.iter().zip(&self.models[m]) {
            let spec = &walkaway::INFO.params[i];
            params[i] = (params[i] * f).clamp(spec.min, spec.max);
        }
        Some(m)
    }
}
