package procedure

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
)

// Session is where a meeting is.
type Session string

// The sessions.
const (
	NotOpen   Session = ""
	InSession Session = "in_session"
	InRecess  Session = "recess"
	Adjourned Session = "adjourned"
)

// Status is where a motion is.
type Status string

// The statuses of a motion.
const (
	Proposed   Status = "proposed" // made, awaiting a second
	Pending    Status = "pending"  // before the assembly
	Adopted    Status = "adopted"
	Lost       Status = "lost"
	Withdrawn  Status = "withdrawn"
	Dropped    Status = "dropped" // died for want of a second
	Tabled     Status = "tabled"
	Postponed  Status = "postponed"
	Referred   Status = "referred"
	Killed     Status = "killed" // postponed indefinitely
	Unfinished Status = "unfinished"
)

// Motion is a motion and what became of it.
type Motion struct {
	ID        string     `json:"id"`
	Kind      Kind       `json:"kind"`
	Text      string     `json:"text,omitempty"`
	Mover     string     `json:"mover,omitempty"`
	Seconder  string     `json:"seconder,omitempty"`
	Target    string     `json:"target,omitempty"` // the motion or ruling it applies to
	Item      string     `json:"item,omitempty"`   // the agenda item it was made under
	Status    Status     `json:"status"`
	MovedAt   time.Time  `json:"moved_at"`
	Committee string     `json:"committee,omitempty"`
	Until     *time.Time `json:"until,omitempty"`
	Minutes   int        `json:"minutes,omitempty"`
	Count     int        `json:"count,omitempty"`
	// Carried from an earlier meeting: where it came from.
	Ref    string `json:"ref,omitempty"`
	Report string `json:"report,omitempty"` // a committee's recommendation
	// Debate on it.
	Speeches      map[string]int `json:"speeches,omitempty"`
	DebateClosed  bool           `json:"debate_closed,omitempty"`
	SpeechMinutes int            `json:"speech_minutes,omitempty"` // set by limit_debate
	MaxSpeeches   int            `json:"max_speeches,omitempty"`
	Recused       []string       `json:"recused,omitempty"`
	Votes         []Result       `json:"votes,omitempty"` // every vote taken on it, in order
	// Adhering are the motions that went with it when it was set aside
	// (tabled, referred, postponed, left unfinished), bottom up.
	Adhering     []string `json:"adhering,omitempty"`
	Reconsidered int      `json:"reconsidered,omitempty"`
}

// Result is a vote taken: the snapshot of who was present and eligible,
// and the count.
type Result struct {
	At       time.Time `json:"at"`
	Method   string    `json:"method"`
	Present  []string  `json:"present"`
	Eligible []string  `json:"eligible"`
	Yes      int       `json:"yes"`
	No       int       `json:"no"`
	Abstain  int       `json:"abstain"`
	// Votes says who voted how, for a roll call or named show of hands;
	// never for a ballot.
	Votes      map[string]string `json:"votes,omitempty"`
	ChairVoted bool              `json:"chair_voted,omitempty"`
	Counted    bool              `json:"counted"` // false for a voice vote: the chair's judgement
	Outcome    Status            `json:"outcome"` // adopted or lost
}

// Floor is who is speaking.
type Floor struct {
	Member   string     `json:"member"`
	Since    time.Time  `json:"since"`
	Until    *time.Time `json:"until,omitempty"` // when their time runs out
	Question string     `json:"question,omitempty"`
}

// OpenVote is a vote under way.
type OpenVote struct {
	Motion    string            `json:"motion"`
	Method    string            `json:"method"`
	At        time.Time         `json:"at"`
	Present   []string          `json:"present"`
	Eligible  []string          `json:"eligible"`
	Casts     map[string]string `json:"casts,omitempty"`
	Tally     *[3]int           `json:"tally,omitempty"`
	ChairCast bool              `json:"chair_cast,omitempty"`
}

// Ruling is a point of order and the chair's ruling on it.
type Ruling struct {
	ID        string    `json:"id"`
	Point     string    `json:"point"`
	By        string    `json:"by"`
	At        time.Time `json:"at"`
	Ruled     bool      `json:"ruled"`
	Sustained bool      `json:"sustained"`
	Reason    string    `json:"reason,omitempty"`
	Appealed  string    `json:"appealed,omitempty"` // the appeal's motion
	Reversed  bool      `json:"reversed,omitempty"`
}

