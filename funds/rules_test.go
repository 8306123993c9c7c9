package funds_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/clock"
	"github.com/linli-go/linli/internal/errs"
)

// world is a community for the funds' rules: a council chaired by
// resident 0, resident 1 a member of the first committee, residents 1 and
// 2 on panels, two organisations, and a project fund of 30,000 yuan.
type world struct {
	t          *testing.T
	svc        *funds.Service
	clock      *clock.Manual
	community  string
	worker     context.Context
	residents  []grids.Resident
	committees []governance.Body
	orgs       []governance.Organisation
	decision   governance.Decision
	fund       funds.Fund
}

func newWorld(t *testing.T) *world {
	t.Helper()
	c := clock.NewManual(time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC))
	store := memstore.NewWithClock(c.Now)
	reg := grids.NewRegistry(store.Grids(), grids.Options{Now: c.Now})
	gov := governance.NewService(store.Governance(), store.Grids(), governance.Options{Now: c.Now})
	w := &world{t: t, clock: c, svc: funds.NewService(store.Funds(), governance.Lookup{Store: store.Governance()}, grids.Lookup{Store: store.Grids()}, funds.Options{Now: c.Now})}
	admin := grids.WithPrincipal(context.Background(), grids.Admin("t"))
	com, err := reg.CreateCommunity(admin, grids.CommunityInput{Name: "水秀社区"})
	require.NoError(t, err)
	w.community = com.ID
	w.worker = grids.WithPrincipal(context.Background(), grids.Principal{ID: "worker", CommunityID: com.ID, Name: "李娜", Roles: []grids.Role{grids.RoleWorker}})
	b, err := reg.CreateBuilding(admin, com.ID, grids.BuildingInput{Name: "1号"})
	require.NoError(t, err)
	for i := range 4 {
		h, err := reg.CreateHousehold(admin, com.ID, grids.HouseholdInput{BuildingID: b.ID, Unit: string(rune('1' + i)), Size: 1})
		require.NoError(t, err)
		r, err := reg.CreateResident(admin, com.ID, grids.ResidentInput{HouseholdID: h.ID, Name: "居民" + string(rune('甲'+i)), Sex: grids.Male, BirthYear: 1960})
		require.NoError(t, err)
		w.residents = append(w.residents, r)
	}
	bodies, err := gov.Setup(admin, com.ID)
	require.NoError(t, err)
	w.committees = bodies[2:]
	w.decision, err = gov.RecordDecision(w.worker, com.ID, governance.DecisionInput{Title: "理事会组成"})
	require.NoError(t, err)
	_, err = gov.Appoint(w.worker, com.ID, governance.AppointInput{BodyID: bodies[0].ID, ResidentID: w.residents[0].ID, Office: governance.Chair, DecisionID: w.decision.ID})
	require.NoError(t, err)
	_, err = gov.Appoint(w.worker, com.ID, governance.AppointInput{BodyID: w.committees[0].ID, ResidentID: w.residents[1].ID, Office: governance.Member, DecisionID: w.decision.ID})
	require.NoError(t, err)
	for _, name := range []string{"阳光社工", "邻里守望"} {
		o, err := gov.RegisterOrganisation(w.worker, com.ID, governance.OrganisationInput{Name: name, Kind: "grassroots", Origin: "incubated"})
		require.NoError(t, err)
		w.orgs = append(w.orgs, o)
	}
	w.fund = w.newFund(funds.ProjectFund, "30000")
	return w
}

func (w *world) newFund(kind funds.FundKind, money string) funds.Fund {
	w.t.Helper()
	f, err := w.svc.CreateFund(w.worker, w.community, funds.FundInput{Kind: kind, Name: string(kind)})
	require.NoError(w.t, err)
	if money != "" {
		_, err = w.svc.RecordIncome(w.worker, w.community, f.ID, funds.IncomeInput{Source: funds.Source{Kind: funds.FromGovernment, Name: "街道"}, Amount: decimal.RequireFromString(money)})
		require.NoError(w.t, err)
	}
	return f
}

func (w *world) as(i int) context.Context {
	r := w.residents[i]
	return grids.WithPrincipal(context.Background(), grids.Principal{ID: "u-" + r.ID, CommunityID: w.community, Name: r.Name, Roles: []grids.Role{grids.RoleResident}, ResidentID: r.ID})
}

