package governance

import (
	"context"
	"errors"
	"time"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// ---- tasks ----

// AssignTask assigns work down: from the council (the default) to any
// committee or group, or from a committee to one of its groups. Only the
// council, or the chair of the committee a task comes from, assigns it.
func (s *Service) AssignTask(ctx context.Context, communityID string, in TaskInput) (Task, error) {
	now := s.clock()
	t := Task{ID: s.newID(), CommunityID: communityID, FromBodyID: in.FromBodyID, ToBodyID: in.ToBodyID, Title: in.Title, Detail: in.Detail,
		OwnerID: in.OwnerID, Due: normalp(in.Due), Status: Open, IssueID: in.IssueID, Reports: []TaskReport{}, CreatedAt: now, UpdatedAt: now}
	if t.OwnerID != "" {
		if err := s.resident(ctx, communityID, t.OwnerID, "owner_id"); err != nil {
			return Task{}, err
		}
	}
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		if t.FromBodyID == "" {
			t.FromBodyID = a.council
		}
		t.CreatedBy = a.ID
		if err := t.Validate(); err != nil {
			return err
		}
		from, err := activeBody(ctx, tx, communityID, t.FromBodyID, "from_body_id")
		if err != nil {
			return err
		}
		to, err := activeBody(ctx, tx, communityID, t.ToBodyID, "to_body_id")
		if err != nil {
			return err
		}
		switch {
		case to.Kind != Committee && to.Kind != Group:
			return errs.Field("to_body_id", "work goes to committees and groups, not the %s", to.Kind)
		case from.Kind == Council:
		case from.Kind == Committee && to.ParentID == from.ID:
		default:
			return errs.Field("to_body_id", "work goes down: %q does not report to %q", to.Name, from.Name)
		}
		if !(a.onCouncil() || a.holds(from.ID, Chair)) {
			return forbidden(ErrAssign)
		}
		if t.IssueID != "" {
			if _, err := tx.Issue(ctx, communityID, t.IssueID); err != nil {
				return errs.Field("issue_id", "no issue %s in this community", t.IssueID)
			}
		}
		return tx.CreateTask(ctx, t)
	})
	return t, err
}

// ReportTask records progress on a task: its body's members report; the
// assigner and the council may too.
func (s *Service) ReportTask(ctx context.Context, communityID, id string, in ReportInput) (Task, error) {
	if err := validate.Struct(in); err != nil {
		return Task{}, err
	}
	var out Task
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		t, err := tx.Task(ctx, communityID, id)
		if err != nil {
			return err
		}
		if !(a.onCouncil() || a.holds(t.ToBodyID) || a.holds(t.FromBodyID, Chair)) {
			return forbidden(ErrReport)
		}
		if err := t.report(in, a.ID, s.clock()); err != nil {
			return err
		}
		out = t
		return tx.UpdateTask(ctx, t)
	})
	return out, err
}

// EscalateTask raises a problem met in a task as a community issue of the
// task's body, noted on the task.
func (s *Service) EscalateTask(ctx context.Context, communityID, id string, in EscalateInput) (Issue, error) {
	if err := validate.Struct(in); err != nil {
		return Issue{}, err
	}
	var out Issue
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		t, err := tx.Task(ctx, communityID, id)
		if err != nil {
			return err
		}
		if !(a.onCouncil() || a.holds(t.ToBodyID)) {
			return forbidden(ErrReport)
		}
		b, err := tx.Body(ctx, communityID, t.ToBodyID)
		if err != nil {
			return err
		}
		now := s.clock()
		out = newIssue(s.newID(), communityID, in.Title, in.Detail, grids.Ref{Kind: string(b.Kind), ID: b.ID}, a, now)
		out.Steps[0].Link = &Link{Kind: "task", ID: t.ID}
		out.Steps[0].Note = "escalated from task " + t.Title
		if err := validate.Struct(out); err != nil {
			return err
		}
		if t.Status == Done || t.Status == Cancelled {
			return ErrTaskState.Refuse("the task is %s: raise a new issue instead", t.Status)
		}
		t.Reports = append(t.Reports, TaskReport{At: now, By: a.ID, Status: t.Status, Note: "escalated: " + in.Title})
		t.UpdatedAt = now
		if err := tx.UpdateTask(ctx, t); err != nil {
			return err
		}
		return tx.CreateIssue(ctx, out)
	})
	return out, err
}

