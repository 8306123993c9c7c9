package ledger

// chunkBits sizes the chunks the transfer log is kept in: growing the log
// allocates a new chunk now and then and never copies what is there (a
// doubling slice of millions of transfers spends its time in memmove).
// The first chunk starts small and doubles up to the size, so an engine
// made for one small batch (the SQL stores make one a batch) allocates
// little.
const chunkBits = 14

// chunks is an append-only sequence in fixed-size chunks.
type chunks[T any] struct {
	c [][]T
	n int
}

func (s *chunks[T]) len() int { return s.n }

func (s *chunks[T]) at(i int) *T { return &s.c[i>>chunkBits][i&(1<<chunkBits-1)] }

func (s *chunks[T]) append(v T) {
	k := s.n >> chunkBits
	if k == len(s.c) {
		size := 1 << chunkBits
		if k == 0 {
			size = 16
		}
		s.c = append(s.c, make([]T, 0, size))
	}
	s.c[k] = append(s.c[k], v) // grows only the first chunk, up to 1<<chunkBits
	s.n++
}

// truncate drops everything from n on.
func (s *chunks[T]) truncate(n int) {
	var zero T
	for i := n; i < s.n; i++ {
		*s.at(i) = zero
	}
	for k := range s.c {
		lo := k << chunkBits
		s.c[k] = s.c[k][:min(max(n-lo, 0), len(s.c[k]))]
	}
	s.n = n
}