// State is a meeting as its log has made it. The zero value is a meeting
// not yet opened; Apply returns the next state and never changes the one
// it is given.
type State struct {
	Session   Session           `json:"session"`
	Seq       int               `json:"seq"` // events applied
	Last      time.Time         `json:"last"`
	Started   time.Time         `json:"started"`
	Ended     *time.Time        `json:"ended,omitempty"`
	Chair     string            `json:"chair"`
	Secretary string            `json:"secretary,omitempty"`
	Roster    []string          `json:"roster"`
	Invited   []string          `json:"invited,omitempty"` // non-voting participants, who speak when recognised
	Agenda    []string          `json:"agenda"`
	Settings  Settings          `json:"settings"`
	Present   map[string]string `json:"present"` // member or guest → attendance mode
	Attended  map[string]string `json:"attended"`
	Item      string            `json:"item,omitempty"`
	Motions   []Motion          `json:"motions"` // motion mN is Motions[N-1]
	Stack     []string          `json:"stack"`   // the pending motions, bottom up
	Floor     *Floor            `json:"floor,omitempty"`
	Queue     []string          `json:"queue"`
	Vote      *OpenVote         `json:"vote,omitempty"`
	Rulings   []Ruling          `json:"rulings"`
	// Point is the point of order awaiting the chair's ruling (an index
	// into Rulings), -1 for none.
	Point      int    `json:"point"`
	Appealable string `json:"appealable,omitempty"` // the ruling just made, which may be appealed
	Suspended  bool   `json:"suspended,omitempty"`  // the rules are suspended for the current item
}

// clone copies s deeply enough that Apply may change the copy.
func (s State) clone() State {
	c := s
	c.Roster, c.Agenda, c.Stack, c.Queue = slices.Clone(s.Roster), slices.Clone(s.Agenda), slices.Clone(s.Stack), slices.Clone(s.Queue)
	c.Invited = slices.Clone(s.Invited)
	c.Present, c.Attended = maps.Clone(s.Present), maps.Clone(s.Attended)
	c.Rulings = slices.Clone(s.Rulings)
	c.Motions = make([]Motion, len(s.Motions))
	for i, m := range s.Motions {
		m.Speeches, m.Recused, m.Adhering = maps.Clone(m.Speeches), slices.Clone(m.Recused), slices.Clone(m.Adhering)
		m.Votes = slices.Clone(m.Votes)
		c.Motions[i] = m
	}
	if s.Floor != nil {
		f := *s.Floor
		c.Floor = &f
	}
	if s.Vote != nil {
		v := *s.Vote
		v.Casts = maps.Clone(v.Casts)
		if v.Tally != nil {
			t := *v.Tally
			v.Tally = &t
		}
		c.Vote = &v
	}
	return c
}

// Motion returns a motion by ID.
func (s *State) Motion(id string) (*Motion, bool) {
	if len(id) < 2 || id[0] != 'm' {
		return nil, false
	}
	n, err := strconv.Atoi(id[1:])
	if err != nil || n < 1 || n > len(s.Motions) {
		return nil, false
	}
	return &s.Motions[n-1], true
}

// Pending returns the immediately pending question, nil if none.
func (s *State) Pending() *Motion {
	if len(s.Stack) == 0 {
		return nil
	}
	m, _ := s.Motion(s.Stack[len(s.Stack)-1])
	return m
}

// Quorum is how many members must be present.
func (s *State) Quorum() int {
	if s.Settings.Quorum > 0 {
		return s.Settings.Quorum
	}
	return len(s.Roster)/2 + 1
}

// Members returns the roster members present now, in roster order.
func (s *State) Members() []string {
	var out []string
	for _, m := range s.Roster {
		if _, ok := s.Present[m]; ok {
			out = append(out, m)
		}
	}
	return out
}

// HasQuorum reports whether enough members are present.
func (s *State) HasQuorum() bool { return len(s.Members()) >= s.Quorum() }

func (s *State) member(id string) bool { return slices.Contains(s.Roster, id) }

