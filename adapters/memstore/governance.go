package memstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/procedure"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
)

type governanceData struct {
	bodies        table[governance.Body]
	positions     table[governance.Position]
	organisations table[governance.Organisation]
	decisions     table[governance.Decision]
	nominations   table[governance.Nomination]
	tasks         table[governance.Task]
	issues        table[governance.Issue]
	activities    table[governance.Activity]
	meetings      table[governance.Meeting]
	events        map[string][]procedure.Event // meeting ID → its log
	opinions      table[governance.Opinion]
	briefings     table[governance.Briefing]
	invitations   table[governance.Invitation]
	holidays      map[string]map[string]governance.Holiday // community → date → holiday
}

func (d *governanceData) init() {
	d.bodies, d.positions, d.organisations = table[governance.Body]{}, table[governance.Position]{}, table[governance.Organisation]{}
	d.decisions, d.nominations, d.tasks = table[governance.Decision]{}, table[governance.Nomination]{}, table[governance.Task]{}
	d.issues, d.activities = table[governance.Issue]{}, table[governance.Activity]{}
	d.meetings, d.events, d.opinions = table[governance.Meeting]{}, map[string][]procedure.Event{}, table[governance.Opinion]{}
	d.holidays = map[string]map[string]governance.Holiday{}
	d.briefings = table[governance.Briefing]{}
	d.invitations = table[governance.Invitation]{}
}

// Governance returns the governance store.
func (s *Store) Governance() governance.Store { return governanceStore{s} }

type governanceStore struct{ s *Store }

func (g governanceStore) View(ctx context.Context, fn func(governance.Tx) error) error {
	return g.s.view(ctx, func(t *txn) error { return fn(&governanceTx{txn: t, s: g.s}) })
}

func (g governanceStore) Version(ctx context.Context, community string) (int64, error) {
	return g.s.version(ctx, community)
}

func (g governanceStore) Update(ctx context.Context, fn func(governance.Tx) error) error {
	return g.s.update(ctx, func(t *txn) error { return fn(&governanceTx{txn: t, s: g.s}) })
}

type governanceTx struct {
	*txn
	s *Store
}

func (tx *governanceTx) d() *governanceData { return &tx.s.governance }

// inCommunity refuses records of a community the registry does not know.
func (tx *governanceTx) inCommunity(community string) error {
	if _, ok := tx.s.grids.communities[community]; !ok {
		return errs.E(errs.Invalid, "no community %s", community)
	}
	return nil
}

// add stores a new record of a community after checking its ID is free.
func add[T any](tx *governanceTx, tb table[T], kind, community, id string, v T) error {
	if err := tx.inCommunity(community); err != nil {
		return err
	}
	if _, ok := tb.get(community, id); ok {
		return errs.E(errs.Conflict, "%s %s already exists", kind, id)
	}
	return tb.put(tx.txn, community, id, copyOf(v))
}

// swap replaces a stored record after checking it exists.
func swap[T any](tx *governanceTx, tb table[T], kind, community, id string, v T) error {
	if _, ok := tb.get(community, id); !ok {
		return errs.E(errs.NotFound, "%s %s not found", kind, id)
	}
	return tb.put(tx.txn, community, id, copyOf(v))
}

func getDeep[T any](tb table[T], kind, community, id string) (T, error) {
	v, err := one(tb, kind, community, id)
	return copyOf(v), err
}

func findDeep[T any](tb table[T], community string, page grids.Page, match func(T) bool) ([]T, int, error) {
	out, n, err := find(tb, community, page, match)
	return mapSlice(out, copyOf[T]), n, err
}

