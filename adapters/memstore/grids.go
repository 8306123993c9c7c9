package memstore

import (
	"context"
	"slices"
	"strings"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
)

type gridsData struct {
	communities map[string]grids.Community
	workers     table[grids.Worker]
	districts   table[grids.District]
	grids       table[grids.Grid]
	buildings   table[grids.Building] // Neighbours empty: links live in edges
	edges       table[map[string]bool]
	households  table[grids.Household]
	units       table[string] // building and unit → the active household there
	residents   table[grids.Resident]
	needs       table[grids.Need]
	surveys     table[grids.Survey]
	responses   table[grids.Response] // by survey and household
	plans       table[grids.RegroupPlan]
	memberships table[grids.Membership]
	versions    map[string]int64 // community → registry version
}

func (d *gridsData) init() {
	d.communities = map[string]grids.Community{}
	d.workers, d.districts, d.grids = table[grids.Worker]{}, table[grids.District]{}, table[grids.Grid]{}
	d.buildings, d.edges = table[grids.Building]{}, table[map[string]bool]{}
	d.households, d.units, d.residents = table[grids.Household]{}, table[string]{}, table[grids.Resident]{}
	d.needs, d.surveys, d.responses = table[grids.Need]{}, table[grids.Survey]{}, table[grids.Response]{}
	d.plans, d.memberships = table[grids.RegroupPlan]{}, table[grids.Membership]{}
	d.versions = map[string]int64{}
}

// touched advances the registry version of each community after a write
// that succeeded (err nil), undone with the transaction.
func (tx *gridsTx) touched(err error, communities ...string) error {
	if err != nil {
		return err
	}
	for _, c := range communities {
		old := tx.d.versions[c]
		if err := tx.onUndo(func() { tx.d.versions[c] = old }); err != nil {
			return err
		}
		tx.d.versions[c] = old + 1
	}
	return nil
}

func (tx *gridsTx) RegistryVersion(_ context.Context, community string) (int64, error) {
	if _, ok := tx.d.communities[community]; !ok {
		return 0, errs.E(errs.NotFound, "community %s not found", community)
	}
	return tx.d.versions[community], nil
}

