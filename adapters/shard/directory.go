package shard

import (
	"context"
	"encoding/json"
	"maps"
	"sync"
	"time"

	"github.com/linli-go/linli/internal/errs"
)

// Static is a Directory held in memory: for tests, and for deployments
// whose placement is a file (ParseStatic) that changes only with a
// restart. Communities created while it runs are placed in memory only;
// a deployment that creates communities keeps its directory in a
// database (sqlstore.DB.Directory).
type Static struct {
	mu sync.RWMutex
	m  map[string]string // community → shard
}

// NewStatic returns a directory placing the communities of placed.
func NewStatic(placed map[string]string) *Static {
	s := &Static{m: map[string]string{}}
	maps.Copy(s.m, placed)
	return s
}

// ParseStatic reads a directory from a JSON object of community IDs and
// shard names: {"01J…": "shard1", …}.
func ParseStatic(b []byte) (*Static, error) {
	var placed map[string]string
	if err := json.Unmarshal(b, &placed); err != nil {
		return nil, errs.E(errs.Invalid, "shard: the directory is not a JSON object of community IDs and shard names: %v", err)
	}
	for c, s := range placed {
		if c == "" || s == "" {
			return nil, errs.E(errs.Invalid, "shard: the directory names an empty community or shard")
		}
	}
	return NewStatic(placed), nil
}

func (s *Static) Shard(_ context.Context, community string) (string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if name, ok := s.m[community]; ok {
		return name, nil
	}
	return "", errs.E(errs.NotFound, "community %s is placed on no shard", community)
}

func (s *Static) Place(_ context.Context, community, shard string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if name, ok := s.m[community]; ok {
		return name, nil
	}
	s.m[community] = shard
	return shard, nil
}

func (s *Static) Placed(context.Context) (map[string]string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return maps.Clone(s.m), nil
}

// Move re-places community from one shard to another.
func (s *Static) Move(_ context.Context, community, from, to string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m[community] != from {
		return errs.E(errs.Conflict, "shard: community %s is not on %s", community, from)
	}
	s.m[community] = to
	return nil
}

var (
	_ Directory = (*Static)(nil)
	_ Relocator = (*Static)(nil)
)

// Cached keeps a directory's answers for a while: a Router asks its
// directory where a community is at every transaction, which on a
// directory table is a query of its own.
//
// A lookup kept may be up to ttl old. Moves allow for it: the old copy
// stays, read-only, for the move's grace (MoveOptions.Grace), so the grace
// must be longer than the ttl of every Router's cache; and a write that
// meets a fence (ErrMoving, ErrMoved) makes the Router forget what it
// kept, so its next lookup asks the directory.
type Cached struct {
	dir Directory
	ttl time.Duration
	mu  sync.Mutex
	m   map[string]cachedShard
}

type cachedShard struct {
	name string
	at   time.Time
}

// NewCached returns dir with its lookups kept for ttl.
func NewCached(dir Directory, ttl time.Duration) *Cached {
	return &Cached{dir: dir, ttl: ttl, m: map[string]cachedShard{}}
}

func (c *Cached) Shard(ctx context.Context, community string) (string, error) {
	c.mu.Lock()
	e, ok := c.m[community]
	c.mu.Unlock()
	if ok && time.Since(e.at) < c.ttl {
		return e.name, nil
	}
	name, err := c.dir.Shard(ctx, community)
	if err == nil {
		c.keep(community, name)
	}
	return name, err
}

func (c *Cached) keep(community, name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[community] = cachedShard{name, time.Now()}
}

func (c *Cached) Place(ctx context.Context, community, shard string) (string, error) {
	name, err := c.dir.Place(ctx, community, shard)
	if err == nil {
		c.keep(community, name)
	}
	return name, err
}

func (c *Cached) Placed(ctx context.Context) (map[string]string, error) { return c.dir.Placed(ctx) }

// Move re-places community in the directory underneath, if it can.
func (c *Cached) Move(ctx context.Context, community, from, to string) error {
	rel, ok := c.dir.(Relocator)
	if !ok {
		return errs.E(errs.FailedPrecondition, "shard: this directory cannot re-place communities")
	}
	c.Forget(community)
	return rel.Move(ctx, community, from, to)
}

// Forget drops what is kept of community.
func (c *Cached) Forget(community string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, community)
}

// Unwrap returns the directory underneath.
func (c *Cached) Unwrap() Directory { return c.dir }

var _ Relocator = (*Cached)(nil)
