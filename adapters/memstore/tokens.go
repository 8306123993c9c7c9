package memstore

import (
	"context"
	"time"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
)

type tokenData struct {
	byHash map[string]tokenRec
}

type tokenRec struct {
	principal grids.Principal
	expires   time.Time // zero: never
}

func (d *tokenData) init() { d.byHash = map[string]tokenRec{} }

// Tokens keeps bearer tokens, by hash, for the HTTP adapter.
type Tokens struct{ s *Store }

// Tokens returns the token store.
func (s *Store) Tokens() Tokens { return Tokens{s} }

// SaveToken stores the hash of a token that authenticates p until expires
// (zero: no expiry).
func (t Tokens) SaveToken(ctx context.Context, hash string, p grids.Principal, expires time.Time) error {
	return t.s.update(ctx, func(tx *txn) error {
		if _, ok := t.s.tokens.byHash[hash]; ok {
			return errs.E(errs.Conflict, "token already exists")
		}
		t.s.tokens.byHash[hash] = tokenRec{principal: p, expires: expires}
		tx.undo = append(tx.undo, func() { delete(t.s.tokens.byHash, hash) })
		return nil
	})
}

// TokenPrincipal returns the principal of the token with this hash, if it
// has not expired at now.
func (t Tokens) TokenPrincipal(ctx context.Context, hash string, now time.Time) (grids.Principal, error) {
	var p grids.Principal
	err := t.s.view(ctx, func(*txn) error {
		rec, ok := t.s.tokens.byHash[hash]
		if !ok || !rec.expires.IsZero() && !now.Before(rec.expires) {
			return errs.E(errs.NotFound, "no such token")
		}
		p = rec.principal
		p.Roles = clone(p.Roles)
		return nil
	})
	return p, err
}

// RevokeTokens deletes every token of a principal.
func (t Tokens) RevokeTokens(ctx context.Context, principalID string) error {
	return t.s.update(ctx, func(tx *txn) error {
		for h, rec := range t.s.tokens.byHash {
			if rec.principal.ID == principalID {
				delete(t.s.tokens.byHash, h)
				tx.undo = append(tx.undo, func() { t.s.tokens.byHash[h] = rec })
			}
		}
		return nil
	})
}
