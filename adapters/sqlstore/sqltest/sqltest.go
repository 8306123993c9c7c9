package sqltest

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/linli-go/linli/adapters/sqlstore"
	"github.com/linli-go/linli/internal/ids"
)

// The environment variables.
const (
	EnvPostgres        = "LINLI_TEST_POSTGRES"
	EnvRequirePostgres = "LINLI_REQUIRE_POSTGRES"
	// EnvShards lists PostgreSQL servers to use as shards, comma-separated
	// URLs (.ci/run starts two more clusters for them); EnvRequireShards=1
	// makes their absence a failure.
	EnvShards        = "LINLI_TEST_POSTGRES_SHARDS"
	EnvRequireShards = "LINLI_REQUIRE_SHARDS"
)

// Dialects are the dialects to test, each with the function that opens a
// fresh database of it.
var Dialects = []struct {
	Name string
	Open func(testing.TB) *sqlstore.DB
	// OpenAt opens a database whose shared ledger stamps transfers by now.
	OpenAt func(t testing.TB, now func() time.Time) *sqlstore.DB
}{
	{sqlstore.SQLite, SQLite, SQLiteAt},
	{sqlstore.Postgres, Postgres, PostgresAt},
}

// SQLite opens a new SQLite database in a temporary directory.
func SQLite(t testing.TB) *sqlstore.DB { t.Helper(); return SQLiteAt(t, nil) }

// SQLiteAt is SQLite with the shared ledger's clock.
func SQLiteAt(t testing.TB, now func() time.Time) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), sqlstore.Config{DSN: filepath.Join(t.TempDir(), "linli.db"), Now: now})
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// PostgresDSN returns the server's URL, skipping or failing t when there is
// none (see the package doc).
func PostgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(EnvPostgres)
	if dsn == "" {
		if os.Getenv(EnvRequirePostgres) == "1" {
			t.Fatalf("%s=1 but %s is not set: PostgreSQL tests are required here", EnvRequirePostgres, EnvPostgres)
		}
		t.Skipf("PostgreSQL tests skipped: set %s (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run them", EnvPostgres)
	}
	return dsn
}

// Postgres opens the server named by LINLI_TEST_POSTGRES in a new schema,
// dropped when the test ends.
func Postgres(t testing.TB) *sqlstore.DB { t.Helper(); return PostgresAt(t, nil) }

// PostgresAt is Postgres with the shared ledger's clock.
func PostgresAt(t testing.TB, now func() time.Time) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), sqlstore.Config{DSN: PostgresSchema(t), MaxConns: 8, Now: now})
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// PostgresSchema creates a schema of its own on the server named by
// LINLI_TEST_POSTGRES and returns a URL that works in it; the schema is
// dropped when the test ends (after cleanups registered later).
func PostgresSchema(t testing.TB) string {
	t.Helper()
	return SchemaAt(t, PostgresDSN(t))
}

// ShardDSNs returns the servers of LINLI_TEST_POSTGRES_SHARDS, skipping or
// failing t when there are none (LINLI_REQUIRE_SHARDS).
func ShardDSNs(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, dsn := range strings.Split(os.Getenv(EnvShards), ",") {
		if dsn = strings.TrimSpace(dsn); dsn != "" {
			out = append(out, dsn)
		}
	}
	if len(out) == 0 {
		if os.Getenv(EnvRequireShards) == "1" {
			t.Fatalf("%s=1 but %s is not set: sharded PostgreSQL tests are required here", EnvRequireShards, EnvShards)
		}
		t.Skipf("sharded PostgreSQL tests skipped: set %s to comma-separated server URLs (.ci/run starts two more clusters) to run them", EnvShards)
	}
	return out
}

// SchemaAt is PostgresSchema on the server at dsn.
func SchemaAt(t testing.TB, dsn string) string {
	t.Helper()
	ctx := context.Background()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := admin.PingContext(pingCtx); err != nil {
		if os.Getenv(EnvRequirePostgres) == "1" {
			t.Fatalf("PostgreSQL at %s does not answer: %v", redact(dsn), err)
		}
		t.Skipf("PostgreSQL tests skipped: %s does not answer: %v", redact(dsn), err)
	}
	schema := "linli_test_" + strings.ToLower(ids.New())
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		drop, err := sql.Open("pgx", dsn)
		if err == nil {
			_, err = drop.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			drop.Close()
		}
		if err != nil {
			t.Logf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("%s: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "the server"
	}
	return u.Redacted()
}
