package governance

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/linli-go/linli/governance/procedure"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/ids"
	"github.com/linli-go/linli/internal/validate"
)

// who is the actor's identity in a meeting's log: their resident record,
// or, for a worker without one, their principal.
func (a actor) who() string {
	if a.ResidentID != "" {
		return a.ResidentID
	}
	return a.ID
}

// convenes reports whether the actor convenes and runs the meetings of a
// body: workers, the council (for any body), the body's own chair.
func (a actor) convenes(body string) bool { return a.chairs(body) }

// MeetingView is a meeting with the state its log has made.
type MeetingView struct {
	Meeting Meeting         `json:"meeting"`
	State   procedure.State `json:"state"`
}

// ScheduleMeeting schedules a meeting of a body, or one it hosts: the
// council and workers for any body, a chair for their own.
func (s *Service) ScheduleMeeting(ctx context.Context, communityID string, in MeetingInput) (Meeting, error) {
	if err := s.officers(ctx, communityID, &in.ChairID, &in.Secretary); err != nil {
		return Meeting{}, err
	}
	now := s.clock()
	m := Meeting{ID: s.newID(), CommunityID: communityID, BodyID: in.BodyID, Kind: in.Kind, Title: in.Title, Place: in.Place,
		ScheduledAt: normal(in.ScheduledAt), Status: MeetingScheduled, ChairID: in.ChairID, Secretary: in.Secretary,
		Agenda: []AgendaItem{}, Registrations: []Registration{}, Proxies: []Proxy{}, Invitees: []Invitee{}, Recommendations: []Recommendation{}, Topics: []Topic{}, CreatedAt: now, UpdatedAt: now}
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		m.CreatedBy = a.ID
		if err := m.Validate(); err != nil {
			return err
		}
		b, err := activeBody(ctx, tx, communityID, m.BodyID, "body_id")
		if err != nil {
			return err
		}
		if !a.convenes(b.ID) {
			return forbidden(ErrConvene)
		}
		if (m.Kind == RegularMeeting || m.Kind == SpecialMeeting || m.Kind == Assembly) && b.Kind != Council && b.Kind != Committee {
			return errs.Field("kind", "%s meetings are the council's and committees'", m.Kind)
		}
		return tx.CreateMeeting(ctx, m)
	})
	return m, err
}

// Schedule makes the body's regular meetings by its rule (Body.Meets) up
// to through, moving them off weekends and the community's holidays; it
// makes only those missing, so running it again adds nothing.
func (s *Service) Schedule(ctx context.Context, communityID, bodyID string, through time.Time) ([]Meeting, error) {
	var out []Meeting
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		out = out[:0]
		b, err := activeBody(ctx, tx, communityID, bodyID, "body_id")
		if err != nil {
			return err
		}
		if !a.convenes(b.ID) {
			return forbidden(ErrConvene)
		}
		if b.Meets == nil {
			return ErrNoSchedule.Refuse("%q has no rule for regular meetings: set one (meets) first", b.Name)
		}
		now := s.clock()
		hs, err := tx.Holidays(ctx, communityID, now.AddDate(0, -1, 0).Format(time.DateOnly), through.AddDate(0, 2, 0).Format(time.DateOnly))
		if err != nil {
			return err
		}
		times, err := Occurrences(*b.Meets, hs, now, through)
		if err != nil {
			return err
		}
		have, _, err := tx.FindMeetings(ctx, MeetingFilter{CommunityID: communityID, BodyID: b.ID, Kind: RegularMeeting, From: ptrTime(now.AddDate(0, -1, 0))})
		if err != nil {
			return err
		}
		loc, _ := time.LoadLocation(b.Meets.Zone)
		month := func(t time.Time) string { return t.In(loc).Format("2006-01") }
		for _, at := range times {
			if slices.ContainsFunc(have, func(m Meeting) bool { return month(m.ScheduledAt) == month(at) && m.Status != MeetingCancelled }) {
				continue
			}
			local := at.In(loc)
			name := b.ChineseName
			if name == "" {
				name = b.Name
			}
			m := Meeting{ID: s.newID(), CommunityID: communityID, BodyID: b.ID, Kind: RegularMeeting,
				Title: fmt.Sprintf("%s %d年%d月例会", name, local.Year(), local.Month()), Place: b.Meets.Place, ScheduledAt: at,
				Status: MeetingScheduled, Agenda: []AgendaItem{}, Registrations: []Registration{}, Proxies: []Proxy{}, Invitees: []Invitee{}, Recommendations: []Recommendation{}, Topics: []Topic{}, CreatedBy: a.ID, CreatedAt: now, UpdatedAt: now}
			if err := tx.CreateMeeting(ctx, m); err != nil {
				return err
			}
			out = append(out, m)
		}
		return nil
	})
	if out == nil {
		out = []Meeting{}
	}
	return out, err
}

func ptrTime(t time.Time) *time.Time { return &t }

// convening loads a meeting for one who convenes it.
func (s *Service) convening(ctx context.Context, tx Tx, a actor, id string) (Meeting, error) {
	m, err := tx.Meeting(ctx, a.community, id)
	if err != nil {
		return m, err
	}
	if !a.convenes(m.BodyID) {
		return m, forbidden(ErrConvene)
	}
	return m, nil
}

