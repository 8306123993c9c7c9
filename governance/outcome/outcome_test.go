package outcome_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/memstore/demotest"
	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/governancedemo"
	"github.com/linli-go/linli/governance/outcome"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/points"
)

// TestTheCasesTable: on the demo community's records, the outcome table
// is the case's: 26 council meetings, 6 hearings, 10 markets, 126
// activities, 24 groups, 361 new volunteers, 5,249 hours, 20+ kinds of
// service, 20 partner enterprises, 2,172 donated items.
func TestTheCasesTable(t *testing.T) {
	d := demotest.Seed(t, demotest.WithPoints|demotest.WithFunds)
	store, c, end := d.Store, d.Community, demotest.End

	s := outcome.Services{
		Governance: governance.NewService(store.Governance(), store.Grids(), governance.Options{}),
		Points:     points.NewService(store.Points(), governance.Lookup{Store: store.Governance()}, grids.Lookup{Store: store.Grids()}, points.Options{}),
		Funds:      funds.NewService(store.Funds(), governance.Lookup{Store: store.Governance()}, grids.Lookup{Store: store.Grids()}, funds.Options{}),
	}
	from, to := governancedemo.Period(end)
	resident := grids.WithPrincipal(context.Background(), grids.Principal{ID: "r", CommunityID: c.ID, Name: "r", Roles: []grids.Role{grids.RoleResident}})
	tb, err := outcome.Evaluate(resident, s, c.ID, from, to)
	require.NoError(t, err)
	assert.Equal(t, 26, tb.CouncilMeetings)
	assert.Equal(t, 6, tb.Hearings)
	assert.Equal(t, 10, tb.Markets)
	assert.Equal(t, 126, tb.Activities)
	assert.Equal(t, 24, tb.GroupsFormed)
	assert.Equal(t, 361, tb.NewVolunteers)
	assert.Equal(t, "5249", tb.ServiceHours.String())
	assert.GreaterOrEqual(t, tb.KindsOfService, 20)
	assert.Equal(t, 20, tb.Enterprises)
	assert.EqualValues(t, 2172, tb.DonatedItems)
	assert.Equal(t, 4, tb.Projects)
	assert.Equal(t, "30000", tb.MoneyGranted.String())
	assert.Equal(t, "30000", tb.MoneySpent.String())
	assert.True(t, tb.PointsIssued.GreaterThan(tb.PointsRedeemed))
	assert.True(t, tb.Contributions.IsPositive())

	_, err = outcome.Evaluate(resident, s, c.ID, to, from)
	assert.ErrorIs(t, err, grids.Invalid)
	outsider := grids.WithPrincipal(context.Background(), grids.Principal{ID: "o", CommunityID: "01KKBFJYM0EC24754VPBD7F9W2", Name: "o", Roles: []grids.Role{grids.RoleWorker}})
	_, err = outcome.Evaluate(outsider, s, c.ID, from, to)
	assert.ErrorIs(t, err, grids.Forbidden)
}
