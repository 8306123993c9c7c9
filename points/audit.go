package points

import (
	"context"
	"time"

	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/grids/record"
)

// Audit checks a community's records against its ledger, in one
// snapshot of both: each transfer on the points and stock ledgers has the
// record that explains it, each record's transfers exist with the amounts
// and the state it states, and the balances replay from the transfers with
// debits equal to credits. Stock, passbooks and the bank's totals then
// equal what the records imply; sound books show no Disagreements.
// Workers audit.
func (s *Service) Audit(ctx context.Context, communityID string) (ledger.Audit, error) {
	if _, err := s.gate.Administrator(ctx, communityID); err != nil {
		return ledger.Audit{}, err
	}
	now := s.clock()
	var a ledger.Audit
	err := s.view(ctx, func(tx Tx) error {
		var err error
		a, err = ledger.AuditBooks(ctx, tx.Ledger(communityID), communityID, now,
			func() ([]ledger.Expected, int, error) { return s.expected(ctx, tx, communityID, now) }, LedgerPoints, LedgerStock)
		return err
	})
	return a, err
}

// expected are the transfers the community's records say its ledger
// holds, and how many records said so.
func (s *Service) expected(ctx context.Context, tx Tx, community string, now time.Time) ([]ledger.Expected, int, error) {
	f := record.Filter{CommunityID: community}
	var out []ledger.Expected
	add := func(record string, status []ledger.PendingStatus, ts ...ledger.Transfer) {
		for _, t := range ts {
			x := ledger.Expected{Transfer: t, Record: record}
			if t.Flags&ledger.Pending != 0 {
				x.Status = status
			}
			out = append(out, x)
		}
	}
	claims, _, err := tx.Claims().Find(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	for _, c := range claims {
		t, ok := earning(c)
		if !ok {
			continue
		}
		name := "claim " + c.ID
		switch c.Status {
		case Claimed:
			add(name, statuses(ledger.StillPending), t)
		case Verified:
			add(name, statuses(ledger.Posted), t, ledger.PostOf(t))
		case Rejected:
			add(name, statuses(ledger.Voided), t, ledger.VoidOf(t))
		case Corrected:
			add(name, statuses(ledger.Posted), t, ledger.PostOf(t), correction(c, t))
		}
	}
	exchanges, _, err := tx.Exchanges().Find(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	for _, e := range exchanges {
		name, ts := "exchange "+e.ID, e.made()
		if e.ExpiresAt == nil { // handed over at once
			add(name, nil, ts...)
			if e.Status == Returned {
				add(name, nil, e.returns()...)
			}
			continue
		}
		switch e.Status {
		case Reserved:
			held := statuses(ledger.StillPending)
			if !now.Before(*e.ExpiresAt) { // the ledger releases it at its next write
				held = statuses(ledger.StillPending, ledger.Expired)
			}
			add(name, held, ts...)
		case Completed, Returned:
			add(name, statuses(ledger.Posted), ts...)
			add(name, nil, ledger.PostOf(ts[0]), ledger.PostOf(ts[1]))
			if e.Status == Returned {
				add(name, nil, e.returns()...)
			}
		case Cancelled:
			add(name, statuses(ledger.Voided), ts...)
			add(name, nil, ledger.VoidOf(ts[0]), ledger.VoidOf(ts[1]))
		case Lapsed:
			add(name, statuses(ledger.Expired), ts...)
		}
	}
	donations, _, err := tx.Donations().Find(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	for _, d := range donations {
		add("donation "+d.ID, nil, d.transfer())
	}
	gifts, _, err := tx.Gifts().Find(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	for _, g := range gifts {
		add("gift "+g.ID, nil, g.transfer())
	}
	expiries, _, err := tx.Expiries().Find(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	for _, e := range expiries {
		add("expiry "+e.ID, nil, e.transfer())
	}
	return out, len(claims) + len(exchanges) + len(donations) + len(gifts) + len(expiries), nil
}

func statuses(s ...ledger.PendingStatus) []ledger.PendingStatus { return s }
