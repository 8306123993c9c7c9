package httpapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/httpapi"
	"github.com/linli-go/linli/internal/errs"
)

// TestQueryEnumsMatchTheDocument: for every query parameter the document
// lists with an enum, the handler refuses a value outside it and names
// the same values as allowed. Handlers and document state the choices
// separately; this holds them together.
func TestQueryEnumsMatchTheDocument(t *testing.T) {
	h := harnessOn(t, stores[0].open)
	res, err := http.Get(h.srv.URL + "/openapi.json")
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(raw, &doc))
	type param struct {
		Name   string `json:"name"`
		In     string `json:"in"`
		Schema struct {
			Enum []string `json:"enum"`
		} `json:"schema"`
	}
	checked := 0
	for path, item := range doc.Paths {
		raw, ok := item["get"]
		if !ok || !strings.HasPrefix(path, "/v1/") {
			continue
		}
		var op struct {
			Parameters []param `json:"parameters"`
		}
		require.NoError(t, json.Unmarshal(raw, &op))
		concrete := strings.NewReplacer("{community}", h.community.ID, "{id}", h.me.ID, "{month}", "2026-03", "{seq}", "1").Replace(path)
		for _, p := range op.Parameters {
			if p.In != "query" || len(p.Schema.Enum) == 0 {
				continue
			}
			r := h.do(call{method: "GET", path: concrete + "?" + url.Values{p.Name: {"no-such-value"}}.Encode(), as: worker, badRequest: true})
			if !assert.Equal(t, http.StatusBadRequest, r.status, "%s ?%s=no-such-value", path, p.Name) {
				continue
			}
			var prob httpapi.Problem
			require.NoError(t, json.Unmarshal(r.body, &prob))
			i := slices.IndexFunc(prob.Errors, func(e errs.FieldError) bool { return e.Field == p.Name })
			if !assert.GreaterOrEqual(t, i, 0, "%s: %s is named in the problem: %s", path, p.Name, r.body) {
				continue
			}
			allowed := strings.Split(strings.TrimPrefix(prob.Errors[i].Message, "must be one of: "), ", ")
			want := slices.Clone(p.Schema.Enum)
			slices.Sort(want)
			slices.Sort(allowed)
			assert.Equal(t, want, allowed, "%s ?%s: the document's enum and the handler's", path, p.Name)
			checked++
		}
	}
	assert.Greater(t, checked, 20, "the enums checked")
	t.Logf("%d query enums checked", checked)
}
