-- Residents matched to mutual-aid groups (issue 16): a group's purpose
-- (the interests and needs it serves, JSON) and its size (bodies.seats);
-- the proposals a worker confirmed, as invitations residents answer.
ALTER TABLE bodies ADD COLUMN tags TEXT NOT NULL DEFAULT '';
CREATE TABLE invitations (
    id           TEXT PRIMARY KEY,
    community_id TEXT NOT NULL,
    group_id     TEXT NOT NULL,
    resident_id  TEXT NOT NULL,
    tags         TEXT NOT NULL,
    metres       INTEGER NOT NULL,
    state        TEXT NOT NULL,
    invited_by   TEXT NOT NULL,
    answered_by  TEXT NOT NULL DEFAULT '',
    position_id  TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    answered_at  TIMESTAMPTZ,
    UNIQUE (community_id, id),
    FOREIGN KEY (community_id, group_id) REFERENCES bodies (community_id, id)
);
CREATE INDEX invitations_group ON invitations (community_id, group_id, id);
CREATE INDEX invitations_resident ON invitations (community_id, resident_id, id);
-- A resident has one open invitation to a group at a time.
CREATE UNIQUE INDEX invitations_open ON invitations (community_id, group_id, resident_id) WHERE state = 'open';
