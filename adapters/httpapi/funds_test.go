package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/httpapi"
	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/governance"
)

// TestFundsOverHTTP runs a 1+1+1 call from fund to monthly report, and
// the alliance, through the API on every store.
func TestFundsOverHTTP(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			h := harnessOn(t, st.open)
			reviewer := h.resident("zhou")
			var bodies []governance.Body
			h.ok(call{method: "POST", path: h.path("/governance/setup"), as: worker}, &bodies)
			var decision governance.Decision
			h.ok(call{method: "POST", path: h.path("/decisions"), as: worker, json: governance.DecisionInput{Title: "通过2026年项目资助"}}, &decision)
			var org governance.Organisation
			h.ok(call{method: "POST", path: h.path("/organisations"), as: worker, json: governance.OrganisationInput{Name: "阳光社工", Kind: "professional", Origin: "external"}}, &org)

			var fund funds.Fund
			h.ok(call{method: "POST", path: h.path("/funds"), as: worker, json: funds.FundInput{Kind: funds.ProjectFund, Name: "1+1+1项目资金"}}, &fund)
			r := h.do(call{method: "POST", path: h.path("/funds/" + fund.ID + "/incomes"), as: worker, json: map[string]any{"source": map[string]string{"kind": "government", "name": "街道"}, "amount": "30000.001"}, badRequest: true})
			assert.Equal(t, http.StatusBadRequest, r.status, "to the fen, never rounded")
			assert.Equal(t, "amount", r.problem(t).Errors[0].Field)
			h.ok(call{method: "POST", path: h.path("/funds/" + fund.ID + "/incomes"), as: worker, json: funds.IncomeInput{Source: funds.Source{Kind: funds.FromGovernment, Name: "街道"}, Amount: decimal.NewFromInt(30000)}}, nil)

			now := h.clock.Now()
			var c funds.Call
			h.ok(call{method: "POST", path: h.path("/calls"), as: worker, json: funds.CallInput{FundID: fund.ID, Title: "项目征集", Budget: decimal.NewFromInt(30000), Cap: decimal.NewFromInt(20000),
				Opens: now.Add(-time.Hour), Closes: now.Add(20 * time.Hour), Rubric: funds.DefaultRubric, Panel: []funds.Reviewer{{ResidentID: reviewer.ID}}}}, &c)
			assert.Equal(t, funds.CallOpen, c.Status)
			var p funds.Proposal
			h.ok(call{method: "POST", path: h.path("/calls/" + c.ID + "/proposals"), as: merchant, json: funds.ProposalInput{CommitteeID: bodies[2].ID, OrganisationID: org.ID,
				Title: "银发助餐", Goals: "为独居老人送餐", Start: now, End: now.AddDate(0, 6, 0), Lines: []funds.Line{
					{Key: "meals", Category: "services", Amount: decimal.NewFromInt(9000)}, {Key: "boxes", Category: "materials", Amount: decimal.NewFromInt(1000)}}}}, &p)
			r = h.do(call{method: "POST", path: h.path("/proposals/" + p.ID + "/submit"), as: resident})
			assert.Equal(t, http.StatusForbidden, r.status, "only its drafter submits it")
			h.ok(call{method: "POST", path: h.path("/proposals/" + p.ID + "/submit"), as: merchant}, &p)
			assert.Equal(t, funds.Submitted, p.Status)

			h.clock.Advance(21 * time.Hour) // the tokens last a day
			scores := map[string]int{"needs": 9, "feasibility": 8, "participation": 8, "cost": 7}
			h.ok(call{method: "POST", path: h.path("/proposals/" + p.ID + "/scores"), as: "zhou", json: funds.ScoreInput{Scores: scores}}, nil)
			h.ok(call{method: "POST", path: h.path("/calls/" + c.ID + "/close-review"), as: worker}, &c)
			var ranking httpapi.List[funds.Ranked]
			h.ok(call{method: "GET", path: h.path("/calls/" + c.ID + "/ranking"), as: resident}, &ranking)
			rk := ranking.Items
			require.Len(t, rk, 1)
			assert.Equal(t, "82.5", rk[0].Score.String(), "(9×40+8×25+8×20+7×15)/10")
			r = h.do(call{method: "POST", path: h.path("/calls/" + c.ID + "/award"), as: resident, json: funds.AwardInput{DecisionID: decision.ID}})
			assert.Equal(t, http.StatusForbidden, r.status, "only the council awards")
			var gs []funds.Grant
			h.ok(call{method: "POST", path: h.path("/calls/" + c.ID + "/award"), as: worker, json: funds.AwardInput{DecisionID: decision.ID}}, &gs)
			require.Len(t, gs, 1)
			g := gs[0]

			var sp funds.Spending
			h.ok(call{method: "POST", path: h.path("/grants/" + g.ID + "/spending"), as: worker, json: funds.SpendInput{Line: "boxes", Amount: decimal.RequireFromString("880.50"),
				Payee: "餐盒厂", ReceiptRef: "发票2026-031", ApprovedBy: "项目负责人"}}, &sp)
			r = h.do(call{method: "POST", path: h.path("/grants/" + g.ID + "/spending"), as: worker, json: funds.SpendInput{Line: "boxes", Amount: decimal.NewFromInt(200),
				Payee: "餐盒厂", ReceiptRef: "x", ApprovedBy: "x"}})
			assert.Equal(t, http.StatusConflict, r.status, "over the line")
			assert.Contains(t, r.problem(t).Detail, "left on budget line boxes")
			assert.Equal(t, "funds.line_exceeded", r.problem(t).Rule)

			// Reports go by booking time: the stores here book at the real time.
			month := time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01")
			var rep funds.ProjectReport
			h.ok(call{method: "GET", path: h.path("/grants/" + g.ID + "/reports/" + month), as: resident}, &rep)
			assert.Equal(t, "880.5", rep.Spent.String())
			assert.Equal(t, "119.5", rep.Lines[1].Remaining.String())
			md := h.ok(call{method: "GET", path: h.path("/grants/" + g.ID + "/reports/" + month + "?format=markdown"), as: resident}, nil)
			assert.Contains(t, string(md.body), "发票2026-031")
			html := h.ok(call{method: "GET", path: h.path("/grants/" + g.ID + "/reports/" + month + "?format=html"), as: resident}, nil)
			assert.True(t, strings.HasPrefix(html.header.Get("Content-Type"), "text/html"))
			var tb funds.TrialBalance
			h.ok(call{method: "GET", path: h.path("/trial-balance"), as: resident}, &tb)
			assert.True(t, tb.Sum.IsZero())

			// The alliance: the merchant declares; others may not look.
			var welfare funds.Fund
			h.ok(call{method: "POST", path: h.path("/funds"), as: worker, json: funds.FundInput{Kind: funds.WelfareFund, Name: "社区公益金"}}, &welfare)
			var m funds.Merchant
			h.ok(call{method: "POST", path: h.path("/merchants"), as: worker, json: funds.MerchantInput{Name: "好邻居超市", PrincipalID: "p-merchant"}}, &m)
			prev := h.clock.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, -1, 0).Format("2006-01")
			var dcl funds.Declaration
			h.ok(call{method: "POST", path: h.path("/merchants/" + m.ID + "/declarations"), as: merchant, json: funds.DeclarationInput{Period: prev, Takings: decimal.RequireFromString("5000.05")}}, &dcl)
			assert.Equal(t, "500.01", dcl.Due.String(), "500.005 half-up")
			h.ok(call{method: "POST", path: h.path("/merchants/" + m.ID + "/contributions"), as: worker, json: funds.ContributionInput{Period: prev, Amount: decimal.NewFromInt(500)}}, nil)
			var rec funds.Reconciliation
			h.ok(call{method: "GET", path: h.path("/merchants/" + m.ID + "/reconciliation"), as: merchant}, &rec)
			assert.Equal(t, "0.01", rec.Owed.String())
			r = h.do(call{method: "GET", path: h.path("/merchants/" + m.ID + "/reconciliation"), as: resident})
			assert.Equal(t, http.StatusForbidden, r.status)
			var st funds.Statement
			h.ok(call{method: "GET", path: h.path("/funds/" + welfare.ID + "/statement"), as: resident}, &st)
			require.Len(t, st.Lines, 1)

			// The alliance says it contributes on earnings (收益).
			pb := h.do(call{method: "PUT", path: h.path("/alliance/basis"), as: worker, badRequest: true, json: map[string]string{"basis": "profit"}}).problem(t)
			assert.Equal(t, "basis", pb.Errors[0].Field)
			h.ok(call{method: "PUT", path: h.path("/alliance/basis"), as: worker, json: map[string]string{"basis": "earnings"}}, &welfare)
			assert.Equal(t, funds.OnEarnings, welfare.Basis)
			before := h.clock.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, -2, 0).Format("2006-01")
			h.ok(call{method: "POST", path: h.path("/merchants/" + m.ID + "/declarations"), as: merchant,
				json: funds.DeclarationInput{Period: before, Takings: decimal.NewFromInt(8000), Earnings: decimal.RequireFromString("1500.55")}}, &dcl)
			assert.Equal(t, funds.OnEarnings, dcl.Basis)
			assert.Equal(t, "150.06", dcl.Due.String(), "10% of earnings, 150.055 half-up")
		})
	}
}
