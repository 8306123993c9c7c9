package fundstest

import (
	"context"

	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/grids/ledger/ledgertest"
	"github.com/linli-go/linli/internal/faults"
)

// faulty is the store with the plan's steps before each call it passes
// on: each transaction begun and committed, each record read or written,
// each ledger call.
func faulty(st funds.Store, p *faults.Plan) funds.Store {
	return faults.Store[funds.Tx]{Inner: st, Plan: p, Wrap: func(tx funds.Tx, p *faults.Plan) funds.Tx { return faultyTx{tx, p} }}
}

type faultyTx struct {
	tx funds.Tx
	p  *faults.Plan
}

func (t faultyTx) Ledger(community string) ledger.Tx {
	return ledgertest.Stepped(t.tx.Ledger(community), t.p.Step)
}

func (t faultyTx) Fund(ctx context.Context, community string, id string) (funds.Fund, error) {
	return faults.Get(t.p, "Fund", func() (funds.Fund, error) { return t.tx.Fund(ctx, community, id) })
}

func (t faultyTx) FindFunds(ctx context.Context, f funds.Filter) ([]funds.Fund, int, error) {
	return faults.Find(t.p, "FindFunds", func() ([]funds.Fund, int, error) { return t.tx.FindFunds(ctx, f) })
}

func (t faultyTx) CreateFund(ctx context.Context, v funds.Fund) error {
	return faults.Do(t.p, "CreateFund", func() error { return t.tx.CreateFund(ctx, v) })
}

func (t faultyTx) UpdateFund(ctx context.Context, v funds.Fund) error {
	return faults.Do(t.p, "UpdateFund", func() error { return t.tx.UpdateFund(ctx, v) })
}

func (t faultyTx) Income(ctx context.Context, community string, id string) (funds.Income, error) {
	return faults.Get(t.p, "Income", func() (funds.Income, error) { return t.tx.Income(ctx, community, id) })
}

func (t faultyTx) FindIncomes(ctx context.Context, f funds.Filter) ([]funds.Income, int, error) {
	return faults.Find(t.p, "FindIncomes", func() ([]funds.Income, int, error) { return t.tx.FindIncomes(ctx, f) })
}

func (t faultyTx) CreateIncome(ctx context.Context, v funds.Income) error {
	return faults.Do(t.p, "CreateIncome", func() error { return t.tx.CreateIncome(ctx, v) })
}

func (t faultyTx) UpdateIncome(ctx context.Context, v funds.Income) error {
	return faults.Do(t.p, "UpdateIncome", func() error { return t.tx.UpdateIncome(ctx, v) })
}

func (t faultyTx) Call(ctx context.Context, community string, id string) (funds.Call, error) {
	return faults.Get(t.p, "Call", func() (funds.Call, error) { return t.tx.Call(ctx, community, id) })
}

func (t faultyTx) FindCalls(ctx context.Context, f funds.Filter) ([]funds.Call, int, error) {
	return faults.Find(t.p, "FindCalls", func() ([]funds.Call, int, error) { return t.tx.FindCalls(ctx, f) })
}

func (t faultyTx) CreateCall(ctx context.Context, v funds.Call) error {
	return faults.Do(t.p, "CreateCall", func() error { return t.tx.CreateCall(ctx, v) })
}

func (t faultyTx) UpdateCall(ctx context.Context, v funds.Call) error {
	return faults.Do(t.p, "UpdateCall", func() error { return t.tx.UpdateCall(ctx, v) })
}

func (t faultyTx) Proposal(ctx context.Context, community string, id string) (funds.Proposal, error) {
	return faults.Get(t.p, "Proposal", func() (funds.Proposal, error) { return t.tx.Proposal(ctx, community, id) })
}

func (t faultyTx) FindProposals(ctx context.Context, f funds.Filter) ([]funds.Proposal, int, error) {
	return faults.Find(t.p, "FindProposals", func() ([]funds.Proposal, int, error) { return t.tx.FindProposals(ctx, f) })
}

func (t faultyTx) CreateProposal(ctx context.Context, v funds.Proposal) error {
	return faults.Do(t.p, "CreateProposal", func() error { return t.tx.CreateProposal(ctx, v) })
}

func (t faultyTx) UpdateProposal(ctx context.Context, v funds.Proposal) error {
	return faults.Do(t.p, "UpdateProposal", func() error { return t.tx.UpdateProposal(ctx, v) })
}