// copyOf copies a record so no caller shares its memory with the store:
// by hand for the records read in bulk (an evaluation reads every
// activity), through JSON for the rest.
func copyOf[T any](v T) T {
	switch x := any(v).(type) {
	case governance.Activity:
		x.Participants = slices.Clone(x.Participants)
		return any(x).(T)
	case governance.Position:
		x.TermEnd, x.To = clonePtr(x.TermEnd), clonePtr(x.To)
		return any(x).(T)
	}
	return deep(v)
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// bodyExists checks a reference to a body of the community.
func (tx *governanceTx) bodyExists(community, id string) error {
	return exists(tx.d().bodies, "body", community, id)
}

// ---- bodies ----

func (tx *governanceTx) Body(_ context.Context, community, id string) (governance.Body, error) {
	return getDeep(tx.d().bodies, "body", community, id)
}

func (tx *governanceTx) FindBodies(_ context.Context, f governance.BodyFilter) ([]governance.Body, int, error) {
	return findDeep(tx.d().bodies, f.CommunityID, f.Page, func(b governance.Body) bool {
		return f.State.Includes(b.Stamps) && (f.Kind == "" || b.Kind == f.Kind) && (f.ParentID == "" || b.ParentID == f.ParentID) &&
			(f.Key == "" || b.Key == f.Key)
	})
}

func (tx *governanceTx) checkBody(b governance.Body) error {
	if b.ParentID != "" {
		if err := tx.bodyExists(b.CommunityID, b.ParentID); err != nil {
			return err
		}
	}
	if b.Key != "" && !b.Archived() {
		for id, o := range tx.d().bodies[b.CommunityID] {
			if id != b.ID && o.Key == b.Key && !o.Archived() {
				return errs.E(errs.Conflict, "an active body with key %q already exists", b.Key)
			}
		}
	}
	return nil
}

func (tx *governanceTx) CreateBody(_ context.Context, b governance.Body) error {
	if err := tx.checkBody(b); err != nil {
		return err
	}
	return add(tx, tx.d().bodies, "body", b.CommunityID, b.ID, b)
}

func (tx *governanceTx) UpdateBody(_ context.Context, b governance.Body) error {
	if err := tx.checkBody(b); err != nil {
		return err
	}
	return swap(tx, tx.d().bodies, "body", b.CommunityID, b.ID, b)
}

// ---- positions ----

func (tx *governanceTx) Position(_ context.Context, community, id string) (governance.Position, error) {
	return getDeep(tx.d().positions, "position", community, id)
}

func (tx *governanceTx) FindPositions(_ context.Context, f governance.PositionFilter) ([]governance.Position, int, error) {
	all, _, _ := find(tx.d().positions, f.CommunityID, grids.Page{}, func(p governance.Position) bool {
		return (f.BodyID == "" || p.BodyID == f.BodyID) && (f.HolderID == "" || p.HolderID == f.HolderID) &&
			(f.Office == "" || p.Office == f.Office) && (f.ActiveAt == nil || p.Active(*f.ActiveAt))
	})
	order := func(a, b governance.Position) int {
		return cmp.Or(cmp.Compare(a.BodyID, b.BodyID), a.From.Compare(b.From), cmp.Compare(a.ID, b.ID))
	}
	slices.SortStableFunc(all, order)
	out, n, err := cut(all, f.Page, func(id string) (governance.Position, bool) { return tx.d().positions.get(f.CommunityID, id) }, order)
	return mapSlice(out, copyOf[governance.Position]), n, err
}

func (tx *governanceTx) CreatePosition(_ context.Context, p governance.Position) error {
	if err := tx.bodyExists(p.CommunityID, p.BodyID); err != nil {
		return err
	}
	return add(tx, tx.d().positions, "position", p.CommunityID, p.ID, p)
}

func (tx *governanceTx) UpdatePosition(_ context.Context, p governance.Position) error {
	return swap(tx, tx.d().positions, "position", p.CommunityID, p.ID, p)
}

// ---- organisations ----

func (tx *governanceTx) Organisation(_ context.Context, community, id string) (governance.Organisation, error) {
	return getDeep(tx.d().organisations, "organisation", community, id)
}

func (tx *governanceTx) FindOrganisations(_ context.Context, f governance.OrganisationFilter) ([]governance.Organisation, int, error) {
	return findDeep(tx.d().organisations, f.CommunityID, f.Page, func(o governance.Organisation) bool {
		return f.State.Includes(o.Stamps) && (f.Kind == "" || o.Kind == f.Kind) && (f.CommitteeID == "" || slices.Contains(o.CommitteeIDs, f.CommitteeID))
	})
}

func (tx *governanceTx) CreateOrganisation(_ context.Context, o governance.Organisation) error {
	return add(tx, tx.d().organisations, "organisation", o.CommunityID, o.ID, o)
}

func (tx *governanceTx) UpdateOrganisation(_ context.Context, o governance.Organisation) error {
	return swap(tx, tx.d().organisations, "organisation", o.CommunityID, o.ID, o)
}

// ---- decisions ----

func (tx *governanceTx) Decision(_ context.Context, community, id string) (governance.Decision, error) {
	return getDeep(tx.d().decisions, "decision", community, id)
}

func (tx *governanceTx) FindDecisions(_ context.Context, f governance.DecisionFilter) ([]governance.Decision, int, error) {
	return findDeep(tx.d().decisions, f.CommunityID, f.Page, func(d governance.Decision) bool {
		return (f.BodyID == "" || d.BodyID == f.BodyID) && (f.MeetingID == "" || d.MeetingID == f.MeetingID)
	})
}

func (tx *governanceTx) CreateDecision(_ context.Context, d governance.Decision) error {
	if err := tx.bodyExists(d.CommunityID, d.BodyID); err != nil {
		return err
	}
	return add(tx, tx.d().decisions, "decision", d.CommunityID, d.ID, d)
}

// ---- nominations ----

func (tx *governanceTx) Nomination(_ context.Context, community, id string) (governance.Nomination, error) {
	return getDeep(tx.d().nominations, "nomination", community, id)
}

func (tx *governanceTx) FindNominations(_ context.Context, f governance.NominationFilter) ([]governance.Nomination, int, error) {
	return findDeep(tx.d().nominations, f.CommunityID, f.Page, func(n governance.Nomination) bool {
		return (f.Status == "" || n.Status == f.Status) && (f.BodyID == "" || n.BodyID == f.BodyID) && (f.ResidentID == "" || n.ResidentID == f.ResidentID)
	})
}

func (tx *governanceTx) CreateNomination(_ context.Context, n governance.Nomination) error {
	if err := tx.bodyExists(n.CommunityID, n.BodyID); err != nil {
		return err
	}
	return add(tx, tx.d().nominations, "nomination", n.CommunityID, n.ID, n)
}

func (tx *governanceTx) UpdateNomination(_ context.Context, n governance.Nomination) error {
	return swap(tx, tx.d().nominations, "nomination", n.CommunityID, n.ID, n)
}

// ---- tasks ----

func (tx *governanceTx) Task(_ context.Context, community, id string) (governance.Task, error) {
	return getDeep(tx.d().tasks, "task", community, id)
}

func (tx *governanceTx) FindTasks(_ context.Context, f governance.TaskFilter) ([]governance.Task, int, error) {
	return findDeep(tx.d().tasks, f.CommunityID, f.Page, func(t governance.Task) bool {
		return (f.FromBodyID == "" || t.FromBodyID == f.FromBodyID) && (f.ToBodyID == "" || t.ToBodyID == f.ToBodyID) &&
			(f.Status == "" || t.Status == f.Status) && (f.OwnerID == "" || t.OwnerID == f.OwnerID)
	})
}

func (tx *governanceTx) checkTask(t governance.Task) error {
	for _, b := range []string{t.FromBodyID, t.ToBodyID} {
		if err := tx.bodyExists(t.CommunityID, b); err != nil {
			return err
		}
	}
	return nil
}

func (tx *governanceTx) CreateTask(_ context.Context, t governance.Task) error {
	if err := tx.checkTask(t); err != nil {
		return err
	}
	return add(tx, tx.d().tasks, "task", t.CommunityID, t.ID, t)
}

func (tx *governanceTx) UpdateTask(_ context.Context, t governance.Task) error {
	if err := tx.checkTask(t); err != nil {
		return err
	}
	return swap(tx, tx.d().tasks, "task", t.CommunityID, t.ID, t)
}

// ---- issues ----

func (tx *governanceTx) Issue(_ context.Context, community, id string) (governance.Issue, error) {
	return getDeep(tx.d().issues, "issue", community, id)
}

func (tx *governanceTx) FindIssues(_ context.Context, f governance.IssueFilter) ([]governance.Issue, int, error) {
	return findDeep(tx.d().issues, f.CommunityID, f.Page, func(is governance.Issue) bool {
		return (f.Status == "" || is.Status == f.Status) && (f.RaisedByID == "" || is.RaisedBy.ID == f.RaisedByID)
	})
}

func (tx *governanceTx) CreateIssue(_ context.Context, is governance.Issue) error {
	return add(tx, tx.d().issues, "issue", is.CommunityID, is.ID, is)
}

func (tx *governanceTx) UpdateIssue(_ context.Context, is governance.Issue) error {
	return swap(tx, tx.d().issues, "issue", is.CommunityID, is.ID, is)
}

// ---- activities ----

func (tx *governanceTx) Activity(_ context.Context, community, id string) (governance.Activity, error) {
	return getDeep(tx.d().activities, "activity", community, id)
}

func (tx *governanceTx) FindActivities(_ context.Context, f governance.ActivityFilter) ([]governance.Activity, int, error) {
	all, _, _ := find(tx.d().activities, f.CommunityID, grids.Page{}, func(a governance.Activity) bool {
		return (f.BodyID == "" || a.BodyID == f.BodyID) && (f.Service == "" || a.Service == f.Service) &&
			(f.ParticipantID == "" || slices.ContainsFunc(a.Participants, func(p governance.Participant) bool { return p.ResidentID == f.ParticipantID })) &&
			(f.From == nil || !a.Start.Before(*f.From)) && (f.To == nil || a.Start.Before(*f.To))
	})
	order := func(a, b governance.Activity) int { return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.ID, b.ID)) }
	slices.SortStableFunc(all, order)
	out, n, err := cut(all, f.Page, func(id string) (governance.Activity, bool) { return tx.d().activities.get(f.CommunityID, id) }, order)
	return mapSlice(out, copyOf[governance.Activity]), n, err
}

