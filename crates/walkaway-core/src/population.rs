//! The default population: what the forecast assumes about a partner you
//! describe only by the defaults. Each uncertain parameter gets a
//! distribution centred on its default; docs/calibration.md says how the
//! spreads were chosen and which are assumptions.

use crate::forecast::ParamSampler;
use crate::model::ModelInfo;
use crate::models::walkaway::INFO;
use crate::rng::Stream;

/// A distribution a parameter is drawn from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Spread {
    /// Beta(a, b) on [0, 1].
    Beta {
        a: f64,
        b: f64,
    },
    /// Beta(a, b) stretched onto [min, max].
    ScaledBeta {
        a: f64,
        b: f64,
        min: f64,
        max: f64,
    },
    /// Log-normal with the given median and log-scale σ.
    LogNormal {
        median: f64,
        sigma: f64,
    },
    /// Log-normal truncated to [min, max] by rejection.
    TruncatedLogNormal {
        median: f64,
        sigma: f64,
        min: f64,
        max: f64,
    },
    /// Normal, truncated to [min, max] by rejection.
    Normal {
        mean: f64,
        sd: f64,
        min: f64,
        max: f64,
    },
    Uniform {
        min: f64,
        max: f64,
    },
}

impl Spread {
    pub fn sample(&self, s: &mut Stream) -> f64 {
        match *self {
            Spread::Beta { a, b } => {
                let x = gamma(a, s);
                let y = gamma(b, s);
                x / (x + y)
            }
            Spread::ScaledBeta { a, b, min, max } => {
                min + (max - min) * Spread::Beta { a, b }.sample(s)
            }
            Spread::LogNormal { median, sigma } => median * (sigma * s.normal()).exp(),
            Spread::TruncatedLogNormal {
                median,
                sigma,
                min,
                max,
            } => loop {
                let v = median * (sigma * s.normal()).exp();
                if v >= min && v <= max {
                    return v;
                }
            },
            Spread::Normal { mean, sd, min, max } => loop {
                let v = mean + sd * s.normal();
                if v >= min && v <= max {
                    return v;
                }
            },
            Spread::Uniform { min, max } => s.uniform_in(min, max),
        }
    }

    /// The value a single run uses: the mean (the median for log-normals),
    /// kept inside any truncation.
    pub fn central(&self) -> f64 {
        match *self {
            Spread::Beta { a, b } => a / (a + b),
            Spread::ScaledBeta { a, b, min, max } => min + (max - min) * a / (a + b),
            Spread::LogNormal { median, .. } => median,
            Spread::TruncatedLogNormal {
                median, min, max, ..
            } => median.clamp(min, max),
            Spread::Normal { mean, min, max, .. } => mean.clamp(min, max),
            Spread::Uniform { min, max } => 0.5 * (min + max),
        }
    }

    /// The smallest and largest values a draw can take.
    pub fn support(&self) -> (f64, f64) {
        match *self {
            Spread::Beta { .. } => (0.0, 1.0),
            Spread::ScaledBeta { min, max, .. }
            | Spread::TruncatedLogNormal { min, max, .. }
            | Spread::Normal { min, max, .. }
            | Spread::Uniform { min, max } => (min, max),
            Spread::LogNormal { .. } => (0.0, f64::INFINITY),
        }
    }
}

