//! The journal as CSV text (docs/journal.md, "The CSV file"): read with a
//! check of every value (a bad row names its line, column and what is
//! allowed) and written back in the same form, so an export reads again.

use super::entries::*;

/// Columns a journal file may have, in the order they are written.
pub const COLUMNS: [&str; 8] = [
    "day",
    "date",
    "contacts",
    "request",
    "met_someone",
    "you_contacted",
    "mood",
    "note",
];

/// A journal read from CSV: the entries, the file line of each, and the
/// day you left when the file has dates (days since 1970-01-01).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedJournal {
    pub entries: Vec<Entry>,
    pub lines: Vec<usize>,
    pub left_on: Option<i64>,
}

/// Splits CSV text into records (RFC 4180: quoted fields may hold commas,
/// doubled quotes and line breaks), each with the line it starts on.
fn records(text: &str) -> Result<Vec<(usize, Vec<String>)>, JournalError> {
    let mut out = Vec::new();
    let mut line = 1;
    let mut start_line = 1;
    let mut field = String::new();
    let mut record: Vec<String> = Vec::new();
    let mut quoted = false;
    let mut at_field_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if at_field_start => {
                quoted = true;
                at_field_start = false;
            }
            ',' => {
                record.push(std::mem::take(&mut field));
                at_field_start = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                out.push((start_line, std::mem::take(&mut record)));
                line += 1;
                start_line = line;
                at_field_start = true;
            }
            _ => {
                field.push(c);
                at_field_start = false;
            }
        }
    }
    if quoted {
        return Err(JournalError::new(
            start_line,
            "note",
            "a quoted field that never ends",
            "a closing double quote (\") before the end of the file",
        ));
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        out.push((start_line, record));
    }
    // Blank lines and comment lines (#) carry nothing.
    out.retain(|(_, r)| {
        !(r.iter().all(|f| f.trim().is_empty()) || r.first().is_some_and(|f| f.starts_with('#')))
    });
    Ok(out)
}

fn whole_number(
    text: &str,
    line: usize,
    column: &str,
    max: u32,
    what: &str,
) -> Result<u32, JournalError> {
    let allowed = || format!("{what} from 0 to {max}, or empty when not recorded");
    let n: u32 = text
        .parse()
        .map_err(|_| JournalError::new(line, column, text, allowed()))?;
    if n > max {
        return Err(JournalError::new(line, column, text, allowed()));
    }
    Ok(n)
}

fn choice<T>(
    text: &str,
    line: usize,
    column: &str,
    parse: impl Fn(&str) -> Option<T>,
    keys: &[&str],
) -> Result<T, JournalError> {
    parse(text).ok_or_else(|| {
        JournalError::new(
            line,
            column,
            text,
            format!("one of {}, or empty when not recorded", keys.join(", ")),
        )
    })
}

