package access

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/width"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/record"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/ids"
	"github.com/linli-go/linli/internal/validate"
)

// Registry is what the service reads of the registry: a card's resident,
// their household and its building. grids.Lookup satisfies it.
type Registry interface {
	Resident(ctx context.Context, community, id string) (grids.Resident, error)
	Household(ctx context.Context, community, id string) (grids.Household, error)
	Building(ctx context.Context, community, id string) (grids.Building, error)
}

// Options configure a Service; zero values take the defaults.
type Options struct {
	Logger *slog.Logger
	Now    func() time.Time
	// TokenTTL is how long a token lives unless its issuer says
	// (default 90 days); CardTTL a sign-in card (default 3 years: it is
	// printed, and an elderly resident keeps it by the door); SessionTTL
	// a session (default 12 hours); SetupTTL a set-up code (default 24
	// hours).
	TokenTTL, CardTTL, SessionTTL, SetupTTL time.Duration
}

// Service issues, checks and revokes credentials and sessions.
type Service struct {
	store Store
	reg   Registry
	log   *slog.Logger
	now   func() time.Time
	ttl   map[Kind]time.Duration
	sess  time.Duration
}

// NewService returns a Service over store, reading cards' residents from reg.
func NewService(store Store, reg Registry, opts Options) *Service {
	s := &Service{store: store, reg: reg, log: opts.Logger, now: opts.Now, sess: opts.SessionTTL}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.now == nil {
		s.now = time.Now
	}
	or := func(d, def time.Duration) time.Duration {
		if d > 0 {
			return d
		}
		return def
	}
	s.ttl = map[Kind]time.Duration{
		Token: or(opts.TokenTTL, 90*24*time.Hour),
		Card:  or(opts.CardTTL, 3*365*24*time.Hour),
		Setup: or(opts.SetupTTL, 24*time.Hour),
	}
	s.sess = or(s.sess, 12*time.Hour)
	return s
}

// SessionTTL is how long a session opened now lives at most.
func (s *Service) SessionTTL() time.Duration { return s.sess }

// Issue asks for a credential.
type Issue struct {
	CommunityID string `json:"community_id" validate:"omitempty,ulid"` // "" only for an administrator's
	Kind        Kind   `json:"kind" validate:"oneof=token card"`
	// Name is the holder's name; a card's is its resident's.
	Name  string       `json:"name" validate:"omitempty,text,max=64"`
	Roles []grids.Role `json:"roles" validate:"max=7,unique,dive,oneof=admin worker council_member committee_chair group_leader resident merchant"`
	// ResidentID links the holder to their resident record; a card names one.
	ResidentID string `json:"resident_id" validate:"omitempty,ulid"`
	// PrincipalID is who the holder is across credentials (default: the
	// resident, or the credential).
	PrincipalID string     `json:"principal_id" validate:"omitempty,text,max=64"`
	Label       string     `json:"label" validate:"omitempty,text,max=100"`
	ExpiresAt   *time.Time `json:"expires_at"` // nil: the kind's lifetime from now
}

// Issued is a new credential and its secrets, shown this once.
type Issued struct {
	Credential Credential
	// Token is a token's bearer token, or the set-up code.
	Token string
	// Code is a card's short code (8 digits), typed with Credential.Unit.
	Code string
	// Link is a card's one-time link secret: the last part of its URL.
	Link string
}

const tokenPrefix = "linli_"

