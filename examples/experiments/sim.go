package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/outcome"
	"github.com/linli-go/linli/governance/procedure"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/clock"
	"github.com/linli-go/linli/points"
)

// Policy is what an experiment varies.
type Policy struct {
	Points      points.PolicyInput // accrual: rate, multipliers, caps, expiry
	MarketEvery int                // months between markets (1: monthly)
	FundSize    decimal.Decimal    // the 1+1+1 fund
	ProjectCap  decimal.Decimal    // per project
}

// DefaultPolicy is the case's: the default accrual policy, monthly
// markets, a 30,000 yuan fund with a 10,000 yuan cap.
func DefaultPolicy() Policy {
	return Policy{Points: points.DefaultPolicy, MarketEvery: 1, FundSize: decimal.NewFromInt(30000), ProjectCap: decimal.NewFromInt(10000)}
}

// Community is the simulated community's shape.
type Community struct {
	Residents int // residents of record
	Groups    int // mutual-aid groups
	Months    int // how long the simulation runs
}

// DefaultCommunity is small enough to run in a test in seconds.
var DefaultCommunity = Community{Residents: 120, Groups: 6, Months: 24}

// Result is what a run reports.
type Result struct {
	Table          outcome.Table   `json:"table"`
	PointsIssued   decimal.Decimal `json:"points_issued"`
	PointsRedeemed decimal.Decimal `json:"points_redeemed"`
	PointsExpired  decimal.Decimal `json:"points_expired"`
	// RedemptionRate is points redeemed over points issued.
	RedemptionRate float64 `json:"redemption_rate"`
	// TopDecileShare is the share of points earned by the top 10% of
	// earners; HoursTopDecileShare the same for hours.
	TopDecileShare      float64 `json:"top_decile_share"`
	HoursTopDecileShare float64 `json:"hours_top_decile_share"`
	// Earned are every volunteer's points earned, highest first.
	Earned   []decimal.Decimal `json:"earned"`
	Projects int               `json:"projects"`
	Granted  decimal.Decimal   `json:"granted"`
	Spent    decimal.Decimal   `json:"spent"`
	FundLeft decimal.Decimal   `json:"fund_left"`
}

// proposals are the projects the call receives: title, committee, yuan.
var proposals = []struct {
	title, committee string
	amount           int64
}{
	{"银发助餐", "silver", 9000}, {"四点半课堂", "sprout", 8000}, {"楼道微改造", "clean", 7000},
	{"邻里节", "vitality", 6000}, {"议事厅", "wisdom", 5000}, {"夜巡装备", "safety", 4000},
}

