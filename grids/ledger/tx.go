package ledger

import (
	"context"
	"errors"
	"math"
	"slices"
)

// Tx is one community's ledger inside a store transaction: what it
// creates commits together with the records the same transaction writes,
// or rolls back with them. A command that moves points, stock or money
// therefore records why in the same transaction as it moves them, and the
// books never disagree with the records (see the points and funds
// packages). Stores give a Tx per community from their own transactions;
// every account and transfer belongs to the community it was created in,
// and a Tx never sees another community's.
type Tx interface {
	// CreateAccounts creates accounts, one Result each.
	CreateAccounts(ctx context.Context, accounts []Account) ([]Result, error)
	// CreateTransfers creates transfers in order, one Result each.
	CreateTransfers(ctx context.Context, transfers []Transfer) ([]Result, error)
	// LookupAccounts returns the accounts that exist, in the order asked.
	LookupAccounts(ctx context.Context, ids []ID) ([]Account, error)
	// LookupTransfers returns the transfers that exist, in the order
	// asked, with where each pending one is.
	LookupTransfers(ctx context.Context, ids []ID) ([]Transfer, []PendingStatus, error)
	// Statement returns an account's history in [from, to], oldest first,
	// at most limit lines (all if limit <= 0); nil for an account without
	// History.
	Statement(ctx context.Context, account ID, from, to int64, limit int) ([]Entry, error)
	// Snapshot returns every account and transfer of the community, the
	// transfers in the order they were made: for audits and exports.
	Snapshot(ctx context.Context) (Snapshot, error)
}

// Stored is a transfer as a store keeps it: with where it is if pending,
// and how much was posted of it.
type Stored struct {
	Transfer
	Status PendingStatus
	Posted int64
}

// Snapshot is a community's whole ledger.
type Snapshot struct {
	Accounts  []Account
	Transfers []Stored // in the order they were made
}

// ErrReadOnly is returned by writes through a Tx of a read-only
// transaction.
var ErrReadOnly = errors.New("ledger: write in a read-only transaction")

// EngineTx is a Tx over an engine that the caller holds locked: a store
// that keeps each community's ledger in an Engine (adapters/memstore)
// gives it out from its transactions. The engine is nil for a community
// that has no ledger yet (reads find nothing; writes are refused, so a
// write transaction makes the engine first). A write transaction calls
// Begin on the engine before it hands out the Tx, and Commit or Rollback
// at its end.
func EngineTx(e *Engine, write bool) Tx { return engineTx{e, write} }

type engineTx struct {
	e     *Engine
	write bool
}

func (t engineTx) writable(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !t.write || t.e == nil {
		return ErrReadOnly
	}
	return nil
}

func (t engineTx) CreateAccounts(ctx context.Context, accounts []Account) ([]Result, error) {
	if err := t.writable(ctx); err != nil {
		return nil, err
	}
	return t.e.CreateAccounts(accounts, nil), nil
}

func (t engineTx) CreateTransfers(ctx context.Context, transfers []Transfer) ([]Result, error) {
	if err := t.writable(ctx); err != nil {
		return nil, err
	}
	return t.e.CreateTransfers(transfers, nil), nil
}

func (t engineTx) LookupAccounts(ctx context.Context, ids []ID) ([]Account, error) {
	out := []Account{}
	if t.e == nil {
		return out, ctx.Err()
	}
	for _, id := range ids {
		if a, ok := t.e.Account(id); ok {
			out = append(out, a)
		}
	}
	return out, ctx.Err()
}

func (t engineTx) LookupTransfers(ctx context.Context, ids []ID) ([]Transfer, []PendingStatus, error) {
	out, st := []Transfer{}, []PendingStatus{}
	if t.e == nil {
		return out, st, ctx.Err()
	}
	for _, id := range ids {
		if tr, ok := t.e.Transfer(id); ok {
			out, st = append(out, tr), append(st, t.e.PendingStatus(id))
		}
	}
	return out, st, ctx.Err()
}

func (t engineTx) Statement(ctx context.Context, account ID, from, to int64, limit int) ([]Entry, error) {
	if t.e == nil {
		return nil, ctx.Err()
	}
	if to <= 0 {
		to = math.MaxInt64
	}
	out, _ := t.e.Statement(account, from, to, limit)
	return out, ctx.Err()
}

func (t engineTx) Snapshot(ctx context.Context) (Snapshot, error) {
	if t.e == nil {
		return Snapshot{}, ctx.Err()
	}
	return t.e.Snapshot(), ctx.Err()
}

// Snapshot returns every account and transfer.
func (e *Engine) Snapshot() Snapshot {
	s := Snapshot{Accounts: slices.Clone(e.accounts), Transfers: make([]Stored, e.transfers.len())}
	for i := range s.Transfers {
		s.Transfers[i] = Stored{Transfer: *e.transfers.at(i), Status: *e.status.at(i), Posted: e.posted[int32(i)]}
	}
	return s
}
