//! How likely an entry is, given what the model says happened that day
//! (docs/journal.md, "The observation model"). The chances here are our
//! assumptions about how people record, not measurements.

use super::dynamics::DayOutcome;
use super::entries::{Entry, MetSignal, Request};
use crate::rng::ln_gamma;

/// Contact attempts the model cannot produce (a plan with full contact, a
/// partner with no wanting left) still get this tiny rate per day, so one
/// such day lowers a particle's weight a lot instead of to nothing.
pub const CONTACT_FLOOR: f64 = 0.01;

/// Chance that you record a request on a day your partner asked (in the
/// model): people rarely miss being asked back, but may note it a day late.
pub const REQUEST_RECORDED_WHEN_ASKED: f64 = 0.9;
/// Chance that you record a request on a day the model has none: a day off
/// in the timing, or something you took for a request.
pub const REQUEST_RECORDED_WHEN_NOT_ASKED: f64 = 0.03;

/// Chances of yes / not sure / no when your partner is with someone new,
/// and when not: signs are indirect (friends, social media), so they are
/// noisy both ways.
pub const MET_SIGNAL_WHEN_MET: [f64; 3] = [0.6, 0.3, 0.1];
pub const MET_SIGNAL_WHEN_NOT: [f64; 3] = [0.04, 0.16, 0.8];

/// ln P(k) for a Poisson count with mean `mean`.
pub fn poisson_ln_pmf(k: u32, mean: f64) -> f64 {
    let k = f64::from(k);
    k * mean.ln() - mean - ln_gamma(k + 1.0)
}

/// The mean of the recorded count on a day with `expected` attempts.
pub fn contact_mean(expected: f64) -> f64 {
    expected + CONTACT_FLOOR
}

/// ln P(entry | the model's day). Your own contact and mood are not in
/// it: they are what you did and felt, not what your partner did.
pub fn ln_likelihood(entry: &Entry, day: &DayOutcome) -> f64 {
    Scorer::new(entry).ln_likelihood(day)
}

/// One entry's likelihood with everything that does not depend on the
/// model's day worked out once (ln k!, the ln of the recording chances), so
/// that scoring a particle's day costs one logarithm at most. Gives the
/// same bits as the term-by-term functions below.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scorer {
    /// The count k and ln k!.
    contacts: Option<(f64, f64)>,
    /// ln P(what you recorded) on a day without and with a bid.
    request: Option<[f64; 2]>,
    /// ln P(the sign you recorded) without and with someone new.
    met: Option<[f64; 2]>,
}

impl Scorer {
    pub fn new(entry: &Entry) -> Self {
        Self {
            contacts: entry.contacts.map(|k| {
                let k = f64::from(k);
                (k, ln_gamma(k + 1.0))
            }),
            request: entry
                .request
                .map(|r| [false, true].map(|bid| request_ln_likelihood(r, bid))),
            met: entry
                .met_someone
                .map(|m| [false, true].map(|new| met_ln_likelihood(m, new))),
        }
    }

    /// ln P(entry | the model's day); never above 0 (every term is the ln
    /// of a probability), so a sum over days only falls as days are added.
    #[inline]
    pub fn ln_likelihood(&self, day: &DayOutcome) -> f64 {
        let mut ll = 0.0;
        if let Some((k, ln_k_factorial)) = self.contacts {
            let mean = contact_mean(day.expected_contacts);
            // k = 0 (most days) needs no logarithm: the same value.
            let ln_pmf = if k == 0.0 {
                -mean
            } else {
                k * mean.ln() - mean
            };
            ll += ln_pmf - ln_k_factorial;
        }
        if let Some(r) = self.request {
            ll += r[usize::from(day.bid)];
        }
        if let Some(m) = self.met {
            ll += m[usize::from(day.with_new_partner)];
        }
        ll
    }
}

pub fn request_ln_likelihood(r: Request, bid: bool) -> f64 {
    let p = if bid {
        REQUEST_RECORDED_WHEN_ASKED
    } else {
        REQUEST_RECORDED_WHEN_NOT_ASKED
    };
    if r.asked() { p.ln() } else { (1.0 - p).ln() }
}

pub fn met_ln_likelihood(m: MetSignal, with_new_partner: bool) -> f64 {
    let table = if with_new_partner {
        MET_SIGNAL_WHEN_MET
    } else {
        MET_SIGNAL_WHEN_NOT
    };
    table[m.index()].ln()
}
