package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/linli-go/linli/internal/errs"
)

// errStatus carries an HTTP status that no error code maps to (413, 415).
type errStatus struct {
	status int
	err    *errs.Error
}

func (e *errStatus) Error() string { return e.err.Error() }
func (e *errStatus) Unwrap() error { return e.err }

// decode reads a JSON object of type T from the request body: at most max
// bytes of valid UTF-8, no unknown fields, no trailing data. Field values
// are validated by the services.
func decode[T any](w http.ResponseWriter, r *http.Request, max int64) (T, error) {
	var v T
	if err := mediaType(r, "application/json"); err != nil {
		return v, err
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return v, &errStatus{http.StatusRequestEntityTooLarge, errs.E(errs.Invalid, "the body is larger than %d bytes", max)}
		}
		return v, errs.E(errs.Invalid, "cannot read the body: %w", err)
	}
	if !utf8.Valid(data) {
		return v, errs.E(errs.Invalid, "the body is not valid UTF-8")
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return v, errs.E(errs.Invalid, "the body is empty: send a JSON object")
	}
	if trimmed[0] != '{' {
		return v, errs.E(errs.Invalid, "the body must be a JSON object")
	}
	if err := strict(data, reflect.TypeFor[T]()); err != nil {
		return v, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		var perr *time.ParseError
		if errors.As(err, &perr) {
			// encoding/json does not say which field a time came from: find it.
			var raw any
			if json.Unmarshal(data, &raw) == nil {
				if field := badTime(raw, reflect.TypeFor[T](), ""); field != "" {
					return v, errs.Field(field, "must be a time in RFC 3339 form, e.g. 2026-03-10T09:00:00+08:00")
				}
			}
		}
		return v, jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return v, errs.E(errs.Invalid, "the body holds more than one JSON value")
	}
	return v, nil
}

// badTime walks decoded JSON along the Go type it was meant for and
// returns the path of the first time that does not parse, "" if none.
func badTime(v any, t reflect.Type, path string) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeFor[time.Time]() {
		s, ok := v.(string)
		if _, err := time.Parse(time.RFC3339, s); ok && err != nil {
			return path
		}
		return ""
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		items, _ := v.([]any)
		for i, item := range items {
			if f := badTime(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); f != "" {
				return f
			}
		}
	case reflect.Struct:
		fields, _ := v.(map[string]any)
		for i := range t.NumField() {
			sf := t.Field(i)
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if sf.Anonymous && name == "" {
				if f := badTime(v, sf.Type, path); f != "" {
					return f
				}
				continue
			}
			if name == "" || name == "-" {
				continue
			}
			if fv, ok := fields[name]; ok {
				sub := name
				if path != "" {
					sub = path + "." + name
				}
				if f := badTime(fv, sf.Type, sub); f != "" {
					return f
				}
			}
		}
	}
	return ""
}

// jsonError explains a decoding failure, naming the field where it can.
func jsonError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return errs.E(errs.Invalid, "malformed JSON at byte %d: %s", syntax.Offset, syntax.Error())
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return errs.Field(field, "must be %s, not %s", jsonType(typ.Type.Kind().String()), typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errs.E(errs.Invalid, "malformed JSON: the body ends too early")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return errs.Field(name, "is not a known field")
	}
	return errs.E(errs.Invalid, "malformed JSON: %s", err.Error())
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "a whole number in range"
	case "float32", "float64":
		return "a number"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "a list"
	case "struct", "map", "ptr":
		return "an object"
	}
	return "of another type"
}

// mediaType refuses a body that is not of type want.
func mediaType(r *http.Request, want string) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != want {
		return &errStatus{http.StatusUnsupportedMediaType, errs.E(errs.Invalid, "the body must be %s", want)}
	}
	return nil
}

// encode writes v as JSON with status.
func encode[T any](w http.ResponseWriter, status int, v T) {
	if tag := etagOf(v); tag != "" {
		w.Header().Set("ETag", tag)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// List is the envelope of every list response: a page of items, and the
// link to the next page while this one is full (the last page may come
// back empty). Pages follow one another by key (after=<the last item's
// ID>), so records made meanwhile neither repeat nor go missing. The total
// of the whole filter is counted only when asked (total=true): on a large
// table the count is most of a page's cost.
type List[T any] struct {
	Items []T    `json:"items"`
	Limit int    `json:"limit"`
	Next  string `json:"next,omitempty"`
	Total *int   `json:"total,omitempty"`
}

// params reads query parameters, collecting every problem; done refuses
// parameters no one asked for, which are most often typos.
type params struct {
	path   string
	v      url.Values
	used   map[string]bool
	fields []errs.FieldError
}

func newParams(r *http.Request) *params {
	return &params{path: r.URL.Path, v: r.URL.Query(), used: map[string]bool{}}
}

func (p *params) fail(name, format string, args ...any) {
	p.fields = append(p.fields, errs.FieldError{Field: name, Message: fmt.Sprintf(format, args...)})
}

// strs returns every value of a repeatable parameter.
func (p *params) strs(name string) []string {
	p.used[name] = true
	var out []string
	for _, v := range p.v[name] {
		if !cleanText(v) {
			p.fail(name, "must be text without control characters")
			continue
		}
		out = append(out, v)
	}
	return out
}

// str returns a parameter given at most once.
func (p *params) str(name string) string {
	vs := p.strs(name)
	if len(vs) > 1 {
		p.fail(name, "is given more than once")
	}
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

func (p *params) int(name string, min, max int) int {
	s := p.str(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		p.fail(name, "must be a whole number from %d to %d", min, max)
	}
	return n
}

func (p *params) bool(name string) bool {
	switch s := p.str(name); s {
	case "", "false", "0":
		return false
	case "true", "1":
		return true
	default:
		p.fail(name, "must be true or false")
		return false
	}
}

// time reads an RFC 3339 time; nil if not given.
// period reads an optional period: from and to, zero where not given.
func (p *params) period() (from, to time.Time) {
	if f := p.time("from"); f != nil {
		from = *f
	}
	if t := p.time("to"); t != nil {
		to = *t
	}
	return from, to
}

// requiredPeriod reads a period that must be given whole.
func (p *params) requiredPeriod() (from, to time.Time) {
	// A bound given but malformed is reported as such, not as missing.
	if p.v.Get("from") == "" {
		p.fail("from", "is required: the start of the period")
	}
	if p.v.Get("to") == "" {
		p.fail("to", "is required: the end of the period (exclusive)")
	}
	return p.period()
}

func (p *params) time(name string) *time.Time {
	s := p.str(name)
	if s == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		p.fail(name, "must be a time in RFC 3339 form, e.g. 2026-03-10T09:00:00+08:00")
		return nil
	}
	return &t
}

func (p *params) oneOf(name string, allowed ...string) string {
	s := p.str(name)
	if s != "" && !slices.Contains(allowed, s) {
		p.fail(name, "must be one of: %s", strings.Join(allowed, ", "))
	}
	return s
}

// done returns the problems found, including unknown parameters.
func (p *params) done() error {
	for name := range p.v {
		if !p.used[name] {
			known := slices.Sorted(maps.Keys(p.used))
			p.fail(name, "is not a known parameter here (known: %s)", strings.Join(known, ", "))
		}
	}
	if len(p.fields) > 0 {
		return errs.Fields(p.fields...)
	}
	return nil
}

// cleanText reports valid UTF-8 without control characters: what may reach
// a store (PostgreSQL refuses NUL in text).
func cleanText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}
