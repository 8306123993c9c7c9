package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/sqlstore"
	"github.com/linli-go/linli/adapters/sqlstore/sqltest"
	"github.com/linli-go/linli/grids"
)

// envLockDSN makes the test binary a process that takes the "test" lock
// and holds it until it is killed (see TestMain).
const envLockDSN = "LINLI_LOCK_DSN"

func holdLock(dsn string) int {
	db, err := sqlstore.Open(context.Background(), sqlstore.Config{DSN: dsn})
	if err == nil {
		_, err = db.Lock(context.Background(), "test")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "lock holder:", err)
		return 2
	}
	fmt.Println("held")
	select {}
}

// dialectDSNs are a fresh database of each dialect, by DSN, so that a
// test can open it twice (two processes) or hand it to a child process.
func dialectDSNs(t *testing.T) map[string]string {
	return map[string]string{sqlstore.SQLite: filepath.Join(t.TempDir(), "linli.db"), sqlstore.Postgres: sqltest.PostgresSchema(t)}
}

func openDSN(t *testing.T, dsn string) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), sqlstore.Config{DSN: dsn})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// TestLock: one holder at a time among processes sharing a database, and
// a holder killed gives the lock up at once.
func TestLock(t *testing.T) {
	for name, dsn := range dialectDSNs(t) {
		t.Run(name, func(t *testing.T) {
			a, b := openDSN(t, dsn), openDSN(t, dsn)
			ctx := context.Background()
			release, err := a.Lock(ctx, "test")
			require.NoError(t, err)
			short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
			_, err = b.Lock(short, "test")
			cancel()
			require.ErrorIs(t, err, context.DeadlineExceeded, "held by the other")
			other, err := b.Lock(ctx, "other")
			require.NoError(t, err, "locks of other names are apart")
			other()
			release()
			release2, err := b.Lock(ctx, "test")
			require.NoError(t, err, "free once released")
			release2()
			_, err = a.Lock(ctx, "Bad Name")
			require.ErrorIs(t, err, grids.Invalid)

			// A process that dies holding the lock gives it up.
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), envLockDSN+"="+dsn)
			out, err := cmd.StdoutPipe()
			require.NoError(t, err)
			require.NoError(t, cmd.Start())
			buf := make([]byte, 5)
			_, err = out.Read(buf)
			require.NoError(t, err)
			require.Equal(t, "held\n", string(buf))
			short, cancel = context.WithTimeout(ctx, 300*time.Millisecond)
			_, err = a.Lock(short, "test")
			cancel()
			require.ErrorIs(t, err, context.DeadlineExceeded, "held by the child")
			require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
			_ = cmd.Wait()
			soon, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			release, err = a.Lock(soon, "test")
			require.NoError(t, err, "a holder killed gives the lock up")
			release()
		})
	}
}

func TestMarks(t *testing.T) {
	for _, d := range sqltest.Dialects {
		t.Run(d.Name, func(t *testing.T) {
			db, ctx := d.Open(t), context.Background()
			_, ok, err := db.Marked(ctx, "demo")
			require.NoError(t, err)
			assert.False(t, ok)
			require.NoError(t, db.Mark(ctx, "demo", "a"))
			require.NoError(t, db.Mark(ctx, "demo", "b"))
			v, ok, err := db.Marked(ctx, "demo")
			require.NoError(t, err)
			assert.True(t, ok)
			assert.Equal(t, "b", v)
		})
	}
}

// TestPurgeCommunity: a community and everything it owns, in every
// table, go at once; another community stays whole.
func TestPurgeCommunity(t *testing.T) {
	for name, dsn := range dialectDSNs(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s, err := openCrash(ctx, dsn)
			require.NoError(t, err)
			defer s.db.Close()
			gone, kept := crashSetup(t, s), crashSetup(t, s)
			raw, err := sql.Open(map[string]string{sqlstore.SQLite: "sqlite", sqlstore.Postgres: "pgx"}[name], dsn)
			require.NoError(t, err)
			defer raw.Close()
			tables := ownedTables(t, raw, name)
			rows := func(community string) map[string]int {
				out := map[string]int{}
				for _, table := range tables {
					var n int
					q := "SELECT count(*) FROM " + table + " WHERE community_id = $1"
					if name == sqlstore.SQLite {
						q = strings.Replace(q, "$1", "?", 1)
					}
					require.NoError(t, raw.QueryRow(q, community).Scan(&n))
					if n > 0 {
						out[table] = n
					}
				}
				return out
			}
			before := rows(kept)
			require.Greater(t, len(rows(gone)), 10, "the setup fills many tables")
			require.NoError(t, s.db.PurgeCommunity(ctx, gone))
			assert.Empty(t, rows(gone))
			assert.Equal(t, before, rows(kept), "the other community is whole")
			admin := grids.WithPrincipal(ctx, grids.Admin("t"))
			_, err = s.reg.Community(admin, gone)
			assert.ErrorIs(t, err, grids.NotFound)
			assert.ErrorIs(t, s.db.PurgeCommunity(ctx, gone), grids.NotFound)
			s.as(kept)
			a, err := s.pts.Audit(s.worker, kept)
			require.NoError(t, err)
			assert.Empty(t, a.Disagreements)
		})
	}
}

// ownedTables lists the database's tables and requires each one but the
// unowned to have a community_id.
func ownedTables(t *testing.T, db *sql.DB, dialect string) []string {
	t.Helper()
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	if dialect == sqlstore.Postgres {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
	}
	rows, err := db.Query(q)
	require.NoError(t, err)
	var tables []string
	for rows.Next() {
		var n string
		require.NoError(t, rows.Scan(&n))
		tables = append(tables, n)
	}
	require.NoError(t, rows.Err())
	rows.Close()
	var owned []string
	for _, table := range tables {
		switch table {
		case "communities", "schema_migrations", "ledger_version", "tokens", "marks", "community_directory", "community_fences":
			continue
		}
		_, err := db.Exec("SELECT community_id FROM " + table + " WHERE 1 = 0")
		require.NoError(t, err, "table %s has a community_id: every record belongs to one community", table)
		owned = append(owned, table)
	}
	require.Greater(t, len(owned), 30)
	return owned
}
