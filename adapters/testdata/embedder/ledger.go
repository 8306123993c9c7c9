package embedder

import (
	"context"

	"github.com/linli-go/linli/grids/ledger"
)

// ledgerTx passes a community's ledger calls to the store underneath.
type ledgerTx struct {
	inner ledger.Tx
}

func (l ledgerTx) CreateAccounts(ctx context.Context, accounts []ledger.Account) ([]ledger.Result, error) {
	return l.inner.CreateAccounts(ctx, accounts)
}

func (l ledgerTx) CreateTransfers(ctx context.Context, transfers []ledger.Transfer) ([]ledger.Result, error) {
	return l.inner.CreateTransfers(ctx, transfers)
}

func (l ledgerTx) LookupAccounts(ctx context.Context, ids []ledger.ID) ([]ledger.Account, error) {
	return l.inner.LookupAccounts(ctx, ids)
}

func (l ledgerTx) LookupTransfers(ctx context.Context, ids []ledger.ID) ([]ledger.Transfer, []ledger.PendingStatus, error) {
	return l.inner.LookupTransfers(ctx, ids)
}

func (l ledgerTx) Statement(ctx context.Context, account ledger.ID, from, to int64, limit int) ([]ledger.Entry, error) {
	return l.inner.Statement(ctx, account, from, to, limit)
}

func (l ledgerTx) Snapshot(ctx context.Context) (ledger.Snapshot, error) {
	return l.inner.Snapshot(ctx)
}

var _ ledger.Tx = ledgerTx{}
