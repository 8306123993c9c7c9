package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/httpapi"
	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/adapters/shard"
	"github.com/linli-go/linli/adapters/sqlstore/sqltest"
	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/access"
	"github.com/linli-go/linli/internal/clock"
	"github.com/linli-go/linli/points"
)

// backend is one store implementation's stores.
type backend struct {
	grids   grids.Store
	gov     governance.Store
	access  access.Store
	points  points.Store
	funds   funds.Store
	replays httpapi.Replays
}

// stores are the backends every end-to-end test runs on.
var stores = []struct {
	name string
	open func(testing.TB) backend
}{
	{"memory", func(testing.TB) backend {
		s := memstore.New()
		return backend{s.Grids(), s.Governance(), s.Access(), s.Points(), s.Funds(), httpapi.NewMemoryReplays()}
	}},
	{"shards", func(t testing.TB) backend {
		// Three memory stores behind a router: every exchange of the API on
		// communities placed apart, no transaction naming two.
		var shards []shard.Shard
		for _, name := range []string{"east", "west", "north"} {
			s := memstore.New()
			shards = append(shards, shard.Shard{Name: name, Grids: s.Grids(), Governance: s.Governance(), Points: s.Points(), Funds: s.Funds(), Access: s.Access()})
		}
		r, err := shard.New(shard.NewStatic(nil), shards...)
		require.NoError(t, err)
		return backend{r.Grids(), r.Governance(), r.Access(), r.Points(), r.Funds(), httpapi.NewMemoryReplays()}
	}},
	{"sqlite", func(t testing.TB) backend {
		db := sqltest.SQLite(t)
		return backend{db.Grids(), db.Governance(), db.Access(), db.Points(), db.Funds(), db.Replays()}
	}},
	{"postgres", func(t testing.TB) backend {
		db := sqltest.Postgres(t)
		return backend{db.Grids(), db.Governance(), db.Access(), db.Points(), db.Funds(), db.Replays()}
	}},
}

// Roles the harness issues tokens for.
const (
	admin    = "admin"
	worker   = "worker"
	council  = "council_member"
	chair    = "committee_chair"
	leader   = "group_leader"
	resident = "resident"
	merchant = "merchant"
	outsider = "outsider" // a worker of another community
)

// harness is a server on a real listener with a principal per role, whose
// client checks every exchange against the OpenAPI document.
type harness struct {
	t         testing.TB
	srv       *httptest.Server
	reg       *grids.Registry
	gov       *governance.Service
	pts       *points.Service
	fnd       *funds.Service
	store     grids.Store
	tokens    map[string]string
	access    *access.Service
	community grids.Community
	other     grids.Community
	household grids.Household // the resident principal's household
	me        grids.Resident  // the resident principal
	clock     *clock.Manual
	router    routers.Router
	handler   http.Handler
}

var problemDecoder sync.Once

