package memstore

import (
	"context"

	"github.com/linli-go/linli/grids/access"
	"github.com/linli-go/linli/grids/record"
)

type accessData struct {
	docs docs
}

func (d *accessData) init() { d.docs = docs{} }

// Access returns the store of credentials, sessions and their events.
func (s *Store) Access() access.Store { return accessStore{s} }

type accessStore struct{ s *Store }

func (a accessStore) View(ctx context.Context, fn func(access.Tx) error) error {
	return a.s.view(ctx, func(t *txn) error { return fn(&accessTx{txn: t, s: a.s}) })
}

func (a accessStore) Update(ctx context.Context, fn func(access.Tx) error) error {
	return a.s.update(ctx, func(t *txn) error { return fn(&accessTx{txn: t, s: a.s}) })
}

type accessTx struct {
	*txn
	s *Store
}

func (t *accessTx) Credentials() record.Table[access.Credential] {
	return docTable[access.Credential]{t.txn, t.s.access.docs, "credential"}
}

func (t *accessTx) Sessions() record.Table[access.Session] {
	return docTable[access.Session]{t.txn, t.s.access.docs, "session"}
}

func (t *accessTx) Events() record.Table[access.Event] {
	return docTable[access.Event]{t.txn, t.s.access.docs, "event"}
}

var _ access.Store = accessStore{}
