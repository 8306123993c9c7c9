package ledger_test

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/grids/ledger"
)

// TestMemoryLastItems: 1,000 concurrent exchanges for the last 10 items —
// exactly 10 succeed, and the books balance.
func TestMemoryLastItems(t *testing.T) {
	m := ledger.NewMemory(nil)
	m.CreateAccounts([]ledger.Account{
		{ID: id(1), Ledger: 2, Code: 1}, {ID: id(2), Ledger: 2, Code: 2, Flags: ledger.DebitsMustNotExceedCredits}, {ID: id(3), Ledger: 2, Code: 3},
	}, nil)
	require.Equal(t, []ledger.Result{ledger.Ok}, m.CreateTransfers([]ledger.Transfer{{ID: id(100), DebitAccountID: id(1), CreditAccountID: id(2), Amount: 10, Ledger: 2, Code: 1}}, nil))
	var ok atomic.Int64
	var wg sync.WaitGroup
	for i := range 1000 {
		wg.Go(func() {
			r := m.CreateTransfers([]ledger.Transfer{{ID: id(1000 + i), DebitAccountID: id(2), CreditAccountID: id(3), Amount: 1, Ledger: 2, Code: 2}}, nil)
			if r[0] == ledger.Ok {
				ok.Add(1)
			} else {
				assert.Equal(t, ledger.ExceedsCredits, r[0])
			}
		})
	}
	wg.Wait()
	assert.Equal(t, int64(10), ok.Load())
	m.View(func(e *ledger.Engine) {
		require.NoError(t, e.Verify())
		shelf, _ := e.Account(id(2))
		assert.Equal(t, shelf.CreditsPosted, shelf.DebitsPosted, "the shelf is empty, not below")
	})
}
