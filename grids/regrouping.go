package grids

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/linli-go/linli/grids/regroup"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// ErrRegroupWorkers is the rule of regrouping, named in refusals.
// The rules of regrouping that refuse.
var (
	ErrRegroupWorkers = NewRule(Forbidden, "grids.regroup_workers_only", "only community workers plan and apply regroupings")
	ErrNoBuildings    = NewRule(FailedPrecondition, "grids.no_buildings", "a community is regrouped once it has buildings")
	ErrPlanState      = NewRule(FailedPrecondition, "grids.plan_state", "a plan is applied once, while ready")
	ErrPlanStale      = NewRule(FailedPrecondition, "grids.plan_stale", "a plan is applied to the registry it was made from")
)

// jobs runs plans in the background and stops them on Shutdown.
type jobs struct {
	mu      sync.Mutex
	wg      sync.WaitGroup
	cancels map[string]context.CancelFunc
	closed  bool
}

// start runs fn in the background unless the registry is shutting down.
func (j *jobs) start(id string, fn func(ctx context.Context)) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return false
	}
	if j.cancels == nil {
		j.cancels = map[string]context.CancelFunc{}
	}
	ctx, cancel := context.WithCancel(context.Background())
	j.cancels[id] = cancel
	j.wg.Add(1)
	go func() {
		defer j.wg.Done()
		defer func() {
			j.mu.Lock()
			delete(j.cancels, id)
			j.mu.Unlock()
			cancel()
		}()
		fn(ctx)
	}()
	return true
}