// changeMeeting runs change on a meeting for one who convenes it, and
// stores the result.
func (s *Service) changeMeeting(ctx context.Context, communityID, id string, change func(tx Tx, a actor, m *Meeting) error) (Meeting, error) {
	var out Meeting
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		m, err := s.convening(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := grids.Precondition(ctx, m); err != nil {
			return err
		}
		if err := change(tx, a, &m); err != nil {
			return err
		}
		m.UpdatedAt = s.clock()
		out = m
		return tx.UpdateMeeting(ctx, m)
	})
	return out, err
}

// publicMeeting loads a public meeting a resident takes part in: not yet
// adjourned or cancelled. The resident is the acting one, or, for a
// worker entering a paper form, the one named (onBehalf).
func publicMeeting(ctx context.Context, tx Tx, a actor, id, what string, onBehalf bool) (Meeting, error) {
	if onBehalf && !a.administers() || !onBehalf && a.ResidentID == "" {
		return Meeting{}, forbidden(ErrTakePart)
	}
	m, err := tx.Meeting(ctx, a.community, id)
	if err != nil {
		return m, err
	}
	if !m.Kind.public() {
		return m, ErrMeetingKind.Refuse("%s are for hearings, consultations and open-space meetings; this is a %s meeting", what, m.Kind)
	}
	if m.Status == MeetingAdjourned || m.Status == MeetingCancelled {
		return m, ErrMeetingState.Refuse("the meeting is %s", m.Status)
	}
	return m, nil
}

// officers checks a meeting's chair and secretary, where given: active
// residents of the community, like every other reference. (Left empty, the
// body's own chair and secretary take the meeting, or the worker who opens
// it.)
func (s *Service) officers(ctx context.Context, communityID string, chair, secretary *string) error {
	for _, o := range []struct {
		id    *string
		field string
	}{{chair, "chair_id"}, {secretary, "secretary_id"}} {
		if o.id == nil || *o.id == "" {
			continue
		}
		if !ids.Valid(*o.id) {
			return errs.Field(o.field, "is a resident's ID")
		}
		if err := s.resident(ctx, communityID, *o.id, o.field); err != nil {
			return err
		}
	}
	return nil
}

// UpdateMeeting changes a meeting that has not opened: its title, place,
// time, chair, secretary, and the order, time and acceptance of its
// agenda items.
func (s *Service) UpdateMeeting(ctx context.Context, communityID, id string, u MeetingUpdate) (Meeting, error) {
	if err := s.officers(ctx, communityID, u.ChairID, u.Secretary); err != nil {
		return Meeting{}, err
	}
	return s.changeMeeting(ctx, communityID, id, func(_ Tx, _ actor, m *Meeting) error {
		if m.Status != MeetingScheduled {
			return ErrMeetingState.Refuse("the meeting is %s: only a scheduled meeting is changed", m.Status)
		}
		for _, f := range []struct {
			to   *string
			from *string
		}{{&m.Title, u.Title}, {&m.Place, u.Place}, {&m.ChairID, u.ChairID}, {&m.Secretary, u.Secretary}} {
			if f.from != nil {
				*f.to = *f.from
			}
		}
		if u.ScheduledAt != nil {
			m.ScheduledAt = normal(*u.ScheduledAt)
		}
		if u.Agenda != nil {
			// The agenda is reordered, timed and accepted; items are neither
			// invented nor dropped here.
			if len(*u.Agenda) != len(m.Agenda) {
				return errs.Field("agenda", "list every proposed item (%d), in the new order", len(m.Agenda))
			}
			next := make([]AgendaItem, 0, len(m.Agenda))
			for i, it := range *u.Agenda {
				j := slices.IndexFunc(m.Agenda, func(x AgendaItem) bool { return x.ID == it.ID })
				if j < 0 || slices.ContainsFunc(next, func(x AgendaItem) bool { return x.ID == it.ID }) {
					return errs.Field(fmt.Sprintf("agenda[%d].id", i), "names no proposed item, or one twice")
				}
				item := m.Agenda[j]
				item.Minutes, item.Accepted = it.Minutes, it.Accepted
				next = append(next, item)
			}
			m.Agenda = next
		}
		return m.Validate()
	})
}

// GiveNotice records the notice of a meeting, sent to members and, for a
// public meeting, to residents.
func (s *Service) GiveNotice(ctx context.Context, communityID, id, notice string) (Meeting, error) {
	if !validate.Multiline(notice) || strings.TrimSpace(notice) == "" || len(notice) > 5000 {
		return Meeting{}, errs.Field("notice", "is required: up to 5000 characters of text")
	}
	return s.changeMeeting(ctx, communityID, id, func(_ Tx, _ actor, m *Meeting) error {
		if m.Status != MeetingScheduled {
			return ErrMeetingState.Refuse("the meeting is %s", m.Status)
		}
		now := s.clock()
		m.Notice, m.NoticedAt = notice, &now
		return nil
	})
}

