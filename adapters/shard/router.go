package shard

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/access"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/points"
)

// ErrSpansCommunities: a transaction's calls named two communities. No
// service does; a Router refuses it (errors.Is), coded as an internal
// error, since it is a bug of the caller.
var ErrSpansCommunities = errors.New("a transaction never spans communities")

// Shard is one database's stores. A domain a deployment does not use may
// be left nil; a transaction of it then fails.
type Shard struct {
	Name       string
	Grids      grids.Store
	Governance governance.Store
	Points     points.Store
	Funds      funds.Store
	Access     access.Store
	// Residents counts the shard's active residents, to place new
	// communities; nil counts them through Grids, community by community.
	Residents func(ctx context.Context) (int, error)
	// Mover hands communities over to other shards' (Router.Move); nil
	// if the shard's stores cannot.
	Mover Mover
}

// Directory says which shard holds each community.
type Directory interface {
	// Shard returns the name of the shard holding community, or an error
	// coded NotFound.
	Shard(ctx context.Context, community string) (string, error)
	// Place puts community on shard unless it is placed already, and
	// returns the shard that holds it.
	Place(ctx context.Context, community, shard string) (string, error)
	// Placed returns every community placed and its shard.
	Placed(ctx context.Context) (map[string]string, error)
}

// Router routes the domain stores' transactions to the shards holding
// their communities.
type Router struct {
	dir    Directory
	shards map[string]Shard
	names  []string // in the order given; the first is home
}

// New returns a Router over shards (at least one, names unique and not
// empty), placing communities by dir. The first shard is home: it keeps
// the records of no community.
func New(dir Directory, shards ...Shard) (*Router, error) {
	if dir == nil || len(shards) == 0 {
		return nil, errs.E(errs.Invalid, "shard: a router needs a directory and at least one shard")
	}
	r := &Router{dir: dir, shards: map[string]Shard{}}
	for _, s := range shards {
		if s.Name == "" {
			return nil, errs.E(errs.Invalid, "shard: a shard needs a name")
		}
		if _, dup := r.shards[s.Name]; dup {
			return nil, errs.E(errs.Invalid, "shard: two shards are named %q", s.Name)
		}
		r.shards[s.Name] = s
		r.names = append(r.names, s.Name)
	}
	return r, nil
}

// Shards returns the shards' names, home first.
func (r *Router) Shards() []string { return slices.Clone(r.names) }

// Locate returns the name of the shard holding community (NotFound if no
// shard does), from the directory alone.
func (r *Router) Locate(ctx context.Context, community string) (string, error) {
	name, err := r.dir.Shard(ctx, community)
	if err != nil {
		return "", notFound(community, err)
	}
	return name, nil
}

type onKey struct{}

// On returns ctx under which a community created is placed on the shard
// named, rather than on the one with the fewest residents.
func On(ctx context.Context, shard string) context.Context {
	return context.WithValue(ctx, onKey{}, shard)
}

// shardOf is the shard of community: home for records of no community.
// A community no shard holds yet is placed by its first write (creating
// it, or any record of it: a store accepts records of any community ID);
// until then its reads go home, where they find nothing, as they would
// in one store.
func (r *Router) shardOf(ctx context.Context, community string, write bool) (Shard, error) {
	if community == "" {
		return r.shards[r.names[0]], nil
	}
	name, err := r.dir.Shard(ctx, community)
	if errs.CodeOf(err) == errs.NotFound {
		if !write {
			return r.shards[r.names[0]], nil
		}
		name, err = r.place(ctx, community)
	}
	if err != nil {
		return Shard{}, err
	}
	s, ok := r.shards[name]
	if !ok {
		return Shard{}, errs.E(errs.Internal, "shard: the directory places community %s on %q, which this router does not have", community, name)
	}
	return s, nil
}

func notFound(community string, err error) error {
	if errs.CodeOf(err) == errs.NotFound {
		return errs.E(errs.NotFound, "community %s not found", community)
	}
	return err
}

// place places a new community: on the shard ctx names (On), or on the
// one with the fewest active residents, then the fewest communities.
func (r *Router) place(ctx context.Context, community string) (string, error) {
	if name, ok := ctx.Value(onKey{}).(string); ok {
		if _, known := r.shards[name]; !known {
			return "", errs.E(errs.Invalid, "shard: no shard is named %q", name)
		}
		return r.dir.Place(ctx, community, name)
	}
	placed, err := r.dir.Placed(ctx)
	if err != nil {
		return "", err
	}
	type load struct {
		name                   string
		residents, communities int
	}
	loads := make([]load, len(r.names))
	for i, name := range r.names {
		loads[i].name = name
		if loads[i].residents, err = r.residents(ctx, r.shards[name]); err != nil {
			return "", fmt.Errorf("shard %s: %w", name, err)
		}
	}
	for _, name := range placed {
		if i := slices.Index(r.names, name); i >= 0 {
			loads[i].communities++
		}
	}
	best := slices.MinFunc(loads, func(a, b load) int {
		return cmp.Or(cmp.Compare(a.residents, b.residents), cmp.Compare(a.communities, b.communities))
	})
	return r.dir.Place(ctx, community, best.name)
}

// residents counts a shard's active residents.
func (r *Router) residents(ctx context.Context, s Shard) (int, error) {
	if s.Residents != nil {
		return s.Residents(ctx)
	}
	if s.Grids == nil {
		return 0, nil
	}
	n := 0
	err := s.Grids.View(ctx, func(tx grids.Tx) error {
		n = 0
		cs, _, err := tx.FindCommunities(ctx, grids.CommunityFilter{Page: grids.Page{NoTotal: true}})
		if err != nil {
			return err
		}
		for _, c := range cs {
			hist, err := tx.ResidentHistogram(ctx, c.ID, grids.Scope{})
			if err != nil {
				return err
			}
			for _, h := range hist {
				n += h.N
			}
		}
		return nil
	})
	return n, err
}
