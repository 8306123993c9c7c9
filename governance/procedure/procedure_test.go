package procedure_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/governance/procedure"
	"github.com/linli-go/linli/internal/errs"
)

var council = []string{"zhang", "wang", "li", "zhao", "qian", "sun", "zhou", "wu", "zheng"}

// meeting drives a state event by event, holding it to its invariants.
type meeting struct {
	t   *testing.T
	s   procedure.State
	log []procedure.Event
	at  time.Time
}

func newMeeting(t *testing.T, settings *procedure.Settings, agenda ...string) *meeting {
	m := &meeting{t: t, s: procedure.New(), at: time.Date(2026, 3, 10, 19, 0, 0, 0, time.UTC)}
	m.do(procedure.Event{Type: procedure.Open, By: "zhang", Chair: "zhang", Secretary: "wu", Roster: council, Agenda: agenda, Settings: settings})
	return m
}

func (m *meeting) next(e procedure.Event) procedure.Event {
	m.at = m.at.Add(time.Minute)
	e.At = m.at
	return e
}

// do applies an event that must be in order.
func (m *meeting) do(e procedure.Event) procedure.State {
	m.t.Helper()
	e = m.next(e)
	s, err := m.s.Apply(e)
	require.NoError(m.t, err, "%s by %s", e.Type, e.By)
	require.NoError(m.t, s.Verify())
	m.s = s
	m.log = append(m.log, e)
	return s
}

// refuse applies an event that must be refused with code, naming want.
func (m *meeting) refuse(e procedure.Event, code errs.Code, want string) {
	m.t.Helper()
	before := m.s
	_, err := m.s.Apply(m.next(e))
	require.Error(m.t, err, "%s by %s must be refused", e.Type, e.By)
	assert.True(m.t, errors.Is(err, code), "code of %v", err)
	assert.Contains(m.t, err.Error(), want)
	assert.Equal(m.t, before, m.s, "a refused event changes nothing")
}

func (m *meeting) arrive(who ...string) {
	for _, w := range who {
		m.do(procedure.Event{Type: procedure.Arrive, By: w, Member: w, Mode: procedure.InPerson})
	}
}

func (m *meeting) move(by string, kind procedure.Kind, text string) string {
	m.t.Helper()
	s := m.do(procedure.Event{Type: procedure.Move, By: by, Kind: kind, Text: text})
	return s.Motions[len(s.Motions)-1].ID
}

func (m *meeting) second(id, by string) {
	m.t.Helper()
	m.do(procedure.Event{Type: procedure.Second, By: by, Motion: id})
}

func (m *meeting) vote(method string, casts map[string]string) procedure.Result {
	m.t.Helper()
	q := m.s.Pending().ID
	m.do(procedure.Event{Type: procedure.CallVote, By: "zhang", Method: method})
	for _, who := range council {
		if c, ok := casts[who]; ok {
			m.do(procedure.Event{Type: procedure.Cast, By: who, Member: who, Choice: c})
		}
	}
	s := m.do(procedure.Event{Type: procedure.CloseVote, By: "zhang"})
	mo, _ := s.Motion(q)
	return mo.Votes[len(mo.Votes)-1]
}

func (m *meeting) hands(yes, no, abstain int) procedure.Result {
	m.t.Helper()
	q := m.s.Pending().ID
	m.do(procedure.Event{Type: procedure.CallVote, By: "zhang", Method: procedure.Hands})
	m.do(procedure.Event{Type: procedure.Tally, By: "wu", Yes: yes, No: no, Abstain: abstain})
	s := m.do(procedure.Event{Type: procedure.CloseVote, By: "zhang"})
	mo, _ := s.Motion(q)
	return mo.Votes[len(mo.Votes)-1]
}

func (m *meeting) motion(id string) procedure.Motion {
	mo, ok := m.s.Motion(id)
	require.True(m.t, ok)
	return *mo
}

