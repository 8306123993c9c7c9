package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/httpapi"
	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/grids"
)

// FuzzJSONBodies posts arbitrary bytes as JSON to the endpoints that decode
// bodies: the server must answer 2xx or a 4xx problem, never 5xx or a
// panic, and a refused request must store nothing.
func FuzzJSONBodies(f *testing.F) {
	for _, seed := range []string{
		`{"name":"王芳","sex":"female","birth_year":1958,"household_id":"HOUSEHOLD"}`,
		`{"name":"x","interests":["a","a"],"vulnerabilities":["retiree","child"]}`,
		`{"location":{"lat":1e400,"lng":-0}}`, `{"neighbours":[null]}`, `{"size":-1}`, `{"reason":"\u0000"}`,
		`[]`, `null`, `{"name":"\ud800"}`, "{\"name\":\"\xff\"}", `{"a":1}{"b":2}`, ``,
		`{"title":"灯坏了","source":"online","tags":["safety"]}`, `{"districts":1,"grids":1,"effort":0.01}`,
		`{"title":"t","questions":[{"key":"q","text":"?","kind":"scale","min":1,"max":5}]}`,
	} {
		for _, target := range []uint8{0, 1, 2, 3, 4, 5, 6} {
			f.Add(target, []byte(seed))
		}
	}
	store := memstore.New()
	reg := grids.NewRegistry(store.Grids(), grids.Options{})
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("fuzz"))
	com, err := reg.CreateCommunity(ctx, grids.CommunityInput{Name: "水秀社区"})
	require.NoError(f, err)
	b, err := reg.CreateBuilding(ctx, com.ID, grids.BuildingInput{Name: "1号"})
	require.NoError(f, err)
	h, err := reg.CreateHousehold(ctx, com.ID, grids.HouseholdInput{BuildingID: b.ID, Unit: "1", Size: 1})
	require.NoError(f, err)
	r, err := reg.CreateResident(ctx, com.ID, grids.ResidentInput{HouseholdID: h.ID, Name: "王芳", Sex: grids.Female, BirthYear: 1958})
	require.NoError(f, err)
	token, err := httpapi.IssueToken(ctx, store.Tokens(), grids.Principal{ID: "w", CommunityID: com.ID, Name: "w", Roles: []grids.Role{grids.RoleWorker}}, time.Now(), 0)
	require.NoError(f, err)
	srv := httpapi.NewServer(httpapi.Config{Registry: reg, Tokens: store.Tokens()})
	base := "/v1/communities/" + com.ID
	targets := []struct{ method, path string }{
		{"POST", base + "/residents"},
		{"PATCH", base + "/residents/" + r.ID},
		{"POST", base + "/buildings"},
		{"POST", base + "/households/" + h.ID + "/archive"},
		{"POST", base + "/needs"},
		{"POST", base + "/surveys"},
		{"POST", base + "/regroup-plans"},
	}
	count := func(t *testing.T) int {
		_, n, err := reg.FindResidents(ctx, grids.ResidentFilter{CommunityID: com.ID, State: grids.AnyState})
		require.NoError(t, err)
		_, nb, err := reg.FindBuildings(ctx, grids.BuildingFilter{CommunityID: com.ID, State: grids.AnyState})
		require.NoError(t, err)
		return n + nb
	}

	f.Fuzz(func(t *testing.T, target uint8, body []byte) {
		tg := targets[int(target)%len(targets)]
		body = bytes.ReplaceAll(body, []byte("HOUSEHOLD"), []byte(h.ID))
		before := count(t)
		resident, err := reg.Resident(ctx, com.ID, r.ID)
		require.NoError(t, err)

		req := httptest.NewRequest(tg.method, tg.path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)

		if rec.Code >= 500 {
			t.Fatalf("%s %s %q: %d %s", tg.method, tg.path, body, rec.Code, rec.Body)
		}
		if rec.Code >= 400 {
			require.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
			var p httpapi.Problem
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p), "%s", rec.Body)
			require.Equal(t, rec.Code, p.Status)
			require.Equal(t, before, count(t), "a refused request stores nothing")
			after, err := reg.Resident(ctx, com.ID, r.ID)
			require.NoError(t, err)
			require.Equal(t, resident, after, "a refused request changes nothing")
			return
		}
		require.True(t, json.Valid(rec.Body.Bytes()))
		// Put the world back as it was for the next input.
		if tg.method == "POST" && tg.path == base+"/households/"+h.ID+"/archive" {
			_, err := reg.RestoreHousehold(ctx, com.ID, h.ID)
			require.NoError(t, err)
		}
	})
}
