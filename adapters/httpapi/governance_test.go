package httpapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/httpapi"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/access"
)

// resident adds a resident to the harness community with a token of their
// own, named name.
func (h *harness) resident(name string) grids.Resident {
	h.t.Helper()
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("harness"))
	r, err := h.reg.CreateResident(ctx, h.community.ID, grids.ResidentInput{HouseholdID: h.household.ID, Name: name, Sex: grids.Male, BirthYear: 1965})
	require.NoError(h.t, err)
	iss, err := h.access.Issue(ctx, access.TokenFor(grids.Principal{ID: "p-" + name, CommunityID: h.community.ID, Name: name,
		Roles: []grids.Role{grids.RoleResident}, ResidentID: r.ID}))
	require.NoError(h.t, err)
	h.tokens[name] = iss.Token
	return r
}

// TestGovernanceOverHTTP walks the case's structure end to end: setup,
// appointments by decision, a group, members, activities, issues, tasks,
// nominations and the evaluation.
func TestGovernanceOverHTTP(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			h := harnessOn(t, st.open)
			chairR, leaderR := h.resident("chair"), h.resident("leader")
			ctx := grids.WithPrincipal(context.Background(), grids.Admin("harness"))
			district, err := h.reg.CreateDistrict(ctx, h.community.ID, grids.DistrictInput{Name: "第一片区"})
			require.NoError(t, err)

			// Setup, twice: the same ten bodies.
			var bodies, again []governance.Body
			h.ok(call{method: "POST", path: h.path("/governance/setup"), as: worker}, &bodies)
			require.Len(t, bodies, 10)
			h.ok(call{method: "POST", path: h.path("/governance/setup"), as: worker}, &again)
			assert.Equal(t, bodies, again)
			council, silver := bodies[0], bodies[2]
			assert.Equal(t, 403, h.do(call{method: "POST", path: h.path("/governance/setup"), as: resident}).status)

			// The council chair, appointed by a recorded decision.
			var d governance.Decision
			r := h.ok(call{method: "POST", path: h.path("/decisions"), as: worker, json: governance.DecisionInput{Title: "第一届理事会任命"}}, &d)
			assert.Equal(t, http.StatusCreated, r.status)
			assert.Equal(t, h.path("/decisions/"+d.ID), r.header.Get("Location"))
			var chairPos governance.Position
			h.ok(call{method: "POST", path: h.path("/positions"), as: worker, json: governance.AppointInput{BodyID: council.ID, ResidentID: chairR.ID,
				Office: governance.Chair, DecisionID: d.ID, Constituency: governance.ResidentsSeat}}, &chairPos)
			assert.Equal(t, d.ID, chairPos.DecisionID)
			p := h.do(call{method: "POST", path: h.path("/positions"), as: resident, json: governance.AppointInput{BodyID: council.ID, ResidentID: h.me.ID,
				Office: governance.Member, DecisionID: d.ID}}).problem(t)
			assert.Equal(t, http.StatusForbidden, p.Status)
			assert.Equal(t, governance.ErrAppoint.Name(), p.Rule, "the refusal names the rule")

			// Terms: renewed by the council, as a new position from the old term's end.
			p = h.do(call{method: "POST", path: h.path("/positions/" + chairPos.ID + "/renew"), as: worker, json: governance.RenewInput{DecisionID: d.ID, TermEnd: h.clock.Now().AddDate(3, 0, 0)}}).problem(t)
			assert.Equal(t, governance.ErrNoTerm.Name(), p.Rule, "the chair has no term to renew")
			term := h.clock.Now().AddDate(1, 0, 0)
			var seat, renewed governance.Position
			councillor, err := h.reg.CreateResident(grids.WithPrincipal(context.Background(), grids.Admin("t")), h.community.ID,
				grids.ResidentInput{HouseholdID: h.household.ID, Name: "孙丽", Sex: grids.Female, BirthYear: 1962})
			require.NoError(t, err)
			h.ok(call{method: "POST", path: h.path("/positions"), as: worker, json: governance.AppointInput{BodyID: council.ID, ResidentID: councillor.ID,
				Office: governance.Member, DecisionID: d.ID, Constituency: governance.ResidentsSeat, TermEnd: &term}}, &seat)
			p = h.do(call{method: "POST", path: h.path("/positions/" + seat.ID + "/renew"), as: resident, json: governance.RenewInput{DecisionID: d.ID, TermEnd: term.AddDate(1, 0, 0)}}).problem(t)
			assert.Equal(t, governance.ErrAppoint.Name(), p.Rule, "a resident off the council")
			r = h.ok(call{method: "POST", path: h.path("/positions/" + seat.ID + "/renew"), as: worker, json: governance.RenewInput{DecisionID: d.ID, TermEnd: term.AddDate(1, 0, 0)}}, &renewed)
			assert.Equal(t, http.StatusCreated, r.status)
			assert.True(t, renewed.From.Equal(term), "from the old term's end")
			p = h.do(call{method: "POST", path: h.path("/positions/" + seat.ID + "/renew"), as: worker, json: governance.RenewInput{DecisionID: d.ID, TermEnd: term.AddDate(1, 0, 0)}}).problem(t)
			assert.Equal(t, governance.ErrPositionEnded.Name(), p.Rule, "renewed once")
			h.ok(call{method: "POST", path: h.path("/positions/" + renewed.ID + "/end"), as: worker, json: governance.EndInput{Reason: "本人辞去理事"}}, nil)

			// The chair forms a group; the leader is appointed; a resident joins.
			var group governance.Body
			h.ok(call{method: "POST", path: h.path("/bodies"), as: "chair", json: governance.BodyInput{Kind: governance.Group, ParentID: silver.ID,
				Name: "楼道文化小组", DistrictID: district.ID, Schedule: "每周六上午"}}, &group)
			h.ok(call{method: "POST", path: h.path("/positions"), as: "chair", json: governance.AppointInput{BodyID: group.ID, ResidentID: leaderR.ID,
				Office: governance.Leader, DecisionID: d.ID}}, nil)
			var joined governance.Position
			r = h.ok(call{method: "POST", path: h.path("/bodies/" + group.ID + "/join"), as: resident}, &joined)
			assert.Equal(t, h.path("/positions/"+joined.ID), r.header.Get("Location"))
			assert.Equal(t, 409, h.do(call{method: "POST", path: h.path("/bodies/" + group.ID + "/join"), as: resident}).status, "already a member")
			var members httpapi.List[governance.Position]
			h.ok(call{method: "GET", path: h.path("/positions?total=true&active=true&body=" + group.ID), as: resident}, &members)
			assert.Equal(t, 2, *members.Total)

			// An activity, recorded by the leader, not by a member.
			start := h.clock.Now().Add(-3 * time.Hour)
			in := governance.ActivityInput{BodyID: group.ID, Title: "楼道清扫", Service: "cleaning", Place: "1号楼", Start: start, End: start.Add(2 * time.Hour),
				OrganiserID: leaderR.ID, Participants: []governance.Participant{{ResidentID: h.me.ID, Minutes: 120}, {ResidentID: leaderR.ID, Minutes: 100}}}
			p = h.do(call{method: "POST", path: h.path("/activities"), as: resident, json: in}).problem(t)
			assert.Equal(t, 403, p.Status)
			assert.Equal(t, governance.ErrLead.Name(), p.Rule)
			bad := in
			bad.Participants = []governance.Participant{{ResidentID: h.me.ID, Minutes: 121}}
			p = h.do(call{method: "POST", path: h.path("/activities"), as: "leader", json: bad}).problem(t)
			assert.Equal(t, 400, p.Status)
			assert.Equal(t, "participants[0].minutes", p.Errors[0].Field)
			var act governance.Activity
			h.ok(call{method: "POST", path: h.path("/activities"), as: "leader", json: in}, &act)
			assert.Equal(t, 220, act.Minutes())
			h.ok(call{method: "PATCH", path: h.path("/activities/" + act.ID), as: "leader", json: governance.ActivityUpdate{Place: ptr("2号楼")}}, &act)
			assert.Equal(t, "2号楼", act.Place)
			var acts httpapi.List[governance.Activity]
			h.ok(call{method: "GET", path: h.path("/activities?total=true&participant=" + h.me.ID + "&from=" + url.QueryEscape(start.Format(time.RFC3339))), as: merchant}, &acts)
			require.Equal(t, 1, *acts.Total)
			assert.Equal(t, act.Participants, acts.Items[0].Participants)

			// An issue: raised by a resident, moved by the council, refused out of order.
			var is governance.Issue
			h.ok(call{method: "POST", path: h.path("/issues"), as: resident, json: governance.IssueInput{Title: "晚上停车难"}}, &is)
			assert.Equal(t, 403, h.do(call{method: "POST", path: h.path("/issues/" + is.ID + "/steps"), as: resident,
				json: governance.StepInput{Status: governance.Deliberated, Link: &governance.Link{Kind: "decision", ID: d.ID}}}).status)
			p = h.do(call{method: "POST", path: h.path("/issues/" + is.ID + "/steps"), as: "chair",
				json: governance.StepInput{Status: governance.CarriedOut, Link: &governance.Link{Kind: "decision", ID: d.ID}}}).problem(t)
			assert.Equal(t, 409, p.Status)
			assert.Equal(t, "failed_precondition", string(p.Code))
			h.ok(call{method: "POST", path: h.path("/issues/" + is.ID + "/steps"), as: "chair",
				json: governance.StepInput{Status: governance.Deliberated, Link: &governance.Link{Kind: "decision", ID: d.ID}}}, &is)
			assert.Equal(t, governance.Deliberated, is.Status)
			assert.Len(t, is.Steps, 2)

			// A task down to the group, reported on and escalated by its member.
			var task governance.Task
			h.ok(call{method: "POST", path: h.path("/tasks"), as: "chair", json: governance.TaskInput{ToBodyID: group.ID, Title: "整理楼道杂物"}}, &task)
			h.ok(call{method: "POST", path: h.path("/tasks/" + task.ID + "/reports"), as: resident, json: governance.ReportInput{Note: "已清理一半"}}, &task)
			assert.Equal(t, governance.InProgress, task.Status)
			var up governance.Issue
			r = h.ok(call{method: "POST", path: h.path("/tasks/" + task.ID + "/escalate"), as: resident, json: governance.EscalateInput{Title: "有住户不配合"}}, &up)
			assert.Equal(t, http.StatusCreated, r.status)
			assert.Equal(t, grids.Ref{Kind: "group", ID: group.ID}, up.RaisedBy)
			var tasks httpapi.List[governance.Task]
			h.ok(call{method: "GET", path: h.path("/tasks?total=true&to=" + group.ID + "&status=in_progress"), as: resident}, &tasks)
			assert.Equal(t, 1, *tasks.Total)

			// A nomination: put forward, reviewed, appointed.
			var n governance.Nomination
			h.ok(call{method: "POST", path: h.path("/nominations"), as: resident, json: governance.NominationInput{BodyID: silver.ID, Office: governance.Chair, Statement: "我愿意"}}, &n)
			assert.True(t, n.Self)
			assert.Equal(t, 409, h.do(call{method: "POST", path: h.path("/nominations/" + n.ID + "/appoint"), as: "chair",
				json: governance.NominationAppointInput{DecisionID: d.ID}}).status, "not reviewed yet")
			h.ok(call{method: "POST", path: h.path("/nominations/" + n.ID + "/review"), as: "chair", json: governance.ReviewInput{Approve: true, Note: "热心"}}, &n)
			h.ok(call{method: "POST", path: h.path("/nominations/" + n.ID + "/appoint"), as: "chair", json: governance.NominationAppointInput{DecisionID: d.ID}}, &n)
			assert.Equal(t, governance.Appointed, n.Status)
			var pos governance.Position
			h.ok(call{method: "GET", path: h.path("/positions/" + n.PositionID), as: resident}, &pos)
			assert.Equal(t, silver.ID, pos.BodyID)

			// Organisations.
			var org governance.Organisation
			h.ok(call{method: "POST", path: h.path("/organisations"), as: worker, json: governance.OrganisationInput{Name: "金邻居社工事务所", Kind: "professional",
				Origin: "external", CommitteeIDs: []string{silver.ID}}}, &org)
			h.ok(call{method: "POST", path: h.path("/bodies/" + bodies[1].ID + "/members"), as: worker, json: governance.MemberInput{HolderKind: "organisation", HolderID: org.ID}}, nil)
			h.ok(call{method: "PATCH", path: h.path("/organisations/" + org.ID), as: worker, json: governance.OrganisationUpdate{Contact: ptr("0571-0000000")}}, &org)
			var orgs httpapi.List[governance.Organisation]
			h.ok(call{method: "GET", path: h.path("/organisations?total=true&committee=" + silver.ID), as: resident}, &orgs)
			assert.Equal(t, 1, *orgs.Total)
			h.ok(call{method: "POST", path: h.path("/organisations/" + org.ID + "/archive"), as: worker, json: grids.ArchiveInput{Reason: "合同到期"}}, &org)
			assert.True(t, org.Archived())

			// Leaving, and the position's history.
			var left governance.Position
			h.ok(call{method: "POST", path: h.path("/bodies/" + group.ID + "/leave"), as: resident}, &left)
			assert.NotNil(t, left.To)
			var history httpapi.List[governance.Position]
			h.ok(call{method: "GET", path: h.path("/positions?total=true&holder=" + h.me.ID), as: resident}, &history)
			assert.Equal(t, 2, *history.Total, "the membership ended and the chair began; nothing overwritten")

			// The evaluation of the period.
			var ev governance.Evaluation
			from, to := url.QueryEscape(start.Add(-time.Hour).Format(time.RFC3339)), url.QueryEscape(h.clock.Now().Add(time.Minute).Format(time.RFC3339))
			h.ok(call{method: "GET", path: h.path("/evaluation?from=" + from + "&to=" + to), as: resident}, &ev)
			assert.Equal(t, 1, ev.Figures.Activities)
			assert.Equal(t, 2, ev.Figures.NewVolunteers)
			assert.Equal(t, "3.67", ev.Figures.ServiceHours.String())
			assert.Equal(t, 1, ev.GroupsFormed)
			p = h.do(call{method: "GET", path: h.path("/evaluation?from=" + from), as: resident, badRequest: true}).problem(t)
			assert.Equal(t, "to", p.Errors[0].Field)

			// Other communities see nothing.
			assert.Equal(t, 403, h.do(call{method: "GET", path: h.path("/bodies"), as: outsider}).status)
			assert.Equal(t, 404, h.do(call{method: "GET", path: h.path("/bodies/" + d.ID), as: resident}).status)
		})
	}
}