// TestCouncilMeeting runs a regular meeting of the nine-member council
// under the full rules, move by move.
func TestCouncilMeeting(t *testing.T) {
	m := newMeeting(t, nil, "parking", "budget")
	c := errs.FailedPrecondition

	// No business without a quorum (5 of 9).
	m.arrive("zhang", "wang", "li", "zhao")
	m.refuse(procedure.Event{Type: procedure.TakeUp, By: "zhang", Item: "parking"}, c, "needs a quorum (4 present of 5 needed)")
	m.refuse(procedure.Event{Type: procedure.Move, By: "wang", Kind: procedure.Main, Text: "x"}, c, "quorum")
	m.arrive("qian", "sun", "zhou")
	m.do(procedure.Event{Type: procedure.Arrive, By: "wu", Member: "wu", Mode: procedure.Online})
	m.refuse(procedure.Event{Type: procedure.TakeUp, By: "wang", Item: "parking"}, errs.Forbidden, "only the chair")
	m.do(procedure.Event{Type: procedure.TakeUp, By: "zhang", Item: "parking"})

	// A main motion, its second, and the mover's right to speak first.
	main := m.move("wang", procedure.Main, "实行错时停车")
	m.refuse(procedure.Event{Type: procedure.Second, By: "wang", Motion: main}, c, "the mover may not second")
	m.refuse(procedure.Event{Type: procedure.Move, By: "li", Kind: procedure.Amend, Text: "x"}, c, "awaits a second")
	m.refuse(procedure.Event{Type: procedure.Move, By: "zhang", Kind: procedure.Main, Text: "x"}, c, "the chair does not make motions")
	m.second(main, "li")
	m.do(procedure.Event{Type: procedure.RequestFloor, By: "li"})
	m.do(procedure.Event{Type: procedure.RequestFloor, By: "wang"})
	m.refuse(procedure.Event{Type: procedure.Recognize, By: "zhang", Member: "li"}, c, "the mover is entitled to speak first")
	m.do(procedure.Event{Type: procedure.Recognize, By: "zhang", Member: "wang"})
	m.refuse(procedure.Event{Type: procedure.Recognize, By: "zhang", Member: "li"}, c, "wang has the floor")
	m.do(procedure.Event{Type: procedure.EndSpeech, By: "wang"})
	m.do(procedure.Event{Type: procedure.Recognize, By: "zhang", Member: "li"})
	// Li's ten minutes run out: the floor is free again.
	m.at = m.at.Add(11 * time.Minute)
	m.do(procedure.Event{Type: procedure.RequestFloor, By: "zhao"})
	m.do(procedure.Event{Type: procedure.RequestFloor, By: "wang"})
	m.refuse(procedure.Event{Type: procedure.Recognize, By: "zhang", Member: "wang"}, c, "zhao, who has not, speaks first")
	m.do(procedure.Event{Type: procedure.Recognize, By: "zhang", Member: "zhao"})

	// Amendments: primary, secondary; no tertiary.
	primary := m.move("zhao", procedure.Amend, "实行错时停车，夜间开放")
	m.second(primary, "qian")
	secondary := m.move("sun", procedure.Amend, "实行错时停车，夜间和周末开放")
	m.second(secondary, "zhou")
	assert.Equal(t, primary, m.motion(secondary).Target)
	m.refuse(procedure.Event{Type: procedure.Move, By: "zhou", Kind: procedure.Amend, Text: "x"}, c, "amendment of an amendment of an amendment")

	// The previous question on the secondary amendment: nothing lower is in order.
	pq := m.move("qian", procedure.PreviousQuestion, "")
	m.second(pq, "li")
	m.refuse(procedure.Event{Type: procedure.Move, By: "zhou", Kind: procedure.Amend, Text: "x"}, c,
		"a motion to amend is not in order while the previous question is pending")
	m.refuse(procedure.Event{Type: procedure.Recognize, By: "zhang", Member: "zhou"}, c, "not debatable")
	m.refuse(procedure.Event{Type: procedure.CallVote, By: "zhang", Method: procedure.Voice}, c, "a two-thirds vote is counted")
	r := m.hands(5, 2, 0) // 5 ≥ 2×2: two-thirds
	assert.Equal(t, procedure.Adopted, r.Outcome)
	assert.True(t, m.motion(secondary).DebateClosed)
	m.refuse(procedure.Event{Type: procedure.Recognize, By: "zhang", Member: "zhou"}, c, "closed by the previous question")

	// Roll call on the secondary amendment; the chair votes only to decide.
	m.do(procedure.Event{Type: procedure.CallVote, By: "zhang", Method: procedure.RollCall})
	for who, c := range map[string]string{"wang": "yes", "li": "yes", "zhao": "no", "qian": "no", "sun": "yes", "zhou": "no", "wu": "abstain"} {
		m.do(procedure.Event{Type: procedure.Cast, By: "wu", Member: who, Choice: c})
	}
	m.refuse(procedure.Event{Type: procedure.Cast, By: "wang", Member: "wang", Choice: "no"}, c, "has voted already")
	m.refuse(procedure.Event{Type: procedure.Cast, By: "zhang", Member: "zhang", Choice: "no"}, c, "only when the vote would change the result")
	m.do(procedure.Event{Type: procedure.Cast, By: "zhang", Member: "zhang", Choice: "yes"}) // 4–3: the chair's vote carries it
	m.refuse(procedure.Event{Type: procedure.Cast, By: "zheng", Member: "zheng", Choice: "no"}, c, "the chair has voted")
	s := m.do(procedure.Event{Type: procedure.CloseVote, By: "zhang"})
	sec := m.motion(secondary)
	assert.Equal(t, procedure.Adopted, sec.Status)
	assert.Equal(t, 4, sec.Votes[0].Yes)
	assert.True(t, sec.Votes[0].ChairVoted)
	assert.Equal(t, "no", sec.Votes[0].Votes["zhao"])
	assert.Equal(t, "实行错时停车，夜间和周末开放", m.motion(primary).Text, "the secondary amendment changed the primary")
	assert.Equal(t, primary, s.Pending().ID)

	// The primary by voice, then the main motion by roll call.
	m.do(procedure.Event{Type: procedure.CallVote, By: "zhang", Method: procedure.Voice})
	m.refuse(procedure.Event{Type: procedure.Cast, By: "li", Member: "li", Choice: "yes"}, c, "a voice vote is judged by the chair")
	m.do(procedure.Event{Type: procedure.CloseVote, By: "zhang", Outcome: "adopted"})
	assert.Equal(t, "实行错时停车，夜间和周末开放", m.motion(main).Text)
	r = m.vote(procedure.RollCall, map[string]string{"wang": "yes", "li": "yes", "zhao": "yes", "qian": "yes", "sun": "no", "zhou": "no"})
	assert.Equal(t, procedure.Adopted, r.Outcome)
	assert.Equal(t, []string{"wang", "li", "zhao", "qian", "sun", "zhou", "wu"}, r.Eligible, "the chair is not among the voters")

	// Reconsider: only from the prevailing side, once.
	m.refuse(procedure.Event{Type: procedure.Move, By: "sun", Kind: procedure.Reconsider, Target: main}, c, "voted on the prevailing side")
	rc := m.do(procedure.Event{Type: procedure.Move, By: "qian", Kind: procedure.Reconsider, Target: main}).Stack[0]
	m.second(rc, "zhou")
	m.hands(4, 3, 0)
	assert.Equal(t, procedure.Pending, m.motion(main).Status, "before the assembly again")
	r = m.vote(procedure.RollCall, map[string]string{"wang": "yes", "li": "yes", "zhao": "no", "qian": "no", "sun": "no", "zhou": "no"})
	assert.Equal(t, procedure.Lost, r.Outcome)
	m.refuse(procedure.Event{Type: procedure.Move, By: "zhao", Kind: procedure.Reconsider, Target: main}, c, "reconsidered once")

	// The budget: a recusal, the table, and referral to a committee.
	m.do(procedure.Event{Type: procedure.TakeUp, By: "zhang", Item: "budget"})
	budget := m.move("li", procedure.Main, "拨付自治金3万元给便民特惠购项目")
	m.second(budget, "zhao")
	m.do(procedure.Event{Type: procedure.Recuse, By: "qian", Motion: budget, Text: "本人经营的商铺参与该项目"})
	table := m.move("sun", procedure.LayOnTable, "")
	m.second(table, "wang")
	m.vote(procedure.Ballot, map[string]string{"zhang": "yes", "wang": "yes", "li": "yes", "zhao": "yes", "sun": "yes", "zhou": "no", "wu": "no"})
	assert.Equal(t, procedure.Tabled, m.motion(budget).Status)
	assert.Empty(t, m.s.Stack)
	tft := m.do(procedure.Event{Type: procedure.Move, By: "li", Kind: procedure.TakeFromTable, Target: budget}).Stack[0]
	m.second(tft, "zhao")
	m.hands(5, 1, 0)
	assert.Equal(t, procedure.Pending, m.motion(budget).Status)
	refer := m.do(procedure.Event{Type: procedure.Move, By: "wang", Kind: procedure.Commit, Committee: "wisdom"}).Stack[1]
	m.second(refer, "li")
	r = m.hands(4, 1, 1)
	assert.Len(t, r.Eligible, 6, "eight present, less the chair")
	assert.NotContains(t, r.Eligible, "qian", "recused on the main motion, qian sits out its referral too")
	assert.Equal(t, procedure.Referred, m.motion(budget).Status)
	assert.Equal(t, "wisdom", m.motion(budget).Committee)

	// A point of order, the ruling, and an appeal that ties: the chair stands.
	m.do(procedure.Event{Type: procedure.PointOfOrder, By: "zhou", Text: "议程未提前公告"})
	m.refuse(procedure.Event{Type: procedure.Move, By: "li", Kind: procedure.Main, Text: "x"}, c, "awaits the chair's ruling")
	m.do(procedure.Event{Type: procedure.RuleOnPoint, By: "zhang", Text: "议程已于3月3日公告", Sustained: false})
	appeal := m.move("zhou", procedure.Appeal, "")
	m.second(appeal, "sun")
	r = m.hands(3, 3, 1)
	assert.Equal(t, procedure.Adopted, r.Outcome, "a tie sustains the chair")
	assert.False(t, m.s.Rulings[0].Reversed)

	// Adjourning with business pending leaves it unfinished.
	later := m.move("zhao", procedure.Main, "增设充电桩")
	m.second(later, "sun")
	adj := m.move("wang", procedure.Adjourn, "")
	m.second(adj, "li")
	m.hands(6, 0, 0)
	assert.Equal(t, procedure.Adjourned, m.s.Session)
	assert.Equal(t, procedure.Unfinished, m.motion(later).Status)
	m.refuse(procedure.Event{Type: procedure.Move, By: "li", Kind: procedure.Main, Text: "x"}, c, "has adjourned")

	// Replaying the log gives the live state exactly.
	replayed, err := procedure.Replay(m.log)
	require.NoError(t, err)
	assert.Equal(t, m.s, replayed)

	min := m.s.Minutes()
	assert.Equal(t, []string{"zheng"}, min.Absent)
	assert.ElementsMatch(t, []string{budget, later}, min.Carried)
	text := min.Markdown("同心10号联席议事会", map[string]string{"zhang": "张主任", "wang": "王委员"})
	for _, want := range []string{"Called to order 2026-03-10 19:01 by 张主任", "8 of 9 members attended (quorum 5)", "moved by 王委员", "REFERRED",
		"(roll call: 4–3, 1 abstaining, 7 eligible)", "On appeal the ruling was sustained", "Absent: zheng"} {
		assert.Contains(t, text, want)
	}
	assert.NotContains(t, text, "ballot: 5–2, 0 abstaining, 8 eligible) —", "ballots are not named")
}

