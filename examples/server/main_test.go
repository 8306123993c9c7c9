package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/sqlstore/sqltest"
	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/funds/fundsdemo"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/governancedemo"
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
func start(t *testing.T, dsn string) (string, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0"}, func(k string) string {
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

var (
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
					base, out := start(t, db)
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
