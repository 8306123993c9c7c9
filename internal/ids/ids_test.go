package ids_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/internal/ids"
)

func TestNewIsValidAndUnique(t *testing.T) {
	const workers, each = 8, 500
	var mu sync.Mutex
	seen := make(map[string]bool)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range each {
				id := ids.New()
				mu.Lock()
				seen[id] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	assert.Len(t, seen, workers*each)
	for id := range seen {
		require.True(t, ids.Valid(id), "got invalid id %q", id)
	}
}

func TestValid(t *testing.T) {
	tests := map[string]bool{
		ids.New():                       true,
		"":                              false,
		"01ARZ3NDEKTSV4RRFFQ69G5FA":     false, // 25 characters
		"01arz3ndektsv4rrffq69g5fav":    false, // lower case is not canonical
		"01ARZ3NDEKTSV4RRFFQ69G5FAU!":   false,
		"8ZZZZZZZZZZZZZZZZZZZZZZZZZ":    false, // overflows 128 bits
		"01ARZ3NDEKTSV4RRFFQ69G5FAV":    true,
		"01ARZ3NDEKTSV4RRFFQ69G5FAV ":   false,
		"01ARZ3NDEKTSV4RRFFQ69G5FA\x00": false,
	}
	for in, want := range tests {
		assert.Equal(t, want, ids.Valid(in), "Valid(%q)", in)
	}
}

func TestSequenceIsReproducibleAndOrdered(t *testing.T) {
	at := time.Date(2015, 6, 1, 8, 0, 0, 0, time.UTC)
	now := func() time.Time { return at }
	a, b := ids.NewSequence(now, 42), ids.NewSequence(now, 42)
	prev := ""
	for range 100 {
		x, y := a.New(), b.New()
		require.Equal(t, x, y, "same seed, same IDs")
		require.Greater(t, x, prev, "IDs in one millisecond still increase")
		prev = x
	}
	assert.NotEqual(t, ids.NewSequence(now, 1).New(), ids.NewSequence(now, 2).New())
}
