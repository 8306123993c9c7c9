package governance_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
)

// TestIssueTransitions tries every step from every status: the legal ones
// succeed and are recorded with who, when and the link; the rest are
// refused.
func TestIssueTransitions(t *testing.T) {
	path := []governance.IssueStatus{governance.Raised, governance.Deliberated, governance.Decided, governance.CarriedOut, governance.ReviewedOut}
	legal := map[[2]governance.IssueStatus]bool{
		{governance.Raised, governance.Deliberated}:     true,
		{governance.Deliberated, governance.Decided}:    true,
		{governance.Decided, governance.CarriedOut}:     true,
		{governance.CarriedOut, governance.ReviewedOut}: true,
		{governance.Raised, governance.Declined}:        true,
		{governance.Deliberated, governance.Declined}:   true,
		{governance.Decided, governance.Declined}:       true,
	}
	targets := append(path[1:], governance.Declined, governance.Raised)
	for i, from := range append(path, governance.Declined) {
		for _, to := range targets {
			t.Run(fmt.Sprintf("%s to %s", from, to), func(t *testing.T) {
				w := newWorld(t)
				c := w.c.ID
				task := must(w.svc.AssignTask(w.chair, c, governance.TaskInput{ToBodyID: w.group.ID, Title: "划线"}))(t)
				link := func(s governance.IssueStatus) *governance.Link {
					if s == governance.CarriedOut {
						return &governance.Link{Kind: "task", ID: task.ID}
					}
					return &governance.Link{Kind: "decision", ID: w.appoint.ID}
				}
				is := must(w.svc.RaiseIssue(w.plain, c, governance.IssueInput{Title: "停车难", Detail: "晚上车位不够"}))(t)
				if from == governance.Declined {
					is = must(w.svc.StepIssue(w.worker, c, is.ID, governance.StepInput{Status: governance.Declined, Reason: "不属于社区事务"}))(t)
				} else {
					for _, s := range path[1 : i+1] {
						is = must(w.svc.StepIssue(w.worker, c, is.ID, governance.StepInput{Status: s, Link: link(s)}))(t)
					}
				}
				require.Equal(t, from, is.Status)
				w.tick()
				got, err := w.svc.StepIssue(w.chair, c, is.ID, governance.StepInput{Status: to, Link: link(to), Reason: "理由", Note: "第3次理事会"})
				if !legal[[2]governance.IssueStatus{from, to}] {
					if to == governance.Raised {
						assert.ErrorIs(t, err, grids.Invalid, "raised is no step")
					} else {
						assert.ErrorIs(t, err, grids.FailedPrecondition)
					}
					again := must(w.svc.Issue(w.plain, c, is.ID))(t)
					assert.Equal(t, is, again, "a refused step changes nothing")
					return
				}
				require.NoError(t, err)
				assert.Equal(t, to, got.Status)
				last := got.Steps[len(got.Steps)-1]
				assert.Equal(t, to, last.Status)
				assert.Equal(t, "p-"+w.chairR.ID, last.By, "who")
				assert.True(t, last.At.Equal(w.now()), "when")
				assert.Equal(t, link(to), last.Link, "what it rests on")
				assert.Equal(t, "第3次理事会", last.Note)
				assert.Len(t, got.Steps, len(is.Steps)+1)
				if to == governance.Declined {
					assert.Equal(t, "理由", got.Reason, "a public reason")
				}
			})
		}
	}
}

