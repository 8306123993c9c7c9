package governance

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// The think tank's stairwell briefings (民生智库宣讲): the case's social
// workers held 30 of them, covering every stairwell of the community, to
// gather needs and find the residents who would lead. A briefing is
// recorded when it has been held; the coverage report says which
// stairwells none has reached, and a nomination may cite the briefing that
// recommended its candidate.

// Stairwell is one stairwell (单元) of a building. A household's unit is
// written stairwell-room ("2-301": stairwell 2, room 301); a unit without
// a dash is its own stairwell.
type Stairwell struct {
	BuildingID string `json:"building_id" validate:"required,ulid"`
	Stairwell  string `json:"stairwell" validate:"required,text,max=32"`
}

// StairwellOf is the stairwell a unit is in.
func StairwellOf(unit string) string {
	if i := strings.IndexByte(unit, '-'); i > 0 {
		return unit[:i]
	}
	return unit
}

// Candidate is a resident a briefing put forward as a possible leader.
type Candidate struct {
	ResidentID string `json:"resident_id" validate:"required,ulid"`
	Note       string `json:"note,omitempty" validate:"omitempty,text,max=200"`
}

// Briefing is one of the think tank's stairwell briefings: when and where
// it was held, the stairwells it covered, who attended, and the needs and
// candidate leaders it raised.
type Briefing struct {
	ID          string      `json:"id" validate:"ulid"`
	CommunityID string      `json:"community_id" validate:"ulid"`
	BodyID      string      `json:"body_id" validate:"required,ulid"` // the think tank
	HeldAt      time.Time   `json:"held_at"`
	Place       string      `json:"place,omitempty" validate:"omitempty,text,max=200"`
	Stairwells  []Stairwell `json:"stairwells" validate:"required,min=1,max=100,dive"`
	Attendees   []string    `json:"attendees" validate:"max=1000,unique,dive,ulid"`
	Needs       []string    `json:"needs" validate:"max=200,unique,dive,ulid"`
	Candidates  []Candidate `json:"candidates" validate:"max=50,dive"`
	RecordedBy  string      `json:"recorded_by"`
	CreatedAt   time.Time   `json:"created_at"`
}

// Validate checks every field.
func (b Briefing) Validate() error { return validate.Struct(b) }

// BriefingInput records a briefing that was held.
type BriefingInput struct {
	HeldAt     time.Time   `json:"held_at"`
	Place      string      `json:"place,omitempty"`
	Stairwells []Stairwell `json:"stairwells"`
	Attendees  []string    `json:"attendees,omitempty"`
	Needs      []string    `json:"needs,omitempty"`
	Candidates []Candidate `json:"candidates,omitempty"`
}

// BriefingFilter selects briefings; From and To bound when they were held.
type BriefingFilter struct {
	CommunityID string
	From, To    *time.Time
	grids.Page
}

// Coverage is how far the briefings have reached: the community's
// stairwells (those with households), how many a briefing covered, and
// those none has, by building and stairwell.
type Coverage struct {
	Briefings  int         `json:"briefings"`
	Stairwells int         `json:"stairwells"`
	Briefed    int         `json:"briefed"`
	NotBriefed []Stairwell `json:"not_briefed"`
}

// RecordBriefing records a briefing the think tank held (workers and the
// think tank's members): every stairwell must be one of the community's,
// every attendee and candidate a resident, every need one recorded.
func (s *Service) RecordBriefing(ctx context.Context, communityID string, in BriefingInput) (Briefing, error) {
	if in.HeldAt.IsZero() {
		return Briefing{}, errs.Field("held_at", "is required: when it was held")
	}
	now := s.clock()
	if in.HeldAt.After(now) {
		return Briefing{}, errs.Field("held_at", "is in the future: a briefing is recorded once held")
	}
	b := Briefing{ID: s.newID(), CommunityID: communityID, HeldAt: normal(in.HeldAt), Place: in.Place, Stairwells: in.Stairwells,
		Attendees: orEmpty(in.Attendees), Needs: orEmpty(in.Needs), Candidates: orEmpty(in.Candidates), CreatedAt: now}
	err := s.view(ctx, communityID, func(tx Tx, _ actor) error {
		tanks, _, err := tx.FindBodies(ctx, BodyFilter{CommunityID: communityID, Kind: ThinkTank})
		if err != nil {
			return err
		}
		if len(tanks) == 0 {
			return ErrNoCouncil.Refuse("the community has no think tank: set up its governance first")
		}
		b.BodyID = tanks[0].ID
		return nil
	})
	if err != nil {
		return b, err
	}
	if err := b.Validate(); err != nil {
		return b, err
	}
	if err := s.briefingRefs(ctx, communityID, b); err != nil {
		return b, err
	}
	err = s.update(ctx, communityID, func(tx Tx, a actor) error {
		if !a.administers() && !a.holds(b.BodyID) {
			return forbidden(ErrBrief)
		}
		b.RecordedBy = a.who()
		return tx.CreateBriefing(ctx, b)
	})
	return b, err
}

