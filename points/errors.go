package points

import (
	"github.com/linli-go/linli/internal/errs"
)

// Error is the error type of every linli package; see grids.Error.
type Error = errs.Error

// The error codes; errors.Is(err, points.FailedPrecondition) tests for one.
const (
	Invalid            = errs.Invalid
	NotFound           = errs.NotFound
	Conflict           = errs.Conflict
	FailedPrecondition = errs.FailedPrecondition
	Unauthorized       = errs.Unauthorized
	Forbidden          = errs.Forbidden
	Internal           = errs.Internal
)

// The rules of the volunteer bank, named in refusals.
const (
	RuleClaim    = "a volunteer claims their own service; the organiser or a worker may claim for them"
	RuleVerify   = "a second person verifies service: the activity's organiser or a worker, never the volunteer"
	RuleAdminist = "community workers run the bank and the warehouse"
	RuleOwn      = "residents see and spend their own points; workers serve them at the counter"
	RuleGift     = "residents give their own points, only within their household"
)

func forbidden(rule string) error { return errs.E(errs.Forbidden, "forbidden: %s", rule) }
