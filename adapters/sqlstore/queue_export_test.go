package sqlstore

import (
	"context"
	"database/sql"
	"sync/atomic"

	"github.com/linli-go/linli/grids"
)

// WriteHot makes one write of domain "hot" that advances community's
// version, so that concurrent calls all contend on one row; attempts
// counts the transactions tried. Without queue its retries do not queue.
// PostgreSQL only.
func WriteHot(ctx context.Context, db *DB, community string, queue bool, attempts *atomic.Int64) error {
	fn := func(x *tx) error {
		attempts.Add(1)
		x.wrote(community)
		// A domain write reads and writes for a while after its snapshot.
		_, err := x.sql.ExecContext(ctx, "SELECT pg_sleep(0.003)")
		return err
	}
	if queue {
		return updateIn(ctx, db, "hot", func(t tx) (*tx, *tx) { return &t, &t }, fn)
	}
	return db.update(ctx, func(s *sql.Tx) error {
		t := &tx{db: db, sql: s, write: true, domain: "hot"}
		if err := fn(t); err != nil {
			return err
		}
		return t.finish(ctx)
	})
}

// HotVersion is community's version of domain "hot".
func HotVersion(ctx context.Context, db *DB, community string) (int64, error) {
	return db.version(ctx, "hot", community)
}

// TouchHot makes one registry write through the grids store's Update: it
// advances community's registry version (as every registry write does)
// and works 3 ms after its snapshot. PostgreSQL only.
func TouchHot(ctx context.Context, db *DB, community string, attempts *atomic.Int64) error {
	return db.Grids().Update(ctx, func(g grids.Tx) error {
		attempts.Add(1)
		t := g.(*gridsTx)
		if err := t.touch(ctx, community); err != nil {
			return err
		}
		_, err := t.sql.ExecContext(ctx, "SELECT pg_sleep(0.003)")
		return err
	})
}

// Trace makes db call fn with every statement its stores' transactions
// run, and their arguments.
func Trace(db *DB, fn func(query string, args []any)) { db.trace = fn }