// Issue issues a credential: by an administrator, or a worker of its
// community for its people (never an administrator's).
func (s *Service) Issue(ctx context.Context, in Issue) (Issued, error) {
	if err := validate.Struct(in); err != nil {
		return Issued{}, err
	}
	actor, err := s.issuer(ctx, in.CommunityID)
	if err != nil {
		return Issued{}, err
	}
	if in.CommunityID == "" && (len(in.Roles) != 1 || in.Roles[0] != grids.RoleAdmin) {
		return Issued{}, errs.Field("community_id", "is required for every credential but an administrator's")
	}
	for _, r := range in.Roles {
		if r == grids.RoleAdmin && !actor.Has(grids.RoleAdmin) {
			return Issued{}, ErrAdminByAdmin.Refuse("%s issues no administrator's credential", actor.ID)
		}
	}
	now := s.now().UTC()
	c := Credential{ID: ids.New(), CommunityID: in.CommunityID, Kind: in.Kind, Label: in.Label, IssuedBy: actor.ID, IssuedAt: now}
	p := grids.Principal{ID: in.PrincipalID, CommunityID: in.CommunityID, Name: in.Name, Roles: in.Roles, ResidentID: in.ResidentID}
	if in.ResidentID != "" {
		res, err := s.reg.Resident(ctx, in.CommunityID, in.ResidentID)
		if errors.Is(err, grids.NotFound) {
			return Issued{}, ErrCardForResident.Refuse("resident %s is not of community %s", in.ResidentID, in.CommunityID)
		}
		if err != nil {
			return Issued{}, err
		}
		if p.Name == "" {
			p.Name = res.Name
		}
		if in.Kind == Card {
			if c.Unit, err = s.unitOf(ctx, res); err != nil {
				return Issued{}, err
			}
		}
	}
	if in.Kind == Card {
		if in.ResidentID == "" {
			return Issued{}, ErrCardForResident.Refuse("name the card's resident in resident_id")
		}
		if len(p.Roles) == 0 {
			p.Roles = []grids.Role{grids.RoleResident}
		}
	}
	if p.ID == "" {
		p.ID = "cred:" + c.ID
		if in.ResidentID != "" {
			p.ID = "resident:" + in.ResidentID
		}
	}
	if err := p.Validate(); err != nil {
		return Issued{}, err
	}
	c.Principal = p
	exp := now.Add(s.ttl[in.Kind])
	if in.ExpiresAt != nil {
		if !in.ExpiresAt.After(now) {
			return Issued{}, errs.Field("expires_at", "must be in the future")
		}
		exp = in.ExpiresAt.UTC()
	}
	c.ExpiresAt = &exp

	out := Issued{}
	secret := randomSecret()
	c.SecretHash = hash(secret)
	if in.Kind == Token {
		out.Token = tokenPrefix + c.CommunityID + "_" + c.ID + "_" + secret
	} else {
		c.SecretHash = "" // a card has no token: its code and link sign in
		out.Code = randomCode()
		c.CodeHash = codeHash(c.CommunityID, c.Unit, out.Code)
		c.LinkHash = hash(secret)
		out.Link = c.ID + "_" + secret
	}
	err = s.store.Update(ctx, func(tx Tx) error {
		if err := tx.Credentials().Create(ctx, c); err != nil {
			return err
		}
		return s.record(ctx, tx, c, ActionIssued, actor.ID, "")
	})
	if err != nil {
		return Issued{}, err
	}
	out.Credential = c
	return out, nil
}

// issuer is the acting principal if it may issue and revoke the
// community's credentials ("": administrators').
func (s *Service) issuer(ctx context.Context, community string) (grids.Principal, error) {
	p, ok := grids.PrincipalFrom(ctx)
	if !ok {
		return p, grids.ErrNoPrincipal
	}
	if p.Has(grids.RoleAdmin) || community != "" && p.Administers(community) {
		return p, nil
	}
	return p, ErrIssuersOnly.Refuse("%s does not administer community %q", p.ID, community)
}

// unitOf is what a resident types with their card's code: the building's
// name and the household's unit.
func (s *Service) unitOf(ctx context.Context, r grids.Resident) (string, error) {
	h, err := s.reg.Household(ctx, r.CommunityID, r.HouseholdID)
	if err != nil {
		return "", err
	}
	b, err := s.reg.Building(ctx, r.CommunityID, h.BuildingID)
	if err != nil {
		return "", err
	}
	return b.Name + " " + h.Unit, nil
}

func (s *Service) record(ctx context.Context, tx Tx, c Credential, a Action, actor, detail string) error {
	return tx.Events().Create(ctx, Event{ID: ids.New(), CommunityID: c.CommunityID, At: s.now().UTC(), Action: a, ActorID: actor, CredentialID: c.ID, PrincipalID: c.Principal.ID, Detail: detail})
}

