package sqlstore

import (
	"context"
	"database/sql"

	"github.com/linli-go/linli/grids/access"
	"github.com/linli-go/linli/grids/record"
)

// Access returns the store of credentials, sessions and their events, in
// access_records.
func (db *DB) Access() access.Store { return accessStore{db} }

type accessStore struct{ db *DB }

func (s accessStore) View(ctx context.Context, fn func(access.Tx) error) error {
	return s.db.read(ctx, func(t querier) error { return fn(&accessTx{tx{db: s.db, sql: t}}) })
}

func (s accessStore) Update(ctx context.Context, fn func(access.Tx) error) error {
	return s.db.update(ctx, func(t *sql.Tx) error { return fn(&accessTx{tx{db: s.db, sql: t, write: true}}) })
}

type accessTx struct{ tx }

func (t *accessTx) Credentials() record.Table[access.Credential] {
	return docTable[access.Credential]{&t.tx, "access_records", "credential"}
}

func (t *accessTx) Sessions() record.Table[access.Session] {
	return docTable[access.Session]{&t.tx, "access_records", "session"}
}

func (t *accessTx) Events() record.Table[access.Event] {
	return docTable[access.Event]{&t.tx, "access_records", "event"}
}

var _ access.Store = accessStore{}
