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
	"strings"
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
	// dry, if set, says a refusal means the n-th's source ran dry (a
	// resident out of points): it leaves the turn and the write is made
	// again with the next.
	dry func(n int, rule string) bool
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
	// Residents pay in turn; one whose points run out leaves the turn.
	payers := &turn{ids: residents, out: make([]atomic.Bool, len(residents))}
	if len(residents) == 0 {
		return nil, errors.New("no resident of the demo earned points")
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
				return points.ExchangeInput{ResidentID: payers.at(n), ItemID: soap.ID, Quantity: 1}
			},
			local: func(ctx context.Context, n int) error {
				_, err := d.points.Exchange(ctx, d.community, points.ExchangeInput{ResidentID: payers.at(n), ItemID: soap.ID, Quantity: 1})
				if errors.Is(err, points.ErrInsufficientPoints) {
					return errDry{payers.drop(n)}
				}
				return err
			},
			dry: func(n int, rule string) bool {
				if rule == points.ErrInsufficientPoints.Name() {
					return payers.drop(n) == nil
				}
				return false
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

// turn hands out IDs in turn, skipping those that ran dry.
type turn struct {
	ids []string
	out []atomic.Bool
}

// at is the n-th's ID: the first from n on that has not run dry ("" if
// all have).
func (t *turn) at(n int) string {
	for k := range len(t.ids) {
		if i := (n + k) % len(t.ids); !t.out[i].Load() {
			return t.ids[i]
		}
	}
	return ""
}

// drop takes the n-th's ID out of the turn; it is an error once none is
// left.
func (t *turn) drop(n int) error {
	id := t.at(n)
	for i := range t.ids {
		if t.ids[i] == id {
			t.out[i].Store(true)
		}
	}
	if t.at(n) == "" {
		return errors.New("every resident of the demo has spent the points they earned")
	}
	return nil
}

// errDry is a write refused because its source ran dry: made again with
// the next unless err says none is left.
type errDry struct{ err error }

func (e errDry) Error() string { return fmt.Sprint("ran dry: ", e.err) }

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
			if n := conflicts.Swap(0); n > 0 {
				fmt.Fprintf(out, "  (%d answered 409 \"try again\" over HTTP and were made again)\n", n)
			}
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
				if err := makeLocal(ctx, w, serial); err != nil {
					once.Do(func() { first = err })
					return
				}
			}
		})
	}
	wg.Wait()
	return first
}

// conflicts counts writes refused as meeting concurrent changes too often
// (409, "try again") and made again.
var conflicts atomic.Int64

// loadWrites runs clients concurrent clients posting w for d; every answer
// must be a success, or a conflict to try again.
func loadWrites(ctx context.Context, client *http.Client, base, token string, w writer, serial *atomic.Int64, clients int, d time.Duration) (result, error) {
	return timed(ctx, clients, d, func() error {
	again:
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
		if res.StatusCode == http.StatusConflict && strings.Contains(string(text), "try again") {
			conflicts.Add(1)
			goto again // as a client does: nothing was written
		}
		if res.StatusCode/100 != 2 {
			var problem struct{ Rule string }
			if json.Unmarshal(text, &problem) == nil && w.dry != nil && w.dry(n, problem.Rule) {
				goto again
			}
			return fmt.Errorf("status %d: %s", res.StatusCode, text)
		}
		return nil
	})
}

// loadLocal makes w's service call from clients goroutines for d.
func loadLocal(ctx context.Context, w writer, serial *atomic.Int64, clients int, d time.Duration) (result, error) {
	admin := grids.WithPrincipal(ctx, grids.Admin("httpbench"))
	return timed(ctx, clients, d, func() error { return makeLocal(admin, w, serial) })
}

// makeLocal makes one of w in-process, with the next source while one runs
// dry.
func makeLocal(ctx context.Context, w writer, serial *atomic.Int64) error {
	for {
		err := w.local(ctx, int(serial.Add(1)))
		if errors.Is(err, grids.Conflict) && strings.Contains(err.Error(), "try again") {
			continue // nothing was written
		}
		var dry errDry
		if !errors.As(err, &dry) {
			return err
		}
		if dry.err != nil {
			return dry.err
		}
	}
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
