// Package fundstest is the contract every funds.Store passes, like
// fstest for file systems: RunStoreTests checks the records' transactions
// and, through funds.Service, the call, the review, the award and the
// books end to end on the store's ledger, including concurrent spending on
// one budget line.
package fundstest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/record"
	"github.com/linli-go/linli/grids/record/recordtest"
	"github.com/linli-go/linli/internal/clock"
	"github.com/linli-go/linli/internal/ids"
	"github.com/linli-go/linli/internal/storetest"
)

// Stores are the stores a funds.Service works over.
type Stores struct {
	Funds      funds.Store
	Governance governance.Store
	Grids      grids.Store
}

// NewStores returns empty stores whose ledger stamps transfers with now.
type NewStores func(t testing.TB, now func() time.Time) Stores

// RunStoreTests runs the contract against fresh stores from newStores.
func RunStoreTests(t *testing.T, newStores NewStores) {
	t.Run("Records", func(t *testing.T) { testRecords(t, newFixture(t, newStores)) })
	t.Run("CallReviewAward", func(t *testing.T) { testCall(t, newFixture(t, newStores)) })
	t.Run("SpendingAndReports", func(t *testing.T) { testSpending(t, newFixture(t, newStores)) })
	t.Run("Alliance", func(t *testing.T) { testAlliance(t, newFixture(t, newStores)) })
	t.Run("ConcurrentSpending", func(t *testing.T) { testConcurrentSpending(t, newFixture(t, newStores)) })
	t.Run("RandomBooks", func(t *testing.T) { testRandomBooks(t, newFixture(t, newStores)) })
	t.Run("Faults", func(t *testing.T) { testFaults(t, newFixture(t, newStores)) })
	t.Run("AuditFindsDisagreements", func(t *testing.T) { testAuditFinds(t, newFixture(t, newStores)) })
	t.Run("WriteSkew", func(t *testing.T) { testWriteSkew(t, newFixture(t, newStores)) })
	t.Run("Version", func(t *testing.T) { testVersion(t, newFixture(t, newStores)) })
}

// fixture is a community with its governance (a council member, the
// committees, two organisations), a recorded need, a project fund of
// 30,000 yuan and a welfare fund.
type fixture struct {
	t             testing.TB
	st            Stores
	clock         *clock.Manual
	reg           *grids.Registry
	gov           *governance.Service
	svc           *funds.Service
	community     string
	other         string
	residents     []grids.Resident
	council       governance.Body
	committees    []governance.Body
	orgs          []governance.Organisation
	decision      governance.Decision
	need          grids.Need
	fund, welfare funds.Fund
	admin, worker context.Context
	newID         func() string
}