// TestIssueStepLinks: each step rests on the right kind of record.
func TestIssueStepLinks(t *testing.T) {
	w := newWorld(t)
	c := w.c.ID
	is := must(w.svc.RaiseIssue(w.plain, c, governance.IssueInput{Title: "楼道堆物"}))(t)
	assert.Equal(t, grids.Ref{Kind: "resident", ID: w.plainR.ID}, is.RaisedBy)
	held := must(w.svc.ScheduleMeeting(w.worker, c, governance.MeetingInput{BodyID: w.council.ID, Kind: governance.RegularMeeting, Title: "3月例会", ScheduledAt: w.now()}))(t)
	meeting := &governance.Link{Kind: "meeting", ID: held.ID}
	for name, tt := range map[string]struct {
		in    governance.StepInput
		field string
	}{
		"deliberated without a link":    {governance.StepInput{Status: governance.Deliberated}, "link"},
		"deliberated on a task":         {governance.StepInput{Status: governance.Deliberated, Link: &governance.Link{Kind: "task", ID: w.appoint.ID}}, "link"},
		"declined with no reason":       {governance.StepInput{Status: governance.Declined}, "reason"},
		"a link to an unknown decision": {governance.StepInput{Status: governance.Deliberated, Link: &governance.Link{Kind: "decision", ID: w.c.ID}}, "link"},
		"a link to an unknown meeting":  {governance.StepInput{Status: governance.Deliberated, Link: &governance.Link{Kind: "meeting", ID: w.c.ID}}, "link"},
		"a link to an issue":            {governance.StepInput{Status: governance.Deliberated, Link: &governance.Link{Kind: "issue", ID: w.c.ID}}, "link"},
		"a malformed link":              {governance.StepInput{Status: governance.Deliberated, Link: &governance.Link{Kind: "vote", ID: "x"}}, "link.kind"},
		"an unknown status":             {governance.StepInput{Status: "shelved"}, "status"},
	} {
		_, err := w.svc.StepIssue(w.worker, c, is.ID, tt.in)
		assert.ErrorIs(t, err, grids.Invalid, name)
		assert.Equal(t, tt.field, fieldOf(err), name)
	}
	is = must(w.svc.StepIssue(w.worker, c, is.ID, governance.StepInput{Status: governance.Deliberated, Link: meeting}))(t)
	assert.Equal(t, governance.Deliberated, is.Status, "a meeting may deliberate")
	_, err := w.svc.StepIssue(w.worker, c, is.ID, governance.StepInput{Status: governance.Decided, Link: meeting})
	assert.Equal(t, "link", fieldOf(err), "a decision is recorded, not just met over")

	// Raised for a body by one of its members.
	byGroup := must(w.svc.RaiseIssue(w.member, c, governance.IssueInput{Title: "需要工具", BodyID: w.group.ID}))(t)
	assert.Equal(t, grids.Ref{Kind: "group", ID: w.group.ID}, byGroup.RaisedBy)
	assert.Equal(t, w.memberR.ID, byGroup.ByResident)
	_, err = w.svc.RaiseIssue(w.chair, c, governance.IssueInput{Title: "x", BodyID: w.council.ID})
	assert.Equal(t, "body_id", fieldOf(err), "the council decides issues; it does not raise them")
	_, err = w.svc.RaiseIssue(w.plain, c, governance.IssueInput{})
	assert.Equal(t, "title", fieldOf(err))
	found := must2(w.svc.FindIssues(w.plain, governance.IssueFilter{CommunityID: c, RaisedByID: w.group.ID}))(t)
	require.Len(t, found, 1)
	assert.Equal(t, byGroup.ID, found[0].ID)
}

func TestTaskLifecycle(t *testing.T) {
	type step struct {
		status governance.TaskStatus
		ok     bool
	}
	for name, steps := range map[string][]step{
		"open, progress, done":       {{"", true}, {governance.InProgress, true}, {governance.Done, true}},
		"straight to done":           {{governance.Done, true}, {"", false}},
		"cancelled stays cancelled":  {{governance.Cancelled, true}, {governance.InProgress, false}, {governance.Done, false}},
		"done stays done":            {{governance.Done, true}, {governance.Cancelled, false}},
		"back to open is no status":  {{governance.Open, false}},
		"progress reported twice ok": {{governance.InProgress, true}, {governance.InProgress, true}, {governance.Cancelled, true}},
	} {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t)
			c := w.c.ID
			due := w.now().AddDate(0, 1, 0)
			task := must(w.svc.AssignTask(w.chair, c, governance.TaskInput{ToBodyID: w.silver.ID, Title: "探访独居老人", OwnerID: w.silverR.ID, Due: &due}))(t)
			assert.Equal(t, governance.Open, task.Status)
			assert.Equal(t, w.council.ID, task.FromBodyID, "from the council by default")
			for i, s := range steps {
				w.tick()
				got, err := w.svc.ReportTask(w.silverChair, c, task.ID, governance.ReportInput{Status: s.status, Note: fmt.Sprintf("report %d", i)})
				if !s.ok {
					assert.Error(t, err, "step %d to %q", i, s.status)
					assert.Equal(t, task, must(w.svc.Task(w.plain, c, task.ID))(t), "a refused report changes nothing")
					continue
				}
				require.NoError(t, err, "step %d", i)
				want := s.status
				if want == "" && task.Status == governance.Open {
					want = governance.InProgress
				} else if want == "" {
					want = task.Status
				}
				assert.Equal(t, want, got.Status, "step %d", i)
				assert.Len(t, got.Reports, len(task.Reports)+1)
				assert.Equal(t, fmt.Sprintf("report %d", i), got.Reports[len(got.Reports)-1].Note)
				task = got
			}
		})
	}
}

