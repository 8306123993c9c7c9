package gridstest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/regroup"
)

func testNeeds(t *testing.T, f *fixture) {
	c := f.community()
	b := f.building(c.ID, "", "1号")
	h := f.household(c.ID, b.ID, "1-101")
	st := f.stamps()
	need := func(edit func(*grids.Need)) grids.Need {
		n := grids.Need{ID: f.seq.New(), CommunityID: c.ID, Kind: grids.KindNeed, Source: grids.SourceSurvey, Title: "楼道灯坏了",
			Tags: []string{"lighting", "safety"}, Status: grids.NeedReceived, Events: []grids.NeedEvent{}, CreatedAt: st.CreatedAt, UpdatedAt: st.UpdatedAt}
		if edit != nil {
			edit(&n)
		}
		f.must(func(tx grids.Tx) error { return tx.CreateNeed(f.ctx, n) })
		return n
	}
	full := need(func(n *grids.Need) {
		n.Kind, n.Source, n.HouseholdID, n.Detail = grids.KindMicroWish, grids.SourceMicroWish, h.ID, "想学用智能手机\n第二行"
		n.Status, n.Assignee = grids.NeedAssigned, &grids.Ref{Kind: "committee", ID: f.seq.New()}
		n.ClaimedBy, n.Reply, n.FulfilledAt = &grids.Ref{Kind: "resident", ID: f.seq.New()}, "已安排志愿者", &st.CreatedAt
		n.Events = []grids.NeedEvent{{At: st.CreatedAt, By: "w1", Action: "accept", Status: grids.NeedAccepted, Note: "好"}}
	})
	group := need(func(n *grids.Need) { n.Group, n.Tags = &grids.Ref{Kind: "group", ID: f.seq.New()}, []string{"parking"} })
	plain := need(nil)

	got := mustGet(f, func(tx grids.Tx) (grids.Need, error) { return tx.Need(f.ctx, c.ID, full.ID) })
	assert.Equal(t, full, got)
	assert.Equal(t, group, mustGet(f, func(tx grids.Tx) (grids.Need, error) { return tx.Need(f.ctx, c.ID, group.ID) }))

	plain.Status, plain.Reply = grids.NeedDeclined, "不在社区职责范围"
	plain.Events = append(plain.Events, grids.NeedEvent{At: st.UpdatedAt, By: "w1", Action: "decline", Status: grids.NeedDeclined})
	f.must(func(tx grids.Tx) error { return tx.UpdateNeed(f.ctx, plain) })
	assert.Equal(t, plain, mustGet(f, func(tx grids.Tx) (grids.Need, error) { return tx.Need(f.ctx, c.ID, plain.ID) }))

	ids := func(filter grids.NeedFilter) []string {
		filter.CommunityID = c.ID
		return findIDs(f, func(tx grids.Tx) ([]grids.Need, int, error) { return tx.FindNeeds(f.ctx, filter) },
			func(n grids.Need) string { return n.ID }).IDs
	}
	assert.Equal(t, sorted([]string{full.ID, plain.ID}), ids(grids.NeedFilter{Tag: "safety"}), "by tag")
	assert.Equal(t, []string{group.ID}, ids(grids.NeedFilter{Tag: "parking"}))
	assert.Empty(t, ids(grids.NeedFilter{Tag: "safe"}), "a tag matches whole")
	assert.Equal(t, []string{plain.ID}, ids(grids.NeedFilter{Status: grids.NeedDeclined}))
	assert.Equal(t, []string{full.ID}, ids(grids.NeedFilter{HouseholdID: h.ID}))
	assert.Equal(t, []string{full.ID}, ids(grids.NeedFilter{AssigneeID: full.Assignee.ID}))
	assert.Equal(t, []string{full.ID}, ids(grids.NeedFilter{Kind: grids.KindMicroWish, Source: grids.SourceMicroWish}))
	assert.Empty(t, ids(grids.NeedFilter{Unclaimed: true}), "the one micro-wish is claimed")

	err := f.update(func(tx grids.Tx) error {
		n := plain
		n.ID, n.HouseholdID = f.seq.New(), f.seq.New()
		return tx.CreateNeed(f.ctx, n)
	})
	assertCode(t, err, grids.Invalid, "a need from an unknown household")
}

