package points

import (
	"github.com/linli-go/linli/grids"
)

// The rules of the volunteer bank that refuse. Each is a *grids.Rule:
// errors.Is(err, points.ErrOutOfStock) tests for one, errors.Is(err, grids.FailedPrecondition)
// for its code (the codes are grids'), and HTTP problems carry its name.
var (
	// Who may do what.
	ErrNotMember      = grids.NewRule(grids.Forbidden, "points.not_member", "only members of a community use its bank")
	ErrClaimForOthers = grids.NewRule(grids.Forbidden, "points.claim_for_others", "a volunteer claims their own service; the organiser or a worker may claim for them")
	ErrSecondPerson   = grids.NewRule(grids.Forbidden, "points.second_person", "service is verified by a second person: not whoever filed the claim, nor whoever recorded the attendance it rests on")
	ErrSelfVerify     = grids.NewRule(grids.Forbidden, "points.self_verify", "a second person verifies service: the activity's organiser or a worker, never the volunteer")
	ErrVerifierOffice = grids.NewRule(grids.Forbidden, "points.verifier_office", "under a policy that names the positions verifiers hold, only their holders verify service")
	ErrWorkersOnly    = grids.NewRule(grids.Forbidden, "points.workers_only", "community workers run the bank and the warehouse")
	ErrNotYours       = grids.NewRule(grids.Forbidden, "points.not_yours", "residents see and spend their own points; workers serve them at the counter")
	ErrGiftOutside    = grids.NewRule(grids.Forbidden, "points.gift_outside_household", "residents give their own points, only within their household")

	// Service and claims.
	ErrNoPolicy           = grids.NewRule(grids.FailedPrecondition, "points.no_policy", "the community has no accrual policy yet: a worker sets one first")
	ErrActivityNotOver    = grids.NewRule(grids.FailedPrecondition, "points.activity_not_over", "service is claimed once the activity is over")
	ErrNotParticipant     = grids.NewRule(grids.FailedPrecondition, "points.not_participant", "a resident claims only for an activity that recorded them taking part")
	ErrClaimedAlready     = grids.NewRule(grids.Conflict, "points.claimed_already", "a resident claims once for an activity")
	ErrDailyMinutes       = grids.NewRule(grids.FailedPrecondition, "points.daily_minutes", "a volunteer claims no more service in a day than the policy allows")
	ErrClaimState         = grids.NewRule(grids.FailedPrecondition, "points.claim_state", "a claim is verified or rejected once, and only a verified claim is corrected")
	ErrPointsSpent        = grids.NewRule(grids.FailedPrecondition, "points.spent", "points spent already are not reversed")
	ErrInsufficientPoints = grids.NewRule(grids.FailedPrecondition, "points.insufficient", "points are spent or given only if the passbook holds them")

	// Gifts and expiry.
	ErrGiftsOff        = grids.NewRule(grids.FailedPrecondition, "points.gifts_off", "the policy allows gifts of points")
	ErrGiftCapExceeded = grids.NewRule(grids.FailedPrecondition, "points.gift_cap", "a resident gives no more points in a year than the policy's cap")
	ErrNeverExpire     = grids.NewRule(grids.FailedPrecondition, "points.never_expire", "points expire only under a policy that says when")
	ErrExpiryNotDue    = grids.NewRule(grids.FailedPrecondition, "points.expiry_not_due", "a year's points expire after the policy's grace")

	// The warehouse.
	ErrOutOfStock         = grids.NewRule(grids.FailedPrecondition, "points.out_of_stock", "an item is exchanged only while it is on the shelf")
	ErrExchangeState      = grids.NewRule(grids.FailedPrecondition, "points.exchange_state", "a reservation is picked up or cancelled once; only goods handed over are returned")
	ErrReservationExpired = grids.NewRule(grids.FailedPrecondition, "points.reservation_expired", "a reservation is picked up within the policy's hours")
	ErrSignedUpAlready    = grids.NewRule(grids.Conflict, "points.signed_up_already", "a resident signs up for a group once at a market")

	// IDs that make retries safe.
	ErrIDReused = grids.NewRule(grids.Conflict, "points.id_reused", "an ID chosen by the client names one record: a retry repeats its details")
)

// Refusals are the bank's rules that refuse, for documents that list them.
func Refusals() []*grids.Rule {
	return []*grids.Rule{ErrNotMember, ErrClaimForOthers, ErrSelfVerify, ErrSecondPerson, ErrVerifierOffice, ErrWorkersOnly, ErrNotYours, ErrGiftOutside, ErrNoPolicy, ErrActivityNotOver, ErrNotParticipant,
		ErrClaimedAlready, ErrDailyMinutes, ErrClaimState, ErrPointsSpent, ErrInsufficientPoints, ErrGiftsOff, ErrGiftCapExceeded, ErrNeverExpire,
		ErrExpiryNotDue, ErrOutOfStock, ErrExchangeState, ErrReservationExpired, ErrSignedUpAlready, ErrIDReused}
}

// forbidden refuses under a rule of who may do what.
func forbidden(r *grids.Rule) error { return r.Refuse("forbidden: %s", r.Says()) }
