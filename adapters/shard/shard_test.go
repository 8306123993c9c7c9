package shard_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/adapters/shard"
	"github.com/linli-go/linli/funds/fundstest"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/governancetest"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/access"
	"github.com/linli-go/linli/grids/access/accesstest"
	"github.com/linli-go/linli/grids/gridstest"
	"github.com/linli-go/linli/points/pointstest"
)

// memRouter routes over three memory stores.
func memRouter(t testing.TB, now func() time.Time) *shard.Router {
	t.Helper()
	var shards []shard.Shard
	for i := range 3 {
		m := memstore.NewWithClock(now)
		shards = append(shards, shard.Shard{Name: fmt.Sprintf("shard%d", i+1),
			Grids: m.Grids(), Governance: m.Governance(), Points: m.Points(), Funds: m.Funds(), Access: m.Access()})
	}
	r, err := shard.New(shard.NewStatic(nil), shards...)
	require.NoError(t, err)
	return r
}

// The conformance suites pass on three shards: every transaction of them
// names one community, and the communities of each test are spread.

func TestGridsStore(t *testing.T) {
	gridstest.RunStoreTests(t, func(t testing.TB) grids.Store { return memRouter(t, nil).Grids() })
}

func TestGovernanceStore(t *testing.T) {
	governancetest.RunStoreTests(t, func(t testing.TB) (governance.Store, grids.Store) {
		r := memRouter(t, nil)
		return r.Governance(), r.Grids()
	})
}

func TestPointsStore(t *testing.T) {
	pointstest.RunStoreTests(t, func(t testing.TB, now func() time.Time) pointstest.Stores {
		r := memRouter(t, now)
		return pointstest.Stores{Points: r.Points(), Governance: r.Governance(), Grids: r.Grids()}
	})
}

func TestFundsStore(t *testing.T) {
	fundstest.RunStoreTests(t, func(t testing.TB, now func() time.Time) fundstest.Stores {
		r := memRouter(t, now)
		return fundstest.Stores{Funds: r.Funds(), Governance: r.Governance(), Grids: r.Grids()}
	})
}

func TestAccessStore(t *testing.T) {
	accesstest.RunStoreTests(t, func(t testing.TB) access.Store { return memRouter(t, nil).Access() })
}