func newFixture(t testing.TB, newStores NewStores) *fixture {
	c := clock.NewManual(time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC))
	f := &fixture{t: t, clock: c}
	f.st = newStores(t, c.Now)
	seq := ids.NewSequence(c.Now, uint64(time.Now().UnixNano()))
	f.newID = seq.New
	f.reg = grids.NewRegistry(f.st.Grids, grids.Options{Now: c.Now, NewID: seq.New})
	f.gov = governance.NewService(f.st.Governance, f.st.Grids, governance.Options{Now: c.Now, NewID: seq.New})
	f.svc = funds.NewService(f.st.Funds, governance.Lookup{Store: f.st.Governance}, grids.Lookup{Store: f.st.Grids}, funds.Options{Now: c.Now, NewID: seq.New})
	f.admin = grids.WithPrincipal(context.Background(), grids.Admin("test"))
	com, err := f.reg.CreateCommunity(f.admin, grids.CommunityInput{Name: "水秀社区"})
	require.NoError(t, err)
	other, err := f.reg.CreateCommunity(f.admin, grids.CommunityInput{Name: "别的社区"})
	require.NoError(t, err)
	f.community, f.other = com.ID, other.ID
	f.worker = grids.WithPrincipal(context.Background(), grids.Principal{ID: "worker-1", CommunityID: f.community, Name: "李娜", Roles: []grids.Role{grids.RoleWorker}})
	b, err := f.reg.CreateBuilding(f.admin, f.community, grids.BuildingInput{Name: "1号"})
	require.NoError(t, err)
	for i := range 5 {
		h, err := f.reg.CreateHousehold(f.admin, f.community, grids.HouseholdInput{BuildingID: b.ID, Unit: fmt.Sprint(i), Size: 1})
		require.NoError(t, err)
		r, err := f.reg.CreateResident(f.admin, f.community, grids.ResidentInput{HouseholdID: h.ID, Name: fmt.Sprintf("居民%d", i), Sex: grids.Male, BirthYear: 1960 + i})
		require.NoError(t, err)
		f.residents = append(f.residents, r)
	}
	bodies, err := f.gov.Setup(f.admin, f.community)
	require.NoError(t, err)
	f.council, f.committees = bodies[0], bodies[2:]
	f.decision, err = f.gov.RecordDecision(f.worker, f.community, governance.DecisionInput{Title: "理事会组成"})
	require.NoError(t, err)
	// Resident 0 sits on the council; resident 1 is a member of the first
	// committee.
	_, err = f.gov.Appoint(f.worker, f.community, governance.AppointInput{BodyID: f.council.ID, ResidentID: f.residents[0].ID, Office: governance.Chair, DecisionID: f.decision.ID})
	require.NoError(t, err)
	_, err = f.gov.Appoint(f.worker, f.community, governance.AppointInput{BodyID: f.committees[0].ID, ResidentID: f.residents[1].ID, Office: governance.Member, DecisionID: f.decision.ID})
	require.NoError(t, err)
	for _, name := range []string{"阳光社工", "邻里守望"} {
		o, err := f.gov.RegisterOrganisation(f.worker, f.community, governance.OrganisationInput{Name: name, Kind: "grassroots", Origin: "incubated"})
		require.NoError(t, err)
		f.orgs = append(f.orgs, o)
	}
	f.need, err = f.reg.RaiseNeed(f.worker, f.community, grids.NeedInput{Source: grids.SourceSurvey, Title: "楼道照明"})
	require.NoError(t, err)
	f.fund, err = f.svc.CreateFund(f.worker, f.community, funds.FundInput{Kind: funds.ProjectFund, Name: "1+1+1项目资金"})
	require.NoError(t, err)
	_, err = f.svc.RecordIncome(f.worker, f.community, f.fund.ID, funds.IncomeInput{Source: funds.Source{Kind: funds.FromGovernment, Name: "街道"}, Amount: d("30000")})
	require.NoError(t, err)
	f.welfare, err = f.svc.CreateFund(f.worker, f.community, funds.FundInput{Kind: funds.WelfareFund, Name: "社区公益金"})
	require.NoError(t, err)
	// After every test, whatever it did, the books agree with the records.
	t.Cleanup(func() { f.audit(com.ID, other.ID) })
	return f
}

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func eq(t testing.TB, want string, got decimal.Decimal, msg ...any) {
	t.Helper()
	assert.True(t, d(want).Equal(got), "want %s, got %s %v", want, got, msg)
}

// as is resident i acting.
func (f *fixture) as(i int) context.Context {
	r := f.residents[i]
	return grids.WithPrincipal(context.Background(), grids.Principal{ID: "resident-" + r.ID, CommunityID: f.community, Name: r.Name, Roles: []grids.Role{grids.RoleResident}, ResidentID: r.ID})
}

// rep is an organisation's representative (not a resident of record).
func (f *fixture) rep(name string) context.Context {
	return grids.WithPrincipal(context.Background(), grids.Principal{ID: "rep-" + name, CommunityID: f.community, Name: name, Roles: []grids.Role{grids.RoleResident}})
}

// audit requires the communities' records and ledgers to agree (every
// transfer explained by its record and every record's transfers there,
// balances that replay, debits equal to credits) and the trial balance to
// sum to zero.
func (f *fixture) audit(communities ...string) {
	f.t.Helper()
	if len(communities) == 0 {
		communities = []string{f.community}
	}
	for _, c := range communities {
		a, err := f.svc.Audit(f.admin, c)
		require.NoError(f.t, err)
		assert.Empty(f.t, a.Disagreements, "the books of community %s disagree with its records", c)
	}
	tb, err := f.svc.TrialBalance(f.worker, f.community)
	require.NoError(f.t, err)
	assert.True(f.t, tb.Sum.IsZero(), "the trial balance sums to zero: %+v", tb)
	assert.True(f.t, tb.Debits.Equal(tb.Credits))
}

// callInput opens a call an hour from now for a week, panel: residents 1 to 3.
func (f *fixture) callInput() funds.CallInput {
	now := f.clock.Now()
	return funds.CallInput{FundID: f.fund.ID, Title: "2026年1+1+1项目征集", Budget: d("30000"), Cap: d("20000"),
		Opens: now.Add(time.Hour), Closes: now.Add(7 * 24 * time.Hour),
		Eligibility: funds.Eligibility{Categories: []string{"materials", "activities", "services"}, MaxPerOrganisation: 2},
		Rubric:      funds.DefaultRubric,
		Panel:       []funds.Reviewer{{ResidentID: f.residents[1].ID}, {ResidentID: f.residents[2].ID}, {ResidentID: f.residents[3].ID, Ties: []string{f.orgs[1].ID}}},
		CouncilVote: true}
}

