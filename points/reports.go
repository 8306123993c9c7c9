package points

import (
	"context"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/governance/bulletin"
	"github.com/linli-go/linli/governance/outcome"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/record"
)

// OutcomeFigures are the bank's and the warehouse's lines of the case's
// outcome table for [from, to) (outcome.PointsSource).
func (s *Service) OutcomeFigures(ctx context.Context, communityID string, from, to time.Time) (outcome.PointsFigures, error) {
	ev, err := s.Evaluate(ctx, communityID, from, to)
	if err != nil {
		return outcome.PointsFigures{}, err
	}
	return outcome.PointsFigures{Markets: ev.Markets, Enterprises: ev.Enterprises, DonatedItems: ev.DonatedItems,
		PointsIssued: ev.PointsIssued, PointsRedeemed: ev.PointsRedeemed}, nil
}

// BulletinWarehouse is the warehouse's part of the monthly bulletin for
// [from, to) (bulletin.WarehouseSource): every donation with its donor,
// except that a resident who gave is not named, and the exchanges made.
func (s *Service) BulletinWarehouse(ctx context.Context, communityID string, from, to time.Time) (bulletin.Warehouse, error) {
	w := bulletin.Warehouse{Donations: []bulletin.Donation{}}
	items := map[string]string{}
	for _, retired := range []bool{false, true} {
		its, _, err := s.Items(ctx, communityID, ItemFilter{Retired: retired, Page: grids.Page{Limit: grids.MaxLimit}})
		if err != nil {
			return w, err
		}
		for _, it := range its {
			items[it.ID] = it.Name
		}
	}
	ds, _, err := s.Donations(ctx, communityID, DonationFilter{From: &from, To: &to, Page: grids.Page{Limit: grids.MaxLimit}})
	if err != nil {
		return w, err
	}
	for _, d := range ds {
		donor := d.Donor.Name
		if d.Donor.Kind == PartyResident {
			donor = ""
		}
		w.Donations = append(w.Donations, bulletin.Donation{Donor: donor, Item: items[d.ItemID], Quantity: d.Quantity})
		w.DonatedItems += d.Quantity
	}
	w.Exchanges, w.PointsRedeemed, err = s.handedOver(ctx, communityID, from, to)
	return w, err
}

// handedOver counts the exchanges handed over in [from, to) and their
// points, reading only the exchanges made in that period or within a
// reservation's hold before it: one handed over at once was made then,
// and a reservation is picked up before it expires, at most the longest
// hold any of the community's policies gave after it was made. So a
// month's figures cost the same with two years of history or ten.
func (s *Service) handedOver(ctx context.Context, communityID string, from, to time.Time) (int, decimal.Decimal, error) {
	if _, err := s.gate.Member(ctx, communityID); err != nil {
		return 0, decimal.Zero, err
	}
	if err := period(from, to); err != nil {
		return 0, decimal.Zero, err
	}
	n, redeemed := 0, decimal.Zero
	err := s.view(ctx, func(tx Tx) (err error) {
		n, redeemed, err = handedOverIn(ctx, tx, communityID, from, to)
		return err
	})
	return n, redeemed, err
}

// handedOverIn is handedOver in a transaction.
func handedOverIn(ctx context.Context, tx Tx, communityID string, from, to time.Time) (int, decimal.Decimal, error) {
	pols, _, err := tx.Policies().Find(ctx, record.Filter{CommunityID: communityID})
	if err != nil {
		return 0, decimal.Zero, err
	}
	var hold time.Duration
	for _, p := range pols {
		hold = max(hold, p.reservation())
	}
	since := from.Add(-hold)
	exs, _, err := tx.Exchanges().Find(ctx, record.Filter{CommunityID: communityID, From: &since, To: &to})
	if err != nil {
		return 0, decimal.Zero, err
	}
	n, redeemed := 0, decimal.Zero
	for _, e := range exs {
		if (e.Status == Completed || e.Status == Returned) && inp(e.CompletedAt, from, to) {
			n++
			redeemed = redeemed.Add(e.Points)
		}
	}
	return n, redeemed, nil
}
