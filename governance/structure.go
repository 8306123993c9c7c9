package governance

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// update runs fn for the acting principal in a read-write transaction.
func (s *Service) update(ctx context.Context, community string, fn func(tx Tx, a actor) error) error {
	return s.store.Update(ctx, func(tx Tx) error {
		a, err := s.act(ctx, tx, community)
		if err != nil {
			return err
		}
		return fn(tx, a)
	})
}

// view runs fn for the acting principal in a read-only transaction.
func (s *Service) view(ctx context.Context, community string, fn func(tx Tx, a actor) error) error {
	return s.store.View(ctx, func(tx Tx) error {
		a, err := s.act(ctx, tx, community)
		if err != nil {
			return err
		}
		return fn(tx, a)
	})
}

// read is a one-record read for members of the community.
func read[T any](ctx context.Context, s *Service, community string, get func(tx Tx) (T, error)) (T, error) {
	var out T
	err := s.view(ctx, community, func(tx Tx, _ actor) (err error) {
		out, err = get(tx)
		return err
	})
	return out, err
}

// list is a find for members of the community.
func list[T any](ctx context.Context, s *Service, community string, page *grids.Page, find func(tx Tx) ([]T, int, error)) ([]T, int, error) {
	if page.Offset < 0 || page.Limit < 0 || page.Limit > grids.MaxLimit {
		return nil, 0, errs.Field("limit", "must be between 1 and %d (offset 0 or more)", grids.MaxLimit)
	}
	if page.Limit == 0 {
		page.Limit = grids.DefaultLimit
	}
	var out []T
	var n int
	err := s.view(ctx, community, func(tx Tx, _ actor) (err error) {
		out, n, err = find(tx)
		return err
	})
	return out, n, err
}

// ---- bodies ----

// CreateBody adds a committee (workers and the council) or a mutual-aid
// group (also the chair of the committee it belongs to).
func (s *Service) CreateBody(ctx context.Context, communityID string, in BodyInput) (Body, error) {
	now := s.clock()
	b := Body{ID: s.newID(), CommunityID: communityID, Kind: in.Kind, ParentID: in.ParentID, Name: in.Name, ChineseName: in.ChineseName,
		Remit: in.Remit, DistrictID: in.DistrictID, GridID: in.GridID, Schedule: in.Schedule, Seats: in.Seats, Tags: tagsOrNil(in.Tags), Meets: in.Meets, SmallBoard: in.SmallBoard, Quorum: in.Quorum, Proxies: in.Proxies,
		Stamps: grids.Stamps{CreatedAt: now, UpdatedAt: now}}
	if b.Kind != Committee && b.Kind != Group {
		return Body{}, errs.Field("kind", "must be committee or group: the council and think tank come from setting up governance")
	}
	if err := s.place(ctx, communityID, b.DistrictID, b.GridID); err != nil {
		return Body{}, err
	}
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		if b.Kind == Committee && b.ParentID == "" {
			b.ParentID = a.council
		}
		if err := b.Validate(); err != nil {
			return err
		}
		parent, err := activeBody(ctx, tx, communityID, b.ParentID, "parent_id")
		if err != nil {
			return err
		}
		want := map[BodyKind]BodyKind{Committee: Council, Group: Committee}[b.Kind]
		if parent.Kind != want {
			return errs.Field("parent_id", "a %s reports to a %s, not a %s", b.Kind, want, parent.Kind)
		}
		if !a.onCouncil() && !(b.Kind == Group && a.holds(parent.ID, Chair)) {
			return forbidden(ErrAssign)
		}
		return tx.CreateBody(ctx, b)
	})
	return b, err
}

// Body returns a body.
func (s *Service) Body(ctx context.Context, communityID, id string) (Body, error) {
	return read(ctx, s, communityID, func(tx Tx) (Body, error) { return tx.Body(ctx, communityID, id) })
}