func (tx *governanceTx) checkActivity(a governance.Activity) error {
	if err := tx.bodyExists(a.CommunityID, a.BodyID); err != nil {
		return err
	}
	for _, p := range a.Participants {
		if err := exists(tx.s.grids.residents, "resident", a.CommunityID, p.ResidentID); err != nil {
			return err
		}
	}
	return nil
}

func (tx *governanceTx) CreateActivity(_ context.Context, a governance.Activity) error {
	if err := tx.checkActivity(a); err != nil {
		return err
	}
	return add(tx, tx.d().activities, "activity", a.CommunityID, a.ID, a)
}

func (tx *governanceTx) UpdateActivity(_ context.Context, a governance.Activity) error {
	if err := tx.checkActivity(a); err != nil {
		return err
	}
	return swap(tx, tx.d().activities, "activity", a.CommunityID, a.ID, a)
}

func (tx *governanceTx) FirstParticipations(_ context.Context, community string) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	for _, a := range tx.d().activities[community] {
		for _, p := range a.Participants {
			if f, ok := out[p.ResidentID]; !ok || a.Start.Before(f) {
				out[p.ResidentID] = a.Start
			}
		}
	}
	return out, nil
}

// ---- meetings ----

func (tx *governanceTx) Meeting(_ context.Context, community, id string) (governance.Meeting, error) {
	return getDeep(tx.d().meetings, "meeting", community, id)
}

