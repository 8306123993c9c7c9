package procedure

import (
	"slices"
	"strconv"
)

// move makes a motion, if it is in order.
func (s *State) move(e Event, appealable string) error {
	r, ok := Rules[e.Kind]
	if !ok {
		return invalid("kind", "%q is not a motion this engine knows", e.Kind)
	}
	if err := s.presentMember(e.By, "by"); err != nil {
		return err
	}
	if s.Settings.NoVotes {
		return outOfOrder("this meeting takes no votes: it deliberates, and the chair closes it")
	}
	if e.By == s.Chair && !s.Settings.SmallBoard {
		return outOfOrder("the chair does not make motions except in a small board (RONR 43:29, 49:21)")
	}
	if s.Vote != nil {
		return outOfOrder("a vote is being taken: no motion is in order until the result is announced")
	}
	if s.Floor != nil && s.Floor.Member != e.By && r.Class != Incidental {
		return outOfOrder("%s has the floor (RONR 3:30)", s.Floor.Member)
	}
	if !r.Quorumless {
		if err := s.needQuorum(name[e.Kind]); err != nil {
			return err
		}
	}
	top := s.Pending()
	if top != nil && top.Status == Proposed {
		return outOfOrder("%s (%s) awaits a second: second it, or the chair drops it", top.ID, name[top.Kind])
	}
	m := Motion{ID: s.nextID(), Kind: e.Kind, Text: e.Text, Mover: e.By, Item: s.Item, Status: Pending, MovedAt: e.At}
	if r.Second && !s.Settings.SmallBoard {
		m.Status = Proposed
	}
	if err := s.inOrder(&m, r, e, top, appealable); err != nil {
		return err
	}
	if s.Floor != nil && s.Floor.Member == e.By {
		s.Floor = nil // the mover yields once the motion is made
	}
	s.Motions = append(s.Motions, m)
	s.Stack = append(s.Stack, m.ID)
	if m.Kind == Appeal {
		s.Rulings[rulingIndex(m.Target)].Appealed = m.ID
	}
	return nil
}

// inOrder applies the order of precedence and each motion's own
// conditions, completing m.
func (s *State) inOrder(m *Motion, r Rule, e Event, top *Motion, appealable string) error {
	main := s.pendingMain()
	switch m.Kind {
	case Main:
		if top != nil {
			return outOfOrder("a main motion is in order only when no question is pending (RONR 10:3); %s is", top.ID)
		}
		if e.Text == "" {
			return invalid("text", "is required: the wording of the motion")
		}
		return nil
	case Appeal:
		if e.By == s.Chair {
			return outOfOrder("the chair does not appeal from their own ruling")
		}
		if appealable == "" || (e.Target != "" && e.Target != appealable) {
			return outOfOrder("an appeal is in order only immediately after the chair's ruling (RONR 24:5)")
		}
		m.Target = appealable
		return nil
	case SuspendRules:
		if top != nil && rank(top) == incidentalRank {
			return s.outranked(m.Kind, top)
		}
		if e.Text == "" {
			return invalid("text", "is required: the rule to suspend and why")
		}
		return nil
	case TakeFromTable:
		if top != nil {
			return outOfOrder("a motion to take from the table is in order only when no question is pending (RONR 34:3)")
		}
		t, ok := s.Motion(e.Target)
		if !ok || t.Status != Tabled {
			return invalid("target", "must name a motion on the table")
		}
		m.Target = t.ID
		return nil
	case Reconsider:
		return s.reconsiderable(m, e, top)
	}
	// Subsidiary and privileged motions: the order of precedence.
	if r.Class == Subsidiary && main == nil {
		return outOfOrder("%s applies to a pending main motion, and none is pending", name[m.Kind])
	}
	if top != nil && r.Rank <= rank(top) {
		// Only an amendment applies to a pending question it does not
		// outrank: one that can be amended.
		if m.Kind != Amend || !Rules[top.Kind].Amendable {
			return s.outranked(m.Kind, top)
		}
		if top.Kind == Amend && s.isSecondary(top) {
			return outOfOrder("an amendment of an amendment of an amendment is not in order (RONR 12:11)")
		}
	}
	if top != nil && top.DebateClosed && r.Rank < Rules[PreviousQuestion].Rank {
		return outOfOrder("%s is not in order: debate on %s is closed by the previous question (RONR 16:5)", name[m.Kind], top.ID)
	}
	switch r.Target {
	case "main":
		m.Target = main.ID
	case "pending":
		m.Target = top.ID
	}
	switch m.Kind {
	case Amend:
		switch {
		case Rules[top.Kind].Amendable:
		case top.Kind == PostponeIndefinitely:
			m.Target = main.ID // it outranks the postponement and amends the main motion (RONR 11:5)
		default:
			return outOfOrder("%s cannot be amended (RONR 12:7)", name[top.Kind])
		}
		if e.Text == "" {
			return invalid("text", "is required: the whole wording as amended")
		}
	case PreviousQuestion, LimitDebate:
		if !s.debatable(top) {
			return outOfOrder("%s applies to a debatable question; %s is not (RONR 15:2, 16:2)", name[m.Kind], top.ID)
		}
		if m.Kind == LimitDebate {
			if e.Minutes < 0 || e.Count < 0 || e.Minutes == 0 && e.Count == 0 {
				return invalid("minutes", "give the minutes per speech, the speeches per member, or both")
			}
			m.Minutes, m.Count = e.Minutes, e.Count
		}
	case PostponeIndefinitely:
		if top.ID != main.ID {
			return s.outranked(m.Kind, top)
		}
	case Commit:
		if e.Committee == "" {
			return invalid("committee", "is required: the committee the motion goes to")
		}
		m.Committee = e.Committee
	case Postpone:
		if e.Until != nil && !e.Until.After(e.At) {
			return invalid("until", "must be a later time")
		}
		m.Until = e.Until
	case Recess:
		if e.Minutes < 0 {
			return invalid("minutes", "must be 0 or more")
		}
		m.Minutes = e.Minutes
	}
	return nil
}

