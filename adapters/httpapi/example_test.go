package httpapi_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/linli-go/linli/adapters/httpapi"
	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/access"
)

// Wire the API to a store, issue a worker a token, and call it.
func ExampleNewServer() {
	store := memstore.New() // or sqlstore.Open for SQLite or PostgreSQL
	reg := grids.NewRegistry(store.Grids(), grids.Options{})
	acc := access.NewService(store.Access(), grids.Lookup{Store: store.Grids()}, access.Options{})
	srv := httptest.NewServer(httpapi.NewServer(httpapi.Config{Registry: reg, Access: acc}))
	defer srv.Close()

	ctx := grids.WithPrincipal(context.Background(), grids.Admin("setup"))
	com, _ := reg.CreateCommunity(ctx, grids.CommunityInput{Name: "水秀社区"})
	issued, _ := acc.Issue(ctx, access.Issue{CommunityID: com.ID, Kind: access.Token, Name: "李娜", Roles: []grids.Role{grids.RoleWorker}})
	token := issued.Token // shown once; only its hash is kept

	get := func(path, token string) {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := srv.Client().Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		fmt.Println(res.StatusCode, res.Header.Get("Content-Type"), len(body) > 0)
	}
	get("/v1/communities/"+com.ID+"/summary", token)
	get("/v1/communities/"+com.ID+"/summary", "") // no token: a problem document
	// Output:
	// 200 application/json true
	// 401 application/problem+json true
}
