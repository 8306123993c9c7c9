package pointstest

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/grids/record"
	"github.com/linli-go/linli/internal/faults"
	"github.com/linli-go/linli/points"
)

// service is a Service over the store with the plan's faults, as a
// process that starts afresh would make it.
func (f *fixture) service(p *faults.Plan) *points.Service {
	return points.NewService(faulty(f.st.Points, p), governance.Lookup{Store: f.st.Governance}, grids.Lookup{Store: f.st.Grids}, points.Options{Now: f.clock.Now, NewID: f.newID, Groups: f.gov})
}

// in is ctx with resident i acting; -1 is the worker, -2 the second
// worker, who verifies.
func (f *fixture) in(ctx context.Context, i int) context.Context {
	if i == -2 {
		return grids.WithPrincipal(ctx, grids.Principal{ID: "worker-2", CommunityID: f.community, Name: "王强", Roles: []grids.Role{grids.RoleWorker}})
	}
	if i < 0 {
		return grids.WithPrincipal(ctx, grids.Principal{ID: "worker-1", CommunityID: f.community, Name: "李娜", Roles: []grids.Role{grids.RoleWorker}})
	}
	r := f.residents[i]
	return grids.WithPrincipal(ctx, grids.Principal{ID: "resident-" + r.ID, CommunityID: f.community, Name: r.Name, Roles: []grids.Role{grids.RoleResident}, ResidentID: r.ID})
}

// count counts a community's records that find finds.
func (f *fixture) count(t *testing.T, find func(points.Tx, record.Filter) (int, error), fl record.Filter) int {
	t.Helper()
	fl.CommunityID = f.community
	var n int
	require.NoError(t, f.st.Points.View(context.Background(), func(tx points.Tx) error {
		var err error
		n, err = find(tx, fl)
		return err
	}))
	return n
}

func claims(tx points.Tx, fl record.Filter) (int, error) {
	_, n, err := tx.Claims().Find(context.Background(), fl)
	return n, err
}

func exchanges(tx points.Tx, fl record.Filter) (int, error) {
	_, n, err := tx.Exchanges().Find(context.Background(), fl)
	return n, err
}

