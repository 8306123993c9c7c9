// Package fundsdemo gives a demo community the case's project funding on
// top of governancedemo's history: a 30,000 yuan 1+1+1 fund, a call with
// six proposals (each one committee and one social organisation), the
// council's panel scoring them, four projects awarded greedily for exactly
// 30,000 yuan and spending it over the following months, line by line,
// with a refund; and a merchant alliance of 20 members declaring their
// takings every month and paying 10% into the welfare fund.
//
// Seed runs it through funds.Service on a simulated clock, in the order
// it would have happened.
package fundsdemo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/governancedemo"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/clock"
)

// The demo's figures.
const (
	FundSize  = 30000
	Proposals = 6
	Funded    = 4
	Merchants = 20
)

// MerchantPrincipal is the sign-in of the first merchant, 好邻居超市: the
// examples server's merchant token.
const MerchantPrincipal = "demo-merchant"

// Stores are the stores the demo writes.
type Stores struct {
	Funds      funds.Store
	Governance governance.Store
	Grids      grids.Store
}

// Summary is what Seed made.
type Summary struct {
	Grants, Payments, Declarations, Contributions int
	Awarded, Spent                                decimal.Decimal
	CallID, ProjectFund, WelfareFund              string
}

// projects are the proposals: title, the committee's key, lines (key,
// category, yuan), and how well the panel likes them (0–10).
var projects = []struct {
	title, committee string
	lines            [][3]string
	merit            int
}{
	{"银发助餐点", "silver", [][3]string{{"meals", "services", "6000"}, {"equipment", "materials", "3000"}}, 9},
	{"四点半课堂", "sprout", [][3]string{{"tutors", "services", "5000"}, {"books", "materials", "3000"}}, 9},
	{"楼道微改造", "clean", [][3]string{{"paint", "materials", "4000"}, {"labour", "services", "3000"}}, 8},
	{"邻里节", "vitality", [][3]string{{"stage", "activities", "3500"}, {"publicity", "activities", "2500"}}, 9},
	{"社区议事厅", "wisdom", [][3]string{{"furniture", "materials", "5000"}}, 5},
	{"夜间巡逻装备", "safety", [][3]string{{"lights", "materials", "4000"}}, 4},
}

// lineNames are the budget lines' names as residents read them.
var lineNames = map[string]string{
	"meals": "助餐服务", "equipment": "厨房设备", "tutors": "辅导老师", "books": "图书文具", "paint": "涂料", "labour": "施工人工",
	"stage": "舞台搭建", "publicity": "宣传物料", "furniture": "桌椅家具", "lights": "巡逻照明",
}

// shops are the alliance's merchants (synthetic names).
var shops = []string{"好邻居超市", "水秀菜场", "阿福理发", "老王修车", "惠民药房", "小李家电维修", "晨光文具", "张记早点", "便民洗衣", "福寿面馆",
	"鲜果园", "康乐推拿", "爱心眼镜", "万家五金", "快乐书屋", "红星裁缝", "平安锁匠", "绿色花店", "光明照相", "温馨茶室"}

