package sqlstore

import (
	"context"
	"database/sql"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/grids/ledger"
)

// Funds returns the funds' store: its records in funds_records, its
// money on the database's shared Ledger.
func (db *DB) Funds() funds.Store { return fundsStore{db} }

type fundsStore struct{ db *DB }

func (s fundsStore) View(ctx context.Context, fn func(funds.Tx) error) error {
	return s.db.read(ctx, func(t *sql.Tx) error { return fn(&fundsTx{tx{db: s.db, sql: t}}) })
}

func (s fundsStore) Update(ctx context.Context, fn func(funds.Tx) error) error {
	return s.db.update(ctx, func(t *sql.Tx) error { return fn(&fundsTx{tx{db: s.db, sql: t, write: true}}) })
}

type fundsTx struct{ tx }

// Ledger is the community's ledger in the transaction.
func (t *fundsTx) Ledger(community string) ledger.Tx { return t.db.sharedLedger().in(&t.tx, community) }

func (t *fundsTx) Fund(ctx context.Context, community, id string) (funds.Fund, error) {
	return getDoc[funds.Fund](ctx, &t.tx, "funds_records", "fund", community, id)
}

func (t *fundsTx) FindFunds(ctx context.Context, f funds.Filter) ([]funds.Fund, int, error) {
	return findDocs[funds.Fund](ctx, &t.tx, "funds_records", "fund", docFilter(f))
}

func (t *fundsTx) CreateFund(ctx context.Context, v funds.Fund) error {
	v.Balance = decimal.Zero // the ledger's
	return putDoc(ctx, &t.tx, "funds_records", "fund", docKeys(v.Keys()), v, true)
}

func (t *fundsTx) UpdateFund(ctx context.Context, v funds.Fund) error {
	v.Balance = decimal.Zero // the ledger's
	return putDoc(ctx, &t.tx, "funds_records", "fund", docKeys(v.Keys()), v, false)
}

func (t *fundsTx) Income(ctx context.Context, community, id string) (funds.Income, error) {
	return getDoc[funds.Income](ctx, &t.tx, "funds_records", "income", community, id)
}

func (t *fundsTx) FindIncomes(ctx context.Context, f funds.Filter) ([]funds.Income, int, error) {
	return findDocs[funds.Income](ctx, &t.tx, "funds_records", "income", docFilter(f))
}

func (t *fundsTx) CreateIncome(ctx context.Context, v funds.Income) error {
	return putDoc(ctx, &t.tx, "funds_records", "income", docKeys(v.Keys()), v, true)
}

func (t *fundsTx) UpdateIncome(ctx context.Context, v funds.Income) error {
	return putDoc(ctx, &t.tx, "funds_records", "income", docKeys(v.Keys()), v, false)
}

func (t *fundsTx) Call(ctx context.Context, community, id string) (funds.Call, error) {
	return getDoc[funds.Call](ctx, &t.tx, "funds_records", "call", community, id)
}

func (t *fundsTx) FindCalls(ctx context.Context, f funds.Filter) ([]funds.Call, int, error) {
	return findDocs[funds.Call](ctx, &t.tx, "funds_records", "call", docFilter(f))
}

func (t *fundsTx) CreateCall(ctx context.Context, v funds.Call) error {
	return putDoc(ctx, &t.tx, "funds_records", "call", docKeys(v.Keys()), v, true)
}

func (t *fundsTx) UpdateCall(ctx context.Context, v funds.Call) error {
	return putDoc(ctx, &t.tx, "funds_records", "call", docKeys(v.Keys()), v, false)
}

func (t *fundsTx) Proposal(ctx context.Context, community, id string) (funds.Proposal, error) {
	return getDoc[funds.Proposal](ctx, &t.tx, "funds_records", "proposal", community, id)
}

func (t *fundsTx) FindProposals(ctx context.Context, f funds.Filter) ([]funds.Proposal, int, error) {
	return findDocs[funds.Proposal](ctx, &t.tx, "funds_records", "proposal", docFilter(f))
}

func (t *fundsTx) CreateProposal(ctx context.Context, v funds.Proposal) error {
	return putDoc(ctx, &t.tx, "funds_records", "proposal", docKeys(v.Keys()), v, true)
}

