package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/httpapi"
	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/ids"
	"github.com/linli-go/linli/points"
)

// TestBooksOverHTTP: record IDs are the community's own (another
// community can neither learn nor take them), and the audit says the
// books agree; only workers audit.
func TestBooksOverHTTP(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			h := harnessOn(t, st.open)
			var mine, theirs funds.Fund
			h.ok(call{method: "POST", path: h.path("/funds"), as: worker, json: funds.FundInput{Kind: funds.DonationFund, Name: "捐款"}}, &mine)
			other := "/v1/communities/" + h.other.ID
			h.ok(call{method: "POST", path: other + "/funds", as: outsider, json: funds.FundInput{Kind: funds.DonationFund, Name: "捐款"}}, &theirs)
			income := func(path, as string, id string, amount string) reply {
				return h.do(call{method: "POST", path: path, as: as, json: funds.IncomeInput{ID: id, Source: funds.Source{Kind: funds.FromDonor, Name: "x"}, Amount: decimal.RequireFromString(amount)}})
			}
			// Either community first: the other's write of the same ID is
			// its own, neither refused nor told anything.
			first, second := ids.New(), ids.New()
			assert.Equal(t, http.StatusCreated, income(h.path("/funds/"+mine.ID+"/incomes"), worker, first, "10").status)
			assert.Equal(t, http.StatusCreated, income(other+"/funds/"+theirs.ID+"/incomes", outsider, first, "99").status, "no oracle: B learns nothing of A's ID")
			assert.Equal(t, http.StatusCreated, income(other+"/funds/"+theirs.ID+"/incomes", outsider, second, "5").status)
			assert.Equal(t, http.StatusCreated, income(h.path("/funds/"+mine.ID+"/incomes"), worker, second, "7").status, "no pre-emption: B cannot take A's ID first")
			assert.Equal(t, http.StatusConflict, income(h.path("/funds/"+mine.ID+"/incomes"), worker, second, "8").status, "within a community an ID is the idempotency key")
			var f funds.Fund
			h.ok(call{method: "GET", path: h.path("/funds/" + mine.ID), as: worker}, &f)
			assert.Equal(t, "17", f.Balance.String())
			h.ok(call{method: "GET", path: other + "/funds/" + theirs.ID, as: outsider}, &f)
			assert.Equal(t, "104", f.Balance.String())

			// The same for donations to the warehouse.
			item := func(base, as string) points.Item {
				var it points.Item
				h.ok(call{method: "POST", path: base + "/warehouse/items", as: as, json: points.ItemInput{Kind: points.ItemGoods, Name: "大米", Unit: "袋", Price: decimal.NewFromInt(5)}}, &it)
				return it
			}
			a, b := item(h.path(""), worker), item(other, outsider)
			donation := func(base, as, itemID, id string, n int64) int {
				return h.do(call{method: "POST", path: base + "/warehouse/donations", as: as, json: points.DonationInput{ID: id, Donor: points.Party{Kind: points.PartyEnterprise, Name: "超市"},
					ItemID: itemID, Quantity: n, Condition: "new"}}).status
			}
			assert.Equal(t, http.StatusCreated, donation(other, outsider, b.ID, first, 3))
			assert.Equal(t, http.StatusCreated, donation(h.path(""), worker, a.ID, first, 4))
			h.ok(call{method: "GET", path: h.path("/warehouse/items/" + a.ID), as: worker}, &a)
			assert.EqualValues(t, 4, a.Stock)

			var books httpapi.Books
			h.ok(call{method: "GET", path: h.path("/audit"), as: worker}, &books)
			assert.True(t, books.Agree, "%+v", books)
			assert.Equal(t, 1, books.Points.Records)
			assert.Equal(t, 2, books.Funds.Records)
			h.ok(call{method: "GET", path: other + "/audit", as: outsider}, &books)
			assert.True(t, books.Agree, "%+v", books)
			assert.Equal(t, http.StatusForbidden, h.do(call{method: "GET", path: h.path("/audit"), as: resident}).status, "workers audit")
			assert.Equal(t, http.StatusForbidden, h.do(call{method: "GET", path: other + "/audit", as: worker}).status, "in their own community")
		})
	}
}

