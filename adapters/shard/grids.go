package shard

import (
	"context"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
)

// Grids returns the registry's store, routed by community. Listing
// communities reads every shard.
func (r *Router) Grids() grids.Store { return gridsStore{r} }

type gridsStore struct{ rt *Router }

var gridsDomain = domain[grids.Tx]{
	name: "registry",
	of:   func(s Shard) store[grids.Tx] { return s.Grids },
}

func (s gridsStore) domain() domain[grids.Tx] {
	d := gridsDomain
	d.wrap = func(inner grids.Tx, r *route) grids.Tx { return &gridsTx{tx: inner, r: r, rt: s.rt} }
	d.across = func(r *route) grids.Tx { return &gridsTx{r: r, rt: s.rt} }
	return d
}

func (s gridsStore) View(ctx context.Context, fn func(grids.Tx) error) error {
	return run(ctx, s.rt, s.domain(), false, fn)
}

func (s gridsStore) Update(ctx context.Context, fn func(grids.Tx) error) error {
	return run(ctx, s.rt, s.domain(), true, fn)
}

// findCommunities lists the communities of every shard as one store
// would: in ID order, paged, each shard read in a transaction of its own.
// Every shard gives all its communities of the filter (a deployment has
// hundreds or thousands), and the page is cut from them here.
// held lists the communities the shard named holds.
func (r *Router) held(ctx context.Context, name string, f grids.CommunityFilter) ([]grids.Community, error) {
	s := r.shards[name]
	if s.Grids == nil {
		return nil, nil
	}
	var cs []grids.Community
	err := s.Grids.View(ctx, func(tx grids.Tx) error {
		var err error
		cs, _, err = tx.FindCommunities(ctx, f)
		return err
	})
	return cs, err
}

