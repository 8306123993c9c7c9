package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/httpapi"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
)

func TestNeedsOverHTTP(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			h := harnessOn(t, st.open)
			var n grids.Need
			r := h.ok(call{method: "POST", path: h.path("/needs"), as: resident, json: grids.NeedInput{Source: grids.SourceSurvey, Title: "楼道灯坏了", Tags: []string{"safety"}}}, &n)
			assert.Equal(t, http.StatusCreated, r.status)
			assert.Equal(t, h.household.ID, n.HouseholdID)

			rr := h.do(call{method: "POST", path: h.path("/needs/" + n.ID + "/actions"), as: resident, json: grids.NeedAction{Action: "accept"}})
			assert.Equal(t, 403, rr.status)
			h.ok(call{method: "POST", path: h.path("/needs/" + n.ID + "/actions"), as: worker, json: grids.NeedAction{Action: "accept"}}, &n)
			rr = h.do(call{method: "POST", path: h.path("/needs/" + n.ID + "/actions"), as: worker, json: grids.NeedAction{Action: "answer"}})
			assert.Equal(t, 400, rr.status)
			assert.Equal(t, "reply", rr.problem(t).Errors[0].Field)
			h.ok(call{method: "POST", path: h.path("/needs/" + n.ID + "/actions"), as: worker, json: grids.NeedAction{Action: "answer", Reply: "已修好"}}, &n)
			assert.Equal(t, grids.NeedAnswered, n.Status)
			rr = h.do(call{method: "POST", path: h.path("/needs/" + n.ID + "/actions"), as: worker, json: grids.NeedAction{Action: "decline", Reply: "x"}})
			assert.Equal(t, 409, rr.status, "an answered need is final")

			var list httpapi.List[grids.Need]
			h.ok(call{method: "GET", path: h.path("/needs?tag=safety&status=answered&total=true"), as: merchant}, &list)
			require.Equal(t, 1, *list.Total)
			assert.Empty(t, list.Items[0].HouseholdID, "the merchant sees the need, not the household")
			h.ok(call{method: "GET", path: h.path("/needs/" + n.ID), as: council}, &n)
			assert.Len(t, n.Events, 3)
			rr = h.do(call{method: "GET", path: h.path("/needs?status=lost"), as: worker, badRequest: true})
			assert.Equal(t, 400, rr.status)
		})
	}
}

func TestSurveysOverHTTP(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			h := harnessOn(t, st.open)
			in := grids.SurveyInput{Title: "兴趣调查", Questions: []grids.Question{
				{Key: "fun", Text: "喜欢的活动", Kind: grids.SingleChoice, Required: true, Options: []grids.Option{
					{Key: "dance", Text: "广场舞", Interests: []string{"square_dance"}}, {Key: "chess", Text: "棋牌", Interests: []string{"chess_cards"}}}},
				{Key: "meals", Text: "助餐需求", Kind: grids.Scale, Min: 1, Max: 5, Threshold: 4, Needs: []string{"meal_delivery"}},
			}}
			var sv grids.Survey
			h.ok(call{method: "POST", path: h.path("/surveys"), as: worker, json: in}, &sv)
			h.ok(call{method: "POST", path: h.path("/surveys/" + sv.ID + "/open"), as: worker}, &sv)
			assert.Equal(t, grids.SurveyOpen, sv.Status)
			four := 4
			var resp grids.Response
			h.ok(call{method: "POST", path: h.path("/surveys/" + sv.ID + "/responses"), as: resident, json: grids.ResponseInput{
				HouseholdID: h.household.ID, Answers: []grids.Answer{{Question: "fun", Options: []string{"dance"}}, {Question: "meals", Value: &four}}}}, &resp)
			assert.Equal(t, []string{"square_dance"}, resp.Interests)
			assert.Equal(t, []string{"meal_delivery"}, resp.Needs)

			var profile grids.Profile
			h.ok(call{method: "GET", path: h.path("/households/" + h.household.ID + "/profile"), as: resident}, &profile)
			assert.Equal(t, []string{"square_dance"}, profile.Interests)
			assert.Equal(t, 1, profile.Residents)

			var res grids.SurveyResults
			h.ok(call{method: "GET", path: h.path("/surveys/" + sv.ID + "/results?by=district"), as: council}, &res)
			assert.Equal(t, 1, res.Responses)
			assert.Equal(t, map[string]int{"dance": 1, "chess": 0}, res.Questions[0].Overall.Options)

			rr := h.do(call{method: "PATCH", path: h.path("/surveys/" + sv.ID), as: worker, json: grids.SurveyUpdate{Title: ptr("x")}})
			assert.Equal(t, 409, rr.status, "an open survey does not change")
			rr = h.do(call{method: "POST", path: h.path("/surveys/" + sv.ID + "/responses"), as: resident, json: grids.ResponseInput{
				HouseholdID: h.household.ID, Answers: []grids.Answer{{Question: "fun", Options: []string{"golf"}}}}})
			assert.Equal(t, 400, rr.status)
			assert.Equal(t, "answers[0].options", rr.problem(t).Errors[0].Field)
			h.ok(call{method: "POST", path: h.path("/surveys/" + sv.ID + "/close"), as: worker}, &sv)
			var all httpapi.List[grids.Survey]
			h.ok(call{method: "GET", path: h.path("/surveys?status=closed&total=true"), as: resident}, &all)
			assert.Equal(t, 1, *all.Total)
		})
	}
}

