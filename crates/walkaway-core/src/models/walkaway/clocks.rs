//! Events whose rate is constant between changes of the standing: your
//! partner ending it, a new relationship ending, you meeting someone new.
//!
//! Each is an inhomogeneous Poisson process with a piecewise-constant rate,
//! sampled exactly: the event happens when the hazard spent so far reaches an
//! Exp(1) draw. Between changes of the standing the hazard grows linearly, so
//! the event day is known in advance and becomes a scheduled stop of the
//! solver (no extra state, no root finding). Each clock draws from its own
//! random stream, so the draws line up across strategies and mechanism
//! switch-offs (common random numbers).

use crate::rng::Stream;

/// Purpose codes of the clocks' random streams (the events stream is 2).
const STREAM_BASE: u32 = 100;

#[derive(Debug, Clone)]
pub struct Clock {
    /// Hazard spent up to `since`.
    spent: f64,
    /// The Exp(1) draw the hazard must reach.
    threshold: f64,
    /// Rate (1/day) since `since`.
    rate: f64,
    since: f64,
    stream: Stream,
}

impl Clock {
    fn new(seed: u64, trajectory: u64, which: ClockKind, t0: f64) -> Self {
        let mut stream = Stream::with_purpose_code(seed, trajectory, STREAM_BASE + which as u32);
        Self {
            spent: 0.0,
            threshold: stream.exp1(),
            rate: 0.0,
            since: t0,
            stream,
        }
    }

    /// From `t` on the rate is `rate`.
    fn set_rate(&mut self, t: f64, rate: f64) {
        if t > self.since {
            self.spent += self.rate * (t - self.since);
            self.since = t;
        }
        self.rate = rate;
    }

    /// The day of the next event if the rate stays as it is.
    fn due(&self) -> Option<f64> {
        (self.rate > 0.0).then(|| self.since + (self.threshold - self.spent).max(0.0) / self.rate)
    }

    /// The event happened at `t`: start again with a new draw.
    fn restart(&mut self, t: f64) {
        self.spent = 0.0;
        self.since = t;
        self.threshold = self.stream.exp1();
    }
}

/// The clocks of the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockKind {
    /// Your partner ends the relationship while you are together.
    PartnerLeaves = 0,
    /// Your partner's new relationship ends.
    PartnersNewRelationshipEnds = 1,
    /// You start a new relationship while apart.
    YouMeetSomeone = 2,
    /// Your new relationship ends.
    YourNewRelationshipEnds = 3,
}

impl ClockKind {
    pub const ALL: [ClockKind; 4] = [
        ClockKind::PartnerLeaves,
        ClockKind::PartnersNewRelationshipEnds,
        ClockKind::YouMeetSomeone,
        ClockKind::YourNewRelationshipEnds,
    ];
}

#[derive(Debug, Clone)]
pub struct Clocks {
    clocks: [Clock; 4],
}

impl Clocks {
    pub fn new(seed: u64, trajectory: u64, t0: f64) -> Self {
        Self {
            clocks: ClockKind::ALL.map(|k| Clock::new(seed, trajectory, k, t0)),
        }
    }

    /// Sets every clock's rate from `t` on.
    pub fn set_rates(&mut self, t: f64, rates: [f64; 4]) {
        for (c, r) in self.clocks.iter_mut().zip(rates) {
            c.set_rate(t, r);
        }
    }

    /// The earliest event after `t`, if any clock runs.
    pub fn next_after(&self, t: f64) -> Option<f64> {
        self.clocks
            .iter()
            .filter_map(Clock::due)
            .filter(|d| *d > t)
            .reduce(f64::min)
    }

    /// The clock that is due exactly at `t` (a scheduled stop it asked for).
    pub fn due_at(&self, t: f64) -> Option<ClockKind> {
        ClockKind::ALL
            .into_iter()
            .find(|k| self.clocks[*k as usize].due() == Some(t))
    }

    /// The event of clock `kind` happened at `t`.
    pub fn restart(&mut self, kind: ClockKind, t: f64) {
        self.clocks[kind as usize].restart(t);
    }
}
