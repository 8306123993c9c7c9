package errs

import (
	"errors"
	"fmt"
	"strings"
)

// Code classifies an error. The set is closed: adapters map each code to a
// status, and anything that is not an *Error counts as Internal.
type Code string

// The codes. Their string values are stable: they appear in HTTP problem
// documents and clients match on them.
const (
	Invalid            Code = "invalid"             // the input is malformed or breaks a field rule
	NotFound           Code = "not_found"           // the record does not exist in this community
	Conflict           Code = "conflict"            // the write collides with existing data (duplicate, concurrent change)
	FailedPrecondition Code = "failed_precondition" // the input is fine but the current state forbids it
	Unauthorized       Code = "unauthorized"        // the caller is not identified
	Forbidden          Code = "forbidden"           // the caller is identified but may not do this
	Unavailable        Code = "unavailable"         // the write cannot be taken for a while (the community is moving between databases); try again later
	Internal           Code = "internal"            // a bug or an infrastructure failure; details are logged, not shown
)

// Codes lists every code, in the order above.
func Codes() []Code {
	return []Code{Invalid, NotFound, Conflict, FailedPrecondition, Unauthorized, Forbidden, Unavailable, Internal}
}

// Error makes a Code usable as an errors.Is target.
func (c Code) Error() string { return string(c) }

// FieldError names one input field that failed validation.
type FieldError struct {
	// Field is the JSON path of the field ("profile.interests[2]") or, for a
	// CSV import, "file.column".
	Field string `json:"field"`
	// Message says what is wrong, in words a user can act on.
	Message string `json:"message"`
	// Row is the 1-based line of a CSV file the field came from; 0 otherwise.
	Row int `json:"row,omitempty"`
}

func (f FieldError) String() string {
	if f.Row > 0 {
		return fmt.Sprintf("row %d: %s: %s", f.Row, f.Field, f.Message)
	}
	return f.Field + ": " + f.Message
}

// Error is the error type of every linli package.
type Error struct {
	Code    Code
	Message string       // safe to show to the user who caused it
	Fields  []FieldError // for Invalid: every field that failed
	Rule    *Rule        // the rule that refused, if one did
	Err     error        // the cause, if any; never shown for Internal errors
	// quiet: the cause is for logs only, never in Message (Quiet).
	quiet bool
}

// E returns an *Error with the given code and a formatted message. A %w verb
// in the format wraps its operand as the cause.
func E(code Code, format string, args ...any) *Error {
	err := fmt.Errorf(format, args...)
	e := &Error{Code: code, Message: err.Error()}
	if u := errors.Unwrap(err); u != nil {
		e.Err = u
	}
	return e
}

// Fields returns an Invalid error listing the given field errors.
func Fields(fields ...FieldError) *Error {
	msg := "invalid input"
	if len(fields) == 1 {
		msg = "invalid " + fields[0].String()
	} else if len(fields) > 1 {
		msg = fmt.Sprintf("invalid input: %d problems, first %s", len(fields), fields[0])
	}
	return &Error{Code: Invalid, Message: msg, Fields: fields}
}

// Field returns an Invalid error about one field.
func Field(field, format string, args ...any) *Error {
	return Fields(FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Quiet returns an error of code whose message is formatted and whose
// cause (a database's own words, say) goes to logs with Error but is
// left out of Message, which users see.
func Quiet(code Code, cause error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: cause, quiet: true}
}

// Internalf wraps an unexpected failure. Its message is for logs only.
func Internalf(format string, args ...any) *Error {
	e := E(Internal, format, args...)
	return e
}

func (e *Error) Error() string {
	switch {
	case e.Message != "" && e.Err != nil && !strings.Contains(e.Message, e.Err.Error()):
		return e.Message + ": " + e.Err.Error()
	case e.Message != "":
		return e.Message
	case e.Err != nil:
		return e.Err.Error()
	}
	return string(e.Code)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is e's Code or e's Rule, so
// errors.Is(err, errs.NotFound) holds for any *Error with that code, and
// errors.Is(err, points.ErrOutOfStock) for any refusal under that rule,
// anywhere in err's chain.
func (e *Error) Is(target error) bool {
	switch t := target.(type) {
	case Code:
		return t == e.Code
	case *Rule:
		return e.Rule == t
	}
	return false
}

// CodeOf returns the code of the first *Error in err's chain: "" for nil,
// Internal for an error that carries no code.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	var r *Rule
	if errors.As(err, &r) {
		return r.code
	}
	return Internal
}

// FieldsOf returns the field errors of the first *Error in err's chain.
func FieldsOf(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Message returns what may be shown to a user about err: its text for a coded
// error, a fixed sentence for an internal one (whose details belong in logs).
func Message(err error) string {
	if CodeOf(err) == Internal {
		return "internal error"
	}
	var e *Error
	if errors.As(err, &e) && e.quiet && e.Err != nil {
		return strings.Replace(err.Error(), e.Message+": "+e.Err.Error(), e.Message, 1)
	}
	return err.Error()
}
