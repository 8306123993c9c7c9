package memstore

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"

	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/ledger"
	"github.com/linli-go/linli/points"
)

// doc is a record of the bank as JSON, with what finds match on: records
// come back as copies, never sharing slices with the store.
type doc struct {
	keys points.Keys
	data []byte
}

type pointsData struct {
	docs   map[string]table[doc] // record kind → records
	ledger ledger.MemoryStore
}

func (d *pointsData) init(now func() int64) {
	d.docs = map[string]table[doc]{}
	d.ledger = ledger.NewMemoryStore(now)
}

// Points returns the volunteer bank's store.
func (s *Store) Points() points.Store { return pointsStore{s} }

type pointsStore struct{ s *Store }

func (p pointsStore) View(ctx context.Context, fn func(points.Tx) error) error {
	return p.s.view(ctx, func(t *txn) error { return fn(&pointsTx{txn: t, s: p.s}) })
}

func (p pointsStore) Update(ctx context.Context, fn func(points.Tx) error) error {
	return p.s.update(ctx, func(t *txn) error { return fn(&pointsTx{txn: t, s: p.s}) })
}

func (p pointsStore) Ledger() ledger.Store { return p.s.points.ledger }

type pointsTx struct {
	*txn
	s *Store
}

func (t *pointsTx) table(kind string) table[doc] {
	tb := t.s.points.docs[kind]
	if tb == nil {
		tb = table[doc]{}
		t.s.points.docs[kind] = tb
	}
	return tb
}

func getDoc[T points.Record](t *pointsTx, kind, community, id string) (T, error) {
	var v T
	d, ok := t.table(kind).get(community, id)
	if !ok {
		return v, errs.E(errs.NotFound, "%s %s not found", kind, id)
	}
	return v, json.Unmarshal(d.data, &v)
}

func putDoc[T points.Record](t *pointsTx, kind string, v T, create bool) error {
	if !t.write {
		return errReadOnly
	}
	k := v.Keys()
	_, had := t.table(kind).get(k.CommunityID, k.ID)
	switch {
	case create && had:
		return errs.E(errs.Conflict, "%s %s exists already", kind, k.ID)
	case !create && !had:
		return errs.E(errs.NotFound, "%s %s not found", kind, k.ID)
	}
	data, err := json.Marshal(v)
	if err != nil {
		return errs.Internalf("memstore: %s: %v", kind, err)
	}
	return t.table(kind).put(t.txn, k.CommunityID, k.ID, doc{keys: k, data: data})
}

func findDocs[T points.Record](t *pointsTx, kind string, f points.Filter) ([]T, int, error) {
	var all []doc
	for _, d := range t.table(kind)[f.CommunityID] {
		k := d.keys
		if f.ResidentID != "" && k.ResidentID != f.ResidentID || f.RefID != "" && k.RefID != f.RefID || f.Status != "" && k.Status != f.Status ||
			f.From != nil && k.At.Before(*f.From) || f.To != nil && !k.At.Before(*f.To) {
			continue
		}
		all = append(all, d)
	}
	slices.SortFunc(all, func(a, b doc) int {
		if c := a.keys.At.Compare(b.keys.At); c != 0 {
			return c
		}
		return cmp.Compare(a.keys.ID, b.keys.ID)
	})
	total := len(all)
	lo, hi := min(f.Page.Offset, total), total
	if f.Page.Limit > 0 {
		hi = min(lo+f.Page.Limit, total)
	}
	out := make([]T, 0, hi-lo)
	for _, d := range all[lo:hi] {
		var v T
		if err := json.Unmarshal(d.data, &v); err != nil {
			return nil, 0, err
		}
		out = append(out, v)
	}
	return out, total, nil
}

func (t *pointsTx) Policy(ctx context.Context, community string, version int) (points.Policy, error) {
	if version > 0 {
		return getDoc[points.Policy](t, "policy", community, points.Policy{Version: version}.Keys().ID)
	}
	var last string
	for id := range t.table("policy")[community] {
		last = max(last, id)
	}
	if last == "" {
		return points.Policy{}, errs.E(errs.NotFound, "community %s has no policy", community)
	}
	return getDoc[points.Policy](t, "policy", community, last)
}

func (t *pointsTx) FindPolicies(ctx context.Context, f points.Filter) ([]points.Policy, int, error) {
	return findDocs[points.Policy](t, "policy", f)
}

func (t *pointsTx) CreatePolicy(ctx context.Context, p points.Policy) error {
	return putDoc(t, "policy", p, true)
}

