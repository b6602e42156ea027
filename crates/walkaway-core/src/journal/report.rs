//! What the journal tells you: your partner's traits after the journal
//! against before it, the chance of a request to reunite in the next 30
//! days, the chance your partner is with someone new, the warning about a
//! burst of possessive contact, and the sampler that turns the posterior
//! into a forecast with the forecast machinery.

use super::entries::Entry;
use super::filter::{Diagnostics, Posterior};
use super::unknowns::Unknowns;
use crate::forecast::ParamSampler;
use crate::models::walkaway::{INFO, Params, commitment};
use crate::rng::Stream;

/// The traits the report compares before and after the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trait {
    Commitment,
    Possessiveness,
    AttachmentAnxiety,
}

impl Trait {
    pub const ALL: [Trait; 3] = [
        Trait::Commitment,
        Trait::Possessiveness,
        Trait::AttachmentAnxiety,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Trait::Commitment => "commitment",
            Trait::Possessiveness => "possessiveness",
            Trait::AttachmentAnxiety => "attachment_anxiety",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Trait::Commitment => "your partner's commitment (0–1)",
            Trait::Possessiveness => "how possessive your partner is (0–1)",
            Trait::AttachmentAnxiety => "how anxious your partner's attachment is (0–1)",
        }
    }

    pub fn value(self, p: &Params) -> f64 {
        match self {
            Trait::Commitment => commitment(p.satisfaction, p.investment, p.alternatives),
            Trait::Possessiveness => p.possessiveness,
            Trait::AttachmentAnxiety => p.anxiety,
        }
    }
}

/// A weighted sample summarised: mean and the 50 % and 90 % central intervals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub mean: f64,
    pub q05: f64,
    pub q25: f64,
    pub q50: f64,
    pub q75: f64,
    pub q95: f64,
}

impl Interval {
    pub fn of(values: &[f64], weights: &[f64]) -> Self {
        let mut v: Vec<(f64, f64)> = values
            .iter()
            .copied()
            .zip(weights.iter().copied())
            .collect();
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
        let total: f64 = weights.iter().sum();
        let q = |p: f64| {
            let mut cum = 0.0;
            for &(x, w) in &v {
                cum += w / total;
                if cum >= p {
                    return x;
                }
            }
            v.last().map_or(f64::NAN, |x| x.0)
        };
        let mean = v.iter().map(|(x, w)| x * w).sum::<f64>() / total;
        Self {
            mean,
            q05: q(0.05),
            q25: q(0.25),
            q50: q(0.5),
            q75: q(0.75),
            q95: q(0.95),
        }
    }

    pub fn in50(&self, x: f64) -> bool {
        self.q25 <= x && x <= self.q75
    }

