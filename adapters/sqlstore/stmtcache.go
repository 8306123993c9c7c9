package sqlstore

import (
	"context"
	"database/sql/driver"
	"reflect"
)

// SQLite connections keep their statements prepared. The driver parses
// every query it is given as text again, and database/sql's prepared
// statements cost a transaction more than they save (Tx.StmtContext
// rebinds them per transaction): a read of one row by key took 7.1 µs
// as text, 3.4 µs through this cache.
const (
	maxCachedStatements = 256
	maxCachedText       = 8192
)

// cachingConnector makes connections whose statements are prepared once.
type cachingConnector struct{ driver.Connector }

func (k cachingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	c, err := k.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &cachingConn{Conn: c, stmts: map[string]*cachedStmt{}}, nil
}

// cachingConn is one SQLite connection and its statements by text.
// database/sql uses a connection from one goroutine at a time, so the map
// needs no lock.
type cachingConn struct {
	driver.Conn
	stmts map[string]*cachedStmt
}

// cachedStmt is a prepared statement; busy while rows of it are open, when
// the same text (a query nested in another's rows) gets a statement of its
// own.
type cachedStmt struct {
	driver.Stmt
	busy bool
}

// stmt returns query's statement and a func to call once it is done with.
func (c *cachingConn) stmt(ctx context.Context, query string) (driver.Stmt, func(), error) {
	if s, ok := c.stmts[query]; ok && !s.busy {
		s.busy = true
		return s.Stmt, func() { s.busy = false }, nil
	}
	st, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, nil, err
	}
	if _, ok := c.stmts[query]; ok || len(query) > maxCachedText {
		return st, func() { _ = st.Close() }, nil
	}
	if len(c.stmts) >= maxCachedStatements {
		c.evict()
	}
	s := &cachedStmt{Stmt: st, busy: true}
	c.stmts[query] = s
	return st, func() { s.busy = false }, nil
}

// evict closes one statement not in use, whichever the map gives first:
// texts that recur are soon back, one-offs (a list of IDs) soon gone.
func (c *cachingConn) evict() {
	for text, s := range c.stmts {
		if !s.busy {
			_ = s.Close()
			delete(c.stmts, text)
			return
		}
	}
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	st, done, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	rows, err := st.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		done()
		return nil, err
	}
	return &cachedRows{Rows: rows, done: done}, nil
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	st, done, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	defer done()
	return st.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (c *cachingConn) Close() error {
	for _, s := range c.stmts {
		_ = s.Close()
	}
	c.stmts = nil
	return c.Conn.Close()
}

// The driver's other capabilities, which embedding an interface hides.

func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *cachingConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *cachingConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *cachingConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

// cachedRows hands its statement back when closed.
type cachedRows struct {
	driver.Rows
	done func()
}

func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	if r.done != nil {
		r.done()
		r.done = nil
	}
	return err
}

func (r *cachedRows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *cachedRows) ColumnTypeScanType(i int) reflect.Type {
	if t, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}

func (r *cachedRows) ColumnTypeNullable(i int) (nullable, ok bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeNullable); ok {
		return t.ColumnTypeNullable(i)
	}
	return false, false
}
