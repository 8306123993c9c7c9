package gridsdemo

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/linli-go/linli/grids"
)

// The case's figures (shared/docs/domain.md).
const (
	Buildings  = 225
	Households = 4177
	Residents  = 11458
	Workers    = 22
	Districts  = 9
	Grids      = 27
)

// Community is a generated community: its structure, and its buildings,
// households and residents as the CSV files grids.Registry.Import reads.
type Community struct {
	Name, Address string
	Year          int // ages are as of this year
	Workers       []string
	Districts     []District
	Buildings     []byte // buildings.csv
	Households    []byte // households.csv
	Residents     []byte // residents.csv
}

// District is a district, the indexes of its two workers in
// Community.Workers, and its grids' names.
type District struct {
	Name    string
	Workers [2]int
	Grids   []string
}

// Files returns the CSV files, ready for grids.Registry.Import.
func (c Community) Files() grids.ImportFiles {
	return grids.ImportFiles{
		Buildings:  bytes.NewReader(c.Buildings),
		Households: bytes.NewReader(c.Households),
		Residents:  bytes.NewReader(c.Residents),
	}
}

// Seed creates the community in reg with its workers, districts and grids,
// and imports its buildings, households and residents. The context's
// principal must be an admin.
func Seed(ctx context.Context, reg *grids.Registry, c Community) (grids.Community, error) {
	com, err := reg.CreateCommunity(ctx, grids.CommunityInput{Name: c.Name, Address: c.Address})
	if err != nil {
		return com, fmt.Errorf("create community: %w", err)
	}
	workerIDs := make([]string, len(c.Workers))
	for i, name := range c.Workers {
		w, err := reg.CreateWorker(ctx, com.ID, grids.WorkerInput{Name: name})
		if err != nil {
			return com, fmt.Errorf("create worker %s: %w", name, err)
		}
		workerIDs[i] = w.ID
	}
	for _, d := range c.Districts {
		dist, err := reg.CreateDistrict(ctx, com.ID, grids.DistrictInput{Name: d.Name, WorkerIDs: []string{workerIDs[d.Workers[0]], workerIDs[d.Workers[1]]}})
		if err != nil {
			return com, fmt.Errorf("create district %s: %w", d.Name, err)
		}
		for _, g := range d.Grids {
			if _, err := reg.CreateGrid(ctx, com.ID, grids.GridInput{DistrictID: dist.ID, Name: g}); err != nil {
				return com, fmt.Errorf("create grid %s: %w", g, err)
			}
		}
	}
	if _, err := reg.Import(ctx, com.ID, c.Files(), grids.ImportOptions{}); err != nil {
		return com, fmt.Errorf("import: %w", err)
	}
	return com, nil
}

// Expected returns the population table the case reports, which a seeded
// community's Summary for c.Year reproduces.
func Expected(communityID string, year int) grids.Summary {
	s := grids.Summary{
		CommunityID: communityID, Year: year,
		Households: Households,
		Residents:  grids.SexCount{Total: Residents, Male: 5601, Female: 5857},
		Migrants:   grids.SexCount{Total: 1018, Male: 506, Female: 512},
		Retirees:   2522,
		Elders: grids.ElderCount{Aged60Plus: aged60Plus, EmptyNest: 532, LivingAlone: 235, NoFamily: 13,
			Disabled: 16, SemiDisabled: 15, Dementia: 5},
		Disabled:                 grids.DisableCount{Total: 123, Hearing: 15, Intellectual: 23, Mental: 21, Physical: 50, Visual: 16},
		Under18:                  1098,
		Under14:                  705,
		MigrantWomenChildbearing: 289,
		PartyMembers:             558 + workingPartyMembers,
		RetiredPartyMembers:      558,
		ElderlyOrDisabled:        elderlyOrDisabled,
	}
	return s
}

// Figures the case does not give, chosen so the ones it does come out: 27%
// elderly (60+) or disabled is 3,094 of 11,458.
const (
	aged60Plus          = 3011
	elderlyOrDisabled   = 3094 // aged60Plus + 83 disabled residents under 60
	workingPartyMembers = 300
)

// Age bands: their edges are the ages the summary counts by.
type band struct{ lo, hi int }

