//! The discrete influence-function model of a conversation (Cook et al.
//! 1995; Gottman, Swanson & Swanson 2002; Gottman et al. 2002, *The
//! Mathematics of Marriage*). Partners take turns; each turn's score (coded
//! affect, positive or negative) depends on the partner's last score through
//! an influence function, on the speaker's own last score (emotional
//! inertia r) and on a constant:
//!
//!   W_{t+1} = I₂₁(H_t) + r₁W_t + a
//!   H_{t+1} = I₁₂(W_{t+1}) + r₂H_t + b
//!
//! The papers call the first speaker the wife (W) and the second the husband
//! (H); here they are speaker 1 and speaker 2. Speaker 1 speaks first, so
//! speaker 2 reacts to the new score.
//!
//! The influence function is bilinear: one slope for positive partner scores
//! and another for negative ones. The published fits were not available to
//! us, so every default here is illustrative, chosen only so that both
//! steady states exist and attract.
//!
//! Without influence each speaker settles at the uninfluenced steady state
//! a/(1 − r); with influence the couple settles where the two null clines
//! cross ([`influenced_steady_states`]).

use crate::error::{ModelError, SolverError};
use crate::model::{
    Model, ModelInfo, ParamSpec, RunOptions, StateSpec, TimeKind, Trajectory, to_array,
};
use crate::ode::SolverStats;

pub static INFO: ModelInfo = ModelInfo {
    id: "gottman",
    title: "Gottman's influence-function model of a conversation",
    description: "Two speakers taking turns, each pulled by their own inertia, a set point and the other's last score",
    citation: "Cook, J., Tyson, R., White, J., Rushe, R., Gottman, J. & Murray, J. (1995). Mathematics of marital conflict. J. Family Psychology 9(2), 110–130 (abstract read); Gottman, J., Swanson, C. & Swanson, K. (2002). A general systems theory of marriage: nonlinear difference equation modeling of marital interaction (venue from memory: Personality and Social Psychology Review 6(4), 326–340); Gottman, J. M., Murray, J. D., Swanson, C. C., Tyson, R. & Swanson, K. R. (2002). The Mathematics of Marriage. MIT Press (overview read). The difference equations are transcribed from a public repository's header and agree with the abstracts; the bilinear influence function is recalled, not read; all defaults are illustrative, not fitted values.",
    time_unit: "speaking turns",
    time: TimeKind::Discrete,
    default_t_end: 50.0,
    default_every: 1.0,
    states: &[
        StateSpec {
            name: "speaker1",
            unit: "affect score per turn (+ positive, − negative)",
            default: 0.0,
            description: "Score of the first speaker's turn (W, the wife, in the papers)",
        },
        StateSpec {
            name: "speaker2",
            unit: "affect score per turn (+ positive, − negative)",
            default: 0.0,
            description: "Score of the second speaker's turn (H, the husband, in the papers)",
        },
    ],
    params: &[
        ParamSpec::real(
            "r1",
            "r₁",
            "1",
            0.6,
            0.0,
            0.99,
            "Speaker 1's emotional inertia: how much of the last own score carries over",
        ),
        ParamSpec::real(
            "r2",
            "r₂",
            "1",
            0.4,
            0.0,
            0.99,
            "Speaker 2's emotional inertia: how much of the last own score carries over",
        ),
        ParamSpec::real(
            "a",
            "a",
            "score",
            0.4,
            -100.0,
            100.0,
            "Speaker 1's constant; the uninfluenced steady state is a/(1 − r₁)",
        ),
        ParamSpec::real(
            "b",
            "b",
            "score",
            -0.3,
            -100.0,
            100.0,
            "Speaker 2's constant; the uninfluenced steady state is b/(1 − r₂)",
        ),
        ParamSpec::real(
            "slope_on_1_pos",
            "I₂₁⁺",
            "1",
            0.2,
            -10.0,
            10.0,
            "How much a positive score of speaker 2 moves speaker 1 (illustrative)",
        ),
        ParamSpec::real(
            "slope_on_1_neg",
            "I₂₁⁻",
            "1",
            0.4,
            -10.0,
            10.0,
            "How much a negative score of speaker 2 moves speaker 1 (illustrative)",
        ),
        ParamSpec::real(
            "slope_on_2_pos",
            "I₁₂⁺",
            "1",
            0.2,
            -10.0,
            10.0,
            "How much a positive score of speaker 1 moves speaker 2 (illustrative)",
        ),
        ParamSpec::real(
            "slope_on_2_neg",
            "I₁₂⁻",
            "1",
            0.4,
            -10.0,
            10.0,
            "How much a negative score of speaker 1 moves speaker 2 (illustrative)",
        ),
    ],
};

