package sqlstore_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/sqlstore"
	"github.com/linli-go/linli/adapters/sqlstore/sqltest"
	"github.com/linli-go/linli/grids"
)

// TestMigrationsUnderControl: Open can leave migrating to Migrate and then
// refuses a database behind; migrators may run at once; a migration that
// changed after it was applied is refused; one applied before checksums
// were kept gets its checksum.
func TestMigrationsUnderControl(t *testing.T) {
	for _, d := range []struct {
		name, driver string
		dsn          func(t *testing.T) string
	}{
		{"sqlite", "sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "m.db") }},
		{"postgres", "pgx", func(t *testing.T) string { return sqltest.PostgresSchema(t) }},
	} {
		t.Run(d.name, func(t *testing.T) {
			ctx := context.Background()
			dsn := d.dsn(t)
			_, err := sqlstore.Open(ctx, sqlstore.Config{DSN: dsn, SkipMigrate: true})
			require.ErrorIs(t, err, grids.FailedPrecondition, "a database behind is refused when Open does not migrate")

			// Three servers start at once: each migrates, or finds it done.
			var wg sync.WaitGroup
			for range 3 {
				wg.Go(func() {
					db, err := sqlstore.Open(ctx, sqlstore.Config{DSN: dsn})
					if assert.NoError(t, err) {
						db.Close()
					}
				})
			}
			wg.Wait()
			db, err := sqlstore.Open(ctx, sqlstore.Config{DSN: dsn, SkipMigrate: true})
			require.NoError(t, err)
			pending, err := db.Pending(ctx)
			require.NoError(t, err)
			assert.Empty(t, pending)
			require.NoError(t, db.Migrate(ctx), "nothing to do")
			require.NoError(t, db.Close())

			raw, err := sql.Open(d.driver, dsn)
			require.NoError(t, err)
			defer raw.Close()
			var n int
			require.NoError(t, raw.QueryRow("SELECT count(*) FROM schema_migrations WHERE checksum = ''").Scan(&n))
			assert.Zero(t, n, "every migration's checksum is kept")

			_, err = raw.Exec("UPDATE schema_migrations SET checksum = 'changed' WHERE version = 3")
			require.NoError(t, err)
			_, err = sqlstore.Open(ctx, sqlstore.Config{DSN: dsn})
			require.ErrorIs(t, err, grids.FailedPrecondition)
			assert.Contains(t, err.Error(), "0003_governance.sql")

			_, err = raw.Exec("UPDATE schema_migrations SET checksum = ''")
			require.NoError(t, err)
			db, err = sqlstore.Open(ctx, sqlstore.Config{DSN: dsn})
			require.NoError(t, err, "migrations applied before checksums were kept are taken as they are")
			require.NoError(t, db.Close())
			require.NoError(t, raw.QueryRow("SELECT count(*) FROM schema_migrations WHERE checksum = ''").Scan(&n))
			assert.Zero(t, n)
		})
	}
}

// TestPoolAndTimeouts: a pool passed in is used and left open; a
// statement timeout cancels a statement that runs longer.
func TestPoolAndTimeouts(t *testing.T) {
	dsn := sqltest.PostgresSchema(t)
	ctx := context.Background()
	pool, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	defer pool.Close()
	db, err := sqlstore.Open(ctx, sqlstore.Config{Pool: pool})
	require.NoError(t, err)
	assert.Equal(t, sqlstore.Postgres, db.Dialect())
	require.NoError(t, db.Close())
	require.NoError(t, pool.PingContext(ctx), "the caller's pool stays open")

	// The run-time parameter Config.StatementTimeout becomes (see
	// TestPostgresDSN) is one the driver passes to the server.
	raw, err := sql.Open("pgx", dsn+"&statement_timeout=50")
	require.NoError(t, err)
	defer raw.Close()
	var timeout string
	require.NoError(t, raw.QueryRowContext(ctx, "SHOW statement_timeout").Scan(&timeout))
	assert.Equal(t, "50ms", timeout)
	_, err = raw.ExecContext(ctx, "SELECT pg_sleep(0.5)")
	assert.ErrorContains(t, err, "statement timeout")
}

// TestBackup: a copy made while the database is written holds what was
// committed before it, opens as a database of its own, and is never
// written over.
func TestBackup(t *testing.T) {
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("test"))
	dir := t.TempDir()
	db, err := sqlstore.Open(ctx, sqlstore.Config{DSN: filepath.Join(dir, "live.db")})
	require.NoError(t, err)
	defer db.Close()
	reg := grids.NewRegistry(db.Grids(), grids.Options{})
	c, err := reg.CreateCommunity(ctx, grids.CommunityInput{Name: "水秀社区"})
	require.NoError(t, err)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { // writes go on during the backup
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			_, err := reg.CreateBuilding(ctx, c.ID, grids.BuildingInput{Name: "楼" + strconv.Itoa(i)})
			assert.NoError(t, err)
		}
	})
	copyPath := filepath.Join(dir, "copy.db")
	require.NoError(t, db.Backup(ctx, copyPath))
	close(stop)
	wg.Wait()
	assert.ErrorIs(t, db.Backup(ctx, copyPath), grids.Conflict)

	cp, err := sqlstore.Open(ctx, sqlstore.Config{DSN: copyPath, SkipMigrate: true})
	require.NoError(t, err)
	defer cp.Close()
	got, err := grids.NewRegistry(cp.Grids(), grids.Options{}).Community(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, c.Name, got.Name)

	pg := sqltest.Postgres(t)
	assert.ErrorIs(t, pg.Backup(ctx, filepath.Join(dir, "pg.db")), grids.FailedPrecondition)
}
