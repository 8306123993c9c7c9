package gridstest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/gridsdemo"
	"github.com/linli-go/linli/internal/clock"
	"github.com/linli-go/linli/internal/ids"
	"github.com/linli-go/linli/internal/storetest"
)

// NewStore returns an empty store for one test. It should register any
// cleanup with t.Cleanup.
type NewStore func(t testing.TB) grids.Store

// RunStoreTests runs the conformance suite against stores made by newStore.
func RunStoreTests(t *testing.T, newStore NewStore) {
	tests := []struct {
		name string
		run  func(t *testing.T, f *fixture)
	}{
		{"Communities", testCommunities},
		{"RoundTrip", testRoundTrip},
		{"NotFound", testNotFound},
		{"TenantIsolation", testTenantIsolation},
		{"ResidentNames", testResidentNames},
		{"RegistryVersion", testRegistryVersion},
		{"Conflicts", testConflicts},
		{"References", testReferences},
		{"Neighbours", testNeighbours},
		{"FindFilters", testFindFilters},
		{"Pagination", testPagination},
		{"Counts", testCounts},
		{"Rollback", testRollback},
		{"ViewIsReadOnly", testViewIsReadOnly},
		{"ConcurrentUpdates", testConcurrentUpdates},
		{"ConcurrentUniqueCreates", testConcurrentUniqueCreates},
		{"WriteSkew", testWriteSkew},
		{"RegistryArchiveCascade", testRegistryArchiveCascade},
		{"Needs", testNeeds},
		{"Surveys", testSurveys},
		{"PlansAndMemberships", testPlansAndMemberships},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, newFixture(t, newStore(t)))
		})
	}
	t.Run("CaseCommunity", func(t *testing.T) { testCaseCommunity(t, newStore(t)) })
}

// fixture builds records straight through the store.
type fixture struct {
	t     testing.TB
	s     grids.Store
	ctx   context.Context
	clock *clock.Manual
	seq   *ids.Sequence
}

func newFixture(t testing.TB, s grids.Store) *fixture {
	c := clock.NewManual(time.Date(2026, 3, 10, 9, 30, 0, 123456000, time.UTC))
	return &fixture{t: t, s: s, ctx: context.Background(), clock: c, seq: ids.NewSequence(c.Now, uint64(time.Now().UnixNano()))}
}

// stamps returns fresh timestamps, a microsecond later each time.
func (f *fixture) stamps() grids.Stamps {
	now := clock.Normalize(f.clock.Advance(time.Microsecond))
	return grids.Stamps{CreatedAt: now, UpdatedAt: now}
}

func (f *fixture) update(fn func(tx grids.Tx) error) error { return f.s.Update(f.ctx, fn) }

func (f *fixture) must(fn func(tx grids.Tx) error) {
	f.t.Helper()
	require.NoError(f.t, f.update(fn))
}

func (f *fixture) community() grids.Community {
	f.t.Helper()
	st := f.stamps()
	c := grids.Community{ID: f.seq.New(), Name: "水秀社区 " + f.seq.New()[20:], CreatedAt: st.CreatedAt, UpdatedAt: st.UpdatedAt}
	f.must(func(tx grids.Tx) error { return tx.CreateCommunity(f.ctx, c) })
	return c
}

func (f *fixture) worker(com string) grids.Worker {
	f.t.Helper()
	w := grids.Worker{ID: f.seq.New(), CommunityID: com, Name: "李娜", Phone: "+86 139 0000 0000", Stamps: f.stamps()}
	f.must(func(tx grids.Tx) error { return tx.CreateWorker(f.ctx, w) })
	return w
}

func (f *fixture) district(com, name string, workers ...string) grids.District {
	f.t.Helper()
	d := grids.District{ID: f.seq.New(), CommunityID: com, Name: name, WorkerIDs: sorted(workers), Stamps: f.stamps()}
	f.must(func(tx grids.Tx) error { return tx.CreateDistrict(f.ctx, d) })
	return d
}

func (f *fixture) grid(com, district, name string) grids.Grid {
	f.t.Helper()
	g := grids.Grid{ID: f.seq.New(), CommunityID: com, DistrictID: district, Name: name, Stamps: f.stamps()}
	f.must(func(tx grids.Tx) error { return tx.CreateGrid(f.ctx, g) })
	return g
}

func (f *fixture) building(com, grid, name string, neighbours ...string) grids.Building {
	f.t.Helper()
	b := grids.Building{ID: f.seq.New(), CommunityID: com, GridID: grid, Name: name, Neighbours: sorted(neighbours), Stamps: f.stamps()}
	f.must(func(tx grids.Tx) error { return tx.CreateBuildings(f.ctx, b) })
	return b
}

func (f *fixture) household(com, building, unit string) grids.Household {
	f.t.Helper()
	h := grids.Household{ID: f.seq.New(), CommunityID: com, BuildingID: building, Unit: unit, Size: 3, Interests: []string{}, Needs: []string{}, Stamps: f.stamps()}
	f.must(func(tx grids.Tx) error { return tx.CreateHouseholds(f.ctx, h) })
	return h
}

func (f *fixture) resident(com, household string, edit func(*grids.Resident)) grids.Resident {
	f.t.Helper()
	r := grids.Resident{
		ID: f.seq.New(), CommunityID: com, HouseholdID: household, Name: "王芳", Sex: grids.Female, BirthYear: 1950,
		Interests: []string{}, Needs: []string{}, Vulnerabilities: []grids.Vulnerability{}, Stamps: f.stamps(),
	}
	if edit != nil {
		edit(&r)
	}
	f.must(func(tx grids.Tx) error { return tx.CreateResidents(f.ctx, r) })
	return r
}

// get reads one record in a View.
func get[T any](f *fixture, read func(tx grids.Tx) (T, error)) (T, error) {
	var out T
	err := f.s.View(f.ctx, func(tx grids.Tx) (err error) {
		out, err = read(tx)
		return err
	})
	return out, err
}

func mustGet[T any](f *fixture, read func(tx grids.Tx) (T, error)) T {
	f.t.Helper()
	out, err := get(f, read)
	require.NoError(f.t, err)
	return out
}

// found is the result of a Find: IDs in order and the total.
type found struct {
	IDs   []string
	Total int
}

func findIDs[T any](f *fixture, find func(tx grids.Tx) ([]T, int, error), id func(T) string) found {
	f.t.Helper()
	var out found
	require.NoError(f.t, f.s.View(f.ctx, func(tx grids.Tx) error {
		recs, n, err := find(tx)
		if err != nil {
			return err
		}
		out.Total = n
		out.IDs = []string{}
		for _, r := range recs {
			out.IDs = append(out.IDs, id(r))
		}
		return nil
	}))
	return out
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	if out == nil {
		out = []string{}
	}
	slices.Sort(out)
	return out
}

func assertCode(t testing.TB, err error, want grids.Code, msgAndArgs ...any) {
	t.Helper()
	if assert.Error(t, err, msgAndArgs...) {
		assert.Equal(t, want, grids.ErrorCode(err), append([]any{"got error %v"}, err)...)
	}
}

