package access

import (
	"time"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/record"
)

// Kind is what a credential is for.
type Kind string

// The kinds of credential.
const (
	// Token is a bearer token (Authorization: Bearer …), for programs and
	// for workers' tools; on the pages it opens a session.
	Token Kind = "token"
	// Card is a resident's sign-in card: a short code typed with the
	// household's unit, and a one-time link (printed as a QR code), each
	// exchanged for a session.
	Card Kind = "card"
	// Setup is the one-time set-up code of a new installation, exchanged
	// for the first administrator's token.
	Setup Kind = "setup"
)

// Credential is one credential issued to a principal. Its secrets are
// kept only as hashes (the fields marked "never shown"), which a store
// keeps and an API never returns.
type Credential struct {
	ID          string          `json:"id"`
	CommunityID string          `json:"community_id"` // "" for an administrator's
	Kind        Kind            `json:"kind"`
	Principal   grids.Principal `json:"principal"`
	Label       string          `json:"label,omitempty"`
	// Unit is what a card's holder types with the code: the building's
	// name and the household's unit ("12栋 2-301").
	Unit      string     `json:"unit,omitempty"`
	IssuedBy  string     `json:"issued_by"`
	IssuedAt  time.Time  `json:"issued_at"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	RevokedBy string     `json:"revoked_by,omitempty"`
	// LinkUsedAt is when a card's one-time link was used.
	LinkUsedAt *time.Time `json:"link_used_at,omitempty"`

	SecretHash string `json:"secret_hash"`         // never shown: the token's or set-up code's
	CodeHash   string `json:"code_hash,omitempty"` // never shown: a card's unit and short code
	LinkHash   string `json:"link_hash,omitempty"` // never shown: a card's link
}

// Credential statuses (Keys.Status).
const (
	Active  = "active"
	Revoked = "revoked"
)

// Keys indexes a credential by its principal's resident, a card's code
// (RefID) and whether it is revoked.
func (c Credential) Keys() record.Keys {
	status := Active
	if c.RevokedAt != nil {
		status = Revoked
	}
	return record.Keys{ID: c.ID, CommunityID: c.CommunityID, ResidentID: c.Principal.ResidentID, RefID: c.CodeHash, Status: status, At: c.IssuedAt}
}

// Valid reports whether c is accepted at now: not revoked, not expired.
func (c Credential) Valid(now time.Time) bool {
	return c.RevokedAt == nil && (c.ExpiresAt == nil || now.Before(*c.ExpiresAt))
}

// Session is a signed-in browser: a cookie holds its ID and a secret.
type Session struct {
	ID           string          `json:"id"`
	CommunityID  string          `json:"community_id"`
	CredentialID string          `json:"credential_id"`
	Principal    grids.Principal `json:"principal"`
	// CSRF is the session's form token: every form a session posts
	// carries it.
	CSRF       string     `json:"csrf"`
	StartedAt  time.Time  `json:"started_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	EndedAt    *time.Time `json:"ended_at,omitempty"`
	SecretHash string     `json:"secret_hash"` // never shown
}

// Session statuses (Keys.Status).
const (
	Open  = "open"
	Ended = "ended"
)

// Keys indexes a session by its credential (RefID), so a revocation ends
// its sessions.
func (s Session) Keys() record.Keys {
	status := Open
	if s.EndedAt != nil {
		status = Ended
	}
	return record.Keys{ID: s.ID, CommunityID: s.CommunityID, ResidentID: s.Principal.ResidentID, RefID: s.CredentialID, Status: status, At: s.StartedAt}
}

// Action is what an event records.
type Action string

// The actions recorded.
const (
	ActionIssued    Action = "issued"
	ActionRevoked   Action = "revoked"
	ActionSignedIn  Action = "signed_in"
	ActionSignedOut Action = "signed_out"
	ActionSetUp     Action = "set_up"
)

// Event records one issue, revocation, sign-in or sign-out: who did it,
// when, to which credential.
type Event struct {
	ID           string    `json:"id"`
	CommunityID  string    `json:"community_id"`
	At           time.Time `json:"at"`
	Action       Action    `json:"action"`
	ActorID      string    `json:"actor_id"`
	CredentialID string    `json:"credential_id"`
	PrincipalID  string    `json:"principal_id"`
	Detail       string    `json:"detail,omitempty"`
}

// Keys indexes an event by its credential and action.
func (e Event) Keys() record.Keys {
	return record.Keys{ID: e.ID, CommunityID: e.CommunityID, RefID: e.CredentialID, Status: string(e.Action), At: e.At}
}

// Store keeps credentials, sessions and events: transactions over Tx,
// with record.Store's conventions.
type Store = record.Store[Tx]

// Tx is one transaction over the three tables.
type Tx interface {
	Credentials() record.Table[Credential]
	Sessions() record.Table[Session]
	Events() record.Table[Event]
}

// The rules of access. Each refusal names its rule.
var (
	// ErrIssuersOnly: only administrators, and a community's workers,
	// issue, list and revoke its credentials.
	ErrIssuersOnly = grids.NewRule(grids.Forbidden, "access.issuers_only", "administrators, and a community's workers, issue, list and revoke its credentials")
	// ErrAdminByAdmin: an administrator's credential is issued by an
	// administrator.
	ErrAdminByAdmin = grids.NewRule(grids.Forbidden, "access.admin_by_admin", "only an administrator issues an administrator's credential")
	// ErrCardForResident: a sign-in card names a resident of the community.
	ErrCardForResident = grids.NewRule(grids.Invalid, "access.card_for_resident", "a sign-in card is a resident's: it names one of the community's residents")
	// ErrUnknown: the credential or session is unknown, revoked, ended or
	// expired. It says no more, so a guess learns nothing.
	ErrUnknown = grids.NewRule(grids.Unauthorized, "access.unknown", "a credential is accepted while it is issued, not revoked and not expired")
	// ErrLinkUsed: a card's link signs in once.
	ErrLinkUsed = grids.NewRule(grids.Unauthorized, "access.link_used", "a sign-in card's link signs in once; the short code stays valid")
	// ErrAlreadySetUp: an installation is set up once.
	ErrAlreadySetUp = grids.NewRule(grids.FailedPrecondition, "access.already_set_up", "an installation is set up once, by its first administrator")
	// ErrRevoked: revoking a credential revoked before.
	ErrRevoked = grids.NewRule(grids.FailedPrecondition, "access.revoked", "a credential is revoked once")
)

// Refusals are the rules of access that refuse, for documents that list
// them.
func Refusals() []*grids.Rule {
	return []*grids.Rule{ErrIssuersOnly, ErrAdminByAdmin, ErrCardForResident, ErrUnknown, ErrLinkUsed, ErrAlreadySetUp, ErrRevoked}
}
