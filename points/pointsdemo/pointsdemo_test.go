package pointsdemo_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/memstore/demotest"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/governancedemo"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/points"
	"github.com/linli-go/linli/points/pointsdemo"
)

// TestSeedReproducesTheCase: the bank's evaluation over the programme
// reports the case's figures, and the books balance.
func TestSeedReproducesTheCase(t *testing.T) {
	d := demotest.Seed(t, demotest.WithPoints)
	store, c, end, sum := d.Store, d.Community, demotest.End, d.Points
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("test"))
	st := pointsdemo.Stores{Points: store.Points(), Governance: store.Governance(), Grids: store.Grids()}
	assert.Equal(t, pointsdemo.Markets, sum.Markets)
	assert.Equal(t, pointsdemo.Enterprises*3, sum.Donations)
	assert.Positive(t, sum.Exchanges)
	assert.Positive(t, sum.SignUps)
	assert.Positive(t, sum.Expiries, "the first year's unspent points expired")

	svc := points.NewService(store.Points(), governance.Lookup{Store: store.Governance()}, grids.Lookup{Store: store.Grids()}, points.Options{})
	from, to := governancedemo.Period(end)
	ev, err := svc.Evaluate(ctx, c.ID, from, to)
	require.NoError(t, err)
	assert.Equal(t, "5249", ev.Hours.String(), "the case's service hours")
	assert.Equal(t, governancedemo.NewVolunteers, ev.NewVolunteers)
	assert.Equal(t, governancedemo.NewVolunteers, ev.Volunteers)
	assert.EqualValues(t, pointsdemo.DonatedItems, ev.DonatedItems)
	assert.Equal(t, pointsdemo.Enterprises, ev.Enterprises)
	assert.Equal(t, pointsdemo.Markets, ev.Markets)
	assert.Equal(t, sum.Exchanges, ev.Exchanges)
	assert.True(t, ev.PointsIssued.GreaterThan(ev.PointsRedeemed.Add(ev.PointsExpired)))
	audit, err := svc.Audit(ctx, c.ID)
	require.NoError(t, err)
	assert.Positive(t, audit.Transfers)
	assert.Empty(t, audit.Disagreements, "the demo's books agree with its records")
	_, err = pointsdemo.Seed(context.Background(), st, c.ID, end, 1, nil)
	assert.Error(t, err, "a community is seeded once")
}
