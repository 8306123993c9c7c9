package sqlstore_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/memstore/demotest"
	"github.com/linli-go/linli/adapters/sqlstore"
	"github.com/linli-go/linli/adapters/sqlstore/sqltest"
	"github.com/linli-go/linli/funds/fundsdemo"
	"github.com/linli-go/linli/governance/governancedemo"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/ids"
	"github.com/linli-go/linli/points/pointsdemo"
)

// TestHotQueriesUseCommunityIndexes: with 20 communities on PostgreSQL,
// statistics fresh, every statement the stores run while the demos of the
// case are seeded for one of them, and while its registry is read, scans
// no table across communities: each scan is by an index whose first
// column is community_id.
func TestHotQueriesUseCommunityIndexes(t *testing.T) {
	dsn := sqltest.PostgresSchema(t)
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("test"))
	var clock atomic.Int64
	now := func() time.Time { return time.Unix(0, clock.Load()) }
	db, err := sqlstore.Open(ctx, sqlstore.Config{DSN: dsn, MaxConns: 8, Now: now})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	reg := grids.NewRegistry(db.Grids(), grids.Options{})
	// Nineteen communities of the demo's size, written in bulk, and the
	// demo's own, made through the registry.
	for i := range 19 {
		c, err := reg.CreateCommunity(ctx, grids.CommunityInput{Name: fmt.Sprintf("社区%d", i)})
		require.NoError(t, err)
		require.NoError(t, db.Grids().Update(ctx, func(tx grids.Tx) error { return bulkRegistry(ctx, tx, c.ID, governancedemo.Residents) }))
	}
	last := demotest.Community(t, reg)

	var mu sync.Mutex
	seen := map[string][]any{}
	sqlstore.Trace(db, func(q string, args []any) {
		mu.Lock()
		defer mu.Unlock()
		if _, ok := seen[q]; !ok {
			seen[q] = args
		}
	})
	travel := func(at time.Time) { clock.Store(at.UnixNano()) }
	_, err = governancedemo.Seed(ctx, db.Governance(), db.Grids(), last.ID, demotest.End, 1)
	require.NoError(t, err)
	_, err = fundsdemo.Seed(ctx, fundsdemo.Stores{Funds: db.Funds(), Governance: db.Governance(), Grids: db.Grids()}, last.ID, demotest.End, 1, travel)
	require.NoError(t, err)
	_, err = pointsdemo.Seed(ctx, pointsdemo.Stores{Points: db.Points(), Governance: db.Governance(), Grids: db.Grids()}, last.ID, demotest.End, 1, travel)
	require.NoError(t, err)
	rs, _, err := reg.FindResidents(ctx, grids.ResidentFilter{CommunityID: last.ID, Page: grids.Page{Limit: 50}})
	require.NoError(t, err)
	_, err = reg.Resident(ctx, last.ID, rs[0].ID)
	require.NoError(t, err)
	sqlstore.Trace(db, nil)
	require.NoError(t, db.Analyze(ctx))

	raw, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	defer raw.Close()
	conn, err := raw.Conn(ctx)
	require.NoError(t, err)
	defer conn.Close()
	// Tables of a few pages are read whole whatever their indexes; with
	// sequential scans priced out, a plan shows the index it would use,
	// and a sequential scan left means there is none.
	_, err = conn.ExecContext(ctx, "SET enable_seqscan = off")
	require.NoError(t, err)
	tenant := map[string]bool{}
	rows, err := conn.QueryContext(ctx, "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'community_id'")
	require.NoError(t, err)
	for rows.Next() {
		var name string
		require.NoError(t, rows.Scan(&name))
		tenant[name] = true
	}
	require.NoError(t, rows.Err())
	var texts []string
	for q := range seen {
		texts = append(texts, q)
	}
	sort.Strings(texts)
	bad := 0
	for _, q := range texts {
		if strings.HasPrefix(q, "INSERT") && !strings.Contains(q, "SELECT") {
			continue
		}
		// The ledger's greatest transfer ID (IDs above it need no lookup):
		// one entry at the end of the key, whatever the community.
		if strings.HasSuffix(q, " ORDER BY id DESC LIMIT 1") {
			continue
		}
		var plan string
		require.NoError(t, conn.QueryRowContext(ctx, "EXPLAIN (FORMAT JSON) "+q, seen[q]...).Scan(&plan), q)
		var nodes []struct{ Plan node }
		require.NoError(t, json.Unmarshal([]byte(plan), &nodes))
		for _, n := range nodes[0].Plan.all() {
			if why := scansAcross(t, conn, tenant, n); why != "" {
				bad++
				t.Errorf("%s %s: %s\n  %s", n.Type, n.Relation+n.Index, why, q)
			}
		}
	}
	require.Greater(t, len(texts), 100, "the demos ran the stores' statements")
	t.Logf("%d statements explained, %d scans not by community", len(texts), bad)
}

