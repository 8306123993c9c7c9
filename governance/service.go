package governance

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"time"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/clock"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/service"
)

// Options configures a Service. Every field is optional.
type Options struct {
	Now    func() time.Time
	NewID  func() string
	Logger *slog.Logger
}

// Service enforces the rules of governance over a Store, reading the
// registry (residents, districts, grids) from a grids.Store.
type Service struct {
	store    Store
	registry grids.Store
	now      func() time.Time
	newID    func() string
	log      *slog.Logger
}

// NewService returns a Service over store, checking people and places
// against registry.
func NewService(store Store, registry grids.Store, opts Options) *Service {
	s := &Service{store: store, registry: registry, now: opts.Now, newID: opts.NewID, log: opts.Logger}
	s.now, s.newID, s.log = service.Defaults(s.now, s.newID, s.log)
	return s
}

func (s *Service) clock() time.Time { return clock.Normalize(s.now()) }

func (s *Service) principal(ctx context.Context) (grids.Principal, error) {
	p, ok := grids.PrincipalFrom(ctx)
	if !ok {
		return p, grids.ErrNoPrincipal
	}
	return p, nil
}

// actor is the acting principal with what they hold in the community.
type actor struct {
	grids.Principal
	community string
	held      []Position // active positions of the principal's resident record
	council   string     // the council's ID, "" if none
}

// act loads the acting principal's positions; only the community's members
// act in it.
func (s *Service) act(ctx context.Context, tx Tx, community string) (actor, error) {
	p, err := s.principal(ctx)
	if err != nil {
		return actor{}, err
	}
	if err := member(p, community); err != nil {
		return actor{}, err
	}
	a := actor{Principal: p, community: community}
	if c, err := councilOf(ctx, tx, community); err == nil {
		a.council = c.ID
	}
	if p.ResidentID != "" {
		now := s.clock()
		ps, _, err := tx.FindPositions(ctx, PositionFilter{CommunityID: community, HolderID: p.ResidentID, ActiveAt: &now})
		if err != nil {
			return a, err
		}
		a.held = ps
	}
	return a, nil
}

// Version is a number that every committed write of the community's
// governance records advances, from any server (Store.Version): a report
// computed at a version stays current while it does. Members read it.
func (s *Service) Version(ctx context.Context, communityID string) (int64, error) {
	p, err := s.principal(ctx)
	if err != nil {
		return 0, err
	}
	if err := member(p, communityID); err != nil {
		return 0, err
	}
	return s.store.Version(ctx, communityID)
}

// administers: a community worker (or admin).
func (a actor) administers() bool { return a.Administers(a.community) }

// holds reports an active position in body, in one of offices (any if
// none given).
func (a actor) holds(body string, offices ...Office) bool {
	return slices.ContainsFunc(a.held, func(p Position) bool {
		return p.BodyID == body && (len(offices) == 0 || slices.Contains(offices, p.Office))
	})
}

// onCouncil: a worker, or a holder of a council seat.
func (a actor) onCouncil() bool { return a.administers() || a.council != "" && a.holds(a.council) }

// chairs: a worker, the council, or the chair (leader) of body.
func (a actor) chairs(body string) bool { return a.onCouncil() || a.holds(body, Chair, Leader) }

// councilOf returns the community's active council.
func councilOf(ctx context.Context, tx Tx, community string) (Body, error) {
	bs, _, err := tx.FindBodies(ctx, BodyFilter{CommunityID: community, Kind: Council, Page: grids.Page{Limit: 1}})
	if err != nil {
		return Body{}, err
	}
	if len(bs) == 0 {
		return Body{}, ErrNoCouncil.Refusal()
	}
	return bs[0], nil
}

// activeBody loads a body that is not archived, naming field if it is not.
func activeBody(ctx context.Context, tx Tx, community, id, field string) (Body, error) {
	b, err := tx.Body(ctx, community, id)
	if errors.Is(err, errs.NotFound) {
		return b, errs.Field(field, "no body %s in this community", id)
	}
	if err != nil {
		return b, err
	}
	if b.Archived() {
		return b, errs.Field(field, "%s %q is archived", b.Kind, b.Name)
	}
	return b, nil
}

