package points

import (
	"context"
	"time"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/ledger"
)

// Store persists the bank's records and its ledger. Implementations:
// adapters/memstore and adapters/sqlstore; pointstest.RunStoreTests is the
// contract all of them pass.
//
// The conventions are grids.Store's: View and Update run transactions
// (Update serializable, rolled back on error or panic, fn possibly run
// again);
// getters return NotFound for an unknown ID in the community; creates
// return Conflict for a taken ID; updates replace whole records and
// return NotFound for a missing one; finds order by the record's time
// (Keys.At), then ID, and return the page with the total.
//
// The ledger is in the same transactions as the records (Tx.Ledger): a
// command moves points or stock and records why in one Update, so the
// two commit together or not at all.
type Store interface {
	View(ctx context.Context, fn func(Tx) error) error
	Update(ctx context.Context, fn func(Tx) error) error
}

// Filter selects records in a Find. What ResidentID, RefID and Status
// match depends on the record; see each record's Keys.
type Filter struct {
	CommunityID string
	ResidentID  string
	RefID       string
	Status      string
	From, To    *time.Time // Keys.At in [From, To)
	Page        grids.Page
}

// Keys are what a store indexes of a record.
type Keys struct {
	ID, CommunityID string
	ResidentID      string
	RefID           string
	Status          string
	At              time.Time
}

// Record is any record of the bank.
type Record interface {
	Keys() Keys
}

// Tx is one transaction over the bank's records and ledger.
type Tx interface {
	// Ledger is a community's ledger in this transaction: its writes
	// commit or roll back with the records'.
	Ledger(community string) ledger.Tx

	// Policy returns a version of the community's accrual policy; version
	// 0 is the latest.
	Policy(ctx context.Context, community string, version int) (Policy, error)
	FindPolicies(ctx context.Context, f Filter) ([]Policy, int, error)
	CreatePolicy(ctx context.Context, p Policy) error

	Claim(ctx context.Context, community, id string) (Claim, error)
	FindClaims(ctx context.Context, f Filter) ([]Claim, int, error)
	CreateClaim(ctx context.Context, c Claim) error
	UpdateClaim(ctx context.Context, c Claim) error

	Item(ctx context.Context, community, id string) (Item, error)
	FindItems(ctx context.Context, f Filter) ([]Item, int, error)
	CreateItem(ctx context.Context, it Item) error
	UpdateItem(ctx context.Context, it Item) error

	Donation(ctx context.Context, community, id string) (Donation, error)
	FindDonations(ctx context.Context, f Filter) ([]Donation, int, error)
	CreateDonation(ctx context.Context, d Donation) error

	Exchange(ctx context.Context, community, id string) (Exchange, error)
	FindExchanges(ctx context.Context, f Filter) ([]Exchange, int, error)
	CreateExchange(ctx context.Context, e Exchange) error
	UpdateExchange(ctx context.Context, e Exchange) error

	Gift(ctx context.Context, community, id string) (Gift, error)
	FindGifts(ctx context.Context, f Filter) ([]Gift, int, error)
	CreateGift(ctx context.Context, g Gift) error
	UpdateGift(ctx context.Context, g Gift) error

	Expiry(ctx context.Context, community, id string) (Expiry, error)
	FindExpiries(ctx context.Context, f Filter) ([]Expiry, int, error)
	CreateExpiry(ctx context.Context, e Expiry) error

	Market(ctx context.Context, community, id string) (Market, error)
	FindMarkets(ctx context.Context, f Filter) ([]Market, int, error)
	CreateMarket(ctx context.Context, m Market) error
	UpdateMarket(ctx context.Context, m Market) error

	SignUp(ctx context.Context, community, id string) (SignUp, error)
	FindSignUps(ctx context.Context, f Filter) ([]SignUp, int, error)
	CreateSignUp(ctx context.Context, s SignUp) error
}