// FindBodies lists bodies.
func (s *Service) FindBodies(ctx context.Context, f BodyFilter) ([]Body, int, error) {
	return list(ctx, s, f.CommunityID, &f.Page, func(tx Tx) ([]Body, int, error) { return tx.FindBodies(ctx, f) })
}

// UpdateBody changes a body: the council, workers, or its own chair.
func (s *Service) UpdateBody(ctx context.Context, communityID, id string, u BodyUpdate) (Body, error) {
	// The registry is read before the transaction, never inside it; only
	// the places the update names are checked.
	if err := s.place(ctx, communityID, deref(u.DistrictID), deref(u.GridID)); err != nil {
		return Body{}, err
	}
	var out Body
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		b, err := tx.Body(ctx, communityID, id)
		if err != nil {
			return err
		}
		if !a.chairs(b.ID) {
			return forbidden(ErrAssign)
		}
		if err := grids.Precondition(ctx, b); err != nil {
			return err
		}
		if b.Archived() {
			return ErrBodyState.Refuse("%s %q is archived", b.Kind, b.Name)
		}
		u.apply(&b)
		b.UpdatedAt = s.clock()
		if err := b.Validate(); err != nil {
			return err
		}
		if u.Seats != nil && b.Seats > 0 {
			now := s.clock()
			_, n, err := tx.FindPositions(ctx, PositionFilter{CommunityID: communityID, BodyID: b.ID, ActiveAt: &now, Page: grids.Page{Limit: 1}})
			if err != nil {
				return err
			}
			if b.Seats < n {
				return errs.Field("seats", "%d positions are held now; end some before cutting the seats to %d", n, b.Seats)
			}
		}
		out = b
		return tx.UpdateBody(ctx, b)
	})
	return out, err
}

// ArchiveBody dissolves a committee or group (workers and the council):
// its positions end, their history stays.
func (s *Service) ArchiveBody(ctx context.Context, communityID, id string, in grids.ArchiveInput) (Body, error) {
	if err := validate.Struct(in); err != nil {
		return Body{}, err
	}
	var out Body
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		if !a.onCouncil() {
			return forbidden(ErrAssign)
		}
		b, err := activeBody(ctx, tx, communityID, id, "id")
		if err != nil {
			return err
		}
		if b.Kind == Council || b.Kind == ThinkTank {
			return ErrBodyState.Refuse("the %s is not dissolved", b.Kind)
		}
		children, n, err := tx.FindBodies(ctx, BodyFilter{CommunityID: communityID, ParentID: b.ID, Page: grids.Page{Limit: 1}})
		if err != nil {
			return err
		}
		if n > 0 {
			return ErrBodyState.Refuse("%q still has %d active groups, %q among them: dissolve or move them first", b.Name, n, children[0].Name)
		}
		now := s.clock()
		if err := endAll(ctx, tx, PositionFilter{CommunityID: communityID, BodyID: b.ID}, in.Reason, now); err != nil {
			return err
		}
		b.ArchivedAt, b.ArchiveReason, b.UpdatedAt = &now, in.Reason, now
		out = b
		return tx.UpdateBody(ctx, b)
	})
	return out, err
}

