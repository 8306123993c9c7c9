package outcome

import (
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/governance"
)

// Total is the outcome table of several communities over one period: what
// a platform serving them reports (over shards too: each community's table
// is read on its own shard).
type Total struct {
	From        time.Time `json:"from"`
	To          time.Time `json:"to"`
	Communities int       `json:"communities"`
	// Every line of Table summed over the communities, except
	// KindsOfService: kinds are named by each community, and a sum would
	// count one kind once for each, so it is the most any community has.
	CouncilMeetings int             `json:"council_meetings"`
	Meetings        []MeetingCount  `json:"meetings"`
	Hearings        int             `json:"hearings"`
	Markets         int             `json:"markets"`
	Activities      int             `json:"activities"`
	GroupsFormed    int             `json:"groups_formed"`
	Volunteers      int             `json:"volunteers"`
	NewVolunteers   int             `json:"new_volunteers"`
	ServiceHours    decimal.Decimal `json:"service_hours"`
	KindsOfService  int             `json:"kinds_of_service"`
	Enterprises     int             `json:"partner_enterprises"`
	DonatedItems    int64           `json:"donated_items"`
	PointsIssued    decimal.Decimal `json:"points_issued"`
	PointsRedeemed  decimal.Decimal `json:"points_redeemed"`
	Projects        int             `json:"projects"`
	MoneyGranted    decimal.Decimal `json:"money_granted"`
	MoneySpent      decimal.Decimal `json:"money_spent"`
	Contributions   decimal.Decimal `json:"contributions"`
}

// Sum adds tables of one period (each a community's) into a Total over
// from and to. Residents, volunteers among them, belong to one community,
// so their counts add exactly.
func Sum(from, to time.Time, tables ...Table) Total {
	t := Total{From: from, To: to, Communities: len(tables), Meetings: []MeetingCount{}, ServiceHours: decimal.Zero, PointsIssued: decimal.Zero,
		PointsRedeemed: decimal.Zero, MoneyGranted: decimal.Zero, MoneySpent: decimal.Zero, Contributions: decimal.Zero}
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
	order := []governance.MeetingKind{governance.RegularMeeting, governance.SpecialMeeting, governance.Assembly,
		governance.Hearing, governance.Consultation, governance.OpenSpace}
	slices.SortStableFunc(kinds, func(a, b governance.MeetingKind) int { return rank(order, a) - rank(order, b) })
	for _, k := range kinds {
		t.Meetings = append(t.Meetings, MeetingCount{Kind: k, Held: held[k]})
	}
	return t
}

// rank is k's place in order, kinds not in it last.
func rank(order []governance.MeetingKind, k governance.MeetingKind) int {
	if i := slices.Index(order, k); i >= 0 {
		return i
	}
	return len(order)
}
