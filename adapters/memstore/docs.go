package memstore

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"

	"github.com/linli-go/linli/grids/record"
	"github.com/linli-go/linli/internal/errs"
)

// docs hold the records of a domain that stores documents (points,
// funds) as JSON, by kind, with what finds match on: records come back as
// copies, never sharing slices with the store.
type docs map[string]table[doc]

type doc struct {
	keys record.Keys
	data []byte
}

// docTable is one kind of record in a transaction: the record.Table of
// points' and funds' Tx.
type docTable[T record.Keyed] struct {
	t    *txn
	docs docs
	kind string
}

func (x docTable[T]) Get(_ context.Context, community, id string) (T, error) {
	return getDoc[T](x.docs, x.kind, community, id)
}

func (x docTable[T]) Find(_ context.Context, f record.Filter) ([]T, int, error) {
	return findDocs[T](x.docs, x.kind, f)
}

func (x docTable[T]) Create(_ context.Context, v T) error {
	return putDoc(x.t, x.docs, x.kind, v.Keys(), v, true)
}

func (x docTable[T]) Update(_ context.Context, v T) error {
	return putDoc(x.t, x.docs, x.kind, v.Keys(), v, false)
}

func (x docTable[T]) Last(_ context.Context, community string) (T, error) {
	return lastDoc[T](x.docs, x.kind, community)
}

// table is the table of kind, nil (which reads as empty) if nothing of
// the kind was ever written: a read never writes the map, so concurrent
// views under the read lock do not race.
func (d docs) table(kind string) table[doc] { return d[kind] }

// writable is the table of kind, made if missing; only a write
// transaction, which holds the lock alone, calls it.
func (d docs) writable(kind string) table[doc] {
	tb := d[kind]
	if tb == nil {
		tb = table[doc]{}
		d[kind] = tb
	}
	return tb
}

func getDoc[T any](d docs, kind, community, id string) (T, error) {
	var v T
	x, ok := d.table(kind).get(community, id)
	if !ok {
		return v, errs.E(errs.NotFound, "%s %s not found", kind, id)
	}
	return v, json.Unmarshal(x.data, &v)
}

func putDoc(t *txn, d docs, kind string, k record.Keys, v any, create bool) error {
	if !t.write {
		return errReadOnly
	}
	_, had := d.table(kind).get(k.CommunityID, k.ID)
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
	return d.writable(kind).put(t, k.CommunityID, k.ID, doc{keys: k, data: data})
}

func findDocs[T any](d docs, kind string, f record.Filter) ([]T, int, error) {
	var all []doc
	for _, x := range d.table(kind)[f.CommunityID] {
		k := x.keys
		if f.ResidentID != "" && k.ResidentID != f.ResidentID || f.RefID != "" && k.RefID != f.RefID || f.Status != "" && k.Status != f.Status ||
			f.From != nil && k.At.Before(*f.From) || f.To != nil && !k.At.Before(*f.To) {
			continue
		}
		all = append(all, x)
	}
	order := func(a, b doc) int {
		if c := a.keys.At.Compare(b.keys.At); c != 0 {
			return c
		}
		return cmp.Compare(a.keys.ID, b.keys.ID)
	}
	slices.SortFunc(all, order)
	page, total, err := cut(all, f.Page, func(id string) (doc, bool) { return d.table(kind).get(f.CommunityID, id) }, order)
	if err != nil {
		return nil, 0, err
	}
	out := make([]T, 0, len(page))
	for _, x := range page {
		var v T
		if err := json.Unmarshal(x.data, &v); err != nil {
			return nil, 0, err
		}
		out = append(out, v)
	}
	return out, total, nil
}

// lastDoc returns the record of kind with the greatest ID in a community.
func lastDoc[T any](d docs, kind, community string) (T, error) {
	var last string
	for id := range d.table(kind)[community] {
		last = max(last, id)
	}
	if last == "" {
		var zero T
		return zero, errs.E(errs.NotFound, "no %s in community %s", kind, community)
	}
	return getDoc[T](d, kind, community, last)
}
