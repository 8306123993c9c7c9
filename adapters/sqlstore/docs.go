package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/linli-go/linli/grids/record"
	"github.com/linli-go/linli/internal/errs"
)

// Domains that store documents (points, funds) keep each record as JSON
// in their table, with the columns finds match on (record.Keys).

// docTable is one kind of record in a transaction: the record.Table of
// points' and funds' Tx.
type docTable[T record.Keyed] struct {
	t     *tx
	table string
	kind  string
}

func (x docTable[T]) Get(ctx context.Context, community, id string) (T, error) {
	return getDoc[T](ctx, x.t, x.table, x.kind, community, id)
}

func (x docTable[T]) Find(ctx context.Context, f record.Filter) ([]T, int, error) {
	return findDocs[T](ctx, x.t, x.table, x.kind, f)
}

func (x docTable[T]) Create(ctx context.Context, v T) error {
	return putDoc(ctx, x.t, x.table, x.kind, v.Keys(), v, true)
}

func (x docTable[T]) Update(ctx context.Context, v T) error {
	return putDoc(ctx, x.t, x.table, x.kind, v.Keys(), v, false)
}

func (x docTable[T]) Last(ctx context.Context, community string) (T, error) {
	return lastDoc[T](ctx, x.t, x.table, x.kind, community)
}

func getDoc[T any](ctx context.Context, t *tx, table, kind, community, id string) (T, error) {
	var v T
	var data string
	// In a write transaction on PostgreSQL the row is locked: a service
	// reads a record (the policy, the call, the merchant) before it checks
	// a rule over its children, and so checks one at a time.
	q := (&query{}).add("SELECT doc FROM "+table+" WHERE community_id = ? AND kind = ? AND id = ?"+t.lock(), community, kind, id)
	err := t.queryRow(ctx, q).Scan(&data)
	if err == sql.ErrNoRows {
		return v, errs.E(errs.NotFound, "%s %s not found", kind, id)
	}
	if err != nil {
		return v, t.db.mapErr(err)
	}
	return v, fromJSON(data, &v)
}

func putDoc(ctx context.Context, t *tx, table, kind string, k record.Keys, v any, create bool) error {
	t.wrote(k.CommunityID)
	data, err := json.Marshal(v)
	if err != nil {
		return errs.Internalf("sqlstore: %s: %v", kind, err)
	}
	if create {
		q := (&query{}).add("INSERT INTO " + table + " (community_id, kind, id, resident_id, ref_id, status, at, doc) VALUES ")
		q.tuple(k.CommunityID, kind, k.ID, k.ResidentID, k.RefID, k.Status, ts(k.At), string(data))
		_, err := t.exec(ctx, q)
		if errs.CodeOf(err) == errs.Conflict {
			return errs.E(errs.Conflict, "%s %s exists already", kind, k.ID)
		}
		return err
	}
	return t.change(ctx, (&query{}).add("UPDATE "+table+" SET resident_id = ?, ref_id = ?, status = ?, at = ?, doc = ? WHERE community_id = ? AND kind = ? AND id = ?",
		k.ResidentID, k.RefID, k.Status, ts(k.At), string(data), k.CommunityID, kind, k.ID), kind, k.ID)
}

func findDocs[T any](ctx context.Context, t *tx, table, kind string, f record.Filter) ([]T, int, error) {
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
	total := -1
	if !f.Page.NoTotal {
		var err error
		if total, err = t.count(ctx, with("SELECT count(*) FROM "+table)); err != nil {
			return nil, 0, err
		}
	}
	if f.Page.After != "" {
		if err := t.after(ctx, w, table, "at, id", "id", f.Page.After, "community_id", f.CommunityID, "kind", kind); err != nil {
			return nil, 0, err
		}
	}
	q := with("SELECT doc FROM " + table)
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

// lastDoc returns the record of kind with the greatest ID in a community.
func lastDoc[T any](ctx context.Context, t *tx, table, kind, community string) (T, error) {
	var id string
	err := t.queryRow(ctx, (&query{}).add("SELECT id FROM "+table+" WHERE community_id = ? AND kind = ? ORDER BY id DESC LIMIT 1", community, kind)).Scan(&id)
	if err == sql.ErrNoRows {
		var zero T
		return zero, errs.E(errs.NotFound, "no %s in community %s", kind, community)
	}
	if err != nil {
		var zero T
		return zero, t.db.mapErr(err)
	}
	return getDoc[T](ctx, t, table, kind, community, id)
}