func (t *pointsTx) Claim(ctx context.Context, community, id string) (points.Claim, error) {
	return getDoc[points.Claim](t, "claim", community, id)
}

func (t *pointsTx) FindClaims(ctx context.Context, f points.Filter) ([]points.Claim, int, error) {
	return findDocs[points.Claim](t, "claim", f)
}

func (t *pointsTx) CreateClaim(ctx context.Context, c points.Claim) error {
	return putDoc(t, "claim", c, true)
}

func (t *pointsTx) UpdateClaim(ctx context.Context, c points.Claim) error {
	return putDoc(t, "claim", c, false)
}

func (t *pointsTx) Item(ctx context.Context, community, id string) (points.Item, error) {
	return getDoc[points.Item](t, "item", community, id)
}

func (t *pointsTx) FindItems(ctx context.Context, f points.Filter) ([]points.Item, int, error) {
	return findDocs[points.Item](t, "item", f)
}

func (t *pointsTx) CreateItem(ctx context.Context, it points.Item) error {
	it.Stock = 0
	return putDoc(t, "item", it, true)
}

func (t *pointsTx) UpdateItem(ctx context.Context, it points.Item) error {
	it.Stock = 0
	return putDoc(t, "item", it, false)
}

func (t *pointsTx) Donation(ctx context.Context, community, id string) (points.Donation, error) {
	return getDoc[points.Donation](t, "donation", community, id)
}

func (t *pointsTx) FindDonations(ctx context.Context, f points.Filter) ([]points.Donation, int, error) {
	return findDocs[points.Donation](t, "donation", f)
}

func (t *pointsTx) CreateDonation(ctx context.Context, d points.Donation) error {
	return putDoc(t, "donation", d, true)
}

func (t *pointsTx) Exchange(ctx context.Context, community, id string) (points.Exchange, error) {
	return getDoc[points.Exchange](t, "exchange", community, id)
}

func (t *pointsTx) FindExchanges(ctx context.Context, f points.Filter) ([]points.Exchange, int, error) {
	return findDocs[points.Exchange](t, "exchange", f)
}

func (t *pointsTx) CreateExchange(ctx context.Context, e points.Exchange) error {
	return putDoc(t, "exchange", e, true)
}

func (t *pointsTx) UpdateExchange(ctx context.Context, e points.Exchange) error {
	return putDoc(t, "exchange", e, false)
}

func (t *pointsTx) Gift(ctx context.Context, community, id string) (points.Gift, error) {
	return getDoc[points.Gift](t, "gift", community, id)
}

func (t *pointsTx) FindGifts(ctx context.Context, f points.Filter) ([]points.Gift, int, error) {
	return findDocs[points.Gift](t, "gift", f)
}

func (t *pointsTx) CreateGift(ctx context.Context, g points.Gift) error {
	return putDoc(t, "gift", g, true)
}

func (t *pointsTx) Expiry(ctx context.Context, community, id string) (points.Expiry, error) {
	return getDoc[points.Expiry](t, "expiry", community, id)
}

func (t *pointsTx) FindExpiries(ctx context.Context, f points.Filter) ([]points.Expiry, int, error) {
	return findDocs[points.Expiry](t, "expiry", f)
}

func (t *pointsTx) CreateExpiry(ctx context.Context, e points.Expiry) error {
	return putDoc(t, "expiry", e, true)
}

func (t *pointsTx) Market(ctx context.Context, community, id string) (points.Market, error) {
	return getDoc[points.Market](t, "market", community, id)
}

func (t *pointsTx) FindMarkets(ctx context.Context, f points.Filter) ([]points.Market, int, error) {
	return findDocs[points.Market](t, "market", f)
}

func (t *pointsTx) CreateMarket(ctx context.Context, m points.Market) error {
	return putDoc(t, "market", m, true)
}

func (t *pointsTx) UpdateMarket(ctx context.Context, m points.Market) error {
	return putDoc(t, "market", m, false)
}

func (t *pointsTx) SignUp(ctx context.Context, community, id string) (points.SignUp, error) {
	return getDoc[points.SignUp](t, "sign_up", community, id)
}

func (t *pointsTx) FindSignUps(ctx context.Context, f points.Filter) ([]points.SignUp, int, error) {
	return findDocs[points.SignUp](t, "sign_up", f)
}

func (t *pointsTx) CreateSignUp(ctx context.Context, s points.SignUp) error {
	return putDoc(t, "sign_up", s, true)
}

var _ points.Store = pointsStore{}
