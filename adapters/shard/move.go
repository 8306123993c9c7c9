package shard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/linli-go/linli/internal/errs"
)

// The rules of a move, which writes of the community moving meet.
var (
	// ErrMoving refuses a write of a community while it moves: the
	// caller tries again after a while (HTTP 503 with Retry-After).
	ErrMoving = errs.NewRule(errs.Unavailable, "shard.moving", "a community is read-only while it moves between databases: writes resume once it has moved")
	// ErrMoved refuses a write made on the shard a community has left.
	// A Router meets it only when its directory lookup was made before
	// the move, and then writes on the new shard instead.
	ErrMoved = errs.NewRule(errs.Unavailable, "shard.moved", "a community is written on the database that holds it now")
)

// Refusals are the rules of this package that refuse.
func Refusals() []*errs.Rule { return []*errs.Rule{ErrMoving, ErrMoved} }

type writingKey struct{}

// Writing returns the community of the Router's write transaction that
// ctx is of. A store that can hand communities over (a Mover) checks,
// inside that transaction, that the community is neither moving nor
// moved away, so no write lands on a copy being taken or left behind.
func Writing(ctx context.Context) (community string, ok bool) {
	community, ok = ctx.Value(writingKey{}).(string)
	return community, ok && community != ""
}

// Mover is a shard's database that hands a community over to another
// shard's: sqlstore.DB on SQLite or PostgreSQL. Router.Move calls these in
// order; each is safe to call again after a move was cut off.
type Mover interface {
	// Fence makes community read-only here: every write of it from now
	// on is refused with ErrMoving, and Fence returns once the writes
	// begun before it have ended, so nothing more will change.
	Fence(ctx context.Context, community string) error
	// Unfence lifts a fence: a move given up.
	Unfence(ctx context.Context, community string) error
	// Copy writes everything community owns, its credentials included,
	// for Receive to read.
	Copy(ctx context.Context, community string, w io.Writer) error
	// Receive reads a Copy and stores it, all or nothing; a community
	// this shard holds already is refused, one it has left (ErrMoved)
	// is taken back.
	Receive(ctx context.Context, r io.Reader) error
	// Digest sums everything of community that Copy carries, in an order
	// of its own: two shards holding the same copy give the same digest.
	Digest(ctx context.Context, community string) (string, error)
	// Discard removes a copy that Receive stored but the move gave up.
	Discard(ctx context.Context, community string) error
	// Retire removes the community from this shard and leaves a marker
	// that refuses its writes with ErrMoved, naming where it went.
	Retire(ctx context.Context, community, to string) error
}

// Relocator is the optional capability of a Directory whose placements
// can change: Move re-places community from one shard to another, refusing
// (Conflict) if it is not on from.
type Relocator interface {
	Move(ctx context.Context, community, from, to string) error
}

// MoveOptions tune Router.Move.
type MoveOptions struct {
	// Grace is how long the old copy stays (read-only) after the
	// directory flips, for reads that looked the community up before:
	// they read it whole, never half removed. 5 seconds if zero; it must
	// be longer than any Router's cache of the directory (NewCached).
	Grace time.Duration
	// Check runs on the new shard before the directory flips (the
	// points and funds auditors, say); an error gives the move up.
	Check func(ctx context.Context, community string, on *Router) error
	// Log receives the steps; nil discards them.
	Log *slog.Logger
}

// Moved reports a move.
type Moved struct {
	Community, From, To string
	Digest              string
	// ReadOnly is how long writes of the community were refused.
	ReadOnly time.Duration
}

