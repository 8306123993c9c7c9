package funds

import "github.com/linli-go/linli/internal/errs"

// Error is the error type of every linli package; see grids.Error.
type Error = errs.Error

// The error codes; errors.Is(err, funds.FailedPrecondition) tests for one.
const (
	Invalid            = errs.Invalid
	NotFound           = errs.NotFound
	Conflict           = errs.Conflict
	FailedPrecondition = errs.FailedPrecondition
	Unauthorized       = errs.Unauthorized
	Forbidden          = errs.Forbidden
	Internal           = errs.Internal
)

// The rules of the funds, named in refusals.
const (
	RuleAdminist = "community workers keep the funds, run calls and record spending"
	RuleOwn      = "a proposal is edited by whoever drafted it for its organisation, or by workers"
	RuleReview   = "only the call's panel scores, and not where a member is tied to the proposal"
	RuleAward    = "only the council awards: a council member, or a worker recording the council's decision"
	RuleMerchant = "merchants see and declare their own contributions; workers see all"
)

func forbidden(rule string) error { return errs.E(errs.Forbidden, "forbidden: %s", rule) }

func fieldErr(field, format string, args ...any) error { return errs.Field(field, format, args...) }