// ProposeItem proposes an agenda item in advance: any member of the
// community may; an item from one who convenes the meeting is accepted
// at once, others await the chair.
func (s *Service) ProposeItem(ctx context.Context, communityID, id string, in ItemInput) (Meeting, error) {
	var out Meeting
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		m, err := tx.Meeting(ctx, communityID, id)
		if err != nil {
			return err
		}
		if m.Status != MeetingScheduled {
			return ErrMeetingState.Refuse("the meeting is %s: items are proposed before it opens", m.Status)
		}
		item := AgendaItem{ID: "k" + strconv.Itoa(len(m.Agenda)+1), Title: in.Title, Detail: in.Detail, Minutes: in.Minutes,
			ProposedBy: a.who(), IssueID: in.IssueID, Accepted: a.convenes(m.BodyID)}
		if err := validate.Struct(item); err != nil {
			return err
		}
		if item.IssueID != "" {
			if _, err := tx.Issue(ctx, communityID, item.IssueID); err != nil {
				return errs.Field("issue_id", "no issue %s in this community", item.IssueID)
			}
		}
		m.Agenda = append(m.Agenda, item)
		m.UpdatedAt = s.clock()
		if err := m.Validate(); err != nil {
			return err
		}
		out = m
		return tx.UpdateMeeting(ctx, m)
	})
	return out, err
}

// CancelMeeting cancels a meeting that has not opened.
func (s *Service) CancelMeeting(ctx context.Context, communityID, id string, in grids.ArchiveInput) (Meeting, error) {
	if err := validate.Struct(in); err != nil {
		return Meeting{}, err
	}
	return s.changeMeeting(ctx, communityID, id, func(_ Tx, _ actor, m *Meeting) error {
		if m.Status != MeetingScheduled {
			return ErrMeetingState.Refuse("the meeting is %s: only a scheduled meeting is cancelled", m.Status)
		}
		m.Status, m.Notice = MeetingCancelled, strings.TrimSpace(m.Notice+"\n取消："+in.Reason)
		return nil
	})
}

// Register signs the acting resident up to attend, or to speak at, a
// public meeting (hearing, consultation, open space).
func (s *Service) Register(ctx context.Context, communityID, id string, speaker bool) (Meeting, error) {
	return s.RegisterResident(ctx, communityID, id, RegistrationInput{Speaker: speaker})
}

// RegisterResident signs a resident up for a public meeting: the acting
// resident, or, where in.ResidentID names one, a resident without a
// device whom a worker registers from a paper form, recorded as entered
// by the worker.
func (s *Service) RegisterResident(ctx context.Context, communityID, id string, in RegistrationInput) (Meeting, error) {
	if err := validate.Struct(in); err != nil {
		return Meeting{}, err
	}
	if in.ResidentID != "" {
		if err := s.resident(ctx, communityID, in.ResidentID, "resident_id"); err != nil {
			return Meeting{}, err
		}
	}
	var out Meeting
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		m, err := publicMeeting(ctx, tx, a, id, "registrations", in.ResidentID != "")
		if err != nil {
			return err
		}
		reg := Registration{ResidentID: a.ResidentID, Speaker: in.Speaker, At: s.clock()}
		if in.ResidentID != "" {
			reg.ResidentID, reg.EnteredBy, reg.FormRef = in.ResidentID, a.who(), in.FormRef
		}
		i := slices.IndexFunc(m.Registrations, func(r Registration) bool { return r.ResidentID == reg.ResidentID })
		if i >= 0 {
			m.Registrations[i].Speaker = m.Registrations[i].Speaker || in.Speaker
		} else {
			m.Registrations = append(m.Registrations, reg)
		}
		m.UpdatedAt = s.clock()
		if err := m.Validate(); err != nil {
			return err
		}
		out = m
		return tx.UpdateMeeting(ctx, m)
	})
	return out, err
}

// RecordProxy records a written proxy before a meeting (who convenes it):
// a member who will be absent authorises another member to vote for them.
// Only where the body's bylaws allow proxies; each member gives at most
// one and holds at most one.
func (s *Service) RecordProxy(ctx context.Context, communityID, id string, in ProxyInput) (Meeting, error) {
	if err := validate.Struct(in); err != nil {
		return Meeting{}, err
	}
	if in.MemberID == in.HolderID {
		return Meeting{}, errs.Field("holder_id", "is another member than the one giving the proxy")
	}
	return s.changeMeeting(ctx, communityID, id, func(tx Tx, a actor, m *Meeting) error {
		if m.Status != MeetingScheduled {
			return ErrProxy.Refuse("the meeting is %s: a proxy is recorded before it opens", m.Status)
		}
		b, err := tx.Body(ctx, communityID, m.BodyID)
		if err != nil {
			return err
		}
		if !b.Proxies {
			return ErrProxy.Refuse("the bylaws of %q do not allow proxy voting", b.Name)
		}
		now := s.clock()
		held, _, err := tx.FindPositions(ctx, PositionFilter{CommunityID: communityID, BodyID: b.ID, ActiveAt: &now})
		if err != nil {
			return err
		}
		for _, who := range []struct{ id, field string }{{in.MemberID, "member_id"}, {in.HolderID, "holder_id"}} {
			if !slices.ContainsFunc(held, func(p Position) bool { return p.HolderKind == "resident" && p.HolderID == who.id }) {
				return errs.Field(who.field, "%s is not a member of %q", who.id, b.Name)
			}
		}
		for _, p := range m.Proxies {
			switch {
			case p.MemberID == in.MemberID:
				return ErrProxy.Refuse("%s gave a proxy already (to %s, form %s)", in.MemberID, p.HolderID, p.FormRef)
			case p.HolderID == in.HolderID:
				return ErrProxy.Refuse("%s holds a proxy already (for %s)", in.HolderID, p.MemberID)
			}
		}
		m.Proxies = append(m.Proxies, Proxy{MemberID: in.MemberID, HolderID: in.HolderID, FormRef: in.FormRef, RecordedBy: a.who(), At: now})
		return m.Validate()
	})
}

