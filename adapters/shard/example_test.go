package shard_test

import (
	"context"
	"fmt"

	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/adapters/shard"
	"github.com/linli-go/linli/grids"
)

// Two stores (in production, two PostgreSQL servers: sqlstore.DB.Shard),
// and communities placed over them; the registry runs on the router as on
// one store.
func ExampleRouter() {
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("admin"))
	east, west := memstore.New(), memstore.New()
	router, err := shard.New(shard.NewStatic(nil),
		shard.Shard{Name: "east", Grids: east.Grids()},
		shard.Shard{Name: "west", Grids: west.Grids()})
	if err != nil {
		panic(err)
	}
	reg := grids.NewRegistry(router.Grids(), grids.Options{})
	a, _ := reg.CreateCommunity(ctx, grids.CommunityInput{Name: "水秀社区"})
	b, _ := reg.CreateCommunity(ctx, grids.CommunityInput{Name: "湖光社区"})
	c, _ := reg.CreateCommunity(shard.On(ctx, "east"), grids.CommunityInput{Name: "山色社区"})
	for _, com := range []grids.Community{a, b, c} {
		where, _ := router.Locate(ctx, com.ID)
		fmt.Println(com.Name, where)
	}
	_, n, _ := reg.FindCommunities(ctx, grids.CommunityFilter{})
	fmt.Println(n, "communities")
	// Output:
	// 水秀社区 east
	// 湖光社区 west
	// 山色社区 east
	// 3 communities
}
