package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDayOf: a payment dated today is never in the future, whatever the
// hour (it was refused between midnight and noon in Shanghai); another
// day's is booked at its noon.
func TestDayOf(t *testing.T) {
	zone, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(t, err)
	s := &site{zone: zone}
	now := time.Now()
	today, err := s.dayOf(now.In(zone).Format(time.DateOnly))
	require.NoError(t, err)
	assert.False(t, today.After(time.Now()), "today's payment is not in the future")
	assert.Equal(t, now.In(zone).Format(time.DateOnly), today.In(zone).Format(time.DateOnly), "and it is today's")
	before, err := s.dayOf("2026-03-10")
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 3, 10, 12, 0, 0, 0, zone), before)
	_, err = s.dayOf("10/03/2026")
	assert.Error(t, err)
}
