package regroup_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/grids/regroup"
	"github.com/linli-go/linli/internal/errs"
)

const sample = "testdata/community"

// verify checks a plan against the community directly, not through the
// plan's own report: every building placed, grids and districts contiguous
// on the links, grids within the bounds, districts' grid counts within one.
func verify(t testing.TB, c *regroup.Community, o regroup.Options, p *regroup.Plan, lo, hi int) {
	t.Helper()
	require.Len(t, p.Grid, len(c.Buildings))
	require.Len(t, p.District, o.Grids)
	households := make([]int, o.Grids)
	for _, h := range c.Households {
		households[p.Grid[h.Building]]++
	}
	for g, n := range households {
		assert.True(t, n >= lo && n <= hi, "grid %d has %d households, bounds %d–%d", g, n, lo, hi)
	}
	perDistrict := make([]int, o.Districts)
	for _, d := range p.District {
		require.True(t, d >= 0 && d < o.Districts)
		perDistrict[d]++
	}
	mn, mx := perDistrict[0], perDistrict[0]
	for _, n := range perDistrict {
		mn, mx = min(mn, n), max(mx, n)
	}
	assert.LessOrEqual(t, mx-mn, 1, "grids per district %v", perDistrict)
	assert.Positive(t, mn, "no empty district")

	adj := make([][]int, len(c.Buildings))
	for _, l := range c.Links {
		adj[l[0]] = append(adj[l[0]], l[1])
		adj[l[1]] = append(adj[l[1]], l[0])
	}
	connected := func(regionOf func(b int) int, k int, what string) {
		seen := make([]bool, len(c.Buildings))
		pieces := make([]int, k)
		for s := range c.Buildings {
			if seen[s] {
				continue
			}
			r := regionOf(s)
			pieces[r]++
			seen[s] = true
			q := []int{s}
			for len(q) > 0 {
				v := q[len(q)-1]
				q = q[:len(q)-1]
				for _, w := range adj[v] {
					if !seen[w] && regionOf(w) == r {
						seen[w] = true
						q = append(q, w)
					}
				}
			}
		}
		for r, n := range pieces {
			assert.Equal(t, 1, n, "%s %d is in %d pieces", what, r, n)
		}
	}
	connected(func(b int) int { return p.Grid[b] }, o.Grids, "grid")
	connected(func(b int) int { return p.District[p.Grid[b]] }, o.Districts, "district")
}

func TestSampleCommunity(t *testing.T) {
	c, err := regroup.ReadDir(sample)
	require.NoError(t, err)
	o := regroup.Options{Districts: 4, Grids: 18, Seed: 1}
	plan, err := regroup.Solve(context.Background(), c, o)
	require.NoError(t, err)
	mean := float64(len(c.Households)) / 18
	verify(t, c, o, plan, int(mean*0.8), int(mean*1.2)+1)

	q := plan.Report.Quality
	assert.GreaterOrEqual(t, q.R2BetweenBuildings, 0.50, "the target; the best bound-respecting peer reaches 0.46")
	assert.Zero(t, q.BoundViolations+q.NonContiguousGrids+q.NonContiguousDistricts+q.SplitBuildings)
	assert.Equal(t, [2]int{4, 5}, q.GridsPerDistrict)
	assert.Len(t, plan.Report.Grids, 18)
	assert.Len(t, plan.Report.Districts, 4)
	assert.Nil(t, plan.Report.Current, "the sample names no current layout")
	described := 0
	for _, g := range plan.Report.Grids {
		assert.NotEmpty(t, g.Why)
		if len(g.Traits) > 0 {
			described++
			assert.Contains(t, g.Why, "more households than elsewhere")
		}
		assert.Contains(t, g.Vulnerable, "v_elderly_alone")
	}
	assert.Greater(t, described, 12, "most grids have something that sets them apart")
}

