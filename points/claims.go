package points

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/grids/record"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// ClaimInput claims points for service at an activity.
type ClaimInput struct {
	// ID, if given, makes a retry safe: a claim with this ID that exists
	// is returned unchanged.
	ID         string `json:"id,omitempty" validate:"omitempty,ulid"`
	ActivityID string `json:"activity_id" validate:"required,ulid"`
	// ResidentID is the volunteer; the acting resident if empty.
	ResidentID string `json:"resident_id,omitempty" validate:"omitempty,ulid"`
	// Minutes of service; the minutes the activity recorded if 0.
	Minutes int `json:"minutes,omitempty" validate:"gte=0,lte=1440"`
	// Leading: the organiser's claim earns the leader bonus.
	Leading  bool     `json:"leading,omitempty"`
	Evidence Evidence `json:"evidence"`
}

// ActivityClaimInput claims for every recorded participant of an activity
// at once: the organiser's sign-in sheet.
type ActivityClaimInput struct {
	Evidence Evidence `json:"evidence"`
	// Organiser also claims for the organiser, leading, when they are not
	// on the list of participants.
	Organiser bool `json:"organiser,omitempty"`
}

// VerifyInput approves or rejects a claim.
type VerifyInput struct {
	Approve bool   `json:"approve"`
	Note    string `json:"note,omitempty" validate:"omitempty,multiline,max=1000"`
}

// CorrectInput reverses a verified claim's points.
type CorrectInput struct {
	Reason string `json:"reason" validate:"required,multiline,max=1000"`
}

// activity loads an activity of governance.
func (s *Service) activity(ctx context.Context, community, id string) (governance.Activity, error) {
	a, err := s.governance.Activity(ctx, community, id)
	if errors.Is(err, errs.NotFound) {
		return a, errs.Field("activity_id", "no activity %s in this community", id)
	}
	return a, err
}

// participation is the service a resident may claim at an activity: the
// minutes recorded for them, or for an organiser not on the list, the
// activity's length.
func participation(a governance.Activity, resident string) (int, bool) {
	for _, p := range a.Participants {
		if p.ResidentID == resident {
			return p.Minutes, true
		}
	}
	if a.OrganiserID == resident {
		return int(a.End.Sub(a.Start) / time.Minute), true
	}
	return 0, false
}

// Claim records a volunteer's service at an activity; its points are
// pending until a second person verifies it.
func (s *Service) Claim(ctx context.Context, communityID string, in ClaimInput) (Claim, error) {
	p, err := s.gate.Member(ctx, communityID)
	if err != nil {
		return Claim{}, err
	}
	if err := validate.Struct(in); err != nil {
		return Claim{}, err
	}
	if in.ResidentID == "" {
		if p.ResidentID == "" {
			return Claim{}, errs.Field("resident_id", "is required: the acting principal is not a resident")
		}
		in.ResidentID = p.ResidentID
	}
	a, err := s.activity(ctx, communityID, in.ActivityID)
	if err != nil {
		return Claim{}, err
	}
	organiser := a.OrganiserID != "" && p.ResidentID == a.OrganiserID
	if p.ResidentID != in.ResidentID && !organiser && !p.Administers(communityID) {
		return Claim{}, forbidden(ErrClaimForOthers)
	}
	if in.ID != "" {
		if c, err := s.existingClaim(ctx, communityID, in.ID); err == nil {
			if c.ActivityID != in.ActivityID || c.ResidentID != in.ResidentID {
				return Claim{}, ErrIDReused.Refuse("claim %s exists for another activity or resident", in.ID)
			}
			return c, nil
		}
	}
	if _, err := s.resident(ctx, communityID, in.ResidentID, "resident_id"); err != nil {
		return Claim{}, err
	}
	cs, err := s.claim(ctx, p, a, []ClaimInput{in})
	if err != nil {
		return Claim{}, err
	}
	return cs[0], nil
}

func (s *Service) existingClaim(ctx context.Context, community, id string) (Claim, error) {
	var c Claim
	err := s.view(ctx, func(tx Tx) error {
		var err error
		c, err = tx.Claims().Get(ctx, community, id)
		return err
	})
	return c, err
}

