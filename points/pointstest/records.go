package pointstest

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/record/recordtest"
	"github.com/linli-go/linli/internal/ids"
	"github.com/linli-go/linli/points"
)

func testRecords(t *testing.T, f *fixture) {
	// A community of its own: the fixture's has a policy already.
	com, err := f.reg.CreateCommunity(f.admin, grids.CommunityInput{Name: "记录社区"})
	require.NoError(t, err)
	c := com.ID
	env := recordtest.Env[points.Tx]{View: f.st.Points.View, Update: f.st.Points.Update, Community: c, Other: f.other}
	f.community = c
	t0 := time.Date(2026, 1, 5, 1, 2, 3, 456000, time.UTC)
	t1 := t0.Add(48 * time.Hour)
	r1, r2 := ids.New(), ids.New()
	ref1, ref2 := ids.New(), ids.New()
	at := func(t time.Time) *time.Time { return &t }

	recordtest.Check(t, env, recordtest.Kind[points.Tx, points.Policy]{Name: "policy", Table: points.Tx.Policies}, points.Policy{CommunityID: c, Version: 7, PolicyInput: points.DefaultPolicy.WithoutMultipliers(), CreatedBy: "w", CreatedAt: t0},
		points.Policy{CommunityID: c, Version: 8, PolicyInput: points.DefaultPolicy, CreatedBy: "w", CreatedAt: t1})
	require.NoError(t, f.st.Points.View(context.Background(), func(tx points.Tx) error {
		p, err := tx.Policies().Last(context.Background(), c)
		require.NoError(t, err)
		assert.Equal(t, 8, p.Version, "version 0 is the latest")
		return nil
	}))
	require.NoError(t, f.st.Points.View(context.Background(), func(tx points.Tx) error {
		_, err := tx.Policies().Last(context.Background(), f.other)
		assert.ErrorIs(t, err, grids.NotFound, "another community has none")
		return nil
	}))

	claim := func(id, res, ref string, st points.ClaimStatus, when time.Time) points.Claim {
		return points.Claim{ID: id, CommunityID: c, ActivityID: ref, ResidentID: res, Service: "cleaning", ActivityStart: when, Minutes: 90,
			Evidence: points.Evidence{Note: "签到", SignIn: true}, PolicyVersion: 1, Computed: d("1.5"), Points: d("1.5"), Capped: []string{"month"},
			Status: st, ClaimedBy: "w", ClaimedAt: when}
	}
	recordtest.Check(t, env, recordtest.Kind[points.Tx, points.Claim]{Name: "claim", Table: points.Tx.Claims,
		Change: func(v points.Claim) points.Claim {
			v.Status, v.VerifiedBy, v.VerifiedAt, v.Note = points.Verified, "w2", at(t1), "ok"
			return v
		},
	}, claim(ids.New(), r1, ref1, points.Claimed, t0), claim(ids.New(), r2, ref2, points.Rejected, t1))

	item := func(kind points.ItemKind, retired bool, when time.Time) points.Item {
		return points.Item{ID: ids.New(), CommunityID: c, Kind: kind, Name: "理发", Unit: "次", Price: d("2.5"), Retired: retired,
			Provider: &points.Party{Kind: points.PartyPartner, Name: "美发店"}, CreatedBy: "w", CreatedAt: when, UpdatedAt: when}
	}
	recordtest.Check(t, env, recordtest.Kind[points.Tx, points.Item]{Name: "item", Table: points.Tx.Items,
		Change: func(v points.Item) points.Item { v.Retired, v.Price = true, d("3"); return v },
	}, item(points.ItemService, false, t0), item(points.ItemGoods, true, t1))

	recordtest.Check(t, env, recordtest.Kind[points.Tx, points.Donation]{Name: "donation", Table: points.Tx.Donations}, points.Donation{ID: ids.New(), CommunityID: c, Donor: points.Party{Kind: points.PartyResident, ID: r1, Name: "赵兰"}, ItemID: ref1, Quantity: 3, Date: t0, Condition: "good", BestBefore: at(t1), RecordedBy: "w", CreatedAt: t0},
		points.Donation{ID: ids.New(), CommunityID: c, Donor: points.Party{Kind: points.PartyEnterprise, ID: r2, Name: "华润"}, ItemID: ref2, Quantity: 40, Date: t1, Condition: "new", RecordedBy: "w", CreatedAt: t1})

	exchange := func(res, item string, st points.ExchangeStatus, when time.Time) points.Exchange {
		return points.Exchange{ID: ids.New(), CommunityID: c, ResidentID: res, ItemID: item, Quantity: 2, Price: d("1.5"), Points: d("3"), Status: st,
			PolicyVersion: 1, ExpiresAt: at(when.Add(time.Hour)), CreatedBy: "w", CreatedAt: when}
	}
	recordtest.Check(t, env, recordtest.Kind[points.Tx, points.Exchange]{Name: "exchange", Table: points.Tx.Exchanges,
		Change: func(v points.Exchange) points.Exchange {
			v.Status, v.CompletedAt, v.ClosedBy = points.Completed, at(t1), "w"
			return v
		},
	}, exchange(r1, ref1, points.Reserved, t0), exchange(r2, ref2, points.Returned, t1))

	recordtest.Check(t, env, recordtest.Kind[points.Tx, points.Gift]{Name: "gift", Table: points.Tx.Gifts,
		Change: func(v points.Gift) points.Gift { v.Note = "改了"; return v },
	}, points.Gift{ID: ids.New(), CommunityID: c, FromID: r1, ToID: ref1, Points: d("2"), Status: points.GiftGiven, PolicyVersion: 1, At: t0},
		points.Gift{ID: ids.New(), CommunityID: c, FromID: r2, ToID: ref2, Points: d("0.5"), Note: "给孙女", Status: points.GiftStatus("archived"), PolicyVersion: 1, At: t1}) // any status: stores index what they are given

	recordtest.Check(t, env, recordtest.Kind[points.Tx, points.Expiry]{Name: "expiry", Table: points.Tx.Expiries}, points.Expiry{ID: ids.New(), CommunityID: c, ResidentID: r1, Year: 2024, Points: d("4"), PolicyVersion: 1, At: t0, By: "w"},
		points.Expiry{ID: ids.New(), CommunityID: c, ResidentID: r2, Year: 2025, Points: d("1"), PolicyVersion: 2, At: t1, By: "w"})

	recordtest.Check(t, env, recordtest.Kind[points.Tx, points.Market]{Name: "market", Table: points.Tx.Markets,
		Change: func(v points.Market) points.Market {
			v.Place, v.Stalls = "社区广场", append(v.Stalls, points.Stall{Name: "义诊", Kind: "service"})
			return v
		},
	}, points.Market{ID: ids.New(), CommunityID: c, Title: "一月义集", Date: t0, Place: "水秀广场", Stalls: []points.Stall{{Name: "兑换", Kind: "exchange"}}, CreatedBy: "w", CreatedAt: t0, UpdatedAt: t0},
		points.Market{ID: ids.New(), CommunityID: c, Title: "二月义集", Date: t1, Place: "水秀广场", Stalls: []points.Stall{}, CreatedBy: "w", CreatedAt: t1, UpdatedAt: t1})

	recordtest.Check(t, env, recordtest.Kind[points.Tx, points.SignUp]{Name: "sign_up", Table: points.Tx.SignUps}, points.SignUp{ID: ids.New(), CommunityID: c, MarketID: ref1, ResidentID: r1, GroupID: ids.New(), RecordedBy: "w", At: t0},
		points.SignUp{ID: ids.New(), CommunityID: c, MarketID: ref2, ResidentID: r2, GroupID: ids.New(), PositionID: ids.New(), RecordedBy: "w", At: t1})
}
