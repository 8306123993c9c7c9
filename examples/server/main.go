// Command server runs linli's HTTP API on an embedded SQLite file (or
// PostgreSQL) with a demo community shaped exactly like the case's.
//
//	go run ./examples/server                       # linli.db here, on localhost:8080
//	go run ./examples/server -addr :9000 -db /var/lib/linli.db
//	LINLI_DB=postgres://user@host/db go run ./examples/server
//
// On first start it creates the demo community 水秀社区 (225 buildings, 4,177
// households, 11,458 residents) with its council, 8 committees, 24 groups,
// 14 organisations and two years of activities; later starts reuse it.
// The demo is made whole or not at all, by one process at a time: a start
// that finds a demo cut off (the process killed while it seeded) makes it
// again from nothing. Every start prints a fresh bearer token per role
// (older demo tokens are revoked). It serves until interrupted, then shuts
// down gracefully.
//
//	go run ./examples/server audit -community ID   # the books against the records
//	go run ./examples/server migrate               # apply the migrations the database lacks
//	go run ./examples/server backup -out copy.db   # a copy of the SQLite file, while it runs
//	go run ./examples/server move -shard a=postgres://… -shard b=postgres://… -community ID -to b
//
// audit checks one community's books and exits non-zero if they disagree;
// with -migrate=false the server leaves migrating to migrate and refuses
// a database behind; backup refuses PostgreSQL (use pg_dump); move moves
// a community between shards while servers use it (shard.Router.Move),
// its copy audited before the directory flips.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
	_ "time/tzdata" // the IANA zones, for machines without them (minimal containers)

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/linli-go/linli/adapters/httpapi"
	"github.com/linli-go/linli/adapters/shard"
	"github.com/linli-go/linli/adapters/sqlstore"
	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/funds/fundsdemo"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/governancedemo"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/access"
	"github.com/linli-go/linli/grids/gridsdemo"
	"github.com/linli-go/linli/points"
	"github.com/linli-go/linli/points/pointsdemo"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

