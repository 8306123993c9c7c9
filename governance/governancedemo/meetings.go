package governancedemo

import (
	"context"
	"time"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/procedure"
	"github.com/linli-go/linli/grids"
)

// The case's meeting figures: the council met every month, and the
// committees held public hearings.
const (
	CouncilMeetings = 26
	Hearings        = 6
)

// motion is business put to a council meeting.
type motion struct {
	text  string
	lose  bool   // the council votes it down
	amend string // an amendment, adopted, giving the whole new wording
	// how is how it is disposed of: "" a vote; "unfinished" the meeting
	// adjourns first; "refer" to the Wisdom committee; "postpone" to the
	// next meeting; "table" laid on the table; "roll" a roll call.
	how string
}

// pool is the council's everyday business, month by month.
var pool = []motion{
	{text: "通过理事会议事规则（罗伯特议事规则水秀版）"},
	{text: "通过八个委员会年度服务计划", amend: "通过八个委员会年度服务计划，并每季度向理事会报告进展"},
	{text: "同意在社区二楼设立公益绘本馆", how: "roll"},
	{text: "设立爱心车位20个，优先保障残疾人和高龄老人", how: "refer"},
	{text: "开展洁美大行动，每月最后一个周六为清洁日"},
	{text: "举办首届水秀邻里节"},
	{text: "增设电动车集中充电点两处", how: "postpone"},
	{text: "同意使用自治金1万元支持水秀梦想家绘本馆"},
	{text: "表彰年度优秀志愿者30名", amend: "表彰年度优秀志愿者36名，其中青少年志愿者6名"},
	{text: "在每栋楼道张贴议事规则简明版", lose: true},
	{text: "组织水秀百家宴", how: "table"},
	{text: "成立应急小组，24小时值守电话公示"},
	{text: "便民服务联盟成员按收益10%缴纳社区公益金", how: "roll"},
	{text: "设立义仓，每月举办一次公益市集"},
	{text: "将四点半课堂扩大到周六全天", how: "unfinished"},
	{text: "修订楼道文化评比办法"},
	{text: "同意智慧委员会开展停车管理听证"},
	{text: "推选社区居民代表参加街道议事会", lose: true},
	{text: "更新社区信息平台意见征集栏目"},
	{text: "开展垃圾分类积分兑换"},
	{text: "通过年度自治金使用报告"},
	{text: "延长夜间巡逻至23:00", amend: "延长夜间巡逻至23:30，冬季至23:00"},
	{text: "同意与家乐福签署公益合约"},
	{text: "调整理事会例会时间为每月10日18:30", lose: true},
	{text: "通过民生智库年度工作总结"},
	{text: "表彰第二届优秀志愿者"},
}

