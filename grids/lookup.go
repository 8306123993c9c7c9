package grids

import "context"

// Lookup reads single records of a Store, each in a read transaction of
// its own. Packages built on the registry (points, funds) read it through
// small interfaces of their own (points.Registry, funds.Registry), which
// Lookup satisfies; a project that keeps its registry elsewhere satisfies
// them with its own.
type Lookup struct {
	Store Store
}

// Resident returns a resident, archived or not.
func (l Lookup) Resident(ctx context.Context, communityID, id string) (Resident, error) {
	var r Resident
	err := l.Store.View(ctx, func(tx Tx) error {
		var err error
		r, err = tx.Resident(ctx, communityID, id)
		return err
	})
	return r, err
}

// Need returns a need.
func (l Lookup) Need(ctx context.Context, communityID, id string) (Need, error) {
	var n Need
	err := l.Store.View(ctx, func(tx Tx) error {
		var err error
		n, err = tx.Need(ctx, communityID, id)
		return err
	})
	return n, err
}

// Household returns a household, archived or not.
func (l Lookup) Household(ctx context.Context, communityID, id string) (Household, error) {
	var h Household
	err := l.Store.View(ctx, func(tx Tx) error {
		var err error
		h, err = tx.Household(ctx, communityID, id)
		return err
	})
	return h, err
}

// Building returns a building, archived or not.
func (l Lookup) Building(ctx context.Context, communityID, id string) (Building, error) {
	var b Building
	err := l.Store.View(ctx, func(tx Tx) error {
		var err error
		b, err = tx.Building(ctx, communityID, id)
		return err
	})
	return b, err
}
