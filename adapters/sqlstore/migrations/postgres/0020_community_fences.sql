-- A community's fence on this database while it moves to another shard
-- (state 'moving': its writes are refused with shard.ErrMoving), and the
-- marker it leaves once it has moved (state 'moved', shard naming where
-- it went: writes routed here by an older lookup are refused with
-- shard.ErrMoved and follow it). A community with no row is open.
CREATE TABLE community_fences (
    community_id TEXT PRIMARY KEY,
    state        TEXT NOT NULL CHECK (state IN ('moving', 'moved')),
    shard        TEXT NOT NULL DEFAULT '',
    since        TIMESTAMPTZ NOT NULL
);
