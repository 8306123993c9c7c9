package regroup

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Report describes a plan: its quality, and each grid and district in
// figures and words.
type Report struct {
	Options    Options          `json:"options"`
	Buildings  int              `json:"buildings"`
	Households int              `json:"households"`
	Residents  int              `json:"residents"`
	Quality    Quality          `json:"quality"`
	Current    *Quality         `json:"current,omitempty"` // the layout today, when the buildings say
	Grids      []GridReport     `json:"grids"`
	Districts  []DistrictReport `json:"districts"`
	TookMillis int64            `json:"took_ms"`
}

// Quality measures a layout the way shared/data/regroup/README.md does,
// over the standardised, unweighted profile columns.
type Quality struct {
	Grids     int `json:"grids"`
	Districts int `json:"districts"`
	// TSS is the total sum of squares; WithinGridSSD the sum of squared
	// deviations from each grid's mean.
	TSS           float64 `json:"tss"`
	WithinGridSSD float64 `json:"within_grid_ssd"`
	// ExplainedByGrids is 1 − WithinGridSSD/TSS.
	ExplainedByGrids float64 `json:"explained_by_grids"`
	// R2BetweenBuildings is the share of the between-building variance the
	// grids explain: 1 − (WithinGridSSD − WBSS)/BSS. No grid of whole
	// buildings can remove the variance within buildings (WBSS).
	R2BetweenBuildings   float64 `json:"r2_between_buildings"`
	WithinDistrictSSD    float64 `json:"within_district_ssd"`
	ExplainedByDistricts float64 `json:"explained_by_districts"`
	// Constraints: all zero in every plan Solve returns.
	BoundViolations        int `json:"bound_violations"`
	NonContiguousGrids     int `json:"non_contiguous_grids"`
	NonContiguousDistricts int `json:"non_contiguous_districts"`
	SplitBuildings         int `json:"split_buildings"`
	// Ranges, for the reader.
	HouseholdsPerGrid [2]int `json:"households_per_grid"`
	GridsPerDistrict  [2]int `json:"grids_per_district"`
}

// GridReport describes one grid.
type GridReport struct {
	Grid       int     `json:"grid"`
	District   int     `json:"district"`
	Buildings  int     `json:"buildings"`
	Households int     `json:"households"`
	Residents  int     `json:"residents"`
	Traits     []Trait `json:"traits"`
	// Vulnerable sums each vulnerability column over the grid's households:
	// residents, when the column counts residents (as the registry's do);
	// households, when it is 0/1.
	Vulnerable map[string]float64 `json:"vulnerable"`
	// Why says in words what the grid's households share.
	Why string `json:"why"`
}

// DistrictReport describes one district.
type DistrictReport struct {
	District   int                `json:"district"`
	Grids      []int              `json:"grids"`
	Households int                `json:"households"`
	Residents  int                `json:"residents"`
	Traits     []Trait            `json:"traits"`
	Vulnerable map[string]float64 `json:"vulnerable"`
	Why        string             `json:"why"`
}

// Trait is an interest or need more common in a grid than overall.
type Trait struct {
	Name      string  `json:"name"`
	Kind      string  `json:"kind"`
	Share     float64 `json:"share"`     // mean value over the grid's households (for 0/1: the share that has it)
	Community float64 `json:"community"` // the same over everyone
}

// maxTraits is how many traits a grid's description names.
const maxTraits = 3

