package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/linli-go/linli/adapters/shard"
	"github.com/linli-go/linli/internal/errs"
)

// Moving communities between shards (shard.Router.Move): db as a
// shard.Mover. A write routed by a Router names its community
// (shard.Writing), and its transaction reads the community's fence first
// (fenced); the fence is a row of community_fences.

// fenced wraps a write transaction's fn so that it first reads
// community's fence, in the same transaction: a moving community's write
// is refused with shard.ErrMoving, a moved one's with shard.ErrMoved.
func (db *DB) fenced(ctx context.Context, community string, fn func(*sql.Tx) error) func(*sql.Tx) error {
	return func(t *sql.Tx) error {
		var state, to string
		err := t.QueryRowContext(ctx, db.sqlText("SELECT state, shard FROM community_fences WHERE community_id = ?"), community).Scan(&state, &to)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return fn(t)
		case err != nil:
			return err
		case state == "moved":
			return shard.ErrMoved.Refuse("community %s has moved to shard %s", community, to)
		}
		return shard.ErrMoving.Refuse("community %s is moving to another database: its records are read-only for a few seconds", community)
	}
}

var _ shard.Mover = (*DB)(nil)

// Fence makes community read-only for writes routed by a Router.
//
// On PostgreSQL a write that took its snapshot before the fence committed
// does not see it, and may still commit: serializable isolation orders it.
// Such a write read the fence's absence, which the fence then wrote, and
// Copy and Digest read the fence in serializable transactions that wait
// for a safe snapshot (DEFERRABLE): PostgreSQL lets such a snapshot begin
// only once every write that could be ordered after it has ended, so the
// copy holds every write that was not refused. On SQLite one writer at a
// time and snapshot isolation make every later write see the fence.
func (db *DB) Fence(ctx context.Context, community string) error {
	return db.update(ctx, func(t *sql.Tx) error {
		var n int
		if err := t.QueryRowContext(ctx, db.sqlText("SELECT count(*) FROM communities WHERE id = ?"), community).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return errs.E(errs.NotFound, "community %s not found", community)
		}
		_, err := t.ExecContext(ctx, db.sqlText("INSERT INTO community_fences (community_id, state, shard, since) VALUES (?, 'moving', '', ?) "+
			"ON CONFLICT (community_id) DO UPDATE SET state = 'moving', shard = '', since = excluded.since"), community, ts(time.Now()))
		return err
	})
}

// Unfence lifts community's fence: writes resume.
func (db *DB) Unfence(ctx context.Context, community string) error {
	return db.write(ctx, func(t *sql.Tx) error {
		_, err := t.ExecContext(ctx, db.sqlText("DELETE FROM community_fences WHERE community_id = ? AND state = 'moving'"), community)
		return err
	})
}

// Copy writes community as an export that carries its credentials.
func (db *DB) Copy(ctx context.Context, community string, w io.Writer) error {
	_, err := db.exportGzip(ctx, community, w, exportOptions{header: true, credentials: true, fenced: true})
	return err
}

// Receive imports a Copy.
func (db *DB) Receive(ctx context.Context, r io.Reader) error {
	_, err := db.importFrom(ctx, r, true)
	return err
}

// Digest is the SHA-256 of the rows a Copy of community carries, in the
// export's order. Read after Copy on a fenced community, it sums what
// Copy carried: every write not refused ended before Copy began.
func (db *DB) Digest(ctx context.Context, community string) (string, error) {
	h := sha256.New()
	if _, err := db.export(ctx, community, h, exportOptions{credentials: true}); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Discard removes a copy of community that a move left here (NotFound if
// there is none); a marker of its moving away stays.
func (db *DB) Discard(ctx context.Context, community string) error {
	return db.removeCommunity(ctx, community, removal{})
}

// Retire removes community, which has moved to the shard named to, and
// leaves the marker that sends later writes after it. The idempotency
// keys stay: they belong to the HTTP API's replay store, wherever it is.
func (db *DB) Retire(ctx context.Context, community, to string) error {
	return db.removeCommunity(ctx, community, removal{absent: true, and: func(t *sql.Tx) error {
		_, err := t.ExecContext(ctx, db.sqlText("INSERT INTO community_fences (community_id, state, shard, since) VALUES (?, 'moved', ?, ?) "+
			"ON CONFLICT (community_id) DO UPDATE SET state = 'moved', shard = excluded.shard, since = excluded.since"), community, to, ts(time.Now()))
		return err
	}})
}

// readFenced runs fn in a read of community while it is fenced: on
// PostgreSQL a serializable transaction that waits for a safe snapshot
// (see Fence), which reads the fence first.
func (db *DB) readFenced(ctx context.Context, community string, fn func(querier) error) error {
	check := func(q querier) error {
		var state string
		err := q.QueryRowContext(ctx, db.sqlText("SELECT state FROM community_fences WHERE community_id = ?"), community).Scan(&state)
		if errors.Is(err, sql.ErrNoRows) || err == nil && state != "moving" {
			return errs.E(errs.FailedPrecondition, "sqlstore: community %s is not fenced for a move", community)
		}
		if err != nil {
			return err
		}
		return fn(q)
	}
	if db.dialect != Postgres {
		return db.read(ctx, check)
	}
	return db.run(ctx, db.r, &sql.TxOptions{Isolation: sql.LevelSerializable, ReadOnly: true}, func(t *sql.Tx) error {
		if _, err := t.ExecContext(ctx, "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE"); err != nil {
			return fmt.Errorf("sqlstore: a deferrable read: %w", err)
		}
		return check(t)
	})
}
