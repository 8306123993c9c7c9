package governancetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
)

// testBriefings: the think tank's stairwell briefings are recorded with
// the stairwells, attendees, needs and candidate leaders they had, each
// checked against the registry; the coverage report lists the stairwells
// none has reached; a nomination cites the briefing that named its
// candidate; the stores keep it all.
func testBriefings(t *testing.T, f *fixture) {
	c := f.community.ID
	admin := grids.WithPrincipal(f.ctx, grids.Admin("test"))
	buildings, _, err := f.reg.FindBuildings(admin, grids.BuildingFilter{CommunityID: c})
	require.NoError(t, err)
	b := buildings[0].ID
	_, err = f.reg.CreateHousehold(admin, c, grids.HouseholdInput{BuildingID: b, Unit: "2-301", Size: 2})
	require.NoError(t, err)
	worker := f.seatCouncil(1)
	need, err := f.reg.RaiseNeed(worker, c, grids.NeedInput{Source: grids.SourceBriefing, Title: "楼道灯坏了"})
	require.NoError(t, err)

	cov, err := f.svc.BriefingCoverage(worker, c)
	require.NoError(t, err)
	assert.Equal(t, governance.Coverage{Stairwells: 2, NotBriefed: []governance.Stairwell{{BuildingID: b, Stairwell: "1"}, {BuildingID: b, Stairwell: "2"}}}, cov)

	held := f.clock.Now().Add(-48 * time.Hour)
	in := governance.BriefingInput{HeldAt: held, Place: "1号楼1单元门口", Stairwells: []governance.Stairwell{{BuildingID: b, Stairwell: "1"}},
		Attendees: []string{f.residents[1].ID, f.residents[2].ID}, Needs: []string{need.ID},
		Candidates: []governance.Candidate{{ResidentID: f.residents[2].ID, Note: "热心，懂电工"}}}
	for _, tc := range []struct {
		change func(in *governance.BriefingInput)
		field  string
	}{
		{func(in *governance.BriefingInput) { in.HeldAt = f.clock.Now().Add(time.Hour) }, "held_at"},
		{func(in *governance.BriefingInput) { in.Stairwells = nil }, "stairwells"},
		{func(in *governance.BriefingInput) {
			in.Stairwells = []governance.Stairwell{{BuildingID: b, Stairwell: "3"}}
		}, "stairwells[0].stairwell"},
		{func(in *governance.BriefingInput) {
			in.Stairwells = []governance.Stairwell{{BuildingID: c, Stairwell: "1"}}
		}, "stairwells[0].building_id"},
		{func(in *governance.BriefingInput) { in.Attendees = []string{c} }, "attendees[0]"},
		{func(in *governance.BriefingInput) { in.Needs = []string{c} }, "needs[0]"},
		{func(in *governance.BriefingInput) { in.Candidates = []governance.Candidate{{ResidentID: c}} }, "candidates[0].resident_id"},
	} {
		bad := in
		tc.change(&bad)
		_, err := f.svc.RecordBriefing(worker, c, bad)
		require.ErrorIs(t, err, grids.Invalid, tc.field)
		assert.Equal(t, tc.field, errs.FieldsOf(err)[0].Field)
	}
	_, err = f.svc.RecordBriefing(f.as(5), c, in)
	assert.ErrorIs(t, err, governance.ErrBrief, "a resident outside the think tank")

	first, err := f.svc.RecordBriefing(worker, c, in)
	require.NoError(t, err)
	stored := mustGet(f, func(tx governance.Tx) (governance.Briefing, error) { return tx.Briefing(f.ctx, c, first.ID) })
	assert.Equal(t, first, stored)
	assert.Equal(t, "w", stored.RecordedBy)
	cov, err = f.svc.BriefingCoverage(worker, c)
	require.NoError(t, err)
	assert.Equal(t, governance.Coverage{Briefings: 1, Stairwells: 2, Briefed: 1, NotBriefed: []governance.Stairwell{{BuildingID: b, Stairwell: "2"}}}, cov)

	second, err := f.svc.RecordBriefing(worker, c, governance.BriefingInput{HeldAt: held.Add(-24 * time.Hour), Stairwells: []governance.Stairwell{{BuildingID: b, Stairwell: "2"}}})
	require.NoError(t, err)
	cov, err = f.svc.BriefingCoverage(worker, c)
	require.NoError(t, err)
	assert.Equal(t, 2, cov.Briefed, "every stairwell briefed")
	assert.Empty(t, cov.NotBriefed)
	all, n, err := f.svc.FindBriefings(worker, governance.BriefingFilter{CommunityID: c})
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	require.Len(t, all, 2)
	assert.Equal(t, []string{second.ID, first.ID}, []string{all[0].ID, all[1].ID}, "by when they were held")
	from := held.Add(-time.Hour)
	recent, _, err := f.svc.FindBriefings(worker, governance.BriefingFilter{CommunityID: c, From: &from})
	require.NoError(t, err)
	require.Len(t, recent, 1)
	assert.Equal(t, first.ID, recent[0].ID)

	// A nomination cites the briefing that named its candidate.
	nom, err := f.svc.Nominate(worker, c, governance.NominationInput{ResidentID: f.residents[2].ID, BodyID: f.silver.ID, Office: governance.Member, BriefingID: first.ID})
	require.NoError(t, err)
	got := mustGet(f, func(tx governance.Tx) (governance.Nomination, error) { return tx.Nomination(f.ctx, c, nom.ID) })
	assert.Equal(t, first.ID, got.BriefingID)
	_, err = f.svc.Nominate(worker, c, governance.NominationInput{ResidentID: f.residents[3].ID, BodyID: f.silver.ID, Office: governance.Member, BriefingID: first.ID})
	require.ErrorIs(t, err, grids.Invalid, "the briefing did not name them")
	assert.Equal(t, "briefing_id", errs.FieldsOf(err)[0].Field)
	_, err = f.svc.Nominate(worker, c, governance.NominationInput{ResidentID: f.residents[2].ID, BodyID: f.silver.ID, Office: governance.Member, BriefingID: second.ID})
	assert.ErrorIs(t, err, grids.Invalid, "the second briefing named no one")
}
