package httpapi

import (
	"math"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
)

// The routes of needs intake, surveys and regrouping; registered by routes.
func (s *server) intakeRoutes() {
	base := "/v1/communities/{community}"
	s.handle("GET "+base+"/needs", s.authed(s.findNeeds))
	s.handle("POST "+base+"/needs", s.authed(s.raiseNeed))
	s.handle("GET "+base+"/needs/{id}", s.authed(s.need))
	s.handle("POST "+base+"/needs/{id}/actions", s.authed(s.actOnNeed))

	s.handle("GET "+base+"/surveys", s.authed(s.findSurveys))
	s.handle("POST "+base+"/surveys", s.authed(s.createSurvey))
	s.handle("GET "+base+"/surveys/{id}", s.authed(s.survey))
	s.handle("PATCH "+base+"/surveys/{id}", s.authed(s.updateSurvey))
	s.handle("POST "+base+"/surveys/{id}/open", s.authed(s.openSurvey))
	s.handle("POST "+base+"/surveys/{id}/close", s.authed(s.closeSurvey))
	s.handle("POST "+base+"/surveys/{id}/responses", s.authed(s.answerSurvey))
	s.handle("GET "+base+"/surveys/{id}/results", s.authed(s.surveyResults))

	s.handle("GET "+base+"/households/{id}/profile", s.authed(s.householdProfile))

	s.handle("GET "+base+"/regroup-plans", s.authed(s.findPlans))
	s.handle("POST "+base+"/regroup-plans", s.authed(s.planRegroup))
	s.handle("GET "+base+"/regroup-plans/{id}", s.authed(s.regroupPlan))
	s.handle("POST "+base+"/regroup-plans/{id}/apply", s.authed(s.applyPlan))
	s.handle("GET "+base+"/memberships", s.authed(s.memberships))
}

// reply encodes a result, or returns the error.
func reply[T any](w http.ResponseWriter, status int, v T, err error) error {
	if err != nil {
		return err
	}
	encode(w, status, v)
	return nil
}

// page reads a list's paging: limit, after (or offset) and total.
func page(p *params) grids.Page {
	return grids.Page{Offset: p.int("offset", 0, math.MaxInt32), Limit: p.int("limit", 1, grids.MaxLimit), After: p.str("after"), NoTotal: !p.bool("total")}
}

// list encodes a page of results, with the link to the next.
func list[T any](w http.ResponseWriter, p *params, items []T, total int, pg grids.Page, err error) error {
	if err != nil {
		return err
	}
	encode(w, http.StatusOK, envelope(p, items, total, pg))
	return nil
}

// envelope is the List of a page: Next while the page is full, after its
// last item's ID (by offset for items that have none).
func envelope[T any](p *params, items []T, total int, pg grids.Page) List[T] {
	if pg.Limit == 0 {
		pg.Limit = grids.DefaultLimit
	}
	if items == nil {
		items = []T{}
	}
	out := List[T]{Items: items, Limit: pg.Limit}
	if !pg.NoTotal && total >= 0 {
		out.Total = &total
	}
	if len(items) == pg.Limit {
		q := url.Values{}
		for k, vs := range p.v {
			q[k] = vs
		}
		q.Del("offset")
		q.Del("after")
		q.Set("limit", strconv.Itoa(pg.Limit))
		if id := idOf(items[len(items)-1]); id != "" && pg.Offset == 0 {
			q.Set("after", id)
		} else {
			q.Set("offset", strconv.Itoa(pg.Offset+len(items)))
		}
		out.Next = p.path + "?" + q.Encode()
	}
	return out
}

// idOf is a record's ID, "" for what has none.
func idOf(v any) string {
	r, ok := structOf(v)
	if !ok {
		return ""
	}
	if id := r.FieldByName("ID"); id.IsValid() && id.Kind() == reflect.String {
		return id.String()
	}
	return ""
}

// whole answers a list a service gives whole as a page of it, as a store
// would page it: by key (the items' IDs) or, for items without one, by
// offset.
func whole[T any](w http.ResponseWriter, p *params, items []T, pg grids.Page, err error) error {
	if err != nil {
		return err
	}
	if pg, err = pg.Checked(); err != nil {
		return err
	}
	lo := min(pg.Offset, len(items))
	if pg.After != "" {
		i := slices.IndexFunc(items, func(v T) bool { return idOf(v) == pg.After })
		if i < 0 {
			return grids.ErrNoSuchAfter(pg.After)
		}
		lo = i + 1
	}
	return list(w, p, items[lo:min(lo+pg.Limit, len(items))], len(items), pg, nil)
}

// noParams refuses query parameters where none are taken.
func noParams(r *http.Request) error { return newParams(r).done() }

// ---- needs ----

func (s *server) findNeeds(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	f := grids.NeedFilter{
		CommunityID: r.PathValue("community"),
		Kind:        grids.NeedKind(p.oneOf("kind", "need", "suggestion", "micro_wish")),
		Source:      grids.NeedSource(p.oneOf("source", "survey", "group_discussion", "micro_wish", "briefing", "hearing", "online")),
		Status:      grids.NeedStatus(p.oneOf("status", "received", "accepted", "assigned", "answered", "declined")),
		Tag:         p.str("tag"), HouseholdID: p.str("household"), AssigneeID: p.str("assignee"),
		Unclaimed: p.bool("unclaimed"), Page: page(p),
	}
	if err := p.done(); err != nil {
		return err
	}
	items, total, err := s.registry.FindNeeds(r.Context(), f)
	return list(w, p, items, total, f.Page, err)
}

