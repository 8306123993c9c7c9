package points

import (
	"context"
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/grids/record"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// LineKind is what a passbook line records.
type LineKind string

// The kinds of passbook line.
const (
	LineClaimed    LineKind = "claimed"    // service claimed: points pending verification
	LineEarned     LineKind = "earned"     // service verified
	LineRejected   LineKind = "rejected"   // a claim rejected: its pending points released
	LineCorrection LineKind = "correction" // verified points reversed
	LineReserved   LineKind = "reserved"   // points held for goods to pick up
	LineExchanged  LineKind = "exchanged"  // points spent at the warehouse
	LineReleased   LineKind = "released"   // a reservation cancelled or expired
	LineReturned   LineKind = "returned"   // an exchange reversed
	LineExpired    LineKind = "expired"    // points of an earning year expired
	LineGiftIn     LineKind = "gift_in"
	LineGiftOut    LineKind = "gift_out"
)

// Line is one line of a passbook: what moved, and the balance after it.
type Line struct {
	At   time.Time `json:"at"`
	Kind LineKind  `json:"kind"`
	// Points is the change of the balance (negative when spent); for a
	// line that only holds or releases points, the change of Pending.
	Points  decimal.Decimal `json:"points"`
	Balance decimal.Decimal `json:"balance"`
	Pending decimal.Decimal `json:"pending"` // claimed points awaiting verification, less points held
	// RecordID is the claim, exchange, gift or expiry behind the line.
	RecordID      string `json:"record_id"`
	PolicyVersion int    `json:"policy_version,omitempty"`
}

// Passbook is a resident's statement (义工存折) for a period.
type Passbook struct {
	CommunityID string          `json:"community_id"`
	ResidentID  string          `json:"resident_id"`
	From        time.Time       `json:"from,omitzero"` // left out: from the start
	To          time.Time       `json:"to"`            // exclusive; when none was asked, the moment it was read
	Opening     decimal.Decimal `json:"opening"`       // the balance before the first line
	Balance     decimal.Decimal `json:"balance"`       // the balance now
	Pending     decimal.Decimal `json:"pending"`       // claimed points awaiting verification
	Held        decimal.Decimal `json:"held"`          // points reserved for goods
	Lines       []Line          `json:"lines"`
}

// MaxLines bounds a passbook's lines.
const MaxLines = 10000

// Passbook returns a resident's statement of [from, to): every earning,
// exchange, expiry and correction with the running balance. Residents
// read their own; workers serve anyone.
func (s *Service) Passbook(ctx context.Context, communityID, residentID string, from, to time.Time) (Passbook, error) {
	p, err := s.gate.Member(ctx, communityID)
	if err != nil {
		return Passbook{}, err
	}
	if p.ResidentID != residentID && !p.Administers(communityID) {
		return Passbook{}, forbidden(ErrNotYours)
	}
	open := to.IsZero()
	if open {
		to = time.Unix(0, math.MaxInt64).UTC()
	}
	if !to.After(from) {
		return Passbook{}, errs.Field("to", "must come after from")
	}
	if _, err := s.resident(ctx, communityID, residentID, "resident_id"); err != nil {
		return Passbook{}, err
	}
	pb := Passbook{CommunityID: communityID, ResidentID: residentID, From: from, To: to, Lines: []Line{}}
	id := passbookAccount(communityID, residentID).ID
	err = s.view(ctx, func(tx Tx) error {
		bk := booksOf(tx, communityID)
		acct, err := bk.Account(ctx, id)
		if err != nil {
			return err
		}
		pb.Balance = pts(acct.CreditsPosted - acct.DebitsPosted)
		pb.Pending, pb.Held = pts(acct.CreditsPending), pts(acct.DebitsPending)
		pb.Opening = decimal.Zero
		lo, hi := ledger.Nanos(from), ledger.Nanos(to)
		if lo > 0 {
			prior, err := bk.Statement(ctx, id, 0, lo-1, 0)
			if err != nil {
				return err
			}
			if n := len(prior); n > 0 {
				pb.Opening = pts(prior[n-1].Balance.CreditsPosted - prior[n-1].Balance.DebitsPosted)
			}
		}
		entries, err := bk.Statement(ctx, id, lo, hi-1, MaxLines)
		if err != nil {
			return err
		}
		pb.Lines = pb.Lines[:0]
		for _, e := range entries {
			pb.Lines = append(pb.Lines, line(e, id))
		}
		return nil
	})
	if open { // no sentinel of a time shown: it was read now
		pb.To = s.clock()
	}
	return pb, err
}

// line turns a ledger entry into a passbook line.
func line(e ledger.Entry, account ledger.ID) Line {
	t, b := e.Transfer, e.Balance
	l := Line{
		At: time.Unix(0, t.Timestamp).UTC(), RecordID: recordOf(t.UserData128), PolicyVersion: int(t.UserData64),
		Balance: pts(b.CreditsPosted - b.DebitsPosted), Pending: pts(b.CreditsPending - b.DebitsPending),
	}
	in := t.CreditAccountID == account
	amount := pts(t.Amount)
	if !in {
		amount = amount.Neg()
	}
	l.Points = amount
	pending, void := t.Flags&ledger.Pending != 0, t.Flags&ledger.VoidPending != 0
	switch {
	case e.Expiry || void:
		l.Kind = LineReleased
		if t.Code == CodeEarn {
			l.Kind = LineRejected
		}
		l.Points = l.Points.Neg()
	case t.Code == CodeEarn && pending:
		l.Kind = LineClaimed
	case t.Code == CodeEarn:
		l.Kind = LineEarned
	case t.Code == CodeExchange && pending:
		l.Kind = LineReserved
	case t.Code == CodeExchange:
		l.Kind = LineExchanged
	case t.Code == CodeReturn:
		l.Kind = LineReturned
	case t.Code == CodeCorrection:
		l.Kind = LineCorrection
	case t.Code == CodeExpiry:
		l.Kind = LineExpired
	case t.Code == CodeGift && in:
		l.Kind = LineGiftIn
	case t.Code == CodeGift:
		l.Kind = LineGiftOut
	}
	return l
}

// GiftInput gives points to a member of one's household.
type GiftInput struct {
	ID     string          `json:"id,omitempty" validate:"omitempty,ulid"` // makes a retry safe
	ToID   string          `json:"to_id" validate:"required,ulid"`
	Points decimal.Decimal `json:"points"`
	Note   string          `json:"note,omitempty" validate:"omitempty,multiline,max=500"`
}

// Give moves the acting resident's points to a member of their household,
// within the policy's yearly gift cap.
func (s *Service) Give(ctx context.Context, communityID string, in GiftInput) (Gift, error) {
	p, err := s.gate.Member(ctx, communityID)
	if err != nil {
		return Gift{}, err
	}
	if p.ResidentID == "" {
		return Gift{}, forbidden(ErrGiftOutside)
	}
	if err := validate.Struct(in); err != nil {
		return Gift{}, err
	}
	amount, err := units("points", in.Points)
	if err != nil {
		return Gift{}, err
	}
	if amount <= 0 {
		return Gift{}, errs.Field("points", "must be positive")
	}
	if in.ToID == p.ResidentID {
		return Gift{}, errs.Field("to_id", "is yourself")
	}
	from, err := s.resident(ctx, communityID, p.ResidentID, "from_id")
	if err != nil {
		return Gift{}, err
	}
	to, err := s.resident(ctx, communityID, in.ToID, "to_id")
	if err != nil {
		return Gift{}, err
	}
	if from.HouseholdID != to.HouseholdID {
		return Gift{}, forbidden(ErrGiftOutside)
	}
	if in.ID == "" {
		in.ID = s.newID()
	}
	now := s.clock()
	var g Gift
	// The cap is checked in the transaction that moves the points and
	// records the gift; the policy it reads is locked there, so
	// concurrent gifts cannot pass the cap together.
	err = s.update(ctx, func(tx Tx) error {
		g = Gift{ID: in.ID, CommunityID: communityID, FromID: from.ID, ToID: to.ID, Points: pts(amount), Note: in.Note, Status: GiftGiven, At: now}
		if old, err := tx.Gifts().Get(ctx, communityID, in.ID); err == nil {
			if old.FromID != g.FromID || old.ToID != g.ToID || !old.Points.Equal(g.Points) {
				return ErrIDReused.Refuse("gift %s was made with other details", in.ID)
			}
			g = old
			return nil
		}
		pol, err := current(ctx, tx, communityID)
		if err != nil {
			return err
		}
		if !pol.GiftCap.IsPositive() {
			return ErrGiftsOff.Refuse("the policy allows no gifts of points")
		}
		g.PolicyVersion = pol.Version
		y := now.In(pol.location()).Year()
		start, end := pol.yearStart(y), pol.yearStart(y+1)
		given, _, err := tx.Gifts().Find(ctx, record.Filter{CommunityID: communityID, ResidentID: from.ID, From: &start, To: &end})
		if err != nil {
			return err
		}
		sum := g.Points
		for _, o := range given {
			if o.Status == GiftGiven {
				sum = sum.Add(o.Points)
			}
		}
		if sum.GreaterThan(pol.GiftCap) {
			return ErrGiftCapExceeded.Refuse("gifts of %s points this year would pass the policy's cap of %s", sum, pol.GiftCap)
		}
		bk := booksOf(tx, communityID)
		if err := bk.Ensure(ctx, passbookAccount(communityID, from.ID), passbookAccount(communityID, to.ID)); err != nil {
			return err
		}
		te, err := bk.Post(ctx, g.transfer())
		if err != nil {
			return err
		}
		if te != nil {
			if te.Result == ledger.ExceedsCredits {
				return ErrInsufficientPoints.Refuse("not enough points to give %s", g.Points)
			}
			return errs.E(errs.FailedPrecondition, "the gift cannot be made: %s", te.Result)
		}
		return tx.Gifts().Create(ctx, g)
	})
	if err != nil {
		return Gift{}, err
	}
	return g, nil
}

// transfer is the gift's points, from passbook to passbook.
func (g Gift) transfer() ledger.Transfer {
	c := g.CommunityID
	amount, _ := units("points", g.Points)
	return ledger.Transfer{
		ID: transferID(c, g.ID, "gift"), DebitAccountID: passbookAccount(c, g.FromID).ID, CreditAccountID: passbookAccount(c, g.ToID).ID,
		Amount: amount, UserData128: owner(g.ID), UserData64: uint64(g.PolicyVersion), Ledger: LedgerPoints, Code: CodeGift,
	}
}

// ExpireInput names the earning year whose unspent points expire.
type ExpireInput struct {
	Year int `json:"year" validate:"gte=2000,lte=2200"`
}

// Expire ends the points earned in a year that are still unspent once
// the policy's grace has passed (spending uses the oldest points first).
// Each resident's expiry is a transfer in their passbook, never a
// deletion; running it again expires nothing more. Workers run it.
func (s *Service) Expire(ctx context.Context, communityID string, in ExpireInput) ([]Expiry, error) {
	p, err := s.gate.Administrator(ctx, communityID)
	if err != nil {
		return nil, err
	}
	if err := validate.Struct(in); err != nil {
		return nil, err
	}
	var pol Policy
	residents := map[string]bool{}
	done := map[string]bool{}
	now := s.clock()
	err = s.view(ctx, func(tx Tx) error {
		var err error
		if pol, err = current(ctx, tx, communityID); err != nil {
			return err
		}
		if pol.ExpiryYears == 0 {
			return ErrNeverExpire.Refuse("the policy lets points never expire")
		}
		if due := pol.yearStart(in.Year + 1 + pol.ExpiryYears); now.Before(due) {
			return ErrExpiryNotDue.Refuse("points earned in %d expire on %s", in.Year, due.In(pol.location()).Format("2006-01-02"))
		}
		cs, _, err := tx.Claims().Find(ctx, record.Filter{CommunityID: communityID})
		if err != nil {
			return err
		}
		for _, c := range cs {
			if c.Status == Verified {
				residents[c.ResidentID] = true
			}
		}
		gs, _, err := tx.Gifts().Find(ctx, record.Filter{CommunityID: communityID})
		if err != nil {
			return err
		}
		for _, g := range gs {
			residents[g.ToID] = true
		}
		ex, _, err := tx.Expiries().Find(ctx, record.Filter{CommunityID: communityID, RefID: itoa(in.Year)})
		for _, e := range ex {
			done[e.ResidentID] = true
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	end := pol.yearStart(in.Year + 1).UnixNano()
	out := []Expiry{}
	for _, r := range sortedKeys(residents) {
		if done[r] {
			continue
		}
		// Each resident's expiry is its own transaction: the points move
		// and the record says why, together.
		id := s.newID()
		var made *Expiry
		err := s.update(ctx, func(tx Tx) error {
			made = nil
			if ex, _, err := tx.Expiries().Find(ctx, record.Filter{CommunityID: communityID, ResidentID: r, RefID: itoa(in.Year)}); err != nil || len(ex) > 0 {
				return err // expired by a run at the same time
			}
			bk := booksOf(tx, communityID)
			if err := bk.Ensure(ctx, expiredAccount(communityID)); err != nil {
				return err
			}
			amount, err := unspent(ctx, bk, passbookAccount(communityID, r).ID, end)
			if err != nil || amount <= 0 {
				return err
			}
			e := Expiry{ID: id, CommunityID: communityID, ResidentID: r, Year: in.Year, Points: pts(amount), PolicyVersion: pol.Version, At: now, By: p.ID}
			te, err := bk.Post(ctx, e.transfer())
			if err != nil {
				return err
			}
			if te != nil {
				return errs.E(errs.FailedPrecondition, "resident %s's points of %d cannot expire: %s", r, in.Year, te.Result)
			}
			made = &e
			return tx.Expiries().Create(ctx, e)
		})
		if err != nil {
			return out, err
		}
		if made != nil {
			out = append(out, *made)
		}
	}
	return out, nil
}

// unspent is what a passbook still holds of what was credited to it before
// end: everything credited up to then less everything spent since the
// start, oldest first. A return undoes spending and a correction undoes
// earning, so each counts against what it reverses.
func unspent(ctx context.Context, bk ledger.Books, id ledger.ID, end int64) (int64, error) {
	lines, err := bk.Statement(ctx, id, 0, math.MaxInt64, 0)
	if err != nil {
		return 0, err
	}
	var old, spent int64
	for _, e := range lines {
		t := e.Transfer
		if e.Expiry || t.Flags&(ledger.Pending|ledger.VoidPending) != 0 {
			continue
		}
		switch {
		case t.CreditAccountID == id && t.Code == CodeReturn:
			spent -= t.Amount
		case t.DebitAccountID == id && t.Code == CodeCorrection:
			old -= t.Amount
		case t.CreditAccountID == id && t.Timestamp < end:
			old += t.Amount
		case t.DebitAccountID == id:
			spent += t.Amount
		}
	}
	return old - spent, nil
}

// transfer is the expired points, from the passbook.
func (e Expiry) transfer() ledger.Transfer {
	c := e.CommunityID
	amount, _ := units("points", e.Points)
	return ledger.Transfer{
		ID: transferID(c, e.ResidentID, "expiry-"+itoa(e.Year)), DebitAccountID: passbookAccount(c, e.ResidentID).ID, CreditAccountID: expiredAccount(c).ID,
		Amount: amount, UserData128: owner(e.ID), UserData64: uint64(e.PolicyVersion), UserData32: uint32(e.Year), Ledger: LedgerPoints, Code: CodeExpiry,
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
