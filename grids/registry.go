package grids

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/linli-go/linli/internal/clock"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/service"
	"github.com/linli-go/linli/internal/validate"
)

// Options configures a Registry. Every field is optional.
type Options struct {
	Now    func() time.Time // the clock; time.Now if nil
	NewID  func() string    // record IDs; ULIDs if nil
	Logger *slog.Logger     // discards if nil
	// Bodies checks references to committees, groups and organisations
	// (package governance provides one); nil checks only their form.
	Bodies Bodies
}

// Registry is the community registry service: it validates input, checks
// references and authorization, and persists through a Store.
type Registry struct {
	store  Store
	now    func() time.Time
	newID  func() string
	log    *slog.Logger
	bodies Bodies
	jobs   jobs
	kept   summaries
}

// summaries keeps population summaries by the registry version they were
// computed at: a summary is served again only while its community's
// version stays, which every registry write advances.
type summaries struct {
	sync.Mutex
	m map[summaryKey]keptSummary
}

type summaryKey struct {
	community string
	scope     Scope
	year      int
}

type keptSummary struct {
	version int64
	summary Summary
}

// maxKeptSummaries bounds the summaries kept (a key per community, scope
// and year asked for); past it they are dropped and computed afresh.
const maxKeptSummaries = 4096

func (k *summaries) get(key summaryKey, version int64) (Summary, bool) {
	k.Lock()
	defer k.Unlock()
	e, ok := k.m[key]
	return e.summary, ok && e.version == version
}

func (k *summaries) put(key summaryKey, version int64, s Summary) {
	k.Lock()
	defer k.Unlock()
	if k.m == nil || len(k.m) >= maxKeptSummaries {
		k.m = map[summaryKey]keptSummary{}
	}
	if e, ok := k.m[key]; !ok || e.version <= version {
		k.m[key] = keptSummary{version, s}
	}
}

// NewRegistry returns a Registry over store.
func NewRegistry(store Store, opts Options) *Registry {
	r := &Registry{store: store, now: opts.Now, newID: opts.NewID, log: opts.Logger, bodies: opts.Bodies}
	r.now, r.newID, r.log = service.Defaults(r.now, r.newID, r.log)
	return r
}

func (r *Registry) clock() time.Time { return clock.Normalize(r.now()) }

// kind describes one kind of archivable record to the operations every kind
// shares: update, archive and restore.
type kind[T any] struct {
	name   string
	get    func(Tx, context.Context, string, string) (T, error)
	put    func(Tx, context.Context, T) error
	stamps func(*T) *Stamps
	// beforeArchive refuses, or cascades to, active records that depend on rec.
	beforeArchive func(ctx context.Context, tx Tx, rec T, at time.Time, reason string) error
	// beforeRestore refuses when a record rec depends on is archived, or
	// brings back what archiving rec cascaded to.
	beforeRestore func(ctx context.Context, tx Tx, rec T, now time.Time) error
	// membership says what rec belongs to, for the kinds whose history the
	// registry keeps (buildings in grids, grids in districts).
	membership func(rec T) (kind MembershipKind, member, group string)
}

// member returns what rec belongs to, "" for kinds without history.
func (k kind[T]) member(rec T) (MembershipKind, string, string) {
	if k.membership == nil {
		return "", "", ""
	}
	return k.membership(rec)
}

// ref loads the record a field points to and checks it is active.
func ref[T any](ctx context.Context, tx Tx, k kind[T], community, id, field string) (T, error) {
	rec, err := k.get(tx, ctx, community, id)
	if errors.Is(err, NotFound) {
		return rec, errs.Field(field, "no %s %s in this community", k.name, id)
	}
	if err != nil {
		return rec, err
	}
	if k.stamps(&rec).Archived() {
		return rec, errs.Field(field, "%s %s is archived", k.name, id)
	}
	return rec, nil
}

// change loads an active record, lets edit change it, stamps and stores it.
func change[T any](ctx context.Context, r *Registry, k kind[T], community, id string, edit func(tx Tx, rec *T, now time.Time) error) (T, error) {
	if _, err := authorize(ctx, community, ErrWorkersOnly); err != nil {
		var zero T
		return zero, err
	}
	var out T
	err := r.store.Update(ctx, func(tx Tx) error {
		rec, err := k.get(tx, ctx, community, id)
		if err != nil {
			return err
		}
		if k.stamps(&rec).Archived() {
			return ErrArchived.Refuse("%s %s is archived", k.name, id)
		}
		if err := Precondition(ctx, rec); err != nil {
			return err
		}
		now := r.clock()
		_, _, before := k.member(rec)
		if err := edit(tx, &rec, now); err != nil {
			return err
		}
		k.stamps(&rec).UpdatedAt = now
		if err := k.put(tx, ctx, rec); err != nil {
			return err
		}
		if mk, member, after := k.member(rec); mk != "" {
			if err := r.moveMembership(ctx, tx, community, mk, member, before, after, now); err != nil {
				return err
			}
		}
		out = rec
		return nil
	})
	return out, err
}