// Meeting returns a meeting.
func (s *Service) Meeting(ctx context.Context, communityID, id string) (Meeting, error) {
	return read(ctx, s, communityID, func(tx Tx) (Meeting, error) { return tx.Meeting(ctx, communityID, id) })
}

// FindMeetings lists meetings, by scheduled time.
func (s *Service) FindMeetings(ctx context.Context, f MeetingFilter) ([]Meeting, int, error) {
	return list(ctx, s, f.CommunityID, &f.Page, func(tx Tx) ([]Meeting, int, error) { return tx.FindMeetings(ctx, f) })
}

// MeetingState replays a meeting's log into its state.
func (s *Service) MeetingState(ctx context.Context, communityID, id string) (MeetingView, error) {
	var out MeetingView
	err := s.view(ctx, communityID, func(tx Tx, _ actor) error {
		m, st, _, err := s.replay(ctx, tx, communityID, id)
		out = MeetingView{Meeting: m, State: st}
		return err
	})
	return out, err
}

// MeetingEvents returns a meeting's log.
func (s *Service) MeetingEvents(ctx context.Context, communityID, id string) ([]procedure.Event, error) {
	return read(ctx, s, communityID, func(tx Tx) ([]procedure.Event, error) { return tx.MeetingEvents(ctx, communityID, id) })
}

func (s *Service) replay(ctx context.Context, tx Tx, community, id string) (Meeting, procedure.State, []procedure.Event, error) {
	m, err := tx.Meeting(ctx, community, id)
	if err != nil {
		return m, procedure.State{}, nil, err
	}
	log, err := tx.MeetingEvents(ctx, community, id)
	if err != nil {
		return m, procedure.State{}, nil, err
	}
	st, err := procedure.Replay(log)
	if err != nil {
		return m, st, log, errs.Internalf("meeting %s: its log does not replay: %w", id, err)
	}
	return m, st, log, nil
}

// OpenMeeting calls a meeting to order: the roster is the body's members
// now, the chair and secretary the meeting's (or the body's chair and the
// council's secretary), the rules the body's bylaws, and the business
// carried from its last meeting — postponed, unfinished, tabled the first
// time, referred — comes with it. The chair, or a worker for them, opens
// it.
func (s *Service) OpenMeeting(ctx context.Context, communityID, id string) (MeetingView, error) {
	var out MeetingView
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		m, err := s.convening(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if m.Status != MeetingScheduled {
			return ErrMeetingState.Refuse("the meeting is %s: only a scheduled meeting opens", m.Status)
		}
		b, err := tx.Body(ctx, communityID, m.BodyID)
		if err != nil {
			return err
		}
		now := s.clock()
		held, _, err := tx.FindPositions(ctx, PositionFilter{CommunityID: communityID, BodyID: b.ID, ActiveAt: &now})
		if err != nil {
			return err
		}
		var roster []string
		chair, secretary := m.ChairID, m.Secretary
		for _, p := range held {
			if p.HolderKind != "resident" {
				continue
			}
			roster = append(roster, p.HolderID)
			if chair == "" && (p.Office == Chair || p.Office == Leader) {
				chair = p.HolderID
			}
			if secretary == "" && p.Office == Secretary {
				secretary = p.HolderID
			}
		}
		if len(roster) == 0 {
			return ErrNoMembers.Refuse("%q has no members: appoint them before it meets", b.Name)
		}
		if chair == "" {
			chair = a.who() // a worker chairs a body that has no chair
		}
		if secretary == "" && a.ResidentID == "" {
			secretary = a.who()
		}
		if a.who() != chair && !a.administers() {
			return forbidden(ErrConvene)
		}
		var agenda []string
		for _, it := range m.Agenda {
			if it.Accepted {
				agenda = append(agenda, it.ID)
			}
		}
		carried, err := s.carried(ctx, tx, m)
		if err != nil {
			return err
		}
		settings := procedure.Settings{SmallBoard: b.SmallBoard, Quorum: min(b.Quorum, len(roster)), NoVotes: m.Kind.deliberates()}
		var invited []string
		for _, i := range m.Invitees {
			if !slices.Contains(roster, i.ResidentID) { // appointed to the body since
				invited = append(invited, i.ResidentID)
			}
		}
		if b.Proxies {
			// The written proxies recorded before the meeting, between
			// members on the roster as it opens.
			for _, p := range m.Proxies {
				if slices.Contains(roster, p.MemberID) && slices.Contains(roster, p.HolderID) {
					if settings.Proxies == nil {
						settings.Proxies = map[string]string{}
					}
					settings.Proxies[p.MemberID] = p.HolderID
				}
			}
		}
		e := procedure.Event{Seq: 1, At: now, Type: procedure.Open, By: chair, Chair: chair, Secretary: secretary, Roster: roster, Invited: invited,
			Agenda: agenda, Settings: &settings, Carried: carried}
		st, err := procedure.New().Apply(e)
		if err != nil {
			return err
		}
		if err := tx.AppendEvent(ctx, communityID, m.ID, e); err != nil {
			return err
		}
		m.Status, m.ChairID, m.Secretary, m.Events, m.Settings, m.UpdatedAt = MeetingInSession, chair, secretary, 1, &st.Settings, now
		out = MeetingView{Meeting: m, State: st}
		return tx.UpdateMeeting(ctx, m)
	})
	return out, err
}