func testCommunities(t *testing.T, f *fixture) {
	c := f.community()
	got := mustGet(f, func(tx grids.Tx) (grids.Community, error) { return tx.Community(f.ctx, c.ID) })
	assert.Equal(t, c, got)
	assert.Equal(t, time.UTC, got.CreatedAt.Location(), "times come back in UTC")

	err := f.update(func(tx grids.Tx) error { return tx.CreateCommunity(f.ctx, c) })
	assertCode(t, err, grids.Conflict, "same ID twice")

	c.Name, c.Address, c.UpdatedAt = "新名字", "滨湖区", f.stamps().UpdatedAt
	f.must(func(tx grids.Tx) error { return tx.UpdateCommunity(f.ctx, c) })
	got = mustGet(f, func(tx grids.Tx) (grids.Community, error) { return tx.Community(f.ctx, c.ID) })
	assert.Equal(t, c, got)

	unknown := grids.Community{ID: f.seq.New(), Name: "x"}
	assertCode(t, f.update(func(tx grids.Tx) error { return tx.UpdateCommunity(f.ctx, unknown) }), grids.NotFound)
	_, err = get(f, func(tx grids.Tx) (grids.Community, error) { return tx.Community(f.ctx, unknown.ID) })
	assertCode(t, err, grids.NotFound)

	c2 := f.community()
	all := findIDs(f, func(tx grids.Tx) ([]grids.Community, int, error) {
		return tx.FindCommunities(f.ctx, grids.CommunityFilter{})
	}, func(c grids.Community) string { return c.ID })
	assert.Subset(t, all.IDs, []string{c.ID, c2.ID})
	assert.True(t, slices.IsSorted(all.IDs), "ordered by ID")
	named := findIDs(f, func(tx grids.Tx) ([]grids.Community, int, error) {
		return tx.FindCommunities(f.ctx, grids.CommunityFilter{Name: c2.Name})
	}, func(c grids.Community) string { return c.ID })
	assert.Equal(t, found{IDs: []string{c2.ID}, Total: 1}, named)
}

func testRoundTrip(t *testing.T, f *fixture) {
	c := f.community()
	w1, w2 := f.worker(c.ID), f.worker(c.ID)
	d := f.district(c.ID, "第一片区", w1.ID, w2.ID)
	g := f.grid(c.ID, d.ID, "1-1网格")
	n := f.building(c.ID, g.ID, "水秀新村2号")
	archivedAt := f.stamps().CreatedAt
	b := grids.Building{
		ID: f.seq.New(), CommunityID: c.ID, GridID: g.ID, Name: "水秀新村1号", Address: "无锡市滨湖区水秀新村1号",
		Location: &grids.Location{Lat: 31.552123, Lng: 120.258321}, Neighbours: []string{n.ID}, Stamps: f.stamps(),
	}
	f.must(func(tx grids.Tx) error { return tx.CreateBuildings(f.ctx, b) })
	h := f.household(c.ID, b.ID, "3-201")
	r := f.resident(c.ID, h.ID, func(r *grids.Resident) {
		r.Name, r.Sex, r.BirthYear, r.Phone = "张伟", grids.Male, 1948, "13900000000"
		r.Interests, r.Needs = []string{"tai_chi", "广场舞"}, []string{"meal_delivery"}
		r.Vulnerabilities = []grids.Vulnerability{grids.Retiree, grids.LivingAlone, grids.PhysicalDisability, grids.PartyMember}
		r.ArchivedAt, r.ArchiveReason = &archivedAt, "moved to his daughter's"
	})
	bare := f.resident(c.ID, h.ID, nil)

	assert.Equal(t, w1, mustGet(f, func(tx grids.Tx) (grids.Worker, error) { return tx.Worker(f.ctx, c.ID, w1.ID) }))
	assert.Equal(t, d, mustGet(f, func(tx grids.Tx) (grids.District, error) { return tx.District(f.ctx, c.ID, d.ID) }))
	assert.Equal(t, g, mustGet(f, func(tx grids.Tx) (grids.Grid, error) { return tx.Grid(f.ctx, c.ID, g.ID) }))
	assert.Equal(t, b, mustGet(f, func(tx grids.Tx) (grids.Building, error) { return tx.Building(f.ctx, c.ID, b.ID) }))
	assert.Equal(t, h, mustGet(f, func(tx grids.Tx) (grids.Household, error) { return tx.Household(f.ctx, c.ID, h.ID) }))
	assert.Equal(t, r, mustGet(f, func(tx grids.Tx) (grids.Resident, error) { return tx.Resident(f.ctx, c.ID, r.ID) }))
	gotBare := mustGet(f, func(tx grids.Tx) (grids.Resident, error) { return tx.Resident(f.ctx, c.ID, bare.ID) })
	assert.Equal(t, bare, gotBare)
	assert.NotNil(t, gotBare.Interests, "empty lists come back empty, not nil")

	// An update replaces the whole record.
	r.Interests, r.Vulnerabilities, r.Phone, r.ArchivedAt, r.ArchiveReason = []string{"chess_cards"}, []grids.Vulnerability{grids.Retiree}, "", nil, ""
	r.UpdatedAt = f.stamps().UpdatedAt
	f.must(func(tx grids.Tx) error { return tx.UpdateResident(f.ctx, r) })
	assert.Equal(t, r, mustGet(f, func(tx grids.Tx) (grids.Resident, error) { return tx.Resident(f.ctx, c.ID, r.ID) }))

	b.Location, b.Address = nil, ""
	f.must(func(tx grids.Tx) error { return tx.UpdateBuilding(f.ctx, b) })
	assert.Equal(t, b, mustGet(f, func(tx grids.Tx) (grids.Building, error) { return tx.Building(f.ctx, c.ID, b.ID) }))

	d.WorkerIDs = []string{w2.ID}
	f.must(func(tx grids.Tx) error { return tx.UpdateDistrict(f.ctx, d) })
	assert.Equal(t, d, mustGet(f, func(tx grids.Tx) (grids.District, error) { return tx.District(f.ctx, c.ID, d.ID) }))
}

func testNotFound(t *testing.T, f *fixture) {
	c := f.community()
	id := f.seq.New()
	reads := map[string]func(tx grids.Tx) error{
		"worker":    func(tx grids.Tx) error { _, err := tx.Worker(f.ctx, c.ID, id); return err },
		"district":  func(tx grids.Tx) error { _, err := tx.District(f.ctx, c.ID, id); return err },
		"grid":      func(tx grids.Tx) error { _, err := tx.Grid(f.ctx, c.ID, id); return err },
		"building":  func(tx grids.Tx) error { _, err := tx.Building(f.ctx, c.ID, id); return err },
		"household": func(tx grids.Tx) error { _, err := tx.Household(f.ctx, c.ID, id); return err },
		"resident":  func(tx grids.Tx) error { _, err := tx.Resident(f.ctx, c.ID, id); return err },
	}
	for name, read := range reads {
		assertCode(t, f.s.View(f.ctx, read), grids.NotFound, name)
	}
	st := f.stamps()
	updates := map[string]func(tx grids.Tx) error{
		"worker": func(tx grids.Tx) error {
			return tx.UpdateWorker(f.ctx, grids.Worker{ID: id, CommunityID: c.ID, Name: "x", Stamps: st})
		},
		"resident": func(tx grids.Tx) error {
			return tx.UpdateResident(f.ctx, grids.Resident{ID: id, CommunityID: c.ID, HouseholdID: id, Name: "x", Sex: grids.Male, BirthYear: 1990, Stamps: st})
		},
	}
	for name, update := range updates {
		err := f.update(update)
		assert.Contains(t, []grids.Code{grids.NotFound, grids.Invalid}, grids.ErrorCode(err), "%s: got %v", name, err)
	}
}

