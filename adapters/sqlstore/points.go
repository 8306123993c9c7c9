package sqlstore

import (
	"context"

	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/grids/record"
	"github.com/linli-go/linli/points"
)

// Points returns the volunteer bank's store: its records in
// points_records, its ledger on the database's shared Ledger.
func (db *DB) Points() points.Store { return pointsStore{db} }

type pointsStore struct{ db *DB }

func (s pointsStore) View(ctx context.Context, fn func(points.Tx) error) error {
	return s.db.read(ctx, func(t querier) error { return fn(&pointsTx{tx{db: s.db, sql: t}}) })
}

func (s pointsStore) Update(ctx context.Context, fn func(points.Tx) error) error {
	return updateIn(ctx, s.db, "points", func(t tx) (points.Tx, *tx) { x := &pointsTx{t}; return x, &x.tx }, fn)
}

func (s pointsStore) Version(ctx context.Context, community string) (int64, error) {
	return s.db.version(ctx, "points", community)
}

type pointsTx struct{ tx }

// Ledger is the community's ledger in the transaction.
func (t *pointsTx) Ledger(community string) ledger.Tx {
	return t.db.sharedLedger().in(&t.tx, community)
}

func (t *pointsTx) Policies() record.Table[points.Policy] {
	return docTable[points.Policy]{&t.tx, "points_records", "policy"}
}

func (t *pointsTx) Claims() record.Table[points.Claim] {
	return docTable[points.Claim]{&t.tx, "points_records", "claim"}
}

func (t *pointsTx) Items() record.Table[points.Item] {
	return docTable[points.Item]{&t.tx, "points_records", "item"}
}

func (t *pointsTx) Donations() record.Table[points.Donation] {
	return docTable[points.Donation]{&t.tx, "points_records", "donation"}
}

func (t *pointsTx) Exchanges() record.Table[points.Exchange] {
	return docTable[points.Exchange]{&t.tx, "points_records", "exchange"}
}

func (t *pointsTx) Gifts() record.Table[points.Gift] {
	return docTable[points.Gift]{&t.tx, "points_records", "gift"}
}

func (t *pointsTx) Expiries() record.Table[points.Expiry] {
	return docTable[points.Expiry]{&t.tx, "points_records", "expiry"}
}

func (t *pointsTx) Markets() record.Table[points.Market] {
	return docTable[points.Market]{&t.tx, "points_records", "market"}
}

func (t *pointsTx) SignUps() record.Table[points.SignUp] {
	return docTable[points.SignUp]{&t.tx, "points_records", "sign_up"}
}

var _ points.Store = pointsStore{}
