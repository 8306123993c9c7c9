-- Meetings: a body's rule for regular meetings and its bylaws of
-- procedure; meetings with their agenda, registrations and minutes record
-- (JSON text); each meeting's append-only log of moves; residents' written
-- opinions; the community's holiday calendar.

ALTER TABLE bodies ADD COLUMN meets TEXT NOT NULL DEFAULT '';
ALTER TABLE bodies ADD COLUMN small_board BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE bodies ADD COLUMN quorum INTEGER NOT NULL DEFAULT 0;

CREATE TABLE meetings (
    id            TEXT PRIMARY KEY,
    community_id  TEXT NOT NULL,
    body_id       TEXT NOT NULL,
    kind          TEXT NOT NULL,
    title         TEXT NOT NULL,
    place         TEXT NOT NULL DEFAULT '',
    scheduled_at  TIMESTAMPTZ NOT NULL,
    status        TEXT NOT NULL,
    notice        TEXT NOT NULL DEFAULT '',
    noticed_at    TIMESTAMPTZ,
    chair_id      TEXT NOT NULL DEFAULT '',
    secretary_id  TEXT NOT NULL DEFAULT '',
    agenda        TEXT NOT NULL,
    registrations TEXT NOT NULL,
    decisions     TEXT NOT NULL DEFAULT '',
    events        INTEGER NOT NULL DEFAULT 0,
    minutes       TEXT NOT NULL,
    settings      TEXT NOT NULL DEFAULT '',
    created_by    TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (community_id, id),
    FOREIGN KEY (community_id, body_id) REFERENCES bodies (community_id, id)
);
CREATE INDEX meetings_scheduled ON meetings (community_id, scheduled_at);
CREATE INDEX meetings_body ON meetings (community_id, body_id, scheduled_at);

-- The log is append-only: (meeting, seq) is taken once.
CREATE TABLE meeting_events (
    community_id TEXT NOT NULL,
    meeting_id   TEXT NOT NULL,
    seq          INTEGER NOT NULL CHECK (seq > 0),
    at           TIMESTAMPTZ NOT NULL,
    type         TEXT NOT NULL,
    event        TEXT NOT NULL,
    PRIMARY KEY (meeting_id, seq),
    FOREIGN KEY (community_id, meeting_id) REFERENCES meetings (community_id, id)
);

CREATE TABLE opinions (
    id           TEXT PRIMARY KEY,
    community_id TEXT NOT NULL,
    meeting_id   TEXT NOT NULL,
    resident_id  TEXT NOT NULL DEFAULT '',
    text         TEXT NOT NULL,
    online       BOOLEAN NOT NULL,
    answer       TEXT NOT NULL DEFAULT '',
    answered_by  TEXT NOT NULL DEFAULT '',
    answered_at  TIMESTAMPTZ,
    link         TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (community_id, id),
    FOREIGN KEY (community_id, meeting_id) REFERENCES meetings (community_id, id)
);
CREATE INDEX opinions_meeting ON opinions (community_id, meeting_id);

CREATE TABLE holidays (
    community_id TEXT NOT NULL REFERENCES communities (id),
    date         TEXT NOT NULL,
    name         TEXT NOT NULL,
    PRIMARY KEY (community_id, date)
);
