//! Journals written by the model itself: for the calibration test, the
//! benchmark and examples. The same observation model as the filter's.

use super::dynamics::PartnerModel;
use super::entries::{Entry, MetSignal, Request};
use super::observe;
use super::unknowns::Unknowns;
use crate::models::walkaway::Params;
use crate::rng::Stream;

/// A journal of `days` days (every field recorded every day) for the
/// particle `z`, and its true trait values. Every request is declined.
pub fn simulate_journal(
    unknowns: &Unknowns,
    z: &[f64],
    days: u32,
    stream: &mut Stream,
) -> Vec<Entry> {
    let mut model = PartnerModel::new(Params::from_slice(&unknowns.params(z)));
    let draws = unknowns.draws(z);
    let mut state = model.start(&draws);
    (0..days)
        .map(|day| {
            let out = model.step_day(&mut state, &draws, false);
            let contacts = stream.poisson(observe::contact_mean(out.expected_contacts)) as u32;
            let asked = stream.uniform()
                < if out.bid {
                    observe::REQUEST_RECORDED_WHEN_ASKED
                } else {
                    observe::REQUEST_RECORDED_WHEN_NOT_ASKED
                };
            let table = if out.with_new_partner {
                observe::MET_SIGNAL_WHEN_MET
            } else {
                observe::MET_SIGNAL_WHEN_NOT
            };
            let u = stream.uniform();
            let met = if u < table[0] {
                MetSignal::Yes
            } else if u < table[0] + table[1] {
                MetSignal::NotSure
            } else {
                MetSignal::No
            };
            Entry {
                day,
                contacts: Some(contacts.min(super::entries::MAX_CONTACTS_PER_DAY)),
                request: Some(if asked {
                    Request::Declined
                } else {
                    Request::NoRequest
                }),
                met_someone: Some(met),
                ..Default::default()
            }
        })
        .collect()
}
