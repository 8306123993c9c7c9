package pointstest

import (
	"context"

	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/grids/ledger/ledgertest"
	"github.com/linli-go/linli/internal/faults"
	"github.com/linli-go/linli/points"
)

// faulty is the store with the plan's steps before each call it passes
// on: each transaction begun and committed, each record read or written,
// each ledger call.
func faulty(st points.Store, p *faults.Plan) points.Store {
	return faults.Store[points.Tx]{Inner: st, Plan: p, Wrap: func(tx points.Tx, p *faults.Plan) points.Tx { return faultyTx{tx, p} }}
}

type faultyTx struct {
	tx points.Tx
	p  *faults.Plan
}

func (t faultyTx) Ledger(community string) ledger.Tx {
	return ledgertest.Stepped(t.tx.Ledger(community), t.p.Step)
}

func (t faultyTx) Policy(ctx context.Context, community string, version int) (points.Policy, error) {
	return faults.Get(t.p, "Policy", func() (points.Policy, error) { return t.tx.Policy(ctx, community, version) })
}

func (t faultyTx) FindPolicies(ctx context.Context, f points.Filter) ([]points.Policy, int, error) {
	return faults.Find(t.p, "FindPolicies", func() ([]points.Policy, int, error) { return t.tx.FindPolicies(ctx, f) })
}

func (t faultyTx) CreatePolicy(ctx context.Context, p points.Policy) error {
	return faults.Do(t.p, "CreatePolicy", func() error { return t.tx.CreatePolicy(ctx, p) })
}

func (t faultyTx) Claim(ctx context.Context, community string, id string) (points.Claim, error) {
	return faults.Get(t.p, "Claim", func() (points.Claim, error) { return t.tx.Claim(ctx, community, id) })
}

func (t faultyTx) FindClaims(ctx context.Context, f points.Filter) ([]points.Claim, int, error) {
	return faults.Find(t.p, "FindClaims", func() ([]points.Claim, int, error) { return t.tx.FindClaims(ctx, f) })
}

func (t faultyTx) CreateClaim(ctx context.Context, c points.Claim) error {
	return faults.Do(t.p, "CreateClaim", func() error { return t.tx.CreateClaim(ctx, c) })
}

func (t faultyTx) UpdateClaim(ctx context.Context, c points.Claim) error {
	return faults.Do(t.p, "UpdateClaim", func() error { return t.tx.UpdateClaim(ctx, c) })
}

func (t faultyTx) Item(ctx context.Context, community string, id string) (points.Item, error) {
	return faults.Get(t.p, "Item", func() (points.Item, error) { return t.tx.Item(ctx, community, id) })
}

func (t faultyTx) FindItems(ctx context.Context, f points.Filter) ([]points.Item, int, error) {
	return faults.Find(t.p, "FindItems", func() ([]points.Item, int, error) { return t.tx.FindItems(ctx, f) })
}

func (t faultyTx) CreateItem(ctx context.Context, it points.Item) error {
	return faults.Do(t.p, "CreateItem", func() error { return t.tx.CreateItem(ctx, it) })
}

func (t faultyTx) UpdateItem(ctx context.Context, it points.Item) error {
	return faults.Do(t.p, "UpdateItem", func() error { return t.tx.UpdateItem(ctx, it) })
}

func (t faultyTx) Donation(ctx context.Context, community string, id string) (points.Donation, error) {
	return faults.Get(t.p, "Donation", func() (points.Donation, error) { return t.tx.Donation(ctx, community, id) })
}

func (t faultyTx) FindDonations(ctx context.Context, f points.Filter) ([]points.Donation, int, error) {
	return faults.Find(t.p, "FindDonations", func() ([]points.Donation, int, error) { return t.tx.FindDonations(ctx, f) })
}

func (t faultyTx) CreateDonation(ctx context.Context, d points.Donation) error {
	return faults.Do(t.p, "CreateDonation", func() error { return t.tx.CreateDonation(ctx, d) })
}

