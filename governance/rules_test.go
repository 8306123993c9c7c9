package governance_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
)

func TestSetup(t *testing.T) {
	w := newWorld(t)
	again, err := w.svc.Setup(w.worker, w.c.ID)
	require.NoError(t, err)
	require.Len(t, again, 10, "council, think tank, eight committees")
	assert.Equal(t, w.council.ID, again[0].ID, "running it again changes nothing")
	assert.Equal(t, governance.Council, again[0].Kind)
	assert.Equal(t, 9, again[0].Seats)
	assert.Equal(t, governance.ThinkTank, again[1].Kind)
	var names []string
	for _, b := range again[2:] {
		assert.Equal(t, governance.Committee, b.Kind)
		assert.Equal(t, w.council.ID, b.ParentID, "committees report to the council")
		assert.NotEmpty(t, b.ChineseName)
		assert.NotEmpty(t, b.Remit)
		names = append(names, b.Key)
	}
	assert.Equal(t, []string{"silver", "sprout", "clean", "vitality", "wisdom", "safety", "convenience", "redstar"}, names)
	_, n, err := w.svc.FindBodies(w.plain, governance.BodyFilter{CommunityID: w.c.ID, Kind: governance.Committee})
	require.NoError(t, err)
	assert.Equal(t, 8, n, "no duplicates")

	_, err = w.svc.Setup(w.chair, w.c.ID)
	assertForbidden(t, err, governance.ErrAdminist)
	_, err = w.svc.Setup(w.admin, "01J0000000000000000000000Z")
	assert.ErrorIs(t, err, grids.NotFound)
	_, err = w.svc.Setup(w.anonymous, w.c.ID)
	assert.ErrorIs(t, err, grids.Unauthorized)
}

