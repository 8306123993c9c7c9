package grids_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/clock"
)

// world is a registry with one small community and principals of each kind.
type world struct {
	store     grids.Store
	reg       *grids.Registry
	clock     *clock.Manual
	admin     context.Context
	c, other  grids.Community
	d         grids.District
	g         grids.Grid
	b         grids.Building
	h, h2     grids.Household
	me, them  grids.Resident
	worker    context.Context
	resident  context.Context
	council   context.Context
	outsider  context.Context
	anonymous context.Context
}

func newWorld(t testing.TB) *world {
	t.Helper()
	w := &world{clock: clock.NewManual(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))}
	w.store = memstore.New().Grids()
	w.reg = grids.NewRegistry(w.store, grids.Options{Now: w.clock.Now})
	w.admin = grids.WithPrincipal(context.Background(), grids.Admin("test"))
	must := func(err error) {
		t.Helper()
		require.NoError(t, err)
	}
	var err error
	w.c, err = w.reg.CreateCommunity(w.admin, grids.CommunityInput{Name: "水秀社区"})
	must(err)
	w.other, err = w.reg.CreateCommunity(w.admin, grids.CommunityInput{Name: "稻香社区"})
	must(err)
	w.d, err = w.reg.CreateDistrict(w.admin, w.c.ID, grids.DistrictInput{Name: "第一片区"})
	must(err)
	w.g, err = w.reg.CreateGrid(w.admin, w.c.ID, grids.GridInput{DistrictID: w.d.ID, Name: "1-1"})
	must(err)
	w.b, err = w.reg.CreateBuilding(w.admin, w.c.ID, grids.BuildingInput{GridID: w.g.ID, Name: "1号"})
	must(err)
	w.h, err = w.reg.CreateHousehold(w.admin, w.c.ID, grids.HouseholdInput{BuildingID: w.b.ID, Unit: "1-101", Size: 2})
	must(err)
	w.h2, err = w.reg.CreateHousehold(w.admin, w.c.ID, grids.HouseholdInput{BuildingID: w.b.ID, Unit: "1-102", Size: 1})
	must(err)
	w.me, err = w.reg.CreateResident(w.admin, w.c.ID, grids.ResidentInput{HouseholdID: w.h.ID, Name: "王芳", Sex: grids.Female, BirthYear: 1958})
	must(err)
	w.them, err = w.reg.CreateResident(w.admin, w.c.ID, grids.ResidentInput{HouseholdID: w.h2.ID, Name: "李强", Sex: grids.Male, BirthYear: 1980})
	must(err)
	as := func(roles []grids.Role, community, resident string) context.Context {
		return grids.WithPrincipal(context.Background(), grids.Principal{ID: "p", CommunityID: community, Name: "p", Roles: roles, ResidentID: resident})
	}
	w.worker = as([]grids.Role{grids.RoleWorker}, w.c.ID, "")
	w.resident = as([]grids.Role{grids.RoleResident}, w.c.ID, w.me.ID)
	w.council = as([]grids.Role{grids.RoleCouncilMember, grids.RoleResident}, w.c.ID, w.me.ID)
	w.outsider = as([]grids.Role{grids.RoleWorker}, w.other.ID, "")
	w.anonymous = context.Background()
	return w
}

