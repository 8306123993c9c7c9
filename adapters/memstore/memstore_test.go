package memstore_test

import (
	"testing"

	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/governancetest"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/gridstest"
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
