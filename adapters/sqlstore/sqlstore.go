package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/linli-go/linli/internal/errs"
)

//go:embed migrations
var migrations embed.FS

// Dialects.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Config says which database to open.
type Config struct {
	// DSN is a PostgreSQL URL (postgres://…) or the path of an SQLite file
	// (created if missing), optionally as a file: URI.
	DSN string
	// MaxConns bounds open connections: PostgreSQL's pool, SQLite's
	// readers. Default 10 and twice the CPUs.
	MaxConns int
	// Logger receives migration and retry messages; discarded if nil.
	Logger *slog.Logger
	// Now is the clock of the shared ledger's timestamps (time.Now if
	// nil): a demo or a test can book the past.
	Now func() time.Time
}

// DB is an open database.
type DB struct {
	dialect string
	path    string  // SQLite: the file
	w       *sql.DB // writes; SQLite: one connection
	r       *sql.DB // reads; PostgreSQL: the same pool as w
	log     *slog.Logger

	now        func() time.Time
	ledgerOnce sync.Once
	ledger     *Ledger // shared by the domain stores; made on first use
}

// Open connects to the database in cfg.DSN and migrates it.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	db := &DB{log: cfg.Logger, now: cfg.Now}
	if db.log == nil {
		db.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	var err error
	switch {
	case strings.HasPrefix(cfg.DSN, "postgres://"), strings.HasPrefix(cfg.DSN, "postgresql://"):
		db.dialect = Postgres
		err = db.openPostgres(cfg)
	case cfg.DSN == "":
		return nil, errs.E(errs.Invalid, "sqlstore: no DSN: give a PostgreSQL URL or an SQLite file path")
	default:
		db.dialect = SQLite
		err = db.openSQLite(cfg)
	}
	if err != nil {
		return nil, err
	}
	if err := db.w.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlstore: connect to %s: %w", db.dialect, err)
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// The shared ledger prepares its statements on SQLite's one writer:
	// now, while no transaction holds it.
	db.sharedLedger()
	return db, nil
}

func (db *DB) openPostgres(cfg Config) error {
	w, err := sql.Open("pgx", cfg.DSN)
	if err != nil {
		return fmt.Errorf("sqlstore: open postgres: %w", err)
	}
	n := cfg.MaxConns
	if n <= 0 {
		n = 10
	}
	w.SetMaxOpenConns(n)
	w.SetMaxIdleConns(n)
	w.SetConnMaxIdleTime(5 * time.Minute)
	db.w, db.r = w, w
	return nil
}

func (db *DB) openSQLite(cfg Config) error {
	path, query, _ := strings.Cut(strings.TrimPrefix(cfg.DSN, "file:"), "?")
	db.path = path
	if path == ":memory:" || path == "" || strings.Contains(query, "mode=memory") {
		return errs.E(errs.Invalid, "sqlstore: SQLite needs a file (each pooled connection to :memory: is its own database); for a throwaway store use a temporary file or adapters/memstore")
	}
	params, err := url.ParseQuery(query)
	if err != nil {
		return errs.E(errs.Invalid, "sqlstore: SQLite DSN %q: %w", cfg.DSN, err)
	}
	// PRAGMAs go in the DSN so every pooled connection gets them.
	dsn := func(pragmas []string, extra url.Values) string {
		v := url.Values{}
		for k, vs := range params {
			v[k] = vs
		}
		for _, p := range pragmas {
			v.Add("_pragma", p)
		}
		for k, vs := range extra {
			v[k] = vs
		}
		return "file:" + path + "?" + v.Encode()
	}
	common := []string{"foreign_keys(1)", "busy_timeout(10000)", "synchronous(NORMAL)"}
	// analysis_limit makes ANALYZE sample, as PostgreSQL's does, rather than
	// read whole tables after every bulk import.
	w, err := sql.Open("sqlite", dsn(append([]string{"journal_mode(WAL)", "analysis_limit(2000)", "cache_size(-32768)"}, common...), url.Values{"_txlock": {"immediate"}}))
	if err != nil {
		return fmt.Errorf("sqlstore: open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1) // one writer: writes queue here, not in SQLITE_BUSY
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open("sqlite", dsn(append([]string{"query_only(1)"}, common...), nil))
	if err != nil {
		w.Close()
		return fmt.Errorf("sqlstore: open sqlite: %w", err)
	}
	n := cfg.MaxConns
	if n <= 0 {
		n = 2 * runtime.NumCPU()
	}
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	db.w, db.r = w, r
	return nil
}

// Close closes the database.
func (db *DB) Close() error {
	if db.ledger != nil {
		db.ledger.Close()
	}
	err := db.w.Close()
	if db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	return err
}

// Dialect returns SQLite or Postgres.
func (db *DB) Dialect() string { return db.dialect }

// Ping checks the database answers.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.r.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return errs.E(errs.Internal, "database does not answer: %w", err)
	}
	return nil
}

// migrate applies the embedded migrations that the database lacks, each in
// its own transaction.
func (db *DB) migrate(ctx context.Context) error {
	dir := "migrations/" + db.dialect
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return errs.Internalf("sqlstore: read migrations: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	return db.write(ctx, func(tx *sql.Tx) error {
		if db.dialect == Postgres {
			// Serialize concurrent migrators (several servers starting at once).
			if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(7350351)"); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
			return err
		}
		applied := map[int]bool{}
		rows, err := tx.QueryContext(ctx, "SELECT version FROM schema_migrations")
		if err != nil {
			return err
		}
		for rows.Next() {
			var v int
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return err
			}
			applied[v] = true
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return err
		}
		for _, e := range entries {
			num, _, _ := strings.Cut(e.Name(), "_")
			v, err := strconv.Atoi(num)
			if err != nil || !strings.HasSuffix(e.Name(), ".sql") {
				return errs.Internalf("sqlstore: migration %s: name must be NNNN_name.sql", e.Name())
			}
			if applied[v] {
				continue
			}
			if check := before[v]; check != nil {
				if err := check(ctx, tx); err != nil {
					return fmt.Errorf("sqlstore: migration %s: %w", e.Name(), err)
				}
			}
			body, err := fs.ReadFile(migrations, dir+"/"+e.Name())
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("sqlstore: migration %s: %w", e.Name(), err)
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
				v, e.Name(), time.Now().UTC().Format(time.RFC3339)); err != nil {
				return err
			}
			db.log.Info("migrated", "dialect", db.dialect, "migration", e.Name())
		}
		return nil
	})
}