// Seed runs the funds over governancedemo.Period(end) for a community that
// governancedemo.Seed has given its governance. travel, if not nil, is
// told every time the simulated clock moves, so that the ledger books each
// transfer at the time it would have had.
func Seed(ctx context.Context, st Stores, communityID string, end time.Time, seed uint64, travel func(time.Time)) (Summary, error) {
	from, to := governancedemo.Period(end)
	c := clock.NewManual(from)
	set := func(t time.Time) {
		c.Set(t)
		if travel != nil {
			travel(t)
		}
	}
	svc := funds.NewService(st.Funds, governance.Lookup{Store: st.Governance}, grids.Lookup{Store: st.Grids}, funds.Options{Now: c.Now})
	gov := governance.NewService(st.Governance, st.Grids, governance.Options{Now: c.Now})
	rnd := rand.New(rand.NewPCG(seed, 0x2545f4914f6cdd1d))
	worker := grids.WithPrincipal(ctx, grids.Principal{ID: "demo-worker", CommunityID: communityID, Name: "社工", Roles: []grids.Role{grids.RoleWorker}})
	admin := grids.WithPrincipal(ctx, grids.Admin("demo"))
	sum := Summary{Awarded: decimal.Zero, Spent: decimal.Zero}
	if fs, err := svc.Funds(worker, communityID); err != nil || len(fs) > 0 {
		return sum, fmt.Errorf("fundsdemo: the community has funds already (%v)", err)
	}

	// Governance: the committees, the organisations, the council's members.
	bodies, _, err := gov.FindBodies(admin, governance.BodyFilter{CommunityID: communityID, Page: grids.Page{Limit: grids.MaxLimit}})
	if err != nil {
		return sum, err
	}
	byKey := map[string]governance.Body{}
	for _, b := range bodies {
		if b.Key != "" {
			byKey[b.Key] = b
		}
	}
	orgs, _, err := gov.FindOrganisations(admin, governance.OrganisationFilter{CommunityID: communityID, Page: grids.Page{Limit: grids.MaxLimit}})
	if err != nil {
		return sum, err
	}
	if len(orgs) < Proposals || byKey["council"].ID == "" {
		return sum, fmt.Errorf("fundsdemo: the community needs its governance first (governancedemo.Seed)")
	}

	// The call runs in the programme's 13th month; spending follows.
	callMonth := from.AddDate(0, 12, 0)
	set(callMonth.Add(-3 * 24 * time.Hour))
	now := c.Now()
	council, _, err := gov.FindPositions(admin, governance.PositionFilter{CommunityID: communityID, BodyID: byKey["council"].ID, ActiveAt: &now, Page: grids.Page{Limit: 20}})
	if err != nil {
		return sum, err
	}
	var panel []funds.Reviewer
	for _, p := range council {
		if p.HolderKind == "resident" && len(panel) < 5 {
			panel = append(panel, funds.Reviewer{ResidentID: p.HolderID})
		}
	}
	if len(panel) == 0 {
		return sum, fmt.Errorf("fundsdemo: the council has no members")
	}
	set(from)
	project, err := svc.CreateFund(worker, communityID, funds.FundInput{Kind: funds.ProjectFund, Name: "1+1+1项目资金", Description: "专款专用"})
	if err != nil {
		return sum, err
	}
	welfare, err := svc.CreateFund(worker, communityID, funds.FundInput{Kind: funds.WelfareFund, Name: "社区公益金", Description: "便民服务联盟商户让利10%"})
	if err != nil {
		return sum, err
	}
	sum.ProjectFund, sum.WelfareFund = project.ID, welfare.ID
	// The case's merchants give 10% of their earnings (收益), not of
	// their takings: the alliance says so on the welfare fund.
	if _, err := svc.SetBasis(worker, communityID, funds.OnEarnings); err != nil {
		return sum, err
	}

	// The alliance joins in the second month.
	set(from.AddDate(0, 1, 0).Add(2 * time.Hour))
	var merchants []funds.Merchant
	for i, name := range shops {
		principal := fmt.Sprintf("demo-merchant-%02d", i+1)
		if i == 0 {
			principal = MerchantPrincipal
		}
		m, err := svc.JoinAlliance(worker, communityID, funds.MerchantInput{Name: name, PrincipalID: principal})
		if err != nil {
			return sum, err
		}
		merchants = append(merchants, m)
	}

	// The street's allocation arrives, then the call.
	set(callMonth.Add(-10 * 24 * time.Hour))
	if _, err := svc.RecordIncome(worker, communityID, project.ID, funds.IncomeInput{Source: funds.Source{Kind: funds.FromGovernment, Name: "街道办事处"},
		Amount: decimal.NewFromInt(FundSize), Reference: "街道拨款"}); err != nil {
		return sum, err
	}
	call, err := svc.CreateCall(worker, communityID, funds.CallInput{FundID: project.ID, Title: "1+1+1社区自治项目征集", Budget: decimal.NewFromInt(FundSize),
		Cap: decimal.NewFromInt(10000), Opens: callMonth, Closes: callMonth.AddDate(0, 0, 20),
		Eligibility: funds.Eligibility{Categories: []string{"services", "materials", "activities"}, MaxPerOrganisation: 1},
		Rubric:      funds.DefaultRubric, Panel: panel, CouncilVote: true})
	if err != nil {
		return sum, err
	}
	sum.CallID = call.ID
	set(callMonth.Add(2 * 24 * time.Hour))
	var props []funds.Proposal
	for i, pj := range projects {
		var lines []funds.Line
		for _, l := range pj.lines {
			lines = append(lines, funds.Line{Key: l[0], Name: lineNames[l[0]], Category: l[1], Amount: decimal.RequireFromString(l[2]), Justification: "按市场价询价"})
		}
		rep := grids.WithPrincipal(ctx, grids.Principal{ID: fmt.Sprintf("demo-org-%02d", i+1), CommunityID: communityID, Name: orgs[i].Name, Roles: []grids.Role{grids.RoleResident}})
		p, err := svc.Propose(rep, communityID, call.ID, funds.ProposalInput{CommitteeID: byKey[pj.committee].ID, OrganisationID: orgs[i].ID, Title: pj.title,
			Goals: pj.title + "：由" + byKey[pj.committee].ChineseName + "与" + orgs[i].Name + "共同实施", Start: callMonth.AddDate(0, 1, 0), End: callMonth.AddDate(0, 7, 0), Lines: lines})
		if err != nil {
			return sum, fmt.Errorf("propose %s: %w", pj.title, err)
		}
		if p, err = svc.Submit(rep, communityID, p.ID); err != nil {
			return sum, fmt.Errorf("submit %s: %w", pj.title, err)
		}
		props = append(props, p)
	}

	// The panel scores; recused members skip; the review closes; the
	// council decides.
	set(callMonth.AddDate(0, 0, 22))
	for i, p := range props {
		for _, m := range panel {
			scores := map[string]int{}
			for _, cr := range funds.DefaultRubric {
				scores[cr.Key] = min(cr.Max, max(0, projects[i].merit+rnd.IntN(2)-(i%2)))
			}
			reviewer := grids.WithPrincipal(ctx, grids.Principal{ID: "demo-reviewer-" + m.ResidentID, CommunityID: communityID, Name: "理事", Roles: []grids.Role{grids.RoleResident}, ResidentID: m.ResidentID})
			if _, err := svc.Score(reviewer, communityID, p.ID, funds.ScoreInput{Scores: scores}); err != nil && !errors.Is(err, funds.ErrRecused) {
				return sum, err
			}
		}
	}
	set(callMonth.AddDate(0, 0, 25))
	if _, err := svc.CloseReview(worker, communityID, call.ID); err != nil {
		return sum, err
	}
	d, err := gov.RecordDecision(worker, communityID, governance.DecisionInput{Title: "通过1+1+1项目资助名单", Text: "按评审排名择优资助，总额三万元，专款专用，每月公示"})
	if err != nil {
		return sum, err
	}
	grants, err := svc.Award(worker, communityID, call.ID, funds.AwardInput{DecisionID: d.ID, Instalments: 2})
	if err != nil {
		return sum, err
	}
	sum.Grants = len(grants)
	for _, g := range grants {
		sum.Awarded = sum.Awarded.Add(g.Amount)
	}

	// Spending: each line in three payments over three months, the
	// second instalment released at the start of the second; one refund
	// in the third month, spent again.
	award := c.Now()
	for month := 1; month <= 3; month++ {
		set(award.AddDate(0, month-1, 3))
		for _, g := range grants {
			if month == 2 {
				if _, err := svc.Release(worker, communityID, g.ID, 2); err != nil {
					return sum, err
				}
			}
			for _, l := range g.Lines {
				total, _ := l.Amount.Float64()
				part := decimal.NewFromInt(int64(total / 3))
				if month == 3 {
					part = l.Amount.Sub(part.Mul(decimal.NewFromInt(2)))
				}
				sp, err := svc.Spend(worker, communityID, g.ID, funds.SpendInput{Line: l.Key, Amount: part, Payee: payee(l.Category),
					ReceiptRef: fmt.Sprintf("票据-%s-%s-%d", g.ID[20:], l.Key, month), ApprovedBy: "项目负责人", Date: c.Now()})
				if err != nil {
					return sum, fmt.Errorf("spend on %s/%s: %w", g.Title, l.Key, err)
				}
				sum.Payments++
				if month == 3 && g.ID == grants[0].ID && l.Key == grants[0].Lines[0].Key {
					set(c.Now().Add(24 * time.Hour))
					if _, err := svc.Reverse(worker, communityID, sp.ID, funds.ReversalInput{Kind: funds.Refund, Amount: decimal.NewFromInt(200), Reason: "供应商退还多收款"}); err != nil {
						return sum, err
					}
					if _, err := svc.Spend(worker, communityID, g.ID, funds.SpendInput{Line: l.Key, Amount: decimal.NewFromInt(200), Payee: payee(l.Category),
						ReceiptRef: fmt.Sprintf("票据-%s-%s-补", g.ID[20:], l.Key), ApprovedBy: "项目负责人", Date: c.Now()}); err != nil {
						return sum, err
					}
					sum.Payments++
				}
			}
		}
	}
	for _, g := range grants {
		sum.Spent = sum.Spent.Add(g.Amount)
	}

	// The alliance: every merchant declares each month from the third,
	// and pays early the next; two are a month behind.
	for m := from.AddDate(0, 2, 0); m.AddDate(0, 1, 0).Before(to); m = m.AddDate(0, 1, 0) {
		period := m.Format("2006-01")
		set(m.AddDate(0, 1, 2).Add(2 * time.Hour))
		for i, mc := range merchants {
			takings := decimal.NewFromInt(int64(8000 + rnd.IntN(52000))).Add(decimal.New(int64(rnd.IntN(100)), -2))
			// Earnings: 15–30% of takings, to the fen.
			earnings := takings.Mul(decimal.NewFromInt(int64(15 + rnd.IntN(16)))).Div(decimal.NewFromInt(100)).Round(2)
			dcl, err := svc.Declare(worker, communityID, mc.ID, funds.DeclarationInput{Period: period, Takings: takings, Earnings: earnings})
			if err != nil {
				return sum, err
			}
			sum.Declarations++
			if i >= 2 || m.AddDate(0, 2, 0).Before(to) {
				if _, err := svc.RecordContribution(worker, communityID, mc.ID, funds.ContributionInput{Period: period, Amount: dcl.Due, Date: c.Now(), Reference: "转账"}); err != nil {
					return sum, err
				}
				sum.Contributions++
			}
		}
	}
	// The books must agree with the records, or the demo is not made.
	a, err := svc.Audit(worker, communityID)
	if err != nil {
		return sum, err
	}
	if len(a.Disagreements) > 0 {
		return sum, fmt.Errorf("fundsdemo: the audit found %d disagreements, the first: %s", len(a.Disagreements), a.Disagreements[0])
	}
	return sum, nil
}

func payee(category string) string {
	switch category {
	case "services":
		return "社区服务中心"
	case "materials":
		return "水秀五金建材店"
	}
	return "活动承办方"
}
