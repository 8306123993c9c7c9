// Package accesstest is the contract of access.Store, as fstest is for
// file systems: every store (adapters/memstore, adapters/sqlstore, one
// written outside linli) passes RunStoreTests.
package accesstest

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/access"
	"github.com/linli-go/linli/grids/record"
	"github.com/linli-go/linli/grids/record/recordtest"
	"github.com/linli-go/linli/internal/ids"
)

// RunStoreTests checks a store: its three tables under record's contract,
// and the service's rules over it (issue, sign in, revoke, the one-time
// link and set-up code, each once under concurrency).
func RunStoreTests(t *testing.T, newStore func(t testing.TB) access.Store) {
	t.Run("Records", func(t *testing.T) { testRecords(t, newStore(t)) })
	t.Run("TokensAndRevocation", func(t *testing.T) { testTokens(t, newFixture(t, newStore)) })
	t.Run("Cards", func(t *testing.T) { testCards(t, newFixture(t, newStore)) })
	t.Run("WhoIssues", func(t *testing.T) { testWhoIssues(t, newFixture(t, newStore)) })
	t.Run("Setup", func(t *testing.T) { testSetup(t, newFixture(t, newStore)) })
}

func testRecords(t *testing.T, st access.Store) {
	c, o := ids.New(), ids.New()
	env := recordtest.Env[access.Tx]{View: st.View, Update: st.Update, Community: c, Other: o}
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	t1 := t0.Add(time.Hour)
	at := func(t time.Time) *time.Time { return &t }
	cred := func(res, code string, revoked *time.Time, when time.Time) access.Credential {
		return access.Credential{ID: ids.New(), CommunityID: c, Kind: access.Card, Unit: "1栋 101", IssuedBy: "w", IssuedAt: when, ExpiresAt: at(when.Add(time.Hour)),
			Principal: grids.Principal{ID: "resident:" + res, CommunityID: c, Name: "赵兰", Roles: []grids.Role{grids.RoleResident}, ResidentID: res},
			CodeHash:  code, LinkHash: "h", RevokedAt: revoked}
	}
	recordtest.Check(t, env, recordtest.Kind[access.Tx, access.Credential]{Name: "credential", Table: access.Tx.Credentials,
		Change: func(v access.Credential) access.Credential { v.RevokedAt, v.RevokedBy = at(t1), "w2"; return v },
	}, cred(ids.New(), "code1", nil, t0), cred(ids.New(), "code2", at(t1), t1))

	sess := func(res, cred string, ended *time.Time, when time.Time) access.Session {
		return access.Session{ID: ids.New(), CommunityID: c, CredentialID: cred, CSRF: "x", StartedAt: when, ExpiresAt: when.Add(time.Hour), EndedAt: ended, SecretHash: "s",
			Principal: grids.Principal{ID: "resident:" + res, CommunityID: c, Name: "赵兰", Roles: []grids.Role{grids.RoleResident}, ResidentID: res}}
	}
	recordtest.Check(t, env, recordtest.Kind[access.Tx, access.Session]{Name: "session", Table: access.Tx.Sessions,
		Change: func(v access.Session) access.Session { v.EndedAt = at(t1); return v },
	}, sess(ids.New(), ids.New(), nil, t0), sess(ids.New(), ids.New(), at(t1), t1))

	ev := func(cred string, a access.Action, when time.Time) access.Event {
		return access.Event{ID: ids.New(), CommunityID: c, At: when, Action: a, ActorID: "w", CredentialID: cred, PrincipalID: "p"}
	}
	recordtest.Check(t, env, recordtest.Kind[access.Tx, access.Event]{Name: "event", Table: access.Tx.Events},
		ev(ids.New(), access.ActionIssued, t0), ev(ids.New(), access.ActionRevoked, t1))

	// Administrators' credentials belong to no community.
	admin := access.Credential{ID: ids.New(), Kind: access.Token, IssuedAt: t0, Principal: grids.Admin("a"), SecretHash: "h"}
	require.NoError(t, st.Update(context.Background(), func(tx access.Tx) error { return tx.Credentials().Create(context.Background(), admin) }))
	require.NoError(t, st.View(context.Background(), func(tx access.Tx) error {
		got, err := tx.Credentials().Get(context.Background(), "", admin.ID)
		require.NoError(t, err)
		assert.Equal(t, admin.Principal, got.Principal)
		return nil
	}))
}

