package procedure_test

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/governance/procedure"
)

// chooser draws the choices of a random meeting: from a seeded generator
// in the property test, from the fuzzer's bytes in the fuzz target.
type chooser interface{ IntN(n int) int }

type bytesChooser struct{ b []byte }

func (c *bytesChooser) IntN(n int) int {
	if len(c.b) < 2 {
		return 0
	}
	v := int(binary.LittleEndian.Uint16(c.b))
	c.b = c.b[2:]
	return v % n
}

var (
	kinds   = procedure.Kinds()
	methods = []string{procedure.Voice, procedure.Hands, procedure.RollCall, procedure.Ballot}
	choices = []string{procedure.Yes, procedure.No, procedure.Abstain}
	types   = []procedure.Type{procedure.Arrive, procedure.Leave, procedure.TakeUp, procedure.Move, procedure.Second, procedure.Drop,
		procedure.Withdraw, procedure.RequestFloor, procedure.Recognize, procedure.EndSpeech, procedure.Recuse, procedure.CallVote,
		procedure.Cast, procedure.Tally, procedure.CloseVote, procedure.PointOfOrder, procedure.RuleOnPoint, procedure.Resume,
		procedure.ResumeMotion, procedure.Report}
)

// randomEvent makes an event, mostly one that fits the state.
func randomEvent(c chooser, s procedure.State, at time.Time) procedure.Event {
	pick := func(xs []string) string { return xs[c.IntN(len(xs))] }
	people := append([]string{"guest"}, council...)
	motion := func() string {
		if len(s.Motions) == 0 || c.IntN(8) == 0 {
			return "m" + string(rune('1'+c.IntN(9)))
		}
		return s.Motions[c.IntN(len(s.Motions))].ID
	}
	e := procedure.Event{At: at, By: pick(people), Member: pick(people), Motion: motion(), Target: motion()}
	typ := types[c.IntN(len(types))]
	appeal, restore := false, procedure.Kind("")
	if c.IntN(4) > 0 { // fit the state
		switch top := s.Pending(); {
		case s.Vote != nil:
			typ = []procedure.Type{procedure.Cast, procedure.Cast, procedure.Cast, procedure.Tally, procedure.CloseVote}[c.IntN(5)]
			if typ == procedure.CloseVote || typ == procedure.Tally {
				e.By = "zhang"
			}
		case s.Point >= 0:
			typ, e.By = procedure.RuleOnPoint, "zhang"
		case s.Appealable != "" && c.IntN(2) == 0:
			typ, appeal = procedure.Move, true
		case top != nil && top.Status == procedure.Proposed:
			typ, e.Motion = procedure.Second, top.ID
		case len(s.Members()) < 5:
			typ, e.By = procedure.Arrive, e.Member
		case top != nil && c.IntN(3) == 0:
			typ, e.By = procedure.CallVote, "zhang"
		case top == nil && len(s.Motions) > 0 && c.IntN(3) == 0:
			// Bring back business set aside or decided.
			m := s.Motions[c.IntN(len(s.Motions))]
			e.Motion, e.Target = m.ID, m.ID
			switch m.Status {
			case procedure.Tabled:
				typ, restore = procedure.Move, procedure.TakeFromTable
			case procedure.Adopted, procedure.Lost:
				typ, restore = procedure.Move, procedure.Reconsider
			case procedure.Postponed, procedure.Unfinished:
				typ, e.By = procedure.ResumeMotion, "zhang"
			case procedure.Referred:
				typ = procedure.Report
			}
		default:
			typ = []procedure.Type{procedure.Move, procedure.Move, procedure.Recognize, procedure.EndSpeech, procedure.RequestFloor, procedure.PointOfOrder}[c.IntN(6)]
			if typ != procedure.Move && typ != procedure.RequestFloor {
				e.By = "zhang"
			}
		}
	}
	e.Type = typ
	e.Mode = []string{procedure.InPerson, procedure.Online, procedure.Recorded}[c.IntN(3)]
	e.Item = pick([]string{"a", "b", "c"})
	e.Kind = kinds[c.IntN(len(kinds))]
	if e.Kind == procedure.Adjourn && c.IntN(6) > 0 {
		e.Kind = procedure.Main // adjourn less often, to reach deeper
	}
	if appeal {
		e.Kind, e.Target = procedure.Appeal, ""
	}
	if restore != "" {
		e.Kind = restore
	}
	e.Text = pick([]string{"动议", "动议", "修正", ""})
	e.Committee = pick([]string{"", "wisdom", "safety"})
	e.Minutes, e.Count = c.IntN(15), c.IntN(3)
	e.Method, e.Choice = methods[c.IntN(len(methods))], choices[c.IntN(len(choices))]
	e.Yes, e.No, e.Abstain = c.IntN(6), c.IntN(6), c.IntN(3)
	e.Outcome = pick([]string{"adopted", "lost", ""})
	e.Sustained = c.IntN(2) == 0
	e.Clerk = c.IntN(8) == 0
	return e
}

