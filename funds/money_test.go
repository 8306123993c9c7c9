package funds

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"

	"github.com/linli-go/linli/grids"
)

func TestFen(t *testing.T) {
	for _, tc := range []struct {
		in   string
		fen  int64
		fail bool
	}{
		{"0", 0, false}, {"1", 100, false}, {"1.5", 150, false}, {"1.50", 150, false}, {"0.01", 1, false},
		{"-2.35", -235, false}, {"1.001", 0, true}, {"0.005", 0, true}, {"1.0000", 100, false}, {"1e30", 0, true},
	} {
		got, err := fen("amount", decimal.RequireFromString(tc.in))
		if tc.fail {
			assert.ErrorIs(t, err, grids.Invalid, tc.in)
			continue
		}
		assert.NoError(t, err, tc.in)
		assert.Equal(t, tc.fen, got, tc.in)
	}
}

func TestApplyRateRoundsHalfUp(t *testing.T) {
	for _, tc := range []struct{ amount, rate, want string }{
		{"1234.56", "0.1", "123.46"}, {"0.05", "0.1", "0.01"}, {"0.04", "0.1", "0"}, {"333.30", "0.05", "16.67"}, {"100", "0.1", "10"},
	} {
		assert.Equal(t, tc.want, ApplyRate(decimal.RequireFromString(tc.amount), decimal.RequireFromString(tc.rate)).String(), "%s × %s", tc.amount, tc.rate)
	}
}

func TestScaleLines(t *testing.T) {
	lines := []Line{{Key: "a", Amount: decimal.NewFromInt(700)}, {Key: "b", Amount: decimal.NewFromInt(200)}, {Key: "c", Amount: decimal.NewFromInt(100)}}
	got := scaleLines(lines, 33333, 100000) // a third, in fen
	var sum int64
	for _, l := range got {
		f, _ := fen("", l.Amount)
		sum += f
	}
	assert.EqualValues(t, 33333, sum, "the cut lines add up to the amount to the fen")
	assert.Equal(t, "233.34", got[0].Amount.String(), "the remainder goes to the largest line")
	assert.Equal(t, "66.66", got[1].Amount.String())
}
