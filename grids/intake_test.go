package grids_test

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/ids"
)

func TestNeedLifecycle(t *testing.T) {
	w := newWorld(t)
	committee := grids.Ref{Kind: "committee", ID: ids.New()}

	// A resident raises a need for their own household, by default.
	n, err := w.reg.RaiseNeed(w.resident, w.c.ID, grids.NeedInput{Source: grids.SourceSurvey, Title: "楼道灯坏了", Tags: []string{"safety", "lighting"}})
	require.NoError(t, err)
	assert.Equal(t, w.h.ID, n.HouseholdID)
	assert.Equal(t, grids.NeedReceived, n.Status)
	assert.Equal(t, []string{"lighting", "safety"}, n.Tags)
	require.Len(t, n.Events, 1)
	assert.Equal(t, "raise", n.Events[0].Action)

	steps := []struct {
		name   string
		ctx    context.Context
		action grids.NeedAction
		status grids.NeedStatus
		err    error
	}{
		{"a resident may not accept", w.resident, grids.NeedAction{Action: "accept"}, "", grids.Forbidden},
		{"answering before accepting", w.worker, grids.NeedAction{Action: "answer", Reply: "x"}, "", grids.FailedPrecondition},
		{"the worker accepts", w.worker, grids.NeedAction{Action: "accept", Note: "安全问题优先"}, grids.NeedAccepted, nil},
		{"assigning needs an assignee", w.worker, grids.NeedAction{Action: "assign"}, "", grids.Invalid},
		{"assigned to a committee", w.worker, grids.NeedAction{Action: "assign", Assignee: &committee}, grids.NeedAssigned, nil},
		{"claiming a need that is not a micro-wish", w.resident, grids.NeedAction{Action: "claim"}, "", grids.FailedPrecondition},
		{"answering needs a public reply", w.worker, grids.NeedAction{Action: "answer"}, "", grids.Invalid},
		{"answered", w.worker, grids.NeedAction{Action: "answer", Reply: "平安委员会已更换灯泡"}, grids.NeedAnswered, nil},
		{"nothing after the answer", w.worker, grids.NeedAction{Action: "decline", Reply: "x"}, "", grids.FailedPrecondition},
		{"an unknown action", w.worker, grids.NeedAction{Action: "forget"}, "", grids.Invalid},
	}
	for _, s := range steps {
		got, err := w.reg.ActOnNeed(s.ctx, w.c.ID, n.ID, s.action)
		if s.err != nil {
			assert.ErrorIs(t, err, s.err, s.name)
			continue
		}
		require.NoError(t, err, s.name)
		assert.Equal(t, s.status, got.Status, s.name)
	}
	final, err := w.reg.Need(w.worker, w.c.ID, n.ID)
	require.NoError(t, err)
	assert.Equal(t, "平安委员会已更换灯泡", final.Reply)
	assert.Equal(t, &committee, final.Assignee)
	var actions []string
	for _, e := range final.Events {
		actions = append(actions, e.Action)
	}
	assert.Equal(t, []string{"raise", "accept", "assign", "answer"}, actions, "every step is recorded, refused ones are not")
	assert.Equal(t, "安全问题优先", final.Events[1].Note)

	// Needs are public; the household behind one is not.
	seen, err := w.reg.Need(w.council, w.c.ID, n.ID)
	require.NoError(t, err)
	assert.Equal(t, w.h.ID, seen.HouseholdID, "the council member lives there")
	other, err := w.reg.RaiseNeed(w.worker, w.c.ID, grids.NeedInput{Source: grids.SourceBriefing, Title: "停车难", HouseholdID: w.h2.ID})
	require.NoError(t, err)
	seen, err = w.reg.Need(w.resident, w.c.ID, other.ID)
	require.NoError(t, err)
	assert.Empty(t, seen.HouseholdID, "another household's need shows no household")
	_, _, err = w.reg.FindNeeds(w.resident, grids.NeedFilter{CommunityID: w.c.ID, HouseholdID: w.h2.ID})
	assert.ErrorIs(t, err, grids.Forbidden)
	list, total, err := w.reg.FindNeeds(w.resident, grids.NeedFilter{CommunityID: w.c.ID, Tag: "safety"})
	require.NoError(t, err)
	assert.Equal(t, 1, total)
	assert.Equal(t, n.ID, list[0].ID)

	_, err = w.reg.RaiseNeed(w.resident, w.c.ID, grids.NeedInput{Title: "x", Source: grids.SourceOnline, HouseholdID: w.h2.ID})
	assert.ErrorIs(t, err, grids.Forbidden, "residents raise needs for their own household only")
	// Who speaks for a group follows from the offices held now, not from
	// the roles in the token: w.council's token says council member, but
	// only while its resident holds a seat does it raise needs for groups.
	group := &grids.Ref{Kind: "group", ID: ids.New()}
	forGroup := grids.NeedInput{Title: "x", Source: grids.SourceGroupDiscussion, Group: group}
	seated := grids.NewRegistry(storeOf(w), grids.Options{Now: w.clock.Now, Bodies: bodies{group: group.ID, speakers: []string{w.me.ID}}})
	unseated := grids.NewRegistry(storeOf(w), grids.Options{Now: w.clock.Now, Bodies: bodies{group: group.ID}})
	_, err = unseated.RaiseNeed(w.resident, w.c.ID, forGroup)
	assert.ErrorIs(t, err, grids.ErrRaiseForGroup, "residents do not raise needs for a group")
	_, err = w.reg.RaiseNeed(w.council, w.c.ID, forGroup)
	assert.ErrorIs(t, err, grids.ErrRaiseForGroup, "without governance no office is known")
	_, err = unseated.RaiseNeed(w.council, w.c.ID, forGroup)
	assert.ErrorIs(t, err, grids.ErrRaiseForGroup, "a council role in the token without a seat")
	_, err = seated.RaiseNeed(w.council, w.c.ID, forGroup)
	assert.NoError(t, err, "a council member in office does")
	_, err = seated.RaiseNeed(w.worker, w.c.ID, forGroup)
	assert.NoError(t, err, "workers do")
	_, err = w.reg.RaiseNeed(w.worker, w.c.ID, grids.NeedInput{Title: "x", Source: "telepathy"})
	assert.ErrorIs(t, err, grids.Invalid)
}

