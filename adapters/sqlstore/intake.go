package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
)

// bar keeps a list of tags as "|a|b|", which a LIKE '%|a|%' finds on
// either dialect; tags never hold '|'.
func bar(tags []string) string {
	if len(tags) == 0 {
		return ""
	}
	return "|" + strings.Join(tags, "|") + "|"
}

func unbar(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(strings.Trim(s, "|"), "|")
}

// jsonText encodes a nested value for a TEXT column.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // records are plain data
	}
	return string(b)
}

// fromJSON decodes a TEXT column into v; "" leaves v as it is.
func fromJSON(s string, v any) error {
	if s == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return errs.Internalf("sqlstore: decode stored JSON: %w", err)
	}
	return nil
}

// ---- needs ----

const needCols = "x.id, x.community_id, x.kind, x.source, x.title, x.detail, x.tags, x.household_id, x.group_ref, x.status, x.assignee, x.reply, x.claimed_by, x.fulfilled_at, x.events, x.created_at, x.updated_at"

func scanNeed(r scanner) (grids.Need, error) {
	var n grids.Need
	var tags, group, assignee, claimed, events string
	var household sql.NullString
	err := r.Scan(&n.ID, &n.CommunityID, &n.Kind, &n.Source, &n.Title, &n.Detail, &tags, &household, &group, &n.Status,
		&assignee, &n.Reply, &claimed, scanNullTime{&n.FulfilledAt}, &events, scanTime{&n.CreatedAt}, scanTime{&n.UpdatedAt})
	if err != nil {
		return n, err
	}
	n.Tags, n.HouseholdID = unbar(tags), household.String
	n.Events = []grids.NeedEvent{}
	for _, f := range []struct {
		s string
		v any
	}{{group, &n.Group}, {assignee, &n.Assignee}, {claimed, &n.ClaimedBy}, {events, &n.Events}} {
		if err := fromJSON(f.s, f.v); err != nil {
			return n, err
		}
	}
	return n, nil
}

// refText stores an optional reference as JSON, "" for none.
func refText(r *grids.Ref) string {
	if r == nil {
		return ""
	}
	return jsonText(r)
}

func needArgs(n grids.Need) []any {
	assigneeID := ""
	if n.Assignee != nil {
		assigneeID = n.Assignee.ID
	}
	return []any{n.Kind, n.Source, n.Title, n.Detail, bar(n.Tags), nullString(n.HouseholdID), refText(n.Group), n.Status,
		assigneeID, refText(n.Assignee), n.Reply, refText(n.ClaimedBy), nullTS(n.FulfilledAt), jsonText(n.Events),
		ts(n.CreatedAt), ts(n.UpdatedAt)}
}

func (t *gridsTx) Need(ctx context.Context, community, id string) (grids.Need, error) {
	q := (&query{}).add("SELECT "+needCols+" FROM needs x WHERE x.community_id = ? AND x.id = ?", community, id)
	return one(ctx, &t.tx, "need", id, q, scanNeed)
}

func (t *gridsTx) FindNeeds(ctx context.Context, f grids.NeedFilter) ([]grids.Need, int, error) {
	w := (&query{}).add("x.community_id = ?", f.CommunityID)
	w.equals("x.kind", string(f.Kind), "x.source", string(f.Source), "x.status", string(f.Status),
		"x.household_id", f.HouseholdID, "x.assignee_id", f.AssigneeID)
	if f.Tag != "" {
		w.add(" AND x.tags LIKE ?", "%|"+f.Tag+"|%")
	}
	if f.Unclaimed {
		w.add(" AND x.kind = ? AND x.claimed_by = ''", string(grids.KindMicroWish))
	}
	return find(ctx, &t.tx, "needs x", w, f.Page, needCols, scanNeed)
}

func (t *gridsTx) CreateNeed(ctx context.Context, n grids.Need) error {
	return t.insert(ctx, "needs", "id, community_id, kind, source, title, detail, tags, household_id, group_ref, status, assignee_id, assignee, reply, claimed_by, fulfilled_at, events, created_at, updated_at", 1,
		func(int) []any { return append([]any{n.ID, n.CommunityID}, needArgs(n)...) })
}

func (t *gridsTx) UpdateNeed(ctx context.Context, n grids.Need) error {
	q := (&query{}).add("UPDATE needs SET kind = ?, source = ?, title = ?, detail = ?, tags = ?, household_id = ?, group_ref = ?, status = ?, assignee_id = ?, assignee = ?, reply = ?, claimed_by = ?, fulfilled_at = ?, events = ?, created_at = ?, updated_at = ? WHERE community_id = ? AND id = ?",
		append(needArgs(n), n.CommunityID, n.ID)...)
	return t.change(ctx, q, "need", n.ID)
}

// ---- surveys ----

const surveyCols = "x.id, x.community_id, x.title, x.description, x.status, x.questions, x.opened_at, x.closed_at, x.created_at, x.updated_at"