// report measures a plan.
func report(c *Community, plan *Plan, o Options, t *totals, g *graph) Report {
	o.Progress = nil
	r := Report{Options: o, Buildings: len(c.Buildings), Households: len(c.Households)}
	for _, h := range c.Households {
		r.Residents += h.Size
	}
	districtOfBuilding := make([]int, len(plan.Grid))
	for b, g := range plan.Grid {
		districtOfBuilding[b] = plan.District[g]
	}
	r.Quality = measure(c, t, g, plan.Grid, o.Grids, districtOfBuilding, o.Districts, o.GridMin, o.GridMax)
	r.Current = current(c, t, g, o)

	sums := profileSums(c, plan.Grid, o.Grids)
	for g := range o.Grids {
		gr := GridReport{Grid: g, District: plan.District[g]}
		for _, x := range plan.Grid {
			if x == g {
				gr.Buildings++
			}
		}
		gr.Households, gr.Residents = sums.households[g], sums.residents[g]
		gr.Traits, gr.Vulnerable, gr.Why = describe(c, t, sums.values[g], sums.households[g], "grid")
		r.Grids = append(r.Grids, gr)
	}
	dsums := profileSums(c, districtOfBuilding, o.Districts)
	for d := range o.Districts {
		dr := DistrictReport{District: d, Households: dsums.households[d], Residents: dsums.residents[d], Grids: []int{}}
		for g, x := range plan.District {
			if x == d {
				dr.Grids = append(dr.Grids, g)
			}
		}
		dr.Traits, dr.Vulnerable, dr.Why = describe(c, t, dsums.values[d], dsums.households[d], "district")
		r.Districts = append(r.Districts, dr)
	}
	return r
}

// regionSums are raw profile sums per region.
type regionSums struct {
	households, residents []int
	values                [][]float64
}

func profileSums(c *Community, regionOf []int, k int) regionSums {
	s := regionSums{households: make([]int, k), residents: make([]int, k), values: make([][]float64, k)}
	for i := range s.values {
		s.values[i] = make([]float64, len(c.Columns))
	}
	for h, hh := range c.Households {
		r := regionOf[hh.Building]
		s.households[r]++
		s.residents[r] += hh.Size
		for j, v := range c.Values(h) {
			s.values[r][j] += v
		}
	}
	return s
}

// describe finds what sets a region's households apart and says it.
func describe(c *Community, t *totals, sums []float64, households int, what string) ([]Trait, map[string]float64, string) {
	vulnerable := map[string]float64{}
	type cand struct {
		trait Trait
		lift  float64 // standardised difference from the community
	}
	var cands []cand
	for j, col := range c.Columns {
		if col.Kind == Vulnerability {
			vulnerable[col.Name] = sums[j]
			continue
		}
		if households == 0 || t.sd[j] == 0 {
			continue
		}
		share := sums[j] / float64(households)
		lift := (share - t.mean[j]) / t.sd[j]
		if lift > 0.15 {
			cands = append(cands, cand{Trait{Name: col.Name, Kind: col.Kind.String(), Share: round(share), Community: round(t.mean[j])}, lift})
		}
	}
	slices.SortStableFunc(cands, func(a, b cand) int {
		if a.lift != b.lift {
			if a.lift > b.lift {
				return -1
			}
			return 1
		}
		return strings.Compare(a.trait.Name, b.trait.Name)
	})
	traits := []Trait{}
	for _, cd := range cands[:min(len(cands), maxTraits)] {
		traits = append(traits, cd.trait)
	}
	if len(traits) == 0 {
		return traits, vulnerable, fmt.Sprintf("a mixed %s, close to the community as a whole", what)
	}
	var parts []string
	for _, tr := range traits {
		parts = append(parts, fmt.Sprintf("%s %s (%.0f%% of households, %.0f%% in the community)",
			map[string]string{"interest": "interested in", "need": "needing"}[tr.Kind], words(tr.Name), 100*tr.Share, 100*tr.Community))
	}
	return traits, vulnerable, "more households than elsewhere " + strings.Join(parts, "; ")
}

// words turns a column name into words: "i_square_dance" → "square dance".
func words(name string) string {
	if len(name) > 2 && name[1] == '_' {
		name = name[2:]
	}
	return strings.ReplaceAll(name, "_", " ")
}

func round(x float64) float64 { return math.Round(x*1000) / 1000 }

