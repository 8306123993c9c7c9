package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/procedure"
	"github.com/linli-go/linli/grids"
)

// The routes of meetings: calendar, notices and agendas, running a
// meeting move by move, minutes, opinions; registered by governanceRoutes.
func (s *server) meetingRoutes(g func(handler) http.HandlerFunc) {
	base := "/v1/communities/{community}"
	s.handle("GET "+base+"/procedure/rules", g(s.procedureRules))
	s.handle("GET "+base+"/holidays", g(s.holidays))
	s.handle("PUT "+base+"/holidays", g(s.setHolidays))
	s.handle("POST "+base+"/bodies/{id}/schedule", g(s.schedule))

	s.handle("GET "+base+"/meetings", g(s.findMeetings))
	s.handle("POST "+base+"/meetings", g(s.scheduleMeeting))
	s.handle("GET "+base+"/meetings/{id}", g(s.meeting))
	s.handle("PATCH "+base+"/meetings/{id}", g(s.updateMeeting))
	s.handle("POST "+base+"/meetings/{id}/notice", g(s.giveNotice))
	s.handle("POST "+base+"/meetings/{id}/items", g(s.proposeItem))
	s.handle("POST "+base+"/meetings/{id}/cancel", g(s.cancelMeeting))
	s.handle("POST "+base+"/meetings/{id}/register", g(s.register))
	s.handle("POST "+base+"/meetings/{id}/proxies", g(s.recordProxy))
	s.handle("GET "+base+"/briefings", g(s.findBriefings))
	s.handle("POST "+base+"/briefings", g(s.recordBriefing))
	s.handle("GET "+base+"/briefings/coverage", g(s.briefingCoverage))
	s.handle("GET "+base+"/briefings/{id}", g(s.briefing))
	s.handle("POST "+base+"/meetings/{id}/invitees", g(s.invite))
	s.handle("POST "+base+"/meetings/{id}/recommendations", g(s.recommend))
	s.handle("POST "+base+"/meetings/{id}/topics", g(s.proposeTopic))
	s.handle("POST "+base+"/meetings/{id}/topics/{topic}/members", g(s.joinTopic))
	s.handle("POST "+base+"/meetings/{id}/topics/{topic}/report", g(s.reportTopic))
	s.handle("POST "+base+"/meetings/{id}/open", g(s.openMeeting))
	s.handle("POST "+base+"/meetings/{id}/moves", g(s.move))
	s.handle("GET "+base+"/meetings/{id}/state", g(s.meetingState))
	s.handle("GET "+base+"/meetings/{id}/events", g(s.meetingEvents))
	s.handle("GET "+base+"/meetings/{id}/minutes", g(s.minutes))
	s.handle("POST "+base+"/meetings/{id}/minutes/approve", g(s.approveMinutes))
	s.handle("POST "+base+"/meetings/{id}/minutes/corrections", g(s.correctMinutes))
	s.handle("POST "+base+"/meetings/{id}/minutes/publish", g(s.publishMinutes))
	s.handle("GET "+base+"/meetings/{id}/opinions", g(s.findOpinions))
	s.handle("POST "+base+"/meetings/{id}/opinions", g(s.giveOpinion))
	s.handle("GET "+base+"/opinions/{id}", g(s.opinion))
	s.handle("POST "+base+"/opinions/{id}/answer", g(s.answerOpinion))
}

// Request bodies of the meeting routes.
type (
	holidaysInput struct {
		Year     int                  `json:"year"`
		Holidays []governance.Holiday `json:"holidays"`
	}
	scheduleInput struct {
		Through time.Time `json:"through"`
	}
	noticeInput struct {
		Notice string `json:"notice"`
	}
	approveInput struct {
		ApprovedIn string `json:"approved_in"`
	}
	correctionInput struct {
		Text string `json:"text"`
	}
	// moveInput is a move: an event of the procedure engine without its
	// time and actor, which the server sets. Seq, if given, is the place
	// the move takes in the log as the member saw it (the state's seq + 1):
	// a move another came before is refused (governance.stale_move).
	moveInput struct {
		Seq       int            `json:"seq,omitempty"`
		Type      procedure.Type `json:"type"`
		Member    string         `json:"member,omitempty"`
		Mode      string         `json:"mode,omitempty"`
		Item      string         `json:"item,omitempty"`
		Motion    string         `json:"motion,omitempty"`
		Kind      procedure.Kind `json:"kind,omitempty"`
		Text      string         `json:"text,omitempty"`
		Target    string         `json:"target,omitempty"`
		Committee string         `json:"committee,omitempty"`
		Until     *time.Time     `json:"until,omitempty"`
		Minutes   int            `json:"minutes,omitempty"`
		Count     int            `json:"count,omitempty"`
		Method    string         `json:"method,omitempty"`
		Choice    string         `json:"choice,omitempty"`
		Yes       int            `json:"yes,omitempty"`
		No        int            `json:"no,omitempty"`
		Abstain   int            `json:"abstain,omitempty"`
		Outcome   string         `json:"outcome,omitempty"`
		Sustained bool           `json:"sustained,omitempty"`
	}
)

