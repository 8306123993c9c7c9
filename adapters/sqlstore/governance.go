package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/internal/errs"
)

// Governance returns the governance store.
func (db *DB) Governance() governance.Store { return governanceStore{db} }

type governanceStore struct{ db *DB }

func (s governanceStore) View(ctx context.Context, fn func(governance.Tx) error) error {
	return s.db.read(ctx, func(t querier) error { return fn(&governanceTx{tx{db: s.db, sql: t}}) })
}

func (s governanceStore) Update(ctx context.Context, fn func(governance.Tx) error) error {
	return updateIn(ctx, s.db, "governance", func(t tx) (governance.Tx, *tx) { x := &governanceTx{t}; return x, &x.tx }, fn)
}

func (s governanceStore) Version(ctx context.Context, community string) (int64, error) {
	return s.db.version(ctx, "governance", community)
}

type governanceTx struct{ tx }

// get reads one record of the community by ID.
func get[T any](ctx context.Context, t *tx, table, kind, cols, community, id string, scan func(scanner) (T, error)) (T, error) {
	q := (&query{}).add("SELECT "+cols+" FROM "+table+" x WHERE x.community_id = ? AND x.id = ?", community, id)
	return one(ctx, t, kind, id, q, scan)
}

// update rewrites the columns of one record.
func (t *tx) update(ctx context.Context, table, kind, set, community, id string, args ...any) error {
	return t.change(ctx, (&query{}).add("UPDATE "+table+" SET "+set+" WHERE community_id = ? AND id = ?", append(args, community, id)...), kind, id)
}

// ---- bodies ----

const bodyCols = "x.id, x.community_id, x.kind, x.key, x.parent_id, x.name, x.chinese_name, x.remit, x.seats, x.tags, x.district_id, x.grid_id, x.schedule, x.meets, x.small_board, x.quorum, x.proxies, x.created_at, x.updated_at, x.archived_at, x.archive_reason"

func scanBody(r scanner) (governance.Body, error) {
	var b governance.Body
	var parent sql.NullString
	var meets, tags string
	err := r.Scan(append([]any{&b.ID, &b.CommunityID, &b.Kind, &b.Key, &parent, &b.Name, &b.ChineseName, &b.Remit, &b.Seats, &tags,
		&b.DistrictID, &b.GridID, &b.Schedule, &meets, &b.SmallBoard, &b.Quorum, &b.Proxies}, stampTargets(&b.Stamps)...)...)
	if err != nil {
		return b, err
	}
	b.ParentID = parent.String
	if meets != "" {
		b.Meets = &governance.Recurrence{}
	}
	if err := fromJSON(tags, &b.Tags); err != nil {
		return b, err
	}
	return b, fromJSON(meets, b.Meets)
}

func bodyArgs(b governance.Body) []any {
	meets := ""
	if b.Meets != nil {
		meets = jsonText(b.Meets)
	}
	return append([]any{b.Kind, b.Key, nullString(b.ParentID), b.Name, b.ChineseName, b.Remit, b.Seats, jsonText(b.Tags), b.DistrictID, b.GridID, b.Schedule, meets, b.SmallBoard, b.Quorum, b.Proxies},
		stampArgs(b.Stamps)...)
}

func (t *governanceTx) Body(ctx context.Context, community, id string) (governance.Body, error) {
	return get(ctx, &t.tx, "bodies", "body", bodyCols, community, id, scanBody)
}

func (t *governanceTx) FindBodies(ctx context.Context, f governance.BodyFilter) ([]governance.Body, int, error) {
	w := (&query{}).add("x.community_id = ?", f.CommunityID)
	w.equals("x.kind", string(f.Kind), "x.parent_id", f.ParentID, "x.key", f.Key)
	state(w, f.State)
	return find(ctx, &t.tx, "bodies x", w, f.Page, bodyCols, scanBody)
}

func (t *governanceTx) CreateBody(ctx context.Context, b governance.Body) error {
	t.wrote(b.CommunityID)
	return t.insert(ctx, "bodies", "id, community_id, kind, key, parent_id, name, chinese_name, remit, seats, tags, district_id, grid_id, schedule, meets, small_board, quorum, proxies, "+stampCols, 1,
		func(int) []any { return append([]any{b.ID, b.CommunityID}, bodyArgs(b)...) })
}