// Move moves community to the shard named to, under load: it fences the
// community on its shard (writes get ErrMoving, reads go on), copies it to
// to, checks that the copy's digest equals the original's and runs
// opts.Check on it there, flips the directory, waits opts.Grace for reads
// that looked the community up before the flip, and retires the old copy.
// If anything fails before the flip, the copy is discarded and the fence
// lifted: the community stays where it was, and writes resume.
func (r *Router) Move(ctx context.Context, community, to string, opts MoveOptions) (Moved, error) {
	rel, ok := r.dir.(Relocator)
	dir := r.dir // asked afresh, never from a cache
	if c, cached := r.dir.(*Cached); cached {
		dir = c.Unwrap()
		_, ok = dir.(Relocator)
	}
	if !ok {
		return Moved{}, errs.E(errs.FailedPrecondition, "shard: this directory cannot re-place communities")
	}
	if opts.Grace == 0 {
		opts.Grace = 5 * time.Second
	}
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	from, err := dir.Shard(ctx, community)
	if err != nil {
		return Moved{}, notFound(community, err)
	}
	if from == to {
		return Moved{}, errs.E(errs.Invalid, "shard: community %s is on %s already", community, to)
	}
	src, dst, err := r.movers(from, to)
	if err != nil {
		return Moved{}, err
	}
	m := Moved{Community: community, From: from, To: to}
	log.InfoContext(ctx, "moving a community", "community", community, "from", from, "to", to)
	if err := src.Fence(ctx, community); err != nil {
		return Moved{}, fmt.Errorf("shard: fence %s on %s: %w", community, from, err)
	}
	fenced := time.Now()
	giveUp := func(err error, copied bool) (Moved, error) {
		// Not cut short with ctx: a fence left up would keep the
		// community read-only.
		bg := context.WithoutCancel(ctx)
		var undo []error
		if copied {
			if err := dst.Discard(bg, community); errs.CodeOf(err) != errs.NotFound {
				undo = append(undo, err)
			}
		}
		undo = append(undo, src.Unfence(bg, community))
		log.WarnContext(ctx, "gave a move up", "community", community, "err", err)
		return Moved{}, errors.Join(err, errors.Join(undo...))
	}
	// A copy left on to by a move cut off earlier is not the community:
	// the directory never pointed there.
	if err := dst.Discard(ctx, community); err != nil && errs.CodeOf(err) != errs.NotFound {
		return giveUp(fmt.Errorf("shard: clear %s of an earlier copy: %w", to, err), false)
	}
	pr, pw := io.Pipe()
	copied := make(chan error, 1)
	go func() {
		err := src.Copy(ctx, community, pw)
		pw.CloseWithError(err)
		copied <- err
	}()
	err = dst.Receive(ctx, pr)
	pr.CloseWithError(errors.New("shard: the receiver stopped"))
	if cerr := <-copied; err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return giveUp(fmt.Errorf("shard: copy %s from %s to %s: %w", community, from, to, err), true)
	}
	want, err := src.Digest(ctx, community)
	if err != nil {
		return giveUp(err, true)
	}
	got, err := dst.Digest(ctx, community)
	if err != nil {
		return giveUp(err, true)
	}
	if got != want {
		return giveUp(errs.E(errs.Internal, "shard: the copy of %s on %s differs from the original on %s", community, to, from), true)
	}
	m.Digest = want
	if opts.Check != nil {
		only, err := New(NewStatic(map[string]string{community: to}), r.shards[to])
		if err != nil {
			return giveUp(err, true)
		}
		if err := opts.Check(ctx, community, only); err != nil {
			return giveUp(fmt.Errorf("shard: the copy of %s on %s failed its check: %w", community, to, err), true)
		}
	}
	if err := rel.Move(ctx, community, from, to); err != nil {
		// The flip may have committed before its answer was lost: then
		// the copy is the community, and must stay.
		switch now, lerr := dir.Shard(context.WithoutCancel(ctx), community); {
		case lerr == nil && now == from:
			return giveUp(fmt.Errorf("shard: re-place %s: %w", community, err), true)
		case lerr != nil || now != to:
			// Nothing is undone that might be the community: it stays
			// read-only until the directory answers and a move runs again.
			return m, fmt.Errorf("shard: re-place %s (the directory says %q): %w", community, now, errors.Join(err, lerr))
		}
	}
	m.ReadOnly = time.Since(fenced)
	log.InfoContext(ctx, "moved a community", "community", community, "from", from, "to", to, "read_only", m.ReadOnly)
	// From here the move stands: the old copy goes after the grace.
	select {
	case <-time.After(opts.Grace):
	case <-ctx.Done():
	}
	if err := src.Retire(context.WithoutCancel(ctx), community, to); err != nil {
		return m, fmt.Errorf("shard: %s moved to %s, but its old copy on %s stays: %w", community, to, from, err)
	}
	return m, nil
}

func (r *Router) movers(from, to string) (src, dst Mover, err error) {
	s, ok := r.shards[to]
	if !ok {
		return nil, nil, errs.E(errs.Invalid, "shard: no shard is named %q", to)
	}
	if s.Mover == nil || r.shards[from].Mover == nil {
		return nil, nil, errs.E(errs.FailedPrecondition, "shard: moving needs both shards' databases (a Shard's Mover)")
	}
	return r.shards[from].Mover, s.Mover, nil
}