func (f *fixture) proposal(committee, org int, title string, lines ...funds.Line) funds.ProposalInput {
	now := f.clock.Now()
	return funds.ProposalInput{CommitteeID: f.committees[committee].ID, OrganisationID: f.orgs[org].ID, Title: title, Goals: "让居民受益",
		NeedIDs: []string{f.need.ID}, Start: now.AddDate(0, 1, 0), End: now.AddDate(0, 7, 0), Lines: lines}
}

func line(key, category, amount string) funds.Line {
	return funds.Line{Key: key, Category: category, Amount: d(amount), Justification: "按市价"}
}

// awarded runs a call to its award: three proposals (20,000, 15,000 and
// 8,000 yuan, scored in that order), greedy within 30,000: the first and
// the third are funded. It returns the grants and proposals.
func (f *fixture) awarded(instalments int) ([]funds.Grant, []funds.Proposal) {
	c, ps := f.reviewed()
	gs, err := f.svc.Award(f.as(0), f.community, c.ID, funds.AwardInput{DecisionID: f.decision.ID, Instalments: instalments})
	require.NoError(f.t, err)
	return gs, ps
}

// reviewed runs a call to the close of its review (see awarded).
func (f *fixture) reviewed() (funds.Call, []funds.Proposal) {
	t := f.t
	c, err := f.svc.CreateCall(f.worker, f.community, f.callInput())
	require.NoError(t, err)
	f.clock.Advance(2 * time.Hour)
	var ps []funds.Proposal
	for i, in := range []funds.ProposalInput{
		f.proposal(1, 0, "楼道灯亮起来", line("lamps", "materials", "12000"), line("labour", "services", "8000")),
		f.proposal(2, 0, "四点半课堂", line("teachers", "services", "15000")),
		f.proposal(3, 1, "邻里节", line("stage", "activities", "5000"), line("food", "activities", "3000")),
	} {
		p, err := f.svc.Propose(f.rep(fmt.Sprint("rep", i)), f.community, c.ID, in)
		require.NoError(t, err)
		p, err = f.svc.Submit(f.rep(fmt.Sprint("rep", i)), f.community, p.ID)
		require.NoError(t, err)
		ps = append(ps, p)
	}
	f.clock.Advance(7 * 24 * time.Hour)
	scores := []int{9, 7, 6} // per proposal, every criterion
	for pi, p := range ps {
		for _, r := range []int{1, 2} {
			s := map[string]int{}
			for _, cr := range funds.DefaultRubric {
				s[cr.Key] = scores[pi]
			}
			_, err := f.svc.Score(f.as(r), f.community, p.ID, funds.ScoreInput{Scores: s})
			require.NoError(t, err)
		}
	}
	c, err = f.svc.CloseReview(f.worker, f.community, c.ID)
	require.NoError(t, err)
	return c, ps
}

