package governancetest

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/procedure"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
)

// as is a context acting as the i-th resident.
func (f *fixture) as(i int) context.Context {
	r := f.residents[i]
	return grids.WithPrincipal(f.ctx, grids.Principal{ID: "p-" + r.ID, CommunityID: f.community.ID, Name: r.Name, Roles: []grids.Role{grids.RoleResident}, ResidentID: r.ID})
}

// chairSilver appoints the i-th resident chair of the silver committee.
func (f *fixture) chairSilver(worker context.Context, i int) {
	f.t.Helper()
	d, err := f.svc.RecordDecision(worker, f.community.ID, governance.DecisionInput{Title: "任命银发委员会主任"})
	require.NoError(f.t, err)
	_, err = f.svc.Appoint(worker, f.community.ID, governance.AppointInput{BodyID: f.silver.ID, ResidentID: f.residents[i].ID, Office: governance.Chair, DecisionID: d.ID})
	require.NoError(f.t, err)
}

// testInvitees: the joint council meeting invites a committee chair and a
// residents' representative before it opens; they are on its roster
// without a vote, and the stores keep them.
func testInvitees(t *testing.T, f *fixture) {
	c := f.community.ID
	worker := f.seatCouncil(3)
	m, err := f.svc.ScheduleMeeting(worker, c, governance.MeetingInput{BodyID: f.council.ID, Kind: governance.RegularMeeting, Title: "同心10号联席议事会", ScheduledAt: f.now()})
	require.NoError(t, err)
	_, err = f.svc.Invite(worker, c, m.ID, governance.InviteInput{ResidentID: f.residents[4].ID, As: governance.InvitedChair})
	assert.ErrorIs(t, err, governance.ErrInvite, "chairs no committee yet")
	f.chairSilver(worker, 4)
	_, err = f.svc.Invite(worker, c, m.ID, governance.InviteInput{ResidentID: f.residents[4].ID, As: governance.InvitedChair})
	require.NoError(t, err)
	_, err = f.svc.Invite(worker, c, m.ID, governance.InviteInput{ResidentID: f.residents[5].ID, As: governance.InvitedRepresentative})
	require.NoError(t, err)
	for _, tc := range []struct {
		in   governance.InviteInput
		why  string
		want error
	}{
		{governance.InviteInput{ResidentID: f.residents[1].ID, As: governance.InvitedRepresentative}, "a councillor votes", governance.ErrInvite},
		{governance.InviteInput{ResidentID: f.residents[5].ID, As: governance.InvitedRepresentative}, "once", governance.ErrInvite},
		{governance.InviteInput{ResidentID: f.residents[3].ID, As: "guest"}, "a kind of invitation", grids.Invalid},
		{governance.InviteInput{ResidentID: f.residents[3].ID, As: governance.InvitedRepresentative}, "", nil},
	} {
		if tc.want == nil {
			continue
		}
		_, err = f.svc.Invite(worker, c, m.ID, tc.in)
		assert.ErrorIs(t, err, tc.want, tc.why)
	}
	_, err = f.svc.Invite(f.as(5), c, m.ID, governance.InviteInput{ResidentID: f.residents[3].ID, As: governance.InvitedRepresentative})
	assert.ErrorIs(t, err, governance.ErrConvene, "who convenes it invites")

	got := mustGet(f, func(tx governance.Tx) (governance.Meeting, error) { return tx.Meeting(f.ctx, c, m.ID) })
	require.Len(t, got.Invitees, 2)
	assert.Equal(t, f.silver.ID, got.Invitees[0].BodyID, "the committee its chair chairs")
	assert.Equal(t, governance.InvitedRepresentative, got.Invitees[1].As)

	v, err := f.svc.OpenMeeting(worker, c, m.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{f.residents[4].ID, f.residents[5].ID}, v.State.Invited)
	assert.Len(t, v.State.Roster, 3, "invitees do not vote")
	_, err = f.svc.Invite(worker, c, m.ID, governance.InviteInput{ResidentID: f.residents[3].ID, As: governance.InvitedRepresentative})
	assert.ErrorIs(t, err, governance.ErrInvite, "before it opens")

	h, err := f.svc.ScheduleMeeting(worker, c, governance.MeetingInput{BodyID: f.silver.ID, Kind: governance.Hearing, Title: "听证会", ScheduledAt: f.now()})
	require.NoError(t, err)
	_, err = f.svc.Invite(worker, c, h.ID, governance.InviteInput{ResidentID: f.residents[3].ID, As: governance.InvitedRepresentative})
	assert.ErrorIs(t, err, governance.ErrInvite, "the council's meetings invite")
}

