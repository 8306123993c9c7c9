// Package pointsdemo gives a demo community the case's volunteer bank on
// top of governancedemo's history: every activity's participants claim
// their service and a worker verifies it (5,249 hours by 361 volunteers),
// 20 enterprises donate 2,172 items to the warehouse, ten monthly markets
// (义集) hold exchanges and a sign-up corner, and the points of the first
// year expire after a year's grace.
//
// Seed runs it through points.Service on a simulated clock, in the order
// it would have happened; Evaluate over governancedemo.Period reports the
// figures.
package pointsdemo

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/governancedemo"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/clock"
	"github.com/linli-go/linli/points"
)

// The case's figures, which Evaluate over the period reports.
const (
	DonatedItems = 2172
	Enterprises  = 20
	Markets      = 10
)

// enterprises are the alliance's donors (synthetic names).
var enterprises = []string{
	"华润万家水秀店", "苏果超市", "永辉超市", "好德便利", "全家便利", "大润发", "欧尚超市", "麦德龙", "农工商超市", "联华超市",
	"无锡粮油公司", "太湖米业", "惠山食品厂", "锡山日化", "江南毛纺", "梁溪文具", "阿福药房", "国药大药房", "水秀五金店", "邻里家电",
}

// catalogue is the warehouse's goods and services.
var catalogue = []struct {
	kind  points.ItemKind
	name  string
	unit  string
	price string
	food  bool
}{
	{points.ItemGoods, "大米（5斤）", "袋", "8", true},
	{points.ItemGoods, "食用油", "瓶", "10", true},
	{points.ItemGoods, "挂面", "包", "2", true},
	{points.ItemGoods, "鸡蛋（10枚）", "盒", "4", true},
	{points.ItemGoods, "牙膏", "支", "3", false},
	{points.ItemGoods, "毛巾", "条", "3", false},
	{points.ItemGoods, "肥皂", "块", "1.5", false},
	{points.ItemGoods, "洗衣液", "瓶", "6", false},
	{points.ItemGoods, "保温杯", "个", "12", false},
	{points.ItemGoods, "文具套装", "套", "5", false},
	{points.ItemGoods, "老花镜", "副", "6", false},
	{points.ItemGoods, "雨伞", "把", "7", false},
}

// Stores are the stores the demo writes.
type Stores struct {
	Points     points.Store
	Governance governance.Store
	Grids      grids.Store
}

// Summary is what Seed made.
type Summary struct {
	Claims, Items, Donations, Exchanges, Markets, SignUps, Expiries int
}

// event is one thing that happens, at its time.
type event struct {
	at time.Time
	do func() error
}

