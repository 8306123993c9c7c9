package memstore

import (
	"context"

	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/grids/record"
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

func (p pointsStore) Version(ctx context.Context, community string) (int64, error) {
	return p.s.version(ctx, community)
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

func (t *pointsTx) Policies() record.Table[points.Policy] {
	return docTable[points.Policy]{t.txn, t.s.points.docs, "policy"}
}

func (t *pointsTx) Claims() record.Table[points.Claim] {
	return docTable[points.Claim]{t.txn, t.s.points.docs, "claim"}
}

func (t *pointsTx) Items() record.Table[points.Item] {
	return docTable[points.Item]{t.txn, t.s.points.docs, "item"}
}

func (t *pointsTx) Donations() record.Table[points.Donation] {
	return docTable[points.Donation]{t.txn, t.s.points.docs, "donation"}
}

func (t *pointsTx) Exchanges() record.Table[points.Exchange] {
	return docTable[points.Exchange]{t.txn, t.s.points.docs, "exchange"}
}

func (t *pointsTx) Gifts() record.Table[points.Gift] {
	return docTable[points.Gift]{t.txn, t.s.points.docs, "gift"}
}

func (t *pointsTx) Expiries() record.Table[points.Expiry] {
	return docTable[points.Expiry]{t.txn, t.s.points.docs, "expiry"}
}

func (t *pointsTx) Markets() record.Table[points.Market] {
	return docTable[points.Market]{t.txn, t.s.points.docs, "market"}
}

func (t *pointsTx) SignUps() record.Table[points.SignUp] {
	return docTable[points.SignUp]{t.txn, t.s.points.docs, "sign_up"}
}

var _ points.Store = pointsStore{}