// ClaimActivity claims for every recorded participant of an activity who
// has no claim there yet (and, if asked, for its organiser, leading); the
// organiser or a worker does it from the sign-in sheet.
func (s *Service) ClaimActivity(ctx context.Context, communityID, activityID string, in ActivityClaimInput) ([]Claim, error) {
	p, err := s.gate.Member(ctx, communityID)
	if err != nil {
		return nil, err
	}
	if err := validate.Struct(in); err != nil {
		return nil, err
	}
	a, err := s.activity(ctx, communityID, activityID)
	if err != nil {
		return nil, err
	}
	if !(a.OrganiserID != "" && p.ResidentID == a.OrganiserID) && !p.Administers(communityID) {
		return nil, forbidden(ErrClaimForOthers)
	}
	var have []Claim
	if err := s.view(ctx, func(tx Tx) error {
		var err error
		have, _, err = tx.Claims().Find(ctx, record.Filter{CommunityID: communityID, RefID: activityID})
		return err
	}); err != nil {
		return nil, err
	}
	claimed := func(r string) bool {
		return slices.ContainsFunc(have, func(c Claim) bool { return c.ResidentID == r && c.Status != Rejected })
	}
	var ins []ClaimInput
	for _, pt := range a.Participants {
		if !claimed(pt.ResidentID) {
			ins = append(ins, ClaimInput{ActivityID: a.ID, ResidentID: pt.ResidentID, Leading: pt.ResidentID == a.OrganiserID, Evidence: in.Evidence})
		}
	}
	if in.Organiser && a.OrganiserID != "" && !claimed(a.OrganiserID) && !slices.ContainsFunc(a.Participants, func(pt governance.Participant) bool { return pt.ResidentID == a.OrganiserID }) {
		ins = append(ins, ClaimInput{ActivityID: a.ID, ResidentID: a.OrganiserID, Leading: true, Evidence: in.Evidence})
	}
	if len(ins) == 0 {
		return []Claim{}, nil
	}
	return s.claim(ctx, p, a, ins)
}

