package main

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/procedure"
	"github.com/linli-go/linli/grids"
)

// The meeting room: the clerk's screen runs a meeting move by move on the
// Robert's Rules engine (governance.Service.Act), entering moves for the
// members without devices; the live view follows it for a projector and
// for residents, by Server-Sent Events on the meeting's log.

//go:embed static/live.js
var staticFiles embed.FS

func (s *site) roomRoutes(handle func(pattern string, h http.Handler)) {
	handle("GET /c/{community}/meetings/{id}/room", s.handle(s.room))
	handle("POST /c/{community}/meetings/{id}/room", s.handle(s.move))
	handle("GET /c/{community}/meetings/{id}/live", s.handle(s.live))
	handle("GET /c/{community}/meetings/{id}/stream", http.HandlerFunc(s.stream))
	handle("GET /static/live.js", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=3600")
		b, _ := staticFiles.ReadFile("static/live.js")
		_, _ = w.Write(b)
	}))
}

// liveView is a meeting as the room sees it: what is on the floor, the
// pending motions, the votes taken, who is here.
type liveView struct {
	ID       string      `json:"id"`
	Title    string      `json:"title"`
	Seq      int         `json:"seq"`
	Status   string      `json:"status"`
	Open     bool        `json:"open"`
	Item     string      `json:"item"`
	Question string      `json:"question"`
	Stack    []string    `json:"stack"`
	Vote     string      `json:"vote"`
	Results  []string    `json:"results"`
	Present  int         `json:"present"`
	Members  int         `json:"members"`
	Quorum   int         `json:"quorum"`
	Last     string      `json:"last"`
	people   []person    // the roster, for the clerk's forms
	agenda   []agendaRow // the agenda, for the clerk's forms
	pending  string      // the pending motion's ID
	awaits   bool        // it awaits a second
	voting   []string    // who may vote in the open vote
	method   string      // the open vote's method
}

type person struct {
	ID, Name string
	Here     bool
}

type agendaRow struct{ ID, Title string }

var meetingStates = map[governance.MeetingStatus]string{
	governance.MeetingScheduled: "尚未开始", governance.MeetingInSession: "正在开会", governance.MeetingAdjourned: "已散会", governance.MeetingCancelled: "已取消",
}

// view reads a meeting into the room's view.
func (s *site) view(ctx context.Context, community, id string) (liveView, error) {
	mv, err := s.gov.MeetingState(ctx, community, id)
	if err != nil {
		return liveView{}, err
	}
	m, st := mv.Meeting, mv.State
	v := liveView{ID: m.ID, Title: m.Title, Seq: st.Seq, Status: word(meetingStates, m.Status), Open: m.Status == governance.MeetingInSession,
		Members: len(st.Roster), Quorum: st.Quorum(), Stack: []string{}, Results: []string{}}
	names := s.namesOf(ctx, community, append(slices.Clone(st.Roster), st.Chair))
	who := func(id string) string {
		if n := names[id]; n != "" {
			return n
		}
		return id
	}
	for _, id := range st.Roster {
		_, here := st.Present[id]
		if here {
			v.Present++
		}
		v.people = append(v.people, person{ID: id, Name: who(id), Here: here})
	}
	for _, it := range m.Agenda {
		if it.Accepted {
			v.agenda = append(v.agenda, agendaRow{ID: it.ID, Title: it.Title})
			if it.ID == st.Item {
				v.Item = it.Title
			}
		}
	}
	describe := func(mo procedure.Motion) string {
		d := word(motionKinds, mo.Kind)
		if mo.Text != "" {
			d += "：“" + mo.Text + "”"
		}
		if mo.Mover != "" {
			d += "（" + who(mo.Mover) + "提出"
			if mo.Seconder != "" {
				d += "，" + who(mo.Seconder) + "附议"
			}
			d += "）"
		}
		return d
	}
	for i := len(st.Stack) - 1; i >= 0; i-- {
		if mo, ok := st.Motion(st.Stack[i]); ok {
			v.Stack = append(v.Stack, describe(*mo))
		}
	}
	if q := st.Pending(); q != nil {
		v.Question, v.pending = describe(*q), q.ID
		v.awaits = q.Status == procedure.Proposed
	}
	if st.Vote != nil {
		v.Vote = word(voteMethods, st.Vote.Method) + "进行中：已投" + strconv.Itoa(len(st.Vote.Casts)) + "票，有表决权" + strconv.Itoa(len(st.Vote.Eligible)) + "人"
		v.voting, v.method = st.Vote.Eligible, st.Vote.Method
		for _, id := range st.Vote.Eligible {
			if names[id] == "" {
				names[id] = id
			}
		}
	}
	for _, mo := range st.Motions {
		for _, r := range mo.Votes {
			line := describe(mo) + "：" + word(motionStates, r.Outcome)
			if r.Method != procedure.Voice {
				line += fmt.Sprintf("（赞成%d，反对%d，弃权%d）", r.Yes, r.No, r.Abstain)
			}
			v.Results = append(v.Results, line)
		}
	}
	if st.Seq > 0 {
		v.Last = st.Last.In(s.zone).Format("15:04:05")
	}
	return v, nil
}

