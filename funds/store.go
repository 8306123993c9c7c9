package funds

import (
	"context"
	"time"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/ledger"
)

// Store persists the funds' records and their ledger. Implementations:
// adapters/memstore and adapters/sqlstore; fundstest.RunStoreTests is the
// contract all of them pass. The conventions are points.Store's (Update
// serializable, rolled back on error or panic, fn possibly run again):
// getters
// return NotFound, creates Conflict for a taken ID, updates NotFound for
// a missing record; finds order by Keys.At, then ID, and return the page
// with the total. The ledger is in the same transactions as the records
// (Tx.Ledger): money moves in the transaction that records why.
type Store interface {
	View(ctx context.Context, fn func(Tx) error) error
	Update(ctx context.Context, fn func(Tx) error) error
}

// Filter selects records in a Find; what ResidentID, RefID and Status
// match depends on the record (see each record's Keys).
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

// Record is any record of the funds.
type Record interface{ Keys() Keys }

// Tx is one transaction over the funds' records and ledger.
type Tx interface {
	// Ledger is a community's ledger in this transaction: its writes
	// commit or roll back with the records'.
	Ledger(community string) ledger.Tx

	Fund(ctx context.Context, community, id string) (Fund, error)
	FindFunds(ctx context.Context, f Filter) ([]Fund, int, error)
	CreateFund(ctx context.Context, v Fund) error
	UpdateFund(ctx context.Context, v Fund) error

	Income(ctx context.Context, community, id string) (Income, error)
	FindIncomes(ctx context.Context, f Filter) ([]Income, int, error)
	CreateIncome(ctx context.Context, v Income) error
	UpdateIncome(ctx context.Context, v Income) error

	Call(ctx context.Context, community, id string) (Call, error)
	FindCalls(ctx context.Context, f Filter) ([]Call, int, error)
	CreateCall(ctx context.Context, v Call) error
	UpdateCall(ctx context.Context, v Call) error

	Proposal(ctx context.Context, community, id string) (Proposal, error)
	FindProposals(ctx context.Context, f Filter) ([]Proposal, int, error)
	CreateProposal(ctx context.Context, v Proposal) error
	UpdateProposal(ctx context.Context, v Proposal) error

	Review(ctx context.Context, community, id string) (Review, error)
	FindReviews(ctx context.Context, f Filter) ([]Review, int, error)
	CreateReview(ctx context.Context, v Review) error
	UpdateReview(ctx context.Context, v Review) error

	Grant(ctx context.Context, community, id string) (Grant, error)
	FindGrants(ctx context.Context, f Filter) ([]Grant, int, error)
	CreateGrant(ctx context.Context, v Grant) error
	UpdateGrant(ctx context.Context, v Grant) error

	Spending(ctx context.Context, community, id string) (Spending, error)
	FindSpendings(ctx context.Context, f Filter) ([]Spending, int, error)
	CreateSpending(ctx context.Context, v Spending) error
	UpdateSpending(ctx context.Context, v Spending) error

	Merchant(ctx context.Context, community, id string) (Merchant, error)
	FindMerchants(ctx context.Context, f Filter) ([]Merchant, int, error)
	CreateMerchant(ctx context.Context, v Merchant) error
	UpdateMerchant(ctx context.Context, v Merchant) error

	Declaration(ctx context.Context, community, id string) (Declaration, error)
	FindDeclarations(ctx context.Context, f Filter) ([]Declaration, int, error)
	CreateDeclaration(ctx context.Context, v Declaration) error
}