/// A bilinear influence: `pos·x` for a positive partner score, `neg·x` otherwise.
pub fn influence(pos: f64, neg: f64, x: f64) -> f64 {
    if x > 0.0 { pos * x } else { neg * x }
}

/// The parameters by name, in the order of [`INFO`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Conversation {
    pub r1: f64,
    pub r2: f64,
    pub a: f64,
    pub b: f64,
    pub slope_on_1_pos: f64,
    pub slope_on_1_neg: f64,
    pub slope_on_2_pos: f64,
    pub slope_on_2_neg: f64,
}

impl Conversation {
    pub fn from_slice(p: &[f64]) -> Self {
        Self {
            r1: p[0],
            r2: p[1],
            a: p[2],
            b: p[3],
            slope_on_1_pos: p[4],
            slope_on_1_neg: p[5],
            slope_on_2_pos: p[6],
            slope_on_2_neg: p[7],
        }
    }

    /// Influence of speaker 2's score on speaker 1, I₂₁.
    pub fn on_1(&self, score2: f64) -> f64 {
        influence(self.slope_on_1_pos, self.slope_on_1_neg, score2)
    }

    /// Influence of speaker 1's score on speaker 2, I₁₂.
    pub fn on_2(&self, score1: f64) -> f64 {
        influence(self.slope_on_2_pos, self.slope_on_2_neg, score1)
    }

    /// One exchange: speaker 1 answers, then speaker 2 answers the new score.
    pub fn step(&self, y: [f64; 2]) -> [f64; 2] {
        let w = self.on_1(y[1]) + self.r1 * y[0] + self.a;
        let h = self.on_2(w) + self.r2 * y[1] + self.b;
        [w, h]
    }

    /// Speaker 2's null cline: the score speaker 2 settles at when speaker 1
    /// holds `score1` fixed.
    pub fn null_cline_2(&self, score1: f64) -> f64 {
        (self.on_2(score1) + self.b) / (1.0 - self.r2)
    }

    /// Speaker 1's null cline: the score speaker 1 settles at when speaker 2
    /// holds `score2` fixed.
    pub fn null_cline_1(&self, score2: f64) -> f64 {
        (self.on_1(score2) + self.a) / (1.0 - self.r1)
    }
}

/// The uninfluenced steady states (a/(1 − r₁), b/(1 − r₂)): where each
/// speaker settles with the influence switched off.
pub fn uninfluenced_steady_states(params: &[f64]) -> [f64; 2] {
    let c = Conversation::from_slice(params);
    [c.a / (1.0 - c.r1), c.b / (1.0 - c.r2)]
}

