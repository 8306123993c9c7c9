package outcome_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/funds/fundsdemo"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/governancedemo"
	"github.com/linli-go/linli/governance/outcome"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/points"
	"github.com/linli-go/linli/points/pointsdemo"
)

// TestTheCasesTable: on the demo community's records, the outcome table
// is the case's: 26 council meetings, 6 hearings, 10 markets, 126
// activities, 24 groups, 361 new volunteers, 5,249 hours, 20+ kinds of
// service, 20 partner enterprises, 2,172 donated items.
func TestTheCasesTable(t *testing.T) {
	var demoTime atomic.Int64
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
	travel := func(t time.Time) { demoTime.Store(t.UnixNano()) }
	_, err = governancedemo.Seed(context.Background(), store.Governance(), store.Grids(), c.ID, end, 1)
	require.NoError(t, err)
	_, err = pointsdemo.Seed(context.Background(), pointsdemo.Stores{Points: store.Points(), Governance: store.Governance(), Grids: store.Grids()}, c.ID, end, 1, travel)
	require.NoError(t, err)
	_, err = fundsdemo.Seed(context.Background(), fundsdemo.Stores{Funds: store.Funds(), Governance: store.Governance(), Grids: store.Grids()}, c.ID, end, 1, travel)
	require.NoError(t, err)

	s := outcome.Services{
		Governance: governance.NewService(store.Governance(), store.Grids(), governance.Options{}),
		Points:     points.NewService(store.Points(), store.Governance(), store.Grids(), points.Options{}),
		Funds:      funds.NewService(store.Funds(), store.Governance(), store.Grids(), funds.Options{}),
	}
	from, to := governancedemo.Period(end)
	resident := grids.WithPrincipal(context.Background(), grids.Principal{ID: "r", CommunityID: c.ID, Name: "r", Roles: []grids.Role{grids.RoleResident}})
	tb, err := outcome.Evaluate(resident, s, c.ID, from, to)
	require.NoError(t, err)
	assert.Equal(t, 26, tb.CouncilMeetings)
	assert.Equal(t, 6, tb.Hearings)
	assert.Equal(t, 10, tb.Markets)
	assert.Equal(t, 126, tb.Activities)
	assert.Equal(t, 24, tb.GroupsFormed)
	assert.Equal(t, 361, tb.NewVolunteers)
	assert.Equal(t, "5249", tb.ServiceHours.String())
	assert.GreaterOrEqual(t, tb.KindsOfService, 20)
	assert.Equal(t, 20, tb.Enterprises)
	assert.EqualValues(t, 2172, tb.DonatedItems)
	assert.Equal(t, 4, tb.Projects)
	assert.Equal(t, "30000", tb.MoneyGranted.String())
	assert.Equal(t, "30000", tb.MoneySpent.String())
	assert.True(t, tb.PointsIssued.GreaterThan(tb.PointsRedeemed))
	assert.True(t, tb.Contributions.IsPositive())

	_, err = outcome.Evaluate(resident, s, c.ID, to, from)
	assert.ErrorIs(t, err, grids.Invalid)
	outsider := grids.WithPrincipal(context.Background(), grids.Principal{ID: "o", CommunityID: "01KKBFJYM0EC24754VPBD7F9W2", Name: "o", Roles: []grids.Role{grids.RoleWorker}})
	_, err = outcome.Evaluate(outsider, s, c.ID, from, to)
	assert.ErrorIs(t, err, grids.Forbidden)
}