// TestWritesCutOff sends 300 exchanges and payments whose clients hang up
// 0 to 30 ms after sending, on every store: a command, once begun, runs
// to its end or not at all, so the books agree with the records after
// all of them — the stock with the exchanges, each passbook line with its
// record, the money spent with the payments, the trial balance at zero.
func TestWritesCutOff(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			h := harnessOn(t, st.open)
			ctx := grids.WithPrincipal(context.Background(), grids.Principal{ID: "p-worker", CommunityID: h.community.ID, Name: "worker", Roles: []grids.Role{grids.RoleWorker}})
			c := h.community.ID
			// Points for the resident, an item with stock, and a grant
			// with its money released.
			bodies, err := h.gov.Setup(ctx, c)
			require.NoError(t, err)
			d, err := h.reg.CreateDistrict(ctx, c, grids.DistrictInput{Name: "一片区"})
			require.NoError(t, err)
			g, err := h.gov.CreateBody(ctx, c, governance.BodyInput{Kind: governance.Group, ParentID: bodies[2].ID, Name: "小组", DistrictID: d.ID})
			require.NoError(t, err)
			_, err = h.pts.SetPolicy(ctx, c, points.DefaultPolicy)
			require.NoError(t, err)
			start := h.clock.Now().Add(-3 * time.Hour)
			act, err := h.gov.RecordActivity(ctx, c, governance.ActivityInput{BodyID: g.ID, Title: "探访", Service: "elder_visit", Start: start, End: start.Add(2 * time.Hour),
				Participants: []governance.Participant{{ResidentID: h.me.ID, Minutes: 120}}})
			require.NoError(t, err)
			claims, err := h.pts.ClaimActivity(ctx, c, act.ID, points.ActivityClaimInput{Evidence: points.Evidence{SignIn: true}})
			require.NoError(t, err)
			second := grids.WithPrincipal(context.Background(), grids.Principal{ID: "p-verifier", CommunityID: h.community.ID, Name: "verifier", Roles: []grids.Role{grids.RoleWorker}})
			_, err = h.pts.Verify(second, c, claims[0].ID, points.VerifyInput{Approve: true})
			require.NoError(t, err)
			soap, err := h.pts.CreateItem(ctx, c, points.ItemInput{Kind: points.ItemGoods, Name: "肥皂", Unit: "块", Price: decimal.RequireFromString("0.01")})
			require.NoError(t, err)
			_, err = h.pts.Donate(ctx, c, points.DonationInput{Donor: points.Party{Kind: points.PartyEnterprise, Name: "超市"}, ItemID: soap.ID, Quantity: 1000, Condition: "new"})
			require.NoError(t, err)
			grant := awardOne(t, h, ctx, bodies)

			var wg sync.WaitGroup
			limit := make(chan struct{}, 8)
			for i := range 300 {
				limit <- struct{}{}
				wg.Go(func() {
					defer func() { <-limit }()
					path, body := h.path("/warehouse/exchanges"), any(points.ExchangeInput{ResidentID: h.me.ID, ItemID: soap.ID, Quantity: 1})
					if i%2 == 1 {
						path, body = h.path("/grants/"+grant.ID+"/spending"), funds.SpendInput{Line: "meals", Amount: decimal.RequireFromString("0.01"), Payee: "饭店", ReceiptRef: fmt.Sprint("票", i), ApprovedBy: "负责人"}
					}
					cutOff(h, path, body, time.Duration(rand.IntN(31))*time.Millisecond)
				})
			}
			wg.Wait()
			h.drain() // the server finishes what it began, hung up or not

			var books httpapi.Books
			h.ok(call{method: "GET", path: h.path("/audit"), as: worker}, &books)
			assert.True(t, books.Agree, "the books agree with the records: %v %v", books.Points.Disagreements, books.Funds.Disagreements)
			var exchanges struct {
				Items []points.Exchange `json:"items"`
				Total int               `json:"total"`
			}
			h.ok(call{method: "GET", path: h.path("/warehouse/exchanges?limit=1000&total=true"), as: worker}, &exchanges)
			var item points.Item
			h.ok(call{method: "GET", path: h.path("/warehouse/items/" + soap.ID), as: worker}, &item)
			assert.EqualValues(t, 1000-exchanges.Total, item.Stock, "the stock is what the exchange records imply")
			var pb points.Passbook
			h.ok(call{method: "GET", path: h.path("/passbooks/" + h.me.ID), as: worker}, &pb)
			n := 0
			for _, l := range pb.Lines {
				if l.Kind == points.LineExchanged {
					n++
					h.ok(call{method: "GET", path: h.path("/warehouse/exchanges/" + l.RecordID), as: worker}, nil)
				}
			}
			assert.Equal(t, exchanges.Total, n, "every passbook line's exchange exists, and every exchange has its line")
			var spending struct {
				Items []funds.Spending `json:"items"`
			}
			h.ok(call{method: "GET", path: h.path("/grants/" + grant.ID + "/spending?limit=1000"), as: worker}, &spending)
			spent := decimal.Zero
			for _, sp := range spending.Items {
				spent = spent.Add(sp.Amount)
			}
			var tb funds.TrialBalance
			h.ok(call{method: "GET", path: h.path("/trial-balance"), as: worker}, &tb)
			assert.True(t, tb.Sum.IsZero(), "the trial balance is 0.00: %s", tb.Sum)
			for _, r := range tb.Rows {
				if r.Code == funds.AccountSpent {
					assert.True(t, r.Balance.Equal(spent), "money spent on the ledger %s, in the records %s", r.Balance, spent)
				}
			}
			require.Positive(t, exchanges.Total+len(spending.Items), "some commands got through")
			t.Logf("%s: %d exchanges and %d payments made of 300 cut-off requests", st.name, exchanges.Total, len(spending.Items))
		})
	}
}