func archive[T any](ctx context.Context, r *Registry, k kind[T], community, id string, in ArchiveInput) (T, error) {
	var out T
	p, err := authorize(ctx, community, ErrWorkersOnly)
	if err != nil {
		return out, err
	}
	if err := validate.Struct(in); err != nil {
		return out, err
	}
	err = r.store.Update(ctx, func(tx Tx) error {
		rec, err := k.get(tx, ctx, community, id)
		if err != nil {
			return err
		}
		st := k.stamps(&rec)
		if st.Archived() {
			return ErrArchived.Refuse("%s %s is archived", k.name, id)
		}
		now := r.clock()
		if k.beforeArchive != nil {
			if err := k.beforeArchive(ctx, tx, rec, now, in.Reason); err != nil {
				return err
			}
		}
		st.ArchivedAt, st.ArchiveReason, st.UpdatedAt = &now, in.Reason, now
		if err := k.put(tx, ctx, rec); err != nil {
			return err
		}
		if mk, member, group := k.member(rec); mk != "" {
			if err := r.moveMembership(ctx, tx, community, mk, member, group, "", now); err != nil {
				return err
			}
		}
		out = rec
		return nil
	})
	if err == nil {
		r.log.InfoContext(ctx, "archived", "kind", k.name, "id", id, "community", community, "by", p.ID, "reason", in.Reason)
	}
	return out, err
}

func restore[T any](ctx context.Context, r *Registry, k kind[T], community, id string) (T, error) {
	var out T
	p, err := authorize(ctx, community, ErrWorkersOnly)
	if err != nil {
		return out, err
	}
	err = r.store.Update(ctx, func(tx Tx) error {
		rec, err := k.get(tx, ctx, community, id)
		if err != nil {
			return err
		}
		st := k.stamps(&rec)
		if !st.Archived() {
			return ErrNotArchived.Refuse("%s %s is not archived", k.name, id)
		}
		now := r.clock()
		if k.beforeRestore != nil {
			if err := k.beforeRestore(ctx, tx, rec, now); err != nil {
				return err
			}
		}
		st.ArchivedAt, st.ArchiveReason, st.UpdatedAt = nil, "", now
		if err := k.put(tx, ctx, rec); err != nil {
			return err
		}
		if mk, member, group := k.member(rec); mk != "" {
			if err := r.moveMembership(ctx, tx, community, mk, member, "", group, now); err != nil {
				return err
			}
		}
		out = rec
		return nil
	})
	if err == nil {
		r.log.InfoContext(ctx, "restored", "kind", k.name, "id", id, "community", community, "by", p.ID)
	}
	return out, err
}

// moved checks the new parent of a record that moved to another.
func moved[T any](ctx context.Context, tx Tx, k kind[T], community, from, to, field string) error {
	if from == to {
		return nil
	}
	_, err := ref(ctx, tx, k, community, to, field)
	return err
}

// inUse refuses to archive a record while active records depend on it.
func inUse(name, id string, n int, dependents string) error {
	if n == 0 {
		return nil
	}
	return ErrInUse.Refuse("%s %s has %d active %s; move or archive them first", name, id, n, dependents)
}

// parentActive refuses to restore a record whose parent is archived.
func parentActive[T any](ctx context.Context, tx Tx, k kind[T], community, id, field string) error {
	_, err := ref(ctx, tx, k, community, id, field)
	if errs.CodeOf(err) == errs.Invalid {
		return errs.E(errs.FailedPrecondition, "restore the %s first: %w", k.name, err)
	}
	return err
}

