package procedure

import (
	"slices"
	"time"
)

func (s *State) requestFloor(e Event) error {
	if err := s.presentSpeaker(e.By, "by"); err != nil {
		return err
	}
	if s.Vote != nil {
		return outOfOrder("a vote is being taken")
	}
	if slices.Contains(s.Queue, e.By) || s.Floor != nil && s.Floor.Member == e.By {
		return outOfOrder("%s is waiting for the floor already", e.By)
	}
	s.Queue = append(s.Queue, e.By)
	return nil
}

// limits are the speech limits on a question: the body's, or those a
// motion to limit or extend debate set.
func (s *State) limits(m *Motion) (minutes, speeches int) {
	minutes, speeches = s.Settings.SpeechMinutes, s.Settings.Speeches
	for q := m; q != nil; {
		if q.SpeechMinutes > 0 || q.MaxSpeeches > 0 {
			if q.SpeechMinutes > 0 {
				minutes = q.SpeechMinutes
			}
			if q.MaxSpeeches > 0 {
				speeches = q.MaxSpeeches
			}
			break
		}
		t, ok := s.Motion(q.Target)
		if !ok {
			break
		}
		q = t
	}
	if s.Suspended {
		return 0, 0
	}
	return minutes, speeches
}

func (s *State) recognize(e Event) error {
	if err := s.chairOnly(e, "assigns the floor (RONR 3:31)"); err != nil {
		return err
	}
	if err := s.presentSpeaker(e.Member, "member"); err != nil {
		return err
	}
	if s.Vote != nil {
		return outOfOrder("a vote is being taken")
	}
	if s.Floor != nil {
		return outOfOrder("%s has the floor until their speech ends", s.Floor.Member)
	}
	q := s.Pending()
	f := Floor{Member: e.Member, Since: e.At}
	if q == nil {
		// With nothing pending the floor is for making a motion, or, in a
		// small board, for informal discussion.
		s.Queue = slices.DeleteFunc(s.Queue, func(m string) bool { return m == e.Member })
		s.Floor = &f
		return nil
	}
	if q.Status == Proposed {
		return outOfOrder("%s awaits a second before it is debated", q.ID)
	}
	if !s.debatable(q) {
		if q.DebateClosed {
			return outOfOrder("debate on %s is closed by the previous question (RONR 16:5)", q.ID)
		}
		return outOfOrder("%s is not debatable (RONR 43:3)", name[q.Kind])
	}
	if err := s.needQuorum("debate"); err != nil {
		return err
	}
	minutes, speeches := s.limits(q)
	spoken := q.Speeches[e.Member]
	if !s.Settings.SmallBoard && !s.Suspended {
		if speeches > 0 && spoken >= speeches {
			return outOfOrder("%s has spoken %d times on %s, the limit (RONR 43:8)", e.Member, spoken, q.ID)
		}
		if q.Mover != "" && q.Speeches[q.Mover] == 0 && slices.Contains(s.Queue, q.Mover) && e.Member != q.Mover {
			return outOfOrder("the mover is entitled to speak first (RONR 43:4)")
		}
		if spoken > 0 {
			for _, w := range s.Queue {
				if w != e.Member && q.Speeches[w] == 0 {
					return outOfOrder("%s has spoken on %s; %s, who has not, speaks first (RONR 43:12)", e.Member, q.ID, w)
				}
			}
		}
	}
	if minutes > 0 {
		until := e.At.Add(time.Duration(minutes) * time.Minute)
		f.Until = &until
	}
	f.Question = q.ID
	if q.Speeches == nil {
		q.Speeches = map[string]int{}
	}
	q.Speeches[e.Member]++
	s.Queue = slices.DeleteFunc(s.Queue, func(m string) bool { return m == e.Member })
	s.Floor = &f
	return nil
}

func (s *State) endSpeech(e Event) error {
	if s.Floor == nil {
		return outOfOrder("no one has the floor")
	}
	if e.By != s.Floor.Member && e.By != s.Chair {
		return notAllowed("only the speaker yields the floor, or the chair ends the speech")
	}
	s.Floor = nil
	return nil
}

func (s *State) recuse(e Event) error {
	if err := s.presentMember(e.By, "by"); err != nil {
		return err
	}
	m, ok := s.Motion(e.Motion)
	if !ok || !slices.Contains(s.Stack, m.ID) {
		return invalid("motion", "must name a pending motion")
	}
	if e.Text == "" {
		return invalid("text", "is required: the personal or financial interest (RONR 45:4)")
	}
	if slices.Contains(m.Recused, e.By) {
		return outOfOrder("%s has recused themself from %s already", e.By, m.ID)
	}
	if s.Vote != nil && s.Vote.Motion == m.ID {
		return outOfOrder("the vote on %s is under way: recuse before it is called", m.ID)
	}
	m.Recused = append(m.Recused, e.By)
	return nil
}

// recused reports whether member is recused from m or from a motion it
// applies to.
func (s *State) recused(m *Motion, member string) bool {
	for q := m; q != nil; {
		if slices.Contains(q.Recused, member) {
			return true
		}
		t, ok := s.Motion(q.Target)
		if !ok {
			return false
		}
		q = t
	}
	return false
}