var (
	child    = band{0, 13}  // under 14
	age14    = band{14, 14} // youth, not yet of child-bearing age
	teen     = band{15, 17} // youth of child-bearing age
	adult    = band{18, 49}
	older    = band{50, 59}
	elderly  = band{60, 95}
	eldest   = band{75, 95} // lone and dependent elders skew old
	anyAdult = band{18, 59}
)

type person struct {
	sex       grids.Sex
	age       int
	migrant   bool
	vulns     []grids.Vulnerability
	interests []string
	needs     []string
	name      string
}

func (p *person) add(v grids.Vulnerability) { p.vulns = append(p.vulns, v) }
func (p *person) has(v grids.Vulnerability) bool {
	return slices.Contains(p.vulns, v)
}

// kind of household, for clustering them in space.
const (
	loneElder = iota
	elderCouple
	family // with children
	migrants
	adults
)

type household struct {
	kind    int
	members []*person
	unit    string
}

type gen struct {
	rnd  *rand.Rand
	year int
}

func (g *gen) age(b band) int { return b.lo + g.rnd.IntN(b.hi-b.lo+1) }

func (g *gen) people(n int, sex grids.Sex, b band, migrant bool) []*person {
	out := make([]*person, n)
	for i := range out {
		out[i] = &person{sex: sex, age: g.age(b), migrant: migrant}
	}
	return out
}

// pick returns n people drawn without replacement from those matching ok.
func (g *gen) pick(from []*person, n int, ok func(*person) bool) []*person {
	var pool []*person
	for _, p := range from {
		if ok(p) {
			pool = append(pool, p)
		}
	}
	if len(pool) < n {
		panic(fmt.Sprintf("gridsdemo: want %d people, only %d fit", n, len(pool)))
	}
	g.rnd.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	return pool[:n]
}