var (
	workerKind = kind[Worker]{
		name: "worker", get: Tx.Worker, put: Tx.UpdateWorker,
		stamps: func(w *Worker) *Stamps { return &w.Stamps },
		beforeArchive: func(ctx context.Context, tx Tx, w Worker, _ time.Time, _ string) error {
			_, n, err := tx.FindDistricts(ctx, DistrictFilter{CommunityID: w.CommunityID, WorkerID: w.ID, Page: Page{Limit: 1}})
			if err != nil {
				return err
			}
			return inUse("worker", w.ID, n, "districts to head")
		},
	}
	districtKind = kind[District]{
		name: "district", get: Tx.District, put: Tx.UpdateDistrict,
		stamps: func(d *District) *Stamps { return &d.Stamps },
		beforeArchive: func(ctx context.Context, tx Tx, d District, _ time.Time, _ string) error {
			_, n, err := tx.FindGrids(ctx, GridFilter{CommunityID: d.CommunityID, DistrictID: d.ID, Page: Page{Limit: 1}})
			if err != nil {
				return err
			}
			return inUse("district", d.ID, n, "grids")
		},
	}
	gridKind = kind[Grid]{
		name: "grid", get: Tx.Grid, put: Tx.UpdateGrid,
		stamps: func(g *Grid) *Stamps { return &g.Stamps },
		beforeArchive: func(ctx context.Context, tx Tx, g Grid, _ time.Time, _ string) error {
			_, n, err := tx.FindBuildings(ctx, BuildingFilter{CommunityID: g.CommunityID, GridID: g.ID, Page: Page{Limit: 1}})
			if err != nil {
				return err
			}
			return inUse("grid", g.ID, n, "buildings")
		},
		beforeRestore: func(ctx context.Context, tx Tx, g Grid, _ time.Time) error {
			return parentActive(ctx, tx, districtKind, g.CommunityID, g.DistrictID, "district_id")
		},
		membership: func(g Grid) (MembershipKind, string, string) { return GridInDistrict, g.ID, g.DistrictID },
	}
	buildingKind = kind[Building]{
		name: "building", get: Tx.Building, put: Tx.UpdateBuilding,
		stamps: func(b *Building) *Stamps { return &b.Stamps },
		beforeArchive: func(ctx context.Context, tx Tx, b Building, _ time.Time, _ string) error {
			_, n, err := tx.FindHouseholds(ctx, HouseholdFilter{CommunityID: b.CommunityID, BuildingID: b.ID, Page: Page{Limit: 1}})
			if err != nil {
				return err
			}
			return inUse("building", b.ID, n, "households")
		},
		beforeRestore: func(ctx context.Context, tx Tx, b Building, _ time.Time) error {
			if b.GridID == "" {
				return nil
			}
			return parentActive(ctx, tx, gridKind, b.CommunityID, b.GridID, "grid_id")
		},
		membership: func(b Building) (MembershipKind, string, string) { return BuildingInGrid, b.ID, b.GridID },
	}
	householdKind = kind[Household]{
		name: "household", get: Tx.Household, put: Tx.UpdateHousehold,
		stamps: func(h *Household) *Stamps { return &h.Stamps },
		// The family moved out: its residents go with it, stamped alike so a
		// restore can bring back exactly them.
		beforeArchive: func(ctx context.Context, tx Tx, h Household, at time.Time, reason string) error {
			members, _, err := tx.FindResidents(ctx, ResidentFilter{CommunityID: h.CommunityID, HouseholdID: h.ID})
			if err != nil {
				return err
			}
			for _, m := range members {
				m.ArchivedAt, m.ArchiveReason, m.UpdatedAt = &at, reason, at
				if err := tx.UpdateResident(ctx, m); err != nil {
					return err
				}
			}
			return nil
		},
		beforeRestore: func(ctx context.Context, tx Tx, h Household, now time.Time) error {
			if err := parentActive(ctx, tx, buildingKind, h.CommunityID, h.BuildingID, "building_id"); err != nil {
				return err
			}
			members, _, err := tx.FindResidents(ctx, ResidentFilter{CommunityID: h.CommunityID, HouseholdID: h.ID, State: Archived})
			if err != nil {
				return err
			}
			for _, m := range members {
				if !m.ArchivedAt.Equal(*h.ArchivedAt) || m.ArchiveReason != h.ArchiveReason {
					continue // archived on its own, before the household
				}
				m.ArchivedAt, m.ArchiveReason, m.UpdatedAt = nil, "", now
				if err := tx.UpdateResident(ctx, m); err != nil {
					return err
				}
			}
			return nil
		},
	}
	residentKind = kind[Resident]{
		name: "resident", get: Tx.Resident, put: Tx.UpdateResident,
		stamps: func(r *Resident) *Stamps { return &r.Stamps },
		beforeRestore: func(ctx context.Context, tx Tx, r Resident, _ time.Time) error {
			return parentActive(ctx, tx, householdKind, r.CommunityID, r.HouseholdID, "household_id")
		},
	}
)

// checkFilter refuses an unknown state and pages out of bounds, and applies
// the default limit.
func checkFilter(s State, p Page) (Page, error) {
	switch s {
	case "", Active, Archived, AnyState:
	default:
		return p, errs.Field("state", "must be %s, %s or %s", Active, Archived, AnyState)
	}
	return checkPage(p)
}

// checkPage applies the default limit and refuses pages out of bounds.
func checkPage(p Page) (Page, error) { return p.Checked() }

// community checks that the community exists.
func community(ctx context.Context, tx Tx, id string) error {
	_, err := tx.Community(ctx, id)
	return err
}

// sortedIDs returns a sorted copy, never nil: lists are stored in one order
// so records read back exactly as written.
func sorted[T ~string](s []T) []T {
	out := slices.Clone(s)
	if out == nil {
		out = []T{}
	}
	slices.Sort(out)
	return out
}

// ---- communities ----

// CreateCommunity creates a tenant. Only admins may.
func (r *Registry) CreateCommunity(ctx context.Context, in CommunityInput) (Community, error) {
	if _, err := authorize(ctx, "", ErrAdminsOnly); err != nil {
		return Community{}, err
	}
	now := r.clock()
	c := Community{ID: r.newID(), Name: in.Name, Address: in.Address, CreatedAt: now, UpdatedAt: now}
	if err := c.Validate(); err != nil {
		return Community{}, err
	}
	err := r.store.Update(ctx, func(tx Tx) error { return tx.CreateCommunity(ctx, c) })
	return c, err
}

