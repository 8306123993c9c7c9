package ledger_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/internal/ids"
	"github.com/linli-go/linli/internal/ledger"
)

func TestBooks(t *testing.T) {
	ctx := context.Background()
	var clock int64
	b := ledger.NewBooks(ledger.NewMemoryStore(func() int64 { clock++; return clock }))
	src := ledger.Account{ID: ledger.Derive("src"), Ledger: 1, Code: 1}
	dst := ledger.Account{ID: ledger.Derive("dst"), Ledger: 1, Code: 1, Flags: ledger.DebitsMustNotExceedCredits}
	require.NoError(t, b.Ensure(ctx, src, dst))
	require.NoError(t, b.Ensure(ctx, src, dst), "ensuring twice is harmless")

	// A chain whose second transfer fails reports that one, not the first.
	f, err := b.Post(ctx,
		ledger.Transfer{ID: ledger.Derive("t1"), DebitAccountID: src.ID, CreditAccountID: dst.ID, Amount: 5, Ledger: 1, Code: 1},
		ledger.Transfer{ID: ledger.Derive("t2"), DebitAccountID: dst.ID, CreditAccountID: src.ID, Amount: 6, Ledger: 1, Code: 1})
	require.NoError(t, err)
	require.NotNil(t, f)
	assert.Equal(t, ledger.Failure{Index: 1, Result: ledger.ExceedsCredits}, *f)
	a, err := b.Account(ctx, dst.ID)
	require.NoError(t, err)
	assert.Zero(t, a.CreditsPosted, "the failed chain changed nothing")

	f, err = b.Post(ctx, ledger.Transfer{ID: ledger.Derive("t3"), DebitAccountID: src.ID, CreditAccountID: dst.ID, Amount: 5, Ledger: 1, Code: 1})
	require.NoError(t, err)
	assert.Nil(t, f)

	id := ids.New()
	assert.Equal(t, id, ledger.RecordOf(ledger.Ref(id)), "a record's ID survives the trip through user data")
	assert.NotEqual(t, ledger.Derive("a", "bc"), ledger.Derive("ab", "c"), "parts are length-prefixed")
	assert.Zero(t, ledger.Nanos(time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC)), "before 1970: clamped, not wrapped")
	assert.Equal(t, int64(math.MaxInt64), ledger.Nanos(time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)))
	assert.Equal(t, int64(1e9), ledger.Nanos(time.Unix(1, 0)))
}
