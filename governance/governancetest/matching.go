package governancetest

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
)

// testGroupMatching: residents of a district are proposed the groups whose
// purpose shares one of their tags, near home, within each group's size
// (those with fewer choices first); a worker confirms proposals as
// invitations; a resident accepts (and joins) or declines, or a worker
// enters their answer; a group takes no more members than its size; the
// stores keep groups' purposes and the invitations, one open per resident
// and group.
func testGroupMatching(t *testing.T, f *fixture) {
	c := f.community.ID
	admin := grids.WithPrincipal(f.ctx, grids.Admin("test"))
	worker := grids.WithPrincipal(f.ctx, grids.Principal{ID: "w", CommunityID: c, Name: "w", Roles: []grids.Role{grids.RoleWorker}})
	d, err := f.reg.CreateDistrict(admin, c, grids.DistrictInput{Name: "一片区"})
	require.NoError(t, err)
	g1, err := f.reg.CreateGrid(admin, c, grids.GridInput{DistrictID: d.ID, Name: "一网格"})
	require.NoError(t, err)
	g2, err := f.reg.CreateGrid(admin, c, grids.GridInput{DistrictID: d.ID, Name: "二网格"})
	require.NoError(t, err)
	// A is where the groups meet; B is 0.004° of latitude north (≈445 m),
	// C 0.02° (≈2.2 km).
	at := func(dlat float64) *grids.Location { return &grids.Location{Lat: 31.5 + dlat, Lng: 120.3} }
	building := func(name, grid string, loc *grids.Location) string {
		b, err := f.reg.CreateBuilding(admin, c, grids.BuildingInput{Name: name, GridID: grid, Location: loc})
		require.NoError(t, err)
		h, err := f.reg.CreateHousehold(admin, c, grids.HouseholdInput{BuildingID: b.ID, Unit: "1-101", Size: 5})
		require.NoError(t, err)
		return h.ID
	}
	hA, hB, hC := building("A栋", g1.ID, at(0)), building("B栋", g2.ID, at(0.004)), building("C栋", g2.ID, at(0.02))
	resident := func(name, household string, interests, needs []string) grids.Resident {
		r, err := f.reg.CreateResident(admin, c, grids.ResidentInput{HouseholdID: household, Name: name, Sex: grids.Female, BirthYear: 1955, Interests: interests, Needs: needs})
		require.NoError(t, err)
		return r
	}
	as := func(r grids.Resident) context.Context {
		return grids.WithPrincipal(f.ctx, grids.Principal{ID: "p-" + r.ID, CommunityID: c, Name: r.Name, Roles: []grids.Role{grids.RoleResident}, ResidentID: r.ID})
	}
	taichi, meals := []string{"tai_chi"}, []string{"meal_delivery"}
	a1 := resident("甲一", hA, taichi, meals) // two groups in reach: chooses after those with one
	a2 := resident("甲二", hA, nil, meals)
	a3 := resident("甲三", hA, []string{"chess_cards", "tai_chi"}, nil) // already in the tai chi group
	resident("甲四", hA, nil, nil)                                      // no tags: not counted
	resident("甲五", hA, []string{"knitting"}, nil)                     // no group serves it
	b1 := resident("乙一", hB, taichi, nil)
	b2 := resident("乙二", hB, taichi, nil)
	b3 := resident("乙三", hB, taichi, nil)
	c1 := resident("丙一", hC, taichi, nil) // too far

	group := func(name string, tags []string, seats int) governance.Body {
		g, err := f.svc.CreateBody(worker, c, governance.BodyInput{Kind: governance.Group, ParentID: f.silver.ID, Name: name, GridID: g1.ID, Tags: tags, Seats: seats})
		require.NoError(t, err)
		return g
	}
	tc := group("太极健身小组", taichi, 3)
	ml := group("助餐送餐小组", meals, 0)
	assert.Equal(t, mustGet(f, func(tx governance.Tx) (governance.Body, error) { return tx.Body(f.ctx, c, tc.ID) }), tc, "purpose and size stored")
	_, err = f.svc.CreateBody(worker, c, governance.BodyInput{Kind: governance.Committee, Name: "x", Tags: taichi})
	assert.ErrorIs(t, err, grids.Invalid, "only groups have a purpose")
	_, err = f.svc.Join(as(a3), c, tc.ID)
	require.NoError(t, err)

	_, err = f.svc.RecommendGroups(as(a1), c, governance.MatchInput{DistrictID: d.ID})
	assert.ErrorIs(t, err, governance.ErrMatch, "residents do not propose")
	_, err = f.svc.RecommendGroups(worker, c, governance.MatchInput{DistrictID: c})
	assert.ErrorIs(t, err, grids.Invalid, "no such district")

	m, err := f.svc.RecommendGroups(worker, c, governance.MatchInput{DistrictID: d.ID})
	require.NoError(t, err)
	assert.Equal(t, governance.DefaultWithinMetres, m.WithinMetres)
	assert.Equal(t, 9, m.Residents)
	assert.Equal(t, 8, m.Tagged)
	assert.Equal(t, 1, m.NoGroup, "knitting")
	assert.Equal(t, 1, m.TooFar, "2.2 km away")
	assert.Equal(t, 1, m.Already, "in the group")
	assert.Equal(t, 4, m.Matched)
	assert.Equal(t, 1, m.Full, "three seek two places")
	assert.Equal(t, 625, m.MatchedPerMille, "(4 matched + 1 already) of 8")
	assert.InDelta(t, 445, m.MaxMetres, 2)
	assert.InDelta(t, 445, m.MedianMetres, 2, "distances 0, 0, 445, 445")
	assert.InDelta(t, 222, m.MeanMetres, 2)
	got := map[string]string{}
	for _, p := range m.Proposals {
		got[p.ResidentID] = p.GroupID
	}
	assert.Equal(t, ml.ID, got[a1.ID], "with two choices, it yields the full group to those with one")
	assert.Equal(t, ml.ID, got[a2.ID])
	took := 0
	for _, r := range []grids.Resident{b1, b2, b3} {
		if got[r.ID] == tc.ID {
			took++
		}
	}
	assert.Equal(t, 2, took, "two places left in the tai chi group")

	_, err = f.svc.ConfirmMatches(as(a1), c, governance.ConfirmInput{Proposals: m.Proposals})
	assert.ErrorIs(t, err, governance.ErrMatch)
	_, err = f.svc.ConfirmMatches(worker, c, governance.ConfirmInput{Proposals: []governance.Proposal{{ResidentID: a2.ID, GroupID: tc.ID}}})
	assert.ErrorIs(t, err, governance.ErrNoMatch, "tai chi serves none of a2's tags")
	invs, err := f.svc.ConfirmMatches(worker, c, governance.ConfirmInput{Proposals: m.Proposals})
	require.NoError(t, err)
	require.Len(t, invs, 4)
	for _, inv := range invs {
		assert.Equal(t, governance.InvitationOpen, inv.State)
		assert.Equal(t, "w", inv.InvitedBy)
		assert.Equal(t, inv, mustGet(f, func(tx governance.Tx) (governance.Invitation, error) { return tx.Invitation(f.ctx, c, inv.ID) }))
	}
	_, err = f.svc.ConfirmMatches(worker, c, governance.ConfirmInput{Proposals: m.Proposals[:1]})
	assert.ErrorIs(t, err, governance.ErrInvited, "one open invitation per resident and group")
	left := b3
	for _, r := range []grids.Resident{b1, b2, b3} {
		if got[r.ID] != tc.ID {
			left = r
		}
	}
	_, err = f.svc.ConfirmMatches(worker, c, governance.ConfirmInput{Proposals: []governance.Proposal{{ResidentID: left.ID, GroupID: tc.ID}}})
	assert.ErrorIs(t, err, governance.ErrGroupFull, "a member and two open invitations fill its three places")
	_, err = f.svc.Join(as(left), c, tc.ID)
	assert.ErrorIs(t, err, governance.ErrGroupFull, "the invitations hold their places against those who join on their own")
	far, err := f.svc.ConfirmMatches(worker, c, governance.ConfirmInput{Proposals: []governance.Proposal{{ResidentID: c1.ID, GroupID: ml.ID}}})
	assert.ErrorIs(t, err, governance.ErrNoMatch, "c1 needs no meals")
	assert.Empty(t, far)

	again, err := f.svc.RecommendGroups(worker, c, governance.MatchInput{DistrictID: d.ID})
	require.NoError(t, err)
	assert.Equal(t, 5, again.Already, "the invited count as placed")
	assert.Equal(t, 0, again.Matched)
	assert.Equal(t, 1, again.Full)

	// Answers: the resident accepts and joins; a worker enters a declined
	// paper answer; others' invitations and second answers are refused.
	byResident := map[string]governance.Invitation{}
	for _, inv := range invs {
		byResident[inv.ResidentID] = inv
	}
	first := byResident[a1.ID]
	_, err = f.svc.ReplyToInvitation(as(a2), c, first.ID, governance.ReplyInput{Accept: true})
	assert.ErrorIs(t, err, governance.ErrJoin, "someone else's invitation")
	acc, err := f.svc.ReplyToInvitation(as(a1), c, first.ID, governance.ReplyInput{Accept: true})
	require.NoError(t, err)
	assert.Equal(t, governance.InvitationAccepted, acc.State)
	assert.Equal(t, a1.ID, acc.AnsweredBy, "the resident answered")
	pos := mustGet(f, func(tx governance.Tx) (governance.Position, error) { return tx.Position(f.ctx, c, acc.PositionID) })
	assert.Equal(t, ml.ID, pos.BodyID)
	assert.Equal(t, a1.ID, pos.HolderID)
	_, err = f.svc.ReplyToInvitation(as(a1), c, first.ID, governance.ReplyInput{Accept: false})
	assert.ErrorIs(t, err, governance.ErrInvitationState)
	dec, err := f.svc.ReplyToInvitation(worker, c, byResident[a2.ID].ID, governance.ReplyInput{})
	require.NoError(t, err)
	assert.Equal(t, governance.InvitationDeclined, dec.State)
	assert.Equal(t, "w", dec.AnsweredBy)
	assert.Empty(t, dec.PositionID)
	assert.Equal(t, dec, mustGet(f, func(tx governance.Tx) (governance.Invitation, error) { return tx.Invitation(f.ctx, c, dec.ID) }))

	// The group's size holds for every way in: the two invited join, and
	// the third cannot join on their own.
	for _, r := range []grids.Resident{b1, b2, b3} {
		if inv, ok := byResident[r.ID]; ok {
			_, err := f.svc.ReplyToInvitation(as(r), c, inv.ID, governance.ReplyInput{Accept: true})
			require.NoError(t, err)
		}
	}
	_, err = f.svc.Join(as(left), c, tc.ID)
	assert.ErrorIs(t, err, governance.ErrGroupFull)
	_, err = f.svc.UpdateBody(worker, c, tc.ID, governance.BodyUpdate{Seats: ptr(2)})
	assert.ErrorIs(t, err, grids.Invalid, "three members: the size cannot go below")
	cleared, err := f.svc.UpdateBody(worker, c, tc.ID, governance.BodyUpdate{Seats: ptr(0), Tags: &[]string{}})
	require.NoError(t, err)
	assert.Nil(t, cleared.Tags)
	assert.Equal(t, cleared, mustGet(f, func(tx governance.Tx) (governance.Body, error) { return tx.Body(f.ctx, c, tc.ID) }))
	_, err = f.svc.Join(as(left), c, tc.ID)
	assert.NoError(t, err, "no size, no limit")

	// Who sees which invitations; the stores' filters.
	mine, n, err := f.svc.FindInvitations(as(a1), governance.InvitationFilter{CommunityID: c})
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Equal(t, first.ID, mine[0].ID)
	_, err = f.svc.Invitation(as(a2), c, first.ID)
	assert.ErrorIs(t, err, grids.NotFound, "another resident's invitation")
	ids, n := ids2(f, func(tx governance.Tx) ([]governance.Invitation, int, error) {
		return tx.FindInvitations(f.ctx, governance.InvitationFilter{CommunityID: c, GroupID: tc.ID, State: governance.InvitationAccepted})
	}, func(i governance.Invitation) string { return i.ID })
	assert.Equal(t, 2, n)
	assert.Len(t, ids, 2)
	_, n = ids2(f, func(tx governance.Tx) ([]governance.Invitation, int, error) {
		return tx.FindInvitations(f.ctx, governance.InvitationFilter{CommunityID: c, ResidentID: a2.ID})
	}, func(i governance.Invitation) string { return i.ID })
	assert.Equal(t, 1, n)

	// The stores keep one open invitation per resident and group.
	open := governance.Invitation{ID: f.seq.New(), CommunityID: c, GroupID: ml.ID, ResidentID: c1.ID, Tags: []string{}, State: governance.InvitationOpen, InvitedBy: "w", CreatedAt: f.now()}
	f.must(func(tx governance.Tx) error { return tx.CreateInvitation(f.ctx, open) })
	twice := open
	twice.ID = f.seq.New()
	err = f.g.Update(f.ctx, func(tx governance.Tx) error { return tx.CreateInvitation(f.ctx, twice) })
	assert.ErrorIs(t, err, errs.Conflict)
	twice.State = governance.InvitationDeclined
	f.must(func(tx governance.Tx) error { return tx.CreateInvitation(f.ctx, twice) })
	twice.State = governance.InvitationOpen
	err = f.g.Update(f.ctx, func(tx governance.Tx) error { return tx.UpdateInvitation(f.ctx, twice) })
	assert.ErrorIs(t, err, errs.Conflict, "reopening makes two open")
}

func ptr[T any](v T) *T { return &v }
