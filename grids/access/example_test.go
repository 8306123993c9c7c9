package access_test

import (
	"context"
	"fmt"

	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/access"
)

// A worker prints a resident's sign-in card; the resident signs in with
// the unit and code printed on it, as typed on a phone.
func Example() {
	store := memstore.New() // or sqlstore.Open(…)
	reg := grids.NewRegistry(store.Grids(), grids.Options{})
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("setup"))
	com, _ := reg.CreateCommunity(ctx, grids.CommunityInput{Name: "水秀社区"})
	b, _ := reg.CreateBuilding(ctx, com.ID, grids.BuildingInput{Name: "12栋"})
	h, _ := reg.CreateHousehold(ctx, com.ID, grids.HouseholdInput{BuildingID: b.ID, Unit: "2-301", Size: 1})
	r, _ := reg.CreateResident(ctx, com.ID, grids.ResidentInput{HouseholdID: h.ID, Name: "赵兰英", Sex: grids.Female, BirthYear: 1941})

	svc := access.NewService(store.Access(), grids.Lookup{Store: store.Grids()}, access.Options{})
	worker := grids.WithPrincipal(context.Background(), grids.Principal{ID: "w1", CommunityID: com.ID, Name: "王芳", Roles: []grids.Role{grids.RoleWorker}})
	card, err := svc.Issue(worker, access.Issue{CommunityID: com.ID, Kind: access.Card, ResidentID: r.ID})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("card:", card.Credential.Unit, len(card.Code), "digits")

	session, _, err := svc.SignInCode(context.Background(), com.ID, "12栋2-301", card.Code)
	fmt.Println("signed in:", session.Principal.Name, err)

	_, _, err = svc.SignInCode(context.Background(), com.ID, "12栋 2-302", card.Code)
	fmt.Println("another unit:", grids.ErrorCode(err))
	// Output:
	// card: 12栋 2-301 8 digits
	// signed in: 赵兰英 <nil>
	// another unit: unauthorized
}