// communitiesOf lists the communities of a batch's records.
func communitiesOf[T any](rs []T, of func(T) string) []string {
	var out []string
	for _, r := range rs {
		if c := of(r); !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// Grids returns the registry store.
func (s *Store) Grids() grids.Store { return gridsStore{s} }

type gridsStore struct{ s *Store }

func (g gridsStore) View(ctx context.Context, fn func(grids.Tx) error) error {
	return g.s.view(ctx, func(t *txn) error { return fn(&gridsTx{txn: t, d: &g.s.grids}) })
}

func (g gridsStore) Update(ctx context.Context, fn func(grids.Tx) error) error {
	return g.s.update(ctx, func(t *txn) error { return fn(&gridsTx{txn: t, d: &g.s.grids}) })
}

type gridsTx struct {
	*txn
	d *gridsData
}

// ---- communities ----

func (tx *gridsTx) Community(_ context.Context, id string) (grids.Community, error) {
	c, ok := tx.d.communities[id]
	if !ok {
		return c, errs.E(errs.NotFound, "community %s not found", id)
	}
	return c, nil
}

func (tx *gridsTx) FindCommunities(_ context.Context, f grids.CommunityFilter) ([]grids.Community, int, error) {
	all := table[grids.Community]{"": tx.d.communities}
	out, n, err := find(all, "", f.Page,
		func(c grids.Community) bool { return f.Name == "" || c.Name == f.Name })
	return out, n, err
}

func (tx *gridsTx) putCommunity(c grids.Community) error {
	if !tx.write {
		return errReadOnly
	}
	old, had := tx.d.communities[c.ID]
	tx.undo = append(tx.undo, func() {
		if had {
			tx.d.communities[c.ID] = old
		} else {
			delete(tx.d.communities, c.ID)
		}
	})
	tx.d.communities[c.ID] = c
	return nil
}

func (tx *gridsTx) CreateCommunity(_ context.Context, c grids.Community) error {
	if _, ok := tx.d.communities[c.ID]; ok {
		return errs.E(errs.Conflict, "community %s already exists", c.ID)
	}
	return tx.putCommunity(c)
}

func (tx *gridsTx) UpdateCommunity(_ context.Context, c grids.Community) error {
	if _, ok := tx.d.communities[c.ID]; !ok {
		return errs.E(errs.NotFound, "community %s not found", c.ID)
	}
	return tx.putCommunity(c)
}

// inCommunity refuses records of a community that does not exist.
func (tx *gridsTx) inCommunity(community string) error {
	if _, ok := tx.d.communities[community]; !ok {
		return errs.E(errs.Invalid, "no community %s", community)
	}
	return nil
}

// create stores a new record after checking its ID is free.
func create[T any](tx *gridsTx, tb table[T], kind, community, id string, v T) error {
	if err := tx.inCommunity(community); err != nil {
		return err
	}
	if _, ok := tb.get(community, id); ok {
		return errs.E(errs.Conflict, "%s %s already exists", kind, id)
	}
	return tb.put(tx.txn, community, id, v)
}

// replace stores a changed record after checking it exists.
func replace[T any](tx *gridsTx, tb table[T], kind, community, id string, v T) error {
	if _, ok := tb.get(community, id); !ok {
		return errs.E(errs.NotFound, "%s %s not found", kind, id)
	}
	return tb.put(tx.txn, community, id, v)
}

// uniqueName refuses a second active record with the same name.
func uniqueName[T any](tb table[T], kind, community, id, name string, active bool, nameOf func(T) (string, bool)) error {
	if !active {
		return nil
	}
	for otherID, v := range tb[community] {
		if n, on := nameOf(v); otherID != id && on && n == name {
			return errs.E(errs.Conflict, "an active %s named %q already exists", kind, name)
		}
	}
	return nil
}

// ---- workers ----

func cloneWorker(w grids.Worker) grids.Worker { return w }

func (tx *gridsTx) Worker(_ context.Context, community, id string) (grids.Worker, error) {
	return one(tx.d.workers, "worker", community, id)
}

func (tx *gridsTx) FindWorkers(_ context.Context, f grids.WorkerFilter) ([]grids.Worker, int, error) {
	out, n, err := find(tx.d.workers, f.CommunityID, f.Page,
		func(w grids.Worker) bool { return f.State.Includes(w.Stamps) })
	return out, n, err
}

func (tx *gridsTx) CreateWorker(_ context.Context, w grids.Worker) error {
	return create(tx, tx.d.workers, "worker", w.CommunityID, w.ID, cloneWorker(w))
}

func (tx *gridsTx) UpdateWorker(_ context.Context, w grids.Worker) error {
	return replace(tx, tx.d.workers, "worker", w.CommunityID, w.ID, cloneWorker(w))
}

// ---- districts ----

func cloneDistrict(d grids.District) grids.District {
	d.WorkerIDs = clone(d.WorkerIDs)
	return d
}

func (tx *gridsTx) District(_ context.Context, community, id string) (grids.District, error) {
	d, err := one(tx.d.districts, "district", community, id)
	return cloneDistrict(d), err
}

func (tx *gridsTx) FindDistricts(_ context.Context, f grids.DistrictFilter) ([]grids.District, int, error) {
	out, n, err := find(tx.d.districts, f.CommunityID, f.Page,
		func(d grids.District) bool {
			return f.State.Includes(d.Stamps) && (f.Name == "" || d.Name == f.Name) &&
				(f.WorkerID == "" || slices.Contains(d.WorkerIDs, f.WorkerID))
		})
	return mapSlice(out, cloneDistrict), n, err
}

func (tx *gridsTx) checkDistrict(d grids.District) error {
	for _, w := range d.WorkerIDs {
		if err := exists(tx.d.workers, "worker", d.CommunityID, w); err != nil {
			return err
		}
	}
	return uniqueName(tx.d.districts, "district", d.CommunityID, d.ID, d.Name, !d.Archived(),
		func(o grids.District) (string, bool) { return o.Name, !o.Archived() })
}

func (tx *gridsTx) CreateDistrict(_ context.Context, d grids.District) error {
	if err := tx.checkDistrict(d); err != nil {
		return err
	}
	return tx.touched(create(tx, tx.d.districts, "district", d.CommunityID, d.ID, cloneDistrict(d)), d.CommunityID)
}

func (tx *gridsTx) UpdateDistrict(_ context.Context, d grids.District) error {
	if err := tx.checkDistrict(d); err != nil {
		return err
	}
	return tx.touched(replace(tx, tx.d.districts, "district", d.CommunityID, d.ID, cloneDistrict(d)), d.CommunityID)
}

// ---- grids ----

func (tx *gridsTx) Grid(_ context.Context, community, id string) (grids.Grid, error) {
	return one(tx.d.grids, "grid", community, id)
}

func (tx *gridsTx) FindGrids(_ context.Context, f grids.GridFilter) ([]grids.Grid, int, error) {
	out, n, err := find(tx.d.grids, f.CommunityID, f.Page,
		func(g grids.Grid) bool {
			return f.State.Includes(g.Stamps) && (f.Name == "" || g.Name == f.Name) &&
				(f.DistrictID == "" || g.DistrictID == f.DistrictID)
		})
	return out, n, err
}

func (tx *gridsTx) checkGrid(g grids.Grid) error {
	if err := exists(tx.d.districts, "district", g.CommunityID, g.DistrictID); err != nil {
		return err
	}
	return uniqueName(tx.d.grids, "grid", g.CommunityID, g.ID, g.Name, !g.Archived(),
		func(o grids.Grid) (string, bool) { return o.Name, !o.Archived() })
}

func (tx *gridsTx) CreateGrid(_ context.Context, g grids.Grid) error {
	if err := tx.checkGrid(g); err != nil {
		return err
	}
	return tx.touched(create(tx, tx.d.grids, "grid", g.CommunityID, g.ID, g), g.CommunityID)
}

func (tx *gridsTx) UpdateGrid(_ context.Context, g grids.Grid) error {
	if err := tx.checkGrid(g); err != nil {
		return err
	}
	return tx.touched(replace(tx, tx.d.grids, "grid", g.CommunityID, g.ID, g), g.CommunityID)
}

// ---- buildings ----

// withNeighbours returns a copy of b with its neighbour links, sorted.
func (tx *gridsTx) withNeighbours(b grids.Building) grids.Building {
	b = storedBuilding(b)
	b.Neighbours = make([]string, 0, len(tx.d.edges[b.CommunityID][b.ID]))
	for n := range tx.d.edges[b.CommunityID][b.ID] {
		b.Neighbours = append(b.Neighbours, n)
	}
	slices.Sort(b.Neighbours)
	return b
}

// storedBuilding is b as the table keeps it: its own Location, and no
// neighbours (they live in edges).
func storedBuilding(b grids.Building) grids.Building {
	if b.Location != nil {
		loc := *b.Location
		b.Location = &loc
	}
	b.Neighbours = nil
	return b
}

func (tx *gridsTx) Building(_ context.Context, community, id string) (grids.Building, error) {
	b, err := one(tx.d.buildings, "building", community, id)
	if err != nil {
		return b, err
	}
	return tx.withNeighbours(b), nil
}

// gridDistrict returns the district of a grid.
func (tx *gridsTx) gridDistrict(community, grid string) string {
	g, _ := tx.d.grids.get(community, grid)
	return g.DistrictID
}

func (tx *gridsTx) FindBuildings(_ context.Context, f grids.BuildingFilter) ([]grids.Building, int, error) {
	out, n, err := find(tx.d.buildings, f.CommunityID, f.Page,
		func(b grids.Building) bool {
			return f.State.Includes(b.Stamps) && (f.Name == "" || b.Name == f.Name) &&
				(f.GridID == "" || b.GridID == f.GridID) &&
				(f.DistrictID == "" || b.GridID != "" && tx.gridDistrict(f.CommunityID, b.GridID) == f.DistrictID)
		})
	return mapSlice(out, tx.withNeighbours), n, err
}

func (tx *gridsTx) checkBuilding(b grids.Building, batch map[string]bool) error {
	if b.GridID != "" {
		if err := exists(tx.d.grids, "grid", b.CommunityID, b.GridID); err != nil {
			return err
		}
	}
	for _, n := range b.Neighbours {
		if n == b.ID {
			return errs.E(errs.Invalid, "building %s lists itself as a neighbour", b.ID)
		}
		if !batch[n] {
			if err := exists(tx.d.buildings, "building", b.CommunityID, n); err != nil {
				return err
			}
		}
	}
	return uniqueName(tx.d.buildings, "building", b.CommunityID, b.ID, b.Name, !b.Archived(),
		func(o grids.Building) (string, bool) { return o.Name, !o.Archived() })
}

// link adds or removes the undirected link a–b.
func (tx *gridsTx) link(community, a, b string, on bool) error {
	for _, p := range [][2]string{{a, b}, {b, a}} {
		set := tx.d.edges[community][p[0]]
		next := make(map[string]bool, len(set)+1)
		for k := range set {
			next[k] = true
		}
		if on {
			next[p[1]] = true
		} else {
			delete(next, p[1])
		}
		if err := tx.d.edges.put(tx.txn, community, p[0], next); err != nil {
			return err
		}
	}
	return nil
}

func (tx *gridsTx) CreateBuildings(_ context.Context, bs ...grids.Building) error {
	batch := make(map[string]bool, len(bs))
	for _, b := range bs {
		batch[b.ID] = true
	}
	for _, b := range bs {
		if err := tx.checkBuilding(b, batch); err != nil {
			return err
		}
		if err := create(tx, tx.d.buildings, "building", b.CommunityID, b.ID, storedBuilding(b)); err != nil {
			return err
		}
	}
	for _, b := range bs {
		for _, n := range b.Neighbours {
			if err := tx.link(b.CommunityID, b.ID, n, true); err != nil {
				return err
			}
		}
	}
	return tx.touched(nil, communitiesOf(bs, func(b grids.Building) string { return b.CommunityID })...)
}

func (tx *gridsTx) UpdateBuilding(_ context.Context, b grids.Building) error {
	if err := tx.checkBuilding(b, nil); err != nil {
		return err
	}
	if err := replace(tx, tx.d.buildings, "building", b.CommunityID, b.ID, storedBuilding(b)); err != nil {
		return err
	}
	want := make(map[string]bool, len(b.Neighbours))
	for _, n := range b.Neighbours {
		want[n] = true
	}
	for n := range tx.d.edges[b.CommunityID][b.ID] {
		if !want[n] {
			if err := tx.link(b.CommunityID, b.ID, n, false); err != nil {
				return err
			}
		}
	}
	for n := range want {
		if err := tx.link(b.CommunityID, b.ID, n, true); err != nil {
			return err
		}
	}
	return tx.touched(nil, b.CommunityID)
}

// ---- households ----

// inScope reports whether a building lies in a scope or matches filters.
func (tx *gridsTx) buildingIn(community, building, grid, district string) bool {
	if grid == "" && district == "" {
		return true
	}
	b, _ := tx.d.buildings.get(community, building)
	return (grid == "" || b.GridID == grid) &&
		(district == "" || b.GridID != "" && tx.gridDistrict(community, b.GridID) == district)
}

func cloneHousehold(h grids.Household) grids.Household {
	h.Interests, h.Needs = clone(h.Interests), clone(h.Needs)
	return h
}

func (tx *gridsTx) Household(_ context.Context, community, id string) (grids.Household, error) {
	h, err := one(tx.d.households, "household", community, id)
	return cloneHousehold(h), err
}

func (tx *gridsTx) FindHouseholds(_ context.Context, f grids.HouseholdFilter) ([]grids.Household, int, error) {
	out, n, err := find(tx.d.households, f.CommunityID, f.Page,
		func(h grids.Household) bool {
			return f.State.Includes(h.Stamps) && (f.ID == "" || h.ID == f.ID) &&
				(f.BuildingID == "" || h.BuildingID == f.BuildingID) && (f.Unit == "" || h.Unit == f.Unit) &&
				tx.buildingIn(f.CommunityID, h.BuildingID, f.GridID, f.DistrictID)
		})
	return mapSlice(out, cloneHousehold), n, err
}

func unitKey(h grids.Household) string { return h.BuildingID + "\x00" + h.Unit }

func (tx *gridsTx) checkHousehold(h grids.Household) error {
	if err := exists(tx.d.buildings, "building", h.CommunityID, h.BuildingID); err != nil {
		return err
	}
	if id, taken := tx.d.units.get(h.CommunityID, unitKey(h)); taken && id != h.ID && !h.Archived() {
		return errs.E(errs.Conflict, "unit %q of building %s already has an active household", h.Unit, h.BuildingID)
	}
	return nil
}

// putHousehold stores h and keeps the index of active units.
func (tx *gridsTx) putHousehold(h grids.Household, store func() error) error {
	if err := tx.checkHousehold(h); err != nil {
		return err
	}
	if old, ok := tx.d.households.get(h.CommunityID, h.ID); ok && !old.Archived() {
		if err := tx.d.units.del(tx.txn, h.CommunityID, unitKey(old)); err != nil {
			return err
		}
	}
	if err := store(); err != nil {
		return err
	}
	if h.Archived() {
		return nil
	}
	return tx.d.units.put(tx.txn, h.CommunityID, unitKey(h), h.ID)
}

func (tx *gridsTx) CreateHouseholds(_ context.Context, hs ...grids.Household) error {
	for _, h := range hs {
		err := tx.putHousehold(h, func() error { return create(tx, tx.d.households, "household", h.CommunityID, h.ID, cloneHousehold(h)) })
		if err != nil {
			return err
		}
	}
	return tx.touched(nil, communitiesOf(hs, func(h grids.Household) string { return h.CommunityID })...)
}

func (tx *gridsTx) UpdateHousehold(_ context.Context, h grids.Household) error {
	return tx.touched(tx.putHousehold(h, func() error { return replace(tx, tx.d.households, "household", h.CommunityID, h.ID, cloneHousehold(h)) }), h.CommunityID)
}

// ---- residents ----

func cloneResident(r grids.Resident) grids.Resident {
	r.Interests, r.Needs, r.Vulnerabilities = clone(r.Interests), clone(r.Needs), clone(r.Vulnerabilities)
	return r
}

func (tx *gridsTx) Resident(_ context.Context, community, id string) (grids.Resident, error) {
	r, err := one(tx.d.residents, "resident", community, id)
	return cloneResident(r), err
}

// residentIn reports whether a resident's household lies in the given
// building, grid and district ("" for any).
func (tx *gridsTx) residentIn(r grids.Resident, building, grid, district string) bool {
	if building == "" && grid == "" && district == "" {
		return true
	}
	h, _ := tx.d.households.get(r.CommunityID, r.HouseholdID)
	return (building == "" || h.BuildingID == building) && tx.buildingIn(r.CommunityID, h.BuildingID, grid, district)
}

func (tx *gridsTx) FindResidents(_ context.Context, f grids.ResidentFilter) ([]grids.Resident, int, error) {
	out, n, err := find(tx.d.residents, f.CommunityID, f.Page,
		func(r grids.Resident) bool {
			return f.State.Includes(r.Stamps) && (f.HouseholdID == "" || r.HouseholdID == f.HouseholdID) &&
				(f.Name == "" || strings.Contains(r.Name, f.Name)) && (f.Phone == "" || r.Phone == f.Phone) &&
				containsAll(r.Interests, f.Interests) && containsAll(r.Needs, f.Needs) &&
				f.Cohort.Match(r.Sex, r.Flags(), r.BirthYear) &&
				tx.residentIn(r, f.BuildingID, f.GridID, f.DistrictID)
		})
	return mapSlice(out, cloneResident), n, err
}

func (tx *gridsTx) ResidentNames(_ context.Context, community string) ([]string, error) {
	seen := map[string]bool{}
	out := []string{}
	for _, r := range tx.d.residents[community] {
		if !seen[r.Name] {
			seen[r.Name] = true
			out = append(out, r.Name)
		}
	}
	return out, nil
}

func (tx *gridsTx) CreateResidents(_ context.Context, rs ...grids.Resident) error {
	for _, r := range rs {
		if err := exists(tx.d.households, "household", r.CommunityID, r.HouseholdID); err != nil {
			return err
		}
		if err := create(tx, tx.d.residents, "resident", r.CommunityID, r.ID, cloneResident(r)); err != nil {
			return err
		}
	}
	return tx.touched(nil, communitiesOf(rs, func(r grids.Resident) string { return r.CommunityID })...)
}

func (tx *gridsTx) UpdateResident(_ context.Context, r grids.Resident) error {
	if err := exists(tx.d.households, "household", r.CommunityID, r.HouseholdID); err != nil {
		return err
	}
	return tx.touched(replace(tx, tx.d.residents, "resident", r.CommunityID, r.ID, cloneResident(r)), r.CommunityID)
}

// ---- counts ----

func (tx *gridsTx) ResidentHistogram(_ context.Context, community string, scope grids.Scope) ([]grids.CohortCount, error) {
	type key struct {
		sex   grids.Sex
		flags grids.Flags
		born  int
	}
	n := map[key]int{}
	for _, r := range tx.d.residents[community] {
		if !r.Archived() && tx.residentIn(r, "", scope.GridID, scope.DistrictID) {
			n[key{r.Sex, r.Flags(), r.BirthYear}]++
		}
	}
	out := make([]grids.CohortCount, 0, len(n))
	for k, c := range n {
		out = append(out, grids.CohortCount{Sex: k.sex, Flags: k.flags, BirthYear: k.born, N: c})
	}
	return out, nil
}

func (tx *gridsTx) CountHouseholds(_ context.Context, community string, scope grids.Scope) (int, error) {
	n := 0
	for _, h := range tx.d.households[community] {
		if !h.Archived() && tx.buildingIn(community, h.BuildingID, scope.GridID, scope.DistrictID) {
			n++
		}
	}
	return n, nil
}

// ---- helpers ----

// clone copies a list, never returning nil.
func clone[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return slices.Clone(s)
}

func mapSlice[T any](s []T, f func(T) T) []T {
	for i := range s {
		s[i] = f(s[i])
	}
	return s
}

// containsAll reports whether have holds every element of want.
func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}
