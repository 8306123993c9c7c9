// Package pointstest is the contract every points.Store passes, like
// fstest for file systems: RunStoreTests checks the records' transactions
// and, through points.Service, the bank's rules end to end on the store's
// ledger, including exchanges racing for the last items.
package pointstest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/record"
	"github.com/linli-go/linli/grids/record/recordtest"
	"github.com/linli-go/linli/internal/clock"
	"github.com/linli-go/linli/internal/ids"
	"github.com/linli-go/linli/internal/storetest"
	"github.com/linli-go/linli/points"
)

// Stores are the stores a points.Service works over.
type Stores struct {
	Points     points.Store
	Governance governance.Store
	Grids      grids.Store
}

// NewStores returns empty stores whose ledger stamps transfers with now.
type NewStores func(t testing.TB, now func() time.Time) Stores

// RunStoreTests runs the contract against fresh stores from newStores.
func RunStoreTests(t *testing.T, newStores NewStores) {
	t.Run("Records", func(t *testing.T) { testRecords(t, newFixture(t, newStores)) })
	t.Run("EarnVerifyPassbook", func(t *testing.T) { testEarn(t, newFixture(t, newStores)) })
	t.Run("ExchangeBothOrNeither", func(t *testing.T) { testExchange(t, newFixture(t, newStores)) })
	t.Run("Reservations", func(t *testing.T) { testReservations(t, newFixture(t, newStores)) })
	t.Run("GiftsAndExpiry", func(t *testing.T) { testGiftsAndExpiry(t, newFixture(t, newStores)) })
	t.Run("LastItems", func(t *testing.T) { testLastItems(t, newFixture(t, newStores)) })
	t.Run("GiftCapUnderConcurrency", func(t *testing.T) { testGiftCap(t, newFixture(t, newStores)) })
	t.Run("Faults", func(t *testing.T) { testFaults(t, newFixture(t, newStores)) })
	t.Run("AuditFindsDisagreements", func(t *testing.T) { testAuditFinds(t, newFixture(t, newStores)) })
	t.Run("WriteSkew", func(t *testing.T) { testWriteSkew(t, newFixture(t, newStores)) })
	t.Run("MarketAndEvaluation", func(t *testing.T) { testMarket(t, newFixture(t, newStores)) })
	t.Run("Caps", func(t *testing.T) { testCaps(t, newStores) })
	t.Run("Verifiers", func(t *testing.T) { testVerifiers(t, newFixture(t, newStores)) })
	t.Run("Version", func(t *testing.T) { testVersion(t, newFixture(t, newStores)) })
}

// testVersion: the store's version of a community advances with every
// committed write of its records or books, and only then.
func testVersion(t *testing.T, f *fixture) {
	market := func() points.Market {
		now := f.clock.Now()
		return points.Market{ID: f.newID(), CommunityID: f.community, Title: "义集", Date: now, Place: "广场", Stalls: []points.Stall{}, CreatedAt: now, UpdatedAt: now}
	}
	read := func(ctx context.Context) error {
		return f.st.Points.View(ctx, func(tx points.Tx) error {
			_, _, err := tx.Markets().Find(ctx, record.Filter{CommunityID: f.community})
			return err
		})
	}
	write := func(ctx context.Context) error {
		return f.st.Points.Update(ctx, func(tx points.Tx) error { return tx.Markets().Create(ctx, market()) })
	}
	fail := func(ctx context.Context) error {
		return f.st.Points.Update(ctx, func(tx points.Tx) error {
			if err := tx.Markets().Create(ctx, market()); err != nil {
				return err
			}
			return errors.New("changed its mind")
		})
	}
	recordtest.CheckVersion(t, f.st.Points, f.community, read, write, fail)

	before, err := f.st.Points.Version(context.Background(), f.community)
	require.NoError(t, err)
	it, err := f.svc.CreateItem(f.worker, f.community, points.ItemInput{Kind: points.ItemGoods, Name: "毛巾", Unit: "条", Price: d("2")})
	require.NoError(t, err)
	_, err = f.svc.Donate(f.worker, f.community, points.DonationInput{ItemID: it.ID, Quantity: 3, Condition: "new", Donor: points.Party{Kind: points.PartyEnterprise, Name: "超市"}})
	require.NoError(t, err)
	after, err := f.st.Points.Version(context.Background(), f.community)
	require.NoError(t, err)
	assert.Greater(t, after, before, "a donation (a record and the stock it adds) advances it")
}

// fixture is a community with a household of three, another of three, a
// group, an activity two days ago and the default policy.
type fixture struct {
	t         testing.TB
	st        Stores
	clock     *clock.Manual
	reg       *grids.Registry
	gov       *governance.Service
	svc       *points.Service
	community string
	other     string // a second community, for isolation
	residents []grids.Resident
	group     governance.Body
	bodies    []governance.Body // as Setup made them: the council, the think tank, the committees
	activity  governance.Activity
	admin     context.Context
	worker    context.Context
	verifier  context.Context // a second worker: verifies what the first recorded or claimed
	newID     func() string
}

