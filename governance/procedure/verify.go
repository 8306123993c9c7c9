package procedure

import (
	"fmt"
	"slices"
)

// Verify checks the invariants every state the engine makes must keep:
// the stack is ordered by precedence (each motion outranks the one below
// it, or applies to it, or is an appeal from a ruling); only its top may await a second; no motion is
// decided more often than it was reconsidered, plus once; no vote counts
// more ballots than eligible members; votes are taken from members present;
// an adjourned meeting has nothing pending. Tests and the fuzz target hold
// the engine to it; a store may run it on a replayed log.
func (s State) Verify() error {
	seen := map[string]bool{}
	for i, id := range s.Stack {
		m, ok := s.Motion(id)
		if !ok {
			return fmt.Errorf("stack[%d]: no motion %s", i, id)
		}
		if seen[id] {
			return fmt.Errorf("stack: %s twice", id)
		}
		seen[id] = true
		if m.Status != Pending && !(m.Status == Proposed && i == len(s.Stack)-1) {
			return fmt.Errorf("stack[%d]: %s is %s", i, id, m.Status)
		}
		if i > 0 {
			below, _ := s.Motion(s.Stack[i-1])
			// An appeal applies to a ruling made while anything was pending.
			if rank(m) <= rank(below) && m.Target != below.ID && m.Kind != Appeal {
				return fmt.Errorf("stack: %s (%s) neither outranks nor applies to %s (%s)", id, m.Kind, below.ID, below.Kind)
			}
		}
	}
	if s.Session == Adjourned && len(s.Stack) > 0 {
		return fmt.Errorf("adjourned with %d motions pending", len(s.Stack))
	}
	for _, m := range s.Motions {
		if len(m.Votes) > 1+m.Reconsidered {
			return fmt.Errorf("%s decided %d times, reconsidered %d", m.ID, len(m.Votes), m.Reconsidered)
		}
		for _, v := range m.Votes {
			if err := s.verifyVote(m.ID, v.Present, v.Eligible, v.Yes+v.No+v.Abstain, v.ChairVoted); err != nil {
				return err
			}
		}
	}
	if v := s.Vote; v != nil {
		y, n, a := v.counts()
		if err := s.verifyVote(v.Motion, v.Present, v.Eligible, y+n+a, v.ChairCast); err != nil {
			return err
		}
		if top := s.Pending(); top == nil || top.ID != v.Motion {
			return fmt.Errorf("a vote on %s while it is not the pending question", v.Motion)
		}
	}
	if s.Floor != nil {
		if _, ok := s.Present[s.Floor.Member]; !ok {
			return fmt.Errorf("%s has the floor but is not present", s.Floor.Member)
		}
	}
	return nil
}

func (s State) verifyVote(motion string, present, eligible []string, ballots int, chair bool) error {
	for _, e := range eligible {
		if h, ok := s.Settings.Proxies[e]; !slices.Contains(present, e) && !(ok && slices.Contains(present, h)) {
			return fmt.Errorf("vote on %s: %s eligible but neither present nor represented by a proxy present", motion, e)
		}
	}
	for _, p := range present {
		if !s.member(p) {
			return fmt.Errorf("vote on %s: %s present but not a member", motion, p)
		}
	}
	limit := len(eligible)
	if chair {
		limit++
	}
	if ballots > limit {
		return fmt.Errorf("vote on %s: %d ballots, %d eligible", motion, ballots, limit)
	}
	return nil
}