func TestSameSeedSamePlan(t *testing.T) {
	c, err := regroup.ReadDir(sample)
	require.NoError(t, err)
	solve := func(seed uint64) *regroup.Plan {
		p, err := regroup.Solve(context.Background(), c, regroup.Options{Districts: 4, Grids: 18, Seed: seed})
		require.NoError(t, err)
		return p
	}
	a, b, other := solve(7), solve(7), solve(8)
	assert.Equal(t, a.Grid, b.Grid)
	assert.Equal(t, a.District, b.District)
	assert.NotEqual(t, a.Grid, other.Grid, "another seed searches elsewhere")
}

func TestQualityAcrossSeeds(t *testing.T) {
	if testing.Short() {
		t.Skip("20 plans")
	}
	c, err := regroup.ReadDir(sample)
	require.NoError(t, err)
	for seed := uint64(1); seed <= 20; seed++ {
		o := regroup.Options{Districts: 4, Grids: 18, Seed: seed}
		p, err := regroup.Solve(context.Background(), c, o)
		require.NoError(t, err, "seed %d", seed)
		assert.GreaterOrEqual(t, p.Report.Quality.R2BetweenBuildings, 0.50, "seed %d", seed)
		verify(t, c, o, p, p.Report.Options.GridMin, p.Report.Options.GridMax)
	}
}

func TestCurrentLayoutIsCompared(t *testing.T) {
	c, err := regroup.ReadDir(sample)
	require.NoError(t, err)
	// The sample's blocks as today's grids: nine of them.
	for i := range c.Buildings {
		c.Buildings[i].Grid = fmt.Sprint(i / 25)
		c.Buildings[i].District = fmt.Sprint(i / 75)
	}
	p, err := regroup.Solve(context.Background(), c, regroup.Options{Districts: 4, Grids: 18, Seed: 1})
	require.NoError(t, err)
	require.NotNil(t, p.Report.Current)
	assert.Equal(t, 9, p.Report.Current.Grids)
	assert.Greater(t, p.Report.Quality.R2BetweenBuildings, p.Report.Current.R2BetweenBuildings)
}

// lattice is a w × h grid of buildings with the given households each
// (cycling through sizes), profiles drawn from seed.
func lattice(w, h int, sizes []int, seed uint64) *regroup.Community {
	rnd := rand.New(rand.NewPCG(seed, 1))
	c := &regroup.Community{Columns: []regroup.Column{{Name: "i_a", Kind: regroup.Interest}, {Name: "n_b", Kind: regroup.Need}, {Name: "v_c", Kind: regroup.Vulnerability}}}
	for y := range h {
		for x := range w {
			b := len(c.Buildings)
			c.Buildings = append(c.Buildings, regroup.Building{ID: fmt.Sprint(b), X: float64(x) * 30, Y: float64(y) * 30})
			if x > 0 {
				c.Links = append(c.Links, [2]int{b - 1, b})
			}
			if y > 0 {
				c.Links = append(c.Links, [2]int{b - w, b})
			}
			for range sizes[b%len(sizes)] {
				c.Households = append(c.Households, regroup.Household{ID: fmt.Sprint(len(c.Households)), Building: b, Size: 2})
				for range c.Columns {
					c.Profile = append(c.Profile, float64(rnd.IntN(2)))
				}
			}
		}
	}
	return c
}

func TestShapes(t *testing.T) {
	tests := []struct {
		name string
		c    *regroup.Community
		o    regroup.Options
	}{
		{"a path", lattice(30, 1, []int{5, 9, 14}, 1), regroup.Options{Districts: 2, Grids: 5}},
		{"one grid", lattice(4, 4, []int{3}, 1), regroup.Options{Districts: 1, Grids: 1}},
		{"a grid per building", lattice(3, 3, []int{4}, 1), regroup.Options{Districts: 3, Grids: 9}},
		{"a district per grid", lattice(6, 6, []int{4, 7}, 1), regroup.Options{Districts: 6, Grids: 6}},
		{"lumpy sizes, tight bounds", lattice(12, 12, []int{2, 30, 5, 9, 60, 11}, 2), regroup.Options{Districts: 5, Grids: 20, GridMin: 90, GridMax: 170}},
		{"a star", star(12), regroup.Options{Districts: 1, Grids: 2, GridMin: 1, GridMax: 100}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := regroup.Solve(context.Background(), tt.c, tt.o)
			require.NoError(t, err)
			verify(t, tt.c, tt.o, p, p.Report.Options.GridMin, p.Report.Options.GridMax)
		})
	}
}