// TestAuthorizationRules tries every guarded action as someone the rule
// refuses and as someone it lets through.
func TestAuthorizationRules(t *testing.T) {
	type action func(w *world, as context.Context) error
	appoint := func(body func(*world) governance.Body, office governance.Office) action {
		return func(w *world, as context.Context) error {
			_, err := w.svc.Appoint(as, w.c.ID, governance.AppointInput{BodyID: body(w).ID, ResidentID: w.plainR.ID, Office: office, DecisionID: w.appoint.ID})
			return err
		}
	}
	council := func(w *world) governance.Body { return w.council }
	clean := func(w *world) governance.Body { return w.clean }
	task := func(w *world) governance.Task {
		return must(w.svc.AssignTask(w.chair, w.c.ID, governance.TaskInput{ToBodyID: w.group.ID, Title: "整理楼道"}))(w.t)
	}
	issue := func(w *world) governance.Issue {
		return must(w.svc.RaiseIssue(w.plain, w.c.ID, governance.IssueInput{Title: "停车难"}))(w.t)
	}
	activity := func(w *world) governance.ActivityInput {
		start := w.now().Add(-2 * time.Hour)
		return governance.ActivityInput{BodyID: w.group.ID, Title: "楼道清扫", Service: "cleaning", Start: start, End: start.Add(time.Hour),
			Participants: []governance.Participant{{ResidentID: w.memberR.ID, Minutes: 60}}}
	}
	memberPosition := func(w *world) string {
		now := w.now()
		ps := must2(w.svc.FindPositions(w.worker, governance.PositionFilter{CommunityID: w.c.ID, BodyID: w.group.ID, HolderID: w.memberR.ID, ActiveAt: &now}))(w.t)
		return ps[0].ID
	}
	silverChairPosition := func(w *world) string {
		ps := must2(w.svc.FindPositions(w.worker, governance.PositionFilter{CommunityID: w.c.ID, BodyID: w.silver.ID, Office: governance.Chair}))(w.t)
		return ps[0].ID
	}
	who := map[string]func(*world) context.Context{
		"worker":       func(w *world) context.Context { return w.worker },
		"council":      func(w *world) context.Context { return w.chair },
		"silver chair": func(w *world) context.Context { return w.silverChair },
		"leader":       func(w *world) context.Context { return w.leader },
		"member":       func(w *world) context.Context { return w.member },
		"resident":     func(w *world) context.Context { return w.plain },
	}
	tests := []struct {
		name    string
		rule    *grids.Rule
		refused []string
		allowed []string
		do      action
	}{
		{"appoint to the council", governance.ErrAppoint, []string{"silver chair", "leader", "resident"}, []string{"worker", "council"}, appoint(council, governance.Member)},
		{"appoint a committee chair", governance.ErrAppoint, []string{"silver chair", "member"}, []string{"council"}, appoint(clean, governance.Chair)},
		{"appoint a group leader", governance.ErrAppoint, []string{"leader", "silver chair"}, []string{"worker"}, func(w *world, as context.Context) error {
			g := must(w.svc.CreateBody(w.worker, w.c.ID, governance.BodyInput{Kind: governance.Group, ParentID: w.silver.ID, Name: "关爱停车小组", GridID: w.g.ID}))(w.t)
			_, err := w.svc.Appoint(as, w.c.ID, governance.AppointInput{BodyID: g.ID, ResidentID: w.plainR.ID, Office: governance.Leader, DecisionID: w.appoint.ID})
			return err
		}},
		{"add a committee", governance.ErrAssign, []string{"silver chair", "resident"}, []string{"worker", "council"}, func(w *world, as context.Context) error {
			_, err := w.svc.CreateBody(as, w.c.ID, governance.BodyInput{Kind: governance.Committee, Name: "文化委员会"})
			return err
		}},
		{"add a group under Silver", governance.ErrAssign, []string{"leader", "resident"}, []string{"silver chair", "council"}, func(w *world, as context.Context) error {
			_, err := w.svc.CreateBody(as, w.c.ID, governance.BodyInput{Kind: governance.Group, ParentID: w.silver.ID, Name: "银发互助小组", DistrictID: w.d.ID})
			return err
		}},
		{"add a group under Clean", governance.ErrAssign, []string{"silver chair"}, []string{"worker"}, func(w *world, as context.Context) error {
			_, err := w.svc.CreateBody(as, w.c.ID, governance.BodyInput{Kind: governance.Group, ParentID: w.clean.ID, Name: "清洁小组", DistrictID: w.d.ID})
			return err
		}},
		{"change a committee", governance.ErrAssign, []string{"leader", "resident"}, []string{"silver chair", "council"}, func(w *world, as context.Context) error {
			_, err := w.svc.UpdateBody(as, w.c.ID, w.silver.ID, governance.BodyUpdate{Remit: ptr("老人：探访与照护")})
			return err
		}},
		{"dissolve a group", governance.ErrAssign, []string{"silver chair", "leader"}, []string{"council"}, func(w *world, as context.Context) error {
			_, err := w.svc.ArchiveBody(as, w.c.ID, w.group.ID, grids.ArchiveInput{Reason: "合并"})
			return err
		}},
		{"assign work from the council", governance.ErrAssign, []string{"silver chair", "leader", "resident"}, []string{"council", "worker"}, func(w *world, as context.Context) error {
			_, err := w.svc.AssignTask(as, w.c.ID, governance.TaskInput{ToBodyID: w.silver.ID, Title: "探访独居老人"})
			return err
		}},
		{"assign work from Silver to its group", governance.ErrAssign, []string{"leader", "member"}, []string{"silver chair"}, func(w *world, as context.Context) error {
			_, err := w.svc.AssignTask(as, w.c.ID, governance.TaskInput{FromBodyID: w.silver.ID, ToBodyID: w.group.ID, Title: "布置文化墙"})
			return err
		}},
		{"report on a task", governance.ErrReport, []string{"resident", "silver chair"}, []string{"member", "leader", "council"}, func(w *world, as context.Context) error {
			_, err := w.svc.ReportTask(as, w.c.ID, task(w).ID, governance.ReportInput{Note: "进行中"})
			return err
		}},
		{"escalate from a task", governance.ErrReport, []string{"resident", "silver chair"}, []string{"member", "worker"}, func(w *world, as context.Context) error {
			_, err := w.svc.EscalateTask(as, w.c.ID, task(w).ID, governance.EscalateInput{Title: "缺少工具"})
			return err
		}},
		{"raise an issue for a group", governance.ErrRaise, []string{"resident", "silver chair"}, []string{"member", "leader", "worker"}, func(w *world, as context.Context) error {
			_, err := w.svc.RaiseIssue(as, w.c.ID, governance.IssueInput{Title: "楼道堆物", BodyID: w.group.ID})
			return err
		}},
		{"raise an issue as oneself", governance.ErrRaise, []string{"worker"}, []string{"resident", "member"}, func(w *world, as context.Context) error {
			_, err := w.svc.RaiseIssue(as, w.c.ID, governance.IssueInput{Title: "路灯坏了"})
			return err
		}},
		{"move an issue along", governance.ErrDecide, []string{"resident", "silver chair", "leader"}, []string{"council", "worker"}, func(w *world, as context.Context) error {
			_, err := w.svc.StepIssue(as, w.c.ID, issue(w).ID, governance.StepInput{Status: governance.Deliberated, Link: &governance.Link{Kind: "decision", ID: w.appoint.ID}})
			return err
		}},
		{"report an issue carried out", governance.ErrDecide, []string{"member", "silver chair"}, []string{"leader", "council"}, func(w *world, as context.Context) error {
			is := issue(w)
			for _, s := range []governance.IssueStatus{governance.Deliberated, governance.Decided} {
				is = must(w.svc.StepIssue(w.worker, w.c.ID, is.ID, governance.StepInput{Status: s, Link: &governance.Link{Kind: "decision", ID: w.appoint.ID}}))(w.t)
			}
			tk := must(w.svc.AssignTask(w.chair, w.c.ID, governance.TaskInput{ToBodyID: w.group.ID, Title: "划线", IssueID: is.ID}))(w.t)
			_, err := w.svc.StepIssue(as, w.c.ID, is.ID, governance.StepInput{Status: governance.CarriedOut, Link: &governance.Link{Kind: "task", ID: tk.ID}})
			return err
		}},
		{"add a member to a group", governance.ErrLead, []string{"member", "silver chair", "resident"}, []string{"leader", "worker"}, func(w *world, as context.Context) error {
			_, err := w.svc.AddMember(as, w.c.ID, w.group.ID, governance.MemberInput{HolderKind: "resident", HolderID: w.plainR.ID})
			return err
		}},
		{"remove a member from a group", governance.ErrLead, []string{"resident", "silver chair"}, []string{"leader", "member", "council"}, func(w *world, as context.Context) error {
			_, err := w.svc.EndPosition(as, w.c.ID, memberPosition(w), governance.EndInput{Reason: "搬家"})
			return err
		}},
		{"end a committee chair's term", governance.ErrAppoint, []string{"silver chair", "leader"}, []string{"council"}, func(w *world, as context.Context) error {
			_, err := w.svc.EndPosition(as, w.c.ID, silverChairPosition(w), governance.EndInput{Reason: "任期届满"})
			return err
		}},
		{"add to the think tank", governance.ErrAppoint, []string{"council", "resident"}, []string{"worker"}, func(w *world, as context.Context) error {
			_, err := w.svc.AddMember(as, w.c.ID, w.tank.ID, governance.MemberInput{HolderKind: "resident", HolderID: w.plainR.ID})
			return err
		}},
		{"join a group", governance.ErrJoin, []string{"worker"}, []string{"resident"}, func(w *world, as context.Context) error {
			_, err := w.svc.Join(as, w.c.ID, w.group.ID)
			return err
		}},
		{"record a group's activity", governance.ErrLead, []string{"member", "resident", "silver chair"}, []string{"leader", "worker"}, func(w *world, as context.Context) error {
			_, err := w.svc.RecordActivity(as, w.c.ID, activity(w))
			return err
		}},
		{"correct a group's activity", governance.ErrLead, []string{"member"}, []string{"leader"}, func(w *world, as context.Context) error {
			a := must(w.svc.RecordActivity(w.worker, w.c.ID, activity(w)))(w.t)
			_, err := w.svc.UpdateActivity(as, w.c.ID, a.ID, governance.ActivityUpdate{Place: ptr("1号楼")})
			return err
		}},
		{"register an organisation", governance.ErrAdminist, []string{"council", "resident"}, []string{"worker"}, func(w *world, as context.Context) error {
			_, err := w.svc.RegisterOrganisation(as, w.c.ID, governance.OrganisationInput{Name: "浑元太极拳队", Kind: "grassroots", Origin: "incubated"})
			return err
		}},
		{"record a council decision", governance.ErrRecord, []string{"silver chair", "resident"}, []string{"council", "worker"}, func(w *world, as context.Context) error {
			_, err := w.svc.RecordDecision(as, w.c.ID, governance.DecisionInput{Title: "通过议题"})
			return err
		}},
		{"record a committee decision", governance.ErrRecord, []string{"leader", "resident"}, []string{"silver chair"}, func(w *world, as context.Context) error {
			_, err := w.svc.RecordDecision(as, w.c.ID, governance.DecisionInput{BodyID: w.silver.ID, Title: "排班"})
			return err
		}},
		{"review a nomination", governance.ErrAppoint, []string{"silver chair", "resident"}, []string{"council", "worker"}, func(w *world, as context.Context) error {
			n := must(w.svc.Nominate(w.plain, w.c.ID, governance.NominationInput{BodyID: w.group.ID, Office: governance.Member}))(w.t)
			_, err := w.svc.ReviewNomination(as, w.c.ID, n.ID, governance.ReviewInput{Approve: true, Note: "热心"})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, name := range tt.refused {
				w := newWorld(t)
				assertForbidden(t, tt.do(w, who[name](w)), tt.rule, "as %s", name)
			}
			for _, name := range tt.allowed {
				w := newWorld(t)
				assert.NoError(t, tt.do(w, who[name](w)), "as %s", name)
			}
		})
	}
}

