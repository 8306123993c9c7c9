package ledger_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/grids/ledger"
)

// fingerprint is everything an engine shows: accounts, transfers with
// where each pending one is, failed IDs among those tried, and every
// account's history.
func fingerprint(e *ledger.Engine, tried []ledger.ID) string {
	s := fmt.Sprintf("%v\n", e.Accounts())
	for _, t := range e.Transfers() {
		s += fmt.Sprintf("%v %v\n", t, e.PendingStatus(t.ID))
	}
	for _, id := range tried {
		if r, ok := e.Failed(id); ok {
			s += fmt.Sprintf("failed %s %s\n", id, r)
		}
	}
	for _, a := range e.Accounts() {
		lines, _ := e.Statement(a.ID, 0, math.MaxInt64, 0)
		s += fmt.Sprintf("%s %v\n", a.ID, lines)
	}
	return s
}

// randomBatch draws a batch over accounts 1..8 (even ones limited, every
// one with history) and the transfers made so far: plain, pending with a
// short timeout, posts and voids of earlier ones, linked pairs, and IDs
// that fail.
func randomBatch(r *rand.Rand, next *int, made []ledger.ID) []ledger.Transfer {
	var ts []ledger.Transfer
	for range 1 + r.IntN(4) {
		*next++
		t := ledger.Transfer{ID: id(1000 + *next), DebitAccountID: id(1 + r.IntN(8)), CreditAccountID: id(1 + r.IntN(8)), Amount: int64(1 + r.IntN(50)), Ledger: 1, Code: 1}
		switch k := r.IntN(6); {
		case k == 0:
			t.Flags, t.Timeout = ledger.Pending, uint32(1+r.IntN(3))
		case k == 1 && len(made) > 0:
			t = ledger.Transfer{ID: t.ID, PendingID: made[r.IntN(len(made))], Flags: ledger.PostPending}
		case k == 2 && len(made) > 0:
			t = ledger.Transfer{ID: t.ID, PendingID: made[r.IntN(len(made))], Flags: ledger.VoidPending}
		case k == 3:
			t.Flags = ledger.Linked
		}
		ts = append(ts, t)
	}
	if last := &ts[len(ts)-1]; last.Flags&ledger.Linked != 0 && r.IntN(4) > 0 {
		last.Flags &^= ledger.Linked // now and then a chain is left open
	}
	return ts
}

// TestSavepoint: whatever a transaction does (transfers, posts, voids,
// expiries, failures, linked chains, new accounts), Rollback leaves the
// engine exactly as an engine that never ran it, and the two go on alike;
// Commit leaves it as an engine that ran it without a transaction.
func TestSavepoint(t *testing.T) {
	for seed := range uint64(40) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 1))
			clock := int64(time.Hour)
			now := func() int64 { return clock }
			tx, plain := ledger.NewEngine(now), ledger.NewEngine(now)
			var accounts []ledger.Account
			for i := 1; i <= 8; i++ {
				flags := ledger.History
				if i%2 == 0 {
					flags |= ledger.DebitsMustNotExceedCredits
				}
				accounts = append(accounts, ledger.Account{ID: id(i), Ledger: 1, Code: 1, Flags: flags})
			}
			tx.CreateAccounts(accounts[:6], nil)
			plain.CreateAccounts(accounts[:6], nil)
			next, made, tried := 0, []ledger.ID{}, []ledger.ID{}
			for round := range 60 {
				clock += int64(time.Second)
				batch := randomBatch(r, &next, made)
				for _, b := range batch {
					tried = append(tried, b.ID)
				}
				switch round % 3 {
				case 0: // a transaction that fails: as if it never ran
					before := fingerprint(tx, tried)
					tx.Begin()
					if round == 30 {
						tx.CreateAccounts(accounts[6:], nil) // accounts made in it go too
					}
					tx.CreateTransfers(batch, nil)
					tx.Rollback()
					require.Equal(t, before, fingerprint(tx, tried), "round %d: after Rollback", round)
					require.False(t, tx.InTransaction())
				case 1: // a transaction that commits: as if there were none
					tx.Begin()
					rs := tx.CreateTransfers(batch, nil)
					tx.Commit()
					require.Equal(t, rs, plain.CreateTransfers(batch, nil), "round %d", round)
					made = append(made, batch[0].ID)
				default: // no transaction
					require.Equal(t, tx.CreateTransfers(batch, nil), plain.CreateTransfers(batch, nil), "round %d", round)
					made = append(made, batch[len(batch)-1].ID)
				}
				require.Equal(t, fingerprint(plain, tried), fingerprint(tx, tried), "round %d", round)
				require.NoError(t, tx.Verify(), "round %d", round)
			}
		})
	}
}

func TestBeginTwicePanics(t *testing.T) {
	e := ledger.NewEngine(nil)
	e.Begin()
	require.Panics(t, e.Begin)
	e.Rollback()
	require.NotPanics(t, e.Begin)
}
