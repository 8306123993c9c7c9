package pointstest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/ids"
	"github.com/linli-go/linli/points"
)

// kind is one record type's part of the Tx, for the generic checks.
type kind[T points.Record] struct {
	name   string
	get    func(tx points.Tx, community, id string) (T, error)
	find   func(tx points.Tx, f points.Filter) ([]T, int, error)
	create func(tx points.Tx, v T) error
	update func(tx points.Tx, v T) error // nil: the record is never changed
	change func(v T) T                   // what an update changes, keys included
}

// checkKind checks a record type: round trips, conflicts, isolation
// between communities, every filter, the order and the pages. a comes
// before b, and their keys differ in every field.
func checkKind[T points.Record](t *testing.T, f *fixture, k kind[T], a, b T) {
	t.Run(k.name, func(t *testing.T) {
		ctx := context.Background()
		st := f.st.Points
		require.NoError(t, st.Update(ctx, func(tx points.Tx) error { return k.create(tx, b) }))
		require.NoError(t, st.Update(ctx, func(tx points.Tx) error { return k.create(tx, a) }))
		err := st.Update(ctx, func(tx points.Tx) error { return k.create(tx, a) })
		assert.ErrorIs(t, err, points.Conflict, "an ID is taken once")

		// A failed transaction leaves nothing behind.
		extra := a
		if k.update != nil {
			extra = k.change(a)
		}
		_ = st.Update(ctx, func(tx points.Tx) error {
			if k.update != nil {
				require.NoError(t, k.update(tx, extra))
			}
			return points.Conflict
		})

		ka, kb := a.Keys(), b.Keys()
		require.NoError(t, st.View(ctx, func(tx points.Tx) error {
			got, err := k.get(tx, f.community, ka.ID)
			require.NoError(t, err)
			same(t, a, got, "a record reads back as written")
			_, err = k.get(tx, f.other, ka.ID)
			assert.ErrorIs(t, err, points.NotFound, "records belong to one community")
			_, err = k.get(tx, f.community, ids.New())
			assert.ErrorIs(t, err, points.NotFound)

			ids := func(fl points.Filter) ([]string, int) {
				fl.CommunityID = f.community
				vs, n, err := k.find(tx, fl)
				require.NoError(t, err)
				out := []string{}
				for _, v := range vs {
					out = append(out, v.Keys().ID)
				}
				return out, n
			}
			got2, n := ids(points.Filter{})
			assert.Equal(t, []string{ka.ID, kb.ID}, got2, "finds order by time")
			assert.Equal(t, 2, n)
			got2, n = ids(points.Filter{Page: grids.Page{Offset: 1, Limit: 1}})
			assert.Equal(t, []string{kb.ID}, got2)
			assert.Equal(t, 2, n, "the total ignores the page")
			got2, _ = ids(points.Filter{From: &kb.At})
			assert.Equal(t, []string{kb.ID}, got2, "from is inclusive")
			got2, _ = ids(points.Filter{To: &kb.At})
			assert.Equal(t, []string{ka.ID}, got2, "to is exclusive")
			for _, fl := range []points.Filter{{ResidentID: ka.ResidentID}, {RefID: ka.RefID}, {Status: ka.Status}} {
				if fl == (points.Filter{}) {
					continue
				}
				got2, n = ids(fl)
				assert.Equal(t, []string{ka.ID}, got2, "filter %+v", fl)
				assert.Equal(t, 1, n)
			}
			vs, n, err := k.find(tx, points.Filter{CommunityID: f.other})
			require.NoError(t, err)
			assert.Empty(t, vs)
			assert.Zero(t, n)
			return nil
		}))

		if k.update == nil {
			return
		}
		changed := k.change(a)
		require.NoError(t, st.Update(ctx, func(tx points.Tx) error { return k.update(tx, changed) }))
		missing := b
		require.NoError(t, st.Update(ctx, func(tx points.Tx) error {
			err := k.update(tx, withID(missing))
			assert.ErrorIs(t, err, points.NotFound, "an update needs the record")
			return nil
		}))
		require.NoError(t, st.View(ctx, func(tx points.Tx) error {
			got, err := k.get(tx, f.community, ka.ID)
			require.NoError(t, err)
			same(t, changed, got, "an update replaces the record")
			kc := changed.Keys()
			vs, _, err := k.find(tx, points.Filter{CommunityID: kc.CommunityID, Status: kc.Status, ResidentID: kc.ResidentID})
			require.NoError(t, err)
			found := false
			for _, v := range vs {
				found = found || v.Keys().ID == kc.ID
			}
			assert.True(t, found, "finds see the changed keys")
			return nil
		}))
	})
}