func (s *server) procedureRules(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	pg := page(p)
	if err := p.done(); err != nil {
		return err
	}
	rules := make([]procedure.Rule, 0, len(procedure.Rules))
	for _, k := range procedure.Kinds() {
		rules = append(rules, procedure.Rules[k])
	}
	return whole(w, p, rules, pg, nil)
}

func (s *server) holidays(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	year := p.int("year", 2000, 2200)
	if year == 0 {
		year = s.now().Year()
	}
	pg := page(p)
	if err := p.done(); err != nil {
		return err
	}
	hs, err := s.gov.Holidays(r.Context(), r.PathValue("community"), year)
	return whole(w, p, hs, pg, err)
}

func (s *server) setHolidays(w http.ResponseWriter, r *http.Request) error {
	in, err := body[holidaysInput](s, w, r)
	if err != nil {
		return err
	}
	hs, err := s.gov.SetHolidays(r.Context(), r.PathValue("community"), in.Year, in.Holidays)
	return reply(w, http.StatusOK, hs, err)
}

func (s *server) schedule(w http.ResponseWriter, r *http.Request) error {
	in, err := body[scheduleInput](s, w, r)
	if err != nil {
		return err
	}
	ms, err := s.gov.Schedule(r.Context(), r.PathValue("community"), r.PathValue("id"), in.Through)
	return reply(w, http.StatusOK, ms, err)
}

func (s *server) findMeetings(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	f := governance.MeetingFilter{CommunityID: r.PathValue("community"), BodyID: p.str("body"),
		Kind:   governance.MeetingKind(p.oneOf("kind", "regular", "special", "assembly", "hearing", "consultation", "open_space")),
		Status: governance.MeetingStatus(p.oneOf("status", "scheduled", "in_session", "adjourned", "cancelled")),
		From:   p.time("from"), To: p.time("to"), Page: page(p)}
	if err := p.done(); err != nil {
		return err
	}
	items, total, err := s.gov.FindMeetings(r.Context(), f)
	return list(w, p, items, total, f.Page, err)
}

func (s *server) scheduleMeeting(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.MeetingInput](s, w, r)
	if err != nil {
		return err
	}
	m, err := s.gov.ScheduleMeeting(r.Context(), r.PathValue("community"), in)
	return created(w, r, "meetings", m.ID, m, err)
}

func (s *server) meeting(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	m, err := s.gov.Meeting(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, m, err)
}

func (s *server) updateMeeting(w http.ResponseWriter, r *http.Request) error {
	u, err := body[governance.MeetingUpdate](s, w, r)
	if err != nil {
		return err
	}
	m, err := s.gov.UpdateMeeting(r.Context(), r.PathValue("community"), r.PathValue("id"), u)
	return reply(w, http.StatusOK, m, err)
}

func (s *server) giveNotice(w http.ResponseWriter, r *http.Request) error {
	in, err := body[noticeInput](s, w, r)
	if err != nil {
		return err
	}
	m, err := s.gov.GiveNotice(r.Context(), r.PathValue("community"), r.PathValue("id"), in.Notice)
	return reply(w, http.StatusOK, m, err)
}

func (s *server) proposeItem(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.ItemInput](s, w, r)
	if err != nil {
		return err
	}
	m, err := s.gov.ProposeItem(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, m, err)
}

func (s *server) cancelMeeting(w http.ResponseWriter, r *http.Request) error {
	in, err := body[grids.ArchiveInput](s, w, r)
	if err != nil {
		return err
	}
	m, err := s.gov.CancelMeeting(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, m, err)
}

func (s *server) register(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.RegistrationInput](s, w, r)
	if err != nil {
		return err
	}
	m, err := s.gov.RegisterResident(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, m, err)
}

func (s *server) recordProxy(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.ProxyInput](s, w, r)
	if err != nil {
		return err
	}
	m, err := s.gov.RecordProxy(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, m, err)
}

func (s *server) findBriefings(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	f := governance.BriefingFilter{CommunityID: r.PathValue("community"), From: p.time("from"), To: p.time("to"), Page: page(p)}
	if err := p.done(); err != nil {
		return err
	}
	items, total, err := s.gov.FindBriefings(r.Context(), f)
	return list(w, p, items, total, f.Page, err)
}

func (s *server) recordBriefing(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.BriefingInput](s, w, r)
	if err != nil {
		return err
	}
	b, err := s.gov.RecordBriefing(r.Context(), r.PathValue("community"), in)
	return created(w, r, "briefings", b.ID, b, err)
}

