-- Versions of a community's records, one a domain (issue 17): every
-- committed write of governance, points or funds records advances its
-- domain's row in the same transaction, so a report kept for the versions
-- it was computed at is current for as long as they stay. A row a domain,
-- not a column of communities: writes of two domains lock apart.
CREATE TABLE record_versions (
    community_id TEXT NOT NULL REFERENCES communities (id),
    domain       TEXT NOT NULL,
    version      BIGINT NOT NULL,
    PRIMARY KEY (community_id, domain)
);
