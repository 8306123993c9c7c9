package fundsdemo_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/funds/fundsdemo"
	"github.com/linli-go/linli/governance/governancedemo"
	"github.com/linli-go/linli/grids"
)

// TestSeed: the call funds four projects for exactly 30,000 yuan, they
// spend all of it line by line, the alliance's 20 merchants pay into the
// welfare fund, and the books balance.
func TestSeed(t *testing.T) {
	var demoTime atomic.Int64
	store := memstore.NewWithClock(func() time.Time { return time.Unix(0, demoTime.Load()) })
	reg := grids.NewRegistry(store.Grids(), grids.Options{})
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("test"))
	c, err := reg.CreateCommunity(ctx, grids.CommunityInput{Name: "水秀社区"})
	require.NoError(t, err)
	d, err := reg.CreateDistrict(ctx, c.ID, grids.DistrictInput{Name: "第一片区"})
	require.NoError(t, err)
	_, err = reg.CreateGrid(ctx, c.ID, grids.GridInput{DistrictID: d.ID, Name: "1-1"})
	require.NoError(t, err)
	b, err := reg.CreateBuilding(ctx, c.ID, grids.BuildingInput{Name: "1号"})
	require.NoError(t, err)
	for i := range governancedemo.Residents {
		h, err := reg.CreateHousehold(ctx, c.ID, grids.HouseholdInput{BuildingID: b.ID, Unit: fmt.Sprint(i), Size: 1})
		require.NoError(t, err)
		_, err = reg.CreateResident(ctx, c.ID, grids.ResidentInput{HouseholdID: h.ID, Name: fmt.Sprintf("居民%d", i), Sex: grids.Female, BirthYear: 1950 + i%50})
		require.NoError(t, err)
	}
	end := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	_, err = governancedemo.Seed(context.Background(), store.Governance(), store.Grids(), c.ID, end, 1)
	require.NoError(t, err)
	st := fundsdemo.Stores{Funds: store.Funds(), Governance: store.Governance(), Grids: store.Grids()}
	sum, err := fundsdemo.Seed(context.Background(), st, c.ID, end, 1, func(t time.Time) { demoTime.Store(t.UnixNano()) })
	require.NoError(t, err)
	assert.Equal(t, fundsdemo.Funded, sum.Grants)
	assert.Equal(t, "30000", sum.Awarded.String())
	assert.Equal(t, "30000", sum.Spent.String())
	assert.Positive(t, sum.Declarations)
	assert.Equal(t, sum.Declarations-2, sum.Contributions, "two merchants owe their last month")

	demoTime.Store(end.UnixNano())
	svc := funds.NewService(store.Funds(), store.Governance(), store.Grids(), funds.Options{Now: func() time.Time { return end }})
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
	tb, err := svc.TrialBalance(ctx, c.ID)
	require.NoError(t, err)
	assert.True(t, tb.Sum.IsZero())
	require.NoError(t, store.Funds().Ledger().Verify(context.Background()))
	_, err = fundsdemo.Seed(context.Background(), st, c.ID, end, 1, nil)
	assert.Error(t, err, "a community is seeded once")
}
