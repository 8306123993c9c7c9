package funds

import (
	"context"

	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/grids/record"
)

// Audit checks a community's records against its ledger, in one
// snapshot of both: each transfer on the money and budget ledgers has the
// record that explains it, each record's transfers exist with the amounts
// it states, and the balances replay from the transfers with debits equal
// to credits. Funds, grants' money and budget lines then equal what the
// records imply; sound books show no Disagreements. Workers audit.
func (s *Service) Audit(ctx context.Context, communityID string) (ledger.Audit, error) {
	if _, err := s.gate.Administrator(ctx, communityID); err != nil {
		return ledger.Audit{}, err
	}
	var a ledger.Audit
	err := s.view(ctx, func(tx Tx) error {
		var err error
		a, err = ledger.AuditBooks(ctx, tx.Ledger(communityID), communityID, s.clock(),
			func() ([]ledger.Expected, int, error) { return expected(ctx, tx, communityID) }, LedgerMoney, LedgerBudget)
		return err
	})
	return a, err
}

// expected are the transfers the community's records say its ledger
// holds, and how many records said so.
func expected(ctx context.Context, tx Tx, community string) ([]ledger.Expected, int, error) {
	f := record.Filter{CommunityID: community}
	var out []ledger.Expected
	add := func(record string, ts ...ledger.Transfer) {
		for _, t := range ts {
			out = append(out, ledger.Expected{Transfer: t, Record: record})
		}
	}
	incomes, _, err := tx.Incomes().Find(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	for _, i := range incomes {
		add("income "+i.ID, i.income())
		if i.ReversedAt != nil {
			add("income "+i.ID, i.reversal())
		}
	}
	grants, _, err := tx.Grants().Find(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	for _, g := range grants {
		add("grant "+g.ID, grantTransfers(g)...)
		for _, in := range g.Instalments[1:] {
			if in.ReleasedAt != nil {
				add("grant "+g.ID, releaseTransfer(g, in.Seq))
			}
		}
	}
	spendings, _, err := tx.Spendings().Find(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	for _, sp := range spendings {
		add(string(sp.Kind)+" "+sp.ID, sp.transfers()...)
	}
	return out, len(incomes) + len(grants) + len(spendings), nil
}