// Filter selects credentials.
type Filter struct {
	CommunityID string     // "": administrators'
	ResidentID  string     // a resident's
	Status      string     // Active or Revoked; "" either
	Page        grids.Page // oldest first
}

// Credentials lists a community's credentials (never their secrets, which
// are not kept) to whoever may issue them.
func (s *Service) Credentials(ctx context.Context, f Filter) ([]Credential, int, error) {
	if _, err := s.issuer(ctx, f.CommunityID); err != nil {
		return nil, 0, err
	}
	if f.Status != "" && f.Status != Active && f.Status != Revoked {
		return nil, 0, errs.Field("status", "must be %s or %s", Active, Revoked)
	}
	page, err := f.Page.Checked()
	if err != nil {
		return nil, 0, err
	}
	var out []Credential
	var total int
	err = s.store.View(ctx, func(tx Tx) error {
		var err error
		out, total, err = tx.Credentials().Find(ctx, record.Filter{CommunityID: f.CommunityID, ResidentID: f.ResidentID, Status: f.Status, Page: page})
		return err
	})
	return out, total, err
}

// Credential returns one credential to whoever may issue it.
func (s *Service) Credential(ctx context.Context, community, id string) (Credential, error) {
	if _, err := s.issuer(ctx, community); err != nil {
		return Credential{}, err
	}
	var c Credential
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		c, err = tx.Credentials().Get(ctx, community, id)
		return err
	})
	return c, err
}

// Events lists what was done with a community's credentials, oldest
// first.
func (s *Service) Events(ctx context.Context, community string, page grids.Page) ([]Event, int, error) {
	if _, err := s.issuer(ctx, community); err != nil {
		return nil, 0, err
	}
	page, err := page.Checked()
	if err != nil {
		return nil, 0, err
	}
	var out []Event
	var total int
	err = s.store.View(ctx, func(tx Tx) error {
		var err error
		out, total, err = tx.Events().Find(ctx, record.Filter{CommunityID: community, Page: page})
		return err
	})
	return out, total, err
}

// Revoke revokes a credential and ends the sessions it opened: the next
// request made with either is refused.
func (s *Service) Revoke(ctx context.Context, community, id string) (Credential, error) {
	actor, err := s.issuer(ctx, community)
	if err != nil {
		return Credential{}, err
	}
	var c Credential
	err = s.store.Update(ctx, func(tx Tx) error {
		var err error
		if c, err = tx.Credentials().Get(ctx, community, id); err != nil {
			return err
		}
		if c.RevokedAt != nil {
			return ErrRevoked.Refuse("credential %s was revoked at %s", id, c.RevokedAt.Format(time.RFC3339))
		}
		if c.Principal.Has(grids.RoleAdmin) && !actor.Has(grids.RoleAdmin) {
			return ErrAdminByAdmin.Refuse("%s revokes no administrator's credential", actor.ID)
		}
		now := s.now().UTC()
		c.RevokedAt, c.RevokedBy = &now, actor.ID
		if err := tx.Credentials().Update(ctx, c); err != nil {
			return err
		}
		if err := s.endSessions(ctx, tx, c, now); err != nil {
			return err
		}
		return s.record(ctx, tx, c, ActionRevoked, actor.ID, "")
	})
	return c, err
}

func (s *Service) endSessions(ctx context.Context, tx Tx, c Credential, now time.Time) error {
	for {
		open, _, err := tx.Sessions().Find(ctx, record.Filter{CommunityID: c.CommunityID, RefID: c.ID, Status: Open, Page: grids.Page{Limit: grids.MaxLimit, NoTotal: true}})
		if err != nil || len(open) == 0 {
			return err
		}
		for _, se := range open {
			se.EndedAt = &now
			if err := tx.Sessions().Update(ctx, se); err != nil {
				return err
			}
		}
	}
}

