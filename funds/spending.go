package funds

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/grids/record"
	"github.com/linli-go/linli/internal/clock"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// SpendInput records a payment from a grant on one of its budget lines.
type SpendInput struct {
	ID         string          `json:"id,omitempty" validate:"omitempty,ulid"` // makes a retry safe
	Line       string          `json:"line" validate:"required,tag"`
	Amount     decimal.Decimal `json:"amount"`
	Payee      string          `json:"payee" validate:"required,text,max=100"`
	ReceiptRef string          `json:"receipt_ref" validate:"required,text,max=100"`
	ApprovedBy string          `json:"approved_by" validate:"required,text,max=100"`
	Date       time.Time       `json:"date,omitzero"` // on the receipt; today if zero
	Note       string          `json:"note,omitempty" validate:"omitempty,multiline,max=1000"`
}

// spendTransfers are a payment's linked pair: the money released to the
// spending's own account, and the line's budget to the spending's use.
func spendTransfers(sp Spending, amount int64) []ledger.Transfer {
	c, ref := sp.CommunityID, ledger.Ref(sp.ID)
	return []ledger.Transfer{
		{ID: transferID(c, sp.ID, "money"), DebitAccountID: availableAccount(c, sp.GrantID).ID, CreditAccountID: spentAccount(c, sp.ID).ID,
			Amount: amount, UserData128: ref, Ledger: LedgerMoney, Code: CodeSpend},
		{ID: transferID(c, sp.ID, "budget"), DebitAccountID: lineAccount(c, sp.GrantID, sp.Line).ID, CreditAccountID: lineUsedAccount(c, sp.ID).ID,
			Amount: amount, UserData128: ref, Ledger: LedgerBudget, Code: CodeSpend},
	}
}

// reversalTransfers give back amount of payment orig, for reversal rv:
// the pair of the payment the other way.
func reversalTransfers(orig, rv Spending, amount int64) []ledger.Transfer {
	code := CodeRefund
	if rv.Kind == Correction {
		code = CodeCorrection
	}
	ts := spendTransfers(orig, amount)
	for i := range ts {
		t := &ts[i]
		t.ID = transferID(rv.CommunityID, rv.ID, "reverse-"+t.ID.String())
		t.DebitAccountID, t.CreditAccountID = t.CreditAccountID, t.DebitAccountID
		t.UserData128, t.Code = ledger.Ref(rv.ID), code
	}
	return ts
}

// transfers are what a spending record booked: a payment's pair, or a
// reversal's pair back.
func (sp Spending) transfers() []ledger.Transfer {
	amount, _ := fen("amount", sp.Amount)
	if sp.Kind == Spend {
		return spendTransfers(sp, amount)
	}
	orig := Spending{ID: sp.Reverses, CommunityID: sp.CommunityID, GrantID: sp.GrantID, Line: sp.Line}
	return reversalTransfers(orig, sp, amount)
}

// Spend records a payment on a grant's budget line: it can exceed neither
// what is left of the line nor the money released (so never the grant).
// Workers record spending, with the payee, the receipt and who approved it.
func (s *Service) Spend(ctx context.Context, communityID, grantID string, in SpendInput) (Spending, error) {
	p, err := s.gate.Administrator(ctx, communityID)
	if err != nil {
		return Spending{}, err
	}
	if err := validate.Struct(in); err != nil {
		return Spending{}, err
	}
	amount, err := positive("amount", in.Amount)
	if err != nil {
		return Spending{}, err
	}
	now := s.clock()
	if in.Date.IsZero() {
		in.Date = now
	}
	if in.Date.After(now) {
		return Spending{}, errs.Field("date", "is in the future")
	}
	if in.Date.Before(clock.Earliest) {
		return Spending{}, errs.Field("date", "is before %s", clock.Earliest.Format(time.DateOnly))
	}
	if in.ID == "" {
		in.ID = s.newID()
	}
	var sp Spending
	err = s.update(ctx, func(tx Tx) error {
		g, err := tx.Grants().Get(ctx, communityID, grantID)
		if err != nil {
			return err
		}
		if old, err := tx.Spendings().Get(ctx, communityID, in.ID); err == nil {
			if old.GrantID != grantID || old.Line != in.Line || !old.Amount.Equal(in.Amount) {
				return ErrIDReused.Refuse("spending %s was recorded with other details", in.ID)
			}
			sp = old
			return nil
		}
		if !slices.ContainsFunc(g.Lines, func(l Line) bool { return l.Key == in.Line }) {
			return errs.Field("line", "grant %s has no budget line %s", grantID, in.Line)
		}
		sp = Spending{ID: in.ID, CommunityID: communityID, GrantID: grantID, Kind: Spend, Line: in.Line, Amount: yuan(amount), Payee: in.Payee,
			ReceiptRef: in.ReceiptRef, ApprovedBy: in.ApprovedBy, Date: clock.Normalize(in.Date), Note: in.Note, RecordedBy: p.ID, CreatedAt: now}
		bk := booksOf(tx, communityID)
		if err := bk.Ensure(ctx, spentAccount(communityID, sp.ID), lineUsedAccount(communityID, sp.ID)); err != nil {
			return err
		}
		f, err := bk.Post(ctx, sp.transfers()...)
		if err != nil {
			return err
		}
		if f != nil {
			switch {
			case f.Index == 0 && f.Result == ledger.ExceedsCredits:
				a, _ := bk.Account(ctx, availableAccount(communityID, grantID).ID)
				return ErrNotReleased.Refuse("%s yuan is more than the %s yuan released to spend on grant %s", sp.Amount, yuan(a.CreditsPosted-a.DebitsPosted), grantID)
			case f.Index == 1 && f.Result == ledger.ExceedsCredits:
				a, _ := bk.Account(ctx, lineAccount(communityID, grantID, in.Line).ID)
				return ErrBudgetLineExceeded.Refuse("%s yuan is more than the %s yuan left on budget line %s", sp.Amount, yuan(a.CreditsPosted-a.DebitsPosted), in.Line)
			}
			return errs.E(errs.FailedPrecondition, "the spending cannot be booked: %s", f.Result)
		}
		return tx.Spendings().Create(ctx, sp)
	})
	if err != nil {
		return Spending{}, err
	}
	return sp, nil
}

