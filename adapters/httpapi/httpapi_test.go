package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/linli-go/linli/adapters/httpapi"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
)

func TestRegistryOverHTTP(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			h := harnessOn(t, st.open)

			var w1, w2 grids.Worker
			h.ok(call{method: "POST", path: h.path("/workers"), as: worker, json: grids.WorkerInput{Name: "李娜", Phone: "13900000002"}}, &w1)
			h.ok(call{method: "POST", path: h.path("/workers"), as: worker, json: grids.WorkerInput{Name: "张伟"}}, &w2)
			var d grids.District
			r := h.ok(call{method: "POST", path: h.path("/districts"), as: worker, json: grids.DistrictInput{Name: "第一片区", WorkerIDs: []string{w1.ID, w2.ID}}}, &d)
			assert.Equal(t, http.StatusCreated, r.status)
			assert.Equal(t, h.path("/districts/"+d.ID), r.header.Get("Location"))
			assert.ElementsMatch(t, []string{w1.ID, w2.ID}, d.WorkerIDs)

			var g grids.Grid
			h.ok(call{method: "POST", path: h.path("/grids"), as: worker, json: grids.GridInput{DistrictID: d.ID, Name: "1-1网格"}}, &g)
			var b1, b2 grids.Building
			h.ok(call{method: "POST", path: h.path("/buildings"), as: worker, json: grids.BuildingInput{
				GridID: g.ID, Name: "水秀新村2号", Location: &grids.Location{Lat: 31.552, Lng: 120.258}}}, &b1)
			h.ok(call{method: "POST", path: h.path("/buildings"), as: worker, json: grids.BuildingInput{GridID: g.ID, Name: "水秀新村3号", Neighbours: []string{b1.ID}}}, &b2)
			var got grids.Building
			h.ok(call{method: "GET", path: h.path("/buildings/" + b1.ID), as: council}, &got)
			assert.Equal(t, []string{b2.ID}, got.Neighbours, "neighbour links are undirected")

			var hh grids.Household
			h.ok(call{method: "POST", path: h.path("/households"), as: worker, json: grids.HouseholdInput{BuildingID: b1.ID, Unit: "2-301", Size: 3}}, &hh)
			var res grids.Resident
			h.ok(call{method: "POST", path: h.path("/residents"), as: worker, json: grids.ResidentInput{
				HouseholdID: hh.ID, Name: "陈明", Sex: grids.Male, BirthYear: 1950, Interests: []string{"tai_chi", "chess_cards"},
				Vulnerabilities: []grids.Vulnerability{grids.PartyMember, grids.Retiree}}}, &res)
			assert.Equal(t, []string{"chess_cards", "tai_chi"}, res.Interests, "lists are stored sorted")
			assert.Equal(t, []grids.Vulnerability{grids.Retiree, grids.PartyMember}, res.Vulnerabilities)

			// PATCH changes only what it names.
			h.ok(call{method: "PATCH", path: h.path("/residents/" + res.ID), as: worker, json: map[string]any{"needs": []string{"meal_delivery"}}}, &res)
			assert.Equal(t, []string{"meal_delivery"}, res.Needs)
			assert.Equal(t, "陈明", res.Name)
			var clear grids.Building
			h.ok(call{method: "PATCH", path: h.path("/buildings/" + b1.ID), as: worker, json: map[string]any{"location": nil}}, &clear)
			assert.Equal(t, &grids.Location{Lat: 31.552, Lng: 120.258}, clear.Location, "null leaves a field as it is")

			// Finding with filters, through every kind of filter parameter.
			var list httpapi.List[grids.Resident]
			h.ok(call{method: "GET", path: h.path("/residents?grid=" + g.ID + "&interest=tai_chi&vulnerability=elderly&vulnerability=retiree&sex=male&limit=10&total=true"), as: worker}, &list)
			require.Equal(t, 1, *list.Total)
			assert.Equal(t, res.ID, list.Items[0].ID)
			assert.Equal(t, 10, list.Limit)
			h.ok(call{method: "GET", path: h.path("/residents?total=true&vulnerability=child"), as: worker}, &list)
			assert.Equal(t, 0, *list.Total)

			var sum grids.Summary
			h.ok(call{method: "GET", path: h.path("/summary?district=" + d.ID), as: merchant}, &sum)
			assert.Equal(t, 1, sum.Households)
			assert.Equal(t, grids.SexCount{Total: 1, Male: 1}, sum.Residents)
			assert.Equal(t, 1, sum.RetiredPartyMembers)
			assert.Equal(t, "1", sum.ShareElderlyOrDisabled.String())

			// Archive and restore: nothing is deleted.
			var archived grids.Household
			h.ok(call{method: "POST", path: h.path("/households/" + hh.ID + "/archive"), as: worker, json: grids.ArchiveInput{Reason: "moved out"}}, &archived)
			require.NotNil(t, archived.ArchivedAt)
			h.ok(call{method: "GET", path: h.path("/residents?total=true&state=archived&household=" + hh.ID), as: worker}, &list)
			assert.Equal(t, 1, *list.Total, "the household's resident was archived with it")
			h.ok(call{method: "GET", path: h.path("/residents/" + res.ID), as: worker}, &res)
			assert.Equal(t, "moved out", res.ArchiveReason)
			rr := h.do(call{method: "PATCH", path: h.path("/residents/" + res.ID), as: worker, json: map[string]any{"name": "x"}})
			assert.Equal(t, http.StatusConflict, rr.status)
			assert.Equal(t, errs.FailedPrecondition, rr.problem(t).Code)
			h.ok(call{method: "POST", path: h.path("/households/" + hh.ID + "/restore"), as: worker}, nil)
			var restored grids.Resident
			h.ok(call{method: "GET", path: h.path("/residents/" + res.ID), as: worker}, &restored)
			assert.Nil(t, restored.ArchivedAt, "the resident came back with the household")

			var com grids.Community
			h.ok(call{method: "PATCH", path: h.path(""), as: worker, json: grids.CommunityUpdate{Address: ptr("无锡市滨湖区河埒街道")}}, &com)
			assert.Equal(t, "无锡市滨湖区河埒街道", com.Address)
			var coms httpapi.List[grids.Community]
			h.ok(call{method: "GET", path: "/v1/communities?total=true", as: admin}, &coms)
			assert.Equal(t, 2, *coms.Total)
			var created grids.Community
			h.ok(call{method: "POST", path: "/v1/communities", as: admin, json: grids.CommunityInput{Name: "溪南社区"}}, &created)

			var me grids.Principal
			h.ok(call{method: "GET", path: "/v1/me", as: resident}, &me)
			assert.Equal(t, h.me.ID, me.ResidentID)
			var health map[string]string
			h.ok(call{method: "GET", path: "/healthz"}, &health)
			assert.Equal(t, "ok", health["status"])
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestAuthorization(t *testing.T) {
	h := newHarness(t, stores[0].open(t))
	var other grids.Household
	h.ok(call{method: "POST", path: h.path("/households"), as: worker, json: grids.HouseholdInput{BuildingID: h.household.BuildingID, Unit: "1-102", Size: 1}}, &other)
	var stranger grids.Resident
	h.ok(call{method: "POST", path: h.path("/residents"), as: worker, json: grids.ResidentInput{HouseholdID: other.ID, Name: "邻居", Sex: grids.Male, BirthYear: 1970}}, &stranger)

	newDistrict := grids.DistrictInput{Name: "新片区"}
	tests := []struct {
		name   string
		c      call
		status int
	}{
		{"no token", call{method: "GET", path: h.path("/summary")}, 401},
		{"resident reads own household", call{method: "GET", path: h.path("/households/" + h.household.ID), as: resident}, 200},
		{"resident reads own household's residents", call{method: "GET", path: h.path("/residents"), as: resident}, 200},
		{"resident reads a neighbour", call{method: "GET", path: h.path("/residents/" + stranger.ID), as: resident}, 403},
		{"resident reads a neighbour's household", call{method: "GET", path: h.path("/households/" + other.ID), as: resident}, 403},
		{"resident lists a neighbour's household", call{method: "GET", path: h.path("/residents?household=" + other.ID), as: resident}, 403},
		{"resident reads the summary", call{method: "GET", path: h.path("/summary"), as: resident}, 200},
		{"resident creates a district", call{method: "POST", path: h.path("/districts"), as: resident, json: newDistrict}, 403},
		{"council member reads residents", call{method: "GET", path: h.path("/residents"), as: council}, 403},
		{"council member reads buildings", call{method: "GET", path: h.path("/buildings"), as: council}, 200},
		{"committee chair archives a building", call{method: "POST", path: h.path("/buildings/" + h.household.BuildingID + "/archive"), as: chair, json: grids.ArchiveInput{Reason: "x"}}, 403},
		{"group leader imports", call{method: "POST", path: h.path("/import"), as: leader, raw: []byte("--x--\r\n"), contentType: "multipart/form-data; boundary=x", badRequest: true}, 403},
		{"merchant reads households", call{method: "GET", path: h.path("/households"), as: merchant}, 403},
		{"worker lists communities", call{method: "GET", path: "/v1/communities", as: worker}, 403},
		{"worker creates a community", call{method: "POST", path: "/v1/communities", as: worker, json: grids.CommunityInput{Name: "x"}}, 403},
		{"another community's worker reads", call{method: "GET", path: h.path("/residents/" + h.me.ID), as: outsider}, 403},
		{"another community's worker writes", call{method: "POST", path: h.path("/districts"), as: outsider, json: newDistrict}, 403},
		{"admin reads anywhere", call{method: "GET", path: h.path("/residents/" + h.me.ID), as: admin}, 200},
		{"worker reads residents", call{method: "GET", path: h.path("/residents/" + stranger.ID), as: worker}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.do(tt.c)
			require.Equal(t, tt.status, r.status, "body: %s", r.body)
			if r.status == 403 {
				p := r.problem(t)
				assert.Equal(t, errs.Forbidden, p.Code)
				assert.Contains(t, p.Detail, "forbidden: ", "the refusal names the rule")
			}
			if r.status == 401 {
				assert.Equal(t, `Bearer realm="linli"`, r.header.Get("WWW-Authenticate"))
			}
		})
	}

	t.Run("resident sees only their household", func(t *testing.T) {
		var list httpapi.List[grids.Resident]
		h.ok(call{method: "GET", path: h.path("/residents?total=true"), as: resident}, &list)
		require.Equal(t, 1, *list.Total)
		assert.Equal(t, h.me.ID, list.Items[0].ID)
		var hs httpapi.List[grids.Household]
		h.ok(call{method: "GET", path: h.path("/households?total=true"), as: resident}, &hs)
		require.Equal(t, 1, *hs.Total)
		assert.Equal(t, h.household.ID, hs.Items[0].ID)
	})

	t.Run("tokens", func(t *testing.T) {
		for name, header := range map[string]string{
			"wrong scheme":  "Basic " + h.tokens[worker],
			"unknown token": "Bearer linli_nope",
			"no token":      "Bearer ",
			"long token":    "Bearer " + strings.Repeat("x", 300),
		} {
			r := h.do(call{method: "GET", path: h.path("/summary"), header: http.Header{"Authorization": {header}}, badRequest: true})
			assert.Equal(t, 401, r.status, name)
			assert.Equal(t, errs.Unauthorized, r.problem(t).Code, name)
		}
		h.clock.Advance(25 * time.Hour)
		r := h.do(call{method: "GET", path: h.path("/summary"), as: worker})
		assert.Equal(t, 401, r.status, "an expired token")
	})
}

