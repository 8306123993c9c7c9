// Package money writes amounts of money as people read them: two
// decimals and thousands separators ("12,000.00"), a true minus sign for
// refunds and corrections ("−800.00"). Plumbing for the pages, reports and
// bulletins of several packages; it holds no rule.
package money

import (
	"strings"

	"github.com/shopspring/decimal"
)

// Format writes d rounded half away from zero to the fen.
func Format(d decimal.Decimal) string {
	s := d.Abs().StringFixed(2)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if d.Round(2).IsNegative() {
		b.WriteString("−")
	}
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	b.WriteByte('.')
	b.WriteString(frac)
	return b.String()
}