func (t *governanceTx) UpdateBody(ctx context.Context, b governance.Body) error {
	t.wrote(b.CommunityID)
	return t.update(ctx, "bodies", "body", "kind = ?, key = ?, parent_id = ?, name = ?, chinese_name = ?, remit = ?, seats = ?, tags = ?, district_id = ?, grid_id = ?, schedule = ?, meets = ?, small_board = ?, quorum = ?, proxies = ?, created_at = ?, updated_at = ?, archived_at = ?, archive_reason = ?",
		b.CommunityID, b.ID, bodyArgs(b)...)
}

// ---- positions ----

const positionCols = "x.id, x.community_id, x.body_id, x.holder_kind, x.holder_id, x.office, x.constituency, x.represents, x.decision_id, x.valid_from, x.term_end, x.valid_to, x.ceased, x.created_by"

func scanPosition(r scanner) (governance.Position, error) {
	var p governance.Position
	err := r.Scan(&p.ID, &p.CommunityID, &p.BodyID, &p.HolderKind, &p.HolderID, &p.Office, &p.Constituency, &p.Represents, &p.DecisionID,
		scanTime{&p.From}, scanNullTime{&p.TermEnd}, scanNullTime{&p.To}, &p.Ceased, &p.CreatedBy)
	return p, err
}

func positionArgs(p governance.Position) []any {
	return []any{p.BodyID, p.HolderKind, p.HolderID, p.Office, p.Constituency, p.Represents, p.DecisionID, ts(p.From), nullTS(p.TermEnd), nullTS(p.To), p.Ceased, p.CreatedBy}
}

func (t *governanceTx) Position(ctx context.Context, community, id string) (governance.Position, error) {
	return get(ctx, &t.tx, "positions", "position", positionCols, community, id, scanPosition)
}

func (t *governanceTx) FindPositions(ctx context.Context, f governance.PositionFilter) ([]governance.Position, int, error) {
	w := (&query{}).add("x.community_id = ?", f.CommunityID)
	w.equals("x.body_id", f.BodyID, "x.holder_id", f.HolderID, "x.office", string(f.Office))
	if f.ActiveAt != nil {
		at := ts(*f.ActiveAt)
		w.add(" AND x.valid_from <= ? AND (x.valid_to IS NULL OR x.valid_to > ?) AND (x.term_end IS NULL OR x.term_end > ?)", at, at, at)
	}
	return findOrdered(ctx, &t.tx, "positions x", w, f.Page, positionCols, "x.body_id, x.valid_from, x.id", scanPosition)
}

func (t *governanceTx) CreatePosition(ctx context.Context, p governance.Position) error {
	t.wrote(p.CommunityID)
	return t.insert(ctx, "positions", "id, community_id, body_id, holder_kind, holder_id, office, constituency, represents, decision_id, valid_from, term_end, valid_to, ceased, created_by", 1,
		func(int) []any { return append([]any{p.ID, p.CommunityID}, positionArgs(p)...) })
}

func (t *governanceTx) UpdatePosition(ctx context.Context, p governance.Position) error {
	t.wrote(p.CommunityID)
	return t.update(ctx, "positions", "position", "body_id = ?, holder_kind = ?, holder_id = ?, office = ?, constituency = ?, represents = ?, decision_id = ?, valid_from = ?, term_end = ?, valid_to = ?, ceased = ?, created_by = ?",
		p.CommunityID, p.ID, positionArgs(p)...)
}

// ---- organisations ----

const organisationCols = "x.id, x.community_id, x.name, x.kind, x.origin, x.purpose, x.contact, x.committee_ids, x.created_at, x.updated_at, x.archived_at, x.archive_reason"

func scanOrganisation(r scanner) (governance.Organisation, error) {
	var o governance.Organisation
	var committees string
	err := r.Scan(append([]any{&o.ID, &o.CommunityID, &o.Name, &o.Kind, &o.Origin, &o.Purpose, &o.Contact, &committees}, stampTargets(&o.Stamps)...)...)
	o.CommitteeIDs = unbar(committees)
	return o, err
}

func organisationArgs(o governance.Organisation) []any {
	return append([]any{o.Name, o.Kind, o.Origin, o.Purpose, o.Contact, bar(o.CommitteeIDs)}, stampArgs(o.Stamps)...)
}

