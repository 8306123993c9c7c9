package points

import (
	"context"
	"errors"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/grids/record"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// ExchangeInput exchanges points for goods or a service.
type ExchangeInput struct {
	// ID, if given, makes a retry safe: the exchange is made once.
	ID string `json:"id,omitempty" validate:"omitempty,ulid"`
	// ResidentID whose points pay; the acting resident if empty.
	ResidentID string `json:"resident_id,omitempty" validate:"omitempty,ulid"`
	ItemID     string `json:"item_id" validate:"required,ulid"`
	Quantity   int64  `json:"quantity" validate:"gte=1,lte=1000"`
	// Reserve holds the points and the items for pickup within the
	// policy's reservation hours instead of handing them over now.
	Reserve  bool   `json:"reserve,omitempty"`
	MarketID string `json:"market_id,omitempty" validate:"omitempty,ulid"`
}

// CloseInput gives the reason an exchange is cancelled or returned.
type CloseInput struct {
	Reason string `json:"reason" validate:"required,multiline,max=1000"`
}

// exchangeTransfers are the linked pair of an exchange: points from the
// passbook to the redeemed account, items from the shelf to the handed-out
// account; pending for a reservation, which holds them for timeout
// seconds.
func exchangeTransfers(e Exchange, amount int64, timeout uint32) []ledger.Transfer {
	c := e.CommunityID
	flags := ledger.TransferFlags(0)
	if timeout > 0 {
		flags = ledger.Pending
	}
	return []ledger.Transfer{
		{ID: transferID(c, e.ID, "points"), DebitAccountID: passbookAccount(c, e.ResidentID).ID, CreditAccountID: redeemedAccount(c).ID, Amount: amount,
			UserData128: owner(e.ID), UserData64: uint64(e.PolicyVersion), Timeout: timeout, Ledger: LedgerPoints, Code: CodeExchange, Flags: flags},
		{ID: transferID(c, e.ID, "stock"), DebitAccountID: shelfAccount(c, e.ItemID).ID, CreditAccountID: handedOutAccount(c).ID, Amount: e.Quantity,
			UserData128: owner(e.ID), UserData64: uint64(e.PolicyVersion), Timeout: timeout, Ledger: LedgerStock, Code: CodeExchange, Flags: flags},
	}
}

// heldFor is how long a reservation holds, in the ledger's seconds.
func (e Exchange) heldFor() uint32 {
	if e.ExpiresAt == nil {
		return 0
	}
	return uint32(e.ExpiresAt.Sub(e.CreatedAt) / time.Second)
}

// made are the transfers an exchange made when it was made: posted at
// once, or held until pickup.
func (e Exchange) made() []ledger.Transfer {
	amount, _ := units("points", e.Points)
	return exchangeTransfers(e, amount, e.heldFor())
}

// returns are the pair that reverses a handed-over exchange.
func (e Exchange) returns() []ledger.Transfer {
	amount, _ := units("points", e.Points)
	ts := exchangeTransfers(e, amount, 0)
	for i := range ts {
		t := &ts[i]
		t.ID = transferID(e.CommunityID, e.ID, "return-"+t.ID.String())
		t.DebitAccountID, t.CreditAccountID = t.CreditAccountID, t.DebitAccountID
		t.Code = CodeReturn
	}
	return ts
}

// Exchange takes the points from the resident and the items from the
// shelf in one step: both or neither. Residents exchange their own
// points; workers serve them at the counter.
func (s *Service) Exchange(ctx context.Context, communityID string, in ExchangeInput) (Exchange, error) {
	p, err := s.gate.Member(ctx, communityID)
	if err != nil {
		return Exchange{}, err
	}
	if err := validate.Struct(in); err != nil {
		return Exchange{}, err
	}
	if in.ResidentID == "" {
		if p.ResidentID == "" {
			return Exchange{}, errs.Field("resident_id", "is required: the acting principal is not a resident")
		}
		in.ResidentID = p.ResidentID
	}
	if in.ResidentID != p.ResidentID && !p.Administers(communityID) {
		return Exchange{}, forbidden(ErrNotYours)
	}
	if _, err := s.resident(ctx, communityID, in.ResidentID, "resident_id"); err != nil {
		return Exchange{}, err
	}
	now := s.clock()
	if in.ID == "" {
		in.ID = s.newID()
	}
	var e Exchange
	err = s.update(ctx, func(tx Tx) error {
		if old, err := tx.Exchanges().Get(ctx, communityID, in.ID); err == nil {
			if old.ResidentID != in.ResidentID || old.ItemID != in.ItemID || old.Quantity != in.Quantity {
				return ErrIDReused.Refuse("exchange %s exists with other details", in.ID)
			}
			e = s.reconcile(ctx, old)
			return nil
		}
		it, err := tx.Items().Get(ctx, communityID, in.ItemID)
		if errors.Is(err, errs.NotFound) {
			return errs.Field("item_id", "no item %s in the catalogue", in.ItemID)
		} else if err != nil {
			return err
		}
		if it.Retired {
			return errs.Field("item_id", "%s is retired from the catalogue", it.Name)
		}
		if in.MarketID != "" {
			if _, err := tx.Markets().Get(ctx, communityID, in.MarketID); err != nil {
				return errs.Field("market_id", "no market %s in this community", in.MarketID)
			}
		}
		pol, err := current(ctx, tx, communityID)
		if err != nil {
			return err
		}
		total := it.Price.Mul(decimal.NewFromInt(in.Quantity))
		amount, err := units("price", total)
		if err != nil {
			return err
		}
		e = Exchange{ID: in.ID, CommunityID: communityID, ResidentID: in.ResidentID, ItemID: it.ID, Quantity: in.Quantity, Price: it.Price,
			Points: pts(amount), Status: Completed, MarketID: in.MarketID, PolicyVersion: pol.Version, CreatedBy: p.ID, CreatedAt: now}
		if in.Reserve {
			at := now.Add(pol.reservation())
			e.Status, e.ExpiresAt = Reserved, &at
		} else {
			e.CompletedAt = &now
		}
		bk := booksOf(tx, communityID)
		if err := bk.Ensure(ctx, passbookAccount(communityID, e.ResidentID), redeemedAccount(communityID), shelfAccount(communityID, it.ID), handedOutAccount(communityID)); err != nil {
			return err
		}
		te, err := bk.Post(ctx, e.made()...)
		if err != nil {
			return err
		}
		if te != nil {
			return refusal(ctx, bk, e, te)
		}
		return tx.Exchanges().Create(ctx, e)
	})
	if err != nil {
		return Exchange{}, err
	}
	return e, nil
}

// refusal explains why an exchange's transfers failed.
func refusal(ctx context.Context, bk ledger.Books, e Exchange, te *ledger.Failure) error {
	switch {
	case te.Result == ledger.ExistsWithDifferentFields:
		return ErrIDReused.Refuse("exchange %s was made before with other details", e.ID)
	case te.Index == 0 && te.Result == ledger.ExceedsCredits:
		a, _ := bk.Account(ctx, passbookAccount(e.CommunityID, e.ResidentID).ID)
		return ErrInsufficientPoints.Refuse("not enough points: %s needed, %s available", e.Points, pts(a.CreditsPosted-a.DebitsPosted-a.DebitsPending))
	case te.Index == 1 && te.Result == ledger.ExceedsCredits:
		return ErrOutOfStock.Refuse("out of stock: fewer than %d left", e.Quantity)
	}
	return errs.E(errs.FailedPrecondition, "the exchange cannot be made: %s", te.Result)
}

// reconcile shows a reservation past its time as expired: the ledger
// releases it at its next write, and nothing can post it after its time.
func (s *Service) reconcile(_ context.Context, e Exchange) Exchange {
	if e.Status == Reserved && e.ExpiresAt != nil && !s.clock().Before(*e.ExpiresAt) {
		e.Status = Lapsed
	}
	return e
}

// loadExchange loads an exchange for a step on it.
func (s *Service) loadExchange(ctx context.Context, community, id string) (Exchange, error) {
	var e Exchange
	err := s.view(ctx, func(tx Tx) error {
		var err error
		e, err = tx.Exchanges().Get(ctx, community, id)
		return err
	})
	return e, err
}

// step moves an exchange on from status from, in one transaction: move
// posts what the step moves on the ledger and changes the exchange, or
// returns an error and nothing changes; an exchange no longer at from is
// returned as it is. A step may end the exchange and still refuse what
// was asked (a reservation that expired before its pickup): move returns
// the refusal as recorded{err}, and it comes back with the exchange,
// recorded.
func (s *Service) step(ctx context.Context, community, id string, from ExchangeStatus, move func(ledger.Books, *Exchange) error) (Exchange, error) {
	var e Exchange
	var refused error
	err := s.update(ctx, func(tx Tx) error {
		refused = nil
		var err error
		if e, err = tx.Exchanges().Get(ctx, community, id); err != nil {
			return err
		}
		if e.Status != from {
			return nil
		}
		var r recorded
		if err := move(booksOf(tx, community), &e); errors.As(err, &r) {
			refused = r.error
		} else if err != nil {
			return err
		}
		return tx.Exchanges().Update(ctx, e)
	})
	if err != nil {
		return Exchange{}, err
	}
	return e, refused
}

// recorded is a refusal that a step records all the same.
type recorded struct{ error }

// lapse ends a reservation whose time ran out.
func lapse(e *Exchange, now time.Time) {
	e.Status, e.ClosedAt, e.Reason = Lapsed, &now, "not picked up in time"
}

// Pickup hands over reserved goods: the held points and items are
// posted. A worker at the counter does it.
func (s *Service) Pickup(ctx context.Context, communityID, id string) (Exchange, error) {
	p, err := s.gate.Administrator(ctx, communityID)
	if err != nil {
		return Exchange{}, err
	}
	e, err := s.loadExchange(ctx, communityID, id)
	if err != nil {
		return Exchange{}, err
	}
	switch e.Status {
	case Completed:
		return e, nil
	case Reserved:
	default:
		return Exchange{}, ErrExchangeState.Refuse("exchange %s is %s: nothing to pick up", e.ID, e.Status)
	}
	now := s.clock()
	return s.step(ctx, communityID, id, Reserved, func(bk ledger.Books, e *Exchange) error {
		ts := e.made()
		te, err := bk.Post(ctx, ledger.PostOf(ts[0]), ledger.PostOf(ts[1]))
		switch {
		case err != nil:
			return err
		case te != nil && te.Result == ledger.PendingTransferExpired:
			lapse(e, now)
			return recorded{ErrReservationExpired.Refuse("the reservation expired on %s: its points and items were released", e.ExpiresAt.Format(time.DateTime))}
		case te != nil:
			return errs.E(errs.FailedPrecondition, "exchange %s cannot be picked up: %s", e.ID, te.Result)
		}
		e.Status, e.CompletedAt, e.ClosedBy = Completed, &now, p.ID
		return nil
	})
}

// Cancel calls off a reservation, releasing its points and items; the
// resident or a worker does it.
func (s *Service) Cancel(ctx context.Context, communityID, id string, in CloseInput) (Exchange, error) {
	p, err := s.gate.Member(ctx, communityID)
	if err != nil {
		return Exchange{}, err
	}
	if err := validate.Struct(in); err != nil {
		return Exchange{}, err
	}
	e, err := s.loadExchange(ctx, communityID, id)
	if err != nil {
		return Exchange{}, err
	}
	if e.ResidentID != p.ResidentID && !p.Administers(communityID) {
		return Exchange{}, forbidden(ErrNotYours)
	}
	switch e.Status {
	case Cancelled, Lapsed:
		return e, nil
	case Reserved:
	default:
		return Exchange{}, ErrExchangeState.Refuse("exchange %s is %s: only a reservation is cancelled (return goods handed over)", e.ID, e.Status)
	}
	now := s.clock()
	return s.step(ctx, communityID, id, Reserved, func(bk ledger.Books, e *Exchange) error {
		ts := e.made()
		te, err := bk.Post(ctx, ledger.VoidOf(ts[0]), ledger.VoidOf(ts[1]))
		switch {
		case err != nil:
			return err
		case te != nil && te.Result == ledger.PendingTransferExpired:
			lapse(e, now)
			return nil // released already: what was asked is done
		case te != nil:
			return errs.E(errs.FailedPrecondition, "exchange %s cannot be cancelled: %s", e.ID, te.Result)
		}
		e.Status, e.ClosedAt, e.ClosedBy, e.Reason = Cancelled, &now, p.ID, in.Reason
		return nil
	})
}

// Return takes goods back: a reversing pair gives the points back and
// puts the items on the shelf. Workers take returns.
func (s *Service) Return(ctx context.Context, communityID, id string, in CloseInput) (Exchange, error) {
	p, err := s.gate.Administrator(ctx, communityID)
	if err != nil {
		return Exchange{}, err
	}
	if err := validate.Struct(in); err != nil {
		return Exchange{}, err
	}
	e, err := s.loadExchange(ctx, communityID, id)
	if err != nil {
		return Exchange{}, err
	}
	switch e.Status {
	case Returned:
		return e, nil
	case Completed:
	default:
		return Exchange{}, ErrExchangeState.Refuse("exchange %s is %s: only goods handed over are returned", e.ID, e.Status)
	}
	now := s.clock()
	return s.step(ctx, communityID, id, Completed, func(bk ledger.Books, e *Exchange) error {
		te, err := bk.Post(ctx, e.returns()...)
		if err != nil {
			return err
		}
		if te != nil {
			return errs.E(errs.FailedPrecondition, "exchange %s cannot be returned: %s", e.ID, te.Result)
		}
		e.Status, e.ClosedAt, e.ClosedBy, e.Reason = Returned, &now, p.ID, in.Reason
		return nil
	})
}

// ExchangeByID returns an exchange to its resident and to workers.
func (s *Service) ExchangeByID(ctx context.Context, communityID, id string) (Exchange, error) {
	p, err := s.gate.Member(ctx, communityID)
	if err != nil {
		return Exchange{}, err
	}
	e, err := s.loadExchange(ctx, communityID, id)
	if err != nil {
		return Exchange{}, err
	}
	if e.ResidentID != p.ResidentID && !p.Administers(communityID) {
		return Exchange{}, forbidden(ErrNotYours)
	}
	return s.reconcile(ctx, e), nil
}

// ExchangeFilter selects exchanges.
type ExchangeFilter struct {
	ResidentID string         `json:"resident_id" validate:"omitempty,ulid"`
	ItemID     string         `json:"item_id" validate:"omitempty,ulid"`
	Status     ExchangeStatus `json:"status" validate:"omitempty,oneof=reserved completed cancelled expired returned"`
	From, To   *time.Time
	Page       grids.Page
}

// Exchanges lists exchanges: residents their own, workers all.
func (s *Service) Exchanges(ctx context.Context, communityID string, f ExchangeFilter) ([]Exchange, int, error) {
	p, err := s.gate.Member(ctx, communityID)
	if err != nil {
		return nil, 0, err
	}
	if err := validate.Struct(f); err != nil {
		return nil, 0, err
	}
	if !p.Administers(communityID) && (f.ResidentID != p.ResidentID || p.ResidentID == "") {
		return nil, 0, forbidden(ErrNotYours)
	}
	pg, err := f.Page.Checked()
	if err != nil {
		return nil, 0, err
	}
	var out []Exchange
	var total int
	err = s.view(ctx, func(tx Tx) error {
		var err error
		out, total, err = tx.Exchanges().Find(ctx, record.Filter{CommunityID: communityID, ResidentID: f.ResidentID, RefID: f.ItemID, Status: string(f.Status), From: f.From, To: f.To, Page: pg})
		return err
	})
	for i := range out {
		out[i] = s.reconcile(ctx, out[i])
	}
	return out, total, err
}
