// Command citybench measures linli at the size of a city: N communities
// shaped like the demo (each generated from a seed of its own: registry,
// governance, volunteer bank and funds), placed in turn over S shards
// behind a shard.Router, under a mixed load of reads and writes. For each
// step of how many communities the load spreads over (-steps 1,10,100) it
// prints operations/s, p50, p99 and the mean time per operation, each kind
// of operation apart, and the mean's ratio to the first step's: the work
// of one community must not grow with the number of communities. Then the
// size of each shard's database.
//
//	go run ./examples/citybench -communities 3                 # SQLite files in a temporary directory, 2 shards
//	go run ./examples/citybench -shards 'postgres://…/a?search_path=city,postgres://…/b?search_path=city,postgres://…/c?search_path=city' -communities 100
//
// Communities already made (a mark in the first shard) are kept, so a run
// can be repeated on the same databases without seeding them again.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/linli-go/linli/adapters/shard"
	"github.com/linli-go/linli/adapters/sqlstore"
	"github.com/linli-go/linli/funds/fundsdemo"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/governancedemo"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/gridsdemo"
	"github.com/linli-go/linli/points"
	"github.com/linli-go/linli/points/pointsdemo"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "citybench:", err)
		os.Exit(1)
	}
}

type config struct {
	shards      []string
	communities int
	parallel    int
	clients     int
	duration    time.Duration
	steps       []int
	history     bool
	gather      string
	spread      bool
	cache       time.Duration
}

func parse(args []string) (config, error) {
	fs := flag.NewFlagSet("citybench", flag.ContinueOnError)
	shards := fs.String("shards", "", "the shards' databases, comma-separated (SQLite files or PostgreSQL URLs); two SQLite files in a temporary directory if empty")
	c := config{}
	fs.IntVar(&c.communities, "communities", 3, "how many communities")
	fs.IntVar(&c.parallel, "parallel", 2, "communities seeded at once")
	fs.IntVar(&c.clients, "clients", 8, "concurrent clients of the load")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "how long each step of the load runs")
	steps := fs.String("steps", "1,10,100", "how many communities the load spreads over, step by step (at most -communities)")
	fs.BoolVar(&c.history, "history", true, "seed each community's governance, volunteer bank and funds, not its registry alone")
	fs.BoolVar(&c.spread, "spread", false, "before the load, move every community back to the shard it was placed on (community i on shard i mod S)")
	fs.DurationVar(&c.cache, "cache", time.Second, "how long the router keeps the directory's answers (0: it asks at every transaction)")
	fs.StringVar(&c.gather, "gather", "", "before the load, move every community to the shard named (shard1, …), under no load, and report each move")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	for _, s := range strings.Split(*shards, ",") {
		if s = strings.TrimSpace(s); s != "" {
			c.shards = append(c.shards, s)
		}
	}
	for _, s := range strings.Split(*steps, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return c, fmt.Errorf("-steps: %q is not a number of communities", s)
		}
		if n <= c.communities {
			c.steps = append(c.steps, n)
		}
	}
	if len(c.steps) == 0 {
		c.steps = []int{c.communities}
	}
	if c.communities < 1 || c.parallel < 1 || c.clients < 1 || c.duration <= 0 {
		return c, errors.New("-communities, -parallel, -clients and -duration must be positive")
	}
	return c, nil
}

// city is the shards, the router over them and the services on it.
type city struct {
	dbs    []*sqlstore.DB
	names  []string
	router *shard.Router
	reg    *grids.Registry
	pts    *points.Service
}

