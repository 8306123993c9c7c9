package grids

import (
	"github.com/linli-go/linli/grids/regroup"
	"github.com/linli-go/linli/internal/errs"
)

// Error is the error type returned by every linli package. Use errors.As to
// read its Code and Fields.
type Error = errs.Error

// FieldError names one input field that failed validation.
type FieldError = errs.FieldError

// Code classifies an error; see the constants below.
type Code = errs.Code

// The error codes. errors.Is(err, grids.NotFound) reports whether err has
// that code.
const (
	Invalid            = errs.Invalid
	NotFound           = errs.NotFound
	Conflict           = errs.Conflict
	FailedPrecondition = errs.FailedPrecondition
	Unauthorized       = errs.Unauthorized
	Forbidden          = errs.Forbidden
	Internal           = errs.Internal
)

// ErrorCode returns err's code: "" for nil, Internal for an uncoded error.
func ErrorCode(err error) Code { return errs.CodeOf(err) }

// Rule is a rule a refusal names: errors.Is(err, grids.ErrArchived)
// tests for one (and its code for its code), and HTTP problems carry its
// name.
type Rule = errs.Rule

// NewRule declares a rule: its code, a stable name ("points.insufficient")
// and what it says. Every package declares its own, and a project that
// embeds linli may declare its rules the same way; refuse under one with
// Rule.Refuse.
func NewRule(code Code, name, says string) *Rule { return errs.NewRule(code, name, says) }

// The registry's rules of records.
var (
	// ErrArchived: the record is archived; restore it before changing it.
	ErrArchived = NewRule(FailedPrecondition, "grids.archived", "an archived record is restored before it changes")
	// ErrNotArchived: restoring a record that is not archived.
	ErrNotArchived = NewRule(FailedPrecondition, "grids.not_archived", "only an archived record is restored")
	// ErrInUse: archiving a record that active records still depend on.
	ErrInUse = NewRule(FailedPrecondition, "grids.in_use", "a record is archived once no active record depends on it")
	// ErrNoPrincipal: the context carries no Principal.
	ErrNoPrincipal = NewRule(Unauthorized, "grids.no_principal", "someone acts: the context carries the principal")
)

// Refusals are the registry's rules that refuse, for documents that list
// them.
func Refusals() []*Rule {
	return []*Rule{ErrArchived, ErrNotArchived, ErrInUse, ErrNoPrincipal, ErrAdminsOnly, ErrNotMember, ErrWorkersOnly, ErrPersonal,
		ErrRaiseForOthers, ErrRaiseForGroup, ErrHandleNeeds, ErrClaimForOthers, ErrSurveyWorkers, ErrAnswerForOthers, ErrNeedState, ErrWishClaimed,
		ErrSurveyState, ErrRegroupWorkers, ErrNoBuildings, ErrPlanState, ErrPlanStale, regroup.ErrInfeasible}
}
