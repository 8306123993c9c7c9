package shard

import (
	"context"

	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/grids/access"
	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/grids/record"
	"github.com/linli-go/linli/points"
)

// table checks each call of a record table against its route.
type table[T record.Keyed] struct {
	t record.Table[T]
	r *route
}

// tableOf wraps the table inner returns, which a probe never asks for.
func tableOf[T record.Keyed](r *route, inner func() record.Table[T]) record.Table[T] {
	x := table[T]{r: r}
	if !r.probing {
		x.t = inner()
	}
	return x
}

func (x table[T]) Get(ctx context.Context, community, id string) (_ T, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.t.Get(ctx, community, id)
}

func (x table[T]) Find(ctx context.Context, f record.Filter) (_ []T, _ int, err error) {
	if err = x.r.at(f.CommunityID); err != nil {
		return
	}
	return x.t.Find(ctx, f)
}

func (x table[T]) Create(ctx context.Context, v T) error {
	if err := x.r.at(v.Keys().CommunityID); err != nil {
		return err
	}
	return x.t.Create(ctx, v)
}

func (x table[T]) Update(ctx context.Context, v T) error {
	if err := x.r.at(v.Keys().CommunityID); err != nil {
		return err
	}
	return x.t.Update(ctx, v)
}

func (x table[T]) Last(ctx context.Context, community string) (_ T, err error) {
	if err = x.r.at(community); err != nil {
		return
	}
	return x.t.Last(ctx, community)
}

// ledgerOf is community's ledger in a transaction routed by r (inner is
// not called while probing, the Tx it would ask being none).
func ledgerOf(r *route, community string, inner func(string) ledger.Tx) ledger.Tx {
	if err := r.at(community); err != nil {
		return refused{err}
	}
	return inner(community)
}

// refused is a ledger whose every call fails: the transaction asked for
// another community's.
type refused struct{ err error }

func (l refused) CreateAccounts(context.Context, []ledger.Account) ([]ledger.Result, error) {
	return nil, l.err
}

func (l refused) CreateTransfers(context.Context, []ledger.Transfer) ([]ledger.Result, error) {
	return nil, l.err
}

func (l refused) LookupAccounts(context.Context, []ledger.ID) ([]ledger.Account, error) {
	return nil, l.err
}

func (l refused) LookupTransfers(context.Context, []ledger.ID) ([]ledger.Transfer, []ledger.PendingStatus, error) {
	return nil, nil, l.err
}

func (l refused) Statement(context.Context, ledger.ID, int64, int64, int) ([]ledger.Entry, error) {
	return nil, l.err
}

func (l refused) Snapshot(context.Context) (ledger.Snapshot, error) { return ledger.Snapshot{}, l.err }

// Points returns the volunteer bank's store, routed by community.
func (r *Router) Points() points.Store { return pointsStore{r} }

type pointsStore struct{ rt *Router }

var pointsDomain = domain[points.Tx]{
	name: "points",
	of:   func(s Shard) store[points.Tx] { return s.Points },
	wrap: func(inner points.Tx, r *route) points.Tx { return pointsTx{inner, r} },
}

func (s pointsStore) View(ctx context.Context, fn func(points.Tx) error) error {
	return run(ctx, s.rt, pointsDomain, false, fn)
}

func (s pointsStore) Update(ctx context.Context, fn func(points.Tx) error) error {
	return run(ctx, s.rt, pointsDomain, true, fn)
}

func (s pointsStore) Version(ctx context.Context, community string) (int64, error) {
	return version(ctx, s.rt, community, func(sh Shard) record.Versioned { return sh.Points })
}

type pointsTx struct {
	tx points.Tx
	r  *route
}

func (x pointsTx) Ledger(community string) ledger.Tx {
	return ledgerOf(x.r, community, func(c string) ledger.Tx { return x.tx.Ledger(c) })
}
func (x pointsTx) Policies() record.Table[points.Policy] {
	return tableOf(x.r, func() record.Table[points.Policy] { return x.tx.Policies() })
}
func (x pointsTx) Claims() record.Table[points.Claim] {
	return tableOf(x.r, func() record.Table[points.Claim] { return x.tx.Claims() })
}
func (x pointsTx) Items() record.Table[points.Item] {
	return tableOf(x.r, func() record.Table[points.Item] { return x.tx.Items() })
}
func (x pointsTx) Donations() record.Table[points.Donation] {
	return tableOf(x.r, func() record.Table[points.Donation] { return x.tx.Donations() })
}
func (x pointsTx) Exchanges() record.Table[points.Exchange] {
	return tableOf(x.r, func() record.Table[points.Exchange] { return x.tx.Exchanges() })
}
func (x pointsTx) Gifts() record.Table[points.Gift] {
	return tableOf(x.r, func() record.Table[points.Gift] { return x.tx.Gifts() })
}
func (x pointsTx) Expiries() record.Table[points.Expiry] {
	return tableOf(x.r, func() record.Table[points.Expiry] { return x.tx.Expiries() })
}
func (x pointsTx) Markets() record.Table[points.Market] {
	return tableOf(x.r, func() record.Table[points.Market] { return x.tx.Markets() })
}
func (x pointsTx) SignUps() record.Table[points.SignUp] {
	return tableOf(x.r, func() record.Table[points.SignUp] { return x.tx.SignUps() })
}