// Generate returns the case's community with ages as of year. The same
// year and seed give the same community.
func Generate(year int, seed uint64) Community {
	g := &gen{rnd: rand.New(rand.NewPCG(seed, 0x6c696e6c69)), year: year}

	// Lone elders (235, of whom 13 with no family) and empty-nest couples
	// (532 people): households of their own.
	var hs []*household
	lone := append(g.people(75, grids.Male, eldest, false), g.people(160, grids.Female, eldest, false)...)
	for i, p := range lone {
		p.add(grids.Retiree)
		p.add(grids.LivingAlone)
		if i%18 == 0 && i/18 < 13 {
			p.add(grids.NoFamily)
		}
		hs = append(hs, &household{kind: loneElder, members: []*person{p}})
	}
	var couples []*person
	for range 266 {
		m, f := &person{sex: grids.Male, age: g.age(elderly)}, &person{sex: grids.Female, age: g.age(elderly)}
		for _, p := range []*person{m, f} {
			p.add(grids.Retiree)
			p.add(grids.EmptyNest)
		}
		couples = append(couples, m, f)
		hs = append(hs, &household{kind: elderCouple, members: []*person{m, f}})
	}

	// Everyone else, by band; "any" sexes are dealt out below.
	var mig []*person
	for _, s := range []struct {
		sex grids.Sex
		n   [6]int // child, age14, teen, adult, older, elderly
	}{
		{grids.Female, [6]int{100, 10, 15, 274, 80, 33}},
		{grids.Male, [6]int{105, 8, 17, 290, 60, 26}},
	} {
		for i, b := range []band{child, age14, teen, adult, older, elderly} {
			mig = append(mig, g.people(s.n[i], s.sex, b, true)...)
		}
	}
	for _, p := range mig {
		p.add(grids.Migrant)
	}
	kids := slices.Concat(g.people(500, "", child, false), g.people(100, "", age14, false), g.people(243, "", teen, false))
	retired := g.people(1583, "", elderly, false)
	earlyRetired := g.people(172, grids.Female, older, false)
	for _, p := range slices.Concat(retired, earlyRetired) {
		p.add(grids.Retiree)
	}
	oldWorking := g.people(602, "", elderly, false)
	working := g.people(6473, "", anyAdult, false)

	anySex := slices.Concat(kids, retired, oldWorking, working)
	g.rnd.Shuffle(len(anySex), func(i, j int) { anySex[i], anySex[j] = anySex[j], anySex[i] })
	for i, p := range anySex {
		p.sex = grids.Female
		if i < 4754 {
			p.sex = grids.Male
		}
	}

	// Elderly categories among retirees living with family.
	dependent := g.pick(retired, 36, func(*person) bool { return true })
	for i, p := range dependent {
		p.age = g.age(eldest)
		switch {
		case i < 16:
			p.add(grids.DisabledElder)
		case i < 31:
			p.add(grids.SemiDisabledElder)
		default:
			p.add(grids.Dementia)
		}
	}

	// 123 disabled residents with 125 disabilities: two have two types.
	var types []grids.Vulnerability
	for v, n := range map[grids.Vulnerability]int{grids.HearingDisability: 15, grids.IntellectualDisability: 23,
		grids.MentalDisability: 21, grids.PhysicalDisability: 50, grids.VisualDisability: 16} {
		for range n {
			types = append(types, v)
		}
	}
	slices.Sort(types) // map order is random; the seed alone must decide
	g.rnd.Shuffle(len(types), func(i, j int) { types[i], types[j] = types[j], types[i] })
	notYet := func(p *person) bool { return !slices.ContainsFunc(p.vulns, grids.Vulnerability.Disability) }
	disabled := slices.Concat(
		g.pick(slices.Concat(retired, oldWorking), 40, notYet),
		g.pick(working, 75, notYet),
		g.pick(kids, 8, notYet))
	for i, p := range disabled {
		p.add(types[i])
	}
	for k, extra := range types[len(disabled):] {
		for _, p := range disabled[k:] {
			if !p.has(extra) {
				p.add(extra)
				break
			}
		}
	}

	// Party members: 558 retired, some working.
	allRetired := slices.Concat(lone, couples, retired, earlyRetired)
	for _, p := range g.pick(allRetired, 558, func(*person) bool { return true }) {
		p.add(grids.PartyMember)
	}
	for _, p := range g.pick(working, workingPartyMembers, func(p *person) bool { return p.age >= 22 }) {
		p.add(grids.PartyMember)
	}

	// Families: 380 migrant households, 3,296 others; each with an adult head.
	hs = append(hs, g.families(mig, 380, migrants)...)
	hs = append(hs, g.families(slices.Concat(kids, retired, earlyRetired, oldWorking, working), 3296, adults)...)

	for _, h := range hs {
		for _, p := range h.members {
			g.profile(p, h)
			p.name = g.name(p.sex)
		}
	}
	return g.layout(hs)
}

// families groups people into n households of the given kind: n adult heads,
// then everyone else dealt out at random, at most seven to a household.
func (g *gen) families(people []*person, n, kind int) []*household {
	var grown, rest []*person
	for _, p := range people {
		if p.age >= 18 {
			grown = append(grown, p)
		} else {
			rest = append(rest, p)
		}
	}
	g.rnd.Shuffle(len(grown), func(i, j int) { grown[i], grown[j] = grown[j], grown[i] })
	rest = append(rest, grown[n:]...)
	hs := make([]*household, n)
	for i := range hs {
		hs[i] = &household{kind: kind, members: []*person{grown[i]}}
	}
	g.rnd.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
	for _, p := range rest {
		h := hs[g.rnd.IntN(n)]
		for len(h.members) >= 7 {
			h = hs[g.rnd.IntN(n)]
		}
		h.members = append(h.members, p)
	}
	for _, h := range hs {
		if kind == adults && slices.ContainsFunc(h.members, func(p *person) bool { return p.age < 18 }) {
			h.kind = family
		}
	}
	return hs
}

var interestsByAge = []struct {
	tag    string
	lo, hi int
	chance float64
}{
	{"square_dance", 45, 80, 0.30}, {"tai_chi", 55, 90, 0.25}, {"calligraphy", 50, 95, 0.15},
	{"chess_cards", 50, 95, 0.25}, {"choir", 45, 85, 0.15}, {"parenting", 25, 45, 0.35},
	{"youth_sports", 6, 30, 0.40}, {"digital_skills", 12, 40, 0.25}, {"volunteering", 18, 75, 0.12},
	{"gardening", 40, 90, 0.18}, {"reading", 6, 95, 0.10},
}

