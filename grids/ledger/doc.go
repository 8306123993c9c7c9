// Package ledger is the double-entry core that points and funds share:
// accounts with optional limits on ledgers (points, one item's stock,
// money in fen), and immutable transfers between two accounts of one
// ledger, after TigerBeetle.
//
// A transfer's ID is its idempotency key: the same ID with the same
// fields returns Exists and changes nothing; with any field changed,
// ExistsWithDifferentFields; an ID whose transfer failed stays failed, so
// a late retry can never succeed by chance. Linked transfers succeed or
// fail together. A pending transfer reserves its amount until it is posted
// (for all or part of it) or voided, exactly once, or expires. Mistakes are
// corrected by transfers the other way, never by changing one.
//
// Engine holds the rules as a state machine in memory; Memory wraps it for
// concurrent use; the SQL stores in adapters/sqlstore run the same Engine
// over the accounts a batch touches, inside their transactions. Engine.Verify
// checks the invariants: debits equal credits per ledger, balances equal a
// replay of the transfers, no limit broken, no pending transfer resolved
// twice.
//
// The ledger is public because points.Store and funds.Store hand out a
// community's ledger inside their transactions (Tx): a store written
// outside linli implements Tx and Store here and proves them with
// ledgertest. It sits under grids, the root of linli's domain packages,
// so that points and funds share it without importing each other; it
// imports nothing of grids' own.
package ledger