// namesOf reads residents' names, as the site's administrator.
func (s *site) namesOf(ctx context.Context, community string, ids []string) map[string]string {
	admin := grids.WithPrincipal(ctx, grids.Admin("site"))
	out := map[string]string{}
	for _, id := range ids {
		if _, ok := out[id]; ok || id == "" {
			continue
		}
		if r, err := s.reg.Resident(admin, community, id); err == nil {
			out[id] = r.Name
		}
	}
	return out
}

// roomView is the clerk's screen.
type roomView struct {
	liveView
	People  []person
	Here    []person
	Agenda  []agendaRow
	Pending string
	Awaits  bool // the pending motion awaits a second
	Seconds []person
	Voting  []person
	Method  string
	Kinds   []kindOption
	Chair   string
	Seq     int
}

type kindOption struct{ Kind, Name string }

// The motions the clerk's screen offers: those a council meeting uses.
var roomKinds = []procedure.Kind{procedure.Main, procedure.Amend, procedure.Commit, procedure.Postpone, procedure.PreviousQuestion,
	procedure.LayOnTable, procedure.Adjourn}

func (s *site) room(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, ctx, err := s.workerPage(w, r, "会议室")
	if err != nil {
		return "error", p, err
	}
	id := r.PathValue("id")
	v, err := s.view(ctx, p.Community.ID, id)
	if err != nil {
		return "error", p, err
	}
	mv, err := s.gov.MeetingState(ctx, p.Community.ID, id)
	if err != nil {
		return "error", p, err
	}
	rv := roomView{liveView: v, People: v.people, Agenda: v.agenda, Pending: v.pending, Awaits: v.awaits, Method: v.method, Chair: mv.State.Chair, Seq: v.Seq}
	mover := ""
	if q := mv.State.Pending(); q != nil {
		mover = q.Mover
	}
	for _, pe := range v.people {
		if pe.Here {
			rv.Here = append(rv.Here, pe)
			if pe.ID != mover && pe.ID != rv.Chair { // neither seconds (RONR 4:11, 43:29)
				rv.Seconds = append(rv.Seconds, pe)
			}
		}
		if slices.Contains(v.voting, pe.ID) {
			rv.Voting = append(rv.Voting, pe)
		}
	}
	for _, k := range roomKinds {
		rv.Kinds = append(rv.Kinds, kindOption{Kind: string(k), Name: word(motionKinds, k)})
	}
	p.Title, p.Data = v.Title+" · 会议室", rv
	return "room", p, nil
}

// move makes one move on the clerk's screen: the form says which, and for
// whom; the engine judges it and a refusal comes back in Chinese.
func (s *site) move(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, ctx, err := s.workerPage(w, r, "会议室")
	if err != nil {
		return "error", p, err
	}
	c, id := p.Community.ID, r.PathValue("id")
	f := r.PostFormValue
	seq, _ := strconv.Atoi(f("seq"))
	e := procedure.Event{Seq: seq + 1, Type: procedure.Type(f("type")), For: f("for")}
	var moves []procedure.Event
	switch e.Type {
	case "open":
		if _, err := s.gov.OpenMeeting(ctx, c, id); err != nil {
			return s.again(w, r, s.room, err)
		}
		return redirect(w, r, "/c/"+c+"/meetings/"+id+"/room", "opened")
	case procedure.Arrive:
		e.Member, e.Mode, e.For = f("member"), procedure.Recorded, ""
	case procedure.TakeUp:
		e.Item = f("item")
	case procedure.Move:
		e.Kind, e.Text = procedure.Kind(f("kind")), strings.TrimSpace(f("text"))
	case procedure.Second:
		e.Motion = f("motion")
	case procedure.CallVote:
		e.Method = f("method")
	case procedure.Cast: // every vote entered, one move each
		for _, member := range r.PostForm["voter"] {
			if choice := f("choice-" + member); choice != "" {
				moves = append(moves, procedure.Event{Type: procedure.Cast, Member: member, Choice: choice})
			}
		}
	case procedure.Tally:
		e.Yes, _ = strconv.Atoi(f("yes"))
		e.No, _ = strconv.Atoi(f("no"))
		e.Abstain, _ = strconv.Atoi(f("abstain"))
	case procedure.CloseVote:
		e.Outcome = f("outcome")
	default:
		return s.again(w, r, s.room, errors.New("会议室不认识这一步。"))
	}
	if moves == nil {
		moves = []procedure.Event{e}
	}
	for _, m := range moves {
		if _, err := s.gov.Act(ctx, c, id, m); err != nil {
			return s.again(w, r, s.room, procedureError(m, err))
		}
	}
	return redirect(w, r, "/c/"+c+"/meetings/"+id+"/room", "moved-"+string(e.Type))
}