// Adopt places each community a shard holds and the directory does not
// know on that shard: for a database that becomes a shard (the first of
// a deployment that outgrew one database), whose communities were made
// before there was a directory. It returns how many it placed.
func (r *Router) Adopt(ctx context.Context) (int, error) {
	placed, err := r.dir.Placed(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, name := range r.names {
		cs, err := r.held(ctx, name, grids.CommunityFilter{Page: grids.Page{NoTotal: true}})
		if err != nil {
			return n, err
		}
		for _, c := range cs {
			if _, ok := placed[c.ID]; ok {
				continue
			}
			if _, err := r.dir.Place(ctx, c.ID, name); err != nil {
				return n, err
			}
			placed[c.ID] = name
			n++
		}
	}
	return n, nil
}

func (r *Router) findCommunities(ctx context.Context, f grids.CommunityFilter) ([]grids.Community, int, error) {
	page := f.Page
	each := grids.CommunityFilter{Name: f.Name, Page: grids.Page{NoTotal: true}}
	if page.After != "" {
		if _, err := r.dir.Shard(ctx, page.After); err != nil {
			if errs.CodeOf(err) == errs.NotFound {
				return nil, 0, errs.E(errs.Invalid, "invalid after: names no record of this list: %s", page.After)
			}
			return nil, 0, err
		}
	}
	// A community is listed from the shard the directory places it on: a
	// move has it on two for a while.
	placed, err := r.dir.Placed(ctx)
	if err != nil {
		return nil, 0, err
	}
	var all []grids.Community
	for _, name := range r.names {
		cs, err := r.held(ctx, name, each)
		if err != nil {
			return nil, 0, err
		}
		for _, c := range cs {
			if on, ok := placed[c.ID]; !ok || on == name {
				all = append(all, c)
			}
		}
	}
	slices.SortFunc(all, func(a, b grids.Community) int { return strings.Compare(a.ID, b.ID) })
	total := len(all)
	if page.NoTotal {
		total = -1
	}
	if page.After != "" {
		all = all[sort.Search(len(all), func(i int) bool { return all[i].ID > page.After }):]
	}
	all = all[min(page.Offset, len(all)):]
	if page.Limit > 0 && len(all) > page.Limit {
		all = all[:page.Limit]
	}
	return all, total, nil
}

// gridsTx checks each call against its route before the shard's Tx
// makes it.
type gridsTx struct {
	tx grids.Tx
	r  *route
	rt *Router
}

var _ grids.Tx = (*gridsTx)(nil)

func (x *gridsTx) Community(ctx context.Context, id string) (_ grids.Community, err error) {
	if err = x.r.at(id); err != nil {
		return
	}
	return x.tx.Community(ctx, id)
}

func (x *gridsTx) FindCommunities(ctx context.Context, f grids.CommunityFilter) (_ []grids.Community, _ int, err error) {
	if err = x.r.acrossAll(); err != nil {
		return
	}
	return x.rt.findCommunities(ctx, f)
}

func (x *gridsTx) CreateCommunity(ctx context.Context, c grids.Community) (err error) {
	if err = x.r.at(c.ID); err != nil {
		return
	}
	return x.tx.CreateCommunity(ctx, c)
}

func (x *gridsTx) UpdateCommunity(ctx context.Context, c grids.Community) (err error) {
	if err = x.r.at(c.ID); err != nil {
		return
	}
	return x.tx.UpdateCommunity(ctx, c)
}

func (x *gridsTx) Worker(ctx context.Context, community string, id string) (_ grids.Worker, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.Worker(ctx, community, id)
}

func (x *gridsTx) FindWorkers(ctx context.Context, f grids.WorkerFilter) (_ []grids.Worker, _ int, err error) {
	if err = x.r.at(f.CommunityID); err != nil {
		return
	}
	return x.tx.FindWorkers(ctx, f)
}

func (x *gridsTx) CreateWorker(ctx context.Context, w grids.Worker) (err error) {
	if err = x.r.at(w.CommunityID); err != nil {
		return
	}
	return x.tx.CreateWorker(ctx, w)
}

func (x *gridsTx) UpdateWorker(ctx context.Context, w grids.Worker) (err error) {
	if err = x.r.at(w.CommunityID); err != nil {
		return
	}
	return x.tx.UpdateWorker(ctx, w)
}

func (x *gridsTx) District(ctx context.Context, community string, id string) (_ grids.District, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.District(ctx, community, id)
}

func (x *gridsTx) FindDistricts(ctx context.Context, f grids.DistrictFilter) (_ []grids.District, _ int, err error) {
	if err = x.r.at(f.CommunityID); err != nil {
		return
	}
	return x.tx.FindDistricts(ctx, f)
}

func (x *gridsTx) CreateDistrict(ctx context.Context, d grids.District) (err error) {
	if err = x.r.at(d.CommunityID); err != nil {
		return
	}
	return x.tx.CreateDistrict(ctx, d)
}

func (x *gridsTx) UpdateDistrict(ctx context.Context, d grids.District) (err error) {
	if err = x.r.at(d.CommunityID); err != nil {
		return
	}
	return x.tx.UpdateDistrict(ctx, d)
}

func (x *gridsTx) Grid(ctx context.Context, community string, id string) (_ grids.Grid, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.Grid(ctx, community, id)
}

func (x *gridsTx) FindGrids(ctx context.Context, f grids.GridFilter) (_ []grids.Grid, _ int, err error) {
	if err = x.r.at(f.CommunityID); err != nil {
		return
	}
	return x.tx.FindGrids(ctx, f)
}

func (x *gridsTx) CreateGrid(ctx context.Context, g grids.Grid) (err error) {
	if err = x.r.at(g.CommunityID); err != nil {
		return
	}
	return x.tx.CreateGrid(ctx, g)
}

func (x *gridsTx) UpdateGrid(ctx context.Context, g grids.Grid) (err error) {
	if err = x.r.at(g.CommunityID); err != nil {
		return
	}
	return x.tx.UpdateGrid(ctx, g)
}

func (x *gridsTx) Building(ctx context.Context, community string, id string) (_ grids.Building, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.Building(ctx, community, id)
}

func (x *gridsTx) FindBuildings(ctx context.Context, f grids.BuildingFilter) (_ []grids.Building, _ int, err error) {
	if err = x.r.at(f.CommunityID); err != nil {
		return
	}
	return x.tx.FindBuildings(ctx, f)
}

func (x *gridsTx) CreateBuildings(ctx context.Context, bs ...grids.Building) (err error) {
	if len(bs) == 0 {
		return nil
	}
	if err = x.r.atEach(len(bs), func(i int) string { return bs[i].CommunityID }); err != nil {
		return
	}
	return x.tx.CreateBuildings(ctx, bs...)
}

func (x *gridsTx) UpdateBuilding(ctx context.Context, b grids.Building) (err error) {
	if err = x.r.at(b.CommunityID); err != nil {
		return
	}
	return x.tx.UpdateBuilding(ctx, b)
}

func (x *gridsTx) Household(ctx context.Context, community string, id string) (_ grids.Household, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.Household(ctx, community, id)
}

func (x *gridsTx) FindHouseholds(ctx context.Context, f grids.HouseholdFilter) (_ []grids.Household, _ int, err error) {
	if err = x.r.at(f.CommunityID); err != nil {
		return
	}
	return x.tx.FindHouseholds(ctx, f)
}

func (x *gridsTx) CreateHouseholds(ctx context.Context, hs ...grids.Household) (err error) {
	if len(hs) == 0 {
		return nil
	}
	if err = x.r.atEach(len(hs), func(i int) string { return hs[i].CommunityID }); err != nil {
		return
	}
	return x.tx.CreateHouseholds(ctx, hs...)
}

func (x *gridsTx) UpdateHousehold(ctx context.Context, h grids.Household) (err error) {
	if err = x.r.at(h.CommunityID); err != nil {
		return
	}
	return x.tx.UpdateHousehold(ctx, h)
}

func (x *gridsTx) Resident(ctx context.Context, community string, id string) (_ grids.Resident, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.Resident(ctx, community, id)
}

func (x *gridsTx) FindResidents(ctx context.Context, f grids.ResidentFilter) (_ []grids.Resident, _ int, err error) {
	if err = x.r.at(f.CommunityID); err != nil {
		return
	}
	return x.tx.FindResidents(ctx, f)
}

func (x *gridsTx) ResidentNames(ctx context.Context, community string) (_ []string, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.ResidentNames(ctx, community)
}

func (x *gridsTx) CreateResidents(ctx context.Context, rs ...grids.Resident) (err error) {
	if len(rs) == 0 {
		return nil
	}
	if err = x.r.atEach(len(rs), func(i int) string { return rs[i].CommunityID }); err != nil {
		return
	}
	return x.tx.CreateResidents(ctx, rs...)
}

func (x *gridsTx) UpdateResident(ctx context.Context, r grids.Resident) (err error) {
	if err = x.r.at(r.CommunityID); err != nil {
		return
	}
	return x.tx.UpdateResident(ctx, r)
}

func (x *gridsTx) Need(ctx context.Context, community string, id string) (_ grids.Need, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.Need(ctx, community, id)
}

func (x *gridsTx) FindNeeds(ctx context.Context, f grids.NeedFilter) (_ []grids.Need, _ int, err error) {
	if err = x.r.at(f.CommunityID); err != nil {
		return
	}
	return x.tx.FindNeeds(ctx, f)
}

func (x *gridsTx) CreateNeed(ctx context.Context, n grids.Need) (err error) {
	if err = x.r.at(n.CommunityID); err != nil {
		return
	}
	return x.tx.CreateNeed(ctx, n)
}

func (x *gridsTx) UpdateNeed(ctx context.Context, n grids.Need) (err error) {
	if err = x.r.at(n.CommunityID); err != nil {
		return
	}
	return x.tx.UpdateNeed(ctx, n)
}

func (x *gridsTx) Survey(ctx context.Context, community string, id string) (_ grids.Survey, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.Survey(ctx, community, id)
}

func (x *gridsTx) FindSurveys(ctx context.Context, f grids.SurveyFilter) (_ []grids.Survey, _ int, err error) {
	if err = x.r.at(f.CommunityID); err != nil {
		return
	}
	return x.tx.FindSurveys(ctx, f)
}

func (x *gridsTx) CreateSurvey(ctx context.Context, s grids.Survey) (err error) {
	if err = x.r.at(s.CommunityID); err != nil {
		return
	}
	return x.tx.CreateSurvey(ctx, s)
}

func (x *gridsTx) UpdateSurvey(ctx context.Context, s grids.Survey) (err error) {
	if err = x.r.at(s.CommunityID); err != nil {
		return
	}
	return x.tx.UpdateSurvey(ctx, s)
}

func (x *gridsTx) PutResponse(ctx context.Context, r grids.Response) (err error) {
	if err = x.r.at(r.CommunityID); err != nil {
		return
	}
	return x.tx.PutResponse(ctx, r)
}

func (x *gridsTx) FindResponses(ctx context.Context, f grids.ResponseFilter) (_ []grids.Response, err error) {
	if err = x.r.at(f.CommunityID); err != nil {
		return
	}
	return x.tx.FindResponses(ctx, f)
}

func (x *gridsTx) RegroupPlan(ctx context.Context, community string, id string) (_ grids.RegroupPlan, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.RegroupPlan(ctx, community, id)
}

func (x *gridsTx) FindRegroupPlans(ctx context.Context, f grids.PlanFilter) (_ []grids.RegroupPlan, _ int, err error) {
	if err = x.r.at(f.CommunityID); err != nil {
		return
	}
	return x.tx.FindRegroupPlans(ctx, f)
}

func (x *gridsTx) CreateRegroupPlan(ctx context.Context, p grids.RegroupPlan) (err error) {
	if err = x.r.at(p.CommunityID); err != nil {
		return
	}
	return x.tx.CreateRegroupPlan(ctx, p)
}

func (x *gridsTx) UpdateRegroupPlan(ctx context.Context, p grids.RegroupPlan) (err error) {
	if err = x.r.at(p.CommunityID); err != nil {
		return
	}
	return x.tx.UpdateRegroupPlan(ctx, p)
}

func (x *gridsTx) OpenMembership(ctx context.Context, m grids.Membership) (err error) {
	if err = x.r.at(m.CommunityID); err != nil {
		return
	}
	return x.tx.OpenMembership(ctx, m)
}

func (x *gridsTx) CloseMembership(ctx context.Context, community string, kind grids.MembershipKind, member string, at time.Time) (err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.CloseMembership(ctx, community, kind, member, at)
}

func (x *gridsTx) FindMemberships(ctx context.Context, f grids.MembershipFilter) (_ []grids.Membership, _ int, err error) {
	if err = x.r.at(f.CommunityID); err != nil {
		return
	}
	return x.tx.FindMemberships(ctx, f)
}

func (x *gridsTx) ResidentHistogram(ctx context.Context, community string, scope grids.Scope) (_ []grids.CohortCount, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.ResidentHistogram(ctx, community, scope)
}

func (x *gridsTx) CountHouseholds(ctx context.Context, community string, scope grids.Scope) (_ int, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.CountHouseholds(ctx, community, scope)
}

func (x *gridsTx) RegistryVersion(ctx context.Context, community string) (_ int64, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.RegistryVersion(ctx, community)
}