// rank is a pending motion's place in the order of precedence.
func rank(m *Motion) int {
	r := Rules[m.Kind]
	if r.Rank == 0 {
		return incidentalRank
	}
	return r.Rank
}

// debatable reports whether m may be debated now.
func (s *State) debatable(m *Motion) bool { return !m.DebateClosed && s.debatableKind(m) }

// debatableKind follows amendments and reconsiderations to the motion
// whose debatability they take.
func (s *State) debatableKind(m *Motion) bool {
	switch Rules[m.Kind].Debate {
	case Debatable, OpensTheMain:
		return true
	case AsItsTarget:
		t, ok := s.Motion(m.Target)
		return ok && s.debatableKind(t)
	}
	return false
}

// The rules of procedure that refuse: errors.Is(err, procedure.ErrOutOfOrder)
// tests for one; the message names the rule of RONR.
var (
	ErrOutOfOrder = grids.NewRule(grids.FailedPrecondition, "procedure.out_of_order", "business the rules of order do not allow now is out of order")
	ErrNotAllowed = grids.NewRule(grids.Forbidden, "procedure.not_allowed", "a member does only what their part in the meeting allows")
)

// Refusals are the rules of procedure that refuse, for documents that list
// them.
func Refusals() []*grids.Rule { return []*grids.Rule{ErrOutOfOrder, ErrNotAllowed} }

// outOfOrder refuses business the rules do not allow, naming the rule.
func outOfOrder(format string, args ...any) error {
	return ErrOutOfOrder.Refuse("out of order: "+format, args...)
}

func notAllowed(format string, args ...any) error {
	return ErrNotAllowed.Refuse("forbidden: "+format, args...)
}

func invalid(field, format string, args ...any) error { return errs.Field(field, format, args...) }

// Replay applies a log from the start: the state it builds is exactly
// the one the live meeting had.
func Replay(events []Event) (State, error) {
	s := New()
	for i, e := range events {
		// In place: a failed replay's state is thrown away, so the copy
		// Apply makes to keep a refused event harmless is not needed.
		if err := s.apply(e); err != nil {
			return s, fmt.Errorf("event %d (%s): %w", i+1, e.Type, err)
		}
	}
	return s, nil
}

// New returns a meeting not yet opened.
func New() State {
	return State{Roster: []string{}, Agenda: []string{}, Present: map[string]string{}, Attended: map[string]string{},
		Motions: []Motion{}, Stack: []string{}, Queue: []string{}, Rulings: []Ruling{}, Point: -1}
}

// Apply checks e against the rules and returns the state after it. A
// refused event leaves nothing changed: the error names the rule.
func (s State) Apply(e Event) (State, error) {
	n := s.clone()
	if err := n.apply(e); err != nil {
		return s, err
	}
	return n, nil
}

// apply checks and applies e in place; on error s is left part-changed.
func (n *State) apply(e Event) error {
	if e.Seq != 0 && e.Seq != n.Seq+1 {
		return invalid("seq", "is %d; the next event is %d", e.Seq, n.Seq+1)
	}
	if e.At.IsZero() {
		return invalid("at", "is required")
	}
	if e.At.Before(n.Last) {
		return invalid("at", "comes before the last event (%s): a log runs forward", n.Last.Format(time.RFC3339))
	}
	if e.By == "" {
		return invalid("by", "is required: who acts")
	}
	if n.Session == NotOpen && e.Type != Open {
		return outOfOrder("the meeting has not been called to order")
	}
	if n.Session == Adjourned {
		return outOfOrder("the meeting has adjourned")
	}
	if n.Session == InRecess && e.Type != Resume && e.Type != Arrive && e.Type != Leave {
		return outOfOrder("the meeting is in recess: the chair resumes it first")
	}
	if n.Point >= 0 && e.Type != RuleOnPoint && e.Type != Arrive && e.Type != Leave {
		return outOfOrder("a point of order awaits the chair's ruling (RONR 23:6)")
	}
	n.expireFloor(e.At)
	appealable := n.Appealable
	n.Appealable = ""
	var err error
	switch e.Type {
	case Open:
		err = n.open(e)
	case Arrive:
		err = n.arrive(e)
	case Leave:
		err = n.leave(e)
	case TakeUp:
		err = n.takeUp(e)
	case Move:
		err = n.move(e, appealable)
	case Second:
		err = n.second(e)
	case Drop:
		err = n.drop(e)
	case Withdraw:
		err = n.withdraw(e)
	case RequestFloor:
		err = n.requestFloor(e)
	case Recognize:
		err = n.recognize(e)
	case EndSpeech:
		err = n.endSpeech(e)
	case Recuse:
		err = n.recuse(e)
	case CallVote:
		err = n.callVote(e)
	case Cast:
		err = n.cast(e)
	case Tally:
		err = n.tally(e)
	case CloseVote:
		err = n.closeVote(e)
	case PointOfOrder:
		err = n.pointOfOrder(e)
	case RuleOnPoint:
		err = n.rule(e)
	case Resume:
		err = n.resume(e)
	case ResumeMotion:
		err = n.resumeMotion(e)
	case Report:
		err = n.report(e)
	case Close:
		err = n.close(e)
	default:
		err = invalid("type", "%q is not an event type", e.Type)
	}
	if err != nil {
		return err
	}
	n.Seq++
	n.Last = e.At
	return nil
}

