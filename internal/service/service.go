// Package service holds what linli's domain services share that is no
// rule of the case: the defaults of their options, and how a command's
// transaction is cut loose from its caller.
package service

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/linli-go/linli/internal/ids"
)

// Defaults returns now, newID and log, each replaced where nil by the
// default: the wall clock, ULIDs, a log that discards.
func Defaults(now func() time.Time, newID func() string, log *slog.Logger) (func() time.Time, func() string, *slog.Logger) {
	if now == nil {
		now = time.Now
	}
	if newID == nil {
		newID = ids.New
	}
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return now, newID, log
}

// DefaultTimeout is how long a command may run once begun, unless a
// service is told otherwise.
const DefaultTimeout = 30 * time.Second

// Timeout is d, or DefaultTimeout if d is not positive.
func Timeout(d time.Duration) time.Duration {
	if d <= 0 {
		return DefaultTimeout
	}
	return d
}

// Detached is the context a command writes in: it keeps ctx's values but
// not its cancellation (a client that hangs up does not cut a command off
// between its writes), and ends after timeout.
func Detached(ctx context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), timeout)
}
