package grids_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/gridsdemo"
	"github.com/linli-go/linli/internal/clock"
)

// caseWorld is the case's community, seeded.
func caseWorld(t testing.TB) (*grids.Registry, context.Context, grids.Community, *clock.Manual) {
	t.Helper()
	c := clock.NewManual(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	reg := grids.NewRegistry(memstore.New().Grids(), grids.Options{Now: c.Now})
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("test"))
	com, err := gridsdemo.Seed(ctx, reg, gridsdemo.Generate(2026, 1))
	require.NoError(t, err)
	worker := grids.WithPrincipal(context.Background(), grids.Principal{ID: "w", CommunityID: com.ID, Name: "w", Roles: []grids.Role{grids.RoleWorker}})
	return reg, worker, com, c
}

func TestPlanAndApply(t *testing.T) {
	reg, ctx, com, clk := caseWorld(t)
	resident := grids.WithPrincipal(context.Background(), grids.Principal{ID: "r", CommunityID: com.ID, Name: "r", Roles: []grids.Role{grids.RoleResident}})
	_, err := reg.PlanRegroup(resident, com.ID, grids.PlanInput{Districts: 4, Grids: 18})
	assert.ErrorIs(t, err, grids.Forbidden)
	_, err = reg.PlanRegroup(ctx, com.ID, grids.PlanInput{Districts: 4, Grids: 5000})
	assert.ErrorIs(t, err, grids.Invalid, "more grids than buildings")

	plan, err := reg.PlanRegroup(ctx, com.ID, grids.PlanInput{Districts: 4, Grids: 18, Seed: 1})
	require.NoError(t, err)
	assert.Equal(t, grids.PlanDone, plan.Status)
	require.NotNil(t, plan.Report)
	q := plan.Report.Quality
	assert.Zero(t, q.BoundViolations+q.NonContiguousGrids+q.NonContiguousDistricts)
	require.NotNil(t, plan.Report.Current, "the registry knows today's layout")
	assert.Equal(t, 27, plan.Report.Current.Grids)
	assert.Equal(t, 9, plan.Report.Current.Districts)
	assert.Greater(t, q.R2BetweenBuildings, plan.Report.Current.R2BetweenBuildings, "the plan groups likeness better than the old grids")
	assert.Len(t, plan.Placements, gridsdemo.Buildings)
	got, err := reg.RegroupPlan(resident, com.ID, plan.ID)
	require.NoError(t, err, "members may read plans")
	assert.Equal(t, plan.Basis, got.Basis)

	before, err := reg.Summary(ctx, com.ID, grids.SummaryOptions{})
	require.NoError(t, err)
	oldDistricts, _, err := reg.FindDistricts(ctx, grids.DistrictFilter{CommunityID: com.ID})
	require.NoError(t, err)
	aBuilding := plan.Placements[0].BuildingID
	oldBuilding, err := reg.Building(ctx, com.ID, aBuilding)
	require.NoError(t, err)

	clk.Advance(24 * time.Hour)
	_, err = reg.ApplyPlan(resident, com.ID, plan.ID, grids.ApplyInput{})
	assert.ErrorIs(t, err, grids.Forbidden)
	_, err = reg.ApplyPlan(ctx, com.ID, plan.ID, grids.ApplyInput{GridNames: []string{"only one"}})
	assert.ErrorIs(t, err, grids.Invalid, "name all grids or none")
	res, err := reg.ApplyPlan(ctx, com.ID, plan.ID, grids.ApplyInput{})
	require.NoError(t, err)
	assert.Equal(t, grids.PlanApplied, res.Plan.Status)
	assert.Len(t, res.Districts, 4)
	assert.Len(t, res.Grids, 18)
	assert.Equal(t, gridsdemo.Buildings, res.Moved)
	assert.Equal(t, "第一片区", res.Districts[0].Name)
	used := map[string]bool{}
	for _, d := range res.Districts {
		assert.Len(t, d.WorkerIDs, 2, "two workers head each district")
		for _, w := range d.WorkerIDs {
			assert.False(t, used[w], "a worker heads one district")
			used[w] = true
		}
	}

	ds, n, err := reg.FindDistricts(ctx, grids.DistrictFilter{CommunityID: com.ID})
	require.NoError(t, err)
	assert.Equal(t, 4, n)
	_, n, err = reg.FindGrids(ctx, grids.GridFilter{CommunityID: com.ID})
	require.NoError(t, err)
	assert.Equal(t, 18, n)
	_, n, err = reg.FindDistricts(ctx, grids.DistrictFilter{CommunityID: com.ID, State: grids.Archived})
	require.NoError(t, err)
	assert.Equal(t, len(oldDistricts), n, "the old districts are archived, not deleted")
	after, err := reg.Summary(ctx, com.ID, grids.SummaryOptions{})
	require.NoError(t, err)
	assert.Equal(t, before.Residents, after.Residents, "nobody is lost")
	total := 0
	for _, d := range ds {
		s, err := reg.Summary(ctx, com.ID, grids.SummaryOptions{Scope: grids.Scope{DistrictID: d.ID}})
		require.NoError(t, err)
		total += s.Households
	}
	assert.Equal(t, gridsdemo.Households, total, "every household is in a new district")

	// The building's history shows where it was and where it is.
	hist, _, err := reg.History(ctx, grids.MembershipFilter{CommunityID: com.ID, Kind: grids.BuildingInGrid, MemberID: aBuilding})
	require.NoError(t, err)
	require.Len(t, hist, 2)
	assert.Equal(t, oldBuilding.GridID, hist[0].GroupID)
	require.NotNil(t, hist[0].To)
	assert.True(t, hist[0].To.Equal(hist[1].From))
	assert.Nil(t, hist[1].To)
	then := hist[0].From.Add(time.Hour)
	past, _, err := reg.History(ctx, grids.MembershipFilter{CommunityID: com.ID, Kind: grids.BuildingInGrid, GroupID: oldBuilding.GridID, At: &then})
	require.NoError(t, err)
	assert.NotEmpty(t, past, "who was in the old grid, then")

	_, err = reg.ApplyPlan(ctx, com.ID, plan.ID, grids.ApplyInput{})
	assert.ErrorIs(t, err, grids.FailedPrecondition, "a plan applies once")
}

