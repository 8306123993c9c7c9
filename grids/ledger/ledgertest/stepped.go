package ledgertest

import (
	"context"

	"github.com/linli-go/linli/grids/ledger"
)

// Stepped is tx with step called before each call, named
// "ledger.<Method>": a call whose step fails returns its error and does
// nothing. Fault tests inject failures at each step with it.
func Stepped(tx ledger.Tx, step func(op string) error) ledger.Tx { return stepped{tx, step} }

type stepped struct {
	tx   ledger.Tx
	step func(op string) error
}

func (l stepped) CreateAccounts(ctx context.Context, accounts []ledger.Account) ([]ledger.Result, error) {
	if err := l.step("ledger.CreateAccounts"); err != nil {
		return nil, err
	}
	return l.tx.CreateAccounts(ctx, accounts)
}

func (l stepped) CreateTransfers(ctx context.Context, transfers []ledger.Transfer) ([]ledger.Result, error) {
	if err := l.step("ledger.CreateTransfers"); err != nil {
		return nil, err
	}
	return l.tx.CreateTransfers(ctx, transfers)
}

func (l stepped) LookupAccounts(ctx context.Context, ids []ledger.ID) ([]ledger.Account, error) {
	if err := l.step("ledger.LookupAccounts"); err != nil {
		return nil, err
	}
	return l.tx.LookupAccounts(ctx, ids)
}

func (l stepped) LookupTransfers(ctx context.Context, ids []ledger.ID) ([]ledger.Transfer, []ledger.PendingStatus, error) {
	if err := l.step("ledger.LookupTransfers"); err != nil {
		return nil, nil, err
	}
	return l.tx.LookupTransfers(ctx, ids)
}

func (l stepped) Statement(ctx context.Context, account ledger.ID, from, to int64, limit int) ([]ledger.Entry, error) {
	if err := l.step("ledger.Statement"); err != nil {
		return nil, err
	}
	return l.tx.Statement(ctx, account, from, to, limit)
}

func (l stepped) Snapshot(ctx context.Context) (ledger.Snapshot, error) {
	if err := l.step("ledger.Snapshot"); err != nil {
		return ledger.Snapshot{}, err
	}
	return l.tx.Snapshot(ctx)
}