// TestSmallBoard: no seconds, the chair moves and votes, informal
// discussion, unlimited speeches.
func TestSmallBoard(t *testing.T) {
	m := newMeeting(t, &procedure.Settings{SmallBoard: true}, "plan")
	m.arrive(council[:5]...)
	m.do(procedure.Event{Type: procedure.TakeUp, By: "zhang", Item: "plan"})
	m.do(procedure.Event{Type: procedure.Recognize, By: "zhang", Member: "li"}) // informal discussion
	m.do(procedure.Event{Type: procedure.EndSpeech, By: "li"})
	mo := m.move("zhang", procedure.Main, "通过年度计划")
	assert.Equal(t, procedure.Pending, m.motion(mo).Status, "no second needed")
	for range 4 {
		m.do(procedure.Event{Type: procedure.Recognize, By: "zhang", Member: "wang"})
		m.do(procedure.Event{Type: procedure.EndSpeech, By: "zhang"})
	}
	r := m.vote(procedure.Hands, map[string]string{"zhang": "yes", "wang": "yes", "li": "no", "zhao": "no", "qian": "abstain"})
	assert.Equal(t, procedure.Lost, r.Outcome, "a tie fails")
	assert.Contains(t, r.Eligible, "zhang", "the chair votes")
}

// TestRulesTable holds the data table to RONR (shared/docs/ronr.md).
func TestRulesTable(t *testing.T) {
	type row struct {
		rank              int
		second, amendable bool
		debate            procedure.Debate
		threshold         procedure.Threshold
	}
	want := map[procedure.Kind]row{
		procedure.Main:                 {1, true, true, procedure.Debatable, procedure.Majority},
		procedure.PostponeIndefinitely: {2, true, false, procedure.OpensTheMain, procedure.Majority},
		procedure.Amend:                {3, true, true, procedure.AsItsTarget, procedure.Majority},
		procedure.Commit:               {4, true, true, procedure.Debatable, procedure.Majority},
		procedure.Postpone:             {5, true, true, procedure.Debatable, procedure.Majority},
		procedure.LimitDebate:          {6, true, true, procedure.Undebatable, procedure.TwoThirds},
		procedure.PreviousQuestion:     {7, true, false, procedure.Undebatable, procedure.TwoThirds},
		procedure.LayOnTable:           {8, true, false, procedure.Undebatable, procedure.Majority},
		procedure.Recess:               {11, true, true, procedure.Undebatable, procedure.Majority},
		procedure.Adjourn:              {12, true, false, procedure.Undebatable, procedure.Majority},
		procedure.Appeal:               {0, true, false, procedure.Debatable, procedure.Majority},
		procedure.SuspendRules:         {0, true, false, procedure.Undebatable, procedure.TwoThirds},
		procedure.TakeFromTable:        {0, true, false, procedure.Undebatable, procedure.Majority},
		procedure.Reconsider:           {0, true, false, procedure.AsItsTarget, procedure.Majority},
	}
	require.Len(t, procedure.Rules, len(want))
	require.ElementsMatch(t, procedure.Kinds(), func() []procedure.Kind {
		var ks []procedure.Kind
		for k := range want {
			ks = append(ks, k)
		}
		return ks
	}())
	for k, w := range want {
		r := procedure.Rules[k]
		assert.Equal(t, w, row{r.Rank, r.Second, r.Amendable, r.Debate, r.Threshold}, k)
	}
}