// fixture is a service over the store under test, a community with one
// resident, and a clock the test moves.
type fixture struct {
	svc       *access.Service
	store     access.Store
	community string
	resident  string
	clock     atomic.Int64
}

type registry struct{ community, resident, household, building string }

func (r registry) Resident(_ context.Context, community, id string) (grids.Resident, error) {
	if community != r.community || id != r.resident {
		return grids.Resident{}, grids.NotFound
	}
	return grids.Resident{ID: id, CommunityID: community, HouseholdID: r.household, Name: "赵兰"}, nil
}

func (r registry) Household(_ context.Context, community, id string) (grids.Household, error) {
	return grids.Household{ID: id, CommunityID: community, BuildingID: r.building, Unit: "2-301"}, nil
}

func (r registry) Building(_ context.Context, community, id string) (grids.Building, error) {
	return grids.Building{ID: id, CommunityID: community, Name: "12栋"}, nil
}

func newFixture(t *testing.T, newStore func(testing.TB) access.Store) *fixture {
	f := &fixture{store: newStore(t), community: ids.New(), resident: ids.New()}
	f.clock.Store(time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC).UnixNano())
	reg := registry{community: f.community, resident: f.resident, household: ids.New(), building: ids.New()}
	f.svc = access.NewService(f.store, reg, access.Options{Now: f.now, TokenTTL: 48 * time.Hour, SessionTTL: time.Hour})
	return f
}

func (f *fixture) now() time.Time          { return time.Unix(0, f.clock.Load()).UTC() }
func (f *fixture) advance(d time.Duration) { f.clock.Add(int64(d)) }

func (f *fixture) as(p grids.Principal) context.Context {
	return grids.WithPrincipal(context.Background(), p)
}

func (f *fixture) worker() grids.Principal {
	return grids.Principal{ID: "w1", CommunityID: f.community, Name: "王芳", Roles: []grids.Role{grids.RoleWorker}}
}

