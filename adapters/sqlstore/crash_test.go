package sqlstore_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/sqlstore"
	"github.com/linli-go/linli/adapters/sqlstore/sqltest"
	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/ids"
	"github.com/linli-go/linli/points"
)

// The kill -9 test runs this test binary again as a writer: with
// envCrashDSN set, TestMain runs crashWriter instead of the tests.
const (
	envCrashDSN       = "LINLI_CRASH_DSN"
	envCrashCommunity = "LINLI_CRASH_COMMUNITY"
)

func TestMain(m *testing.M) {
	if dsn := os.Getenv(envCrashDSN); dsn != "" {
		os.Exit(crashWriter(dsn, os.Getenv(envCrashCommunity)))
	}
	if dsn := os.Getenv(envLockDSN); dsn != "" {
		os.Exit(holdLock(dsn))
	}
	os.Exit(m.Run())
}

// crashServices are the services over one database, with a worker
// acting in the crash test's community.
type crashServices struct {
	db       *sqlstore.DB
	reg      *grids.Registry
	gov      *governance.Service
	pts      *points.Service
	fnd      *funds.Service
	worker   context.Context
	verifier context.Context // a second worker, who verifies
	setting  crashSetting
}

// crashSetting is what the writers work with, found by name.
type crashSetting struct {
	community, group, item, fund string
	residents                    []string
}

func openCrash(ctx context.Context, dsn string) (*crashServices, error) {
	db, err := sqlstore.Open(ctx, sqlstore.Config{DSN: dsn, MaxConns: 8})
	if err != nil {
		return nil, err
	}
	s := &crashServices{db: db}
	s.gov = governance.NewService(db.Governance(), db.Grids(), governance.Options{})
	s.reg = grids.NewRegistry(db.Grids(), grids.Options{Bodies: s.gov})
	s.pts = points.NewService(db.Points(), governance.Lookup{Store: db.Governance()}, grids.Lookup{Store: db.Grids()}, points.Options{Groups: s.gov})
	s.fnd = funds.NewService(db.Funds(), governance.Lookup{Store: db.Governance()}, grids.Lookup{Store: db.Grids()}, funds.Options{})
	return s, nil
}

func (s *crashServices) as(community string) {
	s.worker = grids.WithPrincipal(context.Background(), grids.Principal{ID: "crash-worker", CommunityID: community, Name: "社工", Roles: []grids.Role{grids.RoleWorker}})
	s.verifier = grids.WithPrincipal(context.Background(), grids.Principal{ID: "crash-verifier", CommunityID: community, Name: "审核社工", Roles: []grids.Role{grids.RoleWorker}})
}

// find reads the setting back, as a restarted writer does.
func (s *crashServices) find(community string) error {
	s.as(community)
	st := crashSetting{community: community}
	bodies, _, err := s.gov.FindBodies(s.worker, governance.BodyFilter{CommunityID: community, Kind: governance.Group})
	if err != nil || len(bodies) == 0 {
		return fmt.Errorf("no group: %v", err)
	}
	st.group = bodies[0].ID
	items, _, err := s.pts.Items(s.worker, community, points.ItemFilter{})
	if err != nil || len(items) == 0 {
		return fmt.Errorf("no item: %v", err)
	}
	st.item = items[0].ID
	fs, err := s.fnd.Funds(s.worker, community)
	if err != nil || len(fs) == 0 {
		return fmt.Errorf("no fund: %v", err)
	}
	st.fund = fs[0].ID
	rs, _, err := s.reg.FindResidents(s.worker, grids.ResidentFilter{CommunityID: community})
	if err != nil {
		return err
	}
	for _, r := range rs {
		st.residents = append(st.residents, r.ID)
	}
	s.setting = st
	return nil
}

