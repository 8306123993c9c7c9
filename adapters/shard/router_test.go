package shard_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/adapters/memstore/demotest"
	"github.com/linli-go/linli/adapters/shard"
	"github.com/linli-go/linli/funds/fundsdemo"
	"github.com/linli-go/linli/governance/governancedemo"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/points/pointsdemo"
)

var admin = grids.WithPrincipal(context.Background(), grids.Admin("test"))

func community(t *testing.T, reg *grids.Registry, ctx context.Context, name string) grids.Community {
	t.Helper()
	c, err := reg.CreateCommunity(ctx, grids.CommunityInput{Name: name})
	require.NoError(t, err)
	return c
}

// TestOneCommunityATransaction: a transaction whose calls name two
// communities is refused, and what its first call wrote is not kept.
func TestOneCommunityATransaction(t *testing.T) {
	r := memRouter(t, nil)
	reg := grids.NewRegistry(r.Grids(), grids.Options{})
	a, b := community(t, reg, admin, "甲社区"), community(t, reg, admin, "乙社区")
	err := r.Grids().Update(admin, func(tx grids.Tx) error {
		if err := tx.CreateDistrict(admin, grids.District{ID: "01KKA0000000000000000000D1", CommunityID: a.ID, Name: "一片", WorkerIDs: []string{}}); err != nil {
			return err
		}
		return tx.CreateDistrict(admin, grids.District{ID: "01KKA0000000000000000000D2", CommunityID: b.ID, Name: "二片", WorkerIDs: []string{}})
	})
	require.ErrorIs(t, err, shard.ErrSpansCommunities)
	assert.Equal(t, errs.Internal, errs.CodeOf(err))
	ds, _, err := reg.FindDistricts(admin, grids.DistrictFilter{CommunityID: a.ID})
	require.NoError(t, err)
	assert.Empty(t, ds, "the first community's write was rolled back")

	err = r.Grids().View(admin, func(tx grids.Tx) error {
		if _, err := tx.Community(admin, a.ID); err != nil {
			return err
		}
		_, err := tx.Community(admin, b.ID)
		return err
	})
	assert.ErrorIs(t, err, shard.ErrSpansCommunities, "reads too")

	err = r.Grids().View(admin, func(tx grids.Tx) error {
		if _, _, err := tx.FindCommunities(admin, grids.CommunityFilter{}); err != nil {
			return err
		}
		_, err := tx.Community(admin, a.ID)
		return err
	})
	assert.ErrorIs(t, err, shard.ErrSpansCommunities, "a read of every community names no one community")

	var calls atomic.Int32
	err = r.Grids().Update(admin, func(grids.Tx) error { calls.Add(1); return errs.E(errs.Invalid, "nothing to do") })
	assert.Equal(t, errs.Invalid, errs.CodeOf(err), "a function that makes no call returns its own error")
	assert.EqualValues(t, 1, calls.Load())
}