// testResidentNames: the distinct names of a community's residents,
// archived ones included, and none of another community's.
func testResidentNames(t *testing.T, f *fixture) {
	a, b := f.community(), f.community()
	bl := f.building(a.ID, "", "1号")
	h := f.household(a.ID, bl.ID, "1-101")
	f.resident(a.ID, h.ID, nil) // 王芳
	f.resident(a.ID, h.ID, nil) // 王芳 again
	f.resident(a.ID, h.ID, func(r *grids.Resident) { r.Name = "李建国" })
	f.resident(a.ID, h.ID, func(r *grids.Resident) {
		r.Name = "张伟"
		at := f.clock.Now()
		r.ArchivedAt, r.ArchiveReason = &at, "搬走"
	})
	hb := f.household(b.ID, f.building(b.ID, "", "2号").ID, "1-101")
	f.resident(b.ID, hb.ID, func(r *grids.Resident) { r.Name = "赵六" })

	names := mustGet(f, func(tx grids.Tx) ([]string, error) { return tx.ResidentNames(f.ctx, a.ID) })
	assert.ElementsMatch(t, []string{"王芳", "李建国", "张伟"}, names)
	unknown := f.seq.New()
	none := mustGet(f, func(tx grids.Tx) ([]string, error) { return tx.ResidentNames(f.ctx, unknown) })
	assert.NotNil(t, none)
	assert.Empty(t, none)
}

// testRegistryVersion: every create and update of a district, grid,
// building, household or resident advances its community's version, and
// nothing else's; a transaction rolled back leaves it; an unknown
// community has none.
func testRegistryVersion(t *testing.T, f *fixture) {
	a, b := f.community(), f.community()
	version := func(c string) int64 {
		return mustGet(f, func(tx grids.Tx) (int64, error) { return tx.RegistryVersion(f.ctx, c) })
	}
	unknown := f.seq.New()
	_, err := get(f, func(tx grids.Tx) (int64, error) { return tx.RegistryVersion(f.ctx, unknown) })
	assertCode(t, err, grids.NotFound, "an unknown community")
	last, other := version(a.ID), version(b.ID)
	advanced := func(what string) {
		t.Helper()
		v := version(a.ID)
		assert.Greater(t, v, last, what)
		last = v
	}
	d := f.district(a.ID, "第一片区")
	advanced("a district created")
	g := f.grid(a.ID, d.ID, "1-1")
	advanced("a grid created")
	bl := f.building(a.ID, g.ID, "1号")
	advanced("a building created")
	h := f.household(a.ID, bl.ID, "1-101")
	advanced("a household created")
	r := f.resident(a.ID, h.ID, nil)
	advanced("a resident created")
	for what, write := range map[string]func(tx grids.Tx) error{
		"a district updated":  func(tx grids.Tx) error { d.Name = "一片区"; return tx.UpdateDistrict(f.ctx, d) },
		"a grid updated":      func(tx grids.Tx) error { g.Name = "一网格"; return tx.UpdateGrid(f.ctx, g) },
		"a building updated":  func(tx grids.Tx) error { bl.Name = "一号楼"; return tx.UpdateBuilding(f.ctx, bl) },
		"a household updated": func(tx grids.Tx) error { h.Size = 4; return tx.UpdateHousehold(f.ctx, h) },
		"a resident updated":  func(tx grids.Tx) error { r.BirthYear = 1951; return tx.UpdateResident(f.ctx, r) },
	} {
		f.must(write)
		advanced(what)
	}
	err = f.update(func(tx grids.Tx) error {
		r.BirthYear = 1952
		if err := tx.UpdateResident(f.ctx, r); err != nil {
			return err
		}
		return errors.New("rolled back")
	})
	require.Error(t, err)
	assert.Equal(t, last, version(a.ID), "a rollback leaves the version")
	assert.Equal(t, other, version(b.ID), "another community's is untouched")
}

func testTenantIsolation(t *testing.T, f *fixture) {
	a, b := f.community(), f.community()
	d := f.district(a.ID, "第一片区")
	g := f.grid(a.ID, d.ID, "1-1")
	bl := f.building(a.ID, g.ID, "1号")
	h := f.household(a.ID, bl.ID, "1-101")
	r := f.resident(a.ID, h.ID, nil)

	_, err := get(f, func(tx grids.Tx) (grids.Resident, error) { return tx.Resident(f.ctx, b.ID, r.ID) })
	assertCode(t, err, grids.NotFound, "another community's resident")
	_, err = get(f, func(tx grids.Tx) (grids.District, error) { return tx.District(f.ctx, b.ID, d.ID) })
	assertCode(t, err, grids.NotFound, "another community's district")

	none := findIDs(f, func(tx grids.Tx) ([]grids.Resident, int, error) {
		return tx.FindResidents(f.ctx, grids.ResidentFilter{CommunityID: b.ID, HouseholdID: h.ID})
	}, func(r grids.Resident) string { return r.ID })
	assert.Equal(t, found{IDs: []string{}, Total: 0}, none)

	hist := mustGet(f, func(tx grids.Tx) ([]grids.CohortCount, error) {
		return tx.ResidentHistogram(f.ctx, b.ID, grids.Scope{})
	})
	assert.Empty(t, hist)

	// Records cannot point across tenants either.
	err = f.update(func(tx grids.Tx) error {
		return tx.CreateGrid(f.ctx, grids.Grid{ID: f.seq.New(), CommunityID: b.ID, DistrictID: d.ID, Name: "x", Stamps: f.stamps()})
	})
	assertCode(t, err, grids.Invalid, "grid in B, district in A")
	err = f.update(func(tx grids.Tx) error {
		return tx.CreateResidents(f.ctx, grids.Resident{ID: f.seq.New(), CommunityID: b.ID, HouseholdID: h.ID, Name: "x",
			Sex: grids.Male, BirthYear: 1990, Interests: []string{}, Needs: []string{}, Vulnerabilities: []grids.Vulnerability{}, Stamps: f.stamps()})
	})
	assertCode(t, err, grids.Invalid, "resident in B, household in A")
}