// endAll ends every position f selects that is active now: a dissolved
// body's, an archived organisation's.
func endAll(ctx context.Context, tx Tx, f PositionFilter, reason string, now time.Time) error {
	f.ActiveAt = &now
	ps, _, err := tx.FindPositions(ctx, f)
	if err != nil {
		return err
	}
	for _, p := range ps {
		p.To, p.Ceased = &now, reason
		if err := tx.UpdatePosition(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

// ---- positions ----

// place a new position, checking the office exists in the body, its
// limits (one chair, the council's seats …) and that the holder does not
// already hold one there.
func (s *Service) seat(ctx context.Context, tx Tx, b Body, p Position) error {
	if err := p.Validate(); err != nil {
		return err
	}
	limit, ok := offices[b.Kind][p.Office]
	if !ok {
		return errs.Field("office", "a %s has no %s", b.Kind, p.Office)
	}
	if p.HolderKind == "organisation" && b.Kind != ThinkTank {
		return errs.Field("holder_kind", "organisations join the think tank; people hold positions elsewhere")
	}
	at := p.From
	held, _, err := tx.FindPositions(ctx, PositionFilter{CommunityID: b.CommunityID, BodyID: b.ID, ActiveAt: &at})
	if err != nil {
		return err
	}
	same := 0
	for _, h := range held {
		if h.HolderID == p.HolderID {
			return ErrHoldsPosition.Refuse("%s already holds a position in %q (%s since %s); end it first", p.HolderID, b.Name, h.Office, h.From.Format(time.DateOnly))
		}
		if h.Office == p.Office {
			same++
		}
	}
	if limit > 0 && same >= limit {
		return ErrOfficeFull.Refuse("%q already has its %d %s; end a term first", b.Name, limit, p.Office)
	}
	if b.Kind == Council && b.Seats > 0 && len(held) >= b.Seats {
		return ErrOfficeFull.Refuse("all %d seats of the council are held", b.Seats)
	}
	if b.Kind == Group && b.Seats > 0 {
		// An open invitation holds its place: only its resident takes it.
		open, _, err := tx.FindInvitations(ctx, InvitationFilter{CommunityID: b.CommunityID, GroupID: b.ID, State: InvitationOpen})
		if err != nil {
			return err
		}
		taken := len(held) + len(slices.DeleteFunc(open, func(i Invitation) bool { return i.ResidentID == p.HolderID }))
		if taken >= b.Seats {
			return ErrGroupFull.Refuse("%q is full: its %d places are taken or held by invitations", b.Name, b.Seats)
		}
	}
	return tx.CreatePosition(ctx, p)
}

// councilDecision checks a decision exists and is the council's.
func councilDecision(ctx context.Context, tx Tx, community, id, council string) (Decision, error) {
	d, err := tx.Decision(ctx, community, id)
	if errors.Is(err, errs.NotFound) {
		return d, errs.Field("decision_id", "no decision %s in this community", id)
	}
	if err != nil {
		return d, err
	}
	if d.BodyID != council {
		return d, errs.Field("decision_id", "appointments rest on a decision of the council; %s is another body's", id)
	}
	return d, nil
}

// Appoint appoints a resident to an office by a recorded council decision.
// Only the council appoints (its members, or workers recording for it).
func (s *Service) Appoint(ctx context.Context, communityID string, in AppointInput) (Position, error) {
	if err := validate.Struct(in); err != nil {
		return Position{}, err
	}
	if err := s.resident(ctx, communityID, in.ResidentID, "resident_id"); err != nil {
		return Position{}, err
	}
	var out Position
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		if !a.onCouncil() {
			return forbidden(ErrAppoint)
		}
		var err error
		out, err = s.appoint(ctx, tx, a, in)
		return err
	})
	return out, err
}

func (s *Service) appoint(ctx context.Context, tx Tx, a actor, in AppointInput) (Position, error) {
	b, err := activeBody(ctx, tx, a.community, in.BodyID, "body_id")
	if err != nil {
		return Position{}, err
	}
	d, err := councilDecision(ctx, tx, a.community, in.DecisionID, a.council)
	if err != nil {
		return Position{}, err
	}
	from := d.DecidedAt
	if in.From != nil {
		from = *in.From
	}
	if b.Kind != Council && (in.Constituency != "" || in.Represents != "") {
		return Position{}, errs.Field("constituency", "only council seats stand for a constituency")
	}
	if in.Represents != "" {
		if o, err := tx.Organisation(ctx, a.community, in.Represents); err != nil || o.Archived() {
			return Position{}, errs.Field("represents", "no active organisation %s in this community", in.Represents)
		}
	}
	p := Position{ID: s.newID(), CommunityID: a.community, BodyID: b.ID, HolderKind: "resident", HolderID: in.ResidentID, Office: in.Office,
		Constituency: in.Constituency, Represents: in.Represents, DecisionID: d.ID, From: normal(from), TermEnd: normalp(in.TermEnd), CreatedBy: a.ID}
	return p, s.seat(ctx, tx, b, p)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func normal(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func normalp(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	n := normal(*t)
	return &n
}

// AddMember adds a member to a group (its leader, or workers and the
// council) or to the think tank (workers): a resident, or, in the think
// tank, an organisation.
func (s *Service) AddMember(ctx context.Context, communityID, bodyID string, in MemberInput) (Position, error) {
	holderKind, holderID := in.HolderKind, in.HolderID
	if holderKind == "" {
		holderKind = "resident"
	}
	if err := validate.Struct(MemberInput{HolderKind: holderKind, HolderID: holderID}); err != nil {
		return Position{}, err
	}
	switch holderKind {
	case "resident":
		if err := s.resident(ctx, communityID, holderID, "holder_id"); err != nil {
			return Position{}, err
		}
	}
	var out Position
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		b, err := activeBody(ctx, tx, communityID, bodyID, "body_id")
		if err != nil {
			return err
		}
		switch {
		case b.Kind == Group && (a.onCouncil() || a.holds(b.ID, Leader)):
		case b.Kind == ThinkTank && a.administers():
		case b.Kind == Group:
			return forbidden(ErrLead)
		default:
			return forbidden(ErrAppoint)
		}
		if holderKind == "organisation" {
			if o, err := tx.Organisation(ctx, communityID, holderID); err != nil || o.Archived() {
				return errs.Field("holder_id", "no active organisation %s in this community", holderID)
			}
		}
		out = Position{ID: s.newID(), CommunityID: communityID, BodyID: b.ID, HolderKind: holderKind, HolderID: holderID, Office: Member, From: s.clock(), CreatedBy: a.ID}
		return s.seat(ctx, tx, b, out)
	})
	return out, err
}

// Join makes the acting resident a member of a group.
func (s *Service) Join(ctx context.Context, communityID, groupID string) (Position, error) {
	p, err := s.principal(ctx)
	if err != nil {
		return Position{}, err
	}
	if p.ResidentID == "" {
		return Position{}, forbidden(ErrJoin)
	}
	if err := s.resident(ctx, communityID, p.ResidentID, "resident_id"); err != nil {
		return Position{}, err
	}
	var out Position
	err = s.update(ctx, communityID, func(tx Tx, a actor) error {
		b, err := activeBody(ctx, tx, communityID, groupID, "id")
		if err != nil {
			return err
		}
		if b.Kind != Group {
			return ErrNotAGroup.Refuse("residents join mutual-aid groups; %q is a %s", b.Name, b.Kind)
		}
		out = Position{ID: s.newID(), CommunityID: communityID, BodyID: b.ID, HolderKind: "resident", HolderID: a.ResidentID, Office: Member, From: s.clock(), CreatedBy: a.ID}
		return s.seat(ctx, tx, b, out)
	})
	return out, err
}

// EndPosition ends a position: the council (with or without a decision),
// a group's leader for its members, or a member leaving a group.
func (s *Service) EndPosition(ctx context.Context, communityID, id string, in EndInput) (Position, error) {
	if err := validate.Struct(in); err != nil {
		return Position{}, err
	}
	var out Position
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		p, err := tx.Position(ctx, communityID, id)
		if err != nil {
			return err
		}
		now := s.clock()
		if p.To != nil {
			return ErrPositionEnded.Refuse("the position was ended already (%s, on %s)", p.Ceased, p.To.Format(time.DateOnly))
		}
		if p.TermEnd != nil && !p.TermEnd.After(now) {
			return ErrPositionEnded.Refuse("the position's term ended on %s", p.TermEnd.Format(time.DateOnly))
		}
		b, err := tx.Body(ctx, communityID, p.BodyID)
		if err != nil {
			return err
		}
		self := p.HolderKind == "resident" && p.HolderID == a.ResidentID && a.ResidentID != ""
		switch {
		case a.onCouncil():
		case b.Kind == Group && p.Office == Member && (self || a.holds(b.ID, Leader)):
		case b.Kind == Group:
			return forbidden(ErrLead)
		default:
			return forbidden(ErrAppoint)
		}
		if in.DecisionID != "" {
			if _, err := councilDecision(ctx, tx, communityID, in.DecisionID, a.council); err != nil {
				return err
			}
		}
		end := now
		if p.From.After(now) {
			end = p.From // withdrawn before it began: it never holds
		}
		p.To, p.Ceased = &end, in.Reason
		out = p
		return tx.UpdatePosition(ctx, p)
	})
	return out, err
}

