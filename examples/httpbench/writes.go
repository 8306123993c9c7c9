package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/adapters/sqlstore"
	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/points"
)

// writer is one kind of write: its HTTP request and the same service call
// made in-process, the n-th of either spread over what can take it.
type writer struct {
	name  string
	path  func(n int) string // under /v1/communities/{community}
	body  func(n int) any
	local func(ctx context.Context, n int) error
}

// writers prepares the writes httpbench measures: an exchange at the
// counter (one point-hundredth's soap for a resident who earned points,
// residents taken in turn) and a merchant's contribution of 0.01 yuan to
// the welfare fund (the alliance's merchants taken in turn). The demo's
// grants have spent all they released, so no payment on a budget line is
// measured.
func writers(ctx context.Context, d demo) ([]writer, error) {
	admin := grids.WithPrincipal(ctx, grids.Admin("httpbench"))
	soap, err := d.points.CreateItem(admin, d.community, points.ItemInput{Kind: points.ItemGoods, Name: "压测肥皂", Unit: "件", Price: decimal.RequireFromString("0.01")})
	if err != nil {
		return nil, err
	}
	if _, err := d.points.Donate(admin, d.community, points.DonationInput{Donor: points.Party{Kind: points.PartyEnterprise, Name: "httpbench"},
		ItemID: soap.ID, Quantity: 1_000_000, Condition: "new"}); err != nil {
		return nil, err
	}
	var residents []string
	seen := map[string]bool{}
	for after := ""; ; {
		claims, _, err := d.points.Claims(admin, d.community, points.ClaimFilter{Status: points.Verified, Page: grids.Page{Limit: 500, After: after, NoTotal: true}})
		if err != nil {
			return nil, err
		}
		for _, c := range claims {
			if !seen[c.ResidentID] {
				seen[c.ResidentID] = true
				residents = append(residents, c.ResidentID)
			}
		}
		if len(claims) < 500 {
			break
		}
		after = claims[len(claims)-1].ID
	}
	// Each resident below spends at most a point in a run of 100 exchanges
	// apiece; one who earned less is left out by a probe.
	var payers []string
	for _, r := range residents {
		if _, err := d.points.Exchange(admin, d.community, points.ExchangeInput{ResidentID: r, ItemID: soap.ID, Quantity: 1}); err == nil {
			payers = append(payers, r)
		}
	}
	if len(payers) == 0 {
		return nil, errors.New("no resident of the demo can pay for an exchange")
	}

	merchants, err := d.funds.Merchants(admin, d.community)
	if err != nil {
		return nil, err
	}
	if len(merchants) == 0 {
		return nil, errors.New("the demo has no merchant in the alliance")
	}
	period := time.Now().Format("2006-01")
	contribution := func(n int) funds.ContributionInput {
		return funds.ContributionInput{Period: period, Amount: decimal.RequireFromString("0.01"), Reference: "httpbench"}
	}
	return []writer{
		{
			name: "an exchange at the counter",
			path: func(int) string { return "/warehouse/exchanges" },
			body: func(n int) any {
				return points.ExchangeInput{ResidentID: payers[n%len(payers)], ItemID: soap.ID, Quantity: 1}
			},
			local: func(ctx context.Context, n int) error {
				_, err := d.points.Exchange(ctx, d.community, points.ExchangeInput{ResidentID: payers[n%len(payers)], ItemID: soap.ID, Quantity: 1})
				return err
			},
		},
		{
			name: "a merchant's contribution (funds)",
			path: func(n int) string { return "/merchants/" + merchants[n%len(merchants)].ID + "/contributions" },
			body: func(n int) any { return contribution(n) },
			local: func(ctx context.Context, n int) error {
				_, err := d.funds.RecordContribution(ctx, d.community, merchants[n%len(merchants)].ID, contribution(n))
				return err
			},
		},
	}, nil
}

