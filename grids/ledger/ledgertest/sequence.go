package ledgertest

import (
	"context"
	"encoding/binary"
	"math"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/grids/ledger"
)

type reader struct{ b []byte }

func (r *reader) n(k int) int {
	if len(r.b) == 0 {
		return 0
	}
	v := int(r.b[0])
	r.b = r.b[1:]
	return v % k
}

func (r *reader) u16() int {
	if len(r.b) < 2 {
		return 0
	}
	v := int(binary.LittleEndian.Uint16(r.b))
	r.b = r.b[2:]
	return v
}

// ids makes the IDs of one sequence: n within the sequence's own space,
// so many sequences share a store; 0 is the zero ID.
type ids uint64

func (p ids) id(n int) ledger.ID {
	var x ledger.ID
	if n > 0 {
		binary.BigEndian.PutUint64(x[:8], uint64(p))
		x[15] = byte(n)
		x[14] = byte(n >> 8)
	}
	return x
}

// coverage counts the results the sequences reached, so a test can
// require that they reach the interesting ones.
var coverage = map[ledger.Result]int{}

// Coverage reports how often the sequences so far reached each result,
// and the pseudo-results for linked, posted and voided transfers that
// succeeded: a test can require that they reached the interesting ones.
func Coverage() map[ledger.Result]int { return coverage }

// The pseudo-results of Coverage.
const (
	LinkedOk ledger.Result = linkedOk
	PostedOk ledger.Result = postedOk
	VoidedOk ledger.Result = voidedOk
)

// Pseudo-results for coverage: linked, posted and voided transfers that
// succeeded.
const (
	linkedOk ledger.Result = 200 + iota
	postedOk
	voidedOk
)

