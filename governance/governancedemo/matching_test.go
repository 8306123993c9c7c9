package governancedemo_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/governancedemo"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/gridsdemo"
)

// BenchmarkRecommendGroups measures matching the demo community's residents
// to its 24 groups, district by district: the time to propose for all four
// districts, and how well the proposals serve them (per mille of tagged
// residents placed, proposals' mean and largest distance in metres). Each
// proposal is checked against the rules: a shared tag, within reach, and
// no group given more than its room.
func BenchmarkRecommendGroups(b *testing.B) {
	store := memstore.New()
	reg := grids.NewRegistry(store.Grids(), grids.Options{})
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("bench"))
	com, err := gridsdemo.Seed(ctx, reg, gridsdemo.Generate(2026, 1))
	require.NoError(b, err)
	_, err = governancedemo.Seed(context.Background(), store.Governance(), store.Grids(), com.ID, time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC), 1)
	require.NoError(b, err)
	gov := governance.NewService(store.Governance(), store.Grids(), governance.Options{})
	districts, _, err := reg.FindDistricts(ctx, grids.DistrictFilter{CommunityID: com.ID})
	require.NoError(b, err)
	groups, _, err := gov.FindBodies(ctx, governance.BodyFilter{CommunityID: com.ID, Kind: governance.Group})
	require.NoError(b, err)

	var tagged, placed, proposals, metres, farthest int
	for b.Loop() {
		tagged, placed, proposals, metres, farthest = 0, 0, 0, 0, 0
		for _, d := range districts {
			given := map[string]int{}
			m, err := gov.RecommendGroups(ctx, com.ID, governance.MatchInput{DistrictID: d.ID})
			require.NoError(b, err)
			tagged += m.Tagged
			placed += m.Matched + m.Already
			proposals += len(m.Proposals)
			metres += m.MeanMetres * len(m.Proposals)
			farthest = max(farthest, m.MaxMetres)
			for _, p := range m.Proposals {
				require.LessOrEqual(b, p.Metres, m.WithinMetres)
				require.NotEmpty(b, p.Tags)
				given[p.GroupID]++
			}
			// Each district is offered the groups' room as it stands (15
			// founders in each): districts asked one after another may
			// together be offered more, which ConfirmMatches then refuses.
			for _, g := range groups {
				require.LessOrEqual(b, given[g.ID], governancedemo.GroupSize-15, g.Name)
			}
		}
	}
	b.ReportMetric(float64(tagged), "tagged")
	b.ReportMetric(float64(placed)*1000/float64(max(tagged, 1)), "placed‰")
	b.ReportMetric(float64(metres)/float64(max(proposals, 1)), "mean-m")
	b.ReportMetric(float64(farthest), "max-m")
}