// same asserts two records are equal as their JSON, which is how the
// API shows them: 1.50 and 1.5 points are the same.
func same(t *testing.T, want, got any, msg string) {
	t.Helper()
	w, err := json.Marshal(want)
	require.NoError(t, err)
	g, err := json.Marshal(got)
	require.NoError(t, err)
	assert.JSONEq(t, string(w), string(g), msg)
}

// withID gives a record a fresh ID through JSON-free reflection on the
// known types.
func withID[T points.Record](v T) T {
	id := ids.New()
	switch r := any(&v).(type) {
	case *points.Claim:
		r.ID = id
	case *points.Item:
		r.ID = id
	case *points.Exchange:
		r.ID = id
	case *points.Market:
		r.ID = id
	case *points.Gift:
		r.ID = id
	}
	return v
}

func testRecords(t *testing.T, f *fixture) {
	// A community of its own: the fixture's has a policy already.
	com, err := f.reg.CreateCommunity(f.admin, grids.CommunityInput{Name: "记录社区"})
	require.NoError(t, err)
	c := com.ID
	f.community = c
	t0 := time.Date(2026, 1, 5, 1, 2, 3, 456000, time.UTC)
	t1 := t0.Add(48 * time.Hour)
	r1, r2 := ids.New(), ids.New()
	ref1, ref2 := ids.New(), ids.New()
	at := func(t time.Time) *time.Time { return &t }

	checkKind(t, f, kind[points.Policy]{
		name: "policy",
		get: func(tx points.Tx, c, id string) (points.Policy, error) {
			v, err := points.PolicyVersion(id)
			if err != nil {
				return points.Policy{}, points.NotFound
			}
			return tx.Policy(context.Background(), c, v)
		},
		find: func(tx points.Tx, fl points.Filter) ([]points.Policy, int, error) {
			return tx.FindPolicies(context.Background(), fl)
		},
		create: func(tx points.Tx, v points.Policy) error { return tx.CreatePolicy(context.Background(), v) },
	}, points.Policy{CommunityID: c, Version: 7, PolicyInput: points.DefaultPolicy.WithoutMultipliers(), CreatedBy: "w", CreatedAt: t0},
		points.Policy{CommunityID: c, Version: 8, PolicyInput: points.DefaultPolicy, CreatedBy: "w", CreatedAt: t1})
	require.NoError(t, f.st.Points.View(context.Background(), func(tx points.Tx) error {
		p, err := tx.Policy(context.Background(), c, 0)
		require.NoError(t, err)
		assert.Equal(t, 8, p.Version, "version 0 is the latest")
		_, err = tx.Policy(context.Background(), f.other, 0)
		assert.ErrorIs(t, err, points.NotFound)
		return nil
	}))

	claim := func(id, res, ref string, st points.ClaimStatus, when time.Time) points.Claim {
		return points.Claim{ID: id, CommunityID: c, ActivityID: ref, ResidentID: res, Service: "cleaning", ActivityStart: when, Minutes: 90,
			Evidence: points.Evidence{Note: "签到", SignIn: true}, PolicyVersion: 1, Computed: d("1.5"), Points: d("1.5"), Capped: []string{"month"},
			Status: st, ClaimedBy: "w", ClaimedAt: when}
	}
	checkKind(t, f, kind[points.Claim]{
		name: "claim",
		get:  func(tx points.Tx, c, id string) (points.Claim, error) { return tx.Claim(context.Background(), c, id) },
		find: func(tx points.Tx, fl points.Filter) ([]points.Claim, int, error) {
			return tx.FindClaims(context.Background(), fl)
		},
		create: func(tx points.Tx, v points.Claim) error { return tx.CreateClaim(context.Background(), v) },
		update: func(tx points.Tx, v points.Claim) error { return tx.UpdateClaim(context.Background(), v) },
		change: func(v points.Claim) points.Claim {
			v.Status, v.VerifiedBy, v.VerifiedAt, v.Note = points.Verified, "w2", at(t1), "ok"
			return v
		},
	}, claim(ids.New(), r1, ref1, points.Claimed, t0), claim(ids.New(), r2, ref2, points.Rejected, t1))

	item := func(kind points.ItemKind, retired bool, when time.Time) points.Item {
		return points.Item{ID: ids.New(), CommunityID: c, Kind: kind, Name: "理发", Unit: "次", Price: d("2.5"), Retired: retired,
			Provider: &points.Party{Kind: points.PartyPartner, Name: "美发店"}, CreatedBy: "w", CreatedAt: when, UpdatedAt: when}
	}
	checkKind(t, f, kind[points.Item]{
		name: "item",
		get:  func(tx points.Tx, c, id string) (points.Item, error) { return tx.Item(context.Background(), c, id) },
		find: func(tx points.Tx, fl points.Filter) ([]points.Item, int, error) {
			return tx.FindItems(context.Background(), fl)
		},
		create: func(tx points.Tx, v points.Item) error { return tx.CreateItem(context.Background(), v) },
		update: func(tx points.Tx, v points.Item) error { return tx.UpdateItem(context.Background(), v) },
		change: func(v points.Item) points.Item { v.Retired, v.Price = true, d("3"); return v },
	}, item(points.ItemService, false, t0), item(points.ItemGoods, true, t1))

	checkKind(t, f, kind[points.Donation]{
		name: "donation",
		get: func(tx points.Tx, c, id string) (points.Donation, error) {
			return tx.Donation(context.Background(), c, id)
		},
		find: func(tx points.Tx, fl points.Filter) ([]points.Donation, int, error) {
			return tx.FindDonations(context.Background(), fl)
		},
		create: func(tx points.Tx, v points.Donation) error { return tx.CreateDonation(context.Background(), v) },
	}, points.Donation{ID: ids.New(), CommunityID: c, Donor: points.Party{Kind: points.PartyResident, ID: r1, Name: "赵兰"}, ItemID: ref1, Quantity: 3, Date: t0, Condition: "good", BestBefore: at(t1), RecordedBy: "w", CreatedAt: t0},
		points.Donation{ID: ids.New(), CommunityID: c, Donor: points.Party{Kind: points.PartyEnterprise, ID: r2, Name: "华润"}, ItemID: ref2, Quantity: 40, Date: t1, Condition: "new", RecordedBy: "w", CreatedAt: t1})

	exchange := func(res, item string, st points.ExchangeStatus, when time.Time) points.Exchange {
		return points.Exchange{ID: ids.New(), CommunityID: c, ResidentID: res, ItemID: item, Quantity: 2, Price: d("1.5"), Points: d("3"), Status: st,
			PolicyVersion: 1, ExpiresAt: at(when.Add(time.Hour)), CreatedBy: "w", CreatedAt: when}
	}
	checkKind(t, f, kind[points.Exchange]{
		name: "exchange",
		get: func(tx points.Tx, c, id string) (points.Exchange, error) {
			return tx.Exchange(context.Background(), c, id)
		},
		find: func(tx points.Tx, fl points.Filter) ([]points.Exchange, int, error) {
			return tx.FindExchanges(context.Background(), fl)
		},
		create: func(tx points.Tx, v points.Exchange) error { return tx.CreateExchange(context.Background(), v) },
		update: func(tx points.Tx, v points.Exchange) error { return tx.UpdateExchange(context.Background(), v) },
		change: func(v points.Exchange) points.Exchange {
			v.Status, v.CompletedAt, v.ClosedBy = points.Completed, at(t1), "w"
			return v
		},
	}, exchange(r1, ref1, points.Reserved, t0), exchange(r2, ref2, points.Returned, t1))

	checkKind(t, f, kind[points.Gift]{
		name: "gift",
		get:  func(tx points.Tx, c, id string) (points.Gift, error) { return tx.Gift(context.Background(), c, id) },
		find: func(tx points.Tx, fl points.Filter) ([]points.Gift, int, error) {
			return tx.FindGifts(context.Background(), fl)
		},
		create: func(tx points.Tx, v points.Gift) error { return tx.CreateGift(context.Background(), v) },
		update: func(tx points.Tx, v points.Gift) error { return tx.UpdateGift(context.Background(), v) },
		change: func(v points.Gift) points.Gift { v.Note = "改了"; return v },
	}, points.Gift{ID: ids.New(), CommunityID: c, FromID: r1, ToID: ref1, Points: d("2"), Status: points.GiftGiven, PolicyVersion: 1, At: t0},
		points.Gift{ID: ids.New(), CommunityID: c, FromID: r2, ToID: ref2, Points: d("0.5"), Note: "给孙女", Status: points.GiftStatus("archived"), PolicyVersion: 1, At: t1}) // any status: stores index what they are given

	checkKind(t, f, kind[points.Expiry]{
		name: "expiry",
		get:  func(tx points.Tx, c, id string) (points.Expiry, error) { return tx.Expiry(context.Background(), c, id) },
		find: func(tx points.Tx, fl points.Filter) ([]points.Expiry, int, error) {
			return tx.FindExpiries(context.Background(), fl)
		},
		create: func(tx points.Tx, v points.Expiry) error { return tx.CreateExpiry(context.Background(), v) },
	}, points.Expiry{ID: ids.New(), CommunityID: c, ResidentID: r1, Year: 2024, Points: d("4"), PolicyVersion: 1, At: t0, By: "w"},
		points.Expiry{ID: ids.New(), CommunityID: c, ResidentID: r2, Year: 2025, Points: d("1"), PolicyVersion: 2, At: t1, By: "w"})

	checkKind(t, f, kind[points.Market]{
		name: "market",
		get:  func(tx points.Tx, c, id string) (points.Market, error) { return tx.Market(context.Background(), c, id) },
		find: func(tx points.Tx, fl points.Filter) ([]points.Market, int, error) {
			return tx.FindMarkets(context.Background(), fl)
		},
		create: func(tx points.Tx, v points.Market) error { return tx.CreateMarket(context.Background(), v) },
		update: func(tx points.Tx, v points.Market) error { return tx.UpdateMarket(context.Background(), v) },
		change: func(v points.Market) points.Market {
			v.Place, v.Stalls = "社区广场", append(v.Stalls, points.Stall{Name: "义诊", Kind: "service"})
			return v
		},
	}, points.Market{ID: ids.New(), CommunityID: c, Title: "一月义集", Date: t0, Place: "水秀广场", Stalls: []points.Stall{{Name: "兑换", Kind: "exchange"}}, CreatedBy: "w", CreatedAt: t0, UpdatedAt: t0},
		points.Market{ID: ids.New(), CommunityID: c, Title: "二月义集", Date: t1, Place: "水秀广场", Stalls: []points.Stall{}, CreatedBy: "w", CreatedAt: t1, UpdatedAt: t1})

	checkKind(t, f, kind[points.SignUp]{
		name: "sign_up",
		get:  func(tx points.Tx, c, id string) (points.SignUp, error) { return tx.SignUp(context.Background(), c, id) },
		find: func(tx points.Tx, fl points.Filter) ([]points.SignUp, int, error) {
			return tx.FindSignUps(context.Background(), fl)
		},
		create: func(tx points.Tx, v points.SignUp) error { return tx.CreateSignUp(context.Background(), v) },
	}, points.SignUp{ID: ids.New(), CommunityID: c, MarketID: ref1, ResidentID: r1, GroupID: ids.New(), RecordedBy: "w", At: t0},
		points.SignUp{ID: ids.New(), CommunityID: c, MarketID: ref2, ResidentID: r2, GroupID: ids.New(), PositionID: ids.New(), RecordedBy: "w", At: t1})
}
