package clock

import (
	"sync"
	"time"
)

// Earliest is the earliest date a record of linli's books carries: a
// donation, an income, a payment, a declared month. A date before it is
// a mistake (a year left at 0001, or 1900 from a spreadsheet), refused
// rather than booked.
var Earliest = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Normalize returns t in UTC truncated to microseconds: the precision every
// store keeps, so a record reads back exactly as it was written.
func Normalize(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// Manual is a clock that moves only when told to. It is safe for concurrent use.
type Manual struct {
	mu sync.Mutex
	t  time.Time
}

// NewManual returns a Manual clock set to t.
func NewManual(t time.Time) *Manual { return &Manual{t: t} }

// Now returns the clock's time.
func (m *Manual) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.t
}

// Set moves the clock to t.
func (m *Manual) Set(t time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.t = t
}

// Advance moves the clock forward by d and returns the new time.
func (m *Manual) Advance(d time.Duration) time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.t = m.t.Add(d)
	return m.t
}