// carried is the business the body's last adjourned meeting left for
// this one.
func (s *Service) carried(ctx context.Context, tx Tx, m Meeting) ([]procedure.Carried, error) {
	before, _, err := tx.FindMeetings(ctx, MeetingFilter{CommunityID: m.CommunityID, BodyID: m.BodyID, Status: MeetingAdjourned, To: &m.ScheduledAt})
	if err != nil || len(before) == 0 {
		return nil, err
	}
	last := before[len(before)-1]
	_, st, _, err := s.replay(ctx, tx, m.CommunityID, last.ID)
	if err != nil {
		return nil, err
	}
	var out []procedure.Carried
	for _, mo := range st.Motions {
		if mo.Kind != procedure.Main {
			continue
		}
		switch mo.Status {
		case procedure.Postponed, procedure.Unfinished, procedure.Referred:
		case procedure.Tabled:
			if mo.Ref != "" {
				continue // a motion left on the table through a second meeting dies (RONR 17:8)
			}
		default:
			continue
		}
		ref := last.ID + "/" + mo.ID
		if mo.Ref != "" {
			ref = mo.Ref // keep where it first came from
		}
		out = append(out, procedure.Carried{Ref: ref, Text: mo.Text, Status: mo.Status, Committee: mo.Committee})
	}
	return out, nil
}

// Act applies one move to a meeting in session, in the acting member's
// name, at the service's clock: the procedure engine decides whether it is
// in order. A move that gives its Seq is made against the meeting as it
// stood then, and refused (ErrStaleMove) if another came first. When the move adopts a main motion, the body's decision is
// recorded, linked to the meeting; when it adjourns the meeting, the
// minutes are drafted.
func (s *Service) Act(ctx context.Context, communityID, id string, e procedure.Event) (MeetingView, error) {
	var out MeetingView
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		m, st, _, err := s.replay(ctx, tx, communityID, id)
		if err != nil {
			return err
		}
		if m.Status != MeetingInSession {
			return ErrMeetingState.Refuse("the meeting is %s: moves are made while it is in session", m.Status)
		}
		// A move made against the meeting as the member last saw it names
		// that event (seq: the next one then); one made since comes first.
		if e.Seq != 0 && e.Seq != st.Seq+1 {
			return ErrStaleMove.Refuse("the move was made after event %d, but the meeting is at event %d: look again before moving", e.Seq-1, st.Seq)
		}
		now := s.clock()
		e.Seq, e.At, e.By = st.Seq+1, now, a.who()
		e.Clerk = a.administers() // a community worker keeps the record for the meeting
		if e.For != "" {
			// A clerk enters a move for the member who made it aloud (no
			// device) or the ruling the chair announced; the engine judges
			// it as theirs.
			if !e.Clerk {
				return forbidden(ErrClerk)
			}
			e.By = e.For
		}
		if e.Type == procedure.Open {
			return errs.Field("type", "a meeting is opened with OpenMeeting, once")
		}
		if e.Type == procedure.Close {
			if err := readyToClose(m); err != nil {
				return err
			}
		}
		next, err := st.Apply(e)
		if err != nil {
			return err
		}
		if err := tx.AppendEvent(ctx, communityID, m.ID, e); err != nil {
			return err
		}
		m.Events, m.UpdatedAt = next.Seq, now
		if e.Type == procedure.CloseVote {
			if err := s.recordAdopted(ctx, tx, &m, st, next, now, a); err != nil {
				return err
			}
		}
		if next.Session == procedure.Adjourned {
			m.Status, m.Minutes.Status = MeetingAdjourned, MinutesDraft
		}
		out = MeetingView{Meeting: m, State: next}
		return tx.UpdateMeeting(ctx, m)
	})
	return out, err
}

// recordAdopted records a decision of the body for a main motion the vote
// just adopted.
func (s *Service) recordAdopted(ctx context.Context, tx Tx, m *Meeting, before, after procedure.State, now time.Time, a actor) error {
	q := before.Pending()
	if q == nil || q.Kind != procedure.Main {
		return nil
	}
	done, _ := after.Motion(q.ID)
	if done.Status != procedure.Adopted {
		return nil
	}
	title := done.Text
	if r := []rune(title); len(r) > 200 {
		title = string(r[:199]) + "…"
	}
	d := Decision{ID: s.newID(), CommunityID: m.CommunityID, BodyID: m.BodyID, Title: title, Text: done.Text, DecidedAt: now,
		MeetingID: m.ID, RecordedBy: a.ID, CreatedAt: now}
	if err := tx.CreateDecision(ctx, d); err != nil {
		return err
	}
	if m.Decisions == nil {
		m.Decisions = map[string]string{}
	}
	m.Decisions[q.ID] = d.ID
	return nil
}