func testTokens(t *testing.T, f *fixture) {
	ctx := f.as(f.worker())
	iss, err := f.svc.Issue(ctx, access.Issue{CommunityID: f.community, Kind: access.Token, Name: "李明", Roles: []grids.Role{grids.RoleWorker}, Label: "counter"})
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(iss.Token, "linli_"+f.community+"_"), iss.Token)
	assert.Equal(t, "w1", iss.Credential.IssuedBy)

	c, err := f.svc.Authenticate(context.Background(), iss.Token)
	require.NoError(t, err)
	assert.Equal(t, "李明", c.Principal.Name)
	assert.Equal(t, []grids.Role{grids.RoleWorker}, c.Principal.Roles)

	// No secret is kept, and listing shows the credential.
	list, total, err := f.svc.Credentials(ctx, access.Filter{CommunityID: f.community})
	require.NoError(t, err)
	require.Equal(t, 1, total)
	doc, _ := json.Marshal(list)
	// The secret is all after the prefix: it may hold '_' itself.
	secret := strings.TrimPrefix(iss.Token, "linli_"+f.community+"_")
	assert.NotContains(t, string(doc), secret, "the secret is never stored")

	// A wrong secret, a malformed token, and a token of another community.
	for _, bad := range []string{iss.Token[:len(iss.Token)-2] + "xx", "linli_nope", "", strings.Replace(iss.Token, f.community, ids.New(), 1)} {
		_, err := f.svc.Authenticate(context.Background(), bad)
		assert.ErrorIs(t, err, access.ErrUnknown, bad)
	}

	// A session opened with the token ends when the token is revoked.
	se, cookie, err := f.svc.SignIn(context.Background(), iss.Token)
	require.NoError(t, err)
	assert.NotContains(t, cookie, secret, "the cookie is not the token")
	got, err := f.svc.Session(context.Background(), cookie)
	require.NoError(t, err)
	assert.Equal(t, se.ID, got.ID)
	assert.NotEmpty(t, got.CSRF)

	revoked, err := f.svc.Revoke(ctx, f.community, iss.Credential.ID)
	require.NoError(t, err)
	assert.Equal(t, "w1", revoked.RevokedBy)
	_, err = f.svc.Authenticate(context.Background(), iss.Token)
	assert.ErrorIs(t, err, access.ErrUnknown, "revoked: refused on the next request")
	_, err = f.svc.Session(context.Background(), cookie)
	assert.ErrorIs(t, err, access.ErrUnknown, "its sessions ended with it")
	_, err = f.svc.Revoke(ctx, f.community, iss.Credential.ID)
	assert.ErrorIs(t, err, access.ErrRevoked)

	// Expiry, of tokens and of sessions.
	iss2, err := f.svc.Issue(ctx, access.Issue{CommunityID: f.community, Kind: access.Token, Name: "李明", Roles: []grids.Role{grids.RoleWorker}})
	require.NoError(t, err)
	_, cookie2, err := f.svc.SignIn(context.Background(), iss2.Token)
	require.NoError(t, err)
	f.advance(time.Hour)
	_, err = f.svc.Session(context.Background(), cookie2)
	assert.ErrorIs(t, err, access.ErrUnknown, "a session ends after SessionTTL")
	_, err = f.svc.Authenticate(context.Background(), iss2.Token)
	require.NoError(t, err)
	f.advance(47 * time.Hour)
	_, err = f.svc.Authenticate(context.Background(), iss2.Token)
	assert.ErrorIs(t, err, access.ErrUnknown, "a token ends after TokenTTL")

	// Sign-out ends a session; every event is recorded.
	iss3, err := f.svc.Issue(ctx, access.Issue{CommunityID: f.community, Kind: access.Token, Name: "李明", Roles: []grids.Role{grids.RoleWorker}})
	require.NoError(t, err)
	_, cookie3, err := f.svc.SignIn(context.Background(), iss3.Token)
	require.NoError(t, err)
	require.NoError(t, f.svc.SignOut(context.Background(), cookie3))
	_, err = f.svc.Session(context.Background(), cookie3)
	assert.ErrorIs(t, err, access.ErrUnknown)
	events, _, err := f.svc.Events(ctx, f.community, grids.Page{Limit: 100})
	require.NoError(t, err)
	var actions []access.Action
	for _, e := range events {
		actions = append(actions, e.Action)
	}
	assert.Equal(t, []access.Action{access.ActionIssued, access.ActionSignedIn, access.ActionRevoked, access.ActionIssued, access.ActionSignedIn,
		access.ActionIssued, access.ActionSignedIn, access.ActionSignedOut}, actions)
}