// Community returns a community to its members.
func (r *Registry) Community(ctx context.Context, id string) (Community, error) {
	if _, err := authorize(ctx, id, ErrNotMember); err != nil {
		return Community{}, err
	}
	var c Community
	err := r.store.View(ctx, func(tx Tx) (err error) {
		c, err = tx.Community(ctx, id)
		return err
	})
	return c, err
}

// FindCommunities lists communities. Only admins may.
func (r *Registry) FindCommunities(ctx context.Context, f CommunityFilter) ([]Community, int, error) {
	if _, err := authorize(ctx, "", ErrAdminsOnly); err != nil {
		return nil, 0, err
	}
	var err error
	if f.Page, err = checkPage(f.Page); err != nil {
		return nil, 0, err
	}
	var out []Community
	var n int
	err = r.store.View(ctx, func(tx Tx) (err error) {
		out, n, err = tx.FindCommunities(ctx, f)
		return err
	})
	return out, n, err
}

// UpdateCommunity changes a community's name or address.
func (r *Registry) UpdateCommunity(ctx context.Context, id string, u CommunityUpdate) (Community, error) {
	if _, err := authorize(ctx, id, ErrWorkersOnly); err != nil {
		return Community{}, err
	}
	var out Community
	err := r.store.Update(ctx, func(tx Tx) error {
		c, err := tx.Community(ctx, id)
		if err != nil {
			return err
		}
		if err := Precondition(ctx, c); err != nil {
			return err
		}
		u.apply(&c)
		c.UpdatedAt = r.clock()
		if err := c.Validate(); err != nil {
			return err
		}
		out = c
		return tx.UpdateCommunity(ctx, c)
	})
	return out, err
}

// ---- workers ----

// CreateWorker adds a community worker.
func (r *Registry) CreateWorker(ctx context.Context, communityID string, in WorkerInput) (Worker, error) {
	now := r.clock()
	w := Worker{ID: r.newID(), CommunityID: communityID, Name: in.Name, Phone: in.Phone, Stamps: Stamps{CreatedAt: now, UpdatedAt: now}}
	return add(ctx, r, communityID, &w, w.Validate, func(tx Tx) error { return tx.CreateWorker(ctx, w) })
}

// Worker returns a community worker.
func (r *Registry) Worker(ctx context.Context, communityID, id string) (Worker, error) {
	return get(ctx, r, workerKind, communityID, id)
}

// FindWorkers lists a community's workers.
func (r *Registry) FindWorkers(ctx context.Context, f WorkerFilter) ([]Worker, int, error) {
	return find(ctx, r, f.CommunityID, f.State, &f.Page, func(tx Tx) ([]Worker, int, error) { return tx.FindWorkers(ctx, f) })
}

// UpdateWorker changes a worker's name or phone.
func (r *Registry) UpdateWorker(ctx context.Context, communityID, id string, u WorkerUpdate) (Worker, error) {
	return change(ctx, r, workerKind, communityID, id, func(_ Tx, w *Worker, _ time.Time) error {
		u.apply(w)
		return w.Validate()
	})
}

// ArchiveWorker archives a worker who heads no district.
func (r *Registry) ArchiveWorker(ctx context.Context, communityID, id string, in ArchiveInput) (Worker, error) {
	return archive(ctx, r, workerKind, communityID, id, in)
}

// RestoreWorker brings back an archived worker.
func (r *Registry) RestoreWorker(ctx context.Context, communityID, id string) (Worker, error) {
	return restore(ctx, r, workerKind, communityID, id)
}

// add runs what every Create shares: a worker of the community acts, rec
// passes check, and store writes it in one transaction once the community
// is known to exist.
func add[T any](ctx context.Context, r *Registry, communityID string, rec *T, check func() error, store func(tx Tx) error) (T, error) {
	var zero T
	if _, err := authorize(ctx, communityID, ErrWorkersOnly); err != nil {
		return zero, err
	}
	if err := check(); err != nil {
		return zero, err
	}
	err := r.store.Update(ctx, func(tx Tx) error {
		if err := community(ctx, tx, communityID); err != nil {
			return err
		}
		return store(tx)
	})
	if err != nil {
		return zero, err
	}
	return *rec, nil
}

// get returns one record to the community's members.
func get[T any](ctx context.Context, r *Registry, k kind[T], communityID, id string) (T, error) {
	var rec T
	if _, err := authorize(ctx, communityID, ErrNotMember); err != nil {
		return rec, err
	}
	err := r.store.View(ctx, func(tx Tx) (err error) {
		rec, err = k.get(tx, ctx, communityID, id)
		return err
	})
	return rec, err
}

// find runs a Find for the community's members.
func find[T any](ctx context.Context, r *Registry, communityID string, state State, page *Page, run func(Tx) ([]T, int, error)) ([]T, int, error) {
	if _, err := authorize(ctx, communityID, ErrNotMember); err != nil {
		return nil, 0, err
	}
	var err error
	if *page, err = checkFilter(state, *page); err != nil {
		return nil, 0, err
	}
	var out []T
	var n int
	err = r.store.View(ctx, func(tx Tx) (err error) {
		out, n, err = run(tx)
		return err
	})
	return out, n, err
}