func (t *governanceTx) Organisation(ctx context.Context, community, id string) (governance.Organisation, error) {
	return get(ctx, &t.tx, "organisations", "organisation", organisationCols, community, id, scanOrganisation)
}

func (t *governanceTx) FindOrganisations(ctx context.Context, f governance.OrganisationFilter) ([]governance.Organisation, int, error) {
	w := (&query{}).add("x.community_id = ?", f.CommunityID)
	w.equals("x.kind", f.Kind)
	if f.CommitteeID != "" {
		w.add(" AND x.committee_ids LIKE ?", "%|"+f.CommitteeID+"|%")
	}
	state(w, f.State)
	return find(ctx, &t.tx, "organisations x", w, f.Page, organisationCols, scanOrganisation)
}

func (t *governanceTx) CreateOrganisation(ctx context.Context, o governance.Organisation) error {
	t.wrote(o.CommunityID)
	return t.insert(ctx, "organisations", "id, community_id, name, kind, origin, purpose, contact, committee_ids, "+stampCols, 1,
		func(int) []any { return append([]any{o.ID, o.CommunityID}, organisationArgs(o)...) })
}

func (t *governanceTx) UpdateOrganisation(ctx context.Context, o governance.Organisation) error {
	t.wrote(o.CommunityID)
	return t.update(ctx, "organisations", "organisation", "name = ?, kind = ?, origin = ?, purpose = ?, contact = ?, committee_ids = ?, created_at = ?, updated_at = ?, archived_at = ?, archive_reason = ?",
		o.CommunityID, o.ID, organisationArgs(o)...)
}

// ---- decisions ----

const decisionCols = "x.id, x.community_id, x.body_id, x.title, x.text, x.decided_at, x.meeting_id, x.recorded_by, x.created_at"

func scanDecision(r scanner) (governance.Decision, error) {
	var d governance.Decision
	err := r.Scan(&d.ID, &d.CommunityID, &d.BodyID, &d.Title, &d.Text, scanTime{&d.DecidedAt}, &d.MeetingID, &d.RecordedBy, scanTime{&d.CreatedAt})
	return d, err
}

func (t *governanceTx) Decision(ctx context.Context, community, id string) (governance.Decision, error) {
	return get(ctx, &t.tx, "decisions", "decision", decisionCols, community, id, scanDecision)
}

func (t *governanceTx) FindDecisions(ctx context.Context, f governance.DecisionFilter) ([]governance.Decision, int, error) {
	w := (&query{}).add("x.community_id = ?", f.CommunityID)
	w.equals("x.body_id", f.BodyID, "x.meeting_id", f.MeetingID)
	return find(ctx, &t.tx, "decisions x", w, f.Page, decisionCols, scanDecision)
}

func (t *governanceTx) CreateDecision(ctx context.Context, d governance.Decision) error {
	t.wrote(d.CommunityID)
	return t.insert(ctx, "decisions", "id, community_id, body_id, title, text, decided_at, meeting_id, recorded_by, created_at", 1, func(int) []any {
		return []any{d.ID, d.CommunityID, d.BodyID, d.Title, d.Text, ts(d.DecidedAt), d.MeetingID, d.RecordedBy, ts(d.CreatedAt)}
	})
}

// ---- nominations ----

const nominationCols = "x.id, x.community_id, x.resident_id, x.self, x.recommended_by, x.briefing_id, x.body_id, x.office, x.statement, x.status, x.review, x.reviewed_by, x.decision_id, x.position_id, x.created_at, x.updated_at"

func scanNomination(r scanner) (governance.Nomination, error) {
	var n governance.Nomination
	err := r.Scan(&n.ID, &n.CommunityID, &n.ResidentID, &n.Self, &n.RecommendedBy, &n.BriefingID, &n.BodyID, &n.Office, &n.Statement, &n.Status, &n.Review,
		&n.ReviewedBy, &n.DecisionID, &n.PositionID, scanTime{&n.CreatedAt}, scanTime{&n.UpdatedAt})
	return n, err
}

func nominationArgs(n governance.Nomination) []any {
	return []any{n.ResidentID, n.Self, n.RecommendedBy, n.BriefingID, n.BodyID, n.Office, n.Statement, n.Status, n.Review, n.ReviewedBy, n.DecisionID, n.PositionID, ts(n.CreatedAt), ts(n.UpdatedAt)}
}