func (t *fundsTx) UpdateProposal(ctx context.Context, v funds.Proposal) error {
	return putDoc(ctx, &t.tx, "funds_records", "proposal", docKeys(v.Keys()), v, false)
}

func (t *fundsTx) Review(ctx context.Context, community, id string) (funds.Review, error) {
	return getDoc[funds.Review](ctx, &t.tx, "funds_records", "review", community, id)
}

func (t *fundsTx) FindReviews(ctx context.Context, f funds.Filter) ([]funds.Review, int, error) {
	return findDocs[funds.Review](ctx, &t.tx, "funds_records", "review", docFilter(f))
}

func (t *fundsTx) CreateReview(ctx context.Context, v funds.Review) error {
	return putDoc(ctx, &t.tx, "funds_records", "review", docKeys(v.Keys()), v, true)
}

func (t *fundsTx) UpdateReview(ctx context.Context, v funds.Review) error {
	return putDoc(ctx, &t.tx, "funds_records", "review", docKeys(v.Keys()), v, false)
}

func (t *fundsTx) Grant(ctx context.Context, community, id string) (funds.Grant, error) {
	return getDoc[funds.Grant](ctx, &t.tx, "funds_records", "grant", community, id)
}

func (t *fundsTx) FindGrants(ctx context.Context, f funds.Filter) ([]funds.Grant, int, error) {
	return findDocs[funds.Grant](ctx, &t.tx, "funds_records", "grant", docFilter(f))
}

func (t *fundsTx) CreateGrant(ctx context.Context, v funds.Grant) error {
	return putDoc(ctx, &t.tx, "funds_records", "grant", docKeys(v.Keys()), v, true)
}

func (t *fundsTx) UpdateGrant(ctx context.Context, v funds.Grant) error {
	return putDoc(ctx, &t.tx, "funds_records", "grant", docKeys(v.Keys()), v, false)
}

func (t *fundsTx) Spending(ctx context.Context, community, id string) (funds.Spending, error) {
	return getDoc[funds.Spending](ctx, &t.tx, "funds_records", "spending", community, id)
}

func (t *fundsTx) FindSpendings(ctx context.Context, f funds.Filter) ([]funds.Spending, int, error) {
	return findDocs[funds.Spending](ctx, &t.tx, "funds_records", "spending", docFilter(f))
}

func (t *fundsTx) CreateSpending(ctx context.Context, v funds.Spending) error {
	return putDoc(ctx, &t.tx, "funds_records", "spending", docKeys(v.Keys()), v, true)
}

func (t *fundsTx) UpdateSpending(ctx context.Context, v funds.Spending) error {
	return putDoc(ctx, &t.tx, "funds_records", "spending", docKeys(v.Keys()), v, false)
}

func (t *fundsTx) Merchant(ctx context.Context, community, id string) (funds.Merchant, error) {
	return getDoc[funds.Merchant](ctx, &t.tx, "funds_records", "merchant", community, id)
}

func (t *fundsTx) FindMerchants(ctx context.Context, f funds.Filter) ([]funds.Merchant, int, error) {
	return findDocs[funds.Merchant](ctx, &t.tx, "funds_records", "merchant", docFilter(f))
}

func (t *fundsTx) CreateMerchant(ctx context.Context, v funds.Merchant) error {
	return putDoc(ctx, &t.tx, "funds_records", "merchant", docKeys(v.Keys()), v, true)
}

func (t *fundsTx) UpdateMerchant(ctx context.Context, v funds.Merchant) error {
	return putDoc(ctx, &t.tx, "funds_records", "merchant", docKeys(v.Keys()), v, false)
}

func (t *fundsTx) Declaration(ctx context.Context, community, id string) (funds.Declaration, error) {
	return getDoc[funds.Declaration](ctx, &t.tx, "funds_records", "declaration", community, id)
}

func (t *fundsTx) FindDeclarations(ctx context.Context, f funds.Filter) ([]funds.Declaration, int, error) {
	return findDocs[funds.Declaration](ctx, &t.tx, "funds_records", "declaration", docFilter(f))
}

func (t *fundsTx) CreateDeclaration(ctx context.Context, v funds.Declaration) error {
	return putDoc(ctx, &t.tx, "funds_records", "declaration", docKeys(v.Keys()), v, true)
}

var _ funds.Store = fundsStore{}