// star is one building in the middle linked to n others.
func star(n int) *regroup.Community {
	c := &regroup.Community{Columns: []regroup.Column{{Name: "i_a", Kind: regroup.Interest}}}
	for b := range n + 1 {
		c.Buildings = append(c.Buildings, regroup.Building{ID: fmt.Sprint(b), X: float64(b), Y: 0})
		if b > 0 {
			c.Links = append(c.Links, [2]int{0, b})
		}
		c.Households = append(c.Households, regroup.Household{ID: fmt.Sprint(b), Building: b, Size: 1})
		c.Profile = append(c.Profile, float64(b%2))
	}
	return c
}

// TestRandomProblems holds every plan to the constraints on random lattices
// and parameters; a refusal must say why, with a code.
func TestRandomProblems(t *testing.T) {
	rnd := rand.New(rand.NewPCG(42, 42))
	solved := 0
	for i := range 60 {
		w, h := 2+rnd.IntN(12), 1+rnd.IntN(12)
		sizes := []int{1 + rnd.IntN(20), 1 + rnd.IntN(40), 1 + rnd.IntN(10)}
		c := lattice(w, h, sizes, uint64(i))
		grids := 1 + rnd.IntN(w*h)
		o := regroup.Options{Grids: grids, Districts: 1 + rnd.IntN(grids), Seed: uint64(i), Effort: 0.2}
		p, err := regroup.Solve(context.Background(), c, o)
		if err != nil {
			code := errs.CodeOf(err)
			require.Contains(t, []errs.Code{errs.Invalid, errs.FailedPrecondition}, code, "case %d: %v", i, err)
			continue
		}
		solved++
		verify(t, c, o, p, p.Report.Options.GridMin, p.Report.Options.GridMax)
	}
	assert.Greater(t, solved, 20, "most random problems have a plan")
}

func TestDisconnectedGraph(t *testing.T) {
	c, err := regroup.ReadDir(sample)
	require.NoError(t, err)
	// Two copies of the community with no street between them: grids and
	// districts are shared between the parts.
	two := &regroup.Community{Columns: c.Columns}
	for k := range 2 {
		nb := len(c.Buildings)
		for _, b := range c.Buildings {
			b.ID = fmt.Sprint(k, "_", b.ID)
			b.X += float64(k) * 1000
			two.Buildings = append(two.Buildings, b)
		}
		for _, l := range c.Links {
			two.Links = append(two.Links, [2]int{l[0] + k*nb, l[1] + k*nb})
		}
		for h, hh := range c.Households {
			hh.ID = fmt.Sprint(k, "_", hh.ID)
			hh.Building += k * nb
			two.Households = append(two.Households, hh)
			two.Profile = append(two.Profile, c.Values(h)...)
		}
	}
	o := regroup.Options{Districts: 8, Grids: 36, Seed: 1}
	p, err := regroup.Solve(context.Background(), two, o)
	require.NoError(t, err)
	verify(t, two, o, p, p.Report.Options.GridMin, p.Report.Options.GridMax)

	// A lone building cannot make a grid: said before any search.
	lone := lattice(5, 5, []int{10}, 1)
	lone.Buildings = append(lone.Buildings, regroup.Building{ID: "lonely", X: 999, Y: 999})
	lone.Households = append(lone.Households, regroup.Household{ID: "h", Building: len(lone.Buildings) - 1, Size: 1})
	lone.Profile = append(lone.Profile, 1, 0, 0)
	_, err = regroup.Solve(context.Background(), lone, regroup.Options{Districts: 1, Grids: 5})
	require.ErrorIs(t, err, errs.FailedPrecondition)
	assert.Contains(t, err.Error(), "falls into 2 parts")
	_, err = regroup.Solve(context.Background(), lone, regroup.Options{Districts: 2, Grids: 5})
	require.ErrorIs(t, err, errs.FailedPrecondition)
	assert.Contains(t, err.Error(), "cannot make whole grids", "the lone part is the problem")
	assert.Contains(t, err.Error(), "building lonely", "named by its ID")

	// Two unlinked buildings, one grid (found by the fuzzer: it recursed
	// for ever).
	pair := lattice(2, 1, []int{2, 3}, 1)
	pair.Links = nil
	_, err = regroup.Solve(context.Background(), pair, regroup.Options{Districts: 1, Grids: 1})
	require.ErrorIs(t, err, errs.FailedPrecondition)
	p, err = regroup.Solve(context.Background(), pair, regroup.Options{Districts: 2, Grids: 2})
	require.NoError(t, err, "a grid and a district for each")
	verify(t, pair, regroup.Options{Districts: 2, Grids: 2}, p, 1, 4)
}

