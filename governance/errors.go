package governance

import (
	"github.com/linli-go/linli/grids"
)

// The rules of governance that refuse. Each is a *grids.Rule:
// errors.Is(err, governance.ErrConvene) tests for one, errors.Is(err, grids.Forbidden)
// for its code (the codes are grids'), and HTTP problems carry its name.
var (
	// Who may do what.
	ErrNotMember    = grids.NewRule(grids.Forbidden, "governance.not_member", "only members of a community read it")
	ErrAppoint      = grids.NewRule(grids.Forbidden, "governance.appoint", "only the council appoints")
	ErrAssign       = grids.NewRule(grids.Forbidden, "governance.assign", "only a body's chair or the council assigns it work")
	ErrLead         = grids.NewRule(grids.Forbidden, "governance.lead", "a group leader manages their group's members and activities")
	ErrReport       = grids.NewRule(grids.Forbidden, "governance.report", "only a body's members report on its work and escalate its problems")
	ErrRaise        = grids.NewRule(grids.Forbidden, "governance.raise", "residents raise issues for themselves; a body raises them through its members")
	ErrJoin         = grids.NewRule(grids.Forbidden, "governance.join", "residents join and leave groups themselves")
	ErrDecide       = grids.NewRule(grids.Forbidden, "governance.decide", "only the council and community workers move community issues along")
	ErrAdminist     = grids.NewRule(grids.Forbidden, "governance.workers_only", "community workers administer")
	ErrRecord       = grids.NewRule(grids.Forbidden, "governance.record", "only council members and community workers record council decisions")
	ErrConvene      = grids.NewRule(grids.Forbidden, "governance.convene", "a body's chair, the council or community workers convene and run its meetings")
	ErrClerk        = grids.NewRule(grids.Forbidden, "governance.clerk", "only a community worker keeping the meeting's record enters moves for others")
	ErrMinutesDraft = grids.NewRule(grids.Forbidden, "governance.minutes_draft", "draft minutes are read by the body's members, the council and workers; residents read them once approved")
	ErrTakePart     = grids.NewRule(grids.Forbidden, "governance.take_part", "residents register and give opinions for themselves")
	ErrBrief        = grids.NewRule(grids.Forbidden, "governance.brief", "community workers and the think tank's members record its briefings")
	ErrNominate     = grids.NewRule(grids.Forbidden, "governance.nominate", "residents nominate themselves or recommend others")
	ErrMatch        = grids.NewRule(grids.Forbidden, "governance.match", "community workers propose groups to residents and confirm the invitations")

	// Bodies, positions and nominations.
	ErrNoCouncil            = grids.NewRule(grids.FailedPrecondition, "governance.no_council", "the community has no council yet: set up its governance first")
	ErrBodyState            = grids.NewRule(grids.FailedPrecondition, "governance.body_state", "an archived body changes only once restored, and a committee is dissolved only without active groups")
	ErrHoldsPosition        = grids.NewRule(grids.Conflict, "governance.holds_position", "a resident holds one position in a body at a time")
	ErrOfficeFull           = grids.NewRule(grids.Conflict, "governance.office_full", "a body has as many chairs, leaders and council seats as its rules say")
	ErrGroupFull            = grids.NewRule(grids.Conflict, "governance.group_full", "a group takes members up to its size")
	ErrNoMatch              = grids.NewRule(grids.FailedPrecondition, "governance.no_match", "a resident is invited to a group that serves one of their interests or needs, near where they live")
	ErrInvited              = grids.NewRule(grids.Conflict, "governance.invited", "a resident has one open invitation to a group at a time")
	ErrInvitationState      = grids.NewRule(grids.FailedPrecondition, "governance.invitation_state", "an invitation is answered once")
	ErrNotAGroup            = grids.NewRule(grids.FailedPrecondition, "governance.not_a_group", "residents join mutual-aid groups, not committees or the council")
	ErrPositionEnded        = grids.NewRule(grids.FailedPrecondition, "governance.position_ended", "a position ends once")
	ErrNoTerm               = grids.NewRule(grids.FailedPrecondition, "governance.no_term", "only a position with a term is renewed")
	ErrNotInGroup           = grids.NewRule(grids.FailedPrecondition, "governance.not_in_group", "a resident leaves only a group they are in")
	ErrOrganisationArchived = grids.NewRule(grids.FailedPrecondition, "governance.organisation_archived", "an organisation is archived once")
	ErrNominationState      = grids.NewRule(grids.FailedPrecondition, "governance.nomination_state", "a nomination is reviewed while pending and appointed once approved")

	// Work and issues.
	ErrTaskState  = grids.NewRule(grids.FailedPrecondition, "governance.task_state", "a task moves along its lifecycle, one step at a time")
	ErrIssueState = grids.NewRule(grids.FailedPrecondition, "governance.issue_state", "a community issue moves along its lifecycle, one step at a time")

	// Meetings and minutes.
	ErrNoSchedule      = grids.NewRule(grids.FailedPrecondition, "governance.no_schedule", "a body's regular meetings follow its rule for them, set first")
	ErrMeetingKind     = grids.NewRule(grids.FailedPrecondition, "governance.meeting_kind", "registrations and opinions are for hearings, consultations and open-space meetings")
	ErrMeetingState    = grids.NewRule(grids.FailedPrecondition, "governance.meeting_state", "a meeting is changed while scheduled, moves are made in session, minutes follow it")
	ErrNoMembers       = grids.NewRule(grids.FailedPrecondition, "governance.no_members", "a body meets once it has members")
	ErrMinutesState    = grids.NewRule(grids.FailedPrecondition, "governance.minutes_state", "minutes are drafted, approved, then published")
	ErrOpinionAnswered = grids.NewRule(grids.FailedPrecondition, "governance.opinion_answered", "an opinion answered is corrected in the minutes, not changed")
	ErrInvite          = grids.NewRule(grids.FailedPrecondition, "governance.invite", "the council's meetings invite committee chairs and residents' representatives, without a vote, before they open")
	ErrRecommend       = grids.NewRule(grids.FailedPrecondition, "governance.recommend", "a consultation takes no vote: it ends in recommendations to a named committee")
	ErrOpenSpace       = grids.NewRule(grids.FailedPrecondition, "governance.open_space", "at an open-space meeting participants present propose topics and join one breakout group at a time, and each group reports its owner and next steps before the meeting closes")
	ErrProxy           = grids.NewRule(grids.FailedPrecondition, "governance.proxy", "a member votes by proxy only where the body's bylaws allow it, under a written proxy recorded before the meeting; each member gives and holds at most one")
	ErrStaleMove       = grids.NewRule(grids.Conflict, "governance.stale_move", "a move is made against the meeting as it stands: one made since is seen first")
)

