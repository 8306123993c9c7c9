// Package errs holds the error type every linli package returns: one Error
// carrying a Code from a small closed set, so adapters can map failures to
// HTTP statuses (or anything else) in one place.
//
// A Code is itself an error, so callers test for a class of failure with
// errors.Is:
//
//	if errors.Is(err, errs.NotFound) { … }
//
// Domain packages declare their own sentinels (points.ErrInsufficientPoints)
// as *Error values with one of these codes; errors.Is matches either.
package errs
