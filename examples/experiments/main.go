// Command experiments tries a policy on a simulated community before a
// community adopts it: a deterministic, seeded run over the real packages
// and the memory store, in which residents join groups, serve at
// activities, earn and redeem points at markets, and projects spend their
// grants. It prints the case's outcome table and how points and hours are
// spread.
//
//	go run ./examples/experiments -monthly-cap 20 -expiry-years 1 -fund 20000
//
// To write your own experiment, call Run with two policies that differ in
// one thing and compare the results, as main_test.go does: Policy holds
// the accrual policy (points.PolicyInput), the market frequency and the
// fund; Community the size of the place; the behaviour Run models is
// described on Run.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/shopspring/decimal"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "experiments:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("experiments", flag.ContinueOnError)
	seed := fs.Uint64("seed", 1, "the simulation's seed")
	rate := fs.String("points-per-hour", "1", "points an hour of service earns")
	monthly := fs.String("monthly-cap", "200", "points one volunteer earns a month at most (0: no cap)")
	expiry := fs.Int("expiry-years", 1, "points expire at the end of this many years after the earning year (0: never)")
	every := fs.Int("market-every", 1, "months between markets (0: none)")
	fund := fs.Int64("fund", 30000, "the 1+1+1 fund, in yuan")
	capYuan := fs.Int64("cap", 10000, "the per-project cap, in yuan")
	months := fs.Int("months", DefaultCommunity.Months, "how long to simulate")
	residents := fs.Int("residents", DefaultCommunity.Residents, "residents of record")
	asJSON := fs.Bool("json", false, "print the whole result as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	p := DefaultPolicy()
	var err error
	if p.Points.PointsPerHour, err = decimal.NewFromString(*rate); err != nil {
		return fmt.Errorf("-points-per-hour: %w", err)
	}
	if p.Points.MonthlyCap, err = decimal.NewFromString(*monthly); err != nil {
		return fmt.Errorf("-monthly-cap: %w", err)
	}
	if *months < 1 || *months > 60 || *residents < 10 || *residents > 5000 || *every < 0 {
		return fmt.Errorf("-months is 1 to 60, -residents 10 to 5000, -market-every not negative")
	}
	p.Points.ExpiryYears, p.MarketEvery = *expiry, *every
	p.FundSize, p.ProjectCap = decimal.NewFromInt(*fund), decimal.NewFromInt(*capYuan)
	if err := p.Points.Validate(); err != nil {
		return err
	}
	shape := DefaultCommunity
	shape.Months, shape.Residents = *months, *residents
	res, err := Run(*seed, p, shape)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	t := res.Table
	fmt.Fprintf(out, "council meetings %d, activities %d, volunteers %d, service hours %s, kinds of service %d\n", t.CouncilMeetings, t.Activities, t.Volunteers, t.ServiceHours, t.KindsOfService)
	fmt.Fprintf(out, "points issued %s, redeemed %s (%.1f%%), expired %s\n", res.PointsIssued, res.PointsRedeemed, 100*res.RedemptionRate, res.PointsExpired)
	fmt.Fprintf(out, "top 10%% of volunteers: %.1f%% of points, %.1f%% of hours\n", 100*res.TopDecileShare, 100*res.HoursTopDecileShare)
	fmt.Fprintf(out, "markets %d, donated items %d; projects %d, granted %s, spent %s, fund left %s\n", t.Markets, t.DonatedItems, res.Projects, res.Granted, res.Spent, res.FundLeft)
	return nil
}
