//! Rhett and Scarlett (Rinaldi, Della Rossa & Landi 2013, "A mathematical
//! model of Gone with the Wind", Physica A 392, 3231), in the normalised form
//! of the transcription we use:
//!
//!   dR/dt = −R + A_S + k·S·e^(−S)
//!   dS/dt = −S + A_R + k·R·e^(−R)
//!
//! Both react to the other's love with the hump k·x·e^(−x): a little love is
//! welcome, a lot is too much. With k = 15 and equal appeals the couple is
//! bistable, and either partner can end up loving far more than the other;
//! raising one appeal removes one of the two lopsided states in a fold.

use crate::model::{ModelInfo, ParamSpec, StateSpec, TimeKind, plain_ode_model};
use crate::ode::HybridSystem;

pub static INFO: ModelInfo = ModelInfo {
    id: "gone-with-the-wind",
    title: "Gone with the Wind (Rinaldi, Della Rossa & Landi 2013)",
    description: "Rhett and Scarlett: two partners put off by too much love, with two lopsided ways to settle",
    citation: "Rinaldi, S., Della Rossa, F. & Landi, P. (2013). A mathematical model of \"Gone with the Wind\". Physica A 392, 3231–3239. The normalised equations and k = 15 are a transcription from a public repository's docstring and code, not read in the paper; the equilibria (1.15, 6.46), (6.46, 1.15) and (3.10, 3.10) are our own computation.",
    time_unit: "normalised time (1 = one forgetting time)",
    time: TimeKind::Continuous,
    default_t_end: 30.0,
    default_every: 0.1,
    states: &[
        StateSpec {
            name: "rhett",
            unit: "feeling (normalised)",
            default: 0.0,
            description: "Rhett's love for Scarlett, R",
        },
        StateSpec {
            name: "scarlett",
            unit: "feeling (normalised)",
            default: 0.0,
            description: "Scarlett's love for Rhett, S",
        },
    ],
    params: &[
        ParamSpec::real(
            "appeal_scarlett",
            "A_S",
            "feeling (normalised)",
            1.0,
            -100.0,
            100.0,
            "Scarlett's appeal as seen by Rhett",
        ),
        ParamSpec::real(
            "appeal_rhett",
            "A_R",
            "feeling (normalised)",
            1.0,
            -100.0,
            100.0,
            "Rhett's appeal as seen by Scarlett",
        ),
        ParamSpec::real(
            "k",
            "k",
            "1",
            15.0,
            0.0,
            1000.0,
            "Strength of each partner's reaction to the other's love",
        ),
    ],
};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RhettScarlett {
    pub appeal_scarlett: f64,
    pub appeal_rhett: f64,
    pub k: f64,
}

impl RhettScarlett {
    pub fn from_slice(p: &[f64]) -> Self {
        Self {
            appeal_scarlett: p[0],
            appeal_rhett: p[1],
            k: p[2],
        }
    }
}

impl HybridSystem<2> for RhettScarlett {
    fn state_names(&self) -> &[&'static str] {
        &["rhett", "scarlett"]
    }
    fn rhs(&self, _t: f64, y: &[f64; 2], dy: &mut [f64; 2]) {
        let [r, s] = *y;
        dy[0] = -r + self.appeal_scarlett + self.k * s * (-s).exp();
        dy[1] = -s + self.appeal_rhett + self.k * r * (-r).exp();
    }
}

#[derive(Debug, Clone, Copy)]
pub struct GoneWithTheWind;

plain_ode_model!(GoneWithTheWind, 2, RhettScarlett::from_slice);