func scanSurvey(r scanner) (grids.Survey, error) {
	var s grids.Survey
	var questions string
	err := r.Scan(&s.ID, &s.CommunityID, &s.Title, &s.Description, &s.Status, &questions,
		scanNullTime{&s.OpenedAt}, scanNullTime{&s.ClosedAt}, scanTime{&s.CreatedAt}, scanTime{&s.UpdatedAt})
	if err != nil {
		return s, err
	}
	return s, fromJSON(questions, &s.Questions)
}

func surveyArgs(s grids.Survey) []any {
	return []any{s.Title, s.Description, s.Status, jsonText(s.Questions), nullTS(s.OpenedAt), nullTS(s.ClosedAt), ts(s.CreatedAt), ts(s.UpdatedAt)}
}

func (t *gridsTx) Survey(ctx context.Context, community, id string) (grids.Survey, error) {
	q := (&query{}).add("SELECT "+surveyCols+" FROM surveys x WHERE x.community_id = ? AND x.id = ?", community, id)
	return one(ctx, &t.tx, "survey", id, q, scanSurvey)
}

func (t *gridsTx) FindSurveys(ctx context.Context, f grids.SurveyFilter) ([]grids.Survey, int, error) {
	w := (&query{}).add("x.community_id = ?", f.CommunityID)
	if f.Status != "" {
		w.add(" AND x.status = ?", string(f.Status))
	}
	return find(ctx, &t.tx, "surveys x", w, f.Page, surveyCols, scanSurvey)
}

func (t *gridsTx) CreateSurvey(ctx context.Context, s grids.Survey) error {
	return t.insert(ctx, "surveys", "id, community_id, title, description, status, questions, opened_at, closed_at, created_at, updated_at", 1,
		func(int) []any { return append([]any{s.ID, s.CommunityID}, surveyArgs(s)...) })
}

func (t *gridsTx) UpdateSurvey(ctx context.Context, s grids.Survey) error {
	q := (&query{}).add("UPDATE surveys SET title = ?, description = ?, status = ?, questions = ?, opened_at = ?, closed_at = ?, created_at = ?, updated_at = ? WHERE community_id = ? AND id = ?",
		append(surveyArgs(s), s.CommunityID, s.ID)...)
	return t.change(ctx, q, "survey", s.ID)
}

const responseCols = "x.id, x.community_id, x.survey_id, x.household_id, x.answers, x.interests, x.needs, x.submitted_by, x.submitted_at"

func (t *gridsTx) PutResponse(ctx context.Context, r grids.Response) error {
	// A household answers once: the new answers replace the old, under the
	// first response's ID.
	_, err := t.exec(ctx, (&query{}).add(`INSERT INTO survey_responses (id, community_id, survey_id, household_id, answers, interests, needs, submitted_by, submitted_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (community_id, survey_id, household_id) DO UPDATE SET answers = excluded.answers, interests = excluded.interests,
			needs = excluded.needs, submitted_by = excluded.submitted_by, submitted_at = excluded.submitted_at`,
		r.ID, r.CommunityID, r.SurveyID, r.HouseholdID, jsonText(r.Answers), bar(r.Interests), bar(r.Needs), r.By, ts(r.SubmittedAt)))
	return err
}

func (t *gridsTx) FindResponses(ctx context.Context, f grids.ResponseFilter) ([]grids.Response, error) {
	q := (&query{}).add("SELECT "+responseCols+" FROM survey_responses x WHERE x.community_id = ?", f.CommunityID)
	if f.SurveyID != "" {
		q.add(" AND x.survey_id = ?", f.SurveyID)
	}
	if f.HouseholdID != "" {
		q.add(" AND x.household_id = ?", f.HouseholdID)
	}
	q.add(" ORDER BY x.id")
	rows, err := t.query(ctx, q)
	return collect(rows, err, func(r *sql.Rows) (grids.Response, error) {
		var res grids.Response
		var answers, interests, needs string
		if err := r.Scan(&res.ID, &res.CommunityID, &res.SurveyID, &res.HouseholdID, &answers, &interests, &needs, &res.By, scanTime{&res.SubmittedAt}); err != nil {
			return res, err
		}
		res.Interests, res.Needs, res.Answers = unbar(interests), unbar(needs), []grids.Answer{}
		return res, fromJSON(answers, &res.Answers)
	})
}

// ---- regrouping plans ----

const planCols = "x.id, x.community_id, x.options, x.status, x.progress, x.error, x.report, x.placements, x.basis, x.created_by, x.created_at, x.updated_at, x.applied_at"

func scanPlan(r scanner) (grids.RegroupPlan, error) {
	var p grids.RegroupPlan
	var options, report, placements string
	err := r.Scan(&p.ID, &p.CommunityID, &options, &p.Status, &p.Progress, &p.Error, &report, &placements, &p.Basis, &p.CreatedBy,
		scanTime{&p.CreatedAt}, scanTime{&p.UpdatedAt}, scanNullTime{&p.AppliedAt})
	if err != nil {
		return p, err
	}
	if err := fromJSON(options, &p.Options); err != nil {
		return p, err
	}
	if err := fromJSON(report, &p.Report); err != nil {
		return p, err
	}
	return p, fromJSON(placements, &p.Placements)
}