func (tx *governanceTx) FindMeetings(_ context.Context, f governance.MeetingFilter) ([]governance.Meeting, int, error) {
	all, _, _ := find(tx.d().meetings, f.CommunityID, grids.Page{}, func(m governance.Meeting) bool {
		return (f.BodyID == "" || m.BodyID == f.BodyID) && (f.Kind == "" || m.Kind == f.Kind) && (f.Status == "" || m.Status == f.Status) &&
			(f.From == nil || !m.ScheduledAt.Before(*f.From)) && (f.To == nil || m.ScheduledAt.Before(*f.To))
	})
	order := func(a, b governance.Meeting) int {
		return cmp.Or(a.ScheduledAt.Compare(b.ScheduledAt), cmp.Compare(a.ID, b.ID))
	}
	slices.SortStableFunc(all, order)
	out, n, err := cut(all, f.Page, func(id string) (governance.Meeting, bool) { return tx.d().meetings.get(f.CommunityID, id) }, order)
	return mapSlice(out, copyOf[governance.Meeting]), n, err
}

func (tx *governanceTx) CreateMeeting(_ context.Context, m governance.Meeting) error {
	if err := tx.bodyExists(m.CommunityID, m.BodyID); err != nil {
		return err
	}
	return add(tx, tx.d().meetings, "meeting", m.CommunityID, m.ID, m)
}

