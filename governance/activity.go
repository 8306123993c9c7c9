package governance

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// Participant is a resident's part in an activity: who, and for how many
// whole minutes of service. Whole minutes keep hours exact for the points
// the volunteer bank pays.
type Participant struct {
	ResidentID string `json:"resident_id" validate:"required,ulid"`
	Minutes    int    `json:"minutes" validate:"gte=1"`
}

// MaxActivity bounds an activity's length.
const MaxActivity = 24 * time.Hour

// Activity is something a group or committee ran: when, where, who
// organised it, which kind of service it was, and who took part for how
// long.
type Activity struct {
	ID          string `json:"id" validate:"ulid"`
	CommunityID string `json:"community_id" validate:"ulid"`
	BodyID      string `json:"body_id" validate:"required,ulid"`
	Title       string `json:"title" validate:"required,text,max=200"`
	// Service is the kind of service (patrol, cleaning, elder_visit …): the
	// case counts "20+ kinds".
	Service      string        `json:"service" validate:"required,tag"`
	Place        string        `json:"place,omitempty" validate:"omitempty,text,max=200"`
	Start        time.Time     `json:"start"`
	End          time.Time     `json:"end"`
	OrganiserID  string        `json:"organiser_id,omitempty" validate:"omitempty,ulid"`
	Participants []Participant `json:"participants" validate:"max=2000,dive"`
	CreatedBy    string        `json:"created_by"`
	CreatedAt    time.Time     `json:"created_at"`
	UpdatedAt    time.Time     `json:"updated_at"`
}

// Validate checks every field: no participant serves longer than the
// activity lasts, nor appears twice.
func (a Activity) Validate() error {
	if err := validate.Struct(a); err != nil {
		return err
	}
	length := a.End.Sub(a.Start)
	switch {
	case a.Start.IsZero():
		return errs.Field("start", "is required")
	case length <= 0:
		return errs.Field("end", "must come after the start")
	case length > MaxActivity:
		return errs.Field("end", "an activity lasts at most %s; record longer work as several", MaxActivity)
	}
	seen := map[string]bool{}
	var fields []errs.FieldError
	for i, p := range a.Participants {
		if seen[p.ResidentID] {
			fields = append(fields, errs.FieldError{Field: fmt.Sprintf("participants[%d].resident_id", i), Message: "appears twice"})
		}
		seen[p.ResidentID] = true
		if time.Duration(p.Minutes)*time.Minute > length {
			fields = append(fields, errs.FieldError{Field: fmt.Sprintf("participants[%d].minutes", i), Message: fmt.Sprintf("exceeds the activity's %d minutes", int(length.Minutes()))})
		}
	}
	if len(fields) > 0 {
		return errs.Fields(fields...)
	}
	return nil
}

// Minutes is the activity's total minutes of service.
func (a Activity) Minutes() int {
	n := 0
	for _, p := range a.Participants {
		n += p.Minutes
	}
	return n
}

// Hours turns minutes into exact hours (to the hundredth, half up).
func Hours(minutes int) decimal.Decimal {
	return decimal.NewFromInt(int64(minutes)).DivRound(decimal.NewFromInt(60), 2)
}

// ActivityInput records an activity.
type ActivityInput struct {
	BodyID       string        `json:"body_id"`
	Title        string        `json:"title"`
	Service      string        `json:"service"`
	Place        string        `json:"place,omitempty"`
	Start        time.Time     `json:"start"`
	End          time.Time     `json:"end"`
	OrganiserID  string        `json:"organiser_id,omitempty"`
	Participants []Participant `json:"participants,omitempty"`
}

// ActivityUpdate changes the fields that are set; Participants replaces
// the list.
type ActivityUpdate struct {
	Title        *string        `json:"title,omitempty"`
	Service      *string        `json:"service,omitempty"`
	Place        *string        `json:"place,omitempty"`
	Start        *time.Time     `json:"start,omitempty"`
	End          *time.Time     `json:"end,omitempty"`
	OrganiserID  *string        `json:"organiser_id,omitempty"`
	Participants *[]Participant `json:"participants,omitempty"`
}

func (u ActivityUpdate) apply(a *Activity) {
	for _, f := range []struct {
		to   *string
		from *string
	}{{&a.Title, u.Title}, {&a.Service, u.Service}, {&a.Place, u.Place}, {&a.OrganiserID, u.OrganiserID}} {
		if f.from != nil {
			*f.to = *f.from
		}
	}
	if u.Start != nil {
		a.Start = *u.Start
	}
	if u.End != nil {
		a.End = *u.End
	}
	if u.Participants != nil {
		a.Participants = *u.Participants
	}
}

// ActivityFilter selects activities; From and To bound their start.
type ActivityFilter struct {
	CommunityID   string
	BodyID        string
	Service       string
	ParticipantID string
	From, To      *time.Time
	grids.Page
}