// ReversalInput gives money back to a grant: a refund from the payee, or
// a correction of spending recorded wrongly.
type ReversalInput struct {
	ID     string          `json:"id,omitempty" validate:"omitempty,ulid"` // makes a retry safe
	Kind   SpendingKind    `json:"kind" validate:"oneof=refund correction"`
	Amount decimal.Decimal `json:"amount"` // all that is left of the spending if zero
	Reason string          `json:"reason" validate:"required,multiline,max=1000"`
}

// Reverse gives a payment's money back to the grant and its line, by
// reversing transfers: never more than was paid, net of earlier
// reversals. The month it is booked in shows it; closed months stay as
// they were.
func (s *Service) Reverse(ctx context.Context, communityID, spendingID string, in ReversalInput) (Spending, error) {
	p, err := s.gate.Administrator(ctx, communityID)
	if err != nil {
		return Spending{}, err
	}
	if err := validate.Struct(in); err != nil {
		return Spending{}, err
	}
	var asked int64
	if !in.Amount.IsZero() {
		if asked, err = positive("amount", in.Amount); err != nil {
			return Spending{}, err
		}
	}
	if in.ID == "" {
		in.ID = s.newID()
	}
	now := s.clock()
	var rv Spending
	err = s.update(ctx, func(tx Tx) error {
		orig, err := tx.Spendings().Get(ctx, communityID, spendingID)
		if err != nil {
			return err
		}
		if old, err := tx.Spendings().Get(ctx, communityID, in.ID); err == nil {
			if old.Reverses != spendingID || old.Kind != in.Kind {
				return ErrIDReused.Refuse("reversal %s was recorded with other details", in.ID)
			}
			rv = old
			return nil
		}
		if orig.Kind != Spend {
			return ErrNotAPayment.Refuse("%s is a %s: only a payment is reversed", spendingID, orig.Kind)
		}
		bk := booksOf(tx, communityID)
		left, err := bk.Account(ctx, spentAccount(communityID, orig.ID).ID)
		if err != nil {
			return err
		}
		amount := left.CreditsPosted - left.DebitsPosted
		if asked > 0 {
			amount = asked
		}
		if amount <= 0 {
			return ErrReversalExceeds.Refuse("payment %s is reversed in full already", spendingID)
		}
		rv = Spending{ID: in.ID, CommunityID: communityID, GrantID: orig.GrantID, Kind: in.Kind, Line: orig.Line, Amount: yuan(amount), Payee: orig.Payee,
			ReceiptRef: orig.ReceiptRef, ApprovedBy: p.Name, Date: now, Note: in.Reason, Reverses: orig.ID, RecordedBy: p.ID, CreatedAt: now}
		f, err := bk.Post(ctx, rv.transfers()...)
		if err != nil {
			return err
		}
		if f != nil {
			if f.Result == ledger.ExceedsCredits {
				return ErrReversalExceeds.Refuse("%s yuan is more than is left of payment %s (%s yuan)", rv.Amount, spendingID, yuan(left.CreditsPosted-left.DebitsPosted))
			}
			return errs.E(errs.FailedPrecondition, "the reversal cannot be booked: %s", f.Result)
		}
		return tx.Spendings().Create(ctx, rv)
	})
	if err != nil {
		return Spending{}, err
	}
	return rv, nil
}

// Spendings lists a grant's spending records in booking order; every
// member reads them (the case publishes them monthly).
func (s *Service) Spendings(ctx context.Context, communityID, grantID string, pg grids.Page) ([]Spending, int, error) {
	if _, err := s.gate.Member(ctx, communityID); err != nil {
		return nil, 0, err
	}
	pg, err := pg.Checked()
	if err != nil {
		return nil, 0, err
	}
	var out []Spending
	var total int
	err = s.view(ctx, func(tx Tx) error {
		if _, err := tx.Grants().Get(ctx, communityID, grantID); errors.Is(err, errs.NotFound) {
			return err
		}
		var err error
		out, total, err = tx.Spendings().Find(ctx, record.Filter{CommunityID: communityID, RefID: grantID, Page: pg})
		return err
	})
	return out, total, err
}
