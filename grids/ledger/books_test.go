package ledger_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/internal/ids"
)

func TestBooks(t *testing.T) {
	ctx := context.Background()
	var clock int64
	e := ledger.NewEngine(func() int64 { clock++; return clock })
	tx := ledger.Books{Tx: ledger.EngineTx(e, true)}
	src := ledger.Account{ID: ledger.Derive("src"), Ledger: 1, Code: 1}
	dst := ledger.Account{ID: ledger.Derive("dst"), Ledger: 1, Code: 1, Flags: ledger.DebitsMustNotExceedCredits}
	require.NoError(t, tx.Ensure(ctx, src, dst))
	require.NoError(t, tx.Ensure(ctx, src, dst), "ensuring twice is harmless")
	require.Error(t, tx.Ensure(ctx, ledger.Account{ID: src.ID, Ledger: 2, Code: 1}), "an account of the ID with other fields")

	// A chain whose second transfer fails reports that one, not the first.
	f, err := tx.Post(ctx,
		ledger.Transfer{ID: ledger.Derive("t1"), DebitAccountID: src.ID, CreditAccountID: dst.ID, Amount: 5, Ledger: 1, Code: 1},
		ledger.Transfer{ID: ledger.Derive("t2"), DebitAccountID: dst.ID, CreditAccountID: src.ID, Amount: 6, Ledger: 1, Code: 1})
	require.NoError(t, err)
	require.NotNil(t, f)
	assert.Equal(t, ledger.Failure{Index: 1, Result: ledger.ExceedsCredits}, *f)
	a, err := tx.Account(ctx, dst.ID)
	require.NoError(t, err)
	assert.Zero(t, a.CreditsPosted, "the failed chain changed nothing")

	f, err = tx.Post(ctx, ledger.Transfer{ID: ledger.Derive("t3"), DebitAccountID: src.ID, CreditAccountID: dst.ID, Amount: 5, Ledger: 1, Code: 1})
	require.NoError(t, err)
	assert.Nil(t, f)
	as, err := tx.Accounts(ctx, []ledger.ID{src.ID, dst.ID, ledger.Derive("none")})
	require.NoError(t, err)
	assert.Len(t, as, 2)
	assert.Equal(t, int64(5), as[dst.ID].CreditsPosted)

	// A read-only Tx, and a community without a ledger, refuse writes.
	_, err = ledger.EngineTx(e, false).CreateAccounts(ctx, []ledger.Account{src})
	require.ErrorIs(t, err, ledger.ErrReadOnly)
	_, err = ledger.EngineTx(nil, true).CreateTransfers(ctx, nil)
	require.ErrorIs(t, err, ledger.ErrReadOnly)
	none, err := ledger.EngineTx(nil, false).LookupAccounts(ctx, []ledger.ID{src.ID})
	require.NoError(t, err)
	assert.Empty(t, none)

	id := ids.New()
	assert.Equal(t, id, ledger.RecordOf(ledger.Ref(id)), "a record's ID survives the trip through user data")
	assert.NotEqual(t, ledger.Derive("a", "bc"), ledger.Derive("ab", "c"), "parts are length-prefixed")
	assert.Zero(t, ledger.Nanos(time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC)), "before 1970: clamped, not wrapped")
	assert.Equal(t, int64(math.MaxInt64), ledger.Nanos(time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)))
	assert.Equal(t, int64(1e9), ledger.Nanos(time.Unix(1, 0)))
}

// TestReconcile: records against the ledger — every kind of disagreement
// is found, and books that agree give none.
func TestReconcile(t *testing.T) {
	ctx := context.Background()
	var clock int64
	e := ledger.NewEngine(func() int64 { clock++; return clock })
	tx := ledger.Books{Tx: ledger.EngineTx(e, true)}
	bank := ledger.Account{ID: ledger.Derive("bank"), Ledger: 1, Code: 1}
	me := ledger.Account{ID: ledger.Derive("me"), Ledger: 1, Code: 2, Flags: ledger.DebitsMustNotExceedCredits | ledger.History}
	require.NoError(t, tx.Ensure(ctx, bank, me))
	earn := ledger.Transfer{ID: ledger.Derive("earn"), DebitAccountID: bank.ID, CreditAccountID: me.ID, Amount: 10, Ledger: 1, Code: 1, Flags: ledger.Pending}
	gift := ledger.Transfer{ID: ledger.Derive("gift"), DebitAccountID: bank.ID, CreditAccountID: me.ID, Amount: 3, Ledger: 1, Code: 6}
	for _, tr := range []ledger.Transfer{earn, ledger.PostOf(earn), gift} {
		f, err := tx.Post(ctx, tr)
		require.NoError(t, err)
		require.Nil(t, f)
	}
	snap, err := tx.Snapshot(ctx)
	require.NoError(t, err)
	agree := []ledger.Expected{
		{Transfer: earn, Status: []ledger.PendingStatus{ledger.Posted}, Record: "claim A"},
		{Transfer: ledger.PostOf(earn), Record: "claim A"},
		{Transfer: gift, Record: "gift B"},
	}
	assert.Empty(t, ledger.Reconcile(snap, agree, 1), "books that agree")

	problem := func(ds []ledger.Disagreement) string {
		var s []string
		for _, d := range ds {
			s = append(s, d.String())
		}
		return strings.Join(s, "\n")
	}
	// The gift has no record: an orphan.
	ds := ledger.Reconcile(snap, agree[:2], 1)
	require.Len(t, ds, 1)
	assert.Contains(t, problem(ds), "no record explains")
	assert.Empty(t, ledger.Reconcile(snap, agree[:2], 2), "transfers of other ledgers are another's to explain")
	// A record whose transfer is missing.
	missing := append(agree[:3:3], ledger.Expected{Transfer: ledger.Transfer{ID: ledger.Derive("lost"), DebitAccountID: me.ID, CreditAccountID: bank.ID, Amount: 1, Ledger: 1, Code: 3}, Record: "exchange C"})
	assert.Contains(t, problem(ledger.Reconcile(snap, missing, 1)), "exchange C: the ledger has no transfer of 1")
	// A record that says another amount.
	other := append([]ledger.Expected(nil), agree...)
	other[2].Transfer.Amount = 4
	assert.Contains(t, problem(ledger.Reconcile(snap, other, 1)), "gift B: the record says transfer of 4")
	// A claim that says it is still claimed, whose points were posted.
	pending := append([]ledger.Expected(nil), agree...)
	pending[0].Status = []ledger.PendingStatus{ledger.StillPending}
	pending = pending[:1]
	pending = append(pending, agree[2])
	ds = ledger.Reconcile(snap, pending, 1)
	assert.Contains(t, problem(ds), "the pending transfer is posted")
	assert.Contains(t, problem(ds), "no record explains the post of", "and its post is an orphan")
	// Two records naming one transfer.
	assert.Contains(t, problem(ledger.Reconcile(snap, append(agree[:3:3], ledger.Expected{Transfer: gift, Record: "gift D"}), 1)), "named by gift B too")
	// Stored balances that do not replay, and debits that do not equal credits.
	bad := snap
	bad.Accounts = append([]ledger.Account(nil), snap.Accounts...)
	bad.Accounts[1].CreditsPosted += 100
	ds = ledger.Reconcile(bad, agree, 1)
	assert.Contains(t, problem(ds), "replay")
	assert.Contains(t, problem(ds), "ledger 1: debits 0/13, credits 0/113", "the trial balance is off")
}