// ---- districts ----

// checkWorkers checks that a district's workers are active workers of its
// community.
func checkWorkers(ctx context.Context, tx Tx, d District) error {
	for i, w := range d.WorkerIDs {
		if _, err := ref(ctx, tx, workerKind, d.CommunityID, w, fieldName("worker_ids", i)); err != nil {
			return err
		}
	}
	return nil
}

// CreateDistrict adds a district, headed by up to two workers.
func (r *Registry) CreateDistrict(ctx context.Context, communityID string, in DistrictInput) (District, error) {
	now := r.clock()
	d := District{ID: r.newID(), CommunityID: communityID, Name: in.Name, WorkerIDs: in.WorkerIDs, Stamps: Stamps{CreatedAt: now, UpdatedAt: now}}
	return add(ctx, r, communityID, &d, func() error {
		if err := d.Validate(); err != nil {
			return err
		}
		d.WorkerIDs = sorted(d.WorkerIDs)
		return nil
	}, func(tx Tx) error {
		if err := checkWorkers(ctx, tx, d); err != nil {
			return err
		}
		return tx.CreateDistrict(ctx, d)
	})
}

// District returns a district.
func (r *Registry) District(ctx context.Context, communityID, id string) (District, error) {
	return get(ctx, r, districtKind, communityID, id)
}

// FindDistricts lists a community's districts.
func (r *Registry) FindDistricts(ctx context.Context, f DistrictFilter) ([]District, int, error) {
	return find(ctx, r, f.CommunityID, f.State, &f.Page, func(tx Tx) ([]District, int, error) { return tx.FindDistricts(ctx, f) })
}

// UpdateDistrict renames a district or changes its workers.
func (r *Registry) UpdateDistrict(ctx context.Context, communityID, id string, u DistrictUpdate) (District, error) {
	return change(ctx, r, districtKind, communityID, id, func(tx Tx, d *District, _ time.Time) error {
		u.apply(d)
		if err := d.Validate(); err != nil {
			return err
		}
		d.WorkerIDs = sorted(d.WorkerIDs)
		return checkWorkers(ctx, tx, *d)
	})
}

// ArchiveDistrict archives a district that has no active grids.
func (r *Registry) ArchiveDistrict(ctx context.Context, communityID, id string, in ArchiveInput) (District, error) {
	return archive(ctx, r, districtKind, communityID, id, in)
}

// RestoreDistrict brings back an archived district.
func (r *Registry) RestoreDistrict(ctx context.Context, communityID, id string) (District, error) {
	return restore(ctx, r, districtKind, communityID, id)
}

// ---- grids ----

// CreateGrid adds a grid to a district.
func (r *Registry) CreateGrid(ctx context.Context, communityID string, in GridInput) (Grid, error) {
	now := r.clock()
	g := Grid{ID: r.newID(), CommunityID: communityID, DistrictID: in.DistrictID, Name: in.Name, Stamps: Stamps{CreatedAt: now, UpdatedAt: now}}
	return add(ctx, r, communityID, &g, g.Validate, func(tx Tx) error {
		if _, err := ref(ctx, tx, districtKind, communityID, g.DistrictID, "district_id"); err != nil {
			return err
		}
		if err := tx.CreateGrid(ctx, g); err != nil {
			return err
		}
		return r.moveMembership(ctx, tx, communityID, GridInDistrict, g.ID, "", g.DistrictID, now)
	})
}

// Grid returns a grid.
func (r *Registry) Grid(ctx context.Context, communityID, id string) (Grid, error) {
	return get(ctx, r, gridKind, communityID, id)
}

// FindGrids lists a community's grids.
func (r *Registry) FindGrids(ctx context.Context, f GridFilter) ([]Grid, int, error) {
	return find(ctx, r, f.CommunityID, f.State, &f.Page, func(tx Tx) ([]Grid, int, error) { return tx.FindGrids(ctx, f) })
}

// UpdateGrid renames a grid or moves it to another district.
func (r *Registry) UpdateGrid(ctx context.Context, communityID, id string, u GridUpdate) (Grid, error) {
	return change(ctx, r, gridKind, communityID, id, func(tx Tx, g *Grid, _ time.Time) error {
		old := g.DistrictID
		u.apply(g)
		if err := g.Validate(); err != nil {
			return err
		}
		return moved(ctx, tx, districtKind, communityID, old, g.DistrictID, "district_id")
	})
}

// ArchiveGrid archives a grid that holds no active buildings.
func (r *Registry) ArchiveGrid(ctx context.Context, communityID, id string, in ArchiveInput) (Grid, error) {
	return archive(ctx, r, gridKind, communityID, id, in)
}

// RestoreGrid brings back an archived grid whose district is active.
func (r *Registry) RestoreGrid(ctx context.Context, communityID, id string) (Grid, error) {
	return restore(ctx, r, gridKind, communityID, id)
}

