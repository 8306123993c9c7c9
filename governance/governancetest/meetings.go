package governancetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/procedure"
	"github.com/linli-go/linli/grids"
)

func (f *fixture) meeting(kind governance.MeetingKind, at time.Time) governance.Meeting {
	now := f.now()
	return governance.Meeting{ID: f.seq.New(), CommunityID: f.community.ID, BodyID: f.council.ID, Kind: kind, Title: "例会", Place: "议事厅",
		ScheduledAt: at, Status: governance.MeetingScheduled, Agenda: []governance.AgendaItem{}, Registrations: []governance.Registration{},
		CreatedBy: "w", CreatedAt: now, UpdatedAt: now}
}

func testMeetings(t *testing.T, f *fixture) {
	c := f.community.ID
	t0 := f.now()
	m := f.meeting(governance.RegularMeeting, t0.Add(48*time.Hour))
	m.Notice, m.NoticedAt, m.ChairID, m.Secretary = "通知", &t0, f.residents[0].ID, "w"
	m.Agenda = []governance.AgendaItem{{ID: "k1", Title: "停车", Detail: "错时", Minutes: 30, ProposedBy: f.residents[1].ID, Accepted: true}}
	m.Registrations = []governance.Registration{{ResidentID: f.residents[2].ID, Speaker: true, At: t0}}
	m.Decisions = map[string]string{"m1": f.seq.New()}
	m.Settings = &procedure.Settings{SmallBoard: true, Quorum: 5}
	m.Minutes = governance.MinutesRecord{Status: governance.MinutesDraft, Corrections: []governance.Correction{{At: t0, By: "w", Text: "补记"}}}
	early := f.meeting(governance.Hearing, t0.Add(24*time.Hour))
	f.must(func(tx governance.Tx) error {
		return errors.Join(tx.CreateMeeting(f.ctx, m), tx.CreateMeeting(f.ctx, early))
	})
	assert.Equal(t, m, mustGet(f, func(tx governance.Tx) (governance.Meeting, error) { return tx.Meeting(f.ctx, c, m.ID) }))

	m.Status, m.Events = governance.MeetingInSession, 3
	f.must(func(tx governance.Tx) error { return tx.UpdateMeeting(f.ctx, m) })
	assert.Equal(t, m, mustGet(f, func(tx governance.Tx) (governance.Meeting, error) { return tx.Meeting(f.ctx, c, m.ID) }))
	assert.ErrorIs(t, f.g.Update(f.ctx, func(tx governance.Tx) error { return tx.CreateMeeting(f.ctx, m) }), grids.Conflict)
	bad := m
	bad.ID, bad.BodyID = f.seq.New(), f.seq.New()
	assert.ErrorIs(t, f.g.Update(f.ctx, func(tx governance.Tx) error { return tx.CreateMeeting(f.ctx, bad) }), grids.Invalid)

	find := func(filter governance.MeetingFilter) []string {
		filter.CommunityID = c
		out, _ := ids2(f, func(tx governance.Tx) ([]governance.Meeting, int, error) { return tx.FindMeetings(f.ctx, filter) },
			func(m governance.Meeting) string { return m.ID })
		return out
	}
	assert.Equal(t, []string{early.ID, m.ID}, find(governance.MeetingFilter{}), "by scheduled time")
	assert.Equal(t, []string{early.ID}, find(governance.MeetingFilter{Kind: governance.Hearing}))
	assert.Equal(t, []string{m.ID}, find(governance.MeetingFilter{Status: governance.MeetingInSession}))
	cut := t0.Add(36 * time.Hour)
	assert.Equal(t, []string{m.ID}, find(governance.MeetingFilter{From: &cut}))
	assert.Equal(t, []string{early.ID}, find(governance.MeetingFilter{To: &cut}))
	assert.Equal(t, []string{m.ID}, find(governance.MeetingFilter{Page: grids.Page{Offset: 1}}))

	// The log: append-only, in order, every field kept.
	until := t0.Add(72 * time.Hour)
	log := []procedure.Event{
		{Seq: 1, At: t0, Type: procedure.Open, By: "a", Chair: "a", Secretary: "w", Roster: []string{"a", "b"}, Agenda: []string{"k1"},
			Settings: &procedure.Settings{SmallBoard: true}, Carried: []procedure.Carried{{Ref: "x/m1", Text: "旧", Status: procedure.Referred, Committee: "c"}}},
		{Seq: 2, At: t0.Add(time.Minute), Type: procedure.Move, By: "b", Kind: procedure.Postpone, Until: &until, Text: "推迟"},
		{Seq: 3, At: t0.Add(2 * time.Minute), Type: procedure.Tally, By: "w", Yes: 3, No: 1, Abstain: 2, Sustained: true},
	}
	for _, e := range log {
		f.must(func(tx governance.Tx) error { return tx.AppendEvent(f.ctx, c, m.ID, e) })
	}
	got := mustGet(f, func(tx governance.Tx) ([]procedure.Event, error) { return tx.MeetingEvents(f.ctx, c, m.ID) })
	assert.Equal(t, log, got)
	again := log[1]
	assert.ErrorIs(t, f.g.Update(f.ctx, func(tx governance.Tx) error { return tx.AppendEvent(f.ctx, c, m.ID, again) }), grids.Conflict, "a seq is taken once")
	empty := mustGet(f, func(tx governance.Tx) ([]procedure.Event, error) { return tx.MeetingEvents(f.ctx, c, early.ID) })
	assert.Empty(t, empty)
	_, err := get(f, func(tx governance.Tx) ([]procedure.Event, error) { return tx.MeetingEvents(f.ctx, c, f.seq.New()) })
	assert.ErrorIs(t, err, grids.NotFound)
	other := newFixture(f.t, f.g, f.r).community.ID
	_, err = get(f, func(tx governance.Tx) ([]procedure.Event, error) { return tx.MeetingEvents(f.ctx, other, m.ID) })
	assert.ErrorIs(t, err, grids.NotFound, "another community's meeting")
	_, err = get(f, func(tx governance.Tx) (governance.Meeting, error) { return tx.Meeting(f.ctx, other, m.ID) })
	assert.ErrorIs(t, err, grids.NotFound)

	// Opinions.
	at := f.now()
	o := governance.Opinion{ID: f.seq.New(), CommunityID: c, MeetingID: early.ID, ResidentID: f.residents[3].ID, Text: "意见", Online: true, CreatedAt: at}
	f.must(func(tx governance.Tx) error { return tx.CreateOpinion(f.ctx, o) })
	assert.Equal(t, o, mustGet(f, func(tx governance.Tx) (governance.Opinion, error) { return tx.Opinion(f.ctx, c, o.ID) }))
	unanswered, _ := ids2(f, func(tx governance.Tx) ([]governance.Opinion, int, error) {
		return tx.FindOpinions(f.ctx, governance.OpinionFilter{CommunityID: c, MeetingID: early.ID, Unanswered: true})
	}, func(o governance.Opinion) string { return o.ID })
	assert.Equal(t, []string{o.ID}, unanswered)
	o.Answer, o.AnsweredBy, o.AnsweredAt, o.Link = "采纳", "w", &at, &governance.Link{Kind: "decision", ID: f.seq.New()}
	f.must(func(tx governance.Tx) error { return tx.UpdateOpinion(f.ctx, o) })
	assert.Equal(t, o, mustGet(f, func(tx governance.Tx) (governance.Opinion, error) { return tx.Opinion(f.ctx, c, o.ID) }))
	unanswered, _ = ids2(f, func(tx governance.Tx) ([]governance.Opinion, int, error) {
		return tx.FindOpinions(f.ctx, governance.OpinionFilter{CommunityID: c, Unanswered: true})
	}, func(o governance.Opinion) string { return o.ID })
	assert.Empty(t, unanswered)
	mine, _ := ids2(f, func(tx governance.Tx) ([]governance.Opinion, int, error) {
		return tx.FindOpinions(f.ctx, governance.OpinionFilter{CommunityID: c, ResidentID: f.residents[3].ID})
	}, func(o governance.Opinion) string { return o.ID })
	assert.Equal(t, []string{o.ID}, mine)
	orphan := o
	orphan.ID, orphan.MeetingID = f.seq.New(), f.seq.New()
	assert.ErrorIs(t, f.g.Update(f.ctx, func(tx governance.Tx) error { return tx.CreateOpinion(f.ctx, orphan) }), grids.Invalid)
}

