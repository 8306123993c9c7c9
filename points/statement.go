package points

import (
	"context"
	"errors"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/internal/errs"
)

// Statement is a passbook told as a resident tells it: one entry per
// thing that happened, named (the activity served, the item taken), not
// one per ledger move. A claim is one entry, pending until it is verified
// and then earned; a reservation and its pickup are one exchange.
type Statement struct {
	CommunityID string          `json:"community_id"`
	ResidentID  string          `json:"resident_id"`
	Balance     decimal.Decimal `json:"balance"`
	Pending     decimal.Decimal `json:"pending"`
	Held        decimal.Decimal `json:"held"`
	Entries     []Entry         `json:"entries"` // oldest first
}

// Entry is one thing that happened to a passbook.
type Entry struct {
	// At is when it took effect; for service, Served is when it was given.
	At     time.Time  `json:"at"`
	Served *time.Time `json:"served,omitempty"`
	// Kind is the passbook line that settled it: LineEarned, LineRejected,
	// LineExchanged, LineReleased (a reservation called off or lapsed),
	// LineCorrection, LineReturned, LineExpired, LineGiftIn, LineGiftOut;
	// or, while it waits, LineClaimed (awaiting verification) or
	// LineReserved (points held for a pickup).
	Kind LineKind `json:"kind"`
	// Open: the entry still waits (a claim not yet verified, goods not yet
	// picked up); its Points are not in Balance.
	Open bool `json:"open,omitempty"`
	// What is named: the activity's title, the item's name, or the
	// family member a gift went to or came from.
	What     string `json:"what,omitempty"`
	Minutes  int    `json:"minutes,omitempty"`  // service
	Quantity int64  `json:"quantity,omitempty"` // goods
	Unit     string `json:"unit,omitempty"`
	// Points changed the balance by this (negative when spent); for an
	// open entry, what it will change when settled; zero for a rejected
	// claim or a reservation called off.
	Points   decimal.Decimal `json:"points"`
	Balance  decimal.Decimal `json:"balance"` // after the entry
	RecordID string          `json:"record_id"`
}

// Statement returns a resident's passbook in plain words: the passbook's
// lines folded into one entry per claim, exchange, gift, expiry or
// correction, each named. Residents read their own; workers serve anyone.
func (s *Service) Statement(ctx context.Context, communityID, residentID string) (Statement, error) {
	pb, err := s.Passbook(ctx, communityID, residentID, time.Time{}, time.Time{})
	if err != nil {
		return Statement{}, err
	}
	st := Statement{CommunityID: communityID, ResidentID: residentID, Balance: pb.Balance, Pending: pb.Pending, Held: pb.Held, Entries: []Entry{}}
	claims := map[string]Claim{}
	exchanges := map[string]Exchange{}
	gifts := map[string]Gift{}
	err = s.view(ctx, func(tx Tx) error {
		clear(claims)
		clear(exchanges)
		clear(gifts)
		for _, l := range pb.Lines {
			switch l.Kind {
			case LineClaimed, LineEarned, LineRejected, LineCorrection:
				if _, ok := claims[l.RecordID]; ok {
					continue
				}
				c, err := tx.Claims().Get(ctx, communityID, l.RecordID)
				if err != nil && !errors.Is(err, errs.NotFound) {
					return err
				}
				claims[l.RecordID] = c
			case LineReserved, LineExchanged, LineReleased, LineReturned:
				if _, ok := exchanges[l.RecordID]; ok {
					continue
				}
				e, err := tx.Exchanges().Get(ctx, communityID, l.RecordID)
				if err != nil && !errors.Is(err, errs.NotFound) {
					return err
				}
				exchanges[l.RecordID] = e
			case LineGiftIn, LineGiftOut:
				g, err := tx.Gifts().Get(ctx, communityID, l.RecordID)
				if err != nil && !errors.Is(err, errs.NotFound) {
					return err
				}
				gifts[l.RecordID] = g
			}
		}
		return nil
	})
	if err != nil {
		return Statement{}, err
	}
	titles := map[string]string{}
	title := func(activity string) string {
		if t, ok := titles[activity]; ok {
			return t
		}
		a, err := s.governance.Activity(ctx, communityID, activity)
		if err == nil {
			titles[activity] = a.Title
		}
		return titles[activity]
	}
	items := map[string]Item{}
	item := func(id string) Item {
		if it, ok := items[id]; ok {
			return it
		}
		var it Item
		_ = s.view(ctx, func(tx Tx) error {
			var err error
			it, err = tx.Items().Get(ctx, communityID, id)
			return err
		})
		items[id] = it
		return it
	}
	open := map[string]int{} // record → index of its open entry
	for _, l := range pb.Lines {
		e := Entry{At: l.At, Kind: l.Kind, Points: l.Points, Balance: l.Balance, RecordID: l.RecordID}
		if c, ok := claims[l.RecordID]; ok && c.ID != "" {
			served := c.ActivityStart
			e.Served, e.What, e.Minutes = &served, title(c.ActivityID), c.Minutes
			if e.What == "" {
				e.What = c.Service
			}
		}
		if x, ok := exchanges[l.RecordID]; ok && x.ID != "" {
			it := item(x.ItemID)
			e.What, e.Quantity, e.Unit = it.Name, x.Quantity, it.Unit
		}
		if g, ok := gifts[l.RecordID]; ok && g.ID != "" {
			other := g.FromID
			if l.Kind == LineGiftOut {
				other = g.ToID
			}
			if r, err := s.resident(ctx, communityID, other, "resident_id"); err == nil {
				e.What = r.Name // the family member given to or by
			}
		}
		switch l.Kind {
		case LineClaimed, LineReserved: // waits: shown once, until settled
			e.Open = true
			if l.Kind == LineReserved {
				e.Points = l.Points // already negative: the points held
			}
			open[l.RecordID] = len(st.Entries)
			st.Entries = append(st.Entries, e)
			continue
		case LineRejected, LineReleased:
			e.Points = decimal.Zero
		}
		if i, ok := open[l.RecordID]; ok { // settled: the waiting entry gives way
			st.Entries = append(st.Entries[:i], st.Entries[i+1:]...)
			delete(open, l.RecordID)
			for r, j := range open {
				if j > i {
					open[r] = j - 1
				}
			}
		}
		st.Entries = append(st.Entries, e)
	}
	return st, nil
}