// ---- buildings ----

// checkBuildingRefs checks a building's grid and the neighbours in added.
func checkBuildingRefs(ctx context.Context, tx Tx, b Building, gridChanged bool, added []string) error {
	if gridChanged && b.GridID != "" {
		if _, err := ref(ctx, tx, gridKind, b.CommunityID, b.GridID, "grid_id"); err != nil {
			return err
		}
	}
	for _, n := range added {
		if _, err := ref(ctx, tx, buildingKind, b.CommunityID, n, fieldName("neighbours", slices.Index(b.Neighbours, n))); err != nil {
			return err
		}
	}
	return nil
}

// CreateBuilding adds a building, optionally to a grid and with neighbours.
func (r *Registry) CreateBuilding(ctx context.Context, communityID string, in BuildingInput) (Building, error) {
	now := r.clock()
	b := Building{
		ID: r.newID(), CommunityID: communityID, GridID: in.GridID, Name: in.Name, Address: in.Address,
		Location: in.Location, Neighbours: in.Neighbours, Stamps: Stamps{CreatedAt: now, UpdatedAt: now},
	}
	return add(ctx, r, communityID, &b, func() error {
		if err := b.Validate(); err != nil {
			return err
		}
		b.Neighbours = sorted(b.Neighbours)
		return nil
	}, func(tx Tx) error {
		if err := checkBuildingRefs(ctx, tx, b, true, b.Neighbours); err != nil {
			return err
		}
		if err := tx.CreateBuildings(ctx, b); err != nil {
			return err
		}
		return r.moveMembership(ctx, tx, communityID, BuildingInGrid, b.ID, "", b.GridID, now)
	})
}

// Building returns a building with its neighbours.
func (r *Registry) Building(ctx context.Context, communityID, id string) (Building, error) {
	return get(ctx, r, buildingKind, communityID, id)
}

// FindBuildings lists a community's buildings.
func (r *Registry) FindBuildings(ctx context.Context, f BuildingFilter) ([]Building, int, error) {
	return find(ctx, r, f.CommunityID, f.State, &f.Page, func(tx Tx) ([]Building, int, error) { return tx.FindBuildings(ctx, f) })
}

// UpdateBuilding changes a building; new neighbours must be active buildings.
func (r *Registry) UpdateBuilding(ctx context.Context, communityID, id string, u BuildingUpdate) (Building, error) {
	return change(ctx, r, buildingKind, communityID, id, func(tx Tx, b *Building, _ time.Time) error {
		oldGrid, oldNeighbours := b.GridID, b.Neighbours
		u.apply(b)
		if err := b.Validate(); err != nil {
			return err
		}
		b.Neighbours = sorted(b.Neighbours)
		var added []string
		for _, n := range b.Neighbours {
			if !slices.Contains(oldNeighbours, n) {
				added = append(added, n)
			}
		}
		return checkBuildingRefs(ctx, tx, *b, b.GridID != oldGrid, added)
	})
}

// ArchiveBuilding archives a building with no active households.
func (r *Registry) ArchiveBuilding(ctx context.Context, communityID, id string, in ArchiveInput) (Building, error) {
	return archive(ctx, r, buildingKind, communityID, id, in)
}

// RestoreBuilding brings back an archived building whose grid is active.
func (r *Registry) RestoreBuilding(ctx context.Context, communityID, id string) (Building, error) {
	return restore(ctx, r, buildingKind, communityID, id)
}

// ---- households and residents: personal data ----

// access is what personal data a principal may see: everything, or one
// household's.
type access struct {
	all       bool
	household string
}

// personalAccess applies the personal-data rule: workers see every
// household, other members only their own.
func personalAccess(ctx context.Context, tx Tx, communityID string) (access, error) {
	p, err := authorize(ctx, communityID, ErrNotMember)
	if err != nil {
		return access{}, err
	}
	if p.Administers(communityID) {
		return access{all: true}, nil
	}
	forbidden := forbidden(ErrPersonal)
	if p.ResidentID == "" {
		return access{}, forbidden
	}
	me, err := tx.Resident(ctx, communityID, p.ResidentID)
	if errors.Is(err, NotFound) || err == nil && me.Archived() {
		return access{}, forbidden
	}
	if err != nil {
		return access{}, err
	}
	return access{household: me.HouseholdID}, nil
}

func (a access) allows(household string) error {
	if a.all || a.household == household {
		return nil
	}
	return forbidden(ErrPersonal)
}

// findPersonal runs a Find over personal data: workers see every
// household's, other members only their own (household narrows the filter).
func findPersonal[T any](ctx context.Context, r *Registry, communityID string, state State, page *Page, household *string, run func(Tx) ([]T, int, error)) ([]T, int, error) {
	var err error
	if *page, err = checkFilter(state, *page); err != nil {
		return nil, 0, err
	}
	var out []T
	var n int
	err = r.store.View(ctx, func(tx Tx) (err error) {
		a, err := personalAccess(ctx, tx, communityID)
		if err != nil {
			return err
		}
		if err := a.narrow(household); err != nil {
			return err
		}
		out, n, err = run(tx)
		return err
	})
	return out, n, err
}

