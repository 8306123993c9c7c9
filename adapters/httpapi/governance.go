package httpapi

import (
	"net/http"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
)

// The routes of governance: bodies and positions, organisations,
// decisions, nominations, tasks, community issues, activities and the
// evaluation; registered by routes.
func (s *server) governanceRoutes() {
	base := "/v1/communities/{community}"
	g := func(h handler) http.HandlerFunc { return s.authed(s.needGovernance(h)) }
	s.handle("POST "+base+"/governance/setup", g(s.setupGovernance))
	s.handle("GET "+base+"/evaluation", g(s.evaluate))

	s.handle("GET "+base+"/bodies", g(s.findBodies))
	s.handle("POST "+base+"/bodies", g(s.createBody))
	s.handle("GET "+base+"/bodies/{id}", g(s.body))
	s.handle("PATCH "+base+"/bodies/{id}", g(s.updateBody))
	s.handle("POST "+base+"/bodies/{id}/archive", g(s.archiveBody))
	s.handle("POST "+base+"/bodies/{id}/members", g(s.addMember))
	s.handle("POST "+base+"/bodies/{id}/join", g(s.join))
	s.matchingRoutes(g)
	s.handle("POST "+base+"/bodies/{id}/leave", g(s.leave))

	s.handle("GET "+base+"/positions", g(s.findPositions))
	s.handle("POST "+base+"/positions", g(s.appoint))
	s.handle("GET "+base+"/positions/{id}", g(s.position))
	s.handle("POST "+base+"/positions/{id}/end", g(s.endPosition))
	s.handle("POST "+base+"/positions/{id}/renew", g(s.renewPosition))

	s.handle("GET "+base+"/organisations", g(s.findOrganisations))
	s.handle("POST "+base+"/organisations", g(s.registerOrganisation))
	s.handle("GET "+base+"/organisations/{id}", g(s.organisation))
	s.handle("PATCH "+base+"/organisations/{id}", g(s.updateOrganisation))
	s.handle("POST "+base+"/organisations/{id}/archive", g(s.archiveOrganisation))

	s.handle("GET "+base+"/decisions", g(s.findDecisions))
	s.handle("POST "+base+"/decisions", g(s.recordDecision))
	s.handle("GET "+base+"/decisions/{id}", g(s.decision))

	s.handle("GET "+base+"/nominations", g(s.findNominations))
	s.handle("POST "+base+"/nominations", g(s.nominate))
	s.handle("GET "+base+"/nominations/{id}", g(s.nomination))
	s.handle("POST "+base+"/nominations/{id}/review", g(s.reviewNomination))
	s.handle("POST "+base+"/nominations/{id}/appoint", g(s.appointNomination))

	s.handle("GET "+base+"/tasks", g(s.findTasks))
	s.handle("POST "+base+"/tasks", g(s.assignTask))
	s.handle("GET "+base+"/tasks/{id}", g(s.task))
	s.handle("POST "+base+"/tasks/{id}/reports", g(s.reportTask))
	s.handle("POST "+base+"/tasks/{id}/escalate", g(s.escalateTask))

	s.handle("GET "+base+"/issues", g(s.findIssues))
	s.handle("POST "+base+"/issues", g(s.raiseIssue))
	s.handle("GET "+base+"/issues/{id}", g(s.issue))
	s.handle("POST "+base+"/issues/{id}/steps", g(s.stepIssue))

	s.handle("GET "+base+"/activities", g(s.findActivities))
	s.handle("POST "+base+"/activities", g(s.recordActivity))
	s.handle("GET "+base+"/activities/{id}", g(s.activity))
	s.handle("PATCH "+base+"/activities/{id}", g(s.updateActivity))
	s.meetingRoutes(g)
}

// needGovernance answers 404 when the server was built without a
// governance service.
func (s *server) needGovernance(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if s.gov == nil {
			return errs.E(errs.NotFound, "governance is not served here")
		}
		return h(w, r)
	}
}

// created answers 201 with the record and its Location.
func created[T any](w http.ResponseWriter, r *http.Request, collection, id string, v T, err error) error {
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/communities/"+r.PathValue("community")+"/"+collection+"/"+id)
	encode(w, http.StatusCreated, v)
	return nil
}

func (s *server) setupGovernance(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	bodies, err := s.gov.Setup(r.Context(), r.PathValue("community"))
	return reply(w, http.StatusOK, bodies, err)
}

func (s *server) evaluate(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	from, to := p.requiredPeriod()
	if err := p.done(); err != nil {
		return err
	}
	ev, err := s.gov.Evaluate(r.Context(), r.PathValue("community"), from, to)
	return reply(w, http.StatusOK, ev, err)
}

// ---- bodies ----

