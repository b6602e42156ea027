//! Populations: which parameters are known and which are uncertain, and how
//! a Monte Carlo ensemble draws the uncertain ones (independent draws, Latin
//! hypercube or scrambled Sobol, each by inversion of the distribution).
//!
//! The default population of the walkaway model gives each uncertain trait a
//! distribution around the model's default; docs/calibration.md says how the
//! spreads were chosen and which numbers are assumptions.

use crate::distribution::Distribution;
use crate::error::ModelError;
use crate::forecast::ParamSampler;
use crate::model::ModelInfo;
use crate::models::walkaway::INFO;
use crate::rng::Stream;
use crate::sampling::{Design, SOBOL_MAX_DIMS, Sobol, unit_coordinate};

/// Parameters drawn per trajectory, on top of fixed values.
#[derive(Clone)]
pub struct Population {
    pub info: &'static ModelInfo,
    pub base: Vec<f64>,
    /// Uncertain parameters, drawn in this order (one dimension each).
    pub spreads: Vec<(usize, Distribution)>,
    design: Design,
    sobol: Option<Sobol>,
}

impl std::fmt::Debug for Population {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Population")
            .field("model", &self.info.id)
            .field("base", &self.base)
            .field("spreads", &self.spreads)
            .field("design", &self.design)
            .finish()
    }
}

/// Equal when the same parameters are fixed at the same values and the same
/// distributions are drawn (in any order) with the same design.
impl PartialEq for Population {
    fn eq(&self, other: &Self) -> bool {
        let sorted = |v: &[(usize, Distribution)]| {
            let mut v = v.to_vec();
            v.sort_by_key(|(i, _)| *i);
            v
        };
        let drawn = |i: usize| self.spreads.iter().any(|(j, _)| *j == i);
        self.info.id == other.info.id
            && self.design == other.design
            && sorted(&self.spreads) == sorted(&other.spreads)
            && self.base.len() == other.base.len()
            && (0..self.base.len()).all(|i| drawn(i) || self.base[i] == other.base[i])
    }
}

impl Population {
    /// Every parameter fixed at its model default.
    pub fn fixed(info: &'static ModelInfo) -> Self {
        Self {
            info,
            base: info.default_params(),
            spreads: Vec::new(),
            design: Design::Independent,
            sobol: None,
        }
    }

    /// The default population of the walkaway model.
    pub fn walkaway_default() -> Self {
        let mut p = Self::fixed(&INFO);
        let beta = Distribution::beta;
        let lognormal = |median, sigma, max| Distribution::LogNormal {
            median,
            sigma,
            min: 0.0,
            max,
        };
        let spreads = [
            ("partner.satisfaction", beta(4.4, 3.6)),
            ("partner.investment", beta(3.0, 3.0)),
            ("partner.alternatives", beta(3.2, 4.8)),
            ("partner.responsiveness", beta(3.0, 3.0)),
            ("partner.attachment_anxiety", beta(2.4, 3.6)),
            ("partner.possessiveness", beta(1.5, 3.5)),
            ("partner.negativity", beta(4.0, 4.0)),
            ("partner.effort", beta(3.2, 4.8)),
            ("partner.social", beta(3.0, 3.0)),
            ("partner.stress", beta(3.0, 3.0)),
            (
                "you.love",
                Distribution::Normal {
                    mean: 0.7,
                    sd: 0.15,
                    min: 0.0,
                    max: 1.5,
                },
            ),
            ("you.effort", beta(4.9, 2.1)),
            ("rates.forgetting", lognormal(0.0099, 0.3, 1.0)),
            ("rates.new_partner", lognormal(0.0015, 0.4, 1.0)),
            ("bid.threshold", lognormal(0.18, 0.4, 10.0)),
        ];
        for (name, d) in spreads {
            p.spread(INFO.param_index(name).expect("walkaway parameter"), d);
        }
        p
    }

