// Command httpbench measures the HTTP API's reads against bare net/http
// baselines in the same run: it makes the demo community (as the demo
// server does) in an SQLite file or a PostgreSQL database, serves the API
// on loopback, and for each request runs -clients concurrent clients for
// -duration, printing requests/s, p50 and p99, and each ratio to the bare
// handlers (one writing fixed JSON, one reading a resident's row by key
// from the same database). With -writes it then measures writes (an
// exchange at the counter, a merchant's contribution) over HTTP beside the
// same service call in-process, and with -history N again after N more of
// each.
//
//	go run ./examples/httpbench                          # SQLite in a temporary file
//	go run ./examples/httpbench -only none -clients 16 -writes -history 100000
//	go run ./examples/httpbench -dsn postgres://postgres@127.0.0.1:5432/test -clients 32 -duration 10s
//
// The load and the server share the machine: compare the ratios, which
// both sides of a run pay alike.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/linli-go/linli/adapters/httpapi"
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
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "httpbench:", err)
		os.Exit(1)
	}
}

type config struct {
	dsn        string
	clients    int
	duration   time.Duration
	only       string
	pages      []string // URLs of a running server
	cpuprofile string
	writes     bool
	history    int
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("httpbench", flag.ContinueOnError)
	var c config
	fs.StringVar(&c.dsn, "dsn", "", "a PostgreSQL URL or an SQLite file (a temporary SQLite file if empty)")
	fs.IntVar(&c.clients, "clients", 32, "concurrent clients")
	fs.DurationVar(&c.duration, "duration", 5*time.Second, "how long each request is run")
	fs.StringVar(&c.only, "only", "", "run only the requests whose names contain this")
	fs.StringVar(&c.cpuprofile, "cpuprofile", "", "write a CPU profile of the requests run (server and clients alike) to this file")
	fs.BoolVar(&c.writes, "writes", false, "also measure writes: exchanges at the counter and payments on budget lines, over HTTP and in-process")
	fs.IntVar(&c.history, "history", 0, "with -writes: then add this many of each write in-process and measure them again (on PostgreSQL with statistics stale, then after ANALYZE)")
	fs.Func("page", "also load this URL of a running server, e.g. the demo server's front page (http://127.0.0.1:8080/c/<community>); may be repeated", func(u string) error {
		if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
			return errors.New("a page is an http:// or https:// URL")
		}
		c.pages = append(c.pages, u)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.clients < 1 || c.duration <= 0 || c.history < 0 {
		return errors.New("-clients and -duration must be positive, -history not negative")
	}
	if c.dsn == "" {
		dir, err := os.MkdirTemp("", "httpbench")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		c.dsn = filepath.Join(dir, "bench.db")
	}
	db, err := sqlstore.Open(ctx, sqlstore.Config{DSN: c.dsn, MaxConns: 2 * c.clients})
	if err != nil {
		return err
	}
	defer db.Close()

	start := time.Now()
	d, err := makeDemo(ctx, db)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "demo community on %s made in %s: %d residents\n", db.Dialect(), time.Since(start).Round(time.Millisecond), gridsdemo.Residents)

	// The bare baselines read the same database through a pool of their own.
	driver := "sqlite"
	if db.Dialect() == sqlstore.Postgres {
		driver = "pgx"
	}
	rawDSN := c.dsn
	if driver == "sqlite" {
		rawDSN = "file:" + c.dsn + "?_pragma=busy_timeout(10000)&_pragma=query_only(1)" // as the store reads
	}
	raw, err := sql.Open(driver, rawDSN)
	if err != nil {
		return err
	}
	defer raw.Close()
	raw.SetMaxOpenConns(2 * c.clients)
	raw.SetMaxIdleConns(2 * c.clients)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /bare/json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"ok"}`+"\n")
	})
	rowQuery := "SELECT name FROM residents WHERE community_id = ? AND id = ?"
	if driver == "pgx" {
		rowQuery = "SELECT name FROM residents WHERE community_id = $1 AND id = $2"
	}
	mux.HandleFunc("GET /bare/row", func(w http.ResponseWriter, r *http.Request) {
		var name string
		if err := raw.QueryRowContext(r.Context(), rowQuery, d.community, d.resident).Scan(&name); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, "{\"name\":%q}\n", name)
	})
	mux.Handle("/", d.api)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	v1 := base + "/v1/communities/" + d.community
	from, to := governancedemo.Period(d.end)
	month := to.In(governancedemo.Zone).AddDate(0, -1, 0).Format("2006-01")
	current := to.In(governancedemo.Zone).Format("2006-01") // the demo's last day is in it
	requests := []request{
		{"bare net/http JSON", base + "/bare/json", ""},
		{"bare net/http + one row by key", base + "/bare/row", ""},
		{"/healthz", base + "/healthz", ""},
		{"one resident", v1 + "/residents/" + d.resident, d.worker},
		{"a passbook", v1 + "/passbooks/" + d.resident, d.worker},
		{"50 residents", v1 + "/residents?limit=50", d.worker},
		{"community summary", v1 + "/summary", d.worker},
		{"/outcomes (the programme)", v1 + "/outcomes?from=" + from.UTC().Format(time.RFC3339) + "&to=" + to.UTC().Format(time.RFC3339), d.worker},
		{"a closed month's bulletin (JSON)", v1 + "/bulletins/" + month, d.worker},
		{"a closed month's bulletin (HTML)", v1 + "/bulletins/" + month + "?format=html", d.worker},
		{"the current month's bulletin (JSON)", v1 + "/bulletins/" + current, d.worker},
	}
	for _, u := range c.pages {
		requests = append(requests, request{u, u, ""})
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2 * c.clients, MaxConnsPerHost: 2 * c.clients}}
	fmt.Fprintf(out, "%d clients, %s each\n%-36s %10s %9s %9s %8s %8s\n", c.clients, c.duration, "request", "req/s", "p50 ms", "p99 ms", "×json", "×row")
	var bareJSON, bareRow float64
	if c.cpuprofile != "" {
		f, err := os.Create(c.cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	for _, rq := range requests {
		if c.only != "" && !strings.Contains(rq.name, c.only) && !strings.HasPrefix(rq.name, "bare") {
			continue
		}
		res, err := load(ctx, client, rq, c.clients, c.duration)
		if err != nil {
			return fmt.Errorf("%s: %w", rq.name, err)
		}
		switch rq.name {
		case requests[0].name:
			bareJSON = res.rate
		case requests[1].name:
			bareRow = res.rate
		}
		fmt.Fprintf(out, "%-36s %10.0f %9.2f %9.2f %8.2f %8.2f\n", rq.name, res.rate, ms(res.p50), ms(res.p99), res.rate/bareJSON, res.rate/bareRow)
	}
	if c.writes {
		return measureWrites(ctx, out, client, db, d, v1, c)
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

type request struct{ name, url, token string }

type result struct {
	rate     float64
	p50, p99 time.Duration
}

// load runs clients concurrent clients against rq for d; every answer
// must be 200.
func load(ctx context.Context, client *http.Client, rq request, clients int, d time.Duration) (result, error) {
	return timed(ctx, clients, d, func() error {
		req, err := http.NewRequest(http.MethodGet, rq.url, nil)
		if err != nil {
			return err
		}
		if rq.token != "" {
			req.Header.Set("Authorization", "Bearer "+rq.token)
		}
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return fmt.Errorf("status %d", res.StatusCode)
		}
		return nil
	})
}

// demo is the demo community served by the API, with a worker's token and
// a resident with a passbook.
type demo struct {
	api                         http.Handler
	points                      *points.Service
	funds                       *funds.Service
	community, resident, worker string
	end                         time.Time
}

// makeDemo makes the demo community as the demo server does.
func makeDemo(ctx context.Context, db *sqlstore.DB) (demo, error) {
	gov := governance.NewService(db.Governance(), db.Grids(), governance.Options{})
	reg := grids.NewRegistry(db.Grids(), grids.Options{Bodies: gov})
	pts := points.NewService(db.Points(), governance.Lookup{Store: db.Governance()}, grids.Lookup{Store: db.Grids()}, points.Options{Groups: gov})
	fnd := funds.NewService(db.Funds(), governance.Lookup{Store: db.Governance()}, grids.Lookup{Store: db.Grids()}, funds.Options{})
	acc := access.NewService(db.Access(), grids.Lookup{Store: db.Grids()}, access.Options{})
	admin := grids.WithPrincipal(ctx, grids.Admin("httpbench"))
	end := time.Now()
	com, err := gridsdemo.Seed(admin, reg, gridsdemo.Generate(end.Year(), 1))
	if err != nil {
		return demo{}, fmt.Errorf("the community: %w", err)
	}
	if _, err := governancedemo.Seed(ctx, db.Governance(), db.Grids(), com.ID, end, 1); err != nil {
		return demo{}, fmt.Errorf("its governance: %w", err)
	}
	if _, err := pointsdemo.Seed(ctx, pointsdemo.Stores{Points: db.Points(), Governance: db.Governance(), Grids: db.Grids()}, com.ID, end, 1, nil); err != nil {
		return demo{}, fmt.Errorf("its volunteer bank: %w", err)
	}
	if _, err := fundsdemo.Seed(ctx, fundsdemo.Stores{Funds: db.Funds(), Governance: db.Governance(), Grids: db.Grids()}, com.ID, end, 1, nil); err != nil {
		return demo{}, fmt.Errorf("its funds: %w", err)
	}
	if err := db.Analyze(ctx); err != nil {
		return demo{}, err
	}
	// A resident with a passbook: the first who earned points.
	claims, _, err := pts.Claims(admin, com.ID, points.ClaimFilter{Status: points.Verified, Page: grids.Page{Limit: 1}})
	if err != nil || len(claims) == 0 {
		return demo{}, fmt.Errorf("a resident with a passbook: %v", err)
	}
	iss, err := acc.Issue(admin, access.TokenFor(grids.Principal{ID: "bench-worker", CommunityID: com.ID, Name: "bench", Roles: []grids.Role{grids.RoleWorker}}))
	if err != nil {
		return demo{}, err
	}
	// Internal errors are logged to stderr: a benchmark must not hide them.
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	api := httpapi.NewServer(httpapi.Config{Registry: reg, Governance: gov, Points: pts, Funds: fnd, Access: acc, Ping: db.Ping, Logger: logger})
	return demo{api: api, points: pts, funds: fnd, community: com.ID, resident: claims[0].ResidentID, worker: iss.Token, end: end}, nil
}