func TestOptionsRefused(t *testing.T) {
	c := lattice(5, 5, []int{10}, 1) // 25 buildings, 250 households
	tests := []struct {
		name  string
		o     regroup.Options
		code  errs.Code
		field string
	}{
		{"no grids", regroup.Options{Districts: 1}, errs.Invalid, "grids"},
		{"more grids than buildings", regroup.Options{Districts: 1, Grids: 26}, errs.Invalid, "grids"},
		{"more districts than grids", regroup.Options{Districts: 6, Grids: 5}, errs.Invalid, "districts"},
		{"no districts", regroup.Options{Grids: 5}, errs.Invalid, "districts"},
		{"maximum too small", regroup.Options{Districts: 1, Grids: 5, GridMin: 10, GridMax: 40}, errs.Invalid, "grid_max"},
		{"minimum too large", regroup.Options{Districts: 1, Grids: 5, GridMin: 60, GridMax: 90}, errs.Invalid, "grid_min"},
		{"bounds crossed", regroup.Options{Districts: 1, Grids: 5, GridMin: 60, GridMax: 50}, errs.Invalid, "grid_max"},
		{"a building too big", regroup.Options{Districts: 1, Grids: 25, GridMin: 1, GridMax: 9}, errs.Invalid, "grid_max"},
		{"negative weight", regroup.Options{Districts: 1, Grids: 5, Weights: regroup.Weights{Interest: -1}}, errs.Invalid, "weights.interest"},
		{"effort out of range", regroup.Options{Districts: 1, Grids: 5, Effort: 1000}, errs.Invalid, "effort"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := regroup.Solve(context.Background(), c, tt.o)
			require.ErrorIs(t, err, tt.code)
			fields := errs.FieldsOf(err)
			require.NotEmpty(t, fields, "%v", err)
			assert.Equal(t, tt.field, fields[0].Field, "%v", err)
		})
	}
}

func TestCancel(t *testing.T) {
	c, err := regroup.ReadDir(sample)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = regroup.Solve(ctx, c, regroup.Options{Districts: 4, Grids: 18})
	assert.ErrorIs(t, err, context.Canceled)
}

func TestProgress(t *testing.T) {
	c, err := regroup.ReadDir(sample)
	require.NoError(t, err)
	var seen []float64
	_, err = regroup.Solve(context.Background(), c, regroup.Options{Districts: 4, Grids: 18, Progress: func(d float64) { seen = append(seen, d) }})
	require.NoError(t, err)
	require.NotEmpty(t, seen)
	for i := 1; i < len(seen); i++ {
		assert.GreaterOrEqual(t, seen[i], seen[i-1], "progress only grows")
	}
	assert.InDelta(t, 1, seen[len(seen)-1], 1e-9)
}

