package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
)

// Tokens keeps bearer tokens, by hash, for the HTTP adapter.
type Tokens struct{ db *DB }

// Tokens returns the token store.
func (db *DB) Tokens() Tokens { return Tokens{db} }

// SaveToken stores the hash of a token that authenticates p until expires
// (zero: no expiry).
func (t Tokens) SaveToken(ctx context.Context, hash string, p grids.Principal, expires time.Time) error {
	body, err := json.Marshal(p)
	if err != nil {
		return errs.Internalf("encode principal: %w", err)
	}
	var exp any
	if !expires.IsZero() {
		exp = ts(expires)
	}
	return t.db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, t.db.sqlText("INSERT INTO tokens (hash, principal_id, principal, created_at, expires_at) VALUES (?, ?, ?, ?, ?)"),
			hash, p.ID, string(body), ts(time.Now()), exp)
		return err
	})
}

// TokenPrincipal returns the principal of the token with this hash, if it
// has not expired at now.
func (t Tokens) TokenPrincipal(ctx context.Context, hash string, now time.Time) (grids.Principal, error) {
	var p grids.Principal
	err := t.db.read(ctx, func(tx *sql.Tx) error {
		var body string
		err := tx.QueryRowContext(ctx, t.db.sqlText("SELECT principal FROM tokens WHERE hash = ? AND (expires_at IS NULL OR expires_at > ?)"),
			hash, ts(now)).Scan(&body)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.E(errs.NotFound, "no such token")
		}
		if err != nil {
			return err
		}
		return json.Unmarshal([]byte(body), &p)
	})
	return p, err
}

// RevokeTokens deletes every token of a principal.
func (t Tokens) RevokeTokens(ctx context.Context, principalID string) error {
	return t.db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, t.db.sqlText("DELETE FROM tokens WHERE principal_id = ?"), principalID)
		return err
	})
}
