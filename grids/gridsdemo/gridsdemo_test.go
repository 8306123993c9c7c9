package gridsdemo_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/gridsdemo"
)

func TestGenerateIsReproducible(t *testing.T) {
	a, b := gridsdemo.Generate(2026, 7), gridsdemo.Generate(2026, 7)
	assert.True(t, bytes.Equal(a.Residents, b.Residents), "same year and seed, same residents")
	assert.True(t, bytes.Equal(a.Buildings, b.Buildings))
	c := gridsdemo.Generate(2026, 8)
	assert.False(t, bytes.Equal(a.Residents, c.Residents), "another seed, another community")
}

func TestSeedReproducesTheCase(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		ctx := grids.WithPrincipal(context.Background(), grids.Admin("test"))
		reg := grids.NewRegistry(memstore.New().Grids(), grids.Options{Now: func() time.Time { return time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC) }})
		demo := gridsdemo.Generate(2026, seed)
		com, err := gridsdemo.Seed(ctx, reg, demo)
		require.NoError(t, err)

		got, err := reg.Summary(ctx, com.ID, grids.SummaryOptions{})
		require.NoError(t, err)
		want := gridsdemo.Expected(com.ID, 2026)
		assert.True(t, got.ShareElderlyOrDisabled.Equal(got.ShareElderlyOrDisabled.Round(4)))
		assert.Equal(t, "0.27", got.ShareElderlyOrDisabled.Round(2).String(), "the case's 27%")
		got.ShareElderlyOrDisabled = want.ShareElderlyOrDisabled
		assert.Equal(t, want, got, "seed %d", seed)

		_, nb, err := reg.FindBuildings(ctx, grids.BuildingFilter{CommunityID: com.ID})
		require.NoError(t, err)
		assert.Equal(t, gridsdemo.Buildings, nb)
		gs, ng, err := reg.FindGrids(ctx, grids.GridFilter{CommunityID: com.ID})
		require.NoError(t, err)
		assert.Equal(t, gridsdemo.Grids, ng)
		_, nd, err := reg.FindDistricts(ctx, grids.DistrictFilter{CommunityID: com.ID})
		require.NoError(t, err)
		assert.Equal(t, gridsdemo.Districts, nd)
		_, nw, err := reg.FindWorkers(ctx, grids.WorkerFilter{CommunityID: com.ID})
		require.NoError(t, err)
		assert.Equal(t, gridsdemo.Workers, nw)

		// Every grid holds buildings, and per-grid summaries add up.
		total := 0
		for _, g := range gs {
			s, err := reg.Summary(ctx, com.ID, grids.SummaryOptions{Scope: grids.Scope{GridID: g.ID}})
			require.NoError(t, err)
			assert.Positive(t, s.Households, "grid %s", g.Name)
			total += s.Residents.Total
		}
		assert.Equal(t, gridsdemo.Residents, total)
	}
}
