package funds_test

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/clock"
)

// A 1+1+1 call from the fund to the first payment: one committee, one
// organisation, one project; the panel scores; the council's decision
// awards; spending stays within the line.
func Example() {
	clk := clock.NewManual(time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC))
	store := memstore.NewWithClock(clk.Now)
	reg := grids.NewRegistry(store.Grids(), grids.Options{Now: clk.Now})
	gov := governance.NewService(store.Governance(), store.Grids(), governance.Options{Now: clk.Now})
	svc := funds.NewService(store.Funds(), governance.Lookup{Store: store.Governance()}, grids.Lookup{Store: store.Grids()}, funds.Options{Now: clk.Now})
	com, _ := reg.CreateCommunity(grids.WithPrincipal(context.Background(), grids.Admin("setup")), grids.CommunityInput{Name: "水秀社区"})
	worker := grids.WithPrincipal(context.Background(), grids.Principal{ID: "worker-1", CommunityID: com.ID, Name: "李娜", Roles: []grids.Role{grids.RoleWorker}})
	b, _ := reg.CreateBuilding(worker, com.ID, grids.BuildingInput{Name: "1号"})
	h, _ := reg.CreateHousehold(worker, com.ID, grids.HouseholdInput{BuildingID: b.ID, Unit: "101", Size: 1})
	reviewer, _ := reg.CreateResident(worker, com.ID, grids.ResidentInput{HouseholdID: h.ID, Name: "周老师", Sex: grids.Female, BirthYear: 1956})
	bodies, _ := gov.Setup(worker, com.ID)
	org, _ := gov.RegisterOrganisation(worker, com.ID, governance.OrganisationInput{Name: "阳光社工", Kind: "professional", Origin: "external"})
	decision, _ := gov.RecordDecision(worker, com.ID, governance.DecisionInput{Title: "通过项目资助"})

	fund, _ := svc.CreateFund(worker, com.ID, funds.FundInput{Kind: funds.ProjectFund, Name: "1+1+1项目资金"})
	_, _ = svc.RecordIncome(worker, com.ID, fund.ID, funds.IncomeInput{Source: funds.Source{Kind: funds.FromGovernment, Name: "街道"}, Amount: decimal.NewFromInt(30000)})
	call, _ := svc.CreateCall(worker, com.ID, funds.CallInput{FundID: fund.ID, Title: "项目征集", Budget: decimal.NewFromInt(30000), Cap: decimal.NewFromInt(10000),
		Opens: clk.Now(), Closes: clk.Now().AddDate(0, 0, 14), Rubric: funds.DefaultRubric, Panel: []funds.Reviewer{{ResidentID: reviewer.ID}}})

	rep := grids.WithPrincipal(context.Background(), grids.Principal{ID: "org-rep", CommunityID: com.ID, Name: "社工机构", Roles: []grids.Role{grids.RoleResident}})
	p, _ := svc.Propose(rep, com.ID, call.ID, funds.ProposalInput{CommitteeID: bodies[2].ID, OrganisationID: org.ID, Title: "银发助餐",
		Goals: "为独居老人送餐", Start: clk.Now().AddDate(0, 1, 0), End: clk.Now().AddDate(0, 7, 0),
		Lines: []funds.Line{{Key: "meals", Category: "services", Amount: decimal.NewFromInt(7000)}, {Key: "boxes", Category: "materials", Amount: decimal.NewFromInt(1000)}}})
	p, _ = svc.Submit(rep, com.ID, p.ID)
	fmt.Println(p.Status, p.Request)

	clk.Advance(15 * 24 * time.Hour)
	panel := grids.WithPrincipal(context.Background(), grids.Principal{ID: "u-zhou", CommunityID: com.ID, Name: "周老师", Roles: []grids.Role{grids.RoleResident}, ResidentID: reviewer.ID})
	_, _ = svc.Score(panel, com.ID, p.ID, funds.ScoreInput{Scores: map[string]int{"needs": 9, "feasibility": 8, "participation": 8, "cost": 7}})
	_, _ = svc.CloseReview(worker, com.ID, call.ID)
	grants, _ := svc.Award(worker, com.ID, call.ID, funds.AwardInput{DecisionID: decision.ID})
	g := grants[0]
	fmt.Println("awarded", g.Amount, "score", g.Score)

	_, err := svc.Spend(worker, com.ID, g.ID, funds.SpendInput{Line: "boxes", Amount: decimal.NewFromInt(1200), Payee: "餐盒厂", ReceiptRef: "发票001", ApprovedBy: "负责人"})
	fmt.Println(err)
	_, _ = svc.Spend(worker, com.ID, g.ID, funds.SpendInput{Line: "boxes", Amount: decimal.RequireFromString("880.50"), Payee: "餐盒厂", ReceiptRef: "发票001", ApprovedBy: "负责人"})
	r, _ := svc.ProjectReport(worker, com.ID, g.ID, "2026-03")
	fmt.Println("spent", r.Spent, "left on boxes", r.Lines[1].Remaining)
	// Output:
	// submitted 8000
	// awarded 8000 score 82.5
	// 1200 yuan is more than the 1000 yuan left on budget line boxes
	// spent 880.5 left on boxes 119.5
}

// Contributions are 10% of takings, rounded half-up to the fen.
func ExampleApplyRate() {
	fmt.Println(funds.ApplyRate(decimal.RequireFromString("1234.56"), funds.DefaultRate))
	fmt.Println(funds.ApplyRate(decimal.RequireFromString("5000.05"), funds.DefaultRate))
	// Output:
	// 123.46
	// 500.01
}
