package points

import (
	"context"
	"errors"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/ledger"
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
// account.
func exchangeTransfers(e Exchange, amount int64, timeout uint32) []ledger.Transfer {
	c := e.CommunityID
	flags := ledger.TransferFlags(0)
	if timeout > 0 {
		flags = ledger.Pending
	}
	return []ledger.Transfer{
		{ID: transferID(e.ID, "points"), DebitAccountID: passbookAccount(c, e.ResidentID).ID, CreditAccountID: redeemedAccount(c).ID, Amount: amount,
			UserData128: owner(e.ID), UserData64: uint64(e.PolicyVersion), Timeout: timeout, Ledger: LedgerPoints, Code: CodeExchange, Flags: flags},
		{ID: transferID(e.ID, "stock"), DebitAccountID: shelfAccount(c, e.ItemID).ID, CreditAccountID: handedOutAccount(c).ID, Amount: e.Quantity,
			UserData128: owner(e.ID), UserData64: uint64(e.PolicyVersion), Timeout: timeout, Ledger: LedgerStock, Code: CodeExchange, Flags: flags},
	}
}

// Exchange takes the points from the resident and the items from the
// shelf in one step: both or neither. Residents exchange their own
// points; workers serve them at the counter.
func (s *Service) Exchange(ctx context.Context, communityID string, in ExchangeInput) (Exchange, error) {
	p, err := s.actor(ctx, communityID)
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
		return Exchange{}, forbidden(RuleOwn)
	}
	if _, err := s.resident(ctx, communityID, in.ResidentID, "resident_id"); err != nil {
		return Exchange{}, err
	}
	now := s.clock()
	if in.ID == "" {
		in.ID = s.newID()
	}
	var it Item
	var pol Policy
	var old *Exchange
	if err := s.view(ctx, func(tx Tx) error {
		if e, err := tx.Exchange(ctx, communityID, in.ID); err == nil {
			old = &e
			return nil
		}
		var err error
		if it, err = tx.Item(ctx, communityID, in.ItemID); errors.Is(err, errs.NotFound) {
			return errs.Field("item_id", "no item %s in the catalogue", in.ItemID)
		} else if err != nil {
			return err
		}
		if it.Retired {
			return errs.Field("item_id", "%s is retired from the catalogue", it.Name)
		}
		if in.MarketID != "" {
			if _, err := tx.Market(ctx, communityID, in.MarketID); err != nil {
				return errs.Field("market_id", "no market %s in this community", in.MarketID)
			}
		}
		pol, err = current(ctx, tx, communityID)
		return err
	}); err != nil {
		return Exchange{}, err
	}
	if old != nil {
		if old.ResidentID != in.ResidentID || old.ItemID != in.ItemID || old.Quantity != in.Quantity {
			return Exchange{}, errs.E(errs.Conflict, "exchange %s exists with other details", in.ID)
		}
		return s.reconcile(ctx, *old), nil
	}
	total := it.Price.Mul(decimal.NewFromInt(in.Quantity))
	amount, err := units("price", total)
	if err != nil {
		return Exchange{}, err
	}
	e := Exchange{ID: in.ID, CommunityID: communityID, ResidentID: in.ResidentID, ItemID: it.ID, Quantity: in.Quantity, Price: it.Price,
		Points: pts(amount), Status: Completed, MarketID: in.MarketID, PolicyVersion: pol.Version, CreatedBy: p.ID, CreatedAt: now}
	var timeout uint32
	if in.Reserve {
		hold := pol.reservation()
		timeout = uint32(hold / time.Second)
		at := now.Add(hold)
		e.Status, e.ExpiresAt = Reserved, &at
	} else {
		e.CompletedAt = &now
	}
	if err := s.ensure(ctx, passbookAccount(communityID, e.ResidentID), redeemedAccount(communityID), shelfAccount(communityID, it.ID), handedOutAccount(communityID)); err != nil {
		return Exchange{}, err
	}
	te, err := s.post(ctx, exchangeTransfers(e, amount, timeout)...)
	if err != nil {
		return Exchange{}, err
	}
	if te != nil {
		return Exchange{}, s.refusal(ctx, e, te)
	}
	err = s.update(ctx, func(tx Tx) error {
		if cur, err := tx.Exchange(ctx, communityID, e.ID); err == nil {
			e = cur
			return nil
		}
		return tx.CreateExchange(ctx, e)
	})
	return e, err
}

// refusal explains why an exchange's transfers failed.
func (s *Service) refusal(ctx context.Context, e Exchange, te *ledger.Failure) error {
	switch {
	case te.Result == ledger.ExistsWithDifferentFields:
		return errs.E(errs.Conflict, "exchange %s was made before with other details", e.ID)
	case te.Index == 0 && te.Result == ledger.ExceedsCredits:
		a, _ := s.balance(ctx, passbookAccount(e.CommunityID, e.ResidentID).ID)
		return errs.E(errs.FailedPrecondition, "not enough points: %s needed, %s available", e.Points, pts(a.CreditsPosted-a.DebitsPosted-a.DebitsPending))
	case te.Index == 1 && te.Result == ledger.ExceedsCredits:
		return errs.E(errs.FailedPrecondition, "out of stock: fewer than %d left", e.Quantity)
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
		e, err = tx.Exchange(ctx, community, id)
		return err
	})
	return e, err
}

// step moves an exchange on after its transfers succeeded (or were made
// by an earlier attempt).
func (s *Service) step(ctx context.Context, e Exchange, from ExchangeStatus, change func(*Exchange)) (Exchange, error) {
	err := s.update(ctx, func(tx Tx) error {
		cur, err := tx.Exchange(ctx, e.CommunityID, e.ID)
		if err != nil {
			return err
		}
		e = cur
		if e.Status != from {
			return nil
		}
		change(&e)
		return tx.UpdateExchange(ctx, e)
	})
	return e, err
}

