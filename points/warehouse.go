package points

import (
	"context"
	"errors"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/grids/record"
	"github.com/linli-go/linli/internal/clock"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// ItemInput lists goods or a service in the catalogue.
type ItemInput struct {
	Kind        ItemKind        `json:"kind" validate:"oneof=goods service"`
	Name        string          `json:"name" validate:"required,text,max=100"`
	Unit        string          `json:"unit" validate:"required,text,max=20"` // 件, 袋, 次 …
	Price       decimal.Decimal `json:"price"`                                // points per unit
	Provider    *Party          `json:"provider,omitempty"`                   // who gives a service
	Description string          `json:"description,omitempty" validate:"omitempty,multiline,max=2000"`
}

// ItemUpdate changes a catalogue entry; nil fields stay.
type ItemUpdate struct {
	Name        *string          `json:"name,omitempty" validate:"omitempty,text,max=100"`
	Price       *decimal.Decimal `json:"price,omitempty"`
	Description *string          `json:"description,omitempty" validate:"omitempty,multiline,max=2000"`
	Retired     *bool            `json:"retired,omitempty"`
}

func checkPrice(d decimal.Decimal) error {
	u, err := units("price", d)
	if err != nil {
		return err
	}
	if u <= 0 {
		return errs.Field("price", "must be positive")
	}
	return nil
}

// CreateItem lists an item; workers keep the catalogue.
func (s *Service) CreateItem(ctx context.Context, communityID string, in ItemInput) (Item, error) {
	p, err := s.gate.Administrator(ctx, communityID)
	if err != nil {
		return Item{}, err
	}
	if err := validate.Struct(in); err != nil {
		return Item{}, err
	}
	if err := checkPrice(in.Price); err != nil {
		return Item{}, err
	}
	if in.Kind == ItemService && in.Provider == nil {
		return Item{}, errs.Field("provider", "a service names who provides it")
	}
	if err := s.party(ctx, communityID, in.Provider, "provider"); err != nil {
		return Item{}, err
	}
	now := s.clock()
	it := Item{ID: s.newID(), CommunityID: communityID, Kind: in.Kind, Name: in.Name, Unit: in.Unit, Price: norm(in.Price),
		Provider: in.Provider, Description: in.Description, CreatedBy: p.ID, CreatedAt: now, UpdatedAt: now}
	err = s.update(ctx, func(tx Tx) error {
		if err := booksOf(tx, communityID).Ensure(ctx, shelfAccount(communityID, it.ID)); err != nil {
			return err
		}
		return tx.Items().Create(ctx, it)
	})
	if err != nil {
		return Item{}, err
	}
	return it, nil
}

// party checks a donor or provider: a resident must be one of the
// community's.
func (s *Service) party(ctx context.Context, community string, p *Party, field string) error {
	if p == nil {
		return nil
	}
	if err := validate.Struct(p); err != nil {
		return err
	}
	if p.Kind == PartyResident {
		if _, err := s.resident(ctx, community, p.ID, field+".id"); err != nil {
			return err
		}
	}
	return nil
}

// UpdateItem changes a catalogue entry: a new price applies to exchanges
// made after it; retired items are no longer exchanged.
func (s *Service) UpdateItem(ctx context.Context, communityID, id string, in ItemUpdate) (Item, error) {
	if _, err := s.gate.Administrator(ctx, communityID); err != nil {
		return Item{}, err
	}
	if err := validate.Struct(in); err != nil {
		return Item{}, err
	}
	if in.Price != nil {
		if err := checkPrice(*in.Price); err != nil {
			return Item{}, err
		}
	}
	var it Item
	err := s.update(ctx, func(tx Tx) error {
		var err error
		if it, err = tx.Items().Get(ctx, communityID, id); err != nil {
			return err
		}
		if it, err = withStock(ctx, tx, it); err != nil {
			return err
		}
		if err := grids.Precondition(ctx, it); err != nil { // the item as it is shown, with its stock
			return err
		}
		if in.Name != nil {
			it.Name = *in.Name
		}
		if in.Price != nil {
			it.Price = norm(*in.Price)
		}
		if in.Description != nil {
			it.Description = *in.Description
		}
		if in.Retired != nil {
			it.Retired = *in.Retired
		}
		it.UpdatedAt = s.clock()
		stored := it
		stored.Stock = 0 // the shelf's account holds the stock, never the record
		return tx.Items().Update(ctx, stored)
	})
	if err != nil {
		return Item{}, err
	}
	return it, nil
}

// withStock reads an item's stock from its shelf: what is on it and not
// held for a reservation.
func withStock(ctx context.Context, tx Tx, it Item) (Item, error) {
	a, err := booksOf(tx, it.CommunityID).Account(ctx, shelfAccount(it.CommunityID, it.ID).ID)
	it.Stock = a.CreditsPosted - a.DebitsPosted - a.DebitsPending
	return it, err
}

// Item returns a catalogue entry with its stock; every member reads the
// catalogue.
func (s *Service) Item(ctx context.Context, communityID, id string) (Item, error) {
	if _, err := s.gate.Member(ctx, communityID); err != nil {
		return Item{}, err
	}
	var it Item
	if err := s.view(ctx, func(tx Tx) error {
		var err error
		if it, err = tx.Items().Get(ctx, communityID, id); err != nil {
			return err
		}
		it, err = withStock(ctx, tx, it)
		return err
	}); err != nil {
		return Item{}, err
	}
	return it, nil
}

// ItemFilter selects catalogue entries.
type ItemFilter struct {
	Kind    ItemKind `json:"kind" validate:"omitempty,oneof=goods service"`
	Retired bool     `json:"retired"` // list retired entries instead of active ones
	Page    grids.Page
}

// Items lists the catalogue with stock.
func (s *Service) Items(ctx context.Context, communityID string, f ItemFilter) ([]Item, int, error) {
	if _, err := s.gate.Member(ctx, communityID); err != nil {
		return nil, 0, err
	}
	if err := validate.Struct(f); err != nil {
		return nil, 0, err
	}
	pg, err := f.Page.Checked()
	if err != nil {
		return nil, 0, err
	}
	status := map[bool]string{false: "active", true: "retired"}[f.Retired]
	var out []Item
	var total int
	if err := s.view(ctx, func(tx Tx) error {
		var err error
		out, total, err = tx.Items().Find(ctx, record.Filter{CommunityID: communityID, RefID: string(f.Kind), Status: status, Page: pg})
		if err != nil {
			return err
		}
		ids := make([]ledger.ID, len(out))
		for i, it := range out {
			ids[i] = shelfAccount(communityID, it.ID).ID
		}
		accts, err := booksOf(tx, communityID).Accounts(ctx, ids)
		for i := range out {
			a := accts[ids[i]]
			out[i].Stock = a.CreditsPosted - a.DebitsPosted - a.DebitsPending
		}
		return err
	}); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// DonationInput records goods given to the warehouse, or slots of a
// service offered.
type DonationInput struct {
	ID         string     `json:"id,omitempty" validate:"omitempty,ulid"` // makes a retry safe
	Donor      Party      `json:"donor"`
	ItemID     string     `json:"item_id" validate:"required,ulid"`
	Quantity   int64      `json:"quantity" validate:"gte=1,lte=1000000"`
	Date       time.Time  `json:"date,omitzero"` // today if zero
	Condition  string     `json:"condition" validate:"oneof=new good used"`
	BestBefore *time.Time `json:"best_before,omitempty"`
	Note       string     `json:"note,omitempty" validate:"omitempty,multiline,max=1000"`
}

// Donate records a donation and puts it on the item's shelf; workers
// receive donations.
func (s *Service) Donate(ctx context.Context, communityID string, in DonationInput) (Donation, error) {
	p, err := s.gate.Administrator(ctx, communityID)
	if err != nil {
		return Donation{}, err
	}
	if err := validate.Struct(in); err != nil {
		return Donation{}, err
	}
	if err := s.party(ctx, communityID, &in.Donor, "donor"); err != nil {
		return Donation{}, err
	}
	now := s.clock()
	if in.Date.IsZero() {
		in.Date = now
	}
	if in.Date.After(now) {
		return Donation{}, errs.Field("date", "is in the future")
	}
	if in.Date.Before(clock.Earliest) {
		return Donation{}, errs.Field("date", "is before %s", clock.Earliest.Format(time.DateOnly))
	}
	if in.BestBefore != nil {
		if !in.BestBefore.After(in.Date) {
			return Donation{}, errs.Field("best_before", "has passed: expired goods are not taken in")
		}
		bb := clock.Normalize(*in.BestBefore)
		in.BestBefore = &bb
	}
	in.Date = clock.Normalize(in.Date)
	if in.ID == "" {
		in.ID = s.newID()
	}
	var d Donation
	err = s.update(ctx, func(tx Tx) error {
		it, err := tx.Items().Get(ctx, communityID, in.ItemID)
		if errors.Is(err, errs.NotFound) {
			return errs.Field("item_id", "no item %s in the catalogue", in.ItemID)
		} else if err != nil {
			return err
		}
		if old, err := tx.Donations().Get(ctx, communityID, in.ID); err == nil {
			if old.ItemID != in.ItemID || old.Quantity != in.Quantity {
				return ErrIDReused.Refuse("donation %s is recorded already, with other details", in.ID)
			}
			d = old
			return nil
		}
		if it.Retired {
			return errs.Field("item_id", "%s is retired from the catalogue", it.Name)
		}
		d = Donation{ID: in.ID, CommunityID: communityID, Donor: in.Donor, ItemID: it.ID, Quantity: in.Quantity, Date: in.Date.UTC(),
			Condition: in.Condition, BestBefore: in.BestBefore, Note: in.Note, RecordedBy: p.ID, CreatedAt: now}
		bk := booksOf(tx, communityID)
		if err := bk.Ensure(ctx, donatedAccount(communityID), shelfAccount(communityID, it.ID)); err != nil {
			return err
		}
		te, err := bk.Post(ctx, d.transfer())
		if err != nil {
			return err
		}
		if te != nil {
			return errs.E(errs.FailedPrecondition, "donation %s cannot be booked: %s", d.ID, te.Result)
		}
		return tx.Donations().Create(ctx, d)
	})
	if err != nil {
		return Donation{}, err
	}
	return d, nil
}

// transfer puts a donation on its item's shelf.
func (d Donation) transfer() ledger.Transfer {
	c := d.CommunityID
	return ledger.Transfer{
		ID: transferID(c, d.ID, "donation"), DebitAccountID: donatedAccount(c).ID, CreditAccountID: shelfAccount(c, d.ItemID).ID,
		Amount: d.Quantity, UserData128: owner(d.ID), Ledger: LedgerStock, Code: CodeDonation,
	}
}

// DonationFilter selects donations.
type DonationFilter struct {
	DonorID   string    `json:"donor_id" validate:"omitempty,max=64"`
	DonorKind PartyKind `json:"donor_kind" validate:"omitempty,oneof=resident enterprise organisation partner"`
	ItemID    string    `json:"item_id" validate:"omitempty,ulid"`
	From, To  *time.Time
	Page      grids.Page
}

// Donations lists donations; every member may read them (the case
// publishes its donors).
func (s *Service) Donations(ctx context.Context, communityID string, f DonationFilter) ([]Donation, int, error) {
	if _, err := s.gate.Member(ctx, communityID); err != nil {
		return nil, 0, err
	}
	if err := validate.Struct(f); err != nil {
		return nil, 0, err
	}
	pg, err := f.Page.Checked()
	if err != nil {
		return nil, 0, err
	}
	var out []Donation
	var total int
	err = s.view(ctx, func(tx Tx) error {
		var err error
		out, total, err = tx.Donations().Find(ctx, record.Filter{CommunityID: communityID, ResidentID: f.DonorID, RefID: f.ItemID, Status: string(f.DonorKind), From: f.From, To: f.To, Page: pg})
		return err
	})
	return out, total, err
}