func newHarness(t testing.TB, be backend) *harness {
	t.Helper()
	problemDecoder.Do(func() {
		openapi3filter.RegisterBodyDecoder("application/problem+json", openapi3filter.JSONBodyDecoder)
		openapi3filter.RegisterBodyDecoder("text/csv", openapi3filter.PlainBodyDecoder)
		openapi3filter.RegisterBodyDecoder("text/markdown", openapi3filter.PlainBodyDecoder)
		openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)
	})
	c := clock.NewManual(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	gov := governance.NewService(be.gov, be.grids, governance.Options{Now: c.Now})
	reg := grids.NewRegistry(be.grids, grids.Options{Now: c.Now, Bodies: gov})
	store := be.grids
	acc := access.NewService(be.access, grids.Lookup{Store: be.grids}, access.Options{Now: c.Now, TokenTTL: 24 * time.Hour})
	pts := points.NewService(be.points, governance.Lookup{Store: be.gov}, grids.Lookup{Store: be.grids}, points.Options{Now: c.Now, Groups: gov})
	fnd := funds.NewService(be.funds, governance.Lookup{Store: be.gov}, grids.Lookup{Store: be.grids}, funds.Options{Now: c.Now})
	h := &harness{t: t, reg: reg, gov: gov, pts: pts, fnd: fnd, store: store, tokens: map[string]string{}, access: acc, clock: c}
	api := httpapi.NewServer(httpapi.Config{Registry: reg, Governance: gov, Points: pts, Funds: fnd, Access: acc, Replays: be.replays, Now: c.Now, MaxBody: 64 << 10, MaxImport: 1 << 20})
	h.handler = api
	h.srv = httptest.NewServer(api)
	t.Cleanup(h.srv.Close)

	ctx := grids.WithPrincipal(context.Background(), grids.Admin("harness"))
	var err error
	h.community, err = reg.CreateCommunity(ctx, grids.CommunityInput{Name: "水秀社区"})
	require.NoError(t, err)
	h.other, err = reg.CreateCommunity(ctx, grids.CommunityInput{Name: "稻香社区"})
	require.NoError(t, err)
	b, err := reg.CreateBuilding(ctx, h.community.ID, grids.BuildingInput{Name: "水秀新村1号"})
	require.NoError(t, err)
	h.household, err = reg.CreateHousehold(ctx, h.community.ID, grids.HouseholdInput{BuildingID: b.ID, Unit: "1-101", Size: 2})
	require.NoError(t, err)
	h.me, err = reg.CreateResident(ctx, h.community.ID, grids.ResidentInput{HouseholdID: h.household.ID, Name: "王芳", Sex: grids.Female, BirthYear: 1958, Phone: "13900000001"})
	require.NoError(t, err)

	issue := func(name string, p grids.Principal) {
		iss, err := acc.Issue(ctx, access.TokenFor(p))
		require.NoError(t, err)
		h.tokens[name] = iss.Token
	}
	in := func(role grids.Role, residentID string) grids.Principal {
		return grids.Principal{ID: "p-" + string(role), CommunityID: h.community.ID, Name: string(role), Roles: []grids.Role{role}, ResidentID: residentID}
	}
	issue(admin, grids.Admin("root"))
	issue(worker, in(grids.RoleWorker, ""))
	issue(council, in(grids.RoleCouncilMember, ""))
	issue(chair, in(grids.RoleCommitteeChair, ""))
	issue(leader, in(grids.RoleGroupLeader, ""))
	issue(resident, in(grids.RoleResident, h.me.ID))
	issue(merchant, in(grids.RoleMerchant, ""))
	issue(outsider, grids.Principal{ID: "p-outsider", CommunityID: h.other.ID, Name: "outsider", Roles: []grids.Role{grids.RoleWorker}})

	// The document the server serves is the one every exchange is held to.
	res, err := http.Get(h.srv.URL + "/openapi.json")
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background()), "the OpenAPI document is valid")
	doc.Servers = openapi3.Servers{{URL: h.srv.URL}}
	h.router, err = gorillamux.NewRouter(doc)
	require.NoError(t, err)
	return h
}

// call is one request.
type call struct {
	method, path string
	as           string // role; "" for no token
	json         any    // marshalled as the body
	raw          []byte // the body as is
	contentType  string
	header       http.Header
	// badRequest says the request breaks the document on purpose: it is not
	// checked, but the response still is.
	badRequest bool
}

// reply is a response, with the body read.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) decode(t testing.TB, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(r.body, v), "body: %s", r.body)
}

func (r reply) problem(t testing.TB) httpapi.Problem {
	t.Helper()
	assert.Equal(t, "application/problem+json", r.header.Get("Content-Type"), "body: %s", r.body)
	var p httpapi.Problem
	r.decode(t, &p)
	assert.Equal(t, r.status, p.Status, "problem status matches the response")
	assert.Equal(t, httpapi.ProblemType(p.Code), p.Type)
	return p
}