func (s *server) briefingCoverage(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	c, err := s.gov.BriefingCoverage(r.Context(), r.PathValue("community"))
	return reply(w, http.StatusOK, c, err)
}

func (s *server) briefing(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	b, err := s.gov.Briefing(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, b, err)
}

func (s *server) invite(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.InviteInput](s, w, r)
	if err != nil {
		return err
	}
	m, err := s.gov.Invite(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, m, err)
}

func (s *server) recommend(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.RecommendationInput](s, w, r)
	if err != nil {
		return err
	}
	m, err := s.gov.Recommend(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, m, err)
}

func (s *server) proposeTopic(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.TopicInput](s, w, r)
	if err != nil {
		return err
	}
	m, err := s.gov.ProposeTopic(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, m, err)
}

func (s *server) joinTopic(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.BreakoutInput](s, w, r)
	if err != nil {
		return err
	}
	m, err := s.gov.JoinTopic(r.Context(), r.PathValue("community"), r.PathValue("id"), r.PathValue("topic"), in)
	return reply(w, http.StatusOK, m, err)
}

func (s *server) reportTopic(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.TopicReport](s, w, r)
	if err != nil {
		return err
	}
	m, err := s.gov.ReportTopic(r.Context(), r.PathValue("community"), r.PathValue("id"), r.PathValue("topic"), in)
	return reply(w, http.StatusOK, m, err)
}

func (s *server) openMeeting(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	v, err := s.gov.OpenMeeting(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, v, err)
}

func (s *server) move(w http.ResponseWriter, r *http.Request) error {
	in, err := body[moveInput](s, w, r)
	if err != nil {
		return err
	}
	e := procedure.Event{Seq: in.Seq, Type: in.Type, Member: in.Member, Mode: in.Mode, Item: in.Item, Motion: in.Motion, Kind: in.Kind, Text: in.Text,
		Target: in.Target, Committee: in.Committee, Until: in.Until, Minutes: in.Minutes, Count: in.Count, Method: in.Method, Choice: in.Choice,
		Yes: in.Yes, No: in.No, Abstain: in.Abstain, Outcome: in.Outcome, Sustained: in.Sustained}
	v, err := s.gov.Act(r.Context(), r.PathValue("community"), r.PathValue("id"), e)
	return reply(w, http.StatusOK, v, err)
}

func (s *server) meetingState(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	v, err := s.gov.MeetingState(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, v, err)
}

func (s *server) meetingEvents(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	pg := page(p)
	if err := p.done(); err != nil {
		return err
	}
	es, err := s.gov.MeetingEvents(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return whole(w, p, es, pg, err)
}

// minutes answers JSON, or with format=markdown the text.
func (s *server) minutes(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	format := p.oneOf("format", "json", "markdown")
	if err := p.done(); err != nil {
		return err
	}
	v, err := s.gov.Minutes(r.Context(), r.PathValue("community"), r.PathValue("id"))
	if err != nil {
		return err
	}
	if format == "markdown" {
		w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(v.Markdown)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(v.Markdown))
		return nil
	}
	encode(w, http.StatusOK, v)
	return nil
}

func (s *server) approveMinutes(w http.ResponseWriter, r *http.Request) error {
	in, err := body[approveInput](s, w, r)
	if err != nil {
		return err
	}
	m, err := s.gov.ApproveMinutes(r.Context(), r.PathValue("community"), r.PathValue("id"), in.ApprovedIn)
	return reply(w, http.StatusOK, m, err)
}

func (s *server) correctMinutes(w http.ResponseWriter, r *http.Request) error {
	in, err := body[correctionInput](s, w, r)
	if err != nil {
		return err
	}
	m, err := s.gov.CorrectMinutes(r.Context(), r.PathValue("community"), r.PathValue("id"), in.Text)
	return reply(w, http.StatusOK, m, err)
}

func (s *server) publishMinutes(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	m, err := s.gov.PublishMinutes(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, m, err)
}

func (s *server) findOpinions(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	f := governance.OpinionFilter{CommunityID: r.PathValue("community"), MeetingID: r.PathValue("id"), ResidentID: p.str("resident"),
		Unanswered: p.bool("unanswered"), Page: page(p)}
	if err := p.done(); err != nil {
		return err
	}
	items, total, err := s.gov.FindOpinions(r.Context(), f)
	return list(w, p, items, total, f.Page, err)
}

func (s *server) giveOpinion(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.OpinionInput](s, w, r)
	if err != nil {
		return err
	}
	o, err := s.gov.GiveOpinion(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return created(w, r, "opinions", o.ID, o, err)
}

func (s *server) opinion(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	o, err := s.gov.Opinion(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, o, err)
}

func (s *server) answerOpinion(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.AnswerInput](s, w, r)
	if err != nil {
		return err
	}
	o, err := s.gov.AnswerOpinion(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, o, err)
}