    pub fn in90(&self, x: f64) -> bool {
        self.q05 <= x && x <= self.q95
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TraitSummary {
    pub which: Trait,
    pub prior: Interval,
    pub posterior: Interval,
}

/// A burst of contact that reads as possessive: many attempts on one day,
/// or in three days running.
#[derive(Debug, Clone, PartialEq)]
pub struct PossessiveWarning {
    pub day: u32,
    pub attempts: u32,
    pub message: String,
}

/// Attempts on one recorded day that count as a burst.
pub const BURST_ONE_DAY: u32 = 10;
/// Attempts over three consecutive days that count as a burst.
pub const BURST_THREE_DAYS: u32 = 20;

/// The safety notice that goes with a burst, in plain words.
pub const SAFETY_NOTICE: &[&str] = &[
    "A burst of calls and messages after you leave is a warning sign of possessiveness or control. It is not proof of love, and it is not a reason to go back.",
    "This model does not represent threats, monitoring or violence. If you feel unsafe, plan with someone trained to help before your partner knows: leaving can be the most dangerous time.",
    "If you are in danger now, call your local emergency number. A domestic-violence helpline where you live can talk things through in confidence and help you make a safety plan.",
];

/// Checks the recorded counts for a burst.
pub fn possessive_burst(entries: &[Entry]) -> Option<PossessiveWarning> {
    let counts: Vec<(u32, u32)> = entries
        .iter()
        .filter_map(|e| e.contacts.map(|c| (e.day, c)))
        .collect();
    let warn = |day: u32, attempts: u32, span: &str| PossessiveWarning {
        day,
        attempts,
        message: format!(
            "Your partner tried to reach you {attempts} times {span} (day {day} after you left). That is a warning sign, not proof of love."
        ),
    };
    if let Some(&(day, c)) = counts.iter().find(|(_, c)| *c >= BURST_ONE_DAY) {
        return Some(warn(day, c, "in one day"));
    }
    for (i, &(day, _)) in counts.iter().enumerate() {
        let total: u32 = counts[i..]
            .iter()
            .take_while(|(d, _)| *d < day + 3)
            .map(|(_, c)| c)
            .sum();
        if total >= BURST_THREE_DAYS {
            return Some(warn(day, total, "in three days"));
        }
    }
    None
}

/// Days ahead for the chance of a request to reunite.
pub const REQUEST_WINDOW_DAYS: u32 = 30;

/// What the journal tells you.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalReport {
    pub diagnostics: Diagnostics,
    pub traits: Vec<TraitSummary>,
    /// Chance your partner asks to get back together in the next 30 days
    /// (None once you are back together).
    pub request_next_days: Option<f64>,
    /// Chance your partner is with someone new now.
    pub met_someone: f64,
    /// The same chance before the journal (the prior, same days).
    pub met_someone_prior: f64,
    /// Share of the expected contact attempts on the recorded days that
    /// the model puts down to jealousy (possessive contact).
    pub jealous_share: f64,
    pub warning: Option<PossessiveWarning>,
    /// Days covered (from the day you left to the last entry used).
    pub days: usize,
    pub entries: usize,
}

/// Summarises a posterior.
pub fn report(unknowns: &Unknowns, entries: &[Entry], posterior: &Posterior) -> JournalReport {
    let d = posterior.dim;
    let n = posterior.weights.len();
    let params = |z: &[f64]| Params::from_slice(&unknowns.params(z));
    let post: Vec<Params> = posterior.z.chunks(d).map(params).collect();
    let prior: Vec<Params> = posterior.prior_z.chunks(d).map(params).collect();
    let equal = vec![1.0 / n as f64; n];
    let traits = Trait::ALL
        .iter()
        .map(|&t| TraitSummary {
            which: t,
            prior: Interval::of(
                &prior.iter().map(|p| t.value(p)).collect::<Vec<_>>(),
                &equal,
            ),
            posterior: Interval::of(
                &post.iter().map(|p| t.value(p)).collect::<Vec<_>>(),
                &posterior.weights,
            ),
        })
        .collect();
    let w = &posterior.weights;
    let reunited = posterior.paths.iter().all(|p| p.state.status.reunited);
    let request_next_days = (!reunited).then(|| {
        posterior
            .paths
            .iter()
            .zip(w)
            .map(|(path, wi)| {
                let mut s = path.state;
                let asks = (0..REQUEST_WINDOW_DAYS)
                    .any(|_| path.model.step_day(&mut s, &path.draws, false).bid);
                if asks { *wi } else { 0.0 }
            })
            .sum()
    });
    let met_someone = posterior
        .paths
        .iter()
        .zip(w)
        .map(|(p, wi)| {
            if p.state.status.with_new_partner {
                *wi
            } else {
                0.0
            }
        })
        .sum();
    let days = posterior.diagnostics.days_used;
    let timeline = super::filter::Timeline::new(entries);
    let mut prior_met = 0.0;
    let mut jealous = 0.0;
    let mut expected = 0.0;
    for zi in posterior.prior_z.chunks(d) {
        let path = super::filter::replay(unknowns, zi, &timeline, days.saturating_sub(1));
        if days > 0 && path.state.status.with_new_partner {
            prior_met += 1.0 / n as f64;
        }
    }
    for (path, wi) in posterior.paths.iter().zip(w) {
        // Re-run the recorded days for the contact split.
        let mut m = path.model;
        let mut s = m.start(&path.draws);
        for day in 0..days {
            let out = m.step_day(
                &mut s,
                &path.draws,
                timeline.reunited_on == Some(day as u32),
            );
            if timeline.days[day].is_some_and(|e| e.contacts.is_some()) {
                jealous += wi * out.jealous_contacts;
                expected += wi * out.expected_contacts;
            }
        }
    }
    JournalReport {
        diagnostics: posterior.diagnostics.clone(),
        traits,
        request_next_days,
        met_someone,
        met_someone_prior: prior_met,
        jealous_share: if expected > 0.0 {
            jealous / expected
        } else {
            0.0
        },
        warning: possessive_burst(entries),
        days,
        entries: entries.len(),
    }
}

/// Draws forecast parameters from a set of particles: particle k mod n
/// after resampling by weight, with every input the journal cannot inform
/// drawn afresh from its prior. With the prior particles it gives the
/// forecast before the journal, on the same footing.
#[derive(Debug, Clone)]
pub struct ParticleSampler {
    unknowns: Unknowns,
    dim: usize,
    z: Vec<f64>,
}

impl ParticleSampler {
    /// The posterior (resampled systematically by weight).
    pub fn posterior(unknowns: &Unknowns, posterior: &Posterior, seed: u64) -> Self {
        let d = posterior.dim;
        let n = posterior.weights.len();
        let mut s = Stream::with_purpose_code(seed, 0, 203);
        let u0 = s.uniform() / n as f64;
        let mut z = Vec::with_capacity(n * d);
        let (mut cum, mut i) = (0.0, 0);
        for k in 0..n {
            let u = u0 + k as f64 / n as f64;
            while i + 1 < n && cum + posterior.weights[i] < u {
                cum += posterior.weights[i];
                i += 1;
            }
            z.extend_from_slice(&posterior.z[i * d..(i + 1) * d]);
        }
        Self {
            unknowns: unknowns.clone(),
            dim: d,
            z,
        }
    }

    /// The prior particles.
    pub fn prior(unknowns: &Unknowns, posterior: &Posterior) -> Self {
        Self {
            unknowns: unknowns.clone(),
            dim: posterior.dim,
            z: posterior.prior_z.clone(),
        }
    }
}

impl ParamSampler for ParticleSampler {
    fn sample(&self, stream: &mut Stream) -> Vec<f64> {
        let n = self.z.len() / self.dim;
        let i = ((stream.uniform() * n as f64) as usize).min(n - 1);
        let p = self
            .unknowns
            .forecast_params(&self.z[i * self.dim..(i + 1) * self.dim], stream);
        debug_assert!(INFO.check_params(&p).is_ok());
        p
    }
}