func (t faultyTx) Review(ctx context.Context, community string, id string) (funds.Review, error) {
	return faults.Get(t.p, "Review", func() (funds.Review, error) { return t.tx.Review(ctx, community, id) })
}

func (t faultyTx) FindReviews(ctx context.Context, f funds.Filter) ([]funds.Review, int, error) {
	return faults.Find(t.p, "FindReviews", func() ([]funds.Review, int, error) { return t.tx.FindReviews(ctx, f) })
}

func (t faultyTx) CreateReview(ctx context.Context, v funds.Review) error {
	return faults.Do(t.p, "CreateReview", func() error { return t.tx.CreateReview(ctx, v) })
}

func (t faultyTx) UpdateReview(ctx context.Context, v funds.Review) error {
	return faults.Do(t.p, "UpdateReview", func() error { return t.tx.UpdateReview(ctx, v) })
}

func (t faultyTx) Grant(ctx context.Context, community string, id string) (funds.Grant, error) {
	return faults.Get(t.p, "Grant", func() (funds.Grant, error) { return t.tx.Grant(ctx, community, id) })
}

func (t faultyTx) FindGrants(ctx context.Context, f funds.Filter) ([]funds.Grant, int, error) {
	return faults.Find(t.p, "FindGrants", func() ([]funds.Grant, int, error) { return t.tx.FindGrants(ctx, f) })
}

func (t faultyTx) CreateGrant(ctx context.Context, v funds.Grant) error {
	return faults.Do(t.p, "CreateGrant", func() error { return t.tx.CreateGrant(ctx, v) })
}

func (t faultyTx) UpdateGrant(ctx context.Context, v funds.Grant) error {
	return faults.Do(t.p, "UpdateGrant", func() error { return t.tx.UpdateGrant(ctx, v) })
}

func (t faultyTx) Spending(ctx context.Context, community string, id string) (funds.Spending, error) {
	return faults.Get(t.p, "Spending", func() (funds.Spending, error) { return t.tx.Spending(ctx, community, id) })
}

func (t faultyTx) FindSpendings(ctx context.Context, f funds.Filter) ([]funds.Spending, int, error) {
	return faults.Find(t.p, "FindSpendings", func() ([]funds.Spending, int, error) { return t.tx.FindSpendings(ctx, f) })
}

func (t faultyTx) CreateSpending(ctx context.Context, v funds.Spending) error {
	return faults.Do(t.p, "CreateSpending", func() error { return t.tx.CreateSpending(ctx, v) })
}

func (t faultyTx) UpdateSpending(ctx context.Context, v funds.Spending) error {
	return faults.Do(t.p, "UpdateSpending", func() error { return t.tx.UpdateSpending(ctx, v) })
}

func (t faultyTx) Merchant(ctx context.Context, community string, id string) (funds.Merchant, error) {
	return faults.Get(t.p, "Merchant", func() (funds.Merchant, error) { return t.tx.Merchant(ctx, community, id) })
}

func (t faultyTx) FindMerchants(ctx context.Context, f funds.Filter) ([]funds.Merchant, int, error) {
	return faults.Find(t.p, "FindMerchants", func() ([]funds.Merchant, int, error) { return t.tx.FindMerchants(ctx, f) })
}

func (t faultyTx) CreateMerchant(ctx context.Context, v funds.Merchant) error {
	return faults.Do(t.p, "CreateMerchant", func() error { return t.tx.CreateMerchant(ctx, v) })
}

func (t faultyTx) UpdateMerchant(ctx context.Context, v funds.Merchant) error {
	return faults.Do(t.p, "UpdateMerchant", func() error { return t.tx.UpdateMerchant(ctx, v) })
}

func (t faultyTx) Declaration(ctx context.Context, community string, id string) (funds.Declaration, error) {
	return faults.Get(t.p, "Declaration", func() (funds.Declaration, error) { return t.tx.Declaration(ctx, community, id) })
}

func (t faultyTx) FindDeclarations(ctx context.Context, f funds.Filter) ([]funds.Declaration, int, error) {
	return faults.Find(t.p, "FindDeclarations", func() ([]funds.Declaration, int, error) { return t.tx.FindDeclarations(ctx, f) })
}

func (t faultyTx) CreateDeclaration(ctx context.Context, v funds.Declaration) error {
	return faults.Do(t.p, "CreateDeclaration", func() error { return t.tx.CreateDeclaration(ctx, v) })
}

var _ funds.Tx = faultyTx{}