// crashSetup makes the community the writers work in: residents with
// points, an item with stock, a fund.
func crashSetup(t *testing.T, s *crashServices) string {
	t.Helper()
	admin := grids.WithPrincipal(context.Background(), grids.Admin("crash"))
	com, err := s.reg.CreateCommunity(admin, grids.CommunityInput{Name: "崩溃测试社区"})
	require.NoError(t, err)
	s.as(com.ID)
	b, err := s.reg.CreateBuilding(admin, com.ID, grids.BuildingInput{Name: "1号"})
	require.NoError(t, err)
	var participants []governance.Participant
	for i := range 4 {
		h, err := s.reg.CreateHousehold(admin, com.ID, grids.HouseholdInput{BuildingID: b.ID, Unit: fmt.Sprint(101 + i), Size: 1})
		require.NoError(t, err)
		r, err := s.reg.CreateResident(admin, com.ID, grids.ResidentInput{HouseholdID: h.ID, Name: fmt.Sprintf("居民%d", i), Sex: grids.Female, BirthYear: 1950})
		require.NoError(t, err)
		participants = append(participants, governance.Participant{ResidentID: r.ID, Minutes: 600})
	}
	bodies, err := s.gov.Setup(admin, com.ID)
	require.NoError(t, err)
	d, err := s.reg.CreateDistrict(admin, com.ID, grids.DistrictInput{Name: "一片区"})
	require.NoError(t, err)
	g, err := s.gov.CreateBody(s.worker, com.ID, governance.BodyInput{Kind: governance.Group, ParentID: bodies[2].ID, Name: "互助小组", DistrictID: d.ID})
	require.NoError(t, err)
	_, err = s.pts.SetPolicy(s.worker, com.ID, points.PolicyInput{PointsPerHour: decimal.NewFromInt(1), MaxMinutesPerDay: 1440, ReservationHours: 72})
	require.NoError(t, err)
	start := time.Now().Add(-11 * time.Hour)
	a, err := s.gov.RecordActivity(s.worker, com.ID, governance.ActivityInput{BodyID: g.ID, Title: "大扫除", Service: "cleaning", Start: start, End: start.Add(10 * time.Hour), Participants: participants})
	require.NoError(t, err)
	cs, err := s.pts.ClaimActivity(s.worker, com.ID, a.ID, points.ActivityClaimInput{Evidence: points.Evidence{SignIn: true}})
	require.NoError(t, err)
	for _, c := range cs {
		_, err := s.pts.Verify(s.verifier, com.ID, c.ID, points.VerifyInput{Approve: true})
		require.NoError(t, err)
	}
	_, err = s.pts.CreateItem(s.worker, com.ID, points.ItemInput{Kind: points.ItemGoods, Name: "肥皂", Unit: "块", Price: decimal.RequireFromString("0.01")})
	require.NoError(t, err)
	_, err = s.fnd.CreateFund(s.worker, com.ID, funds.FundInput{Kind: funds.DonationFund, Name: "捐款"})
	require.NoError(t, err)
	return com.ID
}

// crashWriter writes until it is killed, from four goroutines: donations,
// exchanges, incomes, and claims that are then verified. It prints each
// write it has been told succeeded ("kind id") as soon as it is.
func crashWriter(dsn, community string) int {
	ctx := context.Background()
	s, err := openCrash(ctx, dsn)
	if err == nil {
		err = s.find(community)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "crash writer:", err)
		return 2
	}
	var mu sync.Mutex
	ack := func(kind, id string) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Printf("%s %s\n", kind, id) // stdout is unbuffered: the line is out before the next write
	}
	st := s.setting
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(w)))
			for {
				id := ids.New()
				var err error
				kind := []string{"donation", "exchange", "income", "claim"}[(w+r.IntN(2))%4]
				switch kind {
				case "donation":
					_, err = s.pts.Donate(s.worker, community, points.DonationInput{ID: id, Donor: points.Party{Kind: points.PartyEnterprise, Name: "超市"}, ItemID: st.item, Quantity: 5, Condition: "new"})
				case "exchange":
					_, err = s.pts.Exchange(s.worker, community, points.ExchangeInput{ID: id, ResidentID: st.residents[r.IntN(len(st.residents))], ItemID: st.item, Quantity: 1})
					if err != nil && strings.Contains(err.Error(), "out of stock") {
						continue // the donations have not kept up: not a failure
					}
				case "income":
					_, err = s.fnd.RecordIncome(s.worker, community, st.fund, funds.IncomeInput{ID: id, Source: funds.Source{Kind: funds.FromDonor, Name: "居民"}, Amount: decimal.RequireFromString("1.05")})
				case "claim":
					start := time.Now().Add(-time.Duration(2+r.IntN(1000)) * time.Hour)
					var a governance.Activity
					a, err = s.gov.RecordActivity(s.worker, community, governance.ActivityInput{BodyID: st.group, Title: "探访", Service: "visit", Start: start, End: start.Add(time.Hour),
						Participants: []governance.Participant{{ResidentID: st.residents[r.IntN(len(st.residents))], Minutes: 1}}})
					if err == nil {
						_, err = s.pts.Claim(s.worker, community, points.ClaimInput{ID: id, ActivityID: a.ID, ResidentID: a.Participants[0].ResidentID, Evidence: points.Evidence{SignIn: true}})
					}
					if err == nil {
						ack("claim", id)
						_, err = s.pts.Verify(s.verifier, community, id, points.VerifyInput{Approve: true})
						kind = "verified"
					}
				}
				if err != nil {
					fmt.Fprintln(os.Stderr, "crash writer:", kind, err)
					os.Exit(3)
				}
				ack(kind, id)
			}
		})
	}
	wg.Wait()
	return 0
}

