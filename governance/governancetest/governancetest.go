// Package governancetest is the conformance suite for governance.Store
// implementations: every store (memory, SQLite, PostgreSQL) runs
// RunStoreTests from its own tests.
package governancetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/record/recordtest"
	"github.com/linli-go/linli/internal/clock"
	"github.com/linli-go/linli/internal/ids"
	"github.com/linli-go/linli/internal/storetest"
)

// NewStores returns an empty governance store and the registry store of
// the same backend, for one test.
type NewStores func(t testing.TB) (governance.Store, grids.Store)

// RunStoreTests runs the conformance suite.
func RunStoreTests(t *testing.T, newStores NewStores) {
	tests := []struct {
		name string
		run  func(t *testing.T, f *fixture)
	}{
		{"RoundTrips", testRoundTrips},
		{"NotFoundAndConflict", testNotFoundAndConflict},
		{"TenantIsolation", testTenantIsolation},
		{"Filters", testFilters},
		{"PositionsOverTime", testPositionsOverTime},
		{"Terms", testTerms},
		{"Proxies", testProxies},
		{"PaperEntries", testPaperEntries},
		{"Invitees", testInvitees},
		{"Consultation", testConsultation},
		{"OpenSpace", testOpenSpace},
		{"Briefings", testBriefings},
		{"GroupMatching", testGroupMatching},
		{"FirstParticipations", testFirstParticipations},
		{"Rollback", testRollback},
		{"RacingAppointments", testRacingAppointments},
		{"Meetings", testMeetings},
		{"Holidays", testHolidays},
		{"RacingMoves", testRacingMoves},
		{"WriteSkew", testWriteSkew},
		{"Version", testVersion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, r := newStores(t)
			tt.run(t, newFixture(t, g, r))
		})
	}
}

// fixture is a community with residents, and a service over the stores.
type fixture struct {
	t         testing.TB
	ctx       context.Context
	g         governance.Store
	r         grids.Store
	reg       *grids.Registry
	svc       *governance.Service
	clock     *clock.Manual
	seq       *ids.Sequence
	community grids.Community
	residents []grids.Resident
	council   governance.Body
	silver    governance.Body
}

