package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/httpapi"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/procedure"
	"github.com/linli-go/linli/grids"
)

// TestMeetingOverHTTP runs the council's monthly meeting through the API,
// move by move, on every store.
func TestMeetingOverHTTP(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			h := harnessOn(t, st.open)
			var bodies []governance.Body
			h.ok(call{method: "POST", path: h.path("/governance/setup"), as: worker}, &bodies)
			council := bodies[0]
			var d governance.Decision
			h.ok(call{method: "POST", path: h.path("/decisions"), as: worker, json: governance.DecisionInput{Title: "理事会组成"}}, &d)
			names := []string{"zhang", "wang", "li", "zhao", "qian"}
			members := map[string]grids.Resident{}
			for i, n := range names {
				members[n] = h.resident(n)
				office := governance.Member
				if i == 0 {
					office = governance.Chair
				}
				h.ok(call{method: "POST", path: h.path("/positions"), as: worker, json: governance.AppointInput{BodyID: council.ID, ResidentID: members[n].ID, Office: office, DecisionID: d.ID}}, nil)
			}

			// The calendar: the 10th, off the community's holidays.
			var hs []governance.Holiday
			h.ok(call{method: "PUT", path: h.path("/holidays"), as: worker, json: map[string]any{"year": 2026, "holidays": []governance.Holiday{{Date: "2026-04-10", Name: "假日"},
				{Date: "2026-04-11", Name: "调休上班", Workday: true}}}}, &hs)
			require.Len(t, hs, 2)
			assert.True(t, hs[1].Workday, "a make-up working day")
			r := h.do(call{method: "PUT", path: h.path("/holidays"), as: worker, json: map[string]any{"year": 2026, "holidays": []governance.Holiday{{Date: "2026-04-09", Name: "调休上班", Workday: true}}}})
			assert.Equal(t, "holidays[0].workday", r.problem(t).Errors[0].Field, "on a Thursday")
			var made []governance.Meeting
			h.ok(call{method: "POST", path: h.path("/bodies/" + council.ID + "/schedule"), as: worker, json: map[string]any{"through": "2026-05-01T00:00:00Z"}}, &made)
			require.Len(t, made, 2)
			assert.Equal(t, "2026-04-11", made[1].ScheduledAt.In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly), "Friday the 10th is a holiday; the next working day is Saturday, a make-up working day")
			m := made[0]
			// Proxies only by the bylaws, which do not allow them here.
			pr := h.do(call{method: "POST", path: h.path("/meetings/" + m.ID + "/proxies"), as: worker,
				json: governance.ProxyInput{MemberID: members["wang"].ID, HolderID: members["zhang"].ID, FormRef: "委托书-1"}}).problem(t)
			assert.Equal(t, governance.ErrProxy.Name(), pr.Rule)

			var rules httpapi.List[procedure.Rule]
			h.ok(call{method: "GET", path: h.path("/procedure/rules?limit=1000"), as: resident}, &rules)
			assert.Len(t, rules.Items, len(procedure.Rules))

			h.ok(call{method: "POST", path: h.path("/meetings/" + m.ID + "/items"), as: "wang", json: governance.ItemInput{Title: "错时停车"}}, &m)
			h.ok(call{method: "PATCH", path: h.path("/meetings/" + m.ID), as: "zhang", json: governance.MeetingUpdate{Agenda: &[]governance.AgendaItem{{ID: "k1", Accepted: true}}}}, &m)
			h.ok(call{method: "POST", path: h.path("/meetings/" + m.ID + "/notice"), as: worker, json: map[string]string{"notice": "今晚19:00例会"}}, &m)
			var v governance.MeetingView
			h.ok(call{method: "POST", path: h.path("/meetings/" + m.ID + "/open"), as: "zhang"}, &v)
			assert.Equal(t, members["zhang"].ID, v.State.Chair)
			assert.Len(t, v.State.Roster, 5)

			move := func(as string, mv map[string]any) governance.MeetingView {
				t.Helper()
				var out governance.MeetingView
				h.ok(call{method: "POST", path: h.path("/meetings/" + m.ID + "/moves"), as: as, json: mv}, &out)
				return out
			}
			for _, n := range names[:4] {
				move(n, map[string]any{"type": "arrive", "member": members[n].ID, "mode": "in_person"})
			}
			move("zhang", map[string]any{"type": "take_up", "item": "k1"})
			v = move("wang", map[string]any{"type": "move", "kind": "main", "text": "实行错时停车"})
			motion := v.State.Stack[0]
			p := h.do(call{method: "POST", path: h.path("/meetings/" + m.ID + "/moves"), as: "li", json: map[string]any{"type": "move", "kind": "main", "text": "另一个"}}).problem(t)
			assert.Equal(t, http.StatusConflict, p.Status)
			assert.Contains(t, p.Detail, "a main motion is in order only when no question is pending")
			p = h.do(call{method: "POST", path: h.path("/meetings/" + m.ID + "/moves"), as: resident, json: map[string]any{"type": "move", "kind": "main", "text": "x"}}).problem(t)
			assert.Equal(t, http.StatusForbidden, p.Status, "not a member of the council")
			p = h.do(call{method: "POST", path: h.path("/meetings/" + m.ID + "/moves"), as: "li", badRequest: true, json: map[string]any{"type": "move", "by": "zhang"}}).problem(t)
			assert.Equal(t, "by", p.Errors[0].Field, "the server says who moves")
			move("zhang", map[string]any{"type": "call_vote", "method": "roll_call"})
			for _, n := range names[:4] {
				move(n, map[string]any{"type": "cast", "member": members[n].ID, "choice": "yes"})
			}
			v = move("zhang", map[string]any{"type": "close_vote"})
			decision := v.Meeting.Decisions[motion]
			require.NotEmpty(t, decision)
			var decisions httpapi.List[governance.Decision]
			h.ok(call{method: "GET", path: h.path("/decisions?total=true&meeting=" + m.ID), as: resident}, &decisions)
			require.Equal(t, 1, *decisions.Total)
			assert.Equal(t, "实行错时停车", decisions.Items[0].Title)
			move("li", map[string]any{"type": "move", "kind": "adjourn"})
			move("zhang", map[string]any{"type": "call_vote", "method": "voice"})
			v = move("zhang", map[string]any{"type": "close_vote", "outcome": "adopted"})
			assert.Equal(t, governance.MeetingAdjourned, v.Meeting.Status)

			var log httpapi.List[procedure.Event]
			h.ok(call{method: "GET", path: h.path("/meetings/" + m.ID + "/events?limit=1000"), as: resident}, &log)
			events := log.Items
			assert.Len(t, events, v.State.Seq)
			replayed, err := procedure.Replay(events)
			require.NoError(t, err)
			assert.Equal(t, v.State.Motions, replayed.Motions, "the log served replays into the state served")
			var mins governance.MinutesView
			r = h.do(call{method: "GET", path: h.path("/meetings/" + m.ID + "/minutes"), as: resident})
			assert.Equal(t, http.StatusForbidden, r.status, "drafts are not the residents' yet")
			assert.Equal(t, "governance.minutes_draft", r.problem(t).Rule)
			h.ok(call{method: "GET", path: h.path("/meetings/" + m.ID + "/minutes"), as: worker}, &mins)
			assert.Equal(t, governance.MinutesDraft, mins.Record.Status)
			r = h.ok(call{method: "GET", path: h.path("/meetings/" + m.ID + "/minutes?format=markdown"), as: worker}, nil)
			assert.Equal(t, "text/markdown; charset=utf-8", r.header.Get("Content-Type"))
			assert.True(t, strings.Contains(string(r.body), "实行错时停车") && strings.Contains(string(r.body), "4 of 5 members attended"), "%s", r.body)

			// April approves March's minutes; they are published.
			april := made[1]
			h.ok(call{method: "POST", path: h.path("/meetings/" + april.ID + "/open"), as: worker}, nil)
			h.ok(call{method: "POST", path: h.path("/meetings/" + m.ID + "/minutes/approve"), as: "zhang", json: map[string]string{"approved_in": april.ID}}, &m)
			h.ok(call{method: "POST", path: h.path("/meetings/" + m.ID + "/minutes/corrections"), as: worker, json: map[string]string{"text": "补记：钱委员请假"}}, &m)
			h.ok(call{method: "POST", path: h.path("/meetings/" + m.ID + "/minutes/publish"), as: worker}, &m)
			assert.Equal(t, governance.MinutesPublished, m.Minutes.Status)
			h.ok(call{method: "GET", path: h.path("/meetings/" + m.ID + "/minutes"), as: resident}, &mins) // published: everyone's
			assert.Equal(t, governance.MinutesPublished, mins.Record.Status)
			assert.Equal(t, 409, h.do(call{method: "POST", path: h.path("/meetings/" + m.ID + "/minutes/publish"), as: worker}).status)
			var found httpapi.List[governance.Meeting]
			h.ok(call{method: "GET", path: h.path("/meetings?total=true&status=in_session&body=" + council.ID), as: resident}, &found)
			assert.Equal(t, 1, *found.Total)
		})
	}
}

