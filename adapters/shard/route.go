package shard

import (
	"context"
	"errors"

	"github.com/linli-go/linli/grids/record"
	"github.com/linli-go/linli/internal/errs"
)

// route is what one transaction is routed by, and checks each call of it
// against.
type route struct {
	// probing: the function runs against no store; its first call notes
	// what it names and stops it.
	probing   bool
	community string
	// across: the first call reads every community; no call of one
	// community may follow in the same transaction.
	across bool
}

// stopped is the panic that ends a probe at its first call, whatever the
// function does with errors.
type stopped struct{}

// at checks a call naming community.
func (r *route) at(community string) error {
	switch {
	case r.probing:
		r.community = community
		panic(stopped{})
	case r.across || community != r.community:
		return r.spans(community)
	}
	return nil
}

// atEach checks a call naming n records' communities.
func (r *route) atEach(n int, community func(i int) string) error {
	for i := range n {
		if err := r.at(community(i)); err != nil {
			return err
		}
	}
	return nil
}

// acrossAll notes a call that reads every community.
func (r *route) acrossAll() error {
	if r.probing {
		r.across = true
		panic(stopped{})
	}
	if !r.across {
		return r.spans("every community")
	}
	return nil
}

func (r *route) spans(other string) error {
	this := "every community"
	if !r.across {
		this = "community " + r.community
	}
	return errs.E(errs.Internal, "shard: %w: this one is of %s and a call named %s", ErrSpansCommunities, this, other)
}

// probe runs fn until its first call; called is false if fn returned
// without one, with fn's error.
func (r *route) probe(fn func() error) (called bool, err error) {
	defer func() {
		if v := recover(); v != nil {
			if _, ok := v.(stopped); !ok {
				panic(v)
			}
			called, err = true, nil
		}
	}()
	return false, fn()
}

// store is a domain's Store, as record.Store spells it.
type store[Tx any] = record.Store[Tx]

// domain is how a Router routes one domain's transactions.
type domain[Tx any] struct {
	name string
	// of is the shard's store of the domain (nil if it has none).
	of func(Shard) store[Tx]
	// wrap makes a Tx whose calls r checks (inner is the zero Tx while
	// probing).
	wrap func(inner Tx, r *route) Tx
	// across is a Tx for a read of every community, or nil if the domain
	// has none.
	across func(r *route) Tx
}

// run routes one transaction: fn is probed for the community of its first
// call, then run in a transaction of that community's shard with every
// call checked. A read of every community (listing communities) runs on a
// Tx that asks every shard.
func run[Tx any](ctx context.Context, rt *Router, d domain[Tx], write bool, fn func(Tx) error) error {
	p := &route{probing: true}
	var zero Tx
	called, err := p.probe(func() error { return fn(d.wrap(zero, p)) })
	if !called {
		return err
	}
	if p.across {
		if write || d.across == nil {
			return errs.E(errs.Internal, "shard: a %s write cannot read every community", d.name)
		}
		return fn(d.across(&route{across: true}))
	}
	in := func(tx Tx) error { return fn(d.wrap(tx, &route{community: p.community})) }
	if write {
		ctx = context.WithValue(ctx, writingKey{}, p.community)
	}
	for attempt := 1; ; attempt++ {
		s, err := rt.shardOf(ctx, p.community, write)
		if err != nil {
			return err
		}
		st := d.of(s)
		if st == nil {
			return errs.E(errs.Internal, "shard: shard %s has no %s store", s.Name, d.name)
		}
		if !write {
			return st.View(ctx, in)
		}
		err = st.Update(ctx, in)
		if errors.Is(err, ErrMoving) || errors.Is(err, ErrMoved) {
			// The directory's answer may be kept from before a move:
			// the next lookup asks it again.
			if c, ok := rt.dir.(interface{ Forget(string) }); ok {
				c.Forget(p.community)
			}
		}
		// The community moved after the directory was read: the write
		// goes where it is now.
		if !errors.Is(err, ErrMoved) || attempt == maxMovedAttempts {
			return err
		}
	}
}

// maxMovedAttempts bounds how often a write follows a community that
// moved while it was routed.
const maxMovedAttempts = 3

// version routes a record.Versioned's Version to community's shard.
func version(ctx context.Context, rt *Router, community string, of func(Shard) record.Versioned) (int64, error) {
	s, err := rt.shardOf(ctx, community, false)
	if err != nil {
		return 0, err
	}
	v := of(s)
	if v == nil {
		return 0, errs.E(errs.Internal, "shard: shard %s has no such store", s.Name)
	}
	return v.Version(ctx, community)
}