func newFixture(t testing.TB, g governance.Store, r grids.Store) *fixture {
	c := clock.NewManual(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	f := &fixture{t: t, ctx: context.Background(), g: g, r: r, clock: c, seq: ids.NewSequence(c.Now, uint64(time.Now().UnixNano()))}
	f.reg = grids.NewRegistry(r, grids.Options{Now: c.Now})
	f.svc = governance.NewService(g, r, governance.Options{Now: c.Now})
	admin := grids.WithPrincipal(f.ctx, grids.Admin("test"))
	var err error
	f.community, err = f.reg.CreateCommunity(admin, grids.CommunityInput{Name: "水秀社区 " + f.seq.New()[20:]})
	require.NoError(t, err)
	b, err := f.reg.CreateBuilding(admin, f.community.ID, grids.BuildingInput{Name: "1号"})
	require.NoError(t, err)
	h, err := f.reg.CreateHousehold(admin, f.community.ID, grids.HouseholdInput{BuildingID: b.ID, Unit: "1", Size: 5})
	require.NoError(t, err)
	for i := range 6 {
		r, err := f.reg.CreateResident(admin, f.community.ID, grids.ResidentInput{HouseholdID: h.ID, Name: fmt.Sprintf("居民%d", i), Sex: grids.Female, BirthYear: 1960 + i})
		require.NoError(t, err)
		f.residents = append(f.residents, r)
	}
	bodies, err := f.svc.Setup(admin, f.community.ID)
	require.NoError(t, err)
	f.council, f.silver = bodies[0], bodies[2]
	return f
}

func (f *fixture) must(fn func(tx governance.Tx) error) {
	f.t.Helper()
	require.NoError(f.t, f.g.Update(f.ctx, fn))
}

func get[T any](f *fixture, read func(tx governance.Tx) (T, error)) (T, error) {
	var out T
	err := f.g.View(f.ctx, func(tx governance.Tx) (err error) {
		out, err = read(tx)
		return err
	})
	return out, err
}

func mustGet[T any](f *fixture, read func(tx governance.Tx) (T, error)) T {
	f.t.Helper()
	out, err := get(f, read)
	require.NoError(f.t, err)
	return out
}

func ids2[T any](f *fixture, find func(tx governance.Tx) ([]T, int, error), id func(T) string) ([]string, int) {
	f.t.Helper()
	var out []string
	var n int
	require.NoError(f.t, f.g.View(f.ctx, func(tx governance.Tx) error {
		recs, total, err := find(tx)
		if err != nil {
			return err
		}
		n = total
		out = []string{}
		for _, r := range recs {
			out = append(out, id(r))
		}
		return nil
	}))
	return out, n
}

func (f *fixture) now() time.Time { return clock.Normalize(f.clock.Advance(time.Microsecond)) }

// records makes one of each record in the fixture's community.
func (f *fixture) records() (governance.Body, governance.Position, governance.Organisation, governance.Decision, governance.Nomination, governance.Task, governance.Issue, governance.Activity) {
	c := f.community.ID
	now := f.now()
	end := now.AddDate(3, 0, 0)
	group := governance.Body{ID: f.seq.New(), CommunityID: c, Kind: governance.Group, ParentID: f.silver.ID, Name: "楼道文化小组", ChineseName: "楼道文化小组",
		Remit: "布置楼道\n文化墙", DistrictID: f.seq.New(), Schedule: "每周六上午", Stamps: grids.Stamps{CreatedAt: now, UpdatedAt: now}}
	dec := governance.Decision{ID: f.seq.New(), CommunityID: c, BodyID: f.council.ID, Title: "任命", Text: "第1号决定", DecidedAt: now, MeetingID: f.seq.New(), RecordedBy: "w", CreatedAt: now}
	org := governance.Organisation{ID: f.seq.New(), CommunityID: c, Name: "金邻居社工事务所", Kind: "professional", Origin: "external", Purpose: "社工服务",
		CommitteeIDs: []string{f.silver.ID}, Stamps: grids.Stamps{CreatedAt: now, UpdatedAt: now}}
	pos := governance.Position{ID: f.seq.New(), CommunityID: c, BodyID: f.council.ID, HolderKind: "resident", HolderID: f.residents[0].ID, Office: governance.Chair,
		Constituency: governance.OrganisationsSeat, Represents: org.ID, DecisionID: dec.ID, From: now, TermEnd: &end, CreatedBy: "w"}
	nom := governance.Nomination{ID: f.seq.New(), CommunityID: c, ResidentID: f.residents[1].ID, RecommendedBy: f.residents[2].ID, BodyID: group.ID,
		Office: governance.Leader, Statement: "热心", Status: governance.Pending, CreatedAt: now, UpdatedAt: now}
	task := governance.Task{ID: f.seq.New(), CommunityID: c, FromBodyID: f.council.ID, ToBodyID: f.silver.ID, Title: "探访独居老人", OwnerID: f.residents[3].ID, Due: &end,
		Status: governance.InProgress, Reports: []governance.TaskReport{{At: now, By: "w", Status: governance.InProgress, Note: "已开始"}}, CreatedBy: "w", CreatedAt: now, UpdatedAt: now}
	issue := governance.Issue{ID: f.seq.New(), CommunityID: c, Title: "停车难", RaisedBy: grids.Ref{Kind: "group", ID: group.ID}, ByResident: f.residents[4].ID,
		Status: governance.Deliberated, Steps: []governance.IssueStep{{At: now, By: "r", Status: governance.Raised}, {At: now, By: "w", Status: governance.Deliberated, Link: &governance.Link{Kind: "meeting", ID: f.seq.New()}}},
		CreatedAt: now, UpdatedAt: now}
	act := governance.Activity{ID: f.seq.New(), CommunityID: c, BodyID: group.ID, Title: "楼道清扫", Service: "cleaning", Place: "1号楼", Start: now.Add(-2 * time.Hour), End: now,
		OrganiserID: f.residents[1].ID, Participants: []governance.Participant{{ResidentID: f.residents[1].ID, Minutes: 120}, {ResidentID: f.residents[2].ID, Minutes: 90}},
		CreatedBy: "w", CreatedAt: now, UpdatedAt: now}
	f.must(func(tx governance.Tx) error {
		return errors.Join(tx.CreateBody(f.ctx, group), tx.CreateDecision(f.ctx, dec), tx.CreateOrganisation(f.ctx, org), tx.CreatePosition(f.ctx, pos),
			tx.CreateNomination(f.ctx, nom), tx.CreateTask(f.ctx, task), tx.CreateIssue(f.ctx, issue), tx.CreateActivity(f.ctx, act))
	})
	return group, pos, org, dec, nom, task, issue, act
}

func testRoundTrips(t *testing.T, f *fixture) {
	c := f.community.ID
	group, pos, org, dec, nom, task, issue, act := f.records()
	assert.Equal(t, group, mustGet(f, func(tx governance.Tx) (governance.Body, error) { return tx.Body(f.ctx, c, group.ID) }))
	assert.Equal(t, pos, mustGet(f, func(tx governance.Tx) (governance.Position, error) { return tx.Position(f.ctx, c, pos.ID) }))
	assert.Equal(t, org, mustGet(f, func(tx governance.Tx) (governance.Organisation, error) { return tx.Organisation(f.ctx, c, org.ID) }))
	assert.Equal(t, dec, mustGet(f, func(tx governance.Tx) (governance.Decision, error) { return tx.Decision(f.ctx, c, dec.ID) }))
	assert.Equal(t, nom, mustGet(f, func(tx governance.Tx) (governance.Nomination, error) { return tx.Nomination(f.ctx, c, nom.ID) }))
	assert.Equal(t, task, mustGet(f, func(tx governance.Tx) (governance.Task, error) { return tx.Task(f.ctx, c, task.ID) }))
	assert.Equal(t, issue, mustGet(f, func(tx governance.Tx) (governance.Issue, error) { return tx.Issue(f.ctx, c, issue.ID) }))
	assert.Equal(t, act, mustGet(f, func(tx governance.Tx) (governance.Activity, error) { return tx.Activity(f.ctx, c, act.ID) }))

	// Updates replace whole records.
	now := f.now()
	group.Schedule, group.UpdatedAt = "", now
	pos.To, pos.Ceased = &now, "任期届满"
	org.CommitteeIDs = []string{}
	nom.Status, nom.Review, nom.ReviewedBy = governance.Reviewed, "同意", "w"
	task.Status, task.Reports = governance.Done, append(task.Reports, governance.TaskReport{At: now, By: "w", Status: governance.Done, Note: "完成"})
	issue.Status, issue.Reason = governance.Declined, "理由"
	act.Participants = []governance.Participant{{ResidentID: f.residents[5].ID, Minutes: 30}}
	f.must(func(tx governance.Tx) error {
		return errors.Join(tx.UpdateBody(f.ctx, group), tx.UpdatePosition(f.ctx, pos), tx.UpdateOrganisation(f.ctx, org), tx.UpdateNomination(f.ctx, nom),
			tx.UpdateTask(f.ctx, task), tx.UpdateIssue(f.ctx, issue), tx.UpdateActivity(f.ctx, act))
	})
	assert.Equal(t, group, mustGet(f, func(tx governance.Tx) (governance.Body, error) { return tx.Body(f.ctx, c, group.ID) }))
	assert.Equal(t, pos, mustGet(f, func(tx governance.Tx) (governance.Position, error) { return tx.Position(f.ctx, c, pos.ID) }))
	assert.Equal(t, org, mustGet(f, func(tx governance.Tx) (governance.Organisation, error) { return tx.Organisation(f.ctx, c, org.ID) }))
	assert.Equal(t, nom, mustGet(f, func(tx governance.Tx) (governance.Nomination, error) { return tx.Nomination(f.ctx, c, nom.ID) }))
	assert.Equal(t, task, mustGet(f, func(tx governance.Tx) (governance.Task, error) { return tx.Task(f.ctx, c, task.ID) }))
	assert.Equal(t, issue, mustGet(f, func(tx governance.Tx) (governance.Issue, error) { return tx.Issue(f.ctx, c, issue.ID) }))
	assert.Equal(t, act, mustGet(f, func(tx governance.Tx) (governance.Activity, error) { return tx.Activity(f.ctx, c, act.ID) }))
}

func testNotFoundAndConflict(t *testing.T, f *fixture) {
	c := f.community.ID
	missing := f.seq.New()
	for name, read := range map[string]func(tx governance.Tx) error{
		"body":         func(tx governance.Tx) error { _, err := tx.Body(f.ctx, c, missing); return err },
		"position":     func(tx governance.Tx) error { _, err := tx.Position(f.ctx, c, missing); return err },
		"organisation": func(tx governance.Tx) error { _, err := tx.Organisation(f.ctx, c, missing); return err },
		"decision":     func(tx governance.Tx) error { _, err := tx.Decision(f.ctx, c, missing); return err },
		"nomination":   func(tx governance.Tx) error { _, err := tx.Nomination(f.ctx, c, missing); return err },
		"task":         func(tx governance.Tx) error { _, err := tx.Task(f.ctx, c, missing); return err },
		"issue":        func(tx governance.Tx) error { _, err := tx.Issue(f.ctx, c, missing); return err },
		"activity":     func(tx governance.Tx) error { _, err := tx.Activity(f.ctx, c, missing); return err },
	} {
		assert.ErrorIs(t, f.g.View(f.ctx, read), grids.NotFound, name)
	}
	group, pos, _, dec, _, task, _, act := f.records()
	for name, create := range map[string]func(tx governance.Tx) error{
		"body":     func(tx governance.Tx) error { return tx.CreateBody(f.ctx, group) },
		"position": func(tx governance.Tx) error { return tx.CreatePosition(f.ctx, pos) },
		"decision": func(tx governance.Tx) error { return tx.CreateDecision(f.ctx, dec) },
		"task":     func(tx governance.Tx) error { return tx.CreateTask(f.ctx, task) },
		"activity": func(tx governance.Tx) error { return tx.CreateActivity(f.ctx, act) },
		"a second active body with the same key": func(tx governance.Tx) error {
			b := f.silver
			b.ID = f.seq.New()
			return tx.CreateBody(f.ctx, b)
		},
	} {
		assert.ErrorIs(t, f.g.Update(f.ctx, create), grids.Conflict, name)
	}
	for name, update := range map[string]func(tx governance.Tx) error{
		"task":     func(tx governance.Tx) error { t := task; t.ID = missing; return tx.UpdateTask(f.ctx, t) },
		"position": func(tx governance.Tx) error { p := pos; p.ID = missing; return tx.UpdatePosition(f.ctx, p) },
	} {
		assert.ErrorIs(t, f.g.Update(f.ctx, update), grids.NotFound, name)
	}
	for name, create := range map[string]func(tx governance.Tx) error{
		"a position in an unknown body": func(tx governance.Tx) error {
			p := pos
			p.ID, p.BodyID = f.seq.New(), missing
			return tx.CreatePosition(f.ctx, p)
		},
		"an activity of an unknown resident": func(tx governance.Tx) error {
			a := act
			a.ID, a.Participants = f.seq.New(), []governance.Participant{{ResidentID: missing, Minutes: 5}}
			return tx.CreateActivity(f.ctx, a)
		},
		"a body in an unknown community": func(tx governance.Tx) error {
			b := group
			b.ID, b.CommunityID, b.ParentID = f.seq.New(), missing, ""
			return tx.CreateBody(f.ctx, b)
		},
	} {
		assert.ErrorIs(t, f.g.Update(f.ctx, create), grids.Invalid, name)
	}
}

func testTenantIsolation(t *testing.T, f *fixture) {
	group, _, _, _, _, _, _, act := f.records()
	other := newFixture(f.t, f.g, f.r).community.ID
	_, err := get(f, func(tx governance.Tx) (governance.Body, error) { return tx.Body(f.ctx, other, group.ID) })
	assert.ErrorIs(t, err, grids.NotFound)
	_, err = get(f, func(tx governance.Tx) (governance.Activity, error) { return tx.Activity(f.ctx, other, act.ID) })
	assert.ErrorIs(t, err, grids.NotFound)
	got, n := ids2(f, func(tx governance.Tx) ([]governance.Activity, int, error) {
		return tx.FindActivities(f.ctx, governance.ActivityFilter{CommunityID: other})
	}, func(a governance.Activity) string { return a.ID })
	assert.Empty(t, got)
	assert.Zero(t, n)
	first := mustGet(f, func(tx governance.Tx) (map[string]time.Time, error) { return tx.FirstParticipations(f.ctx, other) })
	assert.Empty(t, first)
}

func testFilters(t *testing.T, f *fixture) {
	c := f.community.ID
	group, pos, org, dec, nom, task, issue, act := f.records()
	bodies, _ := ids2(f, func(tx governance.Tx) ([]governance.Body, int, error) {
		return tx.FindBodies(f.ctx, governance.BodyFilter{CommunityID: c, Kind: governance.Committee})
	}, func(b governance.Body) string { return b.ID })
	assert.Len(t, bodies, 8, "the eight committees")
	kids, _ := ids2(f, func(tx governance.Tx) ([]governance.Body, int, error) {
		return tx.FindBodies(f.ctx, governance.BodyFilter{CommunityID: c, ParentID: f.silver.ID})
	}, func(b governance.Body) string { return b.ID })
	assert.Equal(t, []string{group.ID}, kids)
	keyed, _ := ids2(f, func(tx governance.Tx) ([]governance.Body, int, error) {
		return tx.FindBodies(f.ctx, governance.BodyFilter{CommunityID: c, Key: "council"})
	}, func(b governance.Body) string { return b.ID })
	assert.Equal(t, []string{f.council.ID}, keyed)

	held, _ := ids2(f, func(tx governance.Tx) ([]governance.Position, int, error) {
		return tx.FindPositions(f.ctx, governance.PositionFilter{CommunityID: c, HolderID: f.residents[0].ID, Office: governance.Chair})
	}, func(p governance.Position) string { return p.ID })
	assert.Equal(t, []string{pos.ID}, held)
	orgs, _ := ids2(f, func(tx governance.Tx) ([]governance.Organisation, int, error) {
		return tx.FindOrganisations(f.ctx, governance.OrganisationFilter{CommunityID: c, CommitteeID: f.silver.ID, Kind: "professional"})
	}, func(o governance.Organisation) string { return o.ID })
	assert.Equal(t, []string{org.ID}, orgs)
	decs, _ := ids2(f, func(tx governance.Tx) ([]governance.Decision, int, error) {
		return tx.FindDecisions(f.ctx, governance.DecisionFilter{CommunityID: c, MeetingID: dec.MeetingID})
	}, func(d governance.Decision) string { return d.ID })
	assert.Equal(t, []string{dec.ID}, decs)
	noms, _ := ids2(f, func(tx governance.Tx) ([]governance.Nomination, int, error) {
		return tx.FindNominations(f.ctx, governance.NominationFilter{CommunityID: c, Status: governance.Pending, BodyID: group.ID})
	}, func(n governance.Nomination) string { return n.ID })
	assert.Equal(t, []string{nom.ID}, noms)
	tasks, _ := ids2(f, func(tx governance.Tx) ([]governance.Task, int, error) {
		return tx.FindTasks(f.ctx, governance.TaskFilter{CommunityID: c, ToBodyID: f.silver.ID, Status: governance.InProgress, OwnerID: f.residents[3].ID})
	}, func(t governance.Task) string { return t.ID })
	assert.Equal(t, []string{task.ID}, tasks)
	issues, _ := ids2(f, func(tx governance.Tx) ([]governance.Issue, int, error) {
		return tx.FindIssues(f.ctx, governance.IssueFilter{CommunityID: c, RaisedByID: group.ID, Status: governance.Deliberated})
	}, func(is governance.Issue) string { return is.ID })
	assert.Equal(t, []string{issue.ID}, issues)

	// Activities: by participant, service and start.
	later := act
	later.ID, later.Start, later.End, later.Service = f.seq.New(), act.Start.Add(48*time.Hour), act.End.Add(48*time.Hour), "patrol"
	later.Participants = []governance.Participant{{ResidentID: f.residents[3].ID, Minutes: 60}}
	f.must(func(tx governance.Tx) error { return tx.CreateActivity(f.ctx, later) })
	find := func(filter governance.ActivityFilter) []string {
		filter.CommunityID = c
		out, _ := ids2(f, func(tx governance.Tx) ([]governance.Activity, int, error) { return tx.FindActivities(f.ctx, filter) },
			func(a governance.Activity) string { return a.ID })
		return out
	}
	assert.Equal(t, []string{act.ID, later.ID}, find(governance.ActivityFilter{}), "ordered by start")
	assert.Equal(t, []string{act.ID}, find(governance.ActivityFilter{ParticipantID: f.residents[2].ID}))
	assert.Equal(t, []string{later.ID}, find(governance.ActivityFilter{Service: "patrol"}))
	cut := act.Start.Add(time.Hour)
	assert.Equal(t, []string{later.ID}, find(governance.ActivityFilter{From: &cut}))
	assert.Equal(t, []string{act.ID}, find(governance.ActivityFilter{To: &cut}))
	assert.Equal(t, []string{later.ID}, find(governance.ActivityFilter{Page: grids.Page{Offset: 1, Limit: 5}}))
}

func testPositionsOverTime(t *testing.T, f *fixture) {
	c := f.community.ID
	t0 := f.now()
	t1, t2 := t0.Add(24*time.Hour), t0.Add(48*time.Hour)
	first := governance.Position{ID: f.seq.New(), CommunityID: c, BodyID: f.silver.ID, HolderKind: "resident", HolderID: f.residents[0].ID, Office: governance.Chair, From: t0, To: &t1, Ceased: "辞职", CreatedBy: "w"}
	second := governance.Position{ID: f.seq.New(), CommunityID: c, BodyID: f.silver.ID, HolderKind: "resident", HolderID: f.residents[1].ID, Office: governance.Chair, From: t1, CreatedBy: "w"}
	f.must(func(tx governance.Tx) error {
		return errors.Join(tx.CreatePosition(f.ctx, first), tx.CreatePosition(f.ctx, second))
	})
	at := func(when time.Time) []string {
		out, _ := ids2(f, func(tx governance.Tx) ([]governance.Position, int, error) {
			return tx.FindPositions(f.ctx, governance.PositionFilter{CommunityID: c, BodyID: f.silver.ID, ActiveAt: &when})
		}, func(p governance.Position) string { return p.ID })
		return out
	}
	assert.Equal(t, []string{first.ID}, at(t0.Add(time.Hour)))
	assert.Equal(t, []string{second.ID}, at(t1), "the first ended when the second began")
	assert.Equal(t, []string{second.ID}, at(t2))
	all, n := ids2(f, func(tx governance.Tx) ([]governance.Position, int, error) {
		return tx.FindPositions(f.ctx, governance.PositionFilter{CommunityID: c, BodyID: f.silver.ID})
	}, func(p governance.Position) string { return p.ID })
	assert.Equal(t, []string{first.ID, second.ID}, all, "history, in order of start")
	assert.Equal(t, 2, n)
}

func testFirstParticipations(t *testing.T, f *fixture) {
	_, _, _, _, _, _, _, act := f.records()
	early := act
	early.ID, early.Start, early.End = f.seq.New(), act.Start.Add(-72*time.Hour), act.End.Add(-72*time.Hour)
	early.Participants = []governance.Participant{{ResidentID: f.residents[2].ID, Minutes: 10}}
	f.must(func(tx governance.Tx) error { return tx.CreateActivity(f.ctx, early) })
	got := mustGet(f, func(tx governance.Tx) (map[string]time.Time, error) {
		return tx.FirstParticipations(f.ctx, f.community.ID)
	})
	assert.Len(t, got, 2)
	assert.True(t, got[f.residents[1].ID].Equal(act.Start))
	assert.True(t, got[f.residents[2].ID].Equal(early.Start), "the earliest activity counts")
}

func testRollback(t *testing.T, f *fixture) {
	c := f.community.ID
	boom := errors.New("boom")
	id := f.seq.New()
	err := f.g.Update(f.ctx, func(tx governance.Tx) error {
		now := f.now()
		d := governance.Decision{ID: id, CommunityID: c, BodyID: f.council.ID, Title: "x", DecidedAt: now, RecordedBy: "w", CreatedAt: now}
		if err := tx.CreateDecision(f.ctx, d); err != nil {
			return err
		}
		return boom
	})
	assert.ErrorIs(t, err, boom)
	_, err = get(f, func(tx governance.Tx) (governance.Decision, error) { return tx.Decision(f.ctx, c, id) })
	assert.ErrorIs(t, err, grids.NotFound)
}

// testRacingAppointments appoints several residents to one chair at once:
// exactly one must win on every store.
func testRacingAppointments(t *testing.T, f *fixture) {
	c := f.community.ID
	worker := grids.WithPrincipal(f.ctx, grids.Principal{ID: "w", CommunityID: c, Name: "w", Roles: []grids.Role{grids.RoleWorker}})
	d, err := f.svc.RecordDecision(worker, c, governance.DecisionInput{Title: "任命主任"})
	require.NoError(t, err)
	var wg sync.WaitGroup
	results := make(chan error, len(f.residents))
	for _, r := range f.residents {
		wg.Go(func() {
			_, err := f.svc.Appoint(worker, c, governance.AppointInput{BodyID: f.silver.ID, ResidentID: r.ID, Office: governance.Chair, DecisionID: d.ID})
			results <- err
		})
	}
	wg.Wait()
	close(results)
	won := 0
	for err := range results {
		if err == nil {
			won++
			continue
		}
		assert.ErrorIs(t, err, grids.Conflict)
	}
	assert.Equal(t, 1, won, "one chair")
	now := f.now()
	chairs, _ := ids2(f, func(tx governance.Tx) ([]governance.Position, int, error) {
		return tx.FindPositions(f.ctx, governance.PositionFilter{CommunityID: c, BodyID: f.silver.ID, Office: governance.Chair, ActiveAt: &now})
	}, func(p governance.Position) string { return p.ID })
	assert.Len(t, chairs, 1)
}

// testWriteSkew: a check over a set and the write it allows are
// serializable (see storetest.WriteSkew): at most one grassroots
// organisation, racing.
func testWriteSkew(t *testing.T, f *fixture) {
	c := f.community.ID
	grassroots := governance.OrganisationFilter{CommunityID: c, Kind: "grassroots"}
	created := storetest.WriteSkew(t, func(fn func(governance.Tx) error) error { return f.g.Update(f.ctx, fn) },
		func(tx governance.Tx) (bool, error) {
			_, n, err := tx.FindOrganisations(f.ctx, grassroots)
			return n > 0, err
		},
		func(tx governance.Tx) error {
			now := f.clock.Now()
			return tx.CreateOrganisation(f.ctx, governance.Organisation{ID: f.seq.New(), CommunityID: c, Name: "邻里守望", Kind: "grassroots", Origin: "incubated",
				CommitteeIDs: []string{}, Stamps: grids.Stamps{CreatedAt: now, UpdatedAt: now}})
		})
	assert.Equal(t, 1, created)
	n := mustGet(f, func(tx governance.Tx) (int, error) {
		_, n, err := tx.FindOrganisations(f.ctx, grassroots)
		return n, err
	})
	assert.Equal(t, 1, n, "one grassroots organisation")
}

// testVersion: the store's version of a community advances with every
// committed write of its records, and only then.
func testVersion(t *testing.T, f *fixture) {
	c := f.community.ID
	decision := func() governance.Decision {
		now := f.clock.Now()
		return governance.Decision{ID: f.seq.New(), CommunityID: c, BodyID: f.council.ID, Title: "决定", DecidedAt: now, RecordedBy: "w", CreatedAt: now}
	}
	read := func(ctx context.Context) error {
		return f.g.View(ctx, func(tx governance.Tx) error {
			_, _, err := tx.FindDecisions(ctx, governance.DecisionFilter{CommunityID: c, Page: grids.Page{Limit: 10}})
			return err
		})
	}
	write := func(ctx context.Context) error {
		return f.g.Update(ctx, func(tx governance.Tx) error { return tx.CreateDecision(ctx, decision()) })
	}
	fail := func(ctx context.Context) error {
		return f.g.Update(ctx, func(tx governance.Tx) error {
			if err := tx.CreateDecision(ctx, decision()); err != nil {
				return err
			}
			return errors.New("changed its mind")
		})
	}
	recordtest.CheckVersion(t, f.g, c, read, write, fail)
	before, err := f.g.Version(f.ctx, c)
	require.NoError(t, err)
	require.NoError(t, f.g.Update(f.ctx, func(tx governance.Tx) error {
		return tx.SetHolidays(f.ctx, c, 2026, []governance.Holiday{{Date: "2026-10-01", Name: "国庆"}})
	}))
	after, err := f.g.Version(f.ctx, c)
	require.NoError(t, err)
	assert.Greater(t, after, before, "holidays are records too")
}