// councilMeeting holds the council's regular meeting of month m: the
// minutes of the last one approved and published, the business proposed
// as agenda items, moved, amended, referred, postponed or laid on the
// table, voted, and the meeting adjourned. It returns the decision
// recorded for each adopted motion, by its text.
func (d *demo) councilMeeting(mt governance.Meeting, last *governance.Meeting, councillors []grids.Resident, business []motion) map[string]string {
	decisions := map[string]string{}
	if d.err != nil {
		return decisions
	}
	d.clock.Set(mt.ScheduledAt.Add(-72 * time.Hour))
	for _, b := range business {
		do(d, nil, func() (governance.Meeting, error) {
			return d.svc.ProposeItem(d.admin, d.community, mt.ID, governance.ItemInput{Title: b.text, Minutes: 20})
		})
	}
	do(d, nil, func() (governance.Meeting, error) {
		return d.svc.GiveNotice(d.admin, d.community, mt.ID, "理事会例会于"+mt.ScheduledAt.In(cst).Format("1月2日15:04")+"在"+mt.Place+"召开。")
	})
	d.clock.Set(mt.ScheduledAt)
	view := do(d, nil, func() (governance.MeetingView, error) { return d.svc.OpenMeeting(d.admin, d.community, mt.ID) })
	if d.err != nil {
		return decisions
	}
	d.sum.Meetings++
	if last != nil {
		do(d, nil, func() (governance.Meeting, error) { return d.svc.ApproveMinutes(d.admin, d.community, last.ID, mt.ID) })
		do(d, nil, func() (governance.Meeting, error) { return d.svc.PublishMinutes(d.admin, d.community, last.ID) })
	}
	chair := d.as(councillors[0])
	move := func(who context.Context, e procedure.Event) governance.MeetingView {
		d.clock.Advance(2 * time.Minute)
		v := do(d, nil, func() (governance.MeetingView, error) { return d.svc.Act(who, d.community, mt.ID, e) })
		if d.err == nil {
			view = v
		}
		return v
	}
	// Attendance: one or two may be away, never the chair.
	present := []grids.Resident{councillors[0]}
	for _, c := range councillors[1:] {
		if d.rnd.IntN(6) > 0 || len(present) < 6 {
			present = append(present, c)
		}
	}
	for _, c := range present {
		mode := procedure.InPerson
		if d.rnd.IntN(8) == 0 {
			mode = procedure.Online
		}
		move(d.as(c), procedure.Event{Type: procedure.Arrive, Member: c.ID, Mode: mode})
	}
	mover := func() grids.Resident { return present[1+d.rnd.IntN(len(present)-1)] }
	vote := func(lose bool, method string) {
		move(chair, procedure.Event{Type: procedure.CallVote, Method: method})
		n := len(present)
		switch method {
		case procedure.RollCall:
			for i, c := range present {
				choice := procedure.Yes
				if lose != (i == n-1) { // one dissent, or one lone supporter
					choice = procedure.No
				}
				move(d.as(c), procedure.Event{Type: procedure.Cast, Member: c.ID, Choice: choice})
			}
		case procedure.Voice:
			outcome := "adopted"
			if lose {
				outcome = "lost"
			}
			move(chair, procedure.Event{Type: procedure.CloseVote, Outcome: outcome})
			return
		default:
			yes, no := n-1, 0
			if lose {
				yes, no = 2, n-3
			}
			move(d.as(councillors[3]), procedure.Event{Type: procedure.Tally, Yes: yes, No: no, Abstain: n - yes - no})
		}
		move(chair, procedure.Event{Type: procedure.CloseVote})
	}
	decide := func(text string) {
		v := view
		for motionID, decision := range v.Meeting.Decisions {
			if m, ok := v.State.Motion(motionID); ok && m.Text == text {
				decisions[text] = decision
			}
		}
	}
	// Carried business first: unfinished and postponed motions are taken
	// up, tabled ones taken from the table, referred ones reported on.
	for _, st := range view.State.Motions {
		if d.err != nil {
			break
		}
		switch st.Status {
		case procedure.Unfinished, procedure.Postponed:
			move(chair, procedure.Event{Type: procedure.ResumeMotion, Motion: st.ID})
		case procedure.Tabled:
			move(d.as(mover()), procedure.Event{Type: procedure.Move, Kind: procedure.TakeFromTable, Target: st.ID})
			vote(false, procedure.Hands)
		case procedure.Referred:
			move(d.as(mover()), procedure.Event{Type: procedure.Report, Motion: st.ID, Text: "智慧委员会建议：先在3号楼试点，半年后评估"})
		default:
			continue
		}
		vote(false, procedure.Hands)
		decide(st.Text)
	}
	for i, b := range business {
		if d.err != nil {
			break
		}
		move(chair, procedure.Event{Type: procedure.TakeUp, Item: view.Meeting.Agenda[i].ID})
		move(d.as(mover()), procedure.Event{Type: procedure.Move, Kind: procedure.Main, Text: b.text})
		move(chair, procedure.Event{Type: procedure.Recognize, Member: mover().ID})
		move(chair, procedure.Event{Type: procedure.EndSpeech})
		text := b.text
		if b.amend != "" {
			move(d.as(mover()), procedure.Event{Type: procedure.Move, Kind: procedure.Amend, Text: b.amend})
			vote(false, procedure.Hands)
			text = b.amend
		}
		switch b.how {
		case "unfinished":
			continue // the meeting adjourns with it pending
		case "refer":
			move(d.as(mover()), procedure.Event{Type: procedure.Move, Kind: procedure.Commit, Committee: "wisdom"})
			vote(false, procedure.Hands)
			continue
		case "postpone":
			move(d.as(mover()), procedure.Event{Type: procedure.Move, Kind: procedure.Postpone})
			vote(false, procedure.Hands)
			continue
		case "table":
			move(d.as(mover()), procedure.Event{Type: procedure.Move, Kind: procedure.LayOnTable})
			vote(false, procedure.Hands)
			continue
		case "roll":
			vote(b.lose, procedure.RollCall)
		default:
			vote(b.lose, procedure.Hands)
		}
		decide(text)
	}
	// A point of order now and then, ruled on by the chair.
	if d.rnd.IntN(5) == 0 && d.err == nil {
		move(d.as(mover()), procedure.Event{Type: procedure.PointOfOrder, Text: "发言超时"})
		move(chair, procedure.Event{Type: procedure.RuleOnPoint, Sustained: true, Text: "提醒发言人遵守时限"})
	}
	move(d.as(mover()), procedure.Event{Type: procedure.Move, Kind: procedure.Adjourn})
	vote(false, procedure.Voice)
	return decisions
}

// cst is the community's time zone, for notices.
var cst = time.FixedZone("CST", 8*3600)

// hearing is one of the committees' public hearings on an issue.
type hearing struct {
	committee string
	title     string
	opinions  []string
	proposal  string // what the committee recommends, adopted at the hearing
}

