package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/internal/errs"
)

// LedgerOptions configure a ledger store.
type LedgerOptions struct {
	// Now is the clock, in nanoseconds (time.Now if nil).
	Now func() int64
	// Alone runs each caller's batch in a transaction of its own. By
	// default concurrent callers' batches commit together (group commit),
	// up to MaxBatch transfers a transaction: single transfers share
	// commits, an account every request touches (a hot account) is limited
	// by transactions rather than requests, and concurrent batches over
	// the same accounts run as one instead of queueing on each other's
	// locks (on PostgreSQL, 4 clients' batches of 1,000 ran at half one
	// client's pace alone, and above it grouped).
	Alone    bool
	MaxBatch int // 8,000 if 0
}

// Ledger keeps a grids/ledger ledger in SQL. Each batch runs in one
// transaction: the accounts, transfers and failed IDs it refers to are
// read (on PostgreSQL, locked: accounts, then transfers, each in ID order,
// so concurrent batches never deadlock), ledger.Engine applies the rules,
// and what changed is written back in bulk.
type Ledger struct {
	db    *DB
	now   func() int64
	group *committer
	cache accountCache
}

// accountCache keeps accounts as last committed (SQLite only): a batch
// reads from it what it would select. It holds the accounts as of
// ledger_version = version, which every batch of this or any other
// process advances; a batch that fails empties it.
type accountCache struct {
	mu       sync.Mutex
	version  int64
	accounts map[ledger.ID]cachedAccount
}

type cachedAccount struct {
	a    ledger.Account
	last int64
}

// maxCached bounds the cache; past it, the cache starts again.
const maxCached = 1 << 20

// apply keeps the accounts a committed batch left at version, or forgets
// everything after a failure. Batches commit one at a time but apply
// after they release the writer, so a late one may find the cache moved
// on: it then adds nothing.
func (c *accountCache) apply(staged []cachedAccount, version int64, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case !ok:
		c.accounts, c.version = nil, -1
		return
	case version <= c.version:
		return
	case version != c.version+1 || c.accounts == nil || len(c.accounts) > maxCached:
		c.accounts = make(map[ledger.ID]cachedAccount, len(staged))
	}
	for _, x := range staged {
		c.accounts[x.a.ID] = x
	}
	c.version = version
}

// Ledger returns the ledger store of db.
func (db *DB) Ledger(opts LedgerOptions) *Ledger {
	l := &Ledger{db: db, now: opts.Now}
	if l.now == nil {
		l.now = func() int64 { return time.Now().UnixNano() }
	}
	if !opts.Alone {
		n := opts.MaxBatch
		if n <= 0 {
			n = 8000
		}
		l.group = newCommitter(l, n)
	}
	return l
}

// Close stops the group committer, if any, after the batches queued.
func (l *Ledger) Close() {
	if l.group != nil {
		l.group.close()
	}
}

var _ ledger.Store = (*Ledger)(nil)

// ids returns the distinct non-zero IDs, in byte order.
func sortedIDs(in ...[]ledger.ID) [][]byte {
	seen := map[ledger.ID]bool{}
	var out [][]byte
	for _, list := range in {
		for _, id := range list {
			if id.IsZero() || seen[id] {
				continue
			}
			seen[id] = true
			out = append(out, append([]byte(nil), id[:]...))
		}
	}
	slices.SortFunc(out, bytes.Compare)
	return out
}

func toID(b []byte) ledger.ID {
	var id ledger.ID
	copy(id[:], b)
	return id
}

// byKey is a column of a query that finds rows by their primary key, as
// it must be written so that SQLite keeps to that key: a unary + keeps
// its planner from an index on the column instead (by community and
// time, it would read every transfer of the community).
func (db *DB) byKey(col string) string {
	if db.dialect == SQLite {
		return "+" + col
	}
	return col
}

// inIDs appends "col IN (…)" (SQLite) or "col = ANY(?)" (PostgreSQL).
func (t *tx) inIDs(q *query, col string, ids [][]byte) {
	if t.db.dialect == Postgres {
		q.add(col+" = ANY(?)", ids)
		return
	}
	q.b.WriteString(col + " IN ")
	vals := make([]any, len(ids))
	for i, id := range ids {
		vals[i] = id
	}
	q.tuple(vals...)
}