// Run simulates a community under a policy, deterministically from seed,
// on the real services over the memory store. Residents' behaviour is
// modelled, and the model is part of the experiment: each resident has an
// interest and a need, joins the group of their interest and has an
// activity level (a few are very active); each group holds two activities
// a month, attended by its members at their level; every claim is
// verified; the council of five meets on the 10th of every month; at each
// market a resident with points exchanges with probability 0.2, or 0.6
// while they hold points that expire at the end of the year.
func Run(seed uint64, p Policy, shape Community) (Result, error) {
	ctx := context.Background()
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	clk := clock.NewManual(start)
	store := memstore.NewWithClock(clk.Now)
	reg := grids.NewRegistry(store.Grids(), grids.Options{Now: clk.Now})
	gov := governance.NewService(store.Governance(), store.Grids(), governance.Options{Now: clk.Now})
	bank := points.NewService(store.Points(), governance.Lookup{Store: store.Governance()}, grids.Lookup{Store: store.Grids()}, points.Options{Now: clk.Now, Groups: gov})
	fnd := funds.NewService(store.Funds(), governance.Lookup{Store: store.Governance()}, grids.Lookup{Store: store.Grids()}, funds.Options{Now: clk.Now})
	rnd := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	admin := grids.WithPrincipal(ctx, grids.Admin("sim"))
	res := Result{}

	com, err := reg.CreateCommunity(admin, grids.CommunityInput{Name: "模拟社区"})
	if err != nil {
		return res, err
	}
	worker := grids.WithPrincipal(ctx, grids.Principal{ID: "sim-worker", CommunityID: com.ID, Name: "社工", Roles: []grids.Role{grids.RoleWorker}})
	// A second worker verifies what the first recorded and claimed.
	verifier := grids.WithPrincipal(ctx, grids.Principal{ID: "sim-verifier", CommunityID: com.ID, Name: "审核社工", Roles: []grids.Role{grids.RoleWorker}})
	district, err := reg.CreateDistrict(worker, com.ID, grids.DistrictInput{Name: "片区"})
	if err != nil {
		return res, err
	}
	building, err := reg.CreateBuilding(worker, com.ID, grids.BuildingInput{Name: "1号"})
	if err != nil {
		return res, err
	}
	type person struct {
		id    string
		level float64 // how often they take part
		group int     // the group of their interest, which they join
	}
	services := []string{"elder_visit", "cleaning", "patrol", "after_school", "greening", "repair"}
	needs := []string{"elder_care", "childcare", "safety", "tidy_stairs"}
	var people []person
	for i := range shape.Residents {
		h, err := reg.CreateHousehold(worker, com.ID, grids.HouseholdInput{BuildingID: building.ID, Unit: fmt.Sprint(i), Size: 1})
		if err != nil {
			return res, err
		}
		group := rnd.IntN(shape.Groups)
		r, err := reg.CreateResident(worker, com.ID, grids.ResidentInput{HouseholdID: h.ID, Name: fmt.Sprintf("居民%d", i), Sex: grids.Female, BirthYear: 1945 + i%60,
			Interests: []string{services[group%len(services)]}, Needs: []string{needs[rnd.IntN(len(needs))]}})
		if err != nil {
			return res, err
		}
		level := 0.15 * rnd.ExpFloat64() // a few are very active
		people = append(people, person{id: r.ID, level: min(level, 0.95), group: group})
	}
	bodies, err := gov.Setup(worker, com.ID)
	if err != nil {
		return res, err
	}
	byKey := map[string]governance.Body{}
	for _, b := range bodies {
		byKey[b.Key] = b
	}
	var groups []governance.Body
	for g := range shape.Groups {
		b, err := gov.CreateBody(worker, com.ID, governance.BodyInput{Kind: governance.Group, ParentID: bodies[2+g%8].ID, Name: fmt.Sprintf("互助小组%d", g+1), DistrictID: district.ID})
		if err != nil {
			return res, err
		}
		groups = append(groups, b)
	}
	// Residents join the group of their interest; five sit on the council.
	for _, pe := range people {
		if _, err := gov.AddMember(worker, com.ID, groups[pe.group].ID, governance.MemberInput{HolderKind: "resident", HolderID: pe.id}); err != nil {
			return res, err
		}
	}
	seats, err := gov.RecordDecision(worker, com.ID, governance.DecisionInput{Title: "理事会组成"})
	if err != nil {
		return res, err
	}
	councillors := people[:5]
	for i, pe := range councillors {
		office := governance.Member
		if i == 0 {
			office = governance.Chair
		}
		if _, err := gov.Appoint(worker, com.ID, governance.AppointInput{BodyID: byKey["council"].ID, ResidentID: pe.id, Office: office, DecisionID: seats.ID}); err != nil {
			return res, err
		}
	}
	as := func(id string) context.Context {
		return grids.WithPrincipal(ctx, grids.Principal{ID: "sim-" + id, CommunityID: com.ID, Name: "居民", Roles: []grids.Role{grids.RoleResident}, ResidentID: id})
	}
	// meet holds the council's monthly meeting on the 10th: its members
	// who come arrive, and it adjourns.
	meet := func(month time.Time) error {
		at := month.AddDate(0, 0, 9).Add(11 * time.Hour) // 19:00 in Shanghai
		clk.Set(at.Add(-72 * time.Hour))
		m, err := gov.ScheduleMeeting(worker, com.ID, governance.MeetingInput{BodyID: byKey["council"].ID, Kind: governance.RegularMeeting, Title: month.Format("2006年1月") + "理事会例会", ScheduledAt: at, Place: "议事厅"})
		if err != nil {
			return err
		}
		clk.Set(at)
		if _, err := gov.OpenMeeting(worker, com.ID, m.ID); err != nil {
			return err
		}
		for i, c := range councillors {
			if i < 3 || rnd.Float64() < 0.8 {
				if _, err := gov.Act(as(c.id), com.ID, m.ID, procedure.Event{Type: procedure.Arrive, Member: c.id, Mode: procedure.InPerson}); err != nil {
					return err
				}
			}
		}
		for _, step := range []struct {
			who string
			e   procedure.Event
		}{
			{councillors[1].id, procedure.Event{Type: procedure.Move, Kind: procedure.Adjourn}},
			{councillors[0].id, procedure.Event{Type: procedure.CallVote, Method: procedure.Voice}},
			{councillors[0].id, procedure.Event{Type: procedure.CloseVote, Outcome: "adopted"}},
		} {
			clk.Advance(time.Minute)
			if _, err := gov.Act(as(step.who), com.ID, m.ID, step.e); err != nil {
				return err
			}
		}
		return nil
	}
	if _, err := bank.SetPolicy(worker, com.ID, p.Points); err != nil {
		return res, err
	}
	var items []points.Item
	for _, it := range []struct {
		name, price string
	}{{"肥皂", "2"}, {"大米", "5"}, {"保温杯", "10"}} {
		x, err := bank.CreateItem(worker, com.ID, points.ItemInput{Kind: points.ItemGoods, Name: it.name, Unit: "件", Price: decimal.RequireFromString(it.price)})
		if err != nil {
			return res, err
		}
		items = append(items, x)
	}

	// The year's project call, in the third month.
	callErr := func() error {
		clk.Set(start.AddDate(0, 2, 0))
		fund, err := fnd.CreateFund(worker, com.ID, funds.FundInput{Kind: funds.ProjectFund, Name: "项目资金"})
		if err != nil {
			return err
		}
		if _, err := fnd.RecordIncome(worker, com.ID, fund.ID, funds.IncomeInput{Source: funds.Source{Kind: funds.FromGovernment, Name: "街道"}, Amount: p.FundSize}); err != nil {
			return err
		}
		panel := people[0].id
		call, err := fnd.CreateCall(worker, com.ID, funds.CallInput{FundID: fund.ID, Title: "项目征集", Budget: p.FundSize, Cap: p.ProjectCap,
			Opens: clk.Now().Add(time.Hour), Closes: clk.Now().AddDate(0, 0, 14), Rubric: funds.DefaultRubric, Panel: []funds.Reviewer{{ResidentID: panel}}})
		if err != nil {
			return err
		}
		clk.Advance(2 * time.Hour)
		var ids []string
		for i, pr := range proposals {
			org, err := gov.RegisterOrganisation(worker, com.ID, governance.OrganisationInput{Name: fmt.Sprintf("社会组织%d", i+1), Kind: "grassroots", Origin: "incubated"})
			if err != nil {
				return err
			}
			rep := grids.WithPrincipal(ctx, grids.Principal{ID: fmt.Sprint("rep", i), CommunityID: com.ID, Name: org.Name, Roles: []grids.Role{grids.RoleResident}})
			x, err := fnd.Propose(rep, com.ID, call.ID, funds.ProposalInput{CommitteeID: byKey[pr.committee].ID, OrganisationID: org.ID, Title: pr.title, Goals: pr.title,
				Start: clk.Now().AddDate(0, 1, 0), End: clk.Now().AddDate(0, 6, 0), Lines: []funds.Line{{Key: "main", Category: "services", Amount: decimal.NewFromInt(pr.amount)}}})
			if err != nil {
				return err
			}
			if _, err := fnd.Submit(rep, com.ID, x.ID); err != nil {
				if errors.Is(err, funds.ErrIneligible) { // over the cap: refused
					continue
				}
				return err
			}
			ids = append(ids, x.ID)
		}
		clk.Advance(15 * 24 * time.Hour)
		reviewer := grids.WithPrincipal(ctx, grids.Principal{ID: "panel", CommunityID: com.ID, Name: "评审", Roles: []grids.Role{grids.RoleResident}, ResidentID: panel})
		for i, id := range ids {
			s := map[string]int{}
			for _, cr := range funds.DefaultRubric {
				s[cr.Key] = 10 - i
			}
			if _, err := fnd.Score(reviewer, com.ID, id, funds.ScoreInput{Scores: s}); err != nil && !errors.Is(err, funds.ErrRecused) {
				return err
			}
		}
		if _, err := fnd.CloseReview(worker, com.ID, call.ID); err != nil {
			return err
		}
		d, err := gov.RecordDecision(worker, com.ID, governance.DecisionInput{Title: "通过资助名单"})
		if err != nil {
			return err
		}
		grants, err := fnd.Award(worker, com.ID, call.ID, funds.AwardInput{DecisionID: d.ID})
		if err != nil {
			return err
		}
		for month := 1; month <= 3; month++ {
			clk.Set(start.AddDate(0, 2+month, 5))
			for _, g := range grants {
				third := g.Amount.Div(decimal.NewFromInt(3)).Floor()
				amount := third
				if month == 3 {
					amount = g.Amount.Sub(third.Mul(decimal.NewFromInt(2)))
				}
				if _, err := fnd.Spend(worker, com.ID, g.ID, funds.SpendInput{Line: "main", Amount: amount, Payee: "承办方", ReceiptRef: "r", ApprovedBy: "a"}); err != nil {
					return err
				}
			}
		}
		f, err := fnd.Fund(worker, com.ID, fund.ID)
		res.FundLeft = f.Balance
		return err
	}
	earned := map[string]decimal.Decimal{}
	minutes := map[string]int{}
	expiring := map[string]bool{} // holds points that expire at the end of this year

	for m := range shape.Months {
		month := start.AddDate(0, m, 0)
		if err := meet(month); err != nil {
			return res, fmt.Errorf("the council's meeting of %s: %w", month.Format("2006-01"), err)
		}
		if m == 2 {
			if err := callErr(); err != nil {
				return res, fmt.Errorf("the call: %w", err)
			}
		}
		// Activities: two a month per group.
		for gi, g := range groups {
			for a := range 2 {
				at := month.AddDate(0, 0, 3+a*10+gi).Add(time.Hour)
				var ps []governance.Participant
				for _, pe := range people {
					if pe.group == gi && rnd.Float64() < pe.level {
						ps = append(ps, governance.Participant{ResidentID: pe.id, Minutes: 60 + 30*rnd.IntN(4)})
					}
				}
				if len(ps) == 0 {
					continue
				}
				clk.Set(at)
				act, err := gov.RecordActivity(worker, com.ID, governance.ActivityInput{BodyID: g.ID, Title: "活动", Service: services[gi%len(services)],
					Start: at, End: at.Add(3 * time.Hour), Participants: ps})
				if err != nil {
					return res, err
				}
				clk.Set(at.Add(4 * time.Hour))
				cs, err := bank.ClaimActivity(worker, com.ID, act.ID, points.ActivityClaimInput{Evidence: points.Evidence{SignIn: true}})
				if err != nil {
					return res, err
				}
				for _, c := range cs {
					if _, err := bank.Verify(verifier, com.ID, c.ID, points.VerifyInput{Approve: true}); err != nil {
						return res, err
					}
					earned[c.ResidentID] = earned[c.ResidentID].Add(c.Points)
					minutes[c.ResidentID] += c.Minutes
					if p.Points.ExpiryYears > 0 && month.Year() == start.Year() {
						expiring[c.ResidentID] = true // this year's points expire after next year
					}
				}
			}
		}
		// A market: restock, then residents exchange.
		if p.MarketEvery > 0 && m%p.MarketEvery == 0 {
			clk.Set(month.AddDate(0, 0, 25))
			market, err := bank.CreateMarket(worker, com.ID, points.MarketInput{Title: month.Format("2006-01") + "义集", Date: clk.Now(), Place: "广场",
				Stalls: []points.Stall{{Name: "兑换", Kind: "exchange"}}})
			if err != nil {
				return res, err
			}
			for _, it := range items {
				if _, err := bank.Donate(worker, com.ID, points.DonationInput{Donor: points.Party{Kind: points.PartyEnterprise, Name: "超市"}, ItemID: it.ID, Quantity: 200, Condition: "new"}); err != nil {
					return res, err
				}
			}
			lastYear := month.Year() > start.Year()
			for _, pe := range people {
				if earned[pe.id].IsZero() {
					continue
				}
				chance := 0.2
				if lastYear && expiring[pe.id] {
					chance = 0.6 // points about to expire are spent
				}
				if rnd.Float64() >= chance {
					continue
				}
				for _, it := range slices.Backward(items) {
					_, err := bank.Exchange(worker, com.ID, points.ExchangeInput{ResidentID: pe.id, ItemID: it.ID, Quantity: 1, MarketID: market.ID})
					if err == nil {
						break
					}
					if !errors.Is(err, points.ErrInsufficientPoints) && !errors.Is(err, points.ErrOutOfStock) {
						return res, err
					}
				}
			}
		}
	}
	// The first year's points expire once their grace is over.
	end := start.AddDate(0, shape.Months, 1)
	clk.Set(end)
	if p.Points.ExpiryYears > 0 && end.Year() >= start.Year()+1+p.Points.ExpiryYears {
		if _, err := bank.Expire(worker, com.ID, points.ExpireInput{Year: start.Year()}); err != nil {
			return res, err
		}
	}
	from, to := start, end
	res.Table, err = outcome.Evaluate(worker, outcome.Services{Governance: gov, Points: bank, Funds: fnd}, com.ID, from, to)
	if err != nil {
		return res, err
	}
	ev, err := bank.Evaluate(worker, com.ID, from, to)
	if err != nil {
		return res, err
	}
	res.PointsIssued, res.PointsRedeemed, res.PointsExpired = ev.PointsIssued, ev.PointsRedeemed, ev.PointsExpired
	if ev.PointsIssued.IsPositive() {
		res.RedemptionRate, _ = ev.PointsRedeemed.Div(ev.PointsIssued).Float64()
	}
	res.Projects, res.Granted, res.Spent = res.Table.Projects, res.Table.MoneyGranted, res.Table.MoneySpent
	for _, v := range earned {
		res.Earned = append(res.Earned, v)
	}
	sort.Slice(res.Earned, func(i, j int) bool { return res.Earned[i].GreaterThan(res.Earned[j]) })
	res.TopDecileShare = topShare(res.Earned)
	var hs []decimal.Decimal
	for _, m := range minutes {
		hs = append(hs, decimal.NewFromInt(int64(m)))
	}
	sort.Slice(hs, func(i, j int) bool { return hs[i].GreaterThan(hs[j]) })
	res.HoursTopDecileShare = topShare(hs)
	return res, nil
}

// topShare is the share of the total held by the top 10% (sorted, highest
// first).
func topShare(xs []decimal.Decimal) float64 {
	if len(xs) == 0 {
		return 0
	}
	n := max(1, len(xs)/10)
	top, total := decimal.Zero, decimal.Zero
	for i, x := range xs {
		total = total.Add(x)
		if i < n {
			top = top.Add(x)
		}
	}
	if total.IsZero() {
		return 0
	}
	f, _ := top.Div(total).Float64()
	return f
}
