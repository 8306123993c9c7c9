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
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/ledger"
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
	var a governance.Activity
	err := s.governance.View(ctx, func(tx governance.Tx) error {
		var err error
		a, err = tx.Activity(ctx, community, id)
		if errors.Is(err, errs.NotFound) {
			return errs.Field("activity_id", "no activity %s in this community", id)
		}
		return err
	})
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
	p, err := s.actor(ctx, communityID)
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
		return Claim{}, forbidden(RuleClaim)
	}
	if in.ID != "" {
		if c, err := s.existingClaim(ctx, communityID, in.ID); err == nil {
			if c.ActivityID != in.ActivityID || c.ResidentID != in.ResidentID {
				return Claim{}, errs.E(errs.Conflict, "claim %s exists for another activity or resident", in.ID)
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
		c, err = tx.Claim(ctx, community, id)
		return err
	})
	return c, err
}

// ClaimActivity claims for every recorded participant of an activity who
// has no claim there yet (and, if asked, for its organiser, leading); the
// organiser or a worker does it from the sign-in sheet.
func (s *Service) ClaimActivity(ctx context.Context, communityID, activityID string, in ActivityClaimInput) ([]Claim, error) {
	p, err := s.actor(ctx, communityID)
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
		return nil, forbidden(RuleClaim)
	}
	var have []Claim
	if err := s.view(ctx, func(tx Tx) error {
		var err error
		have, _, err = tx.FindClaims(ctx, Filter{CommunityID: communityID, RefID: activityID})
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

// claim prices claims at one activity, makes their pending transfers and
// records them. It checks again in the transaction that records them:
// if a concurrent claim took the same place, its transfers are voided.
func (s *Service) claim(ctx context.Context, p grids.Principal, a governance.Activity, ins []ClaimInput) ([]Claim, error) {
	community := a.CommunityID
	now := s.clock()
	if a.End.After(now) {
		return nil, errs.E(errs.FailedPrecondition, "the activity has not ended yet: claim service once it is done")
	}
	for i := range ins {
		if ins[i].ID == "" {
			ins[i].ID = s.newID()
		}
	}
	balances := map[string]ledger.Account{}
	for _, in := range ins {
		acct, err := s.balance(ctx, passbookAccount(community, in.ResidentID).ID)
		if err != nil {
			return nil, err
		}
		balances[in.ResidentID] = acct
	}
	var out []Claim
	price := func(tx Tx) error {
		out = out[:0]
		pol, err := current(ctx, tx, community)
		if err != nil {
			return err
		}
		for i, in := range ins {
			c, err := s.price(ctx, tx, pol, a, in, balances[in.ResidentID], out)
			if err != nil {
				if len(ins) > 1 {
					return fmt.Errorf("claim %d (resident %s): %w", i, in.ResidentID, err)
				}
				return err
			}
			c.ClaimedBy, c.ClaimedAt = p.ID, now
			out = append(out, c)
		}
		return nil
	}
	if err := s.view(ctx, price); err != nil {
		return nil, err
	}
	if err := s.ensure(ctx, bankAccount(community)); err != nil {
		return nil, err
	}
	var accts []ledger.Account
	var ts []ledger.Transfer
	for _, c := range out {
		accts = append(accts, passbookAccount(community, c.ResidentID))
		if t, ok := earning(c); ok {
			ts = append(ts, t)
		}
	}
	if err := s.ensure(ctx, accts...); err != nil {
		return nil, err
	}
	if len(ts) > 0 {
		rs, err := s.store.Ledger().CreateTransfers(ctx, ts)
		if err != nil {
			return nil, err
		}
		for i, r := range rs {
			if !r.Succeeded() {
				return nil, errs.Internalf("points: pending earning %s: %s", ts[i].ID, r)
			}
		}
	}
	priced := slices.Clone(out)
	err := s.update(ctx, func(tx Tx) error {
		if err := price(tx); err != nil {
			return err
		}
		for i := range out {
			if !out[i].Points.Equal(priced[i].Points) {
				return errs.E(errs.Conflict, "a concurrent claim changed what this one earns: try again")
			}
			if err := tx.CreateClaim(ctx, out[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		// Nothing was recorded: release the holds, so the pending points
		// of a refused claim never reach a passbook.
		for _, t := range ts {
			if _, gone := s.existingClaim(ctx, community, recordOf(t.UserData128)); errors.Is(gone, errs.NotFound) {
				s.void(ctx, t)
			}
		}
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
		ID: transferID(c.ID, "earn"), DebitAccountID: bankAccount(c.CommunityID).ID, CreditAccountID: passbookAccount(c.CommunityID, c.ResidentID).ID,
		Amount: u, UserData128: owner(c.ID), UserData64: uint64(c.PolicyVersion), Ledger: LedgerPoints, Code: CodeEarn, Flags: ledger.Pending,
	}, true
}

// void releases a pending transfer, logging (not returning) a failure:
// it runs after another error, which the caller reports.
func (s *Service) void(ctx context.Context, pending ledger.Transfer) {
	if te, err := s.post(ctx, ledger.VoidOf(pending)); err != nil || te != nil && te.Result != ledger.PendingTransferAlreadyVoided {
		s.log.ErrorContext(ctx, "points: voiding a pending transfer failed", "transfer", pending.ID, "err", err, "result", te)
	}
}

// price checks a claim against the activity and the policy and works out
// its points: the policy's rate, cut by the caps. before are the claims
// priced earlier in the same batch.
func (s *Service) price(ctx context.Context, tx Tx, pol Policy, a governance.Activity, in ClaimInput, acct ledger.Account, before []Claim) (Claim, error) {
	limit, ok := participation(a, in.ResidentID)
	if !ok {
		return Claim{}, errs.E(errs.FailedPrecondition, "resident %s is not recorded as taking part in activity %s: its organiser records participants first", in.ResidentID, a.ID)
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
	others, _, err := tx.FindClaims(ctx, Filter{CommunityID: a.CommunityID, ResidentID: in.ResidentID, From: &monthStart, To: &monthEnd})
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
			return Claim{}, errs.E(errs.Conflict, "resident %s has claimed for activity %s already (claim %s)", in.ResidentID, a.ID, o.ID)
		}
		monthPoints = monthPoints.Add(o.Points)
		if pol.day(o.ActivityStart) == day {
			dayMinutes += o.Minutes
			dayPoints = dayPoints.Add(o.Points)
		}
	}
	if dayMinutes+in.Minutes > pol.maxMinutesPerDay() {
		return Claim{}, errs.E(errs.FailedPrecondition, "resident %s would claim %d minutes on %s, above the policy's %d a day", in.ResidentID, dayMinutes+in.Minutes, day, pol.maxMinutesPerDay())
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
// rejects it (they are voided). The activity's organiser or a worker
// verifies; never the volunteer. Verifying again the same way returns the
// claim unchanged.
func (s *Service) Verify(ctx context.Context, communityID, claimID string, in VerifyInput) (Claim, error) {
	p, err := s.actor(ctx, communityID)
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
	if p.ResidentID == c.ResidentID || !(p.Administers(communityID) || a.OrganiserID != "" && p.ResidentID == a.OrganiserID) {
		return Claim{}, forbidden(RuleVerify)
	}
	want := map[bool]ClaimStatus{true: Verified, false: Rejected}[in.Approve]
	switch c.Status {
	case want:
		return c, nil
	case Claimed:
	default:
		return Claim{}, errs.E(errs.FailedPrecondition, "claim %s is %s already", c.ID, c.Status)
	}
	if t, ok := earning(c); ok {
		step := ledger.PostOf(t)
		if !in.Approve {
			step = ledger.VoidOf(t)
		}
		te, err := s.post(ctx, step)
		if err != nil {
			return Claim{}, err
		}
		if te != nil {
			return Claim{}, errs.E(errs.FailedPrecondition, "claim %s cannot be %s: %s", c.ID, want, te.Result)
		}
	}
	now := s.clock()
	err = s.update(ctx, func(tx Tx) error {
		cur, err := tx.Claim(ctx, communityID, claimID)
		if err != nil {
			return err
		}
		if cur.Status != Claimed {
			c = cur
			return nil
		}
		c = cur
		c.Status, c.VerifiedBy, c.VerifiedAt, c.Note = want, p.ID, &now, in.Note
		return tx.UpdateClaim(ctx, c)
	})
	return c, err
}

// Correct reverses a verified claim's points, for service that turned out
// not to have happened; a worker does it, giving the reason. Points the
// resident has spent already cannot be reversed.
func (s *Service) Correct(ctx context.Context, communityID, claimID string, in CorrectInput) (Claim, error) {
	p, err := s.worker(ctx, communityID)
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
	switch c.Status {
	case Corrected:
		return c, nil
	case Verified:
	default:
		return Claim{}, errs.E(errs.FailedPrecondition, "only a verified claim is corrected; claim %s is %s (reject a claimed one)", c.ID, c.Status)
	}
	if t, ok := earning(c); ok {
		te, err := s.post(ctx, ledger.Transfer{
			ID: transferID(c.ID, "correction"), DebitAccountID: t.CreditAccountID, CreditAccountID: t.DebitAccountID, Amount: t.Amount,
			UserData128: t.UserData128, UserData64: t.UserData64, Ledger: LedgerPoints, Code: CodeCorrection,
		})
		if err != nil {
			return Claim{}, err
		}
		if te != nil {
			if te.Result == ledger.ExceedsCredits {
				return Claim{}, errs.E(errs.FailedPrecondition, "resident %s has spent the points of claim %s already: they cannot be reversed", c.ResidentID, c.ID)
			}
			return Claim{}, errs.E(errs.FailedPrecondition, "claim %s cannot be corrected: %s", c.ID, te.Result)
		}
	}
	now := s.clock()
	err = s.update(ctx, func(tx Tx) error {
		cur, err := tx.Claim(ctx, communityID, claimID)
		if err != nil {
			return err
		}
		c = cur
		if c.Status == Corrected {
			return nil
		}
		c.Status, c.CorrectedBy, c.CorrectedAt, c.Reason = Corrected, p.ID, &now, in.Reason
		return tx.UpdateClaim(ctx, c)
	})
	return c, err
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
	p, err := s.actor(ctx, communityID)
	if err != nil {
		return nil, 0, err
	}
	if err := validate.Struct(f); err != nil {
		return nil, 0, err
	}
	if !p.Administers(communityID) && !p.Has(grids.RoleGroupLeader) && !p.Has(grids.RoleCommitteeChair) && !p.Has(grids.RoleCouncilMember) {
		if f.ResidentID != p.ResidentID || p.ResidentID == "" {
			return nil, 0, forbidden(RuleOwn)
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
		out, total, err = tx.FindClaims(ctx, Filter{CommunityID: communityID, ResidentID: f.ResidentID, RefID: f.ActivityID, Status: string(f.Status), From: f.From, To: f.To, Page: pg})
		return err
	})
	return out, total, err
}

// ClaimByID returns a claim to its volunteer, workers and leaders.
func (s *Service) ClaimByID(ctx context.Context, communityID, id string) (Claim, error) {
	p, err := s.actor(ctx, communityID)
	if err != nil {
		return Claim{}, err
	}
	c, err := s.existingClaim(ctx, communityID, id)
	if err != nil {
		return Claim{}, err
	}
	if c.ResidentID != p.ResidentID && !p.Administers(communityID) && !p.Has(grids.RoleGroupLeader) && !p.Has(grids.RoleCommitteeChair) && !p.Has(grids.RoleCouncilMember) {
		return Claim{}, forbidden(RuleOwn)
	}
	return c, nil
}