// measureWrites runs each write over HTTP and in-process; with history,
// it then adds that many of each in-process and runs them again (on
// PostgreSQL once with the statistics as the load left them and once
// after ANALYZE).
func measureWrites(ctx context.Context, out io.Writer, client *http.Client, db *sqlstore.DB, d demo, base string, c config) error {
	ws, err := writers(ctx, d)
	if err != nil {
		return fmt.Errorf("the writes: %w", err)
	}
	var serial atomic.Int64
	round := func(label string) error {
		for _, w := range ws {
			res, err := loadWrites(ctx, client, base, d.worker, w, &serial, c.clients, c.duration)
			if err != nil {
				return fmt.Errorf("%s: %w", w.name, err)
			}
			local, err := loadLocal(ctx, w, &serial, c.clients, c.duration)
			if err != nil {
				return fmt.Errorf("%s in-process: %w", w.name, err)
			}
			fmt.Fprintf(out, "%-36s %10.0f %9.2f %9.2f %8s %8s  in-process %.0f/s (p50 %.2f ms), HTTP %.2f× of it [%s]\n",
				w.name, res.rate, ms(res.p50), ms(res.p99), "", "", local.rate, ms(local.p50), res.rate/local.rate, label)
		}
		return nil
	}
	if err := round("history of the demo"); err != nil {
		return err
	}
	if c.history <= 0 {
		return nil
	}
	start := time.Now()
	admin := grids.WithPrincipal(ctx, grids.Admin("httpbench"))
	for _, w := range ws {
		if err := fill(admin, w, &serial, c.history); err != nil {
			return fmt.Errorf("adding history: %s: %w", w.name, err)
		}
	}
	fmt.Fprintf(out, "added %d of each write in-process in %s\n", c.history, time.Since(start).Round(time.Second))
	label := fmt.Sprintf("+%d each", c.history)
	if db.Dialect() == sqlstore.Postgres {
		if err := round(label + ", statistics stale"); err != nil {
			return err
		}
		if err := db.Analyze(ctx); err != nil {
			return err
		}
		label += ", after ANALYZE"
	}
	return round(label)
}

// fill makes n of w in-process, from 8 goroutines.
func fill(ctx context.Context, w writer, serial *atomic.Int64, n int) error {
	var left atomic.Int64
	left.Store(int64(n))
	var first error
	var once sync.Once
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for left.Add(-1) >= 0 {
				if err := w.local(ctx, int(serial.Add(1))); err != nil {
					once.Do(func() { first = err })
					return
				}
			}
		})
	}
	wg.Wait()
	return first
}

// loadWrites runs clients concurrent clients posting w for d; every answer
// must be a success.
func loadWrites(ctx context.Context, client *http.Client, base, token string, w writer, serial *atomic.Int64, clients int, d time.Duration) (result, error) {
	return timed(ctx, clients, d, func() error {
		n := int(serial.Add(1))
		body, err := json.Marshal(w.body(n))
		if err != nil {
			return err
		}
		req, err := http.NewRequest(http.MethodPost, base+w.path(n), bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		text, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode/100 != 2 {
			return fmt.Errorf("status %d: %s", res.StatusCode, text)
		}
		return nil
	})
}

// loadLocal makes w's service call from clients goroutines for d.
func loadLocal(ctx context.Context, w writer, serial *atomic.Int64, clients int, d time.Duration) (result, error) {
	admin := grids.WithPrincipal(ctx, grids.Admin("httpbench"))
	return timed(ctx, clients, d, func() error { return w.local(admin, int(serial.Add(1))) })
}

// timed runs op from clients goroutines for d and gives its rate and
// latencies; the first failure stops the run.
func timed(ctx context.Context, clients int, d time.Duration, op func() error) (result, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var mu sync.Mutex
	var lat []time.Duration
	var failed atomic.Value
	var wg sync.WaitGroup
	begin := time.Now()
	for range clients {
		wg.Go(func() {
			var mine []time.Duration
			for ctx.Err() == nil && failed.Load() == nil {
				t := time.Now()
				if err := op(); err != nil {
					failed.Store(err)
					break
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		return result{}, err
	}
	if len(lat) == 0 {
		return result{}, errors.New("nothing finished")
	}
	slices.Sort(lat)
	return result{rate: float64(len(lat)) / time.Since(begin).Seconds(), p50: lat[len(lat)/2], p99: lat[len(lat)*99/100]}, nil
}