func (t faultyTx) Exchange(ctx context.Context, community string, id string) (points.Exchange, error) {
	return faults.Get(t.p, "Exchange", func() (points.Exchange, error) { return t.tx.Exchange(ctx, community, id) })
}

func (t faultyTx) FindExchanges(ctx context.Context, f points.Filter) ([]points.Exchange, int, error) {
	return faults.Find(t.p, "FindExchanges", func() ([]points.Exchange, int, error) { return t.tx.FindExchanges(ctx, f) })
}

func (t faultyTx) CreateExchange(ctx context.Context, e points.Exchange) error {
	return faults.Do(t.p, "CreateExchange", func() error { return t.tx.CreateExchange(ctx, e) })
}

func (t faultyTx) UpdateExchange(ctx context.Context, e points.Exchange) error {
	return faults.Do(t.p, "UpdateExchange", func() error { return t.tx.UpdateExchange(ctx, e) })
}

func (t faultyTx) Gift(ctx context.Context, community string, id string) (points.Gift, error) {
	return faults.Get(t.p, "Gift", func() (points.Gift, error) { return t.tx.Gift(ctx, community, id) })
}

func (t faultyTx) FindGifts(ctx context.Context, f points.Filter) ([]points.Gift, int, error) {
	return faults.Find(t.p, "FindGifts", func() ([]points.Gift, int, error) { return t.tx.FindGifts(ctx, f) })
}

func (t faultyTx) CreateGift(ctx context.Context, g points.Gift) error {
	return faults.Do(t.p, "CreateGift", func() error { return t.tx.CreateGift(ctx, g) })
}

func (t faultyTx) UpdateGift(ctx context.Context, g points.Gift) error {
	return faults.Do(t.p, "UpdateGift", func() error { return t.tx.UpdateGift(ctx, g) })
}

func (t faultyTx) Expiry(ctx context.Context, community string, id string) (points.Expiry, error) {
	return faults.Get(t.p, "Expiry", func() (points.Expiry, error) { return t.tx.Expiry(ctx, community, id) })
}

func (t faultyTx) FindExpiries(ctx context.Context, f points.Filter) ([]points.Expiry, int, error) {
	return faults.Find(t.p, "FindExpiries", func() ([]points.Expiry, int, error) { return t.tx.FindExpiries(ctx, f) })
}

func (t faultyTx) CreateExpiry(ctx context.Context, e points.Expiry) error {
	return faults.Do(t.p, "CreateExpiry", func() error { return t.tx.CreateExpiry(ctx, e) })
}

func (t faultyTx) Market(ctx context.Context, community string, id string) (points.Market, error) {
	return faults.Get(t.p, "Market", func() (points.Market, error) { return t.tx.Market(ctx, community, id) })
}

func (t faultyTx) FindMarkets(ctx context.Context, f points.Filter) ([]points.Market, int, error) {
	return faults.Find(t.p, "FindMarkets", func() ([]points.Market, int, error) { return t.tx.FindMarkets(ctx, f) })
}

func (t faultyTx) CreateMarket(ctx context.Context, m points.Market) error {
	return faults.Do(t.p, "CreateMarket", func() error { return t.tx.CreateMarket(ctx, m) })
}

func (t faultyTx) UpdateMarket(ctx context.Context, m points.Market) error {
	return faults.Do(t.p, "UpdateMarket", func() error { return t.tx.UpdateMarket(ctx, m) })
}

func (t faultyTx) SignUp(ctx context.Context, community string, id string) (points.SignUp, error) {
	return faults.Get(t.p, "SignUp", func() (points.SignUp, error) { return t.tx.SignUp(ctx, community, id) })
}

func (t faultyTx) FindSignUps(ctx context.Context, f points.Filter) ([]points.SignUp, int, error) {
	return faults.Find(t.p, "FindSignUps", func() ([]points.SignUp, int, error) { return t.tx.FindSignUps(ctx, f) })
}

func (t faultyTx) CreateSignUp(ctx context.Context, s points.SignUp) error {
	return faults.Do(t.p, "CreateSignUp", func() error { return t.tx.CreateSignUp(ctx, s) })
}

var _ points.Tx = faultyTx{}
