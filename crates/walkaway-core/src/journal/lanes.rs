//! Several particles' separations stepped side by side, one day at a time:
//! the field of [`super::dynamics`] computed on [`Lane`]s of particles (so
//! one instruction moves several of them), and each particle's events
//! (meeting someone, parting, bids) checked one by one after each sub-step.
//!
//! Every lane gets exactly the bits [`PartnerModel::step_day`] gives its
//! particle alone: the field is the same generic code
//! ([`super::dynamics::substep`]), terms that are off for a particle are
//! selected away rather than skipped, and a day on which any lane could end
//! the separation (you accept a bid) runs each lane on its own. A test
//! compares lanes and single particles bit for bit
//! (`lanes_give_each_particle_its_own_bits`).

use super::dynamics::{
    Coefficients, DayOutcome, Draws, Levels, PartnerModel, PartnerState, SUBSTEPS, Status,
    Switches, contact_rate, substep,
};
use crate::real::{Lane, Real};

/// What the separation's field computes with: `f64` for one particle,
/// [`Lane`] for several. Beyond [`Real`], the field needs `max`, a clamp
/// and the fourth power, each the `f64` operation on every lane, and a
/// select where the single-particle code would branch.
pub trait Number: Real {
    /// A yes or no for each lane.
    type Mask: Copy;
    /// `f64::max` on each lane.
    fn max(self, other: Self) -> Self;
    /// `f64::clamp(0.0, 1.0)` on each lane.
    fn clamp01(self) -> Self;
    /// `f64::powi(4)` on each lane.
    fn powi4(self) -> Self;
    /// `yes` on the lanes where `mask` holds, `no` elsewhere.
    fn select(mask: Self::Mask, yes: Self, no: Self) -> Self;
    /// `a && !b` on each lane.
    fn and_not(a: Self::Mask, b: Self::Mask) -> Self::Mask;
}

impl Number for f64 {
    type Mask = bool;
    #[inline(always)]
    fn max(self, other: f64) -> f64 {
        f64::max(self, other)
    }
    #[inline(always)]
    fn clamp01(self) -> f64 {
        self.clamp(0.0, 1.0)
    }
    #[inline(always)]
    fn powi4(self) -> f64 {
        self.powi(4)
    }
    #[inline(always)]
    fn select(mask: bool, yes: f64, no: f64) -> f64 {
        if mask { yes } else { no }
    }
    #[inline(always)]
    fn and_not(a: bool, b: bool) -> bool {
        a && !b
    }
}

// Plain loops, not `std::array::from_fn` or `map`: those are not always
// inlined, and code it keeps out of line is not compiled for the
// instruction set of `run_lane_work`'s wrappers (a change elsewhere once
// left one copy out of line and cost 1.6x).
impl<const W: usize> Number for Lane<W> {
    type Mask = [bool; W];
    #[inline(always)]
    fn max(mut self, other: Self) -> Self {
        for w in 0..W {
            self.0[w] = self.0[w].max(other.0[w]);
        }
        self
    }
    #[inline(always)]
    fn clamp01(mut self) -> Self {
        for v in &mut self.0 {
            *v = v.clamp(0.0, 1.0);
        }
        self
    }
    #[inline(always)]
    fn powi4(mut self) -> Self {
        for v in &mut self.0 {
            *v = v.powi(4);
        }
        self
    }
    #[inline(always)]
    fn select(mask: [bool; W], mut yes: Self, no: Self) -> Self {
        for w in 0..W {
            if !mask[w] {
                yes.0[w] = no.0[w];
            }
        }
        yes
    }
    #[inline(always)]
    fn and_not(mut a: [bool; W], b: [bool; W]) -> [bool; W] {
        for w in 0..W {
            a[w] = a[w] && !b[w];
        }
        a
    }
}

/// `W` particles, each with its model, draws and state; a lane that holds
/// no particle ([`DayLanes::clear`]) keeps computing on what it held, and
/// its results are not used.
#[derive(Debug, Clone)]
pub struct DayLanes<const W: usize> {
    models: [PartnerModel; W],
    draws: [Draws; W],
    occupied: [bool; W],
    k: Coefficients<Lane<W>>,
    switches: Switches<[bool; W]>,
    levels: Levels<Lane<W>>,
    status: [Status; W],
    /// Each lane's status, as the field and the event checks read it:
    /// with someone new; the hazard level of the next meeting; the
    /// relationship-end rate, start and level; the wanting at which a bid
    /// comes. A level is +∞ where its event cannot happen, so one
    /// comparison on all lanes finds the lanes with an event due.
    with_new_partner: [bool; W],
    meet_level: Lane<W>,
    end_rate: Lane<W>,
    met_at: Lane<W>,
    end_level: Lane<W>,
    bid_level: Lane<W>,
}

