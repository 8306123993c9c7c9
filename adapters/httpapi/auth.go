package httpapi

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/access"
	"github.com/linli-go/linli/internal/errs"
)

// ErrRateLimited: too many failed attempts to authenticate from one
// address or at one account; answered with 429 and Retry-After.
var ErrRateLimited = grids.NewRule(grids.Unauthorized, "http.rate_limited", "after too many failed attempts to authenticate, a client or an account waits before the next")

// retryLater is a refusal under ErrRateLimited, with how long to wait.
type retryLater struct {
	err   error
	after time.Duration
}

func (e *retryLater) Error() string { return e.err.Error() }
func (e *retryLater) Unwrap() error { return e.err }

// limited refuses a request whose keys have failed too often.
func (s *server) limited(keys ...string) error {
	if wait := s.limiter.Wait(keys...); wait > 0 {
		s.metrics.limited()
		return &retryLater{err: ErrRateLimited.Refuse("too many failed attempts: try again in %s", wait.Round(time.Second)), after: wait}
	}
	return nil
}

// principalOf is who makes the request: by the Authenticate hook if the
// server has one, else by linli's bearer token.
func (s *server) principalOf(r *http.Request) (grids.Principal, error) {
	if s.auth == nil {
		return s.authenticate(r)
	}
	p, err := s.auth(r)
	if err != nil {
		var e *errs.Error
		if !errors.As(err, &e) {
			s.log.InfoContext(r.Context(), "authentication refused", slog.Any("err", err))
			return grids.Principal{}, errs.E(errs.Unauthorized, "the request's credentials were not accepted")
		}
		return grids.Principal{}, err
	}
	if err := p.Validate(); err != nil {
		s.log.ErrorContext(r.Context(), "authentication hook returned an invalid principal", slog.Any("err", err))
		return grids.Principal{}, errs.E(errs.Unauthorized, "the request's credentials name no valid principal")
	}
	return p, nil
}

// authenticate checks the request's bearer token, refusing an address or
// a credential that failed too often.
func (s *server) authenticate(r *http.Request) (grids.Principal, error) {
	if s.access == nil {
		return grids.Principal{}, errs.E(errs.Unauthorized, "this server accepts no bearer tokens")
	}
	header := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(header, " ")
	if header == "" {
		return grids.Principal{}, errs.E(errs.Unauthorized, "send a bearer token: Authorization: Bearer <token>")
	}
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" || len(token) > 200 {
		return grids.Principal{}, errs.E(errs.Unauthorized, "the Authorization header must be \"Bearer <token>\"")
	}
	keys := []string{"addr:" + ClientAddress(r, s.trustProxy)}
	if _, id, ok := access.TokenID(token); ok {
		keys = append(keys, "cred:"+id)
	}
	if err := s.limited(keys...); err != nil {
		return grids.Principal{}, err
	}
	c, err := s.access.Authenticate(r.Context(), token)
	if errors.Is(err, access.ErrUnknown) {
		s.limiter.Fail(keys...)
		s.metrics.failed("token")
	}
	return c.Principal, err
}

// writeRetryLater answers a rate-limited request.
func (s *server) writeRetryLater(w http.ResponseWriter, e *retryLater) {
	w.Header().Set("Retry-After", strconv.Itoa(int(e.after.Round(time.Second)/time.Second)+1))
	s.writeProblem(w, http.StatusTooManyRequests, Problem{Code: errs.Unauthorized, Title: "Too many requests", Detail: errs.Message(e.err), Rule: ErrRateLimited.Name()})
}