// TestPlacement: new communities go to the shard with the fewest
// residents, then the fewest communities, unless one is named; the
// directory says where each is.
func TestPlacement(t *testing.T) {
	r := memRouter(t, nil)
	reg := grids.NewRegistry(r.Grids(), grids.Options{})
	var placed []string
	for i := range 3 {
		c := community(t, reg, admin, fmt.Sprintf("社区%d", i))
		s, err := r.Locate(admin, c.ID)
		require.NoError(t, err)
		placed = append(placed, s)
	}
	assert.ElementsMatch(t, r.Shards(), placed, "three empty communities, one on each shard")

	// Residents weigh: the shard of the community with residents is the
	// last choice.
	c0 := mustFind(t, reg, "社区0")
	full, err := r.Locate(admin, c0.ID)
	require.NoError(t, err)
	b, err := reg.CreateBuilding(admin, c0.ID, grids.BuildingInput{Name: "1号"})
	require.NoError(t, err)
	h, err := reg.CreateHousehold(admin, c0.ID, grids.HouseholdInput{BuildingID: b.ID, Unit: "101", Size: 1})
	require.NoError(t, err)
	_, err = reg.CreateResident(admin, c0.ID, grids.ResidentInput{HouseholdID: h.ID, Name: "王芳", Sex: grids.Female, BirthYear: 1950})
	require.NoError(t, err)
	for i := 3; i < 5; i++ {
		c := community(t, reg, admin, fmt.Sprintf("社区%d", i))
		s, err := r.Locate(admin, c.ID)
		require.NoError(t, err)
		assert.NotEqual(t, full, s, "not on the shard with residents")
	}

	named := community(t, reg, shard.On(admin, full), "指定社区")
	s, err := r.Locate(admin, named.ID)
	require.NoError(t, err)
	assert.Equal(t, full, s, "placed where named")
	_, err = reg.CreateCommunity(shard.On(admin, "nowhere"), grids.CommunityInput{Name: "无处"})
	assert.Equal(t, errs.Invalid, errs.CodeOf(err))

	_, err = r.Locate(admin, "01KKA00000000000000000NONE")
	assert.Equal(t, errs.NotFound, errs.CodeOf(err))
}

func mustFind(t *testing.T, reg *grids.Registry, name string) grids.Community {
	t.Helper()
	cs, _, err := reg.FindCommunities(admin, grids.CommunityFilter{Name: name})
	require.NoError(t, err)
	require.Len(t, cs, 1)
	return cs[0]
}

// TestCommunitiesAcrossShards: listing reads every shard and pages as one
// store does.
func TestCommunitiesAcrossShards(t *testing.T) {
	r := memRouter(t, nil)
	stores := []grids.Store{r.Grids(), memstore.New().Grids()}
	for i := range 7 {
		for _, st := range stores {
			id := fmt.Sprintf("01KKA%021d", i)
			reg := grids.NewRegistry(st, grids.Options{NewID: func() string { return id }})
			community(t, reg, admin, fmt.Sprintf("社区%d", i%3))
		}
	}
	regs := []*grids.Registry{grids.NewRegistry(stores[0], grids.Options{}), grids.NewRegistry(stores[1], grids.Options{})}
	for _, f := range []grids.CommunityFilter{
		{}, {Page: grids.Page{Limit: 3}}, {Page: grids.Page{Offset: 2, Limit: 3}}, {Page: grids.Page{Offset: 6, Limit: 3}},
		{Page: grids.Page{After: fmt.Sprintf("01KKA%021d", 3), Limit: 2}}, {Name: "社区1"}, {Name: "社区1", Page: grids.Page{Offset: 1, Limit: 1}},
		{Page: grids.Page{Limit: 2, NoTotal: true}},
	} {
		want, wantN, err := regs[1].FindCommunities(admin, f)
		require.NoError(t, err)
		got, gotN, err := regs[0].FindCommunities(admin, f)
		require.NoError(t, err)
		assert.Equal(t, names(want), names(got), "%+v", f)
		assert.Equal(t, wantN, gotN, "%+v", f)
	}
	unknown := grids.CommunityFilter{Page: grids.Page{After: fmt.Sprintf("01KKA%021d", 99)}}
	for _, reg := range regs {
		_, _, err := reg.FindCommunities(admin, unknown)
		assert.Equal(t, errs.Invalid, errs.CodeOf(err), "after names no community")
	}
}

func names(cs []grids.Community) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.ID+" "+c.Name)
	}
	return out
}