func TestStalePlanIsRefused(t *testing.T) {
	reg, ctx, com, _ := caseWorld(t)
	plan, err := reg.PlanRegroup(ctx, com.ID, grids.PlanInput{Districts: 4, Grids: 18, Effort: 0.1})
	require.NoError(t, err)
	b, err := reg.CreateBuilding(ctx, com.ID, grids.BuildingInput{Name: "新楼", Neighbours: []string{plan.Placements[0].BuildingID}})
	require.NoError(t, err)
	_, err = reg.ApplyPlan(ctx, com.ID, plan.ID, grids.ApplyInput{})
	assert.ErrorIs(t, err, grids.FailedPrecondition, "a building was added since")
	_, err = reg.ArchiveBuilding(ctx, com.ID, b.ID, grids.ArchiveInput{Reason: "mistake"})
	require.NoError(t, err)
	_, err = reg.ApplyPlan(ctx, com.ID, plan.ID, grids.ApplyInput{})
	assert.NoError(t, err, "the layout is back as planned")
}

func TestAsyncPlan(t *testing.T) {
	reg, ctx, com, _ := caseWorld(t)
	plan, err := reg.PlanRegroup(ctx, com.ID, grids.PlanInput{Districts: 4, Grids: 18, Async: true})
	require.NoError(t, err)
	assert.Equal(t, grids.PlanRunning, plan.Status)
	require.Eventually(t, func() bool {
		p, err := reg.RegroupPlan(ctx, com.ID, plan.ID)
		return err == nil && p.Status == grids.PlanDone && p.Progress == 1 && p.Report != nil
	}, 30*time.Second, 10*time.Millisecond)
	require.NoError(t, reg.Shutdown(context.Background()))
	_, err = reg.PlanRegroup(ctx, com.ID, grids.PlanInput{Districts: 4, Grids: 18, Async: true})
	assert.ErrorIs(t, err, grids.FailedPrecondition, "no new jobs after shutdown")
}

