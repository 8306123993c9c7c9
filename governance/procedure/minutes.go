package procedure

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Minutes record what was done, not what was said (RONR 48): who
// attended, the quorum, each motion with its mover, seconder, outcome and
// the tally of counted votes, the chair's rulings, and the business left
// unfinished.
type Minutes struct {
	Started    time.Time       `json:"started"`
	Ended      *time.Time      `json:"ended,omitempty"`
	Chair      string          `json:"chair"`
	Secretary  string          `json:"secretary,omitempty"`
	Quorum     int             `json:"quorum"`
	Members    int             `json:"members"`
	Present    []Attendee      `json:"present"` // everyone who attended, members first
	Absent     []string        `json:"absent"`  // members who did not
	SmallBoard bool            `json:"small_board"`
	Motions    []MotionMinutes `json:"motions"`
	Rulings    []Ruling        `json:"rulings"`
	Carried    []string        `json:"carried"` // motions left for a later meeting: postponed, unfinished, tabled, referred
}

// Attendee is one who attended.
type Attendee struct {
	ID     string `json:"id"`
	Mode   string `json:"mode"`
	Member bool   `json:"member"`
	// Invited: a participant the meeting invited, who may speak but
	// not vote.
	Invited bool `json:"invited,omitempty"`
}

// MotionMinutes is a motion as the minutes record it.
type MotionMinutes struct {
	ID        string     `json:"id"`
	Kind      Kind       `json:"kind"`
	Item      string     `json:"item,omitempty"`
	Text      string     `json:"text,omitempty"`
	Target    string     `json:"target,omitempty"`
	Mover     string     `json:"mover,omitempty"`
	Seconder  string     `json:"seconder,omitempty"`
	Ref       string     `json:"ref,omitempty"`
	Report    string     `json:"report,omitempty"`
	Committee string     `json:"committee,omitempty"`
	Outcome   Status     `json:"outcome"`
	Votes     []VoteNote `json:"votes,omitempty"`
	Recused   []string   `json:"recused,omitempty"`
}

// VoteNote is a vote as minutes show it: the tally of a counted vote, the
// names of a roll call; never how a ballot was cast.
type VoteNote struct {
	Method   string            `json:"method"`
	Outcome  Status            `json:"outcome"`
	Counted  bool              `json:"counted"`
	Yes      int               `json:"yes"`
	No       int               `json:"no"`
	Abstain  int               `json:"abstain"`
	Eligible int               `json:"eligible"`
	RollCall map[string]string `json:"roll_call,omitempty"`
}

// MinutesOf replays a meeting's log into its minutes.
func MinutesOf(events []Event) (Minutes, error) {
	s, err := Replay(events)
	if err != nil {
		return Minutes{}, err
	}
	return s.Minutes(), nil
}

// Minutes are the minutes of the meeting as it stands.
func (s State) Minutes() Minutes {
	m := Minutes{Started: s.Started, Ended: s.Ended, Chair: s.Chair, Secretary: s.Secretary, Quorum: s.Quorum(), Members: len(s.Roster),
		SmallBoard: s.Settings.SmallBoard, Present: []Attendee{}, Absent: []string{}, Motions: []MotionMinutes{}, Rulings: slices.Clone(s.Rulings), Carried: []string{}}
	for _, id := range s.Roster {
		if mode, ok := s.Attended[id]; ok {
			m.Present = append(m.Present, Attendee{ID: id, Mode: mode, Member: true})
		} else {
			m.Absent = append(m.Absent, id)
		}
	}
	var guests []string
	for id := range s.Attended {
		if !s.member(id) {
			guests = append(guests, id)
		}
	}
	slices.Sort(guests)
	for _, id := range guests {
		m.Present = append(m.Present, Attendee{ID: id, Mode: s.Attended[id], Invited: slices.Contains(s.Invited, id)})
	}
	for _, mo := range s.Motions {
		if mo.Status == Proposed || mo.Mover == "" && mo.Ref == "" {
			continue
		}
		mm := MotionMinutes{ID: mo.ID, Kind: mo.Kind, Item: mo.Item, Text: mo.Text, Target: mo.Target, Mover: mo.Mover, Seconder: mo.Seconder,
			Ref: mo.Ref, Report: mo.Report, Committee: mo.Committee, Outcome: mo.Status, Recused: mo.Recused}
		for _, v := range mo.Votes {
			mm.Votes = append(mm.Votes, VoteNote{Method: v.Method, Outcome: v.Outcome, Counted: v.Counted, Yes: v.Yes, No: v.No, Abstain: v.Abstain,
				Eligible: len(v.Eligible), RollCall: rollCall(v)})
		}
		m.Motions = append(m.Motions, mm)
		if mo.Kind == Main && (mo.Status == Postponed || mo.Status == Unfinished || mo.Status == Tabled || mo.Status == Referred) {
			m.Carried = append(m.Carried, mo.ID)
		}
	}
	return m
}

