package httpapi

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
)

// A record that can be changed carries an ETag: a strong tag of the
// version shown (a digest of the record as it reads), on every response
// that shows it. A PATCH made with If-Match applies only to the version it
// names, checked in the change's own transaction: a worker who edits a
// household another has changed since gets 412 and reads it again,
// instead of one edit silently overwriting the other.

// etagOf is the tag of a record, or "" for what is no record (a page, a
// report).
func etagOf(v any) string {
	r, ok := structOf(v)
	if !ok {
		return ""
	}
	// A view wraps its record (MeetingView: the meeting and its state).
	if inner := r.FieldByName("Meeting"); inner.IsValid() && inner.Kind() == reflect.Struct {
		r = inner
	}
	if id := r.FieldByName("ID"); !id.IsValid() || id.Kind() != reflect.String || id.String() == "" {
		return ""
	}
	if _, ok := r.Type().FieldByName("UpdatedAt"); !ok {
		return "" // a record that never changes
	}
	body, err := json.Marshal(r.Interface())
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(append([]byte(r.Type().String()+"\x00"), body...))
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

// ifMatch runs a PATCH under its If-Match header, if it has one: the
// change applies only to a record whose tag it lists (or to any, for *).
func (s *server) ifMatch(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		header := r.Header.Get("If-Match")
		if header == "" {
			h(w, r)
			return
		}
		tags := parseTags(header)
		if len(tags) == 0 {
			s.badHeader(w, "If-Match", `lists entity tags, e.g. "3f2a…", or is *`)
			return
		}
		check := func(current any) error {
			tag := etagOf(current)
			for _, t := range tags {
				if t == "*" || t == tag && tag != "" {
					return nil
				}
			}
			return ErrStaleTag.Refuse("the record changed since the version If-Match names: read it again (its tag is now %s)", tag)
		}
		h(w, r.WithContext(grids.WithPrecondition(r.Context(), check)))
	}
}

// parseTags reads an If-Match list; weak tags never match (RFC 9110: If-Match compares strongly).
func parseTags(header string) []string {
	var out []string
	for _, part := range strings.Split(header, ",") {
		t := strings.TrimSpace(part)
		switch {
		case t == "*":
			out = append(out, t)
		case strings.HasPrefix(t, `W/"`):
			out = append(out, "weak") // listed, never equal to a strong tag
		case len(t) >= 2 && strings.HasPrefix(t, `"`) && strings.HasSuffix(t, `"`) && !strings.Contains(t[1:len(t)-1], `"`):
			out = append(out, t)
		default:
			return nil
		}
	}
	return out
}

// structOf is the struct v is or points to.
func structOf(v any) (reflect.Value, bool) {
	r := reflect.ValueOf(v)
	for r.Kind() == reflect.Pointer || r.Kind() == reflect.Interface {
		if r.IsNil() {
			return r, false
		}
		r = r.Elem()
	}
	return r, r.Kind() == reflect.Struct
}

// badHeader refuses a request for a malformed header.
func (s *server) badHeader(w http.ResponseWriter, header, message string) {
	s.writeProblem(w, http.StatusBadRequest, Problem{Code: errs.Invalid, Detail: "the " + header + " header " + message,
		Errors: []errs.FieldError{{Field: header, Message: message}}})
}

// stale reports whether err is a failed If-Match: 412, not the 409 of
// other failed preconditions.
func stale(err error) bool { return errors.Is(err, ErrStaleTag) }