func testSurveys(t *testing.T, f *fixture) {
	c := f.community()
	b := f.building(c.ID, "", "1号")
	h1, h2 := f.household(c.ID, b.ID, "1"), f.household(c.ID, b.ID, "2")
	st := f.stamps()
	s := grids.Survey{ID: f.seq.New(), CommunityID: c.ID, Title: "兴趣调查", Description: "两行\n说明", Status: grids.SurveyDraft,
		Questions: []grids.Question{
			{Key: "q1", Text: "喜欢什么活动？", Kind: grids.MultipleChoice, Required: true, Options: []grids.Option{
				{Key: "dance", Text: "广场舞", Interests: []string{"square_dance"}}, {Key: "chess", Text: "棋牌", Interests: []string{"chess_cards"}}}},
			{Key: "q2", Text: "需要助餐吗？", Kind: grids.Scale, Min: 1, Max: 5, Threshold: 4, Needs: []string{"meal_delivery"}},
		}, CreatedAt: st.CreatedAt, UpdatedAt: st.UpdatedAt}
	f.must(func(tx grids.Tx) error { return tx.CreateSurvey(f.ctx, s) })
	assert.Equal(t, s, mustGet(f, func(tx grids.Tx) (grids.Survey, error) { return tx.Survey(f.ctx, c.ID, s.ID) }))
	s.Status, s.OpenedAt = grids.SurveyOpen, &st.UpdatedAt
	f.must(func(tx grids.Tx) error { return tx.UpdateSurvey(f.ctx, s) })
	assert.Equal(t, s, mustGet(f, func(tx grids.Tx) (grids.Survey, error) { return tx.Survey(f.ctx, c.ID, s.ID) }))
	open := findIDs(f, func(tx grids.Tx) ([]grids.Survey, int, error) {
		return tx.FindSurveys(f.ctx, grids.SurveyFilter{CommunityID: c.ID, Status: grids.SurveyOpen})
	}, func(s grids.Survey) string { return s.ID })
	assert.Equal(t, []string{s.ID}, open.IDs)

	five := 5
	r1 := grids.Response{ID: f.seq.New(), CommunityID: c.ID, SurveyID: s.ID, HouseholdID: h1.ID, By: "w1", SubmittedAt: st.CreatedAt,
		Answers:   []grids.Answer{{Question: "q1", Options: []string{"dance"}}, {Question: "q2", Value: &five}},
		Interests: []string{"square_dance"}, Needs: []string{"meal_delivery"}}
	r2 := grids.Response{ID: f.seq.New(), CommunityID: c.ID, SurveyID: s.ID, HouseholdID: h2.ID, By: "w1", SubmittedAt: st.CreatedAt,
		Answers: []grids.Answer{{Question: "q1", Options: []string{"chess"}}}, Interests: []string{"chess_cards"}, Needs: []string{}}
	f.must(func(tx grids.Tx) error { return tx.PutResponse(f.ctx, r1) })
	f.must(func(tx grids.Tx) error { return tx.PutResponse(f.ctx, r2) })
	// Answering again replaces the answers, under the first ID.
	again := r1
	again.ID, again.Answers, again.Interests, again.Needs = f.seq.New(), []grids.Answer{{Question: "q1", Options: []string{"chess"}}}, []string{"chess_cards"}, []string{}
	f.must(func(tx grids.Tx) error { return tx.PutResponse(f.ctx, again) })
	all := mustGet(f, func(tx grids.Tx) ([]grids.Response, error) {
		return tx.FindResponses(f.ctx, grids.ResponseFilter{CommunityID: c.ID, SurveyID: s.ID})
	})
	want := again
	want.ID = r1.ID
	assert.Equal(t, []grids.Response{want, r2}, all)
	mine := mustGet(f, func(tx grids.Tx) ([]grids.Response, error) {
		return tx.FindResponses(f.ctx, grids.ResponseFilter{CommunityID: c.ID, HouseholdID: h2.ID})
	})
	assert.Equal(t, []grids.Response{r2}, mine)
	err := f.update(func(tx grids.Tx) error {
		bad := r2
		bad.ID, bad.HouseholdID = f.seq.New(), f.seq.New()
		return tx.PutResponse(f.ctx, bad)
	})
	assertCode(t, err, grids.Invalid, "a response from an unknown household")
}