// TestMembersOnly: outsiders read and change nothing; no principal, no
// action.
func TestMembersOnly(t *testing.T) {
	w := newWorld(t)
	c := w.c.ID
	calls := map[string]func(ctx context.Context) error{
		"body": func(ctx context.Context) error { _, err := w.svc.Body(ctx, c, w.silver.ID); return err },
		"bodies": func(ctx context.Context) error {
			_, _, err := w.svc.FindBodies(ctx, governance.BodyFilter{CommunityID: c})
			return err
		},
		"positions": func(ctx context.Context) error {
			_, _, err := w.svc.FindPositions(ctx, governance.PositionFilter{CommunityID: c})
			return err
		},
		"decision": func(ctx context.Context) error { _, err := w.svc.Decision(ctx, c, w.appoint.ID); return err },
		"activities": func(ctx context.Context) error {
			_, _, err := w.svc.FindActivities(ctx, governance.ActivityFilter{CommunityID: c})
			return err
		},
		"evaluate": func(ctx context.Context) error {
			_, err := w.svc.Evaluate(ctx, c, w.now().AddDate(-1, 0, 0), w.now())
			return err
		},
		"join": func(ctx context.Context) error { _, err := w.svc.Join(ctx, c, w.group.ID); return err },
		"raise": func(ctx context.Context) error {
			_, err := w.svc.RaiseIssue(ctx, c, governance.IssueInput{Title: "x"})
			return err
		},
	}
	for name, call := range calls {
		assert.ErrorIs(t, call(w.outsider), grids.Forbidden, "%s by an outsider", name)
		assert.ErrorIs(t, call(w.anonymous), grids.Unauthorized, "%s with no principal", name)
		if name != "join" && name != "raise" {
			assert.NoError(t, call(w.plain), "%s by a resident", name)
		}
	}
}

