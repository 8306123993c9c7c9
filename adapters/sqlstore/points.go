package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/ledger"
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
	return s.db.write(ctx, func(t *sql.Tx) error { return fn(&pointsTx{tx{db: s.db, sql: t, write: true}}) })
}

func (s pointsStore) Ledger() ledger.Store { return s.db.sharedLedger() }

type pointsTx struct{ tx }

func getDoc[T points.Record](ctx context.Context, t *pointsTx, kind, community, id string) (T, error) {
	var v T
	var data string
	q := (&query{}).add("SELECT doc FROM points_records WHERE community_id = ? AND kind = ? AND id = ?", community, kind, id)
	err := t.queryRow(ctx, q).Scan(&data)
	if err == sql.ErrNoRows {
		return v, errs.E(errs.NotFound, "%s %s not found", kind, id)
	}
	if err != nil {
		return v, t.db.mapErr(err)
	}
	return v, fromJSON(data, &v)
}

func putDoc[T points.Record](ctx context.Context, t *pointsTx, kind string, v T, create bool) error {
	k := v.Keys()
	data, err := json.Marshal(v)
	if err != nil {
		return errs.Internalf("sqlstore: %s: %v", kind, err)
	}
	if create {
		q := (&query{}).add("INSERT INTO points_records (community_id, kind, id, resident_id, ref_id, status, at, doc) VALUES ")
		q.tuple(k.CommunityID, kind, k.ID, k.ResidentID, k.RefID, k.Status, ts(k.At), string(data))
		_, err := t.exec(ctx, q)
		if errs.CodeOf(err) == errs.Conflict {
			return errs.E(errs.Conflict, "%s %s exists already", kind, k.ID)
		}
		return err
	}
	return t.change(ctx, (&query{}).add("UPDATE points_records SET resident_id = ?, ref_id = ?, status = ?, at = ?, doc = ? WHERE community_id = ? AND kind = ? AND id = ?",
		k.ResidentID, k.RefID, k.Status, ts(k.At), string(data), k.CommunityID, kind, k.ID), kind, k.ID)
}

func findDocs[T points.Record](ctx context.Context, t *pointsTx, kind string, f points.Filter) ([]T, int, error) {
	w := (&query{}).add(" WHERE community_id = ? AND kind = ?", f.CommunityID, kind)
	for _, c := range []struct{ col, v string }{{"resident_id", f.ResidentID}, {"ref_id", f.RefID}, {"status", f.Status}} {
		if c.v != "" {
			w.add(" AND "+c.col+" = ?", c.v)
		}
	}
	if f.From != nil {
		w.add(" AND at >= ?", ts(*f.From))
	}
	if f.To != nil {
		w.add(" AND at < ?", ts(*f.To))
	}
	with := func(head string) *query {
		q := &query{args: append([]any(nil), w.args...)}
		q.b.WriteString(head + w.String())
		return q
	}
	total, err := t.count(ctx, with("SELECT count(*) FROM points_records"))
	if err != nil {
		return nil, 0, err
	}
	q := with("SELECT doc FROM points_records")
	q.page(t.db.dialect, "at, id", f.Page.Offset, f.Page.Limit)
	rows, err := t.query(ctx, q)
	out, err := collect(rows, err, func(r *sql.Rows) (T, error) {
		var v T
		var data string
		if err := r.Scan(&data); err != nil {
			return v, err
		}
		return v, fromJSON(data, &v)
	})
	return out, total, err
}

// Policy returns a version of the policy; 0 is the latest.
func (t *pointsTx) Policy(ctx context.Context, community string, version int) (points.Policy, error) {
	if version > 0 {
		return getDoc[points.Policy](ctx, t, "policy", community, points.Policy{Version: version}.Keys().ID)
	}
	var id string
	err := t.queryRow(ctx, (&query{}).add("SELECT id FROM points_records WHERE community_id = ? AND kind = 'policy' ORDER BY id DESC LIMIT 1", community)).Scan(&id)
	if err == sql.ErrNoRows {
		return points.Policy{}, errs.E(errs.NotFound, "community %s has no policy", community)
	}
	if err != nil {
		return points.Policy{}, t.db.mapErr(err)
	}
	return getDoc[points.Policy](ctx, t, "policy", community, id)
}

func (t *pointsTx) FindPolicies(ctx context.Context, f points.Filter) ([]points.Policy, int, error) {
	return findDocs[points.Policy](ctx, t, "policy", f)
}

func (t *pointsTx) CreatePolicy(ctx context.Context, v points.Policy) error {
	return putDoc(ctx, t, "policy", v, true)
}

func (t *pointsTx) Claim(ctx context.Context, community, id string) (points.Claim, error) {
	return getDoc[points.Claim](ctx, t, "claim", community, id)
}