// before are checks that a database must pass before a migration: a
// migration that cannot carry its data forward refuses, leaving the
// database as it was, rather than lose it silently.
var before = map[int]func(context.Context, *sql.Tx) error{
	9: func(ctx context.Context, tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 FROM ledger_accounts LIMIT 1) x").Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return errs.E(errs.FailedPrecondition, "this database was made by a linli whose ledger had no communities (before 2026-12), "+
				"and its books cannot be assigned to communities: start from a new database (for the demo, delete the file and start again)")
		}
		return nil
	},
}

// maxAttempts bounds how often a transaction is retried after a
// serialization failure or deadlock.
const maxAttempts = 24

// write runs fn in a read-write transaction, retrying transient conflicts.
func (db *DB) write(ctx context.Context, fn func(*sql.Tx) error) error {
	return db.run(ctx, db.w, nil, fn)
}

// update runs a domain store's Update: a serializable transaction (on
// SQLite every write transaction is, the writer being one), retried after
// a serialization failure.
func (db *DB) update(ctx context.Context, fn func(*sql.Tx) error) error {
	if db.dialect == Postgres {
		return db.run(ctx, db.w, &sql.TxOptions{Isolation: sql.LevelSerializable}, fn)
	}
	return db.run(ctx, db.w, nil, fn)
}

// read runs fn in a read-only transaction over one snapshot.
func (db *DB) read(ctx context.Context, fn func(*sql.Tx) error) error {
	opts := &sql.TxOptions{}
	if db.dialect == Postgres {
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	return db.run(ctx, db.r, opts, fn)
}

func (db *DB) run(ctx context.Context, pool *sql.DB, opts *sql.TxOptions, fn func(*sql.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := db.once(ctx, pool, opts, fn)
		if err == nil || !transient(err) || attempt == maxAttempts || ctx.Err() != nil {
			return db.mapErr(err)
		}
		db.log.Debug("retrying transaction", "attempt", attempt, "err", err)
		// Backing off with jitter, concurrent retries do not meet again.
		wait := time.Duration(rand.Int64N(int64(min(attempt*attempt, 100))*int64(time.Millisecond)) + 1)
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// once runs fn in one transaction: committed if fn returns nil, rolled
// back if it fails or panics (the panic goes on).
func (db *DB) once(ctx context.Context, pool *sql.DB, opts *sql.TxOptions, fn func(*sql.Tx) error) (err error) {
	tx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			_ = tx.Rollback()
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	committed = true
	return nil
}

// transient reports a failure that a retry of the whole transaction may
// not meet again.
func transient(err error) bool {
	if errors.As(err, new(retryable)) {
		return true
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "40001" || pg.Code == "40P01" // serialization_failure, deadlock_detected
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		code := lite.Code() & 0xff
		return code == sqlite3.SQLITE_BUSY || code == sqlite3.SQLITE_LOCKED
	}
	return false
}

// mapErr gives database errors linli's codes. Coded errors (from the
// domain, inside a transaction) pass through unchanged.
func (db *DB) mapErr(err error) error {
	if err == nil {
		return nil
	}
	var coded *errs.Error
	if errors.As(err, &coded) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "23505":
			return errs.E(errs.Conflict, "%s: %w", conflictMessage(pg.ConstraintName), err)
		case "23503", "23514", "23502":
			return errs.E(errs.Invalid, "a reference or check failed (%s): %w", pg.ConstraintName, err)
		}
		return errs.E(errs.Internal, "postgres: %w", err)
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		switch lite.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return errs.E(errs.Conflict, "%s: %w", conflictMessage(lite.Error()), err)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY, sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			return errs.E(errs.Invalid, "a reference or check failed: %w", err)
		}
		return errs.E(errs.Internal, "sqlite: %w", err)
	}
	return errs.E(errs.Internal, "%s: %w", db.dialect, err)
}

// conflictMessage says which unique key a write collided with.
func conflictMessage(constraint string) string {
	for key, msg := range map[string]string{
		"districts_active_name":  "an active district with this name already exists",
		"districts.name":         "an active district with this name already exists",
		"grids_active_name":      "an active grid with this name already exists",
		"grids.name":             "an active grid with this name already exists",
		"buildings_active_name":  "an active building with this name already exists",
		"buildings.name":         "an active building with this name already exists",
		"households_active_unit": "this unit of the building already has an active household",
		"households.unit":        "this unit of the building already has an active household",
	} {
		if strings.Contains(constraint, key) {
			return msg
		}
	}
	return "a record with this ID already exists"
}

// sharedLedger is the ledger the domain stores keep their books on (in
// their own transactions), and used directly with group commit.
func (db *DB) sharedLedger() *Ledger {
	db.ledgerOnce.Do(func() {
		opts := LedgerOptions{GroupCommit: true}
		if db.now != nil {
			opts.Now = func() int64 { return db.now().UnixNano() }
		}
		db.ledger = db.Ledger(opts)
	})
	return db.ledger
}