func TestMicroWish(t *testing.T) {
	w := newWorld(t)
	wish, err := w.reg.RaiseNeed(w.worker, w.c.ID, grids.NeedInput{Kind: grids.KindMicroWish, Title: "想学用智能手机", HouseholdID: w.h2.ID})
	require.NoError(t, err)
	assert.Equal(t, grids.SourceMicroWish, wish.Source)
	_, err = w.reg.ActOnNeed(w.resident, w.c.ID, wish.ID, grids.NeedAction{Action: "claim"})
	assert.ErrorIs(t, err, grids.FailedPrecondition, "claimed once accepted")
	_, err = w.reg.ActOnNeed(w.worker, w.c.ID, wish.ID, grids.NeedAction{Action: "accept"})
	require.NoError(t, err)

	open, _, err := w.reg.FindNeeds(w.resident, grids.NeedFilter{CommunityID: w.c.ID, Unclaimed: true})
	require.NoError(t, err)
	require.Len(t, open, 1)

	claimed, err := w.reg.ActOnNeed(w.resident, w.c.ID, wish.ID, grids.NeedAction{Action: "claim"})
	require.NoError(t, err)
	assert.Equal(t, &grids.Ref{Kind: "resident", ID: w.me.ID}, claimed.ClaimedBy, "a resident claims for themself")
	_, err = w.reg.ActOnNeed(w.council, w.c.ID, wish.ID, grids.NeedAction{Action: "claim"})
	assert.ErrorIs(t, err, grids.Conflict, "one claim at a time")
	_, err = w.reg.ActOnNeed(w.resident, w.c.ID, wish.ID, grids.NeedAction{Action: "fulfil"})
	assert.ErrorIs(t, err, grids.Invalid, "fulfilling needs a public reply")
	done, err := w.reg.ActOnNeed(w.resident, w.c.ID, wish.ID, grids.NeedAction{Action: "fulfil", Reply: "教会了发微信"})
	require.NoError(t, err)
	assert.Equal(t, grids.NeedAnswered, done.Status)
	assert.NotNil(t, done.FulfilledAt)

	other, err := w.reg.RaiseNeed(w.worker, w.c.ID, grids.NeedInput{Kind: grids.KindMicroWish, Title: "轮椅", HouseholdID: w.h.ID})
	require.NoError(t, err)
	_, err = w.reg.ActOnNeed(w.worker, w.c.ID, other.ID, grids.NeedAction{Action: "accept"})
	require.NoError(t, err)
	_, err = w.reg.ActOnNeed(w.resident, w.c.ID, other.ID, grids.NeedAction{Action: "claim", ClaimedBy: &grids.Ref{Kind: "organisation", ID: ids.New()}})
	assert.ErrorIs(t, err, grids.Forbidden, "residents claim for themselves")
	byOrg, err := w.reg.ActOnNeed(w.worker, w.c.ID, other.ID, grids.NeedAction{Action: "claim", ClaimedBy: &grids.Ref{Kind: "organisation", ID: ids.New()}})
	require.NoError(t, err, "workers record an organisation's claim")
	assert.Equal(t, "organisation", byOrg.ClaimedBy.Kind)
	_, err = w.reg.ActOnNeed(w.resident, w.c.ID, other.ID, grids.NeedAction{Action: "unclaim"})
	assert.ErrorIs(t, err, grids.Forbidden, "only the claimant or a worker unclaims")
	_, err = w.reg.ActOnNeed(w.worker, w.c.ID, other.ID, grids.NeedAction{Action: "unclaim"})
	require.NoError(t, err)
	_, err = w.reg.ActOnNeed(w.worker, w.c.ID, other.ID, grids.NeedAction{Action: "claim", ClaimedBy: &grids.Ref{Kind: "resident", ID: ids.New()}})
	assert.ErrorIs(t, err, grids.Invalid, "the claimant must be a resident of the community")
}