/// Reads a journal: a header naming the columns (any order; `day` or
/// `date` required), then one line per day. `days` is the forecast's
/// horizon after you left; every check of [`check_journal`] applies.
pub fn parse_csv(text: &str, days: u32) -> Result<ParsedJournal, JournalError> {
    let rows = records(text)?;
    let Some((header_line, header)) = rows.first() else {
        return Err(JournalError::new(
            1,
            "header",
            "an empty file",
            format!("a header line with the columns {}", COLUMNS.join(",")),
        ));
    };
    let mut index = [None; COLUMNS.len()];
    for (i, name) in header.iter().enumerate() {
        let name = name.trim();
        let Some(c) = COLUMNS.iter().position(|k| *k == name) else {
            return Err(JournalError::new(
                *header_line,
                "header",
                name,
                format!("column names among {}", COLUMNS.join(", ")),
            ));
        };
        if index[c].is_some() {
            return Err(JournalError::new(
                *header_line,
                "header",
                name,
                "each column once",
            ));
        }
        index[c] = Some(i);
    }
    let [day_col, date_col, contacts, request, met, you, mood, note] = index;
    if day_col.is_none() && date_col.is_none() {
        return Err(JournalError::new(
            *header_line,
            "header",
            header.join(","),
            "a `day` column (days since you left) or a `date` column (YYYY-MM-DD)",
        ));
    }
    let mut parsed = ParsedJournal::default();
    let mut first_date: Option<i64> = None;
    for (line, row) in rows.iter().skip(1) {
        let line = *line;
        if row.len() > header.len() {
            return Err(JournalError::new(
                line,
                "row",
                format!("{} fields", row.len()),
                format!(
                    "at most {} fields, as many as the header has (quote a note that holds a comma)",
                    header.len()
                ),
            ));
        }
        let get = |c: Option<usize>| c.and_then(|i| row.get(i)).map(|s| s.trim()).unwrap_or("");
        let date = get(date_col);
        let date_days = if date.is_empty() {
            None
        } else {
            Some(days_from_date(date).ok_or_else(|| {
                JournalError::new(line, "date", date, "a date as YYYY-MM-DD that exists")
            })?)
        };
        let day_text = get(day_col);
        let day = if !day_text.is_empty() {
            whole_number(
                day_text,
                line,
                "day",
                u32::MAX,
                "a whole number of days since you left",
            )?
        } else if let Some(d) = date_days {
            // Without a day column, the first date is the day you left.
            let start = *first_date.get_or_insert(d);
            if d < start {
                return Err(JournalError::new(
                    line,
                    "date",
                    date,
                    format!("dates in order, none before {}", date_from_days(start)),
                ));
            }
            u32::try_from(d - start).unwrap_or(u32::MAX)
        } else {
            return Err(JournalError::new(
                line,
                if day_col.is_some() { "day" } else { "date" },
                "",
                "the day of the entry (a day or a date on every line)",
            ));
        };
        if let Some(d) = date_days {
            let left = d - i64::from(day);
            match parsed.left_on {
                None => parsed.left_on = Some(left),
                Some(l) if l != left => {
                    return Err(JournalError::new(
                        line,
                        "date",
                        date,
                        format!(
                            "the date {} for day {day} (day 0 is {} on the lines above)",
                            date_from_days(l + i64::from(day)),
                            date_from_days(l)
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
        let field = |c: Option<usize>| Some(get(c)).filter(|s| !s.is_empty());
        let entry = Entry {
            day,
            contacts: field(contacts)
                .map(|t| {
                    whole_number(
                        t,
                        line,
                        "contacts",
                        MAX_CONTACTS_PER_DAY,
                        "a whole number of calls and messages",
                    )
                })
                .transpose()?,
            request: field(request)
                .map(|t| {
                    choice(
                        t,
                        line,
                        "request",
                        Request::parse,
                        &Request::ALL.map(Request::key),
                    )
                })
                .transpose()?,
            met_someone: field(met)
                .map(|t| {
                    choice(
                        t,
                        line,
                        "met_someone",
                        MetSignal::parse,
                        &MetSignal::ALL.map(MetSignal::key),
                    )
                })
                .transpose()?,
            you_contacted: field(you)
                .map(|t| {
                    choice(
                        t,
                        line,
                        "you_contacted",
                        |s| match s {
                            "yes" => Some(true),
                            "no" => Some(false),
                            _ => None,
                        },
                        &["yes", "no"],
                    )
                })
                .transpose()?,
            mood: field(mood)
                .map(|t| {
                    whole_number(t, line, "mood", u32::from(MAX_MOOD), "a whole number")
                        .map(|m| m as u8)
                })
                .transpose()?,
            note: note
                .and_then(|i| row.get(i))
                .map(|n| unquote_note(n))
                .unwrap_or_default(),
        };
        parsed.entries.push(entry);
        parsed.lines.push(line);
    }
    check_journal(&parsed.entries, days, &parsed.lines)?;
    Ok(parsed)
}

/// A note as a CSV field: quoted when it must be, and with a leading `'`
/// when it starts like a spreadsheet formula (`=`, `+`, `-`, `@`), so that
/// opening the export in a spreadsheet runs nothing. [`parse_csv`] drops
/// that `'` again.
fn quote(text: &str) -> String {
    let text = if starts_like_formula(text) || text.starts_with('\'') {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn starts_like_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@'])
}

/// The note as written, without the `'` that [`quote`] put before it.
fn unquote_note(text: &str) -> String {
    match text.strip_prefix('\'') {
        Some(rest) if starts_like_formula(rest) || rest.starts_with('\'') => rest.to_string(),
        _ => text.to_string(),
    }
}

/// Writes the entries as CSV (all columns; `date` filled when the day you
/// left is known, as days since 1970-01-01). [`parse_csv`] reads it back.
pub fn to_csv(entries: &[Entry], left_on: Option<i64>) -> String {
    let mut out = COLUMNS.join(",");
    out.push('\n');
    for e in entries {
        let opt = |v: Option<String>| v.unwrap_or_default();
        let fields = [
            e.day.to_string(),
            opt(left_on.map(|l| date_from_days(l + i64::from(e.day)))),
            opt(e.contacts.map(|c| c.to_string())),
            opt(e.request.map(|r| r.key().to_string())),
            opt(e.met_someone.map(|m| m.key().to_string())),
            opt(e
                .you_contacted
                .map(|y| if y { "yes" } else { "no" }.to_string())),
            opt(e.mood.map(|m| m.to_string())),
            quote(&e.note),
        ];
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}
