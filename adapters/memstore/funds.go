package memstore

import (
	"context"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/grids/ledger"
)

type fundsData struct {
	docs docs
}

func (d *fundsData) init() { d.docs = docs{} }

// Funds returns the funds' store; its ledger is the one points keeps its
// books on.
func (s *Store) Funds() funds.Store { return fundsStore{s} }

type fundsStore struct{ s *Store }

func (f fundsStore) View(ctx context.Context, fn func(funds.Tx) error) error {
	return f.s.view(ctx, func(t *txn) error { return fn(&fundsTx{txn: t, s: f.s}) })
}

func (f fundsStore) Update(ctx context.Context, fn func(funds.Tx) error) error {
	return f.s.update(ctx, func(t *txn) error { return fn(&fundsTx{txn: t, s: f.s}) })
}

// Ledger is the community's ledger in the transaction.
func (t *fundsTx) Ledger(community string) ledger.Tx { return t.s.ledger(t.txn, community) }

type fundsTx struct {
	*txn
	s *Store
}

func (t *fundsTx) Fund(_ context.Context, community, id string) (funds.Fund, error) {
	return getDoc[funds.Fund](t.s.funds.docs, "fund", community, id)
}

func (t *fundsTx) FindFunds(_ context.Context, f funds.Filter) ([]funds.Fund, int, error) {
	return findDocs[funds.Fund](t.s.funds.docs, "fund", docFilter(f))
}

func (t *fundsTx) CreateFund(_ context.Context, v funds.Fund) error {
	v.Balance = decimal.Zero // the ledger's
	return putDoc(t.txn, t.s.funds.docs, "fund", docKeys(v.Keys()), v, true)
}

func (t *fundsTx) UpdateFund(_ context.Context, v funds.Fund) error {
	v.Balance = decimal.Zero // the ledger's
	return putDoc(t.txn, t.s.funds.docs, "fund", docKeys(v.Keys()), v, false)
}

func (t *fundsTx) Income(_ context.Context, community, id string) (funds.Income, error) {
	return getDoc[funds.Income](t.s.funds.docs, "income", community, id)
}

func (t *fundsTx) FindIncomes(_ context.Context, f funds.Filter) ([]funds.Income, int, error) {
	return findDocs[funds.Income](t.s.funds.docs, "income", docFilter(f))
}

func (t *fundsTx) CreateIncome(_ context.Context, v funds.Income) error {
	return putDoc(t.txn, t.s.funds.docs, "income", docKeys(v.Keys()), v, true)
}

func (t *fundsTx) UpdateIncome(_ context.Context, v funds.Income) error {
	return putDoc(t.txn, t.s.funds.docs, "income", docKeys(v.Keys()), v, false)
}

func (t *fundsTx) Call(_ context.Context, community, id string) (funds.Call, error) {
	return getDoc[funds.Call](t.s.funds.docs, "call", community, id)
}

func (t *fundsTx) FindCalls(_ context.Context, f funds.Filter) ([]funds.Call, int, error) {
	return findDocs[funds.Call](t.s.funds.docs, "call", docFilter(f))
}

func (t *fundsTx) CreateCall(_ context.Context, v funds.Call) error {
	return putDoc(t.txn, t.s.funds.docs, "call", docKeys(v.Keys()), v, true)
}

func (t *fundsTx) UpdateCall(_ context.Context, v funds.Call) error {
	return putDoc(t.txn, t.s.funds.docs, "call", docKeys(v.Keys()), v, false)
}

func (t *fundsTx) Proposal(_ context.Context, community, id string) (funds.Proposal, error) {
	return getDoc[funds.Proposal](t.s.funds.docs, "proposal", community, id)
}

func (t *fundsTx) FindProposals(_ context.Context, f funds.Filter) ([]funds.Proposal, int, error) {
	return findDocs[funds.Proposal](t.s.funds.docs, "proposal", docFilter(f))
}

func (t *fundsTx) CreateProposal(_ context.Context, v funds.Proposal) error {
	return putDoc(t.txn, t.s.funds.docs, "proposal", docKeys(v.Keys()), v, true)
}