func TestTaskRouting(t *testing.T) {
	w := newWorld(t)
	c := w.c.ID
	for name, tt := range map[string]struct {
		in    governance.TaskInput
		field string
	}{
		"up, not down":             {governance.TaskInput{FromBodyID: w.group.ID, ToBodyID: w.silver.ID, Title: "x"}, "to_body_id"},
		"across":                   {governance.TaskInput{FromBodyID: w.clean.ID, ToBodyID: w.group.ID, Title: "x"}, "to_body_id"},
		"to the think tank":        {governance.TaskInput{ToBodyID: w.tank.ID, Title: "x"}, "to_body_id"},
		"to itself":                {governance.TaskInput{FromBodyID: w.silver.ID, ToBodyID: w.silver.ID, Title: "x"}, "to_body_id"},
		"no title":                 {governance.TaskInput{ToBodyID: w.silver.ID}, "title"},
		"an unknown owner":         {governance.TaskInput{ToBodyID: w.silver.ID, Title: "x", OwnerID: w.appoint.ID}, "owner_id"},
		"an unknown issue":         {governance.TaskInput{ToBodyID: w.silver.ID, Title: "x", IssueID: w.appoint.ID}, "issue_id"},
		"an unknown receiver body": {governance.TaskInput{ToBodyID: w.appoint.ID, Title: "x"}, "to_body_id"},
	} {
		_, err := w.svc.AssignTask(w.worker, c, tt.in)
		assert.ErrorIs(t, err, grids.Invalid, name)
		assert.Equal(t, tt.field, fieldOf(err), name)
	}
	direct := must(w.svc.AssignTask(w.chair, c, governance.TaskInput{ToBodyID: w.group.ID, Title: "council to a group"}))(t)
	assert.Equal(t, w.council.ID, direct.FromBodyID)

	// Escalating turns a problem into an issue of the body, noted on the task.
	is := must(w.svc.EscalateTask(w.member, c, direct.ID, governance.EscalateInput{Title: "缺少扫帚", Detail: "需要10把"}))(t)
	assert.Equal(t, grids.Ref{Kind: "group", ID: w.group.ID}, is.RaisedBy)
	assert.Equal(t, governance.Raised, is.Status)
	assert.Equal(t, &governance.Link{Kind: "task", ID: direct.ID}, is.Steps[0].Link)
	task := must(w.svc.Task(w.plain, c, direct.ID))(t)
	require.Len(t, task.Reports, 1)
	assert.Contains(t, task.Reports[0].Note, "缺少扫帚")
	_, err := w.svc.ReportTask(w.member, c, direct.ID, governance.ReportInput{Status: governance.Done, Note: "完成"})
	require.NoError(t, err)
	_, err = w.svc.EscalateTask(w.member, c, direct.ID, governance.EscalateInput{Title: "again"})
	assert.ErrorIs(t, err, grids.FailedPrecondition, "a finished task escalates nothing")
	_, err = w.svc.ReportTask(w.member, c, direct.ID, governance.ReportInput{})
	assert.Equal(t, "note", fieldOf(err))
}

