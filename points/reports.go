package points

import (
	"context"
	"time"

	"github.com/linli-go/linli/governance/bulletin"
	"github.com/linli-go/linli/governance/outcome"
	"github.com/linli-go/linli/grids"
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
	ev, err := s.Evaluate(ctx, communityID, from, to)
	if err != nil {
		return w, err
	}
	w.Exchanges, w.PointsRedeemed = ev.Exchanges, ev.PointsRedeemed
	return w, nil
}
