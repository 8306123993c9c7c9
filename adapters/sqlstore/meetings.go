package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/procedure"
	"github.com/linli-go/linli/internal/errs"
)

// ---- meetings ----

const meetingCols = "x.id, x.community_id, x.body_id, x.kind, x.title, x.place, x.scheduled_at, x.status, x.notice, x.noticed_at, x.chair_id, x.secretary_id, x.agenda, x.registrations, x.proxies, x.invitees, x.recommendations, x.topics, x.decisions, x.events, x.minutes, x.settings, x.created_by, x.created_at, x.updated_at"

func scanMeeting(r scanner) (governance.Meeting, error) {
	var m governance.Meeting
	var agenda, registrations, proxies, invitees, recommendations, topics, decisions, minutes, settings string
	err := r.Scan(&m.ID, &m.CommunityID, &m.BodyID, &m.Kind, &m.Title, &m.Place, scanTime{&m.ScheduledAt}, &m.Status, &m.Notice, scanNullTime{&m.NoticedAt},
		&m.ChairID, &m.Secretary, &agenda, &registrations, &proxies, &invitees, &recommendations, &topics, &decisions, &m.Events, &minutes, &settings, &m.CreatedBy, scanTime{&m.CreatedAt}, scanTime{&m.UpdatedAt})
	if err != nil {
		return m, err
	}
	m.Agenda, m.Registrations, m.Proxies = []governance.AgendaItem{}, []governance.Registration{}, []governance.Proxy{}
	m.Invitees, m.Recommendations, m.Topics = []governance.Invitee{}, []governance.Recommendation{}, []governance.Topic{}
	if settings != "" {
		m.Settings = &procedure.Settings{}
	}
	for _, f := range []struct {
		s string
		v any
	}{{agenda, &m.Agenda}, {registrations, &m.Registrations}, {proxies, &m.Proxies}, {invitees, &m.Invitees}, {recommendations, &m.Recommendations}, {topics, &m.Topics}, {decisions, &m.Decisions}, {minutes, &m.Minutes}, {settings, m.Settings}} {
		if err := fromJSON(f.s, f.v); err != nil {
			return m, err
		}
	}
	return m, nil
}

func meetingArgs(m governance.Meeting) []any {
	decisions, settings := "", ""
	if m.Decisions != nil {
		decisions = jsonText(m.Decisions)
	}
	if m.Settings != nil {
		settings = jsonText(m.Settings)
	}
	return []any{m.BodyID, m.Kind, m.Title, m.Place, ts(m.ScheduledAt), m.Status, m.Notice, nullTS(m.NoticedAt), m.ChairID, m.Secretary,
		jsonText(m.Agenda), jsonText(m.Registrations), jsonText(m.Proxies), jsonText(m.Invitees), jsonText(m.Recommendations), jsonText(m.Topics), decisions, m.Events, jsonText(m.Minutes), settings, m.CreatedBy, ts(m.CreatedAt), ts(m.UpdatedAt)}
}

func (t *governanceTx) Meeting(ctx context.Context, community, id string) (governance.Meeting, error) {
	return get(ctx, &t.tx, "meetings", "meeting", meetingCols, community, id, scanMeeting)
}

func (t *governanceTx) FindMeetings(ctx context.Context, f governance.MeetingFilter) ([]governance.Meeting, int, error) {
	w := (&query{}).add("x.community_id = ?", f.CommunityID)
	w.equals("x.body_id", f.BodyID, "x.kind", string(f.Kind), "x.status", string(f.Status))
	if f.From != nil {
		w.add(" AND x.scheduled_at >= ?", ts(*f.From))
	}
	if f.To != nil {
		w.add(" AND x.scheduled_at < ?", ts(*f.To))
	}
	return findOrdered(ctx, &t.tx, "meetings x", w, f.Page, meetingCols, "x.scheduled_at, x.id", scanMeeting)
}

