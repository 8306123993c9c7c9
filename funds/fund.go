package funds

import (
	"context"
	"errors"
	"math"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/grids/record"
	"github.com/linli-go/linli/internal/clock"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// FundInput sets up a fund.
type FundInput struct {
	Kind        FundKind `json:"kind" validate:"oneof=project welfare donations other"`
	Name        string   `json:"name" validate:"required,text,max=100"`
	Description string   `json:"description,omitempty" validate:"omitempty,multiline,max=2000"`
}

// CreateFund sets up a fund; workers keep the funds.
func (s *Service) CreateFund(ctx context.Context, communityID string, in FundInput) (Fund, error) {
	p, err := s.gate.Administrator(ctx, communityID)
	if err != nil {
		return Fund{}, err
	}
	if err := validate.Struct(in); err != nil {
		return Fund{}, err
	}
	now := s.clock()
	f := Fund{ID: s.newID(), CommunityID: communityID, Kind: in.Kind, Name: in.Name, Description: in.Description, CreatedBy: p.ID, CreatedAt: now, UpdatedAt: now, Balance: decimal.Zero}
	err = s.update(ctx, func(tx Tx) error {
		if err := booksOf(tx, communityID).Ensure(ctx, fundAccount(communityID, f.ID), outsideAccount(communityID)); err != nil {
			return err
		}
		return tx.Funds().Create(ctx, f)
	})
	if err != nil {
		return Fund{}, err
	}
	return f, nil
}

// withBalance reads a fund's balance from the ledger.
func withBalance(ctx context.Context, tx Tx, f Fund) (Fund, error) {
	a, err := booksOf(tx, f.CommunityID).Account(ctx, fundAccount(f.CommunityID, f.ID).ID)
	f.Balance = yuan(a.CreditsPosted - a.DebitsPosted)
	return f, err
}

// Fund returns a fund with its balance; every member reads the funds.
func (s *Service) Fund(ctx context.Context, communityID, id string) (Fund, error) {
	if _, err := s.gate.Member(ctx, communityID); err != nil {
		return Fund{}, err
	}
	var f Fund
	if err := s.view(ctx, func(tx Tx) error {
		var err error
		if f, err = tx.Funds().Get(ctx, communityID, id); err != nil {
			return err
		}
		f, err = withBalance(ctx, tx, f)
		return err
	}); err != nil {
		return Fund{}, err
	}
	return f, nil
}

// Funds lists the community's funds with their balances.
func (s *Service) Funds(ctx context.Context, communityID string) ([]Fund, error) {
	if _, err := s.gate.Member(ctx, communityID); err != nil {
		return nil, err
	}
	var out []Fund
	if err := s.view(ctx, func(tx Tx) error {
		var err error
		if out, _, err = tx.Funds().Find(ctx, record.Filter{CommunityID: communityID}); err != nil {
			return err
		}
		for i := range out {
			if out[i], err = withBalance(ctx, tx, out[i]); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// IncomeInput records money paid into a fund.
type IncomeInput struct {
	ID        string          `json:"id,omitempty" validate:"omitempty,ulid"` // makes a retry safe
	Source    Source          `json:"source"`
	Amount    decimal.Decimal `json:"amount"`
	Date      time.Time       `json:"date,omitzero"` // today if zero
	Period    string          `json:"period,omitempty" validate:"omitempty,datetime=2006-01"`
	Reference string          `json:"reference,omitempty" validate:"omitempty,text,max=100"`
	Note      string          `json:"note,omitempty" validate:"omitempty,multiline,max=1000"`
}

// RecordIncome books money paid into a fund; workers record it.
func (s *Service) RecordIncome(ctx context.Context, communityID, fundID string, in IncomeInput) (Income, error) {
	p, err := s.gate.Administrator(ctx, communityID)
	if err != nil {
		return Income{}, err
	}
	return s.recordIncome(ctx, p, communityID, fundID, in)
}

func (s *Service) recordIncome(ctx context.Context, p grids.Principal, communityID, fundID string, in IncomeInput) (Income, error) {
	if err := validate.Struct(in); err != nil {
		return Income{}, err
	}
	amount, err := positive("amount", in.Amount)
	if err != nil {
		return Income{}, err
	}
	now := s.clock()
	if in.Date.IsZero() {
		in.Date = now
	}
	if in.Date.After(now) {
		return Income{}, errs.Field("date", "is in the future")
	}
	if in.Date.Before(clock.Earliest) {
		return Income{}, errs.Field("date", "is before %s", clock.Earliest.Format(time.DateOnly))
	}
	if in.Period != "" {
		if err := s.pastMonth(in.Period); err != nil {
			return Income{}, err
		}
	}
	if in.ID == "" {
		in.ID = s.newID()
	}
	var i Income
	err = s.update(ctx, func(tx Tx) error {
		if _, err := tx.Funds().Get(ctx, communityID, fundID); errors.Is(err, errs.NotFound) {
			return errs.Field("fund_id", "no fund %s in this community", fundID)
		} else if err != nil {
			return err
		}
		if old, err := tx.Incomes().Get(ctx, communityID, in.ID); err == nil {
			if old.FundID != fundID || !old.Amount.Equal(in.Amount) {
				return ErrIDReused.Refuse("income %s was recorded with other details", in.ID)
			}
			i = old
			return nil
		}
		i = Income{ID: in.ID, CommunityID: communityID, FundID: fundID, Source: in.Source, Amount: yuan(amount), Date: clock.Normalize(in.Date), Period: in.Period,
			Reference: in.Reference, Note: in.Note, RecordedBy: p.ID, CreatedAt: now}
		bk := booksOf(tx, communityID)
		if err := bk.Ensure(ctx, outsideAccount(communityID), fundAccount(communityID, fundID)); err != nil {
			return err
		}
		f, err := bk.Post(ctx, i.income())
		if err != nil {
			return err
		}
		if f != nil {
			return errs.E(errs.FailedPrecondition, "income %s cannot be booked: %s", i.ID, f.Result)
		}
		return tx.Incomes().Create(ctx, i)
	})
	if err != nil {
		return Income{}, err
	}
	return i, nil
}

// income is an income's money, from outside into its fund.
func (i Income) income() ledger.Transfer {
	c := i.CommunityID
	amount, _ := fen("amount", i.Amount)
	return ledger.Transfer{ID: transferID(c, i.ID, "income"), DebitAccountID: outsideAccount(c).ID, CreditAccountID: fundAccount(c, i.FundID).ID,
		Amount: amount, UserData128: ledger.Ref(i.ID), Ledger: LedgerMoney, Code: CodeIncome}
}

// reversal takes an income back out of its fund.
func (i Income) reversal() ledger.Transfer {
	t := i.income()
	t.ID = transferID(i.CommunityID, i.ID, "reversal")
	t.DebitAccountID, t.CreditAccountID, t.Code = t.CreditAccountID, t.DebitAccountID, CodeReversal
	return t
}

// ReverseInput gives the reason for a reversal.
type ReverseInput struct {
	Reason string `json:"reason" validate:"required,multiline,max=1000"`
}

// ReverseIncome takes back an income booked in error, by a reversing
// transfer; the money must still be in the fund.
func (s *Service) ReverseIncome(ctx context.Context, communityID, id string, in ReverseInput) (Income, error) {
	p, err := s.gate.Administrator(ctx, communityID)
	if err != nil {
		return Income{}, err
	}
	if err := validate.Struct(in); err != nil {
		return Income{}, err
	}
	now := s.clock()
	var i Income
	err = s.update(ctx, func(tx Tx) error {
		var err error
		if i, err = tx.Incomes().Get(ctx, communityID, id); err != nil || i.ReversedAt != nil {
			return err
		}
		f, err := booksOf(tx, communityID).Post(ctx, i.reversal())
		if err != nil {
			return err
		}
		if f != nil {
			return ErrFundShort.Refuse("income %s cannot be reversed: the fund no longer holds it (%s)", i.ID, f.Result)
		}
		i.ReversedAt, i.ReversedBy, i.Reason = &now, p.ID, in.Reason
		return tx.Incomes().Update(ctx, i)
	})
	if err != nil {
		return Income{}, err
	}
	return i, nil
}

// StatementLine is one line of a fund's statement.
type StatementLine struct {
	At       time.Time       `json:"at"`
	Kind     string          `json:"kind"` // income, reversal, grant
	Amount   decimal.Decimal `json:"amount"`
	Balance  decimal.Decimal `json:"balance"`
	RecordID string          `json:"record_id"` // the income or grant
}

// Statement is a fund's lines in a period with opening and closing
// balances.
type Statement struct {
	FundID  string          `json:"fund_id"`
	From    time.Time       `json:"from,omitzero"` // left out: from the start
	To      time.Time       `json:"to"`            // exclusive; when none was asked, the moment it was read
	Opening decimal.Decimal `json:"opening"`
	Closing decimal.Decimal `json:"closing"`
	In      decimal.Decimal `json:"in"`
	Out     decimal.Decimal `json:"out"`
	Lines   []StatementLine `json:"lines"`
}

var codeNames = map[uint16]string{CodeIncome: "income", CodeReversal: "reversal", CodeGrant: "grant", CodeRelease: "release",
	CodeSpend: "spend", CodeRefund: "refund", CodeCorrection: "correction", CodeBudget: "budget"}

// statement reads an account's lines in [from, to) with its balance
// before them, by booking time.
func statement(ctx context.Context, bk ledger.Books, id ledger.ID, from, to time.Time) (Statement, error) {
	st := Statement{From: from, To: to, Opening: decimal.Zero, In: decimal.Zero, Out: decimal.Zero, Lines: []StatementLine{}}
	lo, hi := ledger.Nanos(from), ledger.Nanos(to)
	var open int64
	if lo > 0 {
		prior, err := bk.Statement(ctx, id, 0, lo-1, 0)
		if err != nil {
			return st, err
		}
		if n := len(prior); n > 0 {
			open = prior[n-1].Balance.CreditsPosted - prior[n-1].Balance.DebitsPosted
		}
	}
	entries, err := bk.Statement(ctx, id, lo, hi-1, 0)
	if err != nil {
		return st, err
	}
	st.Opening = yuan(open)
	bal, in, out := open, int64(0), int64(0)
	for _, e := range entries {
		t := e.Transfer
		amt := t.Amount
		if t.DebitAccountID == id {
			amt = -amt
			out -= amt
		} else {
			in += amt
		}
		bal = e.Balance.CreditsPosted - e.Balance.DebitsPosted
		st.Lines = append(st.Lines, StatementLine{At: time.Unix(0, t.Timestamp).UTC(), Kind: codeNames[t.Code], Amount: yuan(amt), Balance: yuan(bal), RecordID: ledger.RecordOf(t.UserData128)})
	}
	st.Closing, st.In, st.Out = yuan(bal), yuan(in), yuan(out)
	return st, nil
}

// FundStatement is a fund's statement for [from, to): every income,
// reversal and grant with the running balance. Every member reads it.
func (s *Service) FundStatement(ctx context.Context, communityID, fundID string, from, to time.Time) (Statement, error) {
	if _, err := s.gate.Member(ctx, communityID); err != nil {
		return Statement{}, err
	}
	open := to.IsZero()
	if open {
		to = time.Unix(0, math.MaxInt64).UTC()
	}
	if !to.After(from) {
		return Statement{}, errs.Field("to", "must come after from")
	}
	var st Statement
	err := s.view(ctx, func(tx Tx) error {
		if _, err := tx.Funds().Get(ctx, communityID, fundID); err != nil {
			return err
		}
		var err error
		st, err = statement(ctx, booksOf(tx, communityID), fundAccount(communityID, fundID).ID, from, to)
		return err
	})
	if err != nil {
		return Statement{}, err
	}
	st.FundID = fundID
	if open { // no sentinel of a time shown: it was read now
		st.To = s.clock()
	}
	return st, nil
}

// TrialRow is the totals of one kind of account.
type TrialRow struct {
	Code     uint16          `json:"code"`
	Name     string          `json:"name"`
	Accounts int             `json:"accounts"`
	Debits   decimal.Decimal `json:"debits"`
	Credits  decimal.Decimal `json:"credits"`
	Balance  decimal.Decimal `json:"balance"` // credits less debits
}

// TrialBalance is every account of the community's money ledger by kind;
// the balances sum to zero, always.
type TrialBalance struct {
	CommunityID string          `json:"community_id"`
	Rows        []TrialRow      `json:"rows"`
	Debits      decimal.Decimal `json:"debits"`
	Credits     decimal.Decimal `json:"credits"`
	Sum         decimal.Decimal `json:"sum"`
}

var accountNames = map[uint16]string{AccountOutside: "outside", AccountFund: "funds", AccountEarmarked: "earmarked", AccountAvailable: "available", AccountSpent: "spent"}

// TrialBalance totals the community's money accounts: funds, grants'
// earmarked and released money, every spending, and the world outside.
func (s *Service) TrialBalance(ctx context.Context, communityID string) (TrialBalance, error) {
	if _, err := s.gate.Member(ctx, communityID); err != nil {
		return TrialBalance{}, err
	}
	var ids []ledger.ID
	var accts map[ledger.ID]ledger.Account
	if err := s.view(ctx, func(tx Tx) error {
		ids = []ledger.ID{outsideAccount(communityID).ID}
		fs, _, err := tx.Funds().Find(ctx, record.Filter{CommunityID: communityID})
		if err != nil {
			return err
		}
		for _, f := range fs {
			ids = append(ids, fundAccount(communityID, f.ID).ID)
		}
		gs, _, err := tx.Grants().Find(ctx, record.Filter{CommunityID: communityID})
		if err != nil {
			return err
		}
		for _, g := range gs {
			ids = append(ids, earmarkedAccount(communityID, g.ID).ID, availableAccount(communityID, g.ID).ID)
		}
		sp, _, err := tx.Spendings().Find(ctx, record.Filter{CommunityID: communityID, Status: string(Spend)})
		if err != nil {
			return err
		}
		for _, x := range sp {
			ids = append(ids, spentAccount(communityID, x.ID).ID)
		}
		accts, err = booksOf(tx, communityID).Accounts(ctx, ids)
		return err
	}); err != nil {
		return TrialBalance{}, err
	}
	rows := map[uint16]*TrialRow{}
	var order []uint16
	var dr, cr int64
	for _, id := range ids {
		a, ok := accts[id]
		if !ok {
			continue
		}
		r := rows[a.Code]
		if r == nil {
			r = &TrialRow{Code: a.Code, Name: accountNames[a.Code], Debits: decimal.Zero, Credits: decimal.Zero}
			rows[a.Code] = r
			order = append(order, a.Code)
		}
		r.Accounts++
		r.Debits, r.Credits = r.Debits.Add(yuan(a.DebitsPosted)), r.Credits.Add(yuan(a.CreditsPosted))
		dr += a.DebitsPosted
		cr += a.CreditsPosted
	}
	tb := TrialBalance{CommunityID: communityID, Rows: []TrialRow{}, Debits: yuan(dr), Credits: yuan(cr), Sum: yuan(cr - dr)}
	for _, c := range order {
		r := rows[c]
		r.Balance = norm(r.Credits.Sub(r.Debits))
		tb.Rows = append(tb.Rows, *r)
	}
	return tb, nil
}