// outranked names the rule a motion of too low a rank breaks.
func (s *State) outranked(k Kind, top *Motion) error {
	return outOfOrder("%s is not in order while %s is pending (RONR 5:9: a motion is in order only when it outranks the pending question)",
		name[k], name[top.Kind])
}

// isSecondary reports whether an amendment amends an amendment.
func (s *State) isSecondary(m *Motion) bool {
	t, ok := s.Motion(m.Target)
	return ok && t.Kind == Amend
}

// pendingMain returns the main motion at the bottom of the stack.
func (s *State) pendingMain() *Motion {
	for _, id := range s.Stack {
		if m, _ := s.Motion(id); m.Kind == Main {
			return m
		}
	}
	return nil
}

// reconsiderable checks a motion to reconsider: a main motion decided in
// this meeting, once, moved by one who voted on the prevailing side when
// that is known.
func (s *State) reconsiderable(m *Motion, e Event, top *Motion) error {
	if top != nil {
		return outOfOrder("a motion to reconsider is taken up only when no question is pending (RONR 37:10)")
	}
	t, ok := s.Motion(e.Target)
	if !ok || t.Kind != Main || t.Status != Adopted && t.Status != Lost || len(t.Votes) == 0 {
		return invalid("target", "must name a main motion decided in this meeting")
	}
	if t.Reconsidered > 0 {
		return outOfOrder("%s has been reconsidered once; it is not reconsidered again (RONR 37:30)", t.ID)
	}
	last := t.Votes[len(t.Votes)-1]
	if last.Votes != nil {
		want := Yes
		if last.Outcome == Lost {
			want = No
		}
		if last.Votes[e.By] != want {
			return outOfOrder("a motion to reconsider is moved by a member who voted on the prevailing side (RONR 37:8)")
		}
	}
	m.Target = t.ID
	return nil
}

func (s *State) second(e Event) error {
	m := s.Pending()
	if m == nil || m.ID != e.Motion || m.Status != Proposed {
		return outOfOrder("only a motion just made, awaiting a second, is seconded")
	}
	if err := s.presentMember(e.By, "by"); err != nil {
		return err
	}
	if e.By == m.Mover {
		return outOfOrder("the mover may not second their own motion (RONR 4:11)")
	}
	if e.By == s.Chair {
		return outOfOrder("the chair does not second motions (RONR 43:29)")
	}
	m.Seconder, m.Status = e.By, Pending
	return nil
}