func newFixture(t testing.TB, newStores NewStores) *fixture {
	c := clock.NewManual(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	f := &fixture{t: t, clock: c}
	f.st = newStores(t, c.Now)
	seq := ids.NewSequence(c.Now, uint64(time.Now().UnixNano()))
	f.newID = seq.New
	f.reg = grids.NewRegistry(f.st.Grids, grids.Options{Now: c.Now, NewID: seq.New})
	f.gov = governance.NewService(f.st.Governance, f.st.Grids, governance.Options{Now: c.Now, NewID: seq.New})
	f.svc = points.NewService(f.st.Points, governance.Lookup{Store: f.st.Governance}, grids.Lookup{Store: f.st.Grids}, points.Options{Now: c.Now, NewID: seq.New, Groups: f.gov})
	f.admin = grids.WithPrincipal(context.Background(), grids.Admin("test"))
	com, err := f.reg.CreateCommunity(f.admin, grids.CommunityInput{Name: "水秀社区"})
	require.NoError(t, err)
	other, err := f.reg.CreateCommunity(f.admin, grids.CommunityInput{Name: "别的社区"})
	require.NoError(t, err)
	f.community, f.other = com.ID, other.ID
	f.worker = grids.WithPrincipal(context.Background(), grids.Principal{ID: "worker-1", CommunityID: f.community, Name: "李娜", Roles: []grids.Role{grids.RoleWorker}})
	f.verifier = grids.WithPrincipal(context.Background(), grids.Principal{ID: "worker-2", CommunityID: f.community, Name: "王强", Roles: []grids.Role{grids.RoleWorker}})
	b, err := f.reg.CreateBuilding(f.admin, f.community, grids.BuildingInput{Name: "1号"})
	require.NoError(t, err)
	for h := range 2 {
		hh, err := f.reg.CreateHousehold(f.admin, f.community, grids.HouseholdInput{BuildingID: b.ID, Unit: fmt.Sprintf("%d01", h+1), Size: 3})
		require.NoError(t, err)
		for i := range 3 {
			r, err := f.reg.CreateResident(f.admin, f.community, grids.ResidentInput{HouseholdID: hh.ID, Name: fmt.Sprintf("居民%d", h*3+i), Sex: grids.Female, BirthYear: 1950 + i})
			require.NoError(t, err)
			f.residents = append(f.residents, r)
		}
	}
	bodies, err := f.gov.Setup(f.admin, f.community)
	require.NoError(t, err)
	f.bodies = bodies
	district, err := f.reg.CreateDistrict(f.admin, f.community, grids.DistrictInput{Name: "一片区"})
	require.NoError(t, err)
	f.group, err = f.gov.CreateBody(f.worker, f.community, governance.BodyInput{Kind: governance.Group, ParentID: bodies[2].ID, Name: "楼道互助小组", DistrictID: district.ID})
	require.NoError(t, err)
	start := time.Date(2026, 3, 8, 1, 0, 0, 0, time.UTC) // 09:00 in Shanghai
	f.activity, err = f.gov.RecordActivity(f.worker, f.community, governance.ActivityInput{
		BodyID: f.group.ID, Title: "探访独居老人", Service: "elder_visit", Start: start, End: start.Add(2 * time.Hour), OrganiserID: f.residents[0].ID,
		Participants: []governance.Participant{{ResidentID: f.residents[1].ID, Minutes: 120}, {ResidentID: f.residents[2].ID, Minutes: 90}, {ResidentID: f.residents[3].ID, Minutes: 60}},
	})
	require.NoError(t, err)
	_, err = f.svc.SetPolicy(f.worker, f.community, points.DefaultPolicy)
	require.NoError(t, err)
	// After every test, whatever it did, the books agree with the records.
	audited := []string{f.community, f.other}
	t.Cleanup(func() { f.audit(audited...) })
	return f
}

// as is the context of resident i acting.
func (f *fixture) as(i int) context.Context {
	r := f.residents[i]
	return grids.WithPrincipal(context.Background(), grids.Principal{ID: "resident-" + r.ID, CommunityID: f.community, Name: r.Name, Roles: []grids.Role{grids.RoleResident}, ResidentID: r.ID})
}

func (f *fixture) balance(i int) decimal.Decimal {
	f.t.Helper()
	pb, err := f.svc.Passbook(f.worker, f.community, f.residents[i].ID, time.Time{}, time.Time{})
	require.NoError(f.t, err)
	return pb.Balance
}

// audit requires the communities' records and ledgers to agree: every
// transfer explained by its record and every record's transfers there,
// balances that replay from the transfers, debits equal to credits.
func (f *fixture) audit(communities ...string) {
	f.t.Helper()
	if len(communities) == 0 {
		communities = []string{f.community, f.other}
	}
	for _, c := range communities {
		a, err := f.svc.Audit(f.admin, c)
		require.NoError(f.t, err)
		assert.Empty(f.t, a.Disagreements, "the books of community %s disagree with its records", c)
	}
}

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// eq asserts two decimals are equal in value.
func eq(t testing.TB, want string, got decimal.Decimal, msg ...any) {
	t.Helper()
	assert.True(t, d(want).Equal(got), "want %s, got %s %v", want, got, msg)
}

// stock returns an item's stock.
func (f *fixture) stock(id string) int64 {
	f.t.Helper()
	it, err := f.svc.Item(f.worker, f.community, id)
	require.NoError(f.t, err)
	return it.Stock
}

// item lists goods and donates n of them.
func (f *fixture) item(name, price string, n int64) points.Item {
	f.t.Helper()
	it, err := f.svc.CreateItem(f.worker, f.community, points.ItemInput{Kind: points.ItemGoods, Name: name, Unit: "件", Price: d(price)})
	require.NoError(f.t, err)
	if n > 0 {
		_, err = f.svc.Donate(f.worker, f.community, points.DonationInput{Donor: points.Party{Kind: points.PartyEnterprise, Name: "华润万家"}, ItemID: it.ID, Quantity: n, Condition: "new"})
		require.NoError(f.t, err)
	}
	return it
}

// earn gives resident i points by a verified claim on a fresh activity.
func (f *fixture) earn(i, minutes int) points.Claim {
	f.t.Helper()
	c, err := f.svc.Verify(f.verifier, f.community, f.earnClaim(i, minutes).ID, points.VerifyInput{Approve: true})
	require.NoError(f.t, err)
	return c
}

func testEarn(t *testing.T, f *fixture) {
	ev := points.Evidence{Note: "签到表第3行", SignIn: true}
	// Hours beyond what the activity recorded, someone not on the list, no
	// evidence, and the leader bonus for a non-organiser are refused.
	_, err := f.svc.Claim(f.as(1), f.community, points.ClaimInput{ActivityID: f.activity.ID, Minutes: 121, Evidence: ev})
	assert.ErrorIs(t, err, grids.Invalid)
	_, err = f.svc.Claim(f.as(4), f.community, points.ClaimInput{ActivityID: f.activity.ID, Evidence: ev})
	assert.ErrorIs(t, err, grids.FailedPrecondition)
	_, err = f.svc.Claim(f.as(1), f.community, points.ClaimInput{ActivityID: f.activity.ID})
	assert.ErrorIs(t, err, grids.Invalid)
	_, err = f.svc.Claim(f.as(1), f.community, points.ClaimInput{ActivityID: f.activity.ID, Leading: true, Evidence: ev})
	assert.ErrorIs(t, err, grids.Invalid)
	// A resident may not claim for another; the organiser may.
	_, err = f.svc.Claim(f.as(2), f.community, points.ClaimInput{ActivityID: f.activity.ID, ResidentID: f.residents[1].ID, Evidence: ev})
	assert.ErrorIs(t, err, grids.Forbidden)

	c1, err := f.svc.Claim(f.as(1), f.community, points.ClaimInput{ActivityID: f.activity.ID, Evidence: ev})
	require.NoError(t, err)
	assert.Equal(t, points.Claimed, c1.Status)
	assert.Equal(t, 120, c1.Minutes)
	eq(t, "3", c1.Points, "2 hours of elder visits at 1.5") // 2h × 1 × 1.5
	assert.Equal(t, 1, c1.PolicyVersion)
	_, err = f.svc.Claim(f.as(1), f.community, points.ClaimInput{ActivityID: f.activity.ID, Evidence: ev})
	assert.ErrorIs(t, err, grids.Conflict, "one claim per volunteer and activity")

	lead, err := f.svc.Claim(f.as(0), f.community, points.ClaimInput{ActivityID: f.activity.ID, Leading: true, Evidence: ev})
	require.NoError(t, err)
	eq(t, "4", lead.Points, "the organiser's two hours and the leader bonus")
	others, err := f.svc.ClaimActivity(f.as(0), f.community, f.activity.ID, points.ActivityClaimInput{Evidence: ev})
	require.NoError(t, err)
	require.Len(t, others, 2, "the participants without a claim")

	// Pending points are not spendable: the passbook shows them apart.
	pb, err := f.svc.Passbook(f.as(1), f.community, f.residents[1].ID, time.Time{}, time.Time{})
	require.NoError(t, err)
	eq(t, "0", pb.Balance)
	eq(t, "3", pb.Pending)
	require.Len(t, pb.Lines, 1)
	assert.Equal(t, points.LineClaimed, pb.Lines[0].Kind)

	// A second person verifies: never the volunteer, not another resident.
	_, err = f.svc.Verify(f.as(1), f.community, c1.ID, points.VerifyInput{Approve: true})
	assert.ErrorIs(t, err, grids.Forbidden)
	_, err = f.svc.Verify(f.as(2), f.community, c1.ID, points.VerifyInput{Approve: true})
	assert.ErrorIs(t, err, grids.Forbidden)
	_, err = f.svc.Verify(f.as(0), f.community, lead.ID, points.VerifyInput{Approve: true})
	assert.ErrorIs(t, err, grids.Forbidden, "the organiser's own claim goes to a worker")
	_, err = f.svc.Passbook(f.as(2), f.community, f.residents[1].ID, time.Time{}, time.Time{})
	assert.ErrorIs(t, err, grids.Forbidden, "a passbook is its owner's")

	f.clock.Advance(time.Hour)
	v, err := f.svc.Verify(f.as(0), f.community, c1.ID, points.VerifyInput{Approve: true, Note: "核对签到表"})
	require.NoError(t, err)
	assert.Equal(t, points.Verified, v.Status)
	again, err := f.svc.Verify(f.as(0), f.community, c1.ID, points.VerifyInput{Approve: true})
	require.NoError(t, err)
	recordtest.Same(t, v, again, "verifying twice changes nothing")
	_, err = f.svc.Verify(f.as(0), f.community, c1.ID, points.VerifyInput{Approve: false})
	assert.ErrorIs(t, err, grids.FailedPrecondition)
	_, err = f.svc.Verify(f.verifier, f.community, lead.ID, points.VerifyInput{Approve: true})
	require.NoError(t, err)
	rej, err := f.svc.Verify(f.verifier, f.community, others[0].ID, points.VerifyInput{Approve: false, Note: "未到场"})
	require.NoError(t, err)
	assert.Equal(t, points.Rejected, rej.Status)

	eq(t, "3", f.balance(1))
	eq(t, "4", f.balance(0))
	pb, err = f.svc.Passbook(f.as(1), f.community, f.residents[1].ID, time.Time{}, time.Time{})
	require.NoError(t, err)
	eq(t, "0", pb.Pending)
	require.Len(t, pb.Lines, 2)
	assert.Equal(t, points.LineEarned, pb.Lines[1].Kind)
	eq(t, "3", pb.Lines[1].Balance)
	assert.Equal(t, c1.ID, pb.Lines[1].RecordID)
	assert.Equal(t, 1, pb.Lines[1].PolicyVersion, "the policy version is on the transfer")

	// Periods beyond what the ledger's clock holds are clamped, not
	// wrapped around.
	wide, err := f.svc.Passbook(f.as(1), f.community, f.residents[1].ID, time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	assert.Len(t, wide.Lines, 2)
	eq(t, "0", wide.Opening)

	// A rejected claim's points never arrive.
	rejected := others[0].ResidentID
	for i, r := range f.residents {
		if r.ID == rejected {
			eq(t, "0", f.balance(i))
		}
	}

	// A period shows only its lines, opening at the balance before.
	f.clock.Advance(time.Minute)
	later := f.clock.Now()
	f.clock.Advance(time.Hour)
	corr, err := f.svc.Correct(f.worker, f.community, c1.ID, points.CorrectInput{Reason: "重复登记"})
	require.NoError(t, err)
	assert.Equal(t, points.Corrected, corr.Status)
	pb, err = f.svc.Passbook(f.as(1), f.community, f.residents[1].ID, later, time.Time{})
	require.NoError(t, err)
	eq(t, "3", pb.Opening)
	eq(t, "0", pb.Balance)
	require.Len(t, pb.Lines, 1)
	assert.Equal(t, points.LineCorrection, pb.Lines[0].Kind)
	eq(t, "-3", pb.Lines[0].Points)

	// Only workers correct; a claimed claim is rejected, not corrected.
	_, err = f.svc.Correct(f.as(0), f.community, lead.ID, points.CorrectInput{Reason: "x"})
	assert.ErrorIs(t, err, grids.Forbidden)

	// Caps: a 30-point monthly cap cuts the next claim and says so.
	pol := points.DefaultPolicy
	pol.MonthlyCap = d("5")
	p2, err := f.svc.SetPolicy(f.worker, f.community, pol)
	require.NoError(t, err)
	assert.Equal(t, 2, p2.Version)
	c := f.earn(0, 120)
	eq(t, "1", c.Points, "4 already earned this month under a cap of 5")
	eq(t, "2", c.Computed)
	assert.Equal(t, []string{"month"}, c.Capped)
	assert.Equal(t, 2, c.PolicyVersion)

	// A day holds at most 12 hours of claimed service.
	start := f.clock.Now().Add(-13 * time.Hour)
	long, err := f.gov.RecordActivity(f.worker, f.community, governance.ActivityInput{
		BodyID: f.group.ID, Title: "通宵值守", Service: "patrol", Start: start, End: start.Add(12 * time.Hour),
		Participants: []governance.Participant{{ResidentID: f.residents[5].ID, Minutes: 12 * 60}},
	})
	require.NoError(t, err)
	_, err = f.svc.Claim(f.as(5), f.community, points.ClaimInput{ActivityID: long.ID, Evidence: ev})
	require.NoError(t, err)
	start = start.Add(30 * time.Minute)
	more, err := f.gov.RecordActivity(f.worker, f.community, governance.ActivityInput{
		BodyID: f.group.ID, Title: "再值一班", Service: "patrol", Start: start, End: start.Add(time.Hour),
		Participants: []governance.Participant{{ResidentID: f.residents[5].ID, Minutes: 60}},
	})
	require.NoError(t, err)
	_, err = f.svc.Claim(f.as(5), f.community, points.ClaimInput{ActivityID: more.ID, Evidence: ev})
	assert.ErrorIs(t, err, grids.FailedPrecondition, "above 12 hours a day")

	// Claims are the volunteer's to read, and every worker's.
	cs, n, err := f.svc.Claims(f.as(1), f.community, points.ClaimFilter{ResidentID: f.residents[1].ID})
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Equal(t, c1.ID, cs[0].ID)
	_, _, err = f.svc.Claims(f.as(1), f.community, points.ClaimFilter{})
	assert.ErrorIs(t, err, grids.Forbidden)
	f.audit()
}

func testExchange(t *testing.T, f *fixture) {
	f.earn(1, 600) // 10 points
	rice := f.item("大米", "4", 2)
	oil := f.item("食用油", "12.5", 5)

	// Not enough points: neither the points nor the oil move.
	_, err := f.svc.Exchange(f.as(1), f.community, points.ExchangeInput{ItemID: oil.ID, Quantity: 1})
	assert.ErrorIs(t, err, grids.FailedPrecondition)
	eq(t, "10", f.balance(1))
	assert.EqualValues(t, 5, f.stock(oil.ID))
	// Out of stock: the points stay.
	_, err = f.svc.Exchange(f.as(1), f.community, points.ExchangeInput{ItemID: rice.ID, Quantity: 3})
	assert.ErrorIs(t, err, grids.FailedPrecondition)
	eq(t, "10", f.balance(1))
	assert.EqualValues(t, 2, f.stock(rice.ID))

	key := ids.New()
	e, err := f.svc.Exchange(f.as(1), f.community, points.ExchangeInput{ID: key, ItemID: rice.ID, Quantity: 2})
	require.NoError(t, err)
	assert.Equal(t, points.Completed, e.Status)
	eq(t, "8", e.Points)
	again, err := f.svc.Exchange(f.as(1), f.community, points.ExchangeInput{ID: key, ItemID: rice.ID, Quantity: 2})
	require.NoError(t, err)
	assert.Equal(t, e.ID, again.ID, "a retry with the same ID is the same exchange")
	eq(t, "2", f.balance(1))
	assert.EqualValues(t, 0, f.stock(rice.ID))
	_, err = f.svc.Exchange(f.as(1), f.community, points.ExchangeInput{ID: key, ItemID: rice.ID, Quantity: 1})
	assert.ErrorIs(t, err, grids.Conflict)

	// Others may not spend a resident's points; a worker serves them.
	_, err = f.svc.Exchange(f.as(2), f.community, points.ExchangeInput{ResidentID: f.residents[1].ID, ItemID: rice.ID, Quantity: 1})
	assert.ErrorIs(t, err, grids.Forbidden)

	// A return is a reversal: points back, items back on the shelf.
	_, err = f.svc.Return(f.as(1), f.community, e.ID, points.CloseInput{Reason: "x"})
	assert.ErrorIs(t, err, grids.Forbidden)
	ret, err := f.svc.Return(f.worker, f.community, e.ID, points.CloseInput{Reason: "米袋破损"})
	require.NoError(t, err)
	assert.Equal(t, points.Returned, ret.Status)
	eq(t, "10", f.balance(1))
	assert.EqualValues(t, 2, f.stock(rice.ID))
	pb, err := f.svc.Passbook(f.as(1), f.community, f.residents[1].ID, time.Time{}, time.Time{})
	require.NoError(t, err)
	var kinds []points.LineKind
	for _, l := range pb.Lines {
		kinds = append(kinds, l.Kind)
	}
	assert.Equal(t, []points.LineKind{points.LineClaimed, points.LineEarned, points.LineExchanged, points.LineReturned}, kinds)

	// A retired item is not exchanged; a price has at most two places.
	_, err = f.svc.UpdateItem(f.worker, f.community, rice.ID, points.ItemUpdate{Retired: ptr(true)})
	require.NoError(t, err)
	_, err = f.svc.Exchange(f.as(1), f.community, points.ExchangeInput{ItemID: rice.ID, Quantity: 1})
	assert.ErrorIs(t, err, grids.Invalid)
	_, err = f.svc.CreateItem(f.worker, f.community, points.ItemInput{Kind: points.ItemGoods, Name: "x", Unit: "件", Price: d("1.005")})
	assert.ErrorIs(t, err, grids.Invalid)
	_, err = f.svc.CreateItem(f.worker, f.community, points.ItemInput{Kind: points.ItemService, Name: "理发", Unit: "次", Price: d("5")})
	assert.ErrorIs(t, err, grids.Invalid, "a service names its provider")
	f.audit()
}

func ptr[T any](v T) *T { return &v }

func testReservations(t *testing.T, f *fixture) {
	f.earn(1, 600)
	towel := f.item("毛巾", "3", 3)
	r, err := f.svc.Exchange(f.as(1), f.community, points.ExchangeInput{ItemID: towel.ID, Quantity: 2, Reserve: true})
	require.NoError(t, err)
	assert.Equal(t, points.Reserved, r.Status)
	require.NotNil(t, r.ExpiresAt)
	assert.EqualValues(t, 1, f.stock(towel.ID), "reserved items are off the shelf")
	pb, err := f.svc.Passbook(f.as(1), f.community, f.residents[1].ID, time.Time{}, time.Time{})
	require.NoError(t, err)
	eq(t, "10", pb.Balance)
	eq(t, "6", pb.Held)

	p, err := f.svc.Pickup(f.worker, f.community, r.ID)
	require.NoError(t, err)
	assert.Equal(t, points.Completed, p.Status)
	eq(t, "4", f.balance(1))

	// A reservation not picked up in time expires: all released.
	r2, err := f.svc.Exchange(f.as(1), f.community, points.ExchangeInput{ItemID: towel.ID, Quantity: 1, Reserve: true})
	require.NoError(t, err)
	f.clock.Advance(73 * time.Hour)
	got, err := f.svc.ExchangeByID(f.as(1), f.community, r2.ID)
	require.NoError(t, err)
	assert.Equal(t, points.Lapsed, got.Status)
	_, err = f.svc.Pickup(f.worker, f.community, r2.ID)
	assert.ErrorIs(t, err, grids.FailedPrecondition)
	assert.EqualValues(t, 1, f.stock(towel.ID))
	eq(t, "4", f.balance(1))
	got, err = f.svc.ExchangeByID(f.worker, f.community, r2.ID)
	require.NoError(t, err)
	assert.Equal(t, points.Lapsed, got.Status)

	// Cancelling releases at once.
	r3, err := f.svc.Exchange(f.as(1), f.community, points.ExchangeInput{ItemID: towel.ID, Quantity: 1, Reserve: true})
	require.NoError(t, err)
	c, err := f.svc.Cancel(f.as(1), f.community, r3.ID, points.CloseInput{Reason: "不需要了"})
	require.NoError(t, err)
	assert.Equal(t, points.Cancelled, c.Status)
	assert.EqualValues(t, 1, f.stock(towel.ID))
	_, err = f.svc.Pickup(f.worker, f.community, r3.ID)
	assert.ErrorIs(t, err, grids.FailedPrecondition)
	f.audit()
}

func testGiftsAndExpiry(t *testing.T, f *fixture) {
	f.earn(1, 600) // 10 points in 2026
	// Gifts stay within the household and under the yearly cap.
	_, err := f.svc.Give(f.as(1), f.community, points.GiftInput{ToID: f.residents[4].ID, Points: d("1")})
	assert.ErrorIs(t, err, grids.Forbidden)
	g, err := f.svc.Give(f.as(1), f.community, points.GiftInput{ToID: f.residents[2].ID, Points: d("2.5")})
	require.NoError(t, err)
	assert.Equal(t, points.GiftGiven, g.Status)
	eq(t, "7.5", f.balance(1))
	eq(t, "2.5", f.balance(2))
	_, err = f.svc.Give(f.as(1), f.community, points.GiftInput{ToID: f.residents[2].ID, Points: d("20")})
	assert.ErrorIs(t, err, grids.FailedPrecondition, "more than the balance")
	eq(t, "7.5", f.balance(1))
	require.NoError(t, f.st.Points.View(context.Background(), func(tx points.Tx) error {
		gs, n, err := tx.Gifts().Find(context.Background(), record.Filter{CommunityID: f.community})
		assert.Equal(t, 1, n, "a refused gift leaves no record: %+v", gs)
		return err
	}))
	pb, err := f.svc.Passbook(f.as(2), f.community, f.residents[2].ID, time.Time{}, time.Time{})
	require.NoError(t, err)
	require.Len(t, pb.Lines, 1)
	assert.Equal(t, points.LineGiftIn, pb.Lines[0].Kind)
	assert.Equal(t, g.ID, pb.Lines[0].RecordID)

	// Spend some, then let 2026's points expire after a year's grace.
	bread := f.item("面包", "1.5", 10)
	_, err = f.svc.Exchange(f.as(1), f.community, points.ExchangeInput{ItemID: bread.ID, Quantity: 1})
	require.NoError(t, err)
	_, err = f.svc.Expire(f.worker, f.community, points.ExpireInput{Year: 2026})
	assert.ErrorIs(t, err, grids.FailedPrecondition, "not due before 2028")
	f.clock.Set(time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC))
	f.earn(1, 120) // 2 points in 2027, which do not expire with 2026's
	f.clock.Set(time.Date(2028, 1, 2, 0, 0, 0, 0, time.UTC))
	ex, err := f.svc.Expire(f.worker, f.community, points.ExpireInput{Year: 2026})
	require.NoError(t, err)
	require.Len(t, ex, 2)
	byResident := map[string]decimal.Decimal{}
	for _, e := range ex {
		byResident[e.ResidentID] = e.Points
	}
	eq(t, "6", byResident[f.residents[1].ID], "10 earned − 2.5 given − 1.5 spent")
	eq(t, "2.5", byResident[f.residents[2].ID])
	eq(t, "2", f.balance(1))
	eq(t, "0", f.balance(2))
	again, err := f.svc.Expire(f.worker, f.community, points.ExpireInput{Year: 2026})
	require.NoError(t, err)
	assert.Empty(t, again, "expiring twice expires nothing more")
	pb, err = f.svc.Passbook(f.as(1), f.community, f.residents[1].ID, time.Time{}, time.Time{})
	require.NoError(t, err)
	last := pb.Lines[len(pb.Lines)-1]
	assert.Equal(t, points.LineExpired, last.Kind, "expiry is a visible line, never a deletion")
	eq(t, "-6", last.Points)
	f.audit()
}

// testLastItems races many exchanges for the last items: exactly as many
// succeed as there are items, and no balance goes negative.
func testLastItems(t *testing.T, f *fixture) {
	const items, tries = 10, 200
	for i := range 3 {
		f.earn(i, 600)
	}
	soap := f.item("肥皂", "1", items)
	var ok, refused atomic.Int64
	var wg sync.WaitGroup
	for i := range tries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.svc.Exchange(f.worker, f.community, points.ExchangeInput{ResidentID: f.residents[i%3].ID, ItemID: soap.ID, Quantity: 1})
			switch {
			case err == nil:
				ok.Add(1)
			case assert.ErrorIs(t, err, grids.FailedPrecondition):
				refused.Add(1)
			}
		}()
	}
	wg.Wait()
	assert.EqualValues(t, items, ok.Load(), "exactly the items on the shelf are exchanged")
	assert.EqualValues(t, tries-items, refused.Load())
	assert.EqualValues(t, 0, f.stock(soap.ID))
	total := f.balance(0).Add(f.balance(1)).Add(f.balance(2))
	eq(t, "20", total, "30 earned, 10 spent")
	es, n, err := f.svc.Exchanges(f.worker, f.community, points.ExchangeFilter{ItemID: soap.ID})
	require.NoError(t, err)
	assert.Equal(t, items, n)
	assert.Len(t, es, items)
	f.audit()
}