func (t *pointsTx) FindClaims(ctx context.Context, f points.Filter) ([]points.Claim, int, error) {
	return findDocs[points.Claim](ctx, t, "claim", f)
}

func (t *pointsTx) CreateClaim(ctx context.Context, v points.Claim) error {
	return putDoc(ctx, t, "claim", v, true)
}

func (t *pointsTx) UpdateClaim(ctx context.Context, v points.Claim) error {
	return putDoc(ctx, t, "claim", v, false)
}

func (t *pointsTx) Item(ctx context.Context, community, id string) (points.Item, error) {
	return getDoc[points.Item](ctx, t, "item", community, id)
}

func (t *pointsTx) FindItems(ctx context.Context, f points.Filter) ([]points.Item, int, error) {
	return findDocs[points.Item](ctx, t, "item", f)
}

func (t *pointsTx) CreateItem(ctx context.Context, v points.Item) error {
	v.Stock = 0 // the ledger's
	return putDoc(ctx, t, "item", v, true)
}

func (t *pointsTx) UpdateItem(ctx context.Context, v points.Item) error {
	v.Stock = 0
	return putDoc(ctx, t, "item", v, false)
}

func (t *pointsTx) Donation(ctx context.Context, community, id string) (points.Donation, error) {
	return getDoc[points.Donation](ctx, t, "donation", community, id)
}

func (t *pointsTx) FindDonations(ctx context.Context, f points.Filter) ([]points.Donation, int, error) {
	return findDocs[points.Donation](ctx, t, "donation", f)
}

func (t *pointsTx) CreateDonation(ctx context.Context, v points.Donation) error {
	return putDoc(ctx, t, "donation", v, true)
}

func (t *pointsTx) Exchange(ctx context.Context, community, id string) (points.Exchange, error) {
	return getDoc[points.Exchange](ctx, t, "exchange", community, id)
}

func (t *pointsTx) FindExchanges(ctx context.Context, f points.Filter) ([]points.Exchange, int, error) {
	return findDocs[points.Exchange](ctx, t, "exchange", f)
}

func (t *pointsTx) CreateExchange(ctx context.Context, v points.Exchange) error {
	return putDoc(ctx, t, "exchange", v, true)
}

func (t *pointsTx) UpdateExchange(ctx context.Context, v points.Exchange) error {
	return putDoc(ctx, t, "exchange", v, false)
}

func (t *pointsTx) Gift(ctx context.Context, community, id string) (points.Gift, error) {
	return getDoc[points.Gift](ctx, t, "gift", community, id)
}

func (t *pointsTx) FindGifts(ctx context.Context, f points.Filter) ([]points.Gift, int, error) {
	return findDocs[points.Gift](ctx, t, "gift", f)
}

func (t *pointsTx) CreateGift(ctx context.Context, v points.Gift) error {
	return putDoc(ctx, t, "gift", v, true)
}

func (t *pointsTx) Expiry(ctx context.Context, community, id string) (points.Expiry, error) {
	return getDoc[points.Expiry](ctx, t, "expiry", community, id)
}

func (t *pointsTx) FindExpiries(ctx context.Context, f points.Filter) ([]points.Expiry, int, error) {
	return findDocs[points.Expiry](ctx, t, "expiry", f)
}

func (t *pointsTx) CreateExpiry(ctx context.Context, v points.Expiry) error {
	return putDoc(ctx, t, "expiry", v, true)
}

func (t *pointsTx) Market(ctx context.Context, community, id string) (points.Market, error) {
	return getDoc[points.Market](ctx, t, "market", community, id)
}

func (t *pointsTx) FindMarkets(ctx context.Context, f points.Filter) ([]points.Market, int, error) {
	return findDocs[points.Market](ctx, t, "market", f)
}

func (t *pointsTx) CreateMarket(ctx context.Context, v points.Market) error {
	return putDoc(ctx, t, "market", v, true)
}

func (t *pointsTx) UpdateMarket(ctx context.Context, v points.Market) error {
	return putDoc(ctx, t, "market", v, false)
}

func (t *pointsTx) SignUp(ctx context.Context, community, id string) (points.SignUp, error) {
	return getDoc[points.SignUp](ctx, t, "sign_up", community, id)
}

func (t *pointsTx) FindSignUps(ctx context.Context, f points.Filter) ([]points.SignUp, int, error) {
	return findDocs[points.SignUp](ctx, t, "sign_up", f)
}

func (t *pointsTx) CreateSignUp(ctx context.Context, v points.SignUp) error {
	return putDoc(ctx, t, "sign_up", v, true)
}

var _ points.Store = pointsStore{}
