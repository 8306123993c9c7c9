package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/linli-go/linli/internal/errs"
)

// Problem is an RFC 9457 problem document, with linli's stable error code
// and, for invalid input, every field that failed.
type Problem struct {
	Type   string            `json:"type"`
	Title  string            `json:"title"`
	Status int               `json:"status"`
	Detail string            `json:"detail,omitempty"`
	Code   errs.Code         `json:"code"`
	Errors []errs.FieldError `json:"errors,omitempty"`
}

// ProblemType is the URI of a code's problem type.
func ProblemType(code errs.Code) string { return "urn:linli:problem:" + string(code) }

// Status maps an error code to its HTTP status: the one place that does.
func Status(code errs.Code) int {
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
	errs.Internal:           "Internal error",
}

// writeError answers with the problem err describes. Internal errors are
// logged and shown without detail.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := errs.CodeOf(err)
	if code == errs.Internal {
		s.log.ErrorContext(r.Context(), "internal error", slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("err", err))
	}
	s.writeProblem(w, Status(code), Problem{Code: code, Detail: errs.Message(err), Errors: errs.FieldsOf(err)})
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
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p)
}
