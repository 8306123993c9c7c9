package governance

import (
	"context"
	"errors"
	"time"

	"github.com/linli-go/linli/grids"
)

// Lookup reads single records of a Store, each in a read transaction of
// its own. Packages built on governance (points, funds) read it through
// small interfaces of their own (points.Governance, funds.Governance),
// which Lookup satisfies; a project that keeps governance elsewhere
// satisfies them with its own.
type Lookup struct {
	Store Store
}

// Activity returns an activity.
func (l Lookup) Activity(ctx context.Context, communityID, id string) (Activity, error) {
	return lookup(ctx, l.Store, func(tx Tx) (Activity, error) { return tx.Activity(ctx, communityID, id) })
}

// Body returns a body.
func (l Lookup) Body(ctx context.Context, communityID, id string) (Body, error) {
	return lookup(ctx, l.Store, func(tx Tx) (Body, error) { return tx.Body(ctx, communityID, id) })
}

// Organisation returns a social organisation.
func (l Lookup) Organisation(ctx context.Context, communityID, id string) (Organisation, error) {
	return lookup(ctx, l.Store, func(tx Tx) (Organisation, error) { return tx.Organisation(ctx, communityID, id) })
}

// Decision returns a decision.
func (l Lookup) Decision(ctx context.Context, communityID, id string) (Decision, error) {
	return lookup(ctx, l.Store, func(tx Tx) (Decision, error) { return tx.Decision(ctx, communityID, id) })
}

// Held is a position held, with the kind of its body.
type Held struct {
	Position
	BodyKind BodyKind `json:"body_kind"`
}

// Offices are the positions a resident holds at a time, read together
// with their bodies in one transaction: the authority that follows from
// an office follows from these, never from a role written in a token.
func (l Lookup) Offices(ctx context.Context, communityID, residentID string, at time.Time) ([]Held, error) {
	if residentID == "" {
		return nil, nil
	}
	return lookup(ctx, l.Store, func(tx Tx) ([]Held, error) {
		ps, _, err := tx.FindPositions(ctx, PositionFilter{CommunityID: communityID, HolderID: residentID, ActiveAt: &at})
		if err != nil {
			return nil, err
		}
		out := make([]Held, 0, len(ps))
		for _, p := range ps {
			if p.HolderKind != "resident" {
				continue
			}
			b, err := tx.Body(ctx, communityID, p.BodyID)
			if errors.Is(err, grids.NotFound) {
				continue
			}
			if err != nil {
				return nil, err
			}
			out = append(out, Held{Position: p, BodyKind: b.Kind})
		}
		return out, nil
	})
}

func lookup[T any](ctx context.Context, st Store, get func(Tx) (T, error)) (T, error) {
	var v T
	err := st.View(ctx, func(tx Tx) error {
		var err error
		v, err = get(tx)
		return err
	})
	return v, err
}
