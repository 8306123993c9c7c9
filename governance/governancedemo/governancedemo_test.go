package governancedemo_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/governancedemo"
	"github.com/linli-go/linli/grids"
)

// community registers a community with n residents and two grids.
func community(t *testing.T, reg *grids.Registry, n int) grids.Community {
	t.Helper()
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("test"))
	c, err := reg.CreateCommunity(ctx, grids.CommunityInput{Name: "水秀社区"})
	require.NoError(t, err)
	d, err := reg.CreateDistrict(ctx, c.ID, grids.DistrictInput{Name: "第一片区"})
	require.NoError(t, err)
	for _, name := range []string{"1-1", "1-2"} {
		_, err := reg.CreateGrid(ctx, c.ID, grids.GridInput{DistrictID: d.ID, Name: name})
		require.NoError(t, err)
	}
	b, err := reg.CreateBuilding(ctx, c.ID, grids.BuildingInput{Name: "1号"})
	require.NoError(t, err)
	for i := range n {
		h, err := reg.CreateHousehold(ctx, c.ID, grids.HouseholdInput{BuildingID: b.ID, Unit: fmt.Sprint(i), Size: 1})
		require.NoError(t, err)
		_, err = reg.CreateResident(ctx, c.ID, grids.ResidentInput{HouseholdID: h.ID, Name: fmt.Sprintf("居民%d", i), Sex: grids.Female, BirthYear: 1950 + i%50})
		require.NoError(t, err)
	}
	return c
}