// TestHearingOverHTTP: registration, opinions online and answered, traced
// to the decision.
func TestHearingOverHTTP(t *testing.T) {
	h := newHarness(t, stores[0].open(t))
	var bodies []governance.Body
	h.ok(call{method: "POST", path: h.path("/governance/setup"), as: worker}, &bodies)
	silver := bodies[2]
	var d governance.Decision
	h.ok(call{method: "POST", path: h.path("/decisions"), as: worker, json: governance.DecisionInput{Title: "任命"}}, &d)
	chair := h.resident("chair")
	h.ok(call{method: "POST", path: h.path("/positions"), as: worker, json: governance.AppointInput{BodyID: silver.ID, ResidentID: chair.ID, Office: governance.Chair, DecisionID: d.ID}}, nil)
	var m governance.Meeting
	r := h.ok(call{method: "POST", path: h.path("/meetings"), as: "chair", json: governance.MeetingInput{BodyID: silver.ID, Kind: governance.Hearing,
		Title: "助餐点选址听证会", ScheduledAt: h.clock.Now().Add(24 * time.Hour)}}, &m)
	assert.Equal(t, http.StatusCreated, r.status)
	h.ok(call{method: "POST", path: h.path("/meetings/" + m.ID + "/register"), as: resident, json: map[string]bool{"speaker": true}}, &m)
	assert.Len(t, m.Registrations, 1)
	var o governance.Opinion
	h.ok(call{method: "POST", path: h.path("/meetings/" + m.ID + "/opinions"), as: resident, json: governance.OpinionInput{Text: "建议设在3号楼"}}, &o)
	assert.True(t, o.Online)
	assert.Equal(t, 403, h.do(call{method: "POST", path: h.path("/opinions/" + o.ID + "/answer"), as: resident, json: governance.AnswerInput{Answer: "x"}}).status)
	var dd governance.Decision
	h.ok(call{method: "POST", path: h.path("/decisions"), as: "chair", json: governance.DecisionInput{BodyID: silver.ID, Title: "设在3号楼", MeetingID: m.ID}}, &dd)
	h.ok(call{method: "POST", path: h.path("/opinions/" + o.ID + "/answer"), as: "chair", json: governance.AnswerInput{Answer: "采纳", Link: &governance.Link{Kind: "decision", ID: dd.ID}}}, &o)
	assert.Equal(t, dd.ID, o.Link.ID)
	var list httpapi.List[governance.Opinion]
	h.ok(call{method: "GET", path: h.path("/meetings/" + m.ID + "/opinions?total=true&unanswered=true"), as: resident}, &list)
	assert.Equal(t, 0, *list.Total)
	p := h.do(call{method: "GET", path: h.path("/meetings/" + m.ID + "/minutes"), as: resident}).problem(t)
	assert.Equal(t, 409, p.Status, "not held: no minutes")
}

