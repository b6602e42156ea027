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
//! dynamics apart from the wear of being under-benefited: the everyday
//! inputs (`input_love`, `input_you`) balance forgetting and reacting to
//! each other, so a mutual relationship stays as it is while you stay, and a
//! one-sided one wears your love down. While together either of you can end
//! it (a hazard for each side); apart, your partner can ask to get back
//! together and either of you can start a new relationship, which can end.
//! A run is a sequence of together and apart episodes up to the horizon.

mod clocks;
mod events;
mod field;
mod params;
mod priors;
#[cfg(test)]
mod reference;
mod run;
mod system;
#[cfg(test)]
mod tests;

pub use params::*;
pub use priors::{Basis, PRIORS, Prior, model_factors};
pub use run::{Checkpoint, RunResult, Walkaway, check_schedule};
pub use system::{Initiator, LogEntry, LogKind, ReunionBy, Standing, WalkawaySystem};

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

/// Mechanisms that, with no contact while apart, reach nothing but
/// negativity and stress before a reunion: learning moves negativity only
/// while apart (and in the relapse after a reunion), space moves stress
/// only while apart (together, stress rests at its day-0 level), and
/// apart with no contact (κ = 0) the rest of the field reads neither
/// (expressed negativity acts only through contact). Negativity and stress
/// count only from a reunion on (the change that lasts, the relapse), so
/// a deterministic run of your strategy with no contact while apart and
/// no reunion ends, with either switched off, with the same outcome and
/// events (tested).
pub const BEFORE_REUNION_MECHANISMS: [&str; 2] = ["learning", "space"];
