// Package demotest builds the demo community for tests: the registry the
// governance demo needs, and the demos seeded on a memory store whose
// ledger books each transfer at the demo's own time.
package demotest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/funds/fundsdemo"
	"github.com/linli-go/linli/governance/governancedemo"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/points/pointsdemo"
)

// End is when the demos' programme ends.
var End = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// ResidentName is the name of resident i: distinctive, so a test can look
// for it in what is published.
func ResidentName(i int) string { return fmt.Sprintf("居民甲%03d", i) }

// Community registers a community with a district, a grid, a building and
// governancedemo.Residents residents, each in a household of their own.
func Community(t testing.TB, reg *grids.Registry) grids.Community {
	t.Helper()
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("test"))
	c, err := reg.CreateCommunity(ctx, grids.CommunityInput{Name: "水秀社区"})
	require.NoError(t, err)
	d, err := reg.CreateDistrict(ctx, c.ID, grids.DistrictInput{Name: "第一片区"})
	require.NoError(t, err)
	for _, name := range []string{"1-1", "1-2"} {
		_, err = reg.CreateGrid(ctx, c.ID, grids.GridInput{DistrictID: d.ID, Name: name})
		require.NoError(t, err)
	}
	b, err := reg.CreateBuilding(ctx, c.ID, grids.BuildingInput{Name: "1号"})
	require.NoError(t, err)
	for i := range governancedemo.Residents {
		h, err := reg.CreateHousehold(ctx, c.ID, grids.HouseholdInput{BuildingID: b.ID, Unit: fmt.Sprint(i), Size: 1})
		require.NoError(t, err)
		_, err = reg.CreateResident(ctx, c.ID, grids.ResidentInput{HouseholdID: h.ID, Name: ResidentName(i), Sex: grids.Female, BirthYear: 1950 + i%50})
		require.NoError(t, err)
	}
	return c
}

// Demo is a memory store holding the demo community.
type Demo struct {
	Store     *memstore.Store
	Registry  *grids.Registry
	Community grids.Community
	Points    pointsdemo.Summary
	Funds     fundsdemo.Summary
	time      *atomic.Int64
}

// Which demos Seed runs beyond the governance demo.
const (
	WithPoints = 1 << iota
	WithFunds
)

// Seed registers the community and seeds the governance demo, then the
// funds and the points demos as asked. The funds go first: the memory
// ledger's clock never goes back, and reports go by it.
func Seed(t testing.TB, with int) *Demo {
	t.Helper()
	d := &Demo{time: new(atomic.Int64)}
	d.Store = memstore.NewWithClock(func() time.Time { return time.Unix(0, d.time.Load()) })
	d.Registry = grids.NewRegistry(d.Store.Grids(), grids.Options{})
	d.Community = Community(t, d.Registry)
	ctx := context.Background()
	_, err := governancedemo.Seed(ctx, d.Store.Governance(), d.Store.Grids(), d.Community.ID, End, 1)
	require.NoError(t, err)
	if with&WithFunds != 0 {
		d.Funds, err = fundsdemo.Seed(ctx, fundsdemo.Stores{Funds: d.Store.Funds(), Governance: d.Store.Governance(), Grids: d.Store.Grids()}, d.Community.ID, End, 1, d.Travel)
		require.NoError(t, err)
	}
	if with&WithPoints != 0 {
		d.Points, err = pointsdemo.Seed(ctx, pointsdemo.Stores{Points: d.Store.Points(), Governance: d.Store.Governance(), Grids: d.Store.Grids()}, d.Community.ID, End, 1, d.Travel)
		require.NoError(t, err)
	}
	d.Travel(End)
	return d
}

// Travel moves the ledger's clock (for the demos' travel argument).
func (d *Demo) Travel(t time.Time) { d.time.Store(t.UnixNano()) }