// bodies is a Bodies that knows one committee.
// bodies stands for governance: a committee and a group that exist, and
// the residents who hold now an office that speaks for groups.
type bodies struct {
	committee, group string
	speakers         []string
}

func (b bodies) Check(_ context.Context, _ string, ref grids.Ref, field string) error {
	if ref.Kind == "committee" && ref.ID == b.committee || ref.Kind == "group" && ref.ID == b.group {
		return nil
	}
	return &grids.Error{Code: grids.Invalid, Message: "unknown " + ref.Kind, Fields: []grids.FieldError{{Field: field, Message: "no such " + ref.Kind}}}
}

func (b bodies) SpeaksForGroups(_ context.Context, _, resident string) (bool, error) {
	return slices.Contains(b.speakers, resident), nil
}

func TestBodiesCheckReferences(t *testing.T) {
	w := newWorld(t)
	known := ids.New()
	reg := grids.NewRegistry(storeOf(w), grids.Options{Now: w.clock.Now, Bodies: bodies{committee: known}})
	n, err := reg.RaiseNeed(w.worker, w.c.ID, grids.NeedInput{Title: "x", Source: grids.SourceOnline})
	require.NoError(t, err)
	_, err = reg.ActOnNeed(w.worker, w.c.ID, n.ID, grids.NeedAction{Action: "accept"})
	require.NoError(t, err)
	_, err = reg.ActOnNeed(w.worker, w.c.ID, n.ID, grids.NeedAction{Action: "assign", Assignee: &grids.Ref{Kind: "committee", ID: ids.New()}})
	assert.ErrorIs(t, err, grids.Invalid, "an unknown committee")
	_, err = reg.ActOnNeed(w.worker, w.c.ID, n.ID, grids.NeedAction{Action: "assign", Assignee: &grids.Ref{Kind: "committee", ID: known}})
	assert.NoError(t, err)
}

