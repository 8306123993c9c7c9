// Package storetest holds what the conformance suites of the domain
// stores (gridstest, governancetest, pointstest, fundstest) test alike.
package storetest

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// WriteSkew races transactions that each create a record unless one like
// it exists: exists checks over a set (no row locked by it, no unique key
// behind it) and create writes a new record. Serializable updates let
// exactly one create it (the others, run again, find it); weaker isolation
// lets several. It returns how many the racers created.
func WriteSkew[Tx any](t *testing.T, update func(func(Tx) error) error, exists func(Tx) (bool, error), create func(Tx) error) int {
	t.Helper()
	const racers = 8
	// Each racer, having found nothing, waits for the others to have read
	// too (or a while, where the store runs transactions one at a time),
	// so that their transactions overlap wherever they can.
	var read atomic.Int32
	all := make(chan struct{})
	var created atomic.Int32
	var wg sync.WaitGroup
	errs := make(chan error, racers)
	for range racers {
		wg.Go(func() {
			first := true
			wrote := false
			errs <- update(func(tx Tx) error {
				wrote = false
				found, err := exists(tx)
				if err != nil || found {
					return err
				}
				if first {
					first = false
					if read.Add(1) == racers {
						close(all)
					}
					select {
					case <-all:
					case <-time.After(100 * time.Millisecond):
					}
				}
				wrote = true
				return create(tx)
			})
			if wrote {
				created.Add(1)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	return int(created.Load())
}
