package sqlstore

import (
	"context"

	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/grids/record"
)

// Funds returns the funds' store: its records in funds_records, its
// money on the database's shared Ledger.
func (db *DB) Funds() funds.Store { return fundsStore{db} }

type fundsStore struct{ db *DB }

func (s fundsStore) View(ctx context.Context, fn func(funds.Tx) error) error {
	return s.db.read(ctx, func(t querier) error { return fn(&fundsTx{tx{db: s.db, sql: t}}) })
}

func (s fundsStore) Update(ctx context.Context, fn func(funds.Tx) error) error {
	return updateIn(ctx, s.db, "funds", func(t tx) (funds.Tx, *tx) { x := &fundsTx{t}; return x, &x.tx }, fn)
}

func (s fundsStore) Version(ctx context.Context, community string) (int64, error) {
	return s.db.version(ctx, "funds", community)
}

type fundsTx struct{ tx }

// Ledger is the community's ledger in the transaction.
func (t *fundsTx) Ledger(community string) ledger.Tx { return t.db.sharedLedger().in(&t.tx, community) }

func (t *fundsTx) Funds() record.Table[funds.Fund] {
	return docTable[funds.Fund]{&t.tx, "funds_records", "fund"}
}

func (t *fundsTx) Incomes() record.Table[funds.Income] {
	return docTable[funds.Income]{&t.tx, "funds_records", "income"}
}

func (t *fundsTx) Calls() record.Table[funds.Call] {
	return docTable[funds.Call]{&t.tx, "funds_records", "call"}
}

func (t *fundsTx) Proposals() record.Table[funds.Proposal] {
	return docTable[funds.Proposal]{&t.tx, "funds_records", "proposal"}
}

func (t *fundsTx) Reviews() record.Table[funds.Review] {
	return docTable[funds.Review]{&t.tx, "funds_records", "review"}
}

func (t *fundsTx) Grants() record.Table[funds.Grant] {
	return docTable[funds.Grant]{&t.tx, "funds_records", "grant"}
}

func (t *fundsTx) Spendings() record.Table[funds.Spending] {
	return docTable[funds.Spending]{&t.tx, "funds_records", "spending"}
}

func (t *fundsTx) Merchants() record.Table[funds.Merchant] {
	return docTable[funds.Merchant]{&t.tx, "funds_records", "merchant"}
}

func (t *fundsTx) Declarations() record.Table[funds.Declaration] {
	return docTable[funds.Declaration]{&t.tx, "funds_records", "declaration"}
}

var _ funds.Store = fundsStore{}
