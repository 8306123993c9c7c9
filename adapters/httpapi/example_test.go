package httpapi_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/linli-go/linli/adapters/httpapi"
	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/grids"
)

// Wire the API to a store, issue a worker a token, and call it.
func ExampleNewServer() {
	store := memstore.New() // or sqlstore.Open for SQLite or PostgreSQL
	reg := grids.NewRegistry(store.Grids(), grids.Options{})
	srv := httptest.NewServer(httpapi.NewServer(httpapi.Config{Registry: reg, Tokens: store.Tokens()}))
	defer srv.Close()

	ctx := grids.WithPrincipal(context.Background(), grids.Admin("setup"))
	com, _ := reg.CreateCommunity(ctx, grids.CommunityInput{Name: "水秀社区"})
	worker := grids.Principal{ID: "w1", CommunityID: com.ID, Name: "李娜", Roles: []grids.Role{grids.RoleWorker}}
	token, _ := httpapi.IssueToken(ctx, store.Tokens(), worker, time.Now(), 8*time.Hour)

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