// rep is an organisation's representative, who drafts its proposals.
func (w *world) rep(name string) context.Context {
	return grids.WithPrincipal(context.Background(), grids.Principal{ID: "rep-" + name, CommunityID: w.community, Name: name, Roles: []grids.Role{grids.RoleResident}})
}

// call opens a call on fund an hour from now for a week; residents 1 and
// 2 are its panel.
func (w *world) call(fund funds.Fund, budget string, edit func(*funds.CallInput)) funds.Call {
	w.t.Helper()
	now := w.clock.Now()
	in := funds.CallInput{FundID: fund.ID, Title: "征集", Budget: decimal.RequireFromString(budget), Cap: decimal.NewFromInt(20000),
		Opens: now.Add(time.Hour), Closes: now.Add(7 * 24 * time.Hour), Rubric: funds.DefaultRubric,
		Panel: []funds.Reviewer{{ResidentID: w.residents[1].ID}, {ResidentID: w.residents[2].ID}}}
	if edit != nil {
		edit(&in)
	}
	c, err := w.svc.CreateCall(w.worker, w.community, in)
	require.NoError(w.t, err)
	return c
}

// propose drafts a proposal of amount on one line, "main", or, for a
// list of amounts, on lines "a", "b" ….
func (w *world) propose(c funds.Call, committee, org int, amounts ...string) (funds.Proposal, context.Context) {
	w.t.Helper()
	rep := w.rep(w.orgs[org].Name)
	now := w.clock.Now()
	lines := []funds.Line{{Key: "main", Category: "services", Amount: decimal.RequireFromString(amounts[0])}}
	if len(amounts) > 1 {
		lines = nil
		for i, a := range amounts {
			lines = append(lines, funds.Line{Key: string(rune('a' + i)), Category: "services", Amount: decimal.RequireFromString(a)})
		}
	}
	p, err := w.svc.Propose(rep, w.community, c.ID, funds.ProposalInput{CommitteeID: w.committees[committee].ID, OrganisationID: w.orgs[org].ID, Title: "项目",
		Goals: "受益", Start: now.AddDate(0, 1, 0), End: now.AddDate(0, 7, 0), Lines: lines})
	require.NoError(w.t, err)
	return p, rep
}

func (w *world) submit(p funds.Proposal, rep context.Context) {
	w.t.Helper()
	_, err := w.svc.Submit(rep, w.community, p.ID)
	require.NoError(w.t, err)
}

// reviewed takes a call with a submitted proposal of the second committee
// and organisation to its closed review.
func (w *world) reviewed(fund funds.Fund, budget string, amounts ...string) funds.Call {
	w.t.Helper()
	c := w.call(fund, budget, func(in *funds.CallInput) { in.Cap = decimal.Min(in.Cap, in.Budget) })
	w.clock.Advance(2 * time.Hour)
	p, rep := w.propose(c, 1, 1, amounts...)
	w.submit(p, rep)
	w.clock.Advance(7 * 24 * time.Hour)
	_, err := w.svc.Score(w.as(2), w.community, p.ID, funds.ScoreInput{Scores: map[string]int{"needs": 9, "feasibility": 8, "participation": 8, "cost": 7}})
	require.NoError(w.t, err)
	_, err = w.svc.CloseReview(w.worker, w.community, c.ID)
	require.NoError(w.t, err)
	return c
}

// grant awards a reviewed call of one proposal in n instalments.
func (w *world) grant(n int, amounts ...string) funds.Grant {
	w.t.Helper()
	c := w.reviewed(w.fund, "30000", amounts...)
	gs, err := w.svc.Award(w.as(0), w.community, c.ID, funds.AwardInput{DecisionID: w.decision.ID, Instalments: n})
	require.NoError(w.t, err)
	require.Len(w.t, gs, 1)
	return gs[0]
}

func (w *world) spend(g funds.Grant, amount string) (funds.Spending, error) {
	return w.svc.Spend(w.worker, w.community, g.ID, funds.SpendInput{Line: "main", Amount: decimal.RequireFromString(amount), Payee: "供应商", ReceiptRef: "票", ApprovedBy: "负责人"})
}

