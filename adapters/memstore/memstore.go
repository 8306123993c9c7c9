package memstore

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/internal/errs"
)

// Store holds every domain's records in memory. The zero value is not
// usable; call New.
type Store struct {
	mu         sync.RWMutex
	grids      gridsData
	governance governanceData
	access     accessData
	points     pointsData
	funds      fundsData
	// ledgers are the books of points and funds, one engine a community,
	// written in the transactions of the records.
	ledgers map[string]*ledger.Engine
	// versions advance with every committed transaction that wrote a
	// community's records or books (Version).
	versions map[string]int64
	now      func() int64
}

// New returns an empty Store.
func New() *Store { return NewWithClock(nil) }

// NewWithClock returns an empty Store whose ledger stamps transfers with
// now (time.Now if nil): a demo or a simulation can book the past.
func NewWithClock(now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	s := &Store{}
	s.grids.init()
	s.governance.init()
	s.access.init()
	s.points.init()
	s.funds.init()
	s.ledgers = map[string]*ledger.Engine{}
	s.versions = map[string]int64{}
	s.now = func() int64 { return now().UnixNano() }
	return s
}

// errReadOnly is returned by writes inside View.
var errReadOnly = errs.Internalf("memstore: write in a read-only transaction")

// txn is the state every transaction shares: whether it may write and how
// to undo what it wrote.
type txn struct {
	write   bool
	undo    []func()
	commits []func() // run once the transaction holds
	written []string // the communities written
}

// wrote notes a write to a community's records: its version advances if
// the transaction commits.
func (t *txn) wrote(community string) {
	if !slices.Contains(t.written, community) {
		t.written = append(t.written, community)
	}
}

// onUndo records how to undo a write outside the tables.
func (t *txn) onUndo(f func()) error {
	if !t.write {
		return errReadOnly
	}
	t.undo = append(t.undo, f)
	return nil
}

// view runs fn under the read lock.
func (s *Store) view(ctx context.Context, fn func(*txn) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return fn(&txn{})
}

// update runs fn under the write lock and undoes its writes unless it
// returns nil.
func (s *Store) update(ctx context.Context, fn func(*txn) error) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := &txn{write: true}
	committed := false
	defer func() {
		if !committed {
			for i := len(t.undo) - 1; i >= 0; i-- {
				t.undo[i]()
			}
		}
	}()
	if err := fn(t); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	committed = true
	for _, f := range t.commits {
		f()
	}
	for _, c := range t.written {
		s.versions[c]++
	}
	return nil
}

// version is the number of committed transactions that wrote the
// community's records or books: every domain store's Version. One number
// for all of them is allowed (a version may advance with writes it does
// not cover) and costs nothing here.
func (s *Store) version(ctx context.Context, community string) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.versions[community], nil
}

// ledger is a community's ledger in t. A write transaction opens a
// transaction on the community's engine (made if missing), which commits
// or rolls back with t.
func (s *Store) ledger(t *txn, community string) ledger.Tx {
	e := s.ledgers[community]
	if !t.write {
		return ledger.EngineTx(e, false)
	}
	t.wrote(community)
	if e == nil {
		e = ledger.NewEngine(s.now)
		s.ledgers[community] = e
		t.undo = append(t.undo, func() { delete(s.ledgers, community) })
	}
	if !e.InTransaction() {
		e.Begin()
		t.undo = append(t.undo, e.Rollback)
		t.commits = append(t.commits, e.Commit)
	}
	return ledger.EngineTx(e, true)
}

// table holds one kind of record by community, then ID.
type table[T any] map[string]map[string]T

func (tb table[T]) get(community, id string) (T, bool) {
	v, ok := tb[community][id]
	return v, ok
}

// put stores v, recording how to undo it.
func (tb table[T]) put(t *txn, community, id string, v T) error {
	if !t.write {
		return errReadOnly
	}
	t.wrote(community)
	rows := tb[community]
	if rows == nil {
		rows = map[string]T{}
		tb[community] = rows
		t.undo = append(t.undo, func() { delete(tb, community) })
	}
	old, had := rows[id]
	t.undo = append(t.undo, func() {
		if had {
			rows[id] = old
		} else {
			delete(rows, id)
		}
	})
	rows[id] = v
	return nil
}

// del removes a record, recording how to undo it.
func (tb table[T]) del(t *txn, community, id string) error {
	if !t.write {
		return errReadOnly
	}
	rows := tb[community]
	old, had := rows[id]
	if !had {
		return nil
	}
	t.wrote(community)
	delete(rows, id)
	t.undo = append(t.undo, func() { rows[id] = old })
	return nil
}

// find returns the page of a community's records that match, in ID order,
// and how many match in all (-1 if the page asks for no total). It sorts
// the matching IDs, not the records, and copies out only the page's.
func find[T any](tb table[T], community string, page grids.Page, match func(T) bool) ([]T, int, error) {
	rows := tb[community]
	ids := make([]string, 0, len(rows))
	for id, v := range rows {
		if match(v) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	cutIDs, total, err := cut(ids, page, func(id string) (string, bool) { _, ok := rows[id]; return id, ok }, strings.Compare)
	if err != nil {
		return nil, 0, err
	}
	out := make([]T, len(cutIDs))
	for i, id := range cutIDs {
		out[i] = rows[id]
	}
	return out, total, nil
}

// cut cuts records sorted by order to a page: from page.Offset, or just
// after the record page.After names (looked up by ID, and placed by order,
// so that one no longer matching the filter still marks the place). It
// returns the total, or -1 if the page asks for none.
func cut[T any](all []T, page grids.Page, lookup func(id string) (T, bool), order func(a, b T) int) ([]T, int, error) {
	total := len(all)
	lo := min(page.Offset, total)
	if page.After != "" {
		after, ok := lookup(page.After)
		if !ok {
			return nil, 0, grids.ErrNoSuchAfter(page.After)
		}
		lo, _ = slices.BinarySearchFunc(all, after, func(v, a T) int {
			if c := order(v, a); c != 0 {
				return c
			}
			return -1 // equal keys are the record itself: start after it
		})
	}
	hi := total
	if page.Limit > 0 {
		hi = min(lo+page.Limit, total)
	}
	if page.NoTotal {
		total = -1
	}
	return all[lo:hi], total, nil
}

// one returns the record or a NotFound error naming it.
func one[T any](tb table[T], kind, community, id string) (T, error) {
	v, ok := tb.get(community, id)
	if !ok {
		return v, errs.E(errs.NotFound, "%s %s not found", kind, id)
	}
	return v, nil
}

// exists returns an error unless the record exists.
func exists[T any](tb table[T], kind, community, id string) error {
	if _, ok := tb.get(community, id); !ok {
		return errs.E(errs.Invalid, "no %s %s in community %s", kind, id, community)
	}
	return nil
}
