// Package faults injects one fault at one step of a command, for the
// conformance suites' fault tests: a store wrapper calls Step before each
// call it passes on (a transaction begun, a record read or written, a
// ledger call) and Commit after a transaction commits, and the plan fails,
// cancels or crashes the command at the step it was made for.
package faults

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Kind is how a fault shows itself.
type Kind int

// The kinds of fault.
const (
	// Error: the step fails with ErrInjected (a lost connection, a full
	// disk, a statement that times out).
	Error Kind = iota
	// Cancel: the caller's context is cancelled at the step (a client that
	// hangs up); the step itself goes on.
	Cancel
	// Crash: the process dies at the step. The step panics with a value
	// that Run turns into ErrCrashed; stores roll back what they had not
	// committed, as a database does for a connection that drops, and the
	// test carries on with new services over the same stores, as a
	// restarted process would.
	Crash
	// LostReply: the transaction commits, but its caller hears an error
	// (the connection dropped after COMMIT). Its steps are commits only.
	LostReply
)

// Kinds are every kind of fault.
var Kinds = []Kind{Error, Cancel, Crash, LostReply}

func (k Kind) String() string {
	return [...]string{"error", "cancel", "crash", "lost reply"}[k]
}

// The errors of injected faults.
var (
	ErrInjected = errors.New("faults: injected failure")
	ErrCrashed  = errors.New("faults: the process crashed")
)

// crash is the panic of a Crash.
type crash struct{ step string }

// Plan injects a fault of one kind at one step (counted from 1; commits
// only, for LostReply). It is safe for concurrent use.
type Plan struct {
	mu      sync.Mutex
	kind    Kind
	at      int
	steps   int
	commits int
	hit     string // the step faulted, once it was
	lose    bool   // a LostReply armed at the commit under way
	cancel  context.CancelFunc
}

// At plans a fault of kind at step n; cancel is the caller's, for Cancel.
func At(kind Kind, n int, cancel context.CancelFunc) *Plan {
	return &Plan{kind: kind, at: n, cancel: cancel}
}

// Step is called before each store call named name ("commit" for the
// moment a transaction would commit). It returns the error to fail with,
// cancels the caller, or panics, if this is the planned step.
func (p *Plan) Step(name string) error {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	p.steps++
	n := p.steps
	if name == "commit" {
		p.commits++
		if p.kind == LostReply && p.commits == p.at && p.hit == "" {
			p.hit, p.lose = fmt.Sprintf("commit %d", p.commits), true
		}
	}
	fire := p.kind != LostReply && n == p.at && p.hit == ""
	if fire {
		p.hit = fmt.Sprintf("%s (step %d)", name, n)
	}
	p.mu.Unlock()
	if !fire {
		return nil
	}
	switch p.kind {
	case Error:
		return fmt.Errorf("%w at %s", ErrInjected, name)
	case Cancel:
		p.cancel()
	case Crash:
		panic(crash{name})
	}
	return nil
}

// Committed is called once a transaction has committed: it returns the
// error of a LostReply planned for that commit.
func (p *Plan) Committed() error {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.lose {
		p.lose = false
		return fmt.Errorf("%w: the reply to a commit was lost", ErrInjected)
	}
	return nil
}

// Hit says the step the fault was injected at; "" if the command ended
// before it.
func (p *Plan) Hit() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hit
}

// Run runs a command, turning the panic of a Crash into ErrCrashed;
// other panics go on.
func Run(cmd func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			c, ok := v.(crash)
			if !ok {
				panic(v)
			}
			err = fmt.Errorf("%w at %s", ErrCrashed, c.step)
		}
	}()
	return cmd()
}

// View is a store's View with a step before it begins; wrap puts the
// plan's steps into the transaction handed to fn.
func View[Tx any](ctx context.Context, p *Plan, view func(context.Context, func(Tx) error) error, wrap func(Tx) Tx, fn func(Tx) error) error {
	if err := p.Step("view"); err != nil {
		return err
	}
	return view(ctx, func(tx Tx) error { return fn(wrap(tx)) })
}

// Update is a store's Update with a step before it begins, a "commit"
// step once fn has done its work (a fault there rolls it all back), and
// the lost reply of a commit.
func Update[Tx any](ctx context.Context, p *Plan, update func(context.Context, func(Tx) error) error, wrap func(Tx) Tx, fn func(Tx) error) error {
	if err := p.Step("update"); err != nil {
		return err
	}
	err := update(ctx, func(tx Tx) error {
		if err := fn(wrap(tx)); err != nil {
			return err
		}
		return p.Step("commit")
	})
	if err != nil {
		return err
	}
	return p.Committed()
}

// Transactional is a domain store: View and Update over its Tx
// (points.Store, funds.Store …).
type Transactional[Tx any] interface {
	View(ctx context.Context, fn func(Tx) error) error
	Update(ctx context.Context, fn func(Tx) error) error
}

// Store is a domain store with the plan's steps: each transaction begun
// (View, Update) and committed, and through Wrap each call of its Tx.
type Store[Tx any] struct {
	Inner Transactional[Tx]
	Plan  *Plan
	Wrap  func(Tx, *Plan) Tx
}

func (s Store[Tx]) wrap(tx Tx) Tx { return s.Wrap(tx, s.Plan) }

// View is Inner's View with a step before it.
func (s Store[Tx]) View(ctx context.Context, fn func(Tx) error) error {
	return View(ctx, s.Plan, s.Inner.View, s.wrap, fn)
}

// Update is Inner's Update with steps before it and at its commit.
func (s Store[Tx]) Update(ctx context.Context, fn func(Tx) error) error {
	return Update(ctx, s.Plan, s.Inner.Update, s.wrap, fn)
}