func testHolidays(t *testing.T, f *fixture) {
	c := f.community.ID
	set := func(year int, hs ...governance.Holiday) {
		f.t.Helper()
		f.must(func(tx governance.Tx) error { return tx.SetHolidays(f.ctx, c, year, hs) })
	}
	list := func(from, to string) []governance.Holiday {
		return mustGet(f, func(tx governance.Tx) ([]governance.Holiday, error) { return tx.Holidays(f.ctx, c, from, to) })
	}
	set(2026, governance.Holiday{Date: "2026-10-01", Name: "国庆节"}, governance.Holiday{Date: "2026-01-01", Name: "元旦"})
	set(2027, governance.Holiday{Date: "2027-01-01", Name: "元旦"})
	assert.Equal(t, []governance.Holiday{{Date: "2026-01-01", Name: "元旦"}, {Date: "2026-10-01", Name: "国庆节"}, {Date: "2027-01-01", Name: "元旦"}},
		list("2026-01-01", "2027-12-31"), "in date order")
	set(2026, governance.Holiday{Date: "2026-05-01", Name: "劳动节"}, governance.Holiday{Date: "2026-05-09", Name: "劳动节调休上班", Workday: true})
	assert.Equal(t, []governance.Holiday{{Date: "2026-05-01", Name: "劳动节"}, {Date: "2026-05-09", Name: "劳动节调休上班", Workday: true}}, list("2026-01-01", "2026-12-31"),
		"a year is replaced whole; a make-up working day stays one")
	assert.Len(t, list("2027-01-01", "2027-01-01"), 1, "other years stay")
	set(2026)
	assert.Empty(t, list("2026-01-01", "2026-12-31"))
	other := newFixture(f.t, f.g, f.r).community.ID
	assert.Empty(t, mustGet(f, func(tx governance.Tx) ([]governance.Holiday, error) {
		return tx.Holidays(f.ctx, other, "2000-01-01", "2100-01-01")
	}))
}

