package ledger_test

import (
	"encoding/binary"
	"testing"

	"github.com/linli-go/linli/grids/ledger"
)

// benchAccounts makes n accounts on one ledger, the even ones limited
// (debits must not exceed credits), each funded from an unlimited source.
func benchAccounts(b *testing.B, e *ledger.Engine, n int, flags ledger.AccountFlags) []ledger.ID {
	ids := make([]ledger.ID, n)
	accounts := make([]ledger.Account, n+1)
	accounts[n] = ledger.Account{ID: bid(1 << 40), Ledger: 1, Code: 1}
	for i := range ids {
		ids[i] = bid(uint64(i + 1))
		accounts[i] = ledger.Account{ID: ids[i], Ledger: 1, Code: 1, Flags: flags}
		if i%2 == 0 {
			accounts[i].Flags |= ledger.DebitsMustNotExceedCredits
		}
	}
	for _, r := range e.CreateAccounts(accounts, nil) {
		if r != ledger.Ok {
			b.Fatal(r)
		}
	}
	fund := make([]ledger.Transfer, n)
	for i, id := range ids {
		fund[i] = ledger.Transfer{ID: bid(1<<41 + uint64(i)), DebitAccountID: bid(1 << 40), CreditAccountID: id, Amount: 1 << 40, Ledger: 1, Code: 1}
	}
	for _, r := range e.CreateTransfers(fund, nil) {
		if r != ledger.Ok {
			b.Fatal(r)
		}
	}
	return ids
}

func bid(n uint64) ledger.ID {
	var id ledger.ID
	binary.BigEndian.PutUint64(id[8:], n)
	return id
}

// BenchmarkEngineTransfers: one writer, batches of 1,000 transfers between
// 10,000 accounts, half of them limited, every transfer a new ID (checked
// for idempotency); with and without every account keeping its history.
// Reports transfers per second.
func BenchmarkEngineTransfers(b *testing.B) {
	b.Run("limits", func(b *testing.B) { benchTransfers(b, 0) })
	b.Run("limits+history", func(b *testing.B) { benchTransfers(b, ledger.History) })
}

func benchTransfers(b *testing.B, flags ledger.AccountFlags) {
	var clock int64
	e := ledger.NewEngine(func() int64 { clock++; return clock })
	ids := benchAccounts(b, e, 10_000, flags)
	const batch = 1000
	ts := make([]ledger.Transfer, batch)
	results := make([]ledger.Result, 0, batch)
	next := uint64(1 << 42)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for i := range ts {
			next++
			ts[i] = ledger.Transfer{ID: bid(next), DebitAccountID: ids[(next*7)%uint64(len(ids))], CreditAccountID: ids[(next*13+1)%uint64(len(ids))],
				Amount: 1, Ledger: 1, Code: 2}
			if ts[i].DebitAccountID == ts[i].CreditAccountID {
				ts[i].CreditAccountID = ids[(next*13+2)%uint64(len(ids))]
			}
		}
		results = e.CreateTransfers(ts, results)
		for _, r := range results {
			if r != ledger.Ok {
				b.Fatal(r)
			}
		}
		n += batch
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "transfers/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/transfer")
}
