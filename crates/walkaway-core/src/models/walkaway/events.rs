//! Events and scheduled stops: bids, meetings, the plan of the separation.

use super::params::*;
use super::state::*;
use super::system::{Initiator, LogEntry, LogKind, ReunionBy, WalkawaySystem};
use crate::ode::{Control, Direction, HybridSystem};

impl HybridSystem<N> for WalkawaySystem {
    fn state_names(&self) -> &[&'static str] {
        &STATE_NAMES
    }

    fn rhs(&self, t: f64, y: &[f64; N], dy: &mut [f64; N]) {
        self.field(t, y, dy);
    }

    fn diffusion(&self, _t: f64, y: &[f64; N], g: &mut [f64; N]) {
        *g = [0.0; N];
        let scale = self.p.noise * y[STRESS].max(0.0);
        g[LOVE] = scale;
        g[WANTING] = scale;
        g[YOUR_LOVE] = self.p.noise * 0.5;
    }

    fn event_count(&self) -> usize {
        3
    }

    fn event_value(&self, index: usize, _t: f64, y: &[f64; N]) -> f64 {
        match self.event_threshold(index) {
            Some((component, level)) => y[component] - level,
            None => -1.0,
        }
    }

    fn event_direction(&self, _index: usize) -> Direction {
        Direction::Rising
    }

    fn event_threshold(&self, index: usize) -> Option<(usize, f64)> {
        let s = &self.standing;
        match index {
            // A bid: wanting rises through its threshold while apart.
            BID if self.bids_possible() => Some((WANTING, self.bid_level())),
            // Your partner meets someone: the hazard reaches its Exp(1) draw.
            MEETING if !s.with_new_partner => Some((HAZARD, s.meeting_threshold)),
            // You leave: your leaving hazard reaches its Exp(1) draw.
            LEAVING if s.together => Some((YOUR_HAZARD, s.leaving_threshold)),
            _ => None,
        }
    }

    /// An event with no threshold now (a bid when none can come, meeting
    /// someone while with someone new, leaving while apart) is off: its
    /// function is the constant −1 until the standing changes.
    fn event_is_off(&self, index: usize) -> bool {
        self.event_threshold(index).is_none()
    }

    fn event_components(&self) -> Option<&[usize]> {
        Some(&[WANTING, HAZARD, YOUR_HAZARD])
    }

    fn output_components(&self) -> Option<&[usize]> {
        self.output_components
    }

    fn on_event(&mut self, index: usize, t: f64, y: &mut [f64; N]) -> Control {
        match index {
            BID => self.on_bid(t, y),
            MEETING => {
                self.standing.met_someone = true;
                y[HAZARD] = 0.0;
                self.standing.meeting_threshold = self.events_rng.exp1();
                if self.standing.together {
                    // Meeting someone while together: your partner leaves
                    // for them (our simplification).
                    self.separate(t, y, Initiator::Partner, false);
                }
                self.standing.with_new_partner = true;
                self.refresh();
                self.retime(t);
                self.log.push(LogEntry {
                    t,
                    kind: LogKind::NewPartner,
                });
            }
            _ => {
                y[YOUR_HAZARD] = 0.0;
                self.standing.leaving_threshold = self.choices_rng.exp1();
                self.separate(t, y, Initiator::You, false);
            }
        }
        Control::Continue
    }

    fn next_stop(&self, t: f64) -> Option<f64> {
        let plan = [self.p.sep_start, self.sep_end]
            .into_iter()
            .filter(|s| *s > t && self.p.sep_length > 0.0);
        plan.chain(self.checkpoints.iter().copied().filter(|s| *s > t))
            .chain(self.clocks.next_after(t))
            .reduce(f64::min)
    }

    fn on_stop(&mut self, t: f64, y: &mut [f64; N]) -> Control {
        while let Some(kind) = self.clocks.due_at(t) {
            self.on_clock(kind, t, y);
        }
        let s = &self.standing;
        if t == self.p.sep_start && s.together && !s.plan_started {
            self.separate(t, y, Initiator::You, true);
        } else if t == self.sep_end && s.plan_active {
            let back = match self.p.sep_after as usize {
                1 => true,
                2 => {
                    y[YOUR_LOVE] >= self.p.accept_threshold
                        && !s.with_new_partner
                        && !s.you_with_new
                }
                _ => false,
            };
            if back {
                self.reunite(t, y, ReunionBy::YouWentBack);
            } else {
                self.standing.plan_active = false;
                self.log.push(LogEntry {
                    t,
                    kind: LogKind::SeparationEnd,
                });
            }
        }
        Control::Continue
    }
}

/// Indices of the event functions.
const BID: usize = 0;
const MEETING: usize = 1;
const LEAVING: usize = 2;

impl WalkawaySystem {
    /// Your partner asks to get back together at `t`.
    fn on_bid(&mut self, t: f64, y: &mut [f64; N]) {
        let s = &mut self.standing;
        s.bids += 1;
        let accepted = y[YOUR_LOVE] >= self.p.accept_threshold && !s.you_with_new;
        let after_refusal = s.declined > 0;
        self.log.push(LogEntry {
            t,
            kind: LogKind::Bid {
                accepted,
                after_refusal,
            },
        });
        if accepted {
            self.reunite(t, y, ReunionBy::PartnerAsked);
            return;
        }
        y[WANTING] *= 1.0 - self.p.bid_rejection;
        let s = &mut self.standing;
        s.wanting_at_separation = s.wanting_at_separation.min(y[WANTING]).max(0.0);
        s.declined += 1;
        if self.choices_rng.uniform() < self.p.bid_give_up {
            self.standing.gave_up = true;
            self.log.push(LogEntry {
                t,
                kind: LogKind::PartnerGaveUp,
            });
        }
        // Settle only once a request after a refusal has been logged: the
        // first one is an event the forecast reports (unwanted pursuit).
        self.bids_settled =
            self.outcome_only && self.standing.declined >= 2 && self.later_bids_are_rejected(y);
    }
}
