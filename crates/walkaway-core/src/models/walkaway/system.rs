//! The system: parameters, the standing (where the two of you stand) and
//! what happened.

use super::field::Coefficients;
use super::params::*;
use super::state::*;
use crate::model::Event;
use crate::rng::{Purpose, Stream};

/// The discrete part of the state: where the two of you stand.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Standing {
    pub together: bool,
    /// Contact level κ: 1 together, `separation.contact` apart.
    pub contact: f64,
    pub separated_at: f64,
    /// Wanting on the day you left (the bid threshold is relative to it).
    pub wanting_at_separation: f64,
    pub with_new_partner: bool,
    pub met_someone: bool,
    pub reunited: bool,
    pub bids: u32,
    /// Exp(1) draw the hazard must reach for the next meeting.
    pub meeting_threshold: f64,
}

/// Something that happened in a run, in a compact form.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogEntry {
    pub t: f64,
    pub kind: LogKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogKind {
    /// You walk away.
    Separation,
    /// Your partner bids to reconcile; whether you accept.
    Bid { accepted: bool },
    /// You get back together after a bid.
    ReunionAfterBid,
    /// The planned separation ends and you go back.
    ReunionPlanned,
    /// Your partner meets someone new.
    NewPartner,
    /// The planned separation ends; you stay apart.
    SeparationEnd,
}

impl LogKind {
    /// The event kind as trajectories name it.
    pub fn name(self) -> &'static str {
        match self {
            LogKind::Separation => "separation",
            LogKind::Bid { .. } => "bid",
            LogKind::ReunionAfterBid | LogKind::ReunionPlanned => "reunion",
            LogKind::NewPartner => "new-partner",
            LogKind::SeparationEnd => "separation-end",
        }
    }
}

/// The walkaway system: parameters, derived constants and the standing.
#[derive(Debug, Clone)]
pub struct WalkawaySystem {
    pub p: Params,
    /// Commitment and forgetting rate, refreshed when a new partner comes or goes.
    pub(super) commitment_now: f64,
    pub(super) forgetting_now: f64,
    /// Everyday input to your partner's love while together (calibrated).
    pub(super) input_love: f64,
    /// Everyday input to your love while together (calibrated).
    pub(super) input_you: f64,
    pub(super) negativity_floor: f64,
    pub(super) sep_end: f64,
    /// Extra stops where a forecast forks the run (see [`Checkpoint`]); the
    /// solver restarts there but nothing in the standing changes.
    pub(super) checkpoints: Vec<f64>,
    /// Set for runs whose caller reads only the outcome and the first day
    /// of each kind of event (forecast variants): once every later bid can
    /// only be rejected ([`WalkawaySystem::bids_settled`]), bids stop being
    /// simulated.
    pub(super) outcome_only: bool,
    /// No further bid is simulated (see `outcome_only`).
    pub(super) bids_settled: bool,
    /// Constant factors of the vector field in the current standing
    /// (recomputed by `refresh` whenever the standing changes).
    pub(super) k: Coefficients,
    pub standing: Standing,
    /// What happened, in order; turned into worded [`Event`]s only when a
    /// trajectory is built ([`WalkawaySystem::events`]), so runs that only
    /// count outcomes format no text.
    pub log: Vec<LogEntry>,
    pub(super) events_rng: Stream,
}

impl WalkawaySystem {
    pub fn new(p: Params, seed: u64, trajectory: u64) -> Self {
        let mut events_rng = Stream::new(seed, trajectory, Purpose::Events);
        let threshold = events_rng.exp1();
        let mut s = Self {
            p,
            commitment_now: 0.5,
            forgetting_now: p.forgetting,
            input_love: 0.0,
            input_you: 0.0,
            negativity_floor: p.negativity * p.learning_floor,
            sep_end: p.sep_start + p.sep_length,
            checkpoints: Vec::new(),
            outcome_only: false,
            bids_settled: false,
            k: Coefficients::default(),
            standing: Standing {
                together: true,
                contact: 1.0,
                separated_at: f64::NAN,
                wanting_at_separation: f64::NAN,
                with_new_partner: false,
                met_someone: false,
                reunited: false,
                bids: 0,
                meeting_threshold: threshold,
            },
            log: Vec::new(),
            events_rng,
        };
        s.refresh();
        let y0 = s.initial_state();
        // Inputs that make day 0 a resting point of the together dynamics.
        let synergy0 = s.synergy(y0[LOVE]);
        s.input_love = s.forgetting_rate() * y0[LOVE] / (1.0 + synergy0) - s.love_reaction(&y0);
        s.input_you = p.your_forgetting * y0[YOUR_LOVE]
            - p.your_responsiveness * y0[LOVE].max(0.0)
            - s.reciprocity_pull(1.0, y0[BALANCE]);
        s
    }