// resident checks a resident is active in the registry. Registry reads
// happen before a governance transaction, never inside one: a store
// holding both (memstore) may lock them together.
func (s *Service) resident(ctx context.Context, community, id, field string) error {
	return s.registry.View(ctx, func(tx grids.Tx) error {
		r, err := tx.Resident(ctx, community, id)
		if errors.Is(err, errs.NotFound) {
			return errs.Field(field, "no resident %s in this community", id)
		}
		if err != nil {
			return err
		}
		if r.Archived() {
			return errs.Field(field, "resident %s is archived", id)
		}
		return nil
	})
}

// place checks a district or grid of the registry.
func (s *Service) place(ctx context.Context, community, districtID, gridID string) error {
	return s.registry.View(ctx, func(tx grids.Tx) error {
		if districtID != "" {
			if d, err := tx.District(ctx, community, districtID); err != nil || d.Archived() {
				return errs.Field("district_id", "no active district %s in this community", districtID)
			}
		}
		if gridID != "" {
			if g, err := tx.Grid(ctx, community, gridID); err != nil || g.Archived() {
				return errs.Field("grid_id", "no active grid %s in this community", gridID)
			}
		}
		return nil
	})
}

// Setup gives a community its council of nine, its think tank and the
// case's eight committees, making only those it lacks; a worker (or admin)
// runs it, and running it again changes nothing.
func (s *Service) Setup(ctx context.Context, communityID string) ([]Body, error) {
	p, err := s.principal(ctx)
	if err != nil {
		return nil, err
	}
	if !p.Administers(communityID) {
		return nil, forbidden(ErrAdminist)
	}
	if err := s.registry.View(ctx, func(tx grids.Tx) error { _, err := tx.Community(ctx, communityID); return err }); err != nil {
		return nil, err
	}
	var out []Body
	err = s.store.Update(ctx, func(tx Tx) error {
		out = out[:0]
		existing, _, err := tx.FindBodies(ctx, BodyFilter{CommunityID: communityID})
		if err != nil {
			return err
		}
		have := func(key string) (Body, bool) {
			i := slices.IndexFunc(existing, func(b Body) bool { return b.Key == key })
			if i < 0 {
				return Body{}, false
			}
			return existing[i], true
		}
		now := s.clock()
		ensure := func(b Body, parent string) (Body, error) {
			if got, ok := have(b.Key); ok {
				return got, nil
			}
			b.ID, b.CommunityID, b.ParentID = s.newID(), communityID, parent
			b.Stamps = grids.Stamps{CreatedAt: now, UpdatedAt: now}
			return b, tx.CreateBody(ctx, b)
		}
		council, err := ensure(defaultCouncil, "")
		if err != nil {
			return err
		}
		tank, err := ensure(defaultThinkTank, "")
		if err != nil {
			return err
		}
		out = append(out, council, tank)
		for _, c := range DefaultCommittees {
			c.Kind = Committee
			b, err := ensure(c, council.ID)
			if err != nil {
				return err
			}
			out = append(out, b)
		}
		return nil
	})
	return out, err
}

// Check tells the registry whether a committee, group or organisation
// exists and is active: Service is a grids.Bodies.
func (s *Service) Check(ctx context.Context, community string, ref grids.Ref, field string) error {
	return s.store.View(ctx, func(tx Tx) error {
		switch ref.Kind {
		case "committee", "group":
			b, err := activeBody(ctx, tx, community, ref.ID, field)
			if err != nil {
				return err
			}
			if string(b.Kind) != ref.Kind {
				return errs.Field(field, "%s is a %s, not a %s", ref.ID, b.Kind, ref.Kind)
			}
		case "organisation":
			o, err := tx.Organisation(ctx, community, ref.ID)
			if err != nil || o.Archived() {
				return errs.Field(field, "no active organisation %s in this community", ref.ID)
			}
		}
		return nil
	})
}

var _ grids.Bodies = (*Service)(nil)

// SpeaksForGroups reports whether a resident holds now a council seat, a
// committee's chair or a group's lead: who raises needs for a group
// (grids.Bodies).
func (s *Service) SpeaksForGroups(ctx context.Context, community, residentID string) (bool, error) {
	held, err := Lookup{Store: s.store}.Offices(ctx, community, residentID, s.clock())
	if err != nil {
		return false, err
	}
	for _, h := range held {
		switch {
		case h.BodyKind == Council,
			h.BodyKind == Committee && h.Office == Chair,
			h.BodyKind == Group && h.Office == Leader:
			return true, nil
		}
	}
	return false, nil
}