// TestKill9 kills a writer process with SIGKILL at random moments, at
// least five times a store, restarting it on the same database each time.
// After the last kill every write the writer was told had succeeded is
// there, and the books agree with the records.
func TestKill9(t *testing.T) {
	for _, d := range []struct{ name, dsn string }{
		{sqlstore.SQLite, filepath.Join(t.TempDir(), "crash.db")},
		{sqlstore.Postgres, ""},
	} {
		t.Run(d.name, func(t *testing.T) {
			dsn := d.dsn
			if dsn == "" {
				dsn = sqltest.PostgresSchema(t)
			}
			ctx := context.Background()
			s, err := openCrash(ctx, dsn)
			require.NoError(t, err)
			community := crashSetup(t, s)
			require.NoError(t, s.db.Close())

			acked := map[string][]string{}
			kills := 0
			for round := range 6 {
				cmd := exec.Command(os.Args[0], "-test.run=^$")
				cmd.Env = append(os.Environ(), envCrashDSN+"="+dsn, envCrashCommunity+"="+community)
				var stderr strings.Builder
				cmd.Stderr = &stderr
				out, err := cmd.StdoutPipe()
				require.NoError(t, err)
				require.NoError(t, cmd.Start())
				// Let it write a while (it counts only from its first
				// acknowledged write: opening the database takes time),
				// then kill it mid-write.
				lines := bufio.NewScanner(out)
				first := true
				var timer *time.Timer
				for lines.Scan() {
					if first {
						first = false
						timer = time.AfterFunc(time.Duration(100+rand.IntN(400))*time.Millisecond, func() { cmd.Process.Signal(syscall.SIGKILL) })
					}
					kind, id, _ := strings.Cut(lines.Text(), " ")
					acked[kind] = append(acked[kind], id)
				}
				err = cmd.Wait()
				if timer != nil {
					timer.Stop()
				}
				ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
				require.True(t, ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL, "round %d: the writer ended by itself: %v\n%s", round, err, stderr.String())
				kills++
			}
			require.GreaterOrEqual(t, kills, 5)

			s, err = openCrash(ctx, dsn)
			require.NoError(t, err)
			defer s.db.Close()
			s.as(community)
			pa, err := s.pts.Audit(s.worker, community)
			require.NoError(t, err)
			assert.Empty(t, pa.Disagreements, "the bank's books agree with its records after %d kills", kills)
			fa, err := s.fnd.Audit(s.worker, community)
			require.NoError(t, err)
			assert.Empty(t, fa.Disagreements, "the funds' books agree with their records after %d kills", kills)
			total := 0
			for kind, list := range acked {
				total += len(list)
				for _, id := range list {
					var err error
					switch kind {
					case "donation":
						err = s.db.Points().View(ctx, func(tx points.Tx) error { _, err := tx.Donations().Get(ctx, community, id); return err })
					case "exchange":
						_, err = s.pts.ExchangeByID(s.worker, community, id)
					case "income":
						err = s.db.Funds().View(ctx, func(tx funds.Tx) error { _, err := tx.Incomes().Get(ctx, community, id); return err })
					case "claim", "verified":
						var c points.Claim
						c, err = s.pts.ClaimByID(s.worker, community, id)
						if err == nil && kind == "verified" && c.Status != points.Verified {
							err = fmt.Errorf("claim %s is %s, acknowledged verified", id, c.Status)
						}
					}
					require.NoError(t, err, "acknowledged %s %s", kind, id)
				}
			}
			require.Positive(t, total)
			t.Logf("%s: %d kills, %d acknowledged writes (%v), all there; %d transfers audited", d.name, kills, total, counts(acked), pa.Transfers)
		})
	}
}

func counts(m map[string][]string) map[string]int {
	out := map[string]int{}
	for k, v := range m {
		out[k] = len(v)
	}
	return out
}