// TestClerk: attendance, counts and roll-call votes are recorded for
// others by the chair, the secretary or a clerk; never by another member.
func TestClerk(t *testing.T) {
	m := newMeeting(t, nil)
	m.refuse(procedure.Event{Type: procedure.Arrive, By: "li", Member: "wang", Mode: procedure.Recorded}, errs.Forbidden, "recorded for others")
	m.refuse(procedure.Event{Type: procedure.Arrive, By: "li", Member: "wang", Mode: procedure.InPerson}, errs.Forbidden, "sign in themselves")
	m.do(procedure.Event{Type: procedure.Arrive, By: "worker-7", Clerk: true, Member: "wang", Mode: procedure.Recorded})
	m.do(procedure.Event{Type: procedure.Arrive, By: "wu", Member: "li", Mode: procedure.Recorded}) // the secretary
	assert.Equal(t, procedure.Recorded, m.s.Present["wang"])
	m.refuse(procedure.Event{Type: procedure.Leave, By: "li", Member: "wang"}, errs.Forbidden, "sign out themselves")
	m.do(procedure.Event{Type: procedure.Leave, By: "worker-7", Clerk: true, Member: "wang"})
	assert.NotContains(t, m.s.Present, "wang")
}

// TestProxies: an absent member votes through the member holding their
// written proxy only where the bylaws allow proxies; otherwise, and for
// someone who holds none, the vote is refused; proxies never make a
// quorum.
func TestProxies(t *testing.T) {
	// No proxies in the bylaws: sun, absent, cannot vote through wang.
	m := newMeeting(t, nil, "plan")
	m.arrive(council[:5]...)
	m.do(procedure.Event{Type: procedure.TakeUp, By: "zhang", Item: "plan"})
	m.move("wang", procedure.Main, "通过年度计划")
	m.second(m.s.Pending().ID, "li")
	m.do(procedure.Event{Type: procedure.CallVote, By: "zhang", Method: procedure.RollCall})
	m.refuse(procedure.Event{Type: procedure.Cast, By: "wang", Member: "sun", Choice: procedure.Yes}, errs.Forbidden, "by the proxy they gave, where the bylaws allow it")
	m.refuse(procedure.Event{Type: procedure.Cast, By: "wu", Member: "sun", Choice: procedure.Yes}, errs.FailedPrecondition, "not by proxy unless the bylaws allow it")

	// Bylaws that allow them: sun gave wang a written proxy.
	m = newMeeting(t, &procedure.Settings{Proxies: map[string]string{"sun": "wang"}}, "plan")
	m.arrive(council[:4]...)
	assert.False(t, m.s.HasQuorum(), "four of nine, and a proxy makes no quorum")
	m.arrive("qian")
	m.do(procedure.Event{Type: procedure.TakeUp, By: "zhang", Item: "plan"})
	q := m.move("wang", procedure.Main, "通过年度计划")
	m.second(q, "li")
	m.do(procedure.Event{Type: procedure.CallVote, By: "zhang", Method: procedure.RollCall})
	assert.Contains(t, m.s.Vote.Eligible, "sun", "the absent member with a proxy present may vote")
	assert.NotContains(t, m.s.Vote.Eligible, "zhou", "an absent member without one may not")
	m.refuse(procedure.Event{Type: procedure.Cast, By: "li", Member: "sun", Choice: procedure.No}, errs.Forbidden, "by the proxy they gave")
	m.refuse(procedure.Event{Type: procedure.Cast, By: "li", Member: "zhou", Choice: procedure.No}, errs.Forbidden, "members vote themselves")
	m.do(procedure.Event{Type: procedure.Cast, By: "wang", Member: "sun", Choice: procedure.No})
	m.do(procedure.Event{Type: procedure.Cast, By: "wang", Member: "wang", Choice: procedure.Yes})
	for _, who := range []string{"li", "zhao", "qian"} {
		m.do(procedure.Event{Type: procedure.Cast, By: who, Member: who, Choice: procedure.Yes})
	}
	s := m.do(procedure.Event{Type: procedure.CloseVote, By: "zhang"})
	mo, _ := s.Motion(q)
	r := mo.Votes[len(mo.Votes)-1]
	assert.Equal(t, 4, r.Yes)
	assert.Equal(t, 1, r.No, "the proxy's vote is counted")
	assert.Equal(t, "no", r.Votes["sun"])

	// A member holds at most one proxy; proxies are between members.
	_, err := procedure.New().Apply(procedure.Event{Type: procedure.Open, By: "zhang", Chair: "zhang", Roster: council, At: time.Now(),
		Settings: &procedure.Settings{Proxies: map[string]string{"sun": "wang", "zhou": "wang"}}})
	assert.ErrorIs(t, err, errs.Invalid)
	_, err = procedure.New().Apply(procedure.Event{Type: procedure.Open, By: "zhang", Chair: "zhang", Roster: council, At: time.Now(),
		Settings: &procedure.Settings{Proxies: map[string]string{"sun": "someone"}}})
	assert.ErrorIs(t, err, errs.Invalid)
}

