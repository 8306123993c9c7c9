package main

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/points"
)

// checkWork does a worker's day and a resident's errands in Chromium,
// through the pages' forms, and checks each through the API: the
// exchange is on the passbook and the stock went down, the donation is
// on the shelf, the need is answered, the claim verified by a second
// person only. The worker works on a phone (390 px); each page is also
// checked at a desk's 1280 px.
func checkWork(t *testing.T, base, community string, tokens map[string]string) {
	t.Run("the worker's day in Chromium", func(t *testing.T) {
		b := newTab(t, 390) // a worker at the counter, on a phone
		ctx, seen, do, text, shoot := b.ctx, b.seen, b.do, b.text, b.shoot
		shanghai, err := time.LoadLocation("Asia/Shanghai")
		require.NoError(t, err)
		c := base + "/c/" + community
		v1 := base + "/v1/communities/" + community

		// The worker signs in and lands on the desk.
		do(chromedp.Navigate(c+"/signin"), chromedp.WaitReady(chromedp.CSS("#token")),
			chromedp.SendKeys(chromedp.CSS("#token"), tokens["worker"]), chromedp.Submit(chromedp.CSS("#token")), chromedp.WaitVisible(chromedp.CSS("#needs-waiting")))
		shoot("work-desk")

		// The registry: find the demo resident by name, open their card.
		var me struct {
			ResidentID string `json:"resident_id"`
		}
		require.Equal(t, 200, api(t, "GET", base+"/v1/me", tokens["resident"], nil, &me))
		var res grids.Resident
		require.Equal(t, 200, api(t, "GET", v1+"/residents/"+me.ResidentID, tokens["worker"], nil, &res))
		do(chromedp.Navigate(c+"/residents"), chromedp.WaitReady(chromedp.CSS("#q")),
			chromedp.SendKeys(chromedp.CSS("#q"), res.Name), chromedp.Submit(chromedp.CSS("#q")), chromedp.WaitVisible(chromedp.CSS("main table caption")))
		found := text("main table")
		assert.Contains(t, found, res.Name)
		shoot("work-residents")
		do(chromedp.Click(chromedp.CSS(`main table a[href$="/residents/`+res.ID+`"]`)), chromedp.WaitVisible(chromedp.CSS("#profile")))
		assert.NotContains(t, text("#profile"), "_", "the profile in plain words")
		shoot("work-resident")

		// A new household with two residents; one signs up at the market
		// day's corner, moves in with the other household, and the other is
		// archived, with the reason.
		var market points.Market
		require.Equal(t, 201, api(t, "POST", v1+"/markets", tokens["worker"], points.MarketInput{Title: "十二月义集", Date: time.Now(), Place: "水秀广场",
			Stalls: []points.Stall{{Name: "小组招募", Kind: "sign_up"}}}, &market))
		do(chromedp.Navigate(c+"/households/new"), chromedp.WaitVisible(chromedp.CSS("#unit")))
		var someGroup struct{ Items []governance.Body }
		require.Equal(t, 200, api(t, "GET", v1+"/bodies?kind=group&limit=1", tokens["worker"], nil, &someGroup))
		require.NotEmpty(t, someGroup.Items)
		var home grids.Household
		require.Equal(t, 200, api(t, "GET", v1+"/households/"+res.HouseholdID, tokens["worker"], nil, &home))
		do(chromedp.SetValue(chromedp.CSS("#building"), home.BuildingID), chromedp.SendKeys(chromedp.CSS("#unit"), "9-909"),
			chromedp.SendKeys(chromedp.CSS("#name0"), "范晓梅"), chromedp.SetValue(chromedp.CSS("#born0"), "1958"), chromedp.SendKeys(chromedp.CSS("#phone0"), "13912345678"),
			chromedp.SendKeys(chromedp.CSS("#name1"), "范小军"), chromedp.SetValue(chromedp.CSS("#sex1"), "male"), chromedp.SetValue(chromedp.CSS("#born1"), "1990"),
			chromedp.Click(chromedp.CSS("main form button")), chromedp.WaitVisible(chromedp.CSS("#profile")))
		assert.Contains(t, text("[role=status]"), "住户已登记")
		assert.Contains(t, text("#profile"), "老年人", "the profile in plain words")
		shoot("work-registered")
		var found2 struct{ Items []grids.Resident }
		require.Equal(t, 200, api(t, "GET", v1+"/residents?phone=13912345678", tokens["worker"], nil, &found2))
		require.Len(t, found2.Items, 1, "found by phone")
		fan := found2.Items[0]
		do(chromedp.Navigate(c+"/residents?q=13912345678"), chromedp.WaitVisible(chromedp.CSS(`main table a[href$="/residents/`+fan.ID+`"]`)))
		do(chromedp.Navigate(c+"/residents/"+fan.ID), chromedp.WaitVisible(chromedp.CSS("#signup")),
			chromedp.SetValue(chromedp.CSS("#market"), market.ID), chromedp.SetValue(chromedp.CSS("#signup-group"), someGroup.Items[0].ID),
			chromedp.Click(chromedp.CSS("#signup button")), chromedp.WaitVisible(chromedp.CSS("[role=status]")))
		var signUps struct{ Items []points.SignUp }
		require.Equal(t, 200, api(t, "GET", v1+"/markets/"+market.ID+"/signups", tokens["worker"], nil, &signUps))
		require.Len(t, signUps.Items, 1)
		assert.Equal(t, fan.ID, signUps.Items[0].ResidentID)
		do(chromedp.Navigate(c+"/residents/"+fan.ID), chromedp.WaitVisible(chromedp.CSS("#move")),
			chromedp.SetValue(chromedp.CSS("#building-to"), home.BuildingID), chromedp.SendKeys(chromedp.CSS("#unit-to"), home.Unit),
			chromedp.Click(chromedp.CSS("#move button")), chromedp.WaitVisible(chromedp.CSS("[role=status]")))
		require.Equal(t, 200, api(t, "GET", v1+"/residents/"+fan.ID, tokens["worker"], nil, &fan))
		assert.Equal(t, home.ID, fan.HouseholdID, "moved in with the other household")
		require.Equal(t, 200, api(t, "GET", v1+"/residents?name="+url.QueryEscape("范小军"), tokens["worker"], nil, &found2))
		require.Len(t, found2.Items, 1)
		son := found2.Items[0]
		do(chromedp.Navigate(c+"/residents/"+son.ID), chromedp.WaitVisible(chromedp.CSS("#archive")),
			chromedp.SendKeys(chromedp.CSS("#reason"), "迁出本社区"), chromedp.Click(chromedp.CSS("#archive button")), chromedp.WaitVisible(chromedp.CSS("[role=status]")))
		require.Equal(t, 200, api(t, "GET", v1+"/residents/"+son.ID, tokens["worker"], nil, &son))
		assert.True(t, son.Archived())
		assert.Equal(t, "迁出本社区", son.ArchiveReason)

		// The warehouse counter: the balance, one item picked, exchanged, a receipt.
		var before points.Statement
		require.Equal(t, 200, api(t, "GET", v1+"/passbooks/"+res.ID+"/statement", tokens["worker"], nil, &before))
		var items struct{ Items []points.Item }
		require.Equal(t, 200, api(t, "GET", v1+"/warehouse/items?limit=100", tokens["worker"], nil, &items))
		var pick points.Item
		for _, it := range items.Items {
			if it.Stock > 0 && it.Price.LessThanOrEqual(before.Balance) && (pick.ID == "" || it.Price.LessThan(pick.Price)) {
				pick = it
			}
		}
		require.NotEmpty(t, pick.ID, "the resident can afford something on the shelf (balance %s)", before.Balance)
		do(chromedp.Navigate(c+"/counter/"+res.ID), chromedp.WaitReady(chromedp.CSS("#balance")))
		assert.Contains(t, text("#balance"), before.Balance.String())
		shoot("work-counter")
		do(chromedp.SetValue(chromedp.CSS("#qty-"+pick.ID), "1"),
			chromedp.Click(chromedp.CSS(`main form button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("#total")))
		assert.Contains(t, text("[role=status]"), "兑换完成")
		assert.Equal(t, pick.Price.String(), text("#total"))
		left := before.Balance.Sub(pick.Price)
		assert.Equal(t, left.String(), text("#after"))
		shoot("work-receipt")
		var after points.Statement
		require.Equal(t, 200, api(t, "GET", v1+"/passbooks/"+res.ID+"/statement", tokens["worker"], nil, &after))
		last := after.Entries[len(after.Entries)-1]
		assert.Equal(t, points.LineExchanged, last.Kind, "the exchange is on the passbook")
		assert.Equal(t, pick.Name, last.What)
		assert.True(t, after.Balance.Equal(left))
		var shelf points.Item
		require.Equal(t, 200, api(t, "GET", v1+"/warehouse/items/"+pick.ID, tokens["worker"], nil, &shelf))
		assert.Equal(t, pick.Stock-1, shelf.Stock, "the stock went down")

		// A donation at the counter.
		do(chromedp.Navigate(c+"/counter/"+res.ID), chromedp.WaitReady(chromedp.CSS("#donor")),
			chromedp.SendKeys(chromedp.CSS("#donor"), "好邻居超市"), chromedp.SetValue(chromedp.CSS("#item"), pick.ID),
			chromedp.SendKeys(chromedp.CSS("#quantity"), "5"), chromedp.Submit(chromedp.CSS("#quantity")), chromedp.WaitVisible(chromedp.CSS("[role=status]")))
		assert.Contains(t, text("[role=status]"), "捐赠已登记")
		require.Equal(t, 200, api(t, "GET", v1+"/warehouse/items/"+pick.ID, tokens["worker"], nil, &shelf))
		assert.Equal(t, pick.Stock+4, shelf.Stock, "the donation is on the shelf")

		// The needs queue: accept a need, then answer it in public.
		var needs struct{ Items []grids.Need }
		require.Equal(t, 200, api(t, "GET", v1+"/needs?status=received&limit=1", tokens["worker"], nil, &needs))
		require.NotEmpty(t, needs.Items)
		need := needs.Items[0]
		do(chromedp.Navigate(c+"/needs"), chromedp.WaitVisible(chromedp.CSS("#need-"+need.ID)))
		shoot("work-needs")
		do(chromedp.Click(chromedp.CSS(`#need-`+need.ID+` button[value=accept]`)), chromedp.WaitVisible(chromedp.CSS("[role=status]")))
		do(chromedp.Navigate(c+"/needs?status=accepted"), chromedp.WaitVisible(chromedp.CSS("#need-"+need.ID)),
			chromedp.SendKeys(chromedp.CSS("#reply-"+need.ID), "已联系物业，本周内修好。"), chromedp.Click(chromedp.CSS(`#need-`+need.ID+` button[value=answer]`)),
			chromedp.WaitVisible(chromedp.CSS("[role=status]")))
		require.Equal(t, 200, api(t, "GET", v1+"/needs/"+need.ID, tokens["worker"], nil, &need))
		assert.Equal(t, grids.NeedAnswered, need.Status)
		assert.Equal(t, "已联系物业，本周内修好。", need.Reply)
		// Answering without a reply is refused, in Chinese, and nothing changes.
		require.Equal(t, 200, api(t, "GET", v1+"/needs?status=received&limit=1", tokens["worker"], nil, &needs))
		other := needs.Items[0]
		do(chromedp.Navigate(c+"/needs"), chromedp.WaitVisible(chromedp.CSS("#need-"+other.ID)),
			chromedp.Click(chromedp.CSS(`#need-`+other.ID+` button[value=answer]`)), chromedp.WaitVisible(chromedp.CSS("[role=alert]")))
		assert.Contains(t, text("[role=alert]"), "填写")
		seen.check(t, ctx, "a refused answer", true) // its 400 is the page's own answer
		require.Equal(t, 200, api(t, "GET", v1+"/needs/"+other.ID, tokens["worker"], nil, &other))
		assert.Equal(t, grids.NeedReceived, other.Status)

		// The claims queue: the worker's own claim is not offered to them;
		// one the group leader filed is, and is verified.
		now := time.Now().UTC()
		var group governance.Body
		var mine struct{ Items []governance.Position }
		require.Equal(t, 200, api(t, "GET", base+"/v1/me", tokens["group_leader"], nil, &me))
		require.Equal(t, 200, api(t, "GET", v1+"/positions?active=true&office=leader&holder="+me.ResidentID, tokens["worker"], nil, &mine))
		require.NotEmpty(t, mine.Items)
		require.Equal(t, 200, api(t, "GET", v1+"/bodies/"+mine.Items[0].BodyID, tokens["worker"], nil, &group))
		var members struct{ Items []governance.Position }
		require.Equal(t, 200, api(t, "GET", v1+"/positions?active=true&body="+group.ID, tokens["worker"], nil, &members))
		var volunteer string
		for _, m := range members.Items {
			if m.HolderID != me.ResidentID {
				volunteer = m.HolderID
				break
			}
		}
		require.NotEmpty(t, volunteer)
		record := func(as string, title string) governance.Activity {
			var a governance.Activity
			require.Equal(t, 201, api(t, "POST", v1+"/activities", tokens[as], governance.ActivityInput{BodyID: group.ID, Title: title, Service: "cleaning",
				Start: now.Add(-3 * time.Hour), End: now.Add(-2 * time.Hour), OrganiserID: me.ResidentID,
				Participants: []governance.Participant{{ResidentID: volunteer, Minutes: 60}}}, &a), "record %s", title)
			return a
		}
		byWorker, byLeader := record("worker", "楼道清洁（工作人员登记）"), record("group_leader", "楼道清洁（组长登记）")
		var claimed []points.Claim
		require.Equal(t, 201, api(t, "POST", v1+"/activities/"+byWorker.ID+"/claims", tokens["worker"], points.ActivityClaimInput{Evidence: points.Evidence{SignIn: true}}, &claimed))
		own := claimed[0]
		require.Equal(t, 201, api(t, "POST", v1+"/activities/"+byLeader.ID+"/claims", tokens["group_leader"], points.ActivityClaimInput{Evidence: points.Evidence{SignIn: true}}, &claimed))
		theirs := claimed[0]
		do(chromedp.Navigate(c+"/claims"), chromedp.WaitVisible(chromedp.CSS("main table")))
		shoot("work-claims")
		offered, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('main form')).map(f => f.getAttribute('action'))`))
		require.NoError(t, err)
		assert.NotContains(t, offered, "/c/"+community+"/claims/"+own.ID, "no verification offered for the worker's own record")
		require.Contains(t, offered, "/c/"+community+"/claims/"+theirs.ID)
		do(chromedp.Click(chromedp.CSS(`form[action$="/claims/`+theirs.ID+`"] button[value=approve]`)), chromedp.WaitVisible(chromedp.CSS("[role=status]")))
		require.Equal(t, 200, api(t, "GET", v1+"/points/claims/"+theirs.ID, tokens["worker"], nil, &theirs))
		assert.Equal(t, points.Verified, theirs.Status)

		// An activity of the leader's group with its sign-in sheet.
		do(chromedp.Navigate(c+"/activities/new?group="+group.ID), chromedp.WaitVisible(chromedp.CSS("#record")),
			chromedp.SendKeys(chromedp.CSS("#title"), "周末绿化补种"), chromedp.SetValue(chromedp.CSS("#service"), "greening"),
			chromedp.SetValue(chromedp.CSS("#date"), now.In(shanghai).AddDate(0, 0, -1).Format("2006-01-02")),
			chromedp.Click(chromedp.CSS("#came-"+volunteer)), chromedp.SetValue(chromedp.CSS("#minutes-"+volunteer), "90"),
			chromedp.Click(chromedp.CSS("#record button")), chromedp.WaitVisible(chromedp.CSS("[role=status]")))
		shoot("work-activity")
		var acts struct{ Items []governance.Activity }
		require.Equal(t, 200, api(t, "GET", v1+"/activities?body="+group.ID+"&limit=200", tokens["worker"], nil, &acts))
		recorded := false
		for _, a := range acts.Items {
			if a.Title == "周末绿化补种" {
				recorded = len(a.Participants) == 1 && a.Participants[0].ResidentID == volunteer && a.Participants[0].Minutes == 90 &&
					a.Start.In(shanghai).Format("15:04") == "09:00"
			}
		}
		assert.True(t, recorded, "the activity and its sign-in sheet are recorded, times in the community's zone")

		// A consultation scheduled, an item on its agenda, its notice given.
		do(chromedp.Navigate(c+"/meetings/new"), chromedp.WaitVisible(chromedp.CSS("#schedule")),
			chromedp.SetValue(chromedp.CSS("#kind"), "consultation"), chromedp.SendKeys(chromedp.CSS("#title"), "加装电梯恳谈会"),
			chromedp.SetValue(chromedp.CSS("#date"), now.In(shanghai).AddDate(0, 0, 7).Format("2006-01-02")),
			chromedp.Click(chromedp.CSS("#schedule button")), chromedp.WaitVisible(chromedp.CSS("#add-item")))
		// Each form is sent from the meeting's page freshly loaded, so the
		// message waited for is the one the form brings back.
		meetingURL, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
		require.NoError(t, err)
		do(chromedp.Navigate(base+meetingURL), chromedp.WaitVisible(chromedp.CSS("#add-item")),
			chromedp.SendKeys(chromedp.CSS("#item-title"), "电梯费用分摊"), chromedp.Click(chromedp.CSS("#add-item button")), chromedp.WaitVisible(chromedp.CSS("[role=status]")))
		do(chromedp.Navigate(base+meetingURL), chromedp.WaitVisible(chromedp.CSS("#notice")),
			chromedp.SendKeys(chromedp.CSS("#notice-text"), "下周六19:00在社区议事厅开恳谈会"), chromedp.Click(chromedp.CSS("#notice button")), chromedp.WaitVisible(chromedp.CSS("[role=status]")))
		shoot("work-meeting")
		var sched governance.Meeting
		require.Equal(t, 200, api(t, "GET", base+strings.Replace(meetingURL, "/c/"+community, "/v1/communities/"+community, 1), tokens["worker"], nil, &sched))
		assert.Equal(t, governance.Consultation, sched.Kind)
		assert.Equal(t, "19:00", sched.ScheduledAt.In(shanghai).Format("15:04"), "typed in the community's zone")
		require.Len(t, sched.Agenda, 1)
		assert.Equal(t, "电梯费用分摊", sched.Agenda[0].Title)
		assert.NotNil(t, sched.NoticedAt)

		// Part of a payment refunded, then a payment of it entered, against
		// a budget line with its receipt (the demo's grants are spent in full).
		var grants struct{ Items []funds.Grant }
		require.Equal(t, 200, api(t, "GET", v1+"/grants", tokens["worker"], nil, &grants))
		require.NotEmpty(t, grants.Items)
		grant := grants.Items[0]
		month := now.In(shanghai).Format("2006-01")
		var report funds.ProjectReport
		var paid funds.Spending
		var paidIn string
		for m := grant.AwardedAt.In(shanghai); paid.ID == "" && !m.After(now); m = m.AddDate(0, 1, 0) {
			require.Equal(t, 200, api(t, "GET", v1+"/grants/"+grant.ID+"/reports/"+m.Format("2006-01"), tokens["worker"], nil, &report))
			for _, e := range report.Entries {
				if e.Kind == funds.Spend && e.Amount.GreaterThan(decimal.NewFromInt(300)) {
					paid, paidIn = e, m.Format("2006-01")
					break
				}
			}
		}
		require.NotEmpty(t, paid.ID, "a demo payment to refund part of")
		require.Equal(t, 200, api(t, "GET", v1+"/grants/"+grant.ID+"/reports/"+month, tokens["worker"], nil, &report))
		entriesBefore := len(report.Entries)
		refund := func(amount, reason string, want string) {
			t.Helper()
			do(chromedp.Navigate(c+"/projects/"+grant.ID+"?month="+paidIn), chromedp.WaitReady(chromedp.CSS("#amount-"+paid.ID)),
				chromedp.Evaluate[chromedp.Void](`document.querySelector('#amount-`+paid.ID+`').closest('details').open = true`),
				chromedp.SendKeys(chromedp.CSS("#amount-"+paid.ID), amount), chromedp.SendKeys(chromedp.CSS("#reason-"+paid.ID), reason),
				chromedp.Submit(chromedp.CSS("#reason-"+paid.ID)), chromedp.WaitVisible(chromedp.CSS(want)))
		}
		refund("200.50", "退回多付的菜钱", "[role=status]")
		do(chromedp.Navigate(c+"/projects/"+grant.ID), chromedp.WaitVisible(chromedp.CSS("#pay")),
			chromedp.SetValue(chromedp.CSS("#line"), paid.Line), chromedp.SendKeys(chromedp.CSS("#amount"), "1,00.50"),
			chromedp.SendKeys(chromedp.CSS("#payee"), "水秀菜场"), chromedp.SendKeys(chromedp.CSS("#receipt"), "FP-2026-0099"), chromedp.SendKeys(chromedp.CSS("#approved"), "李娜"),
			chromedp.SetValue(chromedp.CSS("#date"), now.In(shanghai).Format("2006-01-02")))
		invalid, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#pay :invalid')).map(e => e.id + '=' + e.value)`))
		require.NoError(t, err)
		require.Empty(t, invalid, "the payment form is filled in")
		do(chromedp.Click(chromedp.CSS("#pay button")), chromedp.WaitVisible(chromedp.CSS("[role=status], [role=alert]")))
		assert.Contains(t, text("main"), "100.50")
		shoot("work-project")
		require.Equal(t, 200, api(t, "GET", v1+"/grants/"+grant.ID+"/reports/"+month, tokens["worker"], nil, &report))
		require.Len(t, report.Entries, entriesBefore+2, "the refund and the payment are this month's")
		kinds := map[funds.SpendingKind]string{}
		for _, e := range report.Entries[entriesBefore:] {
			kinds[e.Kind] = e.Amount.StringFixed(2)
		}
		assert.Equal(t, map[funds.SpendingKind]string{funds.Refund: "200.50", funds.Spend: "100.50"}, kinds)
		// A refund beyond what is left of the payment is refused, in Chinese, and nothing moves.
		refund(paid.Amount.String(), "错误", "[role=alert]")
		assert.Contains(t, text("[role=alert]"), "超过")
		seen.check(t, ctx, "a refused refund", true)
		require.Equal(t, 200, api(t, "GET", v1+"/grants/"+grant.ID+"/reports/"+month, tokens["worker"], nil, &report))
		assert.Len(t, report.Entries, entriesBefore+2)

		// Groups proposed to residents: a new group whose purpose only the
		// demo resident shares; the worker keeps that row ticked alone and
		// sends it.
		var building grids.Building
		require.Equal(t, 200, api(t, "GET", v1+"/buildings/"+home.BuildingID, tokens["worker"], nil, &building))
		var grid grids.Grid
		require.Equal(t, 200, api(t, "GET", v1+"/grids/"+building.GridID, tokens["worker"], nil, &grid))
		var kites governance.Body
		require.Equal(t, 201, api(t, "POST", v1+"/bodies", tokens["worker"], governance.BodyInput{Kind: governance.Group, ParentID: someGroup.Items[0].ParentID,
			Name: "风筝小组", GridID: grid.ID, Tags: []string{"kites"}, Seats: 5}, &kites))
		require.Equal(t, 200, api(t, "PATCH", v1+"/residents/"+res.ID, tokens["worker"], grids.ResidentUpdate{Interests: &[]string{"kites"}, Needs: &[]string{}}, nil))
		do(chromedp.Navigate(c+"/matches"), chromedp.WaitVisible(chromedp.CSS(`main a[href$="district=`+grid.DistrictID+`"]`)))
		do(chromedp.Click(chromedp.CSS(`main a[href$="district=`+grid.DistrictID+`"]`)), chromedp.WaitVisible(chromedp.CSS("#match-figures")))
		wanted := res.ID + ":" + kites.ID
		kept, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(() => { let kept = 0; document.querySelectorAll('#invite input[name=p]').forEach(b => { b.checked = b.value === `+strconv.Quote(wanted)+`; kept += b.checked ? 1 : 0; }); return kept; })()`))
		require.NoError(t, err)
		require.Equal(t, 1, kept, "the demo resident is proposed the kite group")
		assert.Contains(t, text("#invite"), "放风筝", "the shared interest in plain words")
		shoot("work-matches")
		do(chromedp.Click(chromedp.CSS("#invite button")), chromedp.WaitVisible(chromedp.CSS("[role=status]")))
		assert.Contains(t, text("[role=status]"), "邀请已发出")
		var invited struct{ Items []governance.Invitation }
		require.Equal(t, 200, api(t, "GET", v1+"/invitations?state=open&resident="+res.ID, tokens["worker"], nil, &invited))
		require.Len(t, invited.Items, 1, "one invitation sent, the rows unticked were not")
		assert.Equal(t, kites.ID, invited.Items[0].GroupID)

		seen.linksAnswer(t, ctx, base) // every link a worker saw, with the worker's session
		seen.links = map[string]bool{}

		// The worker signs out; the resident signs in on a phone.
		do(chromedp.Click(chromedp.CSS("header button")), chromedp.WaitVisible(chromedp.CSS("#outcomes")))
		do(chromedp.Navigate(c+"/signin"), chromedp.WaitReady(chromedp.CSS("#token")),
			chromedp.SendKeys(chromedp.CSS("#token"), tokens["resident"]), chromedp.Submit(chromedp.CSS("#token")), chromedp.WaitVisible(chromedp.CSS("#passbook")))
		book := text("main table")
		assert.Contains(t, book, pick.Name, "the passbook names what was taken")
		assert.Contains(t, book, "−"+pick.Price.String()+"分")
		var st points.Statement
		require.Equal(t, 200, api(t, "GET", v1+"/passbooks/"+res.ID+"/statement", tokens["resident"], nil, &st))
		waiting := 0
		for _, e := range st.Entries {
			if e.Open && e.Kind == points.LineClaimed {
				waiting++
			}
		}
		assert.Equal(t, waiting, strings.Count(book, "待审核"), "a claim waits once, until verified")
		for _, title := range []string{byWorker.Title, byLeader.Title} {
			if volunteer == res.ID {
				assert.Equal(t, 1, strings.Count(book, title), "%s: one line, whether waiting or earned", title)
			}
		}
		do(chromedp.Navigate(c+"/my"), chromedp.WaitReady(chromedp.CSS("#title")),
			chromedp.SendKeys(chromedp.CSS("#title"), "楼道灯坏了"), chromedp.Submit(chromedp.CSS("#title")), chromedp.WaitVisible(chromedp.CSS("[role=status]")))
		assert.Contains(t, text("main"), "楼道灯坏了", "my household's needs list it")
		shoot("resident-mine")
		var hers struct{ Items []grids.Need }
		require.Equal(t, 200, api(t, "GET", v1+"/needs?household="+res.HouseholdID+"&limit=100", tokens["worker"], nil, &hers))
		raised := false
		for _, n := range hers.Items {
			raised = raised || n.Title == "楼道灯坏了" && n.Status == grids.NeedReceived
		}
		assert.True(t, raised, "the need is in the registry, for the household")
		do(chromedp.Navigate(c+"/my"), chromedp.WaitVisible(chromedp.CSS("#invitations")))
		assert.Contains(t, text("#invitations"), "风筝小组")
		shoot("resident-invitation")
		do(chromedp.Click(chromedp.CSS(`#invitations button[value="accept"]`)), chromedp.WaitVisible(chromedp.CSS("[role=status]")))
		assert.Contains(t, text("[role=status]"), "已加入")
		require.Equal(t, 200, api(t, "GET", v1+"/invitations/"+invited.Items[0].ID, tokens["worker"], nil, &invited.Items[0]))
		assert.Equal(t, governance.InvitationAccepted, invited.Items[0].State, "accepted on the page")
		assert.Equal(t, res.ID, invited.Items[0].AnsweredBy)
		do(chromedp.Navigate(c+"/my"), chromedp.WaitReady(chromedp.CSS("#title")))
		joins, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#join button')).map(b => b.getAttribute('formaction'))`))
		require.NoError(t, err)
		require.NotEmpty(t, joins)
		do(chromedp.Click(chromedp.CSS(`#join button[formaction="`+joins[0]+`"]`)), chromedp.WaitVisible(chromedp.CSS("[role=status]")))
		assert.Contains(t, text("[role=status]"), "已加入")
		groupID := strings.TrimSuffix(strings.TrimPrefix(joins[0], "/c/"+community+"/groups/"), "/join")
		var joined struct{ Items []governance.Position }
		require.Equal(t, 200, api(t, "GET", v1+"/positions?active=true&body="+groupID+"&holder="+url.QueryEscape(res.ID), tokens["worker"], nil, &joined))
		assert.Len(t, joined.Items, 1, "the resident is a member")
		seen.check(t, ctx, "joined", false)
		seen.linksAnswer(t, ctx, base)
	})
}