// TestServicesOnShards: the demos of the case run through the services on
// three shards, for two communities at once, with no transaction naming
// two communities (the Router would refuse it), and give the same figures
// for both.
func TestServicesOnShards(t *testing.T) {
	var clock atomic.Int64
	now := func() time.Time { return time.Unix(0, clock.Load()) }
	travel := func(at time.Time) { clock.Store(at.UnixNano()) }
	r := memRouter(t, now)
	reg := grids.NewRegistry(r.Grids(), grids.Options{})
	ctx := context.Background()
	var points []pointsdemo.Summary
	var fundsSums []fundsdemo.Summary
	var where []string
	for range 2 {
		c := demotest.Community(t, reg)
		s, err := r.Locate(ctx, c.ID)
		require.NoError(t, err)
		where = append(where, s)
		_, err = governancedemo.Seed(ctx, r.Governance(), r.Grids(), c.ID, demotest.End, 1)
		require.NoError(t, err)
		fs, err := fundsdemo.Seed(ctx, fundsdemo.Stores{Funds: r.Funds(), Governance: r.Governance(), Grids: r.Grids()}, c.ID, demotest.End, 1, travel)
		require.NoError(t, err)
		ps, err := pointsdemo.Seed(ctx, pointsdemo.Stores{Points: r.Points(), Governance: r.Governance(), Grids: r.Grids()}, c.ID, demotest.End, 1, travel)
		require.NoError(t, err)
		fs.CallID, fs.ProjectFund, fs.WelfareFund = "", "", "" // IDs of each community's own
		points, fundsSums = append(points, ps), append(fundsSums, fs)
	}
	assert.NotEqual(t, where[0], where[1], "the two communities are on two shards")
	assert.Equal(t, points[0], points[1])
	assert.Equal(t, fundsSums[0], fundsSums[1])
	assert.NotZero(t, points[0].Claims)
}

// TestStatic: a static directory reads a JSON file, places a community
// once and re-places it only from where it is.
func TestStatic(t *testing.T) {
	ctx := context.Background()
	_, err := shard.ParseStatic([]byte(`["shard1"]`))
	assert.Equal(t, errs.Invalid, errs.CodeOf(err))
	_, err = shard.ParseStatic([]byte(`{"01KKA000000000000000000001": ""}`))
	assert.Equal(t, errs.Invalid, errs.CodeOf(err))
	d, err := shard.ParseStatic([]byte(`{"01KKA000000000000000000001": "east"}`))
	require.NoError(t, err)
	got, err := d.Place(ctx, "01KKA000000000000000000001", "west")
	require.NoError(t, err)
	assert.Equal(t, "east", got, "placed once")
	assert.Equal(t, errs.Conflict, errs.CodeOf(d.Move(ctx, "01KKA000000000000000000001", "west", "north")))
	require.NoError(t, d.Move(ctx, "01KKA000000000000000000001", "east", "north"))
	got, err = d.Shard(ctx, "01KKA000000000000000000001")
	require.NoError(t, err)
	assert.Equal(t, "north", got)
}

// TestMoveNeedsMovers: stores that cannot hand a community over (memory)
// refuse a move before anything is fenced.
func TestMoveNeedsMovers(t *testing.T) {
	r := memRouter(t, nil)
	reg := grids.NewRegistry(r.Grids(), grids.Options{})
	c := community(t, reg, shard.On(admin, "shard1"), "甲社区")
	_, err := r.Move(context.Background(), c.ID, "shard2", shard.MoveOptions{})
	assert.Equal(t, errs.FailedPrecondition, errs.CodeOf(err))
	_, err = r.Move(context.Background(), c.ID, "nowhere", shard.MoveOptions{})
	assert.Equal(t, errs.Invalid, errs.CodeOf(err))
	_, err = reg.CreateWorker(admin, c.ID, grids.WorkerInput{Name: "王"})
	assert.NoError(t, err, "still writable")
}

// counting is a directory that counts its lookups.
type counting struct {
	*shard.Static
	lookups atomic.Int32
}

func (c *counting) Shard(ctx context.Context, community string) (string, error) {
	c.lookups.Add(1)
	return c.Static.Shard(ctx, community)
}