func testConflicts(t *testing.T, f *fixture) {
	c := f.community()
	d := f.district(c.ID, "第一片区")
	g := f.grid(c.ID, d.ID, "1-1")
	b := f.building(c.ID, g.ID, "1号")
	h := f.household(c.ID, b.ID, "1-101")
	r := f.resident(c.ID, h.ID, nil)

	dup := map[string]func(tx grids.Tx) error{
		"district id":   func(tx grids.Tx) error { d2 := d; d2.Name = "other"; return tx.CreateDistrict(f.ctx, d2) },
		"district name": func(tx grids.Tx) error { d2 := d; d2.ID = f.seq.New(); return tx.CreateDistrict(f.ctx, d2) },
		"grid name":     func(tx grids.Tx) error { g2 := g; g2.ID = f.seq.New(); return tx.CreateGrid(f.ctx, g2) },
		"building name": func(tx grids.Tx) error { b2 := b; b2.ID = f.seq.New(); return tx.CreateBuildings(f.ctx, b2) },
		"household unit": func(tx grids.Tx) error {
			h2 := h
			h2.ID = f.seq.New()
			return tx.CreateHouseholds(f.ctx, h2)
		},
		"resident id": func(tx grids.Tx) error { return tx.CreateResidents(f.ctx, r) },
		"two buildings of one name in one batch": func(tx grids.Tx) error {
			x := grids.Building{ID: f.seq.New(), CommunityID: c.ID, Name: "2号", Neighbours: []string{}, Stamps: f.stamps()}
			y := x
			y.ID = f.seq.New()
			return tx.CreateBuildings(f.ctx, x, y)
		},
	}
	for name, create := range dup {
		assertCode(t, f.update(create), grids.Conflict, name)
	}

	// Names are unique among active records only.
	st := f.stamps()
	old := d
	old.ArchivedAt, old.ArchiveReason, old.UpdatedAt = &st.CreatedAt, "merged", st.UpdatedAt
	f.must(func(tx grids.Tx) error { return tx.UpdateDistrict(f.ctx, old) })
	d2 := f.district(c.ID, "第一片区")
	old.ArchivedAt, old.ArchiveReason = nil, ""
	assertCode(t, f.update(func(tx grids.Tx) error { return tx.UpdateDistrict(f.ctx, old) }), grids.Conflict, "restoring into a taken name")

	// Renaming into a taken name conflicts too.
	d3 := f.district(c.ID, "第二片区")
	d3.Name = d2.Name
	assertCode(t, f.update(func(tx grids.Tx) error { return tx.UpdateDistrict(f.ctx, d3) }), grids.Conflict, "rename")

	// The same unit in another building is fine; an archived household frees its unit.
	b2 := f.building(c.ID, g.ID, "3号")
	f.household(c.ID, b2.ID, "1-101")
	gone := h
	gone.ArchivedAt, gone.ArchiveReason = &st.CreatedAt, "moved out"
	f.must(func(tx grids.Tx) error { return tx.UpdateHousehold(f.ctx, gone) })
	f.household(c.ID, b.ID, "1-101")

	// Another community may reuse every name.
	c2 := f.community()
	d4 := f.district(c2.ID, "第一片区")
	f.grid(c2.ID, d4.ID, "1-1")
}

func testReferences(t *testing.T, f *fixture) {
	c := f.community()
	missing := f.seq.New()
	st := f.stamps()
	refs := map[string]func(tx grids.Tx) error{
		"worker in unknown community": func(tx grids.Tx) error {
			return tx.CreateWorker(f.ctx, grids.Worker{ID: f.seq.New(), CommunityID: missing, Name: "x", Stamps: st})
		},
		"district with unknown worker": func(tx grids.Tx) error {
			return tx.CreateDistrict(f.ctx, grids.District{ID: f.seq.New(), CommunityID: c.ID, Name: "x", WorkerIDs: []string{missing}, Stamps: st})
		},
		"grid in unknown district": func(tx grids.Tx) error {
			return tx.CreateGrid(f.ctx, grids.Grid{ID: f.seq.New(), CommunityID: c.ID, DistrictID: missing, Name: "x", Stamps: st})
		},
		"building in unknown grid": func(tx grids.Tx) error {
			return tx.CreateBuildings(f.ctx, grids.Building{ID: f.seq.New(), CommunityID: c.ID, GridID: missing, Name: "x", Neighbours: []string{}, Stamps: st})
		},
		"building with unknown neighbour": func(tx grids.Tx) error {
			return tx.CreateBuildings(f.ctx, grids.Building{ID: f.seq.New(), CommunityID: c.ID, Name: "x", Neighbours: []string{missing}, Stamps: st})
		},
		"household in unknown building": func(tx grids.Tx) error {
			return tx.CreateHouseholds(f.ctx, grids.Household{ID: f.seq.New(), CommunityID: c.ID, BuildingID: missing, Unit: "1", Size: 1, Stamps: st})
		},
		"resident in unknown household": func(tx grids.Tx) error {
			return tx.CreateResidents(f.ctx, grids.Resident{ID: f.seq.New(), CommunityID: c.ID, HouseholdID: missing, Name: "x",
				Sex: grids.Male, BirthYear: 1990, Interests: []string{}, Needs: []string{}, Vulnerabilities: []grids.Vulnerability{}, Stamps: st})
		},
	}
	for name, create := range refs {
		assertCode(t, f.update(create), grids.Invalid, name)
	}
	// Nothing half-made is left behind.
	grids0 := findIDs(f, func(tx grids.Tx) ([]grids.Grid, int, error) {
		return tx.FindGrids(f.ctx, grids.GridFilter{CommunityID: c.ID, State: grids.AnyState})
	}, func(g grids.Grid) string { return g.ID })
	assert.Equal(t, 0, grids0.Total)
}

func testNeighbours(t *testing.T, f *fixture) {
	c := f.community()
	a := f.building(c.ID, "", "A")
	b := f.building(c.ID, "", "B", a.ID)
	cc := f.building(c.ID, "", "C", a.ID, b.ID)
	neighbours := func(id string) []string {
		return mustGet(f, func(tx grids.Tx) (grids.Building, error) { return tx.Building(f.ctx, c.ID, id) }).Neighbours
	}
	assert.Equal(t, sorted([]string{b.ID, cc.ID}), neighbours(a.ID), "links are undirected")
	assert.Equal(t, sorted([]string{a.ID, cc.ID}), neighbours(b.ID))

	// Replacing C's neighbours drops C from A's list.
	cc.Neighbours = []string{b.ID}
	f.must(func(tx grids.Tx) error { return tx.UpdateBuilding(f.ctx, cc) })
	assert.Equal(t, []string{b.ID}, neighbours(a.ID))
	assert.Equal(t, []string{b.ID}, neighbours(cc.ID))
	assert.Equal(t, sorted([]string{a.ID, cc.ID}), neighbours(b.ID))

	// A batch may link its buildings to each other and to stored ones; a
	// link listed from both ends is one link.
	x := grids.Building{ID: f.seq.New(), CommunityID: c.ID, Name: "X", Stamps: f.stamps()}
	y := grids.Building{ID: f.seq.New(), CommunityID: c.ID, Name: "Y", Stamps: f.stamps()}
	x.Neighbours, y.Neighbours = sorted([]string{y.ID, a.ID}), []string{x.ID}
	f.must(func(tx grids.Tx) error { return tx.CreateBuildings(f.ctx, x, y) })
	assert.Equal(t, sorted([]string{x.ID, b.ID}), neighbours(a.ID))
	assert.Equal(t, []string{x.ID}, neighbours(y.ID))

	all := mustGet(f, func(tx grids.Tx) ([]grids.Building, error) {
		bs, _, err := tx.FindBuildings(f.ctx, grids.BuildingFilter{CommunityID: c.ID})
		return bs, err
	})
	for _, bl := range all {
		assert.Equal(t, neighbours(bl.ID), bl.Neighbours, "Find returns neighbours too")
		for _, n := range bl.Neighbours {
			assert.Contains(t, neighbours(n), bl.ID, "symmetric")
		}
	}
}

