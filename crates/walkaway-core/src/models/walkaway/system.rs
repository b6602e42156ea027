//! The system: parameters, the standing (where the two of you stand) and
//! what happened.

use super::clocks::{ClockKind, Clocks};
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
    /// You have got back together at least once.
    pub reunited: bool,
    pub bids: u32,
    /// Exp(1) draw the hazard must reach for the next meeting.
    pub meeting_threshold: f64,
    /// Who ended the relationship most recently.
    pub last_separation_by: Option<Initiator>,
    /// How you got back together most recently.
    pub last_reunion_by: Option<ReunionBy>,
    pub separations: u32,
    pub reunions: u32,
    pub last_reunion_at: Option<f64>,
    /// Your plan's separation has started.
    pub plan_started: bool,
    /// The current separation is your plan's (its end applies).
    pub plan_active: bool,
    /// Level negativity drifts back to after the latest reunion.
    pub relapse_target: f64,
    /// Negativity on the day of the latest reunion.
    pub negativity_at_reunion: f64,
    /// Declined bids in the current separation.
    pub declined: u32,
    /// Your partner has stopped asking in the current separation.
    pub gave_up: bool,
    /// You are with someone new.
    pub you_with_new: bool,
    /// Exp(1) draw your leaving hazard must reach.
    pub leaving_threshold: f64,
}

/// Who ended it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Initiator {
    You,
    Partner,
}

/// How you got back together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReunionBy {
    /// Your partner asked and you said yes.
    PartnerAsked,
    /// You went back at the end of your planned separation.
    YouWentBack,
}

/// Something that happened in a run, in a compact form.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogEntry {
    pub t: f64,
    pub kind: LogKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogKind {
    /// One of you ends it (you walk away, or your partner does).
    Separation { by: Initiator },
    /// Your partner bids to reconcile; whether you accept, and whether you
    /// had already said no in this separation (unwanted pursuit).
    Bid { accepted: bool, after_refusal: bool },
    /// You get back together.
    Reunion { by: ReunionBy },
    /// Your partner meets someone new.
    NewPartner,
    /// Your partner's new relationship ends.
    NewPartnerEnded,
    /// You start a new relationship.
    YouMetSomeone,
    /// Your new relationship ends.
    YourNewRelationshipEnded,
    /// Your partner stops asking after a refusal.
    PartnerGaveUp,
    /// The planned separation ends; you stay apart.
    SeparationEnd,
}

impl LogKind {
    /// The event kind as trajectories name it.
    pub fn name(self) -> &'static str {
        match self {
            LogKind::Separation { .. } => "separation",
            LogKind::Bid { .. } => "bid",
            LogKind::Reunion { .. } => "reunion",
            LogKind::NewPartner => "new-partner",
            LogKind::NewPartnerEnded => "new-partner-ended",
            LogKind::YouMetSomeone => "you-met-someone",
            LogKind::YourNewRelationshipEnded => "your-new-relationship-ended",
            LogKind::PartnerGaveUp => "partner-gave-up",
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
    /// The components an observer reads at its output times, if only some
    /// (see `HybridSystem::output_components`); `None`: all.
    pub(super) output_components: Option<&'static [usize]>,
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
    /// Draws for your leaving and for your partner giving up.
    pub(super) choices_rng: Stream,
    pub(super) clocks: Clocks,
}

impl WalkawaySystem {
    pub fn new(p: Params, seed: u64, trajectory: u64) -> Self {
        let mut events_rng = Stream::new(seed, trajectory, Purpose::Events);
        let threshold = events_rng.exp1();
        // Purpose code 99: your leaving threshold and your partner giving up.
        let mut choices_rng = Stream::with_purpose_code(seed, trajectory, 99);
        let leaving_threshold = choices_rng.exp1();
        let mut s = Self {
            p,
            commitment_now: 0.5,
            forgetting_now: p.forgetting,
            input_love: 0.0,
            input_you: 0.0,
            negativity_floor: p.negativity * p.learning_floor,
            sep_end: p.sep_start + p.sep_length,
            checkpoints: Vec::new(),
            output_components: None,
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
                last_separation_by: None,
                last_reunion_by: None,
                separations: 0,
                reunions: 0,
                last_reunion_at: None,
                plan_started: false,
                plan_active: false,
                relapse_target: p.negativity,
                negativity_at_reunion: p.negativity,
                declined: 0,
                gave_up: false,
                you_with_new: false,
                leaving_threshold,
            },
            log: Vec::new(),
            events_rng,
            choices_rng,
            clocks: Clocks::new(seed, trajectory, 0.0),
        };
        s.refresh();
        let y0 = s.initial_state();
        // Inputs that make day 0 a resting point of the together dynamics,
        // apart from the wear of being under-benefited: your everyday input
        // balances your oblivion and your reaction to your partner's love,
        // not the pull of an unequal give-and-take, so staying in a
        // one-sided relationship wears your love down (docs/model.md §1).
        let synergy0 = s.synergy(y0[LOVE]);
        s.input_love = s.forgetting_rate() * y0[LOVE] / (1.0 + synergy0) - s.love_reaction(&y0);
        s.input_you = p.your_forgetting * y0[YOUR_LOVE] - p.your_responsiveness * y0[LOVE].max(0.0);
        s.retime(0.0);
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
    #[cfg(test)]
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
            && p.contact_pull == 0.0
            && p.accept_threshold > 0.0
            && y[YOUR_LOVE] < p.accept_threshold
            && p.sep_after as usize != 1
    }