// TestCached: a cached directory answers from memory for its ttl, asks
// again after it or once told to forget, and keeps nothing it was not
// told (a community placed nowhere is asked about every time).
func TestCached(t *testing.T) {
	ctx := context.Background()
	under := &counting{Static: shard.NewStatic(map[string]string{"01KKA000000000000000000001": "east"})}
	c := shard.NewCached(under, 50*time.Millisecond)
	for range 3 {
		got, err := c.Shard(ctx, "01KKA000000000000000000001")
		require.NoError(t, err)
		assert.Equal(t, "east", got)
	}
	assert.EqualValues(t, 1, under.lookups.Load())
	time.Sleep(60 * time.Millisecond)
	_, err := c.Shard(ctx, "01KKA000000000000000000001")
	require.NoError(t, err)
	assert.EqualValues(t, 2, under.lookups.Load(), "asked again after the ttl")
	c.Forget("01KKA000000000000000000001")
	_, err = c.Shard(ctx, "01KKA000000000000000000001")
	require.NoError(t, err)
	assert.EqualValues(t, 3, under.lookups.Load(), "asked again once forgotten")
	for range 2 {
		_, err = c.Shard(ctx, "01KKA000000000000000000002")
		assert.Equal(t, errs.NotFound, errs.CodeOf(err))
	}
	assert.EqualValues(t, 5, under.lookups.Load(), "a miss is not kept")
	require.NoError(t, c.Move(ctx, "01KKA000000000000000000001", "east", "west"))
	got, err := c.Shard(ctx, "01KKA000000000000000000001")
	require.NoError(t, err)
	assert.Equal(t, "west", got, "a move through it is seen at once")
	fixed := struct{ shard.Directory }{under}
	assert.Equal(t, errs.FailedPrecondition, errs.CodeOf(shard.NewCached(fixed, time.Second).Move(ctx, "01KKA000000000000000000001", "west", "east")),
		"a directory underneath that cannot re-place refuses")
}

// TestAdopt: communities made on a database before it became a shard are
// placed where they are, once; a router then writes them there.
func TestAdopt(t *testing.T) {
	ctx := context.Background()
	a, b := memstore.New(), memstore.New()
	before := grids.NewRegistry(a.Grids(), grids.Options{})
	c1, c2 := community(t, before, admin, "甲社区"), community(t, before, admin, "乙社区")
	r, err := shard.New(shard.NewStatic(nil),
		shard.Shard{Name: "b", Grids: b.Grids()}, shard.Shard{Name: "a", Grids: a.Grids()})
	require.NoError(t, err)
	n, err := r.Adopt(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	for _, c := range []grids.Community{c1, c2} {
		where, err := r.Locate(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, "a", where)
	}
	w, err := grids.NewRegistry(r.Grids(), grids.Options{}).CreateWorker(admin, c1.ID, grids.WorkerInput{Name: "王"})
	require.NoError(t, err)
	_, err = before.Worker(admin, c1.ID, w.ID)
	assert.NoError(t, err, "written where the community is")
	n, err = r.Adopt(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "placed once")
}

// TestListedOnce: a community on two shards for a while (a move's copy,
// before the directory flips) is listed once, from where it is placed.
func TestListedOnce(t *testing.T) {
	a, b := memstore.New(), memstore.New()
	r, err := shard.New(shard.NewStatic(nil), shard.Shard{Name: "a", Grids: a.Grids()}, shard.Shard{Name: "b", Grids: b.Grids()})
	require.NoError(t, err)
	reg := grids.NewRegistry(r.Grids(), grids.Options{})
	c := community(t, reg, shard.On(admin, "a"), "甲社区")
	require.NoError(t, b.Grids().Update(admin, func(tx grids.Tx) error { return tx.CreateCommunity(admin, c) }))
	cs, total, err := reg.FindCommunities(admin, grids.CommunityFilter{})
	require.NoError(t, err)
	assert.Equal(t, []string{c.ID + " 甲社区"}, names(cs))
	assert.Equal(t, 1, total)
}
