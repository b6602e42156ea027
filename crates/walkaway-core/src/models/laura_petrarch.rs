//! Laura and Petrarch (Rinaldi 1998, SIAM J. Applied Mathematics): three
//! equations for Laura's love L, the poet's love P and his inspiration Z,
//! time in years from their first meeting in 1327.
//!
//!   dL/dt = −α₁L + β₁[P(1 − (P/γ)²) + A_P]
//!   dP/dt = −α₂P + β₂[L + A_L/(1 + δZ)]
//!   dZ/dt = −α₃Z + β₃P
//!
//! Laura's reaction P(1 − (P/γ)²) is not monotone: it peaks at P = γ/√3 and
//! turns negative above γ, so too much love from the poet puts her off.
//! Inspiration is slow (α₃ small), and the paper shows a globally stable
//! slow–fast limit cycle. Petrarch's appeal A_P is negative (−1): the
//! transcription reads it as Laura finding him unattractive at first.

use crate::model::{ModelInfo, ParamSpec, StateSpec, TimeKind, plain_ode_model};
use crate::ode::HybridSystem;

pub static INFO: ModelInfo = ModelInfo {
    id: "laura-petrarch",
    title: "Laura and Petrarch (Rinaldi 1998)",
    description: "The poet, his muse and his inspiration: a slow–fast love cycle of about four years",
    citation: "Rinaldi, S. (1998). Laura and Petrarch: an intriguing case of cyclical love dynamics. SIAM J. Applied Mathematics 58(4), 1205–1221, DOI 10.1137/S003613999630592X (abstract read). Equations and parameter values are a transcription from public code that matches our recollection of the paper; the period 3.79 years is our own computation.",
    time_unit: "years (t = 0 is the first meeting, 1327)",
    time: TimeKind::Continuous,
    default_t_end: 21.0,
    default_every: 0.05,
    states: &[
        StateSpec {
            name: "laura",
            unit: "feeling (+ love, − antagonism)",
            default: 0.0,
            description: "Laura's love for Petrarch, L",
        },
        StateSpec {
            name: "petrarch",
            unit: "feeling (+ love, − antagonism)",
            default: 0.0,
            description: "Petrarch's love for Laura, P",
        },
        StateSpec {
            name: "inspiration",
            unit: "inspiration (arbitrary units)",
            default: 0.0,
            description: "Petrarch's poetic inspiration, Z",
        },
    ],
    params: &[
        ParamSpec::real(
            "alpha1",
            "α₁",
            "1/year",
            3.6,
            0.0,
            100.0,
            "How fast Laura forgets",
        ),
        ParamSpec::real(
            "alpha2",
            "α₂",
            "1/year",
            1.2,
            0.0,
            100.0,
            "How fast Petrarch forgets",
        ),
        ParamSpec::real(
            "alpha3",
            "α₃",
            "1/year",
            0.12,
            0.0,
            100.0,
            "How fast Petrarch's inspiration fades",
        ),
        ParamSpec::real(
            "beta1",
            "β₁",
            "1/year",
            1.2,
            -100.0,
            100.0,
            "Strength of Laura's reaction to Petrarch's love and appeal",
        ),
        ParamSpec::real(
            "beta2",
            "β₂",
            "1/year",
            6.0,
            -100.0,
            100.0,
            "Strength of Petrarch's reaction to Laura's love and appeal",
        ),
        ParamSpec::real(
            "beta3",
            "β₃",
            "inspiration/(feeling·year)",
            12.0,
            -100.0,
            100.0,
            "How much Petrarch's love feeds his inspiration",
        ),
        ParamSpec::real(
            "gamma",
            "γ",
            "feeling",
            1.0,
            1e-6,
            100.0,
            "Petrarch's love above which Laura is repelled",
        ),
        ParamSpec::real(
            "delta",
            "δ",
            "1/inspiration",
            1.0,
            0.0,
            100.0,
            "How much inspiration dims Laura's appeal to Petrarch",
        ),
        ParamSpec::real(
            "a_l",
            "A_L",
            "appeal",
            2.0,
            -100.0,
            100.0,
            "Laura's appeal as seen by Petrarch",
        ),
        ParamSpec::real(
            "a_p",
            "A_P",
            "appeal",
            -1.0,
            -100.0,
            100.0,
            "Petrarch's appeal as seen by Laura",
        ),
    ],
};

/// The parameters by name, in the order of [`INFO`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Couple {
    pub alpha1: f64,
    pub alpha2: f64,
    pub alpha3: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub beta3: f64,
    pub gamma: f64,
    pub delta: f64,
    pub a_l: f64,
    pub a_p: f64,
}

impl Couple {
    pub fn from_slice(p: &[f64]) -> Self {
        Self {
            alpha1: p[0],
            alpha2: p[1],
            alpha3: p[2],
            beta1: p[3],
            beta2: p[4],
            beta3: p[5],
            gamma: p[6],
            delta: p[7],
            a_l: p[8],
            a_p: p[9],
        }
    }
}

impl HybridSystem<3> for Couple {
    fn state_names(&self) -> &[&'static str] {
        &["laura", "petrarch", "inspiration"]
    }
    fn rhs(&self, _t: f64, y: &[f64; 3], dy: &mut [f64; 3]) {
        let [l, p, z] = *y;
        let ratio = p / self.gamma;
        dy[0] = -self.alpha1 * l + self.beta1 * (p * (1.0 - ratio * ratio) + self.a_p);
        dy[1] = -self.alpha2 * p + self.beta2 * (l + self.a_l / (1.0 + self.delta * z));
        dy[2] = -self.alpha3 * z + self.beta3 * p;
    }
}

#[derive(Debug, Clone, Copy)]
pub struct LauraPetrarch;

plain_ode_model!(LauraPetrarch, 3, Couple::from_slice);