func (t *governanceTx) Nomination(ctx context.Context, community, id string) (governance.Nomination, error) {
	return get(ctx, &t.tx, "nominations", "nomination", nominationCols, community, id, scanNomination)
}

func (t *governanceTx) FindNominations(ctx context.Context, f governance.NominationFilter) ([]governance.Nomination, int, error) {
	w := (&query{}).add("x.community_id = ?", f.CommunityID)
	w.equals("x.status", string(f.Status), "x.body_id", f.BodyID, "x.resident_id", f.ResidentID)
	return find(ctx, &t.tx, "nominations x", w, f.Page, nominationCols, scanNomination)
}

func (t *governanceTx) CreateNomination(ctx context.Context, n governance.Nomination) error {
	t.wrote(n.CommunityID)
	return t.insert(ctx, "nominations", "id, community_id, resident_id, self, recommended_by, briefing_id, body_id, office, statement, status, review, reviewed_by, decision_id, position_id, created_at, updated_at", 1,
		func(int) []any { return append([]any{n.ID, n.CommunityID}, nominationArgs(n)...) })
}

func (t *governanceTx) UpdateNomination(ctx context.Context, n governance.Nomination) error {
	t.wrote(n.CommunityID)
	return t.update(ctx, "nominations", "nomination", "resident_id = ?, self = ?, recommended_by = ?, briefing_id = ?, body_id = ?, office = ?, statement = ?, status = ?, review = ?, reviewed_by = ?, decision_id = ?, position_id = ?, created_at = ?, updated_at = ?",
		n.CommunityID, n.ID, nominationArgs(n)...)
}

// ---- tasks ----

const taskCols = "x.id, x.community_id, x.from_body_id, x.to_body_id, x.title, x.detail, x.owner_id, x.due, x.status, x.issue_id, x.reports, x.created_by, x.created_at, x.updated_at"

func scanTask(r scanner) (governance.Task, error) {
	var t governance.Task
	var reports string
	err := r.Scan(&t.ID, &t.CommunityID, &t.FromBodyID, &t.ToBodyID, &t.Title, &t.Detail, &t.OwnerID, scanNullTime{&t.Due}, &t.Status, &t.IssueID,
		&reports, &t.CreatedBy, scanTime{&t.CreatedAt}, scanTime{&t.UpdatedAt})
	if err != nil {
		return t, err
	}
	t.Reports = []governance.TaskReport{}
	return t, fromJSON(reports, &t.Reports)
}

func taskArgs(t governance.Task) []any {
	return []any{t.FromBodyID, t.ToBodyID, t.Title, t.Detail, t.OwnerID, nullTS(t.Due), t.Status, t.IssueID, jsonText(t.Reports), t.CreatedBy, ts(t.CreatedAt), ts(t.UpdatedAt)}
}

func (t *governanceTx) Task(ctx context.Context, community, id string) (governance.Task, error) {
	return get(ctx, &t.tx, "tasks", "task", taskCols, community, id, scanTask)
}

func (t *governanceTx) FindTasks(ctx context.Context, f governance.TaskFilter) ([]governance.Task, int, error) {
	w := (&query{}).add("x.community_id = ?", f.CommunityID)
	w.equals("x.from_body_id", f.FromBodyID, "x.to_body_id", f.ToBodyID, "x.status", string(f.Status), "x.owner_id", f.OwnerID)
	return find(ctx, &t.tx, "tasks x", w, f.Page, taskCols, scanTask)
}

func (t *governanceTx) CreateTask(ctx context.Context, task governance.Task) error {
	t.wrote(task.CommunityID)
	return t.insert(ctx, "tasks", "id, community_id, from_body_id, to_body_id, title, detail, owner_id, due, status, issue_id, reports, created_by, created_at, updated_at", 1,
		func(int) []any { return append([]any{task.ID, task.CommunityID}, taskArgs(task)...) })
}

