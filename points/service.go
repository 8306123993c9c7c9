package points

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/clock"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/service"
)

// Governance is what the bank reads of governance: the activities service
// is claimed for, the groups residents sign up to, and the offices a
// resident holds now (organisers and leaders see their volunteers'
// claims). governance.Lookup is one.
type Governance interface {
	Activity(ctx context.Context, communityID, id string) (governance.Activity, error)
	Body(ctx context.Context, communityID, id string) (governance.Body, error)
	Offices(ctx context.Context, communityID, residentID string, at time.Time) ([]governance.Held, error)
}

// Registry is what the bank reads of the registry: residents. grids.Lookup
// is one.
type Registry interface {
	Resident(ctx context.Context, communityID, id string) (grids.Resident, error)
}

// Groups lets the market's sign-up corner put residents into mutual-aid
// groups; *governance.Service is one.
type Groups interface {
	Join(ctx context.Context, communityID, groupID string) (governance.Position, error)
	AddMember(ctx context.Context, communityID, bodyID string, in governance.MemberInput) (governance.Position, error)
}

// Options configures a Service. Every field is optional.
type Options struct {
	Now    func() time.Time
	NewID  func() string
	Logger *slog.Logger
	// Groups joins residents to the groups they sign up for at a market;
	// without it sign-ups are only recorded.
	Groups Groups
	// CommandTimeout bounds a command's transaction (30 s if 0): a
	// command runs to its end even when its caller goes away, so that
	// nothing stops it halfway, but not for ever.
	CommandTimeout time.Duration
}

// Service enforces the rules of the volunteer bank over a Store, reading
// activities and groups from governance and residents and households from
// the registry.
type Service struct {
	store      Store
	governance Governance
	registry   Registry
	gate       grids.Gate // who acts: members, and workers for what they run
	groups     Groups
	now        func() time.Time
	newID      func() string
	log        *slog.Logger
	timeout    time.Duration
}

// NewService returns a Service.
//
// Over linli's own stores: NewService(st, governance.Lookup{Store: gst},
// grids.Lookup{Store: rst}, opts).
func NewService(store Store, gov Governance, registry Registry, opts Options) *Service {
	s := &Service{store: store, governance: gov, registry: registry, groups: opts.Groups, now: opts.Now, newID: opts.NewID, log: opts.Logger,
		timeout: service.Timeout(opts.CommandTimeout), gate: grids.Gate{NotMember: ErrNotMember, WorkersOnly: ErrWorkersOnly}}
	s.now, s.newID, s.log = service.Defaults(s.now, s.newID, s.log)
	return s
}

func (s *Service) clock() time.Time { return clock.Normalize(s.now()) }

// resident loads an active resident of the registry.
func (s *Service) resident(ctx context.Context, community, id, field string) (grids.Resident, error) {
	r, err := s.registry.Resident(ctx, community, id)
	if errors.Is(err, errs.NotFound) {
		return r, errs.Field(field, "no resident %s in this community", id)
	}
	if err == nil && r.Archived() {
		return r, errs.Field(field, "resident %s is archived", id)
	}
	return r, err
}

// view runs fn over the records and the ledger.
func (s *Service) view(ctx context.Context, fn func(Tx) error) error { return s.store.View(ctx, fn) }

// update runs a command's writes, to the records and the ledger, in one
// transaction: they commit together or not at all. Once begun it runs to
// its end whatever becomes of the caller (a client that hangs up does not
// cut it off), within the command timeout. fn may run more than once (a
// store retries a transaction that met a concurrent one): it sets what it
// returns afresh each time.
func (s *Service) update(ctx context.Context, fn func(Tx) error) error {
	ctx, cancel := service.Detached(ctx, s.timeout)
	defer cancel()
	return s.store.Update(ctx, fn)
}

// period checks a reporting period.
var pageOne = grids.Page{Limit: 1}

func period(from, to time.Time) error {
	if from.IsZero() || to.IsZero() {
		return errs.Field("from", "a period needs from and to")
	}
	if !to.After(from) {
		return errs.Field("to", "must come after from")
	}
	return nil
}

// Version is a number that every committed write of the community's
// bank records or books advances, from any server (Store.Version): a
// report computed at a version stays current while it does. Members read
// it.
func (s *Service) Version(ctx context.Context, communityID string) (int64, error) {
	if _, err := s.gate.Member(ctx, communityID); err != nil {
		return 0, err
	}
	return s.store.Version(ctx, communityID)
}
