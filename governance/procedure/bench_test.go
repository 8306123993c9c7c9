package procedure_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/linli-go/linli/governance/procedure"
)

// longMeeting is the log of a random meeting of n accepted events.
func longMeeting(b *testing.B, n int) []procedure.Event {
	c := rand.New(rand.NewPCG(42, 7))
	at := time.Date(2026, 3, 10, 19, 0, 0, 0, time.UTC)
	open := procedure.Event{At: at, Type: procedure.Open, By: "zhang", Chair: "zhang", Secretary: "wu", Roster: council, Agenda: []string{"a", "b"}}
	s, err := procedure.New().Apply(open)
	if err != nil {
		b.Fatal(err)
	}
	log := []procedure.Event{open}
	for len(log) < n {
		at = at.Add(time.Duration(c.IntN(300)) * time.Second)
		e := randomEvent(c, s, at)
		if e.Kind == procedure.Adjourn {
			continue
		}
		if next, err := s.Apply(e); err == nil {
			s, log = next, append(log, e)
		}
	}
	return log
}

// BenchmarkReplay rebuilds a meeting of 300 moves from its log, as the
// service does for every move and read.
func BenchmarkReplay(b *testing.B) {
	log := longMeeting(b, 300)
	for b.Loop() {
		if _, err := procedure.Replay(log); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkApply checks one move against a meeting 300 moves in.
func BenchmarkApply(b *testing.B) {
	log := longMeeting(b, 301)
	s, err := procedure.Replay(log[:300])
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.Apply(log[300]); err != nil {
			b.Fatal(err)
		}
	}
}