// forUpdate is the lock clause of a write transaction on PostgreSQL.
func (t *tx) forUpdate() string {
	if t.db.dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

const ledgerAccountCols = "id, user_data_128, user_data_64, ledger, code, flags, debits_pending, debits_posted, credits_pending, credits_posted, timestamp, last_change"

func scanLedgerAccount(r scanner) (ledger.Account, int64, error) {
	var a ledger.Account
	var id, ud []byte
	var ud64 int64
	var ledgerN, code, flags int64
	var last int64
	err := r.Scan(&id, &ud, &ud64, &ledgerN, &code, &flags, &a.DebitsPending, &a.DebitsPosted, &a.CreditsPending, &a.CreditsPosted, &a.Timestamp, &last)
	a.ID, a.UserData128, a.UserData64 = toID(id), toID(ud), uint64(ud64)
	a.Ledger, a.Code, a.Flags = uint32(ledgerN), uint16(code), ledger.AccountFlags(flags)
	return a, last, err
}

const ledgerTransferCols = "id, debit_account_id, credit_account_id, amount, pending_id, user_data_128, user_data_64, user_data_32, timeout, ledger, code, flags, timestamp, status, posted"

func scanLedgerTransfer(r scanner) (ledger.Transfer, ledger.PendingStatus, int64, error) {
	var t ledger.Transfer
	var id, dr, cr, pid, ud []byte
	var ud64, ud32, timeout, ledgerN, code, flags, status, posted int64
	err := r.Scan(&id, &dr, &cr, &t.Amount, &pid, &ud, &ud64, &ud32, &timeout, &ledgerN, &code, &flags, &t.Timestamp, &status, &posted)
	t.ID, t.DebitAccountID, t.CreditAccountID, t.PendingID, t.UserData128 = toID(id), toID(dr), toID(cr), toID(pid), toID(ud)
	t.UserData64, t.UserData32, t.Timeout = uint64(ud64), uint32(ud32), uint32(timeout)
	t.Ledger, t.Code, t.Flags = uint32(ledgerN), uint16(code), ledger.TransferFlags(flags)
	return t, ledger.PendingStatus(status), posted, err
}

func (t *tx) ledgerAccounts(ctx context.Context, community string, ids [][]byte, lock bool) ([]ledger.Account, []int64, error) {
	if len(ids) == 0 {
		return nil, nil, nil
	}
	q := (&query{}).add("SELECT " + ledgerAccountCols + " FROM ledger_accounts WHERE ")
	t.inIDs(q, "id", ids)
	q.add(" AND "+t.db.byKey("community_id")+" = ? ORDER BY id", community)
	if lock {
		q.b.WriteString(t.forUpdate())
	}
	rows, err := t.query(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var as []ledger.Account
	var lasts []int64
	for rows.Next() {
		a, last, err := scanLedgerAccount(rows)
		if err != nil {
			return nil, nil, err
		}
		as, lasts = append(as, a), append(lasts, last)
	}
	return as, lasts, rows.Err()
}

type storedTransfer struct {
	t      ledger.Transfer
	status ledger.PendingStatus
	posted int64
}

func (t *tx) ledgerTransfers(ctx context.Context, community string, ids [][]byte, lock bool) ([]storedTransfer, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	q := (&query{}).add("SELECT " + ledgerTransferCols + " FROM ledger_transfers WHERE ")
	t.inIDs(q, "id", ids)
	q.add(" AND "+t.db.byKey("community_id")+" = ? ORDER BY id", community)
	if lock {
		q.b.WriteString(t.forUpdate())
	}
	rows, err := t.query(ctx, q)
	return collect(rows, err, func(r *sql.Rows) (storedTransfer, error) {
		tr, st, posted, err := scanLedgerTransfer(r)
		return storedTransfer{tr, st, posted}, err
	})
}

// CreateAccounts creates accounts in one transaction.
func (l *Ledger) CreateAccounts(ctx context.Context, accounts []ledger.Account) ([]ledger.Result, error) {
	var results []ledger.Result
	err := l.run(ctx, func(t *tx) error {
		var err error
		results, err = l.createAccounts(ctx, t, "", accounts)
		return err
	})
	return results, err
}

// createAccounts creates a community's accounts in t.
func (l *Ledger) createAccounts(ctx context.Context, t *tx, community string, accounts []ledger.Account) ([]ledger.Result, error) {
	ids := make([]ledger.ID, len(accounts))
	for i, a := range accounts {
		ids[i] = a.ID
	}
	e := ledger.NewEngine(l.now)
	have, lasts, err := t.ledgerAccounts(ctx, community, sortedIDs(ids), true)
	if err != nil {
		return nil, err
	}
	for i, a := range have {
		e.LoadAccount(a, lasts[i])
	}
	results := e.CreateAccounts(accounts, nil)
	var rows [][]any
	for i, a := range accounts {
		if results[i] == ledger.Ok {
			got, _ := e.Account(a.ID)
			rows = append(rows, append(accountRow(got, got.Timestamp), community))
		}
	}
	return results, t.insertRows(ctx, "ledger_accounts", ledgerAccountCols+", community_id", rows, "")
}

func accountRow(a ledger.Account, last int64) []any {
	return []any{a.ID[:], a.UserData128[:], int64(a.UserData64), int64(a.Ledger), int64(a.Code), int64(a.Flags),
		a.DebitsPending, a.DebitsPosted, a.CreditsPending, a.CreditsPosted, a.Timestamp, last}
}

// chunks are the statement sizes rows are written in: SQL text that is
// always the same is parsed once (SQLite: kept by its connection, see
// stmtcache.go; PostgreSQL: pgx's statement cache), where a statement per
// batch size is parsed every time.
var chunkSizes = []int{64, 16, 4, 1}

func (l *Ledger) exec(ctx context.Context, t *tx, q *query) error {
	_, err := t.exec(ctx, q)
	return err
}

const historyCols = "account_id, timestamp, transfer_id, expiry, debits_pending, debits_posted, credits_pending, credits_posted"

// The columns a batch inserts: each row carries its community.
const (
	transferInsertCols = ledgerTransferCols + ", expires_at, community_id"
	failedInsertCols   = "id, result, community_id"
	historyInsertCols  = historyCols + ", community_id"
)

// dueText finds a community's pending transfers whose time is up.
const dueText = "SELECT id, debit_account_id, credit_account_id FROM ledger_transfers WHERE community_id = ? AND status = ? AND expires_at <= ? ORDER BY expires_at LIMIT 100"

// insertText is the INSERT of n rows.
func insertText(table, cols string, n int, onConflict string) string {
	per := strings.Count(cols, ",") + 1
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", per), ", ") + ")"
	return "INSERT INTO " + table + " (" + cols + ") VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", n), ", ") + onConflict
}