// play runs a random meeting of n events, holding every state to the
// invariants and the replayed log to the live state.
func play(t *testing.T, c chooser, n int, settings *procedure.Settings) procedure.State {
	at := time.Date(2026, 3, 10, 19, 0, 0, 0, time.UTC)
	s := procedure.New()
	open := procedure.Event{At: at, Type: procedure.Open, By: "zhang", Chair: "zhang", Secretary: "wu", Roster: council, Agenda: []string{"a", "b"}, Settings: settings,
		Carried: []procedure.Carried{{Ref: "m2025-12/m3", Text: "旧动议", Status: procedure.Postponed}, {Ref: "r", Text: "交委员会", Status: procedure.Referred, Committee: "wisdom"}}}
	s, err := s.Apply(open)
	require.NoError(t, err)
	log := []procedure.Event{open}
	for range n {
		at = at.Add(time.Duration(c.IntN(300)) * time.Second)
		e := randomEvent(c, s, at)
		next, err := s.Apply(e)
		if err != nil {
			require.Equal(t, s.Seq, next.Seq, "a refused event changes nothing")
			continue
		}
		if err := next.Verify(); err != nil {
			t.Fatalf("after %+v: %v", e, err)
		}
		require.Equal(t, s.Seq+1, next.Seq)
		s = next
		log = append(log, e)
	}
	replayed, err := procedure.Replay(log)
	require.NoError(t, err)
	require.Equal(t, s, replayed, "replaying the log gives the live state")
	_ = s.Minutes().Markdown("m", nil)
	return s
}

func TestRandomMeetingsKeepTheInvariants(t *testing.T) {
	events := 0
	decided := map[procedure.Kind]map[procedure.Status]bool{}
	for seed := range uint64(500) {
		settings := &procedure.Settings{SmallBoard: seed%3 == 0}
		s := play(t, rand.New(rand.NewPCG(seed, 7)), 600, settings)
		events += s.Seq
		for _, m := range s.Motions {
			for _, v := range m.Votes {
				if decided[m.Kind] == nil {
					decided[m.Kind] = map[procedure.Status]bool{}
				}
				decided[m.Kind][v.Outcome] = true
			}
		}
	}
	t.Logf("%d events accepted over 500 meetings", events)
	// The generator must reach every motion's vote, both ways: otherwise
	// the invariants were checked on shallow meetings only.
	for _, k := range procedure.Kinds() {
		require.True(t, decided[k][procedure.Adopted] && decided[k][procedure.Lost], "%s adopted and lost in some meeting: %v", k, decided[k])
	}
}

func FuzzMeeting(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, false)
	f.Add(make([]byte, 400), true)
	f.Fuzz(func(t *testing.T, data []byte, small bool) {
		c := &bytesChooser{b: data}
		play(t, c, len(data)/2, &procedure.Settings{SmallBoard: small})
	})
}
