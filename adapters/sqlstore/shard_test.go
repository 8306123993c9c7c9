package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/shard"
	"github.com/linli-go/linli/adapters/sqlstore"
	"github.com/linli-go/linli/adapters/sqlstore/sqltest"
	"github.com/linli-go/linli/funds/fundstest"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/governancetest"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/access"
	"github.com/linli-go/linli/grids/access/accesstest"
	"github.com/linli-go/linli/grids/gridstest"
	"github.com/linli-go/linli/points/pointstest"
)

// pgRouter routes over three PostgreSQL shards: the test server and the
// servers of LINLI_TEST_POSTGRES_SHARDS (as many of them as given, taken
// in turn), each in a schema of its own; the directory is kept on the
// first.
func pgRouter(t testing.TB, now func() time.Time) *shard.Router {
	t.Helper()
	servers := append([]string{sqltest.PostgresDSN(t)}, sqltest.ShardDSNs(t)...)
	var shards []shard.Shard
	var first *sqlstore.DB
	for i := range 3 {
		db, err := sqlstore.Open(context.Background(), sqlstore.Config{DSN: sqltest.SchemaAt(t, servers[i%len(servers)]), MaxConns: 8, Now: now})
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		if first == nil {
			first = db
		}
		shards = append(shards, db.Shard(fmt.Sprintf("shard%d", i+1)))
	}
	r, err := shard.New(first.Directory(), shards...)
	require.NoError(t, err)
	return r
}

// TestShardedStores: the conformance suites pass on three PostgreSQL
// shards, the communities of each test placed over them.
func TestShardedStores(t *testing.T) {
	sqltest.PostgresDSN(t)
	sqltest.ShardDSNs(t)
	t.Run("Grids", func(t *testing.T) {
		gridstest.RunStoreTests(t, func(t testing.TB) grids.Store { return pgRouter(t, nil).Grids() })
	})
	t.Run("Governance", func(t *testing.T) {
		governancetest.RunStoreTests(t, func(t testing.TB) (governance.Store, grids.Store) {
			r := pgRouter(t, nil)
			return r.Governance(), r.Grids()
		})
	})
	t.Run("Points", func(t *testing.T) {
		pointstest.RunStoreTests(t, func(t testing.TB, now func() time.Time) pointstest.Stores {
			r := pgRouter(t, now)
			return pointstest.Stores{Points: r.Points(), Governance: r.Governance(), Grids: r.Grids()}
		})
	})
	t.Run("Funds", func(t *testing.T) {
		fundstest.RunStoreTests(t, func(t testing.TB, now func() time.Time) fundstest.Stores {
			r := pgRouter(t, now)
			return fundstest.Stores{Funds: r.Funds(), Governance: r.Governance(), Grids: r.Grids()}
		})
	})
	t.Run("Access", func(t *testing.T) {
		accesstest.RunStoreTests(t, func(t testing.TB) access.Store { return pgRouter(t, nil).Access() })
	})
}

// TestDirectory: the directory table places a community once, says where
// it is, lists every placement, and re-places a community only from where
// it is.
func TestDirectory(t *testing.T) {
	for _, d := range sqltest.Dialects {
		t.Run(d.Name, func(t *testing.T) {
			ctx := context.Background()
			dir := d.Open(t).Directory()
			_, err := dir.Shard(ctx, "01KKA000000000000000000001")
			assert.ErrorIs(t, err, grids.NotFound)
			got, err := dir.Place(ctx, "01KKA000000000000000000001", "shard2")
			require.NoError(t, err)
			assert.Equal(t, "shard2", got)
			got, err = dir.Place(ctx, "01KKA000000000000000000001", "shard3")
			require.NoError(t, err)
			assert.Equal(t, "shard2", got, "placed once")
			_, err = dir.Place(ctx, "01KKA000000000000000000002", "shard1")
			require.NoError(t, err)
			placed, err := dir.Placed(ctx)
			require.NoError(t, err)
			assert.Equal(t, map[string]string{"01KKA000000000000000000001": "shard2", "01KKA000000000000000000002": "shard1"}, placed)
			rel := dir.(shard.Relocator)
			assert.ErrorIs(t, rel.Move(ctx, "01KKA000000000000000000001", "shard1", "shard3"), grids.Conflict, "moved only from where it is")
			require.NoError(t, rel.Move(ctx, "01KKA000000000000000000001", "shard2", "shard3"))
			got, err = dir.Shard(ctx, "01KKA000000000000000000001")
			require.NoError(t, err)
			assert.Equal(t, "shard3", got)
		})
	}
}
