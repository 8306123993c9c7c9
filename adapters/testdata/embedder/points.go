package embedder

import (
	"context"

	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/grids/record"
	"github.com/linli-go/linli/points"
)

// Points is a points.Store over another one.
type Points struct {
	Inner points.Store
}

func (s Points) View(ctx context.Context, fn func(points.Tx) error) error {
	return s.Inner.View(ctx, func(tx points.Tx) error { return fn(pointsTx{tx}) })
}

func (s Points) Update(ctx context.Context, fn func(points.Tx) error) error {
	return s.Inner.Update(ctx, func(tx points.Tx) error { return fn(pointsTx{tx}) })
}

func (s Points) Version(ctx context.Context, community string) (int64, error) {
	return s.Inner.Version(ctx, community)
}

type pointsTx struct {
	inner points.Tx
}

func (t pointsTx) Ledger(community string) ledger.Tx {
	return ledgerTx{t.inner.Ledger(community)}
}

func (t pointsTx) Policies() record.Table[points.Policy] {
	return table[points.Policy]{t.inner.Policies()}
}

func (t pointsTx) Claims() record.Table[points.Claim] {
	return table[points.Claim]{t.inner.Claims()}
}

func (t pointsTx) Items() record.Table[points.Item] {
	return table[points.Item]{t.inner.Items()}
}

func (t pointsTx) Donations() record.Table[points.Donation] {
	return table[points.Donation]{t.inner.Donations()}
}

func (t pointsTx) Exchanges() record.Table[points.Exchange] {
	return table[points.Exchange]{t.inner.Exchanges()}
}

func (t pointsTx) Gifts() record.Table[points.Gift] {
	return table[points.Gift]{t.inner.Gifts()}
}

func (t pointsTx) Expiries() record.Table[points.Expiry] {
	return table[points.Expiry]{t.inner.Expiries()}
}

func (t pointsTx) Markets() record.Table[points.Market] {
	return table[points.Market]{t.inner.Markets()}
}

func (t pointsTx) SignUps() record.Table[points.SignUp] {
	return table[points.SignUp]{t.inner.SignUps()}
}

var _ points.Store = Points{}