func TestNominations(t *testing.T) {
	w := newWorld(t)
	c := w.c.ID
	self := must(w.svc.Nominate(w.plain, c, governance.NominationInput{BodyID: w.clean.ID, Office: governance.Chair, Statement: "我愿意"}))(t)
	assert.True(t, self.Self)
	assert.Equal(t, w.plainR.ID, self.ResidentID)
	assert.Equal(t, governance.Pending, self.Status)
	rec := must(w.svc.Nominate(w.member, c, governance.NominationInput{ResidentID: w.otherR.ID, BodyID: w.council.ID, Office: governance.Member}))(t)
	assert.False(t, rec.Self)
	assert.Equal(t, w.memberR.ID, rec.RecommendedBy)

	_, err := w.svc.Nominate(w.plain, c, governance.NominationInput{BodyID: w.group.ID, Office: governance.Secretary})
	assert.Equal(t, "office", fieldOf(err))
	_, err = w.svc.Nominate(w.worker, c, governance.NominationInput{BodyID: w.group.ID, Office: governance.Member})
	assert.Equal(t, "resident_id", fieldOf(err), "a worker names whom they put forward")
	_, err = w.svc.Nominate(w.plain, c, governance.NominationInput{ResidentID: w.appoint.ID, BodyID: w.group.ID, Office: governance.Member})
	assert.Equal(t, "resident_id", fieldOf(err))

	// Appointing before review is refused; review then appoint.
	_, err = w.svc.AppointNomination(w.chair, c, self.ID, governance.NominationAppointInput{DecisionID: w.appoint.ID})
	assert.ErrorIs(t, err, grids.FailedPrecondition)
	_, err = w.svc.ReviewNomination(w.chair, c, self.ID, governance.ReviewInput{Approve: true})
	assert.Equal(t, "note", fieldOf(err))
	reviewed := must(w.svc.ReviewNomination(w.chair, c, self.ID, governance.ReviewInput{Approve: true, Note: "群众基础好"}))(t)
	assert.Equal(t, governance.Reviewed, reviewed.Status)
	_, err = w.svc.ReviewNomination(w.chair, c, self.ID, governance.ReviewInput{Approve: true, Note: "again"})
	assert.ErrorIs(t, err, grids.FailedPrecondition, "reviewed once")
	_, err = w.svc.AppointNomination(w.silverChair, c, self.ID, governance.NominationAppointInput{DecisionID: w.appoint.ID})
	assertForbidden(t, err, governance.ErrAppoint)
	end := w.now().AddDate(3, 0, 0)
	d := must(w.svc.RecordDecision(w.chair, c, governance.DecisionInput{Title: "任命洁美委员会主任"}))(t)
	done := must(w.svc.AppointNomination(w.chair, c, self.ID, governance.NominationAppointInput{DecisionID: d.ID, TermEnd: &end}))(t)
	assert.Equal(t, governance.Appointed, done.Status)
	assert.Equal(t, d.ID, done.DecisionID)
	pos := must(w.svc.Position(w.plain, c, done.PositionID))(t)
	assert.Equal(t, w.plainR.ID, pos.HolderID)
	assert.Equal(t, governance.Chair, pos.Office)
	assert.Equal(t, w.clean.ID, pos.BodyID)
	assert.Equal(t, d.ID, pos.DecisionID)
	assert.True(t, pos.TermEnd.Equal(end))
	_, err = w.svc.AppointNomination(w.chair, c, self.ID, governance.NominationAppointInput{DecisionID: d.ID})
	assert.ErrorIs(t, err, grids.FailedPrecondition, "appointed once")

	rejected := must(w.svc.ReviewNomination(w.worker, c, rec.ID, governance.ReviewInput{Approve: false, Note: "名额已满"}))(t)
	assert.Equal(t, governance.Rejected, rejected.Status)
	_, err = w.svc.AppointNomination(w.chair, c, rec.ID, governance.NominationAppointInput{DecisionID: d.ID})
	assert.ErrorIs(t, err, grids.FailedPrecondition)
	pending := must2(w.svc.FindNominations(w.plain, governance.NominationFilter{CommunityID: c, Status: governance.Pending}))(t)
	assert.Empty(t, pending)
}

func TestDecisions(t *testing.T) {
	w := newWorld(t)
	c := w.c.ID
	_, err := w.svc.RecordDecision(w.chair, c, governance.DecisionInput{Title: "x", DecidedAt: ptr(w.now().Add(time.Hour))})
	assert.Equal(t, "decided_at", fieldOf(err), "decisions are recorded once taken")
	_, err = w.svc.RecordDecision(w.chair, c, governance.DecisionInput{})
	assert.Equal(t, "title", fieldOf(err))
	when := w.now().Add(-24 * time.Hour)
	_, err = w.svc.RecordDecision(w.chair, c, governance.DecisionInput{Title: "x", MeetingID: w.c.ID})
	assert.Equal(t, "meeting_id", fieldOf(err))
	held := must(w.svc.ScheduleMeeting(w.worker, c, governance.MeetingInput{BodyID: w.council.ID, Kind: governance.RegularMeeting, Title: "3月例会", ScheduledAt: when}))(t)
	d := must(w.svc.RecordDecision(w.chair, c, governance.DecisionInput{Title: "通过停车方案", Text: "同意划线", DecidedAt: &when, MeetingID: held.ID}))(t)
	assert.Equal(t, w.council.ID, d.BodyID)
	assert.True(t, d.DecidedAt.Equal(when))
	byMeeting := must2(w.svc.FindDecisions(w.plain, governance.DecisionFilter{CommunityID: c, MeetingID: held.ID}))(t)
	require.Len(t, byMeeting, 1)
	assert.Equal(t, d.ID, byMeeting[0].ID)
	_, err = w.svc.Nominate(w.plain, c, governance.NominationInput{BodyID: w.appoint.ID, Office: governance.Member})
	assert.Equal(t, "body_id", fieldOf(err))
}

