//! What a forecast counts: the outcomes, and the events that say who did what.

use super::*;

pub const OUTCOME_COUNT: usize = Outcome::ALL.len();

/// Paired indicators: one per outcome, then "together at the horizon".
pub const INDICATORS: usize = OUTCOME_COUNT + 1;
/// Index of "together at the horizon (still or again)" among the indicators.
pub const TOGETHER: usize = OUTCOME_COUNT;
/// Label of that indicator.
pub const TOGETHER_LABEL: &str = "together at the end (still or again)";
pub const TOGETHER_KEY: &str = "together";

/// The label and key of indicator `i`.
pub fn indicator_label(i: usize) -> &'static str {
    if i < OUTCOME_COUNT {
        Outcome::ALL[i].label()
    } else {
        TOGETHER_LABEL
    }
}

pub fn indicator_key(i: usize) -> &'static str {
    if i < OUTCOME_COUNT {
        Outcome::ALL[i].key()
    } else {
        TOGETHER_KEY
    }
}

/// Windows after a first reunion in which a new separation is counted.
pub const AFTER_REUNION_DAYS: [f64; 3] = [30.0, 90.0, 180.0];

/// Kinds of event a forecast counts, each saying who did what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// Your partner asked to get back together (whatever you answered).
    PartnerAsked = 0,
    /// You got back together because your partner asked and you said yes.
    ReunionPartnerAsked = 1,
    /// You went back at the end of your planned separation.
    ReunionYouWentBack = 2,
    /// Your partner started a new relationship.
    PartnerMetSomeone = 3,
    /// You ended it (your plan, or later).
    YouLeft = 4,
    /// Your partner ended it.
    PartnerLeft = 5,
    /// You started a new relationship.
    YouMetSomeone = 6,
    /// Your partner asked again after you had said no: unwanted pursuit, a
    /// risk signal and not a sign of love.
    AskedAgainAfterNo = 7,
}

pub const EVENT_COUNT: usize = 8;

pub const EVENT_KINDS: [EventKind; EVENT_COUNT] = [
    EventKind::PartnerAsked,
    EventKind::ReunionPartnerAsked,
    EventKind::ReunionYouWentBack,
    EventKind::PartnerMetSomeone,
    EventKind::YouLeft,
    EventKind::PartnerLeft,
    EventKind::YouMetSomeone,
    EventKind::AskedAgainAfterNo,
];

impl EventKind {
    pub fn key(self) -> &'static str {
        match self {
            EventKind::PartnerAsked => "partner_asked",
            EventKind::ReunionPartnerAsked => "reunion_partner_asked",
            EventKind::ReunionYouWentBack => "reunion_you_went_back",
            EventKind::PartnerMetSomeone => "partner_met_someone",
            EventKind::YouLeft => "you_left",
            EventKind::PartnerLeft => "partner_left",
            EventKind::YouMetSomeone => "you_met_someone",
            EventKind::AskedAgainAfterNo => "asked_again_after_no",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EventKind::PartnerAsked => "your partner asks to get back together",
            EventKind::ReunionPartnerAsked => "back together because your partner asked",
            EventKind::ReunionYouWentBack => "you go back (your plan)",
            EventKind::PartnerMetSomeone => "your partner starts a new relationship",
            EventKind::YouLeft => "you leave",
            EventKind::PartnerLeft => "your partner ends it",
            EventKind::YouMetSomeone => "you start a new relationship",
            EventKind::AskedAgainAfterNo => {
                "your partner asks again after you said no (unwanted pursuit: a warning sign)"
            }
        }
    }

    /// The forecast's kind of a logged event, if it counts one.
    pub fn of(kind: LogKind) -> Option<Self> {
        Some(match kind {
            LogKind::Bid {
                after_refusal: false,
                ..
            } => EventKind::PartnerAsked,
            LogKind::Bid {
                after_refusal: true,
                ..
            } => EventKind::AskedAgainAfterNo,
            LogKind::Reunion {
                by: ReunionBy::PartnerAsked,
            } => EventKind::ReunionPartnerAsked,
            LogKind::Reunion {
                by: ReunionBy::YouWentBack,
            } => EventKind::ReunionYouWentBack,
            LogKind::NewPartner => EventKind::PartnerMetSomeone,
            LogKind::Separation { by: Initiator::You } => EventKind::YouLeft,
            LogKind::Separation {
                by: Initiator::Partner,
            } => EventKind::PartnerLeft,
            LogKind::YouMetSomeone => EventKind::YouMetSomeone,
            LogKind::NewPartnerEnded
            | LogKind::YourNewRelationshipEnded
            | LogKind::PartnerGaveUp
            | LogKind::SeparationEnd => return None,
        })
    }
}