func testCall(t *testing.T, f *fixture) {
	in := f.callInput()
	bad := in
	bad.Cap = d("40000")
	_, err := f.svc.CreateCall(f.worker, f.community, bad)
	assert.ErrorIs(t, err, grids.Invalid, "a cap above the budget")
	bad = in
	bad.Budget = d("30000.001")
	_, err = f.svc.CreateCall(f.worker, f.community, bad)
	assert.ErrorIs(t, err, grids.Invalid, "money has two decimal places at most")
	_, err = f.svc.CreateCall(f.as(0), f.community, in)
	assert.ErrorIs(t, err, grids.Forbidden)
	c, err := f.svc.CreateCall(f.worker, f.community, in)
	require.NoError(t, err)
	assert.Equal(t, funds.CallUpcoming, c.Status)

	// A draft before the window; submitting waits for it to open.
	rep := f.rep("张")
	p, err := f.svc.Propose(rep, f.community, c.ID, f.proposal(1, 0, "楼道灯亮起来", line("lamps", "materials", "12000"), line("labour", "services", "8000")))
	require.NoError(t, err)
	eq(t, "20000", p.Request, "the lines' sum")
	_, err = f.svc.Submit(rep, f.community, p.ID)
	assert.ErrorIs(t, err, grids.FailedPrecondition)
	_, err = f.svc.UpdateProposal(f.rep("李"), f.community, p.ID, f.proposal(1, 0, "x", line("a", "materials", "1")))
	assert.ErrorIs(t, err, grids.Forbidden, "only its drafter edits it")
	f.clock.Advance(2 * time.Hour)
	p, err = f.svc.Submit(rep, f.community, p.ID)
	require.NoError(t, err)
	assert.Equal(t, funds.Submitted, p.Status)

	// Ineligible proposals are refused with every reason.
	q, err := f.svc.Propose(rep, f.community, c.ID, funds.ProposalInput{CommitteeID: f.council.ID, OrganisationID: f.orgs[0].ID, Title: "超预算",
		Goals: "x", Start: f.clock.Now(), End: f.clock.Now().AddDate(0, 1, 0), Lines: []funds.Line{line("a", "travel", "25000")}})
	require.NoError(t, err)
	_, err = f.svc.Submit(rep, f.community, q.ID)
	require.ErrorIs(t, err, grids.FailedPrecondition)
	for _, why := range []string{"cap", "travel", "not a committee"} {
		assert.Contains(t, err.Error(), why)
	}
	_, err = f.svc.Propose(rep, f.community, c.ID, funds.ProposalInput{CommitteeID: f.committees[0].ID, OrganisationID: f.orgs[0].ID, Title: "x",
		Goals: "x", Start: f.clock.Now(), End: f.clock.Now().AddDate(0, 1, 0), Lines: []funds.Line{line("a", "materials", "0.001")}})
	assert.ErrorIs(t, err, grids.Invalid)
	w, err := f.svc.Withdraw(rep, f.community, q.ID)
	require.NoError(t, err)
	assert.Equal(t, funds.Withdrawn, w.Status)

	p2, err := f.svc.Propose(f.rep("王"), f.community, c.ID, f.proposal(2, 1, "四点半课堂", line("teachers", "services", "15000")))
	require.NoError(t, err)
	_, err = f.svc.Submit(f.rep("王"), f.community, p2.ID)
	require.NoError(t, err)

	// Scores wait for the window to close; the panel scores; ties recuse.
	s := map[string]int{"needs": 8, "feasibility": 8, "participation": 8, "cost": 8}
	_, err = f.svc.Score(f.as(2), f.community, p.ID, funds.ScoreInput{Scores: s})
	assert.ErrorIs(t, err, grids.FailedPrecondition)
	f.clock.Advance(7 * 24 * time.Hour)
	_, err = f.svc.Score(f.as(4), f.community, p.ID, funds.ScoreInput{Scores: s})
	assert.ErrorIs(t, err, grids.Forbidden, "not on the panel")
	_, err = f.svc.Score(f.as(1), f.community, p2.ID, funds.ScoreInput{Scores: s})
	require.NoError(t, err, "resident 1 sits on committee 0, not 2")
	// Resident 1 sits on committee 0; p is committee 1's: a second call
	// would show the recusal; here resident 3 declared a tie to org 1.
	_, err = f.svc.Score(f.as(3), f.community, p2.ID, funds.ScoreInput{Scores: s})
	assert.ErrorIs(t, err, grids.Forbidden, "declared tie: recused")
	_, err = f.svc.Score(f.as(2), f.community, p.ID, funds.ScoreInput{Scores: map[string]int{"needs": 11}})
	assert.ErrorIs(t, err, grids.Invalid)
	for _, r := range []int{1, 2} {
		_, err = f.svc.Score(f.as(r), f.community, p.ID, funds.ScoreInput{Scores: map[string]int{"needs": 10, "feasibility": 8, "participation": 6, "cost": 4}})
		require.NoError(t, err)
	}
	_, err = f.svc.Score(f.as(2), f.community, p2.ID, funds.ScoreInput{Scores: s})
	require.NoError(t, err)
	rk, err := f.svc.Ranking(f.as(4), f.community, c.ID)
	require.NoError(t, err)
	require.Len(t, rk, 2)
	// p: (10×40 + 8×25 + 6×20 + 4×15)/10/100 ×100 = 78; p2: 80.
	assert.Equal(t, p2.ID, rk[0].ProposalID)
	eq(t, "80", rk[0].Score)
	eq(t, "78", rk[1].Score)
	assert.Equal(t, []string{f.residents[3].ID}, rk[0].Recused)

	// Closing the review locks the scores; only the council awards.
	_, err = f.svc.Award(f.as(0), f.community, c.ID, funds.AwardInput{DecisionID: f.decision.ID})
	assert.ErrorIs(t, err, grids.FailedPrecondition, "the review is not closed")
	_, err = f.svc.CloseReview(f.worker, f.community, c.ID)
	require.NoError(t, err)
	_, err = f.svc.Score(f.as(2), f.community, p2.ID, funds.ScoreInput{Scores: s})
	assert.ErrorIs(t, err, grids.FailedPrecondition, "scores are locked")
	_, err = f.svc.Award(f.as(2), f.community, c.ID, funds.AwardInput{DecisionID: f.decision.ID})
	assert.ErrorIs(t, err, grids.Forbidden)
	_, err = f.svc.Award(f.as(0), f.community, c.ID, funds.AwardInput{})
	assert.ErrorIs(t, err, grids.Invalid, "the call says the council votes: its decision is required")
	// 15,000 for p2 first, then p's 20,000 does not fit in 15,000: unless
	// the committee funds it in part.
	gs, err := f.svc.Award(f.worker, f.community, c.ID, funds.AwardInput{DecisionID: f.decision.ID, Partial: map[string]decimal.Decimal{p.ID: d("15000")}, Instalments: 2})
	require.NoError(t, err)
	require.Len(t, gs, 2)
	byProposal := map[string]funds.Grant{}
	for _, g := range gs {
		byProposal[g.ProposalID] = g
	}
	g := byProposal[p.ID]
	assert.True(t, g.Partial)
	eq(t, "15000", g.Amount)
	eq(t, "9000", g.Lines[0].Amount, "lines cut in proportion")
	eq(t, "6000", g.Lines[1].Amount)
	require.Len(t, g.Instalments, 2)
	assert.NotNil(t, g.Instalments[0].ReleasedAt)
	assert.Nil(t, g.Instalments[1].ReleasedAt)
	fund, err := f.svc.Fund(f.as(4), f.community, f.fund.ID)
	require.NoError(t, err)
	eq(t, "0", fund.Balance, "30,000 granted")
	again, err := f.svc.Award(f.worker, f.community, c.ID, funds.AwardInput{DecisionID: f.decision.ID})
	require.NoError(t, err)
	assert.Len(t, again, 2, "awarding again changes nothing")
	got, err := f.svc.Proposal(f.as(4), f.community, p.ID)
	require.NoError(t, err)
	assert.Equal(t, funds.Awarded, got.Status)
	f.audit()
}

