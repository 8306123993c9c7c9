package outcome

import (
	"slices"
	"time"

	"github.com/linli-go/linli/governance"
)

// Total is the outcome table of several communities over one period: what
// a platform serving them reports (over shards too: each community's table
// is read on its own shard). Every line is summed over the communities,
// except KindsOfService: kinds are named by each community, and a sum
// would count one kind once for each, so it is the most any community has.
type Total struct {
	From        time.Time `json:"from"`
	To          time.Time `json:"to"`
	Communities int       `json:"communities"`
	Lines
}

// Sum adds tables of one period (each a community's) into a Total over
// from and to. Residents, volunteers among them, belong to one community,
// so their counts add exactly.
func Sum(from, to time.Time, tables ...Table) Total {
	t := Total{From: from, To: to, Communities: len(tables), Lines: noLines()}
	held := map[governance.MeetingKind]int{}
	var kinds []governance.MeetingKind
	for _, c := range tables {
		t.CouncilMeetings += c.CouncilMeetings
		t.Hearings += c.Hearings
		t.Markets += c.Markets
		t.Activities += c.Activities
		t.GroupsFormed += c.GroupsFormed
		t.Volunteers += c.Volunteers
		t.NewVolunteers += c.NewVolunteers
		t.ServiceHours = t.ServiceHours.Add(c.ServiceHours)
		t.KindsOfService = max(t.KindsOfService, c.KindsOfService)
		t.Enterprises += c.Enterprises
		t.DonatedItems += c.DonatedItems
		t.PointsIssued = t.PointsIssued.Add(c.PointsIssued)
		t.PointsRedeemed = t.PointsRedeemed.Add(c.PointsRedeemed)
		t.Projects += c.Projects
		t.MoneyGranted = t.MoneyGranted.Add(c.MoneyGranted)
		t.MoneySpent = t.MoneySpent.Add(c.MoneySpent)
		t.Contributions = t.Contributions.Add(c.Contributions)
		for _, m := range c.Meetings {
			if _, ok := held[m.Kind]; !ok {
				kinds = append(kinds, m.Kind)
			}
			held[m.Kind] += m.Held
		}
	}
	slices.SortStableFunc(kinds, func(a, b governance.MeetingKind) int { return rank(a) - rank(b) })
	for _, k := range kinds {
		t.Meetings = append(t.Meetings, MeetingCount{Kind: k, Held: held[k]})
	}
	return t
}

// rank is k's place in meetingKinds, kinds not in it last.
func rank(k governance.MeetingKind) int {
	if i := slices.Index(meetingKinds, k); i >= 0 {
		return i
	}
	return len(meetingKinds)
}
