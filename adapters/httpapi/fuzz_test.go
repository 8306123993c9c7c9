package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/httpapi"
	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/access"
	"github.com/linli-go/linli/points"
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
		`{"kind":"group","parent_id":"BODY","name":"楼道小组","district_id":"BODY"}`, `{"seats":-1}`, `{"name":"\u0000"}`,
		`{"body_id":"BODY","title":"清扫","service":"cleaning","start":"2026-03-10T09:00:00Z","end":"2026-03-10T11:00:00Z","participants":[{"resident_id":"RESIDENT","minutes":120}]}`,
		`{"body_id":"BODY","title":"t","service":"s","start":"0001-01-01T00:00:00Z","end":"9999-12-31T23:59:59Z","participants":[{"resident_id":"RESIDENT","minutes":-5}]}`,
		`{"to_body_id":"BODY","title":"探访","due":"2026-13-40T00:00:00Z"}`, `{"title":"决定","decided_at":"1900-01-01T00:00:00Z"}`,
		`{"type":"arrive","member":"RESIDENT","mode":"recorded"}`, `{"type":"tally","yes":-1}`, `{"type":"move","kind":"main","text":"动议"}`,
		`{"type":"open","roster":["x"]}`, `{"body_id":"BODY","kind":"hearing","title":"听证","scheduled_at":"2026-03-10T09:00:00Z"}`,
		`{"points_per_hour":"1.5","multipliers":{"elder_visit":"2"},"monthly_cap":"1e3"}`, `{"points_per_hour":1.005}`, `{"price":"-1"}`,
		`{"kind":"goods","name":"米","unit":"袋","price":"2.50"}`, `{"kind":"service","name":"理发","unit":"次","price":"3","provider":{"kind":"resident","id":"RESIDENT","name":"王"}}`,
		`{"donor":{"kind":"enterprise","name":"华润"},"item_id":"ITEM","quantity":3,"condition":"new","best_before":"2000-01-01T00:00:00Z"}`,
		`{"item_id":"ITEM","quantity":1,"resident_id":"RESIDENT","reserve":true}`, `{"item_id":"ITEM","quantity":99999999999}`,
		`{"title":"义集","date":"2026-03-10T09:00:00Z","place":"广场","stalls":[{"name":"a","kind":"exchange","host":{"kind":"partner","name":"店"}}]}`,
		`{"activity_id":"RESIDENT","evidence":{"sign_in":true},"minutes":-1}`,
		`{"kind":"project","name":"项目资金"}`, `{"kind":"welfare","name":"\u0000"}`,
		`{"fund_id":"FUND","title":"征集","budget":"30000","cap":"20000.001","opens":"2026-03-01T00:00:00Z","closes":"2026-03-08T00:00:00Z","rubric":[{"key":"needs","name":"需求","weight":"40","max":10}],"panel":[{"resident_id":"RESIDENT"}]}`,
		`{"committee_id":"BODY","organisation_id":"BODY","title":"t","goals":"g","start":"2026-03-01T00:00:00Z","end":"2026-09-01T00:00:00Z","lines":[{"key":"a","category":"materials","amount":"1e2"}]}`,
		`{"name":"好邻居超市","rate":"0.10000"}`, `{"name":"店","rate":"-1"}`,
	} {
		for target := range uint8(24) {
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
	acc := access.NewService(store.Access(), grids.Lookup{Store: store.Grids()}, access.Options{})
	issued, err := acc.Issue(ctx, access.TokenFor(grids.Principal{ID: "w", CommunityID: com.ID, Name: "w", Roles: []grids.Role{grids.RoleWorker}}))
	require.NoError(f, err)
	token := issued.Token
	gov := governance.NewService(store.Governance(), store.Grids(), governance.Options{})
	bodies, err := gov.Setup(ctx, com.ID)
	require.NoError(f, err)
	silver := bodies[2]
	d, err := gov.RecordDecision(ctx, com.ID, governance.DecisionInput{Title: "任命"})
	require.NoError(f, err)
	_, err = gov.Appoint(ctx, com.ID, governance.AppointInput{BodyID: bodies[0].ID, ResidentID: r.ID, Office: governance.Chair, DecisionID: d.ID})
	require.NoError(f, err)
	meeting, err := gov.ScheduleMeeting(ctx, com.ID, governance.MeetingInput{BodyID: bodies[0].ID, Kind: governance.RegularMeeting, Title: "例会", ScheduledAt: time.Now()})
	require.NoError(f, err)
	_, err = gov.OpenMeeting(ctx, com.ID, meeting.ID)
	require.NoError(f, err)
	pts := points.NewService(store.Points(), governance.Lookup{Store: store.Governance()}, grids.Lookup{Store: store.Grids()}, points.Options{Groups: gov})
	_, err = pts.SetPolicy(ctx, com.ID, points.DefaultPolicy)
	require.NoError(f, err)
	item, err := pts.CreateItem(ctx, com.ID, points.ItemInput{Kind: points.ItemGoods, Name: "肥皂", Unit: "块", Price: decimal.NewFromInt(1)})
	require.NoError(f, err)
	fnd := funds.NewService(store.Funds(), governance.Lookup{Store: store.Governance()}, grids.Lookup{Store: store.Grids()}, funds.Options{})
	fund, err := fnd.CreateFund(ctx, com.ID, funds.FundInput{Kind: funds.ProjectFund, Name: "项目资金"})
	require.NoError(f, err)
	openCall, err := fnd.CreateCall(ctx, com.ID, funds.CallInput{FundID: fund.ID, Title: "征集", Budget: decimal.NewFromInt(30000), Cap: decimal.NewFromInt(20000),
		Opens: time.Now().Add(-time.Hour), Closes: time.Now().Add(24 * time.Hour), Rubric: funds.DefaultRubric, Panel: []funds.Reviewer{{ResidentID: r.ID}}})
	require.NoError(f, err)
	srv := httpapi.NewServer(httpapi.Config{Registry: reg, Governance: gov, Points: pts, Funds: fnd, Access: acc})
	base := "/v1/communities/" + com.ID
	targets := []struct{ method, path string }{
		{"POST", base + "/residents"},
		{"PATCH", base + "/residents/" + r.ID},
		{"POST", base + "/buildings"},
		{"POST", base + "/households/" + h.ID + "/archive"},
		{"POST", base + "/needs"},
		{"POST", base + "/surveys"},
		{"POST", base + "/regroup-plans"},
		{"POST", base + "/bodies"},
		{"PATCH", base + "/bodies/" + silver.ID},
		{"POST", base + "/activities"},
		{"POST", base + "/tasks"},
		{"POST", base + "/decisions"},
		{"POST", base + "/meetings/" + meeting.ID + "/moves"},
		{"POST", base + "/meetings"},
		{"POST", base + "/points/policy"},
		{"POST", base + "/points/claims"},
		{"POST", base + "/warehouse/items"},
		{"POST", base + "/warehouse/donations"},
		{"POST", base + "/warehouse/exchanges"},
		{"POST", base + "/markets"},
		{"POST", base + "/funds"},
		{"POST", base + "/calls"},
		{"POST", base + "/calls/" + openCall.ID + "/proposals"},
		{"POST", base + "/merchants"},
		{"POST", base + "/briefings"},
		{"POST", base + "/invitations"},
	}
	count := func(t *testing.T) int {
		_, n, err := reg.FindResidents(ctx, grids.ResidentFilter{CommunityID: com.ID, State: grids.AnyState})
		require.NoError(t, err)
		_, nb, err := reg.FindBuildings(ctx, grids.BuildingFilter{CommunityID: com.ID, State: grids.AnyState})
		require.NoError(t, err)
		_, nbodies, err := gov.FindBodies(ctx, governance.BodyFilter{CommunityID: com.ID, State: grids.AnyState})
		require.NoError(t, err)
		_, na, err := gov.FindActivities(ctx, governance.ActivityFilter{CommunityID: com.ID})
		require.NoError(t, err)
		_, nd, err := gov.FindDecisions(ctx, governance.DecisionFilter{CommunityID: com.ID})
		require.NoError(t, err)
		_, ni, err := pts.Items(ctx, com.ID, points.ItemFilter{})
		require.NoError(t, err)
		_, ndon, err := pts.Donations(ctx, com.ID, points.DonationFilter{})
		require.NoError(t, err)
		_, nm, err := pts.Markets(ctx, com.ID, nil, nil, grids.Page{})
		require.NoError(t, err)
		fs, err := fnd.Funds(ctx, com.ID)
		require.NoError(t, err)
		_, nc, err := fnd.Calls(ctx, com.ID, grids.Page{})
		require.NoError(t, err)
		_, np, err := fnd.Proposals(ctx, com.ID, openCall.ID, "", grids.Page{})
		require.NoError(t, err)
		ms, err := fnd.Merchants(ctx, com.ID)
		require.NoError(t, err)
		return n + nb + nbodies + na + nd + ni + ndon + nm + len(fs) + nc + np + len(ms)
	}

	f.Fuzz(func(t *testing.T, target uint8, body []byte) {
		tg := targets[int(target)%len(targets)]
		body = bytes.ReplaceAll(body, []byte("HOUSEHOLD"), []byte(h.ID))
		body = bytes.ReplaceAll(body, []byte("BODY"), []byte(silver.ID))
		body = bytes.ReplaceAll(body, []byte("RESIDENT"), []byte(r.ID))
		body = bytes.ReplaceAll(body, []byte("ITEM"), []byte(item.ID))
		body = bytes.ReplaceAll(body, []byte("FUND"), []byte(fund.ID))
		before := count(t)
		resident, err := reg.Resident(ctx, com.ID, r.ID)
		require.NoError(t, err)
		committee, err := gov.Body(ctx, com.ID, silver.ID)
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
			now, err := gov.Body(ctx, com.ID, silver.ID)
			require.NoError(t, err)
			require.Equal(t, committee, now, "a refused request changes nothing")
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