// TestInvited: participants a meeting invites (committee chairs and
// residents' representatives at the joint council meeting) speak when
// recognised, but neither move, second nor vote, and the minutes say so.
func TestInvited(t *testing.T) {
	m := &meeting{t: t, s: procedure.New(), at: time.Date(2026, 3, 10, 19, 0, 0, 0, time.UTC)}
	m.do(procedure.Event{Type: procedure.Open, By: "zhang", Chair: "zhang", Secretary: "wu", Roster: council, Invited: []string{"chen"}})
	m.arrive(council[:6]...)
	m.refuse(procedure.Event{Type: procedure.RequestFloor, By: "chen"}, errs.FailedPrecondition, "not present")
	m.arrive("chen", "guest")
	q := m.move("wang", procedure.Main, "增设充电桩")
	m.refuse(procedure.Event{Type: procedure.Second, By: "chen", Motion: q}, errs.Forbidden, "only members move, second, speak and vote")
	m.second(q, "li")
	m.do(procedure.Event{Type: procedure.RequestFloor, By: "chen"})
	m.refuse(procedure.Event{Type: procedure.RequestFloor, By: "guest"}, errs.Forbidden, "not a member")
	m.do(procedure.Event{Type: procedure.Recognize, By: "zhang", Member: "wang"})
	m.do(procedure.Event{Type: procedure.EndSpeech, By: "wang"})
	s := m.do(procedure.Event{Type: procedure.Recognize, By: "zhang", Member: "chen"})
	require.NotNil(t, s.Floor)
	assert.Equal(t, "chen", s.Floor.Member, "the invited committee chair speaks")
	m.do(procedure.Event{Type: procedure.EndSpeech, By: "chen"})
	m.refuse(procedure.Event{Type: procedure.Move, By: "chen", Kind: procedure.Amend, Text: "x"}, errs.Forbidden, "not a member")
	m.do(procedure.Event{Type: procedure.CallVote, By: "zhang", Method: procedure.RollCall})
	assert.NotContains(t, m.s.Vote.Eligible, "chen", "no vote")
	m.refuse(procedure.Event{Type: procedure.Cast, By: "chen", Member: "chen", Choice: procedure.Yes}, errs.Forbidden, "")
	mins := m.s.Minutes()
	var invited, guest bool
	for _, a := range mins.Present {
		invited = invited || a.ID == "chen" && a.Invited && !a.Member
		guest = guest || a.ID == "guest" && !a.Invited
	}
	assert.True(t, invited && guest)
	assert.Contains(t, mins.Markdown("联席会", nil), "chen (invited, without a vote")

	_, err := procedure.New().Apply(procedure.Event{Type: procedure.Open, By: "zhang", Chair: "zhang", Roster: council, Invited: []string{"wang"}, At: time.Now()})
	assert.ErrorIs(t, err, errs.Invalid, "a member is not invited to their own body")
}