// TestDeliberationOverHTTP: the joint council meeting's invitees, a
// consultation's recommendations and an open-space meeting's topics,
// through the API on every store, with the rules' names in the problems.
func TestDeliberationOverHTTP(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			h := harnessOn(t, st.open)
			var bodies []governance.Body
			h.ok(call{method: "POST", path: h.path("/governance/setup"), as: worker}, &bodies)
			council, silver := bodies[0], bodies[2]
			var d governance.Decision
			h.ok(call{method: "POST", path: h.path("/decisions"), as: worker, json: governance.DecisionInput{Title: "任命"}}, &d)
			people := map[string]grids.Resident{}
			for _, n := range []string{"zhang", "wang", "sun", "li", "zhou"} {
				people[n] = h.resident(n)
			}
			for _, a := range []governance.AppointInput{{BodyID: council.ID, ResidentID: people["zhang"].ID, Office: governance.Chair},
				{BodyID: council.ID, ResidentID: people["wang"].ID, Office: governance.Member}, {BodyID: silver.ID, ResidentID: people["sun"].ID, Office: governance.Chair}} {
				a.DecisionID = d.ID
				h.ok(call{method: "POST", path: h.path("/positions"), as: worker, json: a}, nil)
			}
			schedule := func(body string, kind governance.MeetingKind) governance.Meeting {
				var m governance.Meeting
				h.ok(call{method: "POST", path: h.path("/meetings"), as: worker, json: governance.MeetingInput{BodyID: body, Kind: kind, Title: string(kind), ScheduledAt: time.Now().Add(time.Hour)}}, &m)
				return m
			}
			moves := func(m governance.Meeting) string { return h.path("/meetings/" + m.ID + "/moves") }

			// The joint council meeting invites a committee chair and a representative.
			joint := schedule(council.ID, governance.RegularMeeting)
			h.ok(call{method: "POST", path: h.path("/meetings/" + joint.ID + "/invitees"), as: worker, json: governance.InviteInput{ResidentID: people["sun"].ID, As: governance.InvitedChair}}, &joint)
			p := h.do(call{method: "POST", path: h.path("/meetings/" + joint.ID + "/invitees"), as: worker, json: governance.InviteInput{ResidentID: people["li"].ID, As: governance.InvitedChair}}).problem(t)
			assert.Equal(t, governance.ErrInvite.Name(), p.Rule, "li chairs no committee")
			h.ok(call{method: "POST", path: h.path("/meetings/" + joint.ID + "/invitees"), as: worker, json: governance.InviteInput{ResidentID: people["li"].ID, As: governance.InvitedRepresentative}}, &joint)
			require.Len(t, joint.Invitees, 2)
			var v governance.MeetingView
			h.ok(call{method: "POST", path: h.path("/meetings/" + joint.ID + "/open"), as: "zhang"}, &v)
			assert.ElementsMatch(t, []string{people["sun"].ID, people["li"].ID}, v.State.Invited)
			h.ok(call{method: "POST", path: moves(joint), as: "li", json: map[string]any{"type": "arrive", "member": people["li"].ID, "mode": "in_person"}}, nil)
			h.ok(call{method: "POST", path: moves(joint), as: "li", json: map[string]any{"type": "request_floor"}}, &v)
			assert.Equal(t, []string{people["li"].ID}, v.State.Queue, "an invitee asks to speak")

			// A consultation: no vote; it recommends to a committee, then closes.
			cons := schedule(silver.ID, governance.Consultation)
			var o governance.Opinion
			h.ok(call{method: "POST", path: h.path("/meetings/" + cons.ID + "/opinions"), as: "zhou", json: governance.OpinionInput{Text: "希望上门探访"}}, &o)
			h.ok(call{method: "POST", path: h.path("/meetings/" + cons.ID + "/open"), as: "sun"}, &v)
			assert.True(t, v.State.Settings.NoVotes)
			p = h.do(call{method: "POST", path: moves(cons), as: "sun", json: map[string]any{"type": "close"}}).problem(t)
			assert.Equal(t, governance.ErrRecommend.Name(), p.Rule)
			h.ok(call{method: "POST", path: h.path("/meetings/" + cons.ID + "/recommendations"), as: "sun",
				json: governance.RecommendationInput{BodyID: silver.ID, Text: "组建探访志愿队", Opinions: []string{o.ID}}}, &cons)
			require.Len(t, cons.Recommendations, 1)
			h.ok(call{method: "POST", path: moves(cons), as: "sun", json: map[string]any{"type": "close"}}, &v)
			assert.Equal(t, governance.MeetingAdjourned, v.Meeting.Status)

			// An open-space meeting: topics, a breakout group, its report.
			os := schedule(silver.ID, governance.OpenSpace)
			h.ok(call{method: "POST", path: h.path("/meetings/" + os.ID + "/open"), as: "sun"}, nil)
			for _, n := range []string{"li", "zhou"} {
				h.ok(call{method: "POST", path: moves(os), as: n, json: map[string]any{"type": "arrive", "member": people[n].ID, "mode": "in_person"}}, nil)
			}
			h.ok(call{method: "POST", path: h.path("/meetings/" + os.ID + "/topics"), as: "li", json: governance.TopicInput{Title: "楼道绿化"}}, &os)
			h.ok(call{method: "POST", path: h.path("/meetings/" + os.ID + "/topics/t1/members"), as: "zhou", json: governance.BreakoutInput{}}, &os)
			assert.Len(t, os.Topics[0].Members, 2)
			p = h.do(call{method: "POST", path: moves(os), as: "sun", json: map[string]any{"type": "close"}}).problem(t)
			assert.Equal(t, governance.ErrOpenSpace.Name(), p.Rule)
			p = h.do(call{method: "POST", path: h.path("/meetings/" + os.ID + "/topics/t1/report"), as: "li", badRequest: true,
				json: map[string]any{"report": "认领花箱", "owner_id": people["zhou"].ID}}).problem(t)
			assert.Equal(t, "next_steps", p.Errors[0].Field)
			h.ok(call{method: "POST", path: h.path("/meetings/" + os.ID + "/topics/t1/report"), as: "li",
				json: governance.TopicReport{Report: "认领花箱", OwnerID: people["zhou"].ID, NextSteps: []string{"4月前认领"}}}, &os)
			h.ok(call{method: "POST", path: moves(os), as: "sun", json: map[string]any{"type": "close"}}, &v)
			assert.Equal(t, governance.MeetingAdjourned, v.Meeting.Status)
			var mv governance.MinutesView
			h.ok(call{method: "GET", path: h.path("/meetings/" + os.ID + "/minutes"), as: worker}, &mv)
			require.Len(t, mv.Topics, 1)
			assert.Equal(t, people["zhou"].ID, mv.Topics[0].OwnerID)
		})
	}
}

