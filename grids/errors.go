package grids

import "github.com/linli-go/linli/internal/errs"

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

// Sentinel errors; each also matches its code with errors.Is.
var (
	// ErrArchived: the record is archived; restore it before changing it.
	ErrArchived = errs.E(errs.FailedPrecondition, "record is archived")
	// ErrNotArchived: restoring a record that is not archived.
	ErrNotArchived = errs.E(errs.FailedPrecondition, "record is not archived")
	// ErrInUse: archiving a record that active records still depend on.
	ErrInUse = errs.E(errs.FailedPrecondition, "record is still in use")
	// ErrNoPrincipal: the context carries no Principal.
	ErrNoPrincipal = errs.E(errs.Unauthorized, "no principal in context: who is acting?")
)
