package errs_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/linli-go/linli/internal/errs"
)

var (
	errOutOfStock   = errs.NewRule(errs.FailedPrecondition, "points.out_of_stock", "an item is exchanged only while it is on the shelf")
	errInsufficient = errs.NewRule(errs.FailedPrecondition, "points.insufficient", "points are spent only if the passbook holds them")
)

func TestRules(t *testing.T) {
	refusal := errOutOfStock.Refuse("out of stock: fewer than %d left", 3)
	wrapped := fmt.Errorf("exchange: %w", refusal)
	tests := []struct {
		name string
		err  error
		rule *errs.Rule
		code errs.Code
	}{
		{"a refusal", refusal, errOutOfStock, errs.FailedPrecondition},
		{"wrapped", wrapped, errOutOfStock, errs.FailedPrecondition},
		{"the rule's own words", errInsufficient.Refusal(), errInsufficient, errs.FailedPrecondition},
		{"the rule as the cause", errs.E(errs.FailedPrecondition, "gift: %w", errInsufficient), errInsufficient, errs.FailedPrecondition},
		{"the rule itself", errInsufficient, errInsufficient, errs.FailedPrecondition},
		{"no rule", errs.E(errs.Conflict, "taken"), nil, errs.Conflict},
		{"not ours", errors.New("boom"), nil, errs.Internal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.rule, errs.RuleOf(tt.err), "got %v, want %v", errs.RuleOf(tt.err), tt.rule)
			assert.Equal(t, tt.code, errs.CodeOf(tt.err))
			if tt.rule != nil {
				assert.ErrorIs(t, tt.err, tt.rule)
				assert.ErrorIs(t, tt.err, tt.code, "a refusal has its rule's code")
			}
			assert.NotErrorIs(t, tt.err, map[*errs.Rule]*errs.Rule{errOutOfStock: errInsufficient, errInsufficient: errOutOfStock, nil: errOutOfStock}[tt.rule])
		})
	}
	assert.Equal(t, "out of stock: fewer than 3 left", refusal.Error(), "the message is the refusal's, the rule is named apart")
	assert.Equal(t, "points.out_of_stock", errOutOfStock.Name())
	assert.Panics(t, func() { errs.NewRule(errs.Invalid, "Not A Name", "x") })
}
