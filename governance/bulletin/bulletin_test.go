package bulletin_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/linli-go/linli/internal/money"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/memstore/demotest"
	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/funds/fundsdemo"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/bulletin"
	"github.com/linli-go/linli/governance/governancedemo"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/points"
)

// TestBulletin composes months of the demo community's history: every
// part is filled from the records, residents are never named, and both
// languages render.
func TestBulletin(t *testing.T) {
	d := demotest.Seed(t, demotest.WithPoints|demotest.WithFunds)
	store, reg, c, end := d.Store, d.Registry, d.Community, demotest.End
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("test"))
	var names []string
	for i := range governancedemo.Residents {
		names = append(names, demotest.ResidentName(i))
	}
	s := bulletin.Sources{
		Governance: governance.NewService(store.Governance(), store.Grids(), governance.Options{}),
		Points:     points.NewService(store.Points(), governance.Lookup{Store: store.Governance()}, grids.Lookup{Store: store.Grids()}, points.Options{}),
		Funds:      funds.NewService(store.Funds(), governance.Lookup{Store: store.Governance()}, grids.Lookup{Store: store.Grids()}, funds.Options{}),
	}
	resident := grids.WithPrincipal(context.Background(), grids.Principal{ID: "r", CommunityID: c.ID, Name: "r", Roles: []grids.Role{grids.RoleResident}})

	// A hearing scheduled for the coming month.
	gov := governance.NewService(store.Governance(), store.Grids(), governance.Options{Now: func() time.Time { return end }})
	bodies, _, err := gov.FindBodies(ctx, governance.BodyFilter{CommunityID: c.ID, Kind: governance.Council})
	require.NoError(t, err)
	_, err = gov.ScheduleMeeting(ctx, c.ID, governance.MeetingInput{BodyID: bodies[0].ID, Kind: governance.Hearing, Title: "加装电梯听证会", ScheduledAt: end.AddDate(0, 0, 7), Place: "社区议事厅"})
	require.NoError(t, err)
	nov, err := bulletin.Compose(resident, s, reg, c.ID, "2026-11", nil)
	require.NoError(t, err)
	require.Len(t, nov.Upcoming, 1)
	assert.Contains(t, nov.Markdown(bulletin.Chinese), "| 2026-12-05 20:00 | 听证会 | 邻里伙伴自治理事会 | 社区议事厅 |")

	from, to := governancedemo.Period(end)
	var decisions, groups, donations, projects, raised, answered int
	for m := from; m.Before(to); m = m.AddDate(0, 1, 0) {
		month := m.In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, 1).Format("2006-01")
		bl, err := bulletin.Compose(resident, s, reg, c.ID, month, nil)
		require.NoError(t, err)
		assert.Equal(t, "水秀社区", bl.Community)
		decisions += len(bl.Decisions)
		groups += len(bl.Groups)
		donations += len(bl.Donations)
		projects += len(bl.Projects)
		raised += len(bl.IssuesRaised)
		answered += len(bl.IssuesAnswered)
		for _, text := range []string{bl.Markdown(bulletin.Chinese), bl.HTML(bulletin.Chinese), bl.HTML(bulletin.English)} {
			for _, n := range names {
				if strings.Contains(text, n) {
					t.Fatalf("the bulletin of %s names resident %s", month, n)
				}
			}
		}
	}
	for what, n := range map[string]int{"decisions": decisions, "group months": groups, "donations": donations,
		"project months": projects, "issues raised": raised, "issues answered": answered} {
		assert.Positive(t, n, "the bulletins over the programme show %s", what)
	}

	// The month of the call's spending, in both languages.
	bl, err := bulletin.Compose(resident, s, reg, c.ID, from.AddDate(0, 13, 5).Format("2006-01"), nil)
	require.NoError(t, err)
	require.Len(t, bl.Projects, fundsdemo.Funded)
	zh, en := bl.Markdown(bulletin.Chinese), bl.HTML(bulletin.English)
	assert.Contains(t, zh, "1+1+1项目经费")
	assert.Contains(t, en, "project funds")
	spent := 0
	for _, p := range bl.Projects {
		if p.Spent.IsPositive() {
			spent++
		}
	}
	assert.Equal(t, fundsdemo.Funded, spent, "every project spent that month")
	assert.Contains(t, en, `<html lang="en">`)
	// Money as people read it, in both renderings.
	zhHTML := bl.HTML(bulletin.Chinese)
	for _, p := range bl.Projects {
		assert.Contains(t, zh, "| "+money.Format(p.Granted)+" |")
		assert.Contains(t, zhHTML, ">"+money.Format(p.Granted)+"<")
		assert.Regexp(t, `^\d{1,3}(,\d{3})*\.\d{2}$`, money.Format(p.Granted))
	}
	if len(bl.Upcoming) == 0 {
		assert.Contains(t, zhHTML, "下月暂无安排", "not “本月无” under next month's heading")
	}
	_, err = bulletin.Compose(resident, s, reg, c.ID, "2026-13", nil)
	assert.ErrorIs(t, err, grids.Invalid)
}

// BenchmarkCompose composes a closed month's bulletin of the demo
// community (memory store) grown to the case's 11,458 residents, names
// hidden.
func BenchmarkCompose(b *testing.B) {
	d := demotest.Seed(b, demotest.WithPoints|demotest.WithFunds)
	store, reg, c := d.Store, d.Registry, d.Community
	admin := grids.WithPrincipal(context.Background(), grids.Admin("bench"))
	hs, _, err := reg.FindHouseholds(admin, grids.HouseholdFilter{CommunityID: c.ID, Page: grids.Page{Limit: 1}})
	require.NoError(b, err)
	for i := governancedemo.Residents; i < 11458; i++ {
		_, err := reg.CreateResident(admin, c.ID, grids.ResidentInput{HouseholdID: hs[0].ID, Name: fmt.Sprintf("居民%05d", i), Sex: grids.Female, BirthYear: 1960})
		require.NoError(b, err)
	}
	s := bulletin.Sources{
		Governance: governance.NewService(store.Governance(), store.Grids(), governance.Options{}),
		Points:     points.NewService(store.Points(), governance.Lookup{Store: store.Governance()}, grids.Lookup{Store: store.Grids()}, points.Options{}),
		Funds:      funds.NewService(store.Funds(), governance.Lookup{Store: store.Governance()}, grids.Lookup{Store: store.Grids()}, funds.Options{}),
	}
	resident := grids.WithPrincipal(context.Background(), grids.Principal{ID: "r", CommunityID: c.ID, Name: "r", Roles: []grids.Role{grids.RoleResident}})
	for b.Loop() {
		if _, err := bulletin.Compose(resident, s, reg, c.ID, "2025-10", nil); err != nil {
			b.Fatal(err)
		}
	}
}
