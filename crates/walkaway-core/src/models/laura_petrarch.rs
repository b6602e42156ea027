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

use crate::model::{
    FieldSystem, GenericField, ModelInfo, ParamSpec, StateSpec, TimeKind, plain_ode_model,
};
use crate::real::Real;

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

#[derive(Debug, Clone, Copy)]
pub struct LauraPetrarch;

/// The catalog's solvers and the ensemble kernel both run this field.
impl GenericField<3, 10> for LauraPetrarch {
    #[inline(always)]
    fn field<R: Real>(&self, params: &[R; 10], y: &[R; 3], dydt: &mut [R; 3]) {
        let [
            alpha1,
            alpha2,
            alpha3,
            beta1,
            beta2,
            beta3,
            gamma,
            delta,
            a_l,
            a_p,
        ] = *params;
        let [l, p, z] = *y;
        let one = R::from(1.0);
        let ratio = p / gamma;
        dydt[0] = -alpha1 * l + beta1 * (p * (one - ratio * ratio) + a_p);
        dydt[1] = -alpha2 * p + beta2 * (l + a_l / (one + delta * z));
        dydt[2] = -alpha3 * z + beta3 * p;
    }
}

plain_ode_model!(LauraPetrarch, 3, |params| FieldSystem::new(
    &LauraPetrarch,
    params
));
