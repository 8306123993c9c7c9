-- Access (package grids/access): credentials, sessions and the record of
-- every issue, revocation and sign-in, as JSON documents with the columns
-- finds match on. Administrators' credentials belong to no community
-- (''), so the table has no foreign key to communities. The bearer tokens
-- of 0001 are replaced: a credential's secret is checked by its ID, which
-- the token names, and no secret is stored, only hashes.
DROP TABLE tokens;
CREATE TABLE access_records (
    community_id TEXT NOT NULL,
    kind         TEXT NOT NULL,
    id           TEXT NOT NULL,
    resident_id  TEXT NOT NULL DEFAULT '',
    ref_id       TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT '',
    at           TEXT NOT NULL,
    doc          TEXT NOT NULL,
    PRIMARY KEY (community_id, kind, id)
);
CREATE INDEX access_records_at ON access_records (community_id, kind, at, id);
CREATE INDEX access_records_resident ON access_records (community_id, kind, resident_id, at);
CREATE INDEX access_records_ref ON access_records (community_id, kind, ref_id, at);
