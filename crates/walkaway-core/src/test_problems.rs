//! Problems with exact solutions, kept next to the solvers so that every
//! integrator can be checked against them (the diffsol pattern).

use crate::ode::{Control, Direction, HybridSystem};

/// y' = −rate·y; y(t) = y0·e^{−rate·t}.
#[derive(Debug, Clone, Copy)]
pub struct ExponentialDecay {
    pub rate: f64,
}

impl ExponentialDecay {
    pub fn exact(&self, y0: f64, t: f64) -> f64 {
        y0 * (-self.rate * t).exp()
    }
}

impl HybridSystem<1> for ExponentialDecay {
    fn state_names(&self) -> &[&'static str] {
        &["y"]
    }
    fn rhs(&self, _t: f64, y: &[f64; 1], dy: &mut [f64; 1]) {
        dy[0] = -self.rate * y[0];
    }
}

/// x' = v, v' = −ω²x; a centre with period 2π/ω.
#[derive(Debug, Clone, Copy)]
pub struct LinearOscillator {
    pub omega: f64,
}

impl LinearOscillator {
    pub fn exact(&self, y0: [f64; 2], t: f64) -> [f64; 2] {
        let (s, c) = (self.omega * t).sin_cos();
        [
            y0[0] * c + y0[1] / self.omega * s,
            -y0[0] * self.omega * s + y0[1] * c,
        ]
    }
}

impl HybridSystem<2> for LinearOscillator {
    fn state_names(&self) -> &[&'static str] {
        &["x", "v"]
    }
    fn rhs(&self, _t: f64, y: &[f64; 2], dy: &mut [f64; 2]) {
        dy[0] = y[1];
        dy[1] = -self.omega * self.omega * y[0];
    }
}

/// y' = y·cos t; y = exp(sin t) from y(0) = 1. Non-autonomous and nonlinear
/// in t, smooth, with no special structure an RK method could exploit.
#[derive(Debug, Clone, Copy)]
pub struct ExpSin;

impl ExpSin {
    pub fn exact(t: f64) -> f64 {
        t.sin().exp()
    }
}

impl HybridSystem<1> for ExpSin {
    fn state_names(&self) -> &[&'static str] {
        &["y"]
    }
    fn rhs(&self, t: f64, y: &[f64; 1], dy: &mut [f64; 1]) {
        dy[0] = y[0] * t.cos();
    }
}

/// An oscillator x' = v, v' = −ω²x that records when x crosses zero.
#[derive(Debug, Clone)]
pub struct OscillatorWithEvents {
    pub omega: f64,
    pub falling: Vec<f64>,
    pub rising: Vec<f64>,
    pub terminal: bool,
}

impl OscillatorWithEvents {
    pub fn new(omega: f64) -> Self {
        Self {
            omega,
            falling: Vec::new(),
            rising: Vec::new(),
            terminal: false,
        }
    }
}

impl HybridSystem<2> for OscillatorWithEvents {
    fn state_names(&self) -> &[&'static str] {
        &["x", "v"]
    }
    fn rhs(&self, _t: f64, y: &[f64; 2], dy: &mut [f64; 2]) {
        dy[0] = y[1];
        dy[1] = -self.omega * self.omega * y[0];
    }
    fn event_count(&self) -> usize {
        2
    }
    fn event_value(&self, _i: usize, _t: f64, y: &[f64; 2]) -> f64 {
        y[0]
    }
    fn event_direction(&self, i: usize) -> Direction {
        if i == 0 {
            Direction::Falling
        } else {
            Direction::Rising
        }
    }
    fn on_event(&mut self, i: usize, t: f64, _y: &mut [f64; 2]) -> Control {
        if i == 0 {
            self.falling.push(t);
        } else {
            self.rising.push(t);
        }
        if self.terminal {
            Control::Stop
        } else {
            Control::Continue
        }
    }
}

/// y' = rates[k] on the k-th interval between scheduled switch times.
#[derive(Debug, Clone)]
pub struct SwitchedRate {
    pub switches: Vec<f64>,
    pub rates: Vec<f64>,
    pub current: usize,
}

impl SwitchedRate {
    pub fn new(switches: Vec<f64>, rates: Vec<f64>) -> Self {
        assert_eq!(rates.len(), switches.len() + 1);
        Self {
            switches,
            rates,
            current: 0,
        }
    }
}

impl HybridSystem<1> for SwitchedRate {
    fn state_names(&self) -> &[&'static str] {
        &["y"]
    }
    fn rhs(&self, _t: f64, _y: &[f64; 1], dy: &mut [f64; 1]) {
        dy[0] = self.rates[self.current];
    }
    fn next_stop(&self, t: f64) -> Option<f64> {
        self.switches.iter().copied().find(|s| *s > t)
    }
    fn on_stop(&mut self, t: f64, _y: &mut [f64; 1]) -> Control {
        self.current = self.switches.iter().filter(|s| **s <= t).count();
        Control::Continue
    }
}

/// y' = y², which reaches infinity at t = 1/y0.
#[derive(Debug, Clone, Copy)]
pub struct Explosive;

impl HybridSystem<1> for Explosive {
    fn state_names(&self) -> &[&'static str] {
        &["y"]
    }
    fn rhs(&self, _t: f64, y: &[f64; 1], dy: &mut [f64; 1]) {
        dy[0] = y[0] * y[0];
    }
}

/// A right-hand side that returns NaN after `t_bad` (a modelling bug).
#[derive(Debug, Clone, Copy)]
pub struct NanAfter {
    pub t_bad: f64,
}

impl HybridSystem<1> for NanAfter {
    fn state_names(&self) -> &[&'static str] {
        &["y"]
    }
    fn rhs(&self, t: f64, y: &[f64; 1], dy: &mut [f64; 1]) {
        dy[0] = if t > self.t_bad { f64::NAN } else { -y[0] };
    }
}

/// Geometric Brownian motion dX = μX dt + σX dW, with
/// X(T) = X0·exp((μ − σ²/2)T + σW(T)).
#[derive(Debug, Clone, Copy)]
pub struct Gbm {
    pub mu: f64,
    pub sigma: f64,
}

impl Gbm {
    pub fn exact(&self, x0: f64, t: f64, w_t: f64) -> f64 {
        x0 * ((self.mu - 0.5 * self.sigma * self.sigma) * t + self.sigma * w_t).exp()
    }
}

impl HybridSystem<1> for Gbm {
    fn state_names(&self) -> &[&'static str] {
        &["x"]
    }
    fn rhs(&self, _t: f64, y: &[f64; 1], dy: &mut [f64; 1]) {
        dy[0] = self.mu * y[0];
    }
    fn diffusion(&self, _t: f64, y: &[f64; 1], g: &mut [f64; 1]) {
        g[0] = self.sigma * y[0];
    }
    fn diffusion_derivative(&self, _t: f64, _y: &[f64; 1], dg: &mut [f64; 1]) {
        dg[0] = self.sigma;
    }
}
