package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/linli-go/linli/adapters/shard"
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
	// MaxIdleConns bounds idle connections (default MaxConns);
	// ConnMaxLifetime closes connections older than it (default: never)
	// and ConnMaxIdleTime those idle longer (default 5 minutes).
	MaxIdleConns                     int
	ConnMaxLifetime, ConnMaxIdleTime time.Duration
	// StatementTimeout, on PostgreSQL, cancels a statement that runs
	// longer (statement_timeout; default: the server's). A statement_timeout
	// in the DSN wins.
	StatementTimeout time.Duration
	// Pool is an open PostgreSQL pool to use instead of DSN: one wrapped
	// for tracing, or connected through PgBouncer (in transaction mode,
	// 1.21 or later, which keeps prepared statements). Its settings are
	// the caller's, and Close leaves it open.
	Pool *sql.DB
	// SkipMigrate leaves the schema to Migrate (or `server migrate`), run
	// by whoever deploys: Open then refuses a database that lacks a
	// migration rather than work on an older schema.
	SkipMigrate bool
	// Now is the clock of the shared ledger's timestamps (time.Now if
	// nil): a demo or a test can book the past.
	Now func() time.Time
}

// DB is an open database.
type DB struct {
	dialect  string
	path     string               // SQLite: the file
	w        *sql.DB              // writes; SQLite: one connection
	r        *sql.DB              // reads; PostgreSQL: the same pool as w
	borrowed bool                 // w is Config.Pool: the caller's to close
	batches  prometheus.Histogram // transfers per ledger batch (Collectors)
	log      *slog.Logger

	now func() time.Time
	// trace, if set (tests), sees every statement a store's transaction
	// runs, with its arguments.
	trace func(query string, args []any)

	ledgerOnce sync.Once
	ledger     *Ledger // shared by the domain stores; made on first use
}