func (t *governanceTx) CreateMeeting(ctx context.Context, m governance.Meeting) error {
	t.wrote(m.CommunityID)
	return t.insert(ctx, "meetings", "id, community_id, body_id, kind, title, place, scheduled_at, status, notice, noticed_at, chair_id, secretary_id, agenda, registrations, proxies, invitees, recommendations, topics, decisions, events, minutes, settings, created_by, created_at, updated_at", 1,
		func(int) []any { return append([]any{m.ID, m.CommunityID}, meetingArgs(m)...) })
}

func (t *governanceTx) UpdateMeeting(ctx context.Context, m governance.Meeting) error {
	t.wrote(m.CommunityID)
	return t.update(ctx, "meetings", "meeting", "body_id = ?, kind = ?, title = ?, place = ?, scheduled_at = ?, status = ?, notice = ?, noticed_at = ?, chair_id = ?, secretary_id = ?, agenda = ?, registrations = ?, proxies = ?, invitees = ?, recommendations = ?, topics = ?, decisions = ?, events = ?, minutes = ?, settings = ?, created_by = ?, created_at = ?, updated_at = ?",
		m.CommunityID, m.ID, meetingArgs(m)...)
}

func (t *governanceTx) MeetingEvents(ctx context.Context, community, meeting string) ([]procedure.Event, error) {
	if _, err := t.Meeting(ctx, community, meeting); err != nil {
		return nil, err
	}
	q := (&query{}).add("SELECT event FROM meeting_events WHERE community_id = ? AND meeting_id = ? ORDER BY seq", community, meeting)
	rows, err := t.query(ctx, q)
	return collect(rows, err, func(r *sql.Rows) (procedure.Event, error) {
		var text string
		var e procedure.Event
		if err := r.Scan(&text); err != nil {
			return e, err
		}
		return e, fromJSON(text, &e)
	})
}

func (t *governanceTx) AppendEvent(ctx context.Context, community, meeting string, e procedure.Event) error {
	t.wrote(community)
	err := t.insert(ctx, "meeting_events", "community_id, meeting_id, seq, at, type, event", 1, func(int) []any {
		return []any{community, meeting, e.Seq, ts(e.At), e.Type, jsonText(e)}
	})
	if errs.CodeOf(err) == errs.Conflict {
		return errs.E(errs.Conflict, "event %d of meeting %s is taken: the log is append-only", e.Seq, meeting)
	}
	if err == nil && e.Seq > 1 {
		// The log has no gaps: seq n follows n-1.
		n, cerr := t.count(ctx, (&query{}).add("SELECT COUNT(*) FROM meeting_events WHERE community_id = ? AND meeting_id = ?", community, meeting))
		if cerr != nil {
			return cerr
		}
		if n != e.Seq {
			return errs.E(errs.Conflict, "event %d of meeting %s: the log holds %d events", e.Seq, meeting, n-1)
		}
	}
	return err
}

// ---- opinions ----

const opinionCols = "x.id, x.community_id, x.meeting_id, x.resident_id, x.text, x.online, x.answer, x.answered_by, x.answered_at, x.link, x.entered_by, x.form_ref, x.created_at"

func scanOpinion(r scanner) (governance.Opinion, error) {
	var o governance.Opinion
	var link string
	err := r.Scan(&o.ID, &o.CommunityID, &o.MeetingID, &o.ResidentID, &o.Text, &o.Online, &o.Answer, &o.AnsweredBy, scanNullTime{&o.AnsweredAt}, &link, &o.EnteredBy, &o.FormRef, scanTime{&o.CreatedAt})
	if err != nil || link == "" {
		return o, err
	}
	o.Link = &governance.Link{}
	return o, fromJSON(link, o.Link)
}

func opinionArgs(o governance.Opinion) []any {
	link := ""
	if o.Link != nil {
		link = jsonText(o.Link)
	}
	return []any{o.MeetingID, o.ResidentID, o.Text, o.Online, o.Answer, o.AnsweredBy, nullTS(o.AnsweredAt), link, o.EnteredBy, o.FormRef, ts(o.CreatedAt)}
}

