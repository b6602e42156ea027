//! What the filter infers: your partner's uncertain traits (the scenario's
//! distributions), the model's uncertain rates (the factors of
//! [`PRIORS`]) and the separation's chance draws, each as one coordinate.
//!
//! A coordinate z is the logit of a uniform u; the value is the prior's
//! inverse CDF at u. So the prior of every coordinate is the standard
//! logistic, proposals can move freely on the real line, and a particle
//! maps to a full, valid parameter vector of the walkaway model.

use super::dynamics::Draws;
use crate::distribution::Distribution;
use crate::models::walkaway::{INFO, PRIORS, Prior};
use crate::population::Population;
use crate::rng::Stream;

/// Parameters the separation dynamics read ([`super::dynamics`]); only
/// those of them that are uncertain become coordinates. The others keep
/// their prior and are drawn afresh for a forecast (they cannot learn from
/// the journal, so their posterior is their prior).
pub const JOURNAL_PARAMS: &[&str] = &[
    "partner.satisfaction",
    "partner.investment",
    "partner.alternatives",
    "partner.attachment_anxiety",
    "partner.possessiveness",
    "partner.negativity",
    "partner.social",
    "partner.stress",
    "relationship.past_returns",
    "separation.contact",
    "rates.forgetting",
    "rates.commitment_effect",
    "rates.wanting_relax",
    "rates.longing",
    "rates.pursuit",
    "rates.pursuit_pivot",
    "rates.pursuit_liking_cost",
    "rates.loneliness_growth",
    "rates.loneliness_relief",
    "rates.loneliness_wanting",
    "rates.jealousy_drive",
    "rates.jealousy_decay",
    "rates.jealousy_habituation",
    "rates.stress_relax",
    "rates.stress_relief",
    "rates.stress_negativity",
    "rates.memory_fade_good",
    "rates.memory_fade_bad",
    "rates.memory_form",
    "rates.nostalgia",
    "rates.synergy",
    "rates.synergy_half",
    "rates.new_partner",
    "rates.new_partner_loneliness",
    "rates.new_partner_together",
    "rates.new_partner_alternatives",
    "rates.new_partner_wanting_loss",
    "rates.new_relationship_end",
    "contact.rate",
    "contact.jealousy_weight",
    "bid.threshold",
    "bid.rejection_drop",
    "bid.escalation",
    "bid.give_up",
];

/// The chance draws of a separation, in coordinate order after the rates.
pub const DRAWS: usize = 4;

/// One coordinate of a particle.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Coordinate {
    /// A trait drawn from the scenario's distribution.
    Trait {
        param: usize,
        distribution: Distribution,
    },
    /// A rate's factor under its prior.
    Rate { param: usize, prior: Prior },
}

/// The unknowns of one journal's inference.
#[derive(Debug, Clone)]
pub struct Unknowns {
    base: Vec<f64>,
    coordinates: Vec<Coordinate>,
    /// Uncertain inputs the journal cannot inform, drawn from the prior.
    other_traits: Vec<(usize, Distribution)>,
    other_rates: Vec<(usize, Prior)>,
}

pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

pub fn logit(u: f64) -> f64 {
    (u / (1.0 - u)).ln()
}

/// ln of the standard logistic density.
fn ln_logistic(z: f64) -> f64 {
    // −|z| − 2 ln(1 + e^−|z|), stable for large |z|.
    let a = z.abs();
    -a - 2.0 * (-a).exp().ln_1p()
}

/// Uniforms strictly inside (0, 1), so that quantiles stay finite.
fn unit(z: f64) -> f64 {
    sigmoid(z).clamp(1e-12, 1.0 - 1e-12)
}

impl Unknowns {
    pub fn new(population: &Population) -> Self {
        let index = |name: &str| INFO.param_index(name).expect("walkaway parameter");
        let journal: Vec<usize> = JOURNAL_PARAMS.iter().map(|n| index(n)).collect();
        let mut coordinates = Vec::new();
        let mut other_traits = Vec::new();
        let mut other_rates = Vec::new();
        for &(param, distribution) in &population.spreads {
            if journal.contains(&param) {
                coordinates.push(Coordinate::Trait {
                    param,
                    distribution,
                });
            } else {
                other_traits.push((param, distribution));
            }
        }
        for prior in PRIORS {
            let param = index(prior.name);
            if journal.contains(&param) {
                coordinates.push(Coordinate::Rate {
                    param,
                    prior: *prior,
                });
            } else {
                other_rates.push((param, *prior));
            }
        }
        Self {
            base: population.base.clone(),
            coordinates,
            other_traits,
            other_rates,
        }
    }