func (t *fundsTx) UpdateProposal(_ context.Context, v funds.Proposal) error {
	return putDoc(t.txn, t.s.funds.docs, "proposal", docKeys(v.Keys()), v, false)
}

func (t *fundsTx) Review(_ context.Context, community, id string) (funds.Review, error) {
	return getDoc[funds.Review](t.s.funds.docs, "review", community, id)
}

func (t *fundsTx) FindReviews(_ context.Context, f funds.Filter) ([]funds.Review, int, error) {
	return findDocs[funds.Review](t.s.funds.docs, "review", docFilter(f))
}

func (t *fundsTx) CreateReview(_ context.Context, v funds.Review) error {
	return putDoc(t.txn, t.s.funds.docs, "review", docKeys(v.Keys()), v, true)
}

func (t *fundsTx) UpdateReview(_ context.Context, v funds.Review) error {
	return putDoc(t.txn, t.s.funds.docs, "review", docKeys(v.Keys()), v, false)
}

func (t *fundsTx) Grant(_ context.Context, community, id string) (funds.Grant, error) {
	return getDoc[funds.Grant](t.s.funds.docs, "grant", community, id)
}

func (t *fundsTx) FindGrants(_ context.Context, f funds.Filter) ([]funds.Grant, int, error) {
	return findDocs[funds.Grant](t.s.funds.docs, "grant", docFilter(f))
}

func (t *fundsTx) CreateGrant(_ context.Context, v funds.Grant) error {
	return putDoc(t.txn, t.s.funds.docs, "grant", docKeys(v.Keys()), v, true)
}

func (t *fundsTx) UpdateGrant(_ context.Context, v funds.Grant) error {
	return putDoc(t.txn, t.s.funds.docs, "grant", docKeys(v.Keys()), v, false)
}

func (t *fundsTx) Spending(_ context.Context, community, id string) (funds.Spending, error) {
	return getDoc[funds.Spending](t.s.funds.docs, "spending", community, id)
}

func (t *fundsTx) FindSpendings(_ context.Context, f funds.Filter) ([]funds.Spending, int, error) {
	return findDocs[funds.Spending](t.s.funds.docs, "spending", docFilter(f))
}

func (t *fundsTx) CreateSpending(_ context.Context, v funds.Spending) error {
	return putDoc(t.txn, t.s.funds.docs, "spending", docKeys(v.Keys()), v, true)
}

func (t *fundsTx) UpdateSpending(_ context.Context, v funds.Spending) error {
	return putDoc(t.txn, t.s.funds.docs, "spending", docKeys(v.Keys()), v, false)
}

func (t *fundsTx) Merchant(_ context.Context, community, id string) (funds.Merchant, error) {
	return getDoc[funds.Merchant](t.s.funds.docs, "merchant", community, id)
}

func (t *fundsTx) FindMerchants(_ context.Context, f funds.Filter) ([]funds.Merchant, int, error) {
	return findDocs[funds.Merchant](t.s.funds.docs, "merchant", docFilter(f))
}

func (t *fundsTx) CreateMerchant(_ context.Context, v funds.Merchant) error {
	return putDoc(t.txn, t.s.funds.docs, "merchant", docKeys(v.Keys()), v, true)
}

func (t *fundsTx) UpdateMerchant(_ context.Context, v funds.Merchant) error {
	return putDoc(t.txn, t.s.funds.docs, "merchant", docKeys(v.Keys()), v, false)
}

func (t *fundsTx) Declaration(_ context.Context, community, id string) (funds.Declaration, error) {
	return getDoc[funds.Declaration](t.s.funds.docs, "declaration", community, id)
}

func (t *fundsTx) FindDeclarations(_ context.Context, f funds.Filter) ([]funds.Declaration, int, error) {
	return findDocs[funds.Declaration](t.s.funds.docs, "declaration", docFilter(f))
}

func (t *fundsTx) CreateDeclaration(_ context.Context, v funds.Declaration) error {
	return putDoc(t.txn, t.s.funds.docs, "declaration", docKeys(v.Keys()), v, true)
}

var _ funds.Store = fundsStore{}
