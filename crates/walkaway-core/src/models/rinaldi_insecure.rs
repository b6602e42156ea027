//! An insecure and synergic couple in Rinaldi's framework (Gragnani,
//! Rinaldi & Feichtinger 1997; Rinaldi et al. 2016, chapters on insecure and
//! biased individuals).
//!
//!   dx₁/dt = −α₁x₁ + R₁(x₂) + (1 + b₁ S₁(x₁)) γ₁A₂
//!   dx₂/dt = −α₂x₂ + R₂(x₁) + (1 + b₂ S₂(x₂)) γ₂A₁
//!
//! with the insecure reaction Rᵢ(x) = βᵢkᵢx·exp(−(kᵢx)^nᵢ), which rises, peaks
//! at x = (1/nᵢ)^(1/nᵢ)/kᵢ and then falls (too much love from the partner
//! puts an insecure person off), and the synergic bias
//! Sᵢ(x) = x^(2mᵢ)/(x^(2mᵢ) + σᵢ^(2mᵢ)): the more you love, the more appealing
//! your partner looks. Gragnani et al. state that insecurity together with
//! synergism is the least a couple needs to cycle.
//!
//! The parameter values are a transcription: they come from a public
//! student repository (sandor-battaglini-fischer/complex-system-simulation,
//! `love/base_model.py`) that says it follows the book; we could not check
//! them against the book itself.

use crate::model::{ModelInfo, ParamSpec, StateSpec, TimeKind, plain_ode_model};
use crate::ode::HybridSystem;

pub static INFO: ModelInfo = ModelInfo {
    id: "rinaldi-insecure",
    title: "Insecure and synergic couple (Rinaldi)",
    description: "An insecure partner put off by too much love and a synergic one who idealises: the least needed for love to cycle",
    citation: "Gragnani, A., Rinaldi, S. & Feichtinger, G. (1997). Cyclic dynamics in romantic relationships. Int. J. Bifurcation and Chaos 7(11), 2611–2619 (abstract read; volume and pages from memory); Rinaldi, S., Della Rossa, F., Dercole, F., Gragnani, A. & Landi, P. (2016). Modeling Love Dynamics. World Scientific, DOI 10.1142/9656. Equations and parameter values are a transcription from a public repository that follows the book, not read in the book; the period 18.79 is our own computation.",
    time_unit: "time units (the transcription reads them as weeks)",
    time: TimeKind::Continuous,
    default_t_end: 200.0,
    default_every: 0.5,
    states: &[
        StateSpec {
            name: "x1",
            unit: "feeling (+ love, − antagonism)",
            default: 0.0,
            description: "Partner 1's love for partner 2",
        },
        StateSpec {
            name: "x2",
            unit: "feeling (+ love, − antagonism)",
            default: 0.0,
            description: "Partner 2's love for partner 1",
        },
    ],
    params: &[
        ParamSpec::real(
            "alpha1",
            "α₁",
            "1/time",
            0.36,
            0.0,
            100.0,
            "How fast partner 1 forgets",
        ),
        ParamSpec::real(
            "alpha2",
            "α₂",
            "1/time",
            0.2,
            0.0,
            100.0,
            "How fast partner 2 forgets",
        ),
        ParamSpec::real(
            "beta1",
            "β₁",
            "1/time",
            0.75,
            0.0,
            1000.0,
            "Strength of partner 1's reaction to partner 2's love",
        ),
        ParamSpec::real(
            "beta2",
            "β₂",
            "1/time",
            10.66,
            0.0,
            1000.0,
            "Strength of partner 2's reaction to partner 1's love",
        ),
        ParamSpec::real(
            "gamma1",
            "γ₁",
            "feeling/(appeal·time)",
            1.0,
            0.0,
            100.0,
            "How strongly partner 1 is drawn by partner 2's appeal",
        ),
        ParamSpec::real(
            "gamma2",
            "γ₂",
            "feeling/(appeal·time)",
            1.0,
            0.0,
            100.0,
            "How strongly partner 2 is drawn by partner 1's appeal",
        ),
        ParamSpec::real(
            "bias1",
            "b₁",
            "1",
            2.9,
            -1.0,
            100.0,
            "Partner 1's synergism: how much loving inflates the partner's appeal (> 0 synergic, < 0 platonic)",
        ),
        ParamSpec::real(
            "bias2",
            "b₂",
            "1",
            1.0,
            -1.0,
            100.0,
            "Partner 2's synergism: how much loving inflates the partner's appeal (> 0 synergic, < 0 platonic)",
        ),
        ParamSpec::real(
            "appeal1",
            "A₁",
            "appeal",
            0.1,
            -100.0,
            100.0,
            "Partner 1's appeal as seen by partner 2",
        ),
        ParamSpec::real(
            "appeal2",
            "A₂",
            "appeal",
            0.1,
            -100.0,
            100.0,
            "Partner 2's appeal as seen by partner 1",
        ),
        ParamSpec::real(
            "k1",
            "k₁",
            "1/feeling",
            0.08,
            0.0,
            100.0,
            "Partner 1's insecurity: the larger, the sooner the partner's love becomes too much",
        ),
        ParamSpec::real(
            "k2",
            "k₂",
            "1/feeling",
            1.5,
            0.0,
            100.0,
            "Partner 2's insecurity: the larger, the sooner the partner's love becomes too much",
        ),
        ParamSpec::real(
            "n1",
            "n₁",
            "1",
            1.0,
            1.0,
            20.0,
            "Sharpness of partner 1's reaction peak (non-integer values need non-negative feelings)",
        ),
        ParamSpec::real(
            "n2",
            "n₂",
            "1",
            4.0,
            1.0,
            20.0,
            "Sharpness of partner 2's reaction peak (non-integer values need non-negative feelings)",
        ),
        ParamSpec::real(
            "m1",
            "m₁",
            "1",
            4.0,
            1.0,
            20.0,
            "Sharpness of partner 1's synergic switch (non-integer values need non-negative feelings)",
        ),
        ParamSpec::real(
            "m2",
            "m₂",
            "1",
            4.0,
            1.0,
            20.0,
            "Sharpness of partner 2's synergic switch (non-integer values need non-negative feelings)",
        ),
        ParamSpec::real(
            "sigma1",
            "σ₁",
            "feeling",
            1.0,
            1e-6,
            100.0,
            "Partner 1's love at which synergism is half on",
        ),
        ParamSpec::real(
            "sigma2",
            "σ₂",
            "feeling",
            1.0,
            1e-6,
            100.0,
            "Partner 2's love at which synergism is half on",
        ),
    ],
};

