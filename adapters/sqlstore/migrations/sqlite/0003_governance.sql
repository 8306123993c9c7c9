-- Governance: the council, committees, groups and think tank (bodies),
-- who held which office when (positions), social organisations, council
-- decisions, nominations, tasks, community issues and activities.
-- Positions are never overwritten: a term ends (valid_to) and another
-- begins. A task's reports and an issue's steps are JSON text; an
-- activity's participants are rows, so the volunteer bank can sum them.

CREATE TABLE bodies (
    id             TEXT PRIMARY KEY,
    community_id   TEXT NOT NULL REFERENCES communities (id),
    kind           TEXT NOT NULL CHECK (kind IN ('council', 'committee', 'group', 'think_tank')),
    key            TEXT NOT NULL DEFAULT '',
    parent_id      TEXT,
    name           TEXT NOT NULL,
    chinese_name   TEXT NOT NULL DEFAULT '',
    remit          TEXT NOT NULL DEFAULT '',
    seats          INTEGER NOT NULL DEFAULT 0,
    district_id    TEXT NOT NULL DEFAULT '',
    grid_id        TEXT NOT NULL DEFAULT '',
    schedule       TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    archived_at    TIMESTAMP,
    archive_reason TEXT NOT NULL DEFAULT '',
    UNIQUE (community_id, id),
    FOREIGN KEY (community_id, parent_id) REFERENCES bodies (community_id, id)
);
CREATE INDEX bodies_parent ON bodies (community_id, parent_id);
-- Setup's default bodies are unique while active, so racing setups cannot
-- make two councils.
CREATE UNIQUE INDEX bodies_active_key ON bodies (community_id, key) WHERE key <> '' AND archived_at IS NULL;

CREATE TABLE organisations (
    id             TEXT PRIMARY KEY,
    community_id   TEXT NOT NULL REFERENCES communities (id),
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    origin         TEXT NOT NULL,
    purpose        TEXT NOT NULL DEFAULT '',
    contact        TEXT NOT NULL DEFAULT '',
    committee_ids  TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    archived_at    TIMESTAMP,
    archive_reason TEXT NOT NULL DEFAULT '',
    UNIQUE (community_id, id)
);

CREATE TABLE decisions (
    id           TEXT PRIMARY KEY,
    community_id TEXT NOT NULL,
    body_id      TEXT NOT NULL,
    title        TEXT NOT NULL,
    text         TEXT NOT NULL DEFAULT '',
    decided_at   TIMESTAMP NOT NULL,
    meeting_id   TEXT NOT NULL DEFAULT '',
    recorded_by  TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    UNIQUE (community_id, id),
    FOREIGN KEY (community_id, body_id) REFERENCES bodies (community_id, id)
);
CREATE INDEX decisions_body ON decisions (community_id, body_id);

CREATE TABLE positions (
    id           TEXT PRIMARY KEY,
    community_id TEXT NOT NULL,
    body_id      TEXT NOT NULL,
    holder_kind  TEXT NOT NULL CHECK (holder_kind IN ('resident', 'organisation')),
    holder_id    TEXT NOT NULL,
    office       TEXT NOT NULL,
    constituency TEXT NOT NULL DEFAULT '',
    represents   TEXT NOT NULL DEFAULT '',
    decision_id  TEXT NOT NULL DEFAULT '',
    valid_from   TIMESTAMP NOT NULL,
    term_end     TIMESTAMP,
    valid_to     TIMESTAMP,
    ceased       TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL,
    UNIQUE (community_id, id),
    FOREIGN KEY (community_id, body_id) REFERENCES bodies (community_id, id)
);
CREATE INDEX positions_body ON positions (community_id, body_id, valid_from);
CREATE INDEX positions_holder ON positions (community_id, holder_id);

CREATE TABLE nominations (
    id             TEXT PRIMARY KEY,
    community_id   TEXT NOT NULL,
    resident_id    TEXT NOT NULL,
    self           BOOLEAN NOT NULL,
    recommended_by TEXT NOT NULL DEFAULT '',
    body_id        TEXT NOT NULL,
    office         TEXT NOT NULL,
    statement      TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    review         TEXT NOT NULL DEFAULT '',
    reviewed_by    TEXT NOT NULL DEFAULT '',
    decision_id    TEXT NOT NULL DEFAULT '',
    position_id    TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    UNIQUE (community_id, id),
    FOREIGN KEY (community_id, body_id) REFERENCES bodies (community_id, id)
);
CREATE INDEX nominations_status ON nominations (community_id, status);

CREATE TABLE tasks (
    id           TEXT PRIMARY KEY,
    community_id TEXT NOT NULL,
    from_body_id TEXT NOT NULL,
    to_body_id   TEXT NOT NULL,
    title        TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    owner_id     TEXT NOT NULL DEFAULT '',
    due          TIMESTAMP,
    status       TEXT NOT NULL,
    issue_id     TEXT NOT NULL DEFAULT '',
    reports      TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (community_id, id),
    FOREIGN KEY (community_id, from_body_id) REFERENCES bodies (community_id, id),
    FOREIGN KEY (community_id, to_body_id) REFERENCES bodies (community_id, id)
);
CREATE INDEX tasks_to ON tasks (community_id, to_body_id);

CREATE TABLE community_issues (
    id             TEXT PRIMARY KEY,
    community_id   TEXT NOT NULL REFERENCES communities (id),
    title          TEXT NOT NULL,
    detail         TEXT NOT NULL DEFAULT '',
    raised_by_kind TEXT NOT NULL,
    raised_by_id   TEXT NOT NULL,
    by_resident    TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    steps          TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    UNIQUE (community_id, id)
);
CREATE INDEX community_issues_status ON community_issues (community_id, status);

CREATE TABLE activities (
    id           TEXT PRIMARY KEY,
    community_id TEXT NOT NULL,
    body_id      TEXT NOT NULL,
    title        TEXT NOT NULL,
    service      TEXT NOT NULL,
    place        TEXT NOT NULL DEFAULT '',
    starts_at    TIMESTAMP NOT NULL,
    ends_at      TIMESTAMP NOT NULL,
    organiser_id TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (community_id, id),
    FOREIGN KEY (community_id, body_id) REFERENCES bodies (community_id, id)
);
CREATE INDEX activities_start ON activities (community_id, starts_at);

-- One row per participant: who served, for how many whole minutes; seq
-- keeps the order they were recorded in.
CREATE TABLE activity_participants (
    community_id TEXT NOT NULL,
    activity_id  TEXT NOT NULL,
    resident_id  TEXT NOT NULL,
    minutes      INTEGER NOT NULL CHECK (minutes > 0),
    seq          INTEGER NOT NULL,
    PRIMARY KEY (activity_id, resident_id),
    FOREIGN KEY (community_id, activity_id) REFERENCES activities (community_id, id) ON DELETE CASCADE,
    FOREIGN KEY (community_id, resident_id) REFERENCES residents (community_id, id)
);
CREATE INDEX activity_participants_resident ON activity_participants (community_id, resident_id);