func TestReadCSVErrors(t *testing.T) {
	const (
		buildings  = "id,x,y\n0,0,0\n1,30,0\n"
		edges      = "a,b,kind\n0,1,block\n"
		households = "id,building,size,i_a,n_b\nh1,0,2,1,0\nh2,1,3,0,1\n"
	)
	tests := []struct {
		name      string
		b, e, h   string
		wantField string
		wantRow   int
	}{
		{"missing column", "id,x\n0,0\n", edges, households, "buildings.header", 1},
		{"duplicate building", "id,x,y\n0,0,0\n0,1,1\n", edges, households, "buildings.id", 3},
		{"NaN coordinate", "id,x,y\n0,NaN,0\n1,0,0\n", edges, households, "buildings.x", 2},
		{"edge to nowhere", buildings, "a,b\n0,7\n", households, "edges.b", 2},
		{"self edge", buildings, "a,b\n1,1\n", households, "edges.b", 2},
		{"household in unknown building", buildings, edges, "id,building,size\nh1,9,1\n", "households.building", 2},
		{"duplicate household", buildings, edges, "id,building,size\nh1,0,1\nh1,1,1\n", "households.id", 3},
		{"bad size", buildings, edges, "id,building,size\nh1,0,0\n", "households.size", 2},
		{"bad profile value", buildings, edges, "id,building,size,i_a\nh1,0,1,yes\n", "households.i_a", 2},
		{"negative profile value", buildings, edges, "id,building,size,i_a\nh1,0,1,-1\n", "households.i_a", 2},
		{"short row", buildings, edges, "id,building,size\nh1,0\n", "households.row", 2},
		{"empty file", "", edges, households, "buildings.header", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := regroup.ReadCSV(strings.NewReader(tt.b), strings.NewReader(tt.e), strings.NewReader(tt.h))
			require.ErrorIs(t, err, errs.Invalid)
			fields := errs.FieldsOf(err)
			require.NotEmpty(t, fields)
			assert.Equal(t, tt.wantField, fields[0].Field, "%v", err)
			assert.Equal(t, tt.wantRow, fields[0].Row, "%v", err)
		})
	}
	c, err := regroup.ReadCSV(strings.NewReader(buildings), strings.NewReader(edges), strings.NewReader(households))
	require.NoError(t, err)
	assert.Equal(t, []regroup.Column{{Name: "i_a", Kind: regroup.Interest}, {Name: "n_b", Kind: regroup.Need}}, c.Columns)
	assert.Equal(t, []float64{0, 1}, c.Values(1))
}

func FuzzReadCSV(f *testing.F) {
	f.Add("id,x,y\n0,0,0\n1,30,0\n", "a,b\n0,1\n", "id,building,size,i_a,v_b\nh1,0,2,1,0\nh2,1,3,0,1\n")
	f.Add("id,x,y,grid\n\"0\",1e308,-5,g\n", "a,b\n0,0\n", "id,building,size\n,0,1\n")
	f.Add("\uFEFFid,x,y\n0,0,0\n", "a,b,c\n", "id,building,size,i_\nh,0,1,1\n")
	f.Fuzz(func(t *testing.T, b, e, h string) {
		c, err := regroup.ReadCSV(strings.NewReader(b), strings.NewReader(e), strings.NewReader(h))
		if err != nil {
			require.ErrorIs(t, err, errs.Invalid)
			return
		}
		require.Equal(t, len(c.Households)*len(c.Columns), len(c.Profile))
		for _, hh := range c.Households {
			require.True(t, hh.Building >= 0 && hh.Building < len(c.Buildings))
			require.Positive(t, hh.Size)
		}
		for _, l := range c.Links {
			require.NotEqual(t, l[0], l[1])
		}
		// Whatever reads must also plan or be refused with a reason.
		if len(c.Households) > 0 && len(c.Buildings) > 0 && len(c.Households) <= 200 {
			_, err := regroup.Solve(context.Background(), c, regroup.Options{Districts: 1, Grids: 1, Effort: 0.05})
			if err != nil {
				require.Contains(t, []errs.Code{errs.Invalid, errs.FailedPrecondition}, errs.CodeOf(err), "%v", err)
			}
		}
	})
}