// run is the server: it returns when ctx is done (after shutting down) or
// when it cannot start. readyc, if not nil, receives the base URL once the
// server listens.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, readyc chan<- string) error {
	if len(args) > 0 {
		switch args[0] {
		case "audit":
			return audit(ctx, args[1:], getenv, stdout, stderr)
		case "migrate":
			return migrate(ctx, args[1:], getenv, stdout, stderr)
		case "backup":
			return backup(ctx, args[1:], getenv, stdout, stderr)
		case "export":
			return export(ctx, args[1:], getenv, stdout, stderr)
		case "import":
			return importFile(ctx, args[1:], getenv, stdout, stderr)
		case "move":
			return move(ctx, args[1:], stdout, stderr)
		}
	}
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsnFlag := dbFlag(fs, getenv)
	addr := fs.String("addr", "localhost:8080", "the address to listen on")
	demo := fs.Bool("demo", true, "create the demo community if it is missing, and print demo tokens; with -demo=false an empty database gets a one-time set-up code")
	trustProxy := fs.Bool("trust-proxy", false, "take the client's address and TLS from X-Forwarded-For and X-Forwarded-Proto (only behind a proxy that sets them)")
	verbose := fs.Bool("v", false, "log every request")
	migrateOnOpen := fs.Bool("migrate", true, "migrate the database on start; with -migrate=false run \"server migrate\" first, and the server refuses a database behind")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dsn := *dsnFlag
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelInfo
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	// The ledger books transfers at the time the demo history says while
	// it is seeded, and at the real time after.
	var demoTime atomic.Int64
	ledgerClock := func() time.Time {
		if t := demoTime.Load(); t != 0 {
			return time.Unix(0, t)
		}
		return time.Now()
	}
	db, err := sqlstore.Open(ctx, sqlstore.Config{DSN: dsn, Logger: log, Now: ledgerClock, SkipMigrate: !*migrateOnOpen})
	if err != nil {
		return err
	}
	defer db.Close()
	gov := governance.NewService(db.Governance(), db.Grids(), governance.Options{Logger: log})
	reg := grids.NewRegistry(db.Grids(), grids.Options{Logger: log, Bodies: gov})
	pts := points.NewService(db.Points(), governance.Lookup{Store: db.Governance()}, grids.Lookup{Store: db.Grids()}, points.Options{Logger: log, Groups: gov})
	fnd := funds.NewService(db.Funds(), governance.Lookup{Store: db.Governance()}, grids.Lookup{Store: db.Grids()}, funds.Options{Logger: log})
	acc := access.NewService(db.Access(), grids.Lookup{Store: db.Grids()}, access.Options{Logger: log})
	metrics := prometheus.NewRegistry()
	metrics.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics.MustRegister(db.Collectors()...)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (choose another with -addr)", *addr, err)
	}
	base := "http://" + ln.Addr().String()

	// It answers at once: /healthz (alive, the database answers) and
	// /readyz, which says 503 until the demo is seeded; everything else
	// waits for that too, with a 503 and Retry-After.
	var ready atomic.Bool
	srv := &http.Server{
		Handler:           readiness(&ready, handler(reg, gov, pts, fnd, acc, db, metrics, *trustProxy, log)),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "linli listens on %s (ready when %s/readyz says so)\n", base, base)
	if *demo {
		travel := func(t time.Time) { demoTime.Store(t.UnixNano()) }
		err := seed(ctx, reg, gov, pts, fnd, acc, db, travel, base, stdout)
		demoTime.Store(0)
		if err != nil {
			srv.Close()
			return err
		}
	}
	if !*demo {
		code, needed, err := acc.SetupCode(ctx)
		if err != nil {
			srv.Close()
			return fmt.Errorf("set-up code: %w", err)
		}
		if needed {
			fmt.Fprintf(stdout, "  a new installation: the first administrator sets it up, once, within 24 hours, at\n    %s/setup?code=%s\n", base, code)
			fmt.Fprintf(stdout, "  or: curl -X POST -H 'Content-Type: application/json' -d '{\"code\":\"%s\",\"name\":\"<your name>\"}' %s/v1/setup\n", code, base)
		}
	}
	// The bodies' regular meetings (the council's on the 10th) are on the
	// calendar two months ahead, kept so while the server runs.
	if err := scheduleAhead(ctx, reg, gov); err != nil {
		log.Warn("scheduling regular meetings", "err", err)
	}
	go func() {
		tick := time.NewTicker(6 * time.Hour)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if err := scheduleAhead(ctx, reg, gov); err != nil {
					log.Warn("scheduling regular meetings", "err", err)
				}
			}
		}
	}()
	ready.Store(true)
	fmt.Fprintf(stdout, "linli serves %s (%s database %s)\n", base, db.Dialect(), redact(dsn))
	fmt.Fprintf(stdout, "  OpenAPI document: %s/openapi.json\n", base)
	fmt.Fprintf(stdout, "  pages for residents and workers: %s/\n", base)
	if readyc != nil {
		readyc <- base
	}
	fmt.Fprintln(stdout, "press Ctrl-C to stop")
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := reg.Shutdown(shutdown); err != nil { // stop regrouping jobs
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(stdout, "stopped")
	return nil
}

// scheduleAhead puts every body's regular meetings on the calendar for
// the next two months, by each body's rule (governance.Service.Schedule
// makes only those missing and moves them off holidays as the rule says).
func scheduleAhead(ctx context.Context, reg *grids.Registry, gov *governance.Service) error {
	admin := grids.WithPrincipal(ctx, grids.Admin("calendar"))
	through := time.Now().AddDate(0, 2, 0)
	for after := ""; ; {
		cs, _, err := reg.FindCommunities(admin, grids.CommunityFilter{Page: grids.Page{Limit: 100, After: after, NoTotal: true}})
		if err != nil || len(cs) == 0 {
			return err
		}
		for _, c := range cs {
			bodies, _, err := gov.FindBodies(admin, governance.BodyFilter{CommunityID: c.ID, Page: grids.Page{Limit: grids.MaxLimit, NoTotal: true}})
			if err != nil {
				return err
			}
			for _, b := range bodies {
				if b.Meets == nil {
					continue
				}
				if _, err := gov.Schedule(admin, c.ID, b.ID, through); err != nil {
					return fmt.Errorf("%s, %s: %w", c.Name, b.Name, err)
				}
			}
		}
		after = cs[len(cs)-1].ID
	}
}