func (h *harness) do(c call) reply {
	h.t.Helper()
	body := c.raw
	if c.json != nil {
		var err error
		body, err = json.Marshal(c.json)
		require.NoError(h.t, err)
		if c.contentType == "" {
			c.contentType = "application/json"
		}
	}
	req, err := http.NewRequest(c.method, h.srv.URL+c.path, bytes.NewReader(body))
	require.NoError(h.t, err)
	for k, vs := range c.header {
		req.Header[k] = vs
	}
	if c.contentType != "" {
		req.Header.Set("Content-Type", c.contentType)
	}
	if c.as != "" {
		tok, ok := h.tokens[c.as]
		require.True(h.t, ok, "no token for %s", c.as)
		req.Header.Set("Authorization", "Bearer "+tok)
	}

	route, pathParams, routeErr := h.router.FindRoute(req)
	input := &openapi3filter.RequestValidationInput{Request: req, PathParams: pathParams, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	if !c.badRequest {
		require.NoError(h.t, routeErr, "%s %s is in the document", c.method, c.path)
		vreq := req.Clone(context.Background())
		vreq.Body = io.NopCloser(bytes.NewReader(body))
		input.Request = vreq
		require.NoError(h.t, openapi3filter.ValidateRequest(context.Background(), input), "request %s %s matches the document", c.method, c.path)
	}

	res, err := http.DefaultClient.Do(req)
	require.NoError(h.t, err)
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	require.NoError(h.t, err)
	r := reply{status: res.StatusCode, header: res.Header, body: out}

	if routeErr == nil {
		input.Request = req
		rv := &openapi3filter.ResponseValidationInput{RequestValidationInput: input, Status: res.StatusCode, Header: res.Header,
			Options: &openapi3filter.Options{IncludeResponseStatus: true}}
		rv.SetBodyBytes(out)
		require.NoError(h.t, openapi3filter.ValidateResponse(context.Background(), rv), "response %d to %s %s matches the document: %s", res.StatusCode, c.method, c.path, out)
	} else if res.StatusCode >= 400 {
		r.problem(h.t) // routes outside the document still answer with problems
	}
	assert.NotEqual(h.t, http.StatusInternalServerError, res.StatusCode, "no 500 for %s %s: %s", c.method, c.path, out)
	return r
}

// ok requires a 2xx reply and decodes it into v.
func (h *harness) ok(c call, v any) reply {
	h.t.Helper()
	r := h.do(c)
	require.True(h.t, r.status >= 200 && r.status < 300, "%s %s: got %d: %s", c.method, c.path, r.status, r.body)
	if v != nil {
		r.decode(h.t, v)
	}
	return r
}

func (h *harness) path(format string) string {
	return "/v1/communities/" + h.community.ID + format
}

// multipartBody builds an import request body from file name → contents.
func multipartBody(t testing.TB, files map[string]string) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for name, content := range files {
		fw, err := mw.CreatePart(map[string][]string{
			"Content-Disposition": {`form-data; name="` + name + `"; filename="` + name + `.csv"`},
			"Content-Type":        {"text/csv"},
		})
		require.NoError(t, err)
		_, err = io.Copy(fw, strings.NewReader(content))
		require.NoError(t, err)
	}
	require.NoError(t, mw.Close())
	return buf.Bytes(), mw.FormDataContentType()
}

// harnessOn makes a harness on the stores open returns.
func harnessOn(t testing.TB, open func(testing.TB) backend) *harness {
	t.Helper()
	return newHarness(t, open(t))
}

// drain closes the server, which waits for every request it began,
// including those whose client hung up, and refuses the connections it
// had not yet accepted; then it serves again on the same address, so the
// checks that follow see the books at rest. (A WaitGroup counted in the
// handler raced: a late request's Add could meet the test's Wait.)
func (h *harness) drain() {
	h.t.Helper()
	addr := h.srv.Listener.Addr().String()
	h.srv.Close()
	l, err := net.Listen("tcp", addr)
	require.NoError(h.t, err, "listen again on %s", addr)
	h.srv = &httptest.Server{Listener: l, Config: &http.Server{Handler: h.handler}}
	h.srv.Start()
	h.t.Cleanup(h.srv.Close)
}
