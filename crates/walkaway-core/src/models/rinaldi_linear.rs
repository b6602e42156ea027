//! Rinaldi's linear couple (Rinaldi 1998, Applied Mathematics and
//! Computation): each partner forgets (−αᵢxᵢ), reacts in proportion to the
//! other's love (βᵢxⱼ) and to the other's appeal (γᵢAⱼ).
//!
//!   dx₁/dt = −α₁x₁ + β₁x₂ + γ₁A₂
//!   dx₂/dt = −α₂x₂ + β₂x₁ + γ₂A₁
//!
//! The system is linear, so its equilibrium and stability are known in
//! closed form ([`equilibrium`], [`is_stable`]); the catalog tests check the
//! simulation against both.

use crate::model::{
    FieldSystem, GenericField, ModelInfo, ParamSpec, StateSpec, TimeKind, plain_ode_model,
};
use crate::real::Real;

pub static INFO: ModelInfo = ModelInfo {
    id: "rinaldi-linear",
    title: "Rinaldi's linear couple",
    description: "Two partners who forget, answer each other's love and are drawn by each other's appeal, all in proportion",
    citation: "Rinaldi, S. (1998). Love dynamics: the case of linear couples. Applied Mathematics and Computation 95(2–3), 181–192 (title and venue read in reference lists; equations as restated by Saito et al. 2020; issue and pages from memory). The defaults are illustrative, not values from the paper.",
    time_unit: "time units (the paper's time scale is free)",
    time: TimeKind::Continuous,
    default_t_end: 20.0,
    default_every: 0.1,
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
            2.0,
            0.0,
            100.0,
            "How fast partner 1 forgets (oblivion)",
        ),
        ParamSpec::real(
            "alpha2",
            "α₂",
            "1/time",
            1.0,
            0.0,
            100.0,
            "How fast partner 2 forgets (oblivion)",
        ),
        ParamSpec::real(
            "beta1",
            "β₁",
            "1/time",
            1.0,
            -100.0,
            100.0,
            "How partner 1 answers partner 2's love (return)",
        ),
        ParamSpec::real(
            "beta2",
            "β₂",
            "1/time",
            0.5,
            -100.0,
            100.0,
            "How partner 2 answers partner 1's love (return)",
        ),
        ParamSpec::real(
            "gamma1",
            "γ₁",
            "feeling/(appeal·time)",
            1.0,
            0.0,
            100.0,
            "How strongly partner 1 is drawn by partner 2's appeal (instinct)",
        ),
        ParamSpec::real(
            "gamma2",
            "γ₂",
            "feeling/(appeal·time)",
            1.0,
            0.0,
            100.0,
            "How strongly partner 2 is drawn by partner 1's appeal (instinct)",
        ),
        ParamSpec::real(
            "appeal1",
            "A₁",
            "appeal",
            1.0,
            -100.0,
            100.0,
            "Partner 1's appeal as seen by partner 2",
        ),
        ParamSpec::real(
            "appeal2",
            "A₂",
            "appeal",
            1.0,
            -100.0,
            100.0,
            "Partner 2's appeal as seen by partner 1",
        ),
    ],
};

/// The parameters by name, in the order of [`INFO`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinearCouple {
    pub alpha1: f64,
    pub alpha2: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub gamma1: f64,
    pub gamma2: f64,
    pub appeal1: f64,
    pub appeal2: f64,
}

impl LinearCouple {
    /// Reads the parameter slice (order of [`INFO`]).
    pub fn from_slice(p: &[f64]) -> Self {
        Self {
            alpha1: p[0],
            alpha2: p[1],
            beta1: p[2],
            beta2: p[3],
            gamma1: p[4],
            gamma2: p[5],
            appeal1: p[6],
            appeal2: p[7],
        }
    }

    /// α₁α₂ − β₁β₂, the determinant of the system matrix.
    pub fn determinant(&self) -> f64 {
        self.alpha1 * self.alpha2 - self.beta1 * self.beta2
    }
}

/// The unique equilibrium
/// x₁* = (α₂γ₁A₂ + β₁γ₂A₁)/(α₁α₂ − β₁β₂), x₂* = (α₁γ₂A₁ + β₂γ₁A₂)/(α₁α₂ − β₁β₂),
/// or `None` when α₁α₂ = β₁β₂ (no isolated equilibrium).
pub fn equilibrium(params: &[f64]) -> Option<[f64; 2]> {
    let c = LinearCouple::from_slice(params);
    let det = c.determinant();
    if det == 0.0 {
        return None;
    }
    let x1 = (c.alpha2 * c.gamma1 * c.appeal2 + c.beta1 * c.gamma2 * c.appeal1) / det;
    let x2 = (c.alpha1 * c.gamma2 * c.appeal1 + c.beta2 * c.gamma1 * c.appeal2) / det;
    Some([x1, x2])
}

/// Whether the equilibrium attracts every start. The matrix
/// [[−α₁, β₁], [β₂, −α₂]] has trace −(α₁ + α₂) and determinant α₁α₂ − β₁β₂;
/// with forgetting rates that are not both zero the trace is negative, so
/// stability is exactly α₁α₂ > β₁β₂.
pub fn is_stable(params: &[f64]) -> bool {
    let c = LinearCouple::from_slice(params);
    c.alpha1 + c.alpha2 > 0.0 && c.determinant() > 0.0
}

#[derive(Debug, Clone, Copy)]
pub struct RinaldiLinear;

/// The catalog's solvers and the ensemble kernel both run this field.
impl GenericField<2, 8> for RinaldiLinear {
    #[inline(always)]
    fn field<R: Real>(&self, params: &[R; 8], y: &[R; 2], dydt: &mut [R; 2]) {
        let [
            alpha1,
            alpha2,
            beta1,
            beta2,
            gamma1,
            gamma2,
            appeal1,
            appeal2,
        ] = *params;
        let [x1, x2] = *y;
        dydt[0] = -alpha1 * x1 + beta1 * x2 + gamma1 * appeal2;
        dydt[1] = -alpha2 * x2 + beta2 * x1 + gamma2 * appeal1;
    }
}

plain_ode_model!(RinaldiLinear, 2, |params| FieldSystem::new(
    &RinaldiLinear,
    params
));