// profile gives a resident interests and needs that follow their age and
// circumstances.
func (g *gen) profile(p *person, h *household) {
	for _, in := range interestsByAge {
		if p.age >= in.lo && p.age <= in.hi && g.rnd.Float64() < in.chance {
			p.interests = append(p.interests, in.tag)
		}
	}
	need := func(tag string, chance float64) {
		if g.rnd.Float64() < chance && !slices.Contains(p.needs, tag) {
			p.needs = append(p.needs, tag)
		}
	}
	if p.age >= 60 {
		need("medical_escort", 0.15)
		need("home_elder_care", 0.08)
	}
	if h.kind == loneElder {
		need("companionship", 0.6)
		need("meal_delivery", 0.4)
		need("home_elder_care", 0.3)
	}
	if p.has(grids.DisabledElder) || p.has(grids.SemiDisabledElder) || p.has(grids.Dementia) {
		need("home_elder_care", 1)
	}
	if slices.ContainsFunc(p.vulns, grids.Vulnerability.Disability) {
		need("disability_support", 0.8)
	}
	if p.age >= 25 && p.age <= 45 && slices.ContainsFunc(h.members, func(o *person) bool { return o.age < 12 }) {
		need("after_school_care", 0.45)
	}
	if p.migrant && p.age >= 18 && p.age < 60 {
		need("employment_help", 0.35)
	}
	need("dispute_mediation", 0.03)
	slices.Sort(p.interests)
	slices.Sort(p.needs)
}

var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈")
	male     = []rune("伟强磊军勇杰涛明超刚平辉建国华志斌鹏飞宇浩晨")
	female   = []rune("芳娜敏静丽艳娟霞秀英玲桂兰萍红梅琳雪婷慧洁燕")
)

func (g *gen) name(sex grids.Sex) string {
	given := male
	if sex == grids.Female {
		given = female
	}
	var b strings.Builder
	b.WriteRune(surnames[g.rnd.IntN(len(surnames))])
	for range 1 + g.rnd.IntN(2) {
		b.WriteRune(given[g.rnd.IntN(len(given))])
	}
	return b.String()
}

// The estate is a 15 × 15 lattice of buildings, 30 m apart; each 5 × 5 block
// is a district of three grids.
const (
	side    = 15
	spacing = 30.0 // metres
	baseLat = 31.5520
	baseLng = 120.2580
)

var areas = []struct {
	name      string
	districts []int
}{
	{"水秀新村", []int{0, 1, 2, 3}}, {"稻香新村", []int{4, 5}}, {"溪南新村", []int{6, 7}}, {"二轻家舍", []int{8}},
}

var numerals = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九"}

