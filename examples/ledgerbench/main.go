// Command ledgerbench measures the ledger: transfers per second and the
// latency of each request, on memory, SQLite or PostgreSQL, then checks
// the ledger's invariants and exits non-zero if one fails.
//
//	go run ./examples/ledgerbench -store memory -transfers 1000000 -accounts 10000 -clients 1 -batch 1000
//	go run ./examples/ledgerbench -store sqlite -dsn /tmp/bench.db -transfers 200000 -batch 1000
//	go run ./examples/ledgerbench -store postgres -dsn postgres://postgres@127.0.0.1:5432/test -transfers 200000 -clients 4 -batch 1000
//	go run ./examples/ledgerbench -store postgres -dsn … -transfers 50000 -clients 64 -batch 1 -hot
//
// -hot puts every transfer on one account. The SQL stores commit
// concurrent requests together (group commit) unless -alone.
// Half the accounts are limited (debits must not exceed credits) and every
// transfer has a new ID, checked for idempotency.
package main

import (
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime/pprof"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/linli-go/linli/adapters/sqlstore"
	"github.com/linli-go/linli/grids/ledger"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "ledgerbench:", err)
		os.Exit(1)
	}
}

type config struct {
	store                               string
	dsn                                 string
	transfers, accounts, clients, batch int
	hot, alone                          bool
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("ledgerbench", flag.ContinueOnError)
	var c config
	fs.StringVar(&c.store, "store", "memory", "memory, sqlite or postgres")
	fs.StringVar(&c.dsn, "dsn", "", "an SQLite file path or a PostgreSQL URL")
	fs.IntVar(&c.transfers, "transfers", 100_000, "how many transfers in all")
	fs.IntVar(&c.accounts, "accounts", 10_000, "how many accounts")
	fs.IntVar(&c.clients, "clients", 1, "how many concurrent clients")
	fs.IntVar(&c.batch, "batch", 1000, "transfers per request")
	fs.BoolVar(&c.hot, "hot", false, "every transfer on one account")
	fs.BoolVar(&c.alone, "alone", false, "each request in a transaction of its own (no group commit)")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.transfers < 1 || c.accounts < 2 || c.clients < 1 || c.batch < 1 {
		return errors.New("transfers, clients and batch must be 1 or more, accounts 2 or more")
	}
	store, closeStore, err := open(ctx, c)
	if err != nil {
		return err
	}
	defer closeStore()

	space := uint64(time.Now().UnixNano()) // a fresh ID space: a database may hold earlier runs
	ids := setup(ctx, store, space, c.accounts)
	if ids == nil {
		return errors.New("could not create the accounts")
	}

	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	requests := (c.transfers + c.batch - 1) / c.batch
	var next atomic.Int64
	var serial atomic.Uint64
	serial.Store(1 << 40)
	latencies := make([]time.Duration, requests)
	var failures atomic.Int64
	var firstErr error
	var errOnce sync.Once
	start := time.Now()
	var wg sync.WaitGroup
	for client := range c.clients {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(client), space))
			batch := make([]ledger.Transfer, 0, c.batch)
			for {
				i := int(next.Add(1)) - 1
				if i >= requests {
					return
				}
				n := min(c.batch, c.transfers-i*c.batch)
				batch = batch[:0]
				first := serial.Add(uint64(n)) - uint64(n) // this request's IDs, in order
				for k := range n {
					x := r.Uint64()
					from, to := int(x%uint64(len(ids))), int((x>>32)%uint64(len(ids)-1))
					if to >= from {
						to++
					}
					if c.hot {
						from = 0
						if x&1 == 0 {
							from, to = to, 0
						}
						if from == to {
							to = 1
						}
					}
					batch = append(batch, ledger.Transfer{ID: id(space, first+uint64(k)+1), DebitAccountID: ids[from], CreditAccountID: ids[to],
						Amount: 1 + int64(x>>60), Ledger: 1, Code: 2})
				}
				t0 := time.Now()
				res, err := store.CreateTransfers(ctx, batch)
				latencies[i] = time.Since(t0)
				if err != nil {
					errOnce.Do(func() { firstErr = err })
					return
				}
				for _, x := range res {
					if x != ledger.Ok && x != ledger.ExceedsCredits {
						failures.Add(1)
					}
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if firstErr != nil {
		return firstErr
	}
	if failures.Load() > 0 {
		return fmt.Errorf("%d transfers failed unexpectedly", failures.Load())
	}
	slices.Sort(latencies)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	fmt.Fprintf(out, "transfers/s: %.0f\n", float64(c.transfers)/elapsed.Seconds())
	fmt.Fprintf(out, "latency p50: %.2f ms p99: %.2f ms\n", ms(latencies[len(latencies)/2]), ms(latencies[len(latencies)*99/100]))
	if err := store.Verify(ctx); err != nil {
		return fmt.Errorf("invariants: %w", err)
	}
	fmt.Fprintln(out, "invariants: ok")
	return nil
}

func open(ctx context.Context, c config) (ledger.Store, func(), error) {
	switch c.store {
	case "memory":
		return ledger.NewMemoryStore(nil), func() {}, nil
	case "sqlite", "postgres":
		if c.dsn == "" {
			return nil, nil, fmt.Errorf("-dsn is required for %s", c.store)
		}
		db, err := sqlstore.Open(ctx, sqlstore.Config{DSN: c.dsn, MaxConns: max(8, c.clients)})
		if err != nil {
			return nil, nil, err
		}
		if db.Dialect() != c.store {
			db.Close()
			return nil, nil, fmt.Errorf("-dsn opens %s, not %s", db.Dialect(), c.store)
		}
		l := db.Ledger(sqlstore.LedgerOptions{Alone: c.alone})
		return l, func() { l.Close(); db.Close() }, nil
	}
	return nil, nil, fmt.Errorf("-store must be memory, sqlite or postgres, not %q", c.store)
}

func id(space, n uint64) ledger.ID {
	var x ledger.ID
	binary.BigEndian.PutUint64(x[:8], space)
	binary.BigEndian.PutUint64(x[8:], n)
	return x
}

// setup creates the accounts, half of them limited, each funded.
func setup(ctx context.Context, s ledger.Store, space uint64, n int) []ledger.ID {
	source := id(space, 1)
	ids := make([]ledger.ID, n)
	accounts := []ledger.Account{{ID: source, Ledger: 1, Code: 1}}
	for i := range ids {
		ids[i] = id(space, uint64(100+i))
		a := ledger.Account{ID: ids[i], Ledger: 1, Code: 2}
		if i%2 == 0 {
			a.Flags = ledger.DebitsMustNotExceedCredits
		}
		accounts = append(accounts, a)
	}
	for lo := 0; lo < len(accounts); lo += 2000 {
		if _, err := s.CreateAccounts(ctx, accounts[lo:min(lo+2000, len(accounts))]); err != nil {
			return nil
		}
	}
	for lo := 0; lo < n; lo += 1000 {
		var fund []ledger.Transfer
		for i := lo; i < min(lo+1000, n); i++ {
			fund = append(fund, ledger.Transfer{ID: id(space, uint64(1<<30+i)), DebitAccountID: source, CreditAccountID: ids[i], Amount: 1 << 40, Ledger: 1, Code: 1})
		}
		if _, err := s.CreateTransfers(ctx, fund); err != nil {
			return nil
		}
	}
	return ids
}
