-- The double-entry ledger (internal/ledger): accounts with their four
-- balances, the append-only transfers (a pending one with where it is),
-- the IDs that failed, and the history of accounts that keep one. IDs are
-- 16 bytes; amounts and timestamps (nanoseconds) are integers.

CREATE TABLE ledger_accounts (
    id              BLOB PRIMARY KEY,
    user_data_128   BLOB NOT NULL,
    user_data_64    INTEGER NOT NULL,
    ledger          INTEGER NOT NULL,
    code            INTEGER NOT NULL,
    flags           INTEGER NOT NULL,
    debits_pending  INTEGER NOT NULL,
    debits_posted   INTEGER NOT NULL,
    credits_pending INTEGER NOT NULL,
    credits_posted  INTEGER NOT NULL,
    timestamp       INTEGER NOT NULL,
    last_change     INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE ledger_transfers (
    id                BLOB PRIMARY KEY,
    debit_account_id  BLOB NOT NULL,
    credit_account_id BLOB NOT NULL,
    amount            INTEGER NOT NULL,
    pending_id        BLOB NOT NULL,
    user_data_128     BLOB NOT NULL,
    user_data_64      INTEGER NOT NULL,
    user_data_32      INTEGER NOT NULL,
    timeout           INTEGER NOT NULL,
    ledger            INTEGER NOT NULL,
    code              INTEGER NOT NULL,
    flags             INTEGER NOT NULL,
    timestamp         INTEGER NOT NULL,
    status            INTEGER NOT NULL DEFAULT 0, -- of a pending transfer: 1 pending, 2 posted, 3 voided, 4 expired
    posted            INTEGER NOT NULL DEFAULT 0,
    expires_at        INTEGER                     -- of a pending transfer with a timeout
) WITHOUT ROWID;
CREATE INDEX ledger_transfers_due ON ledger_transfers (expires_at) WHERE status = 1;

CREATE TABLE ledger_failed (
    id     BLOB PRIMARY KEY,
    result INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE ledger_history (
    account_id      BLOB NOT NULL,
    timestamp       INTEGER NOT NULL,
    transfer_id     BLOB NOT NULL,
    expiry          INTEGER NOT NULL,
    debits_pending  INTEGER NOT NULL,
    debits_posted   INTEGER NOT NULL,
    credits_pending INTEGER NOT NULL,
    credits_posted  INTEGER NOT NULL,
    PRIMARY KEY (account_id, timestamp)
) WITHOUT ROWID;