// demoName is the demo community's name: a community of this name means
// the demo data is there already.
const demoName = "水秀社区"

// demoMark records that the demo community was made in full.
const demoMark = "demo:" + demoName

// seed makes the demo community unless it was made before, and prints
// fresh demo tokens, one per role.
//
// The demo is made all or nothing, by one process at a time: a lock in
// the database keeps a second server starting at the same moment waiting
// until the first is done (it then finds the demo made), and a mark
// records the demo made in full. A community of the demo's name without
// the mark is what a seeding cut off left (the process killed, the
// machine down): it is removed, everything it owned with it, and the demo
// made again.
func seed(ctx context.Context, reg *grids.Registry, gov *governance.Service, pts *points.Service, fnd *funds.Service, acc *access.Service, db *sqlstore.DB, travel func(time.Time), base string, out io.Writer) error {
	release, err := db.Lock(ctx, "demo")
	if err != nil {
		return fmt.Errorf("wait for the demo's lock: %w", err)
	}
	defer release()
	admin := grids.Admin("demo")
	actx := grids.WithPrincipal(ctx, admin)
	var com grids.Community
	if id, made, err := db.Marked(ctx, demoMark); err != nil {
		return err
	} else if made {
		if com, err = reg.Community(actx, id); err != nil {
			return fmt.Errorf("the demo community %s: %w", id, err)
		}
		fmt.Fprintf(out, "  demo community %s: %s (already there)\n", com.Name, com.ID)
	} else {
		if com, err = makeDemo(ctx, reg, gov, pts, fnd, db, travel, out); err != nil {
			return err
		}
		if err := db.Mark(ctx, demoMark, com.ID); err != nil {
			return err
		}
	}
	// Residents who hold what their role says stand behind the roles.
	holder := func(f governance.PositionFilter) (string, error) {
		now := time.Now()
		f.CommunityID, f.ActiveAt, f.Page = com.ID, &now, grids.Page{Limit: 1}
		ps, _, err := gov.FindPositions(actx, f)
		if err != nil || len(ps) == 0 {
			return "", fmt.Errorf("the demo community has no %s: %v", f.Office, err)
		}
		return ps[0].HolderID, nil
	}
	key := func(k string) (string, error) {
		bs, _, err := gov.FindBodies(actx, governance.BodyFilter{CommunityID: com.ID, Key: k})
		if err != nil || len(bs) == 0 {
			return "", fmt.Errorf("the demo community has no %s: %v", k, err)
		}
		return bs[0].ID, nil
	}
	council, err := key("council")
	if err != nil {
		return err
	}
	silver, err := key("silver")
	if err != nil {
		return err
	}
	var rs [4]string
	for i, f := range []governance.PositionFilter{
		{BodyID: council, Office: governance.Chair},
		{BodyID: silver, Office: governance.Chair},
		{Office: governance.Leader},
		{Office: governance.Member},
	} {
		if i == 3 {
			groups, _, err := gov.FindBodies(actx, governance.BodyFilter{CommunityID: com.ID, Kind: governance.Group, Page: grids.Page{Limit: 1}})
			if err != nil || len(groups) == 0 {
				return fmt.Errorf("the demo community has no groups: %v", err)
			}
			f.BodyID = groups[0].ID
		}
		if rs[i], err = holder(f); err != nil {
			return err
		}
	}
	roles := []struct {
		role     grids.Role
		resident string
	}{
		{grids.RoleWorker, ""},
		{grids.RoleCouncilMember, rs[0]},
		{grids.RoleCommitteeChair, rs[1]},
		{grids.RoleGroupLeader, rs[2]},
		{grids.RoleResident, rs[3]},
		{grids.RoleMerchant, ""},
	}
	fmt.Fprintln(out, "  demo tokens (new at every start; Authorization: Bearer <token>):")
	// The demo tokens of an earlier start are revoked.
	for _, community := range []string{"", com.ID} {
		for {
			old, _, err := acc.Credentials(actx, access.Filter{CommunityID: community, Status: access.Active, Page: grids.Page{Limit: grids.MaxLimit, NoTotal: true}})
			if err != nil {
				return err
			}
			n := 0
			for _, c := range old {
				if c.Label == demoLabel {
					if _, err := acc.Revoke(actx, community, c.ID); err != nil {
						return err
					}
					n++
				}
			}
			if n == 0 {
				break
			}
		}
	}
	issue := func(p grids.Principal) error {
		in := access.TokenFor(p)
		in.Label = demoLabel
		iss, err := acc.Issue(actx, in)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "    %-16s %s\n", p.Roles[len(p.Roles)-1], iss.Token)
		return nil
	}
	if err := issue(grids.Principal{ID: "demo-admin", Name: "系统管理员（演示）", Roles: []grids.Role{grids.RoleAdmin}}); err != nil {
		return err
	}
	for _, r := range roles {
		name := demoNames[r.role] // a resident's token bears their name
		if r.resident != "" {
			res, err := reg.Resident(actx, com.ID, r.resident)
			if err != nil {
				return err
			}
			name = res.Name
		}
		p := grids.Principal{ID: "demo-" + string(r.role), CommunityID: com.ID, Name: name, Roles: []grids.Role{r.role}, ResidentID: r.resident}
		if r.resident != "" && r.role != grids.RoleResident {
			p.Roles = []grids.Role{grids.RoleResident, r.role}
		}
		if err := issue(p); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "  try: curl -H 'Authorization: Bearer <worker token>' %s/v1/communities/%s/summary\n", base, com.ID)
	from, to := governancedemo.Period(time.Now())
	fmt.Fprintf(out, "       curl -H 'Authorization: Bearer <resident token>' '%s/v1/communities/%s/evaluation?from=%s&to=%s'\n",
		base, com.ID, from.Format(time.RFC3339), to.Format(time.RFC3339))
	fmt.Fprintf(out, "       curl -H 'Authorization: Bearer <resident token>' %s/v1/communities/%s/passbooks/%s\n", base, com.ID, rs[3])
	fmt.Fprintf(out, "       curl -H 'Authorization: Bearer <resident token>' %s/v1/communities/%s/grants   (then /grants/<id>/reports/<YYYY-MM>?format=markdown)\n", base, com.ID)
	fmt.Fprintf(out, "       curl -H 'Authorization: Bearer <resident token>' '%s/v1/communities/%s/points/evaluation?from=%s&to=%s'\n",
		base, com.ID, from.Format(time.RFC3339), to.Format(time.RFC3339))
	return nil
}

