-- Needs intake, surveys, regrouping plans and membership history.
-- Lists of tags are kept as '|a|b|' text, so a tag filter is a LIKE that
-- runs on both dialects (tags never hold '|'). Nested records (a need's
-- events, a survey's questions, a plan's report) are JSON text.

ALTER TABLE households ADD COLUMN interests TEXT NOT NULL DEFAULT '';
ALTER TABLE households ADD COLUMN needs TEXT NOT NULL DEFAULT '';

CREATE TABLE needs (
    id           TEXT PRIMARY KEY,
    community_id TEXT NOT NULL REFERENCES communities (id),
    kind         TEXT NOT NULL,
    source       TEXT NOT NULL,
    title        TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    tags         TEXT NOT NULL DEFAULT '',
    household_id TEXT,
    group_ref    TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL,
    assignee_id  TEXT NOT NULL DEFAULT '',
    assignee     TEXT NOT NULL DEFAULT '',
    reply        TEXT NOT NULL DEFAULT '',
    claimed_by   TEXT NOT NULL DEFAULT '',
    fulfilled_at TIMESTAMPTZ,
    events       TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (community_id, id),
    FOREIGN KEY (community_id, household_id) REFERENCES households (community_id, id)
);
CREATE INDEX needs_status ON needs (community_id, status);

CREATE TABLE surveys (
    id           TEXT PRIMARY KEY,
    community_id TEXT NOT NULL REFERENCES communities (id),
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL,
    questions    TEXT NOT NULL,
    opened_at    TIMESTAMPTZ,
    closed_at    TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (community_id, id)
);

CREATE TABLE survey_responses (
    id           TEXT PRIMARY KEY,
    community_id TEXT NOT NULL,
    survey_id    TEXT NOT NULL,
    household_id TEXT NOT NULL,
    answers      TEXT NOT NULL,
    interests    TEXT NOT NULL DEFAULT '',
    needs        TEXT NOT NULL DEFAULT '',
    submitted_by TEXT NOT NULL,
    submitted_at TIMESTAMPTZ NOT NULL,
    UNIQUE (survey_id, household_id),
    FOREIGN KEY (community_id, survey_id) REFERENCES surveys (community_id, id),
    FOREIGN KEY (community_id, household_id) REFERENCES households (community_id, id)
);
CREATE INDEX survey_responses_household ON survey_responses (household_id);

CREATE TABLE regroup_plans (
    id           TEXT PRIMARY KEY,
    community_id TEXT NOT NULL REFERENCES communities (id),
    options      TEXT NOT NULL,
    status       TEXT NOT NULL,
    progress     DOUBLE PRECISION NOT NULL DEFAULT 0,
    error        TEXT NOT NULL DEFAULT '',
    report       TEXT NOT NULL DEFAULT '',
    placements   TEXT NOT NULL DEFAULT '',
    basis        TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    applied_at   TIMESTAMPTZ,
    UNIQUE (community_id, id)
);

-- kind: building_grid (member a building, group a grid) or grid_district.
CREATE TABLE memberships (
    id           TEXT PRIMARY KEY,
    community_id TEXT NOT NULL REFERENCES communities (id),
    kind         TEXT NOT NULL,
    member_id    TEXT NOT NULL,
    group_id     TEXT NOT NULL,
    valid_from   TIMESTAMPTZ NOT NULL,
    valid_to     TIMESTAMPTZ
);
CREATE INDEX memberships_member ON memberships (community_id, kind, member_id, valid_from);
CREATE INDEX memberships_group ON memberships (group_id);

-- What is already assigned has been so since it was made.
INSERT INTO memberships (id, community_id, kind, member_id, group_id, valid_from, valid_to)
    SELECT 'm' || id, community_id, 'building_grid', id, grid_id, created_at, archived_at FROM buildings WHERE grid_id IS NOT NULL;
INSERT INTO memberships (id, community_id, kind, member_id, group_id, valid_from, valid_to)
    SELECT 'm' || id, community_id, 'grid_district', id, district_id, created_at, archived_at FROM grids;