// Rules are governance's rules that refuse, for documents that list them.
func Refusals() []*grids.Rule {
	return []*grids.Rule{ErrNotMember, ErrAppoint, ErrAssign, ErrLead, ErrReport, ErrRaise, ErrJoin, ErrDecide, ErrAdminist, ErrRecord, ErrConvene, ErrMinutesDraft, ErrClerk,
		ErrTakePart, ErrNominate, ErrNoCouncil, ErrBodyState, ErrHoldsPosition, ErrOfficeFull, ErrNotAGroup, ErrPositionEnded, ErrNoTerm, ErrNotInGroup,
		ErrOrganisationArchived, ErrNominationState, ErrTaskState, ErrIssueState, ErrNoSchedule, ErrMeetingKind, ErrMeetingState, ErrNoMembers,
		ErrMinutesState, ErrOpinionAnswered, ErrProxy, ErrStaleMove, ErrInvite, ErrRecommend, ErrOpenSpace, ErrBrief,
		ErrMatch, ErrNoMatch, ErrInvited, ErrInvitationState, ErrGroupFull}
}

// forbidden refuses under a rule of who may do what.
func forbidden(r *grids.Rule) error { return r.Refuse("forbidden: %s", r.Says()) }

// member is the rule every read checks: only the community's members read it.
func member(p grids.Principal, community string) error {
	if !p.In(community) {
		return forbidden(ErrNotMember)
	}
	return nil
}