// demoNames name the demo's principals who are not residents.
var demoNames = map[grids.Role]string{grids.RoleWorker: "社区工作者（演示）", grids.RoleMerchant: "联盟商户（演示）"}

// demoLabel marks the demo's tokens, which each start replaces.
const demoLabel = "demo"

// makeDemo removes what a seeding cut off left and makes the demo
// community: its registry, governance, volunteer bank and funds, whose
// books are audited at the end of each.
func makeDemo(ctx context.Context, reg *grids.Registry, gov *governance.Service, pts *points.Service, fnd *funds.Service, db *sqlstore.DB, travel func(time.Time), out io.Writer) (grids.Community, error) {
	actx := grids.WithPrincipal(ctx, grids.Admin("demo"))
	for {
		found, _, err := reg.FindCommunities(actx, grids.CommunityFilter{Name: demoName, Page: grids.Page{Limit: grids.MaxLimit}})
		if err != nil {
			return grids.Community{}, err
		}
		if len(found) == 0 {
			break
		}
		for _, c := range found {
			if err := db.PurgeCommunity(ctx, c.ID); err != nil {
				return grids.Community{}, fmt.Errorf("remove the demo cut off before: %w", err)
			}
			fmt.Fprintf(out, "  removed %s (%s): a demo community cut off before it was made in full\n", c.Name, c.ID)
		}
	}
	start := time.Now()
	data := gridsdemo.Generate(time.Now().Year(), 1)
	com, err := gridsdemo.Seed(actx, reg, data)
	if err != nil {
		return com, fmt.Errorf("seed the demo community: %w", err)
	}
	if err := gridsdemo.SeedIntake(actx, reg, com, 1); err != nil {
		return com, fmt.Errorf("seed the demo needs and survey: %w", err)
	}
	fmt.Fprintf(out, "  demo community %s: %s (created in %s: %d buildings, %d households, %d residents, %d needs, a survey)\n",
		com.Name, com.ID, time.Since(start).Round(time.Millisecond), gridsdemo.Buildings, gridsdemo.Households, gridsdemo.Residents, gridsdemo.Needs)

	start = time.Now()
	sum, err := governancedemo.Seed(ctx, db.Governance(), db.Grids(), com.ID, start, 1)
	if err != nil {
		return com, fmt.Errorf("seed the demo governance: %w", err)
	}
	from, to := governancedemo.Period(start)
	fmt.Fprintf(out, "  demo governance: council, 8 committees, %d groups, %d organisations, %d council meetings, %d hearings, %d activities %s to %s (created in %s)\n",
		governancedemo.Groups, sum.Organisations, sum.Meetings, sum.Hearings, sum.Activities, from.Format(time.DateOnly), to.Format(time.DateOnly), time.Since(start).Round(time.Millisecond))

	start = time.Now()
	ps, err := pointsdemo.Seed(ctx, pointsdemo.Stores{Points: db.Points(), Governance: db.Governance(), Grids: db.Grids()}, com.ID, start, 1, travel)
	if err != nil {
		return com, fmt.Errorf("seed the demo volunteer bank: %w", err)
	}
	fmt.Fprintf(out, "  demo volunteer bank: %d verified claims, %d catalogue items, %d donations (%d items from %d enterprises), %d markets, %d exchanges, %d sign-ups, %d expiries (created in %s)\n",
		ps.Claims, ps.Items, ps.Donations, pointsdemo.DonatedItems, pointsdemo.Enterprises, ps.Markets, ps.Exchanges, ps.SignUps, ps.Expiries, time.Since(start).Round(time.Millisecond))

	start = time.Now()
	fs, err := fundsdemo.Seed(ctx, fundsdemo.Stores{Funds: db.Funds(), Governance: db.Governance(), Grids: db.Grids()}, com.ID, start, 1, travel)
	if err != nil {
		return com, fmt.Errorf("seed the demo funds: %w", err)
	}
	fmt.Fprintf(out, "  demo funds: a 1+1+1 call, %d proposals, %d projects awarded %s yuan and spent it in %d payments; %d merchants, %d declarations (created in %s)\n",
		fundsdemo.Proposals, fs.Grants, fs.Awarded, fs.Payments, fundsdemo.Merchants, fs.Declarations, time.Since(start).Round(time.Millisecond))
	// Two years of history arrived in seconds: fresh statistics for the
	// planner before the first request.
	return com, db.Analyze(ctx)
}

