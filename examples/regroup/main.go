// Command regroup plans grids and districts for a community given as CSV
// files (the format of shared/data/regroup/README.md) and writes the plan:
//
//	go run ./examples/regroup -data grids/regroup/testdata/community \
//	    -districts 4 -grids 18 -seed 1 -out plan
//
// writes plan/assignment.csv (household,building,grid,district; grids and
// districts numbered from 0) and plan/report.json (quality figures and
// each grid and district described), and prints a summary.
package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"

	"github.com/linli-go/linli/grids/regroup"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "regroup:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("regroup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "", "directory holding buildings.csv, edges.csv and households.csv")
	districts := fs.Int("districts", 0, "number of districts")
	grids := fs.Int("grids", 0, "number of grids")
	gridMin := fs.Int("grid-min", 0, "fewest households in a grid (default 20% below the mean)")
	gridMax := fs.Int("grid-max", 0, "most households in a grid (default 20% above the mean)")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same plan")
	out := fs.String("out", "", "directory to write assignment.csv and report.json into (created if missing)")
	effort := fs.Float64("effort", 1, "search effort: more searches longer")
	var w regroup.Weights = regroup.DefaultWeights
	fs.Float64Var(&w.Interest, "w-interest", w.Interest, "weight of interests")
	fs.Float64Var(&w.Need, "w-need", w.Need, "weight of needs")
	fs.Float64Var(&w.Vulnerability, "w-vulnerability", w.Vulnerability, "weight of vulnerabilities")
	fs.Float64Var(&w.Compactness, "w-compactness", w.Compactness, "weight of position (compact grids)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *data == "" || *out == "" {
		fs.Usage()
		return fmt.Errorf("-data and -out are required")
	}
	c, err := regroup.ReadDir(*data)
	if err != nil {
		return err
	}
	o := regroup.Options{Districts: *districts, Grids: *grids, GridMin: *gridMin, GridMax: *gridMax, Seed: *seed, Effort: *effort, Weights: w}
	plan, err := regroup.Solve(ctx, c, o)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	if err := writeAssignment(filepath.Join(*out, "assignment.csv"), c, plan); err != nil {
		return err
	}
	report, err := json.MarshalIndent(plan.Report, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(*out, "report.json"), append(report, '\n'), 0o644); err != nil {
		return err
	}
	q := plan.Report.Quality
	fmt.Fprintf(stdout, "%d buildings, %d households → %d grids in %d districts (%d ms)\n",
		len(c.Buildings), len(c.Households), q.Grids, q.Districts, plan.Report.TookMillis)
	fmt.Fprintf(stdout, "R² between buildings %.3f; households per grid %d–%d; grids per district %d–%d\n",
		q.R2BetweenBuildings, q.HouseholdsPerGrid[0], q.HouseholdsPerGrid[1], q.GridsPerDistrict[0], q.GridsPerDistrict[1])
	fmt.Fprintf(stdout, "bound violations %d, non-contiguous grids %d, non-contiguous districts %d, split buildings %d\n",
		q.BoundViolations, q.NonContiguousGrids, q.NonContiguousDistricts, q.SplitBuildings)
	fmt.Fprintf(stdout, "wrote %s and %s\n", filepath.Join(*out, "assignment.csv"), filepath.Join(*out, "report.json"))
	return nil
}

func writeAssignment(path string, c *regroup.Community, plan *regroup.Plan) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	_ = w.Write([]string{"household", "building", "grid", "district"})
	for _, h := range c.Households {
		g := plan.Grid[h.Building]
		_ = w.Write([]string{h.ID, c.Buildings[h.Building].ID, strconv.Itoa(g), strconv.Itoa(plan.District[g])})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