    /// Like [`Unknowns::new`] with the model's rates known (at the
    /// population's values): only the population's uncertain traits and
    /// the chance draws are inferred. The benchmark's problem (bench/journal).
    pub fn traits_only(population: &Population) -> Self {
        let mut u = Self::new(population);
        u.coordinates
            .retain(|c| matches!(c, Coordinate::Trait { .. }));
        u.other_rates.clear();
        u
    }

    /// Coordinates per particle (traits, rates, then the chance draws).
    pub fn dim(&self) -> usize {
        self.coordinates.len() + DRAWS
    }

    /// The names of the coordinates, for reports and the benchmark.
    pub fn names(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .coordinates
            .iter()
            .map(|c| match c {
                Coordinate::Trait { param, .. } => INFO.params[*param].name.to_string(),
                Coordinate::Rate { param, .. } => {
                    format!("{} (factor)", INFO.params[*param].name)
                }
            })
            .collect();
        v.extend(["draw.meet_1", "draw.meet_2", "draw.end", "draw.give_up"].map(String::from));
        v
    }

    /// The walkaway parameters of a particle: the scenario's fixed values,
    /// its traits, then its rates times their factors (clamped to each
    /// parameter's range, as a forecast with model uncertainty does).
    /// Inputs the journal cannot inform stay at their central values.
    pub fn params(&self, z: &[f64]) -> Vec<f64> {
        let mut p = self.base.clone();
        for (c, &zi) in self.coordinates.iter().zip(z) {
            if let Coordinate::Trait {
                param,
                distribution,
            } = c
            {
                let spec = &INFO.params[*param];
                p[*param] = distribution.quantile(unit(zi)).clamp(spec.min, spec.max);
            }
        }
        for (c, &zi) in self.coordinates.iter().zip(z) {
            if let Coordinate::Rate { param, prior } = c {
                let spec = &INFO.params[*param];
                p[*param] = (p[*param] * prior.factor(unit(zi))).clamp(spec.min, spec.max);
            }
        }
        p
    }

    /// A full parameter vector for a forecast: the particle's, with every
    /// input the journal cannot inform drawn from its prior.
    pub fn forecast_params(&self, z: &[f64], stream: &mut Stream) -> Vec<f64> {
        let mut p = self.base.clone();
        for (param, d) in &self.other_traits {
            let spec = &INFO.params[*param];
            p[*param] = d.quantile(stream.uniform()).clamp(spec.min, spec.max);
        }
        for (c, &zi) in self.coordinates.iter().zip(z) {
            if let Coordinate::Trait {
                param,
                distribution,
            } = c
            {
                let spec = &INFO.params[*param];
                p[*param] = distribution.quantile(unit(zi)).clamp(spec.min, spec.max);
            }
        }
        for (param, prior) in &self.other_rates {
            let spec = &INFO.params[*param];
            p[*param] = (p[*param] * prior.factor(stream.uniform())).clamp(spec.min, spec.max);
        }
        for (c, &zi) in self.coordinates.iter().zip(z) {
            if let Coordinate::Rate { param, prior } = c {
                let spec = &INFO.params[*param];
                p[*param] = (p[*param] * prior.factor(unit(zi))).clamp(spec.min, spec.max);
            }
        }
        p
    }

    /// The chance draws of a particle.
    pub fn draws(&self, z: &[f64]) -> Draws {
        let n = self.coordinates.len();
        let exp1 = |zi: f64| -(1.0 - unit(zi)).ln();
        Draws {
            meet: [exp1(z[n]), exp1(z[n + 1])],
            end: exp1(z[n + 2]),
            give_up: unit(z[n + 3]),
        }
    }

    /// ln prior density of a particle's coordinates.
    pub fn ln_prior(&self, z: &[f64]) -> f64 {
        z.iter().map(|&zi| ln_logistic(zi)).sum()
    }

    /// A particle drawn from the prior.
    pub fn sample(&self, stream: &mut Stream, z: &mut [f64]) {
        for zi in z.iter_mut() {
            *zi = logit(stream.uniform());
        }
    }
}