// Open connects to the database in cfg.DSN and migrates it (see Migrate),
// unless cfg.SkipMigrate.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	db := &DB{log: cfg.Logger, now: cfg.Now, batches: prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "linli_ledger_batch_transfers", Help: "Transfers per batch the ledger writes (a batch in a transaction that then rolls back included).",
		Buckets: prometheus.ExponentialBuckets(1, 4, 8),
	})}
	if db.log == nil {
		db.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	var err error
	switch {
	case cfg.Pool != nil:
		db.dialect, db.w, db.r, db.borrowed = Postgres, cfg.Pool, cfg.Pool, true
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
	if cfg.SkipMigrate {
		pending, err := db.Pending(ctx)
		if err == nil && len(pending) > 0 {
			err = errs.E(errs.FailedPrecondition, "sqlstore: the database lacks %d migrations (%s …): run Migrate (server migrate) first", len(pending), pending[0])
		}
		if err != nil {
			db.Close()
			return nil, err
		}
	} else if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// The shared ledger prepares its statements on SQLite's one writer:
	// now, while no transaction holds it.
	db.sharedLedger()
	return db, nil
}

// postgresDSN is cfg.DSN with cfg's settings as run-time parameters.
func postgresDSN(cfg Config) (string, error) {
	if cfg.StatementTimeout <= 0 {
		return cfg.DSN, nil
	}
	u, err := url.Parse(cfg.DSN)
	if err != nil {
		return "", errs.E(errs.Invalid, "sqlstore: PostgreSQL URL: %w", err)
	}
	q := u.Query()
	if !q.Has("statement_timeout") {
		q.Set("statement_timeout", strconv.FormatInt(cfg.StatementTimeout.Milliseconds(), 10))
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func (db *DB) openPostgres(cfg Config) error {
	dsn, err := postgresDSN(cfg)
	if err != nil {
		return err
	}
	w, err := sql.Open("pgx", dsn)
	if err != nil {
		return fmt.Errorf("sqlstore: open postgres: %w", err)
	}
	n := cfg.MaxConns
	if n <= 0 {
		n = 10
	}
	idle := cfg.MaxIdleConns
	if idle <= 0 {
		idle = n
	}
	w.SetMaxOpenConns(n)
	w.SetMaxIdleConns(idle)
	w.SetConnMaxLifetime(cfg.ConnMaxLifetime)
	w.SetConnMaxIdleTime(5 * time.Minute)
	if cfg.ConnMaxIdleTime > 0 {
		w.SetConnMaxIdleTime(cfg.ConnMaxIdleTime)
	}
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
	// busy_timeout comes first: the pragmas run in order as a connection
	// opens, and switching a new file to WAL waits for a lock that another
	// process starting on the same file may hold (TestTwoFirstStarts).
	common := []string{"busy_timeout(10000)", "foreign_keys(1)", "synchronous(NORMAL)"}
	// analysis_limit makes ANALYZE sample, as PostgreSQL's does, rather than
	// read whole tables after every bulk import.
	w, err := openCaching(dsn(append(slices.Clone(common), "journal_mode(WAL)", "analysis_limit(2000)", "cache_size(-32768)"), url.Values{"_txlock": {"immediate"}}))
	if err != nil {
		return fmt.Errorf("sqlstore: open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1) // one writer: writes queue here, not in SQLITE_BUSY
	w.SetConnMaxIdleTime(0)
	r, err := openCaching(dsn(append(slices.Clone(common), "query_only(1)"), nil))
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

// openCaching opens an SQLite pool whose connections keep their
// statements prepared (stmtcache.go).
func openCaching(dsn string) (*sql.DB, error) {
	k, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(cachingConnector{k}), nil
}

// Close closes the database.
func (db *DB) Close() error {
	if db.ledger != nil {
		db.ledger.Close()
	}
	var err error
	if !db.borrowed {
		err = db.w.Close()
	}
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

// Analyze refreshes the planner's statistics of every table. Call it
// after a bulk load (an import, a demo, a migration of many rows): until
// autovacuum catches up, statistics taken before the load mislead the
// planner.
func (db *DB) Analyze(ctx context.Context) error {
	if _, err := db.w.ExecContext(ctx, "ANALYZE"); err != nil {
		return errs.E(errs.Internal, "analyze: %w", err)
	}
	return nil
}

// Migrate applies the embedded migrations the database lacks, in order,
// each in a transaction of its own (its DDL and its row in
// schema_migrations commit together, so a migration cut off leaves no
// trace and runs again). Several servers may migrate at once: on
// PostgreSQL an advisory lock, on SQLite the one writer, lets one at a
// time check and apply each. It refuses a database where a migration
// applied before has changed since (its SHA-256 is kept): a changed
// migration would never run again, and the schemas would part.
func (db *DB) Migrate(ctx context.Context) error {
	ms, err := db.migrations()
	if err != nil {
		return err
	}
	if err := db.write(ctx, db.migrationTable); err != nil {
		return err
	}
	for _, m := range ms {
		err := db.write(ctx, func(tx *sql.Tx) error {
			if db.dialect == Postgres {
				if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(7350351)"); err != nil {
					return err
				}
			}
			var sum string
			err := tx.QueryRowContext(ctx, db.sqlText("SELECT checksum FROM schema_migrations WHERE version = ?"), m.version).Scan(&sum)
			switch {
			case err == nil && sum == "":
				// Applied before checksums were kept: this is its sum from now on.
				_, err = tx.ExecContext(ctx, db.sqlText("UPDATE schema_migrations SET checksum = ? WHERE version = ?"), m.sum, m.version)
				return err
			case err == nil && sum != m.sum:
				return errs.E(errs.FailedPrecondition, "sqlstore: migration %s was applied with another content (sha256 %s, now %s): "+
					"an applied migration is never changed; add a new one instead", m.name, sum, m.sum)
			case err == nil:
				return nil
			case !errors.Is(err, sql.ErrNoRows):
				return err
			}
			if check := before[m.version]; check != nil {
				if err := check(ctx, tx); err != nil {
					return fmt.Errorf("sqlstore: migration %s: %w", m.name, err)
				}
			}
			if _, err := tx.ExecContext(ctx, m.body); err != nil {
				return fmt.Errorf("sqlstore: migration %s: %w", m.name, err)
			}
			_, err = tx.ExecContext(ctx, db.sqlText("INSERT INTO schema_migrations (version, name, applied_at, checksum) VALUES (?, ?, ?, ?)"),
				m.version, m.name, time.Now().UTC().Format(time.RFC3339), m.sum)
			if err == nil {
				db.log.Info("migrated", "dialect", db.dialect, "migration", m.name)
			}
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Pending lists the embedded migrations the database lacks.
func (db *DB) Pending(ctx context.Context) ([]string, error) {
	ms, err := db.migrations()
	if err != nil {
		return nil, err
	}
	applied := map[int]bool{}
	err = db.read(ctx, func(tx querier) error {
		rows, err := tx.QueryContext(ctx, "SELECT version FROM schema_migrations")
		if err != nil {
			return errNoTable
		}
		for rows.Next() {
			var v int
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return err
			}
			applied[v] = true
		}
		return errors.Join(rows.Err(), rows.Close())
	})
	if err != nil && !errors.Is(err, errNoTable) {
		return nil, err
	}
	var out []string
	for _, m := range ms {
		if !applied[m.version] {
			out = append(out, m.name)
		}
	}
	return out, nil
}

var errNoTable = errors.New("no schema_migrations")

// migrationTable makes schema_migrations, and adds the checksum column to
// one made before checksums were kept.
func (db *DB) migrationTable(tx *sql.Tx) error {
	ctx := context.Background()
	if db.dialect == Postgres {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(7350351)"); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL, checksum TEXT NOT NULL DEFAULT '')`); err != nil {
		return err
	}
	var has int
	q := "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'schema_migrations' AND column_name = 'checksum'"
	if db.dialect == SQLite {
		q = "SELECT count(*) FROM pragma_table_info('schema_migrations') WHERE name = 'checksum'"
	}
	if err := tx.QueryRowContext(ctx, q).Scan(&has); err != nil {
		return err
	}
	if has == 0 {
		_, err := tx.ExecContext(ctx, "ALTER TABLE schema_migrations ADD COLUMN checksum TEXT NOT NULL DEFAULT ''")
		return err
	}
	return nil
}

// migration is one embedded migration file.
type migration struct {
	version         int
	name, body, sum string
}

// migrations are the dialect's embedded migrations, in order.
func (db *DB) migrations() ([]migration, error) {
	dir := "migrations/" + db.dialect
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return nil, errs.Internalf("sqlstore: read migrations: %w", err)
	}
	var out []migration
	for _, e := range entries {
		num, _, _ := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, errs.Internalf("sqlstore: migration %s: name must be NNNN_name.sql", e.Name())
		}
		body, err := fs.ReadFile(migrations, dir+"/"+e.Name())
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(body)
		out = append(out, migration{version: v, name: e.Name(), body: string(body), sum: hex.EncodeToString(sum[:])})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
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

// queuedAttempts bounds the attempts of a write that queues after its
// first failure (updateQueued).
const queuedAttempts = 4 * maxAttempts

// write runs fn in a read-write transaction, retrying transient conflicts.
func (db *DB) write(ctx context.Context, fn func(*sql.Tx) error) error {
	return db.run(ctx, db.w, nil, fn)
}

// update runs a domain store's Update: a serializable transaction (on
// SQLite every write transaction is, the writer being one), retried after
// a serialization failure.
func (db *DB) update(ctx context.Context, fn func(*sql.Tx) error) error {
	return db.updateQueued(ctx, "", nil, fn)
}

// updateQueued is update that, on PostgreSQL, makes the attempts after a
// serialization failure or deadlock queue first for the communities the
// failed attempts wrote (written, in domain): one at a time per community
// and domain, across every server, each taking its snapshot once the one
// before it has committed. Without the queue, sixteen writers on one hot
// account (an item's stock at a busy counter, the welfare fund) failed
// each other round after round, and some ran out of attempts.
func (db *DB) updateQueued(ctx context.Context, domain string, written func() []string, fn func(*sql.Tx) error) error {
	if community, ok := shard.Writing(ctx); ok {
		fn = db.fenced(ctx, community, fn)
	}
	if db.dialect != Postgres {
		return db.run(ctx, db.w, nil, fn)
	}
	opts := &sql.TxOptions{Isolation: sql.LevelSerializable}
	// A queued attempt fails only when another write was made meanwhile (a
	// first attempt that slipped in), so progress is sure; under load a
	// write may need more attempts than one that never queues.
	budget := maxAttempts
	if written != nil {
		budget = queuedAttempts
	}
	return db.retry(ctx, budget, func(attempt int) error {
		if attempt > 1 && written != nil {
			if keys := queueKeys(domain, written()); len(keys) > 0 {
				return db.queued(ctx, keys, opts, fn)
			}
		}
		return db.once(ctx, db.w, opts, fn)
	})
}

// queueKeys are the advisory lock keys of a domain's communities, in
// order (two writers of the same communities never wait on each other).
func queueKeys(domain string, communities []string) []int64 {
	keys := make([]int64, 0, len(communities))
	for _, c := range communities {
		h := fnv.New64a()
		_, _ = io.WriteString(h, "linli\x00"+domain+"\x00"+c)
		keys = append(keys, int64(h.Sum64()))
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// queued runs fn in one transaction on a connection that holds the
// session advisory locks keys, taken before the transaction begins so its
// snapshot follows the previous holder's commit. A connection whose locks
// might outlive it in the pool (a failed lock or unlock) is closed, which
// releases them.
func (db *DB) queued(ctx context.Context, keys []int64, opts *sql.TxOptions, fn func(*sql.Tx) error) (err error) {
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return err
	}
	healthy := true
	defer func() {
		if !healthy {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		_ = conn.Close()
	}()
	locked := 0
	defer func() {
		for _, k := range keys[:locked] {
			if _, err := conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", k); err != nil {
				healthy = false
				return
			}
		}
	}()
	for _, k := range keys {
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", k); err != nil {
			healthy = false // the lock may have been granted as the wait was cut short
			return err
		}
		locked++
	}
	return db.once(ctx, conn, opts, fn)
}

// querier runs statements: a transaction, or a connection in one.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// read runs fn in a read-only transaction over one snapshot.
func (db *DB) read(ctx context.Context, fn func(querier) error) error {
	if db.dialect == SQLite {
		return db.retry(ctx, maxAttempts, func(int) error { return db.readConn(ctx, fn) })
	}
	opts := &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	return db.run(ctx, db.r, opts, func(t *sql.Tx) error { return fn(t) })
}

// readConn runs fn on a reader between its own BEGIN and COMMIT. On
// SQLite a database/sql transaction cost twice the read of a row it
// wrapped (a goroutine watching its context, the driver preparing BEGIN
// and COMMIT anew); on a connection of the caching pool both statements
// stay prepared. A connection whose transaction might still be open is
// discarded, never pooled.
func (db *DB) readConn(ctx context.Context, fn func(querier) error) (err error) {
	conn, err := db.r.Conn(ctx)
	if err != nil {
		return err
	}
	healthy := false
	defer func() {
		if !healthy {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		_ = conn.Close()
	}()
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return err
	}
	// Ending the transaction must not be cut short with the request.
	end := context.WithoutCancel(ctx)
	committed := false
	defer func() {
		if !committed {
			_, rerr := conn.ExecContext(end, "ROLLBACK")
			healthy = rerr == nil
		}
	}()
	if err := fn(conn); err != nil {
		return err
	}
	if _, err := conn.ExecContext(end, "COMMIT"); err != nil {
		return err
	}
	committed, healthy = true, true
	return nil
}

func (db *DB) run(ctx context.Context, pool *sql.DB, opts *sql.TxOptions, fn func(*sql.Tx) error) error {
	return db.retry(ctx, maxAttempts, func(int) error { return db.once(ctx, pool, opts, fn) })
}

// retry makes attempts (numbered from 1) until one succeeds, fails for
// good, or maxAttempts of them have met transient failures.
func (db *DB) retry(ctx context.Context, maxAttempts int, try func(attempt int) error) error {
	for attempt := 1; ; attempt++ {
		err := try(attempt)
		if err == nil || !transient(err) || ctx.Err() != nil {
			return db.mapErr(err)
		}
		if attempt == maxAttempts {
			// Nothing was written; the caller may try again. A conflict,
			// not an internal error: many writers at once on one hot
			// record (an item's stock at a busy counter) meet it.
			// The database's own words stay in the cause, for the log:
			// the message is shown to whoever made the request.
			return errs.Quiet(errs.Conflict, err, "the write met concurrent changes %d times in a row and was not made; try again", attempt)
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
func (db *DB) once(ctx context.Context, pool interface {
	BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
}, opts *sql.TxOptions, fn func(*sql.Tx) error) (err error) {
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
		var opts LedgerOptions
		if db.now != nil {
			opts.Now = func() int64 { return db.now().UnixNano() }
		}
		db.ledger = db.Ledger(opts)
	})
	return db.ledger
}
