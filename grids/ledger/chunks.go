package ledger

import "unsafe"

// chunkBits sizes the chunks the transfer log is kept in: growing the log
// allocates a new chunk now and then and never copies what is there (a
// doubling slice of millions of transfers spends its time in memmove).
// The first chunk starts small and doubles up to the size, so an engine
// made for one small batch (the SQL stores make one a batch) allocates
// little. A full chunk of transfers is 8 MiB: four huge pages, at least
// three of them whole wherever it lies (populate).
const chunkBits = 16

// chunks is an append-only sequence in fixed-size chunks.
type chunks[T any] struct {
	c [][]T
	n int
	// ahead brings the next chunk, made ready (ready) by a goroutine of
	// its own once the current one holds 4,096 values; waiting says one
	// is on its way.
	ahead   chan []T
	waiting bool
}

func (s *chunks[T]) len() int { return s.n }

func (s *chunks[T]) at(i int) *T { return &s.c[i>>chunkBits][i&(1<<chunkBits-1)] }

func (s *chunks[T]) append(v T) {
	k := s.n >> chunkBits
	switch {
	case k == len(s.c) && k == 0:
		s.c = append(s.c, make([]T, 0, 16))
	case k == len(s.c):
		s.c = append(s.c, s.take())
	case k == 0 && len(s.c[0]) == cap(s.c[0]) && s.waiting:
		s.c[0] = append(s.take(), s.c[0]...) // outgrown: into a full chunk made ready
	}
	s.c[k] = append(s.c[k], v) // grows only the first chunk, up to 1<<chunkBits
	s.n++
	if !s.waiting && len(s.c) == k+1 && s.n&(1<<chunkBits-1) >= 1<<12 {
		if s.ahead == nil {
			s.ahead = make(chan []T, 1)
		}
		s.waiting = true
		go func(c chan<- []T) { c <- ready[T]() }(s.ahead)
	}
}

// take returns the chunk on its way, or makes one.
func (s *chunks[T]) take() []T {
	if !s.waiting {
		return ready[T]()
	}
	s.waiting = false
	return <-s.ahead
}

// ready returns a full chunk's room with its memory backed. A long log
// writes fresh memory all the time, and on the virtual machines linli runs
// on the first touch of each 4 KiB page costs microseconds (over half the
// memory ledger's time in ledgerbench); made ready on another core while
// the current chunk fills, the next chunk costs the writer nothing. An
// engine dropped leaves at most one ready chunk, which the garbage
// collector takes with it.
func ready[T any]() []T {
	c := make([]T, 1<<chunkBits)
	var zero T
	size := int(unsafe.Sizeof(zero))
	if !populate(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(c))), len(c)*size)) {
		for i := 0; i < len(c); i += max(1, 4096/max(1, size)) {
			c[i] = zero
		}
	}
	return c[:0]
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
