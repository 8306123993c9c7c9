// Package governancedemo gives a demo community the case's governance and
// two years of its history: the council of nine, the eight committees
// with their chairs, 24 mutual-aid groups whose leaders were nominated,
// reviewed and appointed by council decisions, the 14 social
// organisations, the think tank, community issues and tasks travelling up
// and down, and 126 activities in which 361 new volunteers served 5,249
// hours in 21 kinds of service — the figures the case reports.
//
// Seed runs the history through governance.Service on a simulated clock,
// so every rule is kept and every record carries the time it would have
// had; Evaluate over Period then reports Expected.
package governancedemo

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/linli-go/linli/governance/outcome"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/clock"
)

// The case's figures (shared/docs/domain.md), which Evaluate over Period
// reports for a seeded community.
const (
	Groups         = 24
	Activities     = 126
	NewVolunteers  = 361
	ServiceMinutes = 5249 * 60
	Services       = 21
	Organisations  = 14
	Months         = outcome.Months // the programme's length: one council meeting a month
)

// Residents is how many active residents Seed needs: the volunteers, and
// the council and committee members who lead without serving.
const Residents = NewVolunteers + 9 + 8*3 + 10

// Period is the programme Seed records: the Months whole months before
// end's month in the community's zone (Zone), outcome.Period's.
func Period(end time.Time) (from, to time.Time) {
	from, to = outcome.Period(end, Zone)
	return from.UTC(), to.UTC()
}

// Zone is the demo community's time zone: Wuxi's.
var Zone = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}()

// group is one of the case's kinds of mutual-aid group.
type group struct {
	committee string // the committee's key
	name      string
	service   string
	schedule  string
	tags      []string // its purpose: the residents' interests and needs it serves
}

// GroupSize is each group's size: room for about as many again as the 15
// who found it.
const GroupSize = 30

// groups are the 24 groups, three under each committee; their services
// and the committees' own make the case's 21 kinds.
var groups = []group{
	{"silver", "楼道文化小组", "stairwell_culture", "每月第一个周六", []string{"calligraphy", "reading"}},
	{"silver", "银龄探访小组", "elder_visit", "每周二、周四上午", []string{"companionship", "home_elder_care", "volunteering"}},
	{"silver", "助餐送餐小组", "meal_delivery", "每天中午", []string{"meal_delivery", "volunteering"}},
	{"sprout", "绘本馆管理小组", "picture_books", "周末全天", []string{"reading", "parenting"}},
	{"sprout", "四点半课堂小组", "after_school", "工作日下午四点半", []string{"after_school_care", "parenting"}},
	{"sprout", "小小志愿者小组", "youth_volunteering", "寒暑假", []string{"youth_sports", "volunteering"}},
	{"clean", "卫生清洁小组", "cleaning", "每周六上午", []string{"volunteering"}},
	{"clean", "绿化养护小组", "greening", "每月两次", []string{"gardening"}},
	{"clean", "垃圾分类小组", "waste_sorting", "每天早晚", []string{"gardening", "volunteering"}},
	{"vitality", "太极健身小组", "tai_chi", "每天清晨", []string{"tai_chi"}},
	{"vitality", "文艺演出小组", "performance", "每周三晚上", []string{"choir", "square_dance"}},
	{"vitality", "节庆活动小组", "festival", "端午、中秋、重阳、邻里节", []string{"square_dance", "choir"}},
	{"wisdom", "议事代表小组", "hearing", "每月10日前", []string{"volunteering"}},
	{"wisdom", "社区规划小组", "planning", "每季度", []string{"digital_skills"}},
	{"wisdom", "信息宣传小组", "publicity", "每周一", []string{"digital_skills", "calligraphy"}},
	{"safety", "日间巡逻小组", "patrol", "每天白天", []string{"volunteering"}},
	{"safety", "夜间巡逻小组", "patrol", "每天晚上", []string{"volunteering"}},
	{"safety", "邻里调解小组", "mediation", "随时", []string{"dispute_mediation"}},
	{"convenience", "爱心车位小组", "caring_parking", "每天早晚高峰", []string{"volunteering"}},
	{"convenience", "家电义修小组", "repair", "每月义集", []string{"digital_skills"}},
	{"convenience", "爱心理发小组", "haircut", "每月第二个周日", []string{"home_elder_care", "disability_support"}},
	{"redstar", "百家宴小组", "neighbour_banquet", "每季度", []string{"chess_cards", "square_dance"}},
	{"redstar", "党员先锋小组", "elder_visit", "每周五", []string{"medical_escort", "companionship"}},
	{"redstar", "红色宣讲小组", "publicity", "每月一次", []string{"reading"}},
}

