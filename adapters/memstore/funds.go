package memstore

import (
	"context"

	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/grids/record"
)

type fundsData struct {
	docs docs
}

func (d *fundsData) init() { d.docs = docs{} }

// Funds returns the funds' store; its ledger is the one points keeps its
// books on.
func (s *Store) Funds() funds.Store { return fundsStore{s} }

type fundsStore struct{ s *Store }

func (f fundsStore) View(ctx context.Context, fn func(funds.Tx) error) error {
	return f.s.view(ctx, func(t *txn) error { return fn(&fundsTx{txn: t, s: f.s}) })
}

func (f fundsStore) Version(ctx context.Context, community string) (int64, error) {
	return f.s.version(ctx, community)
}

func (f fundsStore) Update(ctx context.Context, fn func(funds.Tx) error) error {
	return f.s.update(ctx, func(t *txn) error { return fn(&fundsTx{txn: t, s: f.s}) })
}

// Ledger is the community's ledger in the transaction.
func (t *fundsTx) Ledger(community string) ledger.Tx { return t.s.ledger(t.txn, community) }

type fundsTx struct {
	*txn
	s *Store
}

func (t *fundsTx) Funds() record.Table[funds.Fund] {
	return docTable[funds.Fund]{t.txn, t.s.funds.docs, "fund"}
}

func (t *fundsTx) Incomes() record.Table[funds.Income] {
	return docTable[funds.Income]{t.txn, t.s.funds.docs, "income"}
}

func (t *fundsTx) Calls() record.Table[funds.Call] {
	return docTable[funds.Call]{t.txn, t.s.funds.docs, "call"}
}

func (t *fundsTx) Proposals() record.Table[funds.Proposal] {
	return docTable[funds.Proposal]{t.txn, t.s.funds.docs, "proposal"}
}

func (t *fundsTx) Reviews() record.Table[funds.Review] {
	return docTable[funds.Review]{t.txn, t.s.funds.docs, "review"}
}

func (t *fundsTx) Grants() record.Table[funds.Grant] {
	return docTable[funds.Grant]{t.txn, t.s.funds.docs, "grant"}
}

func (t *fundsTx) Spendings() record.Table[funds.Spending] {
	return docTable[funds.Spending]{t.txn, t.s.funds.docs, "spending"}
}

func (t *fundsTx) Merchants() record.Table[funds.Merchant] {
	return docTable[funds.Merchant]{t.txn, t.s.funds.docs, "merchant"}
}

func (t *fundsTx) Declarations() record.Table[funds.Declaration] {
	return docTable[funds.Declaration]{t.txn, t.s.funds.docs, "declaration"}
}

var _ funds.Store = fundsStore{}