// testConsultation: a consultation gathers opinions, takes no vote and
// records no decision, and closes only once it has recommended something
// to a named committee; the stores keep the recommendations and the
// minutes list them.
func testConsultation(t *testing.T, f *fixture) {
	c := f.community.ID
	worker := f.seatCouncil(2)
	f.chairSilver(worker, 4)
	m, err := f.svc.ScheduleMeeting(worker, c, governance.MeetingInput{BodyID: f.silver.ID, Kind: governance.Consultation, Title: "居家养老恳谈会", ScheduledAt: f.now()})
	require.NoError(t, err)
	o, err := f.svc.GiveOpinion(f.as(5), c, m.ID, governance.OpinionInput{Text: "希望每周有人上门看望独居老人"})
	require.NoError(t, err)
	v, err := f.svc.OpenMeeting(f.as(4), c, m.ID)
	require.NoError(t, err)
	assert.True(t, v.State.Settings.NoVotes)
	chair := f.as(4)
	_, err = f.svc.Act(chair, c, m.ID, procedure.Event{Type: procedure.Arrive, Member: f.residents[4].ID, Mode: procedure.InPerson})
	require.NoError(t, err)
	_, err = f.svc.Act(chair, c, m.ID, procedure.Event{Type: procedure.Move, Kind: procedure.Main, Text: "设立探访队"})
	assert.ErrorIs(t, err, grids.FailedPrecondition, "no motion, no vote")
	_, err = f.svc.RecordDecision(worker, c, governance.DecisionInput{BodyID: f.silver.ID, Title: "设立探访队", MeetingID: m.ID})
	assert.ErrorIs(t, err, governance.ErrRecommend, "a consultation decides nothing")
	_, err = f.svc.Act(chair, c, m.ID, procedure.Event{Type: procedure.Close})
	assert.ErrorIs(t, err, governance.ErrRecommend, "it ends in recommendations")

	_, err = f.svc.Recommend(chair, c, m.ID, governance.RecommendationInput{BodyID: f.council.ID, Text: "x"})
	assert.ErrorIs(t, err, grids.Invalid, "to a functional committee")
	_, err = f.svc.Recommend(chair, c, m.ID, governance.RecommendationInput{BodyID: f.silver.ID, Text: "x", Opinions: []string{m.ID}})
	assert.ErrorIs(t, err, grids.Invalid, "the opinions are the consultation's")
	_, err = f.svc.Recommend(f.as(5), c, m.ID, governance.RecommendationInput{BodyID: f.silver.ID, Text: "x"})
	assert.ErrorIs(t, err, governance.ErrConvene)
	_, err = f.svc.Recommend(chair, c, m.ID, governance.RecommendationInput{BodyID: f.silver.ID, Text: "组建独居老人探访志愿队，每周上门一次", Opinions: []string{o.ID}})
	require.NoError(t, err)
	v, err = f.svc.Act(chair, c, m.ID, procedure.Event{Type: procedure.Close})
	require.NoError(t, err)
	assert.Equal(t, governance.MeetingAdjourned, v.Meeting.Status)
	assert.Empty(t, v.Meeting.Decisions)

	got := mustGet(f, func(tx governance.Tx) (governance.Meeting, error) { return tx.Meeting(f.ctx, c, m.ID) })
	require.Len(t, got.Recommendations, 1)
	assert.Equal(t, []string{o.ID}, got.Recommendations[0].Opinions)
	assert.Equal(t, f.silver.ID, got.Recommendations[0].BodyID)
	mv, err := f.svc.Minutes(worker, c, m.ID)
	require.NoError(t, err)
	assert.Contains(t, mv.Markdown, "## Recommendations")
	assert.Contains(t, mv.Markdown, "To "+f.silver.Name+": 组建独居老人探访志愿队")

	h, err := f.svc.ScheduleMeeting(worker, c, governance.MeetingInput{BodyID: f.silver.ID, Kind: governance.Hearing, Title: "听证会", ScheduledAt: f.now()})
	require.NoError(t, err)
	_, err = f.svc.OpenMeeting(worker, c, h.ID)
	require.NoError(t, err)
	_, err = f.svc.Recommend(worker, c, h.ID, governance.RecommendationInput{BodyID: f.silver.ID, Text: "x"})
	assert.ErrorIs(t, err, governance.ErrMeetingKind)
	_, err = f.svc.Act(worker, c, h.ID, procedure.Event{Type: procedure.Close, For: f.residents[4].ID})
	assert.ErrorIs(t, err, grids.FailedPrecondition, "a hearing votes, and adjourns by motion")
}