// Renew carries a position on beyond its term by a council decision:
// the holder keeps the office in a new position from the old term's end
// (or from now, if it has lapsed) to the new term's end, resting on the
// decision; the old position is closed at its term's end. Positions are
// never written over, so who held what under which decision stays on
// record. Only the council renews.
func (s *Service) Renew(ctx context.Context, communityID, id string, in RenewInput) (Position, error) {
	if err := validate.Struct(in); err != nil {
		return Position{}, err
	}
	var out Position
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		if !a.onCouncil() {
			return forbidden(ErrAppoint)
		}
		old, err := tx.Position(ctx, communityID, id)
		if err != nil {
			return err
		}
		if old.To != nil {
			return ErrPositionEnded.Refuse("the position was ended (%s, on %s): appoint anew instead", old.Ceased, old.To.Format(time.DateOnly))
		}
		if old.TermEnd == nil {
			return ErrNoTerm.Refuse("the position has no term to renew")
		}
		d, err := councilDecision(ctx, tx, communityID, in.DecisionID, a.council)
		if err != nil {
			return err
		}
		from := *old.TermEnd
		if now := s.clock(); from.Before(now) {
			from = now
		}
		end := normal(in.TermEnd)
		if !end.After(from) {
			return errs.Field("term_end", "must come after %s, when the renewed term begins", from.Format(time.DateOnly))
		}
		b, err := activeBody(ctx, tx, communityID, old.BodyID, "id")
		if err != nil {
			return err
		}
		closed := *old.TermEnd
		old.To, old.Ceased = &closed, "renewed by decision "+d.ID
		if err := tx.UpdatePosition(ctx, old); err != nil {
			return err
		}
		out = Position{ID: s.newID(), CommunityID: communityID, BodyID: old.BodyID, HolderKind: old.HolderKind, HolderID: old.HolderID, Office: old.Office,
			Constituency: old.Constituency, Represents: old.Represents, DecisionID: d.ID, From: normal(from), TermEnd: &end, CreatedBy: a.ID}
		return s.seat(ctx, tx, b, out)
	})
	return out, err
}

