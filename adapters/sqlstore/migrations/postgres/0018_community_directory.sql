-- Where each community is when communities are spread over several
-- databases (issue 18, adapters/shard): a table of the directory's own
-- database (which may also be a shard); shards do not read it.
CREATE TABLE community_directory (
    community_id TEXT PRIMARY KEY,
    shard        TEXT NOT NULL,
    placed_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX community_directory_shard ON community_directory (shard);