    /// Day-0 state implied by the parameters.
    pub fn initial_state(&self) -> [f64; N] {
        let p = &self.p;
        let mut y = [0.0; N];
        y[LOVE] = p.satisfaction;
        y[WANTING] = p.satisfaction;
        y[NEGATIVITY] = p.negativity;
        y[GOOD_MEMORIES] = 1.0 - p.negativity;
        y[BAD_MEMORIES] = p.negativity;
        y[STRESS] = p.stress;
        y[YOUR_LOVE] = p.your_love;
        y[BALANCE] = -reciprocity_gap(p);
        y
    }

    /// Commitment now (alternatives rise once your partner has met someone).
    pub fn commitment(&self) -> f64 {
        self.commitment_now
    }

    /// Recomputes everything that depends on the standing; called after
    /// every change of it.
    pub(super) fn refresh(&mut self) {
        self.commitment_now = self.compute_commitment();
        self.forgetting_now = self.compute_forgetting_rate();
        self.k = self.coefficients();
    }

    pub(super) fn compute_commitment(&self) -> f64 {
        let p = &self.p;
        if !on(p.m_true_feelings) {
            return 0.5;
        }
        let alt = if self.standing.with_new_partner {
            p.alternatives + p.new_partner_alternatives
        } else {
            p.alternatives
        };
        commitment(p.satisfaction, p.investment, alt)
    }

    /// α_L(C) = α_L (1 + φ_C (1 − 2C)): low commitment forgets fast.
    pub(super) fn forgetting_rate(&self) -> f64 {
        self.forgetting_now
    }

    pub(super) fn compute_forgetting_rate(&self) -> f64 {
        let p = &self.p;
        if on(p.m_true_feelings) {
            p.forgetting * (1.0 + p.commitment_effect * (1.0 - 2.0 * self.commitment()))
        } else {
            p.forgetting
        }
    }

    /// σ(L) = s_b L⁴ / (L⁴ + L_h⁴) with L_h = h·L₀: love amplifies the
    /// appeal it perceives. Tying the half-point to day-0 love keeps every
    /// couple's day-0 point on the upper, stable branch, with the tipping
    /// point below it (see [`synergy_active`] for the near-indifferent).
    pub(super) fn synergy(&self, love: f64) -> f64 {
        let p = &self.p;
        if !synergy_active(p) {
            return 0.0;
        }
        let l4 = love.max(0.0).powi(4);
        let h4 = (p.synergy_half * p.satisfaction).powi(4);
        p.synergy * l4 / (l4 + h4)
    }

    /// Reaction of your partner's love to yours: β_L Y, β_L = 0.004·resp per
    /// day, small enough (with β_Y = 0.001) that the day-0 couple is a stable
    /// resting point: (α_L − I σ'(L₀)) α_Y > β_L (1 + σ(L₀)) β_Y, Rinaldi's
    /// condition with the synergy slope included (checked by a test).
    pub(super) fn love_reaction(&self, y: &[f64; N]) -> f64 {
        0.004 * self.p.responsiveness * y[YOUR_LOVE].max(0.0)
    }

    /// θ_E (w κ + (1 − κ)) min(E, 0): under-benefit lowers your love, fully
    /// when apart, with weight w_tog when together.
    pub(super) fn reciprocity_pull(&self, contact: f64, balance: f64) -> f64 {
        let p = &self.p;
        if !on(p.m_reevaluation) {
            return 0.0;
        }
        p.reciprocity * (p.reciprocity_together * contact + (1.0 - contact)) * balance.min(0.0)
    }

    /// Expressed negativity: stress amplifies behaviour, B (1 + χS)/(1 + χS₀).
    #[cfg(test)]
    pub(super) fn expressed_negativity(&self, y: &[f64; N]) -> f64 {
        let p = &self.p;
        (y[NEGATIVITY] * (1.0 + p.stress_negativity * y[STRESS])
            / (1.0 + p.stress_negativity * p.stress))
            .clamp(0.0, 1.0)
    }