// narrow restricts a household filter to what a may see.
func (a access) narrow(filter *string) error {
	if a.all {
		return nil
	}
	if *filter != "" && *filter != a.household {
		return a.allows(*filter)
	}
	*filter = a.household
	return nil
}

// ---- households ----

// CreateHousehold adds a household to a building.
func (r *Registry) CreateHousehold(ctx context.Context, communityID string, in HouseholdInput) (Household, error) {
	now := r.clock()
	h := Household{ID: r.newID(), CommunityID: communityID, BuildingID: in.BuildingID, Unit: in.Unit, Size: in.Size,
		Interests: in.Interests, Needs: in.Needs, Stamps: Stamps{CreatedAt: now, UpdatedAt: now}}
	return add(ctx, r, communityID, &h, func() error {
		if err := h.Validate(); err != nil {
			return err
		}
		h.normalize()
		return nil
	}, func(tx Tx) error {
		if _, err := ref(ctx, tx, buildingKind, communityID, h.BuildingID, "building_id"); err != nil {
			return err
		}
		return tx.CreateHouseholds(ctx, h)
	})
}

// Household returns a household to workers, or to its own residents.
func (r *Registry) Household(ctx context.Context, communityID, id string) (Household, error) {
	var h Household
	err := r.store.View(ctx, func(tx Tx) error {
		a, err := personalAccess(ctx, tx, communityID)
		if err != nil {
			return err
		}
		if err := a.allows(id); err != nil {
			return err
		}
		h, err = tx.Household(ctx, communityID, id)
		return err
	})
	return h, err
}

// FindHouseholds lists households: all of them to workers, their own to
// residents.
func (r *Registry) FindHouseholds(ctx context.Context, f HouseholdFilter) ([]Household, int, error) {
	return findPersonal(ctx, r, f.CommunityID, f.State, &f.Page, &f.ID, func(tx Tx) ([]Household, int, error) { return tx.FindHouseholds(ctx, f) })
}

// UpdateHousehold changes a household; a new building moves it.
func (r *Registry) UpdateHousehold(ctx context.Context, communityID, id string, u HouseholdUpdate) (Household, error) {
	return change(ctx, r, householdKind, communityID, id, func(tx Tx, h *Household, _ time.Time) error {
		old := h.BuildingID
		u.apply(h)
		if err := h.Validate(); err != nil {
			return err
		}
		h.normalize()
		return moved(ctx, tx, buildingKind, communityID, old, h.BuildingID, "building_id")
	})
}

// ArchiveHousehold archives a household and its active residents with it.
func (r *Registry) ArchiveHousehold(ctx context.Context, communityID, id string, in ArchiveInput) (Household, error) {
	return archive(ctx, r, householdKind, communityID, id, in)
}

// RestoreHousehold brings back a household and the residents archived with it.
func (r *Registry) RestoreHousehold(ctx context.Context, communityID, id string) (Household, error) {
	return restore(ctx, r, householdKind, communityID, id)
}

// ---- residents ----

// normalize puts a resident's lists in their stored order.
func (res *Resident) normalize() {
	res.Interests = sorted(res.Interests)
	res.Needs = sorted(res.Needs)
	res.Vulnerabilities = res.Flags().Vulnerabilities()
}

// CreateResident registers a resident in a household.
func (r *Registry) CreateResident(ctx context.Context, communityID string, in ResidentInput) (Resident, error) {
	now := r.clock()
	res := Resident{
		ID: r.newID(), CommunityID: communityID, HouseholdID: in.HouseholdID, Name: in.Name, Sex: in.Sex,
		BirthYear: in.BirthYear, Phone: in.Phone, Interests: in.Interests, Needs: in.Needs,
		Vulnerabilities: in.Vulnerabilities, Stamps: Stamps{CreatedAt: now, UpdatedAt: now},
	}
	return add(ctx, r, communityID, &res, func() error {
		if err := res.Validate(now.Year()); err != nil {
			return err
		}
		res.normalize()
		return nil
	}, func(tx Tx) error {
		if _, err := ref(ctx, tx, householdKind, communityID, res.HouseholdID, "household_id"); err != nil {
			return err
		}
		return tx.CreateResidents(ctx, res)
	})
}

// Resident returns a resident to workers, or to members of their household.
func (r *Registry) Resident(ctx context.Context, communityID, id string) (Resident, error) {
	var res Resident
	err := r.store.View(ctx, func(tx Tx) error {
		a, err := personalAccess(ctx, tx, communityID)
		if err != nil {
			return err
		}
		if res, err = tx.Resident(ctx, communityID, id); err != nil {
			if !a.all && errors.Is(err, NotFound) {
				return forbidden(ErrPersonal)
			}
			return err
		}
		return a.allows(res.HouseholdID)
	})
	if err != nil {
		return Resident{}, err
	}
	return res, nil
}