// flagships are the committees' own programmes (shared/seed), each run
// twice: two of the 126 activities per committee.
var flagships = map[string]struct{ title, service, place string }{
	"silver":      {"特色文化楼评选", "stairwell_culture", "各楼道"},
	"sprout":      {"水秀梦想家绘本馆开放日", "picture_books", "社区二楼绘本馆"},
	"clean":       {"洁美大行动", "cleaning", "小区卫生死角"},
	"vitality":    {"统一活动日", "festival", "社区广场"},
	"wisdom":      {"智慧议事厅听证会", "hearing", "社区议事厅"},
	"safety":      {"平安365联合巡逻", "patrol", "全小区"},
	"convenience": {"便民特惠购服务日", "repair", "社区广场"},
	"redstar":     {"水秀百家宴", "neighbour_banquet", "社区广场"},
}

// organisations are the 14 incubated in the community's service park.
var organisations = []struct {
	name, kind, purpose string
	committees          []string
}{
	{"金邻居社工事务所", "professional", "专业社会工作服务，项目督导", []string{"silver", "sprout", "wisdom"}},
	{"浑元太极拳队", "grassroots", "太极拳教学与展演", []string{"vitality"}},
	{"focus摄影社", "grassroots", "记录社区活动，摄影培训", []string{"vitality", "wisdom"}},
	{"水秀合唱团", "grassroots", "合唱排练与演出", []string{"vitality"}},
	{"绿色环保志愿队", "grassroots", "环保宣传与垃圾分类", []string{"clean"}},
	{"巾帼志愿服务队", "grassroots", "妇女志愿服务", []string{"silver", "redstar"}},
	{"银龄互助社", "grassroots", "老年人互助", []string{"silver"}},
	{"书香读书会", "grassroots", "亲子阅读与读书分享", []string{"sprout"}},
	{"爱心理发队", "grassroots", "为老人免费理发", []string{"convenience"}},
	{"平安巡逻队", "grassroots", "日夜巡逻", []string{"safety"}},
	{"邻里调解会", "grassroots", "调解邻里纠纷", []string{"safety"}},
	{"夕阳红舞蹈队", "grassroots", "广场舞", []string{"vitality"}},
	{"小小志愿者社", "grassroots", "青少年志愿服务", []string{"sprout"}},
	{"家电义修队", "grassroots", "家电免费维修", []string{"convenience"}},
}

// Summary is what Seed made.
type Summary struct {
	Bodies, Positions, Organisations, Decisions, Nominations, Tasks, Issues, Activities, Meetings, Hearings int
	// Briefings, consultations, open-space meetings, and the participants
	// the council's meetings invited.
	Briefings, Consultations, OpenSpaces, Invitees int
}

// demo runs the history on a simulated clock.
type demo struct {
	ctx       context.Context
	svc       *governance.Service
	clock     *clock.Manual
	rnd       *rand.Rand
	community string
	registry  grids.Store
	admin     context.Context
	sum       Summary
	err       error
}

// at moves the simulated clock to month m (from the programme's start),
// day d, hour h.
func (d *demo) at(start time.Time, m, day, hour int) {
	d.clock.Set(start.AddDate(0, m, day-1).Add(time.Duration(hour) * time.Hour))
}

// as acts as a resident.
func (d *demo) as(r grids.Resident) context.Context {
	return grids.WithPrincipal(d.ctx, grids.Principal{ID: "demo-resident-" + r.ID, CommunityID: d.community, Name: r.Name,
		Roles: []grids.Role{grids.RoleResident}, ResidentID: r.ID})
}

// do records the first error; later steps are skipped.
func do[T any](d *demo, counter *int, f func() (T, error)) T {
	var zero T
	if d.err != nil {
		return zero
	}
	v, err := f()
	if err != nil {
		d.err = err
		return zero
	}
	if counter != nil {
		*counter++
	}
	return v
}

// Seed gives the community its governance and the programme's history over
// Period(end), using residents and places from registry. It refuses a
// community that has a council already, and one with fewer than Residents
// active residents.
func Seed(ctx context.Context, store governance.Store, registry grids.Store, communityID string, end time.Time, seed uint64) (Summary, error) {
	from, _ := Period(end)
	residents, places, err := registryOf(ctx, registry, communityID)
	if err != nil {
		return Summary{}, err
	}
	if len(residents) < Residents {
		return Summary{}, fmt.Errorf("governancedemo: the community has %d active residents; the demo needs %d", len(residents), Residents)
	}
	c := clock.NewManual(from)
	d := &demo{ctx: ctx, clock: c, rnd: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)), community: communityID, registry: registry,
		svc: governance.NewService(store, registry, governance.Options{Now: c.Now})}
	d.admin = grids.WithPrincipal(ctx, grids.Admin("demo"))
	have, _, err := d.svc.FindBodies(d.admin, governance.BodyFilter{CommunityID: communityID, Kind: governance.Council})
	if err != nil {
		return Summary{}, err
	}
	if len(have) > 0 {
		return Summary{}, fmt.Errorf("governancedemo: the community has a council already")
	}
	d.rnd.Shuffle(len(residents), func(i, j int) { residents[i], residents[j] = residents[j], residents[i] })
	d.history(from, residents, places)
	return d.sum, d.err
}

// registryOf reads the community's active residents (in ID order) and its
// grids, or its districts if it has no grids.
func registryOf(ctx context.Context, registry grids.Store, community string) ([]grids.Resident, []place, error) {
	var rs []grids.Resident
	var ps []place
	err := registry.View(ctx, func(tx grids.Tx) error {
		var err error
		if rs, _, err = tx.FindResidents(ctx, grids.ResidentFilter{CommunityID: community}); err != nil {
			return err
		}
		gs, _, err := tx.FindGrids(ctx, grids.GridFilter{CommunityID: community})
		if err != nil {
			return err
		}
		for _, g := range gs {
			ps = append(ps, place{grid: g.ID, name: g.Name})
		}
		if len(ps) == 0 {
			ds, _, err := tx.FindDistricts(ctx, grids.DistrictFilter{CommunityID: community})
			if err != nil {
				return err
			}
			for _, dd := range ds {
				ps = append(ps, place{district: dd.ID, name: dd.Name})
			}
		}
		return nil
	})
	if err == nil && len(ps) == 0 {
		err = fmt.Errorf("governancedemo: the community has no districts or grids to root groups in")
	}
	return rs, ps, err
}

type place struct{ district, grid, name string }

// story is a community issue of the case and how far it got.
type story struct {
	title, detail string
	by            int // a group index raising it through a member, -1 for a resident
	to            string
	steps         int // how far it got: 1 deliberated … 4 reviewed; -1 declined; 0 raised only
}

var stories = []story{
	{"晚上停车难", "老新村车位不足，晚上车辆乱停占用消防通道。", -1, "convenience", 4},
	{"楼道堆物存在消防隐患", "部分楼道堆放杂物，影响通行。", 0, "clean", 4},
	{"电动车楼道充电不安全", "飞线充电现象普遍。", 15, "safety", 3},
	{"独居老人助餐需求", "高龄独居老人吃饭难。", 1, "silver", 2},
	{"把绿化带改成停车位", "有居民提出把部分绿化带改为车位。", -1, "wisdom", -1},
	{"儿童课后无人看护", "双职工家庭孩子放学后无人照看。", -1, "sprout", 1},
	{"小区健身器材老化", "器材损坏，存在安全隐患。", 9, "vitality", 0},
}