func (tx *governanceTx) UpdateMeeting(_ context.Context, m governance.Meeting) error {
	return swap(tx, tx.d().meetings, "meeting", m.CommunityID, m.ID, m)
}

func (tx *governanceTx) MeetingEvents(_ context.Context, community, meeting string) ([]procedure.Event, error) {
	if err := exists(tx.d().meetings, "meeting", community, meeting); err != nil {
		return nil, errs.E(errs.NotFound, "meeting %s not found", meeting)
	}
	return deep(append([]procedure.Event{}, tx.d().events[meeting]...)), nil
}

func (tx *governanceTx) AppendEvent(_ context.Context, community, meeting string, e procedure.Event) error {
	if err := exists(tx.d().meetings, "meeting", community, meeting); err != nil {
		return err
	}
	log := tx.d().events[meeting]
	if e.Seq != len(log)+1 {
		return errs.E(errs.Conflict, "event %d of meeting %s: the log holds %d events", e.Seq, meeting, len(log))
	}
	if err := tx.onUndo(func() { tx.d().events[meeting] = log }); err != nil {
		return err
	}
	tx.wrote(community)
	tx.d().events[meeting] = append(slices.Clip(log), deep(e))
	return nil
}

// ---- briefings ----

func (tx *governanceTx) Briefing(_ context.Context, community, id string) (governance.Briefing, error) {
	return getDeep(tx.d().briefings, "briefing", community, id)
}

func (tx *governanceTx) FindBriefings(_ context.Context, f governance.BriefingFilter) ([]governance.Briefing, int, error) {
	all, _, _ := find(tx.d().briefings, f.CommunityID, grids.Page{}, func(b governance.Briefing) bool {
		return (f.From == nil || !b.HeldAt.Before(*f.From)) && (f.To == nil || b.HeldAt.Before(*f.To))
	})
	order := func(a, b governance.Briefing) int { return cmp.Or(a.HeldAt.Compare(b.HeldAt), cmp.Compare(a.ID, b.ID)) }
	slices.SortStableFunc(all, order)
	out, n, err := cut(all, f.Page, func(id string) (governance.Briefing, bool) { return tx.d().briefings.get(f.CommunityID, id) }, order)
	return mapSlice(out, copyOf[governance.Briefing]), n, err
}

func (tx *governanceTx) CreateBriefing(_ context.Context, b governance.Briefing) error {
	if err := tx.bodyExists(b.CommunityID, b.BodyID); err != nil {
		return err
	}
	return add(tx, tx.d().briefings, "briefing", b.CommunityID, b.ID, b)
}

// ---- invitations ----

func (tx *governanceTx) Invitation(_ context.Context, community, id string) (governance.Invitation, error) {
	return getDeep(tx.d().invitations, "invitation", community, id)
}