// lattice registers a w × h lattice of linked buildings in the harness's
// community, with households of mixed profiles in each.
func (h *harness) lattice(w, hh int) {
	h.t.Helper()
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("setup"))
	d, err := h.reg.CreateDistrict(ctx, h.community.ID, grids.DistrictInput{Name: "旧片区"})
	require.NoError(h.t, err)
	g, err := h.reg.CreateGrid(ctx, h.community.ID, grids.GridInput{DistrictID: d.ID, Name: "旧网格"})
	require.NoError(h.t, err)
	ids := make([]string, w*hh)
	for i := range ids {
		var nbs []string
		if i%w > 0 {
			nbs = append(nbs, ids[i-1])
		}
		if i >= w {
			nbs = append(nbs, ids[i-w])
		}
		b, err := h.reg.CreateBuilding(ctx, h.community.ID, grids.BuildingInput{Name: fmt.Sprintf("楼%d", i), GridID: g.ID, Neighbours: nbs,
			Location: &grids.Location{Lat: 31.55 + float64(i/w)*0.0003, Lng: 120.26 + float64(i%w)*0.0003}})
		require.NoError(h.t, err)
		ids[i] = b.ID
		for u := range 5 {
			tag := []string{"square_dance", "youth_sports"}[(i/w+u)%2]
			hh, err := h.reg.CreateHousehold(ctx, h.community.ID, grids.HouseholdInput{BuildingID: b.ID, Unit: fmt.Sprint(u), Size: 2, Interests: []string{tag}})
			require.NoError(h.t, err)
			_, err = h.reg.CreateResident(ctx, h.community.ID, grids.ResidentInput{HouseholdID: hh.ID, Name: "居民", Sex: grids.Female, BirthYear: 1950 + 10*(i%5)})
			require.NoError(h.t, err)
		}
	}
}

