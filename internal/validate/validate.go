package validate

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"

	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/ids"
)

// The validator caches struct metadata and is safe for concurrent use; its
// docs recommend a single instance, built once.
var instance = sync.OnceValue(func() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			return ""
		case "":
			return f.Name
		}
		return name
	})
	must(v.RegisterValidation("ulid", func(fl validator.FieldLevel) bool { return ids.Valid(fl.Field().String()) }))
	must(v.RegisterValidation("text", func(fl validator.FieldLevel) bool { return Text(fl.Field().String()) }))
	must(v.RegisterValidation("multiline", func(fl validator.FieldLevel) bool { return Multiline(fl.Field().String()) }))
	must(v.RegisterValidation("tag", func(fl validator.FieldLevel) bool { return Tag(fl.Field().String()) }))
	must(v.RegisterValidation("phone", func(fl validator.FieldLevel) bool { return phoneRE.MatchString(fl.Field().String()) }))
	must(v.RegisterValidation("finite", func(fl validator.FieldLevel) bool {
		f := fl.Field().Float()
		return !math.IsNaN(f) && !math.IsInf(f, 0)
	}))
	return v
})

func must(err error) {
	if err != nil {
		panic(err) // a typo in a rule name above; caught by any test
	}
}

var phoneRE = regexp.MustCompile(`^\+?[0-9][0-9 \-]{4,18}[0-9]$`)

// Text reports whether s is valid UTF-8 with no control characters and no
// leading or trailing white space.
func Text(s string) bool {
	if !utf8.ValidString(s) || strings.TrimSpace(s) != s {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return false
		}
	}
	return true
}

// Multiline reports whether s is valid UTF-8 with no control characters
// but line breaks and tabs: free text such as a need's details or a reply.
func Multiline(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' || r == utf8.RuneError {
			return false
		}
	}
	return true
}

// Tag reports whether s is a well-formed tag: 1–32 characters, each a
// lower-case letter (of any script), a digit, '_' or '-'.
func Tag(s string) bool {
	n := 0
	for _, r := range s {
		n++
		if !(unicode.IsLetter(r) && !unicode.IsUpper(r) || unicode.IsDigit(r) || r == '_' || r == '-') {
			return false
		}
	}
	return n >= 1 && n <= 32 && utf8.ValidString(s)
}

// Struct validates v (a struct or pointer to one). It returns nil or an
// *errs.Error with code Invalid listing every failing field.
func Struct(v any) error {
	err := instance().Struct(v)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !asValidationErrors(err, &verrs) {
		return errs.Internalf("validate %T: %w", v, err)
	}
	fields := make([]errs.FieldError, 0, len(verrs))
	for _, fe := range verrs {
		fields = append(fields, errs.FieldError{Field: fieldPath(fe.Namespace()), Message: message(fe)})
	}
	return errs.Fields(fields...)
}

func asValidationErrors(err error, out *validator.ValidationErrors) bool {
	ve, ok := err.(validator.ValidationErrors)
	if ok {
		*out = ve
	}
	return ok
}

// fieldPath drops the struct's own name: "Resident.interests[2]" → "interests[2]".
func fieldPath(ns string) string {
	if _, rest, ok := strings.Cut(ns, "."); ok {
		return rest
	}
	return ns
}

func message(fe validator.FieldError) string {
	p := fe.Param()
	isString := fe.Kind() == reflect.String
	isList := fe.Kind() == reflect.Slice || fe.Kind() == reflect.Map
	switch fe.Tag() {
	case "required", "required_with", "required_without", "required_if":
		return "is required"
	case "max":
		switch {
		case isString:
			return fmt.Sprintf("must be at most %s characters", p)
		case isList:
			return fmt.Sprintf("must have at most %s items", p)
		}
		return "must be at most " + p
	case "min":
		switch {
		case isString:
			return fmt.Sprintf("must be at least %s characters", p)
		case isList:
			return fmt.Sprintf("must have at least %s items", p)
		}
		return "must be at least " + p
	case "len":
		return fmt.Sprintf("must have length %s", p)
	case "gte":
		return "must be at least " + p
	case "lte":
		return "must be at most " + p
	case "gt":
		return "must be greater than " + p
	case "lt":
		return "must be less than " + p
	case "oneof":
		return "must be one of: " + strings.Join(strings.Fields(p), ", ")
	case "unique":
		return "must not repeat a value"
	case "ulid":
		return "must be an ID (a 26-character ULID)"
	case "text":
		return "must be text without control characters or surrounding spaces"
	case "multiline":
		return "must be text without control characters other than line breaks"
	case "tag":
		return "must be 1–32 lower-case letters, digits, '_' or '-'"
	case "phone":
		return "must be a phone number: digits, spaces or '-', optionally starting with '+'"
	case "finite":
		return "must be a finite number"
	case "excluded_with", "excluded_unless", "excluded_if":
		return "must not be set here"
	case "datetime":
		switch p {
		case "2006-01":
			return "must be a month written YYYY-MM, e.g. 2026-03"
		case "2006-01-02":
			return "must be a date written YYYY-MM-DD, e.g. 2026-03-10"
		}
		return "must be a time written " + strings.NewReplacer("2006", "YYYY", "01", "MM", "02", "DD", "15", "hh", "04", "mm", "05", "ss").Replace(p)
	}
	return fmt.Sprintf("fails rule %q", fe.Tag())
}
