package ledger_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/grids/ledger"
)

// TestPassbook: a resident's points account with history: earnings, a
// hold for an exchange posted in part, a hold that expires, a correction
// by reversal — with the running balance and balances as of any time.
func TestPassbook(t *testing.T) {
	clock := int64(1_000)
	e := ledger.NewEngine(func() int64 { return clock })
	issuer, me, shop := id(1), id(2), id(3)
	res := e.CreateAccounts([]ledger.Account{
		{ID: issuer, Ledger: 1, Code: 1},
		{ID: me, Ledger: 1, Code: 2, Flags: ledger.DebitsMustNotExceedCredits | ledger.History},
		{ID: shop, Ledger: 1, Code: 3},
	}, nil)
	require.Equal(t, []ledger.Result{ledger.Ok, ledger.Ok, ledger.Ok}, res)
	step := func(ts ...ledger.Transfer) []ledger.Result {
		clock += int64(time.Second)
		return e.CreateTransfers(ts, nil)
	}
	require.Equal(t, []ledger.Result{ledger.Ok}, step(ledger.Transfer{ID: id(10), DebitAccountID: issuer, CreditAccountID: me, Amount: 120, Ledger: 1, Code: 1}))
	afterEarning := clock
	require.Equal(t, []ledger.Result{ledger.Ok}, step(ledger.Transfer{ID: id(11), DebitAccountID: me, CreditAccountID: shop, Amount: 100, Ledger: 1, Code: 2,
		Flags: ledger.Pending, Timeout: 3600}))
	require.Equal(t, []ledger.Result{ledger.ExceedsCredits}, step(ledger.Transfer{ID: id(12), DebitAccountID: me, CreditAccountID: shop, Amount: 30, Ledger: 1, Code: 2}),
		"20 points are free while 100 are held")
	require.Equal(t, []ledger.Result{ledger.IDAlreadyFailed}, step(ledger.Transfer{ID: id(12), DebitAccountID: me, CreditAccountID: shop, Amount: 10, Ledger: 1, Code: 2}),
		"a failed ID stays failed")
	require.Equal(t, []ledger.Result{ledger.Ok}, step(ledger.Transfer{ID: id(13), PendingID: id(11), Amount: 80, Flags: ledger.PostPending}))
	require.Equal(t, []ledger.Result{ledger.PendingTransferAlreadyPosted}, step(ledger.Transfer{ID: id(14), PendingID: id(11), Flags: ledger.VoidPending}))
	require.Equal(t, []ledger.Result{ledger.Exists}, step(ledger.Transfer{ID: id(13), PendingID: id(11), Amount: 80, Flags: ledger.PostPending}), "a retry")
	// A hold that expires.
	require.Equal(t, []ledger.Result{ledger.Ok}, step(ledger.Transfer{ID: id(15), DebitAccountID: me, CreditAccountID: shop, Amount: 30, Ledger: 1, Code: 2,
		Flags: ledger.Pending, Timeout: 60}))
	clock += int64(2 * time.Minute)
	// A correction: the earning was 10 too many.
	require.Equal(t, []ledger.Result{ledger.Ok}, step(ledger.Transfer{ID: id(16), DebitAccountID: me, CreditAccountID: issuer, Amount: 10, Ledger: 1, Code: 9, UserData128: id(10)}))
	assert.Equal(t, ledger.Expired, e.PendingStatus(id(15)))

	acct, _ := e.Account(me)
	assert.Equal(t, int64(0), acct.DebitsPending)
	assert.Equal(t, int64(90), acct.DebitsPosted)
	assert.Equal(t, int64(120), acct.CreditsPosted)
	lines, ok := e.Statement(me, 0, math.MaxInt64, 0)
	require.True(t, ok)
	var kinds []string
	var balances []int64
	for _, l := range lines {
		k := "transfer"
		if l.Expiry {
			k = "expiry"
		}
		kinds = append(kinds, k)
		balances = append(balances, l.Balance.CreditsPosted-l.Balance.DebitsPosted-l.Balance.DebitsPending)
	}
	assert.Equal(t, []string{"transfer", "transfer", "transfer", "transfer", "expiry", "transfer"}, kinds)
	assert.Equal(t, []int64{120, 20, 40, 10, 40, 30}, balances, "available points after each line")
	then, ok := e.BalanceAt(me, afterEarning)
	require.True(t, ok)
	assert.Equal(t, int64(120), then.CreditsPosted)
	page, _ := e.Statement(me, 0, clock, 2)
	assert.Len(t, page, 2)
	_, ok = e.Statement(shop, 0, clock, 0)
	assert.False(t, ok, "no history kept for the shop")
	require.NoError(t, e.Verify())
}

// TestLinkedChains: an exchange takes points and stock together, or
// neither.
func TestLinkedChains(t *testing.T) {
	e := ledger.NewEngine(nil)
	points, stock := uint32(1), uint32(2)
	e.CreateAccounts([]ledger.Account{
		{ID: id(1), Ledger: points, Code: 1}, {ID: id(2), Ledger: points, Code: 2, Flags: ledger.DebitsMustNotExceedCredits},
		{ID: id(3), Ledger: stock, Code: 1}, {ID: id(4), Ledger: stock, Code: 3, Flags: ledger.DebitsMustNotExceedCredits}, {ID: id(5), Ledger: stock, Code: 4},
	}, nil)
	e.CreateTransfers([]ledger.Transfer{
		{ID: id(10), DebitAccountID: id(1), CreditAccountID: id(2), Amount: 50, Ledger: points, Code: 1},
		{ID: id(11), DebitAccountID: id(3), CreditAccountID: id(4), Amount: 1, Ledger: stock, Code: 1}, // one item donated
	}, nil)
	exchange := func(pointsID, itemID int) []ledger.Result {
		return e.CreateTransfers([]ledger.Transfer{
			{ID: id(pointsID), DebitAccountID: id(2), CreditAccountID: id(1), Amount: 20, Ledger: points, Code: 2, Flags: ledger.Linked},
			{ID: id(itemID), DebitAccountID: id(4), CreditAccountID: id(5), Amount: 1, Ledger: stock, Code: 2},
		}, nil)
	}
	assert.Equal(t, []ledger.Result{ledger.Ok, ledger.Ok}, exchange(20, 21))
	assert.Equal(t, []ledger.Result{ledger.LinkedEventFailed, ledger.ExceedsCredits}, exchange(22, 23), "no stock: no points taken")
	resident, _ := e.Account(id(2))
	assert.Equal(t, int64(20), resident.DebitsPosted, "only the first exchange took points")
	assert.Equal(t, []ledger.Result{ledger.Ok, ledger.LinkedEventChainOpen}, e.CreateTransfers([]ledger.Transfer{
		{ID: id(22), DebitAccountID: id(1), CreditAccountID: id(2), Amount: 1, Ledger: points, Code: 1},
		{ID: id(30), DebitAccountID: id(1), CreditAccountID: id(2), Amount: 1, Ledger: points, Code: 1, Flags: ledger.Linked},
	}, nil), "the ID of a transfer that failed only with its chain is free; a batch ending in an open chain fails it")
	require.NoError(t, e.Verify())
}