func TestAuthorizationRules(t *testing.T) {
	w := newWorld(t)
	write := func(ctx context.Context) error {
		_, err := w.reg.CreateDistrict(ctx, w.c.ID, grids.DistrictInput{Name: "x" + time.Now().String()})
		return err
	}
	readStructure := func(ctx context.Context) error {
		_, _, err := w.reg.FindBuildings(ctx, grids.BuildingFilter{CommunityID: w.c.ID})
		return err
	}
	readSummary := func(ctx context.Context) error {
		_, err := w.reg.Summary(ctx, w.c.ID, grids.SummaryOptions{})
		return err
	}
	readOwn := func(ctx context.Context) error { _, err := w.reg.Resident(ctx, w.c.ID, w.me.ID); return err }
	readNeighbour := func(ctx context.Context) error { _, err := w.reg.Resident(ctx, w.c.ID, w.them.ID); return err }
	readMissing := func(ctx context.Context) error {
		_, err := w.reg.Resident(ctx, w.c.ID, "01ARZ3NDEKTSV4RRFFQ69G5FAV")
		return err
	}
	createCommunity := func(ctx context.Context) error {
		_, err := w.reg.CreateCommunity(ctx, grids.CommunityInput{Name: "x"})
		return err
	}
	importFiles := func(ctx context.Context) error {
		_, err := w.reg.Import(ctx, w.c.ID, grids.ImportFiles{}, grids.ImportOptions{})
		return err
	}
	ops := []struct {
		name string
		op   func(context.Context) error
		// want per principal: worker, resident, council, outsider, anonymous
		want [5]error
	}{
		{"change the registry", write, [5]error{nil, grids.Forbidden, grids.Forbidden, grids.Forbidden, grids.Unauthorized}},
		{"read the structure", readStructure, [5]error{nil, nil, nil, grids.Forbidden, grids.Unauthorized}},
		{"read the summary", readSummary, [5]error{nil, nil, nil, grids.Forbidden, grids.Unauthorized}},
		{"read one's own record", readOwn, [5]error{nil, nil, nil, grids.Forbidden, grids.Unauthorized}},
		{"read a neighbour", readNeighbour, [5]error{nil, grids.Forbidden, grids.Forbidden, grids.Forbidden, grids.Unauthorized}},
		{"probe for a resident", readMissing, [5]error{grids.NotFound, grids.Forbidden, grids.Forbidden, grids.Forbidden, grids.Unauthorized}},
		{"create a community", createCommunity, [5]error{grids.Forbidden, grids.Forbidden, grids.Forbidden, grids.Forbidden, grids.Unauthorized}},
		{"import (authorization comes before input)", importFiles, [5]error{grids.Invalid, grids.Forbidden, grids.Forbidden, grids.Forbidden, grids.Unauthorized}},
	}
	principals := []struct {
		name string
		ctx  context.Context
	}{{"worker", w.worker}, {"resident", w.resident}, {"council member", w.council}, {"outsider", w.outsider}, {"anonymous", w.anonymous}}
	for _, o := range ops {
		for i, p := range principals {
			t.Run(o.name+"/"+p.name, func(t *testing.T) {
				err := o.op(p.ctx)
				if o.want[i] == nil {
					assert.NoError(t, err)
					return
				}
				assert.ErrorIs(t, err, o.want[i])
				if errors.Is(err, grids.Forbidden) {
					assert.Contains(t, err.Error(), "forbidden: ", "the refusal names its rule")
				}
			})
		}
	}
}