// snapshot is everything stored in the harness's community, to show a bad
// request changed nothing.
func (h *harness) snapshot() string {
	h.t.Helper()
	var b strings.Builder
	require.NoError(h.t, h.store.View(context.Background(), func(tx grids.Tx) error {
		c, err := tx.Community(context.Background(), h.community.ID)
		if err != nil {
			return err
		}
		fmt.Fprintln(&b, c)
		for _, f := range []func() (any, int, error){
			func() (any, int, error) {
				return tx.FindWorkers(context.Background(), grids.WorkerFilter{CommunityID: c.ID, State: grids.AnyState})
			},
			func() (any, int, error) {
				return tx.FindDistricts(context.Background(), grids.DistrictFilter{CommunityID: c.ID, State: grids.AnyState})
			},
			func() (any, int, error) {
				return tx.FindBuildings(context.Background(), grids.BuildingFilter{CommunityID: c.ID, State: grids.AnyState})
			},
			func() (any, int, error) {
				return tx.FindHouseholds(context.Background(), grids.HouseholdFilter{CommunityID: c.ID, State: grids.AnyState})
			},
			func() (any, int, error) {
				return tx.FindResidents(context.Background(), grids.ResidentFilter{CommunityID: c.ID, State: grids.AnyState})
			},
		} {
			recs, n, err := f()
			if err != nil {
				return err
			}
			js, err := json.Marshal(recs)
			if err != nil {
				return err
			}
			fmt.Fprintln(&b, n, string(js))
		}
		return nil
	}))
	return b.String()
}

