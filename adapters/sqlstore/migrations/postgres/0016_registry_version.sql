-- A community's registry version (issue 17): every write to its districts,
-- grids, buildings, households or residents advances it in the same
-- transaction, so a population summary kept for a version is current for
-- as long as the version stays.
ALTER TABLE communities ADD COLUMN registry_version BIGINT NOT NULL DEFAULT 0;
