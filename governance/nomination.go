package governance

import (
	"time"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/validate"
)

// Decision is a recorded decision of the council (or another body), the
// authority behind an appointment or a step of a community issue.
// Decisions are never changed: a new decision supersedes an old one.
type Decision struct {
	ID          string    `json:"id" validate:"ulid"`
	CommunityID string    `json:"community_id" validate:"ulid"`
	BodyID      string    `json:"body_id" validate:"required,ulid"`
	Title       string    `json:"title" validate:"required,text,max=200"`
	Text        string    `json:"text,omitempty" validate:"omitempty,multiline,max=5000"`
	DecidedAt   time.Time `json:"decided_at"`
	// MeetingID is the meeting that took the decision, when there was one.
	MeetingID  string    `json:"meeting_id,omitempty" validate:"omitempty,ulid"`
	RecordedBy string    `json:"recorded_by"`
	CreatedAt  time.Time `json:"created_at"`
}

// DecisionInput records a decision.
type DecisionInput struct {
	BodyID    string     `json:"body_id,omitempty"` // the council if empty
	Title     string     `json:"title"`
	Text      string     `json:"text,omitempty"`
	DecidedAt *time.Time `json:"decided_at,omitempty"` // now if empty
	MeetingID string     `json:"meeting_id,omitempty"`
}

// DecisionFilter selects decisions.
type DecisionFilter struct {
	CommunityID string
	BodyID      string
	MeetingID   string
	grids.Page
}

// NominationStatus is where a nomination is.
type NominationStatus string

// The statuses: pending → reviewed → appointed, or rejected.
const (
	Pending   NominationStatus = "pending"
	Reviewed  NominationStatus = "reviewed"
	Appointed NominationStatus = "appointed"
	Rejected  NominationStatus = "rejected"
)

// Nomination puts a resident forward as a leader: by themself, or
// recommended by another resident, for an office in a body.
type Nomination struct {
	ID            string `json:"id" validate:"ulid"`
	CommunityID   string `json:"community_id" validate:"ulid"`
	ResidentID    string `json:"resident_id" validate:"required,ulid"`
	Self          bool   `json:"self"`
	RecommendedBy string `json:"recommended_by,omitempty" validate:"omitempty,ulid"`
	// BriefingID is the think tank's briefing that recommended the
	// resident, when the nomination cites one.
	BriefingID string           `json:"briefing_id,omitempty" validate:"omitempty,ulid"`
	BodyID     string           `json:"body_id" validate:"required,ulid"`
	Office     Office           `json:"office" validate:"oneof=chair vice_chair secretary leader member"`
	Statement  string           `json:"statement,omitempty" validate:"omitempty,multiline,max=2000"`
	Status     NominationStatus `json:"status"`
	Review     string           `json:"review,omitempty" validate:"omitempty,multiline,max=2000"`
	ReviewedBy string           `json:"reviewed_by,omitempty"`
	DecisionID string           `json:"decision_id,omitempty"`
	PositionID string           `json:"position_id,omitempty"`
	CreatedAt  time.Time        `json:"created_at"`
	UpdatedAt  time.Time        `json:"updated_at"`
}

// Validate checks every field.
func (n Nomination) Validate() error { return validate.Struct(n) }

// NominationInput puts someone forward; without ResidentID, the acting
// resident puts themself forward.
type NominationInput struct {
	ResidentID string `json:"resident_id,omitempty"`
	BodyID     string `json:"body_id"`
	Office     Office `json:"office"`
	Statement  string `json:"statement,omitempty"`
	// BriefingID cites the think tank's briefing that named the resident a
	// candidate leader.
	BriefingID string `json:"briefing_id,omitempty"`
}

// ReviewInput reviews a nomination: approve to put it to the council,
// or not to reject it.
type ReviewInput struct {
	Approve bool   `json:"approve"`
	Note    string `json:"note" validate:"required,multiline,max=2000"`
}

// NominationAppointInput appoints a reviewed nominee by a council
// decision, for a term that may end.
type NominationAppointInput struct {
	DecisionID string     `json:"decision_id" validate:"required,ulid"`
	TermEnd    *time.Time `json:"term_end,omitempty"`
}

// NominationFilter selects nominations.
type NominationFilter struct {
	CommunityID string
	Status      NominationStatus
	BodyID      string
	ResidentID  string
	grids.Page
}