func TestRegroupOverHTTP(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			h := harnessOn(t, st.open)
			// The harness's own building has no neighbours: archive it so the
			// lattice is the whole community.
			ctx := grids.WithPrincipal(context.Background(), grids.Admin("setup"))
			_, err := h.reg.ArchiveHousehold(ctx, h.community.ID, h.household.ID, grids.ArchiveInput{Reason: "test"})
			require.NoError(t, err)
			_, err = h.reg.ArchiveBuilding(ctx, h.community.ID, h.household.BuildingID, grids.ArchiveInput{Reason: "test"})
			require.NoError(t, err)
			h.lattice(6, 6)

			rr := h.do(call{method: "POST", path: h.path("/regroup-plans"), as: resident, json: grids.PlanInput{Districts: 2, Grids: 6}})
			assert.Equal(t, 403, rr.status)
			rr = h.do(call{method: "POST", path: h.path("/regroup-plans"), as: worker, json: grids.PlanInput{Districts: 2, Grids: 6, GridMin: 100, GridMax: 120}})
			assert.Equal(t, 400, rr.status, "impossible bounds, said before searching")
			assert.Equal(t, "grid_min", rr.problem(t).Errors[0].Field)

			var plan grids.RegroupPlan
			r := h.ok(call{method: "POST", path: h.path("/regroup-plans"), as: worker, json: grids.PlanInput{Districts: 2, Grids: 6, Seed: 3}}, &plan)
			assert.Equal(t, http.StatusCreated, r.status)
			assert.Equal(t, grids.PlanDone, plan.Status)
			require.NotNil(t, plan.Report)
			assert.Zero(t, plan.Report.Quality.NonContiguousGrids)
			assert.NotNil(t, plan.Report.Current, "the old layout is compared")

			var job grids.RegroupPlan
			r = h.ok(call{method: "POST", path: h.path("/regroup-plans"), as: worker, json: grids.PlanInput{Districts: 2, Grids: 6, Seed: 4, Async: true}}, &job)
			assert.Equal(t, http.StatusAccepted, r.status)
			assert.Equal(t, h.path("/regroup-plans/"+job.ID), r.header.Get("Location"))
			require.Eventually(t, func() bool {
				var p grids.RegroupPlan
				h.ok(call{method: "GET", path: h.path("/regroup-plans/" + job.ID), as: council}, &p)
				return p.Status == grids.PlanDone
			}, 30*time.Second, 20*time.Millisecond)

			var list httpapi.List[grids.RegroupPlan]
			h.ok(call{method: "GET", path: h.path("/regroup-plans?status=done&total=true"), as: worker}, &list)
			assert.Equal(t, 2, *list.Total)
			assert.Nil(t, list.Items[0].Placements, "lists leave placements out")

			h.clock.Advance(time.Hour) // tokens live a day
			var applied grids.ApplyResult
			h.ok(call{method: "POST", path: h.path("/regroup-plans/" + plan.ID + "/apply"), as: worker, json: grids.ApplyInput{DistrictNames: []string{"东片", "西片"}}}, &applied)
			assert.Len(t, applied.Grids, 6)
			assert.Equal(t, "东片", applied.Districts[0].Name)
			rr = h.do(call{method: "POST", path: h.path("/regroup-plans/" + job.ID + "/apply"), as: worker, json: grids.ApplyInput{}})
			assert.Equal(t, 409, rr.status, "the other plan was made from the old layout")
			assert.Equal(t, errs.FailedPrecondition, rr.problem(t).Code)

			b := plan.Placements[0].BuildingID
			var hist httpapi.List[grids.Membership]
			h.ok(call{method: "GET", path: h.path("/memberships?total=true&kind=building_grid&member=" + b), as: worker}, &hist)
			require.Equal(t, 2, *hist.Total, "the old grid and the new")
			assert.Equal(t, applied.Grids[plan.Placements[0].Grid].ID, hist.Items[1].GroupID)
			at := hist.Items[0].From.Add(time.Second).Format(time.RFC3339Nano)
			h.ok(call{method: "GET", path: h.path("/memberships?total=true&group=" + hist.Items[0].GroupID + "&at=" + at), as: worker}, &hist)
			assert.Equal(t, 36, *hist.Total, "then, the old grid held every building")
			rr = h.do(call{method: "GET", path: h.path("/memberships?member=x&at=yesterday"), as: worker, badRequest: true})
			assert.Equal(t, 400, rr.status)
			rr = h.do(call{method: "GET", path: h.path("/memberships"), as: worker})
			assert.Equal(t, 400, rr.status, "a member or a group is needed")
		})
	}
}
