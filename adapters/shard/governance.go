package shard

import (
	"context"
	"time"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/procedure"
	"github.com/linli-go/linli/grids/record"
)

// Governance returns the governance store, routed by community.
func (r *Router) Governance() governance.Store { return governanceStore{r} }

type governanceStore struct{ rt *Router }

var governanceDomain = domain[governance.Tx]{
	name: "governance",
	of:   func(s Shard) store[governance.Tx] { return s.Governance },
	wrap: func(inner governance.Tx, r *route) governance.Tx { return &governanceTx{tx: inner, r: r} },
}

func (s governanceStore) View(ctx context.Context, fn func(governance.Tx) error) error {
	return run(ctx, s.rt, governanceDomain, false, fn)
}

func (s governanceStore) Update(ctx context.Context, fn func(governance.Tx) error) error {
	return run(ctx, s.rt, governanceDomain, true, fn)
}

func (s governanceStore) Version(ctx context.Context, community string) (int64, error) {
	return version(ctx, s.rt, community, func(sh Shard) record.Versioned { return sh.Governance })
}

// governanceTx checks each call against its route before the shard's Tx
// makes it.
type governanceTx struct {
	tx governance.Tx
	r  *route
}

var _ governance.Tx = (*governanceTx)(nil)

func (x *governanceTx) Body(ctx context.Context, community string, id string) (_ governance.Body, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.Body(ctx, community, id)
}

func (x *governanceTx) FindBodies(ctx context.Context, f governance.BodyFilter) (_ []governance.Body, _ int, err error) {
	if err = x.r.at(f.CommunityID); err != nil {
		return
	}
	return x.tx.FindBodies(ctx, f)
}

func (x *governanceTx) CreateBody(ctx context.Context, b governance.Body) (err error) {
	if err = x.r.at(b.CommunityID); err != nil {
		return
	}
	return x.tx.CreateBody(ctx, b)
}

func (x *governanceTx) UpdateBody(ctx context.Context, b governance.Body) (err error) {
	if err = x.r.at(b.CommunityID); err != nil {
		return
	}
	return x.tx.UpdateBody(ctx, b)
}

func (x *governanceTx) Position(ctx context.Context, community string, id string) (_ governance.Position, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.Position(ctx, community, id)
}

func (x *governanceTx) FindPositions(ctx context.Context, f governance.PositionFilter) (_ []governance.Position, _ int, err error) {
	if err = x.r.at(f.CommunityID); err != nil {
		return
	}
	return x.tx.FindPositions(ctx, f)
}

func (x *governanceTx) CreatePosition(ctx context.Context, p governance.Position) (err error) {
	if err = x.r.at(p.CommunityID); err != nil {
		return
	}
	return x.tx.CreatePosition(ctx, p)
}

func (x *governanceTx) UpdatePosition(ctx context.Context, p governance.Position) (err error) {
	if err = x.r.at(p.CommunityID); err != nil {
		return
	}
	return x.tx.UpdatePosition(ctx, p)
}

func (x *governanceTx) Organisation(ctx context.Context, community string, id string) (_ governance.Organisation, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.Organisation(ctx, community, id)
}

func (x *governanceTx) FindOrganisations(ctx context.Context, f governance.OrganisationFilter) (_ []governance.Organisation, _ int, err error) {
	if err = x.r.at(f.CommunityID); err != nil {
		return
	}
	return x.tx.FindOrganisations(ctx, f)
}

func (x *governanceTx) CreateOrganisation(ctx context.Context, o governance.Organisation) (err error) {
	if err = x.r.at(o.CommunityID); err != nil {
		return
	}
	return x.tx.CreateOrganisation(ctx, o)
}

func (x *governanceTx) UpdateOrganisation(ctx context.Context, o governance.Organisation) (err error) {
	if err = x.r.at(o.CommunityID); err != nil {
		return
	}
	return x.tx.UpdateOrganisation(ctx, o)
}

func (x *governanceTx) Decision(ctx context.Context, community string, id string) (_ governance.Decision, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.Decision(ctx, community, id)
}