func (s *State) drop(e Event) error {
	if err := s.chairOnly(e, "declares a motion dead for want of a second"); err != nil {
		return err
	}
	m := s.Pending()
	if m == nil || m.ID != e.Motion || m.Status != Proposed {
		return outOfOrder("only a motion awaiting a second dies for want of one")
	}
	m.Status = Dropped
	s.pop()
	return nil
}

func (s *State) withdraw(e Event) error {
	m := s.Pending()
	if m == nil || m.ID != e.Motion {
		return outOfOrder("only the immediately pending question is withdrawn")
	}
	if e.By != m.Mover {
		return notAllowed("only the mover withdraws a motion (RONR 33:11)")
	}
	if s.Vote != nil {
		return outOfOrder("a vote is being taken on it")
	}
	m.Status = Withdrawn
	s.pop()
	if m.Kind == Appeal {
		s.Rulings[rulingIndex(m.Target)].Appealed = ""
	}
	return nil
}

// pop removes the top of the stack, and the floor if it was on it.
func (s *State) pop() {
	s.Stack = s.Stack[:len(s.Stack)-1]
	s.Floor = nil
}

// setAside removes the main motion and everything pending on it from the
// stack with a status; they come back together.
func (s *State) setAside(main *Motion, status Status) {
	i := slices.Index(s.Stack, main.ID)
	main.Adhering = slices.Clone(s.Stack[i+1:])
	for _, id := range s.Stack[i:] {
		m, _ := s.Motion(id)
		m.Status = status
	}
	s.Stack = s.Stack[:i]
	s.Floor = nil
}

// restore puts a set-aside main motion back before the assembly, with the
// motions that went with it.
func (s *State) restore(main *Motion) {
	s.Stack = append(s.Stack, main.ID)
	main.Status = Pending
	for _, id := range main.Adhering {
		m, _ := s.Motion(id)
		m.Status = Pending
		s.Stack = append(s.Stack, id)
	}
	main.Adhering = nil
}

func (s *State) resumeMotion(e Event) error {
	if err := s.chairOnly(e, "takes up postponed and unfinished business"); err != nil {
		return err
	}
	m, ok := s.Motion(e.Motion)
	if !ok || m.Status != Postponed && m.Status != Unfinished {
		return invalid("motion", "must name a postponed or unfinished motion")
	}
	if len(s.Stack) > 0 {
		return outOfOrder("business is pending: dispose of it first")
	}
	if err := s.needQuorum("taking up business"); err != nil {
		return err
	}
	s.restore(m)
	return nil
}

func (s *State) report(e Event) error {
	m, ok := s.Motion(e.Motion)
	if !ok || m.Status != Referred {
		return invalid("motion", "must name a motion referred to a committee")
	}
	if err := s.presentMember(e.By, "by"); err != nil {
		return err
	}
	if len(s.Stack) > 0 {
		return outOfOrder("business is pending: a committee reports when none is (RONR 51:2)")
	}
	if e.Text == "" {
		return invalid("text", "is required: the committee's recommendation")
	}
	if err := s.needQuorum("a committee's report"); err != nil {
		return err
	}
	m.Report = e.Text
	s.restore(m)
	return nil
}

// ---- points of order ----

func (s *State) pointOfOrder(e Event) error {
	if err := s.presentMember(e.By, "by"); err != nil {
		return err
	}
	if e.Text == "" {
		return invalid("text", "is required: the rule broken")
	}
	s.Rulings = append(s.Rulings, Ruling{ID: rulingID(len(s.Rulings)), Point: e.Text, By: e.By, At: e.At})
	s.Point = len(s.Rulings) - 1
	return nil
}

func (s *State) rule(e Event) error {
	if err := s.chairOnly(e, "rules on a point of order (RONR 23:1)"); err != nil {
		return err
	}
	if s.Point < 0 {
		return outOfOrder("no point of order awaits a ruling")
	}
	if e.Text == "" {
		return invalid("text", "is required: the reason for the ruling")
	}
	r := &s.Rulings[s.Point]
	r.Ruled, r.Sustained, r.Reason = true, e.Sustained, e.Text
	s.Point = -1
	s.Appealable = r.ID
	return nil
}

func rulingID(i int) string { return "r" + strconv.Itoa(i+1) }

func rulingIndex(id string) int {
	n, _ := strconv.Atoi(id[1:])
	return n - 1
}