func TestRulesOfChange(t *testing.T) {
	w := newWorld(t)
	ctx := w.worker
	t.Run("archived records cannot change until restored", func(t *testing.T) {
		_, err := w.reg.ArchiveResident(ctx, w.c.ID, w.them.ID, grids.ArchiveInput{Reason: "moved to Shanghai"})
		require.NoError(t, err)
		_, err = w.reg.UpdateResident(ctx, w.c.ID, w.them.ID, grids.ResidentUpdate{Name: ptr("x")})
		assert.ErrorIs(t, err, grids.ErrArchived)
		_, err = w.reg.ArchiveResident(ctx, w.c.ID, w.them.ID, grids.ArchiveInput{Reason: "again"})
		assert.ErrorIs(t, err, grids.ErrArchived)
		_, err = w.reg.RestoreResident(ctx, w.c.ID, w.them.ID)
		require.NoError(t, err)
		_, err = w.reg.RestoreResident(ctx, w.c.ID, w.them.ID)
		assert.ErrorIs(t, err, grids.ErrNotArchived)
	})
	t.Run("what is in use cannot be archived", func(t *testing.T) {
		_, err := w.reg.ArchiveGrid(ctx, w.c.ID, w.g.ID, grids.ArchiveInput{Reason: "merged"})
		assert.ErrorIs(t, err, grids.ErrInUse)
		_, err = w.reg.ArchiveDistrict(ctx, w.c.ID, w.d.ID, grids.ArchiveInput{Reason: "merged"})
		assert.ErrorIs(t, err, grids.ErrInUse)
		_, err = w.reg.ArchiveBuilding(ctx, w.c.ID, w.b.ID, grids.ArchiveInput{Reason: "demolished"})
		assert.ErrorIs(t, err, grids.ErrInUse)
		wk, err := w.reg.CreateWorker(ctx, w.c.ID, grids.WorkerInput{Name: "李娜"})
		require.NoError(t, err)
		_, err = w.reg.UpdateDistrict(ctx, w.c.ID, w.d.ID, grids.DistrictUpdate{WorkerIDs: &[]string{wk.ID}})
		require.NoError(t, err)
		_, err = w.reg.ArchiveWorker(ctx, w.c.ID, wk.ID, grids.ArchiveInput{Reason: "left"})
		assert.ErrorIs(t, err, grids.ErrInUse, "a worker heading a district")
	})
	t.Run("references must be active records of the community", func(t *testing.T) {
		g2, err := w.reg.CreateGrid(ctx, w.c.ID, grids.GridInput{DistrictID: w.d.ID, Name: "1-2"})
		require.NoError(t, err)
		_, err = w.reg.ArchiveGrid(ctx, w.c.ID, g2.ID, grids.ArchiveInput{Reason: "unused"})
		require.NoError(t, err)
		_, err = w.reg.UpdateBuilding(ctx, w.c.ID, w.b.ID, grids.BuildingUpdate{GridID: &g2.ID})
		assert.ErrorIs(t, err, grids.Invalid, "an archived grid")
		assert.Equal(t, "grid_id", firstField(err))

		otherD, err := w.reg.CreateDistrict(w.admin, w.other.ID, grids.DistrictInput{Name: "外片区"})
		require.NoError(t, err)
		_, err = w.reg.CreateGrid(ctx, w.c.ID, grids.GridInput{DistrictID: otherD.ID, Name: "x"})
		assert.ErrorIs(t, err, grids.Invalid, "another community's district")
		assert.Equal(t, "district_id", firstField(err))

		_, err = w.reg.CreateBuilding(ctx, w.c.ID, grids.BuildingInput{Name: "2号", Neighbours: []string{w.b.ID, w.b.ID}})
		assert.ErrorIs(t, err, grids.Invalid, "a neighbour twice")
	})
	t.Run("moving a household keeps its residents with it", func(t *testing.T) {
		b2, err := w.reg.CreateBuilding(ctx, w.c.ID, grids.BuildingInput{Name: "3号", GridID: w.g.ID})
		require.NoError(t, err)
		_, err = w.reg.UpdateHousehold(ctx, w.c.ID, w.h.ID, grids.HouseholdUpdate{BuildingID: &b2.ID})
		require.NoError(t, err)
		_, n, err := w.reg.FindResidents(ctx, grids.ResidentFilter{CommunityID: w.c.ID, BuildingID: b2.ID})
		require.NoError(t, err)
		assert.Equal(t, 1, n)
	})
	t.Run("updates are validated whole", func(t *testing.T) {
		_, err := w.reg.UpdateResident(ctx, w.c.ID, w.me.ID, grids.ResidentUpdate{BirthYear: ptr(2000), Vulnerabilities: &[]grids.Vulnerability{grids.LivingAlone}})
		assert.ErrorIs(t, err, grids.Invalid, "living alone is an elderly category")
		got, err := w.reg.Resident(ctx, w.c.ID, w.me.ID)
		require.NoError(t, err)
		assert.Equal(t, 1958, got.BirthYear, "a refused update changes nothing")
		upd, err := w.reg.UpdateResident(ctx, w.c.ID, w.me.ID, grids.ResidentUpdate{Vulnerabilities: &[]grids.Vulnerability{grids.PartyMember, grids.LivingAlone, grids.Retiree}})
		require.NoError(t, err)
		assert.Equal(t, []grids.Vulnerability{grids.Retiree, grids.LivingAlone, grids.PartyMember}, upd.Vulnerabilities, "kept in canonical order")
		assert.True(t, upd.UpdatedAt.Equal(w.clock.Now()))
	})
	t.Run("pages are bounded", func(t *testing.T) {
		_, _, err := w.reg.FindResidents(ctx, grids.ResidentFilter{CommunityID: w.c.ID, Page: grids.Page{Limit: grids.MaxLimit + 1}})
		assert.ErrorIs(t, err, grids.Invalid)
		_, _, err = w.reg.FindResidents(ctx, grids.ResidentFilter{CommunityID: w.c.ID, Page: grids.Page{Offset: -1}})
		assert.ErrorIs(t, err, grids.Invalid)
		_, _, err = w.reg.FindGrids(ctx, grids.GridFilter{CommunityID: w.c.ID, State: "deleted"})
		assert.ErrorIs(t, err, grids.Invalid, "an unknown state is refused, not read as active")
	})
}

