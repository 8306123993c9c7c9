package gridstest

import (
	"context"
	"testing"
	"time"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/gridsdemo"
)

// RunBenchmarks measures a store on the case's community: seeding and
// importing it (225 buildings, 4,177 households, 11,458 residents), its
// summary, and a filtered page of residents.
func RunBenchmarks(b *testing.B, newStore NewStore) {
	const year = 2026
	demo := gridsdemo.Generate(year, 1)
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("bench"))
	now := func() time.Time { return time.Date(year, 6, 1, 0, 0, 0, 0, time.UTC) }

	b.Run("ImportCaseCommunity", func(b *testing.B) {
		reg := grids.NewRegistry(newStore(b), grids.Options{Now: now})
		for b.Loop() {
			if _, err := gridsdemo.Seed(ctx, reg, demo); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(gridsdemo.Residents)*float64(b.N)/b.Elapsed().Seconds(), "residents/s")
	})

	reg := grids.NewRegistry(newStore(b), grids.Options{Now: now})
	com, err := gridsdemo.Seed(ctx, reg, demo)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("SummaryCaseCommunity", func(b *testing.B) {
		for b.Loop() {
			s, err := reg.Summary(ctx, com.ID, grids.SummaryOptions{})
			if err != nil || s.Residents.Total != gridsdemo.Residents {
				b.Fatal(s.Residents, err)
			}
		}
	})
	ds, _, err := reg.FindDistricts(ctx, grids.DistrictFilter{CommunityID: com.ID, Page: grids.Page{Limit: 1}})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("SummaryOfADistrict", func(b *testing.B) {
		for b.Loop() {
			if _, err := reg.Summary(ctx, com.ID, grids.SummaryOptions{Scope: grids.Scope{DistrictID: ds[0].ID}}); err != nil {
				b.Fatal(err)
			}
		}
	})
	elderly, _ := grids.CohortOf(year, "", []grids.Vulnerability{grids.Elderly})
	b.Run("FindResidentsPage", func(b *testing.B) {
		f := grids.ResidentFilter{CommunityID: com.ID, DistrictID: ds[0].ID, Interests: []string{"tai_chi"}, Cohort: elderly, Page: grids.Page{Limit: 50}}
		for b.Loop() {
			if _, _, err := reg.FindResidents(ctx, f); err != nil {
				b.Fatal(err)
			}
		}
	})

	// A page deep in the case's 11,458 residents: by offset with the count
	// of the whole list (what every page cost before keyset paging), and
	// by key without the count (what the API's next links ask for).
	deep, _, err := reg.FindResidents(ctx, grids.ResidentFilter{CommunityID: com.ID, Page: grids.Page{Offset: 10000, Limit: 1}})
	if err != nil || len(deep) != 1 {
		b.Fatal(deep, err)
	}
	for _, bc := range []struct {
		name string
		page grids.Page
	}{
		{"PageDeep/OffsetAndTotal", grids.Page{Offset: 10001, Limit: 50}},
		{"PageDeep/AfterNoTotal", grids.Page{After: deep[0].ID, Limit: 50, NoTotal: true}},
		{"PageFirst/Total", grids.Page{Limit: 50}},
		{"PageFirst/NoTotal", grids.Page{Limit: 50, NoTotal: true}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			f := grids.ResidentFilter{CommunityID: com.ID, Page: bc.page}
			for b.Loop() {
				rs, _, err := reg.FindResidents(ctx, f)
				if err != nil || len(rs) != 50 {
					b.Fatal(len(rs), err)
				}
			}
		})
	}
}
