package sqlstore_test

import (
	"testing"

	"github.com/linli-go/linli/adapters/httpapi"
	"github.com/linli-go/linli/adapters/httpapi/httpapitest"
	"github.com/linli-go/linli/adapters/sqlstore/sqltest"
)

func TestReplays(t *testing.T) {
	for _, d := range sqltest.Dialects {
		t.Run(d.Name, func(t *testing.T) {
			httpapitest.RunReplayTests(t, func(t testing.TB) httpapi.Replays { return d.Open(t).Replays() })
		})
	}
}
