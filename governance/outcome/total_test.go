package outcome_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/outcome"
)

func TestSum(t *testing.T) {
	from, to := time.Date(2024, 8, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	d := decimal.RequireFromString
	a := outcome.Table{CommunityID: "a", From: from, To: to, Lines: outcome.Lines{CouncilMeetings: 26, Hearings: 6, Markets: 10, Activities: 126, GroupsFormed: 24,
		Volunteers: 400, NewVolunteers: 361, ServiceHours: d("5249.5"), KindsOfService: 21, Enterprises: 20, DonatedItems: 2172,
		PointsIssued: d("100.25"), PointsRedeemed: d("80"), Projects: 4, MoneyGranted: d("30000"), MoneySpent: d("29999.99"), Contributions: d("12.34"),
		Meetings: []outcome.MeetingCount{{Kind: governance.RegularMeeting, Held: 26}, {Kind: governance.Hearing, Held: 6}}}}
	b := outcome.Table{CommunityID: "b", From: from, To: to, Lines: outcome.Lines{CouncilMeetings: 2, Volunteers: 10, NewVolunteers: 10, ServiceHours: d("0.5"),
		KindsOfService: 3, PointsIssued: d("0.75"), PointsRedeemed: d("0"), MoneyGranted: d("0"), MoneySpent: d("0.01"), Contributions: d("0"),
		Meetings: []outcome.MeetingCount{{Kind: governance.OpenSpace, Held: 1}, {Kind: governance.RegularMeeting, Held: 2}}}}
	got := outcome.Sum(from, to, a, b)
	assert.Equal(t, 2, got.Communities)
	assert.Equal(t, 28, got.CouncilMeetings)
	assert.Equal(t, 410, got.Volunteers)
	assert.Equal(t, 371, got.NewVolunteers)
	assert.Equal(t, "5250", got.ServiceHours.String())
	assert.Equal(t, 21, got.KindsOfService, "the most any community has, not a sum")
	assert.Equal(t, "101", got.PointsIssued.String())
	assert.Equal(t, "30000", got.MoneySpent.String(), "money adds exactly")
	assert.Equal(t, []outcome.MeetingCount{{Kind: governance.RegularMeeting, Held: 28}, {Kind: governance.Hearing, Held: 6}, {Kind: governance.OpenSpace, Held: 1}},
		got.Meetings, "in the table's order of kinds")

	none := outcome.Sum(from, to)
	assert.Zero(t, none.Communities)
	assert.NotNil(t, none.Meetings)
	assert.True(t, none.MoneySpent.IsZero())
}
