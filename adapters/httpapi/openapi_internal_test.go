package httpapi

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
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