// TestPositionsAreHistory: ending and replacing keeps every holding, and
// power follows the position.
func TestPositionsAreHistory(t *testing.T) {
	w := newWorld(t)
	c := w.c.ID
	held := must2(w.svc.FindPositions(w.worker, governance.PositionFilter{CommunityID: c, BodyID: w.silver.ID, Office: governance.Chair}))(t)
	require.Len(t, held, 1)
	first := held[0]
	assert.Equal(t, w.appoint.ID, first.DecisionID, "appointed by a recorded decision")

	// A second chair while the first holds is refused.
	d := must(w.svc.RecordDecision(w.chair, c, governance.DecisionInput{Title: "改任银发委员会主任"}))(t)
	_, err := w.svc.Appoint(w.chair, c, governance.AppointInput{BodyID: w.silver.ID, ResidentID: w.plainR.ID, Office: governance.Chair, DecisionID: d.ID})
	assert.ErrorIs(t, err, grids.Conflict)

	ended := must(w.svc.EndPosition(w.chair, c, first.ID, governance.EndInput{Reason: "辞职", DecisionID: d.ID}))(t)
	assert.Equal(t, "辞职", ended.Ceased)
	require.NotNil(t, ended.To)
	w.tick()
	second := must(w.svc.Appoint(w.chair, c, governance.AppointInput{BodyID: w.silver.ID, ResidentID: w.plainR.ID, Office: governance.Chair, DecisionID: d.ID, From: ptr(w.now())}))(t)

	all := must2(w.svc.FindPositions(w.worker, governance.PositionFilter{CommunityID: c, BodyID: w.silver.ID, Office: governance.Chair}))(t)
	require.Len(t, all, 2, "nothing overwritten")
	assert.Equal(t, []string{first.ID, second.ID}, []string{all[0].ID, all[1].ID})
	past := first.From.Add(time.Second)
	then := must2(w.svc.FindPositions(w.worker, governance.PositionFilter{CommunityID: c, BodyID: w.silver.ID, ActiveAt: &past}))(t)
	require.Len(t, then, 1)
	assert.Equal(t, w.silverR.ID, then[0].HolderID, "who held it then")

	// The former chair lost the power, the new one has it.
	_, err = w.svc.CreateBody(w.silverChair, c, governance.BodyInput{Kind: governance.Group, ParentID: w.silver.ID, Name: "新小组", DistrictID: w.d.ID})
	assertForbidden(t, err, governance.ErrAssign)
	_, err = w.svc.CreateBody(w.plain, c, governance.BodyInput{Kind: governance.Group, ParentID: w.silver.ID, Name: "新小组", DistrictID: w.d.ID})
	assert.NoError(t, err)

	_, err = w.svc.EndPosition(w.chair, c, first.ID, governance.EndInput{Reason: "again"})
	assert.ErrorIs(t, err, grids.FailedPrecondition, "an ended position stays ended")

	// An appointment withdrawn before it begins never holds.
	later := w.now().AddDate(0, 1, 0)
	future := must(w.svc.Appoint(w.chair, c, governance.AppointInput{BodyID: w.clean.ID, ResidentID: w.otherR.ID, Office: governance.Chair, DecisionID: d.ID, From: &later}))(t)
	withdrawn := must(w.svc.EndPosition(w.chair, c, future.ID, governance.EndInput{Reason: "本人婉拒"}))(t)
	assert.True(t, withdrawn.To.Equal(later))
	for _, at := range []time.Time{w.now(), later, later.AddDate(1, 0, 0)} {
		assert.False(t, withdrawn.Active(at))
	}
	_, err = w.svc.EndPosition(w.chair, c, future.ID, governance.EndInput{Reason: "again"})
	assert.ErrorIs(t, err, grids.FailedPrecondition, "the reason it ended is not overwritten")
}

