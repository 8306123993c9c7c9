package memstore_test

import (
	"testing"
	"time"

	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/funds/fundstest"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/governancetest"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/access"
	"github.com/linli-go/linli/grids/access/accesstest"
	"github.com/linli-go/linli/grids/gridstest"
	"github.com/linli-go/linli/points/pointstest"
)

func TestGridsStore(t *testing.T) {
	gridstest.RunStoreTests(t, func(testing.TB) grids.Store { return memstore.New().Grids() })
}

func BenchmarkGridsStore(b *testing.B) {
	gridstest.RunBenchmarks(b, func(testing.TB) grids.Store { return memstore.New().Grids() })
}

func TestGovernanceStore(t *testing.T) {
	governancetest.RunStoreTests(t, func(testing.TB) (governance.Store, grids.Store) {
		s := memstore.New()
		return s.Governance(), s.Grids()
	})
}

func BenchmarkGovernance(b *testing.B) {
	governancetest.RunBenchmarks(b, func(testing.TB) (governance.Store, grids.Store) {
		s := memstore.New()
		return s.Governance(), s.Grids()
	})
}

func TestPointsStore(t *testing.T) {
	pointstest.RunStoreTests(t, func(_ testing.TB, now func() time.Time) pointstest.Stores {
		s := memstore.NewWithClock(now)
		return pointstest.Stores{Points: s.Points(), Governance: s.Governance(), Grids: s.Grids()}
	})
}

func BenchmarkPoints(b *testing.B) {
	pointstest.RunBenchmarks(b, func(_ testing.TB, now func() time.Time) pointstest.Stores {
		s := memstore.NewWithClock(now)
		return pointstest.Stores{Points: s.Points(), Governance: s.Governance(), Grids: s.Grids()}
	})
}

func TestFundsStore(t *testing.T) {
	fundstest.RunStoreTests(t, func(_ testing.TB, now func() time.Time) fundstest.Stores {
		s := memstore.NewWithClock(now)
		return fundstest.Stores{Funds: s.Funds(), Governance: s.Governance(), Grids: s.Grids()}
	})
}

func BenchmarkFunds(b *testing.B) {
	fundstest.RunBenchmarks(b, func(_ testing.TB, now func() time.Time) fundstest.Stores {
		s := memstore.NewWithClock(now)
		return fundstest.Stores{Funds: s.Funds(), Governance: s.Governance(), Grids: s.Grids()}
	})
}

func TestAccessStore(t *testing.T) {
	accesstest.RunStoreTests(t, func(testing.TB) access.Store { return memstore.New().Access() })
}
