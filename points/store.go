package points

import (
	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/grids/record"
)

// Store persists the bank's records and its ledger: transactions over Tx,
// with record.Store's conventions. Implementations: adapters/memstore and
// adapters/sqlstore; pointstest.RunStoreTests is the contract all of them
// pass, and a store written outside linli passes it too.
//
// The ledger is in the same transactions as the records (Tx.Ledger): a
// command moves points or stock and records why in one Update, so the
// two commit together or not at all.
type Store interface {
	record.Store[Tx]
	// Version advances with every committed Update that wrote the
	// community's records or books (record.Versioned): reports are kept
	// by it.
	record.Versioned
}

// Tx is one transaction over the bank's records and ledger.
type Tx interface {
	// Ledger is a community's ledger in this transaction: its writes
	// commit or roll back with the records'.
	Ledger(community string) ledger.Tx

	// Policies are the versions of the accrual policy, by version (Policy.Keys).
	Policies() record.Table[Policy]
	Claims() record.Table[Claim]
	// Items never hold their stock: the ledger does.
	Items() record.Table[Item]
	Donations() record.Table[Donation]
	Exchanges() record.Table[Exchange]
	Gifts() record.Table[Gift]
	Expiries() record.Table[Expiry]
	Markets() record.Table[Market]
	SignUps() record.Table[SignUp]
}