    /// Wanting at which your partner asks to get back together. Past
    /// returns make the first bid easier (churning; an assumption); each
    /// declined bid makes the next one need a larger rise (bid.escalation).
    pub(super) fn bid_level(&self) -> f64 {
        let p = &self.p;
        let threshold = p.bid_threshold / (1.0 + 0.3 * p.past_returns)
            * (1.0 + p.bid_escalation).powi(self.standing.declined as i32);
        self.standing.wanting_at_separation.max(0.05) * (1.0 + threshold)
    }

    /// Whether your partner can still ask in this separation.
    pub(super) fn bids_possible(&self) -> bool {
        !self.standing.together && !self.bids_settled && !self.standing.gave_up
    }

    /// One of you ends it at `t`. Your plan's separation has the plan's
    /// contact level; any later one (or one your partner starts) has none.
    pub(super) fn separate(&mut self, t: f64, y: &[f64; N], by: Initiator, planned: bool) {
        let s = &mut self.standing;
        s.together = false;
        s.contact = if planned { self.p.sep_contact } else { 0.0 };
        s.separated_at = t;
        s.wanting_at_separation = y[WANTING];
        s.plan_active = planned;
        s.plan_started |= planned;
        s.last_separation_by = Some(by);
        s.separations += 1;
        s.declined = 0;
        s.gave_up = false;
        self.refresh();
        self.retime(t);
        self.log.push(LogEntry {
            t,
            kind: LogKind::Separation { by },
        });
    }

    /// Sets the rates of the clocks for the standing from `t` on.
    pub(super) fn retime(&mut self, t: f64) {
        let p = &self.p;
        let s = &self.standing;
        let partner_leaves = if s.together {
            p.partner_leave * (1.0 - commitment(p.satisfaction, p.investment, p.alternatives))
        } else {
            0.0
        };
        let ends = |on: bool| if on { p.new_relationship_end } else { 0.0 };
        let you_meet = if !s.together && !s.you_with_new {
            p.you_meet
        } else {
            0.0
        };
        self.clocks.set_rates(
            t,
            [
                partner_leaves,
                ends(s.with_new_partner),
                you_meet,
                ends(s.you_with_new),
            ],
        );
    }

    /// The clock event `kind` happens at `t`.
    pub(super) fn on_clock(&mut self, kind: ClockKind, t: f64, y: &[f64; N]) {
        self.clocks.restart(kind, t);
        match kind {
            ClockKind::PartnerLeaves => self.separate(t, y, Initiator::Partner, false),
            ClockKind::PartnersNewRelationshipEnds => {
                self.standing.with_new_partner = false;
                self.refresh();
                self.retime(t);
                self.log.push(LogEntry {
                    t,
                    kind: LogKind::NewPartnerEnded,
                });
            }
            ClockKind::YouMeetSomeone => {
                self.standing.you_with_new = true;
                self.retime(t);
                self.log.push(LogEntry {
                    t,
                    kind: LogKind::YouMetSomeone,
                });
            }
            ClockKind::YourNewRelationshipEnds => {
                self.standing.you_with_new = false;
                self.retime(t);
                self.log.push(LogEntry {
                    t,
                    kind: LogKind::YourNewRelationshipEnded,
                });
            }
        }
    }