func (x *governanceTx) FindDecisions(ctx context.Context, f governance.DecisionFilter) (_ []governance.Decision, _ int, err error) {
	if err = x.r.at(f.CommunityID); err != nil {
		return
	}
	return x.tx.FindDecisions(ctx, f)
}

func (x *governanceTx) CreateDecision(ctx context.Context, d governance.Decision) (err error) {
	if err = x.r.at(d.CommunityID); err != nil {
		return
	}
	return x.tx.CreateDecision(ctx, d)
}

func (x *governanceTx) Nomination(ctx context.Context, community string, id string) (_ governance.Nomination, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.Nomination(ctx, community, id)
}

func (x *governanceTx) FindNominations(ctx context.Context, f governance.NominationFilter) (_ []governance.Nomination, _ int, err error) {
	if err = x.r.at(f.CommunityID); err != nil {
		return
	}
	return x.tx.FindNominations(ctx, f)
}

func (x *governanceTx) CreateNomination(ctx context.Context, n governance.Nomination) (err error) {
	if err = x.r.at(n.CommunityID); err != nil {
		return
	}
	return x.tx.CreateNomination(ctx, n)
}

func (x *governanceTx) UpdateNomination(ctx context.Context, n governance.Nomination) (err error) {
	if err = x.r.at(n.CommunityID); err != nil {
		return
	}
	return x.tx.UpdateNomination(ctx, n)
}

func (x *governanceTx) Task(ctx context.Context, community string, id string) (_ governance.Task, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.Task(ctx, community, id)
}

func (x *governanceTx) FindTasks(ctx context.Context, f governance.TaskFilter) (_ []governance.Task, _ int, err error) {
	if err = x.r.at(f.CommunityID); err != nil {
		return
	}
	return x.tx.FindTasks(ctx, f)
}

func (x *governanceTx) CreateTask(ctx context.Context, t governance.Task) (err error) {
	if err = x.r.at(t.CommunityID); err != nil {
		return
	}
	return x.tx.CreateTask(ctx, t)
}

func (x *governanceTx) UpdateTask(ctx context.Context, t governance.Task) (err error) {
	if err = x.r.at(t.CommunityID); err != nil {
		return
	}
	return x.tx.UpdateTask(ctx, t)
}

func (x *governanceTx) Issue(ctx context.Context, community string, id string) (_ governance.Issue, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.Issue(ctx, community, id)
}

func (x *governanceTx) FindIssues(ctx context.Context, f governance.IssueFilter) (_ []governance.Issue, _ int, err error) {
	if err = x.r.at(f.CommunityID); err != nil {
		return
	}
	return x.tx.FindIssues(ctx, f)
}

func (x *governanceTx) CreateIssue(ctx context.Context, is governance.Issue) (err error) {
	if err = x.r.at(is.CommunityID); err != nil {
		return
	}
	return x.tx.CreateIssue(ctx, is)
}

func (x *governanceTx) UpdateIssue(ctx context.Context, is governance.Issue) (err error) {
	if err = x.r.at(is.CommunityID); err != nil {
		return
	}
	return x.tx.UpdateIssue(ctx, is)
}

func (x *governanceTx) Activity(ctx context.Context, community string, id string) (_ governance.Activity, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.Activity(ctx, community, id)
}

func (x *governanceTx) FindActivities(ctx context.Context, f governance.ActivityFilter) (_ []governance.Activity, _ int, err error) {
	if err = x.r.at(f.CommunityID); err != nil {
		return
	}
	return x.tx.FindActivities(ctx, f)
}

func (x *governanceTx) CreateActivity(ctx context.Context, a governance.Activity) (err error) {
	if err = x.r.at(a.CommunityID); err != nil {
		return
	}
	return x.tx.CreateActivity(ctx, a)
}

func (x *governanceTx) UpdateActivity(ctx context.Context, a governance.Activity) (err error) {
	if err = x.r.at(a.CommunityID); err != nil {
		return
	}
	return x.tx.UpdateActivity(ctx, a)
}

func (x *governanceTx) FirstParticipations(ctx context.Context, community string) (_ map[string]time.Time, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.FirstParticipations(ctx, community)
}