func testSpending(t *testing.T, f *fixture) {
	gs, _ := f.awarded(2)
	require.Len(t, gs, 2, "20,000 and 8,000 fit in 30,000; 15,000 is skipped")
	var g funds.Grant
	for _, x := range gs {
		if x.Title == "楼道灯亮起来" {
			g = x
		}
	}
	eq(t, "20000", g.Amount)
	eq(t, "10000", g.Instalments[0].Amount)
	sp := func(line, amount string) (funds.Spending, error) {
		return f.svc.Spend(f.worker, f.community, g.ID, funds.SpendInput{Line: line, Amount: d(amount), Payee: "五金店", ReceiptRef: "发票001", ApprovedBy: "项目负责人"})
	}
	_, err := sp("lamps", "0.001")
	assert.ErrorIs(t, err, grids.Invalid, "to the fen")
	_, err = sp("nope", "1")
	assert.ErrorIs(t, err, grids.Invalid)
	_, err = f.svc.Spend(f.as(1), f.community, g.ID, funds.SpendInput{Line: "lamps", Amount: d("1"), Payee: "x", ReceiptRef: "x", ApprovedBy: "x"})
	assert.ErrorIs(t, err, grids.Forbidden)
	s1, err := sp("lamps", "8000")
	require.NoError(t, err)
	_, err = sp("lamps", "4000.01")
	assert.ErrorIs(t, err, grids.FailedPrecondition, "more than released: 2,000 left of the first 10,000")
	_, err = f.svc.Release(f.worker, f.community, g.ID, 2)
	require.NoError(t, err)
	_, err = sp("lamps", "4000.01")
	assert.ErrorIs(t, err, grids.FailedPrecondition, "more than the line's 4,000 left")
	_, err = sp("lamps", "4000")
	require.NoError(t, err)

	// The month's report; then next month a refund of March's spending.
	march, err := f.svc.ProjectReport(f.as(4), f.community, g.ID, "2026-03")
	require.NoError(t, err)
	eq(t, "0", march.Opening)
	eq(t, "20000", march.Granted)
	eq(t, "20000", march.Released)
	eq(t, "12000", march.Spent)
	eq(t, "8000", march.Closing)
	eq(t, "12000", march.Lines[0].SpentToDate)
	eq(t, "0", march.Lines[0].Remaining)
	eq(t, "8000", march.Lines[1].Remaining)
	assert.Len(t, march.Entries, 2)
	assert.Contains(t, march.Markdown(), "| lamps | materials | 12000 | 12000 | 12000 | 0 |")
	assert.Contains(t, march.HTML(), "<td class=\"n\">12000</td>")

	f.clock.Set(time.Date(2026, 4, 10, 2, 0, 0, 0, time.UTC))
	_, err = f.svc.Reverse(f.worker, f.community, s1.ID, funds.ReversalInput{Kind: funds.Refund, Amount: d("500"), Reason: "退货"})
	require.NoError(t, err)
	_, err = f.svc.Reverse(f.worker, f.community, s1.ID, funds.ReversalInput{Kind: funds.Correction, Amount: d("7500.01"), Reason: "x"})
	assert.ErrorIs(t, err, grids.FailedPrecondition, "never more than is left of the payment")
	rest, err := f.svc.Reverse(f.worker, f.community, s1.ID, funds.ReversalInput{Kind: funds.Correction, Reason: "记错科目"})
	require.NoError(t, err)
	eq(t, "7500", rest.Amount, "the rest of the payment")
	after, err := f.svc.ProjectReport(f.as(4), f.community, g.ID, "2026-03")
	require.NoError(t, err)
	recordtest.Same(t, march, after, "a closed month's report never changes")
	april, err := f.svc.ProjectReport(f.as(4), f.community, g.ID, "2026-04")
	require.NoError(t, err)
	eq(t, "8000", april.Opening)
	eq(t, "8000", april.Returned)
	eq(t, "16000", april.Closing)
	eq(t, "-8000", april.Lines[0].Spent, "the correction shows in the month it is made")
	eq(t, "8000", april.Lines[0].Remaining)
	_, err = f.svc.ProjectReport(f.as(4), f.community, g.ID, "2026-13")
	assert.ErrorIs(t, err, grids.Invalid)

	fr, err := f.svc.FundReport(f.as(4), f.community, f.fund.ID, "2026-03")
	require.NoError(t, err)
	eq(t, "0", fr.Statement.Opening)
	eq(t, "30000", fr.Statement.In)
	eq(t, "28000", fr.Statement.Out)
	eq(t, "2000", fr.Statement.Closing)
	assert.Len(t, fr.Projects, 2)
	assert.Contains(t, fr.Markdown(), "1+1+1项目资金")
	assert.Contains(t, fr.HTML(), "<td>楼道灯亮起来</td><td class=\"n\">20000</td><td class=\"n\">12000</td>", "the projects in the printable page")
	f.audit()
}

