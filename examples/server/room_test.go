package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/procedure"
)

func shanghaiZone(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(t, err)
	return loc
}

// checkRoom: the clerk runs the demo's next council meeting on the
// clerk's screen, entering the moves of members without devices, while
// the live view follows it in another tab by Server-Sent Events; the
// stream resumes after a given event.
func checkRoom(t *testing.T, base, community string, tokens map[string]string) {
	t.Run("the meeting room in Chromium", func(t *testing.T) {
		clerk := newTab(t, 1280) // the clerk at a desk
		ctx, seen := clerk.ctx, clerk.seen
		c := base + "/c/" + community
		v1 := base + "/v1/communities/" + community

		// The council's next regular meeting, which the server scheduled.
		var bodies struct{ Items []governance.Body }
		require.Equal(t, 200, api(t, "GET", v1+"/bodies?kind=council", tokens["worker"], nil, &bodies))
		require.Len(t, bodies.Items, 1)
		var next struct{ Items []governance.Meeting }
		require.Equal(t, 200, api(t, "GET", v1+"/meetings?status=scheduled&body="+bodies.Items[0].ID+"&limit=100", tokens["worker"], nil, &next))
		require.NotEmpty(t, next.Items, "the next council meeting is on the calendar")
		m := next.Items[0]
		for _, o := range next.Items {
			if o.ScheduledAt.Before(m.ScheduledAt) {
				m = o
			}
		}

		// The clerk signs in and opens the meeting.
		room := c + "/meetings/" + m.ID + "/room"
		clerk.do(chromedp.Navigate(c+"/signin"), chromedp.WaitReady(chromedp.CSS("#token")),
			chromedp.SendKeys(chromedp.CSS("#token"), tokens["worker"]), chromedp.Submit(chromedp.CSS("#token")), chromedp.WaitVisible(chromedp.CSS("#needs-waiting")))
		clerk.do(chromedp.Navigate(c+"/calendar"), chromedp.WaitVisible(chromedp.CSS(`a[href="/c/`+community+`/meetings/`+m.ID+`/room"]`)))
		clerk.do(chromedp.Navigate(room), chromedp.WaitVisible(chromedp.CSS("#open")), chromedp.Click(chromedp.CSS("#open")), chromedp.WaitVisible(chromedp.CSS("#roll")))

		// The live view, in another browser, as a resident following along.
		live := newTab(t, 390) // a resident following on a phone
		live.do(chromedp.Navigate(c+"/meetings/"+m.ID+"/live"), chromedp.WaitVisible(chromedp.CSS("#live-status")))
		assert.Equal(t, "正在开会", live.text("#live-status"))

		// Roll call: every member present, recorded by the clerk. Each press
		// is made on a freshly loaded room, which shows no confirmation yet:
		// the one of the step before (the meeting opened) would otherwise
		// pass for this press's while its form is still being sent, and the
		// next navigation would cut the send short (seen under CI's load).
		clerk.do(chromedp.Navigate(room), chromedp.WaitVisible(chromedp.CSS("#roll")))
		for {
			buttons, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#roll button').length`))
			require.NoError(t, err)
			if buttons == 0 {
				break
			}
			before := buttons
			clerk.do(chromedp.Click(chromedp.CSS("#roll button")), chromedp.WaitVisible(chromedp.CSS("[role=status]")))
			clerk.do(chromedp.Navigate(room), chromedp.WaitVisible(chromedp.CSS("#roll")))
			after, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#roll button').length`))
			require.NoError(t, err)
			require.Less(t, after, before, "each press records one arrival")
		}
		clerk.shoot("room")

		// A refusal, in Chinese: a motion without its wording.
		clerk.do(chromedp.Navigate(room), chromedp.WaitVisible(chromedp.CSS("#motion")), chromedp.Click(chromedp.CSS("#motion button")), chromedp.WaitVisible(chromedp.CSS("[role=alert]")))
		alert := clerk.text("[role=alert]")
		assert.Contains(t, alert, "不能提出动议")
		assert.NotRegexp(t, `[A-Za-z]{4,}`, alert, "no English in the refusal")
		seen.check(t, ctx, "a refused motion", true)

		// press fills a form of the clerk's screen, freshly loaded, and sends it.
		press := func(form string, fill ...chromedp.Action[chromedp.Void]) {
			t.Helper()
			steps := append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(room), chromedp.WaitVisible(chromedp.CSS(form))}, fill...)
			steps = append(steps, chromedp.Click(chromedp.CSS(form+" button")), chromedp.WaitVisible(chromedp.CSS("[role=status], [role=alert]")))
			clerk.do(steps...)
			alert, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('[role=alert]') || {}).innerText || ""`))
			require.NoError(t, err)
			require.Empty(t, alert, "%s is refused", form)
		}

		// A main motion, moved and seconded for members without devices, voted by hands.
		clerk.do(chromedp.Navigate(room), chromedp.WaitVisible(chromedp.CSS("#motion")))
		movers, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#mover option')).map(o => o.value)`))
		require.NoError(t, err)
		require.NotEmpty(t, movers)
		mover := movers[len(movers)-1]
		press("#motion", chromedp.SetValue(chromedp.CSS("#mover"), mover), chromedp.SendKeys(chromedp.CSS("#text"), "在3号楼加装楼道扶手"))
		assert.Contains(t, clerk.text("#room-question"), "在3号楼加装楼道扶手")
		// A seconder, where the body's rules ask for one (a small board's do not).
		seconders, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#seconder option')).map(o => o.value)`))
		require.NoError(t, err)
		seconder := ""
		if len(seconders) > 0 {
			seconder = seconders[0]
			assert.NotContains(t, seconders, mover, "the mover does not second")
			press("#second", chromedp.SetValue(chromedp.CSS("#seconder"), seconder))
		}
		press("#call-vote", chromedp.SetValue(chromedp.CSS("#method"), "hands"))
		press("#tally", chromedp.SetValue(chromedp.CSS("#yes"), "7"), chromedp.SetValue(chromedp.CSS("#no"), "1"), chromedp.SetValue(chromedp.CSS("#abstain"), "1"))
		press("#close-vote")
		assert.Contains(t, clerk.text("#room-results"), "通过（赞成7，反对1，弃权1）")

		// The live view followed without being reloaded.
		live.do(chromedp.Poll[chromedp.Void](`document.getElementById('live-results').textContent.includes('在3号楼加装楼道扶手')`, chromedp.WithPollingTimeout(20*time.Second)))
		assert.Contains(t, live.text("#live-results"), "通过")
		live.shoot("live")

		// The library has it: the motion adopted, a decision of the council.
		var mv governance.MeetingView
		require.Equal(t, 200, api(t, "GET", v1+"/meetings/"+m.ID+"/state", tokens["worker"], nil, &mv))
		adopted := false
		for _, mo := range mv.State.Motions {
			adopted = adopted || mo.Text == "在3号楼加装楼道扶手" && mo.Status == procedure.Adopted && mo.Seconder == seconder && mo.Mover == mover
		}
		assert.True(t, adopted, "the motion is adopted, moved (and seconded) by whom the clerk entered")
		assert.NotEmpty(t, mv.Meeting.Decisions)

		// A roll-call vote, each member's vote entered by hand.
		press("#motion", chromedp.SetValue(chromedp.CSS("#mover"), mover), chromedp.SendKeys(chromedp.CSS("#text"), "增设电动车充电桩"))
		press("#call-vote", chromedp.SetValue(chromedp.CSS("#method"), "roll_call"))
		voters, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#casts input[name=voter]')).map(i => i.value)`))
		require.NoError(t, err)
		require.NotEmpty(t, voters)
		var fill []chromedp.Action[chromedp.Void]
		for i, v := range voters {
			choice := "yes"
			if i == 0 {
				choice = "no"
			}
			fill = append(fill, chromedp.SetValue(chromedp.CSS(`select[name="choice-`+v+`"]`), choice))
		}
		press("#casts", fill...)
		press("#close-vote")
		require.Equal(t, 200, api(t, "GET", v1+"/meetings/"+m.ID+"/state", tokens["worker"], nil, &mv))
		var roll procedure.Motion
		for _, mo := range mv.State.Motions {
			if mo.Text == "增设电动车充电桩" {
				roll = mo
			}
		}
		require.Len(t, roll.Votes, 1)
		assert.Equal(t, procedure.Adopted, roll.Status)
		assert.Equal(t, "no", roll.Votes[0].Votes[voters[0]], "who voted how, as the clerk entered it")
		assert.Equal(t, len(voters)-1, roll.Votes[0].Yes)

		// The meeting adjourns; its draft minutes are approved at the next
		// meeting and published, on the meeting's page.
		press("#motion", chromedp.SetValue(chromedp.CSS("#kind"), "adjourn"))
		press("#call-vote", chromedp.SetValue(chromedp.CSS("#method"), "voice"))
		press("#close-vote", chromedp.SetValue(chromedp.CSS("#outcome"), "adopted"))
		require.Equal(t, 200, api(t, "GET", v1+"/meetings/"+m.ID+"/state", tokens["worker"], nil, &mv))
		require.Equal(t, governance.MeetingAdjourned, mv.Meeting.Status)
		var later governance.Meeting
		require.Equal(t, 201, api(t, "POST", v1+"/meetings", tokens["worker"], governance.MeetingInput{BodyID: m.BodyID, Kind: governance.SpecialMeeting,
			Title: "临时理事会", ScheduledAt: mv.Meeting.ScheduledAt.Add(24 * time.Hour)}, &later))
		require.Equal(t, 200, api(t, "POST", v1+"/meetings/"+later.ID+"/open", tokens["worker"], nil, nil))
		clerk.do(chromedp.Navigate(c+"/minutes/"+m.ID), chromedp.WaitVisible(chromedp.CSS("article.minutes")))
		assert.Contains(t, clerk.text("article.minutes"), "草稿", "a worker reads the draft, marked as one")
		assert.Contains(t, clerk.text("article.minutes"), "在3号楼加装楼道扶手")
		clerk.do(chromedp.Navigate(c+"/meetings/"+m.ID), chromedp.WaitVisible(chromedp.CSS("#approve")),
			chromedp.SetValue(chromedp.CSS("#approved-in"), later.ID), chromedp.Click(chromedp.CSS("#approve button")), chromedp.WaitVisible(chromedp.CSS("#publish")))
		assert.Contains(t, clerk.text("#minutes-status"), "已批准")
		clerk.do(chromedp.Click(chromedp.CSS("#publish button")), chromedp.WaitNotPresent(chromedp.CSS("#publish")))
		assert.Contains(t, clerk.text("#minutes-status"), "已公布")
		clerk.shoot("meeting-minutes")
		seen.linksAnswer(t, ctx, base)
		// Residents read them now, in Chinese, in Wuxi's time.
		pr, err := http.Get(c + "/minutes/" + m.ID)
		require.NoError(t, err)
		body, err := io.ReadAll(pr.Body)
		pr.Body.Close()
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, pr.StatusCode)
		assert.Contains(t, string(body), "已公布")
		assert.Contains(t, string(body), mv.State.Started.In(shanghaiZone(t)).Format("15:04")+" 开会")

		// The stream resumes after a given event, with the event's sequence as its ID.
		req, err := http.NewRequest("GET", c+"/meetings/"+m.ID+"/stream?after=1", nil)
		require.NoError(t, err)
		sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer scancel()
		res, err := http.DefaultClient.Do(req.WithContext(sctx))
		require.NoError(t, err)
		defer res.Body.Close()
		assert.Equal(t, "text/event-stream", res.Header.Get("Content-Type"))
		lines := bufio.NewScanner(res.Body)
		var id string
		for lines.Scan() {
			if v, ok := strings.CutPrefix(lines.Text(), "id: "); ok {
				id = v
				break
			}
		}
		assert.Equal(t, strconv.Itoa(mv.State.Seq), id, "the meeting as it stands, after event 1")
	})
}