func (s *server) raiseNeed(w http.ResponseWriter, r *http.Request) error {
	in, err := body[grids.NeedInput](s, w, r)
	if err != nil {
		return err
	}
	n, err := s.registry.RaiseNeed(r.Context(), r.PathValue("community"), in)
	if err == nil {
		w.Header().Set("Location", r.URL.Path+"/"+n.ID)
	}
	return reply(w, http.StatusCreated, n, err)
}

func (s *server) need(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	n, err := s.registry.Need(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, n, err)
}

func (s *server) actOnNeed(w http.ResponseWriter, r *http.Request) error {
	a, err := body[grids.NeedAction](s, w, r)
	if err != nil {
		return err
	}
	n, err := s.registry.ActOnNeed(r.Context(), r.PathValue("community"), r.PathValue("id"), a)
	return reply(w, http.StatusOK, n, err)
}

// ---- surveys ----

func (s *server) findSurveys(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	f := grids.SurveyFilter{CommunityID: r.PathValue("community"), Status: grids.SurveyStatus(p.oneOf("status", "draft", "open", "closed")), Page: page(p)}
	if err := p.done(); err != nil {
		return err
	}
	items, total, err := s.registry.FindSurveys(r.Context(), f)
	return list(w, p, items, total, f.Page, err)
}

func (s *server) createSurvey(w http.ResponseWriter, r *http.Request) error {
	in, err := body[grids.SurveyInput](s, w, r)
	if err != nil {
		return err
	}
	sv, err := s.registry.CreateSurvey(r.Context(), r.PathValue("community"), in)
	if err == nil {
		w.Header().Set("Location", r.URL.Path+"/"+sv.ID)
	}
	return reply(w, http.StatusCreated, sv, err)
}

func (s *server) survey(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	sv, err := s.registry.Survey(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, sv, err)
}

func (s *server) updateSurvey(w http.ResponseWriter, r *http.Request) error {
	u, err := body[grids.SurveyUpdate](s, w, r)
	if err != nil {
		return err
	}
	sv, err := s.registry.UpdateSurvey(r.Context(), r.PathValue("community"), r.PathValue("id"), u)
	return reply(w, http.StatusOK, sv, err)
}

func (s *server) openSurvey(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	sv, err := s.registry.OpenSurvey(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, sv, err)
}

func (s *server) closeSurvey(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	sv, err := s.registry.CloseSurvey(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, sv, err)
}

func (s *server) answerSurvey(w http.ResponseWriter, r *http.Request) error {
	in, err := body[grids.ResponseInput](s, w, r)
	if err != nil {
		return err
	}
	resp, err := s.registry.AnswerSurvey(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, resp, err)
}

func (s *server) surveyResults(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	by := p.oneOf("by", "grid", "district")
	if err := p.done(); err != nil {
		return err
	}
	res, err := s.registry.SurveyResults(r.Context(), r.PathValue("community"), r.PathValue("id"), by)
	return reply(w, http.StatusOK, res, err)
}

func (s *server) householdProfile(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	pr, err := s.registry.HouseholdProfile(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, pr, err)
}

// ---- regrouping ----

func (s *server) findPlans(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	f := grids.PlanFilter{CommunityID: r.PathValue("community"), Status: grids.PlanStatus(p.oneOf("status", "running", "done", "failed", "applied")), Page: page(p)}
	if err := p.done(); err != nil {
		return err
	}
	items, total, err := s.registry.FindRegroupPlans(r.Context(), f)
	for i := range items {
		items[i].Placements = nil // a list shows the plans, not every building
	}
	return list(w, p, items, total, f.Page, err)
}

// planRegroup answers 201 with a finished plan, or 202 with a running one
// whose progress GET /regroup-plans/{id} shows.
func (s *server) planRegroup(w http.ResponseWriter, r *http.Request) error {
	in, err := body[grids.PlanInput](s, w, r)
	if err != nil {
		return err
	}
	plan, err := s.registry.PlanRegroup(r.Context(), r.PathValue("community"), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", r.URL.Path+"/"+plan.ID)
	status := http.StatusCreated
	if plan.Status == grids.PlanRunning {
		status = http.StatusAccepted
	}
	encode(w, status, plan)
	return nil
}

func (s *server) regroupPlan(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	plan, err := s.registry.RegroupPlan(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, plan, err)
}

func (s *server) applyPlan(w http.ResponseWriter, r *http.Request) error {
	in, err := body[grids.ApplyInput](s, w, r)
	if err != nil {
		return err
	}
	res, err := s.registry.ApplyPlan(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, res, err)
}

func (s *server) memberships(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	f := grids.MembershipFilter{
		CommunityID: r.PathValue("community"),
		Kind:        grids.MembershipKind(p.oneOf("kind", string(grids.BuildingInGrid), string(grids.GridInDistrict))),
		MemberID:    p.str("member"), GroupID: p.str("group"), At: p.time("at"), Page: page(p),
	}
	if err := p.done(); err != nil {
		return err
	}
	if f.MemberID == "" && f.GroupID == "" {
		return errs.Field("member", "give a member (a building or grid) or a group (a grid or district)")
	}
	items, total, err := s.registry.History(r.Context(), f)
	return list(w, p, items, total, f.Page, err)
}