impl<const W: usize> DayLanes<W> {
    /// Lanes that all hold a copy of `model`'s particle, none occupied.
    pub fn new(model: &PartnerModel, draws: &Draws, state: &PartnerState) -> Self {
        let mut lanes = Self {
            models: [*model; W],
            draws: [*draws; W],
            occupied: [false; W],
            k: Coefficients::splat(&model.k),
            switches: Switches::splat(&model.switches),
            levels: Levels::splat(&state.levels),
            status: [state.status; W],
            with_new_partner: [false; W],
            meet_level: Lane::from(0.0),
            end_rate: Lane::from(0.0),
            met_at: Lane::from(0.0),
            end_level: Lane::from(0.0),
            bid_level: Lane::from(0.0),
        };
        for w in 0..W {
            lanes.refresh(w);
        }
        lanes
    }

    /// Brings lane `w`'s copies of its status up to date.
    #[inline(always)]
    fn refresh(&mut self, w: usize) {
        let s = &self.status[w];
        let draws = &self.draws[w];
        let meeting = usize::from(s.meetings);
        self.with_new_partner[w] = s.with_new_partner;
        self.meet_level[w] = if !s.with_new_partner && meeting < draws.meet.len() {
            draws.meet[meeting]
        } else {
            f64::INFINITY
        };
        self.end_rate[w] = self.models[w].p.new_relationship_end;
        self.met_at[w] = s.met_at;
        self.end_level[w] = if s.with_new_partner && s.meetings == 1 {
            draws.end
        } else {
            f64::INFINITY
        };
        self.bid_level[w] = if s.gave_up {
            f64::INFINITY
        } else {
            s.bid_level
        };
    }

    /// Lane `w` takes this particle.
    pub fn load(&mut self, w: usize, model: &PartnerModel, draws: &Draws, state: &PartnerState) {
        self.models[w] = *model;
        self.draws[w] = *draws;
        self.occupied[w] = true;
        self.k.set_lane(w, &model.k);
        self.switches.set_lane(w, &model.switches);
        self.levels.set_lane(w, &state.levels);
        self.status[w] = state.status;
        self.refresh(w);
    }

    /// Lane `w` no longer holds a particle.
    pub fn clear(&mut self, w: usize) {
        self.occupied[w] = false;
    }

    pub fn is_occupied(&self, w: usize) -> bool {
        self.occupied[w]
    }

    /// Lane `w`'s particle: its model (as started) and draws.
    pub fn particle(&self, w: usize) -> (&PartnerModel, &Draws) {
        (&self.models[w], &self.draws[w])
    }

    /// Lane `w`'s state.
    pub fn state(&self, w: usize) -> PartnerState {
        PartnerState {
            levels: self.levels.lane(w),
            status: self.status[w],
        }
    }

