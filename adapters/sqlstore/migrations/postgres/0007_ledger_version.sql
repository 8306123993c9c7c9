-- The ledger's version: every batch of transfers adds one, so a process
-- that keeps accounts in memory (the SQLite store) sees when another
-- process has written the ledger and forgets what it kept. (PostgreSQL
-- keeps the table for a schema like SQLite's; its store locks rows.)
CREATE TABLE ledger_version (
    one     INTEGER PRIMARY KEY CHECK (one = 1),
    version BIGINT NOT NULL
);
INSERT INTO ledger_version (one, version) VALUES (1, 0);

-- Accounts are rewritten by every batch that touches them: room on each
-- page lets PostgreSQL update them in place (HOT), without new index
-- entries.
ALTER TABLE ledger_accounts SET (fillfactor = 70);