// history plays the programme month by month: the founding, then each
// month's business before, at and after the council's meeting.
func (d *demo) history(start time.Time, residents []grids.Resident, places []place) {
	take := func(n int) []grids.Resident {
		out := residents[:n]
		residents = residents[n:]
		return out
	}
	councillors, chairs, committeeMembers, tank := take(9), take(8), take(16), take(10)
	volunteers := take(NewVolunteers) // leaders and members of the groups

	// Month 0: the structure, the organisations, the founding decision.
	d.at(start, 0, 2, 9)
	bodies := do(d, nil, func() ([]governance.Body, error) { return d.svc.Setup(d.admin, d.community) })
	d.sum.Bodies += len(bodies)
	byKey := map[string]governance.Body{}
	for _, b := range bodies {
		byKey[b.Key] = b
	}
	council, thinkTank := byKey["council"], byKey["think_tank"]
	orgs := make([]governance.Organisation, 0, len(organisations))
	for _, o := range organisations {
		var committees []string
		for _, k := range o.committees {
			committees = append(committees, byKey[k].ID)
		}
		org := do(d, &d.sum.Organisations, func() (governance.Organisation, error) {
			return d.svc.RegisterOrganisation(d.admin, d.community, governance.OrganisationInput{Name: o.name, Kind: o.kind, Origin: "incubated", Purpose: o.purpose, CommitteeIDs: committees})
		})
		orgs = append(orgs, org)
		do(d, &d.sum.Positions, func() (governance.Position, error) {
			return d.svc.AddMember(d.admin, d.community, thinkTank.ID, governance.MemberInput{HolderKind: "organisation", HolderID: org.ID})
		})
	}
	for _, r := range tank {
		do(d, &d.sum.Positions, func() (governance.Position, error) {
			return d.svc.AddMember(d.admin, d.community, thinkTank.ID, governance.MemberInput{HolderID: r.ID})
		})
	}

	d.at(start, 0, 3, 19) // the residents' representative assembly
	founding := do(d, &d.sum.Decisions, func() (governance.Decision, error) {
		return d.svc.RecordDecision(d.admin, d.community, governance.DecisionInput{BodyID: council.ID, Title: "居民代表大会选举产生第一届邻里伙伴自治理事会",
			Text: "选举产生理事会九名成员及八个功能型委员会主任、委员，任期三年。"})
	})
	term := d.clock.Now().AddDate(3, 0, 0)
	seats := []struct {
		office governance.Office
		seat   governance.Constituency
	}{
		{governance.Chair, governance.ResidentsSeat}, {governance.ViceChair, governance.PartySeat}, {governance.ViceChair, governance.MassOrgSeat},
		{governance.Secretary, governance.ResidentsSeat}, {governance.Member, governance.ResidentsSeat}, {governance.Member, governance.ResidentsSeat},
		{governance.Member, governance.PartySeat}, {governance.Member, governance.MassOrgSeat}, {governance.Member, governance.OrganisationsSeat},
	}
	for i, s := range seats {
		in := governance.AppointInput{BodyID: council.ID, ResidentID: councillors[i].ID, Office: s.office, DecisionID: founding.ID, Constituency: s.seat, TermEnd: &term}
		if s.seat == governance.OrganisationsSeat {
			in.Represents = orgs[0].ID
		}
		do(d, &d.sum.Positions, func() (governance.Position, error) { return d.svc.Appoint(d.admin, d.community, in) })
	}
	for i, c := range governance.DefaultCommittees {
		committee := byKey[c.Key]
		for j, r := range []grids.Resident{chairs[i], committeeMembers[2*i], committeeMembers[2*i+1]} {
			office := governance.Member
			if j == 0 {
				office = governance.Chair
			}
			do(d, &d.sum.Positions, func() (governance.Position, error) {
				return d.svc.Appoint(d.admin, d.community, governance.AppointInput{BodyID: committee.ID, ResidentID: r.ID, Office: office, DecisionID: founding.ID, TermEnd: &term})
			})
		}
	}
	committeeIndex := func(key string) int {
		return slices.IndexFunc(governance.DefaultCommittees, func(b governance.Body) bool { return b.Key == key })
	}
	chairOf := func(key string) grids.Resident { return chairs[committeeIndex(key)] }

	// The council's regular meetings for the whole programme, on the 10th.
	d.clock.Set(start)
	meetings := do(d, nil, func() ([]governance.Meeting, error) {
		return d.svc.Schedule(d.admin, d.community, council.ID, start.AddDate(0, Months, 0))
	})
	if d.err == nil && len(meetings) != CouncilMeetings {
		d.err = fmt.Errorf("governancedemo: %d council meetings scheduled, want %d", len(meetings), CouncilMeetings)
	}

	// The groups' people: 23 × 15 + 16 = 361 volunteers.
	bodyOf := make([]governance.Body, len(groups))
	members := make([][]grids.Resident, len(groups))
	for g := range groups {
		size := 15
		if g == 0 {
			size = 16
		}
		members[g] = volunteers[:size]
		volunteers = volunteers[size:]
	}
	// The think tank's stairwell briefings find the groups' leaders.
	leadersOf := make([]grids.Resident, len(groups))
	for g := range groups {
		leadersOf[g] = members[g][0]
	}
	briefingOf := d.briefings(start, leadersOf, append(slices.Clone(tank), committeeMembers...))

	var last *governance.Meeting
	for m := 0; m < Months && d.err == nil; m++ {
		mt := meetings[m]
		var business []motion
		// Months 1–6: four groups a month, formed by their committee's
		// chair; residents join; leaders are put forward and reviewed,
		// then appointed by the council.
		type leader struct {
			g int
			n governance.Nomination
		}
		var leaders []leader
		if m >= 1 && m <= 6 {
			for g := (m - 1) * 4; g < m*4; g++ {
				gr := groups[g]
				d.clock.Set(mt.ScheduledAt.Add(-9*24*time.Hour + time.Duration(g%4)*time.Hour))
				pl := places[g%len(places)]
				bodyOf[g] = do(d, &d.sum.Bodies, func() (governance.Body, error) {
					return d.svc.CreateBody(d.as(chairOf(gr.committee)), d.community, governance.BodyInput{Kind: governance.Group, ParentID: byKey[gr.committee].ID,
						Name: gr.name, DistrictID: pl.district, GridID: pl.grid, Schedule: gr.schedule, Remit: gr.name + "：" + pl.name, Tags: gr.tags, Seats: GroupSize})
				})
				for i, r := range members[g][1:] {
					d.clock.Set(mt.ScheduledAt.Add(-8*24*time.Hour + time.Duration(i)*time.Hour))
					do(d, &d.sum.Positions, func() (governance.Position, error) { return d.svc.Join(d.as(r), d.community, bodyOf[g].ID) })
				}
				d.clock.Set(mt.ScheduledAt.Add(-5 * 24 * time.Hour))
				who := members[g][0]
				in := governance.NominationInput{BodyID: bodyOf[g].ID, Office: governance.Leader, Statement: "愿意带领大家开展" + gr.name + "活动"}
				by := d.as(who)
				if g%2 == 1 {
					in.ResidentID, by = who.ID, d.as(councillors[1+g%8])
				}
				if g < len(briefingOf) {
					in.BriefingID = briefingOf[g] // found at a briefing
				}
				n := do(d, &d.sum.Nominations, func() (governance.Nomination, error) { return d.svc.Nominate(by, d.community, in) })
				do(d, nil, func() (governance.Nomination, error) {
					return d.svc.ReviewNomination(d.admin, d.community, n.ID, governance.ReviewInput{Approve: true, Note: "热心公益，群众基础好"})
				})
				leaders = append(leaders, leader{g, n})
				business = append(business, motion{text: "任命" + who.Name + "为" + gr.name + "组长"})
			}
		}
		// Issues raised this month are heard, then decided by the council;
		// earlier ones are reviewed.
		var raised []int
		issues := map[int]governance.Issue{}
		for i, st := range stories {
			if 8+i != m {
				continue
			}
			d.clock.Set(mt.ScheduledAt.Add(-9 * 24 * time.Hour))
			who := d.as(members[2][3+i])
			in := governance.IssueInput{Title: st.title, Detail: st.detail}
			if st.by >= 0 {
				who, in.BodyID = d.as(members[st.by][1]), bodyOf[st.by].ID
			}
			issues[i] = do(d, &d.sum.Issues, func() (governance.Issue, error) { return d.svc.RaiseIssue(who, d.community, in) })
			raised = append(raised, i)
			if i < len(hearings) {
				ci := committeeIndex(st.to)
				public := members[(i*4)%len(groups)][:8]
				d.holdHearing(mt.ScheduledAt.Add(-4*24*time.Hour), hearings[i], byKey[st.to], chairs[ci],
					[]grids.Resident{committeeMembers[2*ci], committeeMembers[2*ci+1]}, public)
			}
			switch {
			case st.steps >= 2:
				business = append(business, motion{text: "关于“" + st.title + "”的处理方案"})
			case st.steps < 0:
				business = append(business, motion{text: "关于“" + st.title + "”的处理方案", lose: true})
			}
		}
		for i, st := range stories {
			if st.steps == 4 && 13+i == m {
				business = append(business, motion{text: "回头看：" + st.title})
			}
		}
		business = append(business, pool[m%len(pool)])
		switch m {
		case 9:
			d.holdConsultation(mt.ScheduledAt.Add(-6*24*time.Hour), byKey["silver"], byKey["convenience"], chairOf("silver"), members[5][:6])
		case 11:
			d.holdOpenSpace(mt.ScheduledAt.Add(-6*24*time.Hour), byKey["vitality"], chairOf("vitality"), members[9][:9])
		}
		if m >= 1 {
			d.invite(mt, chairs[m%len(chairs)], members[m%len(groups)][2])
		}

		decisions := d.councilMeeting(mt, last, councillors, business)
		d.sum.Decisions += len(decisions)
		mtc := mt
		last = &mtc

		// After the meeting: appointments, and issues moved on what was decided.
		d.clock.Set(mt.ScheduledAt.Add(24 * time.Hour))
		for _, l := range leaders {
			dec := decisions["任命"+members[l.g][0].Name+"为"+groups[l.g].name+"组长"]
			do(d, &d.sum.Positions, func() (governance.Nomination, error) {
				return d.svc.AppointNomination(d.admin, d.community, l.n.ID, governance.NominationAppointInput{DecisionID: dec, TermEnd: &term})
			})
		}
		for _, i := range raised {
			d.followIssue(mt, issues[i], stories[i], decisions["关于“"+stories[i].title+"”的处理方案"], byKey)
		}
		for i, st := range stories {
			if st.steps == 4 && 13+i == m {
				d.reviewIssue(mt, st, decisions["回头看："+st.title])
			}
		}
	}
	// The council's standing work for each committee, some still open.
	for i, c := range governance.DefaultCommittees {
		d.at(start, 2+i, 12, 10)
		do(d, &d.sum.Tasks, func() (governance.Task, error) {
			return d.svc.AssignTask(d.admin, d.community, governance.TaskInput{ToBodyID: byKey[c.Key].ID, Title: "制定" + c.ChineseName + "年度服务计划"})
		})
	}
	// Two recommendations still pending, one rejected: the record keeps them.
	for i, r := range tank[:3] {
		d.at(start, 7, 3+i, 10)
		n := do(d, &d.sum.Nominations, func() (governance.Nomination, error) {
			return d.svc.Nominate(d.as(tank[(i+1)%len(tank)]), d.community, governance.NominationInput{ResidentID: r.ID, BodyID: byKey["wisdom"].ID, Office: governance.Member, Statement: "熟悉社区规划"})
		})
		if i == 2 {
			do(d, nil, func() (governance.Nomination, error) {
				return d.svc.ReviewNomination(d.admin, d.community, n.ID, governance.ReviewInput{Approve: false, Note: "委员名额已满，留作智库成员"})
			})
		}
	}
	d.activities(start, byKey, bodyOf, members, chairOf)
}

