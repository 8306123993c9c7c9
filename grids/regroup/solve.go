package regroup

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/linli-go/linli/internal/errs"
)

// Weights say how much each kind of similarity counts. Interest, need and
// vulnerability columns are standardised and weighted; Compactness weighs
// the buildings' positions as two more standardised columns, so grids stay
// compact. The zero Weights means DefaultWeights.
type Weights struct {
	Interest      float64 `json:"interest"`
	Need          float64 `json:"need"`
	Vulnerability float64 `json:"vulnerability"`
	Compactness   float64 `json:"compactness"`
}

// DefaultWeights weigh the three kinds of similarity alike, and position a
// little: enough to keep grids round, not enough to override likeness.
var DefaultWeights = Weights{Interest: 1, Need: 1, Vulnerability: 1, Compactness: 0.5}

// ErrInfeasible refuses a plan that no grouping can meet: the bounds, the
// numbers of grids and districts and the neighbour graph do not allow one.
// errors.Is(err, regroup.ErrInfeasible) tests for it.
var ErrInfeasible = errs.NewRule(errs.FailedPrecondition, "regroup.infeasible", "grids and districts are contiguous and within their bounds: the numbers asked for must allow it")

func (w Weights) of(k Kind) float64 {
	switch k {
	case Interest:
		return w.Interest
	case Need:
		return w.Need
	}
	return w.Vulnerability
}

// Options say what plan to make.
type Options struct {
	Districts int `json:"districts"`
	Grids     int `json:"grids"`
	// GridMin and GridMax bound each grid's households; 0 means 20% below
	// or above the mean.
	GridMin int     `json:"grid_min"`
	GridMax int     `json:"grid_max"`
	Weights Weights `json:"weights"`
	Seed    uint64  `json:"seed"`
	// Effort scales the search: 1 (the default) is tuned to reach the
	// quality targets quickly; more searches longer.
	Effort float64 `json:"effort"`
	// Progress, if set, hears how far the search has come, from 0 to 1.
	Progress func(done float64) `json:"-"`
}

// Plan places every building in a grid and every grid in a district.
type Plan struct {
	Grid     []int  `json:"-"` // per building, 0 … Grids-1
	District []int  `json:"-"` // per grid, 0 … Districts-1
	Report   Report `json:"report"`
}

// movesPerNode is how many moves the search proposes per node at effort 1.
const movesPerNode = 1500