// Authenticate returns the credential of a bearer token if it is
// accepted now, or ErrUnknown.
func (s *Service) Authenticate(ctx context.Context, token string) (Credential, error) {
	community, id, secret, ok := splitSecret(strings.TrimPrefix(token, tokenPrefix))
	if !ok || !strings.HasPrefix(token, tokenPrefix) {
		return Credential{}, ErrUnknown.Refuse("the token is unknown, revoked or expired")
	}
	var c Credential
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		c, err = tx.Credentials().Get(ctx, community, id)
		return err
	})
	if errors.Is(err, grids.NotFound) || err == nil && (c.Kind != Token || !c.Valid(s.now()) || !same(c.SecretHash, hash(secret))) {
		return Credential{}, ErrUnknown.Refuse("the token is unknown, revoked or expired")
	}
	return c, err
}

// SignIn opens a session with a bearer token. It returns the session and
// the cookie's value, which holds the session's ID and secret, never the
// token.
func (s *Service) SignIn(ctx context.Context, token string) (Session, string, error) {
	c, err := s.Authenticate(ctx, token)
	if err != nil {
		return Session{}, "", err
	}
	var out Session
	var cookie string
	err = s.store.Update(ctx, func(tx Tx) error {
		var err error
		out, cookie, err = s.open(ctx, tx, c, "token")
		return err
	})
	return out, cookie, err
}

// SignInCode opens a session with a card's short code and the unit
// printed beside it.
func (s *Service) SignInCode(ctx context.Context, community, unit, code string) (Session, string, error) {
	code = NormalUnit(code)
	if len(code) != 8 || strings.Trim(code, "0123456789") != "" {
		return Session{}, "", ErrUnknown.Refuse("the code is 8 digits")
	}
	var out Session
	var cookie string
	err := s.store.Update(ctx, func(tx Tx) error {
		cs, _, err := tx.Credentials().Find(ctx, record.Filter{CommunityID: community, RefID: codeHash(community, unit, code), Status: Active, Page: grids.Page{Limit: 10, NoTotal: true}})
		if err != nil {
			return err
		}
		for _, c := range cs {
			if c.Kind == Card && c.Valid(s.now()) {
				out, cookie, err = s.open(ctx, tx, c, "code")
				return err
			}
		}
		return ErrUnknown.Refuse("no card of this unit has this code")
	})
	return out, cookie, err
}

// SignInLink opens a session with a card's one-time link, which then
// signs in no more.
func (s *Service) SignInLink(ctx context.Context, community, link string) (Session, string, error) {
	id, secret, ok := strings.Cut(link, "_")
	if !ok || !ids.Valid(id) {
		return Session{}, "", ErrUnknown.Refuse("the link is unknown, used, revoked or expired")
	}
	var out Session
	var cookie string
	err := s.store.Update(ctx, func(tx Tx) error {
		c, err := tx.Credentials().Get(ctx, community, id)
		if errors.Is(err, grids.NotFound) || err == nil && (c.Kind != Card || !c.Valid(s.now()) || !same(c.LinkHash, hash(secret))) {
			return ErrUnknown.Refuse("the link is unknown, used, revoked or expired")
		}
		if err != nil {
			return err
		}
		if c.LinkUsedAt != nil {
			return ErrLinkUsed.Refuse("this card's link was used at %s; sign in with its code", c.LinkUsedAt.Format(time.RFC3339))
		}
		now := s.now().UTC()
		c.LinkUsedAt = &now
		if err := tx.Credentials().Update(ctx, c); err != nil {
			return err
		}
		out, cookie, err = s.open(ctx, tx, c, "link")
		return err
	})
	return out, cookie, err
}

// open starts a session of c; it ends when c expires, if sooner.
func (s *Service) open(ctx context.Context, tx Tx, c Credential, how string) (Session, string, error) {
	now := s.now().UTC()
	secret := randomSecret()
	se := Session{ID: ids.New(), CommunityID: c.CommunityID, CredentialID: c.ID, Principal: c.Principal, CSRF: randomSecret(),
		StartedAt: now, ExpiresAt: now.Add(s.sess), SecretHash: hash(secret)}
	if c.ExpiresAt != nil && c.ExpiresAt.Before(se.ExpiresAt) {
		se.ExpiresAt = *c.ExpiresAt
	}
	if err := tx.Sessions().Create(ctx, se); err != nil {
		return Session{}, "", err
	}
	if err := s.record(ctx, tx, c, ActionSignedIn, c.Principal.ID, how); err != nil {
		return Session{}, "", err
	}
	return se, c.CommunityID + "_" + se.ID + "_" + secret, nil
}

