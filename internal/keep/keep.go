// Package keep keeps values computed from a community's records by the
// versions of the records they were computed at (record.Versioned): a
// value is served again only while the versions stay, and every
// committed write advances one. Requests that find the same value being
// computed wait for it rather than compute it again.
package keep

import (
	"context"
	"sync"
)

// Stamp is the versions a value was computed at, one a source (0 for a
// source left out).
type Stamp [4]int64

// Cache keeps up to Max values (256 if 0) by key. The zero value is ready.
// Values are shared by every caller that gets them: callers read them and
// never change them.
type Cache[K comparable, T any] struct {
	Max int

	mu sync.Mutex
	m  map[K]*entry[T]
}

type entry[T any] struct {
	stamp Stamp
	done  chan struct{} // closed once value and err are set
	value T
	err   error
}

// Get returns the value kept for key at stamp, or computes it. stamp must
// be read before compute reads anything: a write after it then leaves the
// value kept at an older stamp, and the next Get computes afresh. A
// computation that fails is not kept, and those waiting for it compute
// their own.
func (c *Cache[K, T]) Get(ctx context.Context, key K, stamp Stamp, compute func(context.Context) (T, error)) (T, error) {
	c.mu.Lock()
	e, ok := c.m[key]
	if ok && e.stamp == stamp {
		c.mu.Unlock()
		select {
		case <-e.done:
		case <-ctx.Done():
			var zero T
			return zero, ctx.Err()
		}
		if e.err == nil {
			return e.value, nil
		}
		return compute(ctx)
	}
	if ok && newer(e.stamp, stamp) {
		// A slower reader read the versions before a faster one kept a
		// later value: it computes its own and leaves the later one.
		c.mu.Unlock()
		return compute(ctx)
	}
	max := c.Max
	if max <= 0 {
		max = 256
	}
	if c.m == nil || len(c.m) >= max {
		c.m = map[K]*entry[T]{}
	}
	e = &entry[T]{stamp: stamp, done: make(chan struct{})}
	c.m[key] = e
	c.mu.Unlock()

	e.value, e.err = compute(ctx)
	close(e.done)
	if e.err != nil {
		c.mu.Lock()
		if c.m[key] == e {
			delete(c.m, key)
		}
		c.mu.Unlock()
	}
	return e.value, e.err
}

// Len is how many values are kept or being computed.
func (c *Cache[K, T]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// newer reports whether a is a later stamp than b: no version behind and
// one ahead. Versions only advance.
func newer(a, b Stamp) bool {
	ahead := false
	for i := range a {
		if a[i] < b[i] {
			return false
		}
		ahead = ahead || a[i] > b[i]
	}
	return ahead
}

// Versioned is a source of versions: record.Versioned, and the services
// over such stores.
type Versioned interface {
	Version(ctx context.Context, community string) (int64, error)
}

// Sources are the sources of a stamp, in order.
type Sources []Versioned

// Add appends s if it is a Versioned, a nil source (left out) if s is
// nil, and reports whether it was either: a source that keeps no
// versions makes values from it impossible to keep.
func (ss *Sources) Add(s any, unset bool) bool {
	if unset {
		*ss = append(*ss, nil)
		return true
	}
	v, ok := s.(Versioned)
	*ss = append(*ss, v)
	return ok
}

// Stamp reads the versions of the sources, in order (0 for one left out).
func (ss Sources) Stamp(ctx context.Context, community string) (Stamp, error) {
	var st Stamp
	for i, s := range ss {
		if s == nil {
			continue
		}
		v, err := s.Version(ctx, community)
		if err != nil {
			return st, err
		}
		st[i] = v
	}
	return st, nil
}