// step moves an issue one step.
func (d *demo) step(is governance.Issue, status governance.IssueStatus, link *governance.Link, note, reason string) {
	do(d, nil, func() (governance.Issue, error) {
		return d.svc.StepIssue(d.admin, d.community, is.ID, governance.StepInput{Status: status, Link: link, Note: note, Reason: reason})
	})
}

// followIssue moves an issue on the council's meeting: deliberated there,
// decided by its decision (or declined), carried out by a committee's task.
func (d *demo) followIssue(mt governance.Meeting, is governance.Issue, st story, decision string, byKey map[string]governance.Body) {
	if d.err != nil || st.steps == 0 {
		return
	}
	meeting := &governance.Link{Kind: "meeting", ID: mt.ID}
	if st.steps < 0 {
		d.step(is, governance.Declined, meeting, "", "绿化率须符合规划要求，改建车位不可行；另行研究错时停车。")
		return
	}
	d.step(is, governance.Deliberated, meeting, "理事会例会讨论", "")
	if st.steps < 2 {
		return
	}
	d.step(is, governance.Decided, &governance.Link{Kind: "decision", ID: decision}, "表决通过", "")
	due := d.clock.Now().AddDate(0, 2, 0)
	task := do(d, &d.sum.Tasks, func() (governance.Task, error) {
		return d.svc.AssignTask(d.admin, d.community, governance.TaskInput{ToBodyID: byKey[st.to].ID, Title: "落实：" + st.title, IssueID: is.ID, Due: &due})
	})
	d.clock.Advance(20 * 24 * time.Hour)
	do(d, nil, func() (governance.Task, error) {
		return d.svc.ReportTask(d.admin, d.community, task.ID, governance.ReportInput{Status: governance.InProgress, Note: "已组织志愿者开展工作"})
	})
	if st.steps < 3 {
		return
	}
	d.clock.Advance(20 * 24 * time.Hour)
	do(d, nil, func() (governance.Task, error) {
		return d.svc.ReportTask(d.admin, d.community, task.ID, governance.ReportInput{Status: governance.Done, Note: "已完成"})
	})
	d.step(is, governance.CarriedOut, &governance.Link{Kind: "task", ID: task.ID}, "委员会完成落实", "")
}

