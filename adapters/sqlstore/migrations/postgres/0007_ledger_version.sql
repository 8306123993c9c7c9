-- The ledger's version: every batch of transfers adds one, so a process
-- that keeps accounts in memory (the SQLite store) sees when another
-- process has written the ledger and forgets what it kept.
CREATE TABLE ledger_version (
    one     INTEGER PRIMARY KEY CHECK (one = 1),
    version BIGINT NOT NULL
);
INSERT INTO ledger_version (one, version) VALUES (1, 0);