func testCards(t *testing.T, f *fixture) {
	ctx := f.as(f.worker())
	_, err := f.svc.Issue(ctx, access.Issue{CommunityID: f.community, Kind: access.Card})
	assert.ErrorIs(t, err, access.ErrCardForResident, "a card names its resident")
	_, err = f.svc.Issue(ctx, access.Issue{CommunityID: f.community, Kind: access.Card, ResidentID: ids.New()})
	assert.ErrorIs(t, err, access.ErrCardForResident, "one of the community's")

	card, err := f.svc.Issue(ctx, access.Issue{CommunityID: f.community, Kind: access.Card, ResidentID: f.resident})
	require.NoError(t, err)
	assert.Len(t, card.Code, 8)
	assert.Equal(t, "12栋 2-301", card.Credential.Unit)
	assert.Equal(t, "赵兰", card.Credential.Principal.Name)
	assert.Equal(t, []grids.Role{grids.RoleResident}, card.Credential.Principal.Roles)
	assert.Equal(t, f.resident, card.Credential.Principal.ResidentID)
	_, err = f.svc.Authenticate(context.Background(), "linli_"+f.community+"_"+card.Link)
	assert.ErrorIs(t, err, access.ErrUnknown, "a card is no bearer token")

	// The code, typed as a resident might.
	se, _, err := f.svc.SignInCode(context.Background(), f.community, "１２栋2－301", card.Code)
	require.NoError(t, err)
	assert.Equal(t, f.resident, se.Principal.ResidentID)
	wrong := "00000000"
	if card.Code == wrong {
		wrong = "11111111"
	}
	_, _, err = f.svc.SignInCode(context.Background(), f.community, "12栋 2-301", wrong)
	assert.ErrorIs(t, err, access.ErrUnknown)
	_, _, err = f.svc.SignInCode(context.Background(), f.community, "12栋 2-302", card.Code)
	assert.ErrorIs(t, err, access.ErrUnknown, "another unit's")
	_, _, err = f.svc.SignInCode(context.Background(), ids.New(), "12栋 2-301", card.Code)
	assert.ErrorIs(t, err, access.ErrUnknown, "another community's")

	// The link signs in once, even when two use it at once.
	var wg sync.WaitGroup
	var ok, used atomic.Int32
	for range 4 {
		wg.Go(func() {
			_, _, err := f.svc.SignInLink(context.Background(), f.community, card.Link)
			switch {
			case err == nil:
				ok.Add(1)
			case assert.ErrorIs(t, err, access.ErrLinkUsed):
				used.Add(1)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, int32(1), ok.Load())
	assert.Equal(t, int32(3), used.Load())
	_, _, err = f.svc.SignInLink(context.Background(), f.community, card.Link[:30]+"_nope")
	assert.ErrorIs(t, err, access.ErrUnknown)

	// A revoked card signs in no more.
	_, err = f.svc.Revoke(ctx, f.community, card.Credential.ID)
	require.NoError(t, err)
	_, _, err = f.svc.SignInCode(context.Background(), f.community, "12栋 2-301", card.Code)
	assert.ErrorIs(t, err, access.ErrUnknown)
	revoked, _, err := f.svc.Credentials(ctx, access.Filter{CommunityID: f.community, Status: access.Revoked})
	require.NoError(t, err)
	assert.Len(t, revoked, 1)
}

func testWhoIssues(t *testing.T, f *fixture) {
	resident := grids.Principal{ID: "r", CommunityID: f.community, Name: "r", Roles: []grids.Role{grids.RoleResident}, ResidentID: f.resident}
	elsewhere := grids.Principal{ID: "w9", CommunityID: ids.New(), Name: "w9", Roles: []grids.Role{grids.RoleWorker}}
	in := access.Issue{CommunityID: f.community, Kind: access.Token, Name: "x", Roles: []grids.Role{grids.RoleWorker}}
	for _, p := range []grids.Principal{resident, elsewhere} {
		_, err := f.svc.Issue(f.as(p), in)
		assert.ErrorIs(t, err, access.ErrIssuersOnly, p.ID)
		_, _, err = f.svc.Credentials(f.as(p), access.Filter{CommunityID: f.community})
		assert.ErrorIs(t, err, access.ErrIssuersOnly, p.ID)
	}
	_, err := f.svc.Issue(context.Background(), in)
	assert.ErrorIs(t, err, grids.ErrNoPrincipal)
	_, err = f.svc.Issue(f.as(f.worker()), access.Issue{CommunityID: f.community, Kind: access.Token, Name: "x", Roles: []grids.Role{grids.RoleAdmin}})
	assert.ErrorIs(t, err, access.ErrAdminByAdmin)
	_, err = f.svc.Issue(f.as(f.worker()), access.Issue{Kind: access.Token, Name: "x", Roles: []grids.Role{grids.RoleAdmin}})
	assert.ErrorIs(t, err, access.ErrIssuersOnly, "a worker issues nothing outside their community")
	_, err = f.svc.Issue(f.as(grids.Admin("root")), access.Issue{Kind: access.Token, Name: "x", Roles: []grids.Role{grids.RoleWorker}})
	assert.ErrorIs(t, err, grids.Invalid, "only an administrator's credential is of no community")
	_, err = f.svc.Issue(f.as(f.worker()), access.Issue{CommunityID: f.community, Kind: "password", Name: "x", Roles: []grids.Role{grids.RoleWorker}})
	assert.ErrorIs(t, err, grids.Invalid)
	past := f.now().Add(-time.Hour)
	_, err = f.svc.Issue(f.as(f.worker()), access.Issue{CommunityID: f.community, Kind: access.Token, Name: "x", Roles: []grids.Role{grids.RoleWorker}, ExpiresAt: &past})
	assert.ErrorIs(t, err, grids.Invalid)

	// An administrator issues an administrator's credential.
	iss, err := f.svc.Issue(f.as(grids.Admin("root")), access.Issue{Kind: access.Token, Name: "二号管理员", Roles: []grids.Role{grids.RoleAdmin}})
	require.NoError(t, err)
	c, err := f.svc.Authenticate(context.Background(), iss.Token)
	require.NoError(t, err)
	assert.True(t, c.Principal.Has(grids.RoleAdmin))
	_, err = f.svc.Revoke(f.as(f.worker()), "", iss.Credential.ID)
	assert.ErrorIs(t, err, access.ErrIssuersOnly)
}

func testSetup(t *testing.T, f *fixture) {
	ctx := context.Background()
	first, ok, err := f.svc.SetupCode(ctx)
	require.NoError(t, err)
	require.True(t, ok, "an installation without administrators is set up")
	code, ok, err := f.svc.SetupCode(ctx)
	require.NoError(t, err)
	require.True(t, ok)
	_, err = f.svc.CompleteSetup(ctx, first, "林主任")
	assert.ErrorIs(t, err, access.ErrUnknown, "a new start's code replaces the one before")
	_, err = f.svc.CompleteSetup(ctx, code, "")
	assert.ErrorIs(t, err, grids.Invalid)

	// Two at once: one sets up.
	var wg sync.WaitGroup
	var won atomic.Int32
	var token atomic.Value
	for range 3 {
		wg.Go(func() {
			iss, err := f.svc.CompleteSetup(ctx, code, "林主任")
			if err == nil {
				won.Add(1)
				token.Store(iss.Token)
				return
			}
			assert.ErrorIs(t, err, access.ErrAlreadySetUp)
		})
	}
	wg.Wait()
	require.Equal(t, int32(1), won.Load())
	c, err := f.svc.Authenticate(ctx, token.Load().(string))
	require.NoError(t, err)
	assert.Equal(t, "林主任", c.Principal.Name)
	assert.True(t, c.Principal.Has(grids.RoleAdmin))
	_, ok, err = f.svc.SetupCode(ctx)
	require.NoError(t, err)
	assert.False(t, ok, "set up: no more codes")

	// The administrator creates what follows: a worker's credential.
	w, err := f.svc.Issue(grids.WithPrincipal(ctx, c.Principal), access.Issue{CommunityID: f.community, Kind: access.Token, Name: "王芳", Roles: []grids.Role{grids.RoleWorker}})
	require.NoError(t, err)
	assert.Equal(t, c.Principal.ID, w.Credential.IssuedBy)
	var n int
	require.NoError(t, f.store.View(ctx, func(tx access.Tx) error {
		_, total, err := tx.Events().Find(ctx, record.Filter{CommunityID: "", Status: string(access.ActionSetUp)})
		n = total
		return err
	}))
	assert.Equal(t, 1, n, "the set-up is recorded")
}