func testAlliance(t *testing.T, f *fixture) {
	m, err := f.svc.JoinAlliance(f.worker, f.community, funds.MerchantInput{Name: "好邻居超市", PrincipalID: "merchant-1"})
	require.NoError(t, err)
	eq(t, "0.1", m.Rate, "10% by default")
	other, err := f.svc.JoinAlliance(f.worker, f.community, funds.MerchantInput{Name: "理发店", PrincipalID: "merchant-2", Rate: d("0.05")})
	require.NoError(t, err)
	me := grids.WithPrincipal(context.Background(), grids.Principal{ID: "merchant-1", CommunityID: f.community, Name: "好邻居", Roles: []grids.Role{grids.RoleMerchant}})
	dcl, err := f.svc.Declare(me, f.community, m.ID, funds.DeclarationInput{Period: "2026-02", Takings: d("1234.56")})
	require.NoError(t, err)
	eq(t, "123.46", dcl.Due, "123.456 half-up to the fen")
	_, err = f.svc.Declare(me, f.community, m.ID, funds.DeclarationInput{Period: "2026-02", Takings: d("1")})
	assert.ErrorIs(t, err, grids.Conflict, "a month is declared once")
	_, err = f.svc.Declare(me, f.community, other.ID, funds.DeclarationInput{Period: "2026-02", Takings: d("1")})
	assert.ErrorIs(t, err, grids.Forbidden, "merchants declare their own")
	_, err = f.svc.Declare(me, f.community, m.ID, funds.DeclarationInput{Period: "2026-05", Takings: d("1")})
	assert.ErrorIs(t, err, grids.Invalid, "a month that has not begun")
	_, err = f.svc.Declare(me, f.community, m.ID, funds.DeclarationInput{Period: "2026-01", Takings: d("10.005")})
	assert.ErrorIs(t, err, grids.Invalid)
	_, err = f.svc.Declare(f.worker, f.community, other.ID, funds.DeclarationInput{Period: "2026-02", Takings: d("333.30")})
	require.NoError(t, err)

	_, err = f.svc.RecordContribution(f.worker, f.community, m.ID, funds.ContributionInput{Period: "2026-02", Amount: d("100")})
	require.NoError(t, err)
	rec, err := f.svc.Reconcile(me, f.community, m.ID)
	require.NoError(t, err)
	require.Len(t, rec.Periods, 1)
	eq(t, "123.46", rec.Due)
	eq(t, "100", rec.Paid)
	eq(t, "23.46", rec.Owed)
	_, err = f.svc.Reconcile(me, f.community, other.ID)
	assert.ErrorIs(t, err, grids.Forbidden, "a merchant sees their own")
	_, err = f.svc.Reconcile(me, f.community, "")
	assert.ErrorIs(t, err, grids.Forbidden)
	all, err := f.svc.Reconcile(f.worker, f.community, "")
	require.NoError(t, err)
	eq(t, "140.13", all.Due, "123.46 + 16.67 (333.30 × 5%, half-up)")
	eq(t, "40.13", all.Owed)

	// The basis is the alliance's: takings until it says earnings (收益).
	eq(t, "1234.56", dcl.Takings)
	assert.Equal(t, funds.OnTakings, dcl.Basis)
	_, err = f.svc.Declare(me, f.community, m.ID, funds.DeclarationInput{Period: "2026-01", Takings: d("100"), Earnings: d("10")})
	assert.ErrorIs(t, err, grids.Invalid, "earnings on a takings basis")
	_, err = f.svc.SetBasis(me, f.community, funds.OnEarnings)
	assert.ErrorIs(t, err, grids.Forbidden, "workers say the basis")
	_, err = f.svc.SetBasis(f.worker, f.community, "profit")
	assert.ErrorIs(t, err, grids.Invalid)
	w, err := f.svc.SetBasis(f.worker, f.community, funds.OnEarnings)
	require.NoError(t, err)
	assert.Equal(t, funds.OnEarnings, w.Basis)
	stored, err := f.svc.Fund(f.worker, f.community, f.welfare.ID)
	require.NoError(t, err)
	assert.Equal(t, funds.OnEarnings, stored.Basis, "the store keeps it")
	_, err = f.svc.Declare(me, f.community, m.ID, funds.DeclarationInput{Period: "2026-01", Takings: d("100"), Earnings: d("120")})
	assert.ErrorIs(t, err, grids.Invalid, "earnings within takings")
	jan, err := f.svc.Declare(me, f.community, m.ID, funds.DeclarationInput{Period: "2026-01", Takings: d("5000"), Earnings: d("1234.56")})
	require.NoError(t, err)
	assert.Equal(t, funds.OnEarnings, jan.Basis)
	eq(t, "123.46", jan.Due, "10% of earnings")
	eq(t, "5000", jan.Takings)
	got, err := f.svc.Reconcile(me, f.community, m.ID)
	require.NoError(t, err)
	eq(t, "246.92", got.Due, "both months")

	st, err := f.svc.FundStatement(f.as(4), f.community, f.welfare.ID, time.Time{}, time.Time{})
	require.NoError(t, err)
	require.Len(t, st.Lines, 1)
	assert.Equal(t, "income", st.Lines[0].Kind)
	eq(t, "100", st.Closing, "the welfare fund's statement shows the contribution")
	f.audit()
}