func (t *governanceTx) UpdateTask(ctx context.Context, task governance.Task) error {
	t.wrote(task.CommunityID)
	return t.update(ctx, "tasks", "task", "from_body_id = ?, to_body_id = ?, title = ?, detail = ?, owner_id = ?, due = ?, status = ?, issue_id = ?, reports = ?, created_by = ?, created_at = ?, updated_at = ?",
		task.CommunityID, task.ID, taskArgs(task)...)
}

// ---- issues ----

const issueCols = "x.id, x.community_id, x.title, x.detail, x.raised_by_kind, x.raised_by_id, x.by_resident, x.status, x.reason, x.steps, x.created_at, x.updated_at"

func scanIssue(r scanner) (governance.Issue, error) {
	var is governance.Issue
	var steps string
	err := r.Scan(&is.ID, &is.CommunityID, &is.Title, &is.Detail, &is.RaisedBy.Kind, &is.RaisedBy.ID, &is.ByResident, &is.Status, &is.Reason,
		&steps, scanTime{&is.CreatedAt}, scanTime{&is.UpdatedAt})
	if err != nil {
		return is, err
	}
	is.Steps = []governance.IssueStep{}
	return is, fromJSON(steps, &is.Steps)
}

func issueArgs(is governance.Issue) []any {
	return []any{is.Title, is.Detail, is.RaisedBy.Kind, is.RaisedBy.ID, is.ByResident, is.Status, is.Reason, jsonText(is.Steps), ts(is.CreatedAt), ts(is.UpdatedAt)}
}

func (t *governanceTx) Issue(ctx context.Context, community, id string) (governance.Issue, error) {
	return get(ctx, &t.tx, "community_issues", "issue", issueCols, community, id, scanIssue)
}

func (t *governanceTx) FindIssues(ctx context.Context, f governance.IssueFilter) ([]governance.Issue, int, error) {
	w := (&query{}).add("x.community_id = ?", f.CommunityID)
	w.equals("x.status", string(f.Status), "x.raised_by_id", f.RaisedByID)
	return find(ctx, &t.tx, "community_issues x", w, f.Page, issueCols, scanIssue)
}

func (t *governanceTx) CreateIssue(ctx context.Context, is governance.Issue) error {
	t.wrote(is.CommunityID)
	return t.insert(ctx, "community_issues", "id, community_id, title, detail, raised_by_kind, raised_by_id, by_resident, status, reason, steps, created_at, updated_at", 1,
		func(int) []any { return append([]any{is.ID, is.CommunityID}, issueArgs(is)...) })
}

func (t *governanceTx) UpdateIssue(ctx context.Context, is governance.Issue) error {
	t.wrote(is.CommunityID)
	return t.update(ctx, "community_issues", "issue", "title = ?, detail = ?, raised_by_kind = ?, raised_by_id = ?, by_resident = ?, status = ?, reason = ?, steps = ?, created_at = ?, updated_at = ?",
		is.CommunityID, is.ID, issueArgs(is)...)
}

// ---- activities ----

const activityCols = "x.id, x.community_id, x.body_id, x.title, x.service, x.place, x.starts_at, x.ends_at, x.organiser_id, x.created_by, x.created_at, x.updated_at"

func scanActivity(r scanner) (governance.Activity, error) {
	var a governance.Activity
	err := r.Scan(&a.ID, &a.CommunityID, &a.BodyID, &a.Title, &a.Service, &a.Place, scanTime{&a.Start}, scanTime{&a.End}, &a.OrganiserID,
		&a.CreatedBy, scanTime{&a.CreatedAt}, scanTime{&a.UpdatedAt})
	a.Participants = []governance.Participant{}
	return a, err
}

func activityArgs(a governance.Activity) []any {
	return []any{a.BodyID, a.Title, a.Service, a.Place, ts(a.Start), ts(a.End), a.OrganiserID, a.CreatedBy, ts(a.CreatedAt), ts(a.UpdatedAt)}
}

// participants fills in the activities' participants, in recorded order.
func (t *governanceTx) participants(ctx context.Context, acts []governance.Activity) error {
	if len(acts) == 0 {
		return nil
	}
	rows, err := t.children(ctx, ids(acts, func(a governance.Activity) string { return a.ID }), func(q *query, ids []string) {
		q.add("SELECT activity_id, resident_id, minutes FROM activity_participants WHERE community_id = ? AND activity_id IN ", acts[0].CommunityID)
		q.list(ids)
		q.add(" ORDER BY activity_id, seq")
	})
	if err != nil {
		return err
	}
	for i := range acts {
		for _, r := range rows[acts[i].ID] {
			m, err := strconv.Atoi(r[1])
			if err != nil {
				return errs.Internalf("sqlstore: minutes %q: %w", r[1], err)
			}
			acts[i].Participants = append(acts[i].Participants, governance.Participant{ResidentID: r[0], Minutes: m})
		}
	}
	return nil
}