// A community created through the API comes with its council, think tank
// and committees.
func TestNewCommunityIsSetUp(t *testing.T) {
	h := newHarness(t, stores[0].open(t))
	var c grids.Community
	h.ok(call{method: "POST", path: "/v1/communities", as: admin, json: grids.CommunityInput{Name: "新社区"}}, &c)
	var committees httpapi.List[governance.Body]
	h.ok(call{method: "GET", path: "/v1/communities/" + c.ID + "/bodies?total=true&kind=committee", as: admin}, &committees)
	assert.Equal(t, 8, *committees.Total)
}

// Bad input to governance routes gets a problem naming the field, never a
// 500, and stores nothing.
func TestGovernanceBadInput(t *testing.T) {
	h := newHarness(t, stores[0].open(t))
	var bodies []governance.Body
	h.ok(call{method: "POST", path: h.path("/governance/setup"), as: worker}, &bodies)
	for _, tt := range []struct {
		name, method, path string
		body               string
		field              string
	}{
		{"unknown field", "POST", "/bodies", `{"kind":"group","name":"x","colour":"red"}`, "colour"},
		{"wrong type", "POST", "/activities", `{"body_id":"x","title":"t","service":"s","start":"2026-03-10T09:00:00Z","end":"2026-03-10T10:00:00Z","participants":[{"resident_id":"x","minutes":"ten"}]}`, "participants.minutes"},
		{"bad time", "POST", "/decisions", `{"title":"t","decided_at":"yesterday"}`, "decided_at"},
		{"bad end time", "POST", "/activities", `{"body_id":"x","title":"t","service":"s","start":"2026-03-10T09:00:00Z","end":"10am"}`, "end"},
		{"bad office", "POST", "/positions", `{"body_id":"` + bodies[0].ID + `","resident_id":"` + h.me.ID + `","office":"king","decision_id":"` + bodies[0].ID + `"}`, "office"},
		{"bad status", "POST", "/issues/" + bodies[0].ID + "/steps", `{"status":"lost"}`, "status"},
		{"bad kind", "GET", "/bodies?kind=club", ``, "kind"},
		{"bad time parameter", "GET", "/positions?active_at=now", ``, "active_at"},
		{"both", "GET", "/positions?active=true&active_at=2026-03-10T09:00:00Z", ``, "active"},
	} {
		c := call{method: tt.method, path: h.path(tt.path), as: worker, badRequest: true}
		if tt.body != "" {
			c.raw, c.contentType = []byte(tt.body), "application/json"
		}
		p := h.do(c).problem(t)
		assert.Equal(t, 400, p.Status, tt.name)
		if assert.NotEmpty(t, p.Errors, tt.name) {
			assert.Equal(t, tt.field, p.Errors[0].Field, tt.name)
		}
	}
	var all httpapi.List[governance.Body]
	h.ok(call{method: "GET", path: h.path("/bodies?total=true&state=all"), as: worker}, &all)
	assert.Equal(t, 10, *all.Total, "nothing stored")
}

func TestGovernanceNotServed(t *testing.T) {
	b := stores[0].open(t)
	acc := access.NewService(b.access, grids.Lookup{Store: b.grids}, access.Options{})
	srv := httpapi.NewServer(httpapi.Config{Registry: grids.NewRegistry(b.grids, grids.Options{}), Access: acc})
	iss, err := acc.Issue(grids.WithPrincipal(context.Background(), grids.Admin("root")), access.TokenFor(grids.Admin("root")))
	require.NoError(t, err)
	tok := iss.Token
	req, _ := http.NewRequest("GET", "/v1/communities/01ARZ3NDEKTSV4RRFFQ69G5FAV/bodies", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	assert.Equal(t, 404, rec.Code)
	assert.Contains(t, rec.Body.String(), "governance is not served here")
}