// testConcurrentSpending races payments on one budget line: exactly as
// many succeed as the line allows, and the books balance.
func testConcurrentSpending(t *testing.T, f *fixture) {
	gs, _ := f.awarded(1)
	var g funds.Grant
	for _, x := range gs {
		if x.Title == "邻里节" {
			g = x
		}
	}
	require.NotEmpty(t, g.ID)
	const tries = 60 // the stage line has 5,000 yuan: 50 payments of 100
	var ok, refused atomic.Int64
	var wg sync.WaitGroup
	for range tries {
		wg.Go(func() {
			_, err := f.svc.Spend(f.worker, f.community, g.ID, funds.SpendInput{Line: "stage", Amount: d("100"), Payee: "舞台公司", ReceiptRef: "r", ApprovedBy: "a"})
			switch {
			case err == nil:
				ok.Add(1)
			case assert.ErrorIs(t, err, grids.FailedPrecondition):
				refused.Add(1)
			}
		})
	}
	wg.Wait()
	assert.EqualValues(t, 50, ok.Load())
	assert.EqualValues(t, 10, refused.Load())
	r, err := f.svc.ProjectReport(f.worker, f.community, g.ID, "2026-03")
	require.NoError(t, err)
	eq(t, "0", r.Lines[0].Remaining)
	eq(t, "3000", r.Closing)
	f.audit()
}