func firstField(err error) string {
	var e *grids.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		return e.Fields[0].Field
	}
	return ""
}

func ptr[T any](v T) *T { return &v }

func TestCohortOf(t *testing.T) {
	tests := []struct {
		name string
		sex  grids.Sex
		vs   []grids.Vulnerability
		want grids.Cohort
	}{
		{"everyone", "", nil, grids.Cohort{}},
		{"child", "", []grids.Vulnerability{grids.Child}, grids.Cohort{BornFrom: 2013}},
		{"youth", "", []grids.Vulnerability{grids.Youth}, grids.Cohort{BornFrom: 2009}},
		{"elderly retirees", "", []grids.Vulnerability{grids.Elderly, grids.Retiree}, grids.Cohort{BornTo: 1966, AllFlags: grids.FlagOf(grids.Retiree)}},
		{"migrant women", "", []grids.Vulnerability{grids.MigrantWomanChildbearing}, grids.Cohort{Sex: grids.Female, AllFlags: grids.FlagOf(grids.Migrant), BornFrom: 1977, BornTo: 2011}},
		{"child and youth narrow to child", "", []grids.Vulnerability{grids.Youth, grids.Child}, grids.Cohort{BornFrom: 2013}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := grids.CohortOf(2026, tt.sex, tt.vs)
			require.True(t, ok)
			assert.Equal(t, tt.want, got)
		})
	}
	none, ok := grids.CohortOf(2026, grids.Male, []grids.Vulnerability{grids.MigrantWomanChildbearing})
	require.True(t, ok)
	assert.True(t, none.Empty(), "men are no migrant women")
	assert.False(t, none.Match(grids.Female, grids.FlagOf(grids.Migrant), 1990))
	elderlyChild, _ := grids.CohortOf(2026, "", []grids.Vulnerability{grids.Elderly, grids.Child})
	assert.True(t, elderlyChild.Empty())
	_, ok = grids.CohortOf(2026, "", []grids.Vulnerability{"rich"})
	assert.False(t, ok)

	// Ages at the edges: 13 is a child, 14 is not; 60 is elderly, 59 is not.
	child, _ := grids.CohortOf(2026, "", []grids.Vulnerability{grids.Child})
	assert.True(t, child.Match(grids.Male, 0, 2013))
	assert.False(t, child.Match(grids.Male, 0, 2012))
	elderly, _ := grids.CohortOf(2026, "", []grids.Vulnerability{grids.Elderly})
	assert.True(t, elderly.Match(grids.Male, 0, 1966))
	assert.False(t, elderly.Match(grids.Male, 0, 1967))
}

func TestFlags(t *testing.T) {
	all := grids.RecordedVulnerabilities()
	assert.Equal(t, all, grids.FlagsOf(all).Vulnerabilities(), "every recorded vulnerability has a bit")
	assert.Equal(t, grids.Flags(0), grids.FlagsOf(grids.DerivedVulnerabilities()), "derived ones have none")
	for _, v := range append(all, grids.DerivedVulnerabilities()...) {
		got, ok := grids.ParseVulnerability(v.Chinese())
		assert.True(t, ok, "%s", v)
		assert.Equal(t, v, got, "the Chinese term %s", v.Chinese())
	}
	// The bits are a storage format: they must never move.
	assert.Equal(t, grids.Flags(1), grids.FlagOf(grids.Retiree))
	assert.Equal(t, grids.Flags(1<<13), grids.FlagOf(grids.PartyMember))
}