func (t *governanceTx) Opinion(ctx context.Context, community, id string) (governance.Opinion, error) {
	return get(ctx, &t.tx, "opinions", "opinion", opinionCols, community, id, scanOpinion)
}

func (t *governanceTx) FindOpinions(ctx context.Context, f governance.OpinionFilter) ([]governance.Opinion, int, error) {
	w := (&query{}).add("x.community_id = ?", f.CommunityID)
	w.equals("x.meeting_id", f.MeetingID, "x.resident_id", f.ResidentID)
	if f.Unanswered {
		w.add(" AND x.answer = ''")
	}
	return find(ctx, &t.tx, "opinions x", w, f.Page, opinionCols, scanOpinion)
}

func (t *governanceTx) CreateOpinion(ctx context.Context, o governance.Opinion) error {
	t.wrote(o.CommunityID)
	return t.insert(ctx, "opinions", "id, community_id, meeting_id, resident_id, text, online, answer, answered_by, answered_at, link, entered_by, form_ref, created_at", 1,
		func(int) []any { return append([]any{o.ID, o.CommunityID}, opinionArgs(o)...) })
}

func (t *governanceTx) UpdateOpinion(ctx context.Context, o governance.Opinion) error {
	t.wrote(o.CommunityID)
	return t.update(ctx, "opinions", "opinion", "meeting_id = ?, resident_id = ?, text = ?, online = ?, answer = ?, answered_by = ?, answered_at = ?, link = ?, entered_by = ?, form_ref = ?, created_at = ?",
		o.CommunityID, o.ID, opinionArgs(o)...)
}

// ---- holidays ----

func (t *governanceTx) Holidays(ctx context.Context, community, from, to string) ([]governance.Holiday, error) {
	q := (&query{}).add("SELECT date, name, workday FROM holidays WHERE community_id = ? AND date >= ? AND date <= ? ORDER BY date", community, from, to)
	rows, err := t.query(ctx, q)
	return collect(rows, err, func(r *sql.Rows) (governance.Holiday, error) {
		var h governance.Holiday
		return h, r.Scan(&h.Date, &h.Name, &h.Workday)
	})
}

func (t *governanceTx) SetHolidays(ctx context.Context, community string, year int, hs []governance.Holiday) error {
	t.wrote(community)
	from, to := fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year)
	for _, h := range hs {
		if h.Date < from || h.Date > to {
			return errs.Field("date", "%s is not in %d", h.Date, year)
		}
	}
	if _, err := t.exec(ctx, (&query{}).add("DELETE FROM holidays WHERE community_id = ? AND date >= ? AND date <= ?", community, from, to)); err != nil {
		return err
	}
	return t.insert(ctx, "holidays", "community_id, date, name, workday", len(hs), func(i int) []any { return []any{community, hs[i].Date, hs[i].Name, hs[i].Workday} })
}

// ---- briefings ----

const briefingCols = "x.id, x.community_id, x.body_id, x.held_at, x.place, x.stairwells, x.attendees, x.needs, x.candidates, x.recorded_by, x.created_at"

func scanBriefing(r scanner) (governance.Briefing, error) {
	var b governance.Briefing
	var stairwells, attendees, needs, candidates string
	err := r.Scan(&b.ID, &b.CommunityID, &b.BodyID, scanTime{&b.HeldAt}, &b.Place, &stairwells, &attendees, &needs, &candidates, &b.RecordedBy, scanTime{&b.CreatedAt})
	if err != nil {
		return b, err
	}
	for _, f := range []struct {
		s string
		v any
	}{{stairwells, &b.Stairwells}, {attendees, &b.Attendees}, {needs, &b.Needs}, {candidates, &b.Candidates}} {
		if err := fromJSON(f.s, f.v); err != nil {
			return b, err
		}
	}
	return b, nil
}