// testRandomBooks is a property test: goroutines make random payments,
// refunds, corrections and releases on the awarded grants; whatever the
// interleaving, no line or release is overspent, the records agree with
// the ledger to the fen, and the trial balance is zero.
func testRandomBooks(t *testing.T, f *fixture) {
	gs, _ := f.awarded(3)
	require.NotEmpty(t, gs)
	var mu sync.Mutex
	var spends []funds.Spending
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			rnd := rand.New(rand.NewPCG(uint64(w), 42))
			for range 40 {
				g := gs[rnd.IntN(len(gs))]
				switch op := rnd.IntN(10); {
				case op < 6:
					l := g.Lines[rnd.IntN(len(g.Lines))]
					amt := decimal.New(int64(1+rnd.IntN(300000)), -2) // up to 3,000 yuan, to the fen
					sp, err := f.svc.Spend(f.worker, f.community, g.ID, funds.SpendInput{Line: l.Key, Amount: amt, Payee: "p", ReceiptRef: "r", ApprovedBy: "a"})
					if err == nil {
						mu.Lock()
						spends = append(spends, sp)
						mu.Unlock()
					} else {
						assert.ErrorIs(t, err, grids.FailedPrecondition)
					}
				case op < 9:
					mu.Lock()
					if len(spends) == 0 {
						mu.Unlock()
						continue
					}
					sp := spends[rnd.IntN(len(spends))]
					mu.Unlock()
					kind := []funds.SpendingKind{funds.Refund, funds.Correction}[rnd.IntN(2)]
					_, err := f.svc.Reverse(f.worker, f.community, sp.ID, funds.ReversalInput{Kind: kind, Amount: decimal.New(int64(1+rnd.IntN(100000)), -2), Reason: "随机"})
					if err != nil {
						assert.ErrorIs(t, err, grids.FailedPrecondition)
					}
				default:
					_, err := f.svc.Release(f.worker, f.community, g.ID, 2+rnd.IntN(2))
					assert.NoError(t, err)
				}
			}
		})
	}
	wg.Wait()
	assert.Greater(t, len(spends), 20, "most payments went through")
	for _, g := range gs {
		g, err := f.svc.Grant(f.worker, f.community, g.ID)
		require.NoError(t, err)
		records, _, err := f.svc.Spendings(f.worker, f.community, g.ID, grids.Page{Limit: grids.MaxLimit})
		require.NoError(t, err)
		net := map[string]decimal.Decimal{}
		total := decimal.Zero
		for _, sp := range records {
			amt := sp.Amount
			if sp.Kind != funds.Spend {
				amt = amt.Neg()
			}
			net[sp.Line] = net[sp.Line].Add(amt)
			total = total.Add(amt)
		}
		released := decimal.Zero
		for _, in := range g.Instalments {
			if in.ReleasedAt != nil {
				released = released.Add(in.Amount)
			}
		}
		assert.True(t, total.LessThanOrEqual(released), "never more than released: %s of %s", total, released)
		r, err := f.svc.ProjectReport(f.worker, f.community, g.ID, "2026-03")
		require.NoError(t, err)
		for _, l := range r.Lines {
			assert.False(t, l.Remaining.IsNegative(), "line %s overspent", l.Key)
			assert.True(t, l.SpentToDate.Equal(net[l.Key]), "line %s: records %s, ledger %s", l.Key, net[l.Key], l.SpentToDate)
		}
		assert.True(t, r.Available.Equal(released.Sub(total)), "available: ledger %s, records %s", r.Available, released.Sub(total))
	}
	f.audit()
}

// testWriteSkew: a check over a set and the write it allows are
// serializable (see storetest.WriteSkew): one fund of a kind, racing.
func testWriteSkew(t *testing.T, f *fixture) {
	bg := context.Background()
	others := record.Filter{CommunityID: f.community, Status: string(funds.OtherFund)}
	created := storetest.WriteSkew(t, func(fn func(funds.Tx) error) error { return f.st.Funds.Update(bg, fn) },
		func(tx funds.Tx) (bool, error) {
			_, n, err := tx.Funds().Find(bg, others)
			return n > 0, err
		},
		func(tx funds.Tx) error {
			now := f.clock.Now()
			return tx.Funds().Create(bg, funds.Fund{ID: f.newID(), CommunityID: f.community, Kind: funds.OtherFund, Name: "其他", CreatedBy: "w", CreatedAt: now, UpdatedAt: now, Balance: decimal.Zero})
		})
	assert.Equal(t, 1, created, "one fund of the kind")
}

// testVersion: the store's version of a community advances with every
// committed write of its records or books, and only then.
func testVersion(t *testing.T, f *fixture) {
	fund := func() funds.Fund {
		now := f.clock.Now()
		return funds.Fund{ID: f.newID(), CommunityID: f.community, Kind: funds.OtherFund, Name: "版本", CreatedBy: "w", CreatedAt: now, UpdatedAt: now, Balance: decimal.Zero}
	}
	read := func(ctx context.Context) error {
		return f.st.Funds.View(ctx, func(tx funds.Tx) error {
			_, _, err := tx.Funds().Find(ctx, record.Filter{CommunityID: f.community})
			return err
		})
	}
	write := func(ctx context.Context) error {
		return f.st.Funds.Update(ctx, func(tx funds.Tx) error { return tx.Funds().Create(ctx, fund()) })
	}
	fail := func(ctx context.Context) error {
		return f.st.Funds.Update(ctx, func(tx funds.Tx) error {
			if err := tx.Funds().Create(ctx, fund()); err != nil {
				return err
			}
			return errors.New("changed its mind")
		})
	}
	recordtest.CheckVersion(t, f.st.Funds, f.community, read, write, fail)

	before, err := f.st.Funds.Version(context.Background(), f.community)
	require.NoError(t, err)
	_, err = f.svc.RecordIncome(f.worker, f.community, f.fund.ID, funds.IncomeInput{Source: funds.Source{Kind: funds.FromGovernment, Name: "街道"}, Amount: d("100")})
	require.NoError(t, err)
	after, err := f.st.Funds.Version(context.Background(), f.community)
	require.NoError(t, err)
	assert.Greater(t, after, before, "an income (a record and the money it adds) advances it")
}