// TestSeedReproducesTheCase: Evaluate over the period reports the case's
// figures exactly.
func TestSeedReproducesTheCase(t *testing.T) {
	store := memstore.New()
	reg := grids.NewRegistry(store.Grids(), grids.Options{})
	c := community(t, reg, governancedemo.Residents)
	end := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	sum, err := governancedemo.Seed(context.Background(), store.Governance(), store.Grids(), c.ID, end, 1)
	require.NoError(t, err)
	assert.Equal(t, governancedemo.Activities, sum.Activities)
	assert.Equal(t, governancedemo.Organisations, sum.Organisations)
	assert.Equal(t, 10+governancedemo.Groups, sum.Bodies)

	gov := governance.NewService(store.Governance(), store.Grids(), governance.Options{})
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("test"))
	from, to := governancedemo.Period(end)
	assert.Equal(t, time.Date(2024, 9, 1, 0, 0, 0, 0, governancedemo.Zone), from.In(governancedemo.Zone), "26 months of Wuxi: one council meeting a month")
	ev, err := gov.Evaluate(ctx, c.ID, from, to)
	require.NoError(t, err)
	assert.Equal(t, governancedemo.Groups, ev.GroupsFormed)
	assert.Equal(t, governancedemo.Activities, ev.Figures.Activities)
	assert.Equal(t, governancedemo.NewVolunteers, ev.Figures.NewVolunteers)
	assert.Equal(t, governancedemo.NewVolunteers, ev.Figures.Volunteers)
	assert.Equal(t, "5249", ev.Figures.ServiceHours.String())
	assert.Len(t, ev.Figures.Services, governancedemo.Services)

	// The structure: nine seats held, eight chairs, 24 leaders, 14 organisations.
	at := to
	council, _, err := gov.FindBodies(ctx, governance.BodyFilter{CommunityID: c.ID, Kind: governance.Council})
	require.NoError(t, err)
	_, seats, err := gov.FindPositions(ctx, governance.PositionFilter{CommunityID: c.ID, BodyID: council[0].ID, ActiveAt: &at})
	require.NoError(t, err)
	assert.Equal(t, 9, seats)
	_, chairs, err := gov.FindPositions(ctx, governance.PositionFilter{CommunityID: c.ID, Office: governance.Chair, ActiveAt: &at})
	require.NoError(t, err)
	assert.Equal(t, 9, chairs, "the council's and the eight committees'")
	_, leaders, err := gov.FindPositions(ctx, governance.PositionFilter{CommunityID: c.ID, Office: governance.Leader, ActiveAt: &at})
	require.NoError(t, err)
	assert.Equal(t, governancedemo.Groups, leaders)
	appointed, _, err := gov.FindNominations(ctx, governance.NominationFilter{CommunityID: c.ID, Status: governance.Appointed, Page: grids.Page{Limit: 100}})
	require.NoError(t, err)
	assert.Len(t, appointed, governancedemo.Groups, "every leader was nominated, reviewed and appointed")
	for _, n := range appointed {
		assert.NotEmpty(t, n.BriefingID, "found at a think-tank briefing")
	}

	// The think tank's 30 briefings reached every stairwell; one
	// consultation and one open-space meeting; the joint council meeting
	// invited a committee chair and a representative each month after
	// the first.
	assert.Equal(t, governancedemo.Briefings, sum.Briefings)
	cov, err := gov.BriefingCoverage(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, governancedemo.Briefings, cov.Briefings)
	assert.Positive(t, cov.Stairwells)
	assert.Equal(t, cov.Stairwells, cov.Briefed, "every stairwell briefed")
	assert.Equal(t, 1, sum.Consultations)
	assert.Equal(t, 1, sum.OpenSpaces)
	assert.Equal(t, 2*(governancedemo.CouncilMeetings-1), sum.Invitees)
	for kind, want := range map[governance.MeetingKind]int{governance.Consultation: 1, governance.OpenSpace: 1} {
		ms, _, err := gov.FindMeetings(ctx, governance.MeetingFilter{CommunityID: c.ID, Kind: kind, Status: governance.MeetingAdjourned})
		require.NoError(t, err)
		assert.Len(t, ms, want, kind)
	}
	issues, _, err := gov.FindIssues(ctx, governance.IssueFilter{CommunityID: c.ID})
	require.NoError(t, err)
	statuses := map[governance.IssueStatus]int{}
	for _, is := range issues {
		statuses[is.Status]++
	}
	assert.Equal(t, map[governance.IssueStatus]int{governance.ReviewedOut: 2, governance.CarriedOut: 1, governance.Decided: 1,
		governance.Declined: 1, governance.Deliberated: 1, governance.Raised: 1}, statuses)

	// The meetings: 26 of the council, each approving the last one's
	// minutes; 6 hearings whose opinions were all answered, linked to the
	// committee's decision; business carried from meeting to meeting.
	assert.Equal(t, governancedemo.CouncilMeetings, sum.Meetings)
	assert.Equal(t, governancedemo.Hearings, sum.Hearings)
	regular, n, err := gov.FindMeetings(ctx, governance.MeetingFilter{CommunityID: c.ID, Kind: governance.RegularMeeting, Page: grids.Page{Limit: 100}})
	require.NoError(t, err)
	assert.Equal(t, governancedemo.CouncilMeetings, n)
	published, carried, motions := 0, 0, 0
	for _, m := range regular {
		assert.Equal(t, governance.MeetingAdjourned, m.Status, m.Title)
		if m.Minutes.Status == governance.MinutesPublished {
			published++
		}
		v, err := gov.MeetingState(ctx, c.ID, m.ID)
		require.NoError(t, err)
		require.NoError(t, v.State.Verify())
		for _, mo := range v.State.Motions {
			motions++
			if mo.Ref != "" {
				carried++
			}
		}
		day := m.ScheduledAt.In(time.FixedZone("CST", 8*3600))
		assert.Contains(t, []int{10, 11, 12}, day.Day(), "the 10th, or the next working day: %s", day)
		assert.NotContains(t, []time.Weekday{time.Saturday, time.Sunday}, day.Weekday())
	}
	assert.Equal(t, governancedemo.CouncilMeetings-1, published, "each meeting's minutes approved at the next and published")
	assert.Equal(t, 4, carried, "referred, postponed, tabled and unfinished business came back")
	assert.Greater(t, motions, 80)
	hearingsHeld, _, err := gov.FindMeetings(ctx, governance.MeetingFilter{CommunityID: c.ID, Kind: governance.Hearing})
	require.NoError(t, err)
	assert.Len(t, hearingsHeld, governancedemo.Hearings)
	opinions, n, err := gov.FindOpinions(ctx, governance.OpinionFilter{CommunityID: c.ID, Page: grids.Page{Limit: 100}})
	require.NoError(t, err)
	assert.Equal(t, 24+4, n, "the hearings' and the consultation's")
	for _, o := range opinions {
		require.NotEmpty(t, o.Answer, "answered: %s", o.Text)
		if !slices.ContainsFunc(hearingsHeld, func(m governance.Meeting) bool { return m.ID == o.MeetingID }) {
			continue // the consultation's, answered by its recommendations
		}
		require.NotNil(t, o.Link, "answered and linked: %s", o.Text)
		dec, err := gov.Decision(ctx, c.ID, o.Link.ID)
		require.NoError(t, err)
		assert.Equal(t, o.MeetingID, dec.MeetingID, "from a resident's comment to what the hearing decided")
	}
	decisions, _, err := gov.FindDecisions(ctx, governance.DecisionFilter{CommunityID: c.ID, Page: grids.Page{Limit: 200}})
	require.NoError(t, err)
	assert.Equal(t, sum.Decisions+governancedemo.Hearings, len(decisions))

	// Once is enough.
	_, err = governancedemo.Seed(context.Background(), store.Governance(), store.Grids(), c.ID, end, 1)
	assert.ErrorContains(t, err, "council already")
}

func TestSeedNeedsResidents(t *testing.T) {
	store := memstore.New()
	reg := grids.NewRegistry(store.Grids(), grids.Options{})
	c := community(t, reg, 20)
	_, err := governancedemo.Seed(context.Background(), store.Governance(), store.Grids(), c.ID, time.Now(), 1)
	assert.ErrorContains(t, err, "needs 404")
}