// layout places households in buildings (kinds clustered in space), names
// everything, and writes the CSV files.
func (g *gen) layout(hs []*household) Community {
	c := Community{Name: "水秀社区", Address: "江苏省无锡市滨湖区河埒街道", Year: g.year}
	for i := range Workers {
		c.Workers = append(c.Workers, g.name([]grids.Sex{grids.Male, grids.Female}[i%2]))
	}
	for d := range Districts {
		dist := District{Name: "第" + numerals[d] + "片区", Workers: [2]int{2 * d, 2*d + 1}}
		for k := range 3 {
			dist.Grids = append(dist.Grids, fmt.Sprintf("%d-%d网格", d+1, k+1))
		}
		c.Districts = append(c.Districts, dist)
	}

	// Buildings in lattice order; district by block, grid by position in it.
	type building struct {
		row, col, district, grid int
		name                     string
		theme                    float64 // which kind of household it tends to house
		households               []*household
	}
	bs := make([]*building, 0, Buildings)
	for r := range side {
		for col := range side {
			d := (r/5)*3 + col/5
			pos := (r%5)*5 + col%5
			grid := min(pos/9, 2) // 9, 8, 8 buildings in reading order
			if pos >= 17 {
				grid = 2
			}
			// Themes drift smoothly across the estate: patches of a kind.
			theme := 2.0 + 1.6*math.Sin(float64(r)/3.1) + 1.2*math.Sin(float64(col)/2.3+1) + g.rnd.NormFloat64()*0.6
			bs = append(bs, &building{row: r, col: col, district: d, grid: grid, theme: theme})
		}
	}
	counters := map[string]int{}
	for _, b := range bs {
		area := areas[len(areas)-1].name
		for _, a := range areas {
			if slices.Contains(a.districts, b.district) {
				area = a.name
			}
		}
		counters[area]++
		b.name = area + strconv.Itoa(counters[area]) + "号"
	}

	// Capacities: 127 buildings of 19 households, 98 of 18.
	capacity := make([]int, len(bs))
	for i := range capacity {
		capacity[i] = 18
		if i < Households-18*Buildings {
			capacity[i] = 19
		}
	}
	g.rnd.Shuffle(len(capacity), func(i, j int) { capacity[i], capacity[j] = capacity[j], capacity[i] })

	// Sort both by theme (with noise) and fill in order: kinds cluster.
	order := slices.Clone(bs)
	slices.SortStableFunc(order, func(a, b *building) int { return cmp.Compare(a.theme, b.theme) })
	idx := make(map[*building]int, len(bs))
	for i, b := range bs {
		idx[b] = i
	}
	hkey := make(map[*household]float64, len(hs))
	for _, h := range hs {
		hkey[h] = float64(h.kind) + g.rnd.NormFloat64()*1.2
	}
	sortedHs := slices.Clone(hs)
	slices.SortStableFunc(sortedHs, func(a, b *household) int { return cmp.Compare(hkey[a], hkey[b]) })
	next := 0
	for _, b := range order {
		for range capacity[idx[b]] {
			b.households = append(b.households, sortedHs[next])
			next++
		}
	}

	var bw, hw, rw bytes.Buffer
	bcsv, hcsv, rcsv := csv.NewWriter(&bw), csv.NewWriter(&hw), csv.NewWriter(&rw)
	must(bcsv.Write([]string{"name", "address", "grid", "lat", "lng", "neighbours"}))
	must(hcsv.Write([]string{"building", "unit", "size"}))
	must(rcsv.Write([]string{"building", "unit", "name", "sex", "birth_year", "interests", "needs", "vulnerabilities"}))
	at := func(r, col int) *building { return bs[r*side+col] }
	for _, b := range bs {
		var ns []string
		for _, d := range [][2]int{{-1, 0}, {1, 0}, {0, -1}, {0, 1}} {
			r, col := b.row+d[0], b.col+d[1]
			if r >= 0 && r < side && col >= 0 && col < side {
				ns = append(ns, at(r, col).name)
			}
		}
		lat := baseLat + float64(b.row)*spacing/111_320
		lng := baseLng + float64(b.col)*spacing/94_950
		must(bcsv.Write([]string{b.name, "无锡市滨湖区" + b.name, c.Districts[b.district].Grids[b.grid],
			strconv.FormatFloat(lat, 'f', 6, 64), strconv.FormatFloat(lng, 'f', 6, 64), strings.Join(ns, ";")}))
		for k, h := range b.households {
			h.unit = fmt.Sprintf("%d-%d%02d", k/12+1, k%12/2+1, k%2+1) // stairwell-floor+room
			must(hcsv.Write([]string{b.name, h.unit, strconv.Itoa(len(h.members))}))
			for _, p := range h.members {
				vs := grids.FlagsOf(p.vulns).Vulnerabilities()
				names := make([]string, len(vs))
				for i, v := range vs {
					names[i] = string(v)
				}
				must(rcsv.Write([]string{b.name, h.unit, p.name, string(p.sex), strconv.Itoa(g.year - p.age),
					strings.Join(p.interests, ";"), strings.Join(p.needs, ";"), strings.Join(names, ";")}))
			}
		}
	}
	for _, w := range []*csv.Writer{bcsv, hcsv, rcsv} {
		w.Flush()
		must(w.Error())
	}
	c.Buildings, c.Households, c.Residents = bw.Bytes(), hw.Bytes(), rw.Bytes()
	return c
}

func must(err error) {
	if err != nil {
		panic(err) // writing CSV to memory cannot fail
	}
}