func run(ctx context.Context, args []string, out io.Writer) error {
	c, err := parse(args)
	if err != nil {
		return err
	}
	if len(c.shards) == 0 {
		dir, err := os.MkdirTemp("", "citybench")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		c.shards = []string{filepath.Join(dir, "shard1.db"), filepath.Join(dir, "shard2.db")}
	}
	cy := city{}
	var shards []shard.Shard
	for i, dsn := range c.shards {
		db, err := sqlstore.Open(ctx, sqlstore.Config{DSN: dsn, MaxConns: 16})
		if err != nil {
			return fmt.Errorf("shard %d: %w", i+1, err)
		}
		defer db.Close()
		name := fmt.Sprintf("shard%d", i+1)
		cy.dbs, cy.names = append(cy.dbs, db), append(cy.names, name)
		shards = append(shards, db.Shard(name))
	}
	var dir shard.Directory = cy.dbs[0].Directory()
	if c.cache > 0 {
		dir = shard.NewCached(dir, c.cache)
	}
	if cy.router, err = shard.New(dir, shards...); err != nil {
		return err
	}
	gov := governance.NewService(cy.router.Governance(), cy.router.Grids(), governance.Options{})
	cy.reg = grids.NewRegistry(cy.router.Grids(), grids.Options{Bodies: gov})
	cy.pts = points.NewService(cy.router.Points(), governance.Lookup{Store: cy.router.Governance()}, grids.Lookup{Store: cy.router.Grids()}, points.Options{Groups: gov})

	fmt.Fprintf(out, "%d communities on %d shards (%s)\n", c.communities, len(c.shards), cy.dbs[0].Dialect())
	started := time.Now()
	ids, made, err := cy.seed(ctx, c, out)
	if err != nil {
		return err
	}
	if made > 0 {
		for _, db := range cy.dbs {
			if err := db.Analyze(ctx); err != nil {
				return err
			}
		}
	}
	fmt.Fprintf(out, "seeded %d communities in %v (%d made before)\n", made, time.Since(started).Round(time.Second), c.communities-made)
	switch {
	case c.gather != "":
		if err := cy.moveAll(ctx, ids, func(int) string { return c.gather }, c.cache, out); err != nil {
			return err
		}
	case c.spread:
		if err := cy.moveAll(ctx, ids, func(i int) string { return cy.names[i%len(cy.names)] }, c.cache, out); err != nil {
			return err
		}
	}
	comms, err := cy.sample(ctx, ids)
	if err != nil {
		return err
	}
	residents := 0
	for _, cm := range comms {
		residents += cm.residents
	}
	fmt.Fprintf(out, "%d communities, %d residents\n", len(comms), residents)

	fmt.Fprintf(out, "%d clients, %v a step; time per operation is the mean\n", c.clients, c.duration)
	fmt.Fprintf(out, "%-12s %10s %9s %9s %9s %8s   %s\n", "communities", "ops/s", "p50 ms", "p99 ms", "mean ms", "×first", "p50 ms of each kind")
	var first float64
	for _, k := range c.steps {
		res, err := cy.load(ctx, comms[:k], c.clients, c.duration)
		if err != nil {
			return fmt.Errorf("the load over %d communities: %w", k, err)
		}
		if first == 0 {
			first = res.mean
		}
		var kinds []string
		for _, op := range ops {
			kinds = append(kinds, fmt.Sprintf("%s %.2f", op.name, ms(res.kinds[op.name])))
		}
		fmt.Fprintf(out, "%-12d %10.0f %9.2f %9.2f %9.2f %8.2f   %s\n", k, res.rate, ms(res.p50), ms(res.p99), res.mean/1e6, res.mean/first, strings.Join(kinds, ", "))
	}
	for i, db := range cy.dbs {
		size, err := db.Size(ctx)
		if err != nil {
			return err
		}
		n := 0
		for _, cm := range comms {
			if cm.shard == cy.names[i] {
				n++
			}
		}
		fmt.Fprintf(out, "%s: %d communities, %.1f MB\n", cy.names[i], n, float64(size)/(1<<20))
	}
	return nil
}