func (x *governanceTx) Meeting(ctx context.Context, community string, id string) (_ governance.Meeting, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.Meeting(ctx, community, id)
}

func (x *governanceTx) FindMeetings(ctx context.Context, f governance.MeetingFilter) (_ []governance.Meeting, _ int, err error) {
	if err = x.r.at(f.CommunityID); err != nil {
		return
	}
	return x.tx.FindMeetings(ctx, f)
}

func (x *governanceTx) CreateMeeting(ctx context.Context, m governance.Meeting) (err error) {
	if err = x.r.at(m.CommunityID); err != nil {
		return
	}
	return x.tx.CreateMeeting(ctx, m)
}

func (x *governanceTx) UpdateMeeting(ctx context.Context, m governance.Meeting) (err error) {
	if err = x.r.at(m.CommunityID); err != nil {
		return
	}
	return x.tx.UpdateMeeting(ctx, m)
}

func (x *governanceTx) MeetingEvents(ctx context.Context, community string, meeting string) (_ []procedure.Event, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.MeetingEvents(ctx, community, meeting)
}

func (x *governanceTx) AppendEvent(ctx context.Context, community string, meeting string, e procedure.Event) (err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.AppendEvent(ctx, community, meeting, e)
}

func (x *governanceTx) Opinion(ctx context.Context, community string, id string) (_ governance.Opinion, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.Opinion(ctx, community, id)
}

func (x *governanceTx) FindOpinions(ctx context.Context, f governance.OpinionFilter) (_ []governance.Opinion, _ int, err error) {
	if err = x.r.at(f.CommunityID); err != nil {
		return
	}
	return x.tx.FindOpinions(ctx, f)
}

func (x *governanceTx) CreateOpinion(ctx context.Context, o governance.Opinion) (err error) {
	if err = x.r.at(o.CommunityID); err != nil {
		return
	}
	return x.tx.CreateOpinion(ctx, o)
}

func (x *governanceTx) UpdateOpinion(ctx context.Context, o governance.Opinion) (err error) {
	if err = x.r.at(o.CommunityID); err != nil {
		return
	}
	return x.tx.UpdateOpinion(ctx, o)
}

func (x *governanceTx) Briefing(ctx context.Context, community string, id string) (_ governance.Briefing, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.Briefing(ctx, community, id)
}

func (x *governanceTx) FindBriefings(ctx context.Context, f governance.BriefingFilter) (_ []governance.Briefing, _ int, err error) {
	if err = x.r.at(f.CommunityID); err != nil {
		return
	}
	return x.tx.FindBriefings(ctx, f)
}

func (x *governanceTx) CreateBriefing(ctx context.Context, b governance.Briefing) (err error) {
	if err = x.r.at(b.CommunityID); err != nil {
		return
	}
	return x.tx.CreateBriefing(ctx, b)
}

func (x *governanceTx) Invitation(ctx context.Context, community string, id string) (_ governance.Invitation, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.Invitation(ctx, community, id)
}

func (x *governanceTx) FindInvitations(ctx context.Context, f governance.InvitationFilter) (_ []governance.Invitation, _ int, err error) {
	if err = x.r.at(f.CommunityID); err != nil {
		return
	}
	return x.tx.FindInvitations(ctx, f)
}

func (x *governanceTx) CreateInvitation(ctx context.Context, i governance.Invitation) (err error) {
	if err = x.r.at(i.CommunityID); err != nil {
		return
	}
	return x.tx.CreateInvitation(ctx, i)
}

func (x *governanceTx) UpdateInvitation(ctx context.Context, i governance.Invitation) (err error) {
	if err = x.r.at(i.CommunityID); err != nil {
		return
	}
	return x.tx.UpdateInvitation(ctx, i)
}

func (x *governanceTx) Holidays(ctx context.Context, community string, from string, to string) (_ []governance.Holiday, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.Holidays(ctx, community, from, to)
}

func (x *governanceTx) SetHolidays(ctx context.Context, community string, year int, hs []governance.Holiday) (err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.tx.SetHolidays(ctx, community, year, hs)
}