// Shutdown stops the plans running in the background (they are recorded
// as failed, interrupted) and waits for them, or for ctx.
func (r *Registry) Shutdown(ctx context.Context) error {
	r.jobs.mu.Lock()
	r.jobs.closed = true
	for _, cancel := range r.jobs.cancels {
		cancel()
	}
	r.jobs.mu.Unlock()
	done := make(chan struct{})
	go func() {
		r.jobs.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ---- the input ----

// layout is a community as regrouping sees it, with how to map the plan
// back to records.
type layout struct {
	community *regroup.Community
	buildings []Building // active, in community order
	basis     string
}

// earthRadius turns degrees into metres for the compactness term.
const earthRadius = 6_371_000.0

// readLayout builds the regrouping input from the registry: active
// buildings and links, active households with their profiles as 0/1
// interest and need columns and per-vulnerability resident counts.
func readLayout(ctx context.Context, tx Tx, communityID string) (*layout, error) {
	bs, _, err := tx.FindBuildings(ctx, BuildingFilter{CommunityID: communityID})
	if err != nil {
		return nil, err
	}
	if len(bs) == 0 {
		return nil, ErrNoBuildings.Refuse("the community has no buildings to regroup")
	}
	profiles, err := profiles(ctx, tx, communityID)
	if err != nil {
		return nil, err
	}
	gs, _, err := tx.FindGrids(ctx, GridFilter{CommunityID: communityID})
	if err != nil {
		return nil, err
	}
	districtOf := map[string]string{}
	for _, g := range gs {
		districtOf[g.ID] = g.DistrictID
	}

	index := make(map[string]int, len(bs))
	for i, b := range bs {
		index[b.ID] = i
	}
	c := &regroup.Community{}
	pos := positions(bs, index)
	linked := make([]bool, len(bs))
	for i, b := range bs {
		c.Buildings = append(c.Buildings, regroup.Building{ID: b.ID, X: pos[i][0], Y: pos[i][1], Grid: b.GridID, District: districtOf[b.GridID]})
		for _, n := range b.Neighbours {
			if j, ok := index[n]; ok && i != j {
				if i < j || !slices.Contains(bs[j].Neighbours, b.ID) { // a link recorded on one side only still links
					c.Links = append(c.Links, [2]int{min(i, j), max(i, j)})
				}
				linked[i], linked[j] = true, true
			}
		}
	}
	// A building whose neighbours were never recorded (one just added) is
	// joined to the nearest building by location, so one new building does
	// not cut the community in two; without a location it stays alone.
	inferred := map[int]int{}
	for i, b := range bs {
		if linked[i] || b.Location == nil {
			continue
		}
		best, bestD := -1, math.Inf(1)
		for j, o := range bs {
			if j == i || o.Location == nil {
				continue
			}
			if d := math.Hypot(pos[i][0]-pos[j][0], pos[i][1]-pos[j][1]); d < bestD {
				best, bestD = j, d
			}
		}
		if best >= 0 {
			c.Links = append(c.Links, [2]int{min(i, best), max(i, best)})
			inferred[i] = best
		}
	}

	// Columns: every tag and recorded vulnerability that occurs.
	interests, needs, vulns := map[string]bool{}, map[string]bool{}, map[Vulnerability]bool{}
	for _, p := range profiles {
		for _, t := range p.Interests {
			interests[t] = true
		}
		for _, t := range p.Needs {
			needs[t] = true
		}
		for v := range p.Vulnerabilities {
			vulns[v] = true
		}
	}
	col := map[string]int{}
	addCols := func(prefix string, names []string, kind regroup.Kind) {
		for _, n := range names {
			col[prefix+n] = len(c.Columns)
			c.Columns = append(c.Columns, regroup.Column{Name: prefix + n, Kind: kind})
		}
	}
	addCols("i_", slices.Sorted(keys(interests)), regroup.Interest)
	addCols("n_", slices.Sorted(keys(needs)), regroup.Need)
	var vnames []string
	for _, v := range recorded {
		if vulns[v] {
			vnames = append(vnames, string(v))
		}
	}
	addCols("v_", vnames, regroup.Vulnerability)

	// The basis covers what the plan reads of the layout: active buildings,
	// the links between them, the grid each is in today (which the report
	// compares with), and which household lives where.
	h := sha256.New()
	for _, b := range bs {
		active := slices.DeleteFunc(slices.Clone(b.Neighbours), func(n string) bool { _, ok := index[n]; return !ok })
		if j, ok := inferred[index[b.ID]]; ok {
			active = append(active, "~"+bs[j].ID) // joined by location
		}
		fmt.Fprintf(h, "%s:%s:%s\n", b.ID, b.GridID, strings.Join(active, ","))
	}
	for _, p := range profiles {
		b, ok := index[p.BuildingID]
		if !ok {
			continue // a household in an archived building cannot be: archiving refuses
		}
		fmt.Fprintf(h, "%s@%s\n", p.HouseholdID, p.BuildingID)
		row := make([]float64, len(c.Columns))
		for _, t := range p.Interests {
			row[col["i_"+t]] = 1
		}
		for _, t := range p.Needs {
			row[col["n_"+t]] = 1
		}
		for v, n := range p.Vulnerabilities {
			row[col["v_"+string(v)]] = float64(n)
		}
		c.Households = append(c.Households, regroup.Household{ID: p.HouseholdID, Building: b, Size: max(p.Residents, 1)})
		c.Profile = append(c.Profile, row...)
	}
	return &layout{community: c, buildings: bs, basis: hex.EncodeToString(h.Sum(nil))}, nil
}

func keys[K comparable](m map[K]bool) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// positions places buildings in metres around their centre. A building
// without a location takes the mean of its located neighbours, spreading
// outward; if none is located, all sit at the origin (and position cannot
// tell grids apart).
func positions(bs []Building, index map[string]int) [][2]float64 {
	var lat0, lng0 float64
	n := 0
	for _, b := range bs {
		if b.Location != nil {
			lat0 += b.Location.Lat
			lng0 += b.Location.Lng
			n++
		}
	}
	out := make([][2]float64, len(bs))
	if n == 0 {
		return out
	}
	lat0, lng0 = lat0/float64(n), lng0/float64(n)
	known := make([]bool, len(bs))
	rad := math.Pi / 180
	for i, b := range bs {
		if b.Location != nil {
			out[i] = [2]float64{(b.Location.Lng - lng0) * rad * earthRadius * math.Cos(lat0*rad), (b.Location.Lat - lat0) * rad * earthRadius}
			known[i] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for i, b := range bs {
			if known[i] {
				continue
			}
			var x, y float64
			k := 0
			for _, nb := range b.Neighbours {
				if j, ok := index[nb]; ok && known[j] {
					x, y = x+out[j][0], y+out[j][1]
					k++
				}
			}
			if k > 0 {
				out[i], known[i], changed = [2]float64{x / float64(k), y / float64(k)}, true, true
			}
		}
	}
	return out
}

// profiles computes every active household's profile.
func profiles(ctx context.Context, tx Tx, communityID string) ([]Profile, error) {
	hs, _, err := tx.FindHouseholds(ctx, HouseholdFilter{CommunityID: communityID})
	if err != nil {
		return nil, err
	}
	rs, _, err := tx.FindResidents(ctx, ResidentFilter{CommunityID: communityID})
	if err != nil {
		return nil, err
	}
	responses, err := tx.FindResponses(ctx, ResponseFilter{CommunityID: communityID})
	if err != nil {
		return nil, err
	}
	byHousehold := make(map[string]*Profile, len(hs))
	out := make([]Profile, len(hs))
	for i, h := range hs {
		out[i] = Profile{HouseholdID: h.ID, BuildingID: h.BuildingID, Interests: h.Interests, Needs: h.Needs, Vulnerabilities: map[Vulnerability]int{}}
		byHousehold[h.ID] = &out[i]
	}
	for _, r := range rs {
		p := byHousehold[r.HouseholdID]
		if p == nil {
			continue
		}
		p.Residents++
		p.Interests = append(p.Interests, r.Interests...)
		p.Needs = append(p.Needs, r.Needs...)
		for _, v := range r.Vulnerabilities {
			p.Vulnerabilities[v]++
		}
	}
	for _, resp := range responses {
		if p := byHousehold[resp.HouseholdID]; p != nil {
			p.Interests = append(p.Interests, resp.Interests...)
			p.Needs = append(p.Needs, resp.Needs...)
		}
	}
	for i := range out {
		out[i].Interests, out[i].Needs = dedupe(out[i].Interests), dedupe(out[i].Needs)
	}
	return out, nil
}

// HouseholdProfile returns what regrouping reads of a household: workers
// may read any, residents their own.
func (r *Registry) HouseholdProfile(ctx context.Context, communityID, householdID string) (Profile, error) {
	var out Profile
	err := r.store.View(ctx, func(tx Tx) error {
		a, err := personalAccess(ctx, tx, communityID)
		if err != nil {
			return err
		}
		if err := a.allows(householdID); err != nil {
			return err
		}
		if _, err := tx.Household(ctx, communityID, householdID); err != nil {
			return err
		}
		ps, err := profiles(ctx, tx, communityID)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if p.HouseholdID == householdID {
				out = p
				return nil
			}
		}
		return ErrArchived.Refuse("household %s is archived: it has no profile", householdID)
	})
	return out, err
}

// ---- plans ----

// PlanRegroup plans new grids and districts for the community's active
// buildings (see package regroup). The plan is stored with its report; it
// changes nothing until applied. With in.Async the plan comes back running
// and is done (or failed) later, its progress visible meanwhile.
func (r *Registry) PlanRegroup(ctx context.Context, communityID string, in PlanInput) (RegroupPlan, error) {
	p, err := authorize(ctx, communityID, ErrWorkersOnly)
	if err != nil {
		return RegroupPlan{}, forbiddenAs(err, ErrRegroupWorkers)
	}
	var lay *layout
	err = r.store.View(ctx, func(tx Tx) error {
		if err := community(ctx, tx, communityID); err != nil {
			return err
		}
		lay, err = readLayout(ctx, tx, communityID)
		return err
	})
	if err != nil {
		return RegroupPlan{}, err
	}
	now := r.clock()
	plan := RegroupPlan{
		ID: r.newID(), CommunityID: communityID, Status: PlanRunning, Basis: lay.basis, CreatedBy: p.ID, CreatedAt: now, UpdatedAt: now,
		Options: regroup.Options{Districts: in.Districts, Grids: in.Grids, GridMin: in.GridMin, GridMax: in.GridMax, Weights: in.Weights, Seed: in.Seed, Effort: in.Effort},
	}
	if in.Async {
		if err := r.store.Update(ctx, func(tx Tx) error { return tx.CreateRegroupPlan(ctx, plan) }); err != nil {
			return RegroupPlan{}, err
		}
		started := r.jobs.start(plan.ID, func(jctx context.Context) {
			r.runPlan(jctx, plan, lay)
		})
		if !started {
			return RegroupPlan{}, errs.E(errs.FailedPrecondition, "the registry is shutting down: plan again later")
		}
		return plan, nil
	}
	result, err := regroup.Solve(ctx, lay.community, plan.Options)
	if err != nil {
		return RegroupPlan{}, err
	}
	finish(&plan, lay, result, r.clock())
	err = r.store.Update(ctx, func(tx Tx) error { return tx.CreateRegroupPlan(ctx, plan) })
	return plan, err
}

// runPlan solves a plan in the background, recording progress as it goes
// and the outcome at the end.
func (r *Registry) runPlan(ctx context.Context, plan RegroupPlan, lay *layout) {
	// The plan is saved with a context of its own: a shutdown must still be
	// able to record that it interrupted the plan.
	save := func(edit func(*RegroupPlan)) {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := r.store.Update(sctx, func(tx Tx) error {
			cur, err := tx.RegroupPlan(sctx, plan.CommunityID, plan.ID)
			if err != nil {
				return err
			}
			edit(&cur)
			cur.UpdatedAt = r.clock()
			return tx.UpdateRegroupPlan(sctx, cur)
		})
		if err != nil {
			r.log.Error("saving a regrouping plan", "plan", plan.ID, "err", err)
		}
	}
	var last float64
	opts := plan.Options
	opts.Progress = func(done float64) {
		if done-last >= 0.05 || done == 1 {
			last = done
			save(func(p *RegroupPlan) { p.Progress = math.Round(done*1000) / 1000 })
		}
	}
	result, err := regroup.Solve(ctx, lay.community, opts)
	if err != nil {
		msg := errs.Message(err)
		if errors.Is(err, context.Canceled) {
			msg = "interrupted: the server stopped; plan again"
		}
		r.log.Warn("regrouping plan failed", "plan", plan.ID, "err", err)
		save(func(p *RegroupPlan) { p.Status, p.Error = PlanFailed, msg })
		return
	}
	save(func(p *RegroupPlan) { finish(p, lay, result, r.clock()) })
	r.log.Info("regrouping plan done", "plan", plan.ID, "r2", result.Report.Quality.R2BetweenBuildings)
}

// finish records a solved plan.
func finish(p *RegroupPlan, lay *layout, result *regroup.Plan, now time.Time) {
	report := result.Report
	report.Options.Progress = nil
	p.Status, p.Progress, p.Report, p.UpdatedAt = PlanDone, 1, &report, now
	p.Options = report.Options
	p.Placements = make([]Placement, len(lay.buildings))
	for i, b := range lay.buildings {
		g := result.Grid[i]
		p.Placements[i] = Placement{BuildingID: b.ID, Grid: g, District: result.District[g]}
	}
}

// RegroupPlan returns a plan, with its progress while it runs.
func (r *Registry) RegroupPlan(ctx context.Context, communityID, id string) (RegroupPlan, error) {
	var p RegroupPlan
	if _, err := authorize(ctx, communityID, ErrNotMember); err != nil {
		return p, err
	}
	err := r.store.View(ctx, func(tx Tx) (err error) {
		p, err = tx.RegroupPlan(ctx, communityID, id)
		return err
	})
	return p, err
}

// FindRegroupPlans lists a community's plans.
func (r *Registry) FindRegroupPlans(ctx context.Context, f PlanFilter) ([]RegroupPlan, int, error) {
	return find(ctx, r, f.CommunityID, "", &f.Page, func(tx Tx) ([]RegroupPlan, int, error) { return tx.FindRegroupPlans(ctx, f) })
}

// ApplyPlan makes a plan so, in one transaction: the active grids and
// districts are archived (their history kept), the plan's are created and
// named, buildings move into them (and their households with them), two
// workers head each district, and every membership's history records the
// change. A plan applies only to the registry it was made from.
func (r *Registry) ApplyPlan(ctx context.Context, communityID, id string, in ApplyInput) (ApplyResult, error) {
	p, err := authorize(ctx, communityID, ErrWorkersOnly)
	if err != nil {
		return ApplyResult{}, forbiddenAs(err, ErrRegroupWorkers)
	}
	if err := validate.Struct(in); err != nil {
		return ApplyResult{}, err
	}
	var out ApplyResult
	err = r.store.Update(ctx, func(tx Tx) error {
		plan, err := tx.RegroupPlan(ctx, communityID, id)
		if err != nil {
			return err
		}
		if plan.Status != PlanDone {
			return ErrPlanState.Refuse("a plan that is %s cannot be applied", plan.Status)
		}
		lay, err := readLayout(ctx, tx, communityID)
		if err != nil {
			return err
		}
		if lay.basis != plan.Basis {
			return ErrPlanStale.Refuse("the buildings, their links, their grids or their households have changed since the plan was made: plan again")
		}
		k, d := plan.Options.Grids, plan.Options.Districts
		if len(in.GridNames) > 0 && len(in.GridNames) != k {
			return errs.Field("grid_names", "name all %d grids, or none", k)
		}
		if len(in.DistrictNames) > 0 && len(in.DistrictNames) != d {
			return errs.Field("district_names", "name all %d districts, or none", d)
		}
		if len(in.Workers) > 0 && len(in.Workers) != d {
			return errs.Field("workers", "give the workers of all %d districts, or none", d)
		}
		now := r.clock()
		reason := "regrouped by plan " + plan.ID
		workers, err := r.districtWorkers(ctx, tx, communityID, plan, in.Workers)
		if err != nil {
			return err
		}

		// Archive today's layout.
		oldGrids, _, err := tx.FindGrids(ctx, GridFilter{CommunityID: communityID})
		if err != nil {
			return err
		}
		for _, g := range oldGrids {
			g.ArchivedAt, g.ArchiveReason, g.UpdatedAt = &now, reason, now
			if err := tx.UpdateGrid(ctx, g); err != nil {
				return err
			}
			if err := tx.CloseMembership(ctx, communityID, GridInDistrict, g.ID, now); err != nil {
				return err
			}
		}
		oldDistricts, _, err := tx.FindDistricts(ctx, DistrictFilter{CommunityID: communityID})
		if err != nil {
			return err
		}
		for _, dist := range oldDistricts {
			dist.ArchivedAt, dist.ArchiveReason, dist.UpdatedAt = &now, reason, now
			if err := tx.UpdateDistrict(ctx, dist); err != nil {
				return err
			}
		}

		// Create the plan's.
		stamps := Stamps{CreatedAt: now, UpdatedAt: now}
		for i := range d {
			name := fmt.Sprintf("第%s片区", chineseNumber(i+1))
			if len(in.DistrictNames) > 0 {
				name = in.DistrictNames[i]
			}
			dist := District{ID: r.newID(), CommunityID: communityID, Name: name, WorkerIDs: sorted(workers[i]), Stamps: stamps}
			if err := dist.Validate(); err != nil {
				return err
			}
			if err := checkWorkers(ctx, tx, dist); err != nil {
				return err
			}
			if err := tx.CreateDistrict(ctx, dist); err != nil {
				return err
			}
			out.Districts = append(out.Districts, dist)
		}
		gridDistrict := make([]int, k)
		for _, pl := range plan.Placements {
			gridDistrict[pl.Grid] = pl.District
		}
		perDistrict := make([]int, d)
		for i := range k {
			dist := gridDistrict[i]
			perDistrict[dist]++
			name := fmt.Sprintf("%d-%d网格", dist+1, perDistrict[dist])
			if len(in.GridNames) > 0 {
				name = in.GridNames[i]
			}
			g := Grid{ID: r.newID(), CommunityID: communityID, DistrictID: out.Districts[dist].ID, Name: name, Stamps: stamps}
			if err := g.Validate(); err != nil {
				return err
			}
			if err := tx.CreateGrid(ctx, g); err != nil {
				return err
			}
			if err := tx.OpenMembership(ctx, Membership{ID: r.newID(), CommunityID: communityID, Kind: GridInDistrict, MemberID: g.ID, GroupID: g.DistrictID, From: now}); err != nil {
				return err
			}
			out.Grids = append(out.Grids, g)
		}

		// Move the buildings.
		for _, pl := range plan.Placements {
			b, err := tx.Building(ctx, communityID, pl.BuildingID)
			if err != nil {
				return err
			}
			from, to := b.GridID, out.Grids[pl.Grid].ID
			if from != "" {
				out.Moved++
			}
			b.GridID, b.UpdatedAt = to, now
			if err := tx.UpdateBuilding(ctx, b); err != nil {
				return err
			}
			if err := r.moveMembership(ctx, tx, communityID, BuildingInGrid, b.ID, from, to, now); err != nil {
				return err
			}
		}
		plan.Status, plan.AppliedAt, plan.UpdatedAt = PlanApplied, &now, now
		if err := tx.UpdateRegroupPlan(ctx, plan); err != nil {
			return err
		}
		out.Plan = plan
		return nil
	})
	if err == nil {
		r.log.InfoContext(ctx, "applied regrouping plan", "plan", id, "community", communityID, "by", p.ID,
			"districts", len(out.Districts), "grids", len(out.Grids), "buildings", len(out.Plan.Placements))
	}
	return out, err
}

// districtWorkers chooses each new district's two workers: those given, or
// the workers of the old districts it overlaps most (by households), each
// worker heading one new district at most.
func (r *Registry) districtWorkers(ctx context.Context, tx Tx, communityID string, plan RegroupPlan, given [][]string) ([][]string, error) {
	d := plan.Options.Districts
	if len(given) > 0 {
		return given, nil
	}
	out := make([][]string, d)
	oldDistricts, _, err := tx.FindDistricts(ctx, DistrictFilter{CommunityID: communityID})
	if err != nil {
		return nil, err
	}
	grids, _, err := tx.FindGrids(ctx, GridFilter{CommunityID: communityID})
	if err != nil {
		return nil, err
	}
	districtOfGrid := map[string]string{}
	for _, g := range grids {
		districtOfGrid[g.ID] = g.DistrictID
	}
	hs, _, err := tx.FindHouseholds(ctx, HouseholdFilter{CommunityID: communityID})
	if err != nil {
		return nil, err
	}
	bs, _, err := tx.FindBuildings(ctx, BuildingFilter{CommunityID: communityID})
	if err != nil {
		return nil, err
	}
	oldOf := map[string]string{} // building → old district
	for _, b := range bs {
		oldOf[b.ID] = districtOfGrid[b.GridID]
	}
	newOf := map[string]int{}
	for _, pl := range plan.Placements {
		newOf[pl.BuildingID] = pl.District
	}
	// overlap[new][old] = households in both
	overlap := make([]map[string]int, d)
	for i := range overlap {
		overlap[i] = map[string]int{}
	}
	for _, h := range hs {
		if old := oldOf[h.BuildingID]; old != "" {
			overlap[newOf[h.BuildingID]][old]++
		}
	}
	type cand struct {
		district int
		worker   string
		weight   int
	}
	var cands []cand
	for i, ov := range overlap {
		for _, od := range oldDistricts {
			for _, w := range od.WorkerIDs {
				if ov[od.ID] > 0 {
					cands = append(cands, cand{i, w, ov[od.ID]})
				}
			}
		}
	}
	sort.SliceStable(cands, func(a, b int) bool {
		if cands[a].weight != cands[b].weight {
			return cands[a].weight > cands[b].weight
		}
		return cands[a].worker < cands[b].worker
	})
	used := map[string]bool{}
	for _, c := range cands {
		if used[c.worker] || len(out[c.district]) >= MaxDistrictWorkers {
			continue
		}
		used[c.worker] = true
		out[c.district] = append(out[c.district], c.worker)
	}
	return out, nil
}

// moveMembership records that member left from (if any) and joined to (if
// any) at a time.
func (r *Registry) moveMembership(ctx context.Context, tx Tx, communityID string, kind MembershipKind, member, from, to string, at time.Time) error {
	if from == to {
		return nil
	}
	if from != "" {
		if err := tx.CloseMembership(ctx, communityID, kind, member, at); err != nil {
			return err
		}
	}
	if to == "" {
		return nil
	}
	return tx.OpenMembership(ctx, Membership{ID: r.newID(), CommunityID: communityID, Kind: kind, MemberID: member, GroupID: to, From: at})
}

// History returns the memberships of a building (which grids it was in) or
// of a grid (which districts), or who was in a grid or district, as the
// filter asks.
func (r *Registry) History(ctx context.Context, f MembershipFilter) ([]Membership, int, error) {
	return find(ctx, r, f.CommunityID, "", &f.Page, func(tx Tx) ([]Membership, int, error) { return tx.FindMemberships(ctx, f) })
}

var chineseDigits = []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// chineseNumber writes 1–99 in Chinese numerals, as district names do.
func chineseNumber(n int) string {
	switch {
	case n <= 0 || n >= 100:
		return fmt.Sprint(n)
	case n < 10:
		return chineseDigits[n]
	case n == 10:
		return "十"
	case n < 20:
		return "十" + chineseDigits[n%10]
	}
	return chineseDigits[n/10] + "十" + chineseDigits[n%10]
}
