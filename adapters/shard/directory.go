package shard

import (
	"context"
	"encoding/json"
	"maps"
	"sync"

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
