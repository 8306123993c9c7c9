-- The PostgreSQL schema's keys lead with community_id from this version
-- (issue 18: a shard holds many communities). One SQLite file is never a
-- shard and keeps its keys; it gains the unique key a survey response is
-- upserted by, so both dialects name the same conflict target.
CREATE UNIQUE INDEX survey_responses_key ON survey_responses (community_id, survey_id, household_id);
