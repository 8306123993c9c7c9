package governancedemo

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/procedure"
	"github.com/linli-go/linli/grids"
)

// Briefings is how many stairwell briefings the think tank holds in the
// programme's first month, covering every stairwell of the community.
const Briefings = 30

// briefings holds the think tank's 30 stairwell briefings in the first
// month: together they cover every stairwell with households, each
// raises one of the needs gathered at briefings, and the first ones name
// the residents who will lead the groups as candidate leaders. It returns
// the briefing that named each group's leader.
func (d *demo) briefings(start time.Time, leaders []grids.Resident, attendees []grids.Resident) []string {
	if d.err != nil {
		return nil
	}
	var wells []governance.Stairwell
	var needs []grids.Need
	d.err = d.registry.View(d.ctx, func(tx grids.Tx) error {
		hs, _, err := tx.FindHouseholds(d.ctx, grids.HouseholdFilter{CommunityID: d.community, Page: grids.Page{NoTotal: true}})
		if err != nil {
			return err
		}
		seen := map[governance.Stairwell]bool{}
		for _, h := range hs {
			sw := governance.Stairwell{BuildingID: h.BuildingID, Stairwell: governance.StairwellOf(h.Unit)}
			if !seen[sw] {
				seen[sw] = true
				wells = append(wells, sw)
			}
		}
		needs, _, err = tx.FindNeeds(d.ctx, grids.NeedFilter{CommunityID: d.community, Source: grids.SourceBriefing, Page: grids.Page{NoTotal: true}})
		return err
	})
	if d.err != nil {
		return nil
	}
	slices.SortFunc(wells, func(a, b governance.Stairwell) int {
		return cmp.Or(cmp.Compare(a.BuildingID, b.BuildingID), cmp.Compare(a.Stairwell, b.Stairwell))
	})
	of := make([]string, len(leaders))
	for i := range Briefings {
		lo, hi := i*len(wells)/Briefings, (i+1)*len(wells)/Briefings
		if lo == hi {
			continue
		}
		in := governance.BriefingInput{HeldAt: start.AddDate(0, 0, 3+i*26/Briefings).Add(time.Duration(14+i%2*5) * time.Hour),
			Place: fmt.Sprintf("第%d场民生智库宣讲", i+1), Stairwells: wells[lo:hi], Attendees: []string{}}
		for j := range 8 {
			in.Attendees = append(in.Attendees, attendees[(i*8+j)%len(attendees)].ID)
		}
		if i < len(needs) {
			in.Needs = []string{needs[i].ID}
		}
		if i < len(leaders) {
			in.Candidates = []governance.Candidate{{ResidentID: leaders[i].ID, Note: "宣讲中主动报名，愿意牵头"}}
			if !slices.Contains(in.Attendees, leaders[i].ID) {
				in.Attendees = append(in.Attendees, leaders[i].ID)
			}
		}
		d.clock.Set(in.HeldAt.Add(24 * time.Hour))
		b := do(d, &d.sum.Briefings, func() (governance.Briefing, error) { return d.svc.RecordBriefing(d.admin, d.community, in) })
		if i < len(leaders) {
			of[i] = b.ID
		}
	}
	return of
}

// holdConsultation holds the silver committee's consultation (恳谈会) on
// care at home: residents give opinions, the committee hears them and,
// without a vote, recommends to itself and to the convenience committee.
func (d *demo) holdConsultation(at time.Time, silver, convenience governance.Body, chair grids.Resident, public []grids.Resident) {
	if d.err != nil {
		return
	}
	d.clock.Set(at.Add(-5 * 24 * time.Hour))
	mt := do(d, nil, func() (governance.Meeting, error) {
		return d.svc.ScheduleMeeting(d.as(chair), d.community, governance.MeetingInput{BodyID: silver.ID, Kind: governance.Consultation,
			Title: "居家养老恳谈会", Place: "社区日间照料中心", ScheduledAt: at})
	})
	texts := []string{"独居老人希望每周有人上门看看", "助餐点能否送餐到楼下", "希望有人帮忙代购药品", "理发、修家电能否上门"}
	var opinions []string
	for i, r := range public[:len(texts)] {
		d.clock.Advance(2 * time.Hour)
		o := do(d, nil, func() (governance.Opinion, error) {
			return d.svc.GiveOpinion(d.as(r), d.community, mt.ID, governance.OpinionInput{Text: texts[i]})
		})
		opinions = append(opinions, o.ID)
	}
	d.clock.Set(at)
	do(d, nil, func() (governance.MeetingView, error) { return d.svc.OpenMeeting(d.as(chair), d.community, mt.ID) })
	for _, r := range append([]grids.Resident{chair}, public...) {
		d.clock.Advance(time.Minute)
		do(d, nil, func() (governance.MeetingView, error) {
			return d.svc.Act(d.as(r), d.community, mt.ID, procedure.Event{Type: procedure.Arrive, Member: r.ID, Mode: procedure.InPerson})
		})
	}
	d.clock.Advance(90 * time.Minute)
	for _, rec := range []governance.RecommendationInput{
		{BodyID: silver.ID, Text: "组建独居老人探访志愿队，每周上门一次，并代购药品", Opinions: []string{opinions[0], opinions[2]}},
		{BodyID: convenience.ID, Text: "便民服务日增加上门理发、维修", Opinions: []string{opinions[3]}},
	} {
		do(d, nil, func() (governance.Meeting, error) { return d.svc.Recommend(d.as(chair), d.community, mt.ID, rec) })
	}
	do(d, &d.sum.Consultations, func() (governance.MeetingView, error) {
		return d.svc.Act(d.as(chair), d.community, mt.ID, procedure.Event{Type: procedure.Close})
	})
	d.clock.Advance(24 * time.Hour)
	for _, o := range opinions {
		do(d, nil, func() (governance.Opinion, error) {
			return d.svc.AnswerOpinion(d.as(chair), d.community, o, governance.AnswerInput{Answer: "已形成建议，转银发委员会和便民委员会办理。"})
		})
	}
}

