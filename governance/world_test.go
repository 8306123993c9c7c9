package governance_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/clock"
	"github.com/linli-go/linli/internal/errs"
)

// world is a community with its governance set up: a council chair, the
// Silver committee's chair, a group under Silver with its leader and a
// member, and residents who hold nothing.
type world struct {
	t       testing.TB
	clock   *clock.Manual
	reg     *grids.Registry
	svc     *governance.Service
	c       grids.Community
	other   grids.Community
	d       grids.District
	g       grids.Grid
	council governance.Body
	tank    governance.Body
	silver  governance.Body
	clean   governance.Body
	group   governance.Body
	appoint governance.Decision // the council decision behind the appointments

	// Residents, and a context acting as each.
	chairR, silverR, leaderR, memberR, plainR, otherR grids.Resident
	chair, silverChair, leader, member, plain, others context.Context

	admin, worker, outsider, anonymous context.Context
}

func newWorld(t testing.TB) *world {
	t.Helper()
	w := &world{t: t, clock: clock.NewManual(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))}
	store := memstore.New()
	w.reg = grids.NewRegistry(store.Grids(), grids.Options{Now: w.clock.Now})
	w.svc = governance.NewService(store.Governance(), store.Grids(), governance.Options{Now: w.clock.Now})
	w.admin = grids.WithPrincipal(context.Background(), grids.Admin("test"))
	w.anonymous = context.Background()
	var err error
	w.c = must(w.reg.CreateCommunity(w.admin, grids.CommunityInput{Name: "水秀社区"}))(t)
	w.other = must(w.reg.CreateCommunity(w.admin, grids.CommunityInput{Name: "稻香社区"}))(t)
	w.worker = w.as(w.c.ID, "", grids.RoleWorker)
	w.outsider = w.as(w.other.ID, "", grids.RoleWorker)
	w.d = must(w.reg.CreateDistrict(w.admin, w.c.ID, grids.DistrictInput{Name: "第一片区"}))(t)
	w.g = must(w.reg.CreateGrid(w.admin, w.c.ID, grids.GridInput{DistrictID: w.d.ID, Name: "1-1"}))(t)
	b := must(w.reg.CreateBuilding(w.admin, w.c.ID, grids.BuildingInput{GridID: w.g.ID, Name: "1号"}))(t)
	var rs []grids.Resident
	for i, name := range []string{"张主任", "王银发", "李组长", "赵组员", "钱居民", "孙居民"} {
		h := must(w.reg.CreateHousehold(w.admin, w.c.ID, grids.HouseholdInput{BuildingID: b.ID, Unit: fmt.Sprintf("1-%d", 101+i), Size: 1}))(t)
		rs = append(rs, must(w.reg.CreateResident(w.admin, w.c.ID, grids.ResidentInput{HouseholdID: h.ID, Name: name, Sex: grids.Female, BirthYear: 1950 + i}))(t))
	}
	w.chairR, w.silverR, w.leaderR, w.memberR, w.plainR, w.otherR = rs[0], rs[1], rs[2], rs[3], rs[4], rs[5]
	w.chair, w.silverChair, w.leader = w.as(w.c.ID, w.chairR.ID, grids.RoleResident), w.as(w.c.ID, w.silverR.ID, grids.RoleResident), w.as(w.c.ID, w.leaderR.ID, grids.RoleResident)
	w.member, w.plain, w.others = w.as(w.c.ID, w.memberR.ID, grids.RoleResident), w.as(w.c.ID, w.plainR.ID, grids.RoleResident), w.as(w.c.ID, w.otherR.ID, grids.RoleResident)

	bodies := must(w.svc.Setup(w.worker, w.c.ID))(t)
	w.council, w.tank, w.silver, w.clean = bodies[0], bodies[1], bodies[2], bodies[4]
	w.appoint = must(w.svc.RecordDecision(w.worker, w.c.ID, governance.DecisionInput{Title: "第一届理事会任命"}))(t)
	w.tick()
	_, err = w.svc.Appoint(w.worker, w.c.ID, governance.AppointInput{BodyID: w.council.ID, ResidentID: w.chairR.ID, Office: governance.Chair, DecisionID: w.appoint.ID})
	require.NoError(t, err)
	_, err = w.svc.Appoint(w.worker, w.c.ID, governance.AppointInput{BodyID: w.silver.ID, ResidentID: w.silverR.ID, Office: governance.Chair, DecisionID: w.appoint.ID})
	require.NoError(t, err)
	w.tick()
	w.group = must(w.svc.CreateBody(w.silverChair, w.c.ID, governance.BodyInput{Kind: governance.Group, ParentID: w.silver.ID, Name: "楼道文化小组",
		DistrictID: w.d.ID, Schedule: "每周六上午"}))(t)
	_, err = w.svc.Appoint(w.chair, w.c.ID, governance.AppointInput{BodyID: w.group.ID, ResidentID: w.leaderR.ID, Office: governance.Leader, DecisionID: w.appoint.ID, From: ptr(w.now())})
	require.NoError(t, err)
	_, err = w.svc.Join(w.member, w.c.ID, w.group.ID)
	require.NoError(t, err)
	w.tick()
	return w
}

func (w *world) as(community, resident string, roles ...grids.Role) context.Context {
	return grids.WithPrincipal(context.Background(), grids.Principal{ID: "p-" + resident, CommunityID: community, Name: "p", Roles: roles, ResidentID: resident})
}

func (w *world) now() time.Time { return w.clock.Now() }

// tick moves the clock on a minute, so records made after it sort after
// those made before.
func (w *world) tick() { w.clock.Advance(time.Minute) }

// must returns v, failing the test on err (curried so it takes a call's
// two results).
func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		require.NoError(t, err)
		return v
	}
}

func ptr[T any](v T) *T { return &v }

// assertForbidden checks err is a refusal naming rule.
func assertForbidden(t testing.TB, err error, rule *grids.Rule, msgAndArgs ...any) {
	t.Helper()
	if assert.ErrorIs(t, err, grids.Forbidden, msgAndArgs...) {
		assert.ErrorIs(t, err, rule, msgAndArgs...)
	}
}

// fieldOf returns the field an grids.Invalid error names.
func fieldOf(err error) string {
	if f := errs.FieldsOf(err); len(f) > 0 {
		return f[0].Field
	}
	return ""
}
