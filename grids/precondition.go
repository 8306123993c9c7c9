package grids

import "context"

type preconditionKey struct{}

// WithPrecondition returns a context under which a change applies only if
// the record it changes, as it stands, passes check (whose error refuses
// the change). Services check it on the record they read in the change's
// own transaction, so no other change slips between the check and the
// write: the HTTP adapter's If-Match is one.
func WithPrecondition(ctx context.Context, check func(current any) error) context.Context {
	return context.WithValue(ctx, preconditionKey{}, check)
}

// Precondition checks the record a change read against ctx's
// precondition, if it has one.
func Precondition(ctx context.Context, current any) error {
	if check, ok := ctx.Value(preconditionKey{}).(func(any) error); ok && check != nil {
		return check(current)
	}
	return nil
}
