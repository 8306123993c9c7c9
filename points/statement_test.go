package points_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/points"
)

// TestStatement tells a passbook as its resident would: a claim shows
// once, waiting until verified and then earned; a rejected claim moves
// nothing; a reservation and its pickup are one exchange.
func TestStatement(t *testing.T) {
	w := newWorld(t, nil)
	_, err := w.svc.Donate(w.worker, w.community, points.DonationInput{Donor: points.Party{Kind: points.PartyEnterprise, Name: "超市"}, ItemID: w.soap.ID, Quantity: 5, Condition: "new"})
	require.NoError(t, err)
	kinds := func() ([]points.LineKind, points.Statement) {
		t.Helper()
		st, err := w.svc.Statement(w.as(w.a0), w.community, w.a0.ID)
		require.NoError(t, err)
		var ks []points.LineKind
		for _, e := range st.Entries {
			ks = append(ks, e.Kind)
		}
		return ks, st
	}

	c := w.claim()
	ks, st := kinds()
	require.Equal(t, []points.LineKind{points.LineClaimed}, ks, "a claim waits, once")
	assert.True(t, st.Entries[0].Open)
	assert.Equal(t, "探访", st.Entries[0].What)
	assert.Equal(t, 60, st.Entries[0].Minutes)
	assert.True(t, st.Entries[0].Points.IsPositive())
	assert.True(t, st.Balance.IsZero())

	_, err = w.svc.Verify(w.verifier, w.community, c.ID, points.VerifyInput{Approve: true})
	require.NoError(t, err)
	ks, st = kinds()
	require.Equal(t, []points.LineKind{points.LineEarned}, ks, "verified: earned, and the waiting line is gone")
	earned := st.Entries[0]
	assert.False(t, earned.Open)
	assert.Equal(t, "探访", earned.What)
	assert.True(t, earned.Balance.Equal(earned.Points))
	require.NotNil(t, earned.Served)

	// A claim rejected moves nothing.
	a := w.record(time.Hour, w.a0)
	c2, err := w.svc.Claim(w.as(w.a0), w.community, points.ClaimInput{ActivityID: a.ID, Evidence: points.Evidence{SignIn: true}})
	require.NoError(t, err)
	_, err = w.svc.Verify(w.verifier, w.community, c2.ID, points.VerifyInput{Approve: false, Note: "重复"})
	require.NoError(t, err)
	ks, st = kinds()
	require.Equal(t, []points.LineKind{points.LineEarned, points.LineRejected}, ks)
	assert.True(t, st.Entries[1].Points.IsZero())

	// A reservation waits; its pickup is the one exchange.
	x, err := w.svc.Exchange(w.as(w.a0), w.community, points.ExchangeInput{ItemID: w.soap.ID, Quantity: 1, Reserve: true})
	require.NoError(t, err)
	ks, st = kinds()
	require.Equal(t, []points.LineKind{points.LineEarned, points.LineRejected, points.LineReserved}, ks)
	assert.True(t, st.Entries[2].Open)
	assert.True(t, st.Entries[2].Points.Equal(decimal.NewFromInt(-1)), "%s", st.Entries[2].Points)
	_, err = w.svc.Pickup(w.worker, w.community, x.ID)
	require.NoError(t, err)
	ks, st = kinds()
	require.Equal(t, []points.LineKind{points.LineEarned, points.LineRejected, points.LineExchanged}, ks)
	got := st.Entries[2]
	assert.Equal(t, "肥皂", got.What)
	assert.Equal(t, int64(1), got.Quantity)
	assert.Equal(t, "块", got.Unit)
	assert.True(t, got.Points.Equal(decimal.NewFromInt(-1)))
	assert.True(t, got.Balance.Equal(earned.Balance.Sub(decimal.NewFromInt(1))))
	assert.True(t, st.Balance.Equal(got.Balance), "the last entry's balance is the balance")

	// A reservation called off moves nothing.
	w.earn(w.a0, 1)
	y, err := w.svc.Exchange(w.as(w.a0), w.community, points.ExchangeInput{ItemID: w.soap.ID, Quantity: 1, Reserve: true})
	require.NoError(t, err)
	_, err = w.svc.Cancel(w.as(w.a0), w.community, y.ID, points.CloseInput{Reason: "不要了"})
	require.NoError(t, err)
	ks, st = kinds()
	require.Equal(t, []points.LineKind{points.LineEarned, points.LineRejected, points.LineExchanged, points.LineEarned, points.LineReleased}, ks)
	assert.True(t, st.Entries[4].Points.IsZero())
	assert.Equal(t, "肥皂", st.Entries[4].What)
	assert.True(t, st.Balance.Equal(decimal.NewFromInt(1)), "%s", st.Balance)

	// A gift names the family member.
	_, err = w.svc.Give(w.as(w.a0), w.community, points.GiftInput{ToID: w.a1.ID, Points: decimal.NewFromInt(1)})
	require.NoError(t, err)
	ks, st = kinds()
	require.Equal(t, points.LineGiftOut, ks[len(ks)-1])
	assert.Equal(t, "乙", st.Entries[len(ks)-1].What)
	assert.True(t, st.Balance.IsZero())

	// Nobody else's.
	_, err = w.svc.Statement(w.as(w.a1), w.community, w.a0.ID)
	require.ErrorIs(t, err, points.ErrNotYours)
}
