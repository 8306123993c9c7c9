package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/internal/errs"
)

// strict holds a body to what the document says, beyond what
// encoding/json checks: a key appears once in an jsonObject and is spelt as
// the field is (encoding/json matches keys without regard to case and
// keeps the last of two), and an exact decimal is a string of digits with
// at most one point between digits ("12.50"; not 12.5, "1E2", "+1", ".5"
// or "1."), and a time is not the zero time (0001-01-01T00:00:00Z, which
// Go reads as none).
func strict(data []byte, t reflect.Type) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := readValue(dec)
	if err != nil {
		return nil // malformed: encoding/json says how, with the field
	}
	return checkValue(v, t, "")
}

// jsonObject is a JSON jsonObject with its keys in order, repeats kept.
type jsonObject []member

type member struct {
	key   string
	value any
}

// readValue reads one JSON value: jsonObject, []any, string, json.Number,
// bool or nil.
func readValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch d := tok.(type) {
	case json.Delim:
		switch d {
		case '{':
			var o jsonObject
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := readValue(dec)
				if err != nil {
					return nil, err
				}
				o = append(o, member{k.(string), v})
			}
			_, err := dec.Token() // }
			return o, err
		case '[':
			var a []any
			for dec.More() {
				v, err := readValue(dec)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			_, err := dec.Token() // ]
			return a, err
		}
	}
	return tok, nil
}

// exactDecimal is how an exact decimal is written.
var exactDecimal = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

var (
	decimalType = reflect.TypeFor[decimal.Decimal]()
	timeType    = reflect.TypeFor[time.Time]()
)

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// checkValue checks v, decoded JSON, along the Go type it is meant for.
func checkValue(v any, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if v == nil {
		return nil
	}
	if t == timeType {
		if s, ok := v.(string); ok {
			if at, err := time.Parse(time.RFC3339, s); err == nil && at.IsZero() {
				return errs.Field(path, "is the zero time, which means none: leave the field out")
			}
		}
		return nil
	}
	if t == decimalType {
		s, ok := v.(string)
		if !ok || !exactDecimal.MatchString(s) {
			return errs.Field(path, "must be an exact decimal written as a string of digits, e.g. \"12.50\"")
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		items, _ := v.([]any)
		for i, item := range items {
			if err := checkValue(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		o, _ := v.(jsonObject)
		seen := map[string]bool{}
		for _, m := range o {
			if seen[m.key] {
				return errs.Field(join(path, m.key), "is given twice")
			}
			seen[m.key] = true
			if err := checkValue(m.value, t.Elem(), join(path, m.key)); err != nil {
				return err
			}
		}
	case reflect.Struct:
		o, ok := v.(jsonObject)
		if !ok {
			return nil // a time, or a type error encoding/json reports
		}
		fields := map[string]reflect.Type{}
		jsonFields(t, fields)
		seen := map[string]bool{}
		for _, m := range o {
			if seen[m.key] {
				return errs.Field(join(path, m.key), "is given twice")
			}
			seen[m.key] = true
			ft, ok := fields[m.key]
			if !ok {
				if len(fields) > 0 && !hasFold(fields, m.key) {
					continue // unknown: encoding/json refuses it by name
				}
				return errs.Field(join(path, m.key), "is not a known field (keys are spelt as documented, in lower case)")
			}
			if err := checkValue(m.value, ft, join(path, m.key)); err != nil {
				return err
			}
		}
	}
	return nil
}

// jsonFields collects a struct's fields by their JSON names, embedded
// structs' fields too.
func jsonFields(t reflect.Type, into map[string]reflect.Type) {
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if sf.Anonymous && name == "" {
			et := sf.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				jsonFields(et, into)
			}
			continue
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		into[name] = sf.Type
	}
}

// hasFold reports whether a field's name matches key but for case.
func hasFold(fields map[string]reflect.Type, key string) bool {
	for name := range fields {
		if strings.EqualFold(name, key) {
			return true
		}
	}
	return false
}
