package governance

import (
	"time"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// Office is what a position holds.
type Office string

// The offices.
const (
	Chair     Office = "chair"      // of the council or a committee
	ViceChair Office = "vice_chair" // of the council
	Secretary Office = "secretary"  // of the council
	Leader    Office = "leader"     // of a group
	Member    Office = "member"
)

// offices lists the offices each kind of body has, and how many of each at
// once (0: any number).
var offices = map[BodyKind]map[Office]int{
	Council:   {Chair: 1, ViceChair: 2, Secretary: 1, Member: 0},
	Committee: {Chair: 1, Member: 0},
	Group:     {Leader: 1, Member: 0},
	ThinkTank: {Member: 0},
}

// Constituency says whom a council seat stands for: the case's council
// draws on residents, the party and mass organisations, and organisations
// in the area.
type Constituency string

// The constituencies.
const (
	ResidentsSeat     Constituency = "residents"
	PartySeat         Constituency = "party"
	MassOrgSeat       Constituency = "mass_organisation"
	OrganisationsSeat Constituency = "organisation"
)

// Position is one holding of an office in a body: by a resident (or, in
// the think tank, an organisation), from a time, until it ceases. A
// position is never overwritten: a new holder is a new position.
type Position struct {
	ID          string `json:"id" validate:"ulid"`
	CommunityID string `json:"community_id" validate:"ulid"`
	BodyID      string `json:"body_id" validate:"required,ulid"`
	// Holder is a resident, or an organisation in the think tank.
	HolderKind   string       `json:"holder_kind" validate:"oneof=resident organisation"`
	HolderID     string       `json:"holder_id" validate:"required,ulid"`
	Office       Office       `json:"office" validate:"oneof=chair vice_chair secretary leader member"`
	Constituency Constituency `json:"constituency,omitempty" validate:"omitempty,oneof=residents party mass_organisation organisation"`
	// Represents is the organisation a council member stands for.
	Represents string `json:"represents,omitempty" validate:"omitempty,ulid"`
	// DecisionID is the council decision that made the appointment (none
	// for members who joined a group themselves).
	DecisionID string     `json:"decision_id,omitempty" validate:"omitempty,ulid"`
	From       time.Time  `json:"from"`
	TermEnd    *time.Time `json:"term_end,omitempty"`
	To         *time.Time `json:"to,omitempty"`
	Ceased     string     `json:"ceased,omitempty" validate:"omitempty,text,max=200"` // why it ended
	CreatedBy  string     `json:"created_by"`
}

// Active reports whether the position holds at t: from its start until
// it is ended or its term ends, whichever comes first. A term ends the
// position by itself; only a renewal (Service.Renew) carries it on.
func (p Position) Active(t time.Time) bool {
	end := p.Until()
	return !p.From.After(t) && (end == nil || end.After(t))
}

// Until is when the position stops holding: the earlier of its end and
// its term's end; nil while it holds with no term.
func (p Position) Until() *time.Time {
	switch {
	case p.To == nil:
		return p.TermEnd
	case p.TermEnd != nil && p.TermEnd.Before(*p.To):
		return p.TermEnd
	}
	return p.To
}

// Validate checks every field.
func (p Position) Validate() error {
	if err := validate.Struct(p); err != nil {
		return err
	}
	if p.TermEnd != nil && !p.TermEnd.After(p.From) {
		return errs.Field("term_end", "must come after the start")
	}
	return nil
}

// AppointInput appoints a resident to an office by a council decision.
type AppointInput struct {
	BodyID       string       `json:"body_id" validate:"required,ulid"`
	ResidentID   string       `json:"resident_id" validate:"required,ulid"`
	Office       Office       `json:"office" validate:"oneof=chair vice_chair secretary leader member"`
	DecisionID   string       `json:"decision_id" validate:"required,ulid"`
	Constituency Constituency `json:"constituency,omitempty" validate:"omitempty,oneof=residents party mass_organisation organisation"`
	Represents   string       `json:"represents,omitempty" validate:"omitempty,ulid"`
	From         *time.Time   `json:"from,omitempty"`
	TermEnd      *time.Time   `json:"term_end,omitempty"`
}

// MemberInput adds a member to a group or the think tank: a resident (the
// default), or, in the think tank, an organisation.
type MemberInput struct {
	HolderKind string `json:"holder_kind,omitempty" validate:"omitempty,oneof=resident organisation"`
	HolderID   string `json:"holder_id" validate:"required,ulid"`
}

// EndInput ends a position.
type EndInput struct {
	Reason     string `json:"reason" validate:"required,text,max=200"`
	DecisionID string `json:"decision_id,omitempty" validate:"omitempty,ulid"`
}

// RenewInput renews a position's term by a council decision.
type RenewInput struct {
	DecisionID string    `json:"decision_id" validate:"required,ulid"`
	TermEnd    time.Time `json:"term_end"`
}

// PositionFilter selects positions.
type PositionFilter struct {
	CommunityID string
	BodyID      string
	HolderID    string
	Office      Office
	// ActiveAt selects positions that held at a time (started, not ended,
	// term not over); nil selects all, past and present.
	ActiveAt *time.Time
	grids.Page
}
