-- The volunteer bank's records (policies, claims, catalogue items,
-- donations, exchanges, gifts, expiries, markets, sign-ups) as JSON
-- documents with the columns finds match on; their points and stock live
-- on the ledger (0005). Times are UTC text that sorts as time does.
CREATE TABLE points_records (
    community_id TEXT NOT NULL REFERENCES communities (id),
    kind         TEXT NOT NULL,
    id           TEXT NOT NULL,
    resident_id  TEXT NOT NULL DEFAULT '',
    ref_id       TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT '',
    at           TEXT NOT NULL,
    doc          TEXT NOT NULL,
    PRIMARY KEY (community_id, kind, id)
);
CREATE INDEX points_records_at ON points_records (community_id, kind, at, id);
CREATE INDEX points_records_resident ON points_records (community_id, kind, resident_id, at);
CREATE INDEX points_records_ref ON points_records (community_id, kind, ref_id, at);
