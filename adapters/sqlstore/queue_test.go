package sqlstore_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/sqlstore"
	"github.com/linli-go/linli/adapters/sqlstore/sqltest"
	"github.com/linli-go/linli/grids"
)

// TestHotWritesQueue: on PostgreSQL, sixteen writers each advancing one
// community's version 25 times, all on one row in serializable
// transactions: every write is made, exactly once, because the attempts
// after a serialization failure queue for the community instead of
// failing each other again.
func TestHotWritesQueue(t *testing.T) {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, sqlstore.Config{DSN: sqltest.PostgresSchema(t), MaxConns: 32})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	admin := grids.WithPrincipal(ctx, grids.Admin("test"))
	com, err := grids.NewRegistry(db.Grids(), grids.Options{}).CreateCommunity(admin, grids.CommunityInput{Name: "热门社区"})
	require.NoError(t, err)
	attempts := hotWrites(t, func(attempts *atomic.Int64) error { return sqlstore.WriteHot(ctx, db, com.ID, true, attempts) })
	v, err := sqlstore.HotVersion(ctx, db, com.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(writers*each), v, "every write advanced the version once")
	// A write meets at most a few failures: its first attempt, and the
	// first attempts of others that slip in while it queues.
	assert.Less(t, attempts.Load(), int64(10*writers*each), "attempts for %d writes", writers*each)
	t.Logf("%d writes in %d attempts", writers*each, attempts.Load())
}

// TestRegistryWritesQueue: registry writes of one community all advance
// its registry version, one row; sixteen writers of 25 each on
// PostgreSQL all succeed, through the grids store's own Update.
func TestRegistryWritesQueue(t *testing.T) {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, sqlstore.Config{DSN: sqltest.PostgresSchema(t), MaxConns: 32})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	reg := grids.NewRegistry(db.Grids(), grids.Options{})
	admin := grids.WithPrincipal(ctx, grids.Admin("test"))
	com, err := reg.CreateCommunity(admin, grids.CommunityInput{Name: "热门社区"})
	require.NoError(t, err)
	before, err := reg.Version(admin, com.ID)
	require.NoError(t, err)
	attempts := hotWrites(t, func(attempts *atomic.Int64) error { return sqlstore.TouchHot(ctx, db, com.ID, attempts) })
	after, err := reg.Version(admin, com.ID)
	require.NoError(t, err)
	assert.Equal(t, before+writers*each, after, "every write advanced the registry version once")
	t.Logf("%d writes in %d attempts", writers*each, attempts.Load())
}

// writers, each: the writes hotWrites makes, all on one row.
const writers, each = 16, 25

// hotWrites makes writers × each writes at once, requires every one made,
// and returns the attempts they took (write counts its own).
func hotWrites(t *testing.T, write func(attempts *atomic.Int64) error) *atomic.Int64 {
	t.Helper()
	var attempts atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for range writers {
		wg.Go(func() {
			for range each {
				errs <- write(&attempts)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	return &attempts
}