// Solve makes a plan: every grid and every district contiguous on the
// neighbour graph, every grid's households within the bounds, grids per
// district differing by at most one; within-grid (then within-district)
// dissimilarity as small as the search can make it. The same seed gives the
// same plan. Bounds that cannot be met are refused, with the reason, before
// any search.
func Solve(ctx context.Context, c *Community, opts Options) (*Plan, error) {
	start := time.Now()
	if err := checkOptions(c, &opts); err != nil {
		return nil, err
	}
	bg, total := buildingGraph(c, opts.Weights)
	// Search a renumbering in which neighbours are near in memory: along a
	// Hilbert curve where positions are known, breadth first otherwise.
	xs, ys := make([]float64, len(c.Buildings)), make([]float64, len(c.Buildings))
	for i, b := range c.Buildings {
		xs[i], ys[i] = b.X, b.Y
	}
	order := hilbertOrder(xs, ys)
	if order == nil {
		order = bfsOrder(bg)
	}
	sg := bg.permute(order)
	parts := components(sg)
	shares, err := share(sg, parts, opts, func(v int32) string { return c.Buildings[order[v]].ID })
	if err != nil {
		return nil, err
	}
	rnd := rand.New(rand.NewPCG(opts.Seed, 0x7265677270))
	effort := opts.Effort
	if effort <= 0 {
		effort = 1
	}

	// Grids: each part of the graph gets its share, cut by bisection, then
	// searched.
	region := make([]int32, sg.n)
	m := &marks{of: make([]uint32, sg.n)}
	next := int32(0)
	for i, part := range parts {
		split(sg, region, part, shares[i].grids, next, m)
		next += int32(shares[i].grids)
	}
	gp := newPartition(sg, opts.Grids, opts.GridMin, opts.GridMax, region)
	progress := func(from, to float64) func(float64) {
		if opts.Progress == nil {
			return nil
		}
		return func(d float64) { opts.Progress(from + (to-from)*d) }
	}
	if !search(ctx, gp, rnd, searchOptions{moves: int(effort * movesPerNode * float64(sg.n)), progress: progress(0, 0.85)}) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return nil, ErrInfeasible.Refuse(
			"no plan found with every grid between %d and %d households (closest: %d households out of bounds); widen the bounds or change the number of grids",
			opts.GridMin, opts.GridMax, gp.violations())
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}

	// Districts: the same search over the graph of grids.
	dg := gridGraph(gp)
	lo, hi := opts.Grids/opts.Districts, (opts.Grids+opts.Districts-1)/opts.Districts
	dregion := make([]int32, dg.n)
	dm := &marks{of: make([]uint32, dg.n)}
	next = 0
	// The grids of each part: every grid lies in one part.
	gridsOf := make([][]int32, len(parts))
	for i, part := range parts {
		seen := make(map[int32]bool)
		for _, v := range part {
			if r := gp.region[v]; !seen[r] {
				seen[r] = true
				gridsOf[i] = append(gridsOf[i], r)
			}
		}
		slices.Sort(gridsOf[i])
		split(dg, dregion, gridsOf[i], shares[i].districts, next, dm)
		next += int32(shares[i].districts)
	}
	dp := newPartition(dg, opts.Districts, lo, hi, dregion)
	if !search(ctx, dp, rnd, searchOptions{moves: int(effort * movesPerNode * float64(dg.n)), progress: progress(0.85, 1)}) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return nil, ErrInfeasible.Refuse("no grouping of the %d grids into %d contiguous districts of %d or %d grids each was found; change the number of districts",
			opts.Grids, opts.Districts, lo, hi)
	}

	plan := &Plan{Grid: make([]int, bg.n), District: make([]int, dg.n)}
	for i, v := range order {
		plan.Grid[v] = int(gp.region[i])
	}
	for g := range dg.n {
		plan.District[g] = int(dp.region[g])
	}
	plan.Report = report(c, plan, opts, total, bg)
	if q := plan.Report.Quality; q.BoundViolations+q.NonContiguousGrids+q.NonContiguousDistricts+q.SplitBuildings > 0 ||
		q.GridsPerDistrict[1]-q.GridsPerDistrict[0] > 1 {
		// The search keeps these by construction; never hand out a plan
		// that breaks them.
		return nil, errs.Internalf("regroup: the plan breaks a constraint: %+v", q)
	}
	plan.Report.TookMillis = time.Since(start).Milliseconds()
	return plan, nil
}