// FindResidents lists residents: all of them to workers, their own
// household's to residents.
func (r *Registry) FindResidents(ctx context.Context, f ResidentFilter) ([]Resident, int, error) {
	return findPersonal(ctx, r, f.CommunityID, f.State, &f.Page, &f.HouseholdID, func(tx Tx) ([]Resident, int, error) { return tx.FindResidents(ctx, f) })
}

// ResidentNames returns the distinct names of the community's residents,
// archived ones too (workers): what a public text must not show (the
// bulletin hides every one). One light read, whatever the registry holds.
func (r *Registry) ResidentNames(ctx context.Context, communityID string) ([]string, error) {
	var out []string
	err := r.store.View(ctx, func(tx Tx) error {
		a, err := personalAccess(ctx, tx, communityID)
		if err != nil {
			return err
		}
		if !a.all {
			return forbidden(ErrPersonal)
		}
		out, err = tx.ResidentNames(ctx, communityID)
		return err
	})
	return out, err
}

// UpdateResident changes a resident; a new household moves them.
func (r *Registry) UpdateResident(ctx context.Context, communityID, id string, u ResidentUpdate) (Resident, error) {
	return change(ctx, r, residentKind, communityID, id, func(tx Tx, res *Resident, now time.Time) error {
		old := res.HouseholdID
		u.apply(res)
		if err := res.Validate(now.Year()); err != nil {
			return err
		}
		res.normalize()
		return moved(ctx, tx, householdKind, communityID, old, res.HouseholdID, "household_id")
	})
}

// ArchiveResident archives a resident (moved out, deceased …); the record
// stays.
func (r *Registry) ArchiveResident(ctx context.Context, communityID, id string, in ArchiveInput) (Resident, error) {
	return archive(ctx, r, residentKind, communityID, id, in)
}

// RestoreResident brings back an archived resident whose household is active.
func (r *Registry) RestoreResident(ctx context.Context, communityID, id string) (Resident, error) {
	return restore(ctx, r, residentKind, communityID, id)
}

// ---- summary ----

// SummaryOptions chooses the scope and year of a Summary.
type SummaryOptions struct {
	Scope
	Year int // ages are counted as of this year; the current year if 0
}

// Version is the community's registry version (Tx.RegistryVersion): every
// write of its districts, grids, buildings, households or residents
// advances it, from any server, so what was computed of them at a
// version stays current while it does. Members read it.
func (r *Registry) Version(ctx context.Context, communityID string) (int64, error) {
	if _, err := authorize(ctx, communityID, ErrNotMember); err != nil {
		return 0, err
	}
	var v int64
	err := r.store.View(ctx, func(tx Tx) (err error) {
		v, err = tx.RegistryVersion(ctx, communityID)
		return err
	})
	return v, err
}

// Summary returns the population table for a community, district or grid.
// Every member of the community may read it: it holds no personal data.
func (r *Registry) Summary(ctx context.Context, communityID string, opts SummaryOptions) (Summary, error) {
	if _, err := authorize(ctx, communityID, ErrNotMember); err != nil {
		return Summary{}, err
	}
	if opts.Year == 0 {
		opts.Year = r.clock().Year()
	}
	if opts.Year < EarliestBirthYear || opts.Year > 9999 {
		return Summary{}, errs.Field("year", "must be between %d and 9999", EarliestBirthYear)
	}
	key := summaryKey{communityID, opts.Scope, opts.Year}
	var s Summary
	var version int64
	fresh := false
	err := r.store.View(ctx, func(tx Tx) error {
		s = Summary{CommunityID: communityID, Scope: opts.Scope, Year: opts.Year}
		var err error
		if version, err = tx.RegistryVersion(ctx, communityID); err != nil {
			return err
		}
		if kept, ok := r.kept.get(key, version); ok {
			s, fresh = kept, false
			return nil
		}
		fresh = true
		counts, into := summaryCounts(opts.Year, &s)
		if opts.DistrictID != "" {
			if _, err := tx.District(ctx, communityID, opts.DistrictID); err != nil {
				return err
			}
		}
		if opts.GridID != "" {
			if _, err := tx.Grid(ctx, communityID, opts.GridID); err != nil {
				return err
			}
		}
		hist, err := tx.ResidentHistogram(ctx, communityID, opts.Scope)
		if err != nil {
			return err
		}
		for _, h := range hist {
			for i, c := range counts {
				if c.Match(h.Sex, h.Flags, h.BirthYear) {
					*into[i] += h.N
				}
			}
		}
		s.Households, err = tx.CountHouseholds(ctx, communityID, opts.Scope)
		return err
	})
	if err != nil {
		return Summary{}, err
	}
	if fresh {
		s.ShareElderlyOrDisabled = share(s.ElderlyOrDisabled, s.Residents.Total)
		r.kept.put(key, version, s)
	}
	return s, nil
}

func fieldName(list string, i int) string { return fmt.Sprintf("%s[%d]", list, i) }
