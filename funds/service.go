package funds

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/internal/clock"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/service"
)

// Governance is what the funds read of governance: the committees and
// organisations a proposal names, the council decisions an award records,
// and the offices a resident holds now (the council awards; a reviewer
// tied to a committee is recused). governance.Lookup is one.
type Governance interface {
	Body(ctx context.Context, communityID, id string) (governance.Body, error)
	Organisation(ctx context.Context, communityID, id string) (governance.Organisation, error)
	Decision(ctx context.Context, communityID, id string) (governance.Decision, error)
	Offices(ctx context.Context, communityID, residentID string, at time.Time) ([]governance.Held, error)
}

// Registry is what the funds read of the registry: the residents on a
// panel and the needs a proposal answers. grids.Lookup is one.
type Registry interface {
	Resident(ctx context.Context, communityID, id string) (grids.Resident, error)
	Need(ctx context.Context, communityID, id string) (grids.Need, error)
}

// Options configures a Service. Every field is optional.
type Options struct {
	Now    func() time.Time
	NewID  func() string
	Logger *slog.Logger
	// Zone is the time zone of months in reports (Asia/Shanghai if nil).
	Zone *time.Location
	// CommandTimeout bounds a command's transaction (30 s if 0): a
	// command runs to its end even when its caller goes away, so that
	// nothing stops it halfway, but not for ever.
	CommandTimeout time.Duration
}

// Service enforces the rules of the funds over a Store, reading bodies,
// positions and organisations from governance and needs from the registry.
type Service struct {
	store      Store
	governance Governance
	registry   Registry
	gate       grids.Gate // who acts: members, and workers for what they run
	now        func() time.Time
	newID      func() string
	log        *slog.Logger
	zone       *time.Location
	timeout    time.Duration
}

// NewService returns a Service.
//
// Over linli's own stores: NewService(st, governance.Lookup{Store: gst},
// grids.Lookup{Store: rst}, opts).
func NewService(store Store, gov Governance, registry Registry, opts Options) *Service {
	s := &Service{store: store, governance: gov, registry: registry, now: opts.Now, newID: opts.NewID, log: opts.Logger, zone: opts.Zone,
		timeout: service.Timeout(opts.CommandTimeout), gate: grids.Gate{NotMember: ErrNotMember, WorkersOnly: ErrWorkersOnly}}
	s.now, s.newID, s.log = service.Defaults(s.now, s.newID, s.log)
	if s.zone == nil {
		if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
			s.zone = loc
		} else {
			s.zone = time.FixedZone("CST", 8*3600)
		}
	}
	return s
}

func (s *Service) clock() time.Time { return clock.Normalize(s.now()) }

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

// booksOf is the community's ledger in tx.
func booksOf(tx Tx, community string) ledger.Books { return ledger.Books{Tx: tx.Ledger(community)} }

// holds reports whether resident holds an active position in body, or in
// the council if body is "".
func (s *Service) holds(ctx context.Context, community, resident, body string, kind governance.BodyKind) (bool, error) {
	if resident == "" {
		return false, nil
	}
	held, err := s.governance.Offices(ctx, community, resident, s.clock())
	if err != nil {
		return false, err
	}
	for _, h := range held {
		if body != "" && h.BodyID == body || body == "" && h.BodyKind == kind {
			return true, nil
		}
	}
	return false, nil
}

// pastMonth checks the period of takings or of a contribution: a month
// that has begun, not before clock.Earliest.
func (s *Service) pastMonth(key string) error {
	start, _, err := s.month(key)
	switch {
	case err != nil:
		return errs.Field("period", "is a month written YYYY-MM, e.g. 2026-03")
	case !start.Before(s.clock()):
		return errs.Field("period", "has not begun")
	case start.Before(clock.Earliest.AddDate(0, 0, -1)):
		return errs.Field("period", "is before %s", clock.Earliest.Format("2006-01"))
	}
	return nil
}

// month is the [start, end) of the month of key YYYY-MM in the zone.
func (s *Service) month(key string) (time.Time, time.Time, error) {
	t, err := time.ParseInLocation("2006-01", key, s.zone)
	if err != nil {
		return t, t, errs.Field("month", "is a month written YYYY-MM, e.g. 2026-03")
	}
	return t.UTC(), t.AddDate(0, 1, 0).UTC(), nil
}

func contains(xs []string, x string) bool { return slices.Contains(xs, x) }

// Version is a number that every committed write of the community's
// funds records or books advances, from any server (Store.Version): a
// report computed at a version stays current while it does. Members read
// it.
func (s *Service) Version(ctx context.Context, communityID string) (int64, error) {
	if _, err := s.gate.Member(ctx, communityID); err != nil {
		return 0, err
	}
	return s.store.Version(ctx, communityID)
}
