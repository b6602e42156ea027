-- Saved scenarios and forecasts. The body is the JSON the API received or
-- produced; created_ms is milliseconds since the Unix epoch (UTC).
CREATE TABLE saved (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('scenario', 'forecast')),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_ms INTEGER NOT NULL
);
CREATE INDEX saved_created ON saved (created_ms DESC, id DESC);