// audit is the audit sub-command: it checks one community's books
// against its records and exits non-zero if they disagree.
func audit(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("server audit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := dbFlag(fs, getenv)
	community := fs.String("community", "", "the community to audit (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *community == "" {
		return errors.New("audit: -community is required")
	}
	db, err := sqlstore.Open(ctx, sqlstore.Config{DSN: *dsn})
	if err != nil {
		return err
	}
	defer db.Close()
	return auditBooks(ctx, db.Points(), db.Funds(), db.Governance(), db.Grids(), *community, stdout)
}

// auditBooks audits a community's volunteer bank and funds on the stores
// given; an error if they disagree with the records.
func auditBooks(ctx context.Context, pst points.Store, fst funds.Store, gst governance.Store, rst grids.Store, community string, stdout io.Writer) error {
	actx := grids.WithPrincipal(ctx, grids.Admin("audit"))
	pa, err := points.NewService(pst, governance.Lookup{Store: gst}, grids.Lookup{Store: rst}, points.Options{}).Audit(actx, community)
	if err != nil {
		return err
	}
	fa, err := funds.NewService(fst, governance.Lookup{Store: gst}, grids.Lookup{Store: rst}, funds.Options{}).Audit(actx, community)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "community %s: the volunteer bank, %d records and %d transfers; the funds, %d records\n", community, pa.Records, pa.Transfers, fa.Records)
	n := len(pa.Disagreements) + len(fa.Disagreements)
	for _, d := range append(pa.Disagreements, fa.Disagreements...) {
		fmt.Fprintf(stdout, "  disagrees: %s\n", d)
	}
	if n > 0 {
		return fmt.Errorf("audit: %d disagreements between the books and the records", n)
	}
	fmt.Fprintln(stdout, "the books agree with the records")
	return nil
}