func TestShutdownInterruptsPlans(t *testing.T) {
	reg, ctx, com, _ := caseWorld(t)
	plan, err := reg.PlanRegroup(ctx, com.ID, grids.PlanInput{Districts: 4, Grids: 18, Async: true, Effort: 100})
	require.NoError(t, err)
	require.NoError(t, reg.Shutdown(context.Background()))
	p, err := reg.RegroupPlan(ctx, com.ID, plan.ID)
	require.NoError(t, err)
	assert.Equal(t, grids.PlanFailed, p.Status)
	assert.Contains(t, p.Error, "interrupted")
}

func TestMembershipHistoryFollowsChanges(t *testing.T) {
	w := newWorld(t)
	g2, err := w.reg.CreateGrid(w.worker, w.c.ID, grids.GridInput{DistrictID: w.d.ID, Name: "1-2"})
	require.NoError(t, err)
	w.clock.Advance(time.Hour)
	_, err = w.reg.UpdateBuilding(w.worker, w.c.ID, w.b.ID, grids.BuildingUpdate{GridID: &g2.ID})
	require.NoError(t, err)
	hist, _, err := w.reg.History(w.worker, grids.MembershipFilter{CommunityID: w.c.ID, MemberID: w.b.ID})
	require.NoError(t, err)
	require.Len(t, hist, 2)
	assert.Equal(t, w.g.ID, hist[0].GroupID)
	assert.Equal(t, g2.ID, hist[1].GroupID)

	d2, err := w.reg.CreateDistrict(w.worker, w.c.ID, grids.DistrictInput{Name: "第二片区"})
	require.NoError(t, err)
	_, err = w.reg.UpdateGrid(w.worker, w.c.ID, g2.ID, grids.GridUpdate{DistrictID: &d2.ID})
	require.NoError(t, err)
	gh, _, err := w.reg.History(w.worker, grids.MembershipFilter{CommunityID: w.c.ID, Kind: grids.GridInDistrict, MemberID: g2.ID})
	require.NoError(t, err)
	require.Len(t, gh, 2)
	assert.Equal(t, d2.ID, gh[1].GroupID)
}

// TestNewBuildingWithoutNeighbours: a building added with a location but
// no neighbours recorded (as a worker adds one through the API) joins the
// plan by its nearest building instead of cutting the community in parts;
// without a location it cannot be placed and the plan says so.
func TestNewBuildingWithoutNeighbours(t *testing.T) {
	reg, ctx, com, _ := caseWorld(t)
	bs, _, err := reg.FindBuildings(ctx, grids.BuildingFilter{CommunityID: com.ID, Page: grids.Page{Limit: 1}})
	require.NoError(t, err)
	near := bs[0]
	require.NotNil(t, near.Location)
	added, err := reg.CreateBuilding(ctx, com.ID, grids.BuildingInput{Name: "新建9号楼", GridID: near.GridID,
		Location: &grids.Location{Lat: near.Location.Lat + 0.0002, Lng: near.Location.Lng + 0.0002}})
	require.NoError(t, err)
	require.Empty(t, added.Neighbours)
	plan, err := reg.PlanRegroup(ctx, com.ID, grids.PlanInput{Districts: 4, Grids: 18, Seed: 1, Effort: 0.1})
	require.NoError(t, err, "one new building does not break the plan")
	placed := false
	for _, p := range plan.Placements {
		placed = placed || p.BuildingID == added.ID
	}
	assert.True(t, placed, "the new building is placed")

	_, err = reg.CreateBuilding(ctx, com.ID, grids.BuildingInput{Name: "无位置楼", GridID: near.GridID})
	require.NoError(t, err)
	_, err = reg.PlanRegroup(ctx, com.ID, grids.PlanInput{Districts: 4, Grids: 18, Seed: 1, Effort: 0.1})
	assert.ErrorIs(t, err, grids.FailedPrecondition, "a building with neither neighbours nor a location cannot be placed")
}
