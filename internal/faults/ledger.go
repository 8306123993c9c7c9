package faults

import (
	"context"

	"github.com/linli-go/linli/internal/ledger"
)

// Ledger is tx with a step before each call.
func Ledger(tx ledger.Tx, p *Plan) ledger.Tx { return faultyLedger{tx, p} }

type faultyLedger struct {
	tx ledger.Tx
	p  *Plan
}

func (l faultyLedger) CreateAccounts(ctx context.Context, accounts []ledger.Account) ([]ledger.Result, error) {
	if err := l.p.Step("ledger.CreateAccounts"); err != nil {
		return nil, err
	}
	return l.tx.CreateAccounts(ctx, accounts)
}

func (l faultyLedger) CreateTransfers(ctx context.Context, transfers []ledger.Transfer) ([]ledger.Result, error) {
	if err := l.p.Step("ledger.CreateTransfers"); err != nil {
		return nil, err
	}
	return l.tx.CreateTransfers(ctx, transfers)
}

func (l faultyLedger) LookupAccounts(ctx context.Context, ids []ledger.ID) ([]ledger.Account, error) {
	if err := l.p.Step("ledger.LookupAccounts"); err != nil {
		return nil, err
	}
	return l.tx.LookupAccounts(ctx, ids)
}

func (l faultyLedger) LookupTransfers(ctx context.Context, ids []ledger.ID) ([]ledger.Transfer, []ledger.PendingStatus, error) {
	if err := l.p.Step("ledger.LookupTransfers"); err != nil {
		return nil, nil, err
	}
	return l.tx.LookupTransfers(ctx, ids)
}

func (l faultyLedger) Statement(ctx context.Context, account ledger.ID, from, to int64, limit int) ([]ledger.Entry, error) {
	if err := l.p.Step("ledger.Statement"); err != nil {
		return nil, err
	}
	return l.tx.Statement(ctx, account, from, to, limit)
}

func (l faultyLedger) Snapshot(ctx context.Context) (ledger.Snapshot, error) {
	if err := l.p.Step("ledger.Snapshot"); err != nil {
		return ledger.Snapshot{}, err
	}
	return l.tx.Snapshot(ctx)
}
