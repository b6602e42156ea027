-- Saved scenarios and forecasts. The body is the JSON the API received or
-- produced; created_ms is milliseconds since the Unix epoch (UTC).
CREATE TABLE saved (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('scenario', 'forecast')),
    title TEXT NOT NULL,
    body JSONB NOT NULL,
    created_ms BIGINT NOT NULL
);
CREATE INDEX saved_created ON saved (created_ms DESC, id DESC);
