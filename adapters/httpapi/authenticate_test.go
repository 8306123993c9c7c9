package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/httpapi"
	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/grids"
)

// TestAuthenticateHook: the hook decides who acts; its refusals keep
// their code when they have one and are 401 otherwise; a principal it
// makes up that is not valid is refused; idempotency keys are the
// principal's, however it signed in.
func TestAuthenticateHook(t *testing.T) {
	store := memstore.New()
	reg := grids.NewRegistry(store.Grids(), grids.Options{})
	com, err := reg.CreateCommunity(grids.WithPrincipal(context.Background(), grids.Admin("setup")), grids.CommunityInput{Name: "水秀社区"})
	require.NoError(t, err)
	people := map[string]grids.Principal{
		"li":   {ID: "sso:li", CommunityID: com.ID, Name: "李娜", Roles: []grids.Role{grids.RoleWorker}},
		"wang": {ID: "sso:wang", CommunityID: com.ID, Name: "王强", Roles: []grids.Role{grids.RoleWorker}},
		"bad":  {ID: "", CommunityID: com.ID, Name: "", Roles: []grids.Role{"pilot"}},
	}
	hook := func(r *http.Request) (grids.Principal, error) {
		switch who := r.Header.Get("X-SSO-User"); who {
		case "locked":
			return grids.Principal{}, &grids.Error{Code: grids.Forbidden, Message: "the account is locked"}
		case "":
			return grids.Principal{}, errors.New("no session cookie from the portal")
		default:
			return people[who], nil
		}
	}
	srv := httptest.NewServer(httpapi.NewServer(httpapi.Config{Registry: reg, Authenticate: hook}))
	defer srv.Close()
	do := func(method, who, key, body string) *http.Response {
		req, err := http.NewRequest(method, srv.URL+"/v1/communities/"+com.ID+"/districts", bytesReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		if who != "" {
			req.Header.Set("X-SSO-User", who)
		}
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		res, err := srv.Client().Do(req)
		require.NoError(t, err)
		res.Body.Close()
		return res
	}
	assert.Equal(t, http.StatusOK, do("GET", "li", "", "").StatusCode)
	assert.Equal(t, http.StatusUnauthorized, do("GET", "", "", "").StatusCode)
	assert.Equal(t, http.StatusForbidden, do("GET", "locked", "", "").StatusCode, "a coded refusal keeps its code")
	assert.Equal(t, http.StatusUnauthorized, do("GET", "bad", "", "").StatusCode, "an invalid principal is refused")

	assert.Equal(t, http.StatusCreated, do("POST", "li", "k", `{"name":"一片区"}`).StatusCode)
	again := do("POST", "li", "k", `{"name":"一片区"}`)
	assert.Equal(t, "true", again.Header.Get("Idempotent-Replayed"))
	other := do("POST", "wang", "k", `{"name":"二片区"}`)
	assert.Equal(t, http.StatusCreated, other.StatusCode, "the same key of another principal is theirs")
	assert.Empty(t, other.Header.Get("Idempotent-Replayed"))
}

func bytesReader(s string) *strings.Reader { return strings.NewReader(s) }

// TestRequestIDs: every response carries a request ID (the client's, if it
// sent a sensible one), and every log line of the request carries it with
// the route's pattern, not the raw path.
func TestRequestIDs(t *testing.T) {
	var logs bytes.Buffer
	store := memstore.New()
	reg := grids.NewRegistry(store.Grids(), grids.Options{})
	api := httpapi.NewServer(httpapi.Config{Registry: reg, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	srv := httptest.NewServer(api)
	defer srv.Close()
	get := func(id string) *http.Response {
		req, err := http.NewRequest("GET", srv.URL+"/v1/communities/01KKBFJYM0EC24754VPBD7F9W2/summary", nil)
		require.NoError(t, err)
		if id != "" {
			req.Header.Set("X-Request-ID", id)
		}
		res, err := srv.Client().Do(req)
		require.NoError(t, err)
		res.Body.Close()
		return res
	}
	mine := get("trace-42")
	assert.Equal(t, "trace-42", mine.Header.Get("X-Request-ID"))
	fresh := get("")
	assert.Len(t, fresh.Header.Get("X-Request-ID"), 26, "a ULID")

	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m))
		lines = append(lines, m)
	}
	require.NotEmpty(t, lines)
	first := lines[0]
	assert.Equal(t, "trace-42", first["request_id"])
	assert.Equal(t, "GET /v1/communities/{community}/summary", first["route"])
	assert.NotContains(t, logs.String(), "01KKBFJYM0EC24754VPBD7F9W2", "the raw path, with its IDs, is not logged")
}
