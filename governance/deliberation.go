package governance

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/linli-go/linli/governance/procedure"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// The meetings that deliberate without voting, and the participants the
// council's joint meeting invites. A consultation (恳谈会) gathers
// opinions and ends in recommendations to a named committee; an
// open-space meeting (开放空间) lets participants propose topics and form
// breakout groups, each of which reports its owner and next steps; the
// joint council meeting (同心10号联席议事会) may invite committee chairs
// and residents' representatives, who speak but do not vote.

// deliberates reports whether a kind of meeting takes no binding vote.
func (k MeetingKind) deliberates() bool { return k == Consultation || k == OpenSpace }

// Invitation kinds: who the joint council meeting invites.
const (
	InvitedChair          = "committee_chair" // the chair of a functional committee
	InvitedRepresentative = "representative"  // a residents' representative
)

// Invitee is a participant a council meeting invited: on its roster
// without a vote.
type Invitee struct {
	ResidentID string    `json:"resident_id" validate:"required,ulid"`
	As         string    `json:"as" validate:"oneof=committee_chair representative"`
	BodyID     string    `json:"body_id,omitempty" validate:"omitempty,ulid"` // the committee a chair chairs
	InvitedBy  string    `json:"invited_by"`
	At         time.Time `json:"at"`
}

// InviteInput invites a participant to a council meeting.
type InviteInput struct {
	ResidentID string `json:"resident_id" validate:"required,ulid"`
	As         string `json:"as" validate:"oneof=committee_chair representative"`
}

