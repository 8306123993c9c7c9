package fundstest

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/record"
	"github.com/linli-go/linli/internal/faults"
)

// service is a Service over the store with the plan's faults, as a
// process that starts afresh would make it.
func (f *fixture) service(p *faults.Plan) *funds.Service {
	return funds.NewService(faulty(f.st.Funds, p), governance.Lookup{Store: f.st.Governance}, grids.Lookup{Store: f.st.Grids}, funds.Options{Now: f.clock.Now, NewID: f.newID})
}

// counted counts the community's records that find finds and keep keeps.
func counted[T any](t *testing.T, f *fixture, find func(funds.Tx, record.Filter) ([]T, int, error), keep func(T) bool) int {
	t.Helper()
	var n int
	require.NoError(t, f.st.Funds.View(context.Background(), func(tx funds.Tx) error {
		all, _, err := find(tx, record.Filter{CommunityID: f.community})
		for _, v := range all {
			if keep == nil || keep(v) {
				n++
			}
		}
		return err
	}))
	return n
}

func incomes(tx funds.Tx, fl record.Filter) ([]funds.Income, int, error) {
	return tx.Incomes().Find(context.Background(), fl)
}

func spendings(tx funds.Tx, fl record.Filter) ([]funds.Spending, int, error) {
	return tx.Spendings().Find(context.Background(), fl)
}

func grantsOf(tx funds.Tx, fl record.Filter) ([]funds.Grant, int, error) {
	return tx.Grants().Find(context.Background(), fl)
}

// testFaults injects a fault at every step of every command that moves
// money, in turn: an error, a cancelled caller, a crash (the process
// gone, the database kept) and a lost reply to a commit. After each, the
// books agree with the records; the same command again succeeds, and has
// had exactly one effect.
func testFaults(t *testing.T, f *fixture) {
	worker := func(ctx context.Context) context.Context {
		return grids.WithPrincipal(ctx, grids.Principal{ID: "worker-1", CommunityID: f.community, Name: "李娜", Roles: []grids.Role{grids.RoleWorker}})
	}
	member := func(ctx context.Context) context.Context { // resident 0, on the council
		r := f.residents[0]
		return grids.WithPrincipal(ctx, grids.Principal{ID: "resident-" + r.ID, CommunityID: f.community, Name: r.Name, Roles: []grids.Role{grids.RoleResident}, ResidentID: r.ID})
	}
	income := func(t *testing.T, fund, amount string) funds.Income {
		i, err := f.svc.RecordIncome(f.worker, f.community, fund, funds.IncomeInput{Source: funds.Source{Kind: funds.FromDonor, Name: "爱心人士"}, Amount: d(amount)})
		require.NoError(t, err)
		return i
	}
	var merchant funds.Merchant
	var grants []funds.Grant // with 24 instalments each
	release := map[string]int{}
	spend := func(t *testing.T, amount string) funds.Spending {
		sp, err := f.svc.Spend(f.worker, f.community, grants[0].ID, funds.SpendInput{Line: "lamps", Amount: d(amount), Payee: "五金店", ReceiptRef: "票1", ApprovedBy: "项目负责人"})
		require.NoError(t, err)
		return sp
	}
	commands := []faults.Command{
		{Name: "RecordIncome",
			Prepare: func(t *testing.T) func(context.Context, *faults.Plan) error {
				id := f.newID()
				return func(ctx context.Context, p *faults.Plan) error {
					_, err := f.service(p).RecordIncome(worker(ctx), f.community, f.welfare.ID, funds.IncomeInput{ID: id, Source: funds.Source{Kind: funds.FromDonor, Name: "爱心人士"}, Amount: d("1.23")})
					return err
				}
			},
			Effects: func(t *testing.T) int { return counted(t, f, incomes, nil) }},
		{Name: "ReverseIncome",
			Prepare: func(t *testing.T) func(context.Context, *faults.Plan) error {
				i := income(t, f.welfare.ID, "2.50")
				return func(ctx context.Context, p *faults.Plan) error {
					_, err := f.service(p).ReverseIncome(worker(ctx), f.community, i.ID, funds.ReverseInput{Reason: "记错了"})
					return err
				}
			},
			Effects: func(t *testing.T) int {
				return counted(t, f, incomes, func(i funds.Income) bool { return i.ReversedAt != nil })
			}},
		{Name: "RecordContribution",
			Setup: func(t *testing.T) {
				var err error
				merchant, err = f.svc.JoinAlliance(f.worker, f.community, funds.MerchantInput{Name: "好邻居超市", PrincipalID: "merchant-1"})
				require.NoError(t, err)
			},
			Prepare: func(t *testing.T) func(context.Context, *faults.Plan) error {
				id := f.newID()
				return func(ctx context.Context, p *faults.Plan) error {
					_, err := f.service(p).RecordContribution(worker(ctx), f.community, merchant.ID, funds.ContributionInput{ID: id, Period: "2026-02", Amount: d("10.50")})
					return err
				}
			},
			Effects: func(t *testing.T) int {
				return counted(t, f, incomes, func(i funds.Income) bool { return i.Source.ID == merchant.ID })
			}},
		{Name: "Award", Per: 2, // the first and third proposals
			Prepare: func(t *testing.T) func(context.Context, *faults.Plan) error {
				income(t, f.fund.ID, "30000")
				c, _ := f.reviewed()
				return func(ctx context.Context, p *faults.Plan) error {
					_, err := f.service(p).Award(member(ctx), f.community, c.ID, funds.AwardInput{DecisionID: f.decision.ID})
					return err
				}
			},
			Effects: func(t *testing.T) int { return counted(t, f, grantsOf, nil) }},
		{Name: "Release",
			Setup: func(t *testing.T) {
				income(t, f.fund.ID, "30000")
				grants, _ = f.awarded(24)
			},
			Prepare: func(t *testing.T) func(context.Context, *faults.Plan) error {
				g := grants[len(release)%len(grants)]
				release[g.ID]++
				seq := 1 + release[g.ID]
				require.LessOrEqual(t, seq, 24, "more faults than instalments")
				return func(ctx context.Context, p *faults.Plan) error {
					_, err := f.service(p).Release(worker(ctx), f.community, g.ID, seq)
					return err
				}
			},
			Effects: func(t *testing.T) int { return releasedCount(t, f) }},
		{Name: "Spend",
			Prepare: func(t *testing.T) func(context.Context, *faults.Plan) error {
				id := f.newID()
				return func(ctx context.Context, p *faults.Plan) error {
					_, err := f.service(p).Spend(worker(ctx), f.community, grants[0].ID, funds.SpendInput{ID: id, Line: "lamps", Amount: d("0.05"), Payee: "五金店", ReceiptRef: "票2", ApprovedBy: "项目负责人"})
					return err
				}
			},
			Effects: func(t *testing.T) int {
				return counted(t, f, spendings, func(sp funds.Spending) bool { return sp.Kind == funds.Spend })
			}},
		{Name: "Reverse",
			Prepare: func(t *testing.T) func(context.Context, *faults.Plan) error {
				sp, id := spend(t, "0.30"), f.newID()
				return func(ctx context.Context, p *faults.Plan) error {
					_, err := f.service(p).Reverse(worker(ctx), f.community, sp.ID, funds.ReversalInput{ID: id, Kind: funds.Refund, Amount: d("0.10"), Reason: "退货"})
					return err
				}
			},
			Effects: func(t *testing.T) int {
				return counted(t, f, spendings, func(sp funds.Spending) bool { return sp.Kind == funds.Refund })
			}},
	}
	for _, cmd := range commands {
		if !t.Run(cmd.Name, func(t *testing.T) { faults.Test(t, cmd, func() { f.audit() }) }) {
			return
		}
	}
}