// Leave ends the acting resident's membership of a group.
func (s *Service) Leave(ctx context.Context, communityID, groupID string) (Position, error) {
	p, err := s.principal(ctx)
	if err != nil {
		return Position{}, err
	}
	var id string
	err = s.store.View(ctx, func(tx Tx) error {
		now := s.clock()
		ps, _, err := tx.FindPositions(ctx, PositionFilter{CommunityID: communityID, BodyID: groupID, HolderID: p.ResidentID, Office: Member, ActiveAt: &now})
		if err != nil {
			return err
		}
		if p.ResidentID == "" || len(ps) == 0 {
			return ErrNotInGroup.Refuse("you are not a member of this group")
		}
		id = ps[0].ID
		return nil
	})
	if err != nil {
		return Position{}, err
	}
	return s.EndPosition(ctx, communityID, id, EndInput{Reason: "left the group"})
}

// Position returns a position.
func (s *Service) Position(ctx context.Context, communityID, id string) (Position, error) {
	return read(ctx, s, communityID, func(tx Tx) (Position, error) { return tx.Position(ctx, communityID, id) })
}

// FindPositions lists positions, past and present: who held what, when.
func (s *Service) FindPositions(ctx context.Context, f PositionFilter) ([]Position, int, error) {
	return list(ctx, s, f.CommunityID, &f.Page, func(tx Tx) ([]Position, int, error) { return tx.FindPositions(ctx, f) })
}

