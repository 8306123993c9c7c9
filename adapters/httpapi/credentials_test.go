package httpapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/httpapi"
	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/access"
)

type issuedCredential struct {
	Credential struct {
		ID        string          `json:"id"`
		Kind      string          `json:"kind"`
		Unit      string          `json:"unit"`
		IssuedBy  string          `json:"issued_by"`
		Principal grids.Principal `json:"principal"`
		RevokedAt *time.Time      `json:"revoked_at"`
	} `json:"credential"`
	Token, Code, Link string
}

// TestCredentialsOverHTTP: a worker issues a colleague's token and a
// resident's card, lists them without secrets, revokes the token, and the
// next request made with it is refused; every step is recorded.
func TestCredentialsOverHTTP(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			h := newHarness(t, st.open(t))
			var tok issuedCredential
			h.ok(call{method: "POST", path: h.path("/credentials"), as: worker,
				json: map[string]any{"kind": "token", "name": "李明", "roles": []string{"worker"}, "label": "义仓柜台"}}, &tok)
			require.True(t, strings.HasPrefix(tok.Token, "linli_"+h.community.ID+"_"))
			assert.Equal(t, "p-worker", tok.Credential.IssuedBy)
			h.tokens["colleague"] = tok.Token
			var me grids.Principal
			h.ok(call{method: "GET", path: "/v1/me", as: "colleague"}, &me)
			assert.Equal(t, "李明", me.Name)

			var card issuedCredential
			h.ok(call{method: "POST", path: h.path("/credentials"), as: worker, json: map[string]any{"kind": "card", "resident_id": h.me.ID}}, &card)
			assert.Len(t, card.Code, 8)
			assert.Equal(t, "水秀新村1号 1-101", card.Credential.Unit)
			assert.Equal(t, h.me.Name, card.Credential.Principal.Name)
			assert.NotEmpty(t, card.Link)
			assert.Empty(t, card.Token, "a card is no bearer token")

			list := h.ok(call{method: "GET", path: h.path("/credentials?total=true"), as: worker}, nil)
			assert.NotContains(t, string(list.body), "hash")
			assert.NotContains(t, string(list.body), tok.Token[len(tok.Token)-20:])
			var page httpapi.List[map[string]any]
			list.decode(t, &page)
			assert.Equal(t, 6+2, *page.Total, "the harness's six of this community and the two issued here")

			for _, who := range []string{resident, council, outsider} {
				r := h.do(call{method: "POST", path: h.path("/credentials"), as: who, json: map[string]any{"kind": "token", "name": "x", "roles": []string{"worker"}}})
				assert.Equal(t, http.StatusForbidden, r.status, who)
				assert.Equal(t, "access.issuers_only", r.problem(t).Rule, who)
			}
			r := h.do(call{method: "POST", path: h.path("/credentials"), as: worker, json: map[string]any{"kind": "token", "name": "x", "roles": []string{"admin"}}})
			assert.Equal(t, "access.admin_by_admin", r.problem(t).Rule)

			var revoked issuedCredential
			h.ok(call{method: "POST", path: h.path("/credentials/" + tok.Credential.ID + "/revoke"), as: worker}, &revoked.Credential)
			assert.NotNil(t, revoked.Credential.RevokedAt)
			r = h.do(call{method: "GET", path: "/v1/me", as: "colleague"})
			assert.Equal(t, http.StatusUnauthorized, r.status, "revoked: refused on its next request")
			r = h.do(call{method: "POST", path: h.path("/credentials/" + tok.Credential.ID + "/revoke"), as: worker})
			assert.Equal(t, "access.revoked", r.problem(t).Rule)

			var events httpapi.List[access.Event]
			h.ok(call{method: "GET", path: h.path("/credential-events"), as: worker}, &events)
			var actions []access.Action
			for _, e := range events.Items {
				actions = append(actions, e.Action)
			}
			require.Len(t, actions, 6+3)
			assert.Equal(t, []access.Action{access.ActionIssued, access.ActionIssued, access.ActionRevoked}, actions[6:])

			// Administrators' credentials are the administrators' to list.
			h.ok(call{method: "GET", path: "/v1/credentials", as: admin}, nil)
			r = h.do(call{method: "GET", path: "/v1/credentials", as: worker})
			assert.Equal(t, http.StatusForbidden, r.status)
		})
	}
}

// TestBruteForce: after ten failed tokens from one address the next
// request from it waits, good token or not, with 429 and Retry-After,
// until the window has passed.
func TestBruteForce(t *testing.T) {
	h := newHarness(t, stores[0].open(t))
	h.tokens["guess"] = "linli_" + h.community.ID + "_01KKBFJYM0EC24754VPBD7F9W2_guess"
	for i := range 10 {
		r := h.do(call{method: "GET", path: "/v1/me", as: "guess"})
		require.Equal(t, http.StatusUnauthorized, r.status, "guess %d", i)
	}
	r := h.do(call{method: "GET", path: "/v1/me", as: "guess"})
	assert.Equal(t, http.StatusTooManyRequests, r.status)
	assert.Equal(t, "http.rate_limited", r.problem(t).Rule)
	after, err := strconv.Atoi(r.header.Get("Retry-After"))
	require.NoError(t, err)
	assert.True(t, after > 0 && after <= 61, "Retry-After %d", after)
	r = h.do(call{method: "GET", path: "/v1/me", as: worker})
	assert.Equal(t, http.StatusTooManyRequests, r.status, "the address waits, whatever it sends")

	h.clock.Advance(time.Minute + time.Second)
	h.ok(call{method: "GET", path: "/v1/me", as: worker}, nil)
}

// TestSetupOverHTTP: a new installation's printed code makes the first
// administrator, once.
func TestSetupOverHTTP(t *testing.T) {
	store := memstore.New()
	acc := access.NewService(store.Access(), grids.Lookup{Store: store.Grids()}, access.Options{})
	srv := httpapi.NewServer(httpapi.Config{Registry: grids.NewRegistry(store.Grids(), grids.Options{}), Access: acc})
	code, ok, err := acc.SetupCode(context.Background())
	require.NoError(t, err)
	require.True(t, ok)
	post := func(body string) *http.Response {
		rec := httptest.NewRecorder()
		req, _ := http.NewRequest("POST", "/v1/setup", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.RemoteAddr = "192.0.2.1:1234"
		srv.ServeHTTP(rec, req)
		return rec.Result()
	}
	res := post(`{"code":"` + code + `","name":"林主任"}`)
	require.Equal(t, http.StatusCreated, res.StatusCode)
	res = post(`{"code":"` + code + `","name":"林主任"}`)
	assert.Equal(t, http.StatusConflict, res.StatusCode, "once")
}