// measure computes the quality figures of a layout given by building.
func measure(c *Community, t *totals, g *graph, gridOf []int, grids int, districtOf []int, districts, lo, hi int) Quality {
	q := Quality{Grids: grids, Districts: districts}
	nb := len(c.Buildings)
	var tss, bss float64
	for b := range nb {
		tss += t.sq[b]
		if n := g.mass[b]; n > 0 {
			s := t.sum[b*t.cols : (b+1)*t.cols]
			bss += dot(s, s) / n
		}
	}
	wbss := tss - bss
	within := func(regionOf []int, k int) float64 {
		sum := make([]float64, k*t.cols)
		n := make([]float64, k)
		var sq float64
		for b := range nb {
			r := regionOf[b]
			n[r] += g.mass[b]
			sq += t.sq[b]
			s := sum[r*t.cols : (r+1)*t.cols]
			for j, v := range t.sum[b*t.cols : (b+1)*t.cols] {
				s[j] += v
			}
		}
		w := sq
		for r := range k {
			if n[r] > 0 {
				s := sum[r*t.cols : (r+1)*t.cols]
				w -= dot(s, s) / n[r]
			}
		}
		return w
	}
	q.TSS = tss
	q.WithinGridSSD = within(gridOf, grids)
	q.WithinDistrictSSD = within(districtOf, districts)
	if tss > 0 {
		q.ExplainedByGrids = 1 - q.WithinGridSSD/tss
		q.ExplainedByDistricts = 1 - q.WithinDistrictSSD/tss
	}
	if bss > 0 {
		q.R2BetweenBuildings = 1 - (q.WithinGridSSD-wbss)/bss
	}

	sizes := make([]int, grids)
	for b := range nb {
		sizes[gridOf[b]] += g.size[b]
	}
	q.HouseholdsPerGrid = [2]int{slices.Min(sizes), slices.Max(sizes)}
	for _, s := range sizes {
		if s < lo || s > hi {
			q.BoundViolations++
		}
	}
	per := make([]int, districts)
	gridDistrict := make(map[int]int, grids)
	for b := range nb {
		gridDistrict[gridOf[b]] = districtOf[b]
	}
	for _, d := range gridDistrict {
		per[d]++
	}
	q.GridsPerDistrict = [2]int{slices.Min(per), slices.Max(per)}
	q.NonContiguousGrids = pieces(g, gridOf, grids)
	q.NonContiguousDistricts = pieces(g, districtOf, districts)
	for _, v := range q.quantities() {
		*v = round(*v)
	}
	return q
}

func (q *Quality) quantities() []*float64 {
	return []*float64{&q.TSS, &q.WithinGridSSD, &q.ExplainedByGrids, &q.R2BetweenBuildings, &q.WithinDistrictSSD, &q.ExplainedByDistricts}
}

// pieces counts the regions that are not in one piece on the graph.
func pieces(g *graph, regionOf []int, k int) int {
	region := make([]int32, g.n)
	for v, r := range regionOf {
		region[v] = int32(r)
	}
	return (&partition{g: g, k: k, region: region}).disconnected()
}

// current measures today's layout, if every building names its grid.
func current(c *Community, t *totals, g *graph, o Options) *Quality {
	gridIndex, districtIndex := map[string]int{}, map[string]int{}
	gridOf, districtOf := make([]int, len(c.Buildings)), make([]int, len(c.Buildings))
	for b, bl := range c.Buildings {
		if bl.Grid == "" {
			return nil
		}
		if _, ok := gridIndex[bl.Grid]; !ok {
			gridIndex[bl.Grid] = len(gridIndex)
		}
		d := bl.District
		if _, ok := districtIndex[d]; !ok {
			districtIndex[d] = len(districtIndex)
		}
		gridOf[b], districtOf[b] = gridIndex[bl.Grid], districtIndex[d]
	}
	k := len(gridIndex)
	mean := float64(len(c.Households)) / float64(k)
	q := measure(c, t, g, gridOf, k, districtOf, len(districtIndex), int(math.Floor(mean*0.8)), int(math.Ceil(mean*1.2)))
	return &q
}
