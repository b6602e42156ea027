//! Events and scheduled stops: bids, meetings, the plan of the separation.

use super::params::*;
use super::state::*;
use super::system::{LogEntry, LogKind, WalkawaySystem};
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
        2
    }

    fn event_value(&self, index: usize, _t: f64, y: &[f64; N]) -> f64 {
        match index {
            // A bid: wanting rises through its threshold while apart.
            0 if !self.standing.together && !self.bids_settled => y[WANTING] - self.bid_level(),
            0 => -1.0,
            // Meeting someone: the hazard reaches its Exp(1) draw.
            _ if self.standing.with_new_partner => -1.0,
            _ => y[HAZARD] - self.standing.meeting_threshold,
        }
    }

    fn event_direction(&self, _index: usize) -> Direction {
        Direction::Rising
    }

    fn event_threshold(&self, index: usize) -> Option<(usize, f64)> {
        match index {
            0 if !self.standing.together && !self.bids_settled => Some((WANTING, self.bid_level())),
            1 if !self.standing.with_new_partner => Some((HAZARD, self.standing.meeting_threshold)),
            _ => None,
        }
    }

    fn event_components(&self) -> Option<&[usize]> {
        Some(&[WANTING, HAZARD])
    }

    fn on_event(&mut self, index: usize, t: f64, y: &mut [f64; N]) -> Control {
        if index == 0 {
            self.standing.bids += 1;
            let accepted = y[YOUR_LOVE] >= self.p.accept_threshold;
            self.log.push(LogEntry {
                t,
                kind: LogKind::Bid { accepted },
            });
            if accepted {
                self.reunite(t, LogKind::ReunionAfterBid);
            } else {
                y[WANTING] *= 1.0 - self.p.bid_rejection;
                self.standing.wanting_at_separation =
                    self.standing.wanting_at_separation.min(y[WANTING]).max(0.0);
                self.bids_settled = self.outcome_only && self.later_bids_are_rejected(y);
            }
        } else {
            self.standing.with_new_partner = true;
            self.refresh();
            self.standing.met_someone = true;
            y[HAZARD] = 0.0;
            self.standing.meeting_threshold = self.events_rng.exp1();
            self.log.push(LogEntry {
                t,
                kind: LogKind::NewPartner,
            });
        }
        Control::Continue
    }

    fn next_stop(&self, t: f64) -> Option<f64> {
        let schedule = [self.p.sep_start, self.sep_end]
            .into_iter()
            .filter(|s| *s > t && self.p.sep_length > 0.0);
        schedule
            .chain(self.checkpoints.iter().copied().filter(|s| *s > t))
            .reduce(f64::min)
    }

    fn on_stop(&mut self, t: f64, y: &mut [f64; N]) -> Control {
        if t == self.p.sep_start && self.standing.together && !self.standing.reunited {
            self.separate(t, y);
        } else if t == self.sep_end && !self.standing.together {
            let back = match self.p.sep_after as usize {
                1 => true,
                2 => y[YOUR_LOVE] >= self.p.accept_threshold && !self.standing.with_new_partner,
                _ => false,
            };
            if back {
                self.reunite(t, LogKind::ReunionPlanned);
            } else {
                self.log.push(LogEntry {
                    t,
                    kind: LogKind::SeparationEnd,
                });
            }
        }
        Control::Continue
    }
}