// holdOpenSpace holds the vitality committee's open-space meeting (开放空间)
// on stairwell culture: participants propose topics, join breakout groups,
// and each group reports its owner and next steps before it closes.
func (d *demo) holdOpenSpace(at time.Time, vitality governance.Body, chair grids.Resident, public []grids.Resident) {
	if d.err != nil {
		return
	}
	d.clock.Set(at.Add(-7 * 24 * time.Hour))
	mt := do(d, nil, func() (governance.Meeting, error) {
		return d.svc.ScheduleMeeting(d.as(chair), d.community, governance.MeetingInput{BodyID: vitality.ID, Kind: governance.OpenSpace,
			Title: "楼道文化开放空间议事会", Place: "社区广场", ScheduledAt: at})
	})
	d.clock.Set(at)
	do(d, nil, func() (governance.MeetingView, error) { return d.svc.OpenMeeting(d.as(chair), d.community, mt.ID) })
	for _, r := range public {
		d.clock.Advance(time.Minute)
		do(d, nil, func() (governance.MeetingView, error) {
			return d.svc.Act(d.as(r), d.community, mt.ID, procedure.Event{Type: procedure.Arrive, Member: r.ID, Mode: procedure.InPerson})
		})
	}
	topics := []struct{ title, report, step string }{
		{"楼道绿植认养", "每个楼道认养两盆绿植，轮流浇水", "4月底前各楼道报名认养"},
		{"楼道墙面美化", "请书画爱好者绘制楼道文化墙", "征集图案，委员会审定后施工"},
		{"楼道邻里公约", "各楼道商定堆物、噪音、宠物公约", "起草公约，下次楼道会议通过"},
	}
	for i, tp := range topics {
		d.clock.Advance(3 * time.Minute)
		do(d, nil, func() (governance.Meeting, error) {
			return d.svc.ProposeTopic(d.as(public[i]), d.community, mt.ID, governance.TopicInput{Title: tp.title})
		})
	}
	for i, r := range public[len(topics):] {
		d.clock.Advance(time.Minute)
		do(d, nil, func() (governance.Meeting, error) {
			return d.svc.JoinTopic(d.as(r), d.community, mt.ID, fmt.Sprintf("t%d", i%len(topics)+1), governance.BreakoutInput{})
		})
	}
	d.clock.Advance(time.Hour)
	for i, tp := range topics {
		owner := public[len(topics)+i]
		do(d, nil, func() (governance.Meeting, error) {
			return d.svc.ReportTopic(d.as(public[i]), d.community, mt.ID, fmt.Sprintf("t%d", i+1),
				governance.TopicReport{Report: tp.report, OwnerID: owner.ID, NextSteps: []string{tp.step}})
		})
	}
	do(d, &d.sum.OpenSpaces, func() (governance.MeetingView, error) {
		return d.svc.Act(d.as(chair), d.community, mt.ID, procedure.Event{Type: procedure.Close})
	})
}

// invite invites, before the council's meeting, the chair of a committee
// whose business is on it and a residents' representative.
func (d *demo) invite(mt governance.Meeting, chair, representative grids.Resident) {
	if d.err != nil {
		return
	}
	d.clock.Set(mt.ScheduledAt.Add(-96 * time.Hour))
	for _, in := range []governance.InviteInput{{ResidentID: chair.ID, As: governance.InvitedChair}, {ResidentID: representative.ID, As: governance.InvitedRepresentative}} {
		do(d, &d.sum.Invitees, func() (governance.Meeting, error) { return d.svc.Invite(d.admin, d.community, mt.ID, in) })
	}
}
