package httpapi_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/httpapi"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/points"
)

// TestPointsOverHTTP runs the volunteer bank through the API on every
// store: policy, a claim verified by a second person, the passbook, the
// warehouse, an exchange that cannot happen, a reservation, a market.
func TestPointsOverHTTP(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			h := harnessOn(t, st.open)
			organiser := h.resident("zhao")
			ctx := grids.WithPrincipal(context.Background(), grids.Admin("harness"))
			district, err := h.reg.CreateDistrict(ctx, h.community.ID, grids.DistrictInput{Name: "第一片区"})
			require.NoError(t, err)
			var bodies []governance.Body
			h.ok(call{method: "POST", path: h.path("/governance/setup"), as: worker}, &bodies)
			var group governance.Body
			h.ok(call{method: "POST", path: h.path("/bodies"), as: worker, json: governance.BodyInput{Kind: governance.Group, ParentID: bodies[2].ID, Name: "银发互助组", DistrictID: district.ID}}, &group)
			start := h.clock.Now().Add(-5 * time.Hour)
			var act governance.Activity
			h.ok(call{method: "POST", path: h.path("/activities"), as: worker, json: governance.ActivityInput{BodyID: group.ID, Title: "陪老人就医", Service: "elder_care",
				Start: start, End: start.Add(3 * time.Hour), OrganiserID: organiser.ID, Participants: []governance.Participant{{ResidentID: h.me.ID, Minutes: 150}}}}, &act)

			// No policy yet: claims wait for one.
			r := h.do(call{method: "POST", path: h.path("/points/claims"), as: resident, json: points.ClaimInput{ActivityID: act.ID, Evidence: points.Evidence{SignIn: true}}})
			assert.Equal(t, http.StatusConflict, r.status)
			assert.Equal(t, "failed_precondition", string(r.problem(t).Code))
			assert.Equal(t, points.ErrNoPolicy.Name(), r.problem(t).Rule, "the problem names the rule")
			// Policy: workers only; more than two decimals refused with the field.
			r = h.do(call{method: "POST", path: h.path("/points/policy"), as: resident, json: points.DefaultPolicy})
			assert.Equal(t, http.StatusForbidden, r.status)
			r = h.do(call{method: "POST", path: h.path("/points/policy"), as: worker, json: map[string]any{"points_per_hour": "1.001"}})
			assert.Equal(t, http.StatusBadRequest, r.status)
			assert.Equal(t, "points_per_hour", r.problem(t).Errors[0].Field)
			var pol points.Policy
			h.ok(call{method: "POST", path: h.path("/points/policy"), as: worker, json: points.DefaultPolicy}, &pol)
			assert.Equal(t, 1, pol.Version)
			h.ok(call{method: "GET", path: h.path("/points/policy"), as: resident}, &pol)
			assert.True(t, pol.PointsPerHour.Equal(points.DefaultPolicy.PointsPerHour))

			var c points.Claim
			h.ok(call{method: "POST", path: h.path("/points/claims"), as: resident, json: points.ClaimInput{ActivityID: act.ID, Evidence: points.Evidence{Note: "挂号、陪诊", SignIn: true}}}, &c)
			assert.Equal(t, points.Claimed, c.Status)
			assert.Equal(t, "3.75", c.Points.String(), "2.5 hours × 1.5")
			r = h.do(call{method: "POST", path: h.path("/points/claims/" + c.ID + "/verify"), as: resident, json: points.VerifyInput{Approve: true}})
			assert.Equal(t, http.StatusForbidden, r.status, "never the volunteer")
			// A policy that wants a committee chair: the organiser may not verify.
			chairs := points.DefaultPolicy
			chairs.Verifiers = []points.Verifier{points.VerifierCommitteeChair}
			h.ok(call{method: "POST", path: h.path("/points/policy"), as: worker, json: chairs}, &pol)
			assert.Equal(t, chairs.Verifiers, pol.Verifiers)
			r = h.do(call{method: "POST", path: h.path("/points/policy"), as: worker, json: map[string]any{"points_per_hour": "1", "verifiers": []string{"anyone"}}, badRequest: true})
			assert.Equal(t, http.StatusBadRequest, r.status, "an unknown position")
			r = h.do(call{method: "POST", path: h.path("/points/claims/" + c.ID + "/verify"), as: "zhao", json: points.VerifyInput{Approve: true}})
			assert.Equal(t, http.StatusForbidden, r.status)
			assert.Equal(t, points.ErrVerifierOffice.Name(), r.problem(t).Rule)
			h.ok(call{method: "POST", path: h.path("/points/policy"), as: worker, json: points.DefaultPolicy}, &pol)
			h.ok(call{method: "POST", path: h.path("/points/claims/" + c.ID + "/verify"), as: "zhao", json: points.VerifyInput{Approve: true}}, &c)
			assert.Equal(t, points.Verified, c.Status)

			var pb points.Passbook
			h.ok(call{method: "GET", path: h.path("/passbooks/" + h.me.ID), as: resident}, &pb)
			assert.Equal(t, "3.75", pb.Balance.String())
			require.Len(t, pb.Lines, 2)
			assert.Equal(t, points.LineEarned, pb.Lines[1].Kind)
			r = h.do(call{method: "GET", path: h.path("/passbooks/" + h.me.ID), as: "zhao"})
			assert.Equal(t, http.StatusForbidden, r.status, "a passbook is its owner's")
			r = h.do(call{method: "GET", path: h.path("/passbooks/" + h.me.ID), as: outsider})
			assert.Equal(t, http.StatusForbidden, r.status)

			// The warehouse.
			var rice points.Item
			h.ok(call{method: "POST", path: h.path("/warehouse/items"), as: worker, json: points.ItemInput{Kind: points.ItemGoods, Name: "大米", Unit: "袋", Price: d("2.5")}}, &rice)
			r = h.do(call{method: "POST", path: h.path("/warehouse/items"), as: worker, json: map[string]any{"kind": "goods", "name": "油", "unit": "瓶", "price": "1.005"}})
			assert.Equal(t, http.StatusBadRequest, r.status)
			var don points.Donation
			h.ok(call{method: "POST", path: h.path("/warehouse/donations"), as: worker, json: points.DonationInput{Donor: points.Party{Kind: points.PartyEnterprise, Name: "华润万家"}, ItemID: rice.ID, Quantity: 3, Condition: "new"}}, &don)
			h.ok(call{method: "GET", path: h.path("/warehouse/items/" + rice.ID), as: resident}, &rice)
			assert.EqualValues(t, 3, rice.Stock)

			// Too many points: refused, nothing moved.
			r = h.do(call{method: "POST", path: h.path("/warehouse/exchanges"), as: resident, json: points.ExchangeInput{ItemID: rice.ID, Quantity: 2}})
			assert.Equal(t, http.StatusConflict, r.status)
			assert.Contains(t, r.problem(t).Detail, "not enough points")
			assert.Equal(t, "points.insufficient", r.problem(t).Rule)
			h.ok(call{method: "GET", path: h.path("/warehouse/items/" + rice.ID), as: resident}, &rice)
			assert.EqualValues(t, 3, rice.Stock)
			var ex points.Exchange
			h.ok(call{method: "POST", path: h.path("/warehouse/exchanges"), as: resident, json: points.ExchangeInput{ItemID: rice.ID, Quantity: 1, Reserve: true}}, &ex)
			assert.Equal(t, points.Reserved, ex.Status)
			h.ok(call{method: "POST", path: h.path("/warehouse/exchanges/" + ex.ID + "/pickup"), as: worker}, &ex)
			assert.Equal(t, points.Completed, ex.Status)
			h.ok(call{method: "GET", path: h.path("/passbooks/" + h.me.ID), as: resident}, &pb)
			assert.Equal(t, "1.25", pb.Balance.String())
			// The same passbook in plain words: the reservation and its pickup are one exchange of rice.
			var st points.Statement
			h.ok(call{method: "GET", path: h.path("/passbooks/" + h.me.ID + "/statement"), as: resident}, &st)
			assert.Equal(t, "1.25", st.Balance.String())
			require.NotEmpty(t, st.Entries)
			last := st.Entries[len(st.Entries)-1]
			assert.Equal(t, points.LineExchanged, last.Kind)
			assert.Equal(t, "大米", last.What)
			assert.Equal(t, "-2.5", last.Points.String())
			assert.Len(t, st.Entries, len(pb.Lines)-2, "no waiting line beside what settled it")
			r = h.do(call{method: "GET", path: h.path("/passbooks/" + h.me.ID + "/statement"), as: outsider})
			assert.Equal(t, http.StatusForbidden, r.status)
			var exs struct {
				Items []points.Exchange `json:"items"`
				Total int               `json:"total"`
			}
			h.ok(call{method: "GET", path: h.path("/warehouse/exchanges?total=true&resident=" + h.me.ID), as: resident}, &exs)
			assert.Equal(t, 1, exs.Total)
			r = h.do(call{method: "GET", path: h.path("/warehouse/exchanges"), as: resident})
			assert.Equal(t, http.StatusForbidden, r.status, "residents list their own")

			// A market with its sign-up corner.
			var m points.Market
			h.ok(call{method: "POST", path: h.path("/markets"), as: worker, json: points.MarketInput{Title: "三月义集", Date: h.clock.Now(), Place: "水秀广场",
				Stalls: []points.Stall{{Name: "小组招募", Kind: "sign_up"}}}}, &m)
			var su points.SignUp
			h.ok(call{method: "POST", path: h.path("/markets/" + m.ID + "/signups"), as: resident, json: points.SignUpInput{GroupID: group.ID}}, &su)
			assert.NotEmpty(t, su.PositionID)
			var sus httpapi.List[points.SignUp]
			h.ok(call{method: "GET", path: h.path("/markets/" + m.ID + "/signups"), as: worker}, &sus)
			assert.Len(t, sus.Items, 1)

			var ev points.Evaluation
			h.ok(call{method: "GET", path: h.path("/points/evaluation?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z"), as: resident}, &ev)
			assert.Equal(t, "2.5", ev.Hours.String())
			assert.Equal(t, 1, ev.Volunteers)
			assert.EqualValues(t, 3, ev.DonatedItems)
			assert.Equal(t, 1, ev.Markets)
			r = h.do(call{method: "GET", path: h.path("/points/evaluation"), as: resident})
			assert.Equal(t, http.StatusBadRequest, r.status)
			r = h.do(call{method: "POST", path: h.path("/points/claims"), as: resident, raw: []byte(`{"activity_id": 5}`), contentType: "application/json", badRequest: true})
			assert.Equal(t, http.StatusBadRequest, r.status)
		})
	}
}

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }
