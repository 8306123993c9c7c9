package grids

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// NeedKind says what was raised.
type NeedKind string

// The kinds of need.
const (
	KindNeed       NeedKind = "need"       // 需求: something residents lack
	KindSuggestion NeedKind = "suggestion" // 意见建议: an idea for the community
	KindMicroWish  NeedKind = "micro_wish" // 微心愿: a small concrete wish someone can fulfil
)

// NeedSource says how a need was collected.
type NeedSource string

// The sources the case used.
const (
	SourceSurvey          NeedSource = "survey"
	SourceGroupDiscussion NeedSource = "group_discussion"
	SourceMicroWish       NeedSource = "micro_wish"
	SourceBriefing        NeedSource = "briefing" // 民生智库宣讲
	SourceHearing         NeedSource = "hearing"
	SourceOnline          NeedSource = "online"
)

// NeedStatus is where a need is on its way.
type NeedStatus string

// The statuses, in order: received → accepted → assigned → answered, or
// declined from any but the last.
const (
	NeedReceived NeedStatus = "received"
	NeedAccepted NeedStatus = "accepted"
	NeedAssigned NeedStatus = "assigned"
	NeedAnswered NeedStatus = "answered"
	NeedDeclined NeedStatus = "declined"
)

// Final reports whether nothing more can happen to a need in this status.
func (s NeedStatus) Final() bool { return s == NeedAnswered || s == NeedDeclined }

// needTransitions lists the statuses each status may move to.
var needTransitions = map[NeedStatus][]NeedStatus{
	NeedReceived: {NeedAccepted, NeedDeclined},
	NeedAccepted: {NeedAssigned, NeedAnswered, NeedDeclined},
	NeedAssigned: {NeedAssigned, NeedAnswered, NeedDeclined}, // reassigning is allowed
}

// Ref names a record of another kind: a committee or mutual-aid group that
// a need is assigned to, a group that raised it, the resident or
// organisation that claimed a micro-wish. Records of package governance
// are checked when the Registry is given a Bodies.
type Ref struct {
	Kind string `json:"kind" validate:"oneof=committee group resident organisation household"`
	ID   string `json:"id" validate:"required,ulid"`
}

// NeedEvent records one step of a need: who did what, when, and why.
type NeedEvent struct {
	At     time.Time  `json:"at"`
	By     string     `json:"by"` // the principal's ID
	Action string     `json:"action"`
	Status NeedStatus `json:"status"`
	Note   string     `json:"note,omitempty"`
}

// Need is a need, suggestion or micro-wish raised by a household, a group,
// or anonymously (a briefing's notes), with its status and public reply.
type Need struct {
	ID          string      `json:"id" validate:"ulid"`
	CommunityID string      `json:"community_id" validate:"ulid"`
	Kind        NeedKind    `json:"kind" validate:"oneof=need suggestion micro_wish"`
	Source      NeedSource  `json:"source" validate:"oneof=survey group_discussion micro_wish briefing hearing online"`
	Title       string      `json:"title" validate:"required,text,max=100"`
	Detail      string      `json:"detail,omitempty" validate:"omitempty,multiline,max=2000"`
	Tags        []string    `json:"tags" validate:"max=16,unique,dive,tag"`
	HouseholdID string      `json:"household_id,omitempty" validate:"omitempty,ulid"`
	Group       *Ref        `json:"group,omitempty" validate:"omitempty"`
	Status      NeedStatus  `json:"status"`
	Assignee    *Ref        `json:"assignee,omitempty" validate:"omitempty"`
	Reply       string      `json:"reply,omitempty" validate:"omitempty,multiline,max=2000"`
	ClaimedBy   *Ref        `json:"claimed_by,omitempty" validate:"omitempty"`
	FulfilledAt *time.Time  `json:"fulfilled_at,omitempty"`
	Events      []NeedEvent `json:"events"`
	CreatedAt   time.Time   `json:"created_at"`
	UpdatedAt   time.Time   `json:"updated_at"`
}

// Validate checks every field.
func (n Need) Validate() error {
	if err := validate.Struct(n); err != nil {
		return err
	}
	if n.HouseholdID != "" && n.Group != nil {
		return errs.Field("group", "a need is raised by a household or a group, not both")
	}
	if n.Group != nil && n.Group.Kind != "group" && n.Group.Kind != "committee" {
		return errs.Field("group.kind", "must be group or committee")
	}
	return nil
}

// NeedInput raises a need.
type NeedInput struct {
	Kind        NeedKind   `json:"kind,omitempty"` // KindNeed if empty
	Source      NeedSource `json:"source,omitempty"`
	Title       string     `json:"title"`
	Detail      string     `json:"detail,omitempty"`
	Tags        []string   `json:"tags,omitempty"`
	HouseholdID string     `json:"household_id,omitempty"`
	Group       *Ref       `json:"group,omitempty"`
}