// claim prices claims at one activity, holds their points (pending
// transfers to the passbooks) and records them, in one transaction: the
// caps count every claim recorded before it. A claim whose ID is taken
// already is returned as it is, if it is the same claim.
func (s *Service) claim(ctx context.Context, p grids.Principal, a governance.Activity, ins []ClaimInput) ([]Claim, error) {
	community := a.CommunityID
	now := s.clock()
	if a.End.After(now) {
		return nil, ErrActivityNotOver.Refuse("the activity has not ended yet: claim service once it is done")
	}
	for i := range ins {
		if ins[i].ID == "" {
			ins[i].ID = s.newID()
		}
	}
	var out []Claim
	err := s.update(ctx, func(tx Tx) error {
		out = out[:0]
		pol, err := current(ctx, tx, community)
		if err != nil {
			return err
		}
		bk := booksOf(tx, community)
		accts := []ledger.Account{bankAccount(community)}
		for _, in := range ins {
			accts = append(accts, passbookAccount(community, in.ResidentID))
		}
		if err := bk.Ensure(ctx, accts...); err != nil {
			return err
		}
		var fresh []Claim
		for i, in := range ins {
			if c, err := tx.Claims().Get(ctx, community, in.ID); err == nil {
				if c.ActivityID != in.ActivityID || c.ResidentID != in.ResidentID {
					return ErrIDReused.Refuse("claim %s exists for another activity or resident", in.ID)
				}
				out = append(out, c)
				continue
			}
			acct, err := bk.Account(ctx, passbookAccount(community, in.ResidentID).ID)
			if err != nil {
				return err
			}
			c, err := s.price(ctx, tx, pol, a, in, acct, fresh)
			if err != nil {
				if len(ins) > 1 {
					return fmt.Errorf("claim %d (resident %s): %w", i, in.ResidentID, err)
				}
				return err
			}
			c.ClaimedBy, c.ClaimedAt = p.ID, now
			fresh = append(fresh, c)
			out = append(out, c)
		}
		var ts []ledger.Transfer
		for _, c := range fresh {
			if t, ok := earning(c); ok {
				ts = append(ts, t)
			}
		}
		if len(ts) > 0 {
			rs, err := bk.CreateTransfers(ctx, ts)
			if err != nil {
				return err
			}
			for i, r := range rs {
				if r != ledger.Ok {
					return errs.Internalf("points: pending earning %s: %s", ts[i].ID, r)
				}
			}
		}
		for _, c := range fresh {
			if err := tx.Claims().Create(ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// earning is a claim's pending transfer, if it earns anything.
func earning(c Claim) (ledger.Transfer, bool) {
	u, _ := units("points", c.Points)
	if u <= 0 {
		return ledger.Transfer{}, false
	}
	return ledger.Transfer{
		ID: transferID(c.CommunityID, c.ID, "earn"), DebitAccountID: bankAccount(c.CommunityID).ID, CreditAccountID: passbookAccount(c.CommunityID, c.ResidentID).ID,
		Amount: u, UserData128: owner(c.ID), UserData64: uint64(c.PolicyVersion), Ledger: LedgerPoints, Code: CodeEarn, Flags: ledger.Pending,
	}, true
}

// correction reverses a verified claim's earning.
func correction(c Claim, earned ledger.Transfer) ledger.Transfer {
	return ledger.Transfer{
		ID: transferID(c.CommunityID, c.ID, "correction"), DebitAccountID: earned.CreditAccountID, CreditAccountID: earned.DebitAccountID, Amount: earned.Amount,
		UserData128: earned.UserData128, UserData64: earned.UserData64, Ledger: LedgerPoints, Code: CodeCorrection,
	}
}

// price checks a claim against the activity and the policy and works out
// its points: the policy's rate, cut by the caps. before are the claims
// priced earlier in the same batch.
func (s *Service) price(ctx context.Context, tx Tx, pol Policy, a governance.Activity, in ClaimInput, acct ledger.Account, before []Claim) (Claim, error) {
	limit, ok := participation(a, in.ResidentID)
	if !ok {
		return Claim{}, ErrNotParticipant.Refuse("resident %s is not recorded as taking part in activity %s: its organiser records participants first", in.ResidentID, a.ID)
	}
	if in.Minutes == 0 {
		in.Minutes = limit
	}
	if in.Minutes > limit {
		return Claim{}, errs.Field("minutes", "exceeds the %d minutes recorded for this resident at the activity", limit)
	}
	if in.Leading && in.ResidentID != a.OrganiserID {
		return Claim{}, errs.Field("leading", "only the activity's organiser claims for leading it")
	}
	if in.Evidence == (Evidence{}) {
		return Claim{}, errs.Field("evidence", "give a note, a photo reference or the sign-in sheet")
	}
	loc := pol.location()
	start := a.Start.In(loc)
	monthStart := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, loc).UTC()
	monthEnd := monthStart.In(loc).AddDate(0, 1, 0).UTC()
	others, _, err := tx.Claims().Find(ctx, record.Filter{CommunityID: a.CommunityID, ResidentID: in.ResidentID, From: &monthStart, To: &monthEnd})
	if err != nil {
		return Claim{}, err
	}
	for _, b := range before {
		if b.ResidentID == in.ResidentID && !b.ActivityStart.Before(monthStart) && b.ActivityStart.Before(monthEnd) {
			others = append(others, b)
		}
	}
	day := pol.day(a.Start)
	var dayMinutes int
	var dayPoints, monthPoints decimal.Decimal
	for _, o := range others {
		if o.Status == Rejected || o.Status == Corrected {
			continue
		}
		if o.ActivityID == a.ID {
			return Claim{}, ErrClaimedAlready.Refuse("resident %s has claimed for activity %s already (claim %s)", in.ResidentID, a.ID, o.ID)
		}
		monthPoints = monthPoints.Add(o.Points)
		if pol.day(o.ActivityStart) == day {
			dayMinutes += o.Minutes
			dayPoints = dayPoints.Add(o.Points)
		}
	}
	if dayMinutes+in.Minutes > pol.maxMinutesPerDay() {
		return Claim{}, ErrDailyMinutes.Refuse("resident %s would claim %d minutes on %s, above the policy's %d a day", in.ResidentID, dayMinutes+in.Minutes, day, pol.maxMinutesPerDay())
	}
	c := Claim{
		ID: in.ID, CommunityID: a.CommunityID, ActivityID: a.ID, ResidentID: in.ResidentID, Service: a.Service, ActivityStart: a.Start,
		Minutes: in.Minutes, Leading: in.Leading, Evidence: in.Evidence, PolicyVersion: pol.Version, Status: Claimed,
	}
	c.Computed = pol.Earn(a.Service, in.Minutes, in.Leading)
	c.Points = c.Computed
	cut := func(name string, room decimal.Decimal) {
		if room.IsNegative() {
			room = decimal.Zero
		}
		if c.Points.GreaterThan(room) {
			c.Points = room
			c.Capped = append(c.Capped, name)
		}
	}
	if pol.ActivityCap.IsPositive() {
		cut("activity", pol.ActivityCap)
	}
	if pol.DailyCap.IsPositive() {
		cut("day", pol.DailyCap.Sub(dayPoints))
	}
	if pol.MonthlyCap.IsPositive() {
		cut("month", pol.MonthlyCap.Sub(monthPoints))
	}
	if pol.StorageCap.IsPositive() {
		held := acct.CreditsPosted + acct.CreditsPending - acct.DebitsPosted - acct.DebitsPending
		for _, b := range before {
			if b.ResidentID == in.ResidentID {
				u, _ := units("points", b.Points)
				held += u
			}
		}
		cut("storage", pol.StorageCap.Sub(pts(held)))
	}
	c.Points = norm(c.Points)
	return c, nil
}

// Verify approves a claim (its points are posted to the passbook) or
// rejects it (they are voided). A second person verifies: never the
// volunteer, nor whoever filed the claim or recorded the attendance; the
// activity's organiser or a worker, or under a policy with Verifiers the
// holder of one of its positions. Verifying again the same way returns the
// claim unchanged.
func (s *Service) Verify(ctx context.Context, communityID, claimID string, in VerifyInput) (Claim, error) {
	p, err := s.gate.Member(ctx, communityID)
	if err != nil {
		return Claim{}, err
	}
	if err := validate.Struct(in); err != nil {
		return Claim{}, err
	}
	c, err := s.existingClaim(ctx, communityID, claimID)
	if err != nil {
		return Claim{}, err
	}
	a, err := s.activity(ctx, communityID, c.ActivityID)
	if err != nil {
		return Claim{}, err
	}
	if err := s.mayVerify(ctx, p, c, a); err != nil {
		return Claim{}, err
	}
	want := map[bool]ClaimStatus{true: Verified, false: Rejected}[in.Approve]
	if c.Status == want {
		return c, nil
	}
	now := s.clock()
	err = s.update(ctx, func(tx Tx) error {
		if c, err = tx.Claims().Get(ctx, communityID, claimID); err != nil {
			return err
		}
		switch c.Status {
		case want:
			return nil
		case Claimed:
		default:
			return ErrClaimState.Refuse("claim %s is %s already", c.ID, c.Status)
		}
		if t, ok := earning(c); ok {
			step := ledger.PostOf(t)
			if !in.Approve {
				step = ledger.VoidOf(t)
			}
			te, err := booksOf(tx, communityID).Post(ctx, step)
			if err != nil {
				return err
			}
			if te != nil {
				return errs.E(errs.FailedPrecondition, "claim %s cannot be %s: %s", c.ID, want, te.Result)
			}
		}
		c.Status, c.VerifiedBy, c.VerifiedAt, c.Note = want, p.ID, &now, in.Note
		return tx.Claims().Update(ctx, c)
	})
	if err != nil {
		return Claim{}, err
	}
	return c, nil
}

// Correct reverses a verified claim's points, for service that turned out
// not to have happened; a worker does it, giving the reason. Points the
// resident has spent already cannot be reversed.
func (s *Service) Correct(ctx context.Context, communityID, claimID string, in CorrectInput) (Claim, error) {
	p, err := s.gate.Administrator(ctx, communityID)
	if err != nil {
		return Claim{}, err
	}
	if err := validate.Struct(in); err != nil {
		return Claim{}, err
	}
	c, err := s.existingClaim(ctx, communityID, claimID)
	if err != nil {
		return Claim{}, err
	}
	if c.Status == Corrected {
		return c, nil
	}
	now := s.clock()
	err = s.update(ctx, func(tx Tx) error {
		if c, err = tx.Claims().Get(ctx, communityID, claimID); err != nil {
			return err
		}
		switch c.Status {
		case Corrected:
			return nil
		case Verified:
		default:
			return ErrClaimState.Refuse("only a verified claim is corrected; claim %s is %s (reject a claimed one)", c.ID, c.Status)
		}
		if t, ok := earning(c); ok {
			te, err := booksOf(tx, communityID).Post(ctx, correction(c, t))
			if err != nil {
				return err
			}
			if te != nil {
				if te.Result == ledger.ExceedsCredits {
					return ErrPointsSpent.Refuse("resident %s has spent the points of claim %s already: they cannot be reversed", c.ResidentID, c.ID)
				}
				return errs.E(errs.FailedPrecondition, "claim %s cannot be corrected: %s", c.ID, te.Result)
			}
		}
		c.Status, c.CorrectedBy, c.CorrectedAt, c.Reason = Corrected, p.ID, &now, in.Reason
		return tx.Claims().Update(ctx, c)
	})
	if err != nil {
		return Claim{}, err
	}
	return c, nil
}

// ClaimFilter selects claims.
type ClaimFilter struct {
	ResidentID string      `json:"resident_id" validate:"omitempty,ulid"`
	ActivityID string      `json:"activity_id" validate:"omitempty,ulid"`
	Status     ClaimStatus `json:"status" validate:"omitempty,oneof=claimed verified rejected corrected"`
	From, To   *time.Time
	Page       grids.Page
}

// Claims finds claims: residents see their own, workers and organisers
// all.
func (s *Service) Claims(ctx context.Context, communityID string, f ClaimFilter) ([]Claim, int, error) {
	p, err := s.gate.Member(ctx, communityID)
	if err != nil {
		return nil, 0, err
	}
	if err := validate.Struct(f); err != nil {
		return nil, 0, err
	}
	if f.ResidentID != p.ResidentID || p.ResidentID == "" {
		all, err := s.seesAllClaims(ctx, communityID, p)
		if err != nil {
			return nil, 0, err
		}
		if !all {
			return nil, 0, forbidden(ErrNotYours)
		}
	}
	pg, err := f.Page.Checked()
	if err != nil {
		return nil, 0, err
	}
	var out []Claim
	var total int
	err = s.view(ctx, func(tx Tx) error {
		var err error
		out, total, err = tx.Claims().Find(ctx, record.Filter{CommunityID: communityID, ResidentID: f.ResidentID, RefID: f.ActivityID, Status: string(f.Status), From: f.From, To: f.To, Page: pg})
		return err
	})
	return out, total, err
}

// ClaimByID returns a claim to its volunteer, workers and leaders.
func (s *Service) ClaimByID(ctx context.Context, communityID, id string) (Claim, error) {
	p, err := s.gate.Member(ctx, communityID)
	if err != nil {
		return Claim{}, err
	}
	c, err := s.existingClaim(ctx, communityID, id)
	if err != nil {
		return Claim{}, err
	}
	if c.ResidentID != p.ResidentID || p.ResidentID == "" {
		all, err := s.seesAllClaims(ctx, communityID, p)
		if err != nil {
			return Claim{}, err
		}
		if !all {
			return Claim{}, forbidden(ErrNotYours)
		}
	}
	return c, nil
}

// seesAllClaims reports whether p sees every volunteer's claims: workers,
// and whoever holds now a seat on the council, a committee's chair or a
// group's lead, who organise the service their volunteers claim. The
// offices are read as they stand, never from the roles a token carries:
// a term that ended took its authority with it.
func (s *Service) seesAllClaims(ctx context.Context, community string, p grids.Principal) (bool, error) {
	if p.Administers(community) {
		return true, nil
	}
	held, err := s.governance.Offices(ctx, community, p.ResidentID, s.clock())
	if err != nil {
		return false, err
	}
	for _, h := range held {
		switch {
		case h.BodyKind == governance.Council,
			h.BodyKind == governance.Committee && h.Office == governance.Chair,
			h.BodyKind == governance.Group && h.Office == governance.Leader:
			return true, nil
		}
	}
	return false, nil
}

// mayVerify applies the rules of who verifies a claim: a second person,
// in a position the policy names (a worker or the activity's organiser by
// default). Positions are read as they hold now, never from the token.
func (s *Service) mayVerify(ctx context.Context, p grids.Principal, c Claim, a governance.Activity) error {
	if p.ResidentID != "" && p.ResidentID == c.ResidentID {
		return forbidden(ErrSelfVerify)
	}
	if p.ID == c.ClaimedBy || p.ID == a.CreatedBy {
		return forbidden(ErrSecondPerson)
	}
	var pol Policy
	if err := s.view(ctx, func(tx Tx) error {
		var err error
		pol, err = current(ctx, tx, c.CommunityID)
		return err
	}); err != nil {
		return err
	}
	if len(pol.Verifiers) == 0 {
		if p.Administers(c.CommunityID) || a.OrganiserID != "" && p.ResidentID == a.OrganiserID {
			return nil
		}
		return forbidden(ErrSelfVerify)
	}
	for _, v := range pol.Verifiers {
		if v == VerifierWorker && p.Administers(c.CommunityID) {
			return nil
		}
	}
	held, err := s.governance.Offices(ctx, c.CommunityID, p.ResidentID, s.clock())
	if err != nil {
		return err
	}
	for _, v := range pol.Verifiers {
		for _, h := range held {
			switch {
			case v == VerifierCommitteeChair && h.BodyKind == governance.Committee && h.Office == governance.Chair,
				v == VerifierGroupLeader && h.BodyKind == governance.Group && h.Office == governance.Leader && h.BodyID != a.BodyID:
				return nil
			}
		}
	}
	return forbidden(ErrVerifierOffice)
}