func (t *governanceTx) Activity(ctx context.Context, community, id string) (governance.Activity, error) {
	a, err := get(ctx, &t.tx, "activities", "activity", activityCols, community, id, scanActivity)
	if err != nil {
		return a, err
	}
	acts := []governance.Activity{a}
	return acts[0], t.participants(ctx, acts)
}

func (t *governanceTx) FindActivities(ctx context.Context, f governance.ActivityFilter) ([]governance.Activity, int, error) {
	w := (&query{}).add("x.community_id = ?", f.CommunityID)
	w.equals("x.body_id", f.BodyID, "x.service", f.Service)
	if f.ParticipantID != "" {
		w.add(" AND EXISTS (SELECT 1 FROM activity_participants p WHERE p.community_id = x.community_id AND p.activity_id = x.id AND p.resident_id = ?)", f.ParticipantID)
	}
	if f.From != nil {
		w.add(" AND x.starts_at >= ?", ts(*f.From))
	}
	if f.To != nil {
		w.add(" AND x.starts_at < ?", ts(*f.To))
	}
	acts, n, err := findOrdered(ctx, &t.tx, "activities x", w, f.Page, activityCols, "x.starts_at, x.id", scanActivity)
	if err != nil {
		return nil, 0, err
	}
	return acts, n, t.participants(ctx, acts)
}

// setParticipants replaces an activity's participants.
func (t *governanceTx) setParticipants(ctx context.Context, a governance.Activity) error {
	if _, err := t.exec(ctx, (&query{}).add("DELETE FROM activity_participants WHERE community_id = ? AND activity_id = ?", a.CommunityID, a.ID)); err != nil {
		return err
	}
	return t.insert(ctx, "activity_participants", "community_id, activity_id, resident_id, minutes, seq", len(a.Participants), func(i int) []any {
		p := a.Participants[i]
		return []any{a.CommunityID, a.ID, p.ResidentID, p.Minutes, i}
	})
}

func (t *governanceTx) CreateActivity(ctx context.Context, a governance.Activity) error {
	t.wrote(a.CommunityID)
	err := t.insert(ctx, "activities", "id, community_id, body_id, title, service, place, starts_at, ends_at, organiser_id, created_by, created_at, updated_at", 1,
		func(int) []any { return append([]any{a.ID, a.CommunityID}, activityArgs(a)...) })
	if err != nil {
		return err
	}
	return t.setParticipants(ctx, a)
}

func (t *governanceTx) UpdateActivity(ctx context.Context, a governance.Activity) error {
	t.wrote(a.CommunityID)
	err := t.update(ctx, "activities", "activity", "body_id = ?, title = ?, service = ?, place = ?, starts_at = ?, ends_at = ?, organiser_id = ?, created_by = ?, created_at = ?, updated_at = ?",
		a.CommunityID, a.ID, activityArgs(a)...)
	if err != nil {
		return err
	}
	return t.setParticipants(ctx, a)
}

func (t *governanceTx) FirstParticipations(ctx context.Context, community string) (map[string]time.Time, error) {
	q := (&query{}).add(`SELECT p.resident_id, MIN(a.starts_at) FROM activity_participants p
		JOIN activities a ON a.community_id = p.community_id AND a.id = p.activity_id WHERE p.community_id = ? GROUP BY p.resident_id`, community)
	rows, err := t.query(ctx, q)
	type first struct {
		resident string
		at       time.Time
	}
	firsts, err := collect(rows, err, func(r *sql.Rows) (first, error) {
		var f first
		return f, r.Scan(&f.resident, scanTime{&f.at})
	})
	if err != nil {
		return nil, err
	}
	out := make(map[string]time.Time, len(firsts))
	for _, f := range firsts {
		out[f.resident] = f.at
	}
	return out, nil
}

var _ governance.Tx = (*governanceTx)(nil)
