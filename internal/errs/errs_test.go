package errs_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/linli-go/linli/internal/errs"
)

var errArchived = errs.E(errs.FailedPrecondition, "resident is archived")

func TestCodeOf(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want errs.Code
	}{
		{"nil", nil, ""},
		{"plain error", errors.New("boom"), errs.Internal},
		{"context canceled", context.Canceled, errs.Internal},
		{"coded", errs.E(errs.NotFound, "no resident %q", "x"), errs.NotFound},
		{"wrapped sentinel", fmt.Errorf("archive: %w", errArchived), errs.FailedPrecondition},
		{"field error", errs.Field("name", "is required"), errs.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, errs.CodeOf(tt.err))
		})
	}
}

func TestIs(t *testing.T) {
	err := fmt.Errorf("update resident: %w", errArchived)
	assert.ErrorIs(t, err, errArchived, "the sentinel itself")
	assert.ErrorIs(t, err, errs.FailedPrecondition, "its code")
	assert.NotErrorIs(t, err, errs.NotFound)

	var e *errs.Error
	assert.ErrorAs(t, err, &e)
	assert.Equal(t, errs.FailedPrecondition, e.Code)
}

func TestEWrapsCause(t *testing.T) {
	cause := errors.New("disk full")
	err := errs.E(errs.Internal, "save resident: %w", cause)
	assert.ErrorIs(t, err, cause)
	assert.Equal(t, "save resident: disk full", err.Error())
	assert.Equal(t, "internal error", errs.Message(err), "internal details are not shown")
}

func TestFields(t *testing.T) {
	err := errs.Fields(
		errs.FieldError{Field: "residents.birth_year", Message: "must be a year", Row: 12},
		errs.FieldError{Field: "residents.sex", Message: "must be male or female", Row: 13},
	)
	assert.Equal(t, errs.Invalid, errs.CodeOf(err))
	assert.Len(t, errs.FieldsOf(err), 2)
	assert.Equal(t, "invalid input: 2 problems, first row 12: residents.birth_year: must be a year", err.Error())
	assert.Equal(t, "invalid name: is required", errs.Field("name", "is required").Error())
}

// TestQuiet: a quiet error's cause is in Error (for logs) and never in
// Message (for users), even wrapped.
func TestQuiet(t *testing.T) {
	cause := errors.New(`ERROR: could not serialize access (SQLSTATE 40001)`)
	err := errs.Quiet(errs.Conflict, cause, "not made; try again")
	assert.True(t, errors.Is(err, cause))
	assert.Equal(t, errs.Conflict, errs.CodeOf(err))
	assert.Contains(t, err.Error(), "SQLSTATE")
	assert.Equal(t, "not made; try again", errs.Message(err))
	assert.Equal(t, "shard a: not made; try again", errs.Message(fmt.Errorf("shard a: %w", err)))
}
