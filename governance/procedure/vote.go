package procedure

import (
	"maps"
	"slices"
)

func (s *State) callVote(e Event) error {
	if err := s.chairOnly(e, "puts the question to a vote"); err != nil {
		return err
	}
	q := s.Pending()
	if q == nil {
		return outOfOrder("no question is pending")
	}
	if q.Status != Pending {
		return outOfOrder("%s awaits a second (RONR 4:9)", q.ID)
	}
	if s.Vote != nil {
		return outOfOrder("a vote on %s is under way", s.Vote.Motion)
	}
	if s.Floor != nil {
		return outOfOrder("%s has the floor: the question is put when debate has ended", s.Floor.Member)
	}
	switch e.Method {
	case Voice, Hands, RollCall, Ballot:
	default:
		return invalid("method", "must be voice, hands, roll_call or ballot")
	}
	th := threshold(q)
	if e.Method == Voice && th == TwoThirds {
		return outOfOrder("a two-thirds vote is counted, not taken by voice (RONR 4:35)")
	}
	if !Rules[q.Kind].Quorumless {
		if err := s.needQuorum("a vote"); err != nil {
			return err
		}
	}
	present := s.Members()
	var eligible []string
	for _, m := range present {
		if s.recused(q, m) {
			continue
		}
		if m == s.Chair && !s.Settings.SmallBoard && e.Method != Ballot {
			continue // the chair votes only to change the result, or by ballot (RONR 44:12)
		}
		eligible = append(eligible, m)
	}
	// Absent members whose proxy holder is present vote through them.
	for _, m := range s.Roster {
		if h, ok := s.Settings.Proxies[m]; ok && !slices.Contains(present, m) && slices.Contains(present, h) && !s.recused(q, m) {
			eligible = append(eligible, m)
		}
	}
	s.Vote = &OpenVote{Motion: q.ID, Method: e.Method, At: e.At, Present: present, Eligible: eligible}
	if s.Vote.Eligible == nil {
		s.Vote.Eligible = []string{}
	}
	return nil
}

// threshold is what m needs to pass.
func threshold(m *Motion) Threshold { return Rules[m.Kind].Threshold }

func (s *State) cast(e Event) error {
	v := s.Vote
	if v == nil {
		return outOfOrder("no vote is being taken")
	}
	proxy := s.Settings.Proxies[e.Member]
	if e.By != e.Member && !s.records(e) && (proxy == "" || e.By != proxy) {
		return notAllowed("members vote themselves (or by the proxy they gave, where the bylaws allow it); the chair or secretary records the votes of a roll call")
	}
	switch e.Choice {
	case Yes, No, Abstain:
	default:
		return invalid("choice", "must be yes, no or abstain")
	}
	if v.Method == Voice {
		return outOfOrder("a voice vote is judged by the chair, not counted")
	}
	if v.Tally != nil {
		return outOfOrder("the show of hands has been counted")
	}
	if v.ChairCast {
		return outOfOrder("the chair has voted to decide the question: the vote closes")
	}
	if _, ok := v.Casts[e.Member]; ok {
		return outOfOrder("%s has voted already", e.Member)
	}
	if _, ok := s.Present[e.Member]; !ok {
		if proxy == "" {
			return outOfOrder("%s is not present: members vote in person or online, not by proxy unless the bylaws allow it (RONR 45:70)", e.Member)
		}
		if _, ok := s.Present[proxy]; !ok {
			return outOfOrder("%s is not present, nor is %s, who holds their proxy", e.Member, proxy)
		}
	}
	if v.Casts == nil {
		v.Casts = map[string]string{}
	}
	if !slices.Contains(v.Eligible, e.Member) {
		if e.Member != s.Chair || !slices.Contains(v.Present, e.Member) {
			return notAllowed("%s may not vote on %s (not a member present when the vote was called, or recused)", e.Member, v.Motion)
		}
		// The chair's vote, only when it changes the result (RONR 44:12).
		q, _ := s.Motion(v.Motion)
		y, n, _ := v.counts()
		before := outcome(q, y, n)
		after := before
		switch e.Choice {
		case Yes:
			after = outcome(q, y+1, n)
		case No:
			after = outcome(q, y, n+1)
		}
		if after == before {
			return outOfOrder("the chair votes only when the vote would change the result (RONR 44:12)")
		}
		v.ChairCast = true
	}
	v.Casts[e.Member] = e.Choice
	return nil
}