// procedureError says in Chinese why the engine refused a move.
func procedureError(e procedure.Event, err error) error {
	what := map[procedure.Type]string{procedure.Arrive: "登记到场", procedure.TakeUp: "进入议程", procedure.Move: "提出动议", procedure.Second: "附议",
		procedure.CallVote: "付诸表决", procedure.Cast: "记录投票", procedure.Tally: "记录举手结果", procedure.CloseVote: "宣布表决结果"}[e.Type]
	reason := messageOf(err, 0)
	msg := err.Error()
	for _, known := range procedureReasons {
		if strings.Contains(msg, known.en) {
			reason = known.zh + "。"
			break
		}
	}
	if errors.Is(err, governance.ErrStaleMove) {
		reason = "会议已经有了新的进展，请看一下最新情况再操作。"
	}
	return errors.New("不能" + what + "：" + reason)
}

func (s *site) live(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, ctx, err := s.base(r, "会议直播")
	if err != nil {
		return "error", p, err
	}
	v, err := s.view(s.reader(r, ctx, p), p.Community.ID, r.PathValue("id"))
	if err != nil {
		return "error", p, err
	}
	p.Title, p.Data = v.Title, v
	return "live", p, nil
}

// stream sends the meeting's view each time its log grows, as Server-Sent
// Events whose IDs are the log's sequence: a client that reconnects
// (Last-Event-ID) or opens with ?after=<seq> gets what it missed at once.
func (s *site) stream(w http.ResponseWriter, r *http.Request) {
	c, id := r.PathValue("community"), r.PathValue("id")
	ctx := s.reader(r, guest(r.Context(), c), page{Community: grids.Community{ID: c}})
	after, _ := strconv.Atoi(r.URL.Query().Get("after"))
	if last := r.Header.Get("Last-Event-ID"); last != "" {
		after, _ = strconv.Atoi(last)
	}
	v, err := s.view(ctx, c, id)
	if err != nil {
		status := statusOf(err)
		http.Error(w, messageOf(err, status), status)
		return
	}
	rc := http.NewResponseController(w)
	// The server's write timeout would cut a stream that runs as long as
	// the meeting: this response has none.
	if err := rc.SetWriteDeadline(time.Time{}); err != nil && !errors.Is(err, http.ErrNotSupported) {
		s.log.Warn("stream: write deadline", "err", err)
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no") // a proxy must not hold the events back
	w.WriteHeader(http.StatusOK)
	send := func(v liveView) bool {
		b, _ := json.Marshal(v)
		if _, err := fmt.Fprintf(w, "id: %d\nevent: meeting\ndata: %s\n\n", v.Seq, b); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if _, err := fmt.Fprint(w, "retry: 2000\n\n"); err != nil || rc.Flush() != nil {
		s.log.Warn("stream: the response writer does not flush", "err", err)
		return
	}
	if v.Seq > after || after == 0 {
		if !send(v) {
			return
		}
		after = v.Seq
	}
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	beat := time.NewTicker(20 * time.Second)
	defer beat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-beat.C: // a comment keeps proxies from closing an idle stream
			if _, err := fmt.Fprint(w, ": still here\n\n"); err != nil || rc.Flush() != nil {
				return
			}
		case <-tick.C:
			// One read tells whether the log grew; the meeting is replayed
			// and its people named only when it did.
			m, err := s.gov.Meeting(ctx, c, id)
			if err != nil {
				return
			}
			if m.Events <= after {
				continue
			}
			v, err := s.view(ctx, c, id)
			if err != nil {
				return
			}
			if v.Seq > after {
				if !send(v) {
					return
				}
				after = v.Seq
			}
		}
	}
}