// Recommendation is what a consultation recommends to a named committee,
// drawing on the opinions it gathered. It binds nobody: the committee
// takes it up.
type Recommendation struct {
	ID       string    `json:"id"`
	BodyID   string    `json:"body_id" validate:"required,ulid"` // the committee it is addressed to
	Text     string    `json:"text" validate:"required,multiline,max=2000"`
	Opinions []string  `json:"opinions,omitempty" validate:"max=200,unique,dive,ulid"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
}

// RecommendationInput records a consultation's recommendation.
type RecommendationInput struct {
	BodyID   string   `json:"body_id" validate:"required,ulid"`
	Text     string   `json:"text" validate:"required,multiline,max=2000"`
	Opinions []string `json:"opinions,omitempty" validate:"max=200,unique,dive,ulid"`
}

// Topic is a topic proposed at an open-space meeting, the breakout group
// that took it up, and its report: who owns it and what comes next.
type Topic struct {
	ID         string     `json:"id"`
	Title      string     `json:"title" validate:"required,text,max=200"`
	ProposedBy string     `json:"proposed_by"`
	At         time.Time  `json:"at"`
	Members    []string   `json:"members" validate:"max=500,unique"`
	Report     string     `json:"report,omitempty" validate:"omitempty,multiline,max=5000"`
	OwnerID    string     `json:"owner_id,omitempty" validate:"omitempty,ulid"`
	NextSteps  []string   `json:"next_steps,omitempty" validate:"max=20,dive,required,text,max=200"`
	ReportedBy string     `json:"reported_by,omitempty"`
	ReportedAt *time.Time `json:"reported_at,omitempty"`
}

// TopicInput proposes a topic: the acting resident's, or, entered by a
// worker, the named resident's.
type TopicInput struct {
	Title      string `json:"title" validate:"required,text,max=200"`
	ResidentID string `json:"resident_id,omitempty" validate:"omitempty,ulid"`
}

// BreakoutInput joins a topic's breakout group: the acting resident, or,
// entered by a worker, the named one.
type BreakoutInput struct {
	ResidentID string `json:"resident_id,omitempty" validate:"omitempty,ulid"`
}

// TopicReport is a breakout group's report: what it found, who owns the
// topic from now on (one of the group), and the next steps.
type TopicReport struct {
	Report    string   `json:"report" validate:"required,multiline,max=5000"`
	OwnerID   string   `json:"owner_id" validate:"required,ulid"`
	NextSteps []string `json:"next_steps" validate:"required,min=1,max=20,dive,required,text,max=200"`
}

// Invite invites a committee chair or a residents' representative to a
// council meeting before it opens (who convenes it): they are on its
// roster without a vote, and speak when recognised.
func (s *Service) Invite(ctx context.Context, communityID, id string, in InviteInput) (Meeting, error) {
	if err := validate.Struct(in); err != nil {
		return Meeting{}, err
	}
	if err := s.resident(ctx, communityID, in.ResidentID, "resident_id"); err != nil {
		return Meeting{}, err
	}
	return s.changeMeeting(ctx, communityID, id, func(tx Tx, a actor, m *Meeting) error {
		if m.Status != MeetingScheduled {
			return ErrInvite.Refuse("the meeting is %s: participants are invited before it opens", m.Status)
		}
		b, err := tx.Body(ctx, communityID, m.BodyID)
		if err != nil {
			return err
		}
		if b.Kind != Council || m.Kind != RegularMeeting && m.Kind != SpecialMeeting {
			return ErrInvite.Refuse("participants without a vote are invited to the council's meetings; this is a %s meeting of %q", m.Kind, b.Name)
		}
		if slices.ContainsFunc(m.Invitees, func(i Invitee) bool { return i.ResidentID == in.ResidentID }) {
			return ErrInvite.Refuse("%s is invited already", in.ResidentID)
		}
		now := s.clock()
		held, _, err := tx.FindPositions(ctx, PositionFilter{CommunityID: communityID, HolderID: in.ResidentID, ActiveAt: &now})
		if err != nil {
			return err
		}
		if slices.ContainsFunc(held, func(p Position) bool { return p.BodyID == b.ID }) {
			return ErrInvite.Refuse("%s is on the council: members vote, and are not invited", in.ResidentID)
		}
		inv := Invitee{ResidentID: in.ResidentID, As: in.As, InvitedBy: a.who(), At: now}
		if in.As == InvitedChair {
			for _, p := range held {
				if p.Office != Chair {
					continue
				}
				if c, err := tx.Body(ctx, communityID, p.BodyID); err == nil && c.Kind == Committee {
					inv.BodyID = c.ID
					break
				}
			}
			if inv.BodyID == "" {
				return ErrInvite.Refuse("%s chairs no committee now: invite them as a residents' representative", in.ResidentID)
			}
		}
		m.Invitees = append(m.Invitees, inv)
		return m.Validate()
	})
}

// Recommend records a consultation's recommendation to a named committee
// (who convenes it), in session or after it closed, before its minutes
// are approved; the opinions it draws on must be the meeting's.
func (s *Service) Recommend(ctx context.Context, communityID, id string, in RecommendationInput) (Meeting, error) {
	if err := validate.Struct(in); err != nil {
		return Meeting{}, err
	}
	return s.changeMeeting(ctx, communityID, id, func(tx Tx, a actor, m *Meeting) error {
		if m.Kind != Consultation {
			return ErrMeetingKind.Refuse("recommendations are what a consultation ends in; this is a %s meeting", m.Kind)
		}
		if m.Status != MeetingInSession && !(m.Status == MeetingAdjourned && m.Minutes.Status == MinutesDraft) {
			return ErrMeetingState.Refuse("the meeting is %s: a consultation recommends in session, or after it closes until its minutes are approved", m.Status)
		}
		b, err := tx.Body(ctx, communityID, in.BodyID)
		if err != nil || b.Kind != Committee || b.ArchivedAt != nil {
			return errs.Field("body_id", "names a functional committee of this community")
		}
		for i, oid := range in.Opinions {
			o, err := tx.Opinion(ctx, communityID, oid)
			if err != nil || o.MeetingID != m.ID {
				return errs.Field(fmt.Sprintf("opinions[%d]", i), "%s is not an opinion given at this consultation", oid)
			}
		}
		m.Recommendations = append(m.Recommendations, Recommendation{ID: "r" + strconv.Itoa(len(m.Recommendations)+1), BodyID: b.ID,
			Text: in.Text, Opinions: in.Opinions, By: a.who(), At: s.clock()})
		return m.Validate()
	})
}

// participant is the resident who takes part in an open-space meeting: the
// acting one, or, for a worker, the one named; present at it.
func participant(a actor, st procedure.State, named string) (string, error) {
	who := a.ResidentID
	if named != "" {
		if !a.administers() {
			return "", forbidden(ErrTakePart)
		}
		who = named
	}
	if who == "" {
		return "", forbidden(ErrTakePart)
	}
	if _, ok := st.Present[who]; !ok {
		return "", ErrOpenSpace.Refuse("%s is not present: participants sign in when they arrive", who)
	}
	return who, nil
}

// openSpace loads an open-space meeting in session for a change by a
// participant.
func (s *Service) openSpace(ctx context.Context, communityID, id string, change func(a actor, st procedure.State, m *Meeting) error) (Meeting, error) {
	var out Meeting
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		m, st, _, err := s.replay(ctx, tx, communityID, id)
		if err != nil {
			return err
		}
		if m.Kind != OpenSpace {
			return ErrMeetingKind.Refuse("topics and breakout groups are an open-space meeting's; this is a %s meeting", m.Kind)
		}
		if m.Status != MeetingInSession {
			return ErrMeetingState.Refuse("the meeting is %s: topics are proposed and taken up in session", m.Status)
		}
		if err := change(a, st, &m); err != nil {
			return err
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

// ProposeTopic proposes a topic at an open-space meeting in session: any
// participant present may, and hosts its breakout group.
func (s *Service) ProposeTopic(ctx context.Context, communityID, id string, in TopicInput) (Meeting, error) {
	if err := validate.Struct(in); err != nil {
		return Meeting{}, err
	}
	return s.openSpace(ctx, communityID, id, func(a actor, st procedure.State, m *Meeting) error {
		who, err := participant(a, st, in.ResidentID)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(m.Topics, func(t Topic) bool { return t.Title == in.Title }) {
			return errs.Field("title", "%q is proposed already: join its group", in.Title)
		}
		leave(m, who)
		m.Topics = append(m.Topics, Topic{ID: "t" + strconv.Itoa(len(m.Topics)+1), Title: in.Title, ProposedBy: who, At: s.clock(), Members: []string{who}})
		return nil
	})
}

// leave takes a resident out of any breakout group not yet reported: a
// participant is in one group at a time ("the law of two feet").
func leave(m *Meeting, who string) {
	for i, t := range m.Topics {
		if t.ReportedAt == nil {
			m.Topics[i].Members = slices.DeleteFunc(t.Members, func(id string) bool { return id == who })
		}
	}
}

// JoinTopic puts a participant present into a topic's breakout group,
// out of any other; a group that has reported takes no one more.
func (s *Service) JoinTopic(ctx context.Context, communityID, id, topic string, in BreakoutInput) (Meeting, error) {
	if err := validate.Struct(in); err != nil {
		return Meeting{}, err
	}
	return s.openSpace(ctx, communityID, id, func(a actor, st procedure.State, m *Meeting) error {
		who, err := participant(a, st, in.ResidentID)
		if err != nil {
			return err
		}
		t, err := topicOf(m, topic)
		if err != nil {
			return err
		}
		if t.ReportedAt != nil {
			return ErrOpenSpace.Refuse("the group on %q has reported", t.Title)
		}
		leave(m, who)
		t.Members = append(t.Members, who)
		return nil
	})
}

// ReportTopic records a breakout group's report, once: a member of the
// group (or who convenes the meeting) reports, and the owner is one of
// the group.
func (s *Service) ReportTopic(ctx context.Context, communityID, id, topic string, in TopicReport) (Meeting, error) {
	if err := validate.Struct(in); err != nil {
		return Meeting{}, err
	}
	return s.openSpace(ctx, communityID, id, func(a actor, _ procedure.State, m *Meeting) error {
		t, err := topicOf(m, topic)
		if err != nil {
			return err
		}
		if !a.convenes(m.BodyID) && !slices.Contains(t.Members, a.ResidentID) {
			return ErrOpenSpace.Refuse("a member of the group on %q reports for it", t.Title)
		}
		if t.ReportedAt != nil {
			return ErrOpenSpace.Refuse("the group on %q reported already", t.Title)
		}
		if !slices.Contains(t.Members, in.OwnerID) {
			return errs.Field("owner_id", "is one of the group on %q", t.Title)
		}
		now := s.clock()
		t.Report, t.OwnerID, t.NextSteps, t.ReportedBy, t.ReportedAt = in.Report, in.OwnerID, in.NextSteps, a.who(), &now
		return nil
	})
}

// topicOf is the meeting's topic with that ID, to change in place.
func topicOf(m *Meeting, id string) (*Topic, error) {
	i := slices.IndexFunc(m.Topics, func(t Topic) bool { return t.ID == id })
	if i < 0 {
		return nil, errs.E(errs.NotFound, "no topic %s at this meeting", id)
	}
	return &m.Topics[i], nil
}

// readyToClose checks what a meeting that takes no vote must have before
// its chair closes it: a consultation its recommendations, an open-space
// meeting a report from every breakout group.
func readyToClose(m Meeting) error {
	switch m.Kind {
	case Consultation:
		if len(m.Recommendations) == 0 {
			return ErrRecommend.Refuse("a consultation ends in recommendations to a named committee: record at least one before closing it")
		}
	case OpenSpace:
		for _, t := range m.Topics {
			if len(t.Members) > 0 && t.ReportedAt == nil {
				return ErrOpenSpace.Refuse("the group on %q has not reported: each group reports its owner and next steps before the meeting closes", t.Title)
			}
		}
	}
	return nil
}
