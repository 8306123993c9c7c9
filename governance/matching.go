package governance

import (
	"cmp"
	"context"
	"errors"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// Residents matched to mutual-aid groups. The case regrouped residents by
// interest, need and surroundings; grids regroup whole buildings, and this
// is the other half: for a district, RecommendGroups proposes for each
// resident with interests or needs the groups whose purpose (Body.Tags)
// shares one, near where they live and within each group's size
// (Body.Seats). A worker confirms proposals as invitations (ConfirmMatches); the
// resident accepts one and so joins the group, or declines it.

// DefaultWithinMetres is how far from home a proposed group may meet,
// when a match asks for no distance: about a ten-minute walk.
const DefaultWithinMetres = 800

// MatchInput asks for proposals for one district.
type MatchInput struct {
	DistrictID string `json:"district_id" validate:"required,ulid"`
	// WithinMetres bounds the distance from a resident's building to where
	// a group meets (DefaultWithinMetres if 0).
	WithinMetres int `json:"within_metres,omitempty" validate:"gte=0,lte=20000"`
	// PerResident is how many groups a resident is proposed at most (1 if 0).
	PerResident int `json:"per_resident,omitempty" validate:"gte=0,lte=5"`
}

// Proposal is one group proposed to one resident: the tags they share and
// the distance from the resident's building to where the group meets.
type Proposal struct {
	ResidentID string   `json:"resident_id" validate:"required,ulid"`
	GroupID    string   `json:"group_id" validate:"required,ulid"`
	Tags       []string `json:"tags,omitempty"`
	Metres     int      `json:"metres"`
}

// Matching is a district's proposals and how well they serve it: of the
// district's residents with an interest or need (Tagged), those some
// group's purpose serves (Served, at any distance), those proposed a
// group now (Matched) or in or invited to one already (Already); the
// tagged residents left out, by why; and the distances of the proposals.
type Matching struct {
	DistrictID   string `json:"district_id"`
	WithinMetres int    `json:"within_metres"`
	Residents    int    `json:"residents"`
	Tagged       int    `json:"tagged"`
	Served       int    `json:"served"`
	Matched      int    `json:"matched"`
	// Already: tagged residents in, or invited to, a group serving them
	// (they are proposed no more).
	Already int `json:"already"`
	// MatchedPerMille is the share of Tagged that were Matched or are
	// Already placed, in thousandths (exact integer arithmetic).
	MatchedPerMille int `json:"matched_per_mille"`
	// Why tagged residents were not matched: no group serves their tags,
	// those that do meet too far away, or they are full.
	NoGroup int `json:"no_group"`
	TooFar  int `json:"too_far"`
	Full    int `json:"full"`
	// Distances of the proposals, in metres.
	MeanMetres   int        `json:"mean_metres"`
	MedianMetres int        `json:"median_metres"`
	MaxMetres    int        `json:"max_metres"`
	Proposals    []Proposal `json:"proposals"`
}

// InvitationState is where an invitation stands.
type InvitationState string

// The states of an invitation.
const (
	InvitationOpen     InvitationState = "open"
	InvitationAccepted InvitationState = "accepted"
	InvitationDeclined InvitationState = "declined"
)

// Invitation is a proposal a worker confirmed: the resident is invited to
// join the group, and accepts (becoming a member) or declines. A worker
// may enter the answer a resident gave in person (AnsweredBy says who).
type Invitation struct {
	ID          string          `json:"id" validate:"ulid"`
	CommunityID string          `json:"community_id" validate:"ulid"`
	GroupID     string          `json:"group_id" validate:"required,ulid"`
	ResidentID  string          `json:"resident_id" validate:"required,ulid"`
	Tags        []string        `json:"tags" validate:"max=64,dive,tag"`
	Metres      int             `json:"metres" validate:"gte=0"`
	State       InvitationState `json:"state" validate:"oneof=open accepted declined"`
	InvitedBy   string          `json:"invited_by"`
	AnsweredBy  string          `json:"answered_by,omitempty"`
	PositionID  string          `json:"position_id,omitempty" validate:"omitempty,ulid"`
	CreatedAt   time.Time       `json:"created_at"`
	AnsweredAt  *time.Time      `json:"answered_at,omitempty"`
}

// Validate checks every field.
func (i Invitation) Validate() error { return validate.Struct(i) }

// ConfirmInput confirms proposals as invitations.
type ConfirmInput struct {
	Proposals []Proposal `json:"proposals" validate:"required,min=1,max=1000,dive"`
}

// ReplyInput is a resident's answer to an invitation.
type ReplyInput struct {
	Accept bool `json:"accept"`
}

// InvitationFilter selects invitations.
type InvitationFilter struct {
	CommunityID string
	GroupID     string
	ResidentID  string
	State       InvitationState
	grids.Page
}

// home is where a resident lives, for matching.
type home struct {
	resident   grids.Resident
	gridID     string
	districtID string
	at         *grids.Location
}

// place is where a group meets: the middle of its grid's buildings (or its
// district's, for a group rooted in a district only).
type place struct {
	group  Body
	at     *grids.Location
	room   int // places left; -1 for no limit
	member map[string]bool
}

// RecommendGroups proposes groups to a district's residents (workers). It
// changes nothing: a worker confirms the proposals with ConfirmMatches.
func (s *Service) RecommendGroups(ctx context.Context, communityID string, in MatchInput) (Matching, error) {
	if err := validate.Struct(in); err != nil {
		return Matching{}, err
	}
	if in.WithinMetres == 0 {
		in.WithinMetres = DefaultWithinMetres
	}
	if in.PerResident == 0 {
		in.PerResident = 1
	}
	var groups []Body
	members := map[string]map[string]bool{}
	invited := map[[2]string]bool{}
	pending := map[string]int{} // group → its open invitations
	err := s.view(ctx, communityID, func(tx Tx, a actor) error {
		if !a.administers() {
			return forbidden(ErrMatch)
		}
		var err error
		groups, _, err = tx.FindBodies(ctx, BodyFilter{CommunityID: communityID, Kind: Group, State: grids.Active})
		if err != nil {
			return err
		}
		for _, g := range groups {
			members[g.ID] = map[string]bool{}
		}
		now := s.clock()
		ps, _, err := tx.FindPositions(ctx, PositionFilter{CommunityID: communityID, ActiveAt: &now, Page: grids.Page{NoTotal: true}})
		if err != nil {
			return err
		}
		for _, p := range ps {
			if m, ok := members[p.BodyID]; ok {
				m[p.HolderID] = true
			}
		}
		open, _, err := tx.FindInvitations(ctx, InvitationFilter{CommunityID: communityID, State: InvitationOpen, Page: grids.Page{NoTotal: true}})
		for _, i := range open {
			invited[[2]string{i.ResidentID, i.GroupID}] = true
			pending[i.GroupID]++
		}
		return err
	})
	if err != nil {
		return Matching{}, err
	}
	homes, places, err := s.matchingMap(ctx, communityID, in.DistrictID, nil, groups)
	if err != nil {
		return Matching{}, err
	}
	for i := range places {
		p := &places[i]
		p.member = members[p.group.ID]
		p.room = -1
		if p.group.Seats > 0 {
			p.room = max(0, p.group.Seats-len(p.member)-pending[p.group.ID])
		}
	}
	return match(in, homes, places, invited), nil
}

// matchingMap reads where residents live (a district's active residents,
// or those named) and where every group meets.
func (s *Service) matchingMap(ctx context.Context, communityID, districtID string, residentIDs []string, groups []Body) ([]home, []place, error) {
	var homes []home
	var places []place
	err := s.registry.View(ctx, func(tx grids.Tx) error {
		if districtID != "" {
			if _, err := tx.District(ctx, communityID, districtID); err != nil {
				if errors.Is(err, errs.NotFound) {
					return errs.Field("district_id", "no district %s in this community", districtID)
				}
				return err
			}
		}
		gs, _, err := tx.FindGrids(ctx, grids.GridFilter{CommunityID: communityID, Page: grids.Page{NoTotal: true}})
		if err != nil {
			return err
		}
		districtOf := map[string]string{}
		for _, g := range gs {
			districtOf[g.ID] = g.DistrictID
		}
		bs, _, err := tx.FindBuildings(ctx, grids.BuildingFilter{CommunityID: communityID, State: grids.Active, Page: grids.Page{NoTotal: true}})
		if err != nil {
			return err
		}
		building := map[string]grids.Building{}
		for _, b := range bs {
			building[b.ID] = b
		}
		for _, g := range groups {
			places = append(places, place{group: g, at: middle(bs, func(b grids.Building) bool {
				if g.GridID != "" {
					return b.GridID == g.GridID
				}
				return b.GridID != "" && districtOf[b.GridID] == g.DistrictID
			})})
		}
		var rs []grids.Resident
		household := map[string]grids.Household{}
		if districtID != "" {
			hs, _, err := tx.FindHouseholds(ctx, grids.HouseholdFilter{CommunityID: communityID, DistrictID: districtID, State: grids.Active, Page: grids.Page{NoTotal: true}})
			if err != nil {
				return err
			}
			for _, h := range hs {
				household[h.ID] = h
			}
			if rs, _, err = tx.FindResidents(ctx, grids.ResidentFilter{CommunityID: communityID, DistrictID: districtID, State: grids.Active, Page: grids.Page{NoTotal: true}}); err != nil {
				return err
			}
		}
		for i, id := range residentIDs {
			if slices.ContainsFunc(rs, func(r grids.Resident) bool { return r.ID == id }) {
				continue
			}
			r, err := tx.Resident(ctx, communityID, id)
			if errors.Is(err, errs.NotFound) || err == nil && r.Archived() {
				return errs.Field(fieldOf(i, "resident_id"), "no active resident %s in this community", id)
			}
			if err != nil {
				return err
			}
			h, err := tx.Household(ctx, communityID, r.HouseholdID)
			if err != nil {
				return err
			}
			household[h.ID] = h
			rs = append(rs, r)
		}
		for _, r := range rs {
			b := building[household[r.HouseholdID].BuildingID]
			homes = append(homes, home{resident: r, gridID: b.GridID, districtID: districtOf[b.GridID], at: b.Location})
		}
		return nil
	})
	return homes, places, err
}

// middle is the mean location of the located buildings that are in.
func middle(bs []grids.Building, in func(grids.Building) bool) *grids.Location {
	var lat, lng float64
	n := 0
	for _, b := range bs {
		if b.Location != nil && in(b) {
			lat, lng, n = lat+b.Location.Lat, lng+b.Location.Lng, n+1
		}
	}
	if n == 0 {
		return nil
	}
	return &grids.Location{Lat: lat / float64(n), Lng: lng / float64(n)}
}

// metres between two locations (equirectangular: exact enough within a
// city). Without both locations, a group is near only to residents of its
// own grid or district, at distance 0.
func metres(h home, p place) (int, bool) {
	if h.at == nil || p.at == nil {
		if p.group.GridID != "" {
			return 0, h.gridID == p.group.GridID
		}
		return 0, h.districtID == p.group.DistrictID
	}
	const perDegree = 111_320.0
	rad := math.Pi / 180
	dx := (p.at.Lng - h.at.Lng) * perDegree * math.Cos((p.at.Lat+h.at.Lat)/2*rad)
	dy := (p.at.Lat - h.at.Lat) * perDegree
	return int(math.Round(math.Hypot(dx, dy))), true
}

// shared is the resident's interests and needs the group serves.
func shared(r grids.Resident, g Body) []string {
	var out []string
	for _, t := range g.Tags {
		if slices.Contains(r.Interests, t) || slices.Contains(r.Needs, t) {
			out = append(out, t)
		}
	}
	return out
}

// match proposes groups: residents with the fewest groups in reach choose
// first (so those with one choice are not crowded out by those with
// many), each the group sharing the most tags, then the nearest, while it
// has room.
func match(in MatchInput, homes []home, places []place, invited map[[2]string]bool) Matching {
	m := Matching{DistrictID: in.DistrictID, WithinMetres: in.WithinMetres, Residents: len(homes), Proposals: []Proposal{}}
	type option struct {
		place  int
		tags   []string
		metres int
	}
	type seeker struct {
		home    int
		options []option
	}
	var seekers []seeker
	for hi, h := range homes {
		r := h.resident
		if len(r.Interests) == 0 && len(r.Needs) == 0 {
			continue
		}
		m.Tagged++
		served, near, already := false, false, false
		var opts []option
		for pi, p := range places {
			tags := shared(r, p.group)
			if len(tags) == 0 {
				continue
			}
			served = true
			if p.member[r.ID] || invited[[2]string{r.ID, p.group.ID}] {
				already = true
				continue
			}
			d, ok := metres(h, p)
			if !ok || d > in.WithinMetres {
				continue
			}
			near = true
			opts = append(opts, option{pi, tags, d})
		}
		switch {
		case !served:
			m.NoGroup++
			continue
		case already:
			m.Served++
			m.Already++
			continue
		case !near:
			m.Served++
			m.TooFar++
			continue
		}
		m.Served++
		slices.SortFunc(opts, func(a, b option) int {
			return cmp.Or(cmp.Compare(len(b.tags), len(a.tags)), cmp.Compare(a.metres, b.metres), cmp.Compare(places[a.place].group.ID, places[b.place].group.ID))
		})
		seekers = append(seekers, seeker{hi, opts})
	}
	slices.SortStableFunc(seekers, func(a, b seeker) int {
		return cmp.Or(cmp.Compare(len(a.options), len(b.options)), cmp.Compare(homes[a.home].resident.ID, homes[b.home].resident.ID))
	})
	room := make([]int, len(places))
	for i, p := range places {
		room[i] = p.room
	}
	// Each round gives every seeker its best group with room that it has
	// not been given: next[i] is where seeker i's search resumes.
	given := make([]int, len(homes))
	next := make([]int, len(seekers))
	for range in.PerResident {
		for i, sk := range seekers {
			for ; next[i] < len(sk.options); next[i]++ {
				o := sk.options[next[i]]
				if room[o.place] == 0 {
					continue
				}
				if room[o.place] > 0 {
					room[o.place]--
				}
				given[sk.home]++
				m.Proposals = append(m.Proposals, Proposal{ResidentID: homes[sk.home].resident.ID, GroupID: places[o.place].group.ID, Tags: o.tags, Metres: o.metres})
				next[i]++
				break
			}
		}
	}
	var ds []int
	for _, sk := range seekers {
		if given[sk.home] > 0 {
			m.Matched++
		} else {
			m.Full++
		}
	}
	for _, p := range m.Proposals {
		ds = append(ds, p.Metres)
	}
	if len(ds) > 0 {
		slices.Sort(ds)
		sum := 0
		for _, d := range ds {
			sum += d
		}
		m.MeanMetres, m.MedianMetres, m.MaxMetres = (sum+len(ds)/2)/len(ds), ds[len(ds)/2], ds[len(ds)-1]
	}
	if m.Tagged > 0 {
		m.MatchedPerMille = (m.Matched + m.Already) * 1000 / m.Tagged
	}
	slices.SortFunc(m.Proposals, func(a, b Proposal) int {
		return cmp.Or(cmp.Compare(a.ResidentID, b.ResidentID), cmp.Compare(a.GroupID, b.GroupID))
	})
	return m
}

// ConfirmMatches confirms proposals as invitations (workers). Each is checked
// again: the resident is active and lives in the community, the group is
// active and serves one of their tags, they are not in it or already
// invited to it, and it has room for every member and open invitation.
// The distance is the one RecommendGroups measured, recomputed.
func (s *Service) ConfirmMatches(ctx context.Context, communityID string, in ConfirmInput) ([]Invitation, error) {
	if err := validate.Struct(in); err != nil {
		return nil, err
	}
	seen := map[[2]string]bool{}
	for i, p := range in.Proposals {
		k := [2]string{p.ResidentID, p.GroupID}
		if seen[k] {
			return nil, errs.Field(fieldOf(i, "group_id"), "this resident is invited to this group twice")
		}
		seen[k] = true
	}
	var groups []Body
	err := s.view(ctx, communityID, func(tx Tx, a actor) error {
		if !a.administers() {
			return forbidden(ErrMatch)
		}
		for i, p := range in.Proposals {
			b, err := activeBody(ctx, tx, communityID, p.GroupID, fieldOf(i, "group_id"))
			if err != nil {
				return err
			}
			if b.Kind != Group {
				return ErrNotAGroup.Refuse("residents are invited to mutual-aid groups; %q is a %s", b.Name, b.Kind)
			}
			if !slices.ContainsFunc(groups, func(g Body) bool { return g.ID == b.ID }) {
				groups = append(groups, b)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Where each resident lives and each group meets, measured as
	// RecommendGroups does.
	var ids []string
	for _, p := range in.Proposals {
		ids = append(ids, p.ResidentID)
	}
	homes, places, err := s.matchingMap(ctx, communityID, "", ids, groups)
	if err != nil {
		return nil, err
	}
	residents := map[string]grids.Resident{}
	dist := map[[2]string]int{}
	for _, h := range homes {
		residents[h.resident.ID] = h.resident
		for _, p := range places {
			d, ok := metres(h, p)
			if !ok {
				d = -1
			}
			dist[[2]string{h.resident.ID, p.group.ID}] = d
		}
	}
	var out []Invitation
	err = s.update(ctx, communityID, func(tx Tx, a actor) error {
		if !a.administers() {
			return forbidden(ErrMatch)
		}
		out = out[:0]
		now := s.clock()
		// Each group is read once: its members, those invited, the places
		// taken, counted on as invitations are made.
		type groupNow struct {
			Body
			members, invited map[string]bool
			taken            int
		}
		seen := map[string]*groupNow{}
		for i, p := range in.Proposals {
			g := seen[p.GroupID]
			if g == nil {
				b, err := activeBody(ctx, tx, communityID, p.GroupID, fieldOf(i, "group_id"))
				if err != nil {
					return err
				}
				g = &groupNow{Body: b, members: map[string]bool{}, invited: map[string]bool{}}
				ps, _, err := tx.FindPositions(ctx, PositionFilter{CommunityID: communityID, BodyID: b.ID, ActiveAt: &now, Page: grids.Page{NoTotal: true}})
				if err != nil {
					return err
				}
				for _, p := range ps {
					g.members[p.HolderID] = true
				}
				open, _, err := tx.FindInvitations(ctx, InvitationFilter{CommunityID: communityID, GroupID: b.ID, State: InvitationOpen, Page: grids.Page{NoTotal: true}})
				if err != nil {
					return err
				}
				for _, o := range open {
					g.invited[o.ResidentID] = true
				}
				g.taken = len(g.members) + len(open)
				seen[b.ID] = g
			}
			r := residents[p.ResidentID]
			tags := shared(r, g.Body)
			if len(tags) == 0 {
				return ErrNoMatch.Refuse("%q serves none of the interests and needs of resident %s", g.Name, r.ID)
			}
			d := dist[[2]string{r.ID, g.ID}]
			if d < 0 {
				return ErrNoMatch.Refuse("resident %s lives neither near %q nor in its grid or district", r.ID, g.Name)
			}
			if g.members[r.ID] {
				return ErrHoldsPosition.Refuse("resident %s is already in %q", r.ID, g.Name)
			}
			if g.invited[r.ID] {
				return ErrInvited.Refuse("resident %s is already invited to %q", r.ID, g.Name)
			}
			if g.Seats > 0 && g.taken >= g.Seats {
				return ErrGroupFull.Refuse("%q has no room: %d places taken by members and open invitations of its %d", g.Name, g.taken, g.Seats)
			}
			inv := Invitation{ID: s.newID(), CommunityID: communityID, GroupID: g.ID, ResidentID: r.ID, Tags: tags, Metres: d,
				State: InvitationOpen, InvitedBy: a.who(), CreatedAt: now}
			if err := inv.Validate(); err != nil {
				return err
			}
			if err := tx.CreateInvitation(ctx, inv); err != nil {
				return err
			}
			g.invited[r.ID] = true
			g.taken++
			out = append(out, inv)
		}
		return nil
	})
	return out, err
}

func fieldOf(i int, name string) string { return "proposals[" + strconv.Itoa(i) + "]." + name }

// ReplyToInvitation records a resident's answer: accepting makes them a
// member of the group (if it still has room), in the same transaction.
// The invited resident answers, or a worker enters the answer they gave
// in person or on paper.
func (s *Service) ReplyToInvitation(ctx context.Context, communityID, id string, in ReplyInput) (Invitation, error) {
	var out Invitation
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		inv, err := tx.Invitation(ctx, communityID, id)
		if err != nil {
			return err
		}
		if a.ResidentID != inv.ResidentID && !a.administers() {
			return forbidden(ErrJoin)
		}
		if err := grids.Precondition(ctx, inv); err != nil {
			return err
		}
		if inv.State != InvitationOpen {
			return ErrInvitationState.Refuse("the invitation was %s", inv.State)
		}
		now := s.clock()
		inv.State, inv.AnsweredBy, inv.AnsweredAt = InvitationDeclined, a.who(), &now
		if in.Accept {
			g, err := activeBody(ctx, tx, communityID, inv.GroupID, "group_id")
			if err != nil {
				return err
			}
			// The invitation held its place: the group's size counts it.
			p := Position{ID: s.newID(), CommunityID: communityID, BodyID: g.ID, HolderKind: "resident", HolderID: inv.ResidentID, Office: Member, From: now, CreatedBy: a.ID}
			if err := s.seat(ctx, tx, g, p); err != nil {
				return err
			}
			inv.State, inv.PositionID = InvitationAccepted, p.ID
		}
		out = inv
		return tx.UpdateInvitation(ctx, inv)
	})
	return out, err
}

// Invitation returns an invitation (workers and the invited resident).
func (s *Service) Invitation(ctx context.Context, communityID, id string) (Invitation, error) {
	var out Invitation
	err := s.view(ctx, communityID, func(tx Tx, a actor) error {
		inv, err := tx.Invitation(ctx, communityID, id)
		if err != nil {
			return err
		}
		if a.ResidentID != inv.ResidentID && !a.administers() {
			return errs.E(errs.NotFound, "invitation %s not found", id)
		}
		out = inv
		return nil
	})
	return out, err
}

// FindInvitations lists invitations: workers see all, a resident their own.
func (s *Service) FindInvitations(ctx context.Context, f InvitationFilter) ([]Invitation, int, error) {
	var out []Invitation
	var n int
	page, err := f.Page.Checked()
	if err != nil {
		return nil, 0, err
	}
	f.Page = page
	err = s.view(ctx, f.CommunityID, func(tx Tx, a actor) error {
		if !a.administers() {
			if a.ResidentID == "" {
				return forbidden(ErrMatch)
			}
			f.ResidentID = a.ResidentID
		}
		out, n, err = tx.FindInvitations(ctx, f)
		return err
	})
	return out, n, err
}
