package fundstest

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/ids"
)

// kind is one record type's part of the Tx.
type kind[T funds.Record] struct {
	name   string
	get    func(tx funds.Tx, community, id string) (T, error)
	find   func(tx funds.Tx, f funds.Filter) ([]T, int, error)
	create func(tx funds.Tx, v T) error
	update func(tx funds.Tx, v T) error // nil: never changed
	change func(v T) T
}

// checkKind checks a record type: round trips, conflicts, isolation,
// every filter, order, pages, updates. a comes before b; their keys
// differ in every field.
func checkKind[T funds.Record](t *testing.T, f *fixture, community string, k kind[T], a, b T) {
	t.Run(k.name, func(t *testing.T) {
		ctx := context.Background()
		st := f.st.Funds
		require.NoError(t, st.Update(ctx, func(tx funds.Tx) error { return k.create(tx, b) }))
		require.NoError(t, st.Update(ctx, func(tx funds.Tx) error { return k.create(tx, a) }))
		assert.ErrorIs(t, st.Update(ctx, func(tx funds.Tx) error { return k.create(tx, a) }), funds.Conflict)
		_ = st.Update(ctx, func(tx funds.Tx) error { // rolled back: leaves nothing
			if k.update != nil {
				require.NoError(t, k.update(tx, k.change(a)))
			}
			return funds.Conflict
		})
		ka, kb := a.Keys(), b.Keys()
		require.NoError(t, st.View(ctx, func(tx funds.Tx) error {
			got, err := k.get(tx, community, ka.ID)
			require.NoError(t, err)
			same(t, a, got, "a record reads back as written")
			_, err = k.get(tx, f.other, ka.ID)
			assert.ErrorIs(t, err, funds.NotFound, "records belong to one community")
			find := func(fl funds.Filter) ([]string, int) {
				fl.CommunityID = community
				vs, n, err := k.find(tx, fl)
				require.NoError(t, err)
				out := []string{}
				for _, v := range vs {
					out = append(out, v.Keys().ID)
				}
				return out, n
			}
			got2, n := find(funds.Filter{})
			assert.Equal(t, []string{ka.ID, kb.ID}, got2, "finds order by time")
			assert.Equal(t, 2, n)
			got2, n = find(funds.Filter{Page: grids.Page{Offset: 1, Limit: 1}})
			assert.Equal(t, []string{kb.ID}, got2)
			assert.Equal(t, 2, n)
			got2, _ = find(funds.Filter{From: &kb.At})
			assert.Equal(t, []string{kb.ID}, got2)
			got2, _ = find(funds.Filter{To: &kb.At})
			assert.Equal(t, []string{ka.ID}, got2)
			for _, fl := range []funds.Filter{{ResidentID: ka.ResidentID}, {RefID: ka.RefID}, {Status: ka.Status}} {
				if fl == (funds.Filter{}) {
					continue
				}
				got2, _ = find(fl)
				assert.Equal(t, []string{ka.ID}, got2, "filter %+v", fl)
			}
			return nil
		}))
		if k.update == nil {
			return
		}
		changed := k.change(a)
		require.NoError(t, st.Update(ctx, func(tx funds.Tx) error { return k.update(tx, changed) }))
		require.NoError(t, st.View(ctx, func(tx funds.Tx) error {
			got, err := k.get(tx, community, ka.ID)
			require.NoError(t, err)
			same(t, changed, got, "an update replaces the record")
			kc := changed.Keys()
			vs, _, err := k.find(tx, funds.Filter{CommunityID: community, Status: kc.Status, RefID: kc.RefID})
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

func testRecords(t *testing.T, f *fixture) {
	com, err := f.reg.CreateCommunity(f.admin, grids.CommunityInput{Name: "记录社区"})
	require.NoError(t, err)
	c := com.ID
	t0 := time.Date(2026, 1, 5, 1, 2, 3, 456000, time.UTC)
	t1 := t0.Add(48 * time.Hour)
	at := func(t time.Time) *time.Time { return &t }
	r1, r2, x1, x2 := ids.New(), ids.New(), ids.New(), ids.New()
	bg := context.Background()

	checkKind(t, f, c, kind[funds.Fund]{name: "fund",
		get:    func(tx funds.Tx, c, id string) (funds.Fund, error) { return tx.Fund(bg, c, id) },
		find:   func(tx funds.Tx, fl funds.Filter) ([]funds.Fund, int, error) { return tx.FindFunds(bg, fl) },
		create: func(tx funds.Tx, v funds.Fund) error { return tx.CreateFund(bg, v) },
		update: func(tx funds.Tx, v funds.Fund) error { return tx.UpdateFund(bg, v) },
		change: func(v funds.Fund) funds.Fund { v.Name, v.Kind = "改名", funds.OtherFund; return v },
	}, funds.Fund{ID: ids.New(), CommunityID: c, Kind: funds.ProjectFund, Name: "a", CreatedBy: "w", CreatedAt: t0, UpdatedAt: t0, Balance: decimal.Zero},
		funds.Fund{ID: ids.New(), CommunityID: c, Kind: funds.WelfareFund, Name: "b", CreatedBy: "w", CreatedAt: t1, UpdatedAt: t1, Balance: decimal.Zero})

	checkKind(t, f, c, kind[funds.Income]{name: "income",
		get:    func(tx funds.Tx, c, id string) (funds.Income, error) { return tx.Income(bg, c, id) },
		find:   func(tx funds.Tx, fl funds.Filter) ([]funds.Income, int, error) { return tx.FindIncomes(bg, fl) },
		create: func(tx funds.Tx, v funds.Income) error { return tx.CreateIncome(bg, v) },
		update: func(tx funds.Tx, v funds.Income) error { return tx.UpdateIncome(bg, v) },
		change: func(v funds.Income) funds.Income {
			v.ReversedAt, v.ReversedBy, v.Reason = at(t1), "w", "错账"
			return v
		},
	}, funds.Income{ID: ids.New(), CommunityID: c, FundID: x1, Source: funds.Source{Kind: funds.FromMerchant, ID: r1, Name: "店"}, Amount: d("12.5"), Date: t0, Period: "2026-01", RecordedBy: "w", CreatedAt: t0},
		funds.Income{ID: ids.New(), CommunityID: c, FundID: x2, Source: funds.Source{Kind: funds.FromDonor, ID: r2, Name: "人"}, Amount: d("3"), Date: t1, RecordedBy: "w", CreatedAt: t1})

	call := func(fund string, st funds.CallStatus, opens time.Time) funds.Call {
		return funds.Call{ID: ids.New(), CommunityID: c, FundID: fund, Title: "征集", Budget: d("30000"), Cap: d("20000"), Opens: opens, Closes: opens.Add(time.Hour),
			Rubric: funds.DefaultRubric, Panel: []funds.Reviewer{{ResidentID: r1, Ties: []string{x1}}}, Status: st, CreatedBy: "w", CreatedAt: t0, UpdatedAt: t0}
	}
	checkKind(t, f, c, kind[funds.Call]{name: "call",
		get:    func(tx funds.Tx, c, id string) (funds.Call, error) { return tx.Call(bg, c, id) },
		find:   func(tx funds.Tx, fl funds.Filter) ([]funds.Call, int, error) { return tx.FindCalls(bg, fl) },
		create: func(tx funds.Tx, v funds.Call) error { return tx.CreateCall(bg, v) },
		update: func(tx funds.Tx, v funds.Call) error { return tx.UpdateCall(bg, v) },
		change: func(v funds.Call) funds.Call { v.Status, v.ReviewedAt = funds.CallReviewed, at(t1); return v },
	}, call(x1, funds.CallUpcoming, t0), call(x2, funds.CallAwarded, t1))

	prop := func(org, callID string, st funds.ProposalStatus, when time.Time) funds.Proposal {
		return funds.Proposal{ID: ids.New(), CommunityID: c, CallID: callID, CommitteeID: x1, OrganisationID: org, Title: "项目", Goals: "g", NeedIDs: []string{},
			Start: t0, End: t1, Lines: []funds.Line{{Key: "a", Category: "materials", Amount: d("1.5")}}, Request: d("1.5"), Status: st, Owner: "p", CreatedAt: when, UpdatedAt: when}
	}
	checkKind(t, f, c, kind[funds.Proposal]{name: "proposal",
		get:    func(tx funds.Tx, c, id string) (funds.Proposal, error) { return tx.Proposal(bg, c, id) },
		find:   func(tx funds.Tx, fl funds.Filter) ([]funds.Proposal, int, error) { return tx.FindProposals(bg, fl) },
		create: func(tx funds.Tx, v funds.Proposal) error { return tx.CreateProposal(bg, v) },
		update: func(tx funds.Tx, v funds.Proposal) error { return tx.UpdateProposal(bg, v) },
		change: func(v funds.Proposal) funds.Proposal { v.Status, v.SubmittedAt = funds.Submitted, at(t1); return v },
	}, prop(r1, x1, funds.Draft, t0), prop(r2, x2, funds.Declined, t1))

	checkKind(t, f, c, kind[funds.Review]{name: "review",
		get:    func(tx funds.Tx, c, id string) (funds.Review, error) { return tx.Review(bg, c, id) },
		find:   func(tx funds.Tx, fl funds.Filter) ([]funds.Review, int, error) { return tx.FindReviews(bg, fl) },
		create: func(tx funds.Tx, v funds.Review) error { return tx.CreateReview(bg, v) },
		update: func(tx funds.Tx, v funds.Review) error { return tx.UpdateReview(bg, v) },
		change: func(v funds.Review) funds.Review { v.Scores = map[string]int{"needs": 1}; return v },
	}, funds.Review{ID: ids.New(), CommunityID: c, CallID: "c1", ProposalID: x1, ReviewerID: r1, Scores: map[string]int{"needs": 9}, CreatedAt: t0, UpdatedAt: t0},
		funds.Review{ID: ids.New(), CommunityID: c, CallID: "c2", ProposalID: x2, ReviewerID: r2, Scores: map[string]int{}, CreatedAt: t1, UpdatedAt: t1})

	grant := func(prop, callID string, when time.Time) funds.Grant {
		return funds.Grant{ID: ids.New(), CommunityID: c, CallID: callID, ProposalID: prop, FundID: x1, Title: "项目", Amount: d("100.1"),
			Lines: []funds.Line{{Key: "a", Category: "materials", Amount: d("100.1")}}, Instalments: []funds.Instalment{{Seq: 1, Due: when, Amount: d("100.1")}},
			Score: d("78.5"), Rank: 1, AwardedBy: "w", AwardedAt: when}
	}
	checkKind(t, f, c, kind[funds.Grant]{name: "grant",
		get:    func(tx funds.Tx, c, id string) (funds.Grant, error) { return tx.Grant(bg, c, id) },
		find:   func(tx funds.Tx, fl funds.Filter) ([]funds.Grant, int, error) { return tx.FindGrants(bg, fl) },
		create: func(tx funds.Tx, v funds.Grant) error { return tx.CreateGrant(bg, v) },
		update: func(tx funds.Tx, v funds.Grant) error { return tx.UpdateGrant(bg, v) },
		change: func(v funds.Grant) funds.Grant {
			v.Instalments = append([]funds.Instalment(nil), v.Instalments...)
			v.Instalments[0].ReleasedAt = at(t1)
			return v
		},
	}, grant(r1, x1, t0), grant(r2, x2, t1))

	spend := func(rev, grantID string, k funds.SpendingKind, when time.Time) funds.Spending {
		return funds.Spending{ID: ids.New(), CommunityID: c, GrantID: grantID, Kind: k, Line: "a", Amount: d("9.99"), Payee: "店", ReceiptRef: "r",
			ApprovedBy: "a", Date: when, Reverses: rev, RecordedBy: "w", CreatedAt: when}
	}
	checkKind(t, f, c, kind[funds.Spending]{name: "spending",
		get:    func(tx funds.Tx, c, id string) (funds.Spending, error) { return tx.Spending(bg, c, id) },
		find:   func(tx funds.Tx, fl funds.Filter) ([]funds.Spending, int, error) { return tx.FindSpendings(bg, fl) },
		create: func(tx funds.Tx, v funds.Spending) error { return tx.CreateSpending(bg, v) },
		update: func(tx funds.Tx, v funds.Spending) error { return tx.UpdateSpending(bg, v) },
		change: func(v funds.Spending) funds.Spending { v.Note = "补记"; return v },
	}, spend(r1, x1, funds.Refund, t0), spend(r2, x2, funds.Spend, t1))

	checkKind(t, f, c, kind[funds.Merchant]{name: "merchant",
		get:    func(tx funds.Tx, c, id string) (funds.Merchant, error) { return tx.Merchant(bg, c, id) },
		find:   func(tx funds.Tx, fl funds.Filter) ([]funds.Merchant, int, error) { return tx.FindMerchants(bg, fl) },
		create: func(tx funds.Tx, v funds.Merchant) error { return tx.CreateMerchant(bg, v) },
		update: func(tx funds.Tx, v funds.Merchant) error { return tx.UpdateMerchant(bg, v) },
		change: func(v funds.Merchant) funds.Merchant { v.LeftAt = at(t1); return v },
	}, funds.Merchant{ID: ids.New(), CommunityID: c, Name: "店", PrincipalID: r1, Rate: d("0.1"), JoinedAt: t0, CreatedBy: "w"},
		funds.Merchant{ID: ids.New(), CommunityID: c, Name: "铺", PrincipalID: r2, Rate: d("0.05"), JoinedAt: t1, CreatedBy: "w"})

	checkKind(t, f, c, kind[funds.Declaration]{name: "declaration",
		get: func(tx funds.Tx, c, id string) (funds.Declaration, error) { return tx.Declaration(bg, c, id) },
		find: func(tx funds.Tx, fl funds.Filter) ([]funds.Declaration, int, error) {
			return tx.FindDeclarations(bg, fl)
		},
		create: func(tx funds.Tx, v funds.Declaration) error { return tx.CreateDeclaration(bg, v) },
	}, funds.Declaration{ID: ids.New(), CommunityID: c, MerchantID: x1, Period: "2026-01", Takings: d("100"), Rate: d("0.1"), Due: d("10"), DeclaredBy: "m", At: t0},
		funds.Declaration{ID: ids.New(), CommunityID: c, MerchantID: x2, Period: "2026-02", Takings: d("5"), Rate: d("0.1"), Due: d("0.5"), DeclaredBy: "m", At: t1})
}
