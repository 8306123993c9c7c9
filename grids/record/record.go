package record

import (
	"context"
	"time"

	"github.com/linli-go/linli/grids"
)

// Keys are what a store indexes of a record. What ResidentID, RefID and
// Status hold depends on the record: each record's Keys method says.
type Keys struct {
	ID, CommunityID string
	ResidentID      string
	RefID           string
	Status          string
	At              time.Time
}

// Keyed is a record: it declares its keys.
type Keyed interface {
	Keys() Keys
}

// Filter selects records in a Find: those of the community whose keys
// equal each one given, made in [From, To) (Keys.At).
type Filter struct {
	CommunityID string
	ResidentID  string
	RefID       string
	Status      string
	From, To    *time.Time
	Page        grids.Page
}

// Table is one kind of record in a store's transaction.
//
// The conventions are grids.Store's: Get returns a NotFound error for an
// ID the community does not have; Create returns Conflict for an ID taken;
// Update replaces the whole record and returns NotFound for a missing one;
// Find orders by Keys.At, then ID, and returns the page with the total.
type Table[T Keyed] interface {
	Get(ctx context.Context, community, id string) (T, error)
	Find(ctx context.Context, f Filter) ([]T, int, error)
	Create(ctx context.Context, v T) error
	Update(ctx context.Context, v T) error
	// Last is the community's record with the greatest ID (NotFound if
	// it has none).
	Last(ctx context.Context, community string) (T, error)
}

// Store is a domain's store of records: transactions over its Tx (a
// domain's tables and ledger). View runs fn in a read-only transaction;
// Update in a serializable one that commits if fn returns nil and rolls
// back on an error or a panic. A store may run fn again (a transaction
// that met a concurrent one), so fn sets what it returns afresh each time.
type Store[Tx any] interface {
	View(ctx context.Context, fn func(Tx) error) error
	Update(ctx context.Context, fn func(Tx) error) error
}

// Versioned is a store whose reports can be kept. Version is a number
// that every committed Update that wrote the community's records or books
// advances, whichever server made it: a report computed after reading
// version v may be kept and served for as long as Version still returns
// v. It may advance with other writes too (a store may keep one number
// for all its domains); a community never written is at 0.
type Versioned interface {
	Version(ctx context.Context, community string) (int64, error)
}
