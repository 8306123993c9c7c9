package funds

import (
	"context"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/governance/bulletin"
	"github.com/linli-go/linli/governance/outcome"
	"github.com/linli-go/linli/grids"
)

// OutcomeFigures are the funds' lines of the case's outcome table for
// [from, to) (outcome.FundsSource).
func (s *Service) OutcomeFigures(ctx context.Context, communityID string, from, to time.Time) (outcome.FundsFigures, error) {
	fg, err := s.Figures(ctx, communityID, from, to)
	if err != nil {
		return outcome.FundsFigures{}, err
	}
	return outcome.FundsFigures{Projects: fg.Projects, Granted: fg.Granted, Spent: fg.Spent, Contributions: fg.Contributions}, nil
}

// BulletinProjects is the funded projects' part of the monthly bulletin
// (bulletin.ProjectsSource): every project awarded before to, with what
// it spent in the month (YYYY-MM), to date, and has left.
func (s *Service) BulletinProjects(ctx context.Context, communityID, month string, to time.Time) ([]bulletin.Project, error) {
	gs, _, err := s.Grants(ctx, communityID, "", grids.Page{Limit: grids.MaxLimit})
	if err != nil {
		return nil, err
	}
	out := []bulletin.Project{}
	for _, g := range gs {
		if !g.AwardedAt.Before(to) {
			continue
		}
		r, err := s.ProjectReport(ctx, communityID, g.ID, month)
		if err != nil {
			return nil, err
		}
		spent, todate, left := decimal.Zero, decimal.Zero, decimal.Zero
		for _, l := range r.Lines {
			spent, todate, left = spent.Add(l.Spent), todate.Add(l.SpentToDate), left.Add(l.Remaining)
		}
		out = append(out, bulletin.Project{Title: g.Title, Granted: g.Amount, Spent: spent, SpentToDate: todate, Left: left})
	}
	return out, nil
}