// TestNoVotes: a consultation or an open-space meeting deliberates and
// takes no vote: no motion is in order, not even to adjourn; the chair
// closes it, which a meeting that votes cannot do.
func TestNoVotes(t *testing.T) {
	m := newMeeting(t, &procedure.Settings{NoVotes: true, SmallBoard: true})
	m.arrive(council[:3]...)
	m.refuse(procedure.Event{Type: procedure.Move, By: "wang", Kind: procedure.Main, Text: "x"}, errs.FailedPrecondition, "takes no votes")
	m.refuse(procedure.Event{Type: procedure.Move, By: "wang", Kind: procedure.Adjourn}, errs.FailedPrecondition, "takes no votes")
	m.do(procedure.Event{Type: procedure.Recognize, By: "zhang", Member: "wang"})
	m.do(procedure.Event{Type: procedure.EndSpeech, By: "wang"})
	m.refuse(procedure.Event{Type: procedure.Close, By: "wang"}, errs.Forbidden, "only the chair")
	s := m.do(procedure.Event{Type: procedure.Close, By: "zhang"})
	assert.Equal(t, procedure.Adjourned, s.Session)
	require.NotNil(t, s.Ended)
	m.refuse(procedure.Event{Type: procedure.Arrive, By: "li", Member: "li", Mode: procedure.InPerson}, errs.FailedPrecondition, "adjourned")

	v := newMeeting(t, nil)
	v.refuse(procedure.Event{Type: procedure.Close, By: "zhang"}, errs.FailedPrecondition, "motion to adjourn")
}
