package points_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/clock"
	"github.com/linli-go/linli/points"
)

// world is a community for the rules: household A (a0, a1), household B
// (b0), a group whose activity a0 served at (organised by b0), an item
// with stock, and the default policy unless a case sets another.
type world struct {
	t               *testing.T
	svc             *points.Service
	gov             *governance.Service
	clock           *clock.Manual
	community       string
	worker          context.Context
	verifier        context.Context // a second worker: the first records the activities
	a0, a1, b0      grids.Resident
	group, activity string
	soap            points.Item
}

func newWorld(t *testing.T, policy *points.PolicyInput) *world {
	t.Helper()
	c := clock.NewManual(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	store := memstore.NewWithClock(c.Now)
	reg := grids.NewRegistry(store.Grids(), grids.Options{Now: c.Now})
	gov := governance.NewService(store.Governance(), store.Grids(), governance.Options{Now: c.Now})
	w := &world{t: t, gov: gov, clock: c, svc: points.NewService(store.Points(), governance.Lookup{Store: store.Governance()}, grids.Lookup{Store: store.Grids()}, points.Options{Now: c.Now, Groups: gov})}
	admin := grids.WithPrincipal(context.Background(), grids.Admin("t"))
	com, err := reg.CreateCommunity(admin, grids.CommunityInput{Name: "水秀社区"})
	require.NoError(t, err)
	w.community = com.ID
	w.worker = grids.WithPrincipal(context.Background(), grids.Principal{ID: "worker", CommunityID: com.ID, Name: "李娜", Roles: []grids.Role{grids.RoleWorker}})
	w.verifier = grids.WithPrincipal(context.Background(), grids.Principal{ID: "verifier", CommunityID: com.ID, Name: "王强", Roles: []grids.Role{grids.RoleWorker}})
	d, err := reg.CreateDistrict(admin, com.ID, grids.DistrictInput{Name: "一片区"})
	require.NoError(t, err)
	b, err := reg.CreateBuilding(admin, com.ID, grids.BuildingInput{Name: "1号"})
	require.NoError(t, err)
	resident := func(unit, name string) grids.Resident {
		hs, _, err := reg.FindHouseholds(admin, grids.HouseholdFilter{CommunityID: com.ID, BuildingID: b.ID, Unit: unit})
		require.NoError(t, err)
		var h grids.Household
		if len(hs) > 0 {
			h = hs[0]
		} else {
			h, err = reg.CreateHousehold(admin, com.ID, grids.HouseholdInput{BuildingID: b.ID, Unit: unit, Size: 2})
			require.NoError(t, err)
		}
		r, err := reg.CreateResident(admin, com.ID, grids.ResidentInput{HouseholdID: h.ID, Name: name, Sex: grids.Female, BirthYear: 1960})
		require.NoError(t, err)
		return r
	}
	w.a0, w.a1, w.b0 = resident("101", "甲"), resident("101", "乙"), resident("102", "丙")
	bodies, err := gov.Setup(admin, com.ID)
	require.NoError(t, err)
	g, err := gov.CreateBody(w.worker, com.ID, governance.BodyInput{Kind: governance.Group, ParentID: bodies[2].ID, Name: "小组", DistrictID: d.ID})
	require.NoError(t, err)
	w.group = g.ID
	w.activity = w.record(time.Hour, w.a0).ID
	if policy == nil {
		policy = &points.DefaultPolicy
	}
	if policy.PointsPerHour.IsPositive() {
		_, err = w.svc.SetPolicy(w.worker, com.ID, *policy)
		require.NoError(t, err)
		w.soap, err = w.svc.CreateItem(w.worker, com.ID, points.ItemInput{Kind: points.ItemGoods, Name: "肥皂", Unit: "块", Price: decimal.NewFromInt(1)})
		require.NoError(t, err)
		_, err = w.svc.Donate(w.worker, com.ID, points.DonationInput{Donor: points.Party{Kind: points.PartyEnterprise, Name: "超市"}, ItemID: w.soap.ID, Quantity: 1, Condition: "new"})
		require.NoError(t, err)
	}
	return w
}

// record records an activity of the given length, ended an hour ago,
// organised by b0, at which the residents served.
func (w *world) record(length time.Duration, residents ...grids.Resident) governance.Activity {
	w.t.Helper()
	start := w.clock.Now().Add(-length - time.Hour)
	in := governance.ActivityInput{BodyID: w.group, Title: "探访", Service: "visit", Start: start, End: start.Add(length), OrganiserID: w.b0.ID}
	for _, r := range residents {
		in.Participants = append(in.Participants, governance.Participant{ResidentID: r.ID, Minutes: int(length / time.Minute)})
	}
	a, err := w.gov.RecordActivity(w.worker, w.community, in)
	require.NoError(w.t, err)
	return a
}

func (w *world) as(r grids.Resident) context.Context {
	return grids.WithPrincipal(context.Background(), grids.Principal{ID: "u-" + r.ID, CommunityID: w.community, Name: r.Name, Roles: []grids.Role{grids.RoleResident}, ResidentID: r.ID})
}

// earn gives r hours of verified service (an hour's points each).
func (w *world) earn(r grids.Resident, hours int) points.Claim {
	w.t.Helper()
	a := w.record(time.Duration(hours)*time.Hour, r)
	c, err := w.svc.Claim(w.worker, w.community, points.ClaimInput{ActivityID: a.ID, ResidentID: r.ID, Evidence: points.Evidence{SignIn: true}})
	require.NoError(w.t, err)
	c, err = w.svc.Verify(w.verifier, w.community, c.ID, points.VerifyInput{Approve: true})
	require.NoError(w.t, err)
	return c
}

func (w *world) claim() points.Claim {
	w.t.Helper()
	c, err := w.svc.Claim(w.as(w.a0), w.community, points.ClaimInput{ActivityID: w.activity, Evidence: points.Evidence{SignIn: true}})
	require.NoError(w.t, err)
	return c
}

// TestRules breaks each rule of the bank once, and requires the refusal to
// name it, with its code.
func TestRules(t *testing.T) {
	ev := points.Evidence{SignIn: true}
	noGifts, neverExpire := points.DefaultPolicy, points.DefaultPolicy
	noGifts.GiftCap, neverExpire.ExpiryYears = decimal.Zero, 0
	noPolicy := points.PolicyInput{}
	chairs := points.DefaultPolicy
	chairs.Verifiers = []points.Verifier{points.VerifierCommitteeChair}
	cases := []struct {
		rule    *grids.Rule
		policy  *points.PolicyInput
		refused func(w *world) error
	}{
		{points.ErrNotMember, nil, func(w *world) error {
			stranger := grids.WithPrincipal(context.Background(), grids.Principal{ID: "x", CommunityID: "01ARZ3NDEKTSV4RRFFQ69G5FAV", Name: "x", Roles: []grids.Role{grids.RoleWorker}})
			_, err := w.svc.Passbook(stranger, w.community, w.a0.ID, time.Time{}, time.Time{})
			return err
		}},
		{points.ErrClaimForOthers, nil, func(w *world) error {
			_, err := w.svc.Claim(w.as(w.a1), w.community, points.ClaimInput{ActivityID: w.activity, ResidentID: w.a0.ID, Evidence: ev})
			return err
		}},
		{points.ErrSelfVerify, nil, func(w *world) error {
			_, err := w.svc.Verify(w.as(w.a0), w.community, w.claim().ID, points.VerifyInput{Approve: true})
			return err
		}},
		{points.ErrSecondPerson, nil, func(w *world) error { // the worker who recorded the attendance
			_, err := w.svc.Verify(w.worker, w.community, w.claim().ID, points.VerifyInput{Approve: true})
			return err
		}},
		{points.ErrSecondPerson, nil, func(w *world) error { // the worker who filed the claims
			cs, err := w.svc.ClaimActivity(w.verifier, w.community, w.activity, points.ActivityClaimInput{Evidence: ev})
			require.NoError(t, err)
			_, err = w.svc.Verify(w.verifier, w.community, cs[0].ID, points.VerifyInput{Approve: true})
			return err
		}},
		{points.ErrVerifierOffice, &chairs, func(w *world) error { // a second worker, where the policy wants a committee chair
			_, err := w.svc.Verify(w.verifier, w.community, w.claim().ID, points.VerifyInput{Approve: true})
			return err
		}},
		{points.ErrWorkersOnly, nil, func(w *world) error {
			_, err := w.svc.CreateItem(w.as(w.a0), w.community, points.ItemInput{Kind: points.ItemGoods, Name: "x", Unit: "x", Price: decimal.NewFromInt(1)})
			return err
		}},
		{points.ErrNotYours, nil, func(w *world) error {
			_, err := w.svc.Passbook(w.as(w.a1), w.community, w.a0.ID, time.Time{}, time.Time{})
			return err
		}},
		{points.ErrGiftOutside, nil, func(w *world) error {
			w.earn(w.a0, 2)
			_, err := w.svc.Give(w.as(w.a0), w.community, points.GiftInput{ToID: w.b0.ID, Points: decimal.NewFromInt(1)})
			return err
		}},
		{points.ErrNoPolicy, &noPolicy, func(w *world) error {
			_, err := w.svc.Claim(w.as(w.a0), w.community, points.ClaimInput{ActivityID: w.activity, Evidence: ev})
			return err
		}},
		{points.ErrActivityNotOver, nil, func(w *world) error {
			a, err := w.gov.RecordActivity(w.worker, w.community, governance.ActivityInput{BodyID: w.group, Title: "巡逻", Service: "patrol",
				Start: w.clock.Now().Add(-time.Hour), End: w.clock.Now().Add(time.Hour), Participants: []governance.Participant{{ResidentID: w.a0.ID, Minutes: 60}}})
			require.NoError(t, err)
			_, err = w.svc.Claim(w.as(w.a0), w.community, points.ClaimInput{ActivityID: a.ID, Evidence: ev})
			return err
		}},
		{points.ErrNotParticipant, nil, func(w *world) error {
			_, err := w.svc.Claim(w.as(w.a1), w.community, points.ClaimInput{ActivityID: w.activity, Evidence: ev})
			return err
		}},
		{points.ErrClaimedAlready, nil, func(w *world) error {
			w.claim()
			_, err := w.svc.Claim(w.as(w.a0), w.community, points.ClaimInput{ActivityID: w.activity, Evidence: ev})
			return err
		}},
		{points.ErrDailyMinutes, nil, func(w *world) error {
			w.earn(w.a1, 8) // the same day as the next
			a := w.record(5*time.Hour, w.a1)
			_, err := w.svc.Claim(w.as(w.a1), w.community, points.ClaimInput{ActivityID: a.ID, Evidence: ev})
			return err
		}},
		{points.ErrClaimState, nil, func(w *world) error {
			c := w.claim()
			_, err := w.svc.Verify(w.verifier, w.community, c.ID, points.VerifyInput{Approve: false, Note: "不符"})
			require.NoError(t, err)
			_, err = w.svc.Verify(w.verifier, w.community, c.ID, points.VerifyInput{Approve: true})
			return err
		}},
		{points.ErrPointsSpent, nil, func(w *world) error {
			c := w.earn(w.a1, 1)
			_, err := w.svc.Exchange(w.as(w.a1), w.community, points.ExchangeInput{ItemID: w.soap.ID, Quantity: 1})
			require.NoError(t, err)
			_, err = w.svc.Correct(w.worker, w.community, c.ID, points.CorrectInput{Reason: "未到场"})
			return err
		}},
		{points.ErrInsufficientPoints, nil, func(w *world) error {
			_, err := w.svc.Exchange(w.as(w.a1), w.community, points.ExchangeInput{ItemID: w.soap.ID, Quantity: 1})
			return err
		}},
		{points.ErrGiftsOff, &noGifts, func(w *world) error {
			w.earn(w.a0, 2)
			_, err := w.svc.Give(w.as(w.a0), w.community, points.GiftInput{ToID: w.a1.ID, Points: decimal.NewFromInt(1)})
			return err
		}},
		{points.ErrGiftCapExceeded, nil, func(w *world) error {
			for range 6 {
				w.clock.Advance(24 * time.Hour)
				w.earn(w.a0, 10)
			}
			_, err := w.svc.Give(w.as(w.a0), w.community, points.GiftInput{ToID: w.a1.ID, Points: decimal.NewFromInt(51)})
			return err
		}},
		{points.ErrNeverExpire, &neverExpire, func(w *world) error {
			_, err := w.svc.Expire(w.worker, w.community, points.ExpireInput{Year: 2025})
			return err
		}},
		{points.ErrExpiryNotDue, nil, func(w *world) error {
			_, err := w.svc.Expire(w.worker, w.community, points.ExpireInput{Year: 2026})
			return err
		}},
		{points.ErrOutOfStock, nil, func(w *world) error {
			w.earn(w.a1, 3)
			_, err := w.svc.Exchange(w.as(w.a1), w.community, points.ExchangeInput{ItemID: w.soap.ID, Quantity: 2})
			return err
		}},
		{points.ErrExchangeState, nil, func(w *world) error {
			w.earn(w.a1, 1)
			e, err := w.svc.Exchange(w.as(w.a1), w.community, points.ExchangeInput{ItemID: w.soap.ID, Quantity: 1, Reserve: true})
			require.NoError(t, err)
			_, err = w.svc.Return(w.worker, w.community, e.ID, points.CloseInput{Reason: "坏了"})
			return err
		}},
		{points.ErrReservationExpired, nil, func(w *world) error {
			w.earn(w.a1, 1)
			e, err := w.svc.Exchange(w.as(w.a1), w.community, points.ExchangeInput{ItemID: w.soap.ID, Quantity: 1, Reserve: true})
			require.NoError(t, err)
			w.clock.Advance(73 * time.Hour)
			_, err = w.svc.Pickup(w.worker, w.community, e.ID)
			return err
		}},
		{points.ErrSignedUpAlready, nil, func(w *world) error {
			m, err := w.svc.CreateMarket(w.worker, w.community, points.MarketInput{Title: "义集", Date: w.clock.Now(), Place: "广场"})
			require.NoError(t, err)
			_, err = w.svc.SignUp(w.as(w.a1), w.community, m.ID, points.SignUpInput{GroupID: w.group})
			require.NoError(t, err)
			_, err = w.svc.SignUp(w.as(w.a1), w.community, m.ID, points.SignUpInput{GroupID: w.group})
			return err
		}},
		{points.ErrIDReused, nil, func(w *world) error {
			w.earn(w.a1, 1)
			d, err := w.svc.Donate(w.worker, w.community, points.DonationInput{Donor: points.Party{Kind: points.PartyEnterprise, Name: "超市"}, ItemID: w.soap.ID, Quantity: 1, Condition: "new"})
			require.NoError(t, err)
			_, err = w.svc.Donate(w.worker, w.community, points.DonationInput{ID: d.ID, Donor: points.Party{Kind: points.PartyEnterprise, Name: "超市"}, ItemID: w.soap.ID, Quantity: 2, Condition: "new"})
			return err
		}},
	}
	broken := map[*grids.Rule]bool{}
	for _, tc := range cases {
		broken[tc.rule] = true
		t.Run(tc.rule.Name(), func(t *testing.T) {
			err := tc.refused(newWorld(t, tc.policy))
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.rule, "got %v", err)
			assert.ErrorIs(t, err, tc.rule.Code())
			var e *grids.Error
			require.True(t, errors.As(err, &e))
			assert.Equal(t, tc.rule, e.Rule)
		})
	}
	for _, r := range points.Refusals() {
		assert.True(t, broken[r], "rule %s is broken by a case", r.Name())
	}
}

