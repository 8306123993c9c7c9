package sqlstore

import (
	"context"
	"database/sql"

	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/points"
)

// Points returns the volunteer bank's store: its records in
// points_records, its ledger on the database's shared Ledger.
func (db *DB) Points() points.Store { return pointsStore{db} }

type pointsStore struct{ db *DB }

func (s pointsStore) View(ctx context.Context, fn func(points.Tx) error) error {
	return s.db.read(ctx, func(t *sql.Tx) error { return fn(&pointsTx{tx{db: s.db, sql: t}}) })
}

func (s pointsStore) Update(ctx context.Context, fn func(points.Tx) error) error {
	return s.db.update(ctx, func(t *sql.Tx) error { return fn(&pointsTx{tx{db: s.db, sql: t, write: true}}) })
}

type pointsTx struct{ tx }

// Ledger is the community's ledger in the transaction.
func (t *pointsTx) Ledger(community string) ledger.Tx {
	return t.db.sharedLedger().in(&t.tx, community)
}

// Policy returns a version of the policy; 0 is the latest.
func (t *pointsTx) Policy(ctx context.Context, community string, version int) (points.Policy, error) {
	if version > 0 {
		return getDoc[points.Policy](ctx, &t.tx, "points_records", "policy", community, points.Policy{Version: version}.Keys().ID)
	}
	return lastDoc[points.Policy](ctx, &t.tx, "points_records", "policy", community)
}

func (t *pointsTx) FindPolicies(ctx context.Context, f points.Filter) ([]points.Policy, int, error) {
	return findDocs[points.Policy](ctx, &t.tx, "points_records", "policy", docFilter(f))
}

func (t *pointsTx) CreatePolicy(ctx context.Context, v points.Policy) error {
	return putDoc(ctx, &t.tx, "points_records", "policy", docKeys(v.Keys()), v, true)
}

func (t *pointsTx) Claim(ctx context.Context, community, id string) (points.Claim, error) {
	return getDoc[points.Claim](ctx, &t.tx, "points_records", "claim", community, id)
}

func (t *pointsTx) FindClaims(ctx context.Context, f points.Filter) ([]points.Claim, int, error) {
	return findDocs[points.Claim](ctx, &t.tx, "points_records", "claim", docFilter(f))
}

func (t *pointsTx) CreateClaim(ctx context.Context, v points.Claim) error {
	return putDoc(ctx, &t.tx, "points_records", "claim", docKeys(v.Keys()), v, true)
}

func (t *pointsTx) UpdateClaim(ctx context.Context, v points.Claim) error {
	return putDoc(ctx, &t.tx, "points_records", "claim", docKeys(v.Keys()), v, false)
}

func (t *pointsTx) Item(ctx context.Context, community, id string) (points.Item, error) {
	return getDoc[points.Item](ctx, &t.tx, "points_records", "item", community, id)
}

func (t *pointsTx) FindItems(ctx context.Context, f points.Filter) ([]points.Item, int, error) {
	return findDocs[points.Item](ctx, &t.tx, "points_records", "item", docFilter(f))
}

func (t *pointsTx) CreateItem(ctx context.Context, v points.Item) error {
	v.Stock = 0 // the ledger's
	return putDoc(ctx, &t.tx, "points_records", "item", docKeys(v.Keys()), v, true)
}

func (t *pointsTx) UpdateItem(ctx context.Context, v points.Item) error {
	v.Stock = 0
	return putDoc(ctx, &t.tx, "points_records", "item", docKeys(v.Keys()), v, false)
}

func (t *pointsTx) Donation(ctx context.Context, community, id string) (points.Donation, error) {
	return getDoc[points.Donation](ctx, &t.tx, "points_records", "donation", community, id)
}

func (t *pointsTx) FindDonations(ctx context.Context, f points.Filter) ([]points.Donation, int, error) {
	return findDocs[points.Donation](ctx, &t.tx, "points_records", "donation", docFilter(f))
}

