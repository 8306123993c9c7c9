package funds

import (
	"context"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/record"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// DefaultRate is the alliance's contribution: 10% of takings.
var DefaultRate = decimal.RequireFromString("0.1")

// MerchantInput admits a merchant to the alliance.
type MerchantInput struct {
	Name        string          `json:"name" validate:"required,text,max=100"`
	PrincipalID string          `json:"principal_id,omitempty" validate:"omitempty,text,max=64"`
	Rate        decimal.Decimal `json:"rate"` // DefaultRate if zero
	Contact     string          `json:"contact,omitempty" validate:"omitempty,text,max=100"`
}

// JoinAlliance admits a merchant; workers keep the alliance's roll.
func (s *Service) JoinAlliance(ctx context.Context, communityID string, in MerchantInput) (Merchant, error) {
	p, err := s.gate.Administrator(ctx, communityID)
	if err != nil {
		return Merchant{}, err
	}
	if err := validate.Struct(in); err != nil {
		return Merchant{}, err
	}
	if in.Rate.IsZero() {
		in.Rate = DefaultRate
	}
	if !in.Rate.IsPositive() || in.Rate.GreaterThan(decimal.NewFromInt(1)) || !in.Rate.Equal(in.Rate.Round(4)) {
		return Merchant{}, errs.Field("rate", "is a share of takings above 0 and at most 1, with at most 4 decimal places")
	}
	m := Merchant{ID: s.newID(), CommunityID: communityID, Name: in.Name, PrincipalID: in.PrincipalID, Rate: norm(in.Rate), Contact: in.Contact,
		JoinedAt: s.clock(), CreatedBy: p.ID}
	return m, s.update(ctx, func(tx Tx) error {
		if in.PrincipalID != "" {
			have, _, err := tx.Merchants().Find(ctx, record.Filter{CommunityID: communityID, ResidentID: in.PrincipalID})
			if err != nil {
				return err
			}
			if len(have) > 0 {
				return ErrPrincipalTaken.Refuse("principal %s is merchant %s already", in.PrincipalID, have[0].Name)
			}
		}
		return tx.Merchants().Create(ctx, m)
	})
}

// Merchants lists the alliance; every member reads it.
func (s *Service) Merchants(ctx context.Context, communityID string) ([]Merchant, error) {
	if _, err := s.gate.Member(ctx, communityID); err != nil {
		return nil, err
	}
	var out []Merchant
	err := s.view(ctx, func(tx Tx) error {
		var err error
		out, _, err = tx.Merchants().Find(ctx, record.Filter{CommunityID: communityID})
		return err
	})
	return out, err
}

// merchant loads a merchant the principal may act for: the merchant
// themself, or a worker.
func (s *Service) merchant(ctx context.Context, p grids.Principal, community, id string) (Merchant, error) {
	var m Merchant
	err := s.view(ctx, func(tx Tx) error {
		var err error
		m, err = tx.Merchants().Get(ctx, community, id)
		return err
	})
	if err != nil {
		return m, err
	}
	if !p.Administers(community) && (m.PrincipalID == "" || m.PrincipalID != p.ID) {
		return m, forbidden(ErrNotMerchant)
	}
	return m, nil
}

// DeclarationInput is a month's takings, and its earnings where the
// alliance contributes on earnings.
type DeclarationInput struct {
	Period   string          `json:"period" validate:"required,datetime=2006-01"`
	Takings  decimal.Decimal `json:"takings"`
	Earnings decimal.Decimal `json:"earnings,omitzero"`
}

// SetBasis says what the alliance's contributions are a share of, on the
// community's welfare fund (workers): declarations from then on use it.
func (s *Service) SetBasis(ctx context.Context, communityID string, basis Basis) (Fund, error) {
	if _, err := s.gate.Administrator(ctx, communityID); err != nil {
		return Fund{}, err
	}
	if basis != OnTakings && basis != OnEarnings {
		return Fund{}, errs.Field("basis", "is takings or earnings")
	}
	fund, err := s.welfareFund(ctx, communityID)
	if err != nil {
		return Fund{}, err
	}
	err = s.update(ctx, func(tx Tx) error {
		f, err := tx.Funds().Get(ctx, communityID, fund.ID)
		if err != nil {
			return err
		}
		f.Basis, f.UpdatedAt = basis, s.clock()
		fund = f
		return tx.Funds().Update(ctx, f)
	})
	if err != nil {
		return Fund{}, err
	}
	return s.Fund(ctx, communityID, fund.ID)
}

// basis is what the community's alliance contributes on: its welfare
// fund's basis, takings where it has said none.
func basisOf(ctx context.Context, tx Tx, community string) (Basis, error) {
	fs, _, err := tx.Funds().Find(ctx, record.Filter{CommunityID: community, Status: string(WelfareFund), Page: grids.Page{Limit: 1}})
	if err != nil || len(fs) == 0 || fs[0].Basis == "" {
		return OnTakings, err
	}
	return fs[0].Basis, nil
}

// Declare records a merchant's takings for a month and the contribution
// due on them (takings × rate, half-up to the fen). The merchant or a
// worker declares; a month is declared once.
func (s *Service) Declare(ctx context.Context, communityID, merchantID string, in DeclarationInput) (Declaration, error) {
	p, err := s.gate.Member(ctx, communityID)
	if err != nil {
		return Declaration{}, err
	}
	if err := validate.Struct(in); err != nil {
		return Declaration{}, err
	}
	t, err := fen("takings", in.Takings)
	if err != nil {
		return Declaration{}, err
	}
	if t < 0 {
		return Declaration{}, errs.Field("takings", "must not be negative")
	}
	e, err := fen("earnings", in.Earnings)
	if err != nil {
		return Declaration{}, err
	}
	if e < 0 {
		return Declaration{}, errs.Field("earnings", "must not be negative")
	}
	if err := s.pastMonth(in.Period); err != nil {
		return Declaration{}, err
	}
	m, err := s.merchant(ctx, p, communityID, merchantID)
	if err != nil {
		return Declaration{}, err
	}
	d := Declaration{ID: s.newID(), CommunityID: communityID, MerchantID: m.ID, Period: in.Period, Takings: yuan(t), Earnings: yuan(e), Rate: m.Rate,
		DeclaredBy: p.ID, At: s.clock()}
	err = s.update(ctx, func(tx Tx) error {
		// Reading the merchant first serializes their declarations.
		if _, err := tx.Merchants().Get(ctx, communityID, m.ID); err != nil {
			return err
		}
		basis, err := basisOf(ctx, tx, communityID)
		if err != nil {
			return err
		}
		d.Basis = basis
		switch {
		case d.Basis == OnTakings && e != 0:
			return errs.Field("earnings", "the alliance contributes a share of takings: declare takings only")
		case d.Basis == OnEarnings && e > t:
			return errs.Field("earnings", "cannot exceed the month's takings")
		case d.Basis == OnEarnings:
			d.Due = ApplyRate(d.Earnings, d.Rate)
		default:
			d.Due = ApplyRate(d.Takings, d.Rate)
		}
		have, _, err := tx.Declarations().Find(ctx, record.Filter{CommunityID: communityID, RefID: m.ID, Status: in.Period})
		if err != nil {
			return err
		}
		if len(have) > 0 {
			return ErrDeclaredAlready.Refuse("%s declared %s already: %s yuan", m.Name, in.Period, have[0].Takings)
		}
		return tx.Declarations().Create(ctx, d)
	})
	if err != nil {
		return Declaration{}, err
	}
	return d, nil
}

// ContributionInput records a merchant's payment of a month's
// contribution into the welfare fund.
type ContributionInput struct {
	ID        string          `json:"id,omitempty" validate:"omitempty,ulid"`
	Period    string          `json:"period" validate:"required,datetime=2006-01"`
	Amount    decimal.Decimal `json:"amount"`
	Date      time.Time       `json:"date,omitzero"` // today if zero
	Reference string          `json:"reference,omitempty" validate:"omitempty,text,max=100"`
}

// RecordContribution books a merchant's payment into the community's
// welfare fund, where its statement shows it; workers record payments.
func (s *Service) RecordContribution(ctx context.Context, communityID, merchantID string, in ContributionInput) (Income, error) {
	p, err := s.gate.Administrator(ctx, communityID)
	if err != nil {
		return Income{}, err
	}
	if err := validate.Struct(in); err != nil {
		return Income{}, err
	}
	m, err := s.merchant(ctx, p, communityID, merchantID)
	if err != nil {
		return Income{}, err
	}
	fund, err := s.welfareFund(ctx, communityID)
	if err != nil {
		return Income{}, err
	}
	return s.recordIncome(ctx, p, communityID, fund.ID, IncomeInput{ID: in.ID, Source: Source{Kind: FromMerchant, ID: m.ID, Name: m.Name},
		Amount: in.Amount, Date: in.Date, Period: in.Period, Reference: in.Reference, Note: "便民服务联盟 " + in.Period})
}

// welfareFund is the community's welfare fund (the first, if several).
func (s *Service) welfareFund(ctx context.Context, community string) (Fund, error) {
	var f Fund
	err := s.view(ctx, func(tx Tx) error {
		fs, _, err := tx.Funds().Find(ctx, record.Filter{CommunityID: community, Status: string(WelfareFund), Page: grids.Page{Limit: 1}})
		if err != nil {
			return err
		}
		if len(fs) == 0 {
			return ErrNoWelfareFund.Refusal()
		}
		f = fs[0]
		return nil
	})
	return f, err
}

// PeriodBalance is one merchant's month: declared, due, paid, owed.
type PeriodBalance struct {
	MerchantID string          `json:"merchant_id"`
	Merchant   string          `json:"merchant"`
	Period     string          `json:"period"`
	Takings    decimal.Decimal `json:"takings"`
	Due        decimal.Decimal `json:"due"`
	Paid       decimal.Decimal `json:"paid"`
	Owed       decimal.Decimal `json:"owed"` // due less paid; negative when overpaid
	Declared   bool            `json:"declared"`
}

// Reconciliation sets what merchants declared against what they paid.
type Reconciliation struct {
	Periods []PeriodBalance `json:"periods"`
	Due     decimal.Decimal `json:"due"`
	Paid    decimal.Decimal `json:"paid"`
	Owed    decimal.Decimal `json:"owed"`
}

// Reconcile sets contributions due against payments received, by
// merchant and month: a merchant sees their own, workers all (merchantID
// "" for every merchant).
func (s *Service) Reconcile(ctx context.Context, communityID, merchantID string) (Reconciliation, error) {
	p, err := s.gate.Member(ctx, communityID)
	if err != nil {
		return Reconciliation{}, err
	}
	if merchantID == "" && !p.Administers(communityID) {
		return Reconciliation{}, forbidden(ErrNotMerchant)
	}
	if merchantID != "" {
		if _, err := s.merchant(ctx, p, communityID, merchantID); err != nil {
			return Reconciliation{}, err
		}
	}
	type key struct{ m, period string }
	rows := map[key]*PeriodBalance{}
	names := map[string]string{}
	row := func(m, period string) *PeriodBalance {
		k := key{m, period}
		if rows[k] == nil {
			rows[k] = &PeriodBalance{MerchantID: m, Merchant: names[m], Period: period, Takings: decimal.Zero, Due: decimal.Zero, Paid: decimal.Zero}
		}
		return rows[k]
	}
	err = s.view(ctx, func(tx Tx) error {
		ms, _, err := tx.Merchants().Find(ctx, record.Filter{CommunityID: communityID})
		if err != nil {
			return err
		}
		for _, m := range ms {
			names[m.ID] = m.Name
		}
		ds, _, err := tx.Declarations().Find(ctx, record.Filter{CommunityID: communityID, RefID: merchantID})
		if err != nil {
			return err
		}
		for _, d := range ds {
			r := row(d.MerchantID, d.Period)
			r.Takings, r.Due, r.Declared = r.Takings.Add(d.Takings), r.Due.Add(d.Due), true
		}
		is, _, err := tx.Incomes().Find(ctx, record.Filter{CommunityID: communityID, ResidentID: merchantID, Status: string(FromMerchant)})
		if err != nil {
			return err
		}
		for _, i := range is {
			if i.ReversedAt != nil || merchantID != "" && i.Source.ID != merchantID {
				continue
			}
			r := row(i.Source.ID, i.Period)
			r.Paid = r.Paid.Add(i.Amount)
		}
		return nil
	})
	if err != nil {
		return Reconciliation{}, err
	}
	rec := Reconciliation{Periods: []PeriodBalance{}, Due: decimal.Zero, Paid: decimal.Zero}
	for _, r := range rows {
		r.Owed = norm(r.Due.Sub(r.Paid))
		r.Takings, r.Due, r.Paid = norm(r.Takings), norm(r.Due), norm(r.Paid)
		rec.Periods = append(rec.Periods, *r)
		rec.Due, rec.Paid = rec.Due.Add(r.Due), rec.Paid.Add(r.Paid)
	}
	slices.SortFunc(rec.Periods, func(a, b PeriodBalance) int {
		if c := cmpString(a.Period, b.Period); c != 0 {
			return c
		}
		return cmpString(a.Merchant+a.MerchantID, b.Merchant+b.MerchantID)
	})
	rec.Due, rec.Paid = norm(rec.Due), norm(rec.Paid)
	rec.Owed = norm(rec.Due.Sub(rec.Paid))
	return rec, nil
}
