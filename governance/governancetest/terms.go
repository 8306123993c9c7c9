package governancetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
)

// testTerms: a term ends a position by itself; the powers that came with
// it go; a council decision renews it as a new position from the old
// term's end; and the evaluation counts the heads a body had at each date.
func testTerms(t *testing.T, f *fixture) {
	c := f.community.ID
	worker := grids.WithPrincipal(f.ctx, grids.Principal{ID: "w", CommunityID: c, Name: "w", Roles: []grids.Role{grids.RoleWorker}})
	as := func(i int) grids.Principal {
		return grids.Principal{ID: "u" + f.residents[i].ID, CommunityID: c, Name: f.residents[i].Name, Roles: []grids.Role{grids.RoleResident}, ResidentID: f.residents[i].ID}
	}
	start := f.clock.Now()
	d, err := f.svc.RecordDecision(worker, c, governance.DecisionInput{BodyID: f.council.ID, Title: "选举理事和委员会主任，任期一年"})
	require.NoError(t, err)
	year := start.AddDate(1, 0, 0)
	seat, err := f.svc.Appoint(worker, c, governance.AppointInput{BodyID: f.council.ID, ResidentID: f.residents[0].ID, Office: governance.Member, DecisionID: d.ID, TermEnd: &year})
	require.NoError(t, err)
	chair, err := f.svc.Appoint(worker, c, governance.AppointInput{BodyID: f.silver.ID, ResidentID: f.residents[1].ID, Office: governance.Chair, DecisionID: d.ID, TermEnd: &year})
	require.NoError(t, err)
	councillor := grids.WithPrincipal(f.ctx, as(0))

	// In term: the councillor records a decision (a power of the council).
	_, err = f.svc.RecordDecision(councillor, c, governance.DecisionInput{BodyID: f.council.ID, Title: "同意开展楼道清洁"})
	require.NoError(t, err)
	noTerm, err := f.svc.Appoint(worker, c, governance.AppointInput{BodyID: f.council.ID, ResidentID: f.residents[2].ID, Office: governance.Member, DecisionID: d.ID})
	require.NoError(t, err)

	// Renewals: only by the council, of a position with a term, to a later end.
	renewal, err := f.svc.RecordDecision(worker, c, governance.DecisionInput{BodyID: f.council.ID, Title: "委员会主任连任"})
	require.NoError(t, err)
	two := year.AddDate(1, 0, 0)
	_, err = f.svc.Renew(grids.WithPrincipal(f.ctx, as(3)), c, chair.ID, governance.RenewInput{DecisionID: renewal.ID, TermEnd: two})
	assert.ErrorIs(t, err, governance.ErrAppoint, "a resident off the council")
	_, err = f.svc.Renew(worker, c, noTerm.ID, governance.RenewInput{DecisionID: renewal.ID, TermEnd: two})
	assert.ErrorIs(t, err, governance.ErrNoTerm)
	_, err = f.svc.Renew(worker, c, chair.ID, governance.RenewInput{DecisionID: renewal.ID, TermEnd: year.Add(-time.Hour)})
	assert.ErrorIs(t, err, grids.Invalid, "a new term that ends before the old one")
	renewed, err := f.svc.Renew(worker, c, chair.ID, governance.RenewInput{DecisionID: renewal.ID, TermEnd: two})
	require.NoError(t, err)
	assert.Equal(t, renewal.ID, renewed.DecisionID)
	assert.True(t, renewed.From.Equal(year), "the renewed term begins where the old one ends")
	_, err = f.svc.Renew(worker, c, chair.ID, governance.RenewInput{DecisionID: renewal.ID, TermEnd: two})
	assert.ErrorIs(t, err, governance.ErrPositionEnded, "a position is renewed once")
	old := mustGet(f, func(tx governance.Tx) (governance.Position, error) { return tx.Position(f.ctx, c, chair.ID) })
	require.NotNil(t, old.To)
	assert.True(t, old.To.Equal(year), "the old position closes at its term's end, not before")

	// A year and a day later: the councillor's term is over, the chair holds on.
	f.clock.Set(year.Add(24 * time.Hour))
	later := f.clock.Now()
	active, _ := ids2(f, func(tx governance.Tx) ([]governance.Position, int, error) {
		return tx.FindPositions(f.ctx, governance.PositionFilter{CommunityID: c, ActiveAt: &later})
	}, func(p governance.Position) string { return p.ID })
	assert.NotContains(t, active, seat.ID, "a term's end ends the position")
	assert.NotContains(t, active, chair.ID)
	assert.Contains(t, active, renewed.ID)
	assert.Contains(t, active, noTerm.ID, "a position without a term holds until it is ended")
	held, err := governance.Lookup{Store: f.g}.Offices(f.ctx, c, f.residents[0].ID, later)
	require.NoError(t, err)
	assert.Empty(t, held, "no office after the term")
	_, err = f.svc.RecordDecision(councillor, c, governance.DecisionInput{BodyID: f.council.ID, Title: "再次开展楼道清洁"})
	assert.ErrorIs(t, err, governance.ErrRecord, "the powers end with the term")
	_, err = f.svc.EndPosition(worker, c, seat.ID, governance.EndInput{Reason: "离任"})
	assert.ErrorIs(t, err, governance.ErrPositionEnded, "a lapsed term is ended already")

	// The evaluation of the committee over the two years: one head
	// throughout (two positions, one person); of the council: none.
	ev, err := f.svc.Evaluate(worker, c, start, two)
	require.NoError(t, err)
	for _, b := range ev.Bodies {
		switch b.BodyID {
		case f.silver.ID:
			require.Len(t, b.Heads, 2)
			assert.Equal(t, f.residents[1].ID, b.Heads[0].ResidentID)
			assert.True(t, b.Heads[0].To.Equal(b.Heads[1].From), "no gap at the renewal")
			assert.Equal(t, 0, b.UnledDays)
		case f.council.ID:
			assert.Empty(t, b.Heads)
			assert.Equal(t, int(two.Sub(f.council.CreatedAt)/(24*time.Hour)), b.UnledDays)
		}
	}
	// The renewed term ends too: a new chair fifty days on leaves fifty
	// days unled.
	f.clock.Set(two.AddDate(0, 0, 50))
	d2, err := f.svc.RecordDecision(worker, c, governance.DecisionInput{BodyID: f.council.ID, Title: "任命新主任"})
	require.NoError(t, err)
	end := two.AddDate(1, 0, 0)
	_, err = f.svc.Appoint(worker, c, governance.AppointInput{BodyID: f.silver.ID, ResidentID: f.residents[4].ID, Office: governance.Chair, DecisionID: d2.ID, TermEnd: &end})
	require.NoError(t, err)
	ev, err = f.svc.Evaluate(worker, c, two.AddDate(0, 0, -10), two.AddDate(0, 0, 60))
	require.NoError(t, err)
	for _, b := range ev.Bodies {
		if b.BodyID == f.silver.ID {
			require.Len(t, b.Heads, 2)
			assert.Equal(t, f.residents[1].ID, b.Heads[0].ResidentID)
			assert.Equal(t, f.residents[4].ID, b.Heads[1].ResidentID)
			assert.Equal(t, 50, b.UnledDays)
		}
	}
}