/// Gamma(shape, 1) by Marsaglia & Tsang (2000), with the boost for shape < 1.
pub fn gamma(shape: f64, s: &mut Stream) -> f64 {
    if shape < 1.0 {
        let u = s.uniform();
        return gamma(shape + 1.0, s) * u.powf(1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = s.normal();
        let v = 1.0 + c * x;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let u = s.uniform();
        if u.ln() < 0.5 * x * x + d - d * v + d * v.ln() {
            return d * v;
        }
    }
}

/// Parameters drawn per trajectory, on top of fixed values.
#[derive(Clone)]
pub struct Population {
    pub info: &'static ModelInfo,
    pub base: Vec<f64>,
    pub spreads: Vec<(usize, Spread)>,
}

impl Population {
    /// The default population of the walkaway model.
    pub fn walkaway_default() -> Self {
        let idx = |n: &str| INFO.param_index(n).expect("walkaway parameter");
        let beta = |a, b| Spread::Beta { a, b };
        let spreads = vec![
            (idx("partner.satisfaction"), beta(4.4, 3.6)),
            (idx("partner.investment"), beta(3.0, 3.0)),
            (idx("partner.alternatives"), beta(3.2, 4.8)),
            (idx("partner.responsiveness"), beta(3.0, 3.0)),
            (idx("partner.attachment_anxiety"), beta(2.4, 3.6)),
            (idx("partner.possessiveness"), beta(1.5, 3.5)),
            (idx("partner.negativity"), beta(4.0, 4.0)),
            (idx("partner.effort"), beta(3.2, 4.8)),
            (idx("partner.social"), beta(3.0, 3.0)),
            (idx("partner.stress"), beta(3.0, 3.0)),
            (
                idx("you.love"),
                Spread::Normal {
                    mean: 0.7,
                    sd: 0.15,
                    min: 0.0,
                    max: 1.5,
                },
            ),
            (idx("you.effort"), beta(4.9, 2.1)),
            (
                idx("rates.forgetting"),
                Spread::TruncatedLogNormal {
                    median: 0.0099,
                    sigma: 0.3,
                    min: 0.0,
                    max: 1.0,
                },
            ),
            (
                idx("rates.new_partner"),
                Spread::TruncatedLogNormal {
                    median: 0.013,
                    sigma: 0.4,
                    min: 0.0,
                    max: 1.0,
                },
            ),
            (
                idx("bid.threshold"),
                Spread::TruncatedLogNormal {
                    median: 0.18,
                    sigma: 0.4,
                    min: 0.0,
                    max: 10.0,
                },
            ),
        ];
        Self {
            info: &INFO,
            base: INFO.default_params(),
            spreads,
        }
    }

    /// Every parameter fixed at its model default.
    pub fn fixed(info: &'static ModelInfo) -> Self {
        Self {
            info,
            base: info.default_params(),
            spreads: Vec::new(),
        }
    }

    /// Draws a parameter from `spread` instead of a fixed value.
    pub fn spread(&mut self, index: usize, spread: Spread) {
        self.spreads.retain(|(i, _)| *i != index);
        self.base[index] = spread.central();
        self.spreads.push((index, spread));
    }

    /// Central values: what a single run uses.
    pub fn central(&self) -> Vec<f64> {
        let mut p = self.base.clone();
        for (i, s) in &self.spreads {
            p[*i] = s.central();
        }
        p
    }

    /// Replaces the distribution of a parameter by a fixed value (what a
    /// person knows for sure).
    pub fn fix(&mut self, index: usize, value: f64) {
        self.spreads.retain(|(i, _)| *i != index);
        self.base[index] = value;
    }
}

impl std::fmt::Debug for Population {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Population")
            .field("model", &self.info.id)
            .field("base", &self.base)
            .field("spreads", &self.spreads)
            .finish()
    }
}

/// Equal when the same parameters are fixed at the same values and the same
/// distributions are drawn (in any order).
impl PartialEq for Population {
    fn eq(&self, other: &Self) -> bool {
        let sorted = |v: &[(usize, Spread)]| {
            let mut v = v.to_vec();
            v.sort_by_key(|(i, _)| *i);
            v
        };
        let drawn = |i: usize| self.spreads.iter().any(|(j, _)| *j == i);
        self.info.id == other.info.id
            && sorted(&self.spreads) == sorted(&other.spreads)
            && self.base.len() == other.base.len()
            && (0..self.base.len()).all(|i| drawn(i) || self.base[i] == other.base[i])
    }
}

impl ParamSampler for Population {
    fn sample(&self, stream: &mut Stream) -> Vec<f64> {
        let mut p = self.base.clone();
        for (i, spread) in &self.spreads {
            let spec = &self.info.params[*i];
            p[*i] = spread.sample(stream).clamp(spec.min, spec.max);
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Purpose;

    #[test]
    fn beta_and_lognormal_have_the_right_moments() {
        let mut s = Stream::new(2, 0, Purpose::Other);
        let n = 100_000;
        let (a, b) = (4.4, 3.6);
        let xs: Vec<f64> = (0..n)
            .map(|_| Spread::Beta { a, b }.sample(&mut s))
            .collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        let m = a / (a + b);
        let v = a * b / ((a + b).powi(2) * (a + b + 1.0));
        assert!((mean - m).abs() < 0.003, "{mean} vs {m}");
        assert!((var / v - 1.0).abs() < 0.03, "{var} vs {v}");
        let mut ls: Vec<f64> = (0..n)
            .map(|_| {
                Spread::LogNormal {
                    median: 0.01,
                    sigma: 0.4,
                }
                .sample(&mut s)
            })
            .collect();
        ls.sort_by(f64::total_cmp);
        assert!((ls[n / 2] / 0.01 - 1.0).abs() < 0.01);
        let small: f64 = (0..n).map(|_| gamma(0.5, &mut s)).sum::<f64>() / n as f64;
        assert!((small - 0.5).abs() < 0.01, "gamma(0.5) mean {small}");
    }

    #[test]
    fn draws_stay_inside_the_parameter_ranges() {
        let pop = Population::walkaway_default();
        let mut s = Stream::new(3, 0, Purpose::Parameters);
        for _ in 0..2000 {
            let p = pop.sample(&mut s);
            INFO.check_params(&p).unwrap();
        }
    }
}
