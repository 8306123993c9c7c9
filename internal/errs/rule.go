package errs

import (
	"errors"
	"fmt"
	"regexp"
)

// Rule is a rule of the domain that a caller may want to react to when it
// refuses something (not enough points, out of stock, the review closed):
// a sentinel that errors.Is finds in any refusal made under it, with a
// stable name that HTTP problems carry ("points.insufficient") and the
// code its refusals have.
type Rule struct {
	name string
	code Code
	says string
}

var ruleName = regexp.MustCompile(`^[a-z]+\.[a-z][a-z0-9_]*$`)

// NewRule declares a rule: its code, its name ("<package>.<rule>",
// stable once published: clients match on it) and what it says.
func NewRule(code Code, name, says string) *Rule {
	if !ruleName.MatchString(name) {
		panic("errs: a rule's name is <package>.<rule> in lower case: " + name)
	}
	return &Rule{name: name, code: code, says: says}
}

// Name is the rule's stable name.
func (r *Rule) Name() string { return r.name }

// Code is the code of the rule's refusals.
func (r *Rule) Code() Code { return r.code }

// Says is what the rule says.
func (r *Rule) Says() string { return r.says }

// Error is what the rule says, so a rule is an error and can be a target
// of errors.Is.
func (r *Rule) Error() string { return r.says }

// Is reports whether target is r's code: a rule returned as it is
// (grids.ErrNoPrincipal) has its code, as a refusal under it does.
func (r *Rule) Is(target error) bool {
	c, ok := target.(Code)
	return ok && c == r.code
}

// Refuse returns a refusal under r: an *Error with r's code whose message
// is formatted (a %w verb wraps its operand as the cause).
func (r *Rule) Refuse(format string, args ...any) *Error {
	e := E(r.code, format, args...)
	e.Rule = r
	return e
}

// Refusal is a refusal under r that says what r says.
func (r *Rule) Refusal() *Error { return &Error{Code: r.code, Message: r.says, Rule: r} }

// RuleOf returns the rule err was refused under, if any: that of the first
// *Error in its chain that names one, or a Rule in the chain itself.
func RuleOf(err error) *Rule {
	for err != nil {
		switch e := err.(type) {
		case *Error:
			if e.Rule != nil {
				return e.Rule
			}
		case *Rule:
			return e
		}
		err = errors.Unwrap(err)
	}
	return nil
}

func (r *Rule) String() string { return fmt.Sprintf("%s (%s): %s", r.name, r.code, r.says) }
