package fundstest

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/record/recordtest"
	"github.com/linli-go/linli/internal/ids"
)

func testRecords(t *testing.T, f *fixture) {
	com, err := f.reg.CreateCommunity(f.admin, grids.CommunityInput{Name: "记录社区"})
	require.NoError(t, err)
	c := com.ID
	env := recordtest.Env[funds.Tx]{View: f.st.Funds.View, Update: f.st.Funds.Update, Community: c, Other: f.other}
	t0 := time.Date(2026, 1, 5, 1, 2, 3, 456000, time.UTC)
	t1 := t0.Add(48 * time.Hour)
	at := func(t time.Time) *time.Time { return &t }
	r1, r2, x1, x2 := ids.New(), ids.New(), ids.New(), ids.New()

	recordtest.Check(t, env, recordtest.Kind[funds.Tx, funds.Fund]{Name: "fund", Table: funds.Tx.Funds,
		Change: func(v funds.Fund) funds.Fund { v.Name, v.Kind = "改名", funds.OtherFund; return v },
	}, funds.Fund{ID: ids.New(), CommunityID: c, Kind: funds.ProjectFund, Name: "a", CreatedBy: "w", CreatedAt: t0, UpdatedAt: t0, Balance: decimal.Zero},
		funds.Fund{ID: ids.New(), CommunityID: c, Kind: funds.WelfareFund, Name: "b", CreatedBy: "w", CreatedAt: t1, UpdatedAt: t1, Balance: decimal.Zero})

	recordtest.Check(t, env, recordtest.Kind[funds.Tx, funds.Income]{Name: "income", Table: funds.Tx.Incomes,
		Change: func(v funds.Income) funds.Income {
			v.ReversedAt, v.ReversedBy, v.Reason = at(t1), "w", "错账"
			return v
		},
	}, funds.Income{ID: ids.New(), CommunityID: c, FundID: x1, Source: funds.Source{Kind: funds.FromMerchant, ID: r1, Name: "店"}, Amount: d("12.5"), Date: t0, Period: "2026-01", RecordedBy: "w", CreatedAt: t0},
		funds.Income{ID: ids.New(), CommunityID: c, FundID: x2, Source: funds.Source{Kind: funds.FromDonor, ID: r2, Name: "人"}, Amount: d("3"), Date: t1, RecordedBy: "w", CreatedAt: t1})

	call := func(fund string, st funds.CallStatus, opens time.Time) funds.Call {
		return funds.Call{ID: ids.New(), CommunityID: c, FundID: fund, Title: "征集", Budget: d("30000"), Cap: d("20000"), Opens: opens, Closes: opens.Add(time.Hour),
			Rubric: funds.DefaultRubric, Panel: []funds.Reviewer{{ResidentID: r1, Ties: []string{x1}}}, Status: st, CreatedBy: "w", CreatedAt: t0, UpdatedAt: t0}
	}
	recordtest.Check(t, env, recordtest.Kind[funds.Tx, funds.Call]{Name: "call", Table: funds.Tx.Calls,
		Change: func(v funds.Call) funds.Call { v.Status, v.ReviewedAt = funds.CallReviewed, at(t1); return v },
	}, call(x1, funds.CallUpcoming, t0), call(x2, funds.CallAwarded, t1))

	prop := func(org, callID string, st funds.ProposalStatus, when time.Time) funds.Proposal {
		return funds.Proposal{ID: ids.New(), CommunityID: c, CallID: callID, CommitteeID: x1, OrganisationID: org, Title: "项目", Goals: "g", NeedIDs: []string{},
			Start: t0, End: t1, Lines: []funds.Line{{Key: "a", Category: "materials", Amount: d("1.5")}}, Request: d("1.5"), Status: st, Owner: "p", CreatedAt: when, UpdatedAt: when}
	}
	recordtest.Check(t, env, recordtest.Kind[funds.Tx, funds.Proposal]{Name: "proposal", Table: funds.Tx.Proposals,
		Change: func(v funds.Proposal) funds.Proposal { v.Status, v.SubmittedAt = funds.Submitted, at(t1); return v },
	}, prop(r1, x1, funds.Draft, t0), prop(r2, x2, funds.Declined, t1))

	recordtest.Check(t, env, recordtest.Kind[funds.Tx, funds.Review]{Name: "review", Table: funds.Tx.Reviews,
		Change: func(v funds.Review) funds.Review { v.Scores = map[string]int{"needs": 1}; return v },
	}, funds.Review{ID: ids.New(), CommunityID: c, CallID: "c1", ProposalID: x1, ReviewerID: r1, Scores: map[string]int{"needs": 9}, CreatedAt: t0, UpdatedAt: t0},
		funds.Review{ID: ids.New(), CommunityID: c, CallID: "c2", ProposalID: x2, ReviewerID: r2, Scores: map[string]int{}, CreatedAt: t1, UpdatedAt: t1})

	grant := func(prop, callID string, when time.Time) funds.Grant {
		return funds.Grant{ID: ids.New(), CommunityID: c, CallID: callID, ProposalID: prop, FundID: x1, Title: "项目", Amount: d("100.1"),
			Lines: []funds.Line{{Key: "a", Category: "materials", Amount: d("100.1")}}, Instalments: []funds.Instalment{{Seq: 1, Due: when, Amount: d("100.1")}},
			Score: d("78.5"), Rank: 1, AwardedBy: "w", AwardedAt: when}
	}
	recordtest.Check(t, env, recordtest.Kind[funds.Tx, funds.Grant]{Name: "grant", Table: funds.Tx.Grants,
		Change: func(v funds.Grant) funds.Grant {
			v.Instalments = append([]funds.Instalment(nil), v.Instalments...)
			v.Instalments[0].ReleasedAt = at(t1)
			return v
		},
	}, grant(r1, x1, t0), grant(r2, x2, t1))

	spend := func(rev, grantID string, k funds.SpendingKind, when time.Time) funds.Spending {
		return funds.Spending{ID: ids.New(), CommunityID: c, GrantID: grantID, Kind: k, Line: "a", Amount: d("9.99"), Payee: "店", ReceiptRef: "r",
			ApprovedBy: "a", Date: when, Reverses: rev, RecordedBy: "w", CreatedAt: when}
	}
	recordtest.Check(t, env, recordtest.Kind[funds.Tx, funds.Spending]{Name: "spending", Table: funds.Tx.Spendings,
		Change: func(v funds.Spending) funds.Spending { v.Note = "补记"; return v },
	}, spend(r1, x1, funds.Refund, t0), spend(r2, x2, funds.Spend, t1))

	recordtest.Check(t, env, recordtest.Kind[funds.Tx, funds.Merchant]{Name: "merchant", Table: funds.Tx.Merchants,
		Change: func(v funds.Merchant) funds.Merchant { v.LeftAt = at(t1); return v },
	}, funds.Merchant{ID: ids.New(), CommunityID: c, Name: "店", PrincipalID: r1, Rate: d("0.1"), JoinedAt: t0, CreatedBy: "w"},
		funds.Merchant{ID: ids.New(), CommunityID: c, Name: "铺", PrincipalID: r2, Rate: d("0.05"), JoinedAt: t1, CreatedBy: "w"})

	recordtest.Check(t, env, recordtest.Kind[funds.Tx, funds.Declaration]{Name: "declaration", Table: funds.Tx.Declarations}, funds.Declaration{ID: ids.New(), CommunityID: c, MerchantID: x1, Period: "2026-01", Takings: d("100"), Rate: d("0.1"), Due: d("10"), DeclaredBy: "m", At: t0},
		funds.Declaration{ID: ids.New(), CommunityID: c, MerchantID: x2, Period: "2026-02", Takings: d("5"), Rate: d("0.1"), Due: d("0.5"), DeclaredBy: "m", At: t1})
}
