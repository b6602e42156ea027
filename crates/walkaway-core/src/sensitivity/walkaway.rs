//! Sobol indices of the walkaway model's outcomes: which uncertain inputs
//! (your partner's and your traits, the model's assumed rates) move the
//! probability of each outcome at the horizon.
//!
//! Each point of the design is one deterministic run of the model under the
//! scenario's own plan; its output is the indicator of each outcome (1 for
//! the outcome the run ends in, 0 for the others). An outcome's probability
//! is the mean of its indicator, and its variance p(1 − p) is what the
//! indices share out: S_i is the share that factor i explains alone, ST_i
//! the share it is involved in at all. A run also has chance events
//! (meeting someone, a bid's timing), analysed as the factor "chance"; what
//! no factor explains alone is interactions.

use super::{Factor, OutputModel};
use crate::distribution::Distribution;
use crate::error::ModelError;
use crate::model::RunOptions;
use crate::models::walkaway::{INFO, OUTCOMES, PRIORS, Walkaway};
use crate::population::Population;

/// Priors of the model's assumed rates, as (parameter index, distribution):
/// the model's own priors ([`crate::models::walkaway::PRIORS`], each with
/// its basis), as a uniform distribution over the factor range times the
/// default, clipped to the parameter's range. (A forecast with model
/// uncertainty draws the same factors log-uniformly; for indices of
/// variance the uniform form is the simpler reference.)
pub fn rate_priors() -> Vec<(usize, Distribution)> {
    PRIORS
        .iter()
        .filter_map(|prior| {
            let i = INFO.param_index(prior.name).ok()?;
            let spec = &INFO.params[i];
            let (min, max) = (
                (prior.low * spec.default).max(spec.min),
                (prior.high * spec.default).min(spec.max),
            );
            (max > min).then_some((i, Distribution::Uniform { min, max }))
        })
        .collect()
}

/// The factors of a sensitivity analysis of `population`: every parameter
/// it draws (with the scenario's distribution), then every rate with a
/// prior that the scenario does not already draw. Each with its parameter
/// index.
pub fn walkaway_factors(
    population: &Population,
    priors: &[(usize, Distribution)],
) -> Vec<(usize, Factor)> {
    let drawn = population.spreads.iter().map(|(i, d)| (*i, *d));
    let priors = priors
        .iter()
        .filter(|(i, _)| population.spreads.iter().all(|(j, _)| j != i))
        .copied();
    drawn
        .chain(priors)
        .map(|(i, distribution)| {
            let name = population.info.params[i].name.to_string();
            (i, Factor { name, distribution })
        })
        .collect()
}

/// Outcome indicators of the walkaway model at the horizon.
#[derive(Debug, Clone)]
pub struct WalkawayOutcomes {
    /// Values of everything that is not a factor (the scenario's).
    base: Vec<f64>,
    /// Parameter index of each factor.
    params: Vec<usize>,
    run: RunOptions,
}

impl WalkawayOutcomes {
    /// `run` gives the horizon, tolerances and the seed of chance events;
    /// `params[i]` is the parameter that factor i sets.
    pub fn new(population: &Population, params: Vec<usize>, run: RunOptions) -> Self {
        Self {
            base: population.base.clone(),
            params,
            run,
        }
    }

    /// Names of the outputs, in order.
    pub fn output_names() -> &'static [&'static str] {
        &OUTCOMES
    }
}

impl OutputModel for WalkawayOutcomes {
    fn outputs(&self) -> usize {
        OUTCOMES.len()
    }

    fn has_chance(&self) -> bool {
        true
    }

    fn evaluate(&self, values: &[f64], chance: u64, out: &mut [f64]) -> Result<(), ModelError> {
        let mut p = self.base.clone();
        for (&i, &v) in self.params.iter().zip(values) {
            let spec = &INFO.params[i];
            p[i] = v.clamp(spec.min, spec.max);
        }
        let outcome = run_outcome(&p, &self.run, chance)?;
        out.fill(0.0);
        out[outcome] = 1.0;
        Ok(())
    }
}

/// The one place a sensitivity analysis runs the model: the outcome (an
/// index into [`OUTCOMES`]) of one deterministic run with chance draw
/// `chance`.
fn run_outcome(params: &[f64], run: &RunOptions, chance: u64) -> Result<usize, ModelError> {
    INFO.check_params(params)?;
    let mut run = *run;
    run.trajectory = chance;
    let (system, y, _) = Walkaway::run_final_prechecked(params, &run)?;
    Ok(system.outcome(run.t_end, &y).index())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::forecast_run_options;
    use crate::sensitivity::{SobolOptions, sobol_indices};

    #[test]
    fn rate_priors_are_the_models_own_priors() {
        let priors = rate_priors();
        assert!(priors.len() > 30, "{}", priors.len());
        for (i, d) in &priors {
            let spec = &INFO.params[*i];
            assert!(PRIORS.iter().any(|p| p.name == spec.name));
            let (lo, hi) = d.support();
            assert!(lo >= spec.min && hi <= spec.max, "{}", spec.name);
            assert!(lo <= spec.default && spec.default <= hi, "{}", spec.name);
            d.validate().unwrap();
        }
        let forgetting = INFO.param_index("rates.forgetting").unwrap();
        let (_, d) = priors.iter().find(|(i, _)| *i == forgetting).unwrap();
        assert_eq!(d.support(), (0.5 * 0.0099, 2.0 * 0.0099));
    }

    #[test]
    fn the_scenario_distribution_wins_over_a_prior() {
        let pop = Population::walkaway_default();
        let factors = walkaway_factors(&pop, &rate_priors());
        let mut seen: Vec<usize> = factors.iter().map(|(i, _)| *i).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), factors.len(), "a parameter twice");
        let forgetting = INFO.param_index("rates.forgetting").unwrap();
        let (_, f) = factors.iter().find(|(i, _)| *i == forgetting).unwrap();
        assert_eq!(f.distribution.kind(), "lognormal");
        assert!(
            factors
                .iter()
                .any(|(_, f)| f.name == "partner.satisfaction")
        );
        assert!(factors.len() <= crate::sensitivity::MAX_FACTORS);
    }

    #[test]
    fn outcome_indicators_sum_to_one_and_their_means_are_probabilities() {
        let pop = Population::walkaway_default();
        let factors = walkaway_factors(&pop, &rate_priors());
        let (params, factors): (Vec<usize>, Vec<Factor>) = factors.into_iter().unzip();
        let mut run = forecast_run_options();
        run.seed = 3;
        let model = WalkawayOutcomes::new(&pop, params, run);
        let r = sobol_indices(&factors, &model, &SobolOptions::new(16, 3)).unwrap();
        assert_eq!(r.rows + r.failed_rows, 16);
        assert!((r.mean.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        for (p, v) in r.mean.iter().zip(&r.variance) {
            assert!((0.0..=1.0).contains(p));
            assert!(*v <= 0.26);
        }
        assert!(r.chance.is_some());
    }
}