// TestBriefingsOverHTTP: the think tank's briefings through the API on
// every store: coverage before and after, a refusal by field, and a
// nomination citing the briefing.
func TestBriefingsOverHTTP(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			h := harnessOn(t, st.open)
			var bodies []governance.Body
			h.ok(call{method: "POST", path: h.path("/governance/setup"), as: worker}, &bodies)
			li := h.resident("li")
			var cov governance.Coverage
			h.ok(call{method: "GET", path: h.path("/briefings/coverage"), as: worker}, &cov)
			require.Positive(t, cov.Stairwells)
			assert.Len(t, cov.NotBriefed, cov.Stairwells, "none briefed yet")
			in := governance.BriefingInput{HeldAt: h.clock.Now().Add(-time.Hour), Place: "楼道口", Stairwells: cov.NotBriefed,
				Attendees: []string{li.ID}, Candidates: []governance.Candidate{{ResidentID: li.ID, Note: "热心"}}}
			bad := in
			bad.HeldAt = h.clock.Now().Add(time.Hour)
			p := h.do(call{method: "POST", path: h.path("/briefings"), as: worker, json: bad}).problem(t)
			assert.Equal(t, "held_at", p.Errors[0].Field)
			p = h.do(call{method: "POST", path: h.path("/briefings"), as: "li", json: in}).problem(t)
			assert.Equal(t, governance.ErrBrief.Name(), p.Rule)
			var b governance.Briefing
			h.ok(call{method: "POST", path: h.path("/briefings"), as: worker, json: in}, &b)
			h.ok(call{method: "GET", path: h.path("/briefings/coverage"), as: resident}, &cov)
			assert.Empty(t, cov.NotBriefed)
			assert.Equal(t, cov.Stairwells, cov.Briefed)
			var found httpapi.List[governance.Briefing]
			h.ok(call{method: "GET", path: h.path("/briefings?total=true"), as: resident}, &found)
			require.Len(t, found.Items, 1)
			assert.Equal(t, b.ID, found.Items[0].ID)
			var n governance.Nomination
			h.ok(call{method: "POST", path: h.path("/nominations"), as: worker,
				json: governance.NominationInput{ResidentID: li.ID, BodyID: bodies[2].ID, Office: governance.Member, BriefingID: b.ID}}, &n)
			assert.Equal(t, b.ID, n.BriefingID)
		})
	}
}