// Funds returns the funds' store, routed by community.
func (r *Router) Funds() funds.Store { return fundsStore{r} }

type fundsStore struct{ rt *Router }

var fundsDomain = domain[funds.Tx]{
	name: "funds",
	of:   func(s Shard) store[funds.Tx] { return s.Funds },
	wrap: func(inner funds.Tx, r *route) funds.Tx { return fundsTx{inner, r} },
}

func (s fundsStore) View(ctx context.Context, fn func(funds.Tx) error) error {
	return run(ctx, s.rt, fundsDomain, false, fn)
}

func (s fundsStore) Update(ctx context.Context, fn func(funds.Tx) error) error {
	return run(ctx, s.rt, fundsDomain, true, fn)
}

func (s fundsStore) Version(ctx context.Context, community string) (int64, error) {
	return version(ctx, s.rt, community, func(sh Shard) record.Versioned { return sh.Funds })
}

type fundsTx struct {
	tx funds.Tx
	r  *route
}

func (x fundsTx) Ledger(community string) ledger.Tx {
	return ledgerOf(x.r, community, func(c string) ledger.Tx { return x.tx.Ledger(c) })
}
func (x fundsTx) Funds() record.Table[funds.Fund] {
	return tableOf(x.r, func() record.Table[funds.Fund] { return x.tx.Funds() })
}
func (x fundsTx) Incomes() record.Table[funds.Income] {
	return tableOf(x.r, func() record.Table[funds.Income] { return x.tx.Incomes() })
}
func (x fundsTx) Calls() record.Table[funds.Call] {
	return tableOf(x.r, func() record.Table[funds.Call] { return x.tx.Calls() })
}
func (x fundsTx) Proposals() record.Table[funds.Proposal] {
	return tableOf(x.r, func() record.Table[funds.Proposal] { return x.tx.Proposals() })
}
func (x fundsTx) Reviews() record.Table[funds.Review] {
	return tableOf(x.r, func() record.Table[funds.Review] { return x.tx.Reviews() })
}
func (x fundsTx) Grants() record.Table[funds.Grant] {
	return tableOf(x.r, func() record.Table[funds.Grant] { return x.tx.Grants() })
}
func (x fundsTx) Spendings() record.Table[funds.Spending] {
	return tableOf(x.r, func() record.Table[funds.Spending] { return x.tx.Spendings() })
}
func (x fundsTx) Merchants() record.Table[funds.Merchant] {
	return tableOf(x.r, func() record.Table[funds.Merchant] { return x.tx.Merchants() })
}
func (x fundsTx) Declarations() record.Table[funds.Declaration] {
	return tableOf(x.r, func() record.Table[funds.Declaration] { return x.tx.Declarations() })
}

// Access returns the store of credentials and sessions, routed by
// community: a token or a session cookie names its community, so it is
// checked on that community's shard alone. Installation-wide credentials
// (of no community) live on the home shard.
func (r *Router) Access() access.Store { return accessStore{r} }

type accessStore struct{ rt *Router }

var accessDomain = domain[access.Tx]{
	name: "access",
	of:   func(s Shard) store[access.Tx] { return s.Access },
	wrap: func(inner access.Tx, r *route) access.Tx { return accessTx{inner, r} },
}

func (s accessStore) View(ctx context.Context, fn func(access.Tx) error) error {
	return run(ctx, s.rt, accessDomain, false, fn)
}

func (s accessStore) Update(ctx context.Context, fn func(access.Tx) error) error {
	return run(ctx, s.rt, accessDomain, true, fn)
}

type accessTx struct {
	tx access.Tx
	r  *route
}

func (x accessTx) Credentials() record.Table[access.Credential] {
	return tableOf(x.r, func() record.Table[access.Credential] { return x.tx.Credentials() })
}
func (x accessTx) Sessions() record.Table[access.Session] {
	return tableOf(x.r, func() record.Table[access.Session] { return x.tx.Sessions() })
}
func (x accessTx) Events() record.Table[access.Event] {
	return tableOf(x.r, func() record.Table[access.Event] { return x.tx.Events() })
}

var (
	_ points.Store = pointsStore{}
	_ funds.Store  = fundsStore{}
	_ access.Store = accessStore{}
)
