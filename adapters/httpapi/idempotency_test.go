package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/points"
)

// TestIdempotencyKeys: a POST retried with its Idempotency-Key gets the
// first response and acts no more, on every store; the same key with
// another body is refused; keys are the caller's.
func TestIdempotencyKeys(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			h := harnessOn(t, st.open)
			with := func(key string) http.Header { return http.Header{"Idempotency-Key": {key}} }
			districts := func() int {
				var page struct {
					Total int `json:"total"`
				}
				h.ok(call{method: "GET", path: h.path("/districts?total=true"), as: worker}, &page)
				return page.Total
			}

			first := h.do(call{method: "POST", path: h.path("/districts"), as: worker, json: grids.DistrictInput{Name: "第一片区"}, header: with("d-1")})
			require.Equal(t, http.StatusCreated, first.status, "%s", first.body)
			assert.Empty(t, first.header.Get("Idempotent-Replayed"))
			again := h.do(call{method: "POST", path: h.path("/districts"), as: worker, json: grids.DistrictInput{Name: "第一片区"}, header: with("d-1")})
			assert.Equal(t, http.StatusCreated, again.status)
			assert.Equal(t, "true", again.header.Get("Idempotent-Replayed"))
			assert.Equal(t, string(first.body), string(again.body), "the first response, as it was")
			assert.Equal(t, first.header.Get("Location"), again.header.Get("Location"))
			assert.Equal(t, 1, districts(), "made once")

			reused := h.do(call{method: "POST", path: h.path("/districts"), as: worker, json: grids.DistrictInput{Name: "第二片区"}, header: with("d-1")})
			assert.Equal(t, http.StatusUnprocessableEntity, reused.status)
			assert.Equal(t, "http.idempotency_key_reused", reused.problem(t).Rule)
			assert.Equal(t, 1, districts())

			// Another caller's key of the same name is its own.
			admin := h.do(call{method: "POST", path: h.path("/districts"), as: admin, json: grids.DistrictInput{Name: "第二片区"}, header: with("d-1")})
			assert.Equal(t, http.StatusCreated, admin.status, "%s", admin.body)
			assert.Equal(t, 2, districts())

			// A refusal is what the request made too: replayed, not retried.
			var rice points.Item
			h.ok(call{method: "POST", path: h.path("/warehouse/items"), as: worker, json: points.ItemInput{Kind: points.ItemGoods, Name: "大米", Unit: "袋", Price: d("2.5")}}, &rice)
			ex := points.ExchangeInput{ItemID: rice.ID, Quantity: 1}
			refused := h.do(call{method: "POST", path: h.path("/warehouse/exchanges"), as: resident, json: ex, header: with("ex-1")})
			require.Equal(t, http.StatusConflict, refused.status)
			donation := points.DonationInput{Donor: points.Party{Kind: points.PartyEnterprise, Name: "华润万家"}, ItemID: rice.ID, Quantity: 3, Condition: "new"}
			for range 3 {
				h.ok(call{method: "POST", path: h.path("/warehouse/donations"), as: worker, json: donation, header: with("don-1")}, nil)
			}
			h.ok(call{method: "GET", path: h.path("/warehouse/items/" + rice.ID), as: resident}, &rice)
			assert.EqualValues(t, 3, rice.Stock, "three retries of one donation gave three units, once")
			again = h.do(call{method: "POST", path: h.path("/warehouse/exchanges"), as: resident, json: ex, header: with("ex-1")})
			assert.Equal(t, http.StatusConflict, again.status)
			assert.Equal(t, "true", again.header.Get("Idempotent-Replayed"))
			assert.Equal(t, string(refused.body), string(again.body))

			for _, bad := range []string{strings.Repeat("k", 256), "键"} {
				r := h.do(call{method: "POST", path: h.path("/districts"), as: worker, json: grids.DistrictInput{Name: "x"}, header: with(bad), badRequest: true})
				assert.Equal(t, http.StatusBadRequest, r.status)
				assert.Equal(t, "Idempotency-Key", r.problem(t).Errors[0].Field)
			}
			assert.Equal(t, 2, districts(), "a bad key acts not at all")
		})
	}
}