// NeedAction moves a need along: accept, assign (to Assignee), answer or
// decline (with a public Reply), claim (by ClaimedBy), unclaim, fulfil.
type NeedAction struct {
	Action    string `json:"action" validate:"oneof=accept assign answer decline claim unclaim fulfil"`
	Assignee  *Ref   `json:"assignee,omitempty" validate:"omitempty"`
	Reply     string `json:"reply,omitempty" validate:"omitempty,multiline,max=2000"`
	ClaimedBy *Ref   `json:"claimed_by,omitempty" validate:"omitempty"`
	Note      string `json:"note,omitempty" validate:"omitempty,text,max=500"`
}

// NeedFilter selects a community's needs.
type NeedFilter struct {
	CommunityID string
	Kind        NeedKind
	Source      NeedSource
	Status      NeedStatus
	Tag         string
	HouseholdID string
	AssigneeID  string
	Unclaimed   bool // micro-wishes no one has claimed yet
	Page
}

// apply moves n by action a, as principal by at now, or says why it may not.
func (n *Need) apply(a NeedAction, by string, now time.Time) error {
	to := n.Status
	switch a.Action {
	case "accept":
		to = NeedAccepted
	case "assign":
		if a.Assignee == nil {
			return errs.Field("assignee", "is required to assign a need")
		}
		if a.Assignee.Kind != "committee" && a.Assignee.Kind != "group" {
			return errs.Field("assignee.kind", "a need is assigned to a committee or a group")
		}
		to = NeedAssigned
	case "answer", "decline":
		if strings.TrimSpace(a.Reply) == "" {
			return errs.Field("reply", "a public reply is required to %s a need", a.Action)
		}
		to = NeedAnswered
		if a.Action == "decline" {
			to = NeedDeclined
		}
	case "claim", "unclaim", "fulfil":
		return n.microWish(a, by, now)
	}
	if !slices.Contains(needTransitions[n.Status], to) {
		return ErrNeedState.Refuse("a need that is %s cannot be %s", n.Status, past(a.Action))
	}
	n.Status = to
	switch a.Action {
	case "assign":
		n.Assignee = a.Assignee
	case "answer", "decline":
		n.Reply = a.Reply
	}
	n.record(a.Action, by, now, a.Note)
	return nil
}

// microWish claims, unclaims or fulfils a micro-wish.
func (n *Need) microWish(a NeedAction, by string, now time.Time) error {
	if n.Kind != KindMicroWish {
		return ErrNeedState.Refuse("only micro-wishes are claimed and fulfilled; this is a %s", n.Kind)
	}
	if n.Status.Final() {
		return ErrNeedState.Refuse("a micro-wish that is %s cannot be %s", n.Status, past(a.Action))
	}
	switch a.Action {
	case "claim":
		if n.Status == NeedReceived {
			return ErrNeedState.Refuse("a micro-wish is claimed once it is accepted")
		}
		if n.ClaimedBy != nil {
			return ErrWishClaimed.Refuse("this micro-wish is already claimed")
		}
		if a.ClaimedBy == nil || a.ClaimedBy.Kind != "resident" && a.ClaimedBy.Kind != "organisation" {
			return errs.Field("claimed_by", "a micro-wish is claimed by a resident or an organisation")
		}
		n.ClaimedBy = a.ClaimedBy
	case "unclaim":
		if n.ClaimedBy == nil {
			return ErrNeedState.Refuse("this micro-wish is not claimed")
		}
		n.ClaimedBy = nil
	case "fulfil":
		if n.ClaimedBy == nil {
			return ErrNeedState.Refuse("a micro-wish is fulfilled by whoever claimed it: claim it first")
		}
		if strings.TrimSpace(a.Reply) == "" {
			return errs.Field("reply", "a public reply is required to fulfil a micro-wish")
		}
		n.FulfilledAt, n.Status, n.Reply = &now, NeedAnswered, a.Reply
	}
	n.record(a.Action, by, now, a.Note)
	return nil
}

func (n *Need) record(action, by string, now time.Time, note string) {
	n.Events = append(n.Events, NeedEvent{At: now, By: by, Action: action, Status: n.Status, Note: note})
	n.UpdatedAt = now
}

func past(action string) string {
	switch action {
	case "accept":
		return "accepted"
	case "assign":
		return "assigned"
	case "answer":
		return "answered"
	case "decline":
		return "declined"
	case "claim":
		return "claimed"
	case "unclaim":
		return "unclaimed"
	case "fulfil":
		return "fulfilled"
	}
	return fmt.Sprintf("%sed", action)
}