/// x^e with an integer fast path, so integer exponents work for negative
/// feelings too.
fn power(x: f64, e: f64) -> f64 {
    if e.fract() == 0.0 && e.abs() <= i32::MAX as f64 {
        x.powi(e as i32)
    } else {
        x.powf(e)
    }
}

/// The insecure reaction βkx·exp(−(kx)^n) to the partner's love x.
pub fn insecure_reaction(beta: f64, k: f64, n: f64, x: f64) -> f64 {
    let kx = k * x;
    beta * kx * (-power(kx, n)).exp()
}

/// The synergic switch x^(2m)/(x^(2m) + σ^(2m)), from 0 (indifferent) to 1.
pub fn synergy(m: f64, sigma: f64, x: f64) -> f64 {
    let xm = power(x, 2.0 * m);
    xm / (xm + power(sigma, 2.0 * m))
}

/// One partner's parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Partner {
    pub alpha: f64,
    pub beta: f64,
    pub gamma: f64,
    pub bias: f64,
    pub appeal: f64,
    pub k: f64,
    pub n: f64,
    pub m: f64,
    pub sigma: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InsecureCouple {
    pub one: Partner,
    pub two: Partner,
}

impl InsecureCouple {
    /// Reads the parameter slice (order of [`INFO`]).
    pub fn from_slice(p: &[f64]) -> Self {
        let partner = |i: usize| Partner {
            alpha: p[i],
            beta: p[2 + i],
            gamma: p[4 + i],
            bias: p[6 + i],
            appeal: p[8 + i],
            k: p[10 + i],
            n: p[12 + i],
            m: p[14 + i],
            sigma: p[16 + i],
        };
        Self {
            one: partner(0),
            two: partner(1),
        }
    }

    /// dx/dt of the partner `me` whose love is `own`, facing a partner with
    /// love `other` and parameters `them`.
    fn rate(me: &Partner, them: &Partner, own: f64, other: f64) -> f64 {
        -me.alpha * own
            + insecure_reaction(me.beta, me.k, me.n, other)
            + (1.0 + me.bias * synergy(me.m, me.sigma, own)) * me.gamma * them.appeal
    }
}

impl HybridSystem<2> for InsecureCouple {
    fn state_names(&self) -> &[&'static str] {
        &["x1", "x2"]
    }
    fn rhs(&self, _t: f64, y: &[f64; 2], dy: &mut [f64; 2]) {
        dy[0] = Self::rate(&self.one, &self.two, y[0], y[1]);
        dy[1] = Self::rate(&self.two, &self.one, y[1], y[0]);
    }
}

#[derive(Debug, Clone, Copy)]
pub struct RinaldiInsecure;

plain_ode_model!(RinaldiInsecure, 2, InsecureCouple::from_slice);
