package ledger_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/grids/ledger/ledgertest"
)

func TestMemoryStore(t *testing.T) {
	ledgertest.RunStoreTests(t, func(_ testing.TB, now func() int64) ledger.Store { return ledger.NewMemoryStore(now) }, 400)
	// The sequences must reach every kind of success and failure, or the
	// comparison with the model proved little.
	c := ledgertest.Coverage()
	for _, r := range []ledger.Result{ledger.Ok, ledger.Exists, ledger.ExistsWithDifferentFields, ledger.IDAlreadyFailed, ledger.LinkedEventFailed,
		ledger.LinkedEventChainOpen, ledger.ExceedsCredits, ledger.ExceedsDebits, ledger.Overflow, ledger.PendingTransferAlreadyPosted,
		ledger.PendingTransferAlreadyVoided, ledger.PendingTransferExpired, ledger.ExceedsPendingTransferAmount,
		ledgertest.LinkedOk, ledgertest.PostedOk, ledgertest.VoidedOk} {
		require.Positive(t, c[r], "the sequences reach %v", r)
	}
}

// TestWorkingSetStore holds the SQL stores' method — the engine over each
// batch's working set — to the suite without a database.
func TestWorkingSetStore(t *testing.T) {
	ledgertest.RunStoreTests(t, func(_ testing.TB, now func() int64) ledger.Store { return newWorkingStore(now) }, 100)
}

// FuzzLedgerAgainstModel checks the engine against the model after every
// batch of a sequence the fuzzer draws.
func FuzzLedgerAgainstModel(f *testing.F) {
	f.Add([]byte{3, 1, 2, 1, 1, 5, 0, 0, 1, 0, 0, 0, 0})
	f.Add(ledgertest.Bytes(7, 300))
	f.Fuzz(func(t *testing.T, data []byte) {
		var clock, clock2 atomic.Int64
		clock.Store(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC).UnixNano())
		clock2.Store(clock.Load())
		ledgertest.Sequence(t, ledger.NewMemoryStore(clock.Load), &clock, 1, data, true)
		ledgertest.Sequence(t, newWorkingStore(clock2.Load), &clock2, 1, data, true)
	})
}

func id(n int) ledger.ID { return ledgertest.ID(0, uint64(n)) }
