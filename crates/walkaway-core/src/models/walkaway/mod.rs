//! The walkaway model: you walk away from a partner who treats you badly;
//! what follows?
//!
//! It is built on Rinaldi's form (oblivion, reaction to love, reaction to
//! appeal; Rinaldi 1998, Rinaldi & Gragnani 1998) and adds the article's
//! eleven reasons as named mechanisms, each of which can be switched off
//! alone with `mechanisms.<name> = false`. Time is in days. docs/model.md
//! gives, for each mechanism, the claim, the equation (with the same names as
//! here), the evidence, the defaults and when the claim fails.
//!
//! The relationship as it is on day 0 is a resting point of the "together"
//! dynamics: the everyday inputs (`input_love`, `input_you`) are set so that
//! nothing changes while you stay. Staying is the status quo by construction;
//! the model speaks only to what a separation changes.

mod events;
mod field;
mod params;
#[cfg(test)]
mod reference;
mod run;
mod system;
#[cfg(test)]
mod tests;

pub use params::*;
pub use run::{Checkpoint, RunResult, Walkaway, check_schedule};
pub use system::{LogEntry, LogKind, Standing, WalkawaySystem};

/// Mechanisms whose switch-off cannot change an outcome or an event.
/// Jealousy drives only your partner's contact attempts (`contacts` and the
/// `contact_rate` series), and nothing else in the model reads them, so a
/// forecast reports its effect on the outcomes as exactly zero without
/// re-running (a test checks this structure of the vector field).
pub const OUTCOME_NEUTRAL_MECHANISMS: [&str; 1] = ["jealousy"];

/// The mechanism that acts only through the meeting event: with it switched
/// off, a run in which your partner met nobody ends with the same outcome and
/// events (the meeting hazard feeds nothing but that event; tested).
pub const MEETING_MECHANISM: &str = "new_partner";
