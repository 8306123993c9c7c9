package funds

import (
	"context"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/grids/record"
)

// Figures are the funds' outcome for a period.
type Figures struct {
	CommunityID   string          `json:"community_id"`
	From          time.Time       `json:"from"`
	To            time.Time       `json:"to"`
	Calls         int             `json:"calls"`     // opened in the period
	Proposals     int             `json:"proposals"` // submitted to those calls
	Projects      int             `json:"projects"`  // awarded in the period
	Granted       decimal.Decimal `json:"granted"`
	Spent         decimal.Decimal `json:"spent"` // booked in the period, net of refunds and corrections
	Contributions decimal.Decimal `json:"contributions"`
	Merchants     int             `json:"merchants"` // in the alliance at the period's end
}

// Figures computes the funds' outcome for [from, to); every member reads
// it.
func (s *Service) Figures(ctx context.Context, communityID string, from, to time.Time) (Figures, error) {
	if _, err := s.gate.Member(ctx, communityID); err != nil {
		return Figures{}, err
	}
	if !to.After(from) {
		return Figures{}, fieldErr("to", "must come after from")
	}
	fg := Figures{CommunityID: communityID, From: from, To: to, Granted: decimal.Zero, Spent: decimal.Zero, Contributions: decimal.Zero}
	err := s.view(ctx, func(tx Tx) error {
		calls, _, err := tx.Calls().Find(ctx, record.Filter{CommunityID: communityID, From: &from, To: &to})
		if err != nil {
			return err
		}
		fg.Calls = len(calls)
		for _, c := range calls {
			ps, _, err := tx.Proposals().Find(ctx, record.Filter{CommunityID: communityID, RefID: c.ID})
			if err != nil {
				return err
			}
			for _, p := range ps {
				if p.SubmittedAt != nil {
					fg.Proposals++
				}
			}
		}
		grants, _, err := tx.Grants().Find(ctx, record.Filter{CommunityID: communityID, From: &from, To: &to})
		if err != nil {
			return err
		}
		fg.Projects = len(grants)
		for _, g := range grants {
			fg.Granted = fg.Granted.Add(g.Amount)
		}
		sp, _, err := tx.Spendings().Find(ctx, record.Filter{CommunityID: communityID, From: &from, To: &to})
		if err != nil {
			return err
		}
		for _, x := range sp {
			if x.Kind == Spend {
				fg.Spent = fg.Spent.Add(x.Amount)
			} else {
				fg.Spent = fg.Spent.Sub(x.Amount)
			}
		}
		inc, _, err := tx.Incomes().Find(ctx, record.Filter{CommunityID: communityID, Status: string(FromMerchant), From: &from, To: &to})
		if err != nil {
			return err
		}
		for _, i := range inc {
			if i.ReversedAt == nil {
				fg.Contributions = fg.Contributions.Add(i.Amount)
			}
		}
		ms, _, err := tx.Merchants().Find(ctx, record.Filter{CommunityID: communityID, To: &to})
		for _, m := range ms {
			if m.LeftAt == nil || !m.LeftAt.Before(to) {
				fg.Merchants++
			}
		}
		return err
	})
	fg.Granted, fg.Spent, fg.Contributions = norm(fg.Granted), norm(fg.Spent), norm(fg.Contributions)
	return fg, err
}
