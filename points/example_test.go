package points_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/points"
)

// bank is a community with a group, an activity two volunteers served at,
// and the default policy.
type bank struct {
	svc             *points.Service
	worker          context.Context
	community       string
	volunteer       context.Context
	organiser       context.Context
	volunteerID     string
	activityID      string
	groupID         string
	neighbourInHome context.Context
}

func newBank() bank {
	store := memstore.New()
	reg := grids.NewRegistry(store.Grids(), grids.Options{})
	gov := governance.NewService(store.Governance(), store.Grids(), governance.Options{})
	svc := points.NewService(store.Points(), governance.Lookup{Store: store.Governance()}, grids.Lookup{Store: store.Grids()}, points.Options{Groups: gov})
	com, _ := reg.CreateCommunity(grids.WithPrincipal(context.Background(), grids.Admin("setup")), grids.CommunityInput{Name: "水秀社区"})
	worker := grids.WithPrincipal(context.Background(), grids.Principal{ID: "worker-1", CommunityID: com.ID, Name: "李娜", Roles: []grids.Role{grids.RoleWorker}})
	district, _ := reg.CreateDistrict(worker, com.ID, grids.DistrictInput{Name: "第一片区"})
	building, _ := reg.CreateBuilding(worker, com.ID, grids.BuildingInput{Name: "水秀新村1号"})
	home, _ := reg.CreateHousehold(worker, com.ID, grids.HouseholdInput{BuildingID: building.ID, Unit: "1-101", Size: 2})
	next, _ := reg.CreateHousehold(worker, com.ID, grids.HouseholdInput{BuildingID: building.ID, Unit: "1-102", Size: 1})
	vol, _ := reg.CreateResident(worker, com.ID, grids.ResidentInput{HouseholdID: home.ID, Name: "陈阿姨", Sex: grids.Female, BirthYear: 1958})
	spouse, _ := reg.CreateResident(worker, com.ID, grids.ResidentInput{HouseholdID: home.ID, Name: "陈伯伯", Sex: grids.Male, BirthYear: 1955})
	org, _ := reg.CreateResident(worker, com.ID, grids.ResidentInput{HouseholdID: next.ID, Name: "周师傅", Sex: grids.Male, BirthYear: 1962})
	bodies, _ := gov.Setup(worker, com.ID)
	group, _ := gov.CreateBody(worker, com.ID, governance.BodyInput{Kind: governance.Group, ParentID: bodies[2].ID, Name: "银龄探访小组", DistrictID: district.ID})
	start := time.Now().Add(-26 * time.Hour).Truncate(time.Hour)
	act, _ := gov.RecordActivity(worker, com.ID, governance.ActivityInput{BodyID: group.ID, Title: "探访独居老人", Service: "elder_visit",
		Start: start, End: start.Add(2 * time.Hour), OrganiserID: org.ID, Participants: []governance.Participant{{ResidentID: vol.ID, Minutes: 120}}})
	_, _ = svc.SetPolicy(worker, com.ID, points.DefaultPolicy)
	as := func(r grids.Resident) context.Context {
		return grids.WithPrincipal(context.Background(), grids.Principal{ID: "u-" + r.ID, CommunityID: com.ID, Name: r.Name, Roles: []grids.Role{grids.RoleResident}, ResidentID: r.ID})
	}
	return bank{svc: svc, worker: worker, community: com.ID, volunteer: as(vol), organiser: as(org), volunteerID: vol.ID, activityID: act.ID,
		groupID: group.ID, neighbourInHome: as(spouse)}
}

// A volunteer claims two hours of visiting the elderly; the organiser, a
// second person, verifies them; the points reach the passbook.
func Example() {
	b := newBank()
	c, _ := b.svc.Claim(b.volunteer, b.community, points.ClaimInput{ActivityID: b.activityID, Evidence: points.Evidence{SignIn: true}})
	fmt.Println(c.Status, c.Points, "points pending")

	// Never the volunteer themself.
	_, err := b.svc.Verify(b.volunteer, b.community, c.ID, points.VerifyInput{Approve: true})
	fmt.Println(errors.Is(err, grids.Forbidden))

	c, _ = b.svc.Verify(b.organiser, b.community, c.ID, points.VerifyInput{Approve: true, Note: "核对签到表"})
	pb, _ := b.svc.Passbook(b.volunteer, b.community, b.volunteerID, time.Time{}, time.Time{})
	for _, l := range pb.Lines {
		fmt.Println(l.Kind, l.Points, "balance", l.Balance)
	}
	// Output:
	// claimed 3 points pending
	// true
	// claimed 3 balance 0
	// earned 3 balance 3
}

// An exchange takes the points and the item together, or neither: the
// passbook holds three points and the shelf two bags of rice at 1.5.
func ExampleService_Exchange() {
	b := newBank()
	c, _ := b.svc.Claim(b.volunteer, b.community, points.ClaimInput{ActivityID: b.activityID, Evidence: points.Evidence{SignIn: true}})
	_, _ = b.svc.Verify(b.organiser, b.community, c.ID, points.VerifyInput{Approve: true})
	rice, _ := b.svc.CreateItem(b.worker, b.community, points.ItemInput{Kind: points.ItemGoods, Name: "大米", Unit: "袋", Price: decimal.RequireFromString("1.5")})
	_, _ = b.svc.Donate(b.worker, b.community, points.DonationInput{Donor: points.Party{Kind: points.PartyEnterprise, Name: "华润万家"}, ItemID: rice.ID, Quantity: 2, Condition: "new"})

	_, err := b.svc.Exchange(b.volunteer, b.community, points.ExchangeInput{ItemID: rice.ID, Quantity: 3})
	fmt.Println(err)
	e, _ := b.svc.Exchange(b.volunteer, b.community, points.ExchangeInput{ItemID: rice.ID, Quantity: 2})
	rice, _ = b.svc.Item(b.volunteer, b.community, rice.ID)
	pb, _ := b.svc.Passbook(b.volunteer, b.community, b.volunteerID, time.Time{}, time.Time{})
	fmt.Println(e.Status, e.Points, "points; left on the shelf:", rice.Stock, "; balance:", pb.Balance)

	// A return is a reversal: nothing is deleted.
	e, _ = b.svc.Return(b.worker, b.community, e.ID, points.CloseInput{Reason: "米袋破损"})
	rice, _ = b.svc.Item(b.volunteer, b.community, rice.ID)
	pb, _ = b.svc.Passbook(b.volunteer, b.community, b.volunteerID, time.Time{}, time.Time{})
	fmt.Println(e.Status, "; on the shelf:", rice.Stock, "; balance:", pb.Balance, "; lines:", len(pb.Lines))
	// Output:
	// not enough points: 4.5 needed, 3 available
	// completed 3 points; left on the shelf: 0 ; balance: 0
	// returned ; on the shelf: 2 ; balance: 3 ; lines: 4
}

// A market's sign-up corner makes a resident a member of a group.
func ExampleService_SignUp() {
	b := newBank()
	m, _ := b.svc.CreateMarket(b.worker, b.community, points.MarketInput{Title: "三月义集", Date: time.Now(), Place: "水秀广场",
		Stalls: []points.Stall{{Name: "小组招募", Kind: "sign_up"}}})
	su, err := b.svc.SignUp(b.neighbourInHome, b.community, m.ID, points.SignUpInput{GroupID: b.groupID})
	fmt.Println(err == nil, su.PositionID != "")
	// Output: true true
}