// TestRules breaks each rule of the funds once, and requires the refusal
// to name it, with its code.
func TestRules(t *testing.T) {
	scores := funds.ScoreInput{Scores: map[string]int{"needs": 9, "feasibility": 8, "participation": 8, "cost": 7}}
	cases := []struct {
		rule    *grids.Rule
		refused func(w *world) error
	}{
		{funds.ErrNotMember, func(w *world) error {
			stranger := grids.WithPrincipal(context.Background(), grids.Principal{ID: "x", CommunityID: "01ARZ3NDEKTSV4RRFFQ69G5FAV", Name: "x", Roles: []grids.Role{grids.RoleWorker}})
			_, err := w.svc.Funds(stranger, w.community)
			return err
		}},
		{funds.ErrWorkersOnly, func(w *world) error {
			_, err := w.svc.CreateFund(w.as(3), w.community, funds.FundInput{Kind: funds.OtherFund, Name: "x"})
			return err
		}},
		{funds.ErrNotDrafter, func(w *world) error {
			c := w.call(w.fund, "30000", nil)
			w.clock.Advance(2 * time.Hour)
			p, _ := w.propose(c, 1, 1, "1000")
			_, err := w.svc.UpdateProposal(w.rep("别人"), w.community, p.ID, funds.ProposalInput{CommitteeID: p.CommitteeID, OrganisationID: p.OrganisationID,
				Title: "改", Goals: "改", Start: p.Start, End: p.End, Lines: p.Lines})
			return err
		}},
		{funds.ErrNotOnPanel, func(w *world) error {
			c := w.call(w.fund, "30000", nil)
			w.clock.Advance(2 * time.Hour)
			p, rep := w.propose(c, 1, 1, "1000")
			w.submit(p, rep)
			w.clock.Advance(7 * 24 * time.Hour)
			_, err := w.svc.Score(w.as(3), w.community, p.ID, scores)
			return err
		}},
		{funds.ErrRecused, func(w *world) error {
			c := w.call(w.fund, "30000", nil)
			w.clock.Advance(2 * time.Hour)
			p, rep := w.propose(c, 0, 1, "1000") // the committee resident 1 sits on
			w.submit(p, rep)
			w.clock.Advance(7 * 24 * time.Hour)
			_, err := w.svc.Score(w.as(1), w.community, p.ID, scores)
			return err
		}},
		{funds.ErrCouncilOnly, func(w *world) error {
			c := w.reviewed(w.fund, "30000", "1000")
			_, err := w.svc.Award(w.as(3), w.community, c.ID, funds.AwardInput{DecisionID: w.decision.ID})
			return err
		}},
		{funds.ErrNotMerchant, func(w *world) error {
			m, err := w.svc.JoinAlliance(w.worker, w.community, funds.MerchantInput{Name: "好邻居超市", PrincipalID: "merchant-1"})
			require.NoError(t, err)
			other := grids.WithPrincipal(context.Background(), grids.Principal{ID: "merchant-2", CommunityID: w.community, Name: "理发店", Roles: []grids.Role{grids.RoleMerchant}})
			_, err = w.svc.Declare(other, w.community, m.ID, funds.DeclarationInput{Period: "2026-02", Takings: decimal.NewFromInt(100)})
			return err
		}},
		{funds.ErrCallState, func(w *world) error {
			c := w.call(w.fund, "30000", nil)
			_, err := w.svc.Award(w.as(0), w.community, c.ID, funds.AwardInput{DecisionID: w.decision.ID})
			return err
		}},
		{funds.ErrProposalState, func(w *world) error {
			c := w.call(w.fund, "30000", nil)
			w.clock.Advance(2 * time.Hour)
			p, rep := w.propose(c, 1, 1, "1000")
			w.submit(p, rep)
			_, err := w.svc.UpdateProposal(rep, w.community, p.ID, funds.ProposalInput{CommitteeID: p.CommitteeID, OrganisationID: p.OrganisationID,
				Title: "改", Goals: "改", Start: p.Start, End: p.End, Lines: p.Lines})
			return err
		}},
		{funds.ErrOutsideWindow, func(w *world) error {
			c := w.call(w.fund, "30000", nil)
			p, rep := w.propose(c, 1, 1, "1000") // drafted before it opens
			_, err := w.svc.Submit(rep, w.community, p.ID)
			return err
		}},
		{funds.ErrIneligible, func(w *world) error {
			c := w.call(w.fund, "30000", nil)
			w.clock.Advance(2 * time.Hour)
			p, rep := w.propose(c, 1, 1, "25000") // over the cap of 20,000
			_, err := w.svc.Submit(rep, w.community, p.ID)
			return err
		}},
		{funds.ErrTooManyProposals, func(w *world) error {
			c := w.call(w.fund, "30000", func(in *funds.CallInput) { in.Eligibility.MaxPerOrganisation = 1 })
			w.clock.Advance(2 * time.Hour)
			p, rep := w.propose(c, 1, 1, "1000")
			w.submit(p, rep)
			q, _ := w.propose(c, 2, 1, "1000")
			_, err := w.svc.Submit(rep, w.community, q.ID)
			return err
		}},
		{funds.ErrScoresLocked, func(w *world) error {
			c := w.reviewed(w.fund, "30000", "1000")
			ps, _, err := w.svc.Proposals(w.worker, w.community, c.ID, "", grids.Page{})
			require.NoError(t, err)
			_, err = w.svc.Score(w.as(2), w.community, ps[0].ID, scores)
			return err
		}},
		{funds.ErrFundShort, func(w *world) error {
			small := w.newFund(funds.DonationFund, "")
			i, err := w.svc.RecordIncome(w.worker, w.community, small.ID, funds.IncomeInput{Source: funds.Source{Kind: funds.FromDonor, Name: "x"}, Amount: decimal.NewFromInt(500)})
			require.NoError(t, err)
			c := w.reviewed(small, "500", "500")
			_, err = w.svc.Award(w.as(0), w.community, c.ID, funds.AwardInput{DecisionID: w.decision.ID})
			require.NoError(t, err)
			_, err = w.svc.ReverseIncome(w.worker, w.community, i.ID, funds.ReverseInput{Reason: "记错了"})
			return err
		}},
		{funds.ErrNotReleased, func(w *world) error {
			_, err := w.spend(w.grant(2, "1000"), "600") // 500 released of 1,000
			return err
		}},
		{funds.ErrBudgetLineExceeded, func(w *world) error {
			g := w.grant(1, "500", "500") // all 1,000 released; lines a and b of 500
			_, err := w.svc.Spend(w.worker, w.community, g.ID, funds.SpendInput{Line: "a", Amount: decimal.NewFromInt(600), Payee: "x", ReceiptRef: "x", ApprovedBy: "x"})
			return err
		}},
		{funds.ErrNotAPayment, func(w *world) error {
			sp, err := w.spend(w.grant(1, "1000"), "100")
			require.NoError(t, err)
			rv, err := w.svc.Reverse(w.worker, w.community, sp.ID, funds.ReversalInput{Kind: funds.Refund, Amount: decimal.NewFromInt(10), Reason: "退款"})
			require.NoError(t, err)
			_, err = w.svc.Reverse(w.worker, w.community, rv.ID, funds.ReversalInput{Kind: funds.Refund, Reason: "再退"})
			return err
		}},
		{funds.ErrReversalExceeds, func(w *world) error {
			sp, err := w.spend(w.grant(1, "1000"), "100")
			require.NoError(t, err)
			_, err = w.svc.Reverse(w.worker, w.community, sp.ID, funds.ReversalInput{Kind: funds.Refund, Amount: decimal.NewFromInt(101), Reason: "退款"})
			return err
		}},
		{funds.ErrNoWelfareFund, func(w *world) error {
			m, err := w.svc.JoinAlliance(w.worker, w.community, funds.MerchantInput{Name: "好邻居超市"})
			require.NoError(t, err)
			_, err = w.svc.RecordContribution(w.worker, w.community, m.ID, funds.ContributionInput{Period: "2026-02", Amount: decimal.NewFromInt(10)})
			return err
		}},
		{funds.ErrDeclaredAlready, func(w *world) error {
			m, err := w.svc.JoinAlliance(w.worker, w.community, funds.MerchantInput{Name: "好邻居超市"})
			require.NoError(t, err)
			in := funds.DeclarationInput{Period: "2026-02", Takings: decimal.NewFromInt(100)}
			_, err = w.svc.Declare(w.worker, w.community, m.ID, in)
			require.NoError(t, err)
			_, err = w.svc.Declare(w.worker, w.community, m.ID, in)
			return err
		}},
		{funds.ErrPrincipalTaken, func(w *world) error {
			_, err := w.svc.JoinAlliance(w.worker, w.community, funds.MerchantInput{Name: "好邻居超市", PrincipalID: "merchant-1"})
			require.NoError(t, err)
			_, err = w.svc.JoinAlliance(w.worker, w.community, funds.MerchantInput{Name: "理发店", PrincipalID: "merchant-1"})
			return err
		}},
		{funds.ErrIDReused, func(w *world) error {
			i, err := w.svc.RecordIncome(w.worker, w.community, w.fund.ID, funds.IncomeInput{Source: funds.Source{Kind: funds.FromDonor, Name: "x"}, Amount: decimal.NewFromInt(5)})
			require.NoError(t, err)
			_, err = w.svc.RecordIncome(w.worker, w.community, w.fund.ID, funds.IncomeInput{ID: i.ID, Source: funds.Source{Kind: funds.FromDonor, Name: "x"}, Amount: decimal.NewFromInt(6)})
			return err
		}},
	}
	broken := map[*grids.Rule]bool{}
	for _, tc := range cases {
		broken[tc.rule] = true
		t.Run(tc.rule.Name(), func(t *testing.T) {
			err := tc.refused(newWorld(t))
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.rule, "got %v", err)
			assert.ErrorIs(t, err, tc.rule.Code())
			var e *grids.Error
			require.True(t, errors.As(err, &e))
			assert.Equal(t, tc.rule, e.Rule)
		})
	}
	for _, r := range funds.Refusals() {
		assert.True(t, broken[r], "rule %s is broken by a case", r.Name())
	}
}