func (tx *governanceTx) FindInvitations(_ context.Context, f governance.InvitationFilter) ([]governance.Invitation, int, error) {
	return findDeep(tx.d().invitations, f.CommunityID, f.Page, func(i governance.Invitation) bool {
		return (f.GroupID == "" || i.GroupID == f.GroupID) && (f.ResidentID == "" || i.ResidentID == f.ResidentID) && (f.State == "" || i.State == f.State)
	})
}

// openTwice: another open invitation of the resident to the group (the
// SQL stores' unique index).
func (tx *governanceTx) openTwice(i governance.Invitation) error {
	if i.State != governance.InvitationOpen {
		return nil
	}
	all, _, _ := find(tx.d().invitations, i.CommunityID, grids.Page{}, func(o governance.Invitation) bool {
		return o.ID != i.ID && o.State == governance.InvitationOpen && o.GroupID == i.GroupID && o.ResidentID == i.ResidentID
	})
	if len(all) > 0 {
		return errs.E(errs.Conflict, "resident %s has an open invitation to group %s", i.ResidentID, i.GroupID)
	}
	return nil
}

func (tx *governanceTx) CreateInvitation(_ context.Context, i governance.Invitation) error {
	if err := tx.bodyExists(i.CommunityID, i.GroupID); err != nil {
		return err
	}
	if err := tx.openTwice(i); err != nil {
		return err
	}
	return add(tx, tx.d().invitations, "invitation", i.CommunityID, i.ID, i)
}

func (tx *governanceTx) UpdateInvitation(_ context.Context, i governance.Invitation) error {
	if err := tx.openTwice(i); err != nil {
		return err
	}
	return swap(tx, tx.d().invitations, "invitation", i.CommunityID, i.ID, i)
}

// ---- opinions ----

func (tx *governanceTx) Opinion(_ context.Context, community, id string) (governance.Opinion, error) {
	return getDeep(tx.d().opinions, "opinion", community, id)
}

func (tx *governanceTx) FindOpinions(_ context.Context, f governance.OpinionFilter) ([]governance.Opinion, int, error) {
	return findDeep(tx.d().opinions, f.CommunityID, f.Page, func(o governance.Opinion) bool {
		return (f.MeetingID == "" || o.MeetingID == f.MeetingID) && (f.ResidentID == "" || o.ResidentID == f.ResidentID) && (!f.Unanswered || o.Answer == "")
	})
}

func (tx *governanceTx) CreateOpinion(_ context.Context, o governance.Opinion) error {
	if err := exists(tx.d().meetings, "meeting", o.CommunityID, o.MeetingID); err != nil {
		return err
	}
	return add(tx, tx.d().opinions, "opinion", o.CommunityID, o.ID, o)
}

func (tx *governanceTx) UpdateOpinion(_ context.Context, o governance.Opinion) error {
	return swap(tx, tx.d().opinions, "opinion", o.CommunityID, o.ID, o)
}

// ---- holidays ----

func (tx *governanceTx) Holidays(_ context.Context, community, from, to string) ([]governance.Holiday, error) {
	out := []governance.Holiday{}
	for date, h := range tx.d().holidays[community] {
		if date >= from && date <= to {
			out = append(out, h)
		}
	}
	slices.SortFunc(out, func(a, b governance.Holiday) int { return cmp.Compare(a.Date, b.Date) })
	return out, nil
}

func (tx *governanceTx) SetHolidays(_ context.Context, community string, year int, hs []governance.Holiday) error {
	if err := tx.inCommunity(community); err != nil {
		return err
	}
	old := tx.d().holidays[community]
	if err := tx.onUndo(func() { tx.d().holidays[community] = old }); err != nil {
		return err
	}
	tx.wrote(community)
	next := map[string]governance.Holiday{}
	prefix := fmt.Sprintf("%04d-", year)
	for date, h := range old {
		if !strings.HasPrefix(date, prefix) {
			next[date] = h
		}
	}
	for _, h := range hs {
		if !strings.HasPrefix(h.Date, prefix) {
			return errs.Field("date", "%s is not in %d", h.Date, year)
		}
		next[h.Date] = h
	}
	tx.d().holidays[community] = next
	return nil
}