func TestPositionLimits(t *testing.T) {
	w := newWorld(t)
	c := w.c.ID
	appoint := func(body governance.Body, r grids.Resident, office governance.Office) error {
		_, err := w.svc.Appoint(w.worker, c, governance.AppointInput{BodyID: body.ID, ResidentID: r.ID, Office: office, DecisionID: w.appoint.ID})
		return err
	}
	assert.ErrorIs(t, appoint(w.council, w.plainR, governance.Chair), grids.Conflict, "one council chair")
	assert.ErrorIs(t, appoint(w.council, w.chairR, governance.Member), grids.Conflict, "one position per body per person")
	err := appoint(w.group, w.plainR, governance.Secretary)
	assert.ErrorIs(t, err, grids.Invalid, "a group has no secretary")
	assert.Equal(t, "office", fieldOf(err))
	assert.NoError(t, appoint(w.council, w.plainR, governance.ViceChair))
	assert.NoError(t, appoint(w.council, w.otherR, governance.ViceChair))
	assert.ErrorIs(t, appoint(w.council, w.leaderR, governance.ViceChair), grids.Conflict, "two vice-chairs")

	// Seats: three held; cut to two is refused, to three allowed, then full.
	_, err = w.svc.UpdateBody(w.worker, c, w.council.ID, governance.BodyUpdate{Seats: ptr(2)})
	assert.Equal(t, "seats", fieldOf(err))
	_, err = w.svc.UpdateBody(w.worker, c, w.council.ID, governance.BodyUpdate{Seats: ptr(3)})
	require.NoError(t, err)
	assert.ErrorIs(t, appoint(w.council, w.leaderR, governance.Member), grids.Conflict, "all seats held")

	// Constituencies belong to council seats; a represented organisation must exist.
	_, err = w.svc.Appoint(w.worker, c, governance.AppointInput{BodyID: w.clean.ID, ResidentID: w.plainR.ID, Office: governance.Member,
		DecisionID: w.appoint.ID, Constituency: governance.PartySeat})
	assert.Equal(t, "constituency", fieldOf(err))
	_, err = w.svc.UpdateBody(w.worker, c, w.council.ID, governance.BodyUpdate{Seats: ptr(9)})
	require.NoError(t, err)
	_, err = w.svc.Appoint(w.worker, c, governance.AppointInput{BodyID: w.council.ID, ResidentID: w.leaderR.ID, Office: governance.Member,
		DecisionID: w.appoint.ID, Constituency: governance.OrganisationsSeat, Represents: w.appoint.ID})
	assert.Equal(t, "represents", fieldOf(err))

	// Appointments rest on the council's decisions, not a committee's.
	cd := must(w.svc.RecordDecision(w.silverChair, c, governance.DecisionInput{BodyID: w.silver.ID, Title: "推荐"}))(t)
	_, err = w.svc.Appoint(w.worker, c, governance.AppointInput{BodyID: w.clean.ID, ResidentID: w.plainR.ID, Office: governance.Member, DecisionID: cd.ID})
	assert.Equal(t, "decision_id", fieldOf(err))
	_, err = w.svc.Appoint(w.worker, c, governance.AppointInput{BodyID: w.clean.ID, ResidentID: w.plainR.ID, Office: governance.Member, DecisionID: w.c.ID})
	assert.Equal(t, "decision_id", fieldOf(err))
	_, err = w.svc.Appoint(w.worker, c, governance.AppointInput{BodyID: w.clean.ID, ResidentID: w.c.ID, Office: governance.Member, DecisionID: w.appoint.ID})
	assert.Equal(t, "resident_id", fieldOf(err))
	_, err = w.svc.Appoint(w.worker, c, governance.AppointInput{BodyID: w.clean.ID, ResidentID: w.plainR.ID, Office: "mayor", DecisionID: w.appoint.ID})
	assert.Equal(t, "office", fieldOf(err))
	_, err = w.svc.Appoint(w.worker, c, governance.AppointInput{BodyID: w.clean.ID, ResidentID: w.plainR.ID, Office: governance.Member, DecisionID: w.appoint.ID,
		TermEnd: ptr(w.appoint.DecidedAt.Add(-time.Hour))})
	assert.Equal(t, "term_end", fieldOf(err))

	// Joining twice, leaving when not a member.
	_, err = w.svc.Join(w.member, c, w.group.ID)
	assert.ErrorIs(t, err, grids.Conflict)
	_, err = w.svc.Join(w.member, c, w.silver.ID)
	assert.ErrorIs(t, err, grids.FailedPrecondition, "committees are appointed, not joined")
	_, err = w.svc.Leave(w.plain, c, w.group.ID)
	assert.ErrorIs(t, err, grids.FailedPrecondition)
	left := must(w.svc.Leave(w.member, c, w.group.ID))(t)
	assert.Equal(t, "left the group", left.Ceased)
	_, err = w.svc.Join(w.member, c, w.group.ID)
	assert.NoError(t, err, "and may join again")

	// Organisations sit in the think tank only.
	org := must(w.svc.RegisterOrganisation(w.worker, c, governance.OrganisationInput{Name: "金邻居社工事务所", Kind: "professional", Origin: "external"}))(t)
	_, err = w.svc.AddMember(w.worker, c, w.tank.ID, governance.MemberInput{HolderKind: "organisation", HolderID: org.ID})
	assert.NoError(t, err)
	_, err = w.svc.AddMember(w.worker, c, w.group.ID, governance.MemberInput{HolderKind: "organisation", HolderID: org.ID})
	assert.Equal(t, "holder_kind", fieldOf(err))
	_, err = w.svc.AddMember(w.worker, c, w.tank.ID, governance.MemberInput{HolderKind: "organisation", HolderID: w.plainR.ID})
	assert.Equal(t, "holder_id", fieldOf(err))
	_, err = w.svc.AddMember(w.worker, c, w.tank.ID, governance.MemberInput{HolderKind: "club", HolderID: w.plainR.ID})
	assert.Equal(t, "holder_kind", fieldOf(err))
}

