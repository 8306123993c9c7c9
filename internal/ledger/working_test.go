package ledger_test

import (
	"fmt"

	"github.com/linli-go/linli/internal/ledger"
)

// workingSet keeps the ledger in maps, as a database would, and runs the
// engine over each batch's working set — the SQL stores' method, held to
// the model here without a database.
type workingSet struct {
	now       func() int64
	last      int64
	accounts  map[ledger.ID]ledger.Account
	changed   map[ledger.ID]int64
	transfers map[ledger.ID]ledger.Transfer
	status    map[ledger.ID]ledger.PendingStatus
	posted    map[ledger.ID]int64
	order     []ledger.ID
	failed    map[ledger.ID]ledger.Result
}

func newWorkingSet(now func() int64) *workingSet {
	return &workingSet{now: now, accounts: map[ledger.ID]ledger.Account{}, changed: map[ledger.ID]int64{}, transfers: map[ledger.ID]ledger.Transfer{},
		status: map[ledger.ID]ledger.PendingStatus{}, posted: map[ledger.ID]int64{}, failed: map[ledger.ID]ledger.Result{}}
}

func (w *workingSet) engine() *ledger.Engine {
	return ledger.NewEngine(func() int64 { return max(w.now(), w.last) })
}

func (w *workingSet) CreateAccounts(as []ledger.Account, results []ledger.Result) []ledger.Result {
	e := w.engine()
	for _, a := range as {
		if old, ok := w.accounts[a.ID]; ok {
			e.LoadAccount(old, w.changed[a.ID])
		}
	}
	results = e.CreateAccounts(as, results)
	for i, a := range as {
		if results[i] == ledger.Ok {
			got, _ := e.Account(a.ID)
			w.accounts[a.ID] = got
			w.last = max(w.last, got.Timestamp)
		}
	}
	return results
}

func (w *workingSet) CreateTransfers(ts []ledger.Transfer, results []ledger.Result) []ledger.Result {
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
	now := w.now()
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
	results = e.CreateTransfers(ts, results)
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
		w.changed[h.Account] = max(w.changed[h.Account], h.Balance.Timestamp)
	}
	return results
}

func (w *workingSet) Account(id ledger.ID) (ledger.Account, bool) {
	a, ok := w.accounts[id]
	return a, ok
}

func (w *workingSet) PendingStatus(id ledger.ID) ledger.PendingStatus { return w.status[id] }

func (w *workingSet) Count() int { return len(w.order) }

// Verify rebuilds an engine from everything stored and checks it.
func (w *workingSet) Verify() error {
	e := w.engine()
	for _, a := range w.accounts {
		e.LoadAccount(a, 0)
	}
	for _, id := range w.order {
		e.LoadTransfer(w.transfers[id], w.status[id], w.posted[id])
	}
	return e.Verify()
}
