package sqlstore_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/sqlstore"
	"github.com/linli-go/linli/adapters/sqlstore/sqltest"
	"github.com/linli-go/linli/funds/fundstest"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/governancetest"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/access"
	"github.com/linli-go/linli/grids/access/accesstest"
	"github.com/linli-go/linli/grids/gridstest"
	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/grids/ledger/ledgertest"
	"github.com/linli-go/linli/points/pointstest"
)

func TestGridsStore(t *testing.T) {
	for _, d := range sqltest.Dialects {
		t.Run(d.Name, func(t *testing.T) {
			gridstest.RunStoreTests(t, func(t testing.TB) grids.Store { return d.Open(t).Grids() })
		})
	}
}

func TestOpenRefusesMemoryAndEmpty(t *testing.T) {
	for _, dsn := range []string{"", ":memory:", "file::memory:", "file:x.db?mode=memory"} {
		_, err := sqlstore.Open(context.Background(), sqlstore.Config{DSN: dsn})
		assert.ErrorIs(t, err, grids.Invalid, "dsn %q", dsn)
	}
}

func TestReopenKeepsDataAndMigratesOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "linli.db")
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("test"))
	db, err := sqlstore.Open(ctx, sqlstore.Config{DSN: path})
	require.NoError(t, err)
	c, err := grids.NewRegistry(db.Grids(), grids.Options{}).CreateCommunity(ctx, grids.CommunityInput{Name: "水秀社区"})
	require.NoError(t, err)
	require.NoError(t, db.Close())

	db, err = sqlstore.Open(ctx, sqlstore.Config{DSN: "file:" + path})
	require.NoError(t, err)
	defer db.Close()
	got, err := grids.NewRegistry(db.Grids(), grids.Options{}).Community(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, c, got)
	require.NoError(t, db.Ping(ctx))
}

func BenchmarkGridsStore(b *testing.B) {
	for _, d := range sqltest.Dialects {
		b.Run(d.Name, func(b *testing.B) {
			gridstest.RunBenchmarks(b, func(t testing.TB) grids.Store { return d.Open(t).Grids() })
		})
	}
}

func TestGovernanceStore(t *testing.T) {
	for _, d := range sqltest.Dialects {
		t.Run(d.Name, func(t *testing.T) {
			governancetest.RunStoreTests(t, func(t testing.TB) (governance.Store, grids.Store) {
				db := d.Open(t)
				return db.Governance(), db.Grids()
			})
		})
	}
}

func BenchmarkGovernance(b *testing.B) {
	for _, d := range sqltest.Dialects {
		b.Run(d.Name, func(b *testing.B) {
			governancetest.RunBenchmarks(b, func(t testing.TB) (governance.Store, grids.Store) {
				db := d.Open(t)
				return db.Governance(), db.Grids()
			})
		})
	}
}

func TestLedgerStore(t *testing.T) {
	for _, d := range sqltest.Dialects {
		for _, group := range []bool{false, true} {
			name := d.Name
			if group {
				name += "/group_commit"
			}
			t.Run(name, func(t *testing.T) {
				ledgertest.RunStoreTests(t, func(t testing.TB, now func() int64) ledger.Store {
					l := d.Open(t).Ledger(sqlstore.LedgerOptions{Now: now, Alone: !group})
					t.Cleanup(l.Close)
					return l
				}, 25)
			})
		}
	}
}

func TestPointsStore(t *testing.T) {
	for _, d := range sqltest.Dialects {
		t.Run(d.Name, func(t *testing.T) {
			pointstest.RunStoreTests(t, func(t testing.TB, now func() time.Time) pointstest.Stores {
				db := d.OpenAt(t, now)
				return pointstest.Stores{Points: db.Points(), Governance: db.Governance(), Grids: db.Grids()}
			})
		})
	}
}

func BenchmarkPoints(b *testing.B) {
	for _, d := range sqltest.Dialects {
		b.Run(d.Name, func(b *testing.B) {
			pointstest.RunBenchmarks(b, func(t testing.TB, now func() time.Time) pointstest.Stores {
				db := d.OpenAt(t, now)
				return pointstest.Stores{Points: db.Points(), Governance: db.Governance(), Grids: db.Grids()}
			})
		})
	}
}