// migrate is the migrate sub-command: it applies the migrations the
// database lacks and lists them.
func migrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("server migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := dbFlag(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := sqlstore.Open(ctx, sqlstore.Config{DSN: *dsn, SkipMigrate: true})
	if err == nil {
		db.Close()
		fmt.Fprintln(stdout, "the database has every migration")
		return nil
	}
	if !errors.Is(err, grids.FailedPrecondition) {
		return err
	}
	log := slog.New(slog.NewTextHandler(stdout, &slog.HandlerOptions{Level: slog.LevelInfo}))
	db, err = sqlstore.Open(ctx, sqlstore.Config{DSN: *dsn, Logger: log}) // migrates, logging each
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintln(stdout, "migrated")
	return nil
}

// backup is the backup sub-command: a consistent copy of an SQLite
// database, made while the server runs.
func backup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("server backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := dbFlag(fs, getenv)
	out := fs.String("out", "", "the file to write (must not exist; required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("backup: -out is required")
	}
	db, err := sqlstore.Open(ctx, sqlstore.Config{DSN: *dsn, SkipMigrate: true})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s\n", redact(*dsn), *out)
	return nil
}

// export is the export sub-command: one community, everything it owns
// but its credentials, to a file (sqlstore.DB.Export's format).
func export(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("server export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := dbFlag(fs, getenv)
	community := fs.String("community", "", "the community to export (required)")
	out := fs.String("out", "", "the file to write, .jsonl.gz (must not exist; required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *community == "" || *out == "" {
		return errors.New("export: -community and -out are required")
	}
	db, err := sqlstore.Open(ctx, sqlstore.Config{DSN: *dsn, SkipMigrate: true})
	if err != nil {
		return err
	}
	defer db.Close()
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	moved, err := db.Export(ctx, *community, f)
	if err = errors.Join(err, f.Sync(), f.Close()); err != nil {
		os.Remove(*out)
		return err
	}
	fmt.Fprintf(stdout, "exported community %s: %d rows of %d tables to %s\n", moved.Community, moved.Rows, moved.Tables, *out)
	return nil
}

// importFile is the import sub-command: a community exported elsewhere,
// all or nothing, then its books audited.
func importFile(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("server import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := dbFlag(fs, getenv)
	in := fs.String("in", "", "the export to read (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" {
		return errors.New("import: -in is required")
	}
	f, err := os.Open(*in)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	db, err := sqlstore.Open(ctx, sqlstore.Config{DSN: *dsn})
	if err != nil {
		return err
	}
	moved, err := db.Import(ctx, f)
	db.Close()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported community %s: %d rows of %d tables\n", moved.Community, moved.Rows, moved.Tables)
	return audit(ctx, []string{"-db", *dsn, "-community", moved.Community}, getenv, stdout, stderr)
}

// move is the move sub-command: one community from its shard to another,
// while servers use it. The directory is a table of the first shard's
// database unless -directory names another; communities the directory
// does not know yet are placed where they are first (shard.Router.Adopt),
// so a single database can become the first shard.
func move(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("server move", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var shards []string
	fs.Func("shard", "a shard, name=URL (SQLite file or PostgreSQL URL); repeat it for each shard, the first being home", func(v string) error {
		if name, dsn, ok := strings.Cut(v, "="); !ok || name == "" || dsn == "" {
			return errors.New("a shard is name=URL")
		}
		shards = append(shards, v)
		return nil
	})
	directory := fs.String("directory", "", "the directory's database (the first shard's if empty)")
	community := fs.String("community", "", "the community to move (required)")
	to := fs.String("to", "", "the shard to move it to (required)")
	grace := fs.Duration("grace", 5*time.Second, "how long the old copy stays, read-only, after the directory flips: longer than any server's cache of the directory")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if len(shards) < 2 || *community == "" || *to == "" {
		return errors.New("move: two -shard or more, -community and -to are required")
	}
	var ss []shard.Shard
	var first *sqlstore.DB
	for _, v := range shards {
		name, dsn, _ := strings.Cut(v, "=")
		db, err := sqlstore.Open(ctx, sqlstore.Config{DSN: dsn})
		if err != nil {
			return fmt.Errorf("move: shard %s: %w", name, err)
		}
		defer db.Close()
		if first == nil {
			first = db
		}
		ss = append(ss, db.Shard(name))
	}
	dir := first
	if *directory != "" {
		db, err := sqlstore.Open(ctx, sqlstore.Config{DSN: *directory})
		if err != nil {
			return fmt.Errorf("move: the directory: %w", err)
		}
		defer db.Close()
		dir = db
	}
	router, err := shard.New(dir.Directory(), ss...)
	if err != nil {
		return err
	}
	if n, err := router.Adopt(ctx); err != nil {
		return err
	} else if n > 0 {
		fmt.Fprintf(stdout, "placed %d communities the directory did not know where they are\n", n)
	}
	moved, err := router.Move(ctx, *community, *to, shard.MoveOptions{Grace: *grace,
		Check: func(ctx context.Context, community string, on *shard.Router) error {
			return auditBooks(ctx, on.Points(), on.Funds(), on.Governance(), on.Grids(), community, stdout)
		}})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "moved community %s from %s to %s: read-only for %v; digest %s\n", moved.Community, moved.From, moved.To, moved.ReadOnly.Round(time.Millisecond), moved.Digest)
	return nil
}

// dbFlag is the -db flag: the database, $LINLI_DB, or linli.db here.
func dbFlag(fs *flag.FlagSet, getenv func(string) string) *string {
	dsn := getenv("LINLI_DB")
	if dsn == "" {
		dsn = "linli.db"
	}
	return fs.String("db", dsn, "an SQLite file, or a PostgreSQL URL (postgres://…); also $LINLI_DB")
}

// redact hides a PostgreSQL password.
func redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		return u.Redacted()
	}
	return dsn
}

// readiness holds every request but /healthz with a 503 until ready is
// set (the demo is made); then the API answers, /readyz included.
func readiness(ready *atomic.Bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ready.Load() {
			next.ServeHTTP(w, r) // the API's /readyz asks the database
			return
		}
		if r.URL.Path == "/healthz" {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Retry-After", "5")
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, `{"type":"urn:linli:problem:unavailable","title":"Not ready","status":503,"code":"unavailable","detail":"the server is making its demo community; try again shortly"}`+"\n")
	})
}

