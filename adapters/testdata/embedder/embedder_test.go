package embedder_test

import (
	"testing"
	"time"

	"example.com/embedder"

	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/funds/fundstest"
	"github.com/linli-go/linli/points/pointstest"
)

func TestPointsStore(t *testing.T) {
	pointstest.RunStoreTests(t, func(_ testing.TB, now func() time.Time) pointstest.Stores {
		s := memstore.NewWithClock(now)
		return pointstest.Stores{Points: embedder.Points{Inner: s.Points()}, Governance: s.Governance(), Grids: s.Grids()}
	})
}

func TestFundsStore(t *testing.T) {
	fundstest.RunStoreTests(t, func(_ testing.TB, now func() time.Time) fundstest.Stores {
		s := memstore.NewWithClock(now)
		return fundstest.Stores{Funds: embedder.Funds{Inner: s.Funds()}, Governance: s.Governance(), Grids: s.Grids()}
	})
}