// ---- organisations ----

// checkCommittees checks an organisation's committees.
func checkCommittees(ctx context.Context, tx Tx, o Organisation) error {
	for i, c := range o.CommitteeIDs {
		b, err := activeBody(ctx, tx, o.CommunityID, c, "committee_ids")
		if err != nil {
			return err
		}
		if b.Kind != Committee {
			return errs.Field("committee_ids", "committee_ids[%d] is a %s", i, b.Kind)
		}
	}
	return nil
}

// RegisterOrganisation registers a social organisation (workers).
func (s *Service) RegisterOrganisation(ctx context.Context, communityID string, in OrganisationInput) (Organisation, error) {
	now := s.clock()
	o := Organisation{ID: s.newID(), CommunityID: communityID, Name: in.Name, Kind: in.Kind, Origin: in.Origin, Purpose: in.Purpose,
		Contact: in.Contact, CommitteeIDs: sortedIDs(in.CommitteeIDs), Stamps: grids.Stamps{CreatedAt: now, UpdatedAt: now}}
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		if !a.administers() {
			return forbidden(ErrAdminist)
		}
		if err := o.Validate(); err != nil {
			return err
		}
		if err := checkCommittees(ctx, tx, o); err != nil {
			return err
		}
		return tx.CreateOrganisation(ctx, o)
	})
	return o, err
}

func sortedIDs(s []string) []string {
	out := slices.Clone(s)
	if out == nil {
		out = []string{}
	}
	slices.Sort(out)
	return out
}

// Organisation returns an organisation.
func (s *Service) Organisation(ctx context.Context, communityID, id string) (Organisation, error) {
	return read(ctx, s, communityID, func(tx Tx) (Organisation, error) { return tx.Organisation(ctx, communityID, id) })
}

// FindOrganisations lists organisations.
func (s *Service) FindOrganisations(ctx context.Context, f OrganisationFilter) ([]Organisation, int, error) {
	return list(ctx, s, f.CommunityID, &f.Page, func(tx Tx) ([]Organisation, int, error) { return tx.FindOrganisations(ctx, f) })
}

// UpdateOrganisation changes an organisation (workers).
func (s *Service) UpdateOrganisation(ctx context.Context, communityID, id string, u OrganisationUpdate) (Organisation, error) {
	var out Organisation
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		if !a.administers() {
			return forbidden(ErrAdminist)
		}
		o, err := tx.Organisation(ctx, communityID, id)
		if err != nil {
			return err
		}
		if err := grids.Precondition(ctx, o); err != nil {
			return err
		}
		u.apply(&o)
		o.CommitteeIDs, o.UpdatedAt = sortedIDs(o.CommitteeIDs), s.clock()
		if err := o.Validate(); err != nil {
			return err
		}
		if err := checkCommittees(ctx, tx, o); err != nil {
			return err
		}
		out = o
		return tx.UpdateOrganisation(ctx, o)
	})
	return out, err
}

// ArchiveOrganisation records that an organisation no longer works in the
// community (workers); its record and its think-tank history stay, its
// active think-tank membership ends.
func (s *Service) ArchiveOrganisation(ctx context.Context, communityID, id string, in grids.ArchiveInput) (Organisation, error) {
	if err := validate.Struct(in); err != nil {
		return Organisation{}, err
	}
	var out Organisation
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		if !a.administers() {
			return forbidden(ErrAdminist)
		}
		o, err := tx.Organisation(ctx, communityID, id)
		if err != nil {
			return err
		}
		if o.Archived() {
			return ErrOrganisationArchived.Refuse("organisation %q is archived already", o.Name)
		}
		now := s.clock()
		if err := endAll(ctx, tx, PositionFilter{CommunityID: communityID, HolderID: o.ID}, in.Reason, now); err != nil {
			return err
		}
		o.ArchivedAt, o.ArchiveReason, o.UpdatedAt = &now, in.Reason, now
		out = o
		return tx.UpdateOrganisation(ctx, o)
	})
	return out, err
}

