package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/sqlstore"
	"github.com/linli-go/linli/adapters/sqlstore/sqltest"
	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/funds/fundsdemo"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/governancedemo"
	"github.com/linli-go/linli/governance/outcome"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/gridsdemo"
	"github.com/linli-go/linli/points"
	"github.com/linli-go/linli/points/pointsdemo"
)

// syncBuffer is a bytes.Buffer safe to read while run writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// start runs the server until the test ends; it returns its URL and output.
func start(t *testing.T, dsn string, args ...string) (string, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), func(k string) string {
			if k == "LINLI_DB" {
				return dsn
			}
			return ""
		}, out, out, ready)
	}()
	select {
	case base := <-ready:
		t.Cleanup(func() {
			cancel()
			require.NoError(t, <-done, "graceful shutdown")
			assert.Contains(t, out.String(), "stopped")
		})
		return base, out
	case err := <-done:
		cancel()
		t.Fatalf("server did not start: %v\n%s", err, out)
	case <-time.After(4 * time.Minute): // seeding under -race on a busy machine
		cancel()
		t.Fatalf("server did not start in time\n%s", out)
	}
	return "", nil
}

// startBuilt runs the built server (see buildServer) until it serves and
// stops it gracefully when the test ends; it returns its URL and output.
func startBuilt(t *testing.T, dsn string) (string, fmt.Stringer) {
	t.Helper()
	s := startProcess(t, dsn)
	require.True(t, s.await(t, "press Ctrl-C"), "the server serves:\n%s", s.output())
	m := servesRE.FindStringSubmatch(s.output())
	require.Len(t, m, 2, "the URL in:\n%s", s.output())
	t.Cleanup(func() {
		require.NoError(t, s.cmd.Process.Signal(os.Interrupt))
		for range s.lines { // drain until it ends
		}
		assert.NoError(t, s.cmd.Wait(), "graceful shutdown:\n%s", s.output())
		assert.Contains(t, s.output(), "stopped")
	})
	return m[1], stringer(s.output)
}

// stringer makes a func a fmt.Stringer.
type stringer func() string

func (f stringer) String() string { return f() }

var (
	servesRE    = regexp.MustCompile(`linli serves (http://\S+)`)
	tokenRE     = regexp.MustCompile(`(?m)^\s+(\w+)\s+(linli_\S+)$`)
	communityRE = regexp.MustCompile(`demo community \S+: ([0-9A-Z]{26})`)
)

func get(t *testing.T, url, token string, v any) int {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	if v != nil && res.StatusCode == 200 {
		require.NoError(t, json.NewDecoder(res.Body).Decode(v))
	}
	return res.StatusCode
}