    /// Runs one day on every lane ([`PartnerModel::step_day`] on each
    /// occupied lane, lane `w` with `accept[w]`); the outcomes of lanes
    /// that hold no particle are meaningless.
    #[inline(always)]
    pub fn step_day(&mut self, accept: [bool; W]) -> [DayOutcome; W] {
        let ends_today = (0..W).any(|w| self.occupied[w] && (accept[w] || self.status[w].reunited));
        if ends_today {
            // A bid you accept stops a particle's day part-way, so each
            // lane runs on its own (at most once per journal).
            return std::array::from_fn(|w| {
                if !self.occupied[w] {
                    return DayOutcome::default();
                }
                let mut state = self.state(w);
                let out = self.models[w].step_day(&mut state, &self.draws[w], accept[w]);
                self.levels.set_lane(w, &state.levels);
                self.status[w] = state.status;
                self.refresh(w);
                out
            });
        }
        let h = 1.0 / f64::from(SUBSTEPS);
        let half_h = Lane::from(0.5 * h);
        let mut expected = Lane::from(0.0);
        let mut jealous_expected = Lane::from(0.0);
        let mut bid = [false; W];
        let (mut rate, mut jealous) = contact_rate(&self.k, &self.levels);
        for _ in 0..SUBSTEPS {
            substep(
                &self.k,
                &self.switches,
                self.with_new_partner,
                &mut self.levels,
                h,
            );
            let (next_rate, next_jealous) = contact_rate(&self.k, &self.levels);
            // Trapezoid rule, as `step_day` writes it.
            expected = expected + half_h * (rate + next_rate);
            jealous_expected = jealous_expected + half_h * (jealous + next_jealous);
            (rate, jealous) = (next_rate, next_jealous);
            // The events are rare: find the lanes where one is due (the
            // tests of `PartnerModel::events`, with +∞ for what cannot
            // happen), and run the events only there.
            let l = &self.levels;
            let mut due = [false; W];
            for w in 0..W {
                due[w] = (l.hazard[w] >= self.meet_level[w])
                    | (self.end_rate[w] * (l.t[w] - self.met_at[w]) >= self.end_level[w])
                    | (l.wanting[w] >= self.bid_level[w]);
            }
            if !due.iter().any(|&d| d) {
                continue;
            }
            for w in 0..W {
                if self.occupied[w] && due[w] {
                    self.models[w].events(
                        &mut self.status[w],
                        self.levels.t[w],
                        &mut self.levels.wanting[w],
                        &mut self.levels.hazard[w],
                        &self.draws[w],
                        false,
                        &mut bid[w],
                    );
                    self.refresh(w);
                }
            }
        }
        let mut outs = [DayOutcome::default(); W];
        for (w, out) in outs.iter_mut().enumerate() {
            *out = DayOutcome {
                expected_contacts: expected[w],
                jealous_contacts: jealous_expected[w],
                bid: bid[w],
                with_new_partner: self.status[w].with_new_partner,
            };
        }
        outs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ensemble::KernelPath;
    use crate::journal::entries::Request;
    use crate::journal::filter::{Path, Timeline, replay_candidates};
    use crate::journal::simulate::simulate_journal;
    use crate::journal::unknowns::Unknowns;
    use crate::models::walkaway::Params;
    use crate::population::Population;
    use crate::rng::Stream;

    fn unknowns() -> Unknowns {
        Unknowns::new(&Population::walkaway_default())
    }

    /// Particles from the prior with every switch the day step has turned
    /// on and off in turn, contact (κ > 0) in some, and draws that make
    /// them meet someone, part and give up early.
    fn mixed_particles(count: u64) -> Vec<(PartnerModel, Draws, PartnerState)> {
        let u = unknowns();
        let mut z = vec![0.0; u.dim()];
        (0..count)
            .map(|k| {
                let mut s = Stream::with_purpose_code(5, k, 900);
                u.sample(&mut s, &mut z);
                let mut p = Params::from_slice(&u.params(&z));
                let off = |bit: u64| if k >> bit & 1 == 1 { 0.0 } else { 1.0 };
                p.m_jealousy = off(0);
                p.m_loneliness = off(1);
                p.m_space = off(2);
                p.m_new_partner = off(3);
                p.m_nostalgia = off(4);
                p.m_pursuit = off(5);
                if k % 3 == 0 {
                    p.sep_contact = 0.3;
                }
                if k % 4 == 0 {
                    p.bid_threshold = 0.02;
                    p.bid_give_up = 0.4;
                }
                if k % 5 == 0 {
                    p.synergy = 0.0;
                }
                let mut model = PartnerModel::new(p);
                let draws = Draws {
                    meet: [0.05 + 0.1 * (k % 4) as f64, 0.3],
                    end: 0.2,
                    give_up: 0.3,
                };
                let state = model.start(&draws);
                (model, draws, state)
            })
            .collect()
    }

    fn same_outcome(a: &DayOutcome, b: &DayOutcome) -> bool {
        a.expected_contacts.to_bits() == b.expected_contacts.to_bits()
            && a.jealous_contacts.to_bits() == b.jealous_contacts.to_bits()
            && a.bid == b.bid
            && a.with_new_partner == b.with_new_partner
    }

    fn same_state(a: &PartnerState, b: &PartnerState) -> bool {
        let (x, y) = (&a.levels, &b.levels);
        [
            (x.t, y.t),
            (x.love, y.love),
            (x.wanting, y.wanting),
            (x.loneliness, y.loneliness),
            (x.jealousy, y.jealousy),
            (x.good_memories, y.good_memories),
            (x.bad_memories, y.bad_memories),
            (x.stress, y.stress),
            (x.habituation, y.habituation),
            (x.hazard, y.hazard),
        ]
        .iter()
        .all(|(u, v)| u.to_bits() == v.to_bits())
            && a.status.with_new_partner == b.status.with_new_partner
            && a.status.meetings == b.status.meetings
            && a.status.met_at.to_bits() == b.status.met_at.to_bits()
            && a.status.wanting_reference.to_bits() == b.status.wanting_reference.to_bits()
            && a.status.declined == b.status.declined
            && a.status.bid_level.to_bits() == b.status.bid_level.to_bits()
            && a.status.gave_up == b.status.gave_up
            && a.status.reunited == b.status.reunited
    }

    fn check_lanes<const W: usize>(particles: &[(PartnerModel, Draws, PartnerState)]) {
        let mut events = [0usize; 4];
        for chunk in particles.chunks(W) {
            let (m0, d0, s0) = &chunk[0];
            let mut lanes = DayLanes::<W>::new(m0, d0, s0);
            let mut alone: Vec<PartnerState> = chunk.iter().map(|(_, _, s)| *s).collect();
            for (w, (m, d, s)) in chunk.iter().enumerate() {
                lanes.load(w, m, d, s);
            }
            for day in 0..150 {
                // Even lanes accept a bid from day 30 on.
                let accept = std::array::from_fn(|w| w % 2 == 0 && day >= 30);
                let outs = lanes.step_day(accept);
                for (w, (m, d, _)) in chunk.iter().enumerate() {
                    let out = m.step_day(&mut alone[w], d, accept[w]);
                    assert!(
                        same_outcome(&outs[w], &out),
                        "W = {W}, lane {w}, day {day}: {:?} against {out:?}",
                        outs[w]
                    );
                    assert!(
                        same_state(&lanes.state(w), &alone[w]),
                        "W = {W}, lane {w}, day {day}"
                    );
                    events[0] += usize::from(out.bid);
                    events[1] += usize::from(out.with_new_partner);
                }
            }
            for s in &alone {
                events[2] += usize::from(s.status.gave_up);
                events[3] += usize::from(s.status.reunited);
            }
        }
        // The particles exercised every event.
        assert!(
            events.iter().all(|&e| e > 0),
            "bids, new partners, give-ups, reunions: {events:?}"
        );
    }

    #[test]
    fn lanes_give_each_particle_its_own_bits() {
        let particles = mixed_particles(96);
        check_lanes::<1>(&particles);
        check_lanes::<4>(&particles);
        check_lanes::<8>(&particles);
        // A width that does not divide the particles: the last lanes stay empty.
        check_lanes::<7>(&particles);
    }

    #[test]
    fn replays_in_lanes_match_one_by_one_on_every_path() {
        let u = unknowns();
        let d = u.dim();
        let mut s = Stream::with_purpose_code(9, 0, 901);
        let mut truth = vec![0.0; d];
        u.sample(&mut s, &mut truth);
        let mut entries = simulate_journal(&u, &truth, 40, &mut s);
        // An accepted request on the last day ends the journal there.
        entries[35].request = Some(Request::Accepted);
        for journal in [&entries[..], &entries[..35]] {
            let timeline = Timeline::new(journal);
            let n = 150;
            let mut cands = vec![0.0; n * d];
            for c in cands.chunks_mut(d) {
                u.sample(&mut s, c);
            }
            let full: Vec<f64> = cands
                .chunks(d)
                .map(|c| crate::journal::filter::replay(&u, c, &timeline, 60).ln_likelihood)
                .collect();
            // Floors that stop some replays early, some at the end, and
            // let some through.
            let floors: Vec<f64> = full
                .iter()
                .enumerate()
                .map(|(i, l)| match i % 4 {
                    0 => f64::NEG_INFINITY,
                    1 => l - 1e-9,
                    2 => *l,
                    _ => 0.5 * l,
                })
                .collect();
            for through in [0, 20, 60] {
                let alone: Vec<Option<Path>> = cands
                    .chunks(d)
                    .zip(&floors)
                    .map(|(c, f)| {
                        crate::journal::filter::replay_above(&u, c, &timeline, through, Some(*f))
                    })
                    .collect();
                for kernel in KernelPath::ALL.into_iter().filter(|k| k.is_available()) {
                    let lanes = replay_candidates(kernel, &u, &cands, &timeline, through, &floors);
                    for (i, (a, b)) in lanes.iter().zip(&alone).enumerate() {
                        match (a, b) {
                            (None, None) => {}
                            (Some(a), Some(b)) => {
                                assert_eq!(a.ln_likelihood.to_bits(), b.ln_likelihood.to_bits());
                                assert!(same_state(&a.state, &b.state), "{} {i}", kernel.name());
                                assert_eq!(a.draws, b.draws);
                                assert_eq!(a.model, b.model);
                            }
                            _ => panic!(
                                "{} candidate {i}: kept {} alone, {} in lanes",
                                kernel.name(),
                                b.is_some(),
                                a.is_some()
                            ),
                        }
                    }
                }
            }
        }
    }
}
