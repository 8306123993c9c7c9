-- Every account and transfer belongs to one community: the community's
-- ledger is written in the same transaction as its records, read and
-- audited on its own, and exported with it. Transfers and accounts the
-- domain packages make have IDs derived from their community too; the
-- empty community is the ledger used directly (examples/ledgerbench).
-- A database whose ledger predates communities is refused before this
-- runs (see migrate): its books cannot be assigned to communities.
ALTER TABLE ledger_accounts ADD COLUMN community_id TEXT NOT NULL DEFAULT '';
ALTER TABLE ledger_transfers ADD COLUMN community_id TEXT NOT NULL DEFAULT '';
ALTER TABLE ledger_failed ADD COLUMN community_id TEXT NOT NULL DEFAULT '';
ALTER TABLE ledger_history ADD COLUMN community_id TEXT NOT NULL DEFAULT '';
-- A community's accounts and transfers, for its snapshot (audits,
-- exports). The ledger used directly is never read by community: its rows
-- stay out of these indexes, which it would pay to keep on every write.
CREATE INDEX ledger_accounts_community ON ledger_accounts (community_id, id) WHERE community_id <> '';
CREATE INDEX ledger_transfers_community ON ledger_transfers (community_id, timestamp) WHERE community_id <> '';
DROP INDEX ledger_transfers_due;
CREATE INDEX ledger_transfers_due ON ledger_transfers (community_id, expires_at) WHERE status = 1;