func TestBodies(t *testing.T) {
	w := newWorld(t)
	c := w.c.ID
	for name, tt := range map[string]struct {
		in    governance.BodyInput
		field string
	}{
		"council":               {governance.BodyInput{Kind: governance.Council, Name: "x"}, "kind"},
		"no name":               {governance.BodyInput{Kind: governance.Committee}, "name"},
		"group not rooted":      {governance.BodyInput{Kind: governance.Group, ParentID: w.silver.ID, Name: "x"}, "district_id"},
		"group under council":   {governance.BodyInput{Kind: governance.Group, ParentID: w.council.ID, Name: "x", DistrictID: w.d.ID}, "parent_id"},
		"group under group":     {governance.BodyInput{Kind: governance.Group, ParentID: w.group.ID, Name: "x", DistrictID: w.d.ID}, "parent_id"},
		"committee with a grid": {governance.BodyInput{Kind: governance.Committee, Name: "x", GridID: w.g.ID}, "district_id"},
		"unknown district":      {governance.BodyInput{Kind: governance.Group, ParentID: w.silver.ID, Name: "x", DistrictID: w.appoint.ID}, "district_id"},
		"unknown parent":        {governance.BodyInput{Kind: governance.Group, ParentID: w.appoint.ID, Name: "x", DistrictID: w.d.ID}, "parent_id"},
		"control characters":    {governance.BodyInput{Kind: governance.Committee, Name: "x\x00y"}, "name"},
	} {
		_, err := w.svc.CreateBody(w.worker, c, tt.in)
		assert.ErrorIs(t, err, grids.Invalid, name)
		assert.Equal(t, tt.field, fieldOf(err), name)
	}
	committee := must(w.svc.CreateBody(w.worker, c, governance.BodyInput{Kind: governance.Committee, Name: "文化委员会", Remit: "社区文化"}))(t)
	assert.Equal(t, w.council.ID, committee.ParentID, "a committee reports to the council by default")

	_, err := w.svc.ArchiveBody(w.worker, c, w.silver.ID, grids.ArchiveInput{Reason: "合并"})
	assert.ErrorIs(t, err, grids.FailedPrecondition, "Silver still has a group")
	_, err = w.svc.ArchiveBody(w.worker, c, w.council.ID, grids.ArchiveInput{Reason: "x"})
	assert.ErrorIs(t, err, grids.FailedPrecondition, "the council is not dissolved")
	gone := must(w.svc.ArchiveBody(w.worker, c, w.group.ID, grids.ArchiveInput{Reason: "合并到银发互助"}))(t)
	assert.True(t, gone.Archived())
	now := w.now()
	active := must2(w.svc.FindPositions(w.worker, governance.PositionFilter{CommunityID: c, BodyID: w.group.ID, ActiveAt: &now}))(t)
	assert.Empty(t, active, "its positions ended")
	history := must2(w.svc.FindPositions(w.worker, governance.PositionFilter{CommunityID: c, BodyID: w.group.ID}))(t)
	assert.Len(t, history, 2, "their history stays")
	_, err = w.svc.Join(w.plain, c, w.group.ID)
	assert.ErrorIs(t, err, grids.Invalid, "an archived group takes no members")
	_, err = w.svc.UpdateBody(w.worker, c, w.group.ID, governance.BodyUpdate{Name: ptr("x")})
	assert.ErrorIs(t, err, grids.FailedPrecondition)
	_, err = w.svc.ArchiveBody(w.worker, c, w.silver.ID, grids.ArchiveInput{})
	assert.ErrorIs(t, err, grids.Invalid, "a reason is required")
	_, err = w.svc.ArchiveBody(w.worker, c, w.silver.ID, grids.ArchiveInput{Reason: "并入"})
	assert.NoError(t, err, "once its groups are gone")
}