    /// Hazard of meeting someone new, h(t) in 1/day:
    /// λ₀ (0.5 + alt)(0.5 + soc)(1 + ω N) (1 − κ + κ ε_tog), zero once met.
    pub fn meeting_rate(&self, y: &[f64; N]) -> f64 {
        let k = &self.k;
        if !k.m_new_partner || k.with_new_partner {
            return 0.0;
        }
        let lonely = if k.m_loneliness {
            y[LONELINESS].max(0.0)
        } else {
            0.0
        };
        k.meeting_base * (1.0 + self.p.new_partner_loneliness * lonely) * k.presence
    }

    /// Expected contact attempts per day while apart: r_c (1 − κ)(W + ζ J).
    pub fn contact_rate(&self, y: &[f64; N]) -> f64 {
        let k = &self.k;
        if k.together {
            return 0.0;
        }
        let jealous = if k.m_jealousy {
            y[JEALOUSY].max(0.0)
        } else {
            0.0
        };
        k.apart_contact_rate * (y[WANTING].max(0.0) + self.p.contact_jealousy * jealous)
    }
    /// Whether, right after a rejected bid, every later bid must be
    /// rejected too and can change no outcome. With no contact (κ = 0) your
    /// love obeys dY/dt = −α_Y Y + θ_E min(E, 0): it only falls while
    /// positive and cannot rise above 0 while negative, so with
    /// θ_acc > 0 it stays below θ_acc. No reunion can follow (a planned
    /// "return" is excluded; "decide" needs Y ≥ θ_acc), so the outcome is
    /// "your partner moved on" or "you moved on", which rejections cannot
    /// change: they move only wanting, and wanting reaches only negativity
    /// (which counts only for a couple back together) and contact attempts.
    /// Meeting someone new depends on loneliness, not on bids. (Tested.)
    pub(super) fn later_bids_are_rejected(&self, y: &[f64; N]) -> bool {
        let p = &self.p;
        !self.standing.together
            && self.standing.contact == 0.0
            && p.accept_threshold > 0.0
            && y[YOUR_LOVE] < p.accept_threshold
            && p.sep_after as usize != 1
    }

    pub(super) fn bid_level(&self) -> f64 {
        let p = &self.p;
        // Past returns make the next bid easier (churning; an assumption).
        let threshold = p.bid_threshold / (1.0 + 0.3 * p.past_returns);
        self.standing.wanting_at_separation.max(0.05) * (1.0 + threshold)
    }

    pub(super) fn separate(&mut self, t: f64, y: &[f64; N]) {
        self.standing.together = false;
        self.standing.contact = self.p.sep_contact;
        self.standing.separated_at = t;
        self.standing.wanting_at_separation = y[WANTING];
        self.refresh();
        self.log.push(LogEntry {
            t,
            kind: LogKind::Separation,
        });
    }

    /// The log as worded events.
    pub fn events(&self) -> Vec<Event> {
        self.log
            .iter()
            .map(|e| Event {
                t: e.t,
                kind: e.kind.name().into(),
                detail: match e.kind {
                    LogKind::Separation => {
                        format!("you walk away (contact level {})", self.p.sep_contact)
                    }
                    LogKind::Bid { accepted } => format!(
                        "your partner asks to get back together ({})",
                        if accepted {
                            "you accept"
                        } else {
                            "you decline"
                        }
                    ),
                    LogKind::ReunionAfterBid => "you get back together after a bid".into(),
                    LogKind::ReunionPlanned => "the planned separation ends and you go back".into(),
                    LogKind::NewPartner => "your partner meets someone new".into(),
                    LogKind::SeparationEnd => "the planned separation ends; you stay apart".into(),
                },
            })
            .collect()
    }

    pub(super) fn reunite(&mut self, t: f64, why: LogKind) {
        self.standing.together = true;
        self.standing.contact = 1.0;
        self.standing.reunited = true;
        self.standing.with_new_partner = false;
        self.refresh();
        self.log.push(LogEntry { t, kind: why });
    }

    /// Outcome at the horizon from the final state.
    pub fn outcome(&self, y: &[f64; N]) -> &'static str {
        OUTCOMES[self.outcome_index(y)]
    }

    /// The outcome as an index into [`OUTCOMES`].
    pub fn outcome_index(&self, y: &[f64; N]) -> usize {
        let s = &self.standing;
        if s.together {
            let changed = y[NEGATIVITY] <= (1.0 - self.p.change_threshold) * self.p.negativity;
            return if changed { 0 } else { 1 };
        }
        if s.with_new_partner {
            return 2;
        }
        if y[YOUR_LOVE] < self.p.accept_threshold {
            return 3;
        }
        4
    }
}