// expireFloor ends a speech whose time has run out.
func (s *State) expireFloor(at time.Time) {
	if s.Floor != nil && s.Floor.Until != nil && !at.Before(*s.Floor.Until) {
		s.Floor = nil
	}
}

// records reports whether e's actor keeps the record for others: the
// chair, the secretary, or a clerk (a community worker recording for the
// meeting, e.g. the attendance of residents without devices).
func (s *State) records(e Event) bool { return e.By == s.Chair || e.By == s.Secretary || e.Clerk }

func (s *State) chairOnly(e Event, what string) error {
	if e.By != s.Chair {
		return notAllowed("only the chair %s", what)
	}
	return nil
}

// presentMember checks who is a present member of the body.
func (s *State) presentMember(id, field string) error {
	if id == "" {
		return invalid(field, "is required")
	}
	if !s.member(id) {
		return notAllowed("%s is not a member of this body: only members move, second, speak and vote", id)
	}
	if _, ok := s.Present[id]; !ok {
		return outOfOrder("%s is not present", id)
	}
	return nil
}

// presentSpeaker checks who may seek and have the floor: a present
// member, or a present participant the meeting invited without a vote.
func (s *State) presentSpeaker(id, field string) error {
	if id != "" && slices.Contains(s.Invited, id) {
		if _, ok := s.Present[id]; !ok {
			return outOfOrder("%s is not present", id)
		}
		return nil
	}
	return s.presentMember(id, field)
}

// close ends a meeting that takes no votes: the chair closes it when its
// business is done.
func (s *State) close(e Event) error {
	if err := s.chairOnly(e, "closes the meeting"); err != nil {
		return err
	}
	if !s.Settings.NoVotes {
		return outOfOrder("a meeting that votes ends by a motion to adjourn (RONR 21)")
	}
	s.Session = Adjourned
	at := e.At
	s.Ended = &at
	s.Floor, s.Queue = nil, []string{}
	return nil
}

func (s *State) needQuorum(what string) error {
	if !s.HasQuorum() {
		return outOfOrder("%s needs a quorum (%d present of %d needed); without one only recess and adjourn are in order (RONR 40:6)",
			what, len(s.Members()), s.Quorum())
	}
	return nil
}

// ---- opening and attendance ----