// balancesText writes n accounts' balances and last change (SQLite) as
// an upsert that binds only those: every account a batch changes exists
// (it was loaded), so the conflict clause always applies and the
// placeholder values of the other columns are never stored.
func balancesText(n int) string {
	row := "(?, x'', 0, 0, 0, 0, ?, ?, ?, ?, 0, ?)"
	return "INSERT INTO ledger_accounts (" + ledgerAccountCols + ") VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", n), ", ") +
		" ON CONFLICT (id) DO UPDATE SET debits_pending = excluded.debits_pending, debits_posted = excluded.debits_posted," +
		" credits_pending = excluded.credits_pending, credits_posted = excluded.credits_posted, last_change = max(last_change, excluded.last_change)"
}

// updateBalances writes accounts' balances in statements of the chunk
// sizes.
func (l *Ledger) updateBalances(ctx context.Context, t *tx, rows [][]any) error {
	for len(rows) > 0 {
		size := 1
		for _, c := range chunkSizes {
			if len(rows) >= c {
				size = c
				break
			}
		}
		q := &query{}
		q.b.WriteString(balancesText(size))
		for i := range size {
			q.args = append(q.args, rows[i]...)
		}
		if err := l.exec(ctx, t, q); err != nil {
			return err
		}
		rows = rows[size:]
	}
	return nil
}

// selectText is the SELECT of 64 IDs' rows of a community (SQLite).
func selectText(cols, table, suffix string) string {
	return "SELECT " + cols + " FROM " + table + " WHERE id IN (" + strings.TrimSuffix(strings.Repeat("?, ", 64), ", ") + ") AND +community_id = ?" + suffix
}

// insertChunks inserts rows in statements of the chunk sizes, with an
// optional ON CONFLICT clause; on PostgreSQL, all in one statement of
// arrays.
func (l *Ledger) insertChunks(ctx context.Context, t *tx, table, cols string, rows [][]any, onConflict string) error {
	if l.db.dialect == Postgres {
		if len(rows) == 0 {
			return nil
		}
		return l.exec(ctx, t, unnestInsert(table, cols, rows, onConflict))
	}
	for len(rows) > 0 {
		size := 1
		for _, c := range chunkSizes {
			if len(rows) >= c {
				size = c
				break
			}
		}
		q := &query{}
		q.b.WriteString(insertText(table, cols, size, onConflict))
		for i := range size {
			q.args = append(q.args, rows[i]...)
		}
		if err := l.exec(ctx, t, q); err != nil {
			return err
		}
		rows = rows[size:]
	}
	return nil
}

// selectChunks runs "SELECT cols FROM table WHERE id IN (…) AND
// community_id = ?" over ids in chunks of 64 (the last padded with its own
// last ID), scanning each row; on PostgreSQL, all in one query of an array.
func (l *Ledger) selectChunks(ctx context.Context, t *tx, community, cols, table, suffix string, ids [][]byte, scan func(*sql.Rows) error) error {
	step := 64
	if l.db.dialect == Postgres {
		step = max(1, len(ids))
	}
	for lo := 0; lo < len(ids); lo += step {
		q := &query{}
		if l.db.dialect == Postgres {
			q.add("SELECT "+cols+" FROM "+table+" WHERE id = ANY(?) AND community_id = ?"+suffix, ids, community)
		} else {
			chunk := ids[lo:min(lo+64, len(ids))]
			vals := make([]any, 64)
			for i := range vals {
				vals[i] = chunk[min(i, len(chunk)-1)]
			}
			q.args = append(vals, community)
			q.b.WriteString(selectText(cols, table, suffix))
		}
		rows, err := t.query(ctx, q)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return err
			}
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return err
		}
	}
	return nil
}