// Task returns a task.
func (s *Service) Task(ctx context.Context, communityID, id string) (Task, error) {
	return read(ctx, s, communityID, func(tx Tx) (Task, error) { return tx.Task(ctx, communityID, id) })
}

// FindTasks lists tasks.
func (s *Service) FindTasks(ctx context.Context, f TaskFilter) ([]Task, int, error) {
	return list(ctx, s, f.CommunityID, &f.Page, func(tx Tx) ([]Task, int, error) { return tx.FindTasks(ctx, f) })
}

// ---- issues ----

func newIssue(id, community, title, detail string, by grids.Ref, a actor, now time.Time) Issue {
	return Issue{ID: id, CommunityID: community, Title: title, Detail: detail, RaisedBy: by, ByResident: a.ResidentID, Status: Raised,
		Steps: []IssueStep{{At: now, By: a.ID, Status: Raised}}, CreatedAt: now, UpdatedAt: now}
}

// RaiseIssue raises a community issue: for the acting resident, or, with
// BodyID, for a committee or group the acting resident belongs to.
func (s *Service) RaiseIssue(ctx context.Context, communityID string, in IssueInput) (Issue, error) {
	var out Issue
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		by := grids.Ref{Kind: "resident", ID: a.ResidentID}
		if in.BodyID != "" {
			b, err := activeBody(ctx, tx, communityID, in.BodyID, "body_id")
			if err != nil {
				return err
			}
			if b.Kind != Committee && b.Kind != Group {
				return errs.Field("body_id", "issues are raised by residents, groups and committees")
			}
			if !a.holds(b.ID) && !a.administers() {
				return forbidden(ErrRaise)
			}
			by = grids.Ref{Kind: string(b.Kind), ID: b.ID}
		} else if a.ResidentID == "" {
			return forbidden(ErrRaise)
		}
		out = newIssue(s.newID(), communityID, in.Title, in.Detail, by, a, s.clock())
		if err := validate.Struct(out); err != nil {
			return err
		}
		return tx.CreateIssue(ctx, out)
	})
	return out, err
}

// StepIssue moves an issue along (the council and workers; the chair of
// the body a linked task went to may report it carried out). Each step
// rests on the meeting, decision or task it links to.
func (s *Service) StepIssue(ctx context.Context, communityID, id string, in StepInput) (Issue, error) {
	if err := validate.Struct(in); err != nil {
		return Issue{}, err
	}
	var out Issue
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		is, err := tx.Issue(ctx, communityID, id)
		if err != nil {
			return err
		}
		allowed := a.onCouncil()
		if in.Link != nil {
			switch in.Link.Kind {
			case "decision":
				if _, err := tx.Decision(ctx, communityID, in.Link.ID); errors.Is(err, errs.NotFound) {
					return errs.Field("link", "no decision %s in this community", in.Link.ID)
				} else if err != nil {
					return err
				}
			case "meeting":
				if _, err := tx.Meeting(ctx, communityID, in.Link.ID); errors.Is(err, errs.NotFound) {
					return errs.Field("link", "no meeting %s in this community", in.Link.ID)
				} else if err != nil {
					return err
				}
			case "task":
				t, err := tx.Task(ctx, communityID, in.Link.ID)
				if errors.Is(err, errs.NotFound) {
					return errs.Field("link", "no task %s in this community", in.Link.ID)
				}
				if err != nil {
					return err
				}
				allowed = allowed || in.Status == CarriedOut && a.holds(t.ToBodyID, Chair, Leader)
			}
		}
		if !allowed {
			return forbidden(ErrDecide)
		}
		if err := is.step(in, a.ID, s.clock()); err != nil {
			return err
		}
		out = is
		return tx.UpdateIssue(ctx, is)
	})
	return out, err
}

// Issue returns an issue.
func (s *Service) Issue(ctx context.Context, communityID, id string) (Issue, error) {
	return read(ctx, s, communityID, func(tx Tx) (Issue, error) { return tx.Issue(ctx, communityID, id) })
}

