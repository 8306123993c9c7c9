package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/httpapi"
	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/procedure"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/access"
	"github.com/linli-go/linli/grids/gridsdemo"
	"github.com/linli-go/linli/points"
)

// memorySite is the pages over a memory store with the demo registry.
func memorySite(t *testing.T) (*site, grids.Community) {
	t.Helper()
	s, com, _ := memorySiteStore(t)
	return s, com
}

func memorySiteStore(t *testing.T) (*site, grids.Community, *memstore.Store) {
	t.Helper()
	store := memstore.New()
	reg := grids.NewRegistry(store.Grids(), grids.Options{})
	gov := governance.NewService(store.Governance(), store.Grids(), governance.Options{})
	pts := points.NewService(store.Points(), governance.Lookup{Store: store.Governance()}, grids.Lookup{Store: store.Grids()}, points.Options{Groups: gov})
	fnd := funds.NewService(store.Funds(), governance.Lookup{Store: store.Governance()}, grids.Lookup{Store: store.Grids()}, funds.Options{})
	acc := access.NewService(store.Access(), grids.Lookup{Store: store.Grids()}, access.Options{})
	com, err := gridsdemo.Seed(grids.WithPrincipal(context.Background(), grids.Admin("t")), reg, gridsdemo.Generate(2026, 1))
	require.NoError(t, err)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	return newSite(reg, gov, pts, fnd, acc, httpapi.NewLimiter(10, 0, nil), false, prometheus.NewRegistry(), log), com, store
}

var latin = regexp.MustCompile(`[A-Za-z]{3,}`)

// TestMapFollowsTheRegistry: the map is planned again when a building is
// added, a building without neighbours does not break it, neighbouring
// grids never share a colour, and what it says is Chinese.
func TestMapFollowsTheRegistry(t *testing.T) {
	s, com := memorySite(t)
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("t"))
	check := func() mapView {
		t.Helper()
		v, err := s.planMap(context.Background(), com.ID)
		require.NoError(t, err)
		assert.False(t, latin.MatchString(v.Note), "the note is Chinese: %s", v.Note)
		bs, _, err := s.reg.FindBuildings(ctx, grids.BuildingFilter{CommunityID: com.ID, Page: grids.Page{Limit: grids.MaxLimit}})
		require.NoError(t, err)
		fill := map[string]string{}
		for _, c := range v.Before {
			fill[c.Title] = c.Fill
		}
		colour := map[string]string{}
		for _, l := range v.BeforeLegend {
			colour[l.Name] = l.Fill
		}
		gridName := map[string]string{}
		gs, _, err := s.reg.FindGrids(ctx, grids.GridFilter{CommunityID: com.ID, Page: grids.Page{Limit: grids.MaxLimit}})
		require.NoError(t, err)
		for _, g := range gs {
			gridName[g.ID] = g.Name
		}
		byID := map[string]grids.Building{}
		for _, b := range bs {
			byID[b.ID] = b
		}
		for _, b := range bs {
			for _, n := range b.Neighbours {
				o := byID[n]
				if o.GridID != b.GridID {
					assert.NotEqual(t, colour[gridName[b.GridID]], colour[gridName[o.GridID]], "neighbouring grids %s and %s", gridName[b.GridID], gridName[o.GridID])
				}
			}
		}
		assert.Len(t, v.BeforeLegend, len(gs), "a legend entry per grid")
		return v
	}
	v := check()
	require.NotEmpty(t, v.After, "a regrouping is planned")
	assert.Len(t, v.AfterLegend, v.Planned)

	// A worker adds a building with a location and no neighbours.
	bs, _, err := s.reg.FindBuildings(ctx, grids.BuildingFilter{CommunityID: com.ID, Page: grids.Page{Limit: 1}})
	require.NoError(t, err)
	near := bs[0]
	_, err = s.reg.CreateBuilding(ctx, com.ID, grids.BuildingInput{Name: "新建9号楼", GridID: near.GridID,
		Location: &grids.Location{Lat: near.Location.Lat + 0.0001, Lng: near.Location.Lng + 0.0001}})
	require.NoError(t, err)
	v = check()
	require.NotEmpty(t, v.After, "the map still plans")
	found := false
	for _, c := range v.After {
		found = found || c.Title != "" && regexp.MustCompile(`^新建9号楼`).MatchString(c.Title)
	}
	assert.True(t, found, "the new building is on the map after regrouping, without a restart")

	// One with neither neighbours nor a location is named in the note.
	_, err = s.reg.CreateBuilding(ctx, com.ID, grids.BuildingInput{Name: "无位置楼", GridID: near.GridID})
	require.NoError(t, err)
	v = check()
	assert.Empty(t, v.After)
	assert.Contains(t, v.Note, "无位置楼")
	assert.NotEmpty(t, v.Before, "the map of today still shows")
}

// TestProcedureReasonsInChinese: every refusal the engine can give, as its
// English reads, is said in Chinese by a phrase of the table or by its rule.
func TestProcedureReasonsInChinese(t *testing.T) {
	for _, msg := range []string{
		"out of order: m1 (main) awaits a second: second it, or the chair drops it",
		"out of order: r2 is not present",
		"forbidden: x is not a member of this body: only members move, second, speak and vote",
		"out of order: a vote is being taken: no motion is in order until the result is announced",
		"out of order: a main motion is in order only when no question is pending (RONR 10:3); m1 is",
	} {
		err := procedureError(procedure.Event{Type: procedure.Move}, errors.New(msg))
		assert.True(t, strings.HasPrefix(err.Error(), "不能提出动议："), err.Error())
		assert.False(t, latin.MatchString(err.Error()), "%s → %s", msg, err)
	}
}