func (s *State) open(e Event) error {
	if s.Session != NotOpen {
		return outOfOrder("the meeting is open already")
	}
	if len(e.Roster) == 0 {
		return invalid("roster", "is required: the members of the body")
	}
	if dup := duplicate(e.Roster); dup != "" {
		return invalid("roster", "names %s twice", dup)
	}
	if dup := duplicate(append(slices.Clone(e.Roster), e.Invited...)); dup != "" {
		return invalid("invited", "names %s twice, or a member: members are on the roster", dup)
	}
	if dup := duplicate(e.Agenda); dup != "" {
		return invalid("agenda", "names item %s twice", dup)
	}
	if e.Chair == "" || e.By != e.Chair {
		return invalid("chair", "is required, and the chair calls the meeting to order")
	}
	st := Settings{}
	if e.Settings != nil {
		st = *e.Settings
	}
	if st.Quorum < 0 || st.Quorum > len(e.Roster) || st.SpeechMinutes < 0 || st.Speeches < 0 {
		return invalid("settings", "quorum must be from 0 (a majority) to the roster's size; speech limits 0 or more")
	}
	held := map[string]bool{}
	for m, h := range st.Proxies {
		if !slices.Contains(e.Roster, m) || !slices.Contains(e.Roster, h) || m == h {
			return invalid("settings.proxies", "a proxy is given by a member to another member of the roster (%s to %s)", m, h)
		}
		if held[h] {
			return invalid("settings.proxies", "%s holds more than one proxy", h)
		}
		held[h] = true
	}
	if st.SmallBoard && !slices.Contains(e.Roster, e.Chair) {
		return invalid("chair", "in a small board the chair is one of its members")
	}
	if !st.SmallBoard {
		if st.SpeechMinutes == 0 {
			st.SpeechMinutes = 10
		}
		if st.Speeches == 0 {
			st.Speeches = 2
		}
	}
	s.Session, s.Started, s.Chair, s.Secretary = InSession, e.At, e.Chair, e.Secretary
	s.Roster, s.Agenda, s.Settings = slices.Clone(e.Roster), slices.Clone(e.Agenda), st
	s.Invited = slices.Clone(e.Invited)
	if s.Agenda == nil {
		s.Agenda = []string{}
	}
	for i, c := range e.Carried {
		switch c.Status {
		case Postponed, Unfinished, Tabled, Referred:
		default:
			return invalid(fmt.Sprintf("carried[%d].status", i), "must be postponed, unfinished, tabled or referred")
		}
		if c.Text == "" {
			return invalid(fmt.Sprintf("carried[%d].text", i), "is required")
		}
		s.Motions = append(s.Motions, Motion{ID: s.nextID(), Kind: Main, Text: c.Text, Status: c.Status, MovedAt: e.At, Ref: c.Ref, Committee: c.Committee})
	}
	return nil
}

func duplicate(ids []string) string {
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			return id
		}
		seen[id] = true
	}
	return ""
}

func (s *State) nextID() string { return "m" + strconv.Itoa(len(s.Motions)+1) }

func (s *State) arrive(e Event) error {
	if e.Member == "" {
		return invalid("member", "is required")
	}
	switch e.Mode {
	case InPerson, Online, Recorded:
	default:
		return invalid("mode", "must be in_person, online or recorded")
	}
	if e.Mode == Recorded && !s.records(e) {
		return notAllowed("attendance is recorded for others by the chair or the secretary")
	}
	if e.By != e.Member && !s.records(e) {
		return notAllowed("members sign in themselves, or the chair or secretary records them")
	}
	if _, ok := s.Present[e.Member]; ok {
		return outOfOrder("%s is present already", e.Member)
	}
	s.Present[e.Member] = e.Mode
	if _, ok := s.Attended[e.Member]; !ok {
		s.Attended[e.Member] = e.Mode
	}
	return nil
}

func (s *State) leave(e Event) error {
	if e.By != e.Member && !s.records(e) {
		return notAllowed("members sign out themselves, or the chair or secretary records them")
	}
	if _, ok := s.Present[e.Member]; !ok {
		return outOfOrder("%s is not present", e.Member)
	}
	delete(s.Present, e.Member)
	if s.Floor != nil && s.Floor.Member == e.Member {
		s.Floor = nil
	}
	s.Queue = slices.DeleteFunc(s.Queue, func(m string) bool { return m == e.Member })
	return nil
}

func (s *State) takeUp(e Event) error {
	if err := s.chairOnly(e, "announces the business"); err != nil {
		return err
	}
	if !slices.Contains(s.Agenda, e.Item) {
		return invalid("item", "%q is not on the agenda", e.Item)
	}
	if len(s.Stack) > 0 || s.Vote != nil {
		return outOfOrder("business is pending: dispose of it before the next item")
	}
	if err := s.needQuorum("taking up business"); err != nil {
		return err
	}
	s.Item, s.Suspended = e.Item, false
	return nil
}

func (s *State) resume(e Event) error {
	if err := s.chairOnly(e, "resumes the meeting"); err != nil {
		return err
	}
	if s.Session != InRecess {
		return outOfOrder("the meeting is not in recess")
	}
	s.Session = InSession
	return nil
}