// handler serves the pages and, under them, the API, and /metrics. One
// limiter counts failed sign-ins on both, so a guesser cannot switch.
// Cross-origin form posts are refused (CSRF), and a signed-in session's
// forms carry its own token too.
func handler(reg *grids.Registry, gov *governance.Service, pts *points.Service, fnd *funds.Service, acc *access.Service, db *sqlstore.DB,
	metrics *prometheus.Registry, trustProxy bool, log *slog.Logger) http.Handler {
	limiter := httpapi.NewLimiter(10, time.Minute, nil)
	api := httpapi.NewServer(httpapi.Config{Registry: reg, Governance: gov, Points: pts, Funds: fnd, Access: acc, Limiter: limiter, TrustProxy: trustProxy,
		Metrics: metrics, Replays: db.Replays(), Ping: db.Ping, Logger: log})
	mux := http.NewServeMux()
	csrf := http.NewCrossOriginProtection()
	newSite(reg, gov, pts, fnd, acc, limiter, trustProxy, metrics, log).routes(func(pattern string, h http.Handler) { mux.Handle(pattern, csrf.Handler(h)) })
	mux.Handle("GET /metrics", promhttp.HandlerFor(metrics, promhttp.HandlerOpts{Registry: metrics}))
	mux.Handle("/", api) // the API answers everything else, with problems for what it does not know
	return mux
}
