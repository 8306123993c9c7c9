package governance_test

import (
	"context"
	"fmt"
	"time"

	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/procedure"
	"github.com/linli-go/linli/grids"
)

// exampleCommunity registers a community with a district and three
// residents, returning a worker's context and the residents.
func exampleCommunity(reg *grids.Registry) (ctx context.Context, com grids.Community, district grids.District, rs []grids.Resident) {
	com, _ = reg.CreateCommunity(grids.WithPrincipal(context.Background(), grids.Admin("setup")), grids.CommunityInput{Name: "水秀社区"})
	ctx = grids.WithPrincipal(context.Background(), grids.Principal{ID: "worker-1", CommunityID: com.ID, Name: "李娜", Roles: []grids.Role{grids.RoleWorker}})
	district, _ = reg.CreateDistrict(ctx, com.ID, grids.DistrictInput{Name: "第一片区"})
	building, _ := reg.CreateBuilding(ctx, com.ID, grids.BuildingInput{Name: "水秀新村1号"})
	for i, name := range []string{"陈阿姨", "周师傅", "吴老师"} {
		home, _ := reg.CreateHousehold(ctx, com.ID, grids.HouseholdInput{BuildingID: building.ID, Unit: fmt.Sprintf("1-10%d", i+1), Size: 1})
		r, _ := reg.CreateResident(ctx, com.ID, grids.ResidentInput{HouseholdID: home.ID, Name: name, Sex: grids.Female, BirthYear: 1955 + i})
		rs = append(rs, r)
	}
	return ctx, com, district, rs
}

// resident acts as a resident of the community.
func resident(com grids.Community, r grids.Resident) context.Context {
	return grids.WithPrincipal(context.Background(), grids.Principal{ID: "u-" + r.Name, CommunityID: com.ID, Name: r.Name,
		Roles: []grids.Role{grids.RoleResident}, ResidentID: r.ID})
}

// A worker sets up the community's governance, the council appoints a
// committee chair, the chair forms a mutual-aid group, and a resident
// joins it.
func Example() {
	store := memstore.New()
	reg := grids.NewRegistry(store.Grids(), grids.Options{})
	gov := governance.NewService(store.Governance(), store.Grids(), governance.Options{})
	worker, com, district, rs := exampleCommunity(reg)

	bodies, _ := gov.Setup(worker, com.ID)
	council, silver := bodies[0], bodies[2]
	fmt.Println(council.ChineseName, council.Seats, "seats;", silver.ChineseName)

	// Appointments rest on a recorded council decision.
	d, _ := gov.RecordDecision(worker, com.ID, governance.DecisionInput{Title: "任命银发委员会主任"})
	_, err := gov.Appoint(worker, com.ID, governance.AppointInput{BodyID: silver.ID, ResidentID: rs[0].ID, Office: governance.Chair, DecisionID: d.ID})
	fmt.Println("appointed:", err == nil)

	// The chair forms a group rooted in a district; a neighbour joins.
	chair := resident(com, rs[0])
	group, _ := gov.CreateBody(chair, com.ID, governance.BodyInput{Kind: governance.Group, ParentID: silver.ID, Name: "楼道文化小组",
		DistrictID: district.ID, Schedule: "每周六上午"})
	_, err = gov.Join(resident(com, rs[1]), com.ID, group.ID)
	fmt.Println("joined:", err == nil)

	// A resident who holds nothing cannot appoint.
	_, err = gov.Appoint(resident(com, rs[2]), com.ID, governance.AppointInput{BodyID: group.ID, ResidentID: rs[2].ID, Office: governance.Leader, DecisionID: d.ID})
	fmt.Println(err)
	// Output:
	// 邻里伙伴自治理事会 9 seats; 银发委员会
	// appointed: true
	// joined: true
	// forbidden: only the council appoints
}

// A resident raises a community issue; the council deliberates and decides
// it, a committee carries it out, and the council reviews it. A step out
// of order is refused.
func ExampleService_StepIssue() {
	store := memstore.New()
	reg := grids.NewRegistry(store.Grids(), grids.Options{})
	gov := governance.NewService(store.Governance(), store.Grids(), governance.Options{})
	worker, com, _, rs := exampleCommunity(reg)
	bodies, _ := gov.Setup(worker, com.ID)
	safety := bodies[7]

	is, _ := gov.RaiseIssue(resident(com, rs[1]), com.ID, governance.IssueInput{Title: "晚上停车难", Detail: "小区车位不够"})
	_, err := gov.StepIssue(worker, com.ID, is.ID, governance.StepInput{Status: governance.Decided})
	fmt.Println(err)

	meeting, _ := gov.RecordDecision(worker, com.ID, governance.DecisionInput{Title: "10号议事会：错时停车方案"})
	is, _ = gov.StepIssue(worker, com.ID, is.ID, governance.StepInput{Status: governance.Deliberated, Link: &governance.Link{Kind: "decision", ID: meeting.ID}})
	is, _ = gov.StepIssue(worker, com.ID, is.ID, governance.StepInput{Status: governance.Decided, Link: &governance.Link{Kind: "decision", ID: meeting.ID}})
	task, _ := gov.AssignTask(worker, com.ID, governance.TaskInput{ToBodyID: safety.ID, Title: "组织错时停车", IssueID: is.ID})
	is, _ = gov.StepIssue(worker, com.ID, is.ID, governance.StepInput{Status: governance.CarriedOut, Link: &governance.Link{Kind: "task", ID: task.ID}})
	is, _ = gov.StepIssue(worker, com.ID, is.ID, governance.StepInput{Status: governance.ReviewedOut, Note: "三个月后复查，效果良好"})
	for _, s := range is.Steps {
		link := ""
		if s.Link != nil {
			link = " on a " + s.Link.Kind
		}
		fmt.Printf("%s%s\n", s.Status, link)
	}
	// Output:
	// an issue that is raised cannot become decided
	// raised
	// deliberated on a decision
	// decided on a decision
	// carried_out on a task
	// reviewed
}