// Session returns the open session a cookie's value names, or ErrUnknown.
func (s *Service) Session(ctx context.Context, cookie string) (Session, error) {
	community, id, secret, ok := splitSecret(cookie)
	if !ok {
		return Session{}, ErrUnknown.Refuse("the session is unknown, ended or expired")
	}
	var se Session
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		se, err = tx.Sessions().Get(ctx, community, id)
		return err
	})
	if errors.Is(err, grids.NotFound) || err == nil && (se.EndedAt != nil || !s.now().Before(se.ExpiresAt) || !same(se.SecretHash, hash(secret))) {
		return Session{}, ErrUnknown.Refuse("the session is unknown, ended or expired")
	}
	return se, err
}

// SignOut ends the session a cookie's value names.
func (s *Service) SignOut(ctx context.Context, cookie string) error {
	se, err := s.Session(ctx, cookie)
	if err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx Tx) error {
		se, err := tx.Sessions().Get(ctx, se.CommunityID, se.ID)
		if err != nil || se.EndedAt != nil {
			return err
		}
		now := s.now().UTC()
		se.EndedAt = &now
		if err := tx.Sessions().Update(ctx, se); err != nil {
			return err
		}
		return tx.Events().Create(ctx, Event{ID: ids.New(), CommunityID: se.CommunityID, At: now, Action: ActionSignedOut, ActorID: se.Principal.ID, CredentialID: se.CredentialID, PrincipalID: se.Principal.ID})
	})
}

// SetupCode returns a fresh one-time set-up code if the installation has
// no administrator's credential that is valid, revoking any set-up code
// printed before; ok is false if it has one (nothing to set up).
func (s *Service) SetupCode(ctx context.Context) (code string, ok bool, err error) {
	err = s.store.Update(ctx, func(tx Tx) error {
		code, ok = "", false
		now := s.now().UTC()
		var stale []Credential
		for page := (grids.Page{Limit: grids.MaxLimit, NoTotal: true}); ; {
			cs, _, err := tx.Credentials().Find(ctx, record.Filter{CommunityID: "", Status: Active, Page: page})
			if err != nil {
				return err
			}
			for _, c := range cs {
				switch {
				case c.Kind == Setup:
					stale = append(stale, c)
				case c.Valid(now) && c.Principal.Has(grids.RoleAdmin):
					return nil
				}
			}
			if len(cs) < page.Limit {
				break
			}
			page.After = cs[len(cs)-1].ID
		}
		for _, c := range stale {
			c.RevokedAt, c.RevokedBy = &now, "superseded"
			if err := tx.Credentials().Update(ctx, c); err != nil {
				return err
			}
		}
		secret := randomSecret()
		exp := now.Add(s.ttl[Setup])
		c := Credential{ID: ids.New(), Kind: Setup, Principal: grids.Admin("setup"), Label: "set-up code", IssuedBy: "setup", IssuedAt: now, ExpiresAt: &exp, SecretHash: hash(secret)}
		if err := tx.Credentials().Create(ctx, c); err != nil {
			return err
		}
		code, ok = tokenPrefix+"_"+c.ID+"_"+secret, true
		return s.record(ctx, tx, c, ActionIssued, "setup", "set-up code")
	})
	return code, ok, err
}

