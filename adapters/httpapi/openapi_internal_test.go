package httpapi

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDocumentListsEveryRoute holds the OpenAPI document and the router to
// the same set of operations.
func TestDocumentListsEveryRoute(t *testing.T) {
	s := NewServer(Config{}).(*server)
	routes := slices.Clone(s.patterns)
	var documented []string
	for path, item := range document()["paths"].(obj) {
		for method := range item.(obj) {
			if method == "parameters" {
				continue
			}
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	slices.Sort(routes)
	slices.Sort(documented)
	assert.Equal(t, routes, documented)
}

// TestDocumentListsEveryRule: every rule a domain package refuses under
// has a name of its own, and the document lists it.
func TestDocumentListsEveryRule(t *testing.T) {
	enum := document()["components"].(obj)["schemas"].(obj)["Problem"].(obj)["properties"].(obj)["rule"].(obj)["enum"].([]any)
	seen := map[string]bool{}
	for _, r := range refusals() {
		assert.False(t, seen[r.Name()], "two rules named %s", r.Name())
		seen[r.Name()] = true
		assert.Contains(t, enum, r.Name())
	}
	assert.Len(t, enum, len(seen))
	assert.GreaterOrEqual(t, len(seen), 99, "the domain's rules are listed")
}

func TestBadTimeFindsTheField(t *testing.T) {
	type step struct {
		At time.Time `json:"at"`
	}
	type embedded struct {
		Created time.Time `json:"created"`
	}
	type rec struct {
		embedded
		Due   *time.Time `json:"due,omitempty"`
		Steps []step     `json:"steps"`
		Skip  string     `json:"-"`
	}
	for _, tt := range []struct{ json, want string }{
		{`{"due":"soon"}`, "due"},
		{`{"steps":[{"at":"2026-03-10T09:00:00Z"},{"at":"noon"}]}`, "steps[1].at"},
		{`{"created":"x"}`, "created"},
		{`{"due":"2026-03-10T09:00:00Z","steps":[]}`, ""},
	} {
		var raw any
		require.NoError(t, json.Unmarshal([]byte(tt.json), &raw))
		assert.Equal(t, tt.want, badTime(raw, reflect.TypeFor[rec](), ""), tt.json)
	}
}

var update = flag.Bool("update", false, "write openapi.json again from document()")

// TestCommittedDocument: the committed openapi.json, which the server
// serves, is the document the code builds. After a change to the API,
// go test ./adapters/httpapi -run TestCommittedDocument -update writes it
// again; CI fails while it is stale.
func TestCommittedDocument(t *testing.T) {
	built := openAPIJSON()
	if *update {
		require.NoError(t, os.WriteFile("openapi.json", built, 0o644))
	}
	committed, err := os.ReadFile("openapi.json")
	require.NoError(t, err)
	if !bytes.Equal(committed, built) {
		t.Fatalf("openapi.json is stale: run go test ./adapters/httpapi -run TestCommittedDocument -update and commit it")
	}
	assert.Equal(t, committed, committedDocument, "the server serves the committed document")
}