var hearings = []hearing{
	{"convenience", "错时停车方案听证会", []string{"夜间车位不够，支持错时停车", "希望外来车辆不得占用", "商铺门前车位应白天开放", "建议设置临时停车时限"}, "建议理事会实行错时停车，夜间开放商铺车位"},
	{"clean", "楼道堆物整治听证会", []string{"楼道堆物影响消防通道", "希望给老人留放轮椅的位置", "建议分批清理", "清理前要提前通知"}, "建议理事会分楼栋限期清理楼道堆物"},
	{"safety", "电动车充电安全听证会", []string{"飞线充电太危险", "希望充电桩收费合理", "建议设在1号楼旁空地", "夜间要有人巡查"}, "建议理事会增设集中充电点并加强夜间巡查"},
	{"silver", "助餐点选址听证会", []string{"助餐点应靠近3号楼，老人多", "希望提供送餐上门", "价格要实惠", "要照顾回民饮食"}, "建议理事会在3号楼底层设立助餐点"},
	{"wisdom", "绿化带改建车位听证会", []string{"绿化不能少", "车位确实不够", "可否改为错时停车", "要听取楼下住户意见"}, "建议理事会不改建绿化带，研究错时停车"},
	{"sprout", "四点半课堂听证会", []string{"双职工家庭急需", "希望有志愿者辅导作业", "场地要安全", "周末也可以开放"}, "建议理事会开设四点半课堂"},
}

// holdHearing runs one hearing of a committee: residents register and
// give opinions online beforehand, the committee hears them, adopts its
// recommendation, and answers each opinion linked to that decision.
func (d *demo) holdHearing(at time.Time, h hearing, committee governance.Body, chair grids.Resident, members []grids.Resident, public []grids.Resident) {
	if d.err != nil {
		return
	}
	d.clock.Set(at.Add(-7 * 24 * time.Hour))
	mt := do(d, nil, func() (governance.Meeting, error) {
		return d.svc.ScheduleMeeting(d.as(chair), d.community, governance.MeetingInput{BodyID: committee.ID, Kind: governance.Hearing, Title: h.title,
			Place: "智慧议事厅", ScheduledAt: at})
	})
	do(d, nil, func() (governance.Meeting, error) {
		return d.svc.GiveNotice(d.as(chair), d.community, mt.ID, h.title+"，欢迎居民报名发言或在线提交意见。")
	})
	var opinions []governance.Opinion
	for i, r := range public {
		d.clock.Advance(3 * time.Hour)
		do(d, nil, func() (governance.Meeting, error) { return d.svc.Register(d.as(r), d.community, mt.ID, i < 3) })
		if i < len(h.opinions) {
			o := do(d, nil, func() (governance.Opinion, error) {
				return d.svc.GiveOpinion(d.as(r), d.community, mt.ID, governance.OpinionInput{Text: h.opinions[i]})
			})
			opinions = append(opinions, o)
		}
	}
	d.clock.Set(at)
	do(d, nil, func() (governance.MeetingView, error) { return d.svc.OpenMeeting(d.as(chair), d.community, mt.ID) })
	act := func(who grids.Resident, e procedure.Event) governance.MeetingView {
		d.clock.Advance(3 * time.Minute)
		return do(d, nil, func() (governance.MeetingView, error) { return d.svc.Act(d.as(who), d.community, mt.ID, e) })
	}
	for _, r := range append([]grids.Resident{chair}, members...) {
		act(r, procedure.Event{Type: procedure.Arrive, Member: r.ID, Mode: procedure.InPerson})
	}
	for _, r := range public {
		act(r, procedure.Event{Type: procedure.Arrive, Member: r.ID, Mode: procedure.InPerson})
	}
	act(members[0], procedure.Event{Type: procedure.Move, Kind: procedure.Main, Text: h.proposal})
	act(members[1], procedure.Event{Type: procedure.Second, Motion: "m1"})
	act(chair, procedure.Event{Type: procedure.CallVote, Method: procedure.Hands})
	act(members[0], procedure.Event{Type: procedure.Cast, Member: members[0].ID, Choice: procedure.Yes})
	act(members[1], procedure.Event{Type: procedure.Cast, Member: members[1].ID, Choice: procedure.Yes})
	v := act(chair, procedure.Event{Type: procedure.CloseVote})
	decision := v.Meeting.Decisions["m1"]
	act(members[1], procedure.Event{Type: procedure.Move, Kind: procedure.Adjourn})
	act(members[0], procedure.Event{Type: procedure.Second, Motion: "m2"})
	act(chair, procedure.Event{Type: procedure.CallVote, Method: procedure.Voice})
	act(chair, procedure.Event{Type: procedure.CloseVote, Outcome: "adopted"})
	d.clock.Advance(24 * time.Hour)
	for _, o := range opinions {
		do(d, nil, func() (governance.Opinion, error) {
			return d.svc.AnswerOpinion(d.as(chair), d.community, o.ID, governance.AnswerInput{Answer: "已纳入委员会建议，提交理事会审议。",
				Link: &governance.Link{Kind: "decision", ID: decision}})
		})
	}
	d.sum.Hearings++
}