// Seed runs the bank over governancedemo.Period(end) for a community that
// governancedemo.Seed has given its history. travel, if not nil, is told
// every time the simulated clock moves, so that a caller can stamp ledger
// transfers with the time they would have had (see sqlstore.Config.Now).
func Seed(ctx context.Context, st Stores, communityID string, end time.Time, seed uint64, travel func(time.Time)) (Summary, error) {
	from, to := governancedemo.Period(end)
	c := clock.NewManual(from)
	gov := governance.NewService(st.Governance, st.Grids, governance.Options{Now: c.Now})
	svc := points.NewService(st.Points, governance.Lookup{Store: st.Governance}, grids.Lookup{Store: st.Grids}, points.Options{Now: c.Now, Groups: gov})
	rnd := rand.New(rand.NewPCG(seed, 0x51ed270b8a1c4f3d))
	worker := grids.WithPrincipal(ctx, grids.Principal{ID: "demo-worker", CommunityID: communityID, Name: "社工", Roles: []grids.Role{grids.RoleWorker}})
	// A second worker verifies the service the first filed from the sign-in
	// sheets: no one verifies what they recorded or claimed.
	verifier := grids.WithPrincipal(ctx, grids.Principal{ID: "demo-verifier", CommunityID: communityID, Name: "审核社工", Roles: []grids.Role{grids.RoleWorker}})
	admin := grids.WithPrincipal(ctx, grids.Admin("demo"))
	var sum Summary
	set := func(t time.Time) {
		c.Set(t)
		if travel != nil {
			travel(t)
		}
	}

	if _, err := svc.Policy(worker, communityID, 0); err == nil {
		return sum, fmt.Errorf("pointsdemo: the community has a policy already")
	}
	acts, _, err := gov.FindActivities(admin, governance.ActivityFilter{CommunityID: communityID, Page: grids.Page{Limit: grids.MaxLimit}})
	if err != nil {
		return sum, err
	}
	groups, _, err := gov.FindBodies(admin, governance.BodyFilter{CommunityID: communityID, Kind: governance.Group, Page: grids.Page{Limit: grids.MaxLimit}})
	if err != nil {
		return sum, err
	}
	if len(acts) == 0 || len(groups) == 0 {
		return sum, fmt.Errorf("pointsdemo: the community has no activities or groups: seed governancedemo first")
	}
	set(from)
	pol := points.DefaultPolicy
	pol.Note = "示范：每小时1分，探访与照护1.5倍，组织者加1分，每月上限200分，次年年底过期"
	if _, err := svc.SetPolicy(worker, communityID, pol); err != nil {
		return sum, err
	}
	items := make([]points.Item, len(catalogue))
	for i, it := range catalogue {
		if items[i], err = svc.CreateItem(worker, communityID, points.ItemInput{Kind: it.kind, Name: it.name, Unit: it.unit, Price: decimal.RequireFromString(it.price)}); err != nil {
			return sum, err
		}
		sum.Items++
	}

	var events []event
	add := func(at time.Time, do func() error) { events = append(events, event{at, do}) }
	months := int(to.Sub(from).Hours()/24/30.4) + 1

	// Service: claimed from the sign-in sheet the day after, verified by a
	// second worker.
	for _, a := range acts {
		add(a.End.Add(24*time.Hour), func() error {
			cs, err := svc.ClaimActivity(worker, communityID, a.ID, points.ActivityClaimInput{Evidence: points.Evidence{Note: "签到表", SignIn: true}})
			if err != nil {
				return fmt.Errorf("claim activity %s: %w", a.Title, err)
			}
			for _, cl := range cs {
				if _, err := svc.Verify(verifier, communityID, cl.ID, points.VerifyInput{Approve: true, Note: "核对签到表"}); err != nil {
					return err
				}
				sum.Claims++
			}
			return nil
		})
	}

	// Donations: three from each enterprise, 2,172 items in all, over the
	// programme.
	const perDonor = 3
	weights := make([]int, Enterprises*perDonor)
	total := 0
	for i := range weights {
		weights[i] = 1 + rnd.IntN(20)
		total += weights[i]
	}
	given := 0
	for i, w := range weights {
		q := DonatedItems * w / total
		if i == len(weights)-1 {
			q = DonatedItems - given
		}
		given += q
		it := rnd.IntN(len(items))
		date := from.AddDate(0, rnd.IntN(months-1), 1+rnd.IntN(27)).Add(10 * time.Hour)
		donor := enterprises[i%Enterprises]
		add(date, func() error {
			in := points.DonationInput{Donor: points.Party{Kind: points.PartyEnterprise, Name: donor}, ItemID: items[it].ID, Quantity: int64(q), Date: date, Condition: "new"}
			if catalogue[it].food {
				bb := date.AddDate(1, 0, 0)
				in.BestBefore = &bb
			}
			if _, err := svc.Donate(worker, communityID, in); err != nil {
				return fmt.Errorf("donation of %s: %w", donor, err)
			}
			sum.Donations++
			return nil
		})
	}

	// Ten monthly markets, the last ten months: exchanges by volunteers
	// with points, and residents joining groups at the sign-up corner.
	for m := range Markets {
		day := to.AddDate(0, m-Markets, 14).Add(time.Hour) // the 15th, 09:00 in Shanghai
		add(day, func() error {
			mk, err := svc.CreateMarket(worker, communityID, points.MarketInput{Title: day.Format("2006年1月") + "邻里义集", Date: day, Place: "水秀广场",
				Stalls: []points.Stall{{Name: "爱心兑换", Kind: "exchange"}, {Name: "小组招募", Kind: "sign_up"}, {Name: "家电义修", Kind: "service"},
					{Name: "义诊", Kind: "service", Host: &points.Party{Kind: points.PartyPartner, Name: "社区卫生服务站"}}, {Name: "捐赠登记", Kind: "donation"}}})
			if err != nil {
				return err
			}
			sum.Markets++
			cs, _, err := svc.Claims(worker, communityID, points.ClaimFilter{Status: points.Verified, Page: grids.Page{Limit: grids.MaxLimit}})
			if err != nil {
				return err
			}
			seen := map[string]bool{}
			for _, cl := range cs {
				if seen[cl.ResidentID] || len(seen) >= 30 || rnd.IntN(3) > 0 {
					continue
				}
				seen[cl.ResidentID] = true
				it := items[rnd.IntN(len(items))]
				_, err := svc.Exchange(worker, communityID, points.ExchangeInput{ResidentID: cl.ResidentID, ItemID: it.ID, Quantity: 1, MarketID: mk.ID})
				if err == nil {
					sum.Exchanges++
				} else if !errors.Is(err, points.ErrInsufficientPoints) && !errors.Is(err, points.ErrOutOfStock) { // the resident picks nothing
					return err
				}
			}
			for range 4 {
				g := groups[rnd.IntN(len(groups))]
				r := cs[rnd.IntN(len(cs))].ResidentID
				_, err := svc.SignUp(worker, communityID, mk.ID, points.SignUpInput{ResidentID: r, GroupID: g.ID})
				if err == nil {
					sum.SignUps++
				} else if !errors.Is(err, points.ErrSignedUpAlready) {
					return err
				}
			}
			return nil
		})
	}

	// The first year's points expire after a year's grace.
	first := from.Year()
	if due := time.Date(first+2, 1, 2, 2, 0, 0, 0, time.UTC); due.Before(to) {
		add(due, func() error {
			ex, err := svc.Expire(worker, communityID, points.ExpireInput{Year: first})
			sum.Expiries += len(ex)
			return err
		})
	}

	slices.SortStableFunc(events, func(a, b event) int { return cmp.Compare(a.at.UnixNano(), b.at.UnixNano()) })
	for _, e := range events {
		if !e.at.Before(to) {
			continue
		}
		set(e.at)
		if err := e.do(); err != nil {
			return sum, fmt.Errorf("pointsdemo at %s: %w", e.at.Format(time.DateTime), err)
		}
	}
	// The books must agree with the records, or the demo is not made.
	a, err := svc.Audit(worker, communityID)
	if err != nil {
		return sum, err
	}
	if len(a.Disagreements) > 0 {
		return sum, fmt.Errorf("pointsdemo: the audit found %d disagreements, the first: %s", len(a.Disagreements), a.Disagreements[0])
	}
	return sum, nil
}
