package ledger

import (
	"context"
	"math"
)

// Store keeps a ledger: in memory (Memory) or in SQL (adapters/sqlstore).
// ledgertest.RunStoreTests holds every Store to the same rules.
type Store interface {
	CreateAccounts(ctx context.Context, accounts []Account) ([]Result, error)
	// CreateTransfers creates transfers in order, one Result each. A
	// store may commit concurrent callers' batches together; each caller
	// gets its own results.
	CreateTransfers(ctx context.Context, transfers []Transfer) ([]Result, error)
	// LookupAccounts returns the accounts that exist, in the order asked.
	LookupAccounts(ctx context.Context, ids []ID) ([]Account, error)
	// LookupTransfers returns the transfers that exist, in the order asked,
	// with where each pending one is.
	LookupTransfers(ctx context.Context, ids []ID) ([]Transfer, []PendingStatus, error)
	// Statement returns an account's history in [from, to], oldest first,
	// at most limit lines; nil for an account without History.
	Statement(ctx context.Context, account ID, from, to int64, limit int) ([]Entry, error)
	// Verify checks the invariants over everything stored.
	Verify(ctx context.Context) error
}

// MemoryStore is Memory as a Store.
type MemoryStore struct{ *Memory }

// NewMemoryStore returns an empty ledger in memory as a Store.
func NewMemoryStore(now func() int64) MemoryStore { return MemoryStore{NewMemory(now)} }

func (m MemoryStore) CreateAccounts(ctx context.Context, accounts []Account) ([]Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return m.Memory.CreateAccounts(accounts, nil), nil
}

func (m MemoryStore) CreateTransfers(ctx context.Context, transfers []Transfer) ([]Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return m.Memory.CreateTransfers(transfers, nil), nil
}

func (m MemoryStore) LookupAccounts(_ context.Context, ids []ID) ([]Account, error) {
	out := []Account{}
	m.View(func(e *Engine) {
		for _, id := range ids {
			if a, ok := e.Account(id); ok {
				out = append(out, a)
			}
		}
	})
	return out, nil
}

func (m MemoryStore) LookupTransfers(_ context.Context, ids []ID) ([]Transfer, []PendingStatus, error) {
	out, st := []Transfer{}, []PendingStatus{}
	m.View(func(e *Engine) {
		for _, id := range ids {
			if t, ok := e.Transfer(id); ok {
				out = append(out, t)
				st = append(st, e.PendingStatus(id))
			}
		}
	})
	return out, st, nil
}

func (m MemoryStore) Statement(_ context.Context, account ID, from, to int64, limit int) ([]Entry, error) {
	var out []Entry
	m.View(func(e *Engine) {
		if to <= 0 {
			to = math.MaxInt64
		}
		out, _ = e.Statement(account, from, to, limit)
	})
	return out, nil
}

func (m MemoryStore) Verify(context.Context) error {
	var err error
	m.View(func(e *Engine) { err = e.Verify() })
	return err
}

var _ Store = MemoryStore{}
