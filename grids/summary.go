package grids

import "github.com/shopspring/decimal"

// Summary is the population table of the case (人口状况) for a community, a
// district or a grid, counted over active records. Ages are as of Year
// (age = Year − birth year).
type Summary struct {
	CommunityID string `json:"community_id"`
	Scope       Scope  `json:"scope"`
	Year        int    `json:"year"`

	Households int      `json:"households"`
	Residents  SexCount `json:"residents"`
	Migrants   SexCount `json:"migrants"`

	Retirees int          `json:"retirees"`
	Elders   ElderCount   `json:"elders"`
	Disabled DisableCount `json:"disabled"`

	Under18                  int `json:"under_18"`
	Under14                  int `json:"under_14"`
	MigrantWomenChildbearing int `json:"migrant_women_childbearing"`
	PartyMembers             int `json:"party_members"`
	RetiredPartyMembers      int `json:"retired_party_members"`

	// ElderlyOrDisabled counts residents aged 60 or over or with any
	// disability, once each; Share is that over all residents, rounded
	// half-up to four places (0 when there are no residents).
	ElderlyOrDisabled      int             `json:"elderly_or_disabled"`
	ShareElderlyOrDisabled decimal.Decimal `json:"share_elderly_or_disabled"`
}

// SexCount is a count split by sex.
type SexCount struct {
	Total  int `json:"total"`
	Male   int `json:"male"`
	Female int `json:"female"`
}

// ElderCount counts the elderly and each elderly category.
type ElderCount struct {
	Aged60Plus   int `json:"aged_60_plus"`
	EmptyNest    int `json:"empty_nest"`
	LivingAlone  int `json:"living_alone"`
	NoFamily     int `json:"no_family"`
	Disabled     int `json:"disabled"`
	SemiDisabled int `json:"semi_disabled"`
	Dementia     int `json:"dementia"`
}

// DisableCount counts residents with a disability, and each type (a
// resident with several types counts once in Total).
type DisableCount struct {
	Total        int `json:"total"`
	Hearing      int `json:"hearing"`
	Intellectual int `json:"intellectual"`
	Mental       int `json:"mental"`
	Physical     int `json:"physical"`
	Visual       int `json:"visual"`
}

// summaryCounts lists what a Summary counts as of year, each paired with
// the field it fills: one place says both what is counted and where it goes.
func summaryCounts(year int, s *Summary) ([]Count, []*int) {
	flag := func(v Vulnerability) Count { return Count{{AllFlags: FlagOf(v)}} }
	cohort := func(vs ...Vulnerability) Count {
		c, _ := CohortOf(year, "", vs)
		return Count{c}
	}
	migrant := FlagOf(Migrant)
	rows := []struct {
		count Count
		into  *int
	}{
		{Count{{}}, &s.Residents.Total},
		{Count{{Sex: Male}}, &s.Residents.Male},
		{Count{{Sex: Female}}, &s.Residents.Female},
		{Count{{AllFlags: migrant}}, &s.Migrants.Total},
		{Count{{Sex: Male, AllFlags: migrant}}, &s.Migrants.Male},
		{Count{{Sex: Female, AllFlags: migrant}}, &s.Migrants.Female},
		{flag(Retiree), &s.Retirees},
		{cohort(Elderly), &s.Elders.Aged60Plus},
		{flag(EmptyNest), &s.Elders.EmptyNest},
		{flag(LivingAlone), &s.Elders.LivingAlone},
		{flag(NoFamily), &s.Elders.NoFamily},
		{flag(DisabledElder), &s.Elders.Disabled},
		{flag(SemiDisabledElder), &s.Elders.SemiDisabled},
		{flag(Dementia), &s.Elders.Dementia},
		{Count{{AnyFlags: disabilityFlags}}, &s.Disabled.Total},
		{flag(HearingDisability), &s.Disabled.Hearing},
		{flag(IntellectualDisability), &s.Disabled.Intellectual},
		{flag(MentalDisability), &s.Disabled.Mental},
		{flag(PhysicalDisability), &s.Disabled.Physical},
		{flag(VisualDisability), &s.Disabled.Visual},
		{cohort(Youth), &s.Under18},
		{cohort(Child), &s.Under14},
		{cohort(MigrantWomanChildbearing), &s.MigrantWomenChildbearing},
		{flag(PartyMember), &s.PartyMembers},
		{Count{{AllFlags: FlagOf(Retiree) | FlagOf(PartyMember)}}, &s.RetiredPartyMembers},
		{append(cohort(Elderly), Cohort{AnyFlags: disabilityFlags}), &s.ElderlyOrDisabled},
	}
	counts := make([]Count, len(rows))
	into := make([]*int, len(rows))
	for i, r := range rows {
		counts[i], into[i] = r.count, r.into
	}
	return counts, into
}

func share(part, whole int) decimal.Decimal {
	if whole == 0 {
		return decimal.Zero
	}
	return decimal.NewFromInt(int64(part)).DivRound(decimal.NewFromInt(int64(whole)), 4)
}