// MinutesView is a meeting's minutes: where they are, what the log says,
// and the text.
type MinutesView struct {
	MeetingID string            `json:"meeting_id"`
	Title     string            `json:"title"`
	Record    MinutesRecord     `json:"record"`
	Minutes   procedure.Minutes `json:"minutes"`
	Decisions map[string]string `json:"decisions,omitempty"`
	Markdown  string            `json:"markdown"`
	// Names are the names of the people the minutes name by ID, from the
	// registry, for rendering them otherwise than as Markdown.
	Names map[string]string `json:"names,omitempty"`
	// Zone is the body's time zone (its regular meetings'; UTC if it has
	// none): the minutes' times are in it.
	Zone string `json:"zone"`
	// Registrations and Opinions of a public meeting: who signed up and
	// what they wrote, each marked when a worker entered it from a paper
	// form for a resident without a device.
	Registrations []Registration `json:"registrations,omitempty"`
	Opinions      []Opinion      `json:"opinions,omitempty"`
	// Recommendations of a consultation, to the committees named in
	// Bodies; Topics of an open-space meeting, with their owners and next
	// steps.
	Recommendations []Recommendation  `json:"recommendations,omitempty"`
	Topics          []Topic           `json:"topics,omitempty"`
	Bodies          map[string]string `json:"bodies,omitempty"` // body ID → name, for the recommendations
}

// Minutes returns a meeting's minutes, drafted from its log, with the
// corrections appended and people named from the registry, its times in
// the body's zone. Draft minutes are read by those who may approve or
// correct them: workers, the council, the body's members and the
// meeting's roster; everyone else reads them once approved.
func (s *Service) Minutes(ctx context.Context, communityID, id string) (MinutesView, error) {
	var out MinutesView
	var st procedure.State
	loc := time.UTC
	err := s.view(ctx, communityID, func(tx Tx, a actor) error {
		m, state, _, err := s.replay(ctx, tx, communityID, id)
		if err != nil {
			return err
		}
		if m.Status == MeetingScheduled || m.Status == MeetingCancelled {
			return ErrMeetingState.Refuse("the meeting has not been held: it has no minutes")
		}
		approved := m.Minutes.Status == MinutesApproved || m.Minutes.Status == MinutesPublished
		if !approved && !a.onCouncil() && !a.holds(m.BodyID) && !slices.Contains(state.Roster, a.who()) {
			return forbidden(ErrMinutesDraft)
		}
		loc = time.UTC
		if b, err := tx.Body(ctx, communityID, m.BodyID); err == nil && b.Meets != nil {
			if l, err := time.LoadLocation(b.Meets.Zone); err == nil {
				loc = l
			}
		}
		st = state
		out = MinutesView{MeetingID: m.ID, Title: m.Title, Record: m.Minutes, Minutes: state.Minutes(), Decisions: m.Decisions, Zone: loc.String()}
		out.Recommendations, out.Topics = m.Recommendations, m.Topics
		for _, r := range m.Recommendations {
			if b, err := tx.Body(ctx, communityID, r.BodyID); err == nil {
				if out.Bodies == nil {
					out.Bodies = map[string]string{}
				}
				out.Bodies[b.ID] = b.Name
			}
		}
		if m.Kind.public() {
			out.Registrations = m.Registrations
			out.Opinions, _, err = tx.FindOpinions(ctx, OpinionFilter{CommunityID: communityID, MeetingID: m.ID, Page: grids.Page{NoTotal: true}})
		}
		return err
	})
	out.Minutes.Started = out.Minutes.Started.In(loc)
	if out.Minutes.Ended != nil {
		end := out.Minutes.Ended.In(loc)
		out.Minutes.Ended = &end
	}
	if err != nil {
		return out, err
	}
	ids := append(slices.Clone(st.Roster), st.Chair, st.Secretary)
	for id := range st.Attended {
		ids = append(ids, id)
	}
	for _, r := range out.Registrations {
		ids = append(ids, r.ResidentID)
	}
	for _, o := range out.Opinions {
		ids = append(ids, o.ResidentID)
	}
	for _, t := range out.Topics {
		ids = append(ids, t.ProposedBy, t.OwnerID)
	}
	names := s.names(ctx, communityID, ids)
	out.Names = names
	var b strings.Builder
	b.WriteString(out.Minutes.Markdown(out.Title, names))
	writeParticipation(&b, out, names)
	if len(out.Record.Corrections) > 0 {
		b.WriteString("\n## Corrections\n\n")
		for _, c := range out.Record.Corrections {
			fmt.Fprintf(&b, "- %s: %s\n", c.At.Format(time.DateOnly), c.Text)
		}
	}
	fmt.Fprintf(&b, "\nMinutes: %s.\n", out.Record.Status)
	out.Markdown = b.String()
	return out, nil
}

