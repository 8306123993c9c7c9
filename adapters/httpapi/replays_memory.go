package httpapi

import (
	"context"
	"sync"
	"time"
)

// MemoryReplays keeps idempotency keys in this process's memory: the
// server's default, and enough for one process. A server restarted, or
// one of several, forgets them: give Config.Replays a database's
// (sqlstore.DB.Replays).
type MemoryReplays struct {
	mu    sync.Mutex
	keys  map[ReplayKey]Replay
	sweep time.Time
}

// NewMemoryReplays returns an empty MemoryReplays.
func NewMemoryReplays() *MemoryReplays { return &MemoryReplays{keys: map[ReplayKey]Replay{}} }

// Claim implements Replays.
func (m *MemoryReplays) Claim(_ context.Context, k ReplayKey, fingerprint string, now time.Time) (*Replay, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if now.Sub(m.sweep) > time.Hour {
		for key, r := range m.keys {
			if forgotten(r, now) {
				delete(m.keys, key)
			}
		}
		m.sweep = now
	}
	if r, ok := m.keys[k]; ok && !forgotten(r, now) {
		if r.Done {
			return &r, nil
		}
		return nil, ErrInFlight
	}
	m.keys[k] = Replay{Fingerprint: fingerprint, At: now}
	return nil, nil
}

// Save implements Replays.
func (m *MemoryReplays) Save(_ context.Context, k ReplayKey, r Replay) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r.Done = true
	r.Body = append([]byte(nil), r.Body...)
	m.keys[k] = r
	return nil
}

// Release implements Replays.
func (m *MemoryReplays) Release(_ context.Context, k ReplayKey) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, ok := m.keys[k]; ok && !r.Done {
		delete(m.keys, k)
	}
	return nil
}

// forgotten reports whether a key's use no longer counts at now: a
// response past its retention, a claim abandoned.
func forgotten(r Replay, now time.Time) bool {
	if r.Done {
		return !now.Before(r.At.Add(ReplayRetention))
	}
	return !now.Before(r.At.Add(ReplayStale))
}
