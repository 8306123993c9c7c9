package main

import (
	"bytes"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Experiment: with points that expire, residents redeem more of what they
// earn.
func TestExpiryRaisesRedemption(t *testing.T) {
	never, expires := DefaultPolicy(), DefaultPolicy()
	never.Points.ExpiryYears = 0
	expires.Points.ExpiryYears = 1
	a, err := Run(7, never, DefaultCommunity)
	require.NoError(t, err)
	b, err := Run(7, expires, DefaultCommunity)
	require.NoError(t, err)
	assert.True(t, a.PointsIssued.Equal(b.PointsIssued), "the same service earns the same points")
	t.Logf("redemption: %.3f without expiry, %.3f with", a.RedemptionRate, b.RedemptionRate)
	assert.Greater(t, b.RedemptionRate, a.RedemptionRate, "redemption: %.3f without expiry, %.3f with", a.RedemptionRate, b.RedemptionRate)
	assert.True(t, a.PointsExpired.IsZero(), "nothing expires without expiry")
}

// Experiment: a monthly cap lowers the share of points the most active
// tenth of volunteers earn; their share of hours is unchanged.
func TestCapLowersTopShare(t *testing.T) {
	open, capped := DefaultPolicy(), DefaultPolicy()
	open.Points.MonthlyCap = decimal.Zero
	capped.Points.MonthlyCap = decimal.NewFromInt(2) // the most active earn about 4 a month
	a, err := Run(3, open, DefaultCommunity)
	require.NoError(t, err)
	b, err := Run(3, capped, DefaultCommunity)
	require.NoError(t, err)
	t.Logf("top decile's share of points: %.3f uncapped, %.3f capped", a.TopDecileShare, b.TopDecileShare)
	assert.Less(t, b.TopDecileShare, a.TopDecileShare, "top decile's share of points: %.3f uncapped, %.3f capped", a.TopDecileShare, b.TopDecileShare)
	assert.InDelta(t, a.HoursTopDecileShare, b.HoursTopDecileShare, 1e-9, "the cap changes points, not service")
	assert.True(t, b.PointsIssued.LessThan(a.PointsIssued))
}

// Experiment: a smaller fund funds fewer projects, and never spends more
// than it holds.
func TestSmallerFundFundsFewer(t *testing.T) {
	big, small := DefaultPolicy(), DefaultPolicy()
	small.FundSize = decimal.NewFromInt(12000)
	shape := DefaultCommunity
	shape.Months = 6
	a, err := Run(5, big, shape)
	require.NoError(t, err)
	b, err := Run(5, small, shape)
	require.NoError(t, err)
	t.Logf("projects: %d with %s yuan, %d with %s", a.Projects, big.FundSize, b.Projects, small.FundSize)
	assert.Less(t, b.Projects, a.Projects)
	for _, r := range []Result{a, b} {
		assert.True(t, r.Spent.Equal(r.Granted), "every grant is spent")
		assert.False(t, r.FundLeft.IsNegative())
	}
	assert.True(t, b.Granted.LessThanOrEqual(small.FundSize), "granted %s of a fund of %s", b.Granted, small.FundSize)
	assert.Equal(t, "12000", b.Granted.Add(b.FundLeft).String(), "the books close: granted plus left is the fund")
}

// The same seed gives the same run.
func TestDeterministic(t *testing.T) {
	shape := DefaultCommunity
	shape.Months = 3
	a, err := Run(11, DefaultPolicy(), shape)
	require.NoError(t, err)
	b, err := Run(11, DefaultPolicy(), shape)
	require.NoError(t, err)
	str := func(xs []decimal.Decimal) []string {
		out := make([]string, len(xs))
		for i, x := range xs {
			out[i] = x.String()
		}
		return out
	}
	assert.Equal(t, str(a.Earned), str(b.Earned))
	assert.Equal(t, a.Table.ServiceHours, b.Table.ServiceHours)
	assert.Equal(t, 3, a.Table.CouncilMeetings, "the council met every month")
	assert.Equal(t, 6, a.Table.GroupsFormed)
}

func TestCommand(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run([]string{"-months", "3", "-residents", "40", "-fund", "20000"}, &out))
	assert.Contains(t, out.String(), "projects")
	assert.Error(t, run([]string{"-months", "0"}, &out))
	assert.Error(t, run([]string{"-points-per-hour", "x"}, &out))
}