// town is a small community for filter and count tests.
type town struct {
	c                        grids.Community
	d1, d2                   grids.District
	g1, g2, g3               grids.Grid
	b1, b2, b3, b4           grids.Building
	households               []grids.Household
	residents                []grids.Resident
	householdGrid, buildingH map[string]string // household → grid, household → building
}

func newTown(f *fixture) *town {
	tw := &town{c: f.community(), householdGrid: map[string]string{}, buildingH: map[string]string{}}
	c := tw.c.ID
	tw.d1, tw.d2 = f.district(c, "一片"), f.district(c, "二片")
	tw.g1, tw.g2, tw.g3 = f.grid(c, tw.d1.ID, "1-1"), f.grid(c, tw.d1.ID, "1-2"), f.grid(c, tw.d2.ID, "2-1")
	tw.b1, tw.b2 = f.building(c, tw.g1.ID, "1号"), f.building(c, tw.g2.ID, "2号")
	tw.b3, tw.b4 = f.building(c, tw.g3.ID, "3号"), f.building(c, "", "4号")
	type spec struct {
		sex       grids.Sex
		born      int
		interests []string
		needs     []string
		vulns     []grids.Vulnerability
		archived  bool
		name      string
	}
	r := []grids.Vulnerability{grids.Retiree}
	people := [][]spec{
		{{grids.Male, 1940, []string{"tai_chi", "chess_cards"}, []string{"meal_delivery"}, []grids.Vulnerability{grids.Retiree, grids.LivingAlone, grids.PartyMember}, false, "张伟"}},
		{{grids.Female, 1955, []string{"square_dance"}, nil, r, false, "王芳"}, {grids.Male, 1952, []string{"tai_chi"}, nil, []grids.Vulnerability{grids.Retiree, grids.PartyMember}, false, "李强"}},
		{{grids.Female, 1990, nil, []string{"after_school_care"}, []grids.Vulnerability{grids.Migrant}, false, "刘娟"}, {grids.Male, 2015, []string{"youth_sports"}, nil, []grids.Vulnerability{grids.Migrant}, false, "刘涛"}, {grids.Female, 2020, nil, nil, nil, false, "刘雪"}},
		{{grids.Male, 1975, nil, []string{"employment_help"}, []grids.Vulnerability{grids.PhysicalDisability, grids.VisualDisability}, false, "陈明"}, {grids.Female, 2009, []string{"youth_sports", "digital_skills"}, nil, nil, false, "陈婷"}},
		{{grids.Female, 1938, []string{"choir"}, []string{"home_elder_care"}, []grids.Vulnerability{grids.Retiree, grids.Dementia, grids.HearingDisability}, false, "赵兰"}, {grids.Male, 1960, nil, nil, nil, true, "赵刚"}},
	}
	buildings := []grids.Building{tw.b1, tw.b1, tw.b2, tw.b3, tw.b4}
	for i, members := range people {
		b := buildings[i]
		h := f.household(c, b.ID, fmt.Sprintf("1-%d01", i+1))
		tw.households = append(tw.households, h)
		tw.householdGrid[h.ID], tw.buildingH[h.ID] = b.GridID, b.ID
		for _, p := range members {
			tw.residents = append(tw.residents, f.resident(c, h.ID, func(r *grids.Resident) {
				r.Sex, r.BirthYear, r.Name = p.sex, p.born, p.name
				r.Phone = fmt.Sprintf("1390000%04d", len(tw.residents))
				r.Interests, r.Needs = sorted(p.interests), sorted(p.needs)
				r.Vulnerabilities = grids.FlagsOf(p.vulns).Vulnerabilities()
				if p.archived {
					at := f.stamps().CreatedAt
					r.ArchivedAt, r.ArchiveReason = &at, "deceased"
				}
			}))
		}
	}
	return tw
}

// want returns, in ID order, the residents that pass keep.
func (tw *town) want(keep func(grids.Resident) bool) []string {
	out := []string{}
	for _, r := range tw.residents {
		if keep(r) {
			out = append(out, r.ID)
		}
	}
	slices.Sort(out)
	return out
}

func (tw *town) gridDistrict(grid string) string {
	for _, g := range []grids.Grid{tw.g1, tw.g2, tw.g3} {
		if g.ID == grid {
			return g.DistrictID
		}
	}
	return ""
}

