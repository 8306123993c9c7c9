package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
)

// query builds an SQL statement with ? placeholders, in the order of its
// arguments. PostgreSQL gets them renumbered as $N (rebind); SQLite keeps
// them anonymous, because it resolves $N as names, a lookup per parameter
// that makes a many-row INSERT quadratic.
type query struct {
	b    strings.Builder
	args []any
}

// clone is a copy of q to add to.
func (q *query) clone() *query {
	c := &query{args: slices.Clone(q.args)}
	c.b.WriteString(q.b.String())
	return c
}

// arg adds an argument and returns its placeholder.
func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	return "?"
}

// rebind renumbers ? placeholders as $1, $2 … for PostgreSQL. SQL text in
// this package holds no other ? (no literals, no JSON operators).
func rebind(sql string) string {
	var b strings.Builder
	b.Grow(len(sql) + len(sql)/8)
	n := 0
	for i := 0; i < len(sql); i++ {
		if sql[i] == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(sql[i])
	}
	return b.String()
}

// add appends SQL text; each ? in it becomes the placeholder of the next
// of args (so SQL text here must hold no other ?).
func (q *query) add(sql string, args ...any) *query {
	parts := strings.Split(sql, "?")
	if len(parts)-1 != len(args) {
		panic("sqlstore: placeholders and arguments differ in number: " + sql)
	}
	for i, p := range parts {
		q.b.WriteString(p)
		if i < len(args) {
			q.b.WriteString(q.arg(args[i]))
		}
	}
	return q
}

// tuple appends "(?, ?, …)" for the values.
func (q *query) tuple(vals ...any) *query {
	q.b.WriteByte('(')
	for i, v := range vals {
		if i > 0 {
			q.b.WriteString(", ")
		}
		q.b.WriteString(q.arg(v))
	}
	q.b.WriteByte(')')
	return q
}

// list appends "(?, ?, …)" for IDs.
func (q *query) list(ids []string) *query {
	vals := make([]any, len(ids))
	for i, id := range ids {
		vals[i] = id
	}
	return q.tuple(vals...)
}

func (q *query) String() string { return q.b.String() }

// page appends ORDER BY order and the page's LIMIT and OFFSET (no LIMIT when
// limit <= 0: SQLite then wants LIMIT -1 before an OFFSET, PostgreSQL
// refuses a negative limit).
func (q *query) page(dialect, order string, offset, limit int) *query {
	q.b.WriteString(" ORDER BY " + order)
	switch {
	case limit > 0:
		q.add(" LIMIT ?", limit)
	case offset > 0 && dialect == SQLite:
		q.b.WriteString(" LIMIT -1")
	}
	if offset > 0 {
		q.add(" OFFSET ?", offset)
	}
	return q
}

// tx is one transaction; write says whether it may write.
type tx struct {
	db    *DB
	sql   querier
	write bool
	// domain names the record_versions row that the transaction's writes
	// advance (governance, points, funds); written lists the communities
	// it wrote.
	domain  string
	written []string
}

// wrote notes a write of a community's records: its domain's version
// advances when the transaction ends well (finish).
func (t *tx) wrote(community string) {
	if t.domain != "" && !slices.Contains(t.written, community) {
		t.written = append(t.written, community)
	}
}

// keepWritten adds the communities t wrote to written, which outlives
// the attempt: the next attempts queue for them.
func (t *tx) keepWritten(written *[]string) {
	for _, c := range t.written {
		if !slices.Contains(*written, c) {
			*written = append(*written, c)
		}
	}
}

