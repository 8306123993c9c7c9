package regroup_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/linli-go/linli/grids/regroup"
)

// tile lays nx × ny copies of a community side by side, streets between
// them linking the buildings that face each other: the larger inputs of
// the same shape that the speed targets speak of.
func tile(c *regroup.Community, nx, ny int) *regroup.Community {
	minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, b := range c.Buildings {
		minX, maxX = min(minX, b.X), max(maxX, b.X)
		minY, maxY = min(minY, b.Y), max(maxY, b.Y)
	}
	w, h := maxX-minX+40, maxY-minY+40
	nb := len(c.Buildings)
	out := &regroup.Community{Columns: c.Columns}
	for j := range ny {
		for i := range nx {
			copyNo := j*nx + i
			for _, b := range c.Buildings {
				b.ID = fmt.Sprintf("%d_%s", copyNo, b.ID)
				b.X += float64(i) * w
				b.Y += float64(j) * h
				b.Grid, b.District = "", ""
				out.Buildings = append(out.Buildings, b)
			}
			for _, l := range c.Links {
				out.Links = append(out.Links, [2]int{l[0] + copyNo*nb, l[1] + copyNo*nb})
			}
			for hh, x := range c.Households {
				x.ID = fmt.Sprintf("%d_%s", copyNo, x.ID)
				x.Building += copyNo * nb
				out.Households = append(out.Households, x)
				out.Profile = append(out.Profile, c.Values(hh)...)
			}
		}
	}
	// Streets: each building on a copy's east (north) edge meets the
	// nearest one on the next copy's west (south) edge.
	edge := func(near func(b regroup.Building) bool) []int {
		var out []int
		for i, b := range c.Buildings {
			if near(b) {
				out = append(out, i)
			}
		}
		return out
	}
	east, west := edge(func(b regroup.Building) bool { return b.X > maxX-15 }), edge(func(b regroup.Building) bool { return b.X < minX+15 })
	north, south := edge(func(b regroup.Building) bool { return b.Y > maxY-15 }), edge(func(b regroup.Building) bool { return b.Y < minY+15 })
	nearest := func(from int, to []int, axis func(regroup.Building) float64) int {
		best := to[0]
		for _, t := range to {
			if math.Abs(axis(c.Buildings[t])-axis(c.Buildings[from])) < math.Abs(axis(c.Buildings[best])-axis(c.Buildings[from])) {
				best = t
			}
		}
		return best
	}
	y := func(b regroup.Building) float64 { return b.Y }
	x := func(b regroup.Building) float64 { return b.X }
	for j := range ny {
		for i := range nx {
			here := (j*nx + i) * nb
			if i+1 < nx {
				for _, e := range east {
					out.Links = append(out.Links, [2]int{here + e, here + nb + nearest(e, west, y)})
				}
			}
			if j+1 < ny {
				for _, n := range north {
					out.Links = append(out.Links, [2]int{here + n, here + nx*nb + nearest(n, south, x)})
				}
			}
		}
	}
	return out
}

func benchSolve(b *testing.B, c *regroup.Community, o regroup.Options) {
	var q regroup.Quality
	for b.Loop() {
		plan, err := regroup.Solve(context.Background(), c, o)
		if err != nil {
			b.Fatal(err)
		}
		q = plan.Report.Quality
	}
	if q.BoundViolations+q.NonContiguousGrids+q.NonContiguousDistricts != 0 {
		b.Fatalf("constraints broken: %+v", q)
	}
	b.ReportMetric(q.R2BetweenBuildings, "R2")
	b.ReportMetric(float64(len(c.Buildings)), "buildings")
}

func BenchmarkSolve(b *testing.B) {
	c, err := regroup.ReadDir(sample)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("community", func(b *testing.B) { benchSolve(b, c, regroup.Options{Districts: 4, Grids: 18, Seed: 1}) })
	b.Run("ten", func(b *testing.B) { benchSolve(b, tile(c, 5, 2), regroup.Options{Districts: 40, Grids: 180, Seed: 1}) })
	b.Run("city", func(b *testing.B) {
		benchSolve(b, tile(c, 16, 15), regroup.Options{Districts: 960, Grids: 4300, Seed: 1})
	})
}