// Sequence runs the sequence data draws against store and the model,
// requiring identical results and balances after every batch, and the
// store's invariants at the end (after every batch, if verifyEach). The
// store's clock must read *clock, which Sequence advances; space keeps its
// IDs apart from other sequences' in the same store.
func Sequence(t testing.TB, store ledger.Store, clock *atomic.Int64, space uint64, data []byte, verifyEach bool) {
	t.Helper()
	ctx := context.Background()
	r := &reader{b: data}
	p := ids(space)
	id := p.id
	m := newModel()
	m.now = clock.Load()
	accounts := []ledger.Account{
		{ID: id(1), Ledger: 1, Code: 1, Flags: ledger.DebitsMustNotExceedCredits | ledger.History},
		{ID: id(2), Ledger: 1, Code: 1, Flags: ledger.History},
		{ID: id(3), Ledger: 1, Code: 2, Flags: ledger.CreditsMustNotExceedDebits},
		{ID: id(4), Ledger: 2, Code: 1, Flags: ledger.DebitsMustNotExceedCredits},
		{ID: id(5), Ledger: 2, Code: 1},
		{ID: id(1), Ledger: 1, Code: 1, Flags: ledger.DebitsMustNotExceedCredits | ledger.History}, // exists
		{ID: id(2), Ledger: 2, Code: 1},                                                            // exists with different fields
		{ID: id(6), Ledger: 0, Code: 1},
	}
	got, err := store.CreateAccounts(ctx, accounts)
	require.NoError(t, err)
	for i, a := range accounts {
		require.Equal(t, m.createAccount(a), got[i], "account %d", i)
	}
	amounts := []int64{1, 2, 5, 10, 0, -1, math.MaxInt64 - 3}
	var sent []ledger.Transfer
	var pendings []ledger.ID
	tried := map[ledger.ID]bool{}
	for batch := 0; len(r.b) > 0 && batch < 64; batch++ {
		n := 1 + r.n(6)
		ts := make([]ledger.Transfer, n)
		for i := range ts {
			tr := ledger.Transfer{ID: id(1 + r.n(40)), DebitAccountID: id(r.n(7)), CreditAccountID: id(r.n(7)), Amount: amounts[r.n(len(amounts))],
				Ledger: uint32(r.n(3)), Code: uint16(r.n(3)), Flags: ledger.TransferFlags(r.n(20))}
			switch r.n(10) { // mostly plain and pending transfers
			case 0, 1, 2, 3, 4:
				tr.Flags = 0
			case 5, 6, 7:
				tr.Flags = ledger.Pending
			}
			if tr.Flags&(ledger.PostPending|ledger.VoidPending) != 0 || r.n(10) == 0 {
				tr.PendingID = id(1 + r.n(40))
			}
			if r.n(3) == 0 {
				tr.Timeout = uint32(r.n(3))
			}
			if r.n(3) == 0 { // a fully formed transfer, to get past validation often
				tr.Ledger, tr.Code, tr.DebitAccountID, tr.CreditAccountID, tr.PendingID = 1, 1, id(2), id(1+2*r.n(2)), ledger.ID{}
				if tr.Amount <= 0 {
					tr.Amount = 1
				}
			}
			if len(pendings) > 0 && r.n(4) == 0 { // resolve a pending transfer
				tr = ledger.Transfer{ID: id(1 + r.n(40)), PendingID: pendings[r.n(len(pendings))], Amount: []int64{0, 1, 3, 20}[r.n(4)],
					Flags: []ledger.TransferFlags{ledger.PostPending, ledger.VoidPending}[r.n(2)]}
				if r.n(4) == 0 {
					tr.Flags |= ledger.Linked
				}
			}
			if len(sent) > 0 && r.n(6) == 0 { // a retry, as it was or changed
				tr = sent[r.n(len(sent))]
				if r.n(3) == 0 {
					tr.UserData32++
				}
			}
			ts[i] = tr
			sent = append(sent, tr)
		}
		if n > 1 && r.n(4) == 0 { // a well-formed chain, which may hold
			for i := range ts {
				ts[i] = ledger.Transfer{ID: id(41 + r.n(200)), DebitAccountID: id(2), CreditAccountID: id(1 + 2*r.n(2)), Amount: int64(1 + r.n(5)), Ledger: 1, Code: 1}
				if i < len(ts)-1 {
					ts[i].Flags = ledger.Linked
				}
			}
		}
		for _, tr := range ts {
			tried[tr.ID] = true
		}
		// Up to 3 s, so timeouts of 1 and 2 s expire sometimes; the extra
		// microsecond keeps a deadline from falling exactly on a batch,
		// where the model's and the ledger's nanosecond stamps differ.
		m.now = clock.Add(int64(r.u16()%3000)*int64(time.Millisecond) + int64(time.Microsecond))
		want := m.createTransfers(ts)
		results, err := store.CreateTransfers(ctx, ts)
		require.NoError(t, err)
		require.Equal(t, want, results, "batch %d: %+v", batch, ts)
		for i, res := range results {
			if res == ledger.Ok && ts[i].Flags&ledger.Pending != 0 {
				pendings = append(pendings, ts[i].ID)
			}
			coverage[res]++
			if res == ledger.Ok && ts[i].Flags&ledger.Linked != 0 {
				coverage[linkedOk]++
			}
			if res == ledger.Ok && ts[i].Flags&ledger.PostPending != 0 {
				coverage[postedOk]++
			}
			if res == ledger.Ok && ts[i].Flags&ledger.VoidPending != 0 {
				coverage[voidedOk]++
			}
		}
		have, err := store.LookupAccounts(ctx, []ledger.ID{id(1), id(2), id(3), id(4), id(5)})
		require.NoError(t, err)
		require.Len(t, have, 5)
		for _, a := range have {
			exp := m.accounts[a.ID]
			require.Equal(t, [4]int64{exp.DebitsPending, exp.DebitsPosted, exp.CreditsPending, exp.CreditsPosted},
				[4]int64{a.DebitsPending, a.DebitsPosted, a.CreditsPending, a.CreditsPosted}, "batch %d: account %d", batch, a.ID[15])
		}
		if verifyEach {
			require.NoError(t, store.Verify(ctx), "batch %d", batch)
		}
	}
	// The same transfers exist, with the same pending statuses.
	var all []ledger.ID
	for id := range tried {
		all = append(all, id)
	}
	found, statuses, err := store.LookupTransfers(ctx, all)
	require.NoError(t, err)
	require.Len(t, found, len(m.order), "the same transfers were created")
	for i, tr := range found {
		_, ok := m.transfers[tr.ID]
		require.True(t, ok, "%v was created", tr.ID)
		if tr.Flags&ledger.Pending != 0 {
			require.Equal(t, m.status[tr.ID], statuses[i], "pending %v", tr.ID)
		}
	}
	require.NoError(t, store.Verify(ctx))
}
