package httpapi_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/httpapi"
	"github.com/linli-go/linli/adapters/shard"
	"github.com/linli-go/linli/adapters/sqlstore/sqltest"
	"github.com/linli-go/linli/grids"
)

// TestMovingCommunity: while a community moves between databases its
// writes are answered 503 with Retry-After and the rule shard.moving,
// and its reads go on; once the fence is lifted, writes are taken again.
func TestMovingCommunity(t *testing.T) {
	a, b := sqltest.SQLite(t), sqltest.SQLite(t)
	r, err := shard.New(a.Directory(), a.Shard("a"), b.Shard("b"))
	require.NoError(t, err)
	h := newHarness(t, backend{r.Grids(), r.Governance(), r.Access(), r.Points(), r.Funds(), a.Replays()})
	ctx := context.Background()
	where, err := r.Locate(ctx, h.community.ID)
	require.NoError(t, err)
	db := map[string]interface {
		Fence(context.Context, string) error
		Unfence(context.Context, string) error
	}{"a": a, "b": b}[where]
	require.NoError(t, db.Fence(ctx, h.community.ID))

	res := h.do(call{method: "POST", path: h.path("/workers"), as: worker, json: grids.WorkerInput{Name: "李娜"}})
	require.Equal(t, http.StatusServiceUnavailable, res.status, "%s", res.body)
	assert.Equal(t, strconv.Itoa(httpapi.RetryUnavailable), res.header.Get("Retry-After"))
	p := res.problem(t)
	assert.Equal(t, grids.Code("unavailable"), p.Code)
	assert.Equal(t, shard.ErrMoving.Name(), p.Rule)

	var page struct {
		Items []grids.Worker `json:"items"`
	}
	h.ok(call{method: "GET", path: h.path("/workers"), as: worker}, &page)

	require.NoError(t, db.Unfence(ctx, h.community.ID))
	h.ok(call{method: "POST", path: h.path("/workers"), as: worker, json: grids.WorkerInput{Name: "李娜"}}, nil)
}
