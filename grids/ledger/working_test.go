package ledger_test

import (
	"context"
	"fmt"
	"sync"

	"github.com/linli-go/linli/grids/ledger"
)

// workingStore keeps the ledger in maps, as a database would, and runs the
// engine over each batch's working set — the SQL stores' method, held to
// the conformance suite here without a database.
type workingStore struct {
	mu        sync.Mutex
	now       func() int64
	last      int64
	accounts  map[ledger.ID]ledger.Account
	changed   map[ledger.ID]int64
	transfers map[ledger.ID]ledger.Transfer
	status    map[ledger.ID]ledger.PendingStatus
	posted    map[ledger.ID]int64
	order     []ledger.ID
	failed    map[ledger.ID]ledger.Result
	history   map[ledger.ID][]ledger.HistoryLine
}

func newWorkingStore(now func() int64) *workingStore {
	return &workingStore{now: now, accounts: map[ledger.ID]ledger.Account{}, changed: map[ledger.ID]int64{}, transfers: map[ledger.ID]ledger.Transfer{},
		status: map[ledger.ID]ledger.PendingStatus{}, posted: map[ledger.ID]int64{}, failed: map[ledger.ID]ledger.Result{}, history: map[ledger.ID][]ledger.HistoryLine{}}
}

func (w *workingStore) engine() *ledger.Engine {
	now := w.now
	return ledger.NewEngine(func() int64 {
		if now == nil {
			return w.last + 1
		}
		return max(now(), w.last)
	})
}

func (w *workingStore) CreateAccounts(_ context.Context, as []ledger.Account) ([]ledger.Result, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	e := w.engine()
	for _, a := range as {
		if old, ok := w.accounts[a.ID]; ok {
			e.LoadAccount(old, w.changed[a.ID])
		}
	}
	results := e.CreateAccounts(as, nil)
	for i, a := range as {
		if results[i] == ledger.Ok {
			got, _ := e.Account(a.ID)
			w.accounts[a.ID] = got
			w.last = max(w.last, got.Timestamp)
		}
	}
	return results, nil
}

func (w *workingStore) CreateTransfers(_ context.Context, ts []ledger.Transfer) ([]ledger.Result, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	e := w.engine()
	loadAccount := func(id ledger.ID) {
		if a, ok := w.accounts[id]; ok {
			e.LoadAccount(a, w.changed[id])
		}
	}
	loadTransfer := func(id ledger.ID) {
		if t, ok := w.transfers[id]; ok {
			loadAccount(t.DebitAccountID)
			loadAccount(t.CreditAccountID)
			e.LoadTransfer(t, w.status[id], w.posted[id])
		}
	}
	// Pending transfers whose time is up, and everything the batch names.
	now := e.Now()
	for _, id := range w.order {
		t := w.transfers[id]
		if w.status[id] == ledger.StillPending && t.Timeout > 0 && t.Timestamp+int64(t.Timeout)*1e9 <= now {
			loadTransfer(id)
		}
	}
	for _, t := range ts {
		loadAccount(t.DebitAccountID)
		loadAccount(t.CreditAccountID)
		loadTransfer(t.ID)
		loadTransfer(t.PendingID)
		if r, ok := w.failed[t.ID]; ok {
			e.LoadFailed(t.ID, r)
		}
	}
	e.Journal()
	results := e.CreateTransfers(ts, nil)
	c := e.Changes()
	for _, t := range c.Transfers {
		if _, ok := w.transfers[t.ID]; ok {
			panic(fmt.Sprintf("transfer %v created twice", t.ID))
		}
		w.transfers[t.ID] = t
		w.order = append(w.order, t.ID)
		if t.Flags&ledger.Pending != 0 {
			w.status[t.ID] = ledger.StillPending
		}
		w.last = max(w.last, t.Timestamp)
	}
	for _, a := range c.Accounts {
		w.accounts[a.ID] = a
	}
	for _, s := range c.Statuses {
		w.status[s.ID] = s.Status
		if s.Status == ledger.Posted {
			w.posted[s.ID] = s.Posted
		}
		w.last = max(w.last, s.At)
	}
	for _, f := range c.Failed {
		w.failed[f.ID] = f.Result
	}
	for _, h := range c.History {
		w.history[h.Account] = append(w.history[h.Account], h)
		w.changed[h.Account] = max(w.changed[h.Account], h.Balance.Timestamp)
	}
	return results, nil
}

func (w *workingStore) LookupAccounts(_ context.Context, ids []ledger.ID) ([]ledger.Account, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := []ledger.Account{}
	for _, id := range ids {
		if a, ok := w.accounts[id]; ok {
			out = append(out, a)
		}
	}
	return out, nil
}

func (w *workingStore) LookupTransfers(_ context.Context, ids []ledger.ID) ([]ledger.Transfer, []ledger.PendingStatus, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	out, st := []ledger.Transfer{}, []ledger.PendingStatus{}
	for _, id := range ids {
		if t, ok := w.transfers[id]; ok {
			out = append(out, t)
			st = append(st, w.status[id])
		}
	}
	return out, st, nil
}

func (w *workingStore) Statement(_ context.Context, account ledger.ID, from, to int64, limit int) ([]ledger.Entry, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := []ledger.Entry{}
	for _, h := range w.history[account] {
		if h.Balance.Timestamp < from || h.Balance.Timestamp > to || limit > 0 && len(out) == limit {
			continue
		}
		out = append(out, ledger.Entry{Transfer: w.transfers[h.Transfer], Expiry: h.Expiry, Balance: h.Balance})
	}
	return out, nil
}

// Verify rebuilds an engine from everything stored and checks it.
func (w *workingStore) Verify(context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	e := w.engine()
	for _, a := range w.accounts {
		e.LoadAccount(a, 0)
	}
	for _, id := range w.order {
		e.LoadTransfer(w.transfers[id], w.status[id], w.posted[id])
	}
	return e.Verify()
}

var _ ledger.Store = (*workingStore)(nil)