// writeParticipation adds a public meeting's registrations and written
// opinions to its minutes, saying which a worker entered from paper.
func writeParticipation(b *strings.Builder, v MinutesView, names map[string]string) {
	name := func(id string) string { return cmp.Or(names[id], id) }
	entered := func(by, form string) string {
		if by == "" {
			return ""
		}
		return fmt.Sprintf(" (entered by %s from paper form %s)", by, cmp.Or(form, "-"))
	}
	if len(v.Registrations) > 0 {
		speakers, onPaper := 0, 0
		for _, r := range v.Registrations {
			if r.Speaker {
				speakers++
			}
			if r.EnteredBy != "" {
				onPaper++
			}
		}
		fmt.Fprintf(b, "\n## Registered\n\n%d residents registered, %d to speak; %d registered by a worker from paper.\n", len(v.Registrations), speakers, onPaper)
		for _, r := range v.Registrations {
			role := "attend"
			if r.Speaker {
				role = "speak"
			}
			fmt.Fprintf(b, "- %s, to %s%s\n", name(r.ResidentID), role, entered(r.EnteredBy, r.FormRef))
		}
	}
	if len(v.Recommendations) > 0 {
		b.WriteString("\n## Recommendations\n\nThe consultation took no vote; it recommends:\n\n")
		for _, r := range v.Recommendations {
			fmt.Fprintf(b, "- To %s: %s", cmp.Or(v.Bodies[r.BodyID], r.BodyID), strings.ReplaceAll(r.Text, "\n", " "))
			if len(r.Opinions) > 0 {
				fmt.Fprintf(b, " (from %d written opinions)", len(r.Opinions))
			}
			b.WriteString("\n")
		}
	}
	if len(v.Topics) > 0 {
		b.WriteString("\n## Topics\n\n")
		for _, t := range v.Topics {
			fmt.Fprintf(b, "- **%s**, proposed by %s", t.Title, name(t.ProposedBy))
			if t.ReportedAt == nil {
				b.WriteString(": not taken up\n")
				continue
			}
			fmt.Fprintf(b, "; %d in its group; owner %s\n  - Report: %s\n", len(t.Members), name(t.OwnerID), strings.ReplaceAll(t.Report, "\n", " "))
			for _, step := range t.NextSteps {
				fmt.Fprintf(b, "  - Next: %s\n", step)
			}
		}
	}
	if len(v.Opinions) > 0 {
		b.WriteString("\n## Written opinions\n\n")
		for _, o := range v.Opinions {
			how := "at the meeting"
			if o.Online {
				how = "online"
			}
			fmt.Fprintf(b, "- %s, %s%s: %s\n", name(o.ResidentID), how, entered(o.EnteredBy, o.FormRef), strings.ReplaceAll(o.Text, "\n", " "))
			if o.Answer != "" {
				fmt.Fprintf(b, "  - Answer: %s\n", strings.ReplaceAll(o.Answer, "\n", " "))
			}
		}
	}
}

// names reads residents' names from the registry; IDs it does not know
// stay as they are.
func (s *Service) names(ctx context.Context, community string, ids []string) map[string]string {
	out := map[string]string{}
	_ = s.registry.View(ctx, func(tx grids.Tx) error {
		for _, id := range ids {
			if r, err := tx.Resident(ctx, community, id); err == nil {
				out[id] = r.Name
			}
		}
		return nil
	})
	return out
}

// ApproveMinutes approves draft minutes at a later meeting of the same
// body, in session or held (RONR 48:9).
func (s *Service) ApproveMinutes(ctx context.Context, communityID, id, approvedIn string) (Meeting, error) {
	return s.changeMeeting(ctx, communityID, id, func(tx Tx, _ actor, m *Meeting) error {
		if m.Minutes.Status != MinutesDraft {
			return ErrMinutesState.Refuse("the minutes are %q: only draft minutes are approved", m.Minutes.Status)
		}
		at, err := tx.Meeting(ctx, communityID, approvedIn)
		if errors.Is(err, errs.NotFound) {
			return errs.Field("approved_in", "no meeting %s in this community", approvedIn)
		}
		if err != nil {
			return err
		}
		if at.BodyID != m.BodyID || !at.ScheduledAt.After(m.ScheduledAt) || at.Status != MeetingInSession && at.Status != MeetingAdjourned {
			return errs.Field("approved_in", "minutes are approved at a later meeting of the same body, held or in session")
		}
		now := s.clock()
		m.Minutes.Status, m.Minutes.ApprovedIn, m.Minutes.ApprovedAt = MinutesApproved, at.ID, &now
		return nil
	})
}

// CorrectMinutes appends a correction; nothing is written over.
func (s *Service) CorrectMinutes(ctx context.Context, communityID, id, text string) (Meeting, error) {
	if !validate.Multiline(text) || strings.TrimSpace(text) == "" || len(text) > 2000 {
		return Meeting{}, errs.Field("text", "is required: up to 2000 characters of text")
	}
	return s.changeMeeting(ctx, communityID, id, func(_ Tx, a actor, m *Meeting) error {
		if m.Minutes.Status == "" {
			return ErrMinutesState.Refuse("the meeting has no minutes yet")
		}
		m.Minutes.Corrections = append(m.Minutes.Corrections, Correction{At: s.clock(), By: a.who(), Text: text})
		return nil
	})
}

// PublishMinutes publishes approved minutes.
func (s *Service) PublishMinutes(ctx context.Context, communityID, id string) (Meeting, error) {
	return s.changeMeeting(ctx, communityID, id, func(_ Tx, _ actor, m *Meeting) error {
		if m.Minutes.Status != MinutesApproved {
			return ErrMinutesState.Refuse("minutes are published once approved; these are %q", m.Minutes.Status)
		}
		now := s.clock()
		m.Minutes.Status, m.Minutes.PublishedAt = MinutesPublished, &now
		return nil
	})
}

// ---- opinions ----

