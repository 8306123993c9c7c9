package money_test

import (
	"fmt"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"

	"github.com/linli-go/linli/internal/money"
)

func TestFormat(t *testing.T) {
	for in, want := range map[string]string{
		"0": "0.00", "5": "5.00", "12000": "12,000.00", "-800": "−800.00", "1234567.891": "1,234,567.89",
		"999.995": "1,000.00", "-0.001": "0.00", "100": "100.00", "1000": "1,000.00", "0.5": "0.50", "-1234.5": "−1,234.50",
	} {
		assert.Equal(t, want, money.Format(decimal.RequireFromString(in)), in)
	}
}

func ExampleFormat() {
	fmt.Println(money.Format(decimal.RequireFromString("30000")))
	fmt.Println(money.Format(decimal.RequireFromString("-800")))
	// Output:
	// 30,000.00
	// −800.00
}
