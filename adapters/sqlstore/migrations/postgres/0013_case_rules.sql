-- Rules of the case (issue 16).
-- Make-up working days (调休补班): a calendar entry may be an official
-- working day on a weekend, which regular meetings treat as a working day.
ALTER TABLE holidays ADD COLUMN workday BOOLEAN NOT NULL DEFAULT FALSE;
-- A body's bylaws may allow proxy voting; a meeting keeps the written
-- proxies recorded before it (JSON).
ALTER TABLE bodies ADD COLUMN proxies BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE meetings ADD COLUMN proxies TEXT NOT NULL DEFAULT '[]';
-- Opinions a worker entered for a resident from a paper form.
ALTER TABLE opinions ADD COLUMN entered_by TEXT NOT NULL DEFAULT '';
ALTER TABLE opinions ADD COLUMN form_ref TEXT NOT NULL DEFAULT '';
-- Meetings that deliberate without voting, and the joint council
-- meeting's invited participants (JSON): a council meeting's invitees, a
-- consultation's recommendations, an open-space meeting's topics.
ALTER TABLE meetings ADD COLUMN invitees TEXT NOT NULL DEFAULT '[]';
ALTER TABLE meetings ADD COLUMN recommendations TEXT NOT NULL DEFAULT '[]';
ALTER TABLE meetings ADD COLUMN topics TEXT NOT NULL DEFAULT '[]';
-- The think tank's stairwell briefings (民生智库宣讲): when, where, the
-- stairwells covered, who attended, the needs and candidate leaders
-- raised (JSON); a nomination may cite the briefing that recommended its
-- candidate.
CREATE TABLE briefings (
    id           TEXT PRIMARY KEY,
    community_id TEXT NOT NULL,
    body_id      TEXT NOT NULL,
    held_at      TIMESTAMPTZ NOT NULL,
    place        TEXT NOT NULL DEFAULT '',
    stairwells   TEXT NOT NULL,
    attendees    TEXT NOT NULL,
    needs        TEXT NOT NULL,
    candidates   TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (community_id, id),
    FOREIGN KEY (community_id, body_id) REFERENCES bodies (community_id, id)
);
CREATE INDEX briefings_held ON briefings (community_id, held_at, id);
ALTER TABLE nominations ADD COLUMN briefing_id TEXT NOT NULL DEFAULT '';
