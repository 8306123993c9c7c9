package governance

import (
	"context"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
)

// Evaluation counts what the case reports for a period: groups formed,
// activities held, new volunteers (residents whose first activity ever
// fell in the period), service hours and kinds of service — in total and
// per body.
type Evaluation struct {
	CommunityID  string        `json:"community_id"`
	From         time.Time     `json:"from"`
	To           time.Time     `json:"to"`
	GroupsFormed int           `json:"groups_formed"`
	Figures      Figures       `json:"figures"`
	Bodies       []BodyFigures `json:"bodies"`
}

// Figures are the activity counts of a body or of everyone.
type Figures struct {
	Activities    int             `json:"activities"`
	Volunteers    int             `json:"volunteers"`     // residents who took part
	NewVolunteers int             `json:"new_volunteers"` // whose first activity ever was in the period
	ServiceHours  decimal.Decimal `json:"service_hours"`
	Services      []string        `json:"services"` // the kinds of service, sorted
}

// BodyFigures are a body's figures; a committee's Including adds its
// groups'. Heads are who led it (the council's and committees' chairs,
// groups' leaders) during the period, each clipped to it, as positions
// held them: a term that ended without renewal ends the headship.
// UnledDays counts the whole days of the period, from the body's
// creation, that it had no head.
type BodyFigures struct {
	BodyID    string   `json:"body_id"`
	Name      string   `json:"name"`
	Kind      BodyKind `json:"kind"`
	Figures   Figures  `json:"figures"`
	Including *Figures `json:"including_groups,omitempty"`
	Heads     []Tenure `json:"heads,omitempty"`
	UnledDays int      `json:"unled_days"`
}

// Tenure is a resident's holding of an office over part of a period.
type Tenure struct {
	ResidentID string    `json:"resident_id"`
	Office     Office    `json:"office"`
	From       time.Time `json:"from"`
	To         time.Time `json:"to"`
}

// head is the office that leads a kind of body ("" for the think tank).
func head(k BodyKind) Office {
	switch k {
	case Council, Committee:
		return Chair
	case Group:
		return Leader
	}
	return ""
}

// headships clips a body's head positions to [from, to) and counts the
// whole days in [max(from, created), to) that none held.
func headships(ps []Position, office Office, created, from, to time.Time) ([]Tenure, int) {
	var out []Tenure
	for _, p := range ps {
		if p.Office != office || p.HolderKind != "resident" {
			continue
		}
		start, end := p.From, to
		if u := p.Until(); u != nil && u.Before(end) {
			end = *u
		}
		if start.Before(from) {
			start = from
		}
		if !end.After(start) {
			continue
		}
		out = append(out, Tenure{ResidentID: p.HolderID, Office: office, From: start, To: end})
	}
	slices.SortFunc(out, func(a, b Tenure) int { return a.From.Compare(b.From) })
	if created.After(from) {
		from = created
	}
	if !to.After(from) {
		return out, 0
	}
	// Led time: the union of the tenures within [from, to).
	led, cursor := time.Duration(0), from
	for _, t := range out {
		s, e := t.From, t.To
		if s.Before(cursor) {
			s = cursor
		}
		if e.After(s) {
			led += e.Sub(s)
			cursor = e
		}
	}
	return out, int((to.Sub(from) - led) / (24 * time.Hour))
}

// tally accumulates figures.
type tally struct {
	activities int
	minutes    int
	volunteers map[string]bool
	fresh      map[string]bool
	services   map[string]bool
}

func newTally() *tally {
	return &tally{volunteers: map[string]bool{}, fresh: map[string]bool{}, services: map[string]bool{}}
}

func (t *tally) add(a Activity, first map[string]time.Time, from, to time.Time) {
	t.activities++
	t.services[a.Service] = true
	for _, p := range a.Participants {
		t.minutes += p.Minutes
		t.volunteers[p.ResidentID] = true
		if f, ok := first[p.ResidentID]; ok && !f.Before(from) && f.Before(to) {
			t.fresh[p.ResidentID] = true
		}
	}
}

func (t *tally) figures() Figures {
	services := make([]string, 0, len(t.services))
	for s := range t.services {
		services = append(services, s)
	}
	slices.Sort(services)
	return Figures{Activities: t.activities, Volunteers: len(t.volunteers), NewVolunteers: len(t.fresh), ServiceHours: Hours(t.minutes), Services: services}
}

// Evaluate counts the community's figures for activities starting in
// [from, to). Every member of the community may read them.
func (s *Service) Evaluate(ctx context.Context, communityID string, from, to time.Time) (Evaluation, error) {
	p, err := s.principal(ctx)
	if err != nil {
		return Evaluation{}, err
	}
	if err := member(p, communityID); err != nil {
		return Evaluation{}, err
	}
	if !to.After(from) {
		return Evaluation{}, errs.Field("to", "must come after from")
	}
	ev := Evaluation{CommunityID: communityID, From: from, To: to, Bodies: []BodyFigures{}}
	err = s.store.View(ctx, func(tx Tx) error {
		bodies, _, err := tx.FindBodies(ctx, BodyFilter{CommunityID: communityID, State: grids.AnyState})
		if err != nil {
			return err
		}
		acts, _, err := tx.FindActivities(ctx, ActivityFilter{CommunityID: communityID, From: &from, To: &to})
		if err != nil {
			return err
		}
		first, err := tx.FirstParticipations(ctx, communityID)
		if err != nil {
			return err
		}
		positions, _, err := tx.FindPositions(ctx, PositionFilter{CommunityID: communityID, Page: grids.Page{NoTotal: true}})
		if err != nil {
			return err
		}
		byBody := map[string][]Position{}
		for _, p := range positions {
			byBody[p.BodyID] = append(byBody[p.BodyID], p)
		}
		parent := make(map[string]string, len(bodies))
		for _, b := range bodies {
			if b.Kind == Group {
				parent[b.ID] = b.ParentID
			}
		}
		total := newTally()
		per, including := map[string]*tally{}, map[string]*tally{}
		tallyOf := func(m map[string]*tally, id string) *tally {
			if m[id] == nil {
				m[id] = newTally()
			}
			return m[id]
		}
		for _, a := range acts {
			total.add(a, first, from, to)
			tallyOf(per, a.BodyID).add(a, first, from, to)
			tallyOf(including, a.BodyID).add(a, first, from, to)
			if p, ok := parent[a.BodyID]; ok {
				tallyOf(including, p).add(a, first, from, to)
			}
		}
		ev.Figures = total.figures()
		for _, b := range bodies {
			if b.Kind == Group && !b.CreatedAt.Before(from) && b.CreatedAt.Before(to) {
				ev.GroupsFormed++
			}
			bf := BodyFigures{BodyID: b.ID, Name: b.Name, Kind: b.Kind, Figures: tallyOf(per, b.ID).figures()}
			if b.Kind == Committee {
				f := tallyOf(including, b.ID).figures()
				bf.Including = &f
			}
			if office := head(b.Kind); office != "" {
				bf.Heads, bf.UnledDays = headships(byBody[b.ID], office, b.CreatedAt, from, to)
			}
			ev.Bodies = append(ev.Bodies, bf)
		}
		return nil
	})
	return ev, err
}