func TestAuditLog(t *testing.T) {
	var buf bytes.Buffer
	reg := grids.NewRegistry(memstore.New().Grids(), grids.Options{Logger: slog.New(slog.NewTextHandler(&buf, nil))})
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("audit"))
	c, err := reg.CreateCommunity(ctx, grids.CommunityInput{Name: "水秀社区"})
	require.NoError(t, err)
	w, err := reg.CreateWorker(ctx, c.ID, grids.WorkerInput{Name: "李娜"})
	require.NoError(t, err)
	_, err = reg.ArchiveWorker(ctx, c.ID, w.ID, grids.ArchiveInput{Reason: "retired"})
	require.NoError(t, err)
	_, err = reg.Import(ctx, c.ID, grids.ImportFiles{Buildings: strings.NewReader("name\n1号\n")}, grids.ImportOptions{})
	require.NoError(t, err)
	log := buf.String()
	assert.Contains(t, log, "msg=archived kind=worker id="+w.ID)
	assert.Contains(t, log, "by=admin:audit reason=retired")
	assert.Contains(t, log, "msg=imported community="+c.ID+" by=admin:audit dry_run=false buildings=1")
}

// storeOf returns a world's store, for a second registry over it.
func storeOf(w *world) grids.Store { return w.store }

func TestProfile(t *testing.T) {
	for _, c := range []struct {
		r    grids.Resident
		want []grids.Vulnerability
	}{
		{grids.Resident{BirthYear: 1950, Sex: grids.Female, Vulnerabilities: []grids.Vulnerability{grids.LivingAlone, grids.Retiree}},
			[]grids.Vulnerability{grids.Elderly, grids.Retiree, grids.LivingAlone}},
		{grids.Resident{BirthYear: 2016, Sex: grids.Male}, []grids.Vulnerability{grids.Youth, grids.Child}},
		{grids.Resident{BirthYear: 1996, Sex: grids.Female, Vulnerabilities: []grids.Vulnerability{grids.Migrant}},
			[]grids.Vulnerability{grids.MigrantWomanChildbearing, grids.Migrant}},
		{grids.Resident{BirthYear: 1996, Sex: grids.Male, Vulnerabilities: []grids.Vulnerability{grids.Migrant}}, []grids.Vulnerability{grids.Migrant}},
		{grids.Resident{BirthYear: 1980, Sex: grids.Male}, nil},
	} {
		assert.Equal(t, c.want, c.r.Profile(2026), "%+v", c.r)
	}
}

// TestSummaryNeverStale: a summary is kept for the registry version it
// was computed at, and every write, through this registry or another over
// the same store (another server), is seen by the next summary.
func TestSummaryNeverStale(t *testing.T) {
	w := newWorld(t)
	other := grids.NewRegistry(w.store, grids.Options{Now: w.clock.Now}) // a second server
	total := func() int {
		t.Helper()
		s, err := w.reg.Summary(w.worker, w.c.ID, grids.SummaryOptions{})
		require.NoError(t, err)
		return s.Residents.Total
	}
	n := total()
	assert.Equal(t, n, total(), "read again, unchanged")
	r, err := w.reg.CreateResident(w.admin, w.c.ID, grids.ResidentInput{HouseholdID: w.h.ID, Name: "新来的", Sex: grids.Male, BirthYear: 1980})
	require.NoError(t, err)
	assert.Equal(t, n+1, total(), "a resident registered here")
	_, err = other.ArchiveResident(w.admin, w.c.ID, r.ID, grids.ArchiveInput{Reason: "搬走"})
	require.NoError(t, err)
	assert.Equal(t, n, total(), "archived through another server")
	_, err = other.CreateResident(w.admin, w.c.ID, grids.ResidentInput{HouseholdID: w.h.ID, Name: "又来的", Sex: grids.Female, BirthYear: 1990})
	require.NoError(t, err)
	assert.Equal(t, n+1, total())
	s, err := w.reg.Summary(w.worker, w.c.ID, grids.SummaryOptions{Scope: grids.Scope{DistrictID: w.d.ID}})
	require.NoError(t, err)
	assert.LessOrEqual(t, s.Residents.Total, n+1, "each scope kept apart")
}