// testRacingMoves makes moves in one meeting from many goroutines at
// once: every one lands, in one unbroken log that replays.
func testRacingMoves(t *testing.T, f *fixture) {
	c := f.community.ID
	worker := f.seatCouncil(len(f.residents))
	m, err := f.svc.ScheduleMeeting(worker, c, governance.MeetingInput{BodyID: f.council.ID, Kind: governance.RegularMeeting, Title: "例会", ScheduledAt: f.now()})
	require.NoError(t, err)
	_, err = f.svc.OpenMeeting(worker, c, m.ID)
	require.NoError(t, err)
	var wg sync.WaitGroup
	errs := make(chan error, len(f.residents))
	for _, r := range f.residents {
		me := grids.WithPrincipal(f.ctx, grids.Principal{ID: "p-" + r.ID, CommunityID: c, Name: r.Name, Roles: []grids.Role{grids.RoleResident}, ResidentID: r.ID})
		wg.Go(func() {
			_, err := f.svc.Act(me, c, m.ID, procedure.Event{Type: procedure.Arrive, Member: r.ID, Mode: procedure.Online})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	v, err := f.svc.MeetingState(worker, c, m.ID)
	require.NoError(t, err)
	assert.Len(t, v.State.Present, len(f.residents))
	assert.Equal(t, 1+len(f.residents), v.State.Seq)
	assert.Equal(t, v.State.Seq, v.Meeting.Events)
}

// seatCouncil appoints the first n residents to the council by a
// decision, the first as its chair, and returns a worker's context.
func (f *fixture) seatCouncil(n int) context.Context {
	f.t.Helper()
	c := f.community.ID
	worker := grids.WithPrincipal(f.ctx, grids.Principal{ID: "w", CommunityID: c, Name: "w", Roles: []grids.Role{grids.RoleWorker}})
	d, err := f.svc.RecordDecision(worker, c, governance.DecisionInput{Title: "任命"})
	require.NoError(f.t, err)
	for i, r := range f.residents[:n] {
		office := governance.Member
		if i == 0 {
			office = governance.Chair
		}
		_, err := f.svc.Appoint(worker, c, governance.AppointInput{BodyID: f.council.ID, ResidentID: r.ID, Office: office, DecisionID: d.ID})
		require.NoError(f.t, err)
	}
	return worker
}