func TestSurveys(t *testing.T) {
	w := newWorld(t)
	in := grids.SurveyInput{Title: "民生需求调查", Questions: []grids.Question{
		{Key: "activities", Text: "您喜欢哪些活动？", Kind: grids.MultipleChoice, Required: true, Options: []grids.Option{
			{Key: "dance", Text: "广场舞", Interests: []string{"square_dance"}},
			{Key: "chess", Text: "棋牌", Interests: []string{"chess_cards"}},
			{Key: "none", Text: "都不喜欢"}}},
		{Key: "meals", Text: "需要助餐服务吗？(1–5)", Kind: grids.Scale, Min: 1, Max: 5, Threshold: 4, Needs: []string{"meal_delivery"}},
		{Key: "other", Text: "其他建议", Kind: grids.FreeText},
	}}
	_, err := w.reg.CreateSurvey(w.resident, w.c.ID, in)
	assert.ErrorIs(t, err, grids.Forbidden)
	s, err := w.reg.CreateSurvey(w.worker, w.c.ID, in)
	require.NoError(t, err)
	assert.Equal(t, grids.SurveyDraft, s.Status)

	five, two := 5, 2
	answers := grids.ResponseInput{HouseholdID: w.h.ID, Answers: []grids.Answer{
		{Question: "activities", Options: []string{"dance", "chess"}}, {Question: "meals", Value: &five}, {Question: "other", Text: "多组织体检"}}}
	_, err = w.reg.AnswerSurvey(w.resident, w.c.ID, s.ID, answers)
	assert.ErrorIs(t, err, grids.FailedPrecondition, "a draft takes no answers")

	_, err = w.reg.UpdateSurvey(w.worker, w.c.ID, s.ID, grids.SurveyUpdate{Title: ptr("2026年民生需求调查")})
	require.NoError(t, err)
	_, err = w.reg.OpenSurvey(w.worker, w.c.ID, s.ID)
	require.NoError(t, err)
	_, err = w.reg.UpdateSurvey(w.worker, w.c.ID, s.ID, grids.SurveyUpdate{Title: ptr("x")})
	assert.ErrorIs(t, err, grids.FailedPrecondition, "an open survey's questions stay as answered")

	r, err := w.reg.AnswerSurvey(w.resident, w.c.ID, s.ID, answers)
	require.NoError(t, err)
	assert.Equal(t, []string{"chess_cards", "square_dance"}, r.Interests)
	assert.Equal(t, []string{"meal_delivery"}, r.Needs)

	profile, err := w.reg.HouseholdProfile(w.resident, w.c.ID, w.h.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{"chess_cards", "square_dance"}, profile.Interests, "answers reach the household's profile")
	assert.Equal(t, []string{"meal_delivery"}, profile.Needs)

	// Answering again replaces the answers, and the tags they gave.
	again, err := w.reg.AnswerSurvey(w.resident, w.c.ID, s.ID, grids.ResponseInput{HouseholdID: w.h.ID, Answers: []grids.Answer{
		{Question: "activities", Options: []string{"none"}}, {Question: "meals", Value: &two}}})
	require.NoError(t, err)
	assert.Equal(t, r.ID, again.ID, "one response per household")
	profile, err = w.reg.HouseholdProfile(w.worker, w.c.ID, w.h.ID)
	require.NoError(t, err)
	assert.Empty(t, profile.Interests, "no stale tags")

	_, err = w.reg.AnswerSurvey(w.resident, w.c.ID, s.ID, grids.ResponseInput{HouseholdID: w.h2.ID, Answers: answers.Answers})
	assert.ErrorIs(t, err, grids.Forbidden, "residents answer for their own household")
	_, err = w.reg.AnswerSurvey(w.worker, w.c.ID, s.ID, grids.ResponseInput{HouseholdID: w.h2.ID, Answers: answers.Answers})
	require.NoError(t, err, "workers enter answers from paper forms")

	bad := []struct {
		name    string
		answers []grids.Answer
	}{
		{"a required question unanswered", []grids.Answer{{Question: "meals", Value: &two}}},
		{"an unknown question", []grids.Answer{{Question: "activities", Options: []string{"dance"}}, {Question: "age", Text: "70"}}},
		{"an unknown option", []grids.Answer{{Question: "activities", Options: []string{"golf"}}}},
		{"a scale out of range", []grids.Answer{{Question: "activities", Options: []string{"dance"}}, {Question: "meals", Value: ptr(9)}}},
		{"a scale answered in words", []grids.Answer{{Question: "activities", Options: []string{"dance"}}, {Question: "meals", Text: "yes"}}},
		{"a question answered twice", []grids.Answer{{Question: "activities", Options: []string{"dance"}}, {Question: "activities", Options: []string{"chess"}}}},
	}
	for _, b := range bad {
		_, err := w.reg.AnswerSurvey(w.worker, w.c.ID, s.ID, grids.ResponseInput{HouseholdID: w.h2.ID, Answers: b.answers})
		assert.ErrorIs(t, err, grids.Invalid, b.name)
	}

	res, err := w.reg.SurveyResults(w.worker, w.c.ID, s.ID, "grid")
	require.NoError(t, err)
	assert.Equal(t, 2, res.Responses)
	require.Len(t, res.Questions, 3)
	act := res.Questions[0]
	assert.Equal(t, map[string]int{"dance": 1, "chess": 1, "none": 1}, act.Overall.Options)
	require.Len(t, act.Groups, 1, "both households live in grid 1-1")
	assert.Equal(t, w.g.ID, act.Groups[0].ID)
	assert.Equal(t, "1-1", act.Groups[0].Name)
	meals := res.Questions[1]
	assert.InDelta(t, 3.5, meals.Overall.Mean, 1e-9)
	assert.Equal(t, map[string]int{"2": 1, "5": 1}, meals.Overall.Values)
	assert.Equal(t, []string{"多组织体检"}, res.Questions[2].Texts, "workers read the free text")
	seen, err := w.reg.SurveyResults(w.resident, w.c.ID, s.ID, "district")
	require.NoError(t, err)
	assert.Empty(t, seen.Questions[2].Texts, "residents do not")
	assert.Equal(t, "第一片区", seen.Questions[0].Groups[0].Name)

	_, err = w.reg.CloseSurvey(w.worker, w.c.ID, s.ID)
	require.NoError(t, err)
	_, err = w.reg.AnswerSurvey(w.worker, w.c.ID, s.ID, answers)
	assert.ErrorIs(t, err, grids.FailedPrecondition, "a closed survey takes no answers")

	_, err = w.reg.CreateSurvey(w.worker, w.c.ID, grids.SurveyInput{Title: "坏问卷", Questions: []grids.Question{
		{Key: "q", Text: "?", Kind: grids.SingleChoice, Options: []grids.Option{{Key: "a", Text: "a"}}}}})
	assert.ErrorIs(t, err, grids.Invalid, "a choice needs two options")
}