// GiveOpinion records the acting resident's written opinion for a public
// meeting: online before it opens, or at it. A worker enters a paper
// opinion for a resident without a device (in.ResidentID, with the form's
// reference), recorded as entered by the worker and shown so in the
// minutes.
func (s *Service) GiveOpinion(ctx context.Context, communityID, meetingID string, in OpinionInput) (Opinion, error) {
	if in.ResidentID != "" {
		if in.FormRef == "" {
			return Opinion{}, errs.Field("form_ref", "is required when a worker enters a resident's paper opinion")
		}
		if err := s.resident(ctx, communityID, in.ResidentID, "resident_id"); err != nil {
			return Opinion{}, err
		}
	}
	var out Opinion
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		m, err := publicMeeting(ctx, tx, a, meetingID, "written opinions", in.ResidentID != "")
		if err != nil {
			return err
		}
		now := s.clock()
		out = Opinion{ID: s.newID(), CommunityID: communityID, MeetingID: m.ID, ResidentID: a.ResidentID, Text: in.Text,
			Online: m.Status == MeetingScheduled, CreatedAt: now}
		if in.ResidentID != "" {
			out.ResidentID, out.EnteredBy, out.FormRef, out.Online = in.ResidentID, a.who(), in.FormRef, false
		}
		if err := validate.Struct(out); err != nil {
			return err
		}
		return tx.CreateOpinion(ctx, out)
	})
	return out, err
}

// AnswerOpinion answers an opinion publicly, linking it to the decision
// or issue it affected: who convenes the meeting answers.
func (s *Service) AnswerOpinion(ctx context.Context, communityID, id string, in AnswerInput) (Opinion, error) {
	if err := validate.Struct(in); err != nil {
		return Opinion{}, err
	}
	var out Opinion
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		o, err := tx.Opinion(ctx, communityID, id)
		if err != nil {
			return err
		}
		if _, err := s.convening(ctx, tx, a, o.MeetingID); err != nil {
			return err
		}
		if o.Answer != "" {
			return ErrOpinionAnswered.Refuse("the opinion was answered on %s; add a correction to the minutes instead", o.AnsweredAt.Format(time.DateOnly))
		}
		if in.Link != nil {
			switch in.Link.Kind {
			case "decision":
				_, err = tx.Decision(ctx, communityID, in.Link.ID)
			case "issue":
				_, err = tx.Issue(ctx, communityID, in.Link.ID)
			default:
				return errs.Field("link.kind", "an opinion links to the decision or issue it affected")
			}
			if err != nil {
				return errs.Field("link", "no %s %s in this community", in.Link.Kind, in.Link.ID)
			}
		}
		now := s.clock()
		o.Answer, o.AnsweredBy, o.AnsweredAt, o.Link = in.Answer, a.who(), &now, in.Link
		out = o
		return tx.UpdateOpinion(ctx, o)
	})
	return out, err
}

// Opinion returns an opinion.
func (s *Service) Opinion(ctx context.Context, communityID, id string) (Opinion, error) {
	return read(ctx, s, communityID, func(tx Tx) (Opinion, error) { return tx.Opinion(ctx, communityID, id) })
}

// FindOpinions lists opinions.
func (s *Service) FindOpinions(ctx context.Context, f OpinionFilter) ([]Opinion, int, error) {
	return list(ctx, s, f.CommunityID, &f.Page, func(tx Tx) ([]Opinion, int, error) { return tx.FindOpinions(ctx, f) })
}

// ---- holidays ----

// SetHolidays replaces the community's calendar for a year (workers):
// its holidays, which regular meetings move off, and its make-up working
// days (Workday, on a weekend), which they may fall on.
func (s *Service) SetHolidays(ctx context.Context, communityID string, year int, hs []Holiday) ([]Holiday, error) {
	if year < 2000 || year > 2200 {
		return nil, errs.Field("year", "must be from 2000 to 2200")
	}
	seen := map[string]bool{}
	for i, h := range hs {
		if err := validate.Struct(h); err != nil {
			if f := errs.FieldsOf(err); len(f) > 0 {
				return nil, errs.Field(fmt.Sprintf("holidays[%d].%s", i, f[0].Field), "%s", f[0].Message)
			}
			return nil, err
		}
		if !strings.HasPrefix(h.Date, strconv.Itoa(year)+"-") {
			return nil, errs.Field(fmt.Sprintf("holidays[%d].date", i), "%s is not in %d", h.Date, year)
		}
		if seen[h.Date] {
			return nil, errs.Field(fmt.Sprintf("holidays[%d].date", i), "%s is given twice", h.Date)
		}
		if d, _ := time.Parse(time.DateOnly, h.Date); h.Workday && d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			return nil, errs.Field(fmt.Sprintf("holidays[%d].workday", i), "a make-up working day is a Saturday or Sunday; %s is a %s", h.Date, d.Weekday())
		}
		seen[h.Date] = true
	}
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		if !a.administers() {
			return forbidden(ErrAdminist)
		}
		return tx.SetHolidays(ctx, communityID, year, hs)
	})
	if err != nil {
		return nil, err
	}
	return s.Holidays(ctx, communityID, year)
}

// Holidays returns the community's holidays of a year.
func (s *Service) Holidays(ctx context.Context, communityID string, year int) ([]Holiday, error) {
	return read(ctx, s, communityID, func(tx Tx) ([]Holiday, error) {
		return tx.Holidays(ctx, communityID, fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year))
	})
}