// TestLedgerCacheSeesOtherWriters: two processes' stores on one SQLite
// file take turns spending from one limited account; each sees the
// other's transfers, so the limit holds and the books balance.
func TestLedgerCacheSeesOtherWriters(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ledger.db")
	var ls [2]*sqlstore.Ledger
	for i := range ls {
		db, err := sqlstore.Open(ctx, sqlstore.Config{DSN: path})
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		ls[i] = db.Ledger(sqlstore.LedgerOptions{})
		t.Cleanup(ls[i].Close)
	}
	src := ledger.Account{ID: ledgertest.ID(7, 1), Ledger: 1, Code: 1}
	dst := ledger.Account{ID: ledgertest.ID(7, 2), Ledger: 1, Code: 1, Flags: ledger.DebitsMustNotExceedCredits}
	sink := ledger.Account{ID: ledgertest.ID(7, 3), Ledger: 1, Code: 1}
	rs, err := ls[0].CreateAccounts(ctx, []ledger.Account{src, dst, sink})
	require.NoError(t, err)
	require.Equal(t, []ledger.Result{ledger.Ok, ledger.Ok, ledger.Ok}, rs)
	id := uint64(100)
	transfer := func(l *sqlstore.Ledger, from, to ledger.ID, amount int64) ledger.Result {
		id++
		rs, err := l.CreateTransfers(ctx, []ledger.Transfer{{ID: ledgertest.ID(7, id), DebitAccountID: from, CreditAccountID: to, Amount: amount, Ledger: 1, Code: 1}})
		require.NoError(t, err)
		return rs[0]
	}
	require.Equal(t, ledger.Ok, transfer(ls[0], src.ID, dst.ID, 10))
	require.Equal(t, ledger.Ok, transfer(ls[1], dst.ID, sink.ID, 6), "the second store sees the credit")
	assert.Equal(t, ledger.ExceedsCredits, transfer(ls[0], dst.ID, sink.ID, 6), "the first store sees the second's debit")
	require.Equal(t, ledger.Ok, transfer(ls[0], dst.ID, sink.ID, 4))
	assert.Equal(t, ledger.ExceedsCredits, transfer(ls[1], dst.ID, sink.ID, 1))
	as, err := ls[1].LookupAccounts(ctx, []ledger.ID{dst.ID})
	require.NoError(t, err)
	assert.EqualValues(t, 10, as[0].DebitsPosted)
	require.NoError(t, ls[0].Verify(ctx))
}

// BenchmarkLedger: batches of 1,000 transfers between 10,000 accounts,
// and single transfers, on each dialect; reports transfers per second.
// examples/ledgerbench measures concurrency and the hot account.
func BenchmarkLedger(b *testing.B) {
	for _, d := range sqltest.Dialects {
		for _, batch := range []int{1000, 1} {
			b.Run(fmt.Sprintf("%s/batch=%d", d.Name, batch), func(b *testing.B) {
				ctx := context.Background()
				l := d.Open(b).Ledger(sqlstore.LedgerOptions{})
				b.Cleanup(l.Close)
				const accounts = 10_000
				as := make([]ledger.Account, accounts+1)
				for i := range as {
					as[i] = ledger.Account{ID: ledgertest.ID(1, uint64(i)), Ledger: 1, Code: 1}
				}
				for lo := 0; lo < len(as); lo += 1000 {
					_, err := l.CreateAccounts(ctx, as[lo:min(lo+1000, len(as))])
					require.NoError(b, err)
				}
				ts := make([]ledger.Transfer, batch)
				next := uint64(0)
				b.ResetTimer()
				for b.Loop() {
					for i := range ts {
						next++
						ts[i] = ledger.Transfer{ID: ledgertest.ID(2, next), DebitAccountID: as[next%accounts].ID, CreditAccountID: as[accounts].ID,
							Amount: 1, Ledger: 1, Code: 1}
					}
					rs, err := l.CreateTransfers(ctx, ts)
					if err != nil || rs[0] != ledger.Ok {
						b.Fatal(err, rs[0])
					}
				}
				b.ReportMetric(float64(next)/b.Elapsed().Seconds(), "transfers/s")
			})
		}
	}
}

func TestFundsStore(t *testing.T) {
	for _, d := range sqltest.Dialects {
		t.Run(d.Name, func(t *testing.T) {
			fundstest.RunStoreTests(t, func(t testing.TB, now func() time.Time) fundstest.Stores {
				db := d.OpenAt(t, now)
				return fundstest.Stores{Funds: db.Funds(), Governance: db.Governance(), Grids: db.Grids()}
			})
		})
	}
}

func BenchmarkFunds(b *testing.B) {
	for _, d := range sqltest.Dialects {
		b.Run(d.Name, func(b *testing.B) {
			fundstest.RunBenchmarks(b, func(t testing.TB, now func() time.Time) fundstest.Stores {
				db := d.OpenAt(t, now)
				return fundstest.Stores{Funds: db.Funds(), Governance: db.Governance(), Grids: db.Grids()}
			})
		})
	}
}

func TestAccessStore(t *testing.T) {
	for _, d := range sqltest.Dialects {
		t.Run(d.Name, func(t *testing.T) {
			accesstest.RunStoreTests(t, func(t testing.TB) access.Store { return d.Open(t).Access() })
		})
	}
}