// finish advances the versions of the communities written, last, so the
// row stays locked only while the transaction commits.
func (t *tx) finish(ctx context.Context) error {
	for _, c := range t.written {
		q := (&query{}).add("INSERT INTO record_versions (community_id, domain, version) VALUES (?, ?, 1) "+
			"ON CONFLICT (community_id, domain) DO UPDATE SET version = record_versions.version + 1", c, t.domain)
		if _, err := t.exec(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// version reads a community's version of a domain in one statement.
func (db *DB) version(ctx context.Context, domain, community string) (int64, error) {
	var v int64
	err := db.r.QueryRowContext(ctx, db.sqlText("SELECT version FROM record_versions WHERE community_id = ? AND domain = ?"), community, domain).Scan(&v)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return v, db.mapErr(err)
}

// updateIn runs a domain store's Update: fn over the domain's Tx (open
// makes it of a transaction and says where its tx is), then the versions
// of what it wrote.
//
// An attempt that fails on a serialization failure leaves the communities
// it wrote, for which the next attempts queue (updateQueued).
func updateIn[T any](ctx context.Context, db *DB, domain string, open func(tx) (T, *tx), fn func(T) error) error {
	var written []string
	return db.updateQueued(ctx, domain, func() []string { return written }, func(s *sql.Tx) error {
		x, t := open(tx{db: db, sql: s, write: true, domain: domain})
		defer t.keepWritten(&written)
		if err := fn(x); err != nil {
			return err
		}
		return t.finish(ctx)
	})
}

// text is q's SQL in the transaction's dialect.
func (t *tx) text(q *query) string {
	text := t.db.sqlText(q.String())
	if t.db.trace != nil {
		t.db.trace(text, q.args)
	}
	return text
}

// sqlText renders SQL written with ? placeholders for the dialect.
func (db *DB) sqlText(sql string) string {
	if db.dialect == Postgres {
		return rebind(sql)
	}
	return sql
}

func (t *tx) exec(ctx context.Context, q *query) (sql.Result, error) {
	res, err := t.sql.ExecContext(ctx, t.text(q), q.args...)
	return res, t.db.mapErr(err)
}

func (t *tx) query(ctx context.Context, q *query) (*sql.Rows, error) {
	rows, err := t.sql.QueryContext(ctx, t.text(q), q.args...)
	return rows, t.db.mapErr(err)
}

func (t *tx) queryRow(ctx context.Context, q *query) *sql.Row {
	return t.sql.QueryRowContext(ctx, t.text(q), q.args...)
}

// lock is appended to single-row reads in a write transaction, so a
// read-modify-write holds the row until commit (SQLite's one writer needs
// no row locks).
func (t *tx) lock() string {
	if t.write && t.db.dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// count runs a SELECT COUNT(*) query.
func (t *tx) count(ctx context.Context, q *query) (int, error) {
	var n int
	err := t.queryRow(ctx, q).Scan(&n)
	return n, t.db.mapErr(err)
}

// after narrows where to the rows that come after the row whose ID is
// after, in order (ascending columns, the ID last): the key of that row is
// read from from by idCol (with the conditions of scope, if any), and an
// ID that names no row is refused.
func (t *tx) after(ctx context.Context, where *query, from, order, idCol, after string, scope ...any) error {
	cols := strings.Split(order, ",")
	kq := (&query{}).add("SELECT "+order+" FROM "+from+" WHERE "+idCol+" = ?", after)
	for i := 0; i+1 < len(scope); i += 2 {
		kq.add(" AND "+scope[i].(string)+" = ?", scope[i+1])
	}
	key := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range key {
		ptrs[i] = &key[i]
	}
	err := t.queryRow(ctx, kq).Scan(ptrs...)
	if errors.Is(err, sql.ErrNoRows) {
		return grids.ErrNoSuchAfter(after)
	}
	if err != nil {
		return t.db.mapErr(err)
	}
	where.add(" AND ("+order+") > ("+strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")+")", key...)
	return nil
}

// collect scans every row with scan.
func collect[T any](rows *sql.Rows, err error, scan func(*sql.Rows) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// change runs an UPDATE of one record, turning "no row changed" into
// NotFound.
func (t *tx) change(ctx context.Context, q *query, kind, id string) error {
	res, err := t.exec(ctx, q)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return errs.Internalf("rows affected: %w", err)
	}
	if n == 0 {
		return errs.E(errs.NotFound, "%s %s not found", kind, id)
	}
	return nil
}

// Times are written as fixed-width UTC text: SQLite compares and sorts it
// correctly, PostgreSQL parses it into timestamptz.
const timeFormat = "2006-01-02 15:04:05.000000Z07:00"

func ts(t time.Time) string { return t.UTC().Format(timeFormat) }

func nullTS(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ts(*t)
}

// scanTime reads a time back in UTC.
type scanTime struct{ t *time.Time }

func (s scanTime) Scan(v any) error {
	if text, ok := v.(string); ok { // SQLite's MIN() of a TIMESTAMP column loses its type
		t, err := time.Parse(timeFormat, text)
		*s.t = t.UTC()
		return err
	}
	var nt sql.NullTime
	if err := nt.Scan(v); err != nil {
		return err
	}
	*s.t = nt.Time.UTC()
	return nil
}

// scanNullTime reads a nullable time back in UTC.
type scanNullTime struct{ t **time.Time }

func (s scanNullTime) Scan(v any) error {
	var nt sql.NullTime
	if err := nt.Scan(v); err != nil {
		return err
	}
	if !nt.Valid {
		*s.t = nil
		return nil
	}
	t := nt.Time.UTC()
	*s.t = &t
	return nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// batches splits n rows into runs that keep a statement under both
// dialects' limits on placeholders.
func batches(n, perRow int) [][2]int {
	size := max(1, 30000/perRow)
	var out [][2]int
	for lo := 0; lo < n; lo += size {
		out = append(out, [2]int{lo, min(lo+size, n)})
	}
	return out
}

// bulkRows is the batch size after which a create refreshes the planner's
// statistics: fresh tables have none, and a query planned as if a
// community had one resident runs nested loops over eleven thousand (a
// district's summary on PostgreSQL went from 94 ms to 4 ms).
const bulkRows = 1000

// analyze refreshes the statistics of tables after a bulk create of n rows.
func (t *tx) analyze(ctx context.Context, n int, tables ...string) error {
	if n < bulkRows {
		return nil
	}
	for _, table := range tables {
		if _, err := t.exec(ctx, (&query{}).add("ANALYZE "+table)); err != nil {
			return err
		}
	}
	return nil
}

// equals adds "AND column = ?" for each pair whose value is set, in order.
func (q *query) equals(pairs ...string) *query {
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			q.add(" AND "+pairs[i]+" = ?", pairs[i+1])
		}
	}
	return q
}