    /// Draws a parameter from `distribution` instead of a fixed value.
    pub fn spread(&mut self, index: usize, distribution: Distribution) {
        self.spreads.retain(|(i, _)| *i != index);
        self.base[index] = distribution.central();
        self.spreads.push((index, distribution));
        self.refresh_sobol();
    }

    /// Replaces the distribution of a parameter by a fixed value (what a
    /// person knows for sure).
    pub fn fix(&mut self, index: usize, value: f64) {
        self.spreads.retain(|(i, _)| *i != index);
        self.base[index] = value;
        self.refresh_sobol();
    }

    /// Central values (medians): what a single run uses.
    pub fn central(&self) -> Vec<f64> {
        let mut p = self.base.clone();
        for (i, d) in &self.spreads {
            p[*i] = d.central();
        }
        p
    }

    pub fn design(&self) -> Design {
        self.design
    }

    /// Chooses how the ensemble covers the uncertain parameters.
    pub fn set_design(&mut self, design: Design) -> Result<(), ModelError> {
        if design == Design::Sobol && self.spreads.len() > SOBOL_MAX_DIMS {
            return Err(ModelError::InvalidRunOption {
                field: "design",
                value: format!("sobol with {} uncertain parameters", self.spreads.len()),
                allowed: format!(
                    "at most {SOBOL_MAX_DIMS} uncertain parameters for sobol; use lhs or independent"
                ),
            });
        }
        self.design = design;
        self.refresh_sobol();
        Ok(())
    }

    fn refresh_sobol(&mut self) {
        self.sobol = (self.design == Design::Sobol)
            .then(|| Sobol::new(self.spreads.len().min(SOBOL_MAX_DIMS)).expect("within the table"));
    }

    fn draw(&self, mut unit: impl FnMut(usize) -> f64) -> Vec<f64> {
        let mut p = self.base.clone();
        for (dim, (i, d)) in self.spreads.iter().enumerate() {
            let spec = &self.info.params[*i];
            p[*i] = d.quantile(unit(dim)).clamp(spec.min, spec.max);
        }
        p
    }
}

impl ParamSampler for Population {
    fn sample(&self, stream: &mut Stream) -> Vec<f64> {
        self.draw(|_| stream.uniform())
    }

    fn sample_indexed(&self, k: u64, n: u64, seed: u64, stream: &mut Stream) -> Vec<f64> {
        let (design, sobol) = (self.design, self.sobol.as_ref());
        self.draw(|dim| unit_coordinate(design, sobol, k, n, seed, dim, stream))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Purpose;

    #[test]
    fn draws_stay_inside_the_parameter_ranges() {
        let mut pop = Population::walkaway_default();
        for design in [Design::Independent, Design::LatinHypercube, Design::Sobol] {
            pop.set_design(design).unwrap();
            for k in 0..500 {
                let mut s = Stream::new(3, k, Purpose::Parameters);
                let p = pop.sample_indexed(k, 500, 3, &mut s);
                INFO.check_params(&p).unwrap();
            }
        }
    }

    #[test]
    fn a_latin_hypercube_covers_every_stratum_of_every_parameter() {
        let mut pop = Population::walkaway_default();
        pop.set_design(Design::LatinHypercube).unwrap();
        let n = 200u64;
        for (i, d) in pop.spreads.clone() {
            let mut seen = vec![false; n as usize];
            for k in 0..n {
                let mut s = Stream::new(5, k, Purpose::Parameters);
                let x = pop.sample_indexed(k, n, 5, &mut s)[i];
                let cell = ((d.cdf(x) * n as f64) as usize).min(n as usize - 1);
                assert!(!seen[cell], "parameter {i}: stratum {cell} twice");
                seen[cell] = true;
            }
        }
    }

    #[test]
    fn central_values_are_the_medians() {
        let pop = Population::walkaway_default();
        let c = pop.central();
        for (i, d) in &pop.spreads {
            assert!((d.cdf(c[*i]) - 0.5).abs() < 1e-6);
        }
    }
}
