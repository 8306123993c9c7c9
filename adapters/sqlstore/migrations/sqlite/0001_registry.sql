-- The community registry (package grids) and bearer tokens (adapters/httpapi).
-- Times are fixed-width UTC text ("2006-01-02 15:04:05.000000Z"), so they
-- compare and sort correctly as text. Every table carries community_id and
-- references inside a community use (community_id, id) keys, so no row can
-- point across tenants.

CREATE TABLE communities (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    address     TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);

CREATE TABLE workers (
    id             TEXT PRIMARY KEY,
    community_id   TEXT NOT NULL REFERENCES communities (id),
    name           TEXT NOT NULL,
    phone          TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    archived_at    TIMESTAMP,
    archive_reason TEXT NOT NULL DEFAULT '',
    UNIQUE (community_id, id)
);

CREATE TABLE districts (
    id             TEXT PRIMARY KEY,
    community_id   TEXT NOT NULL REFERENCES communities (id),
    name           TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    archived_at    TIMESTAMP,
    archive_reason TEXT NOT NULL DEFAULT '',
    UNIQUE (community_id, id)
);
CREATE UNIQUE INDEX districts_active_name ON districts (community_id, name) WHERE archived_at IS NULL;

CREATE TABLE district_workers (
    community_id TEXT NOT NULL,
    district_id  TEXT NOT NULL,
    worker_id    TEXT NOT NULL,
    PRIMARY KEY (district_id, worker_id),
    FOREIGN KEY (community_id, district_id) REFERENCES districts (community_id, id),
    FOREIGN KEY (community_id, worker_id) REFERENCES workers (community_id, id)
);
CREATE INDEX district_workers_worker ON district_workers (worker_id);

CREATE TABLE grids (
    id             TEXT PRIMARY KEY,
    community_id   TEXT NOT NULL REFERENCES communities (id),
    district_id    TEXT NOT NULL,
    name           TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    archived_at    TIMESTAMP,
    archive_reason TEXT NOT NULL DEFAULT '',
    UNIQUE (community_id, id),
    FOREIGN KEY (community_id, district_id) REFERENCES districts (community_id, id)
);
CREATE UNIQUE INDEX grids_active_name ON grids (community_id, name) WHERE archived_at IS NULL;
CREATE INDEX grids_district ON grids (district_id);

CREATE TABLE buildings (
    id             TEXT PRIMARY KEY,
    community_id   TEXT NOT NULL REFERENCES communities (id),
    grid_id        TEXT,
    name           TEXT NOT NULL,
    address        TEXT NOT NULL DEFAULT '',
    lat            REAL,
    lng            REAL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    archived_at    TIMESTAMP,
    archive_reason TEXT NOT NULL DEFAULT '',
    UNIQUE (community_id, id),
    FOREIGN KEY (community_id, grid_id) REFERENCES grids (community_id, id)
);
CREATE UNIQUE INDEX buildings_active_name ON buildings (community_id, name) WHERE archived_at IS NULL;
CREATE INDEX buildings_grid ON buildings (grid_id);

-- Undirected neighbour links, stored once with a < b.
CREATE TABLE building_links (
    community_id TEXT NOT NULL,
    a            TEXT NOT NULL,
    b            TEXT NOT NULL,
    PRIMARY KEY (a, b),
    CHECK (a < b),
    FOREIGN KEY (community_id, a) REFERENCES buildings (community_id, id),
    FOREIGN KEY (community_id, b) REFERENCES buildings (community_id, id)
);
CREATE INDEX building_links_b ON building_links (b);

CREATE TABLE households (
    id             TEXT PRIMARY KEY,
    community_id   TEXT NOT NULL REFERENCES communities (id),
    building_id    TEXT NOT NULL,
    unit           TEXT NOT NULL,
    size           INTEGER NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    archived_at    TIMESTAMP,
    archive_reason TEXT NOT NULL DEFAULT '',
    UNIQUE (community_id, id),
    FOREIGN KEY (community_id, building_id) REFERENCES buildings (community_id, id)
);
CREATE UNIQUE INDEX households_active_unit ON households (building_id, unit) WHERE archived_at IS NULL;
CREATE INDEX households_community ON households (community_id);
CREATE INDEX households_building ON households (building_id);

-- flags holds the recorded vulnerabilities as a bit mask (grids.Flags).
CREATE TABLE residents (
    id             TEXT PRIMARY KEY,
    community_id   TEXT NOT NULL REFERENCES communities (id),
    household_id   TEXT NOT NULL,
    name           TEXT NOT NULL,
    sex            TEXT NOT NULL,
    birth_year     INTEGER NOT NULL,
    phone          TEXT NOT NULL DEFAULT '',
    flags          INTEGER NOT NULL DEFAULT 0,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    archived_at    TIMESTAMP,
    archive_reason TEXT NOT NULL DEFAULT '',
    UNIQUE (community_id, id),
    FOREIGN KEY (community_id, household_id) REFERENCES households (community_id, id)
);
CREATE INDEX residents_household ON residents (household_id);
CREATE INDEX residents_community ON residents (community_id, archived_at);
-- Covers the summary's histogram of active residents, in group order.
CREATE INDEX residents_cohort ON residents (community_id, sex, flags, birth_year) WHERE archived_at IS NULL;

-- kind: 'i' interest, 'n' need.
CREATE TABLE resident_tags (
    community_id TEXT NOT NULL,
    resident_id  TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('i', 'n')),
    tag          TEXT NOT NULL,
    PRIMARY KEY (resident_id, kind, tag),
    FOREIGN KEY (community_id, resident_id) REFERENCES residents (community_id, id)
);
CREATE INDEX resident_tags_tag ON resident_tags (community_id, kind, tag);

CREATE TABLE tokens (
    hash         TEXT PRIMARY KEY,
    principal_id TEXT NOT NULL,
    principal    TEXT NOT NULL, -- the grids.Principal as JSON
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP
);
CREATE INDEX tokens_principal ON tokens (principal_id);
