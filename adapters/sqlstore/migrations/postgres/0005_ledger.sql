-- The double-entry ledger (internal/ledger): accounts with their four
-- balances, the append-only transfers (a pending one with where it is),
-- the IDs that failed, and the history of accounts that keep one. IDs are
-- 16 bytes; amounts and timestamps (nanoseconds) are integers.

CREATE TABLE ledger_accounts (
    id              BYTEA PRIMARY KEY,
    user_data_128   BYTEA NOT NULL,
    user_data_64    BIGINT NOT NULL,
    ledger          BIGINT NOT NULL,
    code            BIGINT NOT NULL,
    flags           BIGINT NOT NULL,
    debits_pending  BIGINT NOT NULL,
    debits_posted   BIGINT NOT NULL,
    credits_pending BIGINT NOT NULL,
    credits_posted  BIGINT NOT NULL,
    timestamp       BIGINT NOT NULL,
    last_change     BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE ledger_transfers (
    id                BYTEA PRIMARY KEY,
    debit_account_id  BYTEA NOT NULL,
    credit_account_id BYTEA NOT NULL,
    amount            BIGINT NOT NULL,
    pending_id        BYTEA NOT NULL,
    user_data_128     BYTEA NOT NULL,
    user_data_64      BIGINT NOT NULL,
    user_data_32      BIGINT NOT NULL,
    timeout           BIGINT NOT NULL,
    ledger            BIGINT NOT NULL,
    code              BIGINT NOT NULL,
    flags             BIGINT NOT NULL,
    timestamp         BIGINT NOT NULL,
    status            BIGINT NOT NULL DEFAULT 0, -- of a pending transfer: 1 pending, 2 posted, 3 voided, 4 expired
    posted            BIGINT NOT NULL DEFAULT 0,
    expires_at        BIGINT                     -- of a pending transfer with a timeout
);
CREATE INDEX ledger_transfers_due ON ledger_transfers (expires_at) WHERE status = 1;

CREATE TABLE ledger_failed (
    id     BYTEA PRIMARY KEY,
    result BIGINT NOT NULL
);

CREATE TABLE ledger_history (
    account_id      BYTEA NOT NULL,
    timestamp       BIGINT NOT NULL,
    transfer_id     BYTEA NOT NULL,
    expiry          BIGINT NOT NULL,
    debits_pending  BIGINT NOT NULL,
    debits_posted   BIGINT NOT NULL,
    credits_pending BIGINT NOT NULL,
    credits_posted  BIGINT NOT NULL,
    PRIMARY KEY (account_id, timestamp)
);