func (t *pointsTx) CreateDonation(ctx context.Context, v points.Donation) error {
	return putDoc(ctx, &t.tx, "points_records", "donation", docKeys(v.Keys()), v, true)
}

func (t *pointsTx) Exchange(ctx context.Context, community, id string) (points.Exchange, error) {
	return getDoc[points.Exchange](ctx, &t.tx, "points_records", "exchange", community, id)
}

func (t *pointsTx) FindExchanges(ctx context.Context, f points.Filter) ([]points.Exchange, int, error) {
	return findDocs[points.Exchange](ctx, &t.tx, "points_records", "exchange", docFilter(f))
}

func (t *pointsTx) CreateExchange(ctx context.Context, v points.Exchange) error {
	return putDoc(ctx, &t.tx, "points_records", "exchange", docKeys(v.Keys()), v, true)
}

func (t *pointsTx) UpdateExchange(ctx context.Context, v points.Exchange) error {
	return putDoc(ctx, &t.tx, "points_records", "exchange", docKeys(v.Keys()), v, false)
}

func (t *pointsTx) Gift(ctx context.Context, community, id string) (points.Gift, error) {
	return getDoc[points.Gift](ctx, &t.tx, "points_records", "gift", community, id)
}

func (t *pointsTx) FindGifts(ctx context.Context, f points.Filter) ([]points.Gift, int, error) {
	return findDocs[points.Gift](ctx, &t.tx, "points_records", "gift", docFilter(f))
}

func (t *pointsTx) CreateGift(ctx context.Context, v points.Gift) error {
	return putDoc(ctx, &t.tx, "points_records", "gift", docKeys(v.Keys()), v, true)
}

func (t *pointsTx) Expiry(ctx context.Context, community, id string) (points.Expiry, error) {
	return getDoc[points.Expiry](ctx, &t.tx, "points_records", "expiry", community, id)
}

func (t *pointsTx) FindExpiries(ctx context.Context, f points.Filter) ([]points.Expiry, int, error) {
	return findDocs[points.Expiry](ctx, &t.tx, "points_records", "expiry", docFilter(f))
}

func (t *pointsTx) CreateExpiry(ctx context.Context, v points.Expiry) error {
	return putDoc(ctx, &t.tx, "points_records", "expiry", docKeys(v.Keys()), v, true)
}

func (t *pointsTx) Market(ctx context.Context, community, id string) (points.Market, error) {
	return getDoc[points.Market](ctx, &t.tx, "points_records", "market", community, id)
}

func (t *pointsTx) FindMarkets(ctx context.Context, f points.Filter) ([]points.Market, int, error) {
	return findDocs[points.Market](ctx, &t.tx, "points_records", "market", docFilter(f))
}

func (t *pointsTx) CreateMarket(ctx context.Context, v points.Market) error {
	return putDoc(ctx, &t.tx, "points_records", "market", docKeys(v.Keys()), v, true)
}

func (t *pointsTx) UpdateMarket(ctx context.Context, v points.Market) error {
	return putDoc(ctx, &t.tx, "points_records", "market", docKeys(v.Keys()), v, false)
}

func (t *pointsTx) SignUp(ctx context.Context, community, id string) (points.SignUp, error) {
	return getDoc[points.SignUp](ctx, &t.tx, "points_records", "sign_up", community, id)
}

func (t *pointsTx) FindSignUps(ctx context.Context, f points.Filter) ([]points.SignUp, int, error) {
	return findDocs[points.SignUp](ctx, &t.tx, "points_records", "sign_up", docFilter(f))
}

func (t *pointsTx) CreateSignUp(ctx context.Context, v points.SignUp) error {
	return putDoc(ctx, &t.tx, "points_records", "sign_up", docKeys(v.Keys()), v, true)
}

func (t *pointsTx) UpdateGift(ctx context.Context, v points.Gift) error {
	return putDoc(ctx, &t.tx, "points_records", "gift", docKeys(v.Keys()), v, false)
}

var _ points.Store = pointsStore{}
