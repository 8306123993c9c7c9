package governance

import (
	"fmt"
	"slices"
	"time"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// IssueStatus is where a community issue is: from proposing a problem,
// arguing the plan and supervising the work to maintaining it afterwards.
type IssueStatus string

// The statuses: raised → deliberated → decided → carried_out → reviewed, or
// declined (with a public reason) before it is carried out.
const (
	Raised      IssueStatus = "raised"
	Deliberated IssueStatus = "deliberated"
	Decided     IssueStatus = "decided"
	CarriedOut  IssueStatus = "carried_out"
	ReviewedOut IssueStatus = "reviewed"
	Declined    IssueStatus = "declined"
)

// issueTransitions lists the steps each status may take, and what each
// step must link to.
var issueTransitions = map[IssueStatus][]IssueStatus{
	Raised:      {Deliberated, Declined},
	Deliberated: {Decided, Declined},
	Decided:     {CarriedOut, Declined},
	CarriedOut:  {ReviewedOut},
}

// stepLinks says what kind of record each step must point to.
var stepLinks = map[IssueStatus][]string{
	Deliberated: {"meeting", "decision"},
	Decided:     {"decision"},
	CarriedOut:  {"task"},
	ReviewedOut: {"meeting", "decision", ""},
	Declined:    {"meeting", "decision", ""},
}

// Link points at the meeting, decision or task behind a step.
type Link struct {
	Kind string `json:"kind" validate:"oneof=meeting decision task issue"`
	ID   string `json:"id" validate:"required,ulid"`
}

// IssueStep records one step of an issue: who took it, when, why, and
// what it rests on.
type IssueStep struct {
	At     time.Time   `json:"at"`
	By     string      `json:"by"`
	Status IssueStatus `json:"status"`
	Note   string      `json:"note,omitempty"`
	Link   *Link       `json:"link,omitempty"`
}

// Issue is a community issue (社区议题) raised by a resident, a group or a
// committee.
type Issue struct {
	ID          string `json:"id" validate:"ulid"`
	CommunityID string `json:"community_id" validate:"ulid"`
	Title       string `json:"title" validate:"required,text,max=200"`
	Detail      string `json:"detail,omitempty" validate:"omitempty,multiline,max=5000"`
	// RaisedBy is the resident or body that raised it; ByResident the
	// resident who acted.
	RaisedBy   grids.Ref   `json:"raised_by"`
	ByResident string      `json:"by_resident,omitempty"`
	Status     IssueStatus `json:"status"`
	// Reason is the public reason an issue was declined.
	Reason    string      `json:"reason,omitempty" validate:"omitempty,multiline,max=2000"`
	Steps     []IssueStep `json:"steps"`
	CreatedAt time.Time   `json:"created_at"`
	UpdatedAt time.Time   `json:"updated_at"`
}

// IssueInput raises an issue: for the acting resident, or for a body they
// belong to (Body).
type IssueInput struct {
	Title  string `json:"title"`
	Detail string `json:"detail,omitempty"`
	BodyID string `json:"body_id,omitempty"`
}

// StepInput moves an issue to a status, resting on a link.
type StepInput struct {
	Status IssueStatus `json:"status" validate:"oneof=deliberated decided carried_out reviewed declined"`
	Note   string      `json:"note,omitempty" validate:"omitempty,multiline,max=2000"`
	Link   *Link       `json:"link,omitempty"`
	Reason string      `json:"reason,omitempty" validate:"omitempty,multiline,max=2000"`
}

// IssueFilter selects issues.
type IssueFilter struct {
	CommunityID string
	Status      IssueStatus
	RaisedByID  string
	grids.Page
}

// step checks and takes a step.
func (is *Issue) step(in StepInput, by string, now time.Time) error {
	if !slices.Contains(issueTransitions[is.Status], in.Status) {
		return ErrIssueState.Refuse("an issue that is %s cannot become %s", is.Status, in.Status)
	}
	kind := ""
	if in.Link != nil {
		if err := validate.Struct(*in.Link); err != nil {
			return errs.Field("link", "must name a meeting, decision or task by ID")
		}
		kind = in.Link.Kind
	}
	if allowed := stepLinks[in.Status]; !slices.Contains(allowed, kind) {
		return errs.Field("link", "%s", linkNeed(in.Status, allowed))
	}
	if in.Status == Declined {
		if in.Reason == "" {
			return errs.Field("reason", "a public reason is required to decline an issue")
		}
		is.Reason = in.Reason
	}
	is.Status = in.Status
	is.Steps = append(is.Steps, IssueStep{At: now, By: by, Status: in.Status, Note: in.Note, Link: in.Link})
	is.UpdatedAt = now
	return nil
}

func linkNeed(s IssueStatus, allowed []string) string {
	switch {
	case len(allowed) == 1:
		return fmt.Sprintf("an issue becomes %s on a %s: link it", s, allowed[0])
	case slices.Contains(allowed, ""):
		return fmt.Sprintf("an issue becomes %s with no link, or one to a meeting or decision", s)
	}
	return fmt.Sprintf("an issue becomes %s in a meeting or by a decision: link it", s)
}