func TestActivities(t *testing.T) {
	w := newWorld(t)
	c := w.c.ID
	start := w.now().Add(-3 * time.Hour)
	base := governance.ActivityInput{BodyID: w.group.ID, Title: "楼道清扫", Service: "cleaning", Place: "1号楼", Start: start, End: start.Add(2 * time.Hour),
		OrganiserID: w.leaderR.ID, Participants: []governance.Participant{{ResidentID: w.memberR.ID, Minutes: 120}, {ResidentID: w.leaderR.ID, Minutes: 90}}}
	for name, tt := range map[string]struct {
		edit  func(*governance.ActivityInput)
		field string
	}{
		"ends before it starts": {func(a *governance.ActivityInput) { a.End = a.Start.Add(-time.Minute) }, "end"},
		"no start":              {func(a *governance.ActivityInput) { a.Start, a.End = time.Time{}, time.Time{}.Add(time.Hour) }, "start"},
		"longer than a day":     {func(a *governance.ActivityInput) { a.Start = a.End.Add(-25 * time.Hour) }, "end"},
		"in the future":         {func(a *governance.ActivityInput) { a.Start, a.End = w.now().Add(time.Hour), w.now().Add(3*time.Hour) }, "start"},
		"served too long": {func(a *governance.ActivityInput) {
			a.Participants = []governance.Participant{{ResidentID: w.memberR.ID, Minutes: 121}}
		}, "participants[0].minutes"},
		"no minutes": {func(a *governance.ActivityInput) {
			a.Participants = []governance.Participant{{ResidentID: w.memberR.ID}}
		}, "participants[0].minutes"},
		"twice": {func(a *governance.ActivityInput) {
			a.Participants = append(a.Participants, governance.Participant{ResidentID: w.memberR.ID, Minutes: 5})
		}, "participants[2].resident_id"},
		"an unknown participant": {func(a *governance.ActivityInput) {
			a.Participants = []governance.Participant{{ResidentID: w.appoint.ID, Minutes: 5}}
		}, "participants"},
		"an unknown organiser":  {func(a *governance.ActivityInput) { a.OrganiserID = w.appoint.ID }, "organiser_id"},
		"no service":            {func(a *governance.ActivityInput) { a.Service = "" }, "service"},
		"a service with spaces": {func(a *governance.ActivityInput) { a.Service = "elder visit" }, "service"},
		"run by the council":    {func(a *governance.ActivityInput) { a.BodyID = w.council.ID }, "body_id"},
	} {
		in := base
		in.Participants = append([]governance.Participant(nil), base.Participants...)
		tt.edit(&in)
		_, err := w.svc.RecordActivity(w.worker, c, in)
		assert.ErrorIs(t, err, grids.Invalid, name)
		assert.Equal(t, tt.field, fieldOf(err), name)
	}
	a := must(w.svc.RecordActivity(w.leader, c, base))(t)
	assert.Equal(t, 210, a.Minutes())
	assert.Equal(t, "3.5", governance.Hours(a.Minutes()).String())
	got := must(w.svc.Activity(w.plain, c, a.ID))(t)
	assert.Equal(t, a, got)

	// Correcting the record: a participant added; one who served too long refused.
	fixed := must(w.svc.UpdateActivity(w.leader, c, a.ID, governance.ActivityUpdate{Participants: &[]governance.Participant{
		{ResidentID: w.memberR.ID, Minutes: 120}, {ResidentID: w.leaderR.ID, Minutes: 90}, {ResidentID: w.plainR.ID, Minutes: 30}}}))(t)
	assert.Equal(t, 240, fixed.Minutes())
	_, err := w.svc.UpdateActivity(w.leader, c, a.ID, governance.ActivityUpdate{End: ptr(start.Add(time.Hour))})
	assert.Equal(t, "participants[0].minutes", fieldOf(err), "shortening it below what people served")
	_, err = w.svc.UpdateActivity(w.leader, c, a.ID, governance.ActivityUpdate{Participants: &[]governance.Participant{{ResidentID: w.c.ID, Minutes: 1}}})
	assert.Equal(t, "participants", fieldOf(err))
	assert.Equal(t, fixed, must(w.svc.Activity(w.plain, c, a.ID))(t), "refused corrections change nothing")

	mine := must2(w.svc.FindActivities(w.plain, governance.ActivityFilter{CommunityID: c, ParticipantID: w.plainR.ID}))(t)
	require.Len(t, mine, 1)
	assert.Equal(t, a.ID, mine[0].ID)
}

