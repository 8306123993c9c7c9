package sqlstore

import (
	"context"
	"sync"

	"github.com/linli-go/linli/grids/ledger"
)

// committer commits concurrent callers' batches together: one goroutine
// takes every request waiting (up to max transfers), runs them as one
// batch in one transaction, in the order they came, and hands each caller
// its own results. Requests are whole: a caller's linked chain never
// spans another's (a batch ending in an open chain is not grouped).
type committer struct {
	l    *Ledger
	max  int
	reqs chan *request
	wg   sync.WaitGroup
	once sync.Once
}

type request struct {
	transfers []ledger.Transfer
	results   []ledger.Result
	err       error
	done      chan struct{}
}

func newCommitter(l *Ledger, max int) *committer {
	c := &committer{l: l, max: max, reqs: make(chan *request, 4096)}
	c.wg.Add(1)
	go c.loop()
	return c
}

func (c *committer) close() {
	c.once.Do(func() { close(c.reqs) })
	c.wg.Wait()
}

// submit queues a batch and waits for its results. If ctx ends first the
// batch may still commit: a caller retries with the same IDs and learns
// which transfers exist.
func (c *committer) submit(ctx context.Context, ts []ledger.Transfer) ([]ledger.Result, error) {
	r := &request{transfers: ts, done: make(chan struct{})}
	select {
	case c.reqs <- r:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case <-r.done:
		return r.results, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (c *committer) loop() {
	defer c.wg.Done()
	var group []*request
	var all []ledger.Transfer
	for r := range c.reqs {
		group, all = append(group[:0], r), append(all[:0], r.transfers...)
	drain:
		for len(all) < c.max {
			select {
			case more, ok := <-c.reqs:
				if !ok {
					break drain
				}
				group = append(group, more)
				all = append(all, more.transfers...)
			default:
				break drain
			}
		}
		results, err := c.l.createTransfers(context.Background(), all)
		at := 0
		for _, g := range group {
			if err != nil {
				g.err = err
			} else {
				g.results = append([]ledger.Result(nil), results[at:at+len(g.transfers)]...)
			}
			at += len(g.transfers)
			close(g.done)
		}
	}
}