func testMarket(t *testing.T, f *fixture) {
	m, err := f.svc.CreateMarket(f.worker, f.community, points.MarketInput{
		Title: "三月义集", Date: time.Date(2026, 3, 15, 1, 0, 0, 0, time.UTC), Place: "水秀广场",
		Stalls: []points.Stall{{Name: "爱心兑换", Kind: "exchange"}, {Name: "小组招募", Kind: "sign_up"}, {Name: "义剪", Kind: "service", Host: &points.Party{Kind: points.PartyPartner, Name: "美发店"}}},
	})
	require.NoError(t, err)
	_, err = f.svc.CreateMarket(f.as(1), f.community, points.MarketInput{Title: "x", Date: m.Date, Place: "y"})
	assert.ErrorIs(t, err, grids.Forbidden)
	su, err := f.svc.SignUp(f.as(4), f.community, m.ID, points.SignUpInput{GroupID: f.group.ID})
	require.NoError(t, err)
	assert.NotEmpty(t, su.PositionID, "the sign-up corner makes the resident a member")
	_, err = f.svc.SignUp(f.as(4), f.community, m.ID, points.SignUpInput{GroupID: f.group.ID})
	assert.ErrorIs(t, err, grids.Conflict)
	_, err = f.svc.SignUp(f.as(4), f.community, m.ID, points.SignUpInput{GroupID: f.activity.BodyID, ResidentID: f.residents[5].ID})
	assert.ErrorIs(t, err, grids.Forbidden)

	// Figures: hours and volunteers from verified claims, donations by donor.
	cs, err := f.svc.ClaimActivity(f.as(0), f.community, f.activity.ID, points.ActivityClaimInput{Evidence: points.Evidence{SignIn: true}, Organiser: true})
	require.NoError(t, err)
	require.Len(t, cs, 4, "three participants and the organiser")
	for _, c := range cs {
		_, err := f.svc.Verify(f.verifier, f.community, c.ID, points.VerifyInput{Approve: true})
		require.NoError(t, err)
	}
	soap := f.item("肥皂", "1", 30)
	_, err = f.svc.Donate(f.worker, f.community, points.DonationInput{Donor: points.Party{Kind: points.PartyResident, ID: f.residents[5].ID, Name: "居民5"}, ItemID: soap.ID, Quantity: 4, Condition: "good"})
	require.NoError(t, err)
	_, err = f.svc.Exchange(f.as(1), f.community, points.ExchangeInput{ItemID: soap.ID, Quantity: 2, MarketID: m.ID})
	require.NoError(t, err)
	_, err = f.svc.Donate(f.worker, f.community, points.DonationInput{Donor: points.Party{Kind: points.PartyEnterprise, Name: "x"}, ItemID: soap.ID, Quantity: 1, Condition: "new", Date: f.clock.Now().Add(time.Hour)})
	assert.ErrorIs(t, err, grids.Invalid, "a donation dated in the future")

	from, to := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	ev, err := f.svc.Evaluate(f.as(3), f.community, from, to)
	require.NoError(t, err)
	eq(t, "6.5", ev.Hours, "120 + 120 + 90 + 60 minutes")
	assert.Equal(t, 4, ev.Volunteers)
	assert.Equal(t, 4, ev.NewVolunteers)
	eq(t, "10.75", ev.PointsIssued, "(6.5 hours × 1.5) + the leader bonus")
	eq(t, "2", ev.PointsRedeemed)
	assert.Equal(t, 1, ev.Exchanges)
	assert.Equal(t, 1, ev.Markets)
	assert.Equal(t, 1, ev.SignUps)
	assert.Equal(t, 2, ev.Donations)
	assert.EqualValues(t, 34, ev.DonatedItems)
	assert.Equal(t, 1, ev.Enterprises)
	require.Len(t, ev.Donors, 2)
	assert.EqualValues(t, 30, ev.Donors[0].Items)
	_, err = f.svc.Evaluate(f.as(3), f.community, to, from)
	assert.ErrorIs(t, err, grids.Invalid)
	_, err = f.svc.Evaluate(f.as(3), f.other, from, to)
	assert.ErrorIs(t, err, grids.Forbidden)
	f.audit()
}

