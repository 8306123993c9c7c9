package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/points"
)

// TestIfMatch: two workers edit one household; the second, holding the tag
// of the version before the first's edit, gets 412 and changes nothing,
// then succeeds with the tag it reads again. On every store.
func TestIfMatch(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			h := harnessOn(t, st.open)
			path := h.path("/households/" + h.household.ID)
			read := func() (grids.Household, string) {
				var hh grids.Household
				r := h.ok(call{method: "GET", path: path, as: worker}, &hh)
				tag := r.header.Get("ETag")
				require.NotEmpty(t, tag, "a record that can change carries its tag")
				return hh, tag
			}
			_, tag := read()
			_, again := read()
			assert.Equal(t, tag, again, "the tag names the version, not the request")

			unit, size := "1-102", 3
			first := h.ok(call{method: "PATCH", path: path, as: worker, json: grids.HouseholdUpdate{Unit: &unit}, header: http.Header{"If-Match": {tag}}}, nil)
			newTag := first.header.Get("ETag")
			assert.NotEqual(t, tag, newTag, "a change makes a new version")

			r := h.do(call{method: "PATCH", path: path, as: admin, json: grids.HouseholdUpdate{Size: &size}, header: http.Header{"If-Match": {tag}}})
			assert.Equal(t, http.StatusPreconditionFailed, r.status)
			assert.Equal(t, "http.stale", r.problem(t).Rule)
			hh, current := read()
			assert.Equal(t, newTag, current)
			assert.Equal(t, "1-102", hh.Unit, "the first edit stands")
			assert.Equal(t, 2, hh.Size, "the stale edit changed nothing")

			h.ok(call{method: "PATCH", path: path, as: admin, json: grids.HouseholdUpdate{Size: &size}, header: http.Header{"If-Match": {`"nope", ` + current}}}, &hh)
			assert.Equal(t, 3, hh.Size, "a list of tags matches any")
			h.ok(call{method: "PATCH", path: path, as: admin, json: grids.HouseholdUpdate{Size: &size}, header: http.Header{"If-Match": {"*"}}}, nil)
			h.ok(call{method: "PATCH", path: path, as: admin, json: grids.HouseholdUpdate{Size: &size}}, nil) // without If-Match, as before

			r = h.do(call{method: "PATCH", path: path, as: admin, json: grids.HouseholdUpdate{Size: &size}, header: http.Header{"If-Match": {"W/" + current}}})
			assert.Equal(t, http.StatusPreconditionFailed, r.status, "a weak tag never matches")
			r = h.do(call{method: "PATCH", path: path, as: admin, json: grids.HouseholdUpdate{Size: &size}, header: http.Header{"If-Match": {"no-quotes"}}, badRequest: true})
			assert.Equal(t, http.StatusBadRequest, r.status)
			assert.Equal(t, "If-Match", r.problem(t).Errors[0].Field)
		})
	}
}

// TestIfMatchOnRecordsShownWithMore: a record shown with what it does not
// store (an item with its stock from the ledger) or at the top of the API
// (a community) is tagged as shown, and its tag is the one If-Match takes.
func TestIfMatchOnRecordsShownWithMore(t *testing.T) {
	h := harnessOn(t, stores[0].open)
	var rice points.Item
	h.ok(call{method: "POST", path: h.path("/warehouse/items"), as: worker, json: points.ItemInput{Kind: points.ItemGoods, Name: "大米", Unit: "袋", Price: d("2.5")}}, &rice)
	h.ok(call{method: "POST", path: h.path("/warehouse/donations"), as: worker, json: points.DonationInput{Donor: points.Party{Kind: points.PartyEnterprise, Name: "超市"}, ItemID: rice.ID, Quantity: 3, Condition: "new"}}, nil)
	name, other := "新米", "陈米"
	for _, tc := range []struct {
		path  string
		patch any
		again any
	}{
		{h.path("/warehouse/items/" + rice.ID), points.ItemUpdate{Name: &name}, points.ItemUpdate{Name: &other}},
		{h.path(""), grids.CommunityUpdate{Name: &name}, grids.CommunityUpdate{Name: &other}},
	} {
		tag := h.ok(call{method: "GET", path: tc.path, as: worker}, nil).header.Get("ETag")
		require.NotEmpty(t, tag, tc.path)
		changed := h.ok(call{method: "PATCH", path: tc.path, as: worker, json: tc.patch, header: http.Header{"If-Match": {tag}}}, nil)
		assert.Equal(t, changed.header.Get("ETag"), h.ok(call{method: "GET", path: tc.path, as: worker}, nil).header.Get("ETag"),
			"%s: the tag a change answers with is the one a read shows", tc.path)
		r := h.do(call{method: "PATCH", path: tc.path, as: worker, json: tc.again, header: http.Header{"If-Match": {tag}}})
		assert.Equal(t, http.StatusPreconditionFailed, r.status, tc.path)
	}
}
