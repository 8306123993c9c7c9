package clock_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/linli-go/linli/internal/clock"
)

func TestNormalize(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	in := time.Date(2026, 3, 10, 19, 30, 0, 123456789, shanghai)
	got := clock.Normalize(in)
	assert.Equal(t, time.UTC, got.Location())
	assert.Equal(t, 123456000, got.Nanosecond())
	assert.True(t, got.Equal(in.Truncate(time.Microsecond)))
}

func TestManual(t *testing.T) {
	start := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
	c := clock.NewManual(start)
	assert.Equal(t, start, c.Now())
	assert.Equal(t, start.Add(time.Hour), c.Advance(time.Hour))
	c.Set(start)
	assert.Equal(t, start, c.Now())
}