// unnestInsert is the INSERT of rows as one statement whose arguments are
// a column array each (PostgreSQL): one round trip and one plan for any
// number of rows. A nil value is stored as NULL (its array holds 0).
func unnestInsert(table, cols string, rows [][]any, onConflict string) *query {
	names := strings.Split(cols, ", ")
	q := &query{}
	exprs, params := make([]string, len(names)), make([]string, len(names))
	for j, name := range names {
		var arg any
		switch rows[0][j].(type) {
		case string:
			col := make([]string, len(rows))
			for i, r := range rows {
				col[i] = r[j].(string)
			}
			arg, params[j] = col, "?::text[]"
		case []byte:
			col := make([][]byte, len(rows))
			for i, r := range rows {
				col[i] = r[j].([]byte)
			}
			arg, params[j] = col, "?::bytea[]"
		default:
			col := make([]int64, len(rows))
			for i, r := range rows {
				if v, ok := r[j].(int64); ok {
					col[i] = v
				}
			}
			arg, params[j] = col, "?::bigint[]"
		}
		q.args = append(q.args, arg)
		exprs[j] = "u." + name
		if name == "expires_at" {
			exprs[j] = "NULLIF(u.expires_at, 0)"
		}
	}
	q.b.WriteString("INSERT INTO " + table + " (" + cols + ") SELECT " + strings.Join(exprs, ", ") +
		" FROM unnest(" + strings.Join(params, ", ") + ") AS u(" + cols + ")" + onConflict)
	return q
}

// maxID returns the greatest ID in a table: IDs above it are not there.
func (l *Ledger) maxID(ctx context.Context, t *tx, table string) ([]byte, error) {
	var id []byte
	rows, err := t.query(ctx, (&query{}).add("SELECT id FROM "+table+" ORDER BY id DESC LIMIT 1"))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
	}
	return id, rows.Err()
}