// testFaults injects a fault at every step of every command that moves
// points or stock, in turn: an error, a cancelled caller, a crash (the
// process gone, the database kept) and a lost reply to a commit. After
// each, the books agree with the records; the same command again (the
// client's retry, or the worker's after a restart) succeeds, and has had
// exactly one effect.
func testFaults(t *testing.T, f *fixture) {
	_, err := f.svc.SetPolicy(f.worker, f.community, points.PolicyInput{
		PointsPerHour: d("1"), LeaderBonus: d("1"), MaxMinutesPerDay: 1440, ExpiryYears: 1, GiftCap: d("1000000"), ReservationHours: 72, Zone: "Asia/Shanghai",
	})
	require.NoError(t, err)
	ev := points.Evidence{SignIn: true}
	// activity records service by the residents, ending an hour ago; each
	// a while after the last, so no day fills up.
	activity := func(t *testing.T, residents ...int) governance.Activity {
		f.clock.Advance(2 * time.Hour)
		start := f.clock.Now().Add(-90 * time.Minute)
		in := governance.ActivityInput{BodyID: f.group.ID, Title: "清扫楼道", Service: "cleaning", Start: start, End: start.Add(30 * time.Minute)}
		for _, r := range residents {
			in.Participants = append(in.Participants, governance.Participant{ResidentID: f.residents[r].ID, Minutes: 30})
		}
		a, err := f.gov.RecordActivity(f.worker, f.community, in)
		require.NoError(t, err)
		return a
	}
	claim := func(t *testing.T, verify bool) points.Claim {
		a := activity(t, 3)
		c, err := f.svc.Claim(f.worker, f.community, points.ClaimInput{ActivityID: a.ID, ResidentID: f.residents[3].ID, Evidence: ev})
		require.NoError(t, err)
		if verify {
			c, err = f.svc.Verify(f.verifier, f.community, c.ID, points.VerifyInput{Approve: true})
			require.NoError(t, err)
		}
		return c
	}
	var soap, towel points.Item // made after the years of earnings: the ledger's clock only goes forward
	byStatus := func(st any) func(t *testing.T) int {
		return func(t *testing.T) int {
			if cs, ok := st.(points.ClaimStatus); ok {
				return f.count(t, claims, record.Filter{Status: string(cs)})
			}
			return f.count(t, exchanges, record.Filter{Status: string(st.(points.ExchangeStatus))})
		}
	}
	reserve := func(t *testing.T, reserve bool) points.Exchange {
		e, err := f.svc.Exchange(f.worker, f.community, points.ExchangeInput{ResidentID: f.residents[1].ID, ItemID: towel.ID, Quantity: 1, Reserve: reserve})
		require.NoError(t, err)
		return e
	}
	const years = 90 // of earnings to expire, one a fault

	commands := []faults.Command{
		{Name: "Expire",
			Setup: func(t *testing.T) {
				// A point a year for resident 5, 2000 to 2089, before the
				// ledger has anything else; then now is 2092.
				for y := range years {
					f.clock.Set(time.Date(2000+y, 6, 1, 2, 0, 0, 0, time.UTC))
					a, err := f.gov.RecordActivity(f.worker, f.community, governance.ActivityInput{BodyID: f.group.ID, Title: "清扫楼道", Service: "cleaning",
						Start: f.clock.Now().Add(-2 * time.Hour), End: f.clock.Now().Add(-time.Hour), Participants: []governance.Participant{{ResidentID: f.residents[5].ID, Minutes: 60}}})
					require.NoError(t, err)
					c, err := f.svc.Claim(f.worker, f.community, points.ClaimInput{ActivityID: a.ID, ResidentID: f.residents[5].ID, Evidence: ev})
					require.NoError(t, err)
					_, err = f.svc.Verify(f.verifier, f.community, c.ID, points.VerifyInput{Approve: true})
					require.NoError(t, err)
				}
				f.clock.Set(time.Date(2092, 3, 10, 1, 0, 0, 0, time.UTC))
			},
			Prepare: func() func(t *testing.T) func(context.Context, *faults.Plan) error {
				year := 1999
				return func(t *testing.T) func(context.Context, *faults.Plan) error {
					year++
					require.Less(t, year, 2000+years, "more faults than years of earnings")
					return func(ctx context.Context, p *faults.Plan) error {
						_, err := f.service(p).Expire(f.in(ctx, -1), f.community, points.ExpireInput{Year: year})
						return err
					}
				}
			}(),
			Effects: func(t *testing.T) int {
				return f.count(t, func(tx points.Tx, fl record.Filter) (int, error) {
					_, n, err := tx.Expiries().Find(context.Background(), fl)
					return n, err
				}, record.Filter{})
			}},
		{Name: "Claim",
			Prepare: func(t *testing.T) func(context.Context, *faults.Plan) error {
				a, id := activity(t, 3), f.newID()
				return func(ctx context.Context, p *faults.Plan) error {
					_, err := f.service(p).Claim(f.in(ctx, 3), f.community, points.ClaimInput{ID: id, ActivityID: a.ID, Evidence: ev})
					return err
				}
			},
			Effects: func(t *testing.T) int { return f.count(t, claims, record.Filter{}) }},
		{Name: "ClaimActivity", Per: 2,
			Prepare: func(t *testing.T) func(context.Context, *faults.Plan) error {
				a := activity(t, 3, 4)
				return func(ctx context.Context, p *faults.Plan) error {
					_, err := f.service(p).ClaimActivity(f.in(ctx, -1), f.community, a.ID, points.ActivityClaimInput{Evidence: ev})
					return err
				}
			},
			Effects: func(t *testing.T) int { return f.count(t, claims, record.Filter{}) }},
		{Name: "Verify",
			Prepare: func(t *testing.T) func(context.Context, *faults.Plan) error {
				c := claim(t, false)
				return func(ctx context.Context, p *faults.Plan) error {
					_, err := f.service(p).Verify(f.in(ctx, -2), f.community, c.ID, points.VerifyInput{Approve: true})
					return err
				}
			},
			Effects: byStatus(points.Verified)},
		{Name: "Reject",
			Prepare: func(t *testing.T) func(context.Context, *faults.Plan) error {
				c := claim(t, false)
				return func(ctx context.Context, p *faults.Plan) error {
					_, err := f.service(p).Verify(f.in(ctx, -2), f.community, c.ID, points.VerifyInput{Approve: false, Note: "不符"})
					return err
				}
			},
			Effects: byStatus(points.Rejected)},
		{Name: "Correct",
			Prepare: func(t *testing.T) func(context.Context, *faults.Plan) error {
				c := claim(t, true)
				return func(ctx context.Context, p *faults.Plan) error {
					_, err := f.service(p).Correct(f.in(ctx, -1), f.community, c.ID, points.CorrectInput{Reason: "未到场"})
					return err
				}
			},
			Effects: byStatus(points.Corrected)},
		{Name: "Exchange",
			Setup: func(t *testing.T) {
				soap, towel = f.item("肥皂", "0.01", 100000), f.item("毛巾", "0.01", 100000)
				for range 4 {
					claim(t, true) // points for resident 3 to correct later
				}
				f.earn(1, 600) // 10 points: a thousand exchanges and gifts
			},
			Prepare: func(t *testing.T) func(context.Context, *faults.Plan) error {
				id := f.newID()
				return func(ctx context.Context, p *faults.Plan) error {
					_, err := f.service(p).Exchange(f.in(ctx, 1), f.community, points.ExchangeInput{ID: id, ItemID: soap.ID, Quantity: 1})
					return err
				}
			},
			Effects: func(t *testing.T) int { return f.count(t, exchanges, record.Filter{RefID: soap.ID}) }},
		{Name: "Reserve",
			Prepare: func(t *testing.T) func(context.Context, *faults.Plan) error {
				id := f.newID()
				return func(ctx context.Context, p *faults.Plan) error {
					_, err := f.service(p).Exchange(f.in(ctx, -1), f.community, points.ExchangeInput{ID: id, ResidentID: f.residents[1].ID, ItemID: towel.ID, Quantity: 1, Reserve: true})
					return err
				}
			},
			Effects: func(t *testing.T) int {
				return f.count(t, exchanges, record.Filter{RefID: towel.ID, Status: string(points.Reserved)})
			}},
		{Name: "Pickup",
			Prepare: func(t *testing.T) func(context.Context, *faults.Plan) error {
				e := reserve(t, true)
				return func(ctx context.Context, p *faults.Plan) error {
					_, err := f.service(p).Pickup(f.in(ctx, -1), f.community, e.ID)
					return err
				}
			},
			Effects: byStatus(points.Completed)},
		{Name: "Cancel",
			Prepare: func(t *testing.T) func(context.Context, *faults.Plan) error {
				e := reserve(t, true)
				return func(ctx context.Context, p *faults.Plan) error {
					_, err := f.service(p).Cancel(f.in(ctx, 1), f.community, e.ID, points.CloseInput{Reason: "不要了"})
					return err
				}
			},
			Effects: byStatus(points.Cancelled)},
		{Name: "Return",
			Prepare: func(t *testing.T) func(context.Context, *faults.Plan) error {
				e := reserve(t, false)
				return func(ctx context.Context, p *faults.Plan) error {
					_, err := f.service(p).Return(f.in(ctx, -1), f.community, e.ID, points.CloseInput{Reason: "坏了"})
					return err
				}
			},
			Effects: byStatus(points.Returned)},
		{Name: "Donate",
			Prepare: func(t *testing.T) func(context.Context, *faults.Plan) error {
				id := f.newID()
				return func(ctx context.Context, p *faults.Plan) error {
					_, err := f.service(p).Donate(f.in(ctx, -1), f.community, points.DonationInput{ID: id, Donor: points.Party{Kind: points.PartyEnterprise, Name: "华润万家"},
						ItemID: soap.ID, Quantity: 2, Condition: "new"})
					return err
				}
			},
			Effects: func(t *testing.T) int {
				return f.count(t, func(tx points.Tx, fl record.Filter) (int, error) {
					_, n, err := tx.Donations().Find(context.Background(), fl)
					return n, err
				}, record.Filter{RefID: soap.ID})
			}},
		{Name: "Give",
			Prepare: func(t *testing.T) func(context.Context, *faults.Plan) error {
				id := f.newID()
				return func(ctx context.Context, p *faults.Plan) error {
					_, err := f.service(p).Give(f.in(ctx, 1), f.community, points.GiftInput{ID: id, ToID: f.residents[2].ID, Points: d("0.01")})
					return err
				}
			},
			Effects: func(t *testing.T) int {
				return f.count(t, func(tx points.Tx, fl record.Filter) (int, error) {
					_, n, err := tx.Gifts().Find(context.Background(), fl)
					return n, err
				}, record.Filter{})
			}},
	}
	for _, cmd := range commands {
		if !t.Run(cmd.Name, func(t *testing.T) { faults.Test(t, cmd, func() { f.audit() }) }) {
			return
		}
	}
}