// TestDatesInRange: a date before clock.Earliest, a month not begun or
// long past, are refused with the field at fault.
func TestDatesInRange(t *testing.T) {
	w := newWorld(t)
	g := w.grant(1, "1000")
	m, err := w.svc.JoinAlliance(w.worker, w.community, funds.MerchantInput{Name: "好邻居超市"})
	require.NoError(t, err)
	welfare := w.newFund(funds.WelfareFund, "")
	old := time.Date(1999, 6, 1, 0, 0, 0, 0, time.UTC) // year 1 is the zero time: today, in Go
	income := func(in funds.IncomeInput) error {
		in.Source, in.Amount = funds.Source{Kind: funds.FromDonor, Name: "x"}, decimal.NewFromInt(1)
		_, err := w.svc.RecordIncome(w.worker, w.community, welfare.ID, in)
		return err
	}
	for _, tc := range []struct {
		name, field string
		err         error
	}{
		{"an income of 1999", "date", income(funds.IncomeInput{Date: old})},
		{"an income for a month not begun", "period", income(funds.IncomeInput{Period: "9999-12"})},
		{"an income for 1900", "period", income(funds.IncomeInput{Period: "1900-01"})},
		{"a payment of 1999", "date", func() error {
			_, err := w.svc.Spend(w.worker, w.community, g.ID, funds.SpendInput{Line: "main", Amount: decimal.NewFromInt(1), Payee: "x", ReceiptRef: "x", ApprovedBy: "x", Date: old})
			return err
		}()},
		{"takings of 1900", "period", func() error {
			_, err := w.svc.Declare(w.worker, w.community, m.ID, funds.DeclarationInput{Period: "1900-01", Takings: decimal.NewFromInt(1)})
			return err
		}()},
		{"takings of a month written otherwise", "period", func() error {
			_, err := w.svc.Declare(w.worker, w.community, m.ID, funds.DeclarationInput{Period: "2026-3", Takings: decimal.NewFromInt(1)})
			return err
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.ErrorIs(t, tc.err, grids.Invalid)
			fs := errs.FieldsOf(tc.err)
			require.NotEmpty(t, fs)
			assert.Equal(t, tc.field, fs[0].Field)
			assert.NotContains(t, tc.err.Error(), "2006-01", "no Go layout in what a person reads")
		})
	}
	assert.NoError(t, income(funds.IncomeInput{Period: "2026-02"}), "a month past is fine")
}