func planArgs(p grids.RegroupPlan) []any {
	report, placements := "", ""
	if p.Report != nil {
		report = jsonText(p.Report)
	}
	if p.Placements != nil {
		placements = jsonText(p.Placements)
	}
	return []any{jsonText(p.Options), p.Status, p.Progress, p.Error, report, placements, p.Basis, p.CreatedBy, ts(p.CreatedAt), ts(p.UpdatedAt), nullTS(p.AppliedAt)}
}

func (t *gridsTx) RegroupPlan(ctx context.Context, community, id string) (grids.RegroupPlan, error) {
	q := (&query{}).add("SELECT "+planCols+" FROM regroup_plans x WHERE x.community_id = ? AND x.id = ?", community, id)
	return one(ctx, &t.tx, "plan", id, q, scanPlan)
}

func (t *gridsTx) FindRegroupPlans(ctx context.Context, f grids.PlanFilter) ([]grids.RegroupPlan, int, error) {
	w := (&query{}).add("x.community_id = ?", f.CommunityID)
	if f.Status != "" {
		w.add(" AND x.status = ?", string(f.Status))
	}
	return find(ctx, &t.tx, "regroup_plans x", w, f.Page, planCols, scanPlan)
}

func (t *gridsTx) CreateRegroupPlan(ctx context.Context, p grids.RegroupPlan) error {
	return t.insert(ctx, "regroup_plans", "id, community_id, options, status, progress, error, report, placements, basis, created_by, created_at, updated_at, applied_at", 1,
		func(int) []any { return append([]any{p.ID, p.CommunityID}, planArgs(p)...) })
}

func (t *gridsTx) UpdateRegroupPlan(ctx context.Context, p grids.RegroupPlan) error {
	q := (&query{}).add("UPDATE regroup_plans SET options = ?, status = ?, progress = ?, error = ?, report = ?, placements = ?, basis = ?, created_by = ?, created_at = ?, updated_at = ?, applied_at = ? WHERE community_id = ? AND id = ?",
		append(planArgs(p), p.CommunityID, p.ID)...)
	return t.change(ctx, q, "plan", p.ID)
}

// ---- memberships ----

func (t *gridsTx) OpenMembership(ctx context.Context, m grids.Membership) error {
	return t.insert(ctx, "memberships", "id, community_id, kind, member_id, group_id, valid_from, valid_to", 1,
		func(int) []any {
			return []any{m.ID, m.CommunityID, m.Kind, m.MemberID, m.GroupID, ts(m.From), nullTS(m.To)}
		})
}

func (t *gridsTx) CloseMembership(ctx context.Context, community string, kind grids.MembershipKind, member string, at time.Time) error {
	_, err := t.exec(ctx, (&query{}).add("UPDATE memberships SET valid_to = ? WHERE community_id = ? AND kind = ? AND member_id = ? AND valid_to IS NULL",
		ts(at), community, string(kind), member))
	return err
}

func (t *gridsTx) FindMemberships(ctx context.Context, f grids.MembershipFilter) ([]grids.Membership, int, error) {
	w := (&query{}).add("x.community_id = ?", f.CommunityID)
	w.equals("x.kind", string(f.Kind), "x.member_id", f.MemberID, "x.group_id", f.GroupID)
	if f.At != nil {
		w.add(" AND x.valid_from <= ? AND (x.valid_to IS NULL OR x.valid_to > ?)", ts(*f.At), ts(*f.At))
	}
	total := -1
	if !f.NoTotal {
		cq := &query{args: w.args}
		cq.b.WriteString("SELECT COUNT(*) FROM memberships x WHERE " + w.String())
		var err error
		if total, err = t.count(ctx, cq); err != nil {
			return nil, 0, err
		}
	}
	if f.After != "" {
		if err := t.after(ctx, w, "memberships x", "x.member_id, x.valid_from, x.id", "x.id", f.After, "x.community_id", f.CommunityID); err != nil {
			return nil, 0, err
		}
	}
	q := &query{args: append([]any(nil), w.args...)}
	q.b.WriteString("SELECT x.id, x.community_id, x.kind, x.member_id, x.group_id, x.valid_from, x.valid_to FROM memberships x WHERE " + w.String())
	q.page(t.db.dialect, "x.member_id, x.valid_from, x.id", f.Offset, f.Limit)
	rows, err := t.query(ctx, q)
	out, err := collect(rows, err, func(r *sql.Rows) (grids.Membership, error) {
		var m grids.Membership
		err := r.Scan(&m.ID, &m.CommunityID, &m.Kind, &m.MemberID, &m.GroupID, scanTime{&m.From}, scanNullTime{&m.To})
		return m, err
	})
	return out, total, err
}