func TestBadInput(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			h := harnessOn(t, st.open)
			resPath := h.path("/residents/" + h.me.ID)
			valid := grids.ResidentInput{HouseholdID: h.household.ID, Name: "新人", Sex: grids.Female, BirthYear: 1990}
			tests := []struct {
				name   string
				c      call
				status int
				code   errs.Code
				field  string
			}{
				{"malformed JSON", call{method: "POST", path: h.path("/residents"), raw: []byte(`{"name": "x",`), contentType: "application/json"}, 400, errs.Invalid, ""},
				{"not an object", call{method: "POST", path: h.path("/residents"), raw: []byte(`[1,2]`), contentType: "application/json"}, 400, errs.Invalid, ""},
				{"null body", call{method: "POST", path: h.path("/residents"), raw: []byte(`null`), contentType: "application/json"}, 400, errs.Invalid, ""},
				{"empty body", call{method: "POST", path: h.path("/residents"), raw: []byte(``), contentType: "application/json"}, 400, errs.Invalid, ""},
				{"two objects", call{method: "POST", path: h.path("/residents"), raw: []byte(`{} {}`), contentType: "application/json"}, 400, errs.Invalid, ""},
				{"unknown field", call{method: "POST", path: h.path("/residents"), json: map[string]any{"name": "x", "nickname": "y"}}, 400, errs.Invalid, "nickname"},
				{"a known field of the record, not the input", call{method: "POST", path: h.path("/residents"), json: map[string]any{"id": h.me.ID, "name": "x"}}, 400, errs.Invalid, "id"},
				{"wrong type", call{method: "POST", path: h.path("/residents"), json: map[string]any{"name": "x", "birth_year": "1950"}}, 400, errs.Invalid, "birth_year"},
				{"number out of range", call{method: "POST", path: h.path("/residents"), raw: []byte(`{"birth_year": 1e30}`), contentType: "application/json"}, 400, errs.Invalid, "birth_year"},
				{"missing name", call{method: "POST", path: h.path("/residents"), json: grids.ResidentInput{HouseholdID: h.household.ID, Sex: grids.Male, BirthYear: 1990}}, 400, errs.Invalid, "name"},
				{"name too long", call{method: "POST", path: h.path("/residents"), json: grids.ResidentInput{HouseholdID: h.household.ID, Name: strings.Repeat("长", 65), Sex: grids.Male, BirthYear: 1990}}, 400, errs.Invalid, "name"},
				{"NUL in a name", call{method: "POST", path: h.path("/residents"), json: grids.ResidentInput{HouseholdID: h.household.ID, Name: "a\x00b", Sex: grids.Male, BirthYear: 1990}}, 400, errs.Invalid, "name"},
				{"born in the future", call{method: "POST", path: h.path("/residents"), json: grids.ResidentInput{HouseholdID: h.household.ID, Name: "x", Sex: grids.Male, BirthYear: 2099}}, 400, errs.Invalid, "birth_year"},
				{"unknown vulnerability", call{method: "POST", path: h.path("/residents"), json: map[string]any{"household_id": h.household.ID, "name": "x", "sex": "male", "birth_year": 1990, "vulnerabilities": []string{"rich"}}}, 400, errs.Invalid, "vulnerabilities[0]"},
				{"derived vulnerability", call{method: "POST", path: h.path("/residents"), json: grids.ResidentInput{HouseholdID: h.household.ID, Name: "x", Sex: grids.Male, BirthYear: 2020, Vulnerabilities: []grids.Vulnerability{grids.Child}}}, 400, errs.Invalid, "vulnerabilities[0]"},
				{"elderly category on the young", call{method: "POST", path: h.path("/residents"), json: grids.ResidentInput{HouseholdID: h.household.ID, Name: "x", Sex: grids.Male, BirthYear: 1990, Vulnerabilities: []grids.Vulnerability{grids.EmptyNest}}}, 400, errs.Invalid, "vulnerabilities[0]"},
				{"upper-case tag", call{method: "POST", path: h.path("/residents"), json: grids.ResidentInput{HouseholdID: h.household.ID, Name: "x", Sex: grids.Male, BirthYear: 1990, Interests: []string{"Chess"}}}, 400, errs.Invalid, "interests[0]"},
				{"unknown household", call{method: "POST", path: h.path("/residents"), json: grids.ResidentInput{HouseholdID: "01ARZ3NDEKTSV4RRFFQ69G5FAV", Name: "x", Sex: grids.Male, BirthYear: 1990}}, 400, errs.Invalid, "household_id"},
				{"malformed household ID", call{method: "POST", path: h.path("/residents"), json: grids.ResidentInput{HouseholdID: "../../etc", Name: "x", Sex: grids.Male, BirthYear: 1990}}, 400, errs.Invalid, "household_id"},
				{"another community's household", call{method: "POST", path: "/v1/communities/" + h.other.ID + "/residents", as: admin, json: valid}, 400, errs.Invalid, "household_id"},
				{"NaN-free location out of range", call{method: "POST", path: h.path("/buildings"), json: map[string]any{"name": "x", "location": map[string]any{"lat": 91, "lng": 0}}}, 400, errs.Invalid, "location.lat"},
				{"invalid UTF-8 body", call{method: "POST", path: h.path("/residents"), raw: []byte("{\"name\": \"\xff\xfe\"}"), contentType: "application/json"}, 400, errs.Invalid, ""},
				{"body over the limit", call{method: "POST", path: h.path("/residents"), raw: []byte(`{"name": "` + strings.Repeat("x", 70<<10) + `"}`), contentType: "application/json"}, 413, errs.Invalid, ""},
				{"wrong media type", call{method: "POST", path: h.path("/residents"), raw: []byte(`{}`), contentType: "text/plain"}, 415, errs.Invalid, ""},
				{"no media type", call{method: "POST", path: h.path("/residents"), raw: []byte(`{}`)}, 415, errs.Invalid, ""},
				{"unknown query parameter", call{method: "GET", path: h.path("/residents?gird=x")}, 400, errs.Invalid, "gird"},
				{"limit too large", call{method: "GET", path: h.path("/residents?limit=100000")}, 400, errs.Invalid, "limit"},
				{"negative offset", call{method: "GET", path: h.path("/residents?offset=-1")}, 400, errs.Invalid, "offset"},
				{"bad state", call{method: "GET", path: h.path("/residents?state=deleted")}, 400, errs.Invalid, "state"},
				{"unknown vulnerability filter", call{method: "GET", path: h.path("/residents?vulnerability=rich")}, 400, errs.Invalid, "vulnerability"},
				{"invalid UTF-8 in a query", call{method: "GET", path: h.path("/residents?name=%FF%FE")}, 400, errs.Invalid, "name"},
				{"NUL in a query", call{method: "GET", path: h.path("/residents?name=a%00b")}, 400, errs.Invalid, "name"},
				{"NUL in a path", call{method: "GET", path: h.path("/residents/a%00b")}, 400, errs.Invalid, ""},
				{"invalid UTF-8 in a path", call{method: "GET", path: h.path("/residents/%FF")}, 400, errs.Invalid, ""},
				{"unknown resident", call{method: "GET", path: h.path("/residents/01ARZ3NDEKTSV4RRFFQ69G5FAV")}, 404, errs.NotFound, ""},
				{"malformed resident ID", call{method: "GET", path: h.path("/residents/nope")}, 404, errs.NotFound, ""},
				{"resident of another community", call{method: "GET", path: "/v1/communities/" + h.other.ID + "/residents/" + h.me.ID, as: admin}, 404, errs.NotFound, ""},
				{"unknown community", call{method: "GET", path: "/v1/communities/01ARZ3NDEKTSV4RRFFQ69G5FAV/summary", as: admin}, 404, errs.NotFound, ""},
				{"archive without a reason", call{method: "POST", path: resPath + "/archive", json: map[string]any{}}, 400, errs.Invalid, "reason"},
				{"restore what is not archived", call{method: "POST", path: resPath + "/restore"}, 409, errs.FailedPrecondition, ""},
				{"duplicate district name", call{method: "POST", path: h.path("/districts"), json: grids.DistrictInput{Name: "同名"}}, 201, "", ""},
				{"... twice", call{method: "POST", path: h.path("/districts"), json: grids.DistrictInput{Name: "同名"}}, 409, errs.Conflict, ""},
				{"unknown route", call{method: "GET", path: "/v1/nothing"}, 404, errs.NotFound, ""},
				{"wrong method", call{method: "DELETE", path: resPath}, 405, errs.Invalid, ""},
				{"bad year", call{method: "GET", path: h.path("/summary?year=20000")}, 400, errs.Invalid, "year"},
				{"import with no files", call{method: "POST", path: h.path("/import"), raw: []byte("--x--\r\n"), contentType: "multipart/form-data; boundary=x"}, 400, errs.Invalid, ""},
				{"import as JSON", call{method: "POST", path: h.path("/import"), json: map[string]any{}}, 415, errs.Invalid, ""},
				{"import with a bad encoding", call{method: "POST", path: h.path("/import?encoding=latin1"), raw: []byte("--x--\r\n"), contentType: "multipart/form-data; boundary=x"}, 400, errs.Invalid, "encoding"},
				{"a need with an unknown field", call{method: "POST", path: h.path("/needs"), json: map[string]any{"title": "x", "urgency": 9}}, 400, errs.Invalid, "urgency"},
				{"a need with a bad source", call{method: "POST", path: h.path("/needs"), json: map[string]any{"title": "x", "source": "rumour"}}, 400, errs.Invalid, "source"},
				{"a need from another community's household", call{method: "POST", path: "/v1/communities/" + h.other.ID + "/needs", as: admin, json: grids.NeedInput{Title: "x", Source: grids.SourceOnline, HouseholdID: h.household.ID}}, 400, errs.Invalid, "household_id"},
				{"an unknown need action", call{method: "POST", path: h.path("/needs/01ARZ3NDEKTSV4RRFFQ69G5FAV/actions"), json: map[string]any{"action": "delete"}}, 400, errs.Invalid, "action"},
				{"an action on an unknown need", call{method: "POST", path: h.path("/needs/01ARZ3NDEKTSV4RRFFQ69G5FAV/actions"), json: grids.NeedAction{Action: "accept"}}, 404, errs.NotFound, ""},
				{"a survey without questions", call{method: "POST", path: h.path("/surveys"), json: grids.SurveyInput{Title: "x"}}, 400, errs.Invalid, "questions"},
				{"answers to an unknown survey", call{method: "POST", path: h.path("/surveys/01ARZ3NDEKTSV4RRFFQ69G5FAV/responses"), json: grids.ResponseInput{HouseholdID: h.household.ID}}, 404, errs.NotFound, ""},
				{"survey results split by street", call{method: "GET", path: h.path("/surveys/01ARZ3NDEKTSV4RRFFQ69G5FAV/results?by=street")}, 400, errs.Invalid, "by"},
				{"a plan of no grids", call{method: "POST", path: h.path("/regroup-plans"), json: grids.PlanInput{Districts: 1}}, 400, errs.Invalid, "grids"},
				{"a plan of more grids than buildings", call{method: "POST", path: h.path("/regroup-plans"), json: grids.PlanInput{Districts: 1, Grids: 9}}, 400, errs.Invalid, "grids"},
				{"a plan with a negative weight", call{method: "POST", path: h.path("/regroup-plans"), json: map[string]any{"districts": 1, "grids": 1, "weights": map[string]any{"need": -2}}}, 400, errs.Invalid, "weights.need"},
				{"a plan with a fractional seed", call{method: "POST", path: h.path("/regroup-plans"), raw: []byte(`{"districts":1,"grids":1,"seed":1.5}`), contentType: "application/json"}, 400, errs.Invalid, "seed"},
				{"applying an unknown plan", call{method: "POST", path: h.path("/regroup-plans/01ARZ3NDEKTSV4RRFFQ69G5FAV/apply"), json: grids.ApplyInput{}}, 404, errs.NotFound, ""},
				{"workers given as a string", call{method: "POST", path: h.path("/regroup-plans/01ARZ3NDEKTSV4RRFFQ69G5FAV/apply"), json: map[string]any{"workers": "all"}}, 400, errs.Invalid, "workers"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					if tt.c.as == "" {
						tt.c.as = worker
					}
					tt.c.badRequest = true
					before := h.snapshot()
					r := h.do(tt.c)
					require.Equal(t, tt.status, r.status, "body: %s", r.body)
					if tt.code == "" {
						return
					}
					p := r.problem(t)
					assert.Equal(t, tt.code, p.Code)
					assert.NotEmpty(t, p.Detail)
					if tt.field != "" {
						var fields []string
						for _, f := range p.Errors {
							fields = append(fields, f.Field)
						}
						assert.Contains(t, fields, tt.field, "the field is named: %s", r.body)
					}
					assert.Equal(t, before, h.snapshot(), "a refused request changes nothing")
				})
			}
		})
	}
}

