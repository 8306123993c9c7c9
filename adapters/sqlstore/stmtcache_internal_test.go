package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openOneReader opens an SQLite store whose reads all go through one
// connection, so what a read leaves on it the next read meets.
func openOneReader(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), Config{DSN: filepath.Join(t.TempDir(), "cache.db")})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	db.r.SetMaxOpenConns(1)
	_, err = db.w.Exec("CREATE TABLE cache_probe (n INTEGER PRIMARY KEY)")
	require.NoError(t, err)
	_, err = db.w.Exec("INSERT INTO cache_probe (n) VALUES (1), (2), (3)")
	require.NoError(t, err)
	return db
}

// cached is how many statements the reader connection keeps.
func cached(t *testing.T, db *DB) int {
	t.Helper()
	conn, err := db.r.Conn(context.Background())
	require.NoError(t, err)
	defer conn.Close()
	n := -1
	require.NoError(t, conn.Raw(func(c any) error { n = len(c.(*cachingConn).stmts); return nil }))
	return n
}

func probeCount(ctx context.Context, q querier) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT count(*) FROM cache_probe").Scan(&n)
	return n, err
}

// TestCachedStatementNested: a query run again while its own rows are
// still open (a nested read of the same text) gets a statement of its
// own and both give their rows; the text stays cached once.
func TestCachedStatementNested(t *testing.T) {
	db := openOneReader(t)
	ctx := context.Background()
	const text = "SELECT n FROM cache_probe WHERE n >= ? ORDER BY n"
	var pairs []string
	require.NoError(t, db.read(ctx, func(q querier) error {
		outer, err := q.QueryContext(ctx, text, 2)
		if err != nil {
			return err
		}
		defer outer.Close()
		for outer.Next() {
			var a int
			if err := outer.Scan(&a); err != nil {
				return err
			}
			inner, err := q.QueryContext(ctx, text, a)
			if err != nil {
				return err
			}
			for inner.Next() {
				var b int
				if err := inner.Scan(&b); err != nil {
					inner.Close()
					return err
				}
				pairs = append(pairs, fmt.Sprint(a, b))
			}
			if err := inner.Close(); err != nil {
				return err
			}
		}
		return outer.Err()
	}))
	assert.Equal(t, []string{"2 2", "2 3", "3 3"}, pairs)
	// The text, BEGIN and COMMIT, each once.
	assert.Equal(t, 3, cached(t, db))
}

// TestCachedStatementsBounded: one-off texts past the bound evict others,
// and every query still answers rightly.
func TestCachedStatementsBounded(t *testing.T) {
	db := openOneReader(t)
	ctx := context.Background()
	for i := range maxCachedStatements + 50 {
		var n int
		require.NoError(t, db.r.QueryRowContext(ctx, fmt.Sprintf("SELECT count(*) + %d FROM cache_probe", i)).Scan(&n))
		require.Equal(t, 3+i, n)
	}
	assert.Equal(t, maxCachedStatements, cached(t, db))
}

// TestReadsEndTheirTransaction: however a read ends (its function fails,
// panics, or its context is cancelled midway), the connection goes back
// to the pool outside any transaction: the next read sees what was
// written since, not the old snapshot.
func TestReadsEndTheirTransaction(t *testing.T) {
	boom := errors.New("boom")
	for _, tc := range []struct {
		name string
		end  func(cancel context.CancelFunc) error
	}{
		{"fails", func(context.CancelFunc) error { return boom }},
		{"panics", func(context.CancelFunc) error { panic(boom) }},
		{"cancelled", func(cancel context.CancelFunc) error { cancel(); return context.Canceled }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := openOneReader(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			func() {
				defer func() { _ = recover() }()
				_ = db.read(ctx, func(q querier) error {
					n, err := probeCount(ctx, q)
					if err != nil || n != 3 {
						return fmt.Errorf("count %d: %v", n, err)
					}
					return tc.end(cancel)
				})
			}()
			_, err := db.w.Exec("INSERT INTO cache_probe (n) VALUES (4)")
			require.NoError(t, err)
			var n int
			require.NoError(t, db.read(context.Background(), func(q querier) error {
				n, err = probeCount(context.Background(), q)
				return err
			}))
			assert.Equal(t, 4, n, "the read after sees the new row")
		})
	}
}

// TestReadIsOneSnapshot: a write committed between two statements of a
// read is seen by neither.
func TestReadIsOneSnapshot(t *testing.T) {
	db := openOneReader(t)
	ctx := context.Background()
	var before, after int
	require.NoError(t, db.read(ctx, func(q querier) error {
		var err error
		if before, err = probeCount(ctx, q); err != nil {
			return err
		}
		if _, err := db.w.Exec("INSERT INTO cache_probe (n) VALUES (4)"); err != nil {
			return err
		}
		after, err = probeCount(ctx, q)
		return err
	}))
	assert.Equal(t, 3, before)
	assert.Equal(t, 3, after)
}