func (s *server) findBodies(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	f := governance.BodyFilter{CommunityID: r.PathValue("community"),
		Kind:     governance.BodyKind(p.oneOf("kind", "council", "committee", "group", "think_tank")),
		ParentID: p.str("parent"), Key: p.str("key"), State: state(p), Page: page(p)}
	if err := p.done(); err != nil {
		return err
	}
	items, total, err := s.gov.FindBodies(r.Context(), f)
	return list(w, p, items, total, f.Page, err)
}

func (s *server) createBody(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.BodyInput](s, w, r)
	if err != nil {
		return err
	}
	b, err := s.gov.CreateBody(r.Context(), r.PathValue("community"), in)
	return created(w, r, "bodies", b.ID, b, err)
}

func (s *server) body(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	b, err := s.gov.Body(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, b, err)
}

func (s *server) updateBody(w http.ResponseWriter, r *http.Request) error {
	u, err := body[governance.BodyUpdate](s, w, r)
	if err != nil {
		return err
	}
	b, err := s.gov.UpdateBody(r.Context(), r.PathValue("community"), r.PathValue("id"), u)
	return reply(w, http.StatusOK, b, err)
}

func (s *server) archiveBody(w http.ResponseWriter, r *http.Request) error {
	in, err := body[grids.ArchiveInput](s, w, r)
	if err != nil {
		return err
	}
	b, err := s.gov.ArchiveBody(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, b, err)
}

func (s *server) addMember(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.MemberInput](s, w, r)
	if err != nil {
		return err
	}
	p, err := s.gov.AddMember(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return created(w, r, "positions", p.ID, p, err)
}

func (s *server) join(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	p, err := s.gov.Join(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return created(w, r, "positions", p.ID, p, err)
}

func (s *server) leave(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	p, err := s.gov.Leave(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, p, err)
}

// ---- positions ----

func (s *server) findPositions(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	f := governance.PositionFilter{CommunityID: r.PathValue("community"), BodyID: p.str("body"), HolderID: p.str("holder"),
		Office:   governance.Office(p.oneOf("office", "chair", "vice_chair", "secretary", "leader", "member")),
		ActiveAt: p.time("active_at"), Page: page(p)}
	if p.bool("active") {
		if f.ActiveAt != nil {
			p.fail("active", "give active or active_at, not both")
		}
		now := s.now()
		f.ActiveAt = &now
	}
	if err := p.done(); err != nil {
		return err
	}
	items, total, err := s.gov.FindPositions(r.Context(), f)
	return list(w, p, items, total, f.Page, err)
}

func (s *server) appoint(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.AppointInput](s, w, r)
	if err != nil {
		return err
	}
	p, err := s.gov.Appoint(r.Context(), r.PathValue("community"), in)
	return created(w, r, "positions", p.ID, p, err)
}

func (s *server) position(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	p, err := s.gov.Position(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, p, err)
}

func (s *server) endPosition(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.EndInput](s, w, r)
	if err != nil {
		return err
	}
	p, err := s.gov.EndPosition(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, p, err)
}

func (s *server) renewPosition(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.RenewInput](s, w, r)
	if err != nil {
		return err
	}
	p, err := s.gov.Renew(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusCreated, p, err)
}

// ---- organisations ----

func (s *server) findOrganisations(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	f := governance.OrganisationFilter{CommunityID: r.PathValue("community"), Kind: p.oneOf("kind", "grassroots", "professional"),
		CommitteeID: p.str("committee"), State: state(p), Page: page(p)}
	if err := p.done(); err != nil {
		return err
	}
	items, total, err := s.gov.FindOrganisations(r.Context(), f)
	return list(w, p, items, total, f.Page, err)
}

func (s *server) registerOrganisation(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.OrganisationInput](s, w, r)
	if err != nil {
		return err
	}
	o, err := s.gov.RegisterOrganisation(r.Context(), r.PathValue("community"), in)
	return created(w, r, "organisations", o.ID, o, err)
}

func (s *server) organisation(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	o, err := s.gov.Organisation(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, o, err)
}

func (s *server) updateOrganisation(w http.ResponseWriter, r *http.Request) error {
	u, err := body[governance.OrganisationUpdate](s, w, r)
	if err != nil {
		return err
	}
	o, err := s.gov.UpdateOrganisation(r.Context(), r.PathValue("community"), r.PathValue("id"), u)
	return reply(w, http.StatusOK, o, err)
}

func (s *server) archiveOrganisation(w http.ResponseWriter, r *http.Request) error {
	in, err := body[grids.ArchiveInput](s, w, r)
	if err != nil {
		return err
	}
	o, err := s.gov.ArchiveOrganisation(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, o, err)
}

// ---- decisions ----

func (s *server) findDecisions(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	f := governance.DecisionFilter{CommunityID: r.PathValue("community"), BodyID: p.str("body"), MeetingID: p.str("meeting"), Page: page(p)}
	if err := p.done(); err != nil {
		return err
	}
	items, total, err := s.gov.FindDecisions(r.Context(), f)
	return list(w, p, items, total, f.Page, err)
}

