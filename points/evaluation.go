package points

import (
	"context"
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/grids/record"
)

// DonorTotal is what one donor gave in a period.
type DonorTotal struct {
	Donor     Party `json:"donor"`
	Donations int   `json:"donations"`
	Items     int64 `json:"items"`
}

// Evaluation is the bank's figures for a period, as the case reported
// them.
type Evaluation struct {
	CommunityID string    `json:"community_id"`
	From        time.Time `json:"from"`
	To          time.Time `json:"to"`
	// Service verified for activities in the period (corrected claims do
	// not count).
	Hours         decimal.Decimal `json:"hours"`
	Claims        int             `json:"claims"`
	Volunteers    int             `json:"volunteers"`
	NewVolunteers int             `json:"new_volunteers"` // first verified service ever in the period
	// Points moved in the period.
	PointsIssued    decimal.Decimal `json:"points_issued"`
	PointsCorrected decimal.Decimal `json:"points_corrected"`
	PointsRedeemed  decimal.Decimal `json:"points_redeemed"`
	PointsReturned  decimal.Decimal `json:"points_returned"`
	PointsExpired   decimal.Decimal `json:"points_expired"`
	Exchanges       int             `json:"exchanges"`
	// Donations dated in the period, by donor (most items first).
	Donations    int          `json:"donations"`
	DonatedItems int64        `json:"donated_items"`
	Enterprises  int          `json:"enterprises"` // enterprises that gave
	Donors       []DonorTotal `json:"donors"`
	Markets      int          `json:"markets"`
	SignUps      int          `json:"sign_ups"`
}

func in(t time.Time, from, to time.Time) bool { return !t.Before(from) && t.Before(to) }

func inp(t *time.Time, from, to time.Time) bool { return t != nil && in(*t, from, to) }

// Evaluate computes the bank's figures for [from, to); every member of
// the community reads them.
func (s *Service) Evaluate(ctx context.Context, communityID string, from, to time.Time) (Evaluation, error) {
	if _, err := s.gate.Member(ctx, communityID); err != nil {
		return Evaluation{}, err
	}
	if err := period(from, to); err != nil {
		return Evaluation{}, err
	}
	ev := Evaluation{CommunityID: communityID, From: from, To: to, Donors: []DonorTotal{}}
	err := s.view(ctx, func(tx Tx) error {
		all := record.Filter{CommunityID: communityID}
		claims, _, err := tx.Claims().Find(ctx, all)
		if err != nil {
			return err
		}
		first := map[string]time.Time{}
		volunteers := map[string]bool{}
		minutes := int64(0)
		for _, c := range claims {
			if c.Status == Verified || c.Status == Corrected {
				if inp(c.VerifiedAt, from, to) {
					ev.PointsIssued = ev.PointsIssued.Add(c.Points)
				}
				if c.Status == Corrected && inp(c.CorrectedAt, from, to) {
					ev.PointsCorrected = ev.PointsCorrected.Add(c.Points)
				}
			}
			if c.Status != Verified {
				continue
			}
			if f, ok := first[c.ResidentID]; !ok || c.ActivityStart.Before(f) {
				first[c.ResidentID] = c.ActivityStart
			}
			if in(c.ActivityStart, from, to) {
				ev.Claims++
				minutes += int64(c.Minutes)
				volunteers[c.ResidentID] = true
			}
		}
		ev.Hours = decimal.NewFromInt(minutes).Div(decimal.NewFromInt(60)).Round(2)
		ev.Volunteers = len(volunteers)
		for _, f := range first {
			if in(f, from, to) {
				ev.NewVolunteers++
			}
		}
		// Exchanges handed over in the period, read from those made in it
		// or within a reservation's hold before; returns, from the
		// exchanges returned (few).
		if ev.Exchanges, ev.PointsRedeemed, err = handedOverIn(ctx, tx, communityID, from, to); err != nil {
			return err
		}
		returned, _, err := tx.Exchanges().Find(ctx, record.Filter{CommunityID: communityID, Status: string(Returned)})
		if err != nil {
			return err
		}
		for _, e := range returned {
			if inp(e.ClosedAt, from, to) {
				ev.PointsReturned = ev.PointsReturned.Add(e.Points)
			}
		}
		expiries, _, err := tx.Expiries().Find(ctx, record.Filter{CommunityID: communityID, From: &from, To: &to})
		if err != nil {
			return err
		}
		for _, e := range expiries {
			ev.PointsExpired = ev.PointsExpired.Add(e.Points)
		}
		donations, _, err := tx.Donations().Find(ctx, record.Filter{CommunityID: communityID, From: &from, To: &to})
		if err != nil {
			return err
		}
		donors := map[string]*DonorTotal{}
		for _, d := range donations {
			ev.Donations++
			ev.DonatedItems += d.Quantity
			t := donors[d.Donor.key()]
			if t == nil {
				t = &DonorTotal{Donor: d.Donor}
				donors[d.Donor.key()] = t
				if d.Donor.Kind == PartyEnterprise {
					ev.Enterprises++
				}
			}
			t.Donations++
			t.Items += d.Quantity
		}
		for _, t := range donors {
			ev.Donors = append(ev.Donors, *t)
		}
		sort.Slice(ev.Donors, func(i, j int) bool {
			a, b := ev.Donors[i], ev.Donors[j]
			if a.Items != b.Items {
				return a.Items > b.Items
			}
			return a.Donor.key() < b.Donor.key()
		})
		_, ev.Markets, err = tx.Markets().Find(ctx, record.Filter{CommunityID: communityID, From: &from, To: &to, Page: pageOne})
		if err != nil {
			return err
		}
		signUps, _, err := tx.SignUps().Find(ctx, record.Filter{CommunityID: communityID, From: &from, To: &to})
		ev.SignUps = len(signUps)
		return err
	})
	return ev, err
}