func (t *governanceTx) Briefing(ctx context.Context, community, id string) (governance.Briefing, error) {
	return get(ctx, &t.tx, "briefings", "briefing", briefingCols, community, id, scanBriefing)
}

func (t *governanceTx) FindBriefings(ctx context.Context, f governance.BriefingFilter) ([]governance.Briefing, int, error) {
	w := (&query{}).add("x.community_id = ?", f.CommunityID)
	if f.From != nil {
		w.add(" AND x.held_at >= ?", ts(*f.From))
	}
	if f.To != nil {
		w.add(" AND x.held_at < ?", ts(*f.To))
	}
	return findOrdered(ctx, &t.tx, "briefings x", w, f.Page, briefingCols, "x.held_at, x.id", scanBriefing)
}

func (t *governanceTx) CreateBriefing(ctx context.Context, b governance.Briefing) error {
	t.wrote(b.CommunityID)
	return t.insert(ctx, "briefings", "id, community_id, body_id, held_at, place, stairwells, attendees, needs, candidates, recorded_by, created_at", 1,
		func(int) []any {
			return []any{b.ID, b.CommunityID, b.BodyID, ts(b.HeldAt), b.Place, jsonText(b.Stairwells), jsonText(b.Attendees), jsonText(b.Needs),
				jsonText(b.Candidates), b.RecordedBy, ts(b.CreatedAt)}
		})
}

// ---- invitations ----

const invitationCols = "x.id, x.community_id, x.group_id, x.resident_id, x.tags, x.metres, x.state, x.invited_by, x.answered_by, x.position_id, x.created_at, x.answered_at"

func scanInvitation(r scanner) (governance.Invitation, error) {
	var i governance.Invitation
	var tags string
	err := r.Scan(&i.ID, &i.CommunityID, &i.GroupID, &i.ResidentID, &tags, &i.Metres, &i.State, &i.InvitedBy, &i.AnsweredBy, &i.PositionID,
		scanTime{&i.CreatedAt}, scanNullTime{&i.AnsweredAt})
	if err != nil {
		return i, err
	}
	return i, fromJSON(tags, &i.Tags)
}

func (t *governanceTx) Invitation(ctx context.Context, community, id string) (governance.Invitation, error) {
	return get(ctx, &t.tx, "invitations", "invitation", invitationCols, community, id, scanInvitation)
}

func (t *governanceTx) FindInvitations(ctx context.Context, f governance.InvitationFilter) ([]governance.Invitation, int, error) {
	w := (&query{}).add("x.community_id = ?", f.CommunityID)
	w.equals("x.group_id", f.GroupID, "x.resident_id", f.ResidentID, "x.state", string(f.State))
	return find(ctx, &t.tx, "invitations x", w, f.Page, invitationCols, scanInvitation)
}

func (t *governanceTx) CreateInvitation(ctx context.Context, i governance.Invitation) error {
	t.wrote(i.CommunityID)
	return t.insert(ctx, "invitations", "id, community_id, group_id, resident_id, tags, metres, state, invited_by, answered_by, position_id, created_at, answered_at", 1,
		func(int) []any {
			return []any{i.ID, i.CommunityID, i.GroupID, i.ResidentID, jsonText(i.Tags), i.Metres, i.State, i.InvitedBy, i.AnsweredBy, i.PositionID,
				ts(i.CreatedAt), nullTS(i.AnsweredAt)}
		})
}

func (t *governanceTx) UpdateInvitation(ctx context.Context, i governance.Invitation) error {
	t.wrote(i.CommunityID)
	return t.update(ctx, "invitations", "invitation", "group_id = ?, resident_id = ?, tags = ?, metres = ?, state = ?, invited_by = ?, answered_by = ?, position_id = ?, created_at = ?, answered_at = ?",
		i.CommunityID, i.ID, i.GroupID, i.ResidentID, jsonText(i.Tags), i.Metres, i.State, i.InvitedBy, i.AnsweredBy, i.PositionID, ts(i.CreatedAt), nullTS(i.AnsweredAt))
}
