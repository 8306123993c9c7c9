package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/linli-go/linli/adapters/shard"
	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/procedure"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/access"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/points"
)

// Problem is an RFC 9457 problem document, with linli's stable error code
// and, for invalid input, every field that failed.
type Problem struct {
	Type   string     `json:"type"`
	Title  string     `json:"title"`
	Status int        `json:"status"`
	Detail string     `json:"detail,omitempty"`
	Code   grids.Code `json:"code"`
	// Rule names the rule that refused ("points.insufficient"), when one
	// did: stable, for clients to react to.
	Rule   string             `json:"rule,omitempty"`
	Errors []grids.FieldError `json:"errors,omitempty"`
}

// ProblemType is the URI of a code's problem type.
func ProblemType(code grids.Code) string { return "urn:linli:problem:" + string(code) }

// Status maps an error code to its HTTP status: the one place that does.
func Status(code grids.Code) int {
	switch code {
	case errs.Invalid:
		return http.StatusBadRequest
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Conflict, errs.FailedPrecondition:
		return http.StatusConflict
	case errs.Unauthorized:
		return http.StatusUnauthorized
	case errs.Forbidden:
		return http.StatusForbidden
	case errs.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

var titles = map[errs.Code]string{
	errs.Invalid:            "Invalid input",
	errs.NotFound:           "Not found",
	errs.Conflict:           "Conflict",
	errs.FailedPrecondition: "Not possible in the current state",
	errs.Unauthorized:       "Not authenticated",
	errs.Forbidden:          "Forbidden",
	errs.Unavailable:        "Unavailable for a while",
	errs.Internal:           "Internal error",
}

// RetryUnavailable is the Retry-After, in seconds, of a 503: a community
// moving between databases is read-only for about that long.
const RetryUnavailable = 2

// writeError answers with the problem err describes. Internal errors are
// logged and shown without detail.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := errs.CodeOf(err)
	if code == errs.Internal {
		s.log.ErrorContext(r.Context(), "internal error", slog.String("method", r.Method), slog.Any("err", err))
	}
	p := Problem{Code: code, Detail: errs.Message(err), Errors: errs.FieldsOf(err)}
	if r := errs.RuleOf(err); r != nil && code != errs.Internal {
		p.Rule = r.Name()
	}
	status := Status(code)
	if stale(err) {
		status = http.StatusPreconditionFailed
	}
	s.writeProblem(w, status, p)
}

// writeProblem fills in what p leaves out and writes it with status.
func (s *server) writeProblem(w http.ResponseWriter, status int, p Problem) {
	if p.Code == "" {
		p.Code = errs.Invalid
	}
	p.Status = status
	p.Type = ProblemType(p.Code)
	if p.Title == "" {
		p.Title = titles[p.Code]
	}
	if p.Code == errs.Unauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="linli"`)
	}
	if p.Code == errs.Unavailable {
		w.Header().Set("Retry-After", strconv.Itoa(RetryUnavailable))
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p)
}

// The rules of the HTTP conventions that refuse.
var (
	ErrIdempotencyInFlight  = grids.NewRule(grids.Conflict, "http.idempotency_in_flight", "a request with an Idempotency-Key runs once at a time: a retry waits for the first to finish")
	ErrIdempotencyKeyReused = grids.NewRule(grids.Invalid, "http.idempotency_key_reused", "an Idempotency-Key is used for one request, retried with the same body")
	ErrStaleTag             = grids.NewRule(grids.FailedPrecondition, "http.stale", "a change made with If-Match applies to the version it names, not to one changed since")
)

// refusals are the rules every domain package, and the API's conventions,
// refuse under.
func refusals() []*errs.Rule {
	out := []*errs.Rule{ErrIdempotencyInFlight, ErrIdempotencyKeyReused, ErrStaleTag, ErrRateLimited}
	for _, rs := range [][]*errs.Rule{grids.Refusals(), access.Refusals(), governance.Refusals(), procedure.Refusals(), points.Refusals(), funds.Refusals(), shard.Refusals()} {
		out = append(out, rs...)
	}
	return out
}