func (s *server) recordDecision(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.DecisionInput](s, w, r)
	if err != nil {
		return err
	}
	d, err := s.gov.RecordDecision(r.Context(), r.PathValue("community"), in)
	return created(w, r, "decisions", d.ID, d, err)
}

func (s *server) decision(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	d, err := s.gov.Decision(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, d, err)
}

// ---- nominations ----

func (s *server) findNominations(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	f := governance.NominationFilter{CommunityID: r.PathValue("community"),
		Status: governance.NominationStatus(p.oneOf("status", "pending", "reviewed", "appointed", "rejected")),
		BodyID: p.str("body"), ResidentID: p.str("resident"), Page: page(p)}
	if err := p.done(); err != nil {
		return err
	}
	items, total, err := s.gov.FindNominations(r.Context(), f)
	return list(w, p, items, total, f.Page, err)
}

func (s *server) nominate(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.NominationInput](s, w, r)
	if err != nil {
		return err
	}
	n, err := s.gov.Nominate(r.Context(), r.PathValue("community"), in)
	return created(w, r, "nominations", n.ID, n, err)
}

func (s *server) nomination(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	n, err := s.gov.Nomination(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, n, err)
}

func (s *server) reviewNomination(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.ReviewInput](s, w, r)
	if err != nil {
		return err
	}
	n, err := s.gov.ReviewNomination(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, n, err)
}

func (s *server) appointNomination(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.NominationAppointInput](s, w, r)
	if err != nil {
		return err
	}
	n, err := s.gov.AppointNomination(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, n, err)
}

// ---- tasks ----

func (s *server) findTasks(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	f := governance.TaskFilter{CommunityID: r.PathValue("community"), FromBodyID: p.str("from"), ToBodyID: p.str("to"),
		Status:  governance.TaskStatus(p.oneOf("status", "open", "in_progress", "done", "cancelled")),
		OwnerID: p.str("owner"), Page: page(p)}
	if err := p.done(); err != nil {
		return err
	}
	items, total, err := s.gov.FindTasks(r.Context(), f)
	return list(w, p, items, total, f.Page, err)
}

func (s *server) assignTask(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.TaskInput](s, w, r)
	if err != nil {
		return err
	}
	t, err := s.gov.AssignTask(r.Context(), r.PathValue("community"), in)
	return created(w, r, "tasks", t.ID, t, err)
}

func (s *server) task(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	t, err := s.gov.Task(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, t, err)
}

func (s *server) reportTask(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.ReportInput](s, w, r)
	if err != nil {
		return err
	}
	t, err := s.gov.ReportTask(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, t, err)
}

func (s *server) escalateTask(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.EscalateInput](s, w, r)
	if err != nil {
		return err
	}
	is, err := s.gov.EscalateTask(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return created(w, r, "issues", is.ID, is, err)
}

// ---- issues ----

func (s *server) findIssues(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	f := governance.IssueFilter{CommunityID: r.PathValue("community"),
		Status:     governance.IssueStatus(p.oneOf("status", "raised", "deliberated", "decided", "carried_out", "reviewed", "declined")),
		RaisedByID: p.str("raised_by"), Page: page(p)}
	if err := p.done(); err != nil {
		return err
	}
	items, total, err := s.gov.FindIssues(r.Context(), f)
	return list(w, p, items, total, f.Page, err)
}

func (s *server) raiseIssue(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.IssueInput](s, w, r)
	if err != nil {
		return err
	}
	is, err := s.gov.RaiseIssue(r.Context(), r.PathValue("community"), in)
	return created(w, r, "issues", is.ID, is, err)
}

func (s *server) issue(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	is, err := s.gov.Issue(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, is, err)
}

func (s *server) stepIssue(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.StepInput](s, w, r)
	if err != nil {
		return err
	}
	is, err := s.gov.StepIssue(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, is, err)
}

// ---- activities ----

func (s *server) findActivities(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	f := governance.ActivityFilter{CommunityID: r.PathValue("community"), BodyID: p.str("body"), Service: p.str("service"),
		ParticipantID: p.str("participant"), From: p.time("from"), To: p.time("to"), Page: page(p)}
	if err := p.done(); err != nil {
		return err
	}
	items, total, err := s.gov.FindActivities(r.Context(), f)
	return list(w, p, items, total, f.Page, err)
}

func (s *server) recordActivity(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.ActivityInput](s, w, r)
	if err != nil {
		return err
	}
	a, err := s.gov.RecordActivity(r.Context(), r.PathValue("community"), in)
	return created(w, r, "activities", a.ID, a, err)
}

func (s *server) activity(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	a, err := s.gov.Activity(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, a, err)
}

func (s *server) updateActivity(w http.ResponseWriter, r *http.Request) error {
	u, err := body[governance.ActivityUpdate](s, w, r)
	if err != nil {
		return err
	}
	a, err := s.gov.UpdateActivity(r.Context(), r.PathValue("community"), r.PathValue("id"), u)
	return reply(w, http.StatusOK, a, err)
}
