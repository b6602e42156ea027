//! Right-hand sides written for lanes: each state variable and each
//! parameter is an array of `W` values, one per trajectory, and the same
//! arithmetic runs on every lane so the compiler can use SIMD registers.
//!
//! These are kernel-side copies of catalog models, kept autonomous and free
//! of events so a batch of trajectories can share one instruction stream.

/// An autonomous system dy/dt = f(y; p) with `N` states and `P` parameters,
/// evaluated for `W` trajectories at once.
pub trait LaneSystem<const N: usize, const P: usize>: Sync {
    /// The catalog id (`laura-petrarch`, `strogatz`, …).
    fn id(&self) -> &'static str;
    fn state_names(&self) -> [&'static str; N];
    fn parameter_names(&self) -> [&'static str; P];
    /// The published parameters that the ensemble jitters.
    fn nominal_parameters(&self) -> [f64; P];
    fn initial_state(&self) -> [f64; N];
    /// dy/dt for `W` lanes. Must do the same operations on every lane, with
    /// no lane-dependent branches, so it vectorises.
    fn rhs<const W: usize>(&self, p: &[[f64; W]; P], y: &[[f64; W]; N], dy: &mut [[f64; W]; N]);
}

/// Rinaldi (1998), "Laura and Petrarch" (SIAM J. Appl. Math. 58(4),
/// 1205–1221); equations and parameters as in the project's literature
/// notes, §A3:
///
/// dL/dt = −α₁L + β₁[P(1 − (P/γ)²) + A_P]
/// dP/dt = −α₂P + β₂[L + A_L/(1 + δZ)]
/// dZ/dt = −α₃Z + β₃P
///
/// Time in years, start (0, 0, 0) at the first meeting.
#[derive(Debug, Clone, Copy, Default)]
pub struct LauraPetrarch;

impl LaneSystem<3, 10> for LauraPetrarch {
    fn id(&self) -> &'static str {
        "laura-petrarch"
    }
    fn state_names(&self) -> [&'static str; 3] {
        ["laura", "petrarch", "inspiration"]
    }
    fn parameter_names(&self) -> [&'static str; 10] {
        [
            "alpha1", "alpha2", "alpha3", "beta1", "beta2", "beta3", "gamma", "delta", "a_l", "a_p",
        ]
    }
    fn nominal_parameters(&self) -> [f64; 10] {
        [3.6, 1.2, 0.12, 1.2, 6.0, 12.0, 1.0, 1.0, 2.0, -1.0]
    }
    fn initial_state(&self) -> [f64; 3] {
        [0.0; 3]
    }
    #[inline(always)]
    fn rhs<const W: usize>(&self, p: &[[f64; W]; 10], y: &[[f64; W]; 3], dy: &mut [[f64; W]; 3]) {
        let [a1, a2, a3, b1, b2, b3, gamma, delta, a_l, a_p] = p;
        let [l, pe, z] = y;
        for w in 0..W {
            let ratio = pe[w] / gamma[w];
            dy[0][w] = -a1[w] * l[w] + b1[w] * (pe[w] * (1.0 - ratio * ratio) + a_p[w]);
            dy[1][w] = -a2[w] * pe[w] + b2[w] * (l[w] + a_l[w] / (1.0 + delta[w] * z[w]));
            dy[2][w] = -a3[w] * z[w] + b3[w] * pe[w];
        }
    }
}

/// Strogatz's linear love affair (Strogatz 1988): dR/dt = aR + bJ,
/// dJ/dt = cR + dJ, from (R, J) = (1, 0) with the fickle-lover defaults
/// (a, b, c, d) = (0, −1, 1, 0) of the catalog's `strogatz` model. Jittering
/// multiplies, so the zero coefficients stay zero.
#[derive(Debug, Clone, Copy, Default)]
pub struct Strogatz;

impl LaneSystem<2, 4> for Strogatz {
    fn id(&self) -> &'static str {
        "strogatz"
    }
    fn state_names(&self) -> [&'static str; 2] {
        ["romeo", "juliet"]
    }
    fn parameter_names(&self) -> [&'static str; 4] {
        ["a", "b", "c", "d"]
    }
    fn nominal_parameters(&self) -> [f64; 4] {
        [0.0, -1.0, 1.0, 0.0]
    }
    fn initial_state(&self) -> [f64; 2] {
        [1.0, 0.0]
    }
    #[inline(always)]
    fn rhs<const W: usize>(&self, p: &[[f64; W]; 4], y: &[[f64; W]; 2], dy: &mut [[f64; W]; 2]) {
        let [a, b, c, d] = p;
        let [r, j] = y;
        for w in 0..W {
            dy[0][w] = a[w] * r[w] + b[w] * j[w];
            dy[1][w] = c[w] * r[w] + d[w] * j[w];
        }
    }
}

/// Rinaldi's linear couple (Rinaldi 1998, Applied Mathematics and
/// Computation), as in the catalog's `rinaldi-linear` model:
/// dx₁/dt = −α₁x₁ + β₁x₂ + γ₁A₂, dx₂/dt = −α₂x₂ + β₂x₁ + γ₂A₁, from (0, 0),
/// with the catalog's illustrative defaults.
#[derive(Debug, Clone, Copy, Default)]
pub struct RinaldiLinear;

impl LaneSystem<2, 8> for RinaldiLinear {
    fn id(&self) -> &'static str {
        "rinaldi-linear"
    }
    fn state_names(&self) -> [&'static str; 2] {
        ["x1", "x2"]
    }
    fn parameter_names(&self) -> [&'static str; 8] {
        [
            "alpha1", "alpha2", "beta1", "beta2", "gamma1", "gamma2", "appeal1", "appeal2",
        ]
    }
    fn nominal_parameters(&self) -> [f64; 8] {
        [2.0, 1.0, 1.0, 0.5, 1.0, 1.0, 1.0, 1.0]
    }
    fn initial_state(&self) -> [f64; 2] {
        [0.0; 2]
    }
    #[inline(always)]
    fn rhs<const W: usize>(&self, p: &[[f64; W]; 8], y: &[[f64; W]; 2], dy: &mut [[f64; W]; 2]) {
        let [a1, a2, b1, b2, g1, g2, app1, app2] = p;
        let [x1, x2] = y;
        for w in 0..W {
            dy[0][w] = -a1[w] * x1[w] + b1[w] * x2[w] + g1[w] * app2[w];
            dy[1][w] = -a2[w] * x2[w] + b2[w] * x1[w] + g2[w] * app1[w];
        }
    }
}

/// One lane of a [`LaneSystem`] with fixed parameters, as an ordinary
/// right-hand side for the scalar [`crate::ode::Dopri5`] (tests, references).
#[derive(Debug, Clone, Copy)]
pub struct SingleLane<'a, S, const P: usize> {
    pub system: &'a S,
    pub parameters: [f64; P],
}

impl<const N: usize, const P: usize, S: LaneSystem<N, P>> crate::ode::OdeRhs<N>
    for SingleLane<'_, S, P>
{
    fn rhs(&self, _t: f64, y: &[f64; N], dydt: &mut [f64; N]) {
        let p = self.parameters.map(|v| [v]);
        let yl = y.map(|v| [v]);
        let mut out = [[0.0]; N];
        self.system.rhs::<1>(&p, &yl, &mut out);
        *dydt = out.map(|[v]| v);
    }
}
