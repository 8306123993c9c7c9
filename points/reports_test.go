package points_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/points"
)

// TestHandedOverByMonth: a month's exchanges are those handed over in it,
// whenever they were made: a reservation made on the last evening of
// March and picked up in April is April's; what was handed over at once
// is the month's it was made in. The bulletin's warehouse and the
// evaluation agree, reading only the month and a reservation's hold
// before it.
func TestHandedOverByMonth(t *testing.T) {
	w := newWorld(t, nil)
	_, err := w.svc.Donate(w.worker, w.community, points.DonationInput{Donor: points.Party{Kind: points.PartyEnterprise, Name: "超市"}, ItemID: w.soap.ID, Quantity: 5, Condition: "new"})
	require.NoError(t, err)
	w.earn(w.a0, 4)
	_, err = w.svc.Exchange(w.as(w.a0), w.community, points.ExchangeInput{ItemID: w.soap.ID, Quantity: 1}) // 10 March, at once
	require.NoError(t, err)
	w.clock.Set(time.Date(2026, 3, 31, 22, 0, 0, 0, time.UTC))
	x, err := w.svc.Exchange(w.as(w.a0), w.community, points.ExchangeInput{ItemID: w.soap.ID, Quantity: 2, Reserve: true})
	require.NoError(t, err)
	w.clock.Set(time.Date(2026, 4, 2, 10, 0, 0, 0, time.UTC))
	_, err = w.svc.Pickup(w.worker, w.community, x.ID)
	require.NoError(t, err)
	_, err = w.svc.Exchange(w.as(w.a0), w.community, points.ExchangeInput{ItemID: w.soap.ID, Quantity: 1})
	require.NoError(t, err)

	for _, tc := range []struct {
		from, to time.Time
		n        int
		points   int64
	}{
		{time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), 1, 1},
		{time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), 2, 3},
		{time.Date(2026, 4, 3, 0, 0, 0, 0, time.UTC), time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), 0, 0},
	} {
		wh, err := w.svc.BulletinWarehouse(w.worker, w.community, tc.from, tc.to)
		require.NoError(t, err)
		assert.Equal(t, tc.n, wh.Exchanges, "%s", tc.from)
		assert.True(t, wh.PointsRedeemed.Equal(decimal.NewFromInt(tc.points)), "%s: %s", tc.from, wh.PointsRedeemed)
		ev, err := w.svc.Evaluate(w.worker, w.community, tc.from, tc.to)
		require.NoError(t, err)
		assert.Equal(t, tc.n, ev.Exchanges)
		assert.True(t, ev.PointsRedeemed.Equal(wh.PointsRedeemed))
	}
}
