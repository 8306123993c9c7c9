package keep

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCache(t *testing.T) {
	ctx := context.Background()
	var c Cache[string, int]
	calls := 0
	compute := func(v int) func(context.Context) (int, error) {
		return func(context.Context) (int, error) { calls++; return v, nil }
	}
	steps := []struct {
		name  string
		key   string
		stamp Stamp
		value int // what compute would return
		want  int
		calls int // computations so far
	}{
		{"first read computes", "a", Stamp{1, 1}, 10, 10, 1},
		{"same versions: kept", "a", Stamp{1, 1}, 11, 10, 1},
		{"another key computes", "b", Stamp{1, 1}, 20, 20, 2},
		{"a write advanced a version: computed afresh", "a", Stamp{1, 2}, 12, 12, 3},
		{"and kept", "a", Stamp{1, 2}, 13, 12, 3},
		{"a reader that read older versions computes its own", "a", Stamp{1, 1}, 14, 14, 4},
		{"and leaves the later value kept", "a", Stamp{1, 2}, 15, 12, 4},
		{"versions moved apart (another source): computed", "a", Stamp{2, 1}, 16, 16, 5},
	}
	for _, s := range steps {
		got, err := c.Get(ctx, s.key, s.stamp, compute(s.value))
		require.NoError(t, err, s.name)
		assert.Equal(t, s.want, got, s.name)
		assert.Equal(t, s.calls, calls, s.name)
	}
}

func TestFailuresAreNotKept(t *testing.T) {
	ctx := context.Background()
	var c Cache[string, int]
	boom := errors.New("boom")
	_, err := c.Get(ctx, "a", Stamp{1}, func(context.Context) (int, error) { return 0, boom })
	require.ErrorIs(t, err, boom)
	assert.Zero(t, c.Len())
	got, err := c.Get(ctx, "a", Stamp{1}, func(context.Context) (int, error) { return 7, nil })
	require.NoError(t, err)
	assert.Equal(t, 7, got)
}

func TestBounded(t *testing.T) {
	c := Cache[int, int]{Max: 3}
	for i := range 10 {
		_, err := c.Get(context.Background(), i, Stamp{}, func(context.Context) (int, error) { return i, nil })
		require.NoError(t, err)
		assert.LessOrEqual(t, c.Len(), 3)
	}
}

// TestConcurrentReadersComputeOnce: readers that come while a value is
// computed wait for it; one whose context ends stops waiting.
func TestConcurrentReadersComputeOnce(t *testing.T) {
	var c Cache[string, int]
	var calls atomic.Int32
	release := make(chan struct{})
	compute := func(context.Context) (int, error) {
		calls.Add(1)
		<-release
		return 42, nil
	}
	first := make(chan struct{})
	go func() {
		_, _ = c.Get(context.Background(), "a", Stamp{3}, func(ctx context.Context) (int, error) { close(first); return compute(ctx) })
	}()
	<-first
	var wg sync.WaitGroup
	got := make([]int, 16)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := c.Get(context.Background(), "a", Stamp{3}, compute)
			assert.NoError(t, err)
			got[i] = v
		}()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err := c.Get(ctx, "a", Stamp{3}, compute)
	assert.ErrorIs(t, err, context.DeadlineExceeded, "a reader that gives up")
	close(release)
	wg.Wait()
	assert.Equal(t, int32(1), calls.Load(), "computed once")
	for _, v := range got {
		assert.Equal(t, 42, v)
	}
}