// insertRows inserts rows in batches, with an optional ON CONFLICT clause.
func (t *tx) insertRows(ctx context.Context, table, cols string, rows [][]any, onConflict string) error {
	if len(rows) == 0 {
		return nil
	}
	per := strings.Count(cols, ",") + 1
	for _, b := range batches(len(rows), per) {
		q := &query{}
		q.b.WriteString("INSERT INTO " + table + " (" + cols + ") VALUES ")
		for i := b[0]; i < b[1]; i++ {
			if i > b[0] {
				q.b.WriteString(", ")
			}
			q.tuple(rows[i]...)
		}
		q.b.WriteString(onConflict)
		if _, err := t.exec(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// errRetry asks for a batch to run again: another transaction created an
// ID this one was about to (a simultaneous retry); the next run sees it.
var errRetry = errors.New("sqlstore: ledger: retry")

// run runs fn in a write transaction, again (bounded) after a conflict on
// a new ID.
func (l *Ledger) run(ctx context.Context, fn func(t *tx) error) error {
	for attempt := 1; ; attempt++ {
		err := l.db.write(ctx, func(s *sql.Tx) error {
			err := fn(&tx{db: l.db, sql: s, write: true})
			if errs.CodeOf(err) == errs.Conflict {
				return errRetry
			}
			return err
		})
		if !errors.Is(err, errRetry) || attempt == maxAttempts {
			if errors.Is(err, errRetry) {
				return errs.Internalf("sqlstore: ledger: a batch kept meeting concurrent creations of its IDs")
			}
			return err
		}
	}
}

// CreateTransfers creates transfers: in one transaction of their own, or
// with other callers' batches when the ledger commits in groups.
func (l *Ledger) CreateTransfers(ctx context.Context, transfers []ledger.Transfer) ([]ledger.Result, error) {
	if l.group != nil && len(transfers) > 0 && transfers[len(transfers)-1].Flags&ledger.Linked == 0 {
		return l.group.submit(ctx, transfers)
	}
	return l.createTransfers(ctx, transfers)
}

func (l *Ledger) createTransfers(ctx context.Context, transfers []ledger.Transfer) ([]ledger.Result, error) {
	var results []ledger.Result
	var staged []cachedAccount
	var version int64
	err := l.run(ctx, func(t *tx) error {
		var err error
		results, staged, version, err = l.batch(ctx, t, "", true, transfers)
		return err
	})
	if l.db.dialect == SQLite {
		l.cache.apply(staged, version, err == nil)
	}
	return results, err
}

// batch runs one batch of a community's transfers in t. Only the ledger
// used directly (whose transactions are its own) reads and keeps the
// SQLite account cache: a batch in a larger transaction could be rolled
// back after it, and the version it advances empties the cache anyway.
func (l *Ledger) batch(ctx context.Context, t *tx, community string, cached bool, transfers []ledger.Transfer) ([]ledger.Result, []cachedAccount, int64, error) {
	l.db.batches.Observe(float64(len(transfers)))
	now := l.now()
	ids := make([]ledger.ID, 0, len(transfers))
	pendingIDs := []ledger.ID{}
	accountIDs := make([]ledger.ID, 0, 2*len(transfers))
	for _, tr := range transfers {
		ids = append(ids, tr.ID)
		accountIDs = append(accountIDs, tr.DebitAccountID, tr.CreditAccountID)
		if !tr.PendingID.IsZero() {
			pendingIDs = append(pendingIDs, tr.PendingID)
		}
	}
	// Pending transfers whose time is up (some of them) expire with this
	// batch; pending transfers it resolves bring their accounts.
	due := []ledger.ID{}
	rows, err := t.query(ctx, (&query{}).add(dueText, community, int64(ledger.StillPending), now))
	type triple struct{ id, d, c []byte }
	dueRows, err := collect(rows, err, func(r *sql.Rows) (triple, error) {
		var x triple
		return x, r.Scan(&x.id, &x.d, &x.c)
	})
	if err != nil {
		return nil, nil, 0, err
	}
	for _, d := range dueRows {
		due = append(due, toID(d.id))
		accountIDs = append(accountIDs, toID(d.d), toID(d.c))
	}
	if len(pendingIDs) > 0 {
		peek, err := t.ledgerTransfers(ctx, community, sortedIDs(pendingIDs), false)
		if err != nil {
			return nil, nil, 0, err
		}
		for _, p := range peek {
			accountIDs = append(accountIDs, p.t.DebitAccountID, p.t.CreditAccountID)
		}
	}
	e := ledger.NewEngine(func() int64 { return now })
	loaded, version, err := l.loadAccounts(ctx, t, community, cached, e, accountIDs)
	if err != nil {
		return nil, nil, 0, err
	}
	// IDs are increasing (ULIDs): those above the greatest stored are new,
	// and need no lookup.
	newest, err := l.maxID(ctx, t, "ledger_transfers")
	if err != nil {
		return nil, nil, 0, err
	}
	lookup := append(append([]ledger.ID{}, pendingIDs...), due...)
	for _, id := range ids {
		if bytes.Compare(id[:], newest) <= 0 {
			lookup = append(lookup, id)
		}
	}
	err = l.selectChunks(ctx, t, community, ledgerTransferCols, "ledger_transfers", " ORDER BY id"+t.forUpdate(), sortedIDs(lookup), func(r *sql.Rows) error {
		tr, st, posted, err := scanLedgerTransfer(r)
		e.LoadTransfer(tr, st, posted)
		return err
	})
	if err != nil {
		return nil, nil, 0, err
	}
	lastFailed, err := l.maxID(ctx, t, "ledger_failed")
	if err != nil {
		return nil, nil, 0, err
	}
	var maybeFailed []ledger.ID
	for _, id := range ids {
		if bytes.Compare(id[:], lastFailed) <= 0 {
			maybeFailed = append(maybeFailed, id)
		}
	}
	err = l.selectChunks(ctx, t, community, "id, result", "ledger_failed", "", sortedIDs(maybeFailed), func(r *sql.Rows) error {
		var id []byte
		var res int64
		err := r.Scan(&id, &res)
		e.LoadFailed(toID(id), ledger.Result(res))
		return err
	})
	if err != nil {
		return nil, nil, 0, err
	}
	e.Journal()
	results := e.CreateTransfers(transfers, nil)
	changes := e.Changes()
	if err := l.write(ctx, t, community, changes); err != nil {
		return nil, nil, 0, err
	}
	staged, err := l.stage(ctx, t, loaded, version, changes)
	return results, staged, version + 1, err
}

// loadAccounts gives the engine a batch's accounts: on PostgreSQL locked
// in ID order; on SQLite, if cached, from the cache where it holds them as
// of the ledger's version, which it returns. It returns what it loaded,
// with each account's last change.
func (l *Ledger) loadAccounts(ctx context.Context, t *tx, community string, cached bool, e *ledger.Engine, ids []ledger.ID) (map[ledger.ID]cachedAccount, int64, error) {
	loaded := make(map[ledger.ID]cachedAccount, len(ids))
	need := ids
	var version int64
	if l.db.dialect == SQLite {
		rows, err := t.query(ctx, (&query{}).add("SELECT version FROM ledger_version"))
		if err != nil {
			return nil, 0, err
		}
		for rows.Next() {
			err = rows.Scan(&version)
		}
		if err := errors.Join(err, rows.Err(), rows.Close()); err != nil {
			return nil, 0, err
		}
		c := &l.cache
		c.mu.Lock()
		need = need[:0:0]
		for _, id := range ids {
			x, ok := c.accounts[id]
			if !ok || c.version != version || !cached {
				need = append(need, id)
				continue
			}
			if _, dup := loaded[id]; !dup {
				loaded[id] = x
				e.LoadAccount(x.a, x.last)
			}
		}
		c.mu.Unlock()
	}
	err := l.selectChunks(ctx, t, community, ledgerAccountCols, "ledger_accounts", " ORDER BY id"+t.forUpdate(), sortedIDs(need), func(r *sql.Rows) error {
		a, last, err := scanLedgerAccount(r)
		e.LoadAccount(a, last)
		loaded[a.ID] = cachedAccount{a, last}
		return err
	})
	return loaded, version, err
}

// stage advances ledger_version (SQLite) and returns the accounts as the
// batch leaves them, for the cache to keep once the batch commits.
func (l *Ledger) stage(ctx context.Context, t *tx, loaded map[ledger.ID]cachedAccount, version int64, c ledger.Changes) ([]cachedAccount, error) {
	if l.db.dialect != SQLite {
		return nil, nil
	}
	if err := l.exec(ctx, t, (&query{}).add("UPDATE ledger_version SET version = ?", version+1)); err != nil {
		return nil, err
	}
	last := map[ledger.ID]int64{}
	for _, h := range c.History {
		last[h.Account] = max(last[h.Account], h.Balance.Timestamp)
	}
	for _, a := range c.Accounts {
		loaded[a.ID] = cachedAccount{a, max(loaded[a.ID].last, last[a.ID])}
	}
	staged := make([]cachedAccount, 0, len(loaded))
	for _, x := range loaded {
		staged = append(staged, x)
	}
	return staged, nil
}

// write stores what a batch of a community changed.
func (l *Ledger) write(ctx context.Context, t *tx, community string, c ledger.Changes) error {
	rows := make([][]any, 0, len(c.Transfers))
	for _, tr := range c.Transfers {
		status, expires := int64(0), any(nil)
		if tr.Flags&ledger.Pending != 0 {
			status = int64(ledger.StillPending)
			if tr.Timeout > 0 {
				expires = tr.Timestamp + int64(tr.Timeout)*int64(time.Second)
			}
		}
		rows = append(rows, []any{tr.ID[:], tr.DebitAccountID[:], tr.CreditAccountID[:], tr.Amount, tr.PendingID[:], tr.UserData128[:],
			int64(tr.UserData64), int64(tr.UserData32), int64(tr.Timeout), int64(tr.Ledger), int64(tr.Code), int64(tr.Flags), tr.Timestamp,
			status, int64(0), expires, community})
	}
	if err := l.insertChunks(ctx, t, "ledger_transfers", transferInsertCols, rows, ""); err != nil {
		return err
	}
	last := map[ledger.ID]int64{}
	for _, h := range c.History {
		last[h.Account] = max(last[h.Account], h.Balance.Timestamp)
	}
	rows = rows[:0]
	if l.db.dialect == SQLite {
		// Every account a batch changes exists: an UPDATE of the balances
		// binds half what an upsert of the whole row does.
		for _, a := range c.Accounts {
			rows = append(rows, []any{a.ID[:], a.DebitsPending, a.DebitsPosted, a.CreditsPending, a.CreditsPosted, last[a.ID]})
		}
		// In key order, each B-tree page is visited once.
		slices.SortFunc(rows, func(x, y []any) int { return bytes.Compare(x[0].([]byte), y[0].([]byte)) })
		if err := l.updateBalances(ctx, t, rows); err != nil {
			return err
		}
	} else if len(c.Accounts) > 0 {
		// The accounts are locked and exist: a plain UPDATE from arrays,
		// no speculative insertion.
		n := len(c.Accounts)
		ids, dp, dpo, cp, cpo, lc := make([][]byte, n), make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
		for i, a := range c.Accounts {
			ids[i], dp[i], dpo[i], cp[i], cpo[i], lc[i] = a.ID[:], a.DebitsPending, a.DebitsPosted, a.CreditsPending, a.CreditsPosted, last[a.ID]
		}
		q := (&query{}).add("UPDATE ledger_accounts a SET debits_pending = u.dp, debits_posted = u.dpo, credits_pending = u.cp, credits_posted = u.cpo,"+
			" last_change = GREATEST(a.last_change, u.lc) FROM unnest(?::bytea[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[]) AS u(id, dp, dpo, cp, cpo, lc)"+
			" WHERE a.id = u.id", ids, dp, dpo, cp, cpo, lc)
		if err := l.exec(ctx, t, q); err != nil {
			return err
		}
	}
	if l.db.dialect == Postgres && len(c.Statuses) > 0 {
		ids, statuses, posted := make([][]byte, len(c.Statuses)), make([]int64, len(c.Statuses)), make([]int64, len(c.Statuses))
		for i, s := range c.Statuses {
			ids[i], statuses[i], posted[i] = s.ID[:], int64(s.Status), s.Posted
		}
		q := (&query{}).add("UPDATE ledger_transfers t SET status = u.status, posted = u.posted FROM unnest(?::bytea[], ?::bigint[], ?::bigint[]) AS u(id, status, posted) WHERE t.id = u.id",
			ids, statuses, posted)
		if err := l.exec(ctx, t, q); err != nil {
			return err
		}
	} else {
		for _, s := range c.Statuses {
			q := (&query{}).add("UPDATE ledger_transfers SET status = ?, posted = ? WHERE id = ?", int64(s.Status), s.Posted, s.ID[:])
			if err := l.exec(ctx, t, q); err != nil {
				return err
			}
		}
	}
	rows = rows[:0]
	for _, f := range c.Failed {
		rows = append(rows, []any{f.ID[:], int64(f.Result), community})
	}
	if err := l.insertChunks(ctx, t, "ledger_failed", failedInsertCols, rows, ""); err != nil {
		return err
	}
	rows = rows[:0]
	for _, h := range c.History {
		expiry := int64(0)
		if h.Expiry {
			expiry = 1
		}
		b := h.Balance
		rows = append(rows, []any{h.Account[:], b.Timestamp, h.Transfer[:], expiry, b.DebitsPending, b.DebitsPosted, b.CreditsPending, b.CreditsPosted, community})
	}
	return l.insertChunks(ctx, t, "ledger_history", historyInsertCols, rows, "")
}

// LookupAccounts returns the accounts that exist, in the order asked.
func (l *Ledger) LookupAccounts(ctx context.Context, ids []ledger.ID) ([]ledger.Account, error) {
	var out []ledger.Account
	err := l.db.read(ctx, func(s querier) error {
		var err error
		out, err = lookupAccounts(ctx, &tx{db: l.db, sql: s}, "", ids)
		return err
	})
	return out, err
}

func lookupAccounts(ctx context.Context, t *tx, community string, ids []ledger.ID) ([]ledger.Account, error) {
	out := []ledger.Account{}
	by := map[ledger.ID]ledger.Account{}
	for _, b := range batches(len(ids), 1) {
		as, _, err := t.ledgerAccounts(ctx, community, sortedIDs(ids[b[0]:b[1]]), false)
		if err != nil {
			return nil, err
		}
		for _, a := range as {
			by[a.ID] = a
		}
	}
	for _, id := range ids {
		if a, ok := by[id]; ok {
			out = append(out, a)
		}
	}
	return out, nil
}

// LookupTransfers returns the transfers that exist, in the order asked,
// with where each pending one is.
func (l *Ledger) LookupTransfers(ctx context.Context, ids []ledger.ID) ([]ledger.Transfer, []ledger.PendingStatus, error) {
	var out []ledger.Transfer
	var st []ledger.PendingStatus
	err := l.db.read(ctx, func(s querier) error {
		var err error
		out, st, err = lookupTransfers(ctx, &tx{db: l.db, sql: s}, "", ids)
		return err
	})
	return out, st, err
}

func lookupTransfers(ctx context.Context, t *tx, community string, ids []ledger.ID) ([]ledger.Transfer, []ledger.PendingStatus, error) {
	out, st := []ledger.Transfer{}, []ledger.PendingStatus{}
	by := map[ledger.ID]storedTransfer{}
	for _, b := range batches(len(ids), 1) {
		part, err := t.ledgerTransfers(ctx, community, sortedIDs(ids[b[0]:b[1]]), false)
		if err != nil {
			return nil, nil, err
		}
		for _, f := range part {
			by[f.t.ID] = f
		}
	}
	for _, id := range ids {
		if f, ok := by[id]; ok {
			out, st = append(out, f.t), append(st, f.status)
		}
	}
	return out, st, nil
}

// Statement returns an account's history in [from, to], oldest first, at
// most limit lines (all if limit <= 0).
func (l *Ledger) Statement(ctx context.Context, account ledger.ID, from, to int64, limit int) ([]ledger.Entry, error) {
	var out []ledger.Entry
	err := l.db.read(ctx, func(s querier) error {
		var err error
		out, err = statement(ctx, &tx{db: l.db, sql: s}, "", account, from, to, limit)
		return err
	})
	return out, err
}

func statement(ctx context.Context, t *tx, community string, account ledger.ID, from, to int64, limit int) ([]ledger.Entry, error) {
	if to <= 0 {
		to = math.MaxInt64
	}
	q := (&query{}).add("SELECT h.timestamp, h.expiry, h.debits_pending, h.debits_posted, h.credits_pending, h.credits_posted, "+
		"t.id, t.debit_account_id, t.credit_account_id, t.amount, t.pending_id, t.user_data_128, t.user_data_64, t.user_data_32, t.timeout, t.ledger, t.code, t.flags, t.timestamp, t.status, t.posted "+
		"FROM ledger_history h JOIN ledger_transfers t ON t.id = h.transfer_id WHERE h.account_id = ? AND h.community_id = ? AND h.timestamp >= ? AND h.timestamp <= ? ORDER BY h.timestamp",
		account[:], community, from, to)
	if limit > 0 {
		q.add(" LIMIT ?", limit)
	}
	rows, err := t.query(ctx, q)
	lines, err := collect(rows, err, func(r *sql.Rows) (ledger.Entry, error) {
		var en ledger.Entry
		var expiry int64
		b := &en.Balance
		var id, dr, cr, pid, ud []byte
		var ud64, ud32, timeout, ledgerN, code, flags, status, posted int64
		err := r.Scan(&b.Timestamp, &expiry, &b.DebitsPending, &b.DebitsPosted, &b.CreditsPending, &b.CreditsPosted,
			&id, &dr, &cr, &en.Transfer.Amount, &pid, &ud, &ud64, &ud32, &timeout, &ledgerN, &code, &flags, &en.Transfer.Timestamp, &status, &posted)
		tr := &en.Transfer
		tr.ID, tr.DebitAccountID, tr.CreditAccountID, tr.PendingID, tr.UserData128 = toID(id), toID(dr), toID(cr), toID(pid), toID(ud)
		tr.UserData64, tr.UserData32, tr.Timeout = uint64(ud64), uint32(ud32), uint32(timeout)
		tr.Ledger, tr.Code, tr.Flags = uint32(ledgerN), uint16(code), ledger.TransferFlags(flags)
		en.Expiry = expiry == 1
		return en, err
	})
	if lines == nil {
		lines = []ledger.Entry{}
	}
	return lines, err
}

// snapshot reads a community's whole ledger. (community_id <> ” lets
// the planner use the indexes by community, which leave out the ledger
// used directly, whatever the parameter.)
func snapshot(ctx context.Context, t *tx, community string) (ledger.Snapshot, error) {
	var s ledger.Snapshot
	rows, err := t.query(ctx, (&query{}).add("SELECT "+ledgerAccountCols+" FROM ledger_accounts WHERE community_id = ? AND community_id <> '' ORDER BY id", community))
	s.Accounts, err = collect(rows, err, func(r *sql.Rows) (ledger.Account, error) {
		a, _, err := scanLedgerAccount(r)
		return a, err
	})
	if err != nil {
		return s, err
	}
	rows, err = t.query(ctx, (&query{}).add("SELECT "+ledgerTransferCols+" FROM ledger_transfers WHERE community_id = ? AND community_id <> '' ORDER BY timestamp", community))
	s.Transfers, err = collect(rows, err, func(r *sql.Rows) (ledger.Stored, error) {
		tr, st, posted, err := scanLedgerTransfer(r)
		return ledger.Stored{Transfer: tr, Status: st, Posted: posted}, err
	})
	return s, err
}

// in is the ledger of a community inside t, a transaction of the
// database's domain stores: what it writes commits or rolls back with
// their records.
func (l *Ledger) in(t *tx, community string) ledger.Tx {
	if t.write {
		t.wrote(community) // a transaction that opens the books may write them
	}
	return ledgerTx{l: l, t: t, community: community}
}

type ledgerTx struct {
	l         *Ledger
	t         *tx
	community string
}

// retryable marks a failure that running the whole transaction again
// resolves: another transaction created an ID this one was about to
// (a simultaneous retry of the same command), which the next run finds.
type retryable struct{ error }

func (r retryable) Unwrap() error { return r.error }

func (x ledgerTx) CreateAccounts(ctx context.Context, accounts []ledger.Account) ([]ledger.Result, error) {
	if !x.t.write {
		return nil, ledger.ErrReadOnly
	}
	rs, err := x.l.createAccounts(ctx, x.t, x.community, accounts)
	if errs.CodeOf(err) == errs.Conflict {
		return nil, retryable{err}
	}
	return rs, err
}

func (x ledgerTx) CreateTransfers(ctx context.Context, transfers []ledger.Transfer) ([]ledger.Result, error) {
	if !x.t.write {
		return nil, ledger.ErrReadOnly
	}
	if len(transfers) == 0 {
		return []ledger.Result{}, nil
	}
	rs, _, _, err := x.l.batch(ctx, x.t, x.community, false, transfers)
	if errs.CodeOf(err) == errs.Conflict {
		return nil, retryable{err}
	}
	return rs, err
}

func (x ledgerTx) LookupAccounts(ctx context.Context, ids []ledger.ID) ([]ledger.Account, error) {
	return lookupAccounts(ctx, x.t, x.community, ids)
}

func (x ledgerTx) LookupTransfers(ctx context.Context, ids []ledger.ID) ([]ledger.Transfer, []ledger.PendingStatus, error) {
	return lookupTransfers(ctx, x.t, x.community, ids)
}

func (x ledgerTx) Statement(ctx context.Context, account ledger.ID, from, to int64, limit int) ([]ledger.Entry, error) {
	return statement(ctx, x.t, x.community, account, from, to, limit)
}

func (x ledgerTx) Snapshot(ctx context.Context) (ledger.Snapshot, error) {
	return snapshot(ctx, x.t, x.community)
}

// Verify loads the whole ledger into an engine and checks its invariants.
func (l *Ledger) Verify(ctx context.Context) error {
	return l.db.read(ctx, func(s querier) error {
		t := &tx{db: l.db, sql: s}
		e := ledger.NewEngine(l.now)
		rows, err := t.query(ctx, (&query{}).add("SELECT "+ledgerAccountCols+" FROM ledger_accounts ORDER BY id"))
		if err != nil {
			return err
		}
		for rows.Next() {
			a, last, err := scanLedgerAccount(rows)
			if err != nil {
				rows.Close()
				return err
			}
			e.LoadAccount(a, last)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return err
		}
		rows, err = t.query(ctx, (&query{}).add("SELECT "+ledgerTransferCols+" FROM ledger_transfers ORDER BY timestamp"))
		if err != nil {
			return err
		}
		for rows.Next() {
			tr, st, posted, err := scanLedgerTransfer(rows)
			if err != nil {
				rows.Close()
				return err
			}
			e.LoadTransfer(tr, st, posted)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return err
		}
		if err := e.Verify(); err != nil {
			return fmt.Errorf("sqlstore: ledger: %w", err)
		}
		return nil
	})
}