// TestCheck: the service answers the registry's questions about bodies.
func TestCheck(t *testing.T) {
	w := newWorld(t)
	c := w.c.ID
	org := must(w.svc.RegisterOrganisation(w.worker, c, governance.OrganisationInput{Name: "focus摄影社", Kind: "grassroots", Origin: "incubated", CommitteeIDs: []string{w.clean.ID}}))(t)
	for _, ok := range []grids.Ref{{Kind: "committee", ID: w.silver.ID}, {Kind: "group", ID: w.group.ID}, {Kind: "organisation", ID: org.ID}} {
		assert.NoError(t, w.svc.Check(w.worker, c, ok, "group"), ok.Kind)
	}
	for _, bad := range []grids.Ref{{Kind: "committee", ID: w.group.ID}, {Kind: "group", ID: w.silver.ID}, {Kind: "group", ID: w.appoint.ID}, {Kind: "organisation", ID: w.group.ID}} {
		err := w.svc.Check(w.worker, c, bad, "group")
		assert.ErrorIs(t, err, grids.Invalid, "%s %s", bad.Kind, bad.ID)
		assert.Equal(t, "group", fieldOf(err))
	}
	assert.ErrorIs(t, w.svc.Check(w.worker, w.other.ID, grids.Ref{Kind: "committee", ID: w.silver.ID}, "group"), grids.Invalid, "another community's")
}