// releasedCount counts the community's released instalments.
func releasedCount(t *testing.T, f *fixture) int {
	n := 0
	counted(t, f, grantsOf, func(g funds.Grant) bool {
		for _, in := range g.Instalments {
			if in.ReleasedAt != nil {
				n++
			}
		}
		return false
	})
	return n
}

// testAuditFinds writes records past the service, without their money,
// and requires the audit to find each: an income, and a reversed income.
func testAuditFinds(t *testing.T, f *fixture) {
	bg := context.Background()
	com, err := f.reg.CreateCommunity(f.admin, grids.CommunityInput{Name: "账不平社区"})
	require.NoError(t, err)
	c, now := com.ID, f.clock.Now()
	lost := funds.Income{ID: f.newID(), CommunityID: c, FundID: f.newID(), Source: funds.Source{Kind: funds.FromDonor, Name: "x"}, Amount: d("7"), Date: now, CreatedAt: now}
	reversed := funds.Income{ID: f.newID(), CommunityID: c, FundID: lost.FundID, Source: funds.Source{Kind: funds.FromDonor, Name: "y"}, Amount: d("6.5"), Date: now, CreatedAt: now,
		ReversedAt: &now, Reason: "记错了"}
	require.NoError(t, f.st.Funds.Update(bg, func(tx funds.Tx) error {
		if err := tx.Incomes().Create(bg, lost); err != nil {
			return err
		}
		return tx.Incomes().Create(bg, reversed)
	}))
	a, err := f.svc.Audit(f.admin, c)
	require.NoError(t, err)
	require.Len(t, a.Disagreements, 3, "%v", a.Disagreements)
	assert.Equal(t, "income "+lost.ID, a.Disagreements[0].Record)
	assert.Contains(t, a.Disagreements[0].Problem, "the ledger has no transfer of 700 ")
	for _, x := range a.Disagreements[1:] {
		assert.Equal(t, "income "+reversed.ID, x.Record)
		assert.Contains(t, x.Problem, "the ledger has no transfer of 650 ", "the income and its reversal")
	}
	assert.Equal(t, 2, a.Records)
	_, err = f.svc.Audit(f.as(1), c)
	assert.ErrorIs(t, err, grids.Forbidden, "residents do not audit")
}
