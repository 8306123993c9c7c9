package fundsdemo_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/memstore/demotest"
	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/funds/fundsdemo"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
)

// TestSeed: the call funds four projects for exactly 30,000 yuan, they
// spend all of it line by line, the alliance's 20 merchants pay into the
// welfare fund, and the books balance.
func TestSeed(t *testing.T) {
	d := demotest.Seed(t, demotest.WithFunds)
	store, c, end, sum := d.Store, d.Community, demotest.End, d.Funds
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("test"))
	st := fundsdemo.Stores{Funds: store.Funds(), Governance: store.Governance(), Grids: store.Grids()}
	assert.Equal(t, fundsdemo.Funded, sum.Grants)
	assert.Equal(t, "30000", sum.Awarded.String())
	assert.Equal(t, "30000", sum.Spent.String())
	assert.Positive(t, sum.Declarations)
	assert.Equal(t, sum.Declarations-2, sum.Contributions, "two merchants owe their last month")

	svc := funds.NewService(store.Funds(), governance.Lookup{Store: store.Governance()}, grids.Lookup{Store: store.Grids()}, funds.Options{Now: func() time.Time { return end }})
	fund, err := svc.Fund(ctx, c.ID, sum.ProjectFund)
	require.NoError(t, err)
	assert.True(t, fund.Balance.IsZero(), "the fund is granted in full")
	grants, _, err := svc.Grants(ctx, c.ID, sum.CallID, grids.Page{})
	require.NoError(t, err)
	require.Len(t, grants, fundsdemo.Funded)
	for _, g := range grants {
		r, err := svc.ProjectReport(ctx, c.ID, g.ID, end.Format("2006-01"))
		require.NoError(t, err)
		assert.True(t, r.Closing.IsZero(), "%s spent its grant", g.Title)
		for _, l := range r.Lines {
			assert.True(t, l.Remaining.IsZero(), "%s/%s spent its line", g.Title, l.Key)
		}
	}
	ms, err := svc.Merchants(ctx, c.ID)
	require.NoError(t, err)
	assert.Len(t, ms, fundsdemo.Merchants)
	rec, err := svc.Reconcile(ctx, c.ID, "")
	require.NoError(t, err)
	assert.True(t, rec.Owed.IsPositive())
	welfare, err := svc.Fund(ctx, c.ID, sum.WelfareFund)
	require.NoError(t, err)
	assert.True(t, welfare.Balance.Equal(rec.Paid), "every contribution paid is in the welfare fund")
	assert.Equal(t, funds.OnEarnings, welfare.Basis, "the case's 10% is of earnings (收益)")
	var takings decimal.Decimal
	for _, p := range rec.Periods {
		takings = takings.Add(p.Takings)
	}
	assert.True(t, rec.Due.LessThan(funds.ApplyRate(takings, decimal.RequireFromString("0.1"))), "less than 10%% of takings: %s of %s", rec.Due, takings)
	tb, err := svc.TrialBalance(ctx, c.ID)
	require.NoError(t, err)
	assert.True(t, tb.Sum.IsZero())
	audit, err := svc.Audit(ctx, c.ID)
	require.NoError(t, err)
	assert.Positive(t, audit.Transfers)
	assert.Empty(t, audit.Disagreements, "the demo's books agree with its records")
	_, err = fundsdemo.Seed(context.Background(), st, c.ID, end, 1, nil)
	assert.Error(t, err, "a community is seeded once")
}