    /// Your hazard of leaving while together (1/day): full when your love
    /// has fallen through your threshold or the bad behaviour has come back
    /// after a reunion ("else you walk away again"), plus a steady share for
    /// being under-benefited (Sprecher 2001: under-benefit goes with break-up).
    pub fn leaving_rate(&self, y: &[f64; N]) -> f64 {
        let p = &self.p;
        let s = &self.standing;
        if !s.together {
            return 0.0;
        }
        let love_gone = if p.accept_threshold > 0.0 {
            ((p.accept_threshold - y[YOUR_LOVE]) / p.accept_threshold).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let relapse_span = p.change_threshold * p.negativity;
        let relapsed = if s.reunited && relapse_span > 0.0 {
            ((y[NEGATIVITY] - s.negativity_at_reunion) / relapse_span).clamp(0.0, 1.0)
        } else {
            0.0
        };
        p.you_leave * (love_gone + relapsed).min(1.0)
            + p.you_leave_underbenefit * (-y[BALANCE]).max(0.0)
    }

    /// The log as worded events.
    pub fn events(&self) -> Vec<Event> {
        self.log
            .iter()
            .map(|e| Event {
                t: e.t,
                kind: e.kind.name().into(),
                detail: match e.kind {
                    LogKind::Separation { by: Initiator::You } => "you walk away".into(),
                    LogKind::Separation {
                        by: Initiator::Partner,
                    } => "your partner ends it".into(),
                    LogKind::Bid {
                        accepted,
                        after_refusal,
                    } => format!(
                        "your partner asks to get back together{} ({})",
                        if after_refusal {
                            " again after you said no"
                        } else {
                            ""
                        },
                        if accepted {
                            "you accept"
                        } else {
                            "you decline"
                        }
                    ),
                    LogKind::Reunion {
                        by: ReunionBy::PartnerAsked,
                    } => "you get back together: your partner asked".into(),
                    LogKind::Reunion {
                        by: ReunionBy::YouWentBack,
                    } => "you go back at the end of your planned separation".into(),
                    LogKind::NewPartner => "your partner meets someone new".into(),
                    LogKind::NewPartnerEnded => "your partner's new relationship ends".into(),
                    LogKind::YouMetSomeone => "you meet someone new".into(),
                    LogKind::YourNewRelationshipEnded => "your new relationship ends".into(),
                    LogKind::PartnerGaveUp => "your partner stops asking".into(),
                    LogKind::SeparationEnd => "the planned separation ends; you stay apart".into(),
                },
            })
            .collect()
    }

    /// You get back together at `t`. A new relationship of either of you
    /// ends with it (our simplification). Negativity then drifts back
    /// towards its old level, keeping the share `rates.relapse_keep` of
    /// what was learned apart.
    pub(super) fn reunite(&mut self, t: f64, y: &[f64; N], by: ReunionBy) {
        let p = &self.p;
        let s = &mut self.standing;
        s.together = true;
        s.contact = 1.0;
        s.reunited = true;
        s.with_new_partner = false;
        s.you_with_new = false;
        s.plan_active = false;
        s.reunions += 1;
        s.last_reunion_at = Some(t);
        s.last_reunion_by = Some(by);
        s.negativity_at_reunion = y[NEGATIVITY];
        s.relapse_target = p.negativity - p.relapse_keep * (p.negativity - y[NEGATIVITY]).max(0.0);
        self.refresh();
        self.retime(t);
        self.log.push(LogEntry {
            t,
            kind: LogKind::Reunion { by },
        });
    }

    /// Where things stand at the horizon `t` (docs/model.md §4).
    pub fn outcome(&self, t: f64, y: &[f64; N]) -> Outcome {
        let p = &self.p;
        let s = &self.standing;
        if s.together {
            if s.separations == 0 {
                return Outcome::StillTogether;
            }
            // Together after a reunion, negativity can only drift up towards
            // its relapse target, so below the line now means below it ever
            // since the reunion: the change has held for t − reunion days.
            let changed = y[NEGATIVITY] <= (1.0 - p.change_threshold) * p.negativity
                && s.last_reunion_at.is_some_and(|r| t - r >= p.change_window);
            return if changed {
                Outcome::BackTogetherChanged
            } else {
                Outcome::BackTogetherUnchanged
            };
        }
        if s.with_new_partner {
            return Outcome::PartnerMovedOn;
        }
        if s.you_with_new || y[YOUR_LOVE] < p.accept_threshold {
            return Outcome::YouMovedOn;
        }
        Outcome::ApartUnresolved
    }
}