func testFindFilters(t *testing.T, f *fixture) {
	tw := newTown(f)
	c := tw.c.ID
	year := 2026
	cohort := func(sex grids.Sex, vs ...grids.Vulnerability) grids.Cohort {
		co, ok := grids.CohortOf(year, sex, vs)
		require.True(t, ok)
		return co
	}
	active := func(r grids.Resident) bool { return !r.Archived() }
	tests := []struct {
		name   string
		filter grids.ResidentFilter
		keep   func(grids.Resident) bool
	}{
		{"all active", grids.ResidentFilter{}, active},
		{"archived", grids.ResidentFilter{State: grids.Archived}, grids.Resident.Archived},
		{"any state", grids.ResidentFilter{State: grids.AnyState}, func(grids.Resident) bool { return true }},
		{"district", grids.ResidentFilter{DistrictID: tw.d1.ID}, func(r grids.Resident) bool {
			return active(r) && tw.gridDistrict(tw.householdGrid[r.HouseholdID]) == tw.d1.ID
		}},
		{"grid", grids.ResidentFilter{GridID: tw.g3.ID}, func(r grids.Resident) bool {
			return active(r) && tw.householdGrid[r.HouseholdID] == tw.g3.ID
		}},
		{"building", grids.ResidentFilter{BuildingID: tw.b1.ID}, func(r grids.Resident) bool {
			return active(r) && tw.buildingH[r.HouseholdID] == tw.b1.ID
		}},
		{"household", grids.ResidentFilter{HouseholdID: tw.households[2].ID}, func(r grids.Resident) bool {
			return active(r) && r.HouseholdID == tw.households[2].ID
		}},
		{"phone", grids.ResidentFilter{Phone: "13900000003"}, func(r grids.Resident) bool { return active(r) && r.Phone == "13900000003" }},
		{"phone is exact", grids.ResidentFilter{Phone: "1390000000"}, func(r grids.Resident) bool { return false }},
		{"name substring", grids.ResidentFilter{Name: "刘"}, func(r grids.Resident) bool { return active(r) && r.Name[:3] == "刘" }},
		{"one interest", grids.ResidentFilter{Interests: []string{"tai_chi"}}, func(r grids.Resident) bool {
			return active(r) && slices.Contains(r.Interests, "tai_chi")
		}},
		{"all of two interests", grids.ResidentFilter{Interests: []string{"youth_sports", "digital_skills"}}, func(r grids.Resident) bool {
			return active(r) && slices.Contains(r.Interests, "youth_sports") && slices.Contains(r.Interests, "digital_skills")
		}},
		{"need", grids.ResidentFilter{Needs: []string{"meal_delivery"}}, func(r grids.Resident) bool {
			return active(r) && slices.Contains(r.Needs, "meal_delivery")
		}},
		{"retired party members", grids.ResidentFilter{Cohort: cohort("", grids.Retiree, grids.PartyMember)}, func(r grids.Resident) bool {
			return active(r) && slices.Contains(r.Vulnerabilities, grids.Retiree) && slices.Contains(r.Vulnerabilities, grids.PartyMember)
		}},
		{"children", grids.ResidentFilter{Cohort: cohort("", grids.Child)}, func(r grids.Resident) bool { return active(r) && year-r.BirthYear < 14 }},
		{"youth", grids.ResidentFilter{Cohort: cohort("", grids.Youth)}, func(r grids.Resident) bool { return active(r) && year-r.BirthYear < 18 }},
		{"elderly women", grids.ResidentFilter{Cohort: cohort(grids.Female, grids.Elderly)}, func(r grids.Resident) bool {
			return active(r) && r.Sex == grids.Female && year-r.BirthYear >= 60
		}},
		{"migrant women of child-bearing age", grids.ResidentFilter{Cohort: cohort("", grids.MigrantWomanChildbearing)}, func(r grids.Resident) bool {
			age := year - r.BirthYear
			return active(r) && r.Sex == grids.Female && slices.Contains(r.Vulnerabilities, grids.Migrant) && age >= 15 && age <= 49
		}},
		{"contradiction", grids.ResidentFilter{Cohort: cohort(grids.Male, grids.MigrantWomanChildbearing)}, func(grids.Resident) bool { return false }},
		{"any disability", grids.ResidentFilter{Cohort: grids.Cohort{AnyFlags: grids.FlagOf(grids.HearingDisability) | grids.FlagOf(grids.VisualDisability)}}, func(r grids.Resident) bool {
			return active(r) && (slices.Contains(r.Vulnerabilities, grids.HearingDisability) || slices.Contains(r.Vulnerabilities, grids.VisualDisability))
		}},
		{"everything at once", grids.ResidentFilter{DistrictID: tw.d1.ID, Interests: []string{"tai_chi"}, Cohort: cohort(grids.Male, grids.Retiree)}, func(r grids.Resident) bool {
			return active(r) && tw.gridDistrict(tw.householdGrid[r.HouseholdID]) == tw.d1.ID && slices.Contains(r.Interests, "tai_chi") &&
				r.Sex == grids.Male && slices.Contains(r.Vulnerabilities, grids.Retiree)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.filter.CommunityID = c
			got := findIDs(f, func(tx grids.Tx) ([]grids.Resident, int, error) { return tx.FindResidents(f.ctx, tt.filter) },
				func(r grids.Resident) string { return r.ID })
			want := tw.want(tt.keep)
			assert.Equal(t, found{IDs: want, Total: len(want)}, got)
		})
	}

	t.Run("households", func(t *testing.T) {
		got := findIDs(f, func(tx grids.Tx) ([]grids.Household, int, error) {
			return tx.FindHouseholds(f.ctx, grids.HouseholdFilter{CommunityID: c, DistrictID: tw.d1.ID})
		}, func(h grids.Household) string { return h.ID })
		assert.Equal(t, sorted([]string{tw.households[0].ID, tw.households[1].ID, tw.households[2].ID}), got.IDs)
		got = findIDs(f, func(tx grids.Tx) ([]grids.Household, int, error) {
			return tx.FindHouseholds(f.ctx, grids.HouseholdFilter{CommunityID: c, BuildingID: tw.b1.ID, Unit: "1-201"})
		}, func(h grids.Household) string { return h.ID })
		assert.Equal(t, []string{tw.households[1].ID}, got.IDs)
		got = findIDs(f, func(tx grids.Tx) ([]grids.Household, int, error) {
			return tx.FindHouseholds(f.ctx, grids.HouseholdFilter{CommunityID: c, ID: tw.households[4].ID})
		}, func(h grids.Household) string { return h.ID })
		assert.Equal(t, []string{tw.households[4].ID}, got.IDs)
	})
	t.Run("buildings and grids", func(t *testing.T) {
		got := findIDs(f, func(tx grids.Tx) ([]grids.Building, int, error) {
			return tx.FindBuildings(f.ctx, grids.BuildingFilter{CommunityID: c, DistrictID: tw.d1.ID})
		}, func(b grids.Building) string { return b.ID })
		assert.Equal(t, sorted([]string{tw.b1.ID, tw.b2.ID}), got.IDs)
		got = findIDs(f, func(tx grids.Tx) ([]grids.Building, int, error) {
			return tx.FindBuildings(f.ctx, grids.BuildingFilter{CommunityID: c, Name: "4号"})
		}, func(b grids.Building) string { return b.ID })
		assert.Equal(t, []string{tw.b4.ID}, got.IDs)
		gs := findIDs(f, func(tx grids.Tx) ([]grids.Grid, int, error) {
			return tx.FindGrids(f.ctx, grids.GridFilter{CommunityID: c, DistrictID: tw.d1.ID})
		}, func(g grids.Grid) string { return g.ID })
		assert.Equal(t, sorted([]string{tw.g1.ID, tw.g2.ID}), gs.IDs)
	})
	t.Run("districts by worker", func(t *testing.T) {
		w := f.worker(c)
		d := f.district(c, "三片", w.ID)
		got := findIDs(f, func(tx grids.Tx) ([]grids.District, int, error) {
			return tx.FindDistricts(f.ctx, grids.DistrictFilter{CommunityID: c, WorkerID: w.ID})
		}, func(d grids.District) string { return d.ID })
		assert.Equal(t, []string{d.ID}, got.IDs)
	})
}

func testPagination(t *testing.T, f *fixture) {
	c := f.community()
	var want []string
	for range 7 {
		want = append(want, f.worker(c.ID).ID)
	}
	slices.Sort(want)
	page := func(offset, limit int) found {
		return findIDs(f, func(tx grids.Tx) ([]grids.Worker, int, error) {
			return tx.FindWorkers(f.ctx, grids.WorkerFilter{CommunityID: c.ID, Page: grids.Page{Offset: offset, Limit: limit}})
		}, func(w grids.Worker) string { return w.ID })
	}
	assert.Equal(t, found{want, 7}, page(0, 0), "no limit")
	assert.Equal(t, found{want[:3], 7}, page(0, 3))
	assert.Equal(t, found{want[3:6], 7}, page(3, 3))
	assert.Equal(t, found{want[6:], 7}, page(6, 3))
	assert.Equal(t, found{[]string{}, 7}, page(10, 3), "past the end")

	// By key: after a record, whatever was made before it meanwhile.
	after := func(id string, limit int, noTotal bool) (found, error) {
		var out found
		err := f.s.View(f.ctx, func(tx grids.Tx) error {
			ws, n, err := tx.FindWorkers(f.ctx, grids.WorkerFilter{CommunityID: c.ID, Page: grids.Page{After: id, Limit: limit, NoTotal: noTotal}})
			out = found{IDs: []string{}, Total: n}
			for _, w := range ws {
				out.IDs = append(out.IDs, w.ID)
			}
			return err
		})
		return out, err
	}
	got, err := after(want[2], 3, false)
	require.NoError(t, err)
	assert.Equal(t, found{want[3:6], 7}, got)
	got, err = after(want[6], 3, true)
	require.NoError(t, err)
	assert.Equal(t, found{[]string{}, -1}, got, "the last page; no count asked")
	_, err = after(ids.New(), 3, false)
	assert.ErrorIs(t, err, grids.Invalid, "after names no record")
	// An archived worker the filter leaves out still marks the place.
	archived := f.worker(c.ID)
	_, err = grids.NewRegistry(f.s, grids.Options{}).ArchiveWorker(grids.WithPrincipal(f.ctx, grids.Admin("test")), c.ID, archived.ID, grids.ArchiveInput{Reason: "调离"})
	require.NoError(t, err)
	got, err = after(archived.ID, 0, false)
	require.NoError(t, err)
	for _, id := range got.IDs {
		assert.Greater(t, id, archived.ID)
	}
}