func TestOrganisations(t *testing.T) {
	w := newWorld(t)
	c := w.c.ID
	_, err := w.svc.RegisterOrganisation(w.worker, c, governance.OrganisationInput{Name: "x", Kind: "club", Origin: "incubated"})
	assert.Equal(t, "kind", fieldOf(err))
	_, err = w.svc.RegisterOrganisation(w.worker, c, governance.OrganisationInput{Name: "x", Kind: "grassroots", Origin: "incubated", CommitteeIDs: []string{w.group.ID}})
	assert.Equal(t, "committee_ids", fieldOf(err))
	o := must(w.svc.RegisterOrganisation(w.worker, c, governance.OrganisationInput{Name: "浑元太极拳队", Kind: "grassroots", Origin: "incubated",
		CommitteeIDs: []string{w.silver.ID, w.clean.ID}}))(t)
	found := must2(w.svc.FindOrganisations(w.plain, governance.OrganisationFilter{CommunityID: c, CommitteeID: w.clean.ID}))(t)
	require.Len(t, found, 1)
	assert.Equal(t, o.ID, found[0].ID)
	o = must(w.svc.UpdateOrganisation(w.worker, c, o.ID, governance.OrganisationUpdate{CommitteeIDs: &[]string{w.silver.ID}}))(t)
	assert.Equal(t, []string{w.silver.ID}, o.CommitteeIDs)
	found = must2(w.svc.FindOrganisations(w.plain, governance.OrganisationFilter{CommunityID: c, CommitteeID: w.clean.ID}))(t)
	assert.Empty(t, found)

	// Archiving ends its think-tank seat and keeps the history.
	_, err = w.svc.AddMember(w.worker, c, w.tank.ID, governance.MemberInput{HolderKind: "organisation", HolderID: o.ID})
	require.NoError(t, err)
	_, err = w.svc.ArchiveOrganisation(w.chair, c, o.ID, grids.ArchiveInput{Reason: "解散"})
	assertForbidden(t, err, governance.ErrAdminist)
	gone := must(w.svc.ArchiveOrganisation(w.worker, c, o.ID, grids.ArchiveInput{Reason: "解散"}))(t)
	assert.True(t, gone.Archived())
	now := w.now()
	seats := must2(w.svc.FindPositions(w.worker, governance.PositionFilter{CommunityID: c, HolderID: o.ID, ActiveAt: &now}))(t)
	assert.Empty(t, seats)
	history := must2(w.svc.FindPositions(w.worker, governance.PositionFilter{CommunityID: c, HolderID: o.ID}))(t)
	require.Len(t, history, 1)
	assert.Equal(t, "解散", history[0].Ceased)
	_, err = w.svc.ArchiveOrganisation(w.worker, c, o.ID, grids.ArchiveInput{Reason: "again"})
	assert.ErrorIs(t, err, grids.FailedPrecondition)
	assert.ErrorIs(t, w.svc.Check(w.worker, c, grids.Ref{Kind: "organisation", ID: o.ID}, "group"), grids.Invalid, "archived organisations are not referred to")
	active := must2(w.svc.FindOrganisations(w.plain, governance.OrganisationFilter{CommunityID: c}))(t)
	assert.Empty(t, active)
	all := must2(w.svc.FindOrganisations(w.plain, governance.OrganisationFilter{CommunityID: c, State: grids.AnyState}))(t)
	assert.Len(t, all, 1)
}

func must2[T any](v []T, _ int, err error) func(testing.TB) []T { return must(v, err) }