// CompleteSetup exchanges a set-up code for the first administrator's
// token; the code is then spent.
func (s *Service) CompleteSetup(ctx context.Context, code, name string) (Issued, error) {
	if name == "" || !validate.Text(name) || len([]rune(name)) > 64 {
		return Issued{}, errs.Field("name", "is the administrator's name (1 to 64 characters)")
	}
	_, id, secret, ok := splitSecret(strings.TrimPrefix(code, tokenPrefix))
	if !ok || !strings.HasPrefix(code, tokenPrefix) {
		return Issued{}, ErrUnknown.Refuse("the set-up code is unknown, used or expired")
	}
	now := s.now().UTC()
	var out Issued
	err := s.store.Update(ctx, func(tx Tx) error {
		sc, err := tx.Credentials().Get(ctx, "", id)
		if errors.Is(err, grids.NotFound) || err == nil && (sc.Kind != Setup || !same(sc.SecretHash, hash(secret))) {
			return ErrUnknown.Refuse("the set-up code is unknown, used or expired")
		}
		if err != nil {
			return err
		}
		if !sc.Valid(now) {
			if sc.RevokedBy == "set-up" {
				return ErrAlreadySetUp.Refuse("this installation was set up at %s", sc.RevokedAt.Format(time.RFC3339))
			}
			return ErrUnknown.Refuse("the set-up code is unknown, used or expired")
		}
		admin := Credential{ID: ids.New(), Kind: Token, Label: "first administrator", IssuedBy: "setup", IssuedAt: now}
		admin.Principal = grids.Principal{ID: "admin:" + admin.ID, Name: name, Roles: []grids.Role{grids.RoleAdmin}}
		exp := now.Add(s.ttl[Token])
		admin.ExpiresAt = &exp
		secret := randomSecret()
		admin.SecretHash = hash(secret)
		sc.RevokedAt, sc.RevokedBy = &now, "set-up"
		if err := tx.Credentials().Update(ctx, sc); err != nil {
			return err
		}
		if err := tx.Credentials().Create(ctx, admin); err != nil {
			return err
		}
		if err := s.record(ctx, tx, admin, ActionSetUp, admin.Principal.ID, "the first administrator"); err != nil {
			return err
		}
		out = Issued{Credential: admin, Token: tokenPrefix + "_" + admin.ID + "_" + secret}
		return nil
	})
	return out, err
}

// splitSecret splits "<community>_<id>_<secret>".
func splitSecret(s string) (community, id, secret string, ok bool) {
	community, rest, ok1 := strings.Cut(s, "_")
	id, secret, ok2 := strings.Cut(rest, "_")
	if !ok1 || !ok2 || !ids.Valid(id) || community != "" && !ids.Valid(community) || secret == "" || len(secret) > 100 {
		return "", "", "", false
	}
	return community, id, secret, true
}

func randomSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

func randomCode() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(100_000_000))
	return fmt.Sprintf("%08d", n.Int64())
}

func hash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// codeHash is how a card's code is found: with its community and unit, so
// the same 8 digits in two units are two codes.
func codeHash(community, unit, code string) string {
	return hash("card\x00" + community + "\x00" + NormalUnit(unit) + "\x00" + code)
}

// NormalUnit is a unit as compared (and as a rate limiter counts an
// account's failures): full-width characters folded, spaces
// and dashes gone, letters in lower case, so "12栋 2-301" and "12栋2－301"
// are one unit.
func NormalUnit(u string) string {
	u = width.Fold.String(u)
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' || r == '_' || r == '.' {
			return -1
		}
		return unicode.ToLower(r)
	}, u)
}

func same(stored, computed string) bool {
	return subtle.ConstantTimeCompare([]byte(stored), []byte(computed)) == 1
}

// TokenID returns the community and credential a token names, without
// checking it: what a router needs to find the store that holds it, and
// a rate limiter to count failures per credential.
func TokenID(token string) (community, id string, ok bool) {
	if !strings.HasPrefix(token, tokenPrefix) {
		return "", "", false
	}
	community, id, _, ok = splitSecret(token[len(tokenPrefix):])
	return community, id, ok
}

// TokenFor asks for a token for p as it is: its ID, name, roles and
// resident (for tools and seeding that know the principal already).
func TokenFor(p grids.Principal) Issue {
	return Issue{CommunityID: p.CommunityID, Kind: Token, Name: p.Name, Roles: p.Roles, ResidentID: p.ResidentID, PrincipalID: p.ID}
}