// testGiftCap races gifts against the yearly cap: exactly as many pass as
// the cap allows.
func testGiftCap(t *testing.T, f *fixture) {
	f.earn(1, 600) // 10 points; the cap is 50 a year
	for range 10 {
		f.clock.Advance(24 * time.Hour)
		f.earn(1, 600)
	}
	var ok, refused atomic.Int64
	var wg sync.WaitGroup
	for range 12 {
		wg.Go(func() {
			_, err := f.svc.Give(f.as(1), f.community, points.GiftInput{ToID: f.residents[2].ID, Points: d("10")})
			switch {
			case err == nil:
				ok.Add(1)
			case assert.ErrorIs(t, err, grids.FailedPrecondition):
				refused.Add(1)
			}
		})
	}
	wg.Wait()
	assert.EqualValues(t, 5, ok.Load(), "50 points a year, 10 a gift")
	assert.EqualValues(t, 7, refused.Load())
	eq(t, "50", f.balance(2))
	f.audit()
}

// testWriteSkew: a check over a set and the write it allows are
// serializable (see storetest.WriteSkew): one market on a day, racing.
func testWriteSkew(t *testing.T, f *fixture) {
	bg := context.Background()
	day := time.Date(2026, 4, 15, 1, 0, 0, 0, time.UTC)
	onDay := record.Filter{CommunityID: f.community, From: &day, To: ptr(day.Add(time.Hour))}
	created := storetest.WriteSkew(t, func(fn func(points.Tx) error) error { return f.st.Points.Update(bg, fn) },
		func(tx points.Tx) (bool, error) {
			_, n, err := tx.Markets().Find(bg, onDay)
			return n > 0, err
		},
		func(tx points.Tx) error {
			return tx.Markets().Create(bg, points.Market{ID: f.newID(), CommunityID: f.community, Title: "义集", Date: day, Place: "广场", Stalls: []points.Stall{},
				CreatedAt: f.clock.Now(), UpdatedAt: f.clock.Now()})
		})
	assert.Equal(t, 1, created, "one market on the day")
}