/// The influenced steady states: every crossing of the two null clines.
///
/// Substituting speaker 2's null cline into speaker 1's leaves one equation
/// g(W) = W − N₁(N₂(W)) = 0 in speaker 1's score. With bilinear influence g
/// is continuous and piecewise linear, with kinks only where W = 0 or
/// N₂(W) = 0, so each linear piece is solved exactly and a root is kept when
/// it lies on its own piece. A piece on which g vanishes identically (a
/// whole segment of steady states) is not reported.
pub fn influenced_steady_states(params: &[f64]) -> Vec<[f64; 2]> {
    let c = Conversation::from_slice(params);
    let g = |w: f64| w - c.null_cline_1(c.null_cline_2(w));
    let mut kinks = vec![0.0];
    for slope in [c.slope_on_2_pos, c.slope_on_2_neg] {
        if slope != 0.0 {
            let w = -c.b / slope;
            if w.is_finite() && c.null_cline_2(w).abs() <= 1e-12 * (1.0 + c.b.abs()) {
                kinks.push(w);
            }
        }
    }
    kinks.sort_by(f64::total_cmp);
    kinks.dedup();
    // Pieces: (−∞, k₀], [k₀, k₁], …, [k_last, ∞).
    let mut pieces: Vec<(f64, f64)> = Vec::new();
    pieces.push((f64::NEG_INFINITY, kinks[0]));
    for pair in kinks.windows(2) {
        pieces.push((pair[0], pair[1]));
    }
    pieces.push((kinks[kinks.len() - 1], f64::INFINITY));
    let mut roots: Vec<[f64; 2]> = Vec::new();
    for (lo, hi) in pieces {
        let (p, q) = match (lo.is_finite(), hi.is_finite()) {
            (true, true) if hi > lo => (lo, hi),
            (true, true) => continue,
            (false, true) => (hi - 1.0, hi),
            (true, false) => (lo, lo + 1.0),
            (false, false) => (-1.0, 1.0),
        };
        let (gp, gq) = (g(p), g(q));
        let slope = (gq - gp) / (q - p);
        if slope == 0.0 {
            continue;
        }
        let w = p - gp / slope;
        let slack = 1e-12 * (1.0 + w.abs());
        if w.is_finite() && w >= lo - slack && w <= hi + slack {
            let state = [w, c.null_cline_2(w)];
            let seen = roots
                .iter()
                .any(|r| (r[0] - w).abs() <= 1e-9 * (1.0 + w.abs()));
            if !seen {
                roots.push(state);
            }
        }
    }
    roots
}

#[derive(Debug, Clone, Copy)]
pub struct Gottman;

/// The most turns one run may take.
const MAX_TURNS: f64 = 10_000_000.0;

impl Model for Gottman {
    fn info(&self) -> &'static ModelInfo {
        &INFO
    }

    /// Iterates the map for `t_end − t0` turns (rounded to a whole number),
    /// writing a row every `every` turns (rounded, at least 1) and at the end.
    fn simulate(
        &self,
        params: &[f64],
        y0: &[f64],
        run: &RunOptions,
    ) -> Result<Trajectory, ModelError> {
        INFO.check_params(params)?;
        let mut y = to_array::<2>(&INFO, y0)?;
        run.validate()?;
        let span = (run.t_end - run.t0).round();
        if !(1.0..=MAX_TURNS).contains(&span) {
            return Err(ModelError::InvalidRunOption {
                field: "t_end",
                value: run.t_end.to_string(),
                allowed: format!(
                    "a whole number of turns after t0, from 1 to {MAX_TURNS} (this model runs in turns)"
                ),
            });
        }
        let turns = span as u64;
        let every = run.every.map(|e| (e.round() as u64).max(1));
        let c = Conversation::from_slice(params);
        let mut times = Vec::new();
        let mut rows = Vec::new();
        if every.is_some() {
            times.push(run.t0);
            rows.push(y.to_vec());
        }
        for k in 1..=turns {
            y = c.step(y);
            let t = run.t0 + k as f64;
            for (i, v) in y.iter().enumerate() {
                if !v.is_finite() {
                    return Err(SolverError::NonFinite {
                        t,
                        variable: INFO.states[i].name.to_string(),
                        value: *v,
                        state: y.to_vec(),
                    }
                    .into());
                }
            }
            if every.is_some_and(|e| k.is_multiple_of(e) || k == turns) {
                times.push(t);
                rows.push(y.to_vec());
            }
        }
        Ok(Trajectory {
            model: INFO.id.to_string(),
            columns: INFO.states.iter().map(|s| s.name.to_string()).collect(),
            times,
            rows,
            events: Vec::new(),
            outcome: None,
            final_state: y.to_vec(),
            stats: SolverStats {
                steps: turns,
                rejected: 0,
                rhs_calls: turns,
            },
        })
    }

    /// The map: the state after one more exchange.
    fn vector_field(&self, params: &[f64], _t: f64, y: &[f64], out: &mut [f64]) {
        let next = Conversation::from_slice(params).step([y[0], y[1]]);
        out[..2].copy_from_slice(&next);
    }
}