// TestDatesInRange: a donation dated before clock.Earliest, or in the
// future, is refused with the field at fault.
func TestDatesInRange(t *testing.T) {
	w := newWorld(t, nil)
	for _, at := range []time.Time{time.Date(1999, 6, 1, 0, 0, 0, 0, time.UTC), w.clock.Now().Add(time.Hour)} {
		_, err := w.svc.Donate(w.worker, w.community, points.DonationInput{Donor: points.Party{Kind: points.PartyEnterprise, Name: "超市"}, ItemID: w.soap.ID,
			Quantity: 1, Condition: "new", Date: at})
		require.ErrorIs(t, err, grids.Invalid, "%s", at)
		var e *grids.Error
		require.True(t, errors.As(err, &e))
		assert.Equal(t, "date", e.Fields[0].Field)
	}
}

// TestAuthorityFromOfficesHeldNow: who sees every volunteer's claims
// follows from the offices held now, not from the roles a token carries.
// A council member sees them while in office and not after the term ends;
// a token that says council_member without a seat sees only its own; a
// group's leader sees them.
func TestAuthorityFromOfficesHeldNow(t *testing.T) {
	w := newWorld(t, nil)
	c := w.claim() // a0's
	bodies, _, err := w.gov.FindBodies(w.worker, governance.BodyFilter{CommunityID: w.community, Kind: governance.Council})
	require.NoError(t, err)
	require.Len(t, bodies, 1)
	council := bodies[0]
	d, err := w.gov.RecordDecision(w.worker, w.community, governance.DecisionInput{Title: "增补理事"})
	require.NoError(t, err)

	// a1 carries the council role in its token throughout.
	a1 := grids.WithPrincipal(context.Background(), grids.Principal{ID: "u-a1", CommunityID: w.community, Name: w.a1.Name,
		Roles: []grids.Role{grids.RoleResident, grids.RoleCouncilMember}, ResidentID: w.a1.ID})
	seesAll := func(ctx context.Context) error {
		if _, _, err := w.svc.Claims(ctx, w.community, points.ClaimFilter{}); err != nil {
			return err
		}
		_, err := w.svc.ClaimByID(ctx, w.community, c.ID)
		return err
	}
	assert.ErrorIs(t, seesAll(a1), points.ErrNotYours, "a role in the token without a seat")

	seat, err := w.gov.Appoint(w.worker, w.community, governance.AppointInput{BodyID: council.ID, ResidentID: w.a1.ID, Office: governance.Member, DecisionID: d.ID})
	require.NoError(t, err)
	assert.NoError(t, seesAll(a1), "a council member in office")
	claims, n, err := w.svc.Claims(a1, w.community, points.ClaimFilter{})
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Equal(t, c.ID, claims[0].ID)

	w.clock.Advance(time.Hour)
	_, err = w.gov.EndPosition(w.worker, w.community, seat.ID, governance.EndInput{Reason: "任期届满"})
	require.NoError(t, err)
	w.clock.Advance(time.Minute)
	err = seesAll(a1)
	assert.ErrorIs(t, err, points.ErrNotYours, "the term ended, and its authority with it")
	assert.ErrorIs(t, err, grids.Forbidden)
	_, _, err = w.svc.Claims(a1, w.community, points.ClaimFilter{ResidentID: w.a1.ID})
	assert.NoError(t, err, "a resident still sees their own")

	_, err = w.gov.Appoint(w.worker, w.community, governance.AppointInput{BodyID: w.group, ResidentID: w.b0.ID, Office: governance.Leader, DecisionID: d.ID})
	require.NoError(t, err)
	assert.NoError(t, seesAll(w.as(w.b0)), "a group's leader")
	assert.ErrorIs(t, seesAll(w.as(w.a1)), points.ErrNotYours, "a plain resident")
}
