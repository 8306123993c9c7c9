package governancedemo_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/governancedemo"
	"github.com/linli-go/linli/grids"
)

// community registers a community with n residents and two grids.
func community(t *testing.T, reg *grids.Registry, n int) grids.Community {
	t.Helper()
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("test"))
	c, err := reg.CreateCommunity(ctx, grids.CommunityInput{Name: "水秀社区"})
	require.NoError(t, err)
	d, err := reg.CreateDistrict(ctx, c.ID, grids.DistrictInput{Name: "第一片区"})
	require.NoError(t, err)
	for _, name := range []string{"1-1", "1-2"} {
		_, err := reg.CreateGrid(ctx, c.ID, grids.GridInput{DistrictID: d.ID, Name: name})
		require.NoError(t, err)
	}
	b, err := reg.CreateBuilding(ctx, c.ID, grids.BuildingInput{Name: "1号"})
	require.NoError(t, err)
	for i := range n {
		h, err := reg.CreateHousehold(ctx, c.ID, grids.HouseholdInput{BuildingID: b.ID, Unit: fmt.Sprint(i), Size: 1})
		require.NoError(t, err)
		_, err = reg.CreateResident(ctx, c.ID, grids.ResidentInput{HouseholdID: h.ID, Name: fmt.Sprintf("居民%d", i), Sex: grids.Female, BirthYear: 1950 + i%50})
		require.NoError(t, err)
	}
	return c
}

// TestSeedReproducesTheCase: Evaluate over the period reports the case's
// figures exactly.
func TestSeedReproducesTheCase(t *testing.T) {
	store := memstore.New()
	reg := grids.NewRegistry(store.Grids(), grids.Options{})
	c := community(t, reg, governancedemo.Residents)
	end := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	sum, err := governancedemo.Seed(context.Background(), store.Governance(), store.Grids(), c.ID, end, 1)
	require.NoError(t, err)
	assert.Equal(t, governancedemo.Activities, sum.Activities)
	assert.Equal(t, governancedemo.Organisations, sum.Organisations)
	assert.Equal(t, 10+governancedemo.Groups, sum.Bodies)

	gov := governance.NewService(store.Governance(), store.Grids(), governance.Options{})
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("test"))
	from, to := governancedemo.Period(end)
	assert.Equal(t, time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC), from)
	ev, err := gov.Evaluate(ctx, c.ID, from, to)
	require.NoError(t, err)
	assert.Equal(t, governancedemo.Groups, ev.GroupsFormed)
	assert.Equal(t, governancedemo.Activities, ev.Figures.Activities)
	assert.Equal(t, governancedemo.NewVolunteers, ev.Figures.NewVolunteers)
	assert.Equal(t, governancedemo.NewVolunteers, ev.Figures.Volunteers)
	assert.Equal(t, "5249", ev.Figures.ServiceHours.String())
	assert.Len(t, ev.Figures.Services, governancedemo.Services)

	// The structure: nine seats held, eight chairs, 24 leaders, 14 organisations.
	at := to
	council, _, err := gov.FindBodies(ctx, governance.BodyFilter{CommunityID: c.ID, Kind: governance.Council})
	require.NoError(t, err)
	_, seats, err := gov.FindPositions(ctx, governance.PositionFilter{CommunityID: c.ID, BodyID: council[0].ID, ActiveAt: &at})
	require.NoError(t, err)
	assert.Equal(t, 9, seats)
	_, chairs, err := gov.FindPositions(ctx, governance.PositionFilter{CommunityID: c.ID, Office: governance.Chair, ActiveAt: &at})
	require.NoError(t, err)
	assert.Equal(t, 9, chairs, "the council's and the eight committees'")
	_, leaders, err := gov.FindPositions(ctx, governance.PositionFilter{CommunityID: c.ID, Office: governance.Leader, ActiveAt: &at})
	require.NoError(t, err)
	assert.Equal(t, governancedemo.Groups, leaders)
	appointed, _, err := gov.FindNominations(ctx, governance.NominationFilter{CommunityID: c.ID, Status: governance.Appointed, Page: grids.Page{Limit: 100}})
	require.NoError(t, err)
	assert.Len(t, appointed, governancedemo.Groups, "every leader was nominated, reviewed and appointed")
	issues, _, err := gov.FindIssues(ctx, governance.IssueFilter{CommunityID: c.ID})
	require.NoError(t, err)
	statuses := map[governance.IssueStatus]int{}
	for _, is := range issues {
		statuses[is.Status]++
	}
	assert.Equal(t, map[governance.IssueStatus]int{governance.ReviewedOut: 2, governance.CarriedOut: 1, governance.Decided: 1,
		governance.Declined: 1, governance.Deliberated: 1, governance.Raised: 1}, statuses)

	// Once is enough.
	_, err = governancedemo.Seed(context.Background(), store.Governance(), store.Grids(), c.ID, end, 1)
	assert.ErrorContains(t, err, "council already")
}

func TestSeedNeedsResidents(t *testing.T) {
	store := memstore.New()
	reg := grids.NewRegistry(store.Grids(), grids.Options{})
	c := community(t, reg, 20)
	_, err := governancedemo.Seed(context.Background(), store.Governance(), store.Grids(), c.ID, time.Now(), 1)
	assert.ErrorContains(t, err, "needs 404")
}
