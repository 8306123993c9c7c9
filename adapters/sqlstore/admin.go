package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"sort"
	"time"

	"github.com/linli-go/linli/internal/errs"
)

// Lock takes the named lock, waiting for it until ctx ends: one holder at
// a time among every process on the database. release gives it up; a
// holder that dies gives it up at once, as the operating system ends its
// locks: on PostgreSQL it is an advisory lock of the holder's connection,
// on SQLite an exclusive transaction held open on a companion database
// (the file's path with -lock-<name> added).
func (db *DB) Lock(ctx context.Context, name string) (release func(), err error) {
	if !lockName.MatchString(name) {
		return nil, errs.E(errs.Invalid, "sqlstore: a lock's name is lower-case letters, digits and '-': %q", name)
	}
	if db.dialect == Postgres {
		return db.lockPostgres(ctx, name)
	}
	return db.lockSQLite(ctx, name)
}

var lockName = regexp.MustCompile(`^[a-z0-9-]{1,64}$`)

func (db *DB) lockPostgres(ctx context.Context, name string) (func(), error) {
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return nil, db.mapErr(err)
	}
	h := fnv.New64a()
	h.Write([]byte("linli lock " + name))
	key := int64(h.Sum64())
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", key); err != nil {
		conn.Close()
		return nil, db.mapErr(err)
	}
	return func() {
		_, _ = conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", key)
		conn.Close()
	}, nil
}

