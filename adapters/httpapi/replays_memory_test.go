package httpapi_test

import (
	"testing"

	"github.com/linli-go/linli/adapters/httpapi"
	"github.com/linli-go/linli/adapters/httpapi/httpapitest"
)

func TestMemoryReplays(t *testing.T) {
	httpapitest.RunReplayTests(t, func(testing.TB) httpapi.Replays { return httpapi.NewMemoryReplays() })
}