func TestImportOverHTTP(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			h := harnessOn(t, st.open)
			var d grids.District
			h.ok(call{method: "POST", path: h.path("/districts"), as: worker, json: grids.DistrictInput{Name: "第一片区"}}, &d)
			h.ok(call{method: "POST", path: h.path("/grids"), as: worker, json: grids.GridInput{DistrictID: d.ID, Name: "1-1网格"}}, nil)
			files := map[string]string{
				"buildings":  "楼栋,网格,纬度,经度,相邻楼栋\n稻香新村1号,1-1网格,31.55,120.26,稻香新村2号\n稻香新村2号,1-1网格,31.551,120.26,\n",
				"households": "楼栋,户号,人数\n稻香新村1号,1-101,2\n稻香新村2号,2-201,1\n",
				"residents":  "楼栋,户号,姓名,性别,出生年份,兴趣,需求,特殊群体\n稻香新村1号,1-101,赵兰,女,1940,Choir;广场舞,home_elder_care,退休;独居\n稻香新村1号,1-101,赵刚,男,1968,,,\n稻香新村2号,2-201,钱红,女,1995,,,流动人口\n",
			}

			body, ct := multipartBody(t, files)
			before := h.snapshot()
			var res grids.ImportResult
			r := h.ok(call{method: "POST", path: h.path("/import?dry_run=true"), as: worker, raw: body, contentType: ct}, &res)
			assert.Equal(t, http.StatusOK, r.status)
			assert.Equal(t, grids.ImportResult{Buildings: 2, Households: 2, Residents: 3, DryRun: true}, res)
			assert.Equal(t, before, h.snapshot(), "a dry run stores nothing")

			r = h.ok(call{method: "POST", path: h.path("/import"), as: worker, raw: body, contentType: ct}, &res)
			assert.Equal(t, http.StatusCreated, r.status)
			assert.Equal(t, grids.ImportResult{Buildings: 2, Households: 2, Residents: 3}, res)
			var list httpapi.List[grids.Resident]
			h.ok(call{method: "GET", path: h.path("/residents?interest=choir&vulnerability=living_alone&total=true"), as: worker}, &list)
			require.Equal(t, 1, *list.Total, "tags are folded to lower case; Chinese terms map to vulnerabilities")
			assert.Equal(t, "赵兰", list.Items[0].Name)

			// The same again: every row refused, nothing stored.
			before = h.snapshot()
			r = h.do(call{method: "POST", path: h.path("/import"), as: worker, raw: body, contentType: ct})
			require.Equal(t, http.StatusBadRequest, r.status)
			p := r.problem(t)
			assert.Len(t, p.Errors, 4, "two buildings and two households are already registered: %s", r.body)
			assert.Equal(t, before, h.snapshot())

			// GB18030, as Excel on Chinese Windows saves it.
			gb, err := simplifiedchinese.GB18030.NewEncoder().String("楼栋,户号,人数\n稻香新村2号,2-202,1\n")
			require.NoError(t, err)
			body, ct = multipartBody(t, map[string]string{"households": gb})
			r = h.do(call{method: "POST", path: h.path("/import"), as: worker, raw: body, contentType: ct})
			require.Equal(t, http.StatusBadRequest, r.status, "read as UTF-8, it is not")
			assert.Contains(t, r.problem(t).Errors[0].Message, "gb18030")
			h.ok(call{method: "POST", path: h.path("/import?encoding=gb18030"), as: worker, raw: body, contentType: ct}, &res)
			assert.Equal(t, 1, res.Households)
		})
	}
}

func TestQueryEscapes(t *testing.T) {
	h := newHarness(t, stores[0].open(t))
	var list httpapi.List[grids.Resident]
	h.ok(call{method: "GET", path: h.path("/residents?total=true&name=" + url.QueryEscape("王")), as: worker}, &list)
	assert.Equal(t, 1, *list.Total)
}