// Pickup hands over reserved goods: the held points and items are
// posted. A worker at the counter does it.
func (s *Service) Pickup(ctx context.Context, communityID, id string) (Exchange, error) {
	p, err := s.worker(ctx, communityID)
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
		return Exchange{}, errs.E(errs.FailedPrecondition, "exchange %s is %s: nothing to pick up", e.ID, e.Status)
	}
	ts := exchangeTransfers(e, 0, 0)
	te, err := s.post(ctx, ledger.PostOf(ts[0]), ledger.PostOf(ts[1]))
	if err != nil {
		return Exchange{}, err
	}
	now := s.clock()
	if te != nil {
		if te.Result == ledger.PendingTransferExpired {
			e, err = s.step(ctx, e, Reserved, func(e *Exchange) { e.Status, e.ClosedAt, e.Reason = Lapsed, &now, "not picked up in time" })
			if err != nil {
				return e, err
			}
			return e, errs.E(errs.FailedPrecondition, "the reservation expired on %s: its points and items were released", e.ExpiresAt.Format(time.DateTime))
		}
		return Exchange{}, errs.E(errs.FailedPrecondition, "exchange %s cannot be picked up: %s", e.ID, te.Result)
	}
	return s.step(ctx, e, Reserved, func(e *Exchange) { e.Status, e.CompletedAt, e.ClosedBy = Completed, &now, p.ID })
}

// Cancel calls off a reservation, releasing its points and items; the
// resident or a worker does it.
func (s *Service) Cancel(ctx context.Context, communityID, id string, in CloseInput) (Exchange, error) {
	p, err := s.actor(ctx, communityID)
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
		return Exchange{}, forbidden(RuleOwn)
	}
	switch e.Status {
	case Cancelled, Lapsed:
		return e, nil
	case Reserved:
	default:
		return Exchange{}, errs.E(errs.FailedPrecondition, "exchange %s is %s: only a reservation is cancelled (return goods handed over)", e.ID, e.Status)
	}
	ts := exchangeTransfers(e, 0, 0)
	te, err := s.post(ctx, ledger.VoidOf(ts[0]), ledger.VoidOf(ts[1]))
	if err != nil {
		return Exchange{}, err
	}
	now := s.clock()
	status := Cancelled
	if te != nil {
		if te.Result != ledger.PendingTransferExpired {
			return Exchange{}, errs.E(errs.FailedPrecondition, "exchange %s cannot be cancelled: %s", e.ID, te.Result)
		}
		status, in.Reason = Lapsed, "not picked up in time"
	}
	return s.step(ctx, e, Reserved, func(e *Exchange) { e.Status, e.ClosedAt, e.ClosedBy, e.Reason = status, &now, p.ID, in.Reason })
}

// Return takes goods back: a reversing pair gives the points back and
// puts the items on the shelf. Workers take returns.
func (s *Service) Return(ctx context.Context, communityID, id string, in CloseInput) (Exchange, error) {
	p, err := s.worker(ctx, communityID)
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
		return Exchange{}, errs.E(errs.FailedPrecondition, "exchange %s is %s: only goods handed over are returned", e.ID, e.Status)
	}
	amount, _ := units("points", e.Points)
	ts := exchangeTransfers(e, amount, 0)
	for i := range ts {
		t := &ts[i]
		t.ID = transferID(e.ID, "return-"+t.ID.String())
		t.DebitAccountID, t.CreditAccountID = t.CreditAccountID, t.DebitAccountID
		t.Code = CodeReturn
	}
	te, err := s.post(ctx, ts...)
	if err != nil {
		return Exchange{}, err
	}
	if te != nil {
		return Exchange{}, errs.E(errs.FailedPrecondition, "exchange %s cannot be returned: %s", e.ID, te.Result)
	}
	now := s.clock()
	return s.step(ctx, e, Completed, func(e *Exchange) { e.Status, e.ClosedAt, e.ClosedBy, e.Reason = Returned, &now, p.ID, in.Reason })
}

// ExchangeByID returns an exchange to its resident and to workers.
func (s *Service) ExchangeByID(ctx context.Context, communityID, id string) (Exchange, error) {
	p, err := s.actor(ctx, communityID)
	if err != nil {
		return Exchange{}, err
	}
	e, err := s.loadExchange(ctx, communityID, id)
	if err != nil {
		return Exchange{}, err
	}
	if e.ResidentID != p.ResidentID && !p.Administers(communityID) {
		return Exchange{}, forbidden(RuleOwn)
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
	p, err := s.actor(ctx, communityID)
	if err != nil {
		return nil, 0, err
	}
	if err := validate.Struct(f); err != nil {
		return nil, 0, err
	}
	if !p.Administers(communityID) && (f.ResidentID != p.ResidentID || p.ResidentID == "") {
		return nil, 0, forbidden(RuleOwn)
	}
	pg, err := f.Page.Checked()
	if err != nil {
		return nil, 0, err
	}
	var out []Exchange
	var total int
	err = s.view(ctx, func(tx Tx) error {
		var err error
		out, total, err = tx.FindExchanges(ctx, Filter{CommunityID: communityID, ResidentID: f.ResidentID, RefID: f.ItemID, Status: string(f.Status), From: f.From, To: f.To, Page: pg})
		return err
	})
	for i := range out {
		out[i] = s.reconcile(ctx, out[i])
	}
	return out, total, err
}
