package grids_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/grids"
)

// A community worker registers a building, a household and a resident, and
// reads the community's population table.
func Example() {
	reg := grids.NewRegistry(memstore.New().Grids(), grids.Options{})

	// Creating a community (a tenant) is for platform admins.
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("setup"))
	com, _ := reg.CreateCommunity(ctx, grids.CommunityInput{Name: "水秀社区"})

	// Everything else is the community worker's job.
	ctx = grids.WithPrincipal(context.Background(), grids.Principal{
		ID: "worker-1", CommunityID: com.ID, Name: "李娜", Roles: []grids.Role{grids.RoleWorker},
	})
	district, _ := reg.CreateDistrict(ctx, com.ID, grids.DistrictInput{Name: "第一片区"})
	grid, _ := reg.CreateGrid(ctx, com.ID, grids.GridInput{DistrictID: district.ID, Name: "1-1网格"})
	building, _ := reg.CreateBuilding(ctx, com.ID, grids.BuildingInput{GridID: grid.ID, Name: "水秀新村1号"})
	home, _ := reg.CreateHousehold(ctx, com.ID, grids.HouseholdInput{BuildingID: building.ID, Unit: "1-101", Size: 1})
	_, err := reg.CreateResident(ctx, com.ID, grids.ResidentInput{
		HouseholdID: home.ID, Name: "赵兰", Sex: grids.Female, BirthYear: 1940,
		Interests:       []string{"choir"},
		Vulnerabilities: []grids.Vulnerability{grids.Retiree, grids.LivingAlone},
	})
	fmt.Println("registered:", err == nil)

	// Bad input is refused with every field named.
	_, err = reg.CreateResident(ctx, com.ID, grids.ResidentInput{HouseholdID: home.ID, Sex: "x", BirthYear: 1990})
	fmt.Println(err)

	sum, _ := reg.Summary(ctx, com.ID, grids.SummaryOptions{Year: 2026})
	fmt.Println("residents:", sum.Residents.Total, "living alone:", sum.Elders.LivingAlone,
		"elderly or disabled:", sum.ShareElderlyOrDisabled)
	// Output:
	// registered: true
	// invalid input: 2 problems, first name: is required
	// residents: 1 living alone: 1 elderly or disabled: 1
}

// Social workers keep their lists in spreadsheets; Import takes them as CSV
// (English or Chinese headers), all or nothing, and names every bad row.
func ExampleRegistry_Import() {
	reg := grids.NewRegistry(memstore.New().Grids(), grids.Options{})
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("setup"))
	com, _ := reg.CreateCommunity(ctx, grids.CommunityInput{Name: "水秀社区"})

	buildings := "楼栋,相邻楼栋\n稻香新村1号,稻香新村2号\n稻香新村2号,\n"
	households := "楼栋,户号,人数\n稻香新村1号,1-101,2\n"
	residents := "楼栋,户号,姓名,性别,出生年份,特殊群体\n" +
		"稻香新村1号,1-101,钱红,女,1995,流动人口\n" +
		"稻香新村1号,1-101,钱刚,男,一九九〇,\n" // not a year

	files := grids.ImportFiles{
		Buildings:  strings.NewReader(buildings),
		Households: strings.NewReader(households),
		Residents:  strings.NewReader(residents),
	}
	_, err := reg.Import(ctx, com.ID, files, grids.ImportOptions{})
	var e *grids.Error
	errors.As(err, &e)
	for _, f := range e.Fields {
		fmt.Printf("line %d, %s: %s\n", f.Row, f.Field, f.Message)
	}

	// Fixed, the whole import goes in.
	files.Buildings, files.Households = strings.NewReader(buildings), strings.NewReader(households)
	files.Residents = strings.NewReader(strings.Replace(residents, "一九九〇", "1990", 1))
	res, err := reg.Import(ctx, com.ID, files, grids.ImportOptions{})
	fmt.Printf("%+v %v\n", res, err)
	// Output:
	// line 3, residents.birth_year: "一九九〇" is not a year
	// {Buildings:2 Households:1 Residents:2 DryRun:false} <nil>
}
