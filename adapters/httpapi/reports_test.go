package httpapi_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/bulletin"
	"github.com/linli-go/linli/governance/outcome"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/points"
)

// TestReportsNeverStale: the outcome table and the bulletin the server
// keeps are never served stale after a write — of governance, points,
// funds or registry records — made through another server (here, the
// services over the same store, which the server's caches know nothing
// of): each read equals the report computed afresh.
func TestReportsNeverStale(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			h := harnessOn(t, st.open)
			ws := grids.WithPrincipal(context.Background(), grids.Principal{ID: "w2", CommunityID: h.community.ID, Name: "w2", Roles: []grids.Role{grids.RoleWorker}})
			from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
			table := h.path("/outcomes?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z")
			month := h.path("/bulletins/2026-03")
			fresh := func() (outcome.Table, bulletin.Bulletin) {
				t.Helper()
				tb, err := outcome.Evaluate(ws, outcome.Services{Governance: h.gov, Points: h.pts, Funds: h.fnd}, h.community.ID, from, to)
				require.NoError(t, err)
				b, err := bulletin.Compose(ws, bulletin.Sources{Governance: h.gov, Points: h.pts, Funds: h.fnd}, h.reg, h.community.ID, "2026-03", nil)
				require.NoError(t, err)
				return tb, b
			}
			served := func(what string) (outcome.Table, bulletin.Bulletin) {
				t.Helper()
				var tb outcome.Table
				var b bulletin.Bulletin
				h.ok(call{method: "GET", path: table, as: resident}, &tb)
				h.ok(call{method: "GET", path: month, as: resident}, &b)
				wantT, wantB := fresh()
				assert.Equal(t, mustJSON(t, wantT), mustJSON(t, tb), "outcomes after %s", what)
				assert.Equal(t, mustJSON(t, wantB), mustJSON(t, b), "bulletin after %s", what)
				return tb, b
			}
			served("nothing")
			tb0, _ := served("nothing, read again")

			bodies, err := h.gov.Setup(ws, h.community.ID)
			require.NoError(t, err)
			served("the council and committees set up")
			d, err := h.reg.CreateDistrict(ws, h.community.ID, grids.DistrictInput{Name: "一片区"})
			require.NoError(t, err)
			_, err = h.gov.CreateBody(ws, h.community.ID, governance.BodyInput{Kind: governance.Group, ParentID: bodies[2].ID, DistrictID: d.ID, Name: "Li Lei's walkers", ChineseName: "李雷健步队"})
			require.NoError(t, err)
			tb, b := served("a group formed")
			assert.Equal(t, tb0.GroupsFormed+1, tb.GroupsFormed)
			assert.Contains(t, b.NewGroups, "李雷健步队")

			_, err = h.reg.CreateResident(ws, h.community.ID, grids.ResidentInput{HouseholdID: h.household.ID, Name: "李雷", Sex: grids.Male, BirthYear: 1950})
			require.NoError(t, err)
			_, b = served("a resident registered whose name the group bears")
			assert.Contains(t, b.NewGroups, bulletin.Redacted+"健步队", "the registry's version keeps the bulletin too")

			it, err := h.pts.CreateItem(ws, h.community.ID, points.ItemInput{Kind: points.ItemGoods, Name: "大米", Unit: "袋", Price: decimal.NewFromInt(5)})
			require.NoError(t, err)
			_, err = h.pts.Donate(ws, h.community.ID, points.DonationInput{Donor: points.Party{Kind: points.PartyEnterprise, Name: "超市"}, ItemID: it.ID, Quantity: 4, Condition: "new"})
			require.NoError(t, err)
			tb, b = served("a donation")
			assert.EqualValues(t, tb0.DonatedItems+4, tb.DonatedItems)
			assert.EqualValues(t, 4, b.DonatedItems)

			_, err = h.fnd.CreateFund(ws, h.community.ID, funds.FundInput{Kind: funds.WelfareFund, Name: "福利基金"})
			require.NoError(t, err)
			m, err := h.fnd.JoinAlliance(ws, h.community.ID, funds.MerchantInput{Name: "小卖部"})
			require.NoError(t, err)
			_, err = h.fnd.RecordContribution(ws, h.community.ID, m.ID, funds.ContributionInput{Period: "2026-02", Amount: decimal.RequireFromString("12.50")})
			require.NoError(t, err)
			tb, _ = served("a contribution")
			assert.Equal(t, "12.5", tb.Contributions.String())
		})
	}
}

// mustJSON is v as the API writes it: reports compared as their readers
// see them.
func mustJSON(t testing.TB, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	require.NoError(t, err)
	return string(raw)
}

// TestAllOutcomes: administrators read every community's outcome table
// summed; the sum is of each community's table; no one else may.
func TestAllOutcomes(t *testing.T) {
	h := harnessOn(t, stores[0].open)
	period := "?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z"
	var other grids.Community
	h.ok(call{method: "POST", path: "/v1/communities", as: admin, json: map[string]any{"name": "湖光社区"}}, &other)
	var list struct{ Items []grids.Community }
	h.ok(call{method: "GET", path: "/v1/communities?limit=100", as: admin}, &list)
	require.GreaterOrEqual(t, len(list.Items), 2)
	var tables []outcome.Table
	for _, c := range list.Items {
		var tb outcome.Table
		h.ok(call{method: "GET", path: "/v1/communities/" + c.ID + "/outcomes" + period, as: admin}, &tb)
		tables = append(tables, tb)
	}

	var total outcome.Total
	h.ok(call{method: "GET", path: "/v1/outcomes" + period, as: admin}, &total)
	assert.Equal(t, mustJSON(t, outcome.Sum(tables[0].From, tables[0].To, tables...)), mustJSON(t, total))
	assert.Equal(t, len(list.Items), total.Communities)

	for _, who := range []string{worker, resident} {
		r := h.do(call{method: "GET", path: "/v1/outcomes" + period, as: who})
		assert.Equal(t, 403, r.status, who)
		assert.Equal(t, "grids.admins_only", r.problem(t).Rule)
	}
	r := h.do(call{method: "GET", path: "/v1/outcomes", as: admin, badRequest: true})
	assert.Equal(t, 400, r.status, "the period is required")
}