// testAuditFinds writes books that disagree with the records, past the
// service, and requires the audit to find each disagreement: a record
// whose transfers are missing, and a transfer no record explains.
func testAuditFinds(t *testing.T, f *fixture) {
	bg := context.Background()
	com, err := f.reg.CreateCommunity(f.admin, grids.CommunityInput{Name: "账不平社区"})
	require.NoError(t, err)
	c := com.ID
	a, err := f.svc.Audit(f.admin, c)
	require.NoError(t, err)
	require.Empty(t, a.Disagreements, "a new community's books agree")
	donation := points.Donation{ID: f.newID(), CommunityID: c, Donor: points.Party{Kind: points.PartyEnterprise, Name: "x"}, ItemID: f.newID(),
		Quantity: 3, Date: f.clock.Now(), Condition: "new", CreatedAt: f.clock.Now()}
	stray := ledger.Transfer{ID: ledger.Derive("stray"), DebitAccountID: ledger.Derive("a"), CreditAccountID: ledger.Derive("b"), Amount: 5,
		UserData128: ledger.Ref(f.newID()), Ledger: points.LedgerPoints, Code: points.CodeEarn}
	require.NoError(t, f.st.Points.Update(bg, func(tx points.Tx) error {
		if err := tx.Donations().Create(bg, donation); err != nil {
			return err
		}
		bk := ledger.Books{Tx: tx.Ledger(c)}
		if err := bk.Ensure(bg, ledger.Account{ID: stray.DebitAccountID, Ledger: points.LedgerPoints, Code: 1}, ledger.Account{ID: stray.CreditAccountID, Ledger: points.LedgerPoints, Code: 2}); err != nil {
			return err
		}
		fail, err := bk.Post(bg, stray)
		require.Nil(t, fail)
		return err
	}))
	a, err = f.svc.Audit(f.admin, c)
	require.NoError(t, err)
	require.Len(t, a.Disagreements, 2, "%v", a.Disagreements)
	assert.Equal(t, "donation "+donation.ID, a.Disagreements[0].Record)
	assert.Contains(t, a.Disagreements[0].Problem, "the ledger has no transfer of 3")
	assert.Equal(t, stray.ID.String(), a.Disagreements[1].Transfer)
	assert.Contains(t, a.Disagreements[1].Problem, "no record explains")
	assert.Equal(t, 1, a.Records)
	assert.Equal(t, 1, a.Transfers)
	// Another community's books are its own: the stray transfer is not
	// the fixture's, nor is it seen there.
	a, err = f.svc.Audit(f.admin, f.community)
	require.NoError(t, err)
	assert.Empty(t, a.Disagreements)
	_, err = f.svc.Audit(f.as(1), c)
	assert.ErrorIs(t, err, grids.Forbidden, "residents do not audit")
}
