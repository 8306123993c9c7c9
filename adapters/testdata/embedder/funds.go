package embedder

import (
	"context"

	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/grids/record"
)

// Funds is a funds.Store over another one.
type Funds struct {
	Inner funds.Store
}

func (s Funds) View(ctx context.Context, fn func(funds.Tx) error) error {
	return s.Inner.View(ctx, func(tx funds.Tx) error { return fn(fundsTx{tx}) })
}

func (s Funds) Update(ctx context.Context, fn func(funds.Tx) error) error {
	return s.Inner.Update(ctx, func(tx funds.Tx) error { return fn(fundsTx{tx}) })
}

func (s Funds) Version(ctx context.Context, community string) (int64, error) {
	return s.Inner.Version(ctx, community)
}

type fundsTx struct {
	inner funds.Tx
}

func (t fundsTx) Ledger(community string) ledger.Tx {
	return ledgerTx{t.inner.Ledger(community)}
}

func (t fundsTx) Funds() record.Table[funds.Fund] {
	return table[funds.Fund]{t.inner.Funds()}
}

func (t fundsTx) Incomes() record.Table[funds.Income] {
	return table[funds.Income]{t.inner.Incomes()}
}

func (t fundsTx) Calls() record.Table[funds.Call] {
	return table[funds.Call]{t.inner.Calls()}
}

func (t fundsTx) Proposals() record.Table[funds.Proposal] {
	return table[funds.Proposal]{t.inner.Proposals()}
}

func (t fundsTx) Reviews() record.Table[funds.Review] {
	return table[funds.Review]{t.inner.Reviews()}
}

func (t fundsTx) Grants() record.Table[funds.Grant] {
	return table[funds.Grant]{t.inner.Grants()}
}

func (t fundsTx) Spendings() record.Table[funds.Spending] {
	return table[funds.Spending]{t.inner.Spendings()}
}

func (t fundsTx) Merchants() record.Table[funds.Merchant] {
	return table[funds.Merchant]{t.inner.Merchants()}
}

func (t fundsTx) Declarations() record.Table[funds.Declaration] {
	return table[funds.Declaration]{t.inner.Declarations()}
}

var _ funds.Store = Funds{}