// orEmpty is s, or an empty slice for nil: lists are stored as [].
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// briefingRefs checks a briefing's references against the registry.
func (s *Service) briefingRefs(ctx context.Context, communityID string, b Briefing) error {
	return s.registry.View(ctx, func(tx grids.Tx) error {
		units := map[string][]string{} // building → its stairwells
		for i, sw := range b.Stairwells {
			field := fmt.Sprintf("stairwells[%d]", i)
			if _, ok := units[sw.BuildingID]; !ok {
				if _, err := tx.Building(ctx, communityID, sw.BuildingID); err != nil {
					if errors.Is(err, errs.NotFound) {
						return errs.Field(field+".building_id", "no building %s in this community", sw.BuildingID)
					}
					return err
				}
				hs, _, err := tx.FindHouseholds(ctx, grids.HouseholdFilter{CommunityID: communityID, BuildingID: sw.BuildingID, Page: grids.Page{NoTotal: true}})
				if err != nil {
					return err
				}
				units[sw.BuildingID] = []string{}
				for _, h := range hs {
					units[sw.BuildingID] = append(units[sw.BuildingID], StairwellOf(h.Unit))
				}
			}
			if !slices.Contains(units[sw.BuildingID], sw.Stairwell) {
				return errs.Field(field+".stairwell", "building %s has no households in stairwell %q", sw.BuildingID, sw.Stairwell)
			}
		}
		for i, id := range b.Attendees {
			if _, err := tx.Resident(ctx, communityID, id); err != nil {
				return errs.Field(fmt.Sprintf("attendees[%d]", i), "no resident %s in this community", id)
			}
		}
		for i, c := range b.Candidates {
			if _, err := tx.Resident(ctx, communityID, c.ResidentID); err != nil {
				return errs.Field(fmt.Sprintf("candidates[%d].resident_id", i), "no resident %s in this community", c.ResidentID)
			}
		}
		for i, id := range b.Needs {
			if _, err := tx.Need(ctx, communityID, id); err != nil {
				return errs.Field(fmt.Sprintf("needs[%d]", i), "no need %s in this community", id)
			}
		}
		return nil
	})
}

// Briefing returns a briefing.
func (s *Service) Briefing(ctx context.Context, communityID, id string) (Briefing, error) {
	return read(ctx, s, communityID, func(tx Tx) (Briefing, error) { return tx.Briefing(ctx, communityID, id) })
}

// FindBriefings lists briefings, by when they were held.
func (s *Service) FindBriefings(ctx context.Context, f BriefingFilter) ([]Briefing, int, error) {
	return list(ctx, s, f.CommunityID, &f.Page, func(tx Tx) ([]Briefing, int, error) { return tx.FindBriefings(ctx, f) })
}

// BriefingCoverage reports which of the community's stairwells the
// briefings have covered, and lists those they have not.
func (s *Service) BriefingCoverage(ctx context.Context, communityID string) (Coverage, error) {
	covered := map[Stairwell]bool{}
	var out Coverage
	err := s.view(ctx, communityID, func(tx Tx, _ actor) error {
		bs, _, err := tx.FindBriefings(ctx, BriefingFilter{CommunityID: communityID, Page: grids.Page{NoTotal: true}})
		for _, b := range bs {
			for _, sw := range b.Stairwells {
				covered[sw] = true
			}
		}
		out.Briefings = len(bs)
		return err
	})
	if err != nil {
		return out, err
	}
	all := map[Stairwell]bool{}
	err = s.registry.View(ctx, func(tx grids.Tx) error {
		hs, _, err := tx.FindHouseholds(ctx, grids.HouseholdFilter{CommunityID: communityID, Page: grids.Page{NoTotal: true}})
		for _, h := range hs {
			all[Stairwell{BuildingID: h.BuildingID, Stairwell: StairwellOf(h.Unit)}] = true
		}
		return err
	})
	if err != nil {
		return out, err
	}
	out.Stairwells, out.NotBriefed = len(all), []Stairwell{}
	for sw := range all {
		if covered[sw] {
			out.Briefed++
		} else {
			out.NotBriefed = append(out.NotBriefed, sw)
		}
	}
	slices.SortFunc(out.NotBriefed, func(a, b Stairwell) int {
		return cmp.Or(cmp.Compare(a.BuildingID, b.BuildingID), cmp.Compare(a.Stairwell, b.Stairwell))
	})
	return out, nil
}