// FindIssues lists issues.
func (s *Service) FindIssues(ctx context.Context, f IssueFilter) ([]Issue, int, error) {
	return list(ctx, s, f.CommunityID, &f.Page, func(tx Tx) ([]Issue, int, error) { return tx.FindIssues(ctx, f) })
}

// ---- activities ----

// checkActivity checks an activity against the registry: its organiser
// and participants are residents of the community.
func (s *Service) checkActivity(ctx context.Context, community, organiser string, participants []Participant) error {
	if organiser != "" {
		if err := s.resident(ctx, community, organiser, "organiser_id"); err != nil {
			return err
		}
	}
	return s.registry.View(ctx, func(tx grids.Tx) error {
		for i, p := range participants {
			if r, err := tx.Resident(ctx, community, p.ResidentID); err != nil || r.Archived() {
				return errs.Field("participants", "participants[%d]: no active resident %s in this community", i, p.ResidentID)
			}
		}
		return nil
	})
}

// RecordActivity records an activity a group or committee ran: its leader
// (chair) or a worker records it.
func (s *Service) RecordActivity(ctx context.Context, communityID string, in ActivityInput) (Activity, error) {
	now := s.clock()
	act := Activity{ID: s.newID(), CommunityID: communityID, BodyID: in.BodyID, Title: in.Title, Service: in.Service, Place: in.Place,
		Start: normal(in.Start), End: normal(in.End), OrganiserID: in.OrganiserID, Participants: in.Participants, CreatedAt: now, UpdatedAt: now}
	if act.Participants == nil {
		act.Participants = []Participant{}
	}
	if err := act.Validate(); err != nil {
		return Activity{}, err
	}
	if act.Start.After(now) {
		return Activity{}, errs.Field("start", "an activity is recorded once it has taken place")
	}
	if err := s.checkActivity(ctx, communityID, act.OrganiserID, act.Participants); err != nil {
		return Activity{}, err
	}
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		b, err := activeBody(ctx, tx, communityID, act.BodyID, "body_id")
		if err != nil {
			return err
		}
		if b.Kind != Group && b.Kind != Committee {
			return errs.Field("body_id", "activities are run by groups and committees")
		}
		if !a.chairs(b.ID) {
			return forbidden(ErrLead)
		}
		act.CreatedBy = a.ID
		return tx.CreateActivity(ctx, act)
	})
	return act, err
}

// UpdateActivity corrects an activity's record (its body's leader or a
// worker).
func (s *Service) UpdateActivity(ctx context.Context, communityID, id string, u ActivityUpdate) (Activity, error) {
	// The registry is read before the transaction, never inside it; only
	// the people the update names are checked.
	var people []Participant
	if u.Participants != nil {
		people = *u.Participants
	}
	if err := s.checkActivity(ctx, communityID, deref(u.OrganiserID), people); err != nil {
		return Activity{}, err
	}
	var out Activity
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		act, err := tx.Activity(ctx, communityID, id)
		if err != nil {
			return err
		}
		if !a.chairs(act.BodyID) {
			return forbidden(ErrLead)
		}
		if err := grids.Precondition(ctx, act); err != nil {
			return err
		}
		u.apply(&act)
		act.Start, act.End, act.UpdatedAt = normal(act.Start), normal(act.End), s.clock()
		if act.Participants == nil {
			act.Participants = []Participant{}
		}
		if err := act.Validate(); err != nil {
			return err
		}
		out = act
		return tx.UpdateActivity(ctx, act)
	})
	return out, err
}

// Activity returns an activity.
func (s *Service) Activity(ctx context.Context, communityID, id string) (Activity, error) {
	return read(ctx, s, communityID, func(tx Tx) (Activity, error) { return tx.Activity(ctx, communityID, id) })
}

// FindActivities lists activities.
func (s *Service) FindActivities(ctx context.Context, f ActivityFilter) ([]Activity, int, error) {
	return list(ctx, s, f.CommunityID, &f.Page, func(tx Tx) ([]Activity, int, error) { return tx.FindActivities(ctx, f) })
}