// checkOptions fills in defaults and refuses options no plan can meet.
func checkOptions(c *Community, o *Options) error {
	var fields []errs.FieldError
	bad := func(field, format string, args ...any) {
		fields = append(fields, errs.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if len(c.Buildings) == 0 || len(c.Households) == 0 {
		return errs.E(errs.Invalid, "nothing to regroup: there are no buildings or no households")
	}
	if len(c.Profile) != len(c.Households)*len(c.Columns) {
		return errs.E(errs.Invalid, "the profile holds %d values for %d households of %d columns", len(c.Profile), len(c.Households), len(c.Columns))
	}
	if o.Weights == (Weights{}) {
		o.Weights = DefaultWeights
	}
	for name, w := range map[string]float64{"interest": o.Weights.Interest, "need": o.Weights.Need, "vulnerability": o.Weights.Vulnerability, "compactness": o.Weights.Compactness} {
		if w < 0 || math.IsNaN(w) || math.IsInf(w, 0) {
			bad("weights."+name, "must be a finite number, 0 or more")
		}
	}
	switch {
	case o.Grids < 1:
		bad("grids", "must be at least 1")
	case o.Grids > len(c.Buildings):
		bad("grids", "%d grids need at least as many buildings; there are %d", o.Grids, len(c.Buildings))
	}
	switch {
	case o.Districts < 1:
		bad("districts", "must be at least 1")
	case o.Grids >= 1 && o.Districts > o.Grids:
		bad("districts", "%d districts need at least as many grids; asked for %d", o.Districts, o.Grids)
	}
	if o.Effort < 0 || math.IsNaN(o.Effort) || o.Effort > 100 {
		bad("effort", "must be between 0 and 100")
	}
	if len(fields) > 0 {
		return errs.Fields(fields...)
	}
	households := len(c.Households)
	mean := float64(households) / float64(o.Grids)
	if o.GridMin == 0 {
		o.GridMin = int(math.Floor(mean * 0.8))
	}
	if o.GridMax == 0 {
		o.GridMax = int(math.Ceil(mean * 1.2))
	}
	switch {
	case o.GridMin < 1:
		bad("grid_min", "must be at least 1")
	case o.GridMax < o.GridMin:
		bad("grid_max", "must be at least grid_min (%d)", o.GridMin)
	case o.Grids*o.GridMax < households:
		bad("grid_max", "%d grids of at most %d households hold %d; there are %d households", o.Grids, o.GridMax, o.Grids*o.GridMax, households)
	case o.Grids*o.GridMin > households:
		bad("grid_min", "%d grids of at least %d households need %d; there are %d households", o.Grids, o.GridMin, o.Grids*o.GridMin, households)
	}
	if len(fields) > 0 {
		return errs.Fields(fields...)
	}
	per := make([]int, len(c.Buildings))
	for _, h := range c.Households {
		per[h.Building]++
	}
	for b, n := range per {
		if n > o.GridMax {
			return errs.Field("grid_max", "building %s alone has %d households, more than a grid may hold (%d); buildings are never split", c.Buildings[b].ID, n, o.GridMax)
		}
	}
	return nil
}

// buildingGraph makes the graph of buildings with the weighted,
// standardised vectors of their households (and their position), and the
// unweighted totals the report measures with.
func buildingGraph(c *Community, w Weights) (*graph, *totals) {
	cols := len(c.Columns)
	nh := float64(len(c.Households))
	mean := make([]float64, cols)
	sd := make([]float64, cols)
	for h := range c.Households {
		for j, v := range c.Values(h) {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= nh
	}
	for h := range c.Households {
		for j, v := range c.Values(h) {
			sd[j] += (v - mean[j]) * (v - mean[j])
		}
	}
	for j := range sd {
		sd[j] = math.Sqrt(sd[j] / nh)
	}
	// Positions, standardised with one scale for both axes (so a grid's
	// shape is not distorted), per household.
	var mx, my float64
	for _, h := range c.Households {
		mx += c.Buildings[h.Building].X
		my += c.Buildings[h.Building].Y
	}
	mx, my = mx/nh, my/nh
	var vpos float64
	for _, h := range c.Households {
		b := c.Buildings[h.Building]
		vpos += (b.X-mx)*(b.X-mx) + (b.Y-my)*(b.Y-my)
	}
	spos := math.Sqrt(vpos / nh / 2)
	if spos == 0 {
		spos = 1
	}

	dim := cols + 2
	links := make([][2]int32, len(c.Links))
	for i, l := range c.Links {
		links[i] = [2]int32{int32(l[0]), int32(l[1])}
	}
	g := newGraph(len(c.Buildings), dim, links)
	t := &totals{cols: cols, sum: make([]float64, len(c.Buildings)*cols), sq: make([]float64, len(c.Buildings)), mean: mean, sd: sd}
	scale := make([]float64, cols)
	for j, col := range c.Columns {
		if sd[j] > 0 {
			scale[j] = math.Sqrt(w.of(col.Kind)) / sd[j]
		}
	}
	pw := math.Sqrt(w.Compactness) / spos
	for h, hh := range c.Households {
		b := hh.Building
		g.size[b]++
		g.mass[b]++
		vec := g.vec[b*dim : (b+1)*dim]
		raw := t.sum[b*cols : (b+1)*cols]
		for j, v := range c.Values(h) {
			z := 0.0
			if sd[j] > 0 {
				z = (v - mean[j]) / sd[j]
			}
			raw[j] += z
			t.sq[b] += z * z
			vec[j] += (v - mean[j]) * scale[j]
		}
		vec[cols] += (c.Buildings[b].X - mx) * pw
		vec[cols+1] += (c.Buildings[b].Y - my) * pw
	}
	return g, t
}

// totals are the unweighted, standardised sums per building the report
// measures quality with (the measure of shared/data/regroup/README.md).
type totals struct {
	cols     int
	sum      []float64 // per building, per column: Σ z
	sq       []float64 // per building: Σ |z|²
	mean, sd []float64 // per column, over households
}

// components returns the connected parts of the graph.
func components(g *graph) [][]int32 {
	seen := make([]bool, g.n)
	var parts [][]int32
	for s := range int32(g.n) {
		if seen[s] {
			continue
		}
		seen[s] = true
		part := []int32{s}
		for i := 0; i < len(part); i++ {
			for _, w := range g.neighbours(part[i]) {
				if !seen[w] {
					seen[w] = true
					part = append(part, w)
				}
			}
		}
		parts = append(parts, part)
	}
	return parts
}

// portion is how many grids and districts a part of the graph gets.
type portion struct{ grids, districts int }

// share divides the grids and districts among the graph's parts, or says
// why they cannot be: grids and districts never span parts.
func share(g *graph, parts [][]int32, o Options, name func(int32) string) ([]portion, error) {
	if len(parts) == 1 {
		return []portion{{o.Grids, o.Districts}}, nil
	}
	lo, hi := o.Grids/o.Districts, (o.Grids+o.Districts-1)/o.Districts
	weight := make([]int, len(parts))
	total := 0
	for i, p := range parts {
		for _, v := range p {
			weight[i] += g.size[v]
		}
		total += weight[i]
	}
	if len(parts) > o.Districts {
		return nil, ErrInfeasible.Refuse(
			"the neighbour graph falls into %d parts that no link joins, and a district cannot span two; asked for %d districts: link the parts in edges.csv, or ask for at least %d districts",
			len(parts), o.Districts, len(parts))
	}
	// Each part needs whole grids within the bounds and whole districts of
	// lo or hi grids; hand districts out by weight, then grids.
	out := make([]portion, len(parts))
	minGrids := make([]int, len(parts))
	maxGrids := make([]int, len(parts))
	for i, w := range weight {
		minGrids[i] = (w + o.GridMax - 1) / o.GridMax
		maxGrids[i] = w / o.GridMin
		if minGrids[i] > maxGrids[i] {
			return nil, ErrInfeasible.Refuse(
				"the neighbour graph falls into %d parts; one of them (%d buildings, %d households, with building %s) cannot make whole grids of %d to %d households: link it to its neighbours in edges.csv, or change the bounds",
				len(parts), len(parts[i]), w, name(parts[i][0]), o.GridMin, o.GridMax)
		}
	}
	districtsLeft, gridsLeft := o.Districts, o.Grids
	for i, w := range weight {
		d := int(math.Round(float64(o.Districts) * float64(w) / float64(total)))
		d = max(d, (minGrids[i]+hi-1)/hi, 1)
		out[i].districts = d
		districtsLeft -= d
	}
	if districtsLeft != 0 {
		// Settle the rounding on the heaviest parts.
		order := make([]int, len(parts))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int { return weight[b] - weight[a] })
		for i := 0; districtsLeft != 0 && i < 10*len(order); i++ {
			j := order[i%len(order)]
			step := 1
			if districtsLeft < 0 {
				step = -1
			}
			if out[j].districts+step >= 1 {
				out[j].districts += step
				districtsLeft -= step
			}
		}
	}
	if districtsLeft != 0 {
		return nil, ErrInfeasible.Refuse("the neighbour graph falls into %d parts and %d districts cannot be shared among them", len(parts), o.Districts)
	}
	for i := range parts {
		lowest := max(minGrids[i], out[i].districts*lo)
		highest := min(maxGrids[i], out[i].districts*hi)
		if lowest > highest {
			return nil, ErrInfeasible.Refuse(
				"the neighbour graph falls into %d parts and the grids and districts cannot be shared among them: a part of %d households would need %d to %d grids to fill %d districts: link the parts in edges.csv, or change the numbers",
				len(parts), weight[i], minGrids[i], maxGrids[i], out[i].districts)
		}
		out[i].grids = lowest
		gridsLeft -= lowest
	}
	for i := range parts {
		extra := max(0, min(gridsLeft, min(maxGrids[i], out[i].districts*hi)-out[i].grids))
		out[i].grids += extra
		gridsLeft -= extra
	}
	if gridsLeft != 0 {
		return nil, ErrInfeasible.Refuse("the neighbour graph falls into %d parts and %d grids cannot be shared among them within the bounds", len(parts), o.Grids)
	}
	return out, nil
}

// gridGraph is the graph of a partition's regions: linked where their
// nodes are, sized 1 each, weighed by their mass, with their sum vectors.
func gridGraph(p *partition) *graph {
	var links [][2]int32
	for v := range int32(p.g.n) {
		for _, u := range p.g.neighbours(v) {
			if a, b := p.region[v], p.region[u]; a < b {
				links = append(links, [2]int32{a, b})
			}
		}
	}
	g := newGraph(p.k, p.g.dim, links)
	for r := range p.k {
		g.size[r] = 1
		g.mass[r] = p.mass[r]
		copy(g.vector(int32(r)), p.sum[r*p.g.dim:(r+1)*p.g.dim])
	}
	return g.finish()
}