func (db *DB) lockSQLite(ctx context.Context, name string) (func(), error) {
	// The file keeps SQLite's default rollback journal (setting it would
	// need the lock): BEGIN EXCLUSIVE locks the file itself, and nobody
	// else begins until the holder ends or dies.
	lk, err := sql.Open("sqlite", "file:"+db.path+"-lock-"+name+"?_pragma=busy_timeout(0)")
	if err != nil {
		return nil, err
	}
	lk.SetMaxOpenConns(1)
	conn, err := lk.Conn(ctx)
	if err != nil {
		lk.Close()
		return nil, db.mapErr(err)
	}
	fail := func(err error) (func(), error) {
		conn.Close()
		lk.Close()
		return nil, err
	}
	// The schema a write needs, so that BEGIN EXCLUSIVE has a file to lock.
	if _, err := conn.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS held (one INTEGER)"); err != nil && !transient(err) {
		return fail(db.mapErr(err))
	}
	for {
		_, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE")
		if err == nil {
			break
		}
		if !transient(err) {
			return fail(db.mapErr(err))
		}
		select {
		case <-ctx.Done():
			return fail(ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
	return func() {
		_, _ = conn.ExecContext(context.Background(), "ROLLBACK")
		conn.Close()
		lk.Close()
	}, nil
}

// Mark records a named fact (the demo seeded in full, say), replacing
// what the name held.
func (db *DB) Mark(ctx context.Context, name, value string) error {
	return db.write(ctx, func(t *sql.Tx) error {
		_, err := t.ExecContext(ctx, db.sqlText("INSERT INTO marks (name, value, at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value, at = excluded.at"),
			name, value, time.Now().UTC().Format(time.RFC3339Nano))
		return err
	})
}

// Marked reads a named fact; false if it was never recorded.
func (db *DB) Marked(ctx context.Context, name string) (string, bool, error) {
	var v string
	err := db.read(ctx, func(t querier) error {
		return t.QueryRowContext(ctx, db.sqlText("SELECT value FROM marks WHERE name = ?"), name).Scan(&v)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return v, err == nil, err
}

// PurgeCommunity deletes a community and everything it owns, from every
// table, in one transaction: a half-made community (a seeding cut off)
// is gone at once or not at all. It is not a way to correct records,
// which are never deleted. Its credentials and sessions go with it.
func (db *DB) PurgeCommunity(ctx context.Context, id string) error {
	return db.removeCommunity(ctx, id, removal{fence: true, keys: true})
}

// removal says what removeCommunity removes beyond the community's
// records, and what it does after in the same transaction.
type removal struct {
	fence bool // its fence or the marker of its move (community_fences)
	keys  bool // its idempotency keys
	// absent: a community not here is not an error
	absent bool
	and    func(*sql.Tx) error
}

// removeCommunity deletes a community's records, in one transaction.
func (db *DB) removeCommunity(ctx context.Context, id string, r removal) error {
	tables, err := communityTables()
	if err != nil {
		return err
	}
	if r.fence {
		tables = append(tables, "community_fences")
	}
	return db.write(ctx, func(t *sql.Tx) error {
		for _, table := range tables {
			if table == "idempotency_keys" && !r.keys {
				continue
			}
			if _, err := t.ExecContext(ctx, db.sqlText("DELETE FROM "+table+" WHERE community_id = ?"), id); err != nil {
				return err
			}
		}
		res, err := t.ExecContext(ctx, db.sqlText("DELETE FROM communities WHERE id = ?"), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 && !r.absent {
			return errs.E(errs.NotFound, "community %s not found", id)
		}
		if r.and != nil {
			return r.and(t)
		}
		return nil
	})
}

var createTable = regexp.MustCompile(`(?m)^CREATE TABLE (\w+) \(`)

// communityTables are the tables whose rows belong to a community,
// children before parents: the migrations create parents first, so the
// order they create tables in, reversed, is one a purge can delete in.
// Every table but communities' own and the database's bookkeeping has a
// community_id (a test holds the schema to it).
func communityTables() ([]string, error) {
	dir := "migrations/postgres"
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return nil, err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	var tables []string
	for _, e := range entries {
		body, err := fs.ReadFile(migrations, dir+"/"+e.Name())
		if err != nil {
			return nil, err
		}
		for _, m := range createTable.FindAllStringSubmatch(string(body), -1) {
			if !slices.Contains(unowned, m[1]) {
				tables = append(tables, m[1])
			}
		}
	}
	slices.Reverse(tables)
	return tables, nil
}

// unowned are the tables whose rows belong to no community.
// The directory's placements are the deployment's, and a community's
// fence stays when the community has moved away (Retire).
var unowned = []string{"communities", "schema_migrations", "ledger_version", "tokens", "marks", "community_directory", "community_fences"}

// Backup writes a consistent copy of an SQLite database to path (which
// must not exist) while it is in use: SQLite's VACUUM INTO, in a read
// transaction, so writers go on. For PostgreSQL it refuses: use pg_dump,
// which takes a consistent snapshot the same way.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.dialect != SQLite {
		return errs.E(errs.FailedPrecondition, "sqlstore: back up PostgreSQL with pg_dump (e.g. pg_dump -Fc -f linli.dump \"$LINLI_DB\")")
	}
	if _, err := os.Stat(path); err == nil {
		return errs.E(errs.Conflict, "sqlstore: %s exists: a backup never overwrites", path)
	}
	conn, err := db.r.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// A reader is query_only, which VACUUM INTO (writing only the new
	// file) is refused by: lift it for this statement, on this connection.
	if _, err := conn.ExecContext(ctx, "PRAGMA query_only(0)"); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), "PRAGMA query_only(1)")
	if _, err := conn.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("sqlstore: back up to %s: %w", path, err)
	}
	return nil
}

// Size is how many bytes the database's tables and their indexes take:
// on PostgreSQL those of its schema (the search path's first), on SQLite
// the file's pages.
func (db *DB) Size(ctx context.Context) (int64, error) {
	q := "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"
	if db.dialect == Postgres {
		q = "SELECT COALESCE(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
			"WHERE n.nspname = current_schema() AND c.relkind = 'r'"
	}
	var n int64
	err := db.r.QueryRowContext(ctx, q).Scan(&n)
	return n, db.mapErr(err)
}
