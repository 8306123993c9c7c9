package governance

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/linli-go/linli/grids"
)

// TestMatch: the proposals for small districts, case by case.
func TestMatch(t *testing.T) {
	loc := func(metresNorth float64) *grids.Location {
		return &grids.Location{Lat: 31.5 + metresNorth/111_320, Lng: 120.3}
	}
	r := func(id string, tags ...string) grids.Resident { return grids.Resident{ID: id, Interests: tags} }
	g := func(id string, room int, tags ...string) place {
		return place{group: Body{ID: id, GridID: "grid", Tags: tags}, at: loc(0), room: room, member: map[string]bool{}}
	}
	at := func(res grids.Resident, north float64) home {
		return home{resident: res, gridID: "grid", at: loc(north)}
	}
	type got struct {
		proposals                               map[string][]string
		matched, full, tooFar, noGroup, already int
	}
	for _, tc := range []struct {
		name   string
		in     MatchInput
		homes  []home
		places []place
		want   got
	}{
		{"nearest of two with the same tags",
			MatchInput{WithinMetres: 800, PerResident: 1},
			[]home{at(r("a", "tai_chi"), 300)},
			[]place{{group: Body{ID: "far", Tags: []string{"tai_chi"}}, at: loc(-400), room: -1}, {group: Body{ID: "near", Tags: []string{"tai_chi"}}, at: loc(0), room: -1}},
			got{proposals: map[string][]string{"a": {"near"}}, matched: 1}},
		{"more shared tags before nearer",
			MatchInput{WithinMetres: 800, PerResident: 1},
			[]home{at(r("a", "tai_chi", "choir"), 0)},
			[]place{g("one", -1, "tai_chi"), {group: Body{ID: "two", Tags: []string{"tai_chi", "choir"}}, at: loc(500), room: -1}},
			got{proposals: map[string][]string{"a": {"two"}}, matched: 1}},
		{"fewer choices first: the one with a single choice gets the last place",
			MatchInput{WithinMetres: 800, PerResident: 1},
			[]home{at(r("a", "tai_chi", "choir"), 0), at(r("b", "tai_chi"), 0)},
			[]place{g("taichi", 1, "tai_chi"), g("choir", 5, "choir")},
			got{proposals: map[string][]string{"a": {"choir"}, "b": {"taichi"}}, matched: 2}},
		{"two per resident, within each group's room",
			MatchInput{WithinMetres: 800, PerResident: 2},
			[]home{at(r("a", "tai_chi", "choir", "chess_cards"), 0), at(r("b", "tai_chi"), 0)},
			[]place{g("taichi", 1, "tai_chi"), g("choir", 5, "choir"), g("chess", -1, "chess_cards")},
			got{proposals: map[string][]string{"a": {"chess", "choir"}, "b": {"taichi"}}, matched: 2}},
		{"full, too far, no group, already in one, untagged",
			MatchInput{WithinMetres: 500, PerResident: 1},
			[]home{at(r("full", "tai_chi"), 0), at(r("far", "choir"), 900), at(r("none", "knitting"), 0), at(r("in", "chess_cards"), 0), at(r("untagged"), 0)},
			[]place{g("taichi", 0, "tai_chi"), g("choir", -1, "choir"), {group: Body{ID: "chess", GridID: "grid", Tags: []string{"chess_cards"}}, at: loc(0), room: -1, member: map[string]bool{"in": true}}},
			got{proposals: map[string][]string{}, full: 1, tooFar: 1, noGroup: 1, already: 1}},
		{"without locations: only groups of the resident's own grid",
			MatchInput{WithinMetres: 500, PerResident: 1},
			[]home{{resident: r("here", "tai_chi"), gridID: "grid"}, {resident: r("there", "tai_chi"), gridID: "other"}},
			[]place{{group: Body{ID: "taichi", GridID: "grid", Tags: []string{"tai_chi"}}, room: -1}},
			got{proposals: map[string][]string{"here": {"taichi"}}, matched: 1, tooFar: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := match(tc.in, tc.homes, tc.places, map[[2]string]bool{})
			props := map[string][]string{}
			for _, p := range m.Proposals {
				props[p.ResidentID] = append(props[p.ResidentID], p.GroupID)
				assert.LessOrEqual(t, p.Metres, tc.in.WithinMetres)
				assert.NotEmpty(t, p.Tags)
			}
			assert.Equal(t, tc.want, got{props, m.Matched, m.Full, m.TooFar, m.NoGroup, m.Already})
		})
	}
}
