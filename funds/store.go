package funds

import (
	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/grids/record"
)

// Store persists the funds' records and their ledger: transactions over
// Tx, with record.Store's conventions. Implementations: adapters/memstore
// and adapters/sqlstore; fundstest.RunStoreTests is the contract all of
// them pass, and a store written outside linli passes it too.
//
// The ledger is in the same transactions as the records (Tx.Ledger):
// money moves in the transaction that records why, so the two commit
// together or not at all.
type Store interface {
	record.Store[Tx]
	// Version advances with every committed Update that wrote the
	// community's records or books (record.Versioned): reports are kept
	// by it.
	record.Versioned
}

// Tx is one transaction over the funds' records and ledger.
type Tx interface {
	// Ledger is a community's ledger in this transaction: its writes
	// commit or roll back with the records'.
	Ledger(community string) ledger.Tx

	Funds() record.Table[Fund]
	Incomes() record.Table[Income]
	Calls() record.Table[Call]
	Proposals() record.Table[Proposal]
	Reviews() record.Table[Review]
	Grants() record.Table[Grant]
	Spendings() record.Table[Spending]
	Merchants() record.Table[Merchant]
	Declarations() record.Table[Declaration]
}