// scansAcross says how n reads a tenant table other than within one
// community ("" if it does not): a sequential scan, or an index that
// neither leads with community_id nor is a unique key every column of
// which the scan binds (a lookup of rows by their own IDs).
func scansAcross(t *testing.T, conn *sql.Conn, tenant map[string]bool, n node) string {
	switch {
	case n.Type == "Seq Scan" && tenant[n.Relation]:
		return "no index serves it"
	case n.Index == "":
		return ""
	}
	var table string
	var unique bool
	var cols []string
	rows, err := conn.QueryContext(context.Background(), `SELECT t.relname, i.indisunique, a.attname FROM pg_index i
		JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
		JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) ON true
		JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
		WHERE c.relname = $1 AND c.relnamespace = to_regnamespace(current_schema()) ORDER BY k.n`, n.Index)
	require.NoError(t, err)
	for rows.Next() {
		var col string
		require.NoError(t, rows.Scan(&table, &unique, &col))
		cols = append(cols, col)
	}
	require.NoError(t, rows.Err())
	switch {
	case !tenant[table]:
		return ""
	case len(cols) > 0 && cols[0] == "community_id" && strings.Contains(n.Cond, "community_id"):
		return ""
	case unique && bindsAll(n.Cond, cols):
		return ""
	}
	return fmt.Sprintf("index on (%s), condition %s", strings.Join(cols, ", "), n.Cond)
}

// bindsAll: cond sets every column of cols by equality.
func bindsAll(cond string, cols []string) bool {
	for _, c := range cols {
		if !strings.Contains(cond, "("+c+" = ") {
			return false
		}
	}
	return cond != ""
}

// bulkRegistry writes a building of n households of a resident each.
func bulkRegistry(ctx context.Context, tx grids.Tx, community string, n int) error {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	st := grids.Stamps{CreatedAt: at, UpdatedAt: at}
	b := grids.Building{ID: ids.New(), CommunityID: community, Name: "1号", Neighbours: []string{}, Stamps: st}
	if err := tx.CreateBuildings(ctx, b); err != nil {
		return err
	}
	hs := make([]grids.Household, n)
	rs := make([]grids.Resident, n)
	for i := range n {
		hs[i] = grids.Household{ID: ids.New(), CommunityID: community, BuildingID: b.ID, Unit: fmt.Sprint(i), Size: 1, Stamps: st}
		rs[i] = grids.Resident{ID: ids.New(), CommunityID: community, HouseholdID: hs[i].ID, Name: fmt.Sprintf("居民%d", i), Sex: grids.Female,
			BirthYear: 1950 + i%50, Interests: []string{"唱歌"}, Needs: []string{}, Stamps: st}
	}
	if err := tx.CreateHouseholds(ctx, hs...); err != nil {
		return err
	}
	return tx.CreateResidents(ctx, rs...)
}

type node struct {
	Type     string `json:"Node Type"`
	Relation string `json:"Relation Name"`
	Index    string `json:"Index Name"`
	Cond     string `json:"Index Cond"`
	Filter   string `json:"Filter"`
	Plans    []node `json:"Plans"`
}

func (n node) all() []node {
	out := []node{n}
	for _, c := range n.Plans {
		out = append(out, c.all()...)
	}
	return out
}
