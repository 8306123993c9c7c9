package pointsdemo_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/governance/governancedemo"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/points"
	"github.com/linli-go/linli/points/pointsdemo"
)

// TestSeedReproducesTheCase: the bank's evaluation over the programme
// reports the case's figures, and the books balance.
func TestSeedReproducesTheCase(t *testing.T) {
	var demoTime atomic.Int64 // the ledger's clock follows the demo's
	store := memstore.NewWithClock(func() time.Time { return time.Unix(0, demoTime.Load()) })
	reg := grids.NewRegistry(store.Grids(), grids.Options{})
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("test"))
	c, err := reg.CreateCommunity(ctx, grids.CommunityInput{Name: "水秀社区"})
	require.NoError(t, err)
	d, err := reg.CreateDistrict(ctx, c.ID, grids.DistrictInput{Name: "第一片区"})
	require.NoError(t, err)
	_, err = reg.CreateGrid(ctx, c.ID, grids.GridInput{DistrictID: d.ID, Name: "1-1"})
	require.NoError(t, err)
	b, err := reg.CreateBuilding(ctx, c.ID, grids.BuildingInput{Name: "1号"})
	require.NoError(t, err)
	for i := range governancedemo.Residents {
		h, err := reg.CreateHousehold(ctx, c.ID, grids.HouseholdInput{BuildingID: b.ID, Unit: fmt.Sprint(i), Size: 1})
		require.NoError(t, err)
		_, err = reg.CreateResident(ctx, c.ID, grids.ResidentInput{HouseholdID: h.ID, Name: fmt.Sprintf("居民%d", i), Sex: grids.Female, BirthYear: 1950 + i%50})
		require.NoError(t, err)
	}
	end := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	_, err = governancedemo.Seed(context.Background(), store.Governance(), store.Grids(), c.ID, end, 1)
	require.NoError(t, err)
	st := pointsdemo.Stores{Points: store.Points(), Governance: store.Governance(), Grids: store.Grids()}
	sum, err := pointsdemo.Seed(context.Background(), st, c.ID, end, 1, func(t time.Time) { demoTime.Store(t.UnixNano()) })
	require.NoError(t, err)
	assert.Equal(t, pointsdemo.Markets, sum.Markets)
	assert.Equal(t, pointsdemo.Enterprises*3, sum.Donations)
	assert.Positive(t, sum.Exchanges)
	assert.Positive(t, sum.SignUps)
	assert.Positive(t, sum.Expiries, "the first year's unspent points expired")

	svc := points.NewService(store.Points(), store.Governance(), store.Grids(), points.Options{})
	from, to := governancedemo.Period(end)
	ev, err := svc.Evaluate(ctx, c.ID, from, to)
	require.NoError(t, err)
	assert.Equal(t, "5249", ev.Hours.String(), "the case's service hours")
	assert.Equal(t, governancedemo.NewVolunteers, ev.NewVolunteers)
	assert.Equal(t, governancedemo.NewVolunteers, ev.Volunteers)
	assert.EqualValues(t, pointsdemo.DonatedItems, ev.DonatedItems)
	assert.Equal(t, pointsdemo.Enterprises, ev.Enterprises)
	assert.Equal(t, pointsdemo.Markets, ev.Markets)
	assert.Equal(t, sum.Exchanges, ev.Exchanges)
	assert.True(t, ev.PointsIssued.GreaterThan(ev.PointsRedeemed.Add(ev.PointsExpired)))
	require.NoError(t, store.Points().Ledger().Verify(context.Background()))
	_, err = pointsdemo.Seed(context.Background(), st, c.ID, end, 1, nil)
	assert.Error(t, err, "a community is seeded once")
}
