package httpapi

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
)

// TokenStore keeps bearer tokens by their hash; the tokens themselves are
// never stored. adapters/memstore and adapters/sqlstore provide one.
type TokenStore interface {
	// SaveToken stores a token's hash for p, valid until expires (zero: no
	// expiry). It returns Conflict if the hash is taken.
	SaveToken(ctx context.Context, hash string, p grids.Principal, expires time.Time) error
	// TokenPrincipal returns the principal of the token with this hash, or
	// NotFound if there is none or it has expired at now.
	TokenPrincipal(ctx context.Context, hash string, now time.Time) (grids.Principal, error)
	// RevokeTokens deletes every token of a principal.
	RevokeTokens(ctx context.Context, principalID string) error
}

// tokenPrefix marks linli tokens, so a leaked one is recognisable.
const tokenPrefix = "linli_"

// IssueToken makes a new random token for p, stores its hash and returns
// the token: the only time it is seen. ttl 0 means no expiry.
func IssueToken(ctx context.Context, store TokenStore, p grids.Principal, now time.Time, ttl time.Duration) (string, error) {
	if err := p.Validate(); err != nil {
		return "", err
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return "", errs.Internalf("token: %w", err)
	}
	token := tokenPrefix + base64.RawURLEncoding.EncodeToString(secret)
	var expires time.Time
	if ttl > 0 {
		expires = now.Add(ttl)
	}
	if err := store.SaveToken(ctx, HashToken(token), p, expires); err != nil {
		return "", err
	}
	return token, nil
}

// HashToken is how tokens are stored: SHA-256, hex. Tokens carry 256 random
// bits, so a fast hash suffices (no password stretching needed).
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// authenticate returns the principal of the request's bearer token.
// principalOf is who makes the request: by the Authenticate hook if the
// server has one, else by linli's bearer token.
func (s *server) principalOf(r *http.Request) (grids.Principal, error) {
	if s.auth == nil {
		return s.authenticate(r.Context(), r.Header.Get("Authorization"))
	}
	p, err := s.auth(r)
	if err != nil {
		var e *errs.Error
		if !errors.As(err, &e) {
			s.log.InfoContext(r.Context(), "authentication refused", slog.Any("err", err))
			return grids.Principal{}, errs.E(errs.Unauthorized, "the request's credentials were not accepted")
		}
		return grids.Principal{}, err
	}
	if err := p.Validate(); err != nil {
		s.log.ErrorContext(r.Context(), "authentication hook returned an invalid principal", slog.Any("err", err))
		return grids.Principal{}, errs.E(errs.Unauthorized, "the request's credentials name no valid principal")
	}
	return p, nil
}

func (s *server) authenticate(ctx context.Context, header string) (grids.Principal, error) {
	scheme, token, ok := strings.Cut(header, " ")
	if header == "" {
		return grids.Principal{}, errs.E(errs.Unauthorized, "send a bearer token: Authorization: Bearer <token>")
	}
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" || len(token) > 200 {
		return grids.Principal{}, errs.E(errs.Unauthorized, "the Authorization header must be \"Bearer <token>\"")
	}
	p, err := s.tokens.TokenPrincipal(ctx, HashToken(token), s.now())
	if errs.CodeOf(err) == errs.NotFound {
		return grids.Principal{}, errs.E(errs.Unauthorized, "the token is unknown, revoked or expired")
	}
	return p, err
}