// TestEvaluate counts a small history by hand.
func TestEvaluate(t *testing.T) {
	w := newWorld(t)
	c := w.c.ID
	jan := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	feb := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	mar := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	record := func(body governance.Body, service string, at time.Time, minutes map[string]int) {
		t.Helper()
		in := governance.ActivityInput{BodyID: body.ID, Title: service, Service: service, Start: at, End: at.Add(3 * time.Hour)}
		for _, r := range []grids.Resident{w.chairR, w.silverR, w.leaderR, w.memberR, w.plainR, w.otherR} {
			if m, ok := minutes[r.ID]; ok {
				in.Participants = append(in.Participants, governance.Participant{ResidentID: r.ID, Minutes: m})
			}
		}
		_, err := w.svc.RecordActivity(w.worker, c, in)
		require.NoError(t, err)
	}
	// January: the member and the leader serve in the group.
	record(w.group, "cleaning", jan.AddDate(0, 0, 9), map[string]int{w.memberR.ID: 60, w.leaderR.ID: 60})
	// February: the member again, the plain resident for the first time, in
	// the group and in Silver itself; the Clean committee patrols.
	record(w.group, "cleaning", feb.AddDate(0, 0, 9), map[string]int{w.memberR.ID: 45, w.plainR.ID: 30})
	record(w.silver, "elder_visit", feb.AddDate(0, 0, 14), map[string]int{w.plainR.ID: 100, w.silverR.ID: 20})
	record(w.clean, "patrol", feb.AddDate(0, 0, 20), map[string]int{w.otherR.ID: 1})

	ev := must(w.svc.Evaluate(w.plain, c, feb, mar))(t)
	assert.Equal(t, governance.Figures{Activities: 3, Volunteers: 4, NewVolunteers: 3, ServiceHours: decimal.RequireFromString("3.27"),
		Services: []string{"cleaning", "elder_visit", "patrol"}}, normalize(ev.Figures), "196 minutes; the member served before February")
	per := map[string]governance.BodyFigures{}
	for _, b := range ev.Bodies {
		per[b.BodyID] = b
	}
	require.Len(t, ev.Bodies, 11, "council, think tank, 8 committees, the group")
	silver := per[w.silver.ID]
	assert.Equal(t, 1, silver.Figures.Activities)
	require.NotNil(t, silver.Including)
	assert.Equal(t, governance.Figures{Activities: 2, Volunteers: 3, NewVolunteers: 2, ServiceHours: decimal.RequireFromString("3.25"),
		Services: []string{"cleaning", "elder_visit"}}, normalize(*silver.Including), "Silver with its group")
	assert.Nil(t, per[w.group.ID].Including, "only committees add their groups")
	assert.Equal(t, 0, per[w.council.ID].Figures.Activities)
	assert.Equal(t, 0, ev.GroupsFormed, "the group was formed in March")

	spring := must(w.svc.Evaluate(w.plain, c, jan, w.now().Add(time.Hour)))(t)
	assert.Equal(t, 4, spring.Figures.Activities)
	assert.Equal(t, 5, spring.Figures.NewVolunteers)
	assert.Equal(t, 1, spring.GroupsFormed)

	_, err := w.svc.Evaluate(w.plain, c, mar, feb)
	assert.Equal(t, "to", fieldOf(err))
}

// normalize makes decimals compare by value.
func normalize(f governance.Figures) governance.Figures {
	f.ServiceHours = decimal.RequireFromString(f.ServiceHours.String())
	return f
}