// ---- decisions ----

// RecordDecision records a decision of the council (its members, or a
// worker as its secretary) or of a body whose chair records it.
func (s *Service) RecordDecision(ctx context.Context, communityID string, in DecisionInput) (Decision, error) {
	now := s.clock()
	d := Decision{ID: s.newID(), CommunityID: communityID, BodyID: in.BodyID, Title: in.Title, Text: in.Text, DecidedAt: now, MeetingID: in.MeetingID, CreatedAt: now}
	if in.DecidedAt != nil {
		d.DecidedAt = normal(*in.DecidedAt)
	}
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		if d.BodyID == "" {
			if a.council == "" {
				return ErrNoCouncil.Refusal()
			}
			d.BodyID = a.council
		}
		b, err := activeBody(ctx, tx, communityID, d.BodyID, "body_id")
		if err != nil {
			return err
		}
		if b.Kind == Council && !a.onCouncil() || b.Kind != Council && !a.chairs(b.ID) {
			return forbidden(ErrRecord)
		}
		d.RecordedBy = a.ID
		if err := validate.Struct(d); err != nil {
			return err
		}
		if d.DecidedAt.After(now) {
			return errs.Field("decided_at", "a decision is recorded once taken, not before")
		}
		if d.MeetingID != "" {
			m, err := tx.Meeting(ctx, communityID, d.MeetingID)
			if err != nil {
				return errs.Field("meeting_id", "no meeting %s in this community", d.MeetingID)
			}
			if m.Kind.deliberates() {
				return ErrRecommend.Refuse("a %s takes no binding vote, so records no decision: it recommends, and the committee or the council decides", m.Kind)
			}
		}
		return tx.CreateDecision(ctx, d)
	})
	return d, err
}

// Decision returns a decision.
func (s *Service) Decision(ctx context.Context, communityID, id string) (Decision, error) {
	return read(ctx, s, communityID, func(tx Tx) (Decision, error) { return tx.Decision(ctx, communityID, id) })
}

// FindDecisions lists decisions.
func (s *Service) FindDecisions(ctx context.Context, f DecisionFilter) ([]Decision, int, error) {
	return list(ctx, s, f.CommunityID, &f.Page, func(tx Tx) ([]Decision, int, error) { return tx.FindDecisions(ctx, f) })
}

// ---- nominations ----

// Nominate puts a resident forward for an office: the acting resident
// themself (no ResidentID, or their own), or another whom they recommend.
func (s *Service) Nominate(ctx context.Context, communityID string, in NominationInput) (Nomination, error) {
	p, err := s.principal(ctx)
	if err != nil {
		return Nomination{}, err
	}
	now := s.clock()
	n := Nomination{ID: s.newID(), CommunityID: communityID, ResidentID: in.ResidentID, BodyID: in.BodyID, Office: in.Office,
		Statement: in.Statement, BriefingID: in.BriefingID, Status: Pending, CreatedAt: now, UpdatedAt: now}
	switch {
	case n.ResidentID == "" || n.ResidentID == p.ResidentID && p.ResidentID != "":
		if p.ResidentID == "" {
			return Nomination{}, errs.Field("resident_id", "name the resident you recommend")
		}
		n.ResidentID, n.Self = p.ResidentID, true
	case p.ResidentID != "":
		n.RecommendedBy = p.ResidentID
	case !p.Administers(communityID):
		return Nomination{}, forbidden(ErrNominate)
	}
	if err := n.Validate(); err != nil {
		return Nomination{}, err
	}
	if err := s.resident(ctx, communityID, n.ResidentID, "resident_id"); err != nil {
		return Nomination{}, err
	}
	err = s.update(ctx, communityID, func(tx Tx, a actor) error {
		b, err := activeBody(ctx, tx, communityID, n.BodyID, "body_id")
		if err != nil {
			return err
		}
		if _, ok := offices[b.Kind][n.Office]; !ok {
			return errs.Field("office", "a %s has no %s", b.Kind, n.Office)
		}
		if n.BriefingID != "" {
			br, err := tx.Briefing(ctx, communityID, n.BriefingID)
			if errors.Is(err, errs.NotFound) {
				return errs.Field("briefing_id", "no briefing %s in this community", n.BriefingID)
			}
			if err != nil {
				return err
			}
			if !slices.ContainsFunc(br.Candidates, func(c Candidate) bool { return c.ResidentID == n.ResidentID }) {
				return errs.Field("briefing_id", "the briefing of %s did not name %s a candidate leader", br.HeldAt.Format(time.DateOnly), n.ResidentID)
			}
		}
		return tx.CreateNomination(ctx, n)
	})
	return n, err
}

