// Package ledgertest is the conformance suite for ledger.Store
// implementations: a model that predicts every reply, random command
// sequences checked against it, and the invariants under concurrency.
package ledgertest

import (
	"context"
	"encoding/binary"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/grids/ledger"
)

// NewStore returns an empty store whose clock is now (nanoseconds).
type NewStore func(t testing.TB, now func() int64) ledger.Store

// RunStoreTests runs the suite; sequences is how many random command
// sequences to check against the model (each up to 64 batches).
func RunStoreTests(t *testing.T, newStore NewStore, sequences int) {
	t.Run("AgainstModel", func(t *testing.T) {
		var clock atomic.Int64
		clock.Store(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC).UnixNano())
		store := newStore(t, clock.Load)
		for seq := range sequences {
			Sequence(t, store, &clock, uint64(seq+1), Bytes(uint64(seq), 600), false)
		}
	})
	t.Run("LastItems", func(t *testing.T) { testLastItems(t, newStore(t, nil)) })
	t.Run("SimultaneousRetries", func(t *testing.T) { testSimultaneousRetries(t, newStore(t, nil)) })
	t.Run("ConcurrentBatches", func(t *testing.T) { testConcurrentBatches(t, newStore(t, nil)) })
	t.Run("Passbook", func(t *testing.T) { testPassbook(t, newStore) })
}

// Bytes returns n pseudo-random bytes for sequence seed.
func Bytes(seed uint64, n int) []byte {
	data := make([]byte, n)
	x := seed*0x9e3779b97f4a7c15 + 1
	for i := range data {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		data[i] = byte(x)
	}
	return data
}

// ID returns an ID in a test's own space.
func ID(space uint64, n uint64) ledger.ID {
	var id ledger.ID
	binary.BigEndian.PutUint64(id[:8], space)
	binary.BigEndian.PutUint64(id[8:], n)
	return id
}

func mustCreate(t testing.TB, s ledger.Store, as []ledger.Account, ts []ledger.Transfer) {
	t.Helper()
	ctx := context.Background()
	if len(as) > 0 {
		rs, err := s.CreateAccounts(ctx, as)
		require.NoError(t, err)
		for i, r := range rs {
			require.Equal(t, ledger.Ok, r, "account %d", i)
		}
	}
	if len(ts) > 0 {
		rs, err := s.CreateTransfers(ctx, ts)
		require.NoError(t, err)
		for i, r := range rs {
			require.Equal(t, ledger.Ok, r, "transfer %d", i)
		}
	}
}

// testLastItems: 1,000 concurrent exchanges for the last 10 items: exactly
// 10 succeed, the shelf is empty and not below.
func testLastItems(t *testing.T, s ledger.Store) {
	sp := uint64(rand.Uint32())
	donor, shelf, out := ID(sp, 1), ID(sp, 2), ID(sp, 3)
	mustCreate(t, s, []ledger.Account{{ID: donor, Ledger: 2, Code: 1}, {ID: shelf, Ledger: 2, Code: 2, Flags: ledger.DebitsMustNotExceedCredits}, {ID: out, Ledger: 2, Code: 3}},
		[]ledger.Transfer{{ID: ID(sp, 100), DebitAccountID: donor, CreditAccountID: shelf, Amount: 10, Ledger: 2, Code: 1}})
	var ok atomic.Int64
	var wg sync.WaitGroup
	for i := range 1000 {
		wg.Go(func() {
			rs, err := s.CreateTransfers(context.Background(), []ledger.Transfer{{ID: ID(sp, uint64(1000+i)), DebitAccountID: shelf, CreditAccountID: out, Amount: 1, Ledger: 2, Code: 2}})
			if !assert.NoError(t, err) {
				return
			}
			if rs[0] == ledger.Ok {
				ok.Add(1)
			} else {
				assert.Equal(t, ledger.ExceedsCredits, rs[0])
			}
		})
	}
	wg.Wait()
	assert.Equal(t, int64(10), ok.Load(), "exactly the items on the shelf")
	got, err := s.LookupAccounts(context.Background(), []ledger.ID{shelf})
	require.NoError(t, err)
	assert.Equal(t, got[0].CreditsPosted, got[0].DebitsPosted)
	require.NoError(t, s.Verify(context.Background()))
}

// testSimultaneousRetries: the same transfer sent by 16 callers at once
// is created once; the others see it exists.
func testSimultaneousRetries(t *testing.T, s ledger.Store) {
	sp := uint64(rand.Uint32())
	a, b := ID(sp, 1), ID(sp, 2)
	mustCreate(t, s, []ledger.Account{{ID: a, Ledger: 1, Code: 1}, {ID: b, Ledger: 1, Code: 1}}, nil)
	tr := ledger.Transfer{ID: ID(sp, 10), DebitAccountID: a, CreditAccountID: b, Amount: 7, Ledger: 1, Code: 1}
	var created, exists atomic.Int64
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			rs, err := s.CreateTransfers(context.Background(), []ledger.Transfer{tr})
			if !assert.NoError(t, err) {
				return
			}
			switch rs[0] {
			case ledger.Ok:
				created.Add(1)
			case ledger.Exists:
				exists.Add(1)
			default:
				t.Errorf("result %v", rs[0])
			}
		})
	}
	wg.Wait()
	assert.Equal(t, int64(1), created.Load())
	assert.Equal(t, int64(15), exists.Load())
	got, err := s.LookupAccounts(context.Background(), []ledger.ID{b})
	require.NoError(t, err)
	assert.Equal(t, int64(7), got[0].CreditsPosted, "moved once")
}

