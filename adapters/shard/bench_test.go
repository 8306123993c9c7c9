package shard_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/adapters/memstore/demotest"
	"github.com/linli-go/linli/adapters/shard"
	"github.com/linli-go/linli/grids"
)

// BenchmarkRouting: one resident read through the registry, on a memory
// store and through a router of one and of three (the probe run and the
// directory's lookup are what a router adds to a transaction).
func BenchmarkRouting(b *testing.B) {
	one := memstore.New()
	for _, tc := range []struct {
		name  string
		store grids.Store
	}{
		{"store", one.Grids()},
		{"router-1", router(b, 1).Grids()},
		{"router-3", router(b, 3).Grids()},
	} {
		b.Run(tc.name, func(b *testing.B) {
			reg := grids.NewRegistry(tc.store, grids.Options{})
			c := demotest.Community(b, reg)
			rs, _, err := reg.FindResidents(admin, grids.ResidentFilter{CommunityID: c.ID, Page: grids.Page{Limit: 1}})
			require.NoError(b, err)
			ctx := grids.WithPrincipal(context.Background(), grids.Admin("bench"))
			for b.Loop() {
				if _, err := reg.Resident(ctx, c.ID, rs[0].ID); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func router(b *testing.B, n int) *shard.Router {
	var shards []shard.Shard
	for i := range n {
		m := memstore.New()
		shards = append(shards, shard.Shard{Name: string(rune('a' + i)), Grids: m.Grids()})
	}
	r, err := shard.New(shard.NewStatic(nil), shards...)
	require.NoError(b, err)
	return r
}
