package memstore

import (
	"context"

	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/points"
)

type pointsData struct {
	docs docs
}

func (d *pointsData) init() { d.docs = docs{} }

// Points returns the volunteer bank's store.
func (s *Store) Points() points.Store { return pointsStore{s} }

type pointsStore struct{ s *Store }

func (p pointsStore) View(ctx context.Context, fn func(points.Tx) error) error {
	return p.s.view(ctx, func(t *txn) error { return fn(&pointsTx{txn: t, s: p.s}) })
}

func (p pointsStore) Update(ctx context.Context, fn func(points.Tx) error) error {
	return p.s.update(ctx, func(t *txn) error { return fn(&pointsTx{txn: t, s: p.s}) })
}

// Ledger is the community's ledger in the transaction.
func (t *pointsTx) Ledger(community string) ledger.Tx { return t.s.ledger(t.txn, community) }

type pointsTx struct {
	*txn
	s *Store
}

func (t *pointsTx) Policy(ctx context.Context, community string, version int) (points.Policy, error) {
	if version > 0 {
		return getDoc[points.Policy](t.s.points.docs, "policy", community, points.Policy{Version: version}.Keys().ID)
	}
	return lastDoc[points.Policy](t.s.points.docs, "policy", community)
}

func (t *pointsTx) FindPolicies(ctx context.Context, f points.Filter) ([]points.Policy, int, error) {
	return findDocs[points.Policy](t.s.points.docs, "policy", docFilter(f))
}

func (t *pointsTx) CreatePolicy(ctx context.Context, p points.Policy) error {
	return putDoc(t.txn, t.s.points.docs, "policy", docKeys(p.Keys()), p, true)
}

func (t *pointsTx) Claim(ctx context.Context, community, id string) (points.Claim, error) {
	return getDoc[points.Claim](t.s.points.docs, "claim", community, id)
}

func (t *pointsTx) FindClaims(ctx context.Context, f points.Filter) ([]points.Claim, int, error) {
	return findDocs[points.Claim](t.s.points.docs, "claim", docFilter(f))
}

func (t *pointsTx) CreateClaim(ctx context.Context, c points.Claim) error {
	return putDoc(t.txn, t.s.points.docs, "claim", docKeys(c.Keys()), c, true)
}

func (t *pointsTx) UpdateClaim(ctx context.Context, c points.Claim) error {
	return putDoc(t.txn, t.s.points.docs, "claim", docKeys(c.Keys()), c, false)
}

func (t *pointsTx) Item(ctx context.Context, community, id string) (points.Item, error) {
	return getDoc[points.Item](t.s.points.docs, "item", community, id)
}

func (t *pointsTx) FindItems(ctx context.Context, f points.Filter) ([]points.Item, int, error) {
	return findDocs[points.Item](t.s.points.docs, "item", docFilter(f))
}

func (t *pointsTx) CreateItem(ctx context.Context, it points.Item) error {
	it.Stock = 0
	return putDoc(t.txn, t.s.points.docs, "item", docKeys(it.Keys()), it, true)
}

func (t *pointsTx) UpdateItem(ctx context.Context, it points.Item) error {
	it.Stock = 0
	return putDoc(t.txn, t.s.points.docs, "item", docKeys(it.Keys()), it, false)
}

func (t *pointsTx) Donation(ctx context.Context, community, id string) (points.Donation, error) {
	return getDoc[points.Donation](t.s.points.docs, "donation", community, id)
}

func (t *pointsTx) FindDonations(ctx context.Context, f points.Filter) ([]points.Donation, int, error) {
	return findDocs[points.Donation](t.s.points.docs, "donation", docFilter(f))
}

func (t *pointsTx) CreateDonation(ctx context.Context, d points.Donation) error {
	return putDoc(t.txn, t.s.points.docs, "donation", docKeys(d.Keys()), d, true)
}

func (t *pointsTx) Exchange(ctx context.Context, community, id string) (points.Exchange, error) {
	return getDoc[points.Exchange](t.s.points.docs, "exchange", community, id)
}

func (t *pointsTx) FindExchanges(ctx context.Context, f points.Filter) ([]points.Exchange, int, error) {
	return findDocs[points.Exchange](t.s.points.docs, "exchange", docFilter(f))
}

func (t *pointsTx) CreateExchange(ctx context.Context, e points.Exchange) error {
	return putDoc(t.txn, t.s.points.docs, "exchange", docKeys(e.Keys()), e, true)
}

func (t *pointsTx) UpdateExchange(ctx context.Context, e points.Exchange) error {
	return putDoc(t.txn, t.s.points.docs, "exchange", docKeys(e.Keys()), e, false)
}

func (t *pointsTx) Gift(ctx context.Context, community, id string) (points.Gift, error) {
	return getDoc[points.Gift](t.s.points.docs, "gift", community, id)
}

func (t *pointsTx) FindGifts(ctx context.Context, f points.Filter) ([]points.Gift, int, error) {
	return findDocs[points.Gift](t.s.points.docs, "gift", docFilter(f))
}

func (t *pointsTx) CreateGift(ctx context.Context, g points.Gift) error {
	return putDoc(t.txn, t.s.points.docs, "gift", docKeys(g.Keys()), g, true)
}

func (t *pointsTx) Expiry(ctx context.Context, community, id string) (points.Expiry, error) {
	return getDoc[points.Expiry](t.s.points.docs, "expiry", community, id)
}

func (t *pointsTx) FindExpiries(ctx context.Context, f points.Filter) ([]points.Expiry, int, error) {
	return findDocs[points.Expiry](t.s.points.docs, "expiry", docFilter(f))
}

func (t *pointsTx) CreateExpiry(ctx context.Context, e points.Expiry) error {
	return putDoc(t.txn, t.s.points.docs, "expiry", docKeys(e.Keys()), e, true)
}

func (t *pointsTx) Market(ctx context.Context, community, id string) (points.Market, error) {
	return getDoc[points.Market](t.s.points.docs, "market", community, id)
}

func (t *pointsTx) FindMarkets(ctx context.Context, f points.Filter) ([]points.Market, int, error) {
	return findDocs[points.Market](t.s.points.docs, "market", docFilter(f))
}

func (t *pointsTx) CreateMarket(ctx context.Context, m points.Market) error {
	return putDoc(t.txn, t.s.points.docs, "market", docKeys(m.Keys()), m, true)
}

func (t *pointsTx) UpdateMarket(ctx context.Context, m points.Market) error {
	return putDoc(t.txn, t.s.points.docs, "market", docKeys(m.Keys()), m, false)
}

func (t *pointsTx) SignUp(ctx context.Context, community, id string) (points.SignUp, error) {
	return getDoc[points.SignUp](t.s.points.docs, "sign_up", community, id)
}

func (t *pointsTx) FindSignUps(ctx context.Context, f points.Filter) ([]points.SignUp, int, error) {
	return findDocs[points.SignUp](t.s.points.docs, "sign_up", docFilter(f))
}

func (t *pointsTx) CreateSignUp(ctx context.Context, s points.SignUp) error {
	return putDoc(t.txn, t.s.points.docs, "sign_up", docKeys(s.Keys()), s, true)
}

func (t *pointsTx) UpdateGift(_ context.Context, g points.Gift) error {
	return putDoc(t.txn, t.s.points.docs, "gift", docKeys(g.Keys()), g, false)
}

var _ points.Store = pointsStore{}