func (s *State) tally(e Event) error {
	v := s.Vote
	if v == nil {
		return outOfOrder("no vote is being taken")
	}
	if !s.records(e) {
		return notAllowed("the chair, the secretary or a clerk counts a show of hands")
	}
	if v.Method != Hands {
		return outOfOrder("only a show of hands is counted as a tally; a %s records each vote", v.Method)
	}
	if v.Tally != nil || len(v.Casts) > 0 {
		return outOfOrder("the vote has been counted")
	}
	if e.Yes < 0 || e.No < 0 || e.Abstain < 0 {
		return invalid("yes", "counts are 0 or more")
	}
	if e.Yes+e.No+e.Abstain > len(v.Eligible) {
		return invalid("yes", "%d votes counted, but only %d members may vote", e.Yes+e.No+e.Abstain, len(v.Eligible))
	}
	v.Tally = &[3]int{e.Yes, e.No, e.Abstain}
	return nil
}

// counts returns the yes, no and abstain of the vote so far.
func (v *OpenVote) counts() (yes, no, abstain int) {
	if v.Tally != nil {
		return v.Tally[0], v.Tally[1], v.Tally[2]
	}
	for _, c := range v.Casts {
		switch c {
		case Yes:
			yes++
		case No:
			no++
		default:
			abstain++
		}
	}
	return yes, no, abstain
}

// outcome applies m's threshold to the votes cast: abstentions don't
// count and a tie fails; an appeal is lost (the ruling reversed) only by
// a majority against it.
func outcome(m *Motion, yes, no int) Status {
	pass := false
	switch {
	case m.Kind == Appeal:
		pass = no <= yes
	case threshold(m) == TwoThirds:
		pass = yes > 0 && yes >= 2*no
	default:
		pass = yes > no
	}
	if pass {
		return Adopted
	}
	return Lost
}

func (s *State) closeVote(e Event) error {
	if err := s.chairOnly(e, "announces the result"); err != nil {
		return err
	}
	v := s.Vote
	if v == nil {
		return outOfOrder("no vote is being taken")
	}
	q, _ := s.Motion(v.Motion)
	if !Rules[q.Kind].Quorumless {
		if err := s.needQuorum("a vote"); err != nil {
			return err
		}
	}
	r := Result{At: e.At, Method: v.Method, Present: v.Present, Eligible: v.Eligible, ChairVoted: v.ChairCast}
	if v.Method == Voice {
		if e.Outcome != string(Adopted) && e.Outcome != string(Lost) {
			return invalid("outcome", "the chair announces a voice vote adopted or lost")
		}
		r.Outcome = Status(e.Outcome)
	} else {
		if e.Outcome != "" {
			return invalid("outcome", "a counted vote's result is computed, not announced")
		}
		r.Counted = true
		r.Yes, r.No, r.Abstain = v.counts()
		r.Outcome = outcome(q, r.Yes, r.No)
		if v.Method != Ballot && v.Tally == nil {
			r.Votes = maps.Clone(v.Casts)
			if r.Votes == nil {
				r.Votes = map[string]string{}
			}
		}
	}
	q.Votes = append(q.Votes, r)
	s.Vote = nil
	s.decide(q, r.Outcome, e)
	return nil
}

// decide carries out the result of a vote on the immediately pending
// question.
func (s *State) decide(q *Motion, result Status, e Event) {
	q.Status = result
	s.pop()
	target, _ := s.Motion(q.Target)
	if result == Lost {
		if q.Kind == Appeal {
			r := &s.Rulings[rulingIndex(q.Target)]
			r.Reversed = true
		}
		return
	}
	switch q.Kind {
	case Amend:
		target.Text = q.Text
	case PostponeIndefinitely:
		s.setAside(target, Killed)
		target.Adhering = nil
	case Commit:
		s.setAside(target, Referred)
		target.Committee = q.Committee
	case Postpone:
		s.setAside(target, Postponed)
		target.Until = q.Until
	case LayOnTable:
		s.setAside(target, Tabled)
	case LimitDebate:
		target.SpeechMinutes, target.MaxSpeeches = q.Minutes, q.Count
	case PreviousQuestion:
		target.DebateClosed = true
	case Recess:
		s.Session = InRecess
		s.Floor, s.Queue = nil, []string{}
	case Adjourn:
		if main := s.pendingMain(); main != nil {
			s.setAside(main, Unfinished)
		}
		for len(s.Stack) > 0 { // anything else pending falls
			m, _ := s.Motion(s.Stack[len(s.Stack)-1])
			m.Status = Unfinished
			s.pop()
		}
		s.Session = Adjourned
		at := e.At
		s.Ended = &at
		s.Floor, s.Queue = nil, []string{}
	case SuspendRules:
		s.Suspended = true
	case TakeFromTable:
		s.restore(target)
	case Reconsider:
		// The question is again before the assembly as it was just before
		// the vote (RONR 37:2).
		target.Reconsidered++
		target.DebateClosed = false
		target.Status = Pending
		s.Stack = append(s.Stack, target.ID)
	}
}
