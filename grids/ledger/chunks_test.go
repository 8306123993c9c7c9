package ledger

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestChunks appends across several chunks (each next one made ready by
// another goroutine), truncates back over chunk boundaries and half-way
// marks, appends again, and checks every value after each step.
func TestChunks(t *testing.T) {
	const size = 1 << chunkBits
	var s chunks[Transfer]
	check := func(want func(i int) int64) {
		t.Helper()
		for i := range s.len() {
			require.Equal(t, want(i), s.at(i).Amount, "value %d of %d", i, s.len())
		}
	}
	push := func(n int, base int64) {
		for i := range n {
			s.append(Transfer{Amount: base + int64(i)})
		}
	}
	push(3*size+size/2+1, 0)
	check(func(i int) int64 { return int64(i) })

	for _, cut := range []int{3 * size, 2*size + size/2, size - 1, size/2 + 1, 7, 0} {
		s.truncate(cut)
		require.Equal(t, cut, s.len())
		check(func(i int) int64 { return int64(i) })
		k, i := cut>>chunkBits, cut&(size-1)
		require.Zero(t, s.c[k][:i+1][i], "truncate clears what it drops")
		push(3*size-cut, int64(cut))
		check(func(i int) int64 { return int64(i) })
		require.Equal(t, 3*size, s.len())
	}
	push(2*size, 3*size) // into chunks beyond any seen so far
	check(func(i int) int64 { return int64(i) })
	require.Len(t, s.c, 5)
}
