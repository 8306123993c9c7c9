-- Every index a community's queries use leads with community_id (issue
-- 18): a query scans its own community's entries, never another's, and a
-- shard holding many communities keeps each community's rows together in
-- every index. Keys that were a parent record's ID and something
-- (tags of a resident, events of a meeting, ...) gain the community first.
-- Lookups of a record by its own ID (a ULID, unique in the installation)
-- stay on the primary key.
ALTER TABLE resident_tags DROP CONSTRAINT resident_tags_pkey,
    ADD CONSTRAINT resident_tags_pkey PRIMARY KEY (community_id, resident_id, kind, tag);
ALTER TABLE meeting_events DROP CONSTRAINT meeting_events_pkey,
    ADD CONSTRAINT meeting_events_pkey PRIMARY KEY (community_id, meeting_id, seq);
ALTER TABLE activity_participants DROP CONSTRAINT activity_participants_pkey,
    ADD CONSTRAINT activity_participants_pkey PRIMARY KEY (community_id, activity_id, resident_id);
ALTER TABLE building_links DROP CONSTRAINT building_links_pkey,
    ADD CONSTRAINT building_links_pkey PRIMARY KEY (community_id, a, b);
ALTER TABLE district_workers DROP CONSTRAINT district_workers_pkey,
    ADD CONSTRAINT district_workers_pkey PRIMARY KEY (community_id, district_id, worker_id);
ALTER TABLE ledger_history DROP CONSTRAINT ledger_history_pkey,
    ADD CONSTRAINT ledger_history_pkey PRIMARY KEY (community_id, account_id, timestamp);
ALTER TABLE survey_responses DROP CONSTRAINT survey_responses_survey_id_household_id_key,
    ADD CONSTRAINT survey_responses_key UNIQUE (community_id, survey_id, household_id);

DROP INDEX building_links_b;
CREATE INDEX building_links_b ON building_links (community_id, b);
DROP INDEX district_workers_worker;
CREATE INDEX district_workers_worker ON district_workers (community_id, worker_id);
DROP INDEX grids_district;
CREATE INDEX grids_district ON grids (community_id, district_id);
DROP INDEX buildings_grid;
CREATE INDEX buildings_grid ON buildings (community_id, grid_id);
DROP INDEX households_active_unit;
CREATE UNIQUE INDEX households_active_unit ON households (community_id, building_id, unit) WHERE archived_at IS NULL;
DROP INDEX households_building;
CREATE INDEX households_building ON households (community_id, building_id);
DROP INDEX residents_household;
CREATE INDEX residents_household ON residents (community_id, household_id);
DROP INDEX survey_responses_household;
CREATE INDEX survey_responses_household ON survey_responses (community_id, household_id);
DROP INDEX memberships_group;
CREATE INDEX memberships_group ON memberships (community_id, group_id);