func TestServerSeedsOnceAndServes(t *testing.T) {
	dsns := map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "linli.db") },
		"postgres": func(t *testing.T) string { return sqltest.PostgresSchema(t) },
	}
	for name, dsn := range dsns {
		t.Run(name, func(t *testing.T) {
			db := dsn(t)
			var community string
			for round := range 2 {
				t.Run([]string{"first start", "second start"}[round], func(t *testing.T) {
					// The first start, which makes the demo, runs the
					// server built without the race detector: seeding
					// on SQLite under it takes minutes. The second runs
					// in this process, under it, and is what serves the
					// checks of the pages below.
					var base string
					var out fmt.Stringer
					if round == 0 {
						base, out = startBuilt(t, db)
					} else {
						base, out = start(t, db)
					}
					tokens := map[string]string{}
					for _, m := range tokenRE.FindAllStringSubmatch(out.String(), -1) {
						tokens[m[1]] = m[2]
					}
					for _, role := range []string{"admin", "worker", "council_member", "committee_chair", "group_leader", "resident", "merchant"} {
						require.NotEmpty(t, tokens[role], "a token for %s in:\n%s", role, out)
					}
					m := communityRE.FindStringSubmatch(out.String())
					require.Len(t, m, 2, "the demo community in:\n%s", out)
					if round == 0 {
						community = m[1]
						assert.Contains(t, out.String(), "created in")
					} else {
						assert.Equal(t, community, m[1], "the same community")
						assert.Contains(t, out.String(), "already there", "nothing is seeded twice")
					}

					var sum grids.Summary
					require.Equal(t, 200, get(t, base+"/v1/communities/"+community+"/summary", tokens["worker"], &sum))
					want := gridsdemo.Expected(community, sum.Year)
					sum.ShareElderlyOrDisabled = want.ShareElderlyOrDisabled
					assert.Equal(t, want, sum)

					var list struct{ Total int }
					require.Equal(t, 200, get(t, base+"/v1/communities?total=true&name="+"%E6%B0%B4%E7%A7%80%E7%A4%BE%E5%8C%BA", tokens["admin"], &list))
					assert.Equal(t, 1, list.Total, "one demo community, however often the server starts")
					require.Equal(t, 200, get(t, base+"/v1/communities/"+community+"/residents?total=true", tokens["resident"], &list))
					assert.Positive(t, list.Total)
					assert.Less(t, list.Total, 10, "a resident sees their own household only")
					assert.Equal(t, 403, get(t, base+"/v1/communities/"+community+"/residents", tokens["merchant"], nil))
					require.Equal(t, 200, get(t, base+"/v1/communities/"+community+"/needs?total=true&limit=1", tokens["merchant"], &list))
					assert.Equal(t, gridsdemo.Needs, list.Total, "the case's 200 needs and suggestions")
					require.Equal(t, 200, get(t, base+"/v1/communities/"+community+"/needs?total=true&source=briefing&limit=1", tokens["worker"], &list))
					assert.Equal(t, gridsdemo.Briefings, list.Total, "one from each briefing")
					require.Equal(t, 200, get(t, base+"/v1/communities/"+community+"/surveys?total=true&status=closed", tokens["resident"], &list))
					assert.Equal(t, 1, list.Total)

					// The case's governance and its figures.
					require.Equal(t, 200, get(t, base+"/v1/communities/"+community+"/bodies?total=true&kind=group&limit=1", tokens["resident"], &list))
					assert.Equal(t, governancedemo.Groups, list.Total)
					require.Equal(t, 200, get(t, base+"/v1/communities/"+community+"/organisations?total=true&limit=1", tokens["resident"], &list))
					assert.Equal(t, governancedemo.Organisations, list.Total)
					from, to := governancedemo.Period(time.Now())
					var ev governance.Evaluation
					require.Equal(t, 200, get(t, base+"/v1/communities/"+community+"/evaluation?from="+from.Format(time.RFC3339)+"&to="+to.Format(time.RFC3339), tokens["merchant"], &ev))
					assert.Equal(t, governancedemo.Groups, ev.GroupsFormed)
					assert.Equal(t, governancedemo.Activities, ev.Figures.Activities)
					assert.Equal(t, governancedemo.NewVolunteers, ev.Figures.NewVolunteers)
					assert.Equal(t, "5249", ev.Figures.ServiceHours.String())
					assert.Len(t, ev.Figures.Services, governancedemo.Services)
					var me struct {
						ResidentID string `json:"resident_id"`
					}
					require.Equal(t, 200, get(t, base+"/v1/me", tokens["group_leader"], &me))
					require.Equal(t, 200, get(t, base+"/v1/communities/"+community+"/positions?total=true&active=true&office=leader&holder="+me.ResidentID, tokens["group_leader"], &list))
					assert.Equal(t, 1, list.Total, "the group leader's token belongs to a group's leader")
					if round == 1 {
						assert.NotContains(t, out.String(), "demo governance:", "nothing is seeded twice")
					}
					require.Equal(t, 200, get(t, base+"/v1/communities/"+community+"/meetings?total=true&kind=regular&status=adjourned&limit=1", tokens["resident"], &list))
					assert.Equal(t, governancedemo.CouncilMeetings, list.Total)
					require.Equal(t, 200, get(t, base+"/v1/communities/"+community+"/meetings?total=true&kind=hearing&limit=1", tokens["resident"], &list))
					assert.Equal(t, governancedemo.Hearings, list.Total)

					// The volunteer bank: the case's hours, volunteers and donations.
					var pev points.Evaluation
					require.Equal(t, 200, get(t, base+"/v1/communities/"+community+"/points/evaluation?from="+from.Format(time.RFC3339)+"&to="+to.Format(time.RFC3339), tokens["resident"], &pev))
					assert.Equal(t, "5249", pev.Hours.String())
					assert.Equal(t, governancedemo.NewVolunteers, pev.NewVolunteers)
					assert.EqualValues(t, pointsdemo.DonatedItems, pev.DonatedItems)
					assert.Equal(t, pointsdemo.Enterprises, pev.Enterprises)
					assert.Equal(t, pointsdemo.Markets, pev.Markets)
					if round == 1 {
						assert.NotContains(t, out.String(), "demo volunteer bank:", "nothing is seeded twice")
					}
					var pb points.Passbook
					require.Equal(t, 200, get(t, base+"/v1/communities/"+community+"/passbooks/"+residentOf(t, base, tokens["resident"]), tokens["resident"], &pb))
					require.NotEmpty(t, pb.Lines, "the demo resident has a passbook")
					assert.True(t, pb.Lines[0].At.Before(to), "lines carry the time the demo history gives them")
					require.Equal(t, 200, get(t, base+"/v1/communities/"+community+"/warehouse/items?total=true&limit=1", tokens["resident"], &list))
					assert.Positive(t, list.Total)

					// The case's outcome table, computed from all of it.
					var table struct {
						CouncilMeetings int    `json:"council_meetings"`
						Hearings        int    `json:"hearings"`
						Markets         int    `json:"markets"`
						Activities      int    `json:"activities"`
						GroupsFormed    int    `json:"groups_formed"`
						NewVolunteers   int    `json:"new_volunteers"`
						ServiceHours    string `json:"service_hours"`
						KindsOfService  int    `json:"kinds_of_service"`
						Enterprises     int    `json:"partner_enterprises"`
						DonatedItems    int    `json:"donated_items"`
					}
					require.Equal(t, 200, get(t, base+"/v1/communities/"+community+"/outcomes?from="+from.Format(time.RFC3339)+"&to="+to.Format(time.RFC3339), tokens["resident"], &table))
					assert.Equal(t, 26, table.CouncilMeetings)
					assert.Equal(t, 6, table.Hearings)
					assert.Equal(t, 10, table.Markets)
					assert.Equal(t, 126, table.Activities)
					assert.Equal(t, 24, table.GroupsFormed)
					assert.Equal(t, 361, table.NewVolunteers)
					assert.Equal(t, "5249", table.ServiceHours)
					assert.GreaterOrEqual(t, table.KindsOfService, 20)
					assert.Equal(t, 20, table.Enterprises)
					assert.Equal(t, 2172, table.DonatedItems)

					if round == 1 && name == "sqlite" {
						checkPages(t, base, community, tokens["resident"], from.AddDate(0, 13, 5).Format("2006-01"))
						checkWork(t, base, community, tokens)
						checkRoom(t, base, community, tokens)
					}

					// A month's bulletin, as JSON and as a printable page in English.
					month := from.AddDate(0, 13, 5).Format("2006-01")
					var bl struct {
						Decisions []any `json:"decisions"`
						Groups    []any `json:"groups"`
						Projects  []any `json:"projects"`
					}
					require.Equal(t, 200, get(t, base+"/v1/communities/"+community+"/bulletins/"+month, tokens["resident"], &bl))
					assert.NotEmpty(t, bl.Groups)
					assert.Len(t, bl.Projects, fundsdemo.Funded)
					page := getText(t, base+"/v1/communities/"+community+"/bulletins/"+month+"?format=html&lang=en", tokens["resident"])
					assert.Contains(t, page, "Group activities and hours of service")

					// The funds: four projects awarded 30,000 yuan; the merchant sees their own.
					require.Equal(t, 200, get(t, base+"/v1/communities/"+community+"/grants"+"?total=true", tokens["resident"], &list))
					assert.Equal(t, fundsdemo.Funded, list.Total)
					var tb funds.TrialBalance
					require.Equal(t, 200, get(t, base+"/v1/communities/"+community+"/trial-balance", tokens["resident"], &tb))
					assert.True(t, tb.Sum.IsZero())
					var alliance struct{ Items []funds.Merchant }
					require.Equal(t, 200, get(t, base+"/v1/communities/"+community+"/merchants", tokens["merchant"], &alliance))
					ms := alliance.Items
					require.Len(t, ms, fundsdemo.Merchants)
					var rec funds.Reconciliation
					require.Equal(t, 200, get(t, base+"/v1/communities/"+community+"/merchants/"+ms[0].ID+"/reconciliation", tokens["merchant"], &rec))
					assert.NotEmpty(t, rec.Periods, "the demo merchant token is the first merchant's")
					if round == 1 {
						assert.NotContains(t, out.String(), "demo funds:", "nothing is seeded twice")
					}
				})
			}
			if name == "sqlite" {
				roundTrip(t, db, community)
			}
		})
	}
}

