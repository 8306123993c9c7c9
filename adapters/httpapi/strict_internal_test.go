package httpapi

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/internal/errs"
)

// TestStrictBodies: money is an exact decimal written as a string, keys
// are spelt as documented and given once.
func TestStrictBodies(t *testing.T) {
	type line struct {
		Key    string          `json:"key"`
		Amount decimal.Decimal `json:"amount"`
	}
	type stamps struct {
		Note string `json:"note,omitempty"`
	}
	type input struct {
		At      time.Time                  `json:"at,omitzero"`
		Amount  decimal.Decimal            `json:"amount"`
		Cap     *decimal.Decimal           `json:"cap,omitempty"`
		Lines   []line                     `json:"lines,omitempty"`
		Partial map[string]decimal.Decimal `json:"partial,omitempty"`
		stamps
	}
	for _, tc := range []struct {
		body  string
		field string // "" if accepted
	}{
		{`{"amount": "12.50"}`, ""},
		{`{"amount": "-3"}`, ""},
		{`{"amount": "0.5", "cap": "100", "lines": [{"key": "a", "amount": "1.25"}], "partial": {"x": "2"}, "note": "好"}`, ""},
		{`{"amount": 12.5}`, "amount"},
		{`{"amount": "1E2"}`, "amount"},
		{`{"amount": "+1"}`, "amount"},
		{`{"amount": ".5"}`, "amount"},
		{`{"amount": "1."}`, "amount"},
		{`{"amount": " 1"}`, "amount"},
		{`{"amount": "1", "cap": 5}`, "cap"},
		{`{"amount": "1", "lines": [{"key": "a", "amount": "1"}, {"key": "b", "amount": "2e1"}]}`, "lines[1].amount"},
		{`{"amount": "1", "partial": {"x": "0x10"}}`, "partial.x"},
		{`{"Amount": "1"}`, "Amount"},
		{`{"amount": "1", "NOTE": "x"}`, "NOTE"},
		{`{"amount": "1", "amount": "2"}`, "amount"},
		{`{"amount": "1", "lines": [{"key": "a", "key": "b", "amount": "1"}]}`, "lines[0].key"},
		{`{"amount": "1", "partial": {"x": "1", "x": "2"}}`, "partial.x"},
		{`{"amount": "1", "at": "2026-03-10T09:00:00+08:00"}`, ""},
		{`{"amount": "1", "at": "0001-01-01T00:00:00Z"}`, "at"},
	} {
		t.Run(tc.body, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", strings.NewReader(tc.body))
			r.Header.Set("Content-Type", "application/json")
			_, err := decode[input](httptest.NewRecorder(), r, 1<<16)
			if tc.field == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, errs.Invalid)
			fields := errs.FieldsOf(err)
			require.Len(t, fields, 1, "%v", err)
			assert.Equal(t, tc.field, fields[0].Field, "%v", err)
		})
	}
}
