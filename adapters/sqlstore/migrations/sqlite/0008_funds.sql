-- The funds' records (funds, incomes, calls, proposals, reviews, grants,
-- spending, merchants, declarations) as JSON documents with the columns
-- finds match on, as points_records; their money and budgets live on the
-- ledger (0005). Times are UTC text that sorts as time does.
CREATE TABLE funds_records (
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
CREATE INDEX funds_records_at ON funds_records (community_id, kind, at, id);
CREATE INDEX funds_records_resident ON funds_records (community_id, kind, resident_id, at);
CREATE INDEX funds_records_ref ON funds_records (community_id, kind, ref_id, at);
