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
// Every start prints a fresh bearer token per role (older demo tokens are
// revoked). It serves until interrupted, then shuts down gracefully.
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
	"sync/atomic"
	"syscall"
	"time"

	"github.com/linli-go/linli/adapters/httpapi"
	"github.com/linli-go/linli/adapters/sqlstore"
	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/funds/fundsdemo"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/governancedemo"
	"github.com/linli-go/linli/grids"
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
// when it cannot start. ready, if not nil, receives the base URL once the
// server listens.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, ready chan<- string) error {
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := getenv("LINLI_DB")
	if dsn == "" {
		dsn = "linli.db"
	}
	fs.StringVar(&dsn, "db", dsn, "an SQLite file, or a PostgreSQL URL (postgres://…); also $LINLI_DB")
	addr := fs.String("addr", "localhost:8080", "the address to listen on")
	demo := fs.Bool("demo", true, "create the demo community if it is missing, and print demo tokens")
	verbose := fs.Bool("v", false, "log every request")
	if err := fs.Parse(args); err != nil {
		return err
	}
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
	db, err := sqlstore.Open(ctx, sqlstore.Config{DSN: dsn, Logger: log, Now: ledgerClock})
	if err != nil {
		return err
	}
	defer db.Close()
	gov := governance.NewService(db.Governance(), db.Grids(), governance.Options{Logger: log})
	reg := grids.NewRegistry(db.Grids(), grids.Options{Logger: log, Bodies: gov})
	pts := points.NewService(db.Points(), db.Governance(), db.Grids(), points.Options{Logger: log, Groups: gov})
	fnd := funds.NewService(db.Funds(), db.Governance(), db.Grids(), funds.Options{Logger: log})

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (choose another with -addr)", *addr, err)
	}
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "linli serves %s (%s database %s)\n", base, db.Dialect(), redact(dsn))
	fmt.Fprintf(stdout, "  OpenAPI document: %s/openapi.json\n", base)
	fmt.Fprintf(stdout, "  pages for residents and workers: %s/\n", base)
	if *demo {
		travel := func(t time.Time) { demoTime.Store(t.UnixNano()) }
		err := seed(ctx, reg, gov, pts, fnd, db, travel, base, stdout)
		demoTime.Store(0)
		if err != nil {
			ln.Close()
			return err
		}
	}

	srv := &http.Server{
		Handler:           handler(reg, gov, pts, fnd, db, log),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if ready != nil {
		ready <- base
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

// demoName is the demo community's name: a community of this name means
// the demo data is there already.
const demoName = "水秀社区"

// seed creates the demo community unless it exists, gives it the case's
// governance and history unless it has a council, and prints fresh demo
// tokens, one per role.
func seed(ctx context.Context, reg *grids.Registry, gov *governance.Service, pts *points.Service, fnd *funds.Service, db *sqlstore.DB, travel func(time.Time), base string, out io.Writer) error {
	tokens := db.Tokens()
	admin := grids.Admin("demo")
	actx := grids.WithPrincipal(ctx, admin)
	found, _, err := reg.FindCommunities(actx, grids.CommunityFilter{Name: demoName, Page: grids.Page{Limit: 1}})
	if err != nil {
		return err
	}
	var com grids.Community
	if len(found) > 0 {
		com = found[0]
		fmt.Fprintf(out, "  demo community %s: %s (already there)\n", com.Name, com.ID)
	} else {
		start := time.Now()
		data := gridsdemo.Generate(time.Now().Year(), 1)
		if com, err = gridsdemo.Seed(actx, reg, data); err != nil {
			return fmt.Errorf("seed the demo community: %w", err)
		}
		if err := gridsdemo.SeedIntake(actx, reg, com, 1); err != nil {
			return fmt.Errorf("seed the demo needs and survey: %w", err)
		}
		fmt.Fprintf(out, "  demo community %s: %s (created in %s: %d buildings, %d households, %d residents, %d needs, a survey)\n",
			com.Name, com.ID, time.Since(start).Round(time.Millisecond), gridsdemo.Buildings, gridsdemo.Households, gridsdemo.Residents, gridsdemo.Needs)
	}
	councils, _, err := gov.FindBodies(actx, governance.BodyFilter{CommunityID: com.ID, Kind: governance.Council})
	if err != nil {
		return err
	}
	if len(councils) == 0 {
		start := time.Now()
		sum, err := governancedemo.Seed(ctx, db.Governance(), db.Grids(), com.ID, start, 1)
		if err != nil {
			return fmt.Errorf("seed the demo governance: %w", err)
		}
		from, to := governancedemo.Period(start)
		fmt.Fprintf(out, "  demo governance: council, 8 committees, %d groups, %d organisations, %d council meetings, %d hearings, %d activities %s to %s (created in %s)\n",
			governancedemo.Groups, sum.Organisations, sum.Meetings, sum.Hearings, sum.Activities, from.Format(time.DateOnly), to.Format(time.DateOnly), time.Since(start).Round(time.Millisecond))
	}

	if _, err := pts.Policy(actx, com.ID, 0); errors.Is(err, points.NotFound) || errors.Is(err, points.FailedPrecondition) {
		start := time.Now()
		st := pointsdemo.Stores{Points: db.Points(), Governance: db.Governance(), Grids: db.Grids()}
		sum, err := pointsdemo.Seed(ctx, st, com.ID, start, 1, travel)
		if err != nil {
			return fmt.Errorf("seed the demo volunteer bank: %w", err)
		}
		fmt.Fprintf(out, "  demo volunteer bank: %d verified claims, %d catalogue items, %d donations (%d items from %d enterprises), %d markets, %d exchanges, %d sign-ups, %d expiries (created in %s)\n",
			sum.Claims, sum.Items, sum.Donations, pointsdemo.DonatedItems, pointsdemo.Enterprises, sum.Markets, sum.Exchanges, sum.SignUps, sum.Expiries, time.Since(start).Round(time.Millisecond))
	} else if err != nil {
		return err
	}

	if fs, err := fnd.Funds(actx, com.ID); err != nil {
		return err
	} else if len(fs) == 0 {
		start := time.Now()
		st := fundsdemo.Stores{Funds: db.Funds(), Governance: db.Governance(), Grids: db.Grids()}
		sum, err := fundsdemo.Seed(ctx, st, com.ID, start, 1, travel)
		if err != nil {
			return fmt.Errorf("seed the demo funds: %w", err)
		}
		fmt.Fprintf(out, "  demo funds: a 1+1+1 call, %d proposals, %d projects awarded %s yuan and spent it in %d payments; %d merchants, %d declarations (created in %s)\n",
			fundsdemo.Proposals, sum.Grants, sum.Awarded, sum.Payments, fundsdemo.Merchants, sum.Declarations, time.Since(start).Round(time.Millisecond))
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
	issue := func(p grids.Principal) error {
		if err := tokens.RevokeTokens(ctx, p.ID); err != nil {
			return err
		}
		tok, err := httpapi.IssueToken(ctx, tokens, p, time.Now(), 0)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "    %-16s %s\n", p.Roles[len(p.Roles)-1], tok)
		return nil
	}
	if err := issue(grids.Principal{ID: "demo-admin", Name: "demo admin", Roles: []grids.Role{grids.RoleAdmin}}); err != nil {
		return err
	}
	for _, r := range roles {
		p := grids.Principal{ID: "demo-" + string(r.role), CommunityID: com.ID, Name: "demo " + string(r.role), Roles: []grids.Role{r.role}, ResidentID: r.resident}
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
	fmt.Fprintf(out, "       curl -H 'Authorization: Bearer <resident token>' %s/v1/communities/%s/grants   (then /grants/<id>/reports/<2006-01>?format=markdown)\n", base, com.ID)
	fmt.Fprintf(out, "       curl -H 'Authorization: Bearer <resident token>' '%s/v1/communities/%s/points/evaluation?from=%s&to=%s'\n",
		base, com.ID, from.Format(time.RFC3339), to.Format(time.RFC3339))
	return nil
}

// redact hides a PostgreSQL password.
func redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		return u.Redacted()
	}
	return dsn
}

// handler serves the pages and, under them, the API.
func handler(reg *grids.Registry, gov *governance.Service, pts *points.Service, fnd *funds.Service, db *sqlstore.DB, log *slog.Logger) http.Handler {
	api := httpapi.NewServer(httpapi.Config{Registry: reg, Governance: gov, Points: pts, Funds: fnd, Tokens: db.Tokens(), Ping: db.Ping, Logger: log})
	mux := http.NewServeMux()
	newSite(reg, gov, pts, fnd, db.Tokens(), log).routes(mux)
	mux.Handle("/", api) // the API answers everything else, with problems for what it does not know
	return mux
}