// A group leader records an activity with each participant's minutes;
// Evaluate counts what the case reports.
func ExampleService_Evaluate() {
	store := memstore.New()
	reg := grids.NewRegistry(store.Grids(), grids.Options{})
	gov := governance.NewService(store.Governance(), store.Grids(), governance.Options{})
	worker, com, district, rs := exampleCommunity(reg)
	bodies, _ := gov.Setup(worker, com.ID)
	clean := bodies[4]
	group, _ := gov.CreateBody(worker, com.ID, governance.BodyInput{Kind: governance.Group, ParentID: clean.ID, Name: "清洁小组", DistrictID: district.ID})

	start := time.Now().Add(-3 * time.Hour)
	_, err := gov.RecordActivity(worker, com.ID, governance.ActivityInput{BodyID: group.ID, Title: "楼道清扫", Service: "cleaning",
		Start: start, End: start.Add(2 * time.Hour), Participants: []governance.Participant{{ResidentID: rs[0].ID, Minutes: 120}, {ResidentID: rs[1].ID, Minutes: 50}}})
	fmt.Println("recorded:", err == nil)

	ev, _ := gov.Evaluate(resident(com, rs[2]), com.ID, start.Add(-time.Hour), time.Now())
	f := ev.Figures
	fmt.Println("groups formed:", ev.GroupsFormed, "activities:", f.Activities, "new volunteers:", f.NewVolunteers,
		"hours:", f.ServiceHours, "services:", f.Services)
	// Output:
	// recorded: true
	// groups formed: 1 activities: 1 new volunteers: 2 hours: 2.83 services: [cleaning]
}

// The council's monthly meeting, run move by move through the service:
// scheduled by its rule, opened with its members as the roster, a motion
// moved and carried (which records the council's decision), adjourned;
// the minutes are drafted from the log.
func ExampleService_Act() {
	store := memstore.New()
	reg := grids.NewRegistry(store.Grids(), grids.Options{})
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	gov := governance.NewService(store.Governance(), store.Grids(), governance.Options{Now: func() time.Time { return now }})
	worker, com, _, rs := exampleCommunity(reg)
	bodies, _ := gov.Setup(worker, com.ID)
	council := bodies[0]
	d, _ := gov.RecordDecision(worker, com.ID, governance.DecisionInput{Title: "理事会组成"})
	for i, r := range rs {
		office := governance.Member
		if i == 0 {
			office = governance.Chair
		}
		_, _ = gov.Appoint(worker, com.ID, governance.AppointInput{BodyID: council.ID, ResidentID: r.ID, Office: office, DecisionID: d.ID})
	}

	meetings, _ := gov.Schedule(worker, com.ID, council.ID, now.AddDate(0, 1, 0))
	march := meetings[0]
	fmt.Println(march.Title, march.ScheduledAt.In(time.FixedZone("CST", 8*3600)).Format("Mon 2 Jan 15:04"))

	now = march.ScheduledAt
	v, _ := gov.OpenMeeting(worker, com.ID, march.ID)
	move := func(r grids.Resident, e procedure.Event) {
		now = now.Add(time.Minute)
		var err error
		if v, err = gov.Act(resident(com, r), com.ID, march.ID, e); err != nil {
			fmt.Println("refused:", err)
		}
	}
	for _, r := range rs {
		move(r, procedure.Event{Type: procedure.Arrive, Member: r.ID, Mode: procedure.InPerson})
	}
	move(rs[1], procedure.Event{Type: procedure.Move, Kind: procedure.Main, Text: "实行错时停车"})
	move(rs[2], procedure.Event{Type: procedure.Move, Kind: procedure.Main, Text: "另一件事"})
	move(rs[0], procedure.Event{Type: procedure.CallVote, Method: procedure.Voice})
	move(rs[0], procedure.Event{Type: procedure.CloseVote, Outcome: "adopted"})
	decision, _ := gov.Decision(worker, com.ID, v.Meeting.Decisions["m1"])
	fmt.Println("decided:", decision.Title)
	move(rs[2], procedure.Event{Type: procedure.Move, Kind: procedure.Adjourn})
	move(rs[0], procedure.Event{Type: procedure.CallVote, Method: procedure.Voice})
	move(rs[0], procedure.Event{Type: procedure.CloseVote, Outcome: "adopted"})

	minutes, _ := gov.Minutes(worker, com.ID, march.ID)
	fmt.Println(v.Meeting.Status, "after", v.State.Seq, "moves; minutes", minutes.Record.Status, "with", len(minutes.Minutes.Motions), "motions")
	// Output:
	// 邻里伙伴自治理事会 2026年3月例会 Tue 10 Mar 19:00
	// refused: out of order: a main motion is in order only when no question is pending (RONR 10:3); m1 is
	// decided: 实行错时停车
	// adjourned after 10 moves; minutes draft with 2 motions
}
