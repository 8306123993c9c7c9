package points

import (
	"context"
	"errors"
	"time"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/record"
	"github.com/linli-go/linli/internal/clock"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// MarketInput plans a market (义集).
type MarketInput struct {
	Title  string    `json:"title" validate:"required,text,max=200"`
	Date   time.Time `json:"date"`
	Place  string    `json:"place" validate:"required,text,max=200"`
	Stalls []Stall   `json:"stalls" validate:"max=200,dive"`
}

// CreateMarket plans a market; workers organise them.
func (s *Service) CreateMarket(ctx context.Context, communityID string, in MarketInput) (Market, error) {
	p, err := s.gate.Administrator(ctx, communityID)
	if err != nil {
		return Market{}, err
	}
	if err := s.checkMarket(ctx, communityID, in); err != nil {
		return Market{}, err
	}
	now := s.clock()
	m := Market{ID: s.newID(), CommunityID: communityID, Title: in.Title, Date: clock.Normalize(in.Date), Place: in.Place, Stalls: stalls(in.Stalls),
		CreatedBy: p.ID, CreatedAt: now, UpdatedAt: now}
	return m, s.update(ctx, func(tx Tx) error { return tx.Markets().Create(ctx, m) })
}

func stalls(in []Stall) []Stall {
	if in == nil {
		return []Stall{}
	}
	return in
}

func (s *Service) checkMarket(ctx context.Context, community string, in MarketInput) error {
	if err := validate.Struct(in); err != nil {
		return err
	}
	if in.Date.IsZero() {
		return errs.Field("date", "is required")
	}
	for _, st := range in.Stalls {
		if err := s.party(ctx, community, st.Host, "stalls.host"); err != nil {
			return err
		}
	}
	return nil
}

// UpdateMarket replaces a market's plan.
func (s *Service) UpdateMarket(ctx context.Context, communityID, id string, in MarketInput) (Market, error) {
	if _, err := s.gate.Administrator(ctx, communityID); err != nil {
		return Market{}, err
	}
	if err := s.checkMarket(ctx, communityID, in); err != nil {
		return Market{}, err
	}
	var m Market
	err := s.update(ctx, func(tx Tx) error {
		var err error
		if m, err = tx.Markets().Get(ctx, communityID, id); err != nil {
			return err
		}
		m.Title, m.Date, m.Place, m.Stalls, m.UpdatedAt = in.Title, clock.Normalize(in.Date), in.Place, stalls(in.Stalls), s.clock()
		return tx.Markets().Update(ctx, m)
	})
	return m, err
}

// Market returns a market.
func (s *Service) Market(ctx context.Context, communityID, id string) (Market, error) {
	if _, err := s.gate.Member(ctx, communityID); err != nil {
		return Market{}, err
	}
	var m Market
	err := s.view(ctx, func(tx Tx) error {
		var err error
		m, err = tx.Markets().Get(ctx, communityID, id)
		return err
	})
	return m, err
}

// Markets lists markets in [from, to), any if nil.
func (s *Service) Markets(ctx context.Context, communityID string, from, to *time.Time, pg grids.Page) ([]Market, int, error) {
	if _, err := s.gate.Member(ctx, communityID); err != nil {
		return nil, 0, err
	}
	pg, err := pg.Checked()
	if err != nil {
		return nil, 0, err
	}
	var out []Market
	var total int
	err = s.view(ctx, func(tx Tx) error {
		var err error
		out, total, err = tx.Markets().Find(ctx, record.Filter{CommunityID: communityID, From: from, To: to, Page: pg})
		return err
	})
	return out, total, err
}

// SignUpInput joins a resident to a mutual-aid group at a market.
type SignUpInput struct {
	// ResidentID joins; the acting resident if empty (a worker at the
	// corner may sign up others).
	ResidentID string `json:"resident_id,omitempty" validate:"omitempty,ulid"`
	GroupID    string `json:"group_id" validate:"required,ulid"`
}

// SignUp records a resident joining a group at the market's sign-up
// corner and, with Options.Groups, makes them a member.
func (s *Service) SignUp(ctx context.Context, communityID, marketID string, in SignUpInput) (SignUp, error) {
	p, err := s.gate.Member(ctx, communityID)
	if err != nil {
		return SignUp{}, err
	}
	if err := validate.Struct(in); err != nil {
		return SignUp{}, err
	}
	if in.ResidentID == "" {
		if p.ResidentID == "" {
			return SignUp{}, errs.Field("resident_id", "is required: the acting principal is not a resident")
		}
		in.ResidentID = p.ResidentID
	}
	self := in.ResidentID == p.ResidentID
	if !self && !p.Administers(communityID) {
		return SignUp{}, forbidden(ErrNotYours)
	}
	if _, err := s.resident(ctx, communityID, in.ResidentID, "resident_id"); err != nil {
		return SignUp{}, err
	}
	b, err := s.governance.Body(ctx, communityID, in.GroupID)
	if errors.Is(err, errs.NotFound) || err == nil && (b.Kind != governance.Group || b.Archived()) {
		return SignUp{}, errs.Field("group_id", "no active mutual-aid group %s in this community", in.GroupID)
	}
	if err != nil {
		return SignUp{}, err
	}
	var dup bool
	if err := s.view(ctx, func(tx Tx) error {
		if _, err := tx.Markets().Get(ctx, communityID, marketID); err != nil {
			return err
		}
		have, _, err := tx.SignUps().Find(ctx, record.Filter{CommunityID: communityID, ResidentID: in.ResidentID, RefID: marketID, Status: in.GroupID})
		dup = len(have) > 0
		return err
	}); err != nil {
		return SignUp{}, err
	}
	if dup {
		return SignUp{}, ErrSignedUpAlready.Refuse("resident %s signed up for this group at this market already", in.ResidentID)
	}
	su := SignUp{ID: s.newID(), CommunityID: communityID, MarketID: marketID, ResidentID: in.ResidentID, GroupID: in.GroupID, RecordedBy: p.ID, At: s.clock()}
	if s.groups != nil {
		var pos governance.Position
		if self {
			pos, err = s.groups.Join(ctx, communityID, in.GroupID)
		} else {
			pos, err = s.groups.AddMember(ctx, communityID, in.GroupID, governance.MemberInput{HolderKind: "resident", HolderID: in.ResidentID})
		}
		if err != nil && !errors.Is(err, errs.Conflict) {
			return SignUp{}, err
		}
		su.PositionID = pos.ID
	}
	return su, s.update(ctx, func(tx Tx) error { return tx.SignUps().Create(ctx, su) })
}

// SignUps lists a market's sign-ups.
func (s *Service) SignUps(ctx context.Context, communityID, marketID string) ([]SignUp, error) {
	if _, err := s.gate.Member(ctx, communityID); err != nil {
		return nil, err
	}
	var out []SignUp
	err := s.view(ctx, func(tx Tx) error {
		if _, err := tx.Markets().Get(ctx, communityID, marketID); err != nil {
			return err
		}
		var err error
		out, _, err = tx.SignUps().Find(ctx, record.Filter{CommunityID: communityID, RefID: marketID})
		return err
	})
	return out, err
}
