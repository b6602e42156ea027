-- The separation journal: one row per day since you walked away (day 0 is
-- the day you left). Empty columns are "not recorded", never zero; the
-- values are checked by walkaway-core's journal module before they get
-- here. updated_ms is milliseconds since the Unix epoch (UTC).
CREATE TABLE journal_entries (
    day BIGINT PRIMARY KEY CHECK (day >= 0),
    contacts BIGINT CHECK (contacts >= 0),
    request TEXT CHECK (request IN ('none', 'declined', 'accepted')),
    met_someone TEXT CHECK (met_someone IN ('yes', 'not_sure', 'no')),
    you_contacted BOOLEAN,
    mood BIGINT CHECK (mood BETWEEN 0 AND 10),
    note TEXT NOT NULL DEFAULT '',
    updated_ms BIGINT NOT NULL
);
-- Settings of the journal (the date you left, as YYYY-MM-DD).
CREATE TABLE journal_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
