package ids

import (
	"math/rand/v2"
	"sync"
	"time"

	"github.com/oklog/ulid/v2"
)

// New returns a fresh ULID in its canonical 26-character form. It is safe for
// concurrent use.
func New() string { return ulid.Make().String() }

// Valid reports whether s is a ULID in canonical form (upper case Crockford
// base32, 26 characters).
func Valid(s string) bool {
	id, err := ulid.ParseStrict(s)
	return err == nil && id.String() == s
}

// Sequence makes reproducible IDs for tests and seed data: the time part comes
// from now, the random part from a PRNG seeded with seed, and IDs made in the
// same millisecond still increase. It is safe for concurrent use.
type Sequence struct {
	mu      sync.Mutex
	now     func() time.Time
	entropy *ulid.MonotonicEntropy
}

// NewSequence returns a Sequence; the same now and seed give the same IDs.
func NewSequence(now func() time.Time, seed uint64) *Sequence {
	src := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	return &Sequence{now: now, entropy: ulid.Monotonic(readerFunc(func(p []byte) (int, error) {
		for i := range p {
			p[i] = byte(src.Uint32())
		}
		return len(p), nil
	}), 0)}
}

// New returns the next ID.
func (s *Sequence) New() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return ulid.MustNew(ulid.Timestamp(s.now()), s.entropy).String()
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }
