-- Idempotency keys of the HTTP API: a POST made with one is done once, and
-- its response replayed to a retry for a day (httpapi.Replays). A key
-- belongs to one caller in one community ('' for routes outside one).
CREATE TABLE idempotency_keys (
    community_id TEXT NOT NULL,
    caller       TEXT NOT NULL,
    idem_key     TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    done         INTEGER NOT NULL DEFAULT 0,
    status       INTEGER NOT NULL DEFAULT 0,
    content_type TEXT NOT NULL DEFAULT '',
    location     TEXT NOT NULL DEFAULT '',
    body         BYTEA,
    at           TEXT NOT NULL,
    PRIMARY KEY (community_id, caller, idem_key)
);
CREATE INDEX idempotency_keys_at ON idempotency_keys (at);