// moveAll moves community i to the shard to(i) names, one at a time,
// and reports how long each was read-only.
func (cy city) moveAll(ctx context.Context, ids []string, to func(i int) string, cache time.Duration, out io.Writer) error {
	var moves []time.Duration
	for i, id := range ids {
		where, err := cy.router.Locate(ctx, id)
		if err != nil {
			return err
		}
		if where == to(i) {
			continue
		}
		m, err := cy.router.Move(ctx, id, to(i), shard.MoveOptions{Grace: cache + 50*time.Millisecond})
		if err != nil {
			return fmt.Errorf("move %s to %s: %w", id, to(i), err)
		}
		moves = append(moves, m.ReadOnly)
	}
	if len(moves) > 0 {
		slices.Sort(moves)
		fmt.Fprintf(out, "moved %d communities: read-only for %v at the median, %v at most\n", len(moves),
			moves[len(moves)/2].Round(10*time.Millisecond), moves[len(moves)-1].Round(10*time.Millisecond))
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// seed makes the communities not made yet, -parallel at a time, placed on
// the shards in turn; it returns every community's ID, in order.
func (cy city) seed(ctx context.Context, c config, out io.Writer) ([]string, int, error) {
	ids := make([]string, c.communities)
	var todo []int
	for i := range c.communities {
		id, ok, err := cy.dbs[0].Marked(ctx, mark(i))
		if err != nil {
			return nil, 0, err
		}
		if ok {
			ids[i] = id
			continue
		}
		todo = append(todo, i)
	}
	var (
		next  atomic.Int64
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	for range c.parallel {
		wg.Go(func() {
			for {
				j := int(next.Add(1)) - 1
				if j >= len(todo) {
					return
				}
				i := todo[j]
				began := time.Now()
				id, err := cy.seedOne(ctx, i, c.history)
				mu.Lock()
				if err != nil && first == nil {
					first = fmt.Errorf("community %d: %w", i+1, err)
				}
				ids[i] = id
				if err == nil {
					fmt.Fprintf(out, "  community %d of %d made in %v\n", i+1, c.communities, time.Since(began).Round(100*time.Millisecond))
				}
				mu.Unlock()
				if err != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	return ids, len(todo), first
}

func mark(i int) string { return fmt.Sprintf("citybench-community-%d", i+1) }

// seedOne makes community i (its seed is i+1), on shard i mod S.
func (cy city) seedOne(ctx context.Context, i int, history bool) (string, error) {
	admin := shard.On(grids.WithPrincipal(ctx, grids.Admin("citybench")), cy.names[i%len(cy.names)])
	end := time.Now()
	gc := gridsdemo.Generate(end.Year(), uint64(i+1))
	gc.Name = fmt.Sprintf("%s%d", gc.Name, i+1)
	com, err := gridsdemo.Seed(admin, cy.reg, gc)
	if err != nil {
		return "", fmt.Errorf("the registry: %w", err)
	}
	if history {
		r := cy.router
		if _, err := governancedemo.Seed(ctx, r.Governance(), r.Grids(), com.ID, end, uint64(i+1)); err != nil {
			return "", fmt.Errorf("governance: %w", err)
		}
		if _, err := pointsdemo.Seed(ctx, pointsdemo.Stores{Points: r.Points(), Governance: r.Governance(), Grids: r.Grids()}, com.ID, end, uint64(i+1), nil); err != nil {
			return "", fmt.Errorf("the volunteer bank: %w", err)
		}
		if _, err := fundsdemo.Seed(ctx, fundsdemo.Stores{Funds: r.Funds(), Governance: r.Governance(), Grids: r.Grids()}, com.ID, end, uint64(i+1), nil); err != nil {
			return "", fmt.Errorf("funds: %w", err)
		}
	}
	// Marked last: a community cut off before is made again (and the
	// half-made one stays, unused).
	return com.ID, cy.dbs[0].Mark(ctx, mark(i), com.ID)
}

// community is what the load needs of one community.
type community struct {
	id, shard string
	residents int
	worker    context.Context
	// sampled residents and their households
	ids, households []string
}

// sample reads each community's shard, residents and a hundred of them.
func (cy city) sample(ctx context.Context, ids []string) ([]community, error) {
	out := make([]community, len(ids))
	for i, id := range ids {
		where, err := cy.router.Locate(ctx, id)
		if err != nil {
			return nil, err
		}
		w := grids.WithPrincipal(ctx, grids.Principal{ID: "citybench-worker", CommunityID: id, Name: "citybench", Roles: []grids.Role{grids.RoleWorker}})
		rs, n, err := cy.reg.FindResidents(w, grids.ResidentFilter{CommunityID: id, Page: grids.Page{Limit: 100, Offset: 1000}})
		if err != nil {
			return nil, err
		}
		if len(rs) == 0 {
			return nil, fmt.Errorf("community %s has no residents", id)
		}
		cm := community{id: id, shard: where, residents: n, worker: w}
		for _, r := range rs {
			cm.ids, cm.households = append(cm.ids, r.ID), append(cm.households, r.HouseholdID)
		}
		out[i] = cm
	}
	return out, nil
}

// An op is one kind of operation of the load, with its share of it.
type op struct {
	name   string
	weight int
	do     func(cy city, cm community, rnd *rand.Rand) error
}

// ops are the load: what workers and residents do most, reads before
// writes, four to one.
var ops = []op{
	{"resident", 35, func(cy city, cm community, rnd *rand.Rand) error {
		_, err := cy.reg.Resident(cm.worker, cm.id, cm.ids[rnd.IntN(len(cm.ids))])
		return err
	}},
	{"passbook", 20, func(cy city, cm community, rnd *rand.Rand) error {
		now := time.Now()
		_, err := cy.pts.Passbook(cm.worker, cm.id, cm.ids[rnd.IntN(len(cm.ids))], now.AddDate(-1, 0, 0), now)
		return err
	}},
	{"50 residents", 15, func(cy city, cm community, rnd *rand.Rand) error {
		_, _, err := cy.reg.FindResidents(cm.worker, grids.ResidentFilter{CommunityID: cm.id, Page: grids.Page{Limit: 50, After: cm.ids[rnd.IntN(len(cm.ids))], NoTotal: true}})
		return err
	}},
	{"summary", 10, func(cy city, cm community, rnd *rand.Rand) error {
		_, err := cy.reg.Summary(cm.worker, cm.id, grids.SummaryOptions{})
		return err
	}},
	{"raise a need", 20, func(cy city, cm community, rnd *rand.Rand) error {
		_, err := cy.reg.RaiseNeed(cm.worker, cm.id, grids.NeedInput{Source: grids.SourceOnline, Title: "楼道灯坏了", Detail: "请帮忙修理", HouseholdID: cm.households[rnd.IntN(len(cm.households))]})
		return err
	}},
}

type result struct {
	rate     float64
	p50, p99 time.Duration
	mean     float64 // ns
	kinds    map[string]time.Duration
}

// load runs clients concurrent clients for d, each operation of a
// community drawn at random from comms and a kind drawn by weight.
func (cy city) load(ctx context.Context, comms []community, clients int, d time.Duration) (result, error) {
	total := 0
	for _, o := range ops {
		total += o.weight
	}
	type sample struct {
		kind int
		took time.Duration
	}
	var (
		mu      sync.Mutex
		samples []sample
		first   error
		wg      sync.WaitGroup
	)
	deadline := time.Now().Add(d)
	for c := range clients {
		wg.Go(func() {
			rnd := rand.New(rand.NewPCG(uint64(c), uint64(len(comms))))
			var mine []sample
			for time.Now().Before(deadline) && ctx.Err() == nil {
				cm := comms[rnd.IntN(len(comms))]
				w := rnd.IntN(total)
				k := 0
				for ; w >= ops[k].weight; k++ {
					w -= ops[k].weight
				}
				began := time.Now()
				if err := ops[k].do(cy, cm, rnd); err != nil {
					mu.Lock()
					first = cmp.Or(first, fmt.Errorf("%s: %w", ops[k].name, err))
					mu.Unlock()
					return
				}
				mine = append(mine, sample{k, time.Since(began)})
			}
			mu.Lock()
			samples = append(samples, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	if first != nil {
		return result{}, first
	}
	if len(samples) == 0 {
		return result{}, errors.New("no operation finished")
	}
	all := make([]time.Duration, len(samples))
	byKind := make([][]time.Duration, len(ops))
	var sum time.Duration
	for i, s := range samples {
		all[i] = s.took
		byKind[s.kind] = append(byKind[s.kind], s.took)
		sum += s.took
	}
	slices.Sort(all)
	res := result{rate: float64(len(all)) / d.Seconds(), p50: all[len(all)/2], p99: all[len(all)*99/100],
		mean: float64(sum) / float64(len(all)), kinds: map[string]time.Duration{}}
	for k, ds := range byKind {
		if len(ds) > 0 {
			slices.Sort(ds)
			res.kinds[ops[k].name] = ds[len(ds)/2]
		}
	}
	return res, nil
}
