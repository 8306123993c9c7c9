package governancetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/governancedemo"
	"github.com/linli-go/linli/governance/procedure"
	"github.com/linli-go/linli/grids"
)

// RunBenchmarks measures the service over a store on the demo's history
// (governancedemo: 24 groups, 126 activities, 361 volunteers): the
// evaluation of the period, recording an activity, and reading who holds
// what.
func RunBenchmarks(b *testing.B, newStores NewStores) {
	g, r := newStores(b)
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("bench"))
	reg := grids.NewRegistry(r, grids.Options{})
	c, err := reg.CreateCommunity(ctx, grids.CommunityInput{Name: "水秀社区"})
	if err != nil {
		b.Fatal(err)
	}
	d, err := reg.CreateDistrict(ctx, c.ID, grids.DistrictInput{Name: "第一片区"})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := reg.CreateGrid(ctx, c.ID, grids.GridInput{DistrictID: d.ID, Name: "1-1"}); err != nil {
		b.Fatal(err)
	}
	var buildings, households, residents strings.Builder
	buildings.WriteString("name\n1号\n")
	households.WriteString("building,unit,size\n")
	residents.WriteString("building,unit,name,sex,birth_year\n")
	for i := range governancedemo.Residents {
		fmt.Fprintf(&households, "1号,%d,1\n", i)
		fmt.Fprintf(&residents, "1号,%d,居民%d,female,%d\n", i, i, 1940+i%60)
	}
	if _, err := reg.Import(ctx, c.ID, grids.ImportFiles{Buildings: strings.NewReader(buildings.String()),
		Households: strings.NewReader(households.String()), Residents: strings.NewReader(residents.String())}, grids.ImportOptions{}); err != nil {
		b.Fatal(err)
	}
	end := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	if _, err := governancedemo.Seed(ctx, g, r, c.ID, end, 1); err != nil {
		b.Fatal(err)
	}
	svc := governance.NewService(g, r, governance.Options{Now: func() time.Time { return end }})
	from, to := governancedemo.Period(end)

	b.Run("Evaluate", func(b *testing.B) {
		for b.Loop() {
			ev, err := svc.Evaluate(ctx, c.ID, from, to)
			if err != nil || ev.Figures.Activities != governancedemo.Activities {
				b.Fatalf("%v: %d activities", err, ev.Figures.Activities)
			}
		}
	})
	groups, _, err := svc.FindBodies(ctx, governance.BodyFilter{CommunityID: c.ID, Kind: governance.Group, Page: grids.Page{Limit: 1}})
	if err != nil {
		b.Fatal(err)
	}
	members, _, err := svc.FindPositions(ctx, governance.PositionFilter{CommunityID: c.ID, BodyID: groups[0].ID, ActiveAt: &end})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("RecordActivity15", func(b *testing.B) {
		in := governance.ActivityInput{BodyID: groups[0].ID, Title: "楼道清扫", Service: "cleaning", Start: end.Add(-3 * time.Hour), End: end.Add(-time.Hour)}
		for _, m := range members {
			in.Participants = append(in.Participants, governance.Participant{ResidentID: m.HolderID, Minutes: 90})
		}
		for b.Loop() {
			if _, err := svc.RecordActivity(ctx, c.ID, in); err != nil {
				b.Fatal(err)
			}
		}
	})
	regular, _, err := svc.FindMeetings(ctx, governance.MeetingFilter{CommunityID: c.ID, Kind: governance.RegularMeeting, Page: grids.Page{Limit: 100}})
	if err != nil || len(regular) == 0 {
		b.Fatalf("%v: %d meetings", err, len(regular))
	}
	busiest := regular[0]
	for _, m := range regular {
		if m.Events > busiest.Events {
			busiest = m
		}
	}
	b.Run(fmt.Sprintf("MeetingState%dEvents", busiest.Events), func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.MeetingState(ctx, c.ID, busiest.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Minutes", func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.Minutes(ctx, c.ID, busiest.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
	// A whole small meeting of the council through the store: open, six
	// arrive, a motion, a show of hands, adjourn — 12 moves.
	council, _, err := svc.FindBodies(ctx, governance.BodyFilter{CommunityID: c.ID, Kind: governance.Council})
	if err != nil {
		b.Fatal(err)
	}
	seated, _, err := svc.FindPositions(ctx, governance.PositionFilter{CommunityID: c.ID, BodyID: council[0].ID, ActiveAt: &end})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("HoldCouncilMeeting", func(b *testing.B) {
		at := end
		for b.Loop() {
			at = at.Add(time.Hour)
			m, err := svc.ScheduleMeeting(ctx, c.ID, governance.MeetingInput{BodyID: council[0].ID, Kind: governance.SpecialMeeting, Title: "临时会议", ScheduledAt: at})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := svc.OpenMeeting(ctx, c.ID, m.ID); err != nil {
				b.Fatal(err)
			}
			moves := []procedure.Event{}
			for _, p := range seated[:6] {
				moves = append(moves, procedure.Event{Type: procedure.Arrive, Member: p.HolderID, Mode: procedure.InPerson})
			}
			moves = append(moves, procedure.Event{Type: procedure.Move, Kind: procedure.Main, Text: "动议"},
				procedure.Event{Type: procedure.CallVote, Method: procedure.Hands}, procedure.Event{Type: procedure.Tally, Yes: 6},
				procedure.Event{Type: procedure.CloseVote}, procedure.Event{Type: procedure.Move, Kind: procedure.Adjourn},
				procedure.Event{Type: procedure.CallVote, Method: procedure.Voice}, procedure.Event{Type: procedure.CloseVote, Outcome: "adopted"})
			for _, e := range moves {
				who := seated[0].HolderID // the chair
				switch e.Type {
				case procedure.Arrive:
					who = e.Member
				case procedure.Move:
					who = seated[1].HolderID
				case procedure.Tally:
					who = seated[3].HolderID // the secretary
				}
				as := grids.WithPrincipal(context.Background(), grids.Principal{ID: "p", CommunityID: c.ID, Name: "p", Roles: []grids.Role{grids.RoleResident}, ResidentID: who})
				if _, err := svc.Act(as, c.ID, m.ID, e); err != nil {
					b.Fatalf("%s: %v", e.Type, err)
				}
			}
		}
	})
	b.Run("ActivePositionsOfGroup", func(b *testing.B) {
		for b.Loop() {
			if _, n, err := svc.FindPositions(ctx, governance.PositionFilter{CommunityID: c.ID, BodyID: groups[0].ID, ActiveAt: &end}); err != nil || n != len(members) {
				b.Fatalf("%v: %d positions", err, n)
			}
		}
	})
}