func testCounts(t *testing.T, f *fixture) {
	tw := newTown(f)
	for _, scope := range []grids.Scope{{}, {DistrictID: tw.d1.ID}, {GridID: tw.g1.ID}, {GridID: tw.g3.ID}, {DistrictID: tw.d2.ID, GridID: tw.g1.ID}} {
		want := map[grids.CohortCount]int{}
		households := map[string]bool{}
		inScope := func(household string) bool {
			g := tw.householdGrid[household]
			return (scope.GridID == "" || g == scope.GridID) && (scope.DistrictID == "" || tw.gridDistrict(g) == scope.DistrictID)
		}
		for _, r := range tw.residents {
			if !r.Archived() && inScope(r.HouseholdID) {
				want[grids.CohortCount{Sex: r.Sex, Flags: r.Flags(), BirthYear: r.BirthYear}]++
			}
		}
		for _, h := range tw.households {
			if inScope(h.ID) {
				households[h.ID] = true
			}
		}
		hist := mustGet(f, func(tx grids.Tx) ([]grids.CohortCount, error) { return tx.ResidentHistogram(f.ctx, tw.c.ID, scope) })
		got := map[grids.CohortCount]int{}
		for _, h := range hist {
			n := h.N
			h.N = 0
			assert.Zero(t, got[h], "one entry per combination: %+v", h)
			got[h] = n
		}
		assert.Equal(t, want, got, "scope %+v", scope)
		n := mustGet(f, func(tx grids.Tx) (int, error) { return tx.CountHouseholds(f.ctx, tw.c.ID, scope) })
		assert.Equal(t, len(households), n, "households in scope %+v", scope)
	}
}

func testRollback(t *testing.T, f *fixture) {
	c := f.community()
	d := f.district(c.ID, "第一片区")
	errBoom := errors.New("boom")
	var made grids.Grid
	err := f.update(func(tx grids.Tx) error {
		made = grids.Grid{ID: f.seq.New(), CommunityID: c.ID, DistrictID: d.ID, Name: "new", Stamps: f.stamps()}
		if err := tx.CreateGrid(f.ctx, made); err != nil {
			return err
		}
		renamed := d
		renamed.Name = "renamed"
		if err := tx.UpdateDistrict(f.ctx, renamed); err != nil {
			return err
		}
		return errBoom
	})
	assert.ErrorIs(t, err, errBoom, "the callback's error comes back")
	_, err = get(f, func(tx grids.Tx) (grids.Grid, error) { return tx.Grid(f.ctx, c.ID, made.ID) })
	assertCode(t, err, grids.NotFound, "the grid was rolled back")
	assert.Equal(t, d, mustGet(f, func(tx grids.Tx) (grids.District, error) { return tx.District(f.ctx, c.ID, d.ID) }), "the rename was rolled back")

	assert.Panics(t, func() {
		_ = f.update(func(tx grids.Tx) error {
			made = grids.Grid{ID: f.seq.New(), CommunityID: c.ID, DistrictID: d.ID, Name: "panicky", Stamps: f.stamps()}
			if err := tx.CreateGrid(f.ctx, made); err != nil {
				return err
			}
			panic("boom")
		})
	})
	_, err = get(f, func(tx grids.Tx) (grids.Grid, error) { return tx.Grid(f.ctx, c.ID, made.ID) })
	assertCode(t, err, grids.NotFound, "a panic rolls back too")

	// A batch that fails part way stores none of it.
	b := f.building(c.ID, "", "1号")
	h := grids.Household{ID: f.seq.New(), CommunityID: c.ID, BuildingID: b.ID, Unit: "1-101", Size: 1, Stamps: f.stamps()}
	bad := h
	bad.ID, bad.BuildingID = f.seq.New(), f.seq.New()
	assertCode(t, f.update(func(tx grids.Tx) error { return tx.CreateHouseholds(f.ctx, h, bad) }), grids.Invalid)
	_, err = get(f, func(tx grids.Tx) (grids.Household, error) { return tx.Household(f.ctx, c.ID, h.ID) })
	assertCode(t, err, grids.NotFound)

	// The store is still usable.
	f.household(c.ID, b.ID, "1-101")
}

func testViewIsReadOnly(t *testing.T, f *fixture) {
	c := grids.Community{ID: f.seq.New(), Name: "ro"}
	st := f.stamps()
	c.CreatedAt, c.UpdatedAt = st.CreatedAt, st.UpdatedAt
	err := f.s.View(f.ctx, func(tx grids.Tx) error { return tx.CreateCommunity(f.ctx, c) })
	assert.Error(t, err, "a write inside View fails")
	_, err = get(f, func(tx grids.Tx) (grids.Community, error) { return tx.Community(f.ctx, c.ID) })
	assertCode(t, err, grids.NotFound, "and leaves nothing")
}