// TestGroupMatchingOverHTTP: a worker asks for a district's proposals,
// confirms them as invitations, and the resident accepts and joins.
func TestGroupMatchingOverHTTP(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			h := harnessOn(t, st.open)
			var bodies []governance.Body
			h.ok(call{method: "POST", path: h.path("/governance/setup"), as: worker}, &bodies)
			ctx := grids.WithPrincipal(context.Background(), grids.Admin("harness"))
			d, err := h.reg.CreateDistrict(ctx, h.community.ID, grids.DistrictInput{Name: "一片区"})
			require.NoError(t, err)
			g, err := h.reg.CreateGrid(ctx, h.community.ID, grids.GridInput{DistrictID: d.ID, Name: "一网格"})
			require.NoError(t, err)
			_, err = h.reg.UpdateBuilding(ctx, h.community.ID, h.household.BuildingID, grids.BuildingUpdate{GridID: &g.ID})
			require.NoError(t, err)
			li := h.resident("li")
			_, err = h.reg.UpdateResident(ctx, h.community.ID, li.ID, grids.ResidentUpdate{Interests: &[]string{"tai_chi"}})
			require.NoError(t, err)

			var group governance.Body
			h.ok(call{method: "POST", path: h.path("/bodies"), as: worker, json: governance.BodyInput{Kind: governance.Group, ParentID: bodies[2].ID,
				Name: "太极健身小组", GridID: g.ID, Tags: []string{"tai_chi"}, Seats: 12}}, &group)
			assert.Equal(t, []string{"tai_chi"}, group.Tags)
			assert.Equal(t, 12, group.Seats)

			p := h.do(call{method: "GET", path: h.path("/group-matches?district=" + d.ID), as: "li"}).problem(t)
			assert.Equal(t, governance.ErrMatch.Name(), p.Rule)
			p = h.do(call{method: "GET", path: h.path("/group-matches"), as: worker}).problem(t)
			assert.Equal(t, "district_id", p.Errors[0].Field)
			var m governance.Matching
			h.ok(call{method: "GET", path: h.path("/group-matches?within_metres=500&district=" + d.ID), as: worker}, &m)
			assert.Equal(t, 1, m.Tagged)
			assert.Equal(t, 1000, m.MatchedPerMille)
			require.Equal(t, []governance.Proposal{{ResidentID: li.ID, GroupID: group.ID, Tags: []string{"tai_chi"}}}, m.Proposals)

			var made struct{ Items []governance.Invitation }
			r := h.ok(call{method: "POST", path: h.path("/invitations"), as: worker, json: governance.ConfirmInput{Proposals: m.Proposals}}, &made)
			assert.Equal(t, 201, r.status)
			require.Len(t, made.Items, 1)
			p = h.do(call{method: "POST", path: h.path("/invitations"), as: worker, json: governance.ConfirmInput{Proposals: m.Proposals}}).problem(t)
			assert.Equal(t, governance.ErrInvited.Name(), p.Rule)
			assert.Equal(t, 409, p.Status)
			var mine httpapi.List[governance.Invitation]
			h.ok(call{method: "GET", path: h.path("/invitations?state=open"), as: "li"}, &mine)
			require.Len(t, mine.Items, 1)
			var none httpapi.List[governance.Invitation]
			h.ok(call{method: "GET", path: h.path("/invitations"), as: resident}, &none)
			assert.Empty(t, none.Items, "another resident sees none")

			var inv governance.Invitation
			h.ok(call{method: "POST", path: h.path("/invitations/" + made.Items[0].ID + "/reply"), as: "li", json: governance.ReplyInput{Accept: true}}, &inv)
			assert.Equal(t, governance.InvitationAccepted, inv.State)
			require.NotEmpty(t, inv.PositionID)
			var pos governance.Position
			h.ok(call{method: "GET", path: h.path("/positions/" + inv.PositionID), as: worker}, &pos)
			assert.Equal(t, group.ID, pos.BodyID)
			p = h.do(call{method: "POST", path: h.path("/invitations/" + inv.ID + "/reply"), as: "li", json: governance.ReplyInput{}}).problem(t)
			assert.Equal(t, governance.ErrInvitationState.Name(), p.Rule)
			h.ok(call{method: "GET", path: h.path("/invitations/" + inv.ID), as: worker}, &inv)
			assert.Equal(t, li.ID, inv.AnsweredBy)
		})
	}
}