// ReviewNomination reviews a pending nomination (workers and the
// council): approved ones go to the council, others are rejected.
func (s *Service) ReviewNomination(ctx context.Context, communityID, id string, in ReviewInput) (Nomination, error) {
	if err := validate.Struct(in); err != nil {
		return Nomination{}, err
	}
	var out Nomination
	err := s.update(ctx, communityID, func(tx Tx, a actor) error {
		if !a.onCouncil() {
			return forbidden(ErrAppoint)
		}
		n, err := tx.Nomination(ctx, communityID, id)
		if err != nil {
			return err
		}
		if n.Status != Pending {
			return ErrNominationState.Refuse("the nomination is %s, not pending", n.Status)
		}
		n.Status, n.Review, n.ReviewedBy, n.UpdatedAt = Reviewed, in.Note, a.ID, s.clock()
		if !in.Approve {
			n.Status = Rejected
		}
		out = n
		return tx.UpdateNomination(ctx, n)
	})
	return out, err
}

// AppointNomination appoints a reviewed nominee by a council decision.
func (s *Service) AppointNomination(ctx context.Context, communityID, id string, in NominationAppointInput) (Nomination, error) {
	if err := validate.Struct(in); err != nil {
		return Nomination{}, err
	}
	n, err := s.Nomination(ctx, communityID, id)
	if err != nil {
		return Nomination{}, err
	}
	if err := s.resident(ctx, communityID, n.ResidentID, "resident_id"); err != nil {
		return Nomination{}, err
	}
	var out Nomination
	err = s.update(ctx, communityID, func(tx Tx, a actor) error {
		if !a.onCouncil() {
			return forbidden(ErrAppoint)
		}
		n, err := tx.Nomination(ctx, communityID, id)
		if err != nil {
			return err
		}
		if n.Status != Reviewed {
			return ErrNominationState.Refuse("a nomination is appointed once reviewed and approved; this one is %s", n.Status)
		}
		p, err := s.appoint(ctx, tx, a, AppointInput{BodyID: n.BodyID, ResidentID: n.ResidentID, Office: n.Office, DecisionID: in.DecisionID, TermEnd: in.TermEnd})
		if err != nil {
			return err
		}
		n.Status, n.DecisionID, n.PositionID, n.UpdatedAt = Appointed, in.DecisionID, p.ID, s.clock()
		out = n
		return tx.UpdateNomination(ctx, n)
	})
	return out, err
}

// Nomination returns a nomination.
func (s *Service) Nomination(ctx context.Context, communityID, id string) (Nomination, error) {
	return read(ctx, s, communityID, func(tx Tx) (Nomination, error) { return tx.Nomination(ctx, communityID, id) })
}

// FindNominations lists nominations.
func (s *Service) FindNominations(ctx context.Context, f NominationFilter) ([]Nomination, int, error) {
	return list(ctx, s, f.CommunityID, &f.Page, func(tx Tx) ([]Nomination, int, error) { return tx.FindNominations(ctx, f) })
}