// residentOf is the resident ID behind a token.
func residentOf(t *testing.T, base, token string) string {
	t.Helper()
	var me struct {
		ResidentID string `json:"resident_id"`
	}
	require.Equal(t, 200, get(t, base+"/v1/me", token, &me))
	return me.ResidentID
}

// getText fetches a document as text.
func getText(t *testing.T, url, token string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.Equal(t, 200, res.StatusCode, "%s", body)
	return string(body)
}

// roundTrip moves the demo community SQLite → PostgreSQL → SQLite with
// the server's export and import, each import audited, and finds the last
// copy holding exactly what the first did: every row, so every outcome,
// passbook and report; a few are read to show it.
func roundTrip(t *testing.T, src, community string) {
	t.Run("export and import SQLite → PostgreSQL → SQLite", func(t *testing.T) {
		ctx := context.Background()
		dir := t.TempDir()
		env := func(string) string { return "" }
		pg := sqltest.PostgresSchema(t)
		back := filepath.Join(dir, "back.db")
		var out bytes.Buffer
		step := func(args ...string) {
			t.Helper()
			require.NoError(t, run(ctx, args, env, &out, &out, nil), "%v\n%s", args, out.String())
		}
		step("export", "-db", src, "-community", community, "-out", filepath.Join(dir, "1.jsonl.gz"))
		step("import", "-db", pg, "-in", filepath.Join(dir, "1.jsonl.gz"))
		assert.Contains(t, out.String(), "the books agree with the records")
		assert.Error(t, run(ctx, []string{"import", "-db", pg, "-in", filepath.Join(dir, "1.jsonl.gz")}, env, &out, &out, nil), "never over a community that exists")
		step("export", "-db", pg, "-community", community, "-out", filepath.Join(dir, "2.jsonl.gz"))
		step("import", "-db", back, "-in", filepath.Join(dir, "2.jsonl.gz"))
		step("export", "-db", back, "-community", community, "-out", filepath.Join(dir, "3.jsonl.gz"))
		t.Log(out.String())

		rows := func(name string) []string {
			f, err := os.Open(filepath.Join(dir, name))
			require.NoError(t, err)
			defer f.Close()
			zr, err := gzip.NewReader(f)
			require.NoError(t, err)
			body, err := io.ReadAll(zr)
			require.NoError(t, err)
			lines := strings.Split(strings.TrimSpace(string(body)), "\n")
			return lines[1:] // the header says when and from where
		}
		first, last := rows("1.jsonl.gz"), rows("3.jsonl.gz")
		require.Equal(t, len(first), len(last))
		for i := range first {
			if first[i] != last[i] {
				t.Fatalf("line %d differs:\n%s\n%s", i+2, first[i], last[i])
			}
		}
		assert.Greater(t, len(first), 40000, "the demo's two years")

		// Read as a resident would: the outcomes and a passbook agree.
		admin := grids.WithPrincipal(ctx, grids.Admin("test"))
		now := time.Now()
		read := func(dsn string) (outcome.Table, points.Passbook) {
			db, err := sqlstore.Open(ctx, sqlstore.Config{DSN: dsn, SkipMigrate: true})
			require.NoError(t, err)
			defer db.Close()
			gov := governance.NewService(db.Governance(), db.Grids(), governance.Options{})
			pts := points.NewService(db.Points(), governance.Lookup{Store: db.Governance()}, grids.Lookup{Store: db.Grids()}, points.Options{Groups: gov})
			fnd := funds.NewService(db.Funds(), governance.Lookup{Store: db.Governance()}, grids.Lookup{Store: db.Grids()}, funds.Options{})
			from, to := governancedemo.Period(now)
			table, err := outcome.Evaluate(admin, outcome.Services{Governance: gov, Points: pts, Funds: fnd}, community, from, to)
			require.NoError(t, err)
			claims, _, err := pts.Claims(admin, community, points.ClaimFilter{Page: grids.Page{Limit: 1}})
			require.NoError(t, err)
			require.NotEmpty(t, claims)
			pb, err := pts.Passbook(admin, community, claims[0].ResidentID, time.Time{}, now)
			require.NoError(t, err)
			return table, pb
		}
		t1, p1 := read(src)
		t3, p3 := read(back)
		assert.Equal(t, t1, t3)
		assert.Equal(t, p1, p3)

		// The last copy's database becomes the first of two shards, and
		// the community moves to the second, audited on arrival.
		moved := filepath.Join(dir, "moved.db")
		out.Reset()
		step("move", "-shard", "home="+back, "-shard", "far="+moved, "-community", community, "-to", "far", "-grace", "10ms")
		assert.Contains(t, out.String(), "placed 1 communities the directory did not know where they are")
		assert.Contains(t, out.String(), "the books agree with the records")
		assert.Regexp(t, `moved community `+community+` from home to far: read-only for [\d.]+m?s; digest [0-9a-f]{64}`, out.String())
		t.Log(out.String())
		step("export", "-db", moved, "-community", community, "-out", filepath.Join(dir, "4.jsonl.gz"))
		assert.Equal(t, first, rows("4.jsonl.gz"), "the moved copy holds every row")
		assert.Error(t, run(ctx, []string{"export", "-db", back, "-community", community, "-out", filepath.Join(dir, "5.jsonl.gz")}, env, &out, &out, nil),
			"the old copy is gone")
		assert.Error(t, run(ctx, []string{"move", "-shard", "home=" + back, "-community", community, "-to", "home"}, env, &out, &out, nil), "two shards at least")
	})
}
