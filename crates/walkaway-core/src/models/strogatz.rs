//! Strogatz's linear love affair (Strogatz 1988; *Nonlinear Dynamics and
//! Chaos*, §5.3), in the general form dR/dt = aR + bJ, dJ/dt = cR + dJ.
//! The defaults are the fickle lover of the 1988 note: Romeo's love falls
//! when Juliet loves him (b < 0), Juliet echoes Romeo (c > 0), a = d = 0.

use crate::model::{
    FieldSystem, GenericField, ModelInfo, ParamSpec, StateSpec, TimeKind, plain_ode_model,
};
use crate::real::Real;

pub static INFO: ModelInfo = ModelInfo {
    id: "strogatz",
    title: "Strogatz's linear love affair",
    description: "Two lovers whose feelings change in proportion to their own and the other's (the fickle lover by default)",
    citation: "Strogatz, S. H. (1988). Love affairs and differential equations. Mathematics Magazine 61(1), 35; Nonlinear Dynamics and Chaos (1994), §5.3",
    time_unit: "time units (the model is dimensionless)",
    time: TimeKind::Continuous,
    default_t_end: 20.0,
    default_every: 0.25,
    states: &[
        StateSpec {
            name: "romeo",
            unit: "feeling (+ love, − hate)",
            default: 1.0,
            description: "Romeo's love for Juliet, R",
        },
        StateSpec {
            name: "juliet",
            unit: "feeling (+ love, − hate)",
            default: 0.0,
            description: "Juliet's love for Romeo, J",
        },
    ],
    params: &[
        ParamSpec::real(
            "a",
            "a",
            "1/time",
            0.0,
            -100.0,
            100.0,
            "How Romeo's own feeling feeds itself (+) or fades (−)",
        ),
        ParamSpec::real(
            "b",
            "b",
            "1/time",
            -1.0,
            -100.0,
            100.0,
            "How Romeo reacts to Juliet's feeling",
        ),
        ParamSpec::real(
            "c",
            "c",
            "1/time",
            1.0,
            -100.0,
            100.0,
            "How Juliet reacts to Romeo's feeling",
        ),
        ParamSpec::real(
            "d",
            "d",
            "1/time",
            0.0,
            -100.0,
            100.0,
            "How Juliet's own feeling feeds itself (+) or fades (−)",
        ),
    ],
};

/// The romantic style of one lover from the signs of (own, other) coefficients.
pub fn romantic_style(own: f64, other: f64) -> &'static str {
    match (own > 0.0, other > 0.0) {
        (true, true) => "eager beaver",
        (true, false) => "narcissistic nerd",
        (false, true) => "cautious (secure) lover",
        (false, false) => "hermit",
    }
}

/// The linear system's type from its trace τ and determinant Δ.
pub fn classify(a: f64, b: f64, c: f64, d: f64) -> &'static str {
    let tau = a + d;
    let delta = a * d - b * c;
    let disc = tau * tau - 4.0 * delta;
    if delta < 0.0 {
        "saddle"
    } else if delta == 0.0 {
        "non-isolated fixed points"
    } else if tau == 0.0 {
        "centre"
    } else if disc < 0.0 {
        if tau < 0.0 {
            "stable spiral"
        } else {
            "unstable spiral"
        }
    } else if disc == 0.0 {
        if tau < 0.0 {
            "stable degenerate node"
        } else {
            "unstable degenerate node"
        }
    } else if tau < 0.0 {
        "stable node"
    } else {
        "unstable node"
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Strogatz;

/// The catalog's solvers and the ensemble kernel both run this field.
impl GenericField<2, 4> for Strogatz {
    #[inline(always)]
    fn field<R: Real>(&self, params: &[R; 4], y: &[R; 2], dydt: &mut [R; 2]) {
        let [a, b, c, d] = *params;
        let [r, j] = *y;
        dydt[0] = a * r + b * j;
        dydt[1] = c * r + d * j;
    }
}

plain_ode_model!(Strogatz, 2, |params| FieldSystem::new(&Strogatz, params));
