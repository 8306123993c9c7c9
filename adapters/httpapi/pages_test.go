package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/httpapi"
	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/grids"
)

// TestPagesFollowNext: a list is read page by page through its next
// links, by key, with no count unless asked, on every store; a list a
// service gives whole (the funds) pages the same way.
func TestPagesFollowNext(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			h := harnessOn(t, st.open)
			var want []string
			for _, name := range []string{"一", "二", "三", "四", "五", "六", "七"} {
				var d grids.District
				h.ok(call{method: "POST", path: h.path("/districts"), as: worker, json: grids.DistrictInput{Name: name + "片区"}}, &d)
				want = append(want, d.ID)
			}
			var got []string
			next := h.path("/districts?limit=3")
			for pages := 0; next != ""; pages++ {
				require.Less(t, pages, 5, "the pages end")
				var page httpapi.List[grids.District]
				h.ok(call{method: "GET", path: next, as: worker}, &page)
				assert.Nil(t, page.Total, "no count unless asked")
				assert.Equal(t, 3, page.Limit)
				for _, d := range page.Items {
					got = append(got, d.ID)
				}
				if next = page.Next; next != "" {
					assert.Contains(t, next, "after="+page.Items[len(page.Items)-1].ID)
					if pages == 0 {
						// A district made while the pages are read is not
						// read twice, nor does it push one off.
						h.ok(call{method: "POST", path: h.path("/districts"), as: worker, json: grids.DistrictInput{Name: "新片区"}}, nil)
					}
				}
			}
			require.Len(t, got, 8)
			assert.Equal(t, want, got[:7])

			var counted httpapi.List[grids.District]
			h.ok(call{method: "GET", path: h.path("/districts?limit=3&total=true"), as: worker}, &counted)
			require.NotNil(t, counted.Total)
			assert.Equal(t, 8, *counted.Total)

			for _, q := range []string{"after=01ARZ3NDEKTSV4RRFFQ69G5FAV", "after=" + want[0] + "&offset=2", "after=%20x"} {
				r := h.do(call{method: "GET", path: h.path("/districts?" + q), as: worker, badRequest: strings.Contains(q, "%20")})
				assert.Equal(t, http.StatusBadRequest, r.status, q)
				assert.Equal(t, "after", r.problem(t).Errors[0].Field, q)
			}

			for _, name := range []string{"福利基金", "项目基金", "其他基金"} {
				h.ok(call{method: "POST", path: h.path("/funds"), as: worker, json: funds.FundInput{Kind: funds.OtherFund, Name: name}}, nil)
			}
			var fs httpapi.List[funds.Fund]
			h.ok(call{method: "GET", path: h.path("/funds?limit=2"), as: worker}, &fs)
			require.Len(t, fs.Items, 2)
			require.NotEmpty(t, fs.Next)
			var rest httpapi.List[funds.Fund]
			h.ok(call{method: "GET", path: fs.Next, as: worker}, &rest)
			require.Len(t, rest.Items, 1)
			assert.NotContains(t, []string{fs.Items[0].ID, fs.Items[1].ID}, rest.Items[0].ID)
			assert.Empty(t, rest.Next)
		})
	}
}