// cutOff posts body and hangs up after wait.
func cutOff(h *harness, path string, body any, wait time.Duration) {
	raw, err := json.Marshal(body)
	require.NoError(h.t, err)
	req, err := http.NewRequest("POST", h.srv.URL+path, bytes.NewReader(raw))
	require.NoError(h.t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+h.tokens[worker])
	client := &http.Client{Timeout: wait}
	if res, err := client.Do(req); err == nil {
		res.Body.Close()
	}
}

// awardOne runs a call with one proposal for 1,000 yuan on a "meals" line
// to its award, with all its money released.
func awardOne(t *testing.T, h *harness, ctx context.Context, bodies []governance.Body) funds.Grant {
	t.Helper()
	c := h.community.ID
	fund, err := h.fnd.CreateFund(ctx, c, funds.FundInput{Kind: funds.ProjectFund, Name: "项目资金"})
	require.NoError(t, err)
	_, err = h.fnd.RecordIncome(ctx, c, fund.ID, funds.IncomeInput{Source: funds.Source{Kind: funds.FromGovernment, Name: "街道"}, Amount: decimal.NewFromInt(1000)})
	require.NoError(t, err)
	org, err := h.gov.RegisterOrganisation(ctx, c, governance.OrganisationInput{Name: "社工", Kind: "professional", Origin: "external"})
	require.NoError(t, err)
	reviewer := h.resident("zhou")
	now := h.clock.Now()
	call, err := h.fnd.CreateCall(ctx, c, funds.CallInput{FundID: fund.ID, Title: "征集", Budget: decimal.NewFromInt(1000), Cap: decimal.NewFromInt(1000),
		Opens: now.Add(-time.Hour), Closes: now.Add(time.Hour), Rubric: funds.DefaultRubric, Panel: []funds.Reviewer{{ResidentID: reviewer.ID}}})
	require.NoError(t, err)
	drafter := grids.WithPrincipal(context.Background(), grids.Principal{ID: "p-drafter", CommunityID: c, Name: "drafter", Roles: []grids.Role{grids.RoleResident}})
	p, err := h.fnd.Propose(drafter, c, call.ID, funds.ProposalInput{CommitteeID: bodies[2].ID, OrganisationID: org.ID, Title: "助餐", Goals: "送餐",
		Start: now, End: now.AddDate(0, 6, 0), Lines: []funds.Line{{Key: "meals", Category: "services", Amount: decimal.NewFromInt(1000)}}})
	require.NoError(t, err)
	_, err = h.fnd.Submit(drafter, c, p.ID)
	require.NoError(t, err)
	h.clock.Advance(2 * time.Hour)
	zhou := grids.WithPrincipal(context.Background(), grids.Principal{ID: "p-zhou", CommunityID: c, Name: "zhou", Roles: []grids.Role{grids.RoleResident}, ResidentID: reviewer.ID})
	_, err = h.fnd.Score(zhou, c, p.ID, funds.ScoreInput{Scores: map[string]int{"needs": 9, "feasibility": 8, "participation": 8, "cost": 7}})
	require.NoError(t, err)
	_, err = h.fnd.CloseReview(ctx, c, call.ID)
	require.NoError(t, err)
	decision, err := h.gov.RecordDecision(ctx, c, governance.DecisionInput{Title: "资助"})
	require.NoError(t, err)
	gs, err := h.fnd.Award(ctx, c, call.ID, funds.AwardInput{DecisionID: decision.ID})
	require.NoError(t, err)
	require.Len(t, gs, 1)
	return gs[0]
}
