package ledger

// chunkBits sizes the chunks the transfer log is kept in: growing the log
// allocates a new chunk now and then and never copies what is there (a
// doubling slice of millions of transfers spends its time in memmove).
const chunkBits = 14

// chunks is an append-only sequence in fixed-size chunks.
type chunks[T any] struct {
	c [][]T
	n int
}

func (s *chunks[T]) len() int { return s.n }

func (s *chunks[T]) at(i int) *T { return &s.c[i>>chunkBits][i&(1<<chunkBits-1)] }

func (s *chunks[T]) append(v T) {
	if s.n>>chunkBits == len(s.c) {
		s.c = append(s.c, make([]T, 1<<chunkBits))
	}
	*s.at(s.n) = v
	s.n++
}

// truncate drops everything from n on.
func (s *chunks[T]) truncate(n int) {
	var zero T
	for i := n; i < s.n; i++ {
		*s.at(i) = zero
	}
	s.n = n
}