// testConcurrentBatches: eight callers send batches over the same twenty
// accounts in both directions: every call finishes (no deadlock, bounded
// retries), the limits hold, the books balance.
func testConcurrentBatches(t *testing.T, s ledger.Store) {
	sp := uint64(rand.Uint32())
	const n = 20
	accounts := []ledger.Account{{ID: ID(sp, 1000), Ledger: 1, Code: 1}}
	var fund []ledger.Transfer
	for i := range n {
		accounts = append(accounts, ledger.Account{ID: ID(sp, uint64(i+1)), Ledger: 1, Code: 2, Flags: ledger.DebitsMustNotExceedCredits})
		fund = append(fund, ledger.Transfer{ID: ID(sp, uint64(2000+i)), DebitAccountID: ID(sp, 1000), CreditAccountID: ID(sp, uint64(i+1)), Amount: 50, Ledger: 1, Code: 1})
	}
	mustCreate(t, s, accounts, fund)
	var next atomic.Uint64
	next.Store(10_000)
	var wg sync.WaitGroup
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for c := range 8 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(c), 1))
			for range 20 {
				batch := make([]ledger.Transfer, 50)
				for i := range batch {
					from := 1 + r.IntN(n)
					to := 1 + (from+r.IntN(n-1))%n
					batch[i] = ledger.Transfer{ID: ID(sp, next.Add(1)), DebitAccountID: ID(sp, uint64(from)), CreditAccountID: ID(sp, uint64(to)),
						Amount: int64(1 + r.IntN(20)), Ledger: 1, Code: 3}
				}
				rs, err := s.CreateTransfers(ctx, batch)
				if !assert.NoError(t, err) {
					return
				}
				for _, res := range rs {
					assert.Contains(t, []ledger.Result{ledger.Ok, ledger.ExceedsCredits}, res)
				}
			}
		})
	}
	wg.Wait()
	require.NoError(t, s.Verify(context.Background()))
}

// testPassbook: a statement with running balances, a hold posted in part
// and one that expires, a correction by reversal.
func testPassbook(t *testing.T, newStore NewStore) {
	var clock atomic.Int64
	clock.Store(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC).UnixNano())
	s := newStore(t, clock.Load)
	ctx := context.Background()
	sp := uint64(rand.Uint32())
	issuer, me, shop := ID(sp, 1), ID(sp, 2), ID(sp, 3)
	mustCreate(t, s, []ledger.Account{{ID: issuer, Ledger: 1, Code: 1}, {ID: me, Ledger: 1, Code: 2, Flags: ledger.DebitsMustNotExceedCredits | ledger.History},
		{ID: shop, Ledger: 1, Code: 3}}, nil)
	step := func(tr ledger.Transfer) ledger.Result {
		clock.Add(int64(time.Second))
		rs, err := s.CreateTransfers(ctx, []ledger.Transfer{tr})
		require.NoError(t, err)
		return rs[0]
	}
	start := clock.Load()
	require.Equal(t, ledger.Ok, step(ledger.Transfer{ID: ID(sp, 10), DebitAccountID: issuer, CreditAccountID: me, Amount: 120, Ledger: 1, Code: 1}))
	require.Equal(t, ledger.Ok, step(ledger.Transfer{ID: ID(sp, 11), DebitAccountID: me, CreditAccountID: shop, Amount: 100, Ledger: 1, Code: 2, Flags: ledger.Pending, Timeout: 3600}))
	require.Equal(t, ledger.ExceedsCredits, step(ledger.Transfer{ID: ID(sp, 12), DebitAccountID: me, CreditAccountID: shop, Amount: 30, Ledger: 1, Code: 2}))
	require.Equal(t, ledger.Ok, step(ledger.Transfer{ID: ID(sp, 13), PendingID: ID(sp, 11), Amount: 80, Flags: ledger.PostPending}))
	require.Equal(t, ledger.Ok, step(ledger.Transfer{ID: ID(sp, 15), DebitAccountID: me, CreditAccountID: shop, Amount: 30, Ledger: 1, Code: 2, Flags: ledger.Pending, Timeout: 60}))
	clock.Add(int64(2 * time.Minute))
	require.Equal(t, ledger.Ok, step(ledger.Transfer{ID: ID(sp, 16), DebitAccountID: me, CreditAccountID: issuer, Amount: 10, Ledger: 1, Code: 9, UserData128: ID(sp, 10)}))
	lines, err := s.Statement(ctx, me, start, clock.Load()+int64(time.Hour), 0)
	require.NoError(t, err)
	var balances []int64
	var expiries int
	for _, l := range lines {
		balances = append(balances, l.Balance.CreditsPosted-l.Balance.DebitsPosted-l.Balance.DebitsPending)
		if l.Expiry {
			expiries++
			assert.Equal(t, ID(sp, 15), l.Transfer.ID, "the expiry names the hold")
		}
	}
	assert.Equal(t, []int64{120, 20, 40, 10, 40, 30}, balances, "available points after each line")
	assert.Equal(t, 1, expiries)
	page, err := s.Statement(ctx, me, start, clock.Load()+int64(time.Hour), 2)
	require.NoError(t, err)
	assert.Len(t, page, 2)
	none, err := s.Statement(ctx, shop, start, clock.Load(), 0)
	require.NoError(t, err)
	assert.Empty(t, none, "no history kept for the shop")
	require.NoError(t, s.Verify(ctx))
}