func testPlansAndMemberships(t *testing.T, f *fixture) {
	c := f.community()
	st := f.stamps()
	p := grids.RegroupPlan{ID: f.seq.New(), CommunityID: c.ID, Status: grids.PlanRunning, Progress: 0.25, Basis: "abc", CreatedBy: "w1",
		Options:   regroup.Options{Districts: 4, Grids: 18, GridMin: 185, GridMax: 279, Seed: 7, Weights: regroup.DefaultWeights},
		CreatedAt: st.CreatedAt, UpdatedAt: st.UpdatedAt}
	f.must(func(tx grids.Tx) error { return tx.CreateRegroupPlan(f.ctx, p) })
	assert.Equal(t, p, mustGet(f, func(tx grids.Tx) (grids.RegroupPlan, error) { return tx.RegroupPlan(f.ctx, c.ID, p.ID) }))
	p.Status, p.Progress = grids.PlanDone, 1
	p.Placements = []grids.Placement{{BuildingID: f.seq.New(), Grid: 0, District: 0}, {BuildingID: f.seq.New(), Grid: 1, District: 0}}
	p.Report = &regroup.Report{Buildings: 2, Households: 30, Quality: regroup.Quality{R2BetweenBuildings: 0.534, HouseholdsPerGrid: [2]int{14, 16}},
		Grids: []regroup.GridReport{{Grid: 0, Households: 14, Traits: []regroup.Trait{{Name: "i_chess", Kind: "interest", Share: 0.5, Community: 0.25}},
			Vulnerable: map[string]float64{"v_alone": 2}, Why: "下棋"}}, Districts: []regroup.DistrictReport{}}
	f.must(func(tx grids.Tx) error { return tx.UpdateRegroupPlan(f.ctx, p) })
	got := mustGet(f, func(tx grids.Tx) (grids.RegroupPlan, error) { return tx.RegroupPlan(f.ctx, c.ID, p.ID) })
	assert.Equal(t, p, got)
	done := findIDs(f, func(tx grids.Tx) ([]grids.RegroupPlan, int, error) {
		return tx.FindRegroupPlans(f.ctx, grids.PlanFilter{CommunityID: c.ID, Status: grids.PlanDone})
	}, func(p grids.RegroupPlan) string { return p.ID })
	assert.Equal(t, []string{p.ID}, done.IDs)

	// A building moves from grid A to grid B; history keeps both.
	building, gridA, gridB := f.seq.New(), f.seq.New(), f.seq.New()
	t0 := st.CreatedAt
	t1 := t0.Add(24 * time.Hour)
	open := func(id, group string, from time.Time) grids.Membership {
		m := grids.Membership{ID: id, CommunityID: c.ID, Kind: grids.BuildingInGrid, MemberID: building, GroupID: group, From: from}
		f.must(func(tx grids.Tx) error { return tx.OpenMembership(f.ctx, m) })
		return m
	}
	a := open(f.seq.New(), gridA, t0)
	f.must(func(tx grids.Tx) error { return tx.CloseMembership(f.ctx, c.ID, grids.BuildingInGrid, building, t1) })
	bm := open(f.seq.New(), gridB, t1)
	a.To = &t1
	hist := func(filter grids.MembershipFilter) []grids.Membership {
		filter.CommunityID = c.ID
		out, _, err := get2(f, func(tx grids.Tx) ([]grids.Membership, int, error) { return tx.FindMemberships(f.ctx, filter) })
		require.NoError(t, err)
		return out
	}
	assert.Equal(t, []grids.Membership{a, bm}, hist(grids.MembershipFilter{MemberID: building}))
	mid := t0.Add(time.Hour)
	assert.Equal(t, []grids.Membership{a}, hist(grids.MembershipFilter{MemberID: building, At: &mid}), "where it was then")
	assert.Equal(t, []grids.Membership{bm}, hist(grids.MembershipFilter{MemberID: building, At: &t1}), "a membership ends when the next begins")
	assert.Equal(t, []grids.Membership{bm}, hist(grids.MembershipFilter{GroupID: gridB}))
	assert.Empty(t, hist(grids.MembershipFilter{Kind: grids.GridInDistrict}))
}

// get2 runs a Find in a View.
func get2[T any](f *fixture, find func(tx grids.Tx) ([]T, int, error)) ([]T, int, error) {
	var out []T
	var n int
	err := f.s.View(f.ctx, func(tx grids.Tx) (err error) {
		out, n, err = find(tx)
		return err
	})
	return out, n, err
}
