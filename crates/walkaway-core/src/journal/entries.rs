//! What a person records, day by day, and the checks every entry passes
//! before it is stored or used (docs/journal.md, "What you record").

/// Most contact attempts one day can hold. More than one every few
/// minutes of a waking day is a typing error, not a count.
pub const MAX_CONTACTS_PER_DAY: u32 = 500;
/// Longest private note, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;
/// Highest mood on the 0–10 scale.
pub const MAX_MOOD: u8 = 10;

/// Whether your partner asked to get back together that day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Request {
    /// No request that day.
    NoRequest,
    /// Your partner asked and you said no.
    Declined,
    /// Your partner asked and you said yes: you are back together.
    Accepted,
}

impl Request {
    pub const ALL: [Request; 3] = [Request::NoRequest, Request::Declined, Request::Accepted];

    /// The word in CSV files and the API.
    pub fn key(self) -> &'static str {
        match self {
            Request::NoRequest => "none",
            Request::Declined => "declined",
            Request::Accepted => "accepted",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.key() == text)
    }

    /// Your partner asked (whatever you answered).
    pub fn asked(self) -> bool {
        self != Request::NoRequest
    }
}

/// Signs that your partner has met someone new.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MetSignal {
    Yes,
    NotSure,
    No,
}

impl MetSignal {
    pub const ALL: [MetSignal; 3] = [MetSignal::Yes, MetSignal::NotSure, MetSignal::No];

    pub fn key(self) -> &'static str {
        match self {
            MetSignal::Yes => "yes",
            MetSignal::NotSure => "not_sure",
            MetSignal::No => "no",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.key() == text)
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// One day of the journal. Every field but the day may be left out
/// (`None`): a missing field says nothing, it is not a zero.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Entry {
    /// Days since you walked away (0 = the day you left).
    pub day: u32,
    /// Calls and messages from your partner that day.
    pub contacts: Option<u32>,
    pub request: Option<Request>,
    pub met_someone: Option<MetSignal>,
    /// Whether you were in contact with your partner yourself.
    pub you_contacted: Option<bool>,
    /// How you feel, 0 (very bad) to 10 (very good).
    pub mood: Option<u8>,
    /// A private note; never used by the model.
    pub note: String,
}

/// A value that cannot be recorded, with where it is and what is allowed.
/// `line` is the CSV line (1 is the header), or the entry's position from 1
/// when the entries did not come from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalError {
    pub line: usize,
    pub column: String,
    pub value: String,
    pub allowed: String,
}

impl std::fmt::Display for JournalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column `{}`: `{}` is not allowed; allowed: {}",
            self.line, self.column, self.value, self.allowed
        )
    }
}

impl std::error::Error for JournalError {}

impl JournalError {
    pub fn new(line: usize, column: &str, value: impl ToString, allowed: impl ToString) -> Self {
        Self {
            line,
            column: column.to_string(),
            value: value.to_string(),
            allowed: allowed.to_string(),
        }
    }
}

/// Checks one entry on its own: counts, mood and note within their ranges,
/// the day before the horizon (`days` = length of the forecast after you
/// left). `line` names it in the error.
pub fn check_entry(e: &Entry, days: u32, line: usize) -> Result<(), JournalError> {
    if e.day >= days {
        return Err(JournalError::new(
            line,
            "day",
            e.day,
            format!(
                "a day from 0 to {} (the forecast's horizon is {days} days after you left)",
                days.saturating_sub(1)
            ),
        ));
    }
    if let Some(c) = e.contacts
        && c > MAX_CONTACTS_PER_DAY
    {
        return Err(JournalError::new(
            line,
            "contacts",
            c,
            format!("a whole number of calls and messages from 0 to {MAX_CONTACTS_PER_DAY}"),
        ));
    }
    if let Some(m) = e.mood
        && m > MAX_MOOD
    {
        return Err(JournalError::new(
            line,
            "mood",
            m,
            format!("a whole number from 0 to {MAX_MOOD}"),
        ));
    }
    let chars = e.note.chars().count();
    if chars > MAX_NOTE_CHARS {
        return Err(JournalError::new(
            line,
            "note",
            format!("{chars} characters"),
            format!("at most {MAX_NOTE_CHARS} characters"),
        ));
    }
    Ok(())
}

/// Checks a whole journal: each entry, days strictly increasing (no day
/// twice, none out of order), at most one accepted request (after it you
/// are back together and the journal of this separation ends). `lines[i]`
/// names entry i in errors (defaults to its position from 1).
pub fn check_journal(entries: &[Entry], days: u32, lines: &[usize]) -> Result<(), JournalError> {
    let line = |i: usize| lines.get(i).copied().unwrap_or(i + 1);
    let mut accepted_on: Option<u32> = None;
    for (i, e) in entries.iter().enumerate() {
        check_entry(e, days, line(i))?;
        if i > 0 {
            let before = entries[i - 1].day;
            if e.day == before {
                return Err(JournalError::new(
                    line(i),
                    "day",
                    e.day,
                    format!(
                        "each day once (day {} is already on line {})",
                        e.day,
                        line(i - 1)
                    ),
                ));
            }
            if e.day < before {
                return Err(JournalError::new(
                    line(i),
                    "day",
                    e.day,
                    format!("days in order: a day after {before} (line {})", line(i - 1)),
                ));
            }
        }
        if let Some(d) = accepted_on {
            return Err(JournalError::new(
                line(i),
                "day",
                e.day,
                format!(
                    "no entry after day {d}, when you got back together (start a new journal for a new separation)"
                ),
            ));
        }
        if e.request == Some(Request::Accepted) {
            accepted_on = Some(e.day);
        }
    }
    Ok(())
}

/// Days from 1970-01-01 to the civil date (proleptic Gregorian), for the
/// optional `date` column; `None` if the date does not exist.
pub fn days_from_date(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |s: &str| s.parse::<i64>().ok();
    let (y, m, d) = (num(&text[0..4])?, num(&text[5..7])?, num(&text[8..10])?);
    if !(1..=12).contains(&m) || d < 1 {
        return None;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if d > month_days[(m - 1) as usize] {
        return None;
    }
    // Howard Hinnant's days-from-civil algorithm.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146097 + doe - 719468)
}

/// The civil date `days` after 1970-01-01, as YYYY-MM-DD.
pub fn date_from_days(days: i64) -> String {
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!("{y:04}-{m:02}-{d:02}")
}