// testOpenSpace: participants present propose topics and join one
// breakout group at a time; each group that formed reports its owner and
// next steps before the meeting closes; the stores keep the topics and
// the minutes list them.
func testOpenSpace(t *testing.T, f *fixture) {
	c := f.community.ID
	worker := f.seatCouncil(2)
	f.chairSilver(worker, 4)
	m, err := f.svc.ScheduleMeeting(worker, c, governance.MeetingInput{BodyID: f.silver.ID, Kind: governance.OpenSpace, Title: "楼道文化开放空间", ScheduledAt: f.now()})
	require.NoError(t, err)
	_, err = f.svc.ProposeTopic(f.as(5), c, m.ID, governance.TopicInput{Title: "楼道绿化"})
	assert.ErrorIs(t, err, governance.ErrMeetingState, "in session")
	_, err = f.svc.OpenMeeting(worker, c, m.ID)
	require.NoError(t, err)
	for _, i := range []int{5, 3} {
		_, err = f.svc.Act(f.as(i), c, m.ID, procedure.Event{Type: procedure.Arrive, Member: f.residents[i].ID, Mode: procedure.InPerson})
		require.NoError(t, err)
	}
	_, err = f.svc.ProposeTopic(f.as(2), c, m.ID, governance.TopicInput{Title: "楼道绿化"})
	assert.ErrorIs(t, err, governance.ErrOpenSpace, "participants present propose")
	_, err = f.svc.ProposeTopic(f.as(5), c, m.ID, governance.TopicInput{Title: "楼道绿化"})
	require.NoError(t, err)
	_, err = f.svc.ProposeTopic(f.as(3), c, m.ID, governance.TopicInput{Title: "楼道绿化"})
	assert.ErrorIs(t, err, grids.Invalid, "proposed already: join it")
	got, err := f.svc.ProposeTopic(worker, c, m.ID, governance.TopicInput{Title: "电动车停放", ResidentID: f.residents[3].ID})
	require.NoError(t, err)
	require.Len(t, got.Topics, 2)
	assert.Equal(t, []string{f.residents[3].ID}, got.Topics[1].Members, "a worker enters it for a resident present")
	got, err = f.svc.JoinTopic(f.as(3), c, m.ID, "t1", governance.BreakoutInput{})
	require.NoError(t, err)
	assert.Equal(t, []string{f.residents[5].ID, f.residents[3].ID}, got.Topics[0].Members)
	assert.Empty(t, got.Topics[1].Members, "one group at a time")
	_, err = f.svc.JoinTopic(f.as(3), c, m.ID, "t9", governance.BreakoutInput{})
	assert.ErrorIs(t, err, grids.NotFound)

	_, err = f.svc.Act(worker, c, m.ID, procedure.Event{Type: procedure.Close, For: f.residents[4].ID})
	assert.ErrorIs(t, err, governance.ErrOpenSpace, "the group on t1 has not reported")
	report := governance.TopicReport{Report: "各楼道认领花箱", OwnerID: f.residents[3].ID, NextSteps: []string{"4月前认领花箱", "每月评比一次"}}
	_, err = f.svc.ReportTopic(f.as(2), c, m.ID, "t1", report)
	assert.ErrorIs(t, err, governance.ErrOpenSpace, "a member of the group reports")
	bad := report
	bad.OwnerID = f.residents[2].ID
	_, err = f.svc.ReportTopic(f.as(5), c, m.ID, "t1", bad)
	require.ErrorIs(t, err, grids.Invalid)
	assert.Equal(t, "owner_id", errs.FieldsOf(err)[0].Field, "the owner is one of the group")
	_, err = f.svc.ReportTopic(f.as(5), c, m.ID, "t1", governance.TopicReport{Report: "x", OwnerID: f.residents[3].ID})
	assert.ErrorIs(t, err, grids.Invalid, "next steps are required")
	_, err = f.svc.ReportTopic(f.as(5), c, m.ID, "t1", report)
	require.NoError(t, err)
	_, err = f.svc.JoinTopic(f.as(5), c, m.ID, "t1", governance.BreakoutInput{})
	assert.ErrorIs(t, err, governance.ErrOpenSpace, "a group that reported takes no one more")
	_, err = f.svc.Act(worker, c, m.ID, procedure.Event{Type: procedure.Move, Kind: procedure.Adjourn, For: f.residents[4].ID})
	assert.ErrorIs(t, err, grids.FailedPrecondition, "no motion, not even to adjourn")
	v, err := f.svc.Act(worker, c, m.ID, procedure.Event{Type: procedure.Close, For: f.residents[4].ID})
	require.NoError(t, err)
	assert.Equal(t, governance.MeetingAdjourned, v.Meeting.Status)

	stored := mustGet(f, func(tx governance.Tx) (governance.Meeting, error) { return tx.Meeting(f.ctx, c, m.ID) })
	require.Len(t, stored.Topics, 2)
	assert.Equal(t, f.residents[3].ID, stored.Topics[0].OwnerID)
	assert.Equal(t, report.NextSteps, stored.Topics[0].NextSteps)
	require.NotNil(t, stored.Topics[0].ReportedAt)
	mv, err := f.svc.Minutes(worker, c, m.ID)
	require.NoError(t, err)
	assert.Contains(t, mv.Markdown, "**楼道绿化**, proposed by "+f.residents[5].Name+"; 2 in its group; owner "+f.residents[3].Name)
	assert.Contains(t, mv.Markdown, "Next: 每月评比一次")
	assert.Contains(t, mv.Markdown, "**电动车停放**, proposed by "+f.residents[3].Name+": not taken up")
}