func testConcurrentUpdates(t *testing.T, f *fixture) {
	c := f.community()
	b := f.building(c.ID, "", "1号")
	h := f.household(c.ID, b.ID, "1-101")
	r := f.resident(c.ID, h.ID, nil)
	const writers, rounds = 8, 5
	var wg sync.WaitGroup
	errs := make(chan error, writers*rounds)
	for w := range writers {
		wg.Go(func() {
			for i := range rounds {
				errs <- f.update(func(tx grids.Tx) error {
					cur, err := tx.Resident(f.ctx, c.ID, r.ID)
					if err != nil {
						return err
					}
					cur.Interests = sorted(append(cur.Interests, fmt.Sprintf("t%d-%d", w, i)))
					return tx.UpdateResident(f.ctx, cur)
				})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	got := mustGet(f, func(tx grids.Tx) (grids.Resident, error) { return tx.Resident(f.ctx, c.ID, r.ID) })
	assert.Len(t, got.Interests, writers*rounds, "every read-modify-write kept: none lost to a race")
}

// testWriteSkew: a check over a set and the write it allows are
// serializable (see storetest.WriteSkew): a need of a tag is recorded
// unless the community has one (no unique key behind it).
func testWriteSkew(t *testing.T, f *fixture) {
	c := f.community()
	tag := "tag-" + f.seq.New()
	tagged := grids.NeedFilter{CommunityID: c.ID, Tag: tag}
	created := storetest.WriteSkew(t, f.update,
		func(tx grids.Tx) (bool, error) {
			_, n, err := tx.FindNeeds(f.ctx, tagged)
			return n > 0, err
		},
		func(tx grids.Tx) error {
			st := f.stamps()
			return tx.CreateNeed(f.ctx, grids.Need{ID: f.seq.New(), CommunityID: c.ID, Kind: grids.KindNeed, Source: grids.SourceSurvey,
				Title: "楼道灯坏了", Tags: []string{tag}, Status: grids.NeedReceived, Events: []grids.NeedEvent{}, CreatedAt: st.CreatedAt, UpdatedAt: st.UpdatedAt})
		})
	assert.Equal(t, 1, created, "one need of the tag")
	var n int
	require.NoError(t, f.s.View(f.ctx, func(tx grids.Tx) error {
		var err error
		_, n, err = tx.FindNeeds(f.ctx, tagged)
		return err
	}))
	assert.Equal(t, 1, n)
}

func testConcurrentUniqueCreates(t *testing.T, f *fixture) {
	c := f.community()
	const racers = 8
	var wg sync.WaitGroup
	results := make(chan error, racers)
	for range racers {
		wg.Go(func() {
			d := grids.District{ID: f.seq.New(), CommunityID: c.ID, Name: "同名片区", WorkerIDs: []string{}, Stamps: f.stamps()}
			results <- f.update(func(tx grids.Tx) error { return tx.CreateDistrict(f.ctx, d) })
		})
	}
	wg.Wait()
	close(results)
	ok := 0
	for err := range results {
		if err == nil {
			ok++
			continue
		}
		assertCode(t, err, grids.Conflict)
	}
	assert.Equal(t, 1, ok, "exactly one of the racing creates wins")
}

// testRegistryArchiveCascade checks the registry's multi-record rules run
// atomically on this store.
func testRegistryArchiveCascade(t *testing.T, f *fixture) {
	ctx := grids.WithPrincipal(f.ctx, grids.Admin("test"))
	reg := grids.NewRegistry(f.s, grids.Options{Now: f.clock.Now})
	c, err := reg.CreateCommunity(ctx, grids.CommunityInput{Name: "水秀社区"})
	require.NoError(t, err)
	b, err := reg.CreateBuilding(ctx, c.ID, grids.BuildingInput{Name: "1号"})
	require.NoError(t, err)
	h, err := reg.CreateHousehold(ctx, c.ID, grids.HouseholdInput{BuildingID: b.ID, Unit: "1-101", Size: 3})
	require.NoError(t, err)
	var members []grids.Resident
	for _, name := range []string{"甲", "乙", "丙"} {
		r, err := reg.CreateResident(ctx, c.ID, grids.ResidentInput{HouseholdID: h.ID, Name: name, Sex: grids.Female, BirthYear: 1980})
		require.NoError(t, err)
		members = append(members, r)
	}
	f.clock.Advance(time.Hour)
	_, err = reg.ArchiveResident(ctx, c.ID, members[0].ID, grids.ArchiveInput{Reason: "deceased"})
	require.NoError(t, err)
	f.clock.Advance(time.Hour)
	_, err = reg.ArchiveHousehold(ctx, c.ID, h.ID, grids.ArchiveInput{Reason: "moved out"})
	require.NoError(t, err)
	active, n, err := reg.FindResidents(ctx, grids.ResidentFilter{CommunityID: c.ID})
	require.NoError(t, err)
	assert.Equal(t, 0, n, "got %v", active)

	_, err = reg.ArchiveBuilding(ctx, c.ID, b.ID, grids.ArchiveInput{Reason: "demolished"})
	require.NoError(t, err, "no active households left")
	_, err = reg.RestoreHousehold(ctx, c.ID, h.ID)
	assert.ErrorIs(t, err, grids.FailedPrecondition, "its building is archived")

	_, err = reg.RestoreBuilding(ctx, c.ID, b.ID)
	require.NoError(t, err)
	_, err = reg.RestoreHousehold(ctx, c.ID, h.ID)
	require.NoError(t, err)
	back, n, err := reg.FindResidents(ctx, grids.ResidentFilter{CommunityID: c.ID})
	require.NoError(t, err)
	assert.Equal(t, 2, n, "the two archived with the household come back; the one who died before does not")
	for _, r := range back {
		assert.NotEqual(t, members[0].ID, r.ID)
	}
}

// testCaseCommunity seeds the case's community through the registry and
// checks the store counts it exactly as the case does.
func testCaseCommunity(t *testing.T, s grids.Store) {
	const year = 2026
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("test"))
	reg := grids.NewRegistry(s, grids.Options{Now: func() time.Time { return time.Date(year, 6, 1, 0, 0, 0, 0, time.UTC) }})
	demo := gridsdemo.Generate(year, 1)
	com, err := gridsdemo.Seed(ctx, reg, demo)
	require.NoError(t, err)

	got, err := reg.Summary(ctx, com.ID, grids.SummaryOptions{})
	require.NoError(t, err)
	want := gridsdemo.Expected(com.ID, year)
	assert.Equal(t, "0.27", got.ShareElderlyOrDisabled.Round(2).String())
	got.ShareElderlyOrDisabled = want.ShareElderlyOrDisabled
	assert.Equal(t, want, got)

	// Finding by a vulnerability agrees with the summary.
	for v, n := range map[grids.Vulnerability]int{grids.Child: want.Under14, grids.MigrantWomanChildbearing: want.MigrantWomenChildbearing, grids.LivingAlone: want.Elders.LivingAlone} {
		co, _ := grids.CohortOf(year, "", []grids.Vulnerability{v})
		_, total, err := reg.FindResidents(ctx, grids.ResidentFilter{CommunityID: com.ID, Cohort: co, Page: grids.Page{Limit: 1}})
		require.NoError(t, err)
		assert.Equal(t, n, total, "residents who are %s", v)
	}

	// District summaries add up to the community's.
	ds, _, err := reg.FindDistricts(ctx, grids.DistrictFilter{CommunityID: com.ID})
	require.NoError(t, err)
	var residents, households int
	for _, d := range ds {
		s, err := reg.Summary(ctx, com.ID, grids.SummaryOptions{Scope: grids.Scope{DistrictID: d.ID}})
		require.NoError(t, err)
		residents += s.Residents.Total
		households += s.Households
	}
	assert.Equal(t, gridsdemo.Residents, residents)
	assert.Equal(t, gridsdemo.Households, households)

	// Importing the same files again is refused as a whole, row by row.
	_, err = reg.Import(ctx, com.ID, demo.Files(), grids.ImportOptions{})
	require.Error(t, err)
	assert.Equal(t, grids.Invalid, grids.ErrorCode(err))
	_, total, err := reg.FindResidents(ctx, grids.ResidentFilter{CommunityID: com.ID, Page: grids.Page{Limit: 1}})
	require.NoError(t, err)
	assert.Equal(t, gridsdemo.Residents, total, "nothing was added")
}