func rollCall(v Result) map[string]string {
	if v.Method == RollCall {
		return v.Votes
	}
	return nil
}

// Markdown renders the minutes as text, naming people by names (IDs
// without a name are shown as they are).
func (m Minutes) Markdown(title string, names map[string]string) string {
	who := func(id string) string {
		if n, ok := names[id]; ok && n != "" {
			return n
		}
		return id
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", title)
	end := "not adjourned"
	if m.Ended != nil {
		end = "adjourned " + m.Ended.Format("15:04")
	}
	fmt.Fprintf(&b, "Called to order %s by %s; %s.", m.Started.Format("2006-01-02 15:04"), who(m.Chair), end)
	if m.Secretary != "" {
		fmt.Fprintf(&b, " Secretary: %s.", who(m.Secretary))
	}
	b.WriteString("\n\n## Attendance\n\n")
	members := 0
	for _, a := range m.Present {
		if a.Member {
			members++
		}
	}
	fmt.Fprintf(&b, "%d of %d members attended (quorum %d).", members, m.Members, m.Quorum)
	if m.SmallBoard {
		b.WriteString(" Small-board rules.")
	}
	b.WriteString("\n\n")
	for _, a := range m.Present {
		role := "member"
		switch {
		case a.Invited:
			role = "invited, without a vote"
		case !a.Member:
			role = "guest"
		}
		fmt.Fprintf(&b, "- %s (%s, %s)\n", who(a.ID), role, strings.ReplaceAll(a.Mode, "_", " "))
	}
	if len(m.Absent) > 0 {
		names := make([]string, len(m.Absent))
		for i, id := range m.Absent {
			names[i] = who(id)
		}
		fmt.Fprintf(&b, "\nAbsent: %s.\n", strings.Join(names, ", "))
	}
	b.WriteString("\n## Business\n\n")
	if len(m.Motions) == 0 {
		b.WriteString("No motions.\n")
	}
	for _, mo := range m.Motions {
		fmt.Fprintf(&b, "- **%s** %s", mo.ID, strings.ReplaceAll(string(mo.Kind), "_", " "))
		if mo.Target != "" {
			fmt.Fprintf(&b, " (on %s)", mo.Target)
		}
		if mo.Text != "" {
			fmt.Fprintf(&b, ": “%s”", mo.Text)
		}
		if mo.Mover != "" {
			fmt.Fprintf(&b, " — moved by %s", who(mo.Mover))
		}
		if mo.Seconder != "" {
			fmt.Fprintf(&b, ", seconded by %s", who(mo.Seconder))
		}
		if mo.Ref != "" {
			fmt.Fprintf(&b, " — carried from %s", mo.Ref)
		}
		if mo.Report != "" {
			fmt.Fprintf(&b, "; the committee reported: “%s”", mo.Report)
		}
		fmt.Fprintf(&b, ". **%s**", strings.ToUpper(strings.ReplaceAll(string(mo.Outcome), "_", " ")))
		for _, v := range mo.Votes {
			if v.Counted {
				fmt.Fprintf(&b, " (%s: %d–%d, %d abstaining, %d eligible)", strings.ReplaceAll(v.Method, "_", " "), v.Yes, v.No, v.Abstain, v.Eligible)
			} else {
				b.WriteString(" (voice vote)")
			}
		}
		if len(mo.Recused) > 0 {
			rs := make([]string, len(mo.Recused))
			for i, id := range mo.Recused {
				rs[i] = who(id)
			}
			fmt.Fprintf(&b, "; recused: %s", strings.Join(rs, ", "))
		}
		b.WriteString("\n")
	}
	if len(m.Rulings) > 0 {
		b.WriteString("\n## Points of order\n\n")
		for _, r := range m.Rulings {
			ruling := "not well taken"
			if r.Sustained {
				ruling = "well taken"
			}
			fmt.Fprintf(&b, "- %s raised: “%s”. The chair ruled the point %s: %s.", who(r.By), r.Point, ruling, r.Reason)
			i := slices.IndexFunc(m.Motions, func(mo MotionMinutes) bool { return mo.ID == r.Appealed })
			switch {
			case i < 0:
			case m.Motions[i].Outcome == Adopted:
				b.WriteString(" On appeal the ruling was sustained.")
			case m.Motions[i].Outcome == Lost:
				b.WriteString(" On appeal the ruling was reversed.")
			default:
				b.WriteString(" An appeal is pending.")
			}
			b.WriteString("\n")
		}
	}
	if len(m.Carried) > 0 {
		fmt.Fprintf(&b, "\nCarried to a later meeting: %s.\n", strings.Join(m.Carried, ", "))
	}
	return b.String()
}
