package governance_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/procedure"
	"github.com/linli-go/linli/grids"
)

// seatCouncil gives the council three more members, so four sit.
func seatCouncil(t *testing.T, w *world) {
	for _, r := range []grids.Resident{w.plainR, w.otherR, w.memberR} {
		_, err := w.svc.Appoint(w.worker, w.c.ID, governance.AppointInput{BodyID: w.council.ID, ResidentID: r.ID, Office: governance.Member, DecisionID: w.appoint.ID})
		require.NoError(t, err)
	}
	w.tick()
}

// act makes a move as ctx, which must be in order.
func act(t *testing.T, w *world, ctx context.Context, id string, e procedure.Event) governance.MeetingView {
	t.Helper()
	w.tick()
	v, err := w.svc.Act(ctx, w.c.ID, id, e)
	require.NoError(t, err, "%s", e.Type)
	return v
}

func TestScheduleRegularMeetings(t *testing.T) {
	w := newWorld(t)
	c := w.c.ID
	assert.Equal(t, 10, w.council.Meets.Day, "the council meets on the 10th")
	assert.True(t, w.council.SmallBoard)
	_, err := w.svc.SetHolidays(w.worker, c, 2026, []governance.Holiday{{Date: "2026-05-01", Name: "劳动节"}, {Date: "2026-06-10", Name: "假日"}})
	require.NoError(t, err)
	through := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	ms, err := w.svc.Schedule(w.worker, c, w.council.ID, through)
	require.NoError(t, err)
	var days []string
	for _, m := range ms {
		days = append(days, m.ScheduledAt.In(time.FixedZone("CST", 8*3600)).Format("01-02 15:04"))
	}
	// From 10 March 09:00 UTC: March's meeting is tonight; May's 10th is a
	// Sunday; June's is a holiday.
	assert.Equal(t, []string{"03-10 19:00", "04-10 19:00", "05-11 19:00", "06-11 19:00"}, days)
	assert.Equal(t, "邻里伙伴自治理事会 2026年3月例会", ms[0].Title)
	again, err := w.svc.Schedule(w.worker, c, w.council.ID, through)
	require.NoError(t, err)
	assert.Empty(t, again, "nothing is scheduled twice")

	_, err = w.svc.Schedule(w.plain, c, w.council.ID, through)
	assertForbidden(t, err, governance.ErrConvene)
	_, err = w.svc.Schedule(w.worker, c, w.silver.ID, through)
	assert.ErrorIs(t, err, grids.FailedPrecondition, "Silver has no meeting rule")
	_, err = w.svc.SetHolidays(w.plain, c, 2026, nil)
	assertForbidden(t, err, governance.ErrAdminist)
	_, err = w.svc.SetHolidays(w.worker, c, 2026, []governance.Holiday{{Date: "2027-01-01", Name: "元旦"}})
	assert.Equal(t, "holidays[0].date", fieldOf(err))
	_, err = w.svc.SetHolidays(w.worker, c, 2026, []governance.Holiday{{Date: "2026-02-30", Name: "x"}})
	assert.Equal(t, "holidays[0].date", fieldOf(err))
	_, err = w.svc.SetHolidays(w.worker, c, 2026, []governance.Holiday{{Date: "2026-10-09", Name: "调休上班", Workday: true}})
	assert.Equal(t, "holidays[0].workday", fieldOf(err), "a make-up working day falls on a weekend (9 October is a Friday)")
	hs, err := w.svc.Holidays(w.plain, c, 2026)
	require.NoError(t, err)
	assert.Len(t, hs, 2)

	// Saturday 10 October 2026 is an official make-up working day: the
	// council meets on it rather than on Monday the 12th.
	_, err = w.svc.SetHolidays(w.worker, c, 2026, []governance.Holiday{{Date: "2026-10-01", Name: "国庆节"}, {Date: "2026-10-10", Name: "国庆调休上班", Workday: true}})
	require.NoError(t, err)
	ms, err = w.svc.Schedule(w.worker, c, w.council.ID, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.NotEmpty(t, ms)
	last := ms[len(ms)-1].ScheduledAt.In(time.FixedZone("CST", 8*3600))
	assert.Equal(t, "10-10 Sat", last.Format("01-02 Mon"))
}

// TestCouncilMeetingThroughTheService runs two monthly meetings: items
// proposed in advance, a decision recorded from an adopted motion,
// unfinished business carried, minutes drafted, approved at the next
// meeting, corrected and published.
func TestCouncilMeetingThroughTheService(t *testing.T) {
	w := newWorld(t)
	c := w.c.ID
	seatCouncil(t, w)
	march := must(w.svc.ScheduleMeeting(w.worker, c, governance.MeetingInput{BodyID: w.council.ID, Kind: governance.RegularMeeting,
		Title: "3月例会", ScheduledAt: w.now().Add(time.Hour)}))(t)
	_, err := w.svc.ScheduleMeeting(w.leader, c, governance.MeetingInput{BodyID: w.council.ID, Kind: governance.RegularMeeting, Title: "x", ScheduledAt: w.now()})
	assertForbidden(t, err, governance.ErrConvene)

	// A resident proposes an item; the council accepts it.
	march = must(w.svc.ProposeItem(w.leader, c, march.ID, governance.ItemInput{Title: "停车问题"}))(t)
	assert.False(t, march.Agenda[0].Accepted, "a resident's item awaits the chair")
	march = must(w.svc.ProposeItem(w.chair, c, march.ID, governance.ItemInput{Title: "充电桩", Minutes: 20}))(t)
	assert.True(t, march.Agenda[1].Accepted)
	march = must(w.svc.UpdateMeeting(w.chair, c, march.ID, governance.MeetingUpdate{Agenda: &[]governance.AgendaItem{
		{ID: "k1", Accepted: true, Minutes: 30}, {ID: "k2", Accepted: true, Minutes: 20}}}))(t)
	_, err = w.svc.UpdateMeeting(w.chair, c, march.ID, governance.MeetingUpdate{Agenda: &[]governance.AgendaItem{{ID: "k9"}, {ID: "k1"}}})
	assert.Equal(t, "agenda[0].id", fieldOf(err))
	march = must(w.svc.GiveNotice(w.worker, c, march.ID, "3月10日19:00在社区议事厅召开例会"))(t)
	require.NotNil(t, march.NoticedAt)

	_, err = w.svc.Act(w.chair, c, march.ID, procedure.Event{Type: procedure.Arrive, Member: w.chairR.ID, Mode: procedure.InPerson})
	assert.ErrorIs(t, err, grids.FailedPrecondition, "not open yet")
	_, err = w.svc.OpenMeeting(w.leader, c, march.ID)
	assertForbidden(t, err, governance.ErrConvene)
	w.tick()
	v := must(w.svc.OpenMeeting(w.worker, c, march.ID))(t)
	assert.Equal(t, governance.MeetingInSession, v.Meeting.Status)
	assert.Equal(t, w.chairR.ID, v.State.Chair, "the council's chair chairs")
	assert.ElementsMatch(t, []string{w.chairR.ID, w.plainR.ID, w.otherR.ID, w.memberR.ID}, v.State.Roster)
	assert.Equal(t, []string{"k1", "k2"}, v.State.Agenda)
	assert.True(t, v.State.Settings.SmallBoard)

	for _, who := range []context.Context{w.chair, w.plain} {
		p, _ := grids.PrincipalFrom(who)
		act(t, w, who, march.ID, procedure.Event{Type: procedure.Arrive, Member: p.ResidentID, Mode: procedure.InPerson})
	}
	// A worker records a member without a phone as present.
	_, err = w.svc.Act(w.plain, c, march.ID, procedure.Event{Type: procedure.Arrive, Member: w.otherR.ID, Mode: procedure.Recorded})
	assert.ErrorIs(t, err, grids.Forbidden, "members do not record others")
	v = act(t, w, w.worker, march.ID, procedure.Event{Type: procedure.Arrive, Member: w.otherR.ID, Mode: procedure.Recorded})
	assert.Equal(t, procedure.Recorded, v.State.Present[w.otherR.ID])
	act(t, w, w.chair, march.ID, procedure.Event{Type: procedure.TakeUp, Item: "k1"})
	_, err = w.svc.Act(w.leader, c, march.ID, procedure.Event{Type: procedure.Move, Kind: procedure.Main, Text: "x"})
	assert.ErrorIs(t, err, grids.Forbidden, "the leader is not on the council")
	v = act(t, w, w.plain, march.ID, procedure.Event{Type: procedure.Move, Kind: procedure.Main, Text: "实行错时停车"})
	motion := v.State.Stack[0]
	act(t, w, w.chair, march.ID, procedure.Event{Type: procedure.CallVote, Method: procedure.RollCall})
	for _, who := range []context.Context{w.chair, w.plain, w.others} {
		p, _ := grids.PrincipalFrom(who)
		act(t, w, who, march.ID, procedure.Event{Type: procedure.Cast, Member: p.ResidentID, Choice: procedure.Yes})
	}
	v = act(t, w, w.chair, march.ID, procedure.Event{Type: procedure.CloseVote})
	decision := v.Meeting.Decisions[motion]
	require.NotEmpty(t, decision, "an adopted main motion is a decision of the council")
	d := must(w.svc.Decision(w.plain, c, decision))(t)
	assert.Equal(t, "实行错时停车", d.Title)
	assert.Equal(t, march.ID, d.MeetingID)
	assert.Equal(t, w.council.ID, d.BodyID)

	// Item two is left unfinished.
	act(t, w, w.chair, march.ID, procedure.Event{Type: procedure.TakeUp, Item: "k2"})
	// 周委员 has no device: the clerk enters the motion for them; no one else may.
	_, err = w.svc.Act(w.plain, c, march.ID, procedure.Event{Type: procedure.Move, Kind: procedure.Main, Text: "增设充电桩", For: w.otherR.ID})
	assertForbidden(t, err, governance.ErrClerk)
	v = act(t, w, w.worker, march.ID, procedure.Event{Type: procedure.Move, Kind: procedure.Main, Text: "增设充电桩", For: w.otherR.ID})
	charging := v.State.Motions[len(v.State.Motions)-1]
	assert.Equal(t, w.otherR.ID, charging.Mover, "the motion is the member's, entered by the clerk")
	act(t, w, w.plain, march.ID, procedure.Event{Type: procedure.Move, Kind: procedure.Adjourn})
	act(t, w, w.chair, march.ID, procedure.Event{Type: procedure.CallVote, Method: procedure.Voice})
	v = act(t, w, w.chair, march.ID, procedure.Event{Type: procedure.CloseVote, Outcome: "adopted"})
	assert.Equal(t, governance.MeetingAdjourned, v.Meeting.Status)
	assert.Equal(t, governance.MinutesDraft, v.Meeting.Minutes.Status)
	_, err = w.svc.Act(w.chair, c, march.ID, procedure.Event{Type: procedure.TakeUp, Item: "k1"})
	assert.ErrorIs(t, err, grids.FailedPrecondition)

	minutes := must(w.svc.Minutes(w.plain, c, march.ID))(t)
	assert.Contains(t, minutes.Markdown, "张主任", "people are named")
	assert.Contains(t, minutes.Markdown, "实行错时停车")
	assert.Contains(t, minutes.Markdown, "Minutes: draft.")
	assert.Len(t, minutes.Minutes.Carried, 1)
	assert.Equal(t, "张主任", minutes.Names[w.chairR.ID], "names for renderers")
	assert.Equal(t, "Asia/Shanghai", minutes.Zone, "the council's zone")
	assert.Equal(t, "Asia/Shanghai", minutes.Minutes.Started.Location().String())
	_, err = w.svc.Minutes(w.leader, c, march.ID)
	assertForbidden(t, err, governance.ErrMinutesDraft)

	// April: the unfinished motion comes with the meeting; March's minutes are approved.
	w.clock.Advance(30 * 24 * time.Hour)
	april := must(w.svc.ScheduleMeeting(w.worker, c, governance.MeetingInput{BodyID: w.council.ID, Kind: governance.RegularMeeting, Title: "4月例会", ScheduledAt: w.now()}))(t)
	_, err = w.svc.ApproveMinutes(w.chair, c, march.ID, april.ID)
	assert.Equal(t, "approved_in", fieldOf(err), "April has not been held")
	w.tick()
	v = must(w.svc.OpenMeeting(w.chair, c, april.ID))(t)
	require.Len(t, v.State.Motions, 1)
	carried := v.State.Motions[0]
	assert.Equal(t, "增设充电桩", carried.Text)
	assert.Equal(t, procedure.Unfinished, carried.Status)
	assert.Equal(t, march.ID+"/m2", carried.Ref)
	march = must(w.svc.ApproveMinutes(w.chair, c, march.ID, april.ID))(t)
	assert.Equal(t, governance.MinutesApproved, march.Minutes.Status)
	must(w.svc.Minutes(w.leader, c, march.ID))(t) // approved: every member of the community reads them
	_, err = w.svc.ApproveMinutes(w.chair, c, march.ID, april.ID)
	assert.ErrorIs(t, err, grids.FailedPrecondition, "approved once")
	march = must(w.svc.CorrectMinutes(w.chair, c, march.ID, "出席名单补记：周委员请假"))(t)
	march = must(w.svc.PublishMinutes(w.worker, c, march.ID))(t)
	assert.Equal(t, governance.MinutesPublished, march.Minutes.Status)
	march = must(w.svc.CorrectMinutes(w.worker, c, march.ID, "勘误：第2项时间为20:10"))(t)
	assert.Len(t, march.Minutes.Corrections, 2, "corrections are appended, never written over")
	minutes = must(w.svc.Minutes(w.plain, c, march.ID))(t)
	assert.Contains(t, minutes.Markdown, "勘误：第2项时间为20:10")
	assert.Contains(t, minutes.Markdown, "Minutes: published.")

	// The log replays into the live state.
	events := must(w.svc.MeetingEvents(w.plain, c, march.ID))(t)
	replayed, err := procedure.Replay(events)
	require.NoError(t, err)
	live := must(w.svc.MeetingState(w.plain, c, march.ID))(t)
	assert.Equal(t, live.State, replayed)
	assert.Equal(t, len(events), live.Meeting.Events)
}

// TestHearing: a committee's public hearing, with registrations, written
// opinions before and at it, and answers traced to what was decided.
func TestHearing(t *testing.T) {
	w := newWorld(t)
	c := w.c.ID
	for _, r := range []grids.Resident{w.plainR, w.memberR} {
		_, err := w.svc.Appoint(w.worker, c, governance.AppointInput{BodyID: w.silver.ID, ResidentID: r.ID, Office: governance.Member, DecisionID: w.appoint.ID})
		require.NoError(t, err)
	}
	h := must(w.svc.ScheduleMeeting(w.silverChair, c, governance.MeetingInput{BodyID: w.silver.ID, Kind: governance.Hearing, Title: "助餐点选址听证会", ScheduledAt: w.now().Add(48 * time.Hour)}))(t)
	_, err := w.svc.ScheduleMeeting(w.leader, c, governance.MeetingInput{BodyID: w.silver.ID, Kind: governance.Hearing, Title: "x", ScheduledAt: w.now()})
	assertForbidden(t, err, governance.ErrConvene)

	h = must(w.svc.Register(w.others, c, h.ID, true))(t)
	h = must(w.svc.Register(w.leader, c, h.ID, false))(t)
	assert.Len(t, h.Registrations, 2)
	_, err = w.svc.Register(w.worker, c, h.ID, true)
	assertForbidden(t, err, governance.ErrTakePart)
	before := must(w.svc.GiveOpinion(w.others, c, h.ID, governance.OpinionInput{Text: "助餐点应靠近3号楼，老人多"}))(t)
	assert.True(t, before.Online, "given online before the hearing")

	w.tick()
	v := must(w.svc.OpenMeeting(w.silverChair, c, h.ID))(t)
	assert.Equal(t, w.silverR.ID, v.State.Chair)
	act(t, w, w.others, h.ID, procedure.Event{Type: procedure.Arrive, Member: w.otherR.ID, Mode: procedure.Online})
	at := must(w.svc.GiveOpinion(w.leader, c, h.ID, governance.OpinionInput{Text: "希望提供送餐上门"}))(t)
	assert.False(t, at.Online)
	_, err = w.svc.Act(w.others, c, h.ID, procedure.Event{Type: procedure.Move, Kind: procedure.Main, Text: "x"})
	assert.ErrorIs(t, err, grids.Forbidden, "guests speak and give opinions; members move")

	d := must(w.svc.RecordDecision(w.silverChair, c, governance.DecisionInput{BodyID: w.silver.ID, Title: "助餐点设在3号楼底层", MeetingID: h.ID}))(t)
	_, err = w.svc.AnswerOpinion(w.plain, c, before.ID, governance.AnswerInput{Answer: "x"})
	assertForbidden(t, err, governance.ErrConvene)
	_, err = w.svc.AnswerOpinion(w.silverChair, c, before.ID, governance.AnswerInput{Answer: "x", Link: &governance.Link{Kind: "task", ID: d.ID}})
	assert.Equal(t, "link.kind", fieldOf(err))
	answered := must(w.svc.AnswerOpinion(w.silverChair, c, before.ID, governance.AnswerInput{Answer: "采纳：设在3号楼底层", Link: &governance.Link{Kind: "decision", ID: d.ID}}))(t)
	assert.Equal(t, d.ID, answered.Link.ID, "from a resident's comment to what was decided")
	_, err = w.svc.AnswerOpinion(w.silverChair, c, before.ID, governance.AnswerInput{Answer: "again"})
	assert.ErrorIs(t, err, grids.FailedPrecondition)
	open := must2(w.svc.FindOpinions(w.plain, governance.OpinionFilter{CommunityID: c, MeetingID: h.ID, Unanswered: true}))(t)
	require.Len(t, open, 1)
	assert.Equal(t, at.ID, open[0].ID)

	_, err = w.svc.GiveOpinion(w.others, c, h.ID, governance.OpinionInput{Text: ""})
	assert.Equal(t, "text", fieldOf(err))
	council := must(w.svc.ScheduleMeeting(w.worker, c, governance.MeetingInput{BodyID: w.council.ID, Kind: governance.RegularMeeting, Title: "例会", ScheduledAt: w.now()}))(t)
	_, err = w.svc.GiveOpinion(w.others, c, council.ID, governance.OpinionInput{Text: "x"})
	assert.ErrorIs(t, err, grids.FailedPrecondition, "opinions are for public meetings")
	_, err = w.svc.Register(w.others, c, council.ID, false)
	assert.ErrorIs(t, err, grids.FailedPrecondition)
	cancelled := must(w.svc.CancelMeeting(w.worker, c, council.ID, grids.ArchiveInput{Reason: "改期"}))(t)
	assert.Equal(t, governance.MeetingCancelled, cancelled.Status)
	_, err = w.svc.OpenMeeting(w.worker, c, council.ID)
	assert.ErrorIs(t, err, grids.FailedPrecondition)
}

// TestMeetingOfficersAreResidents: a meeting's chair and secretary are
// checked like every other reference: an active resident of the
// community, not any string, nor another community's resident.
func TestMeetingOfficersAreResidents(t *testing.T) {
	w := newWorld(t)
	c := w.c.ID
	seatCouncil(t, w)
	other := newWorld(t)
	in := func(chair, secretary string) governance.MeetingInput {
		return governance.MeetingInput{BodyID: w.council.ID, Kind: governance.RegularMeeting, Title: "例会",
			ScheduledAt: w.now().Add(time.Hour), ChairID: chair, Secretary: secretary}
	}
	for _, tc := range []struct {
		chair, secretary, field string
	}{
		{"张主任", "", "chair_id"},
		{other.chairR.ID, "", "chair_id"},
		{w.chairR.ID, "not-an-id", "secretary_id"},
		{"", other.plainR.ID, "secretary_id"},
	} {
		_, err := w.svc.ScheduleMeeting(w.worker, c, in(tc.chair, tc.secretary))
		assert.ErrorIs(t, err, grids.Invalid, "%+v", tc)
		assert.Equal(t, tc.field, fieldOf(err), "%+v", tc)
	}
	m := must(w.svc.ScheduleMeeting(w.worker, c, in(w.chairR.ID, w.plainR.ID)))(t)
	assert.Equal(t, w.chairR.ID, m.ChairID)
	assert.Equal(t, w.plainR.ID, m.Secretary)

	stranger := other.chairR.ID
	_, err := w.svc.UpdateMeeting(w.worker, c, m.ID, governance.MeetingUpdate{ChairID: &stranger})
	assert.Equal(t, "chair_id", fieldOf(err))
	unchanged := must(w.svc.Meeting(w.worker, c, m.ID))(t)
	assert.Equal(t, w.chairR.ID, unchanged.ChairID, "nothing stored is lost")
	none := ""
	m = must(w.svc.UpdateMeeting(w.worker, c, m.ID, governance.MeetingUpdate{ChairID: &none}))(t)
	assert.Empty(t, m.ChairID, "cleared: the body's chair takes the meeting")
}

// TestStaleMove: a move that names the event it was made after is refused
// when another came first, and applied when none did; a move that names
// none is applied as before.
func TestStaleMove(t *testing.T) {
	w := newWorld(t)
	c := w.c.ID
	seatCouncil(t, w)
	m := must(w.svc.ScheduleMeeting(w.worker, c, governance.MeetingInput{BodyID: w.council.ID, Kind: governance.RegularMeeting,
		Title: "例会", ScheduledAt: w.now().Add(time.Hour)}))(t)
	w.tick()
	v := must(w.svc.OpenMeeting(w.worker, c, m.ID))(t)
	seen := v.State.Seq
	v = act(t, w, w.chair, m.ID, procedure.Event{Type: procedure.Arrive, Member: w.chairR.ID, Mode: procedure.InPerson, Seq: seen + 1})
	assert.Equal(t, seen+1, v.State.Seq)

	// plain saw the meeting at seen, before the chair arrived.
	_, err := w.svc.Act(w.plain, c, m.ID, procedure.Event{Type: procedure.Arrive, Member: w.plainR.ID, Mode: procedure.InPerson, Seq: seen + 1})
	assert.ErrorIs(t, err, governance.ErrStaleMove)
	assert.ErrorIs(t, err, grids.Conflict)
	again := must(w.svc.Meeting(w.plain, c, m.ID))(t)
	assert.Equal(t, seen+1, again.Events, "the stale move was not recorded")
	v = act(t, w, w.plain, m.ID, procedure.Event{Type: procedure.Arrive, Member: w.plainR.ID, Mode: procedure.InPerson, Seq: seen + 2})
	assert.Equal(t, seen+2, v.State.Seq)
	v = act(t, w, w.worker, m.ID, procedure.Event{Type: procedure.Arrive, Member: w.otherR.ID, Mode: procedure.Recorded})
	assert.Equal(t, seen+3, v.State.Seq, "a move without seq is made against the meeting as it stands")
}