// reviewIssue records the council's review of an issue carried out.
func (d *demo) reviewIssue(mt governance.Meeting, st story, decision string) {
	if d.err != nil {
		return
	}
	found, _, err := d.svc.FindIssues(d.admin, governance.IssueFilter{CommunityID: d.community, Status: governance.CarriedOut, Page: grids.Page{Limit: 100}})
	if err != nil {
		d.err = err
		return
	}
	for _, is := range found {
		if is.Title == st.title {
			d.step(is, governance.ReviewedOut, &governance.Link{Kind: "decision", ID: decision}, "回头看：效果良好，形成长效机制", "")
		}
	}
}

// activities records the 126 activities: two flagship programmes per
// committee, the rest by the groups, every volunteer at least once, and
// exactly ServiceMinutes of service in all.
func (d *demo) activities(start time.Time, byKey map[string]governance.Body, bodyOf []governance.Body, members [][]grids.Resident, chairOf func(string) grids.Resident) {
	type plan struct {
		month, day, hour int
		body             governance.Body
		title, service   string
		place            string
		organiser        string
		length           int // minutes
		people           []grids.Resident
		minutes          []int
	}
	var plans []plan
	// Flagships: committees run theirs in months 8 and 18, with volunteers
	// of their groups.
	for i, c := range governance.DefaultCommittees {
		f := flagships[c.Key]
		var pool []grids.Resident
		for g, gr := range groups {
			if gr.committee == c.Key {
				pool = append(pool, members[g]...)
			}
		}
		for _, m := range []int{8, 18} {
			d.rnd.Shuffle(len(pool), func(a, b int) { pool[a], pool[b] = pool[b], pool[a] })
			plans = append(plans, plan{month: m, day: 15 + i, hour: 9, body: byKey[c.Key], title: f.title, service: f.service, place: f.place,
				organiser: chairOf(c.Key).ID, length: 240, people: slices.Clone(pool[:20])})
		}
	}
	// Groups: the rest, in turn, from the month after each was formed; a
	// group's first activity brings every member.
	n := Activities - len(plans)
	first := make([]bool, len(groups))
	for i := range n {
		g := i % len(groups)
		formed := 1 + g/4
		m := formed + 1 + i/len(groups)*((Months-2-formed)/5)
		m = min(m, Months-1)
		people := members[g]
		if first[g] {
			k := 8 + d.rnd.IntN(len(people)-7)
			shuffled := slices.Clone(people)
			d.rnd.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
			people = shuffled[:k]
		}
		first[g] = true
		plans = append(plans, plan{month: m, day: 3 + (i*7)%24, hour: 8 + i%4, body: bodyOf[g], title: groups[g].name + "活动", service: groups[g].service,
			place: bodyOf[g].Remit, organiser: members[g][0].ID, length: []int{180, 240, 300}[i%3], people: people})
	}
	// Minutes: near the same share of each activity's length, then
	// adjusted a minute at a time to the exact total.
	capacity := 0
	for _, p := range plans {
		capacity += p.length * len(p.people)
	}
	total := 0
	for i := range plans {
		p := &plans[i]
		p.minutes = make([]int, len(p.people))
		for j := range p.people {
			share := float64(ServiceMinutes) / float64(capacity) * (0.85 + 0.3*d.rnd.Float64())
			p.minutes[j] = min(p.length, max(30, int(float64(p.length)*share)))
			total += p.minutes[j]
		}
	}
	for step := cmp.Compare(ServiceMinutes, total); total != ServiceMinutes; {
		moved := false
		for i := range plans {
			for j := range plans[i].minutes {
				if total == ServiceMinutes {
					break
				}
				if m := plans[i].minutes[j] + step; m >= 30 && m <= plans[i].length {
					plans[i].minutes[j], total, moved = m, total+step, true
				}
			}
		}
		if !moved {
			d.err = fmt.Errorf("governancedemo: cannot reach %d minutes of service", ServiceMinutes)
			return
		}
	}
	slices.SortStableFunc(plans, func(a, b plan) int {
		return cmp.Or(cmp.Compare(a.month, b.month), cmp.Compare(a.day, b.day), cmp.Compare(a.hour, b.hour))
	})
	for _, p := range plans {
		d.at(start, p.month, p.day, p.hour)
		begin := d.clock.Now()
		d.clock.Set(begin.Add(time.Duration(p.length+60) * time.Minute))
		in := governance.ActivityInput{BodyID: p.body.ID, Title: p.title, Service: p.service, Place: p.place, Start: begin,
			End: begin.Add(time.Duration(p.length) * time.Minute), OrganiserID: p.organiser}
		for j, r := range p.people {
			in.Participants = append(in.Participants, governance.Participant{ResidentID: r.ID, Minutes: p.minutes[j]})
		}
		do(d, &d.sum.Activities, func() (governance.Activity, error) { return d.svc.RecordActivity(d.admin, d.community, in) })
	}
}
