package validate_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/ids"
	"github.com/linli-go/linli/internal/validate"
)

type point struct {
	Lat float64 `json:"lat" validate:"finite,gte=-90,lte=90"`
}

type sample struct {
	ID    string   `json:"id" validate:"ulid"`
	Name  string   `json:"name" validate:"required,text,max=8"`
	Phone string   `json:"phone,omitempty" validate:"omitempty,phone"`
	Tags  []string `json:"tags" validate:"max=3,unique,dive,tag"`
	Sex   string   `json:"sex" validate:"oneof=male female"`
	At    *point   `json:"at,omitempty" validate:"omitempty"`
	Month string   `json:"month,omitempty" validate:"omitempty,datetime=2006-01"`
}

func valid() sample {
	return sample{ID: ids.New(), Name: "王芳", Tags: []string{"广场舞", "tai_chi"}, Sex: "female", Phone: "+86 138-0000-0000"}
}

func TestStruct(t *testing.T) {
	tests := []struct {
		name      string
		mutate    func(*sample)
		wantField string
		wantMsg   string
	}{
		{"valid", func(*sample) {}, "", ""},
		{"missing name", func(s *sample) { s.Name = "" }, "name", "is required"},
		{"name too long in runes", func(s *sample) { s.Name = "一二三四五六七八九" }, "name", "must be at most 8 characters"},
		{"name with newline", func(s *sample) { s.Name = "a\nb" }, "name", "must be text without control characters or surrounding spaces"},
		{"name with surrounding space", func(s *sample) { s.Name = " a" }, "name", "must be text without control characters or surrounding spaces"},
		{"name invalid utf8", func(s *sample) { s.Name = "a\xffb" }, "name", "must be text without control characters or surrounding spaces"},
		{"bad id", func(s *sample) { s.ID = "nope" }, "id", "must be an ID (a 26-character ULID)"},
		{"bad phone", func(s *sample) { s.Phone = "call me" }, "phone", "must be a phone number: digits, spaces or '-', optionally starting with '+'"},
		{"upper-case tag", func(s *sample) { s.Tags = []string{"Chess"} }, "tags[0]", "must be 1–32 lower-case letters, digits, '_' or '-'"},
		{"tag with space", func(s *sample) { s.Tags = []string{"ok", "square dance"} }, "tags[1]", "must be 1–32 lower-case letters, digits, '_' or '-'"},
		{"duplicate tags", func(s *sample) { s.Tags = []string{"a", "a"} }, "tags", "must not repeat a value"},
		{"too many tags", func(s *sample) { s.Tags = []string{"a", "b", "c", "d"} }, "tags", "must have at most 3 items"},
		{"sex", func(s *sample) { s.Sex = "x" }, "sex", "must be one of: male, female"},
		{"nested NaN", func(s *sample) { s.At = &point{Lat: math.NaN()} }, "at.lat", "must be a finite number"},
		{"nested range", func(s *sample) { s.At = &point{Lat: 91} }, "at.lat", "must be at most 90"},
		{"month", func(s *sample) { s.Month = "2026-3" }, "month", "must be a month written YYYY-MM, e.g. 2026-03"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := valid()
			tt.mutate(&s)
			err := validate.Struct(s)
			if tt.wantField == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Equal(t, errs.Invalid, errs.CodeOf(err))
			fields := errs.FieldsOf(err)
			require.Len(t, fields, 1, "got %v", fields)
			assert.Equal(t, tt.wantField, fields[0].Field)
			assert.Equal(t, tt.wantMsg, fields[0].Message)
		})
	}
}

func TestStructReportsEveryField(t *testing.T) {
	err := validate.Struct(sample{})
	fields := errs.FieldsOf(err)
	names := make([]string, 0, len(fields))
	for _, f := range fields {
		names = append(names, f.Field)
	}
	assert.ElementsMatch(t, []string{"id", "name", "sex"}, names)
}

func TestTag(t *testing.T) {
	for in, want := range map[string]bool{
		"tai_chi": true, "广场舞": true, "k-12": true, "": false, "Chess": false,
		"a b": false, "x\x00": false, "abcdefghijklmnopqrstuvwxyz0123456": false,
	} {
		assert.Equal(t, want, validate.Tag(in), "Tag(%q)", in)
	}
}

func TestMultiline(t *testing.T) {
	for in, want := range map[string]bool{
		"第一行\n第二行\ttab": true, "": true, "a\x00b": false, "a\x1bb": false, "\xff": false,
	} {
		assert.Equal(t, want, validate.Multiline(in), "Multiline(%q)", in)
	}
}
