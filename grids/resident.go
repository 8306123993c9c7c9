package grids

import (
	"fmt"
	"slices"

	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// Sex as the case's population table counts it.
type Sex string

// The sexes.
const (
	Male   Sex = "male"
	Female Sex = "female"
)

// EarliestBirthYear bounds birth years from below.
const EarliestBirthYear = 1900

// Resident (居民) belongs to one household. The profile (interests, needs,
// vulnerabilities) is what services, groups and regrouping work from.
type Resident struct {
	ID              string          `json:"id" validate:"ulid"`
	CommunityID     string          `json:"community_id" validate:"ulid"`
	HouseholdID     string          `json:"household_id" validate:"required,ulid"`
	Name            string          `json:"name" validate:"required,text,max=64"`
	Sex             Sex             `json:"sex" validate:"oneof=male female"`
	BirthYear       int             `json:"birth_year" validate:"gte=1900,lte=9999"`
	Phone           string          `json:"phone,omitempty" validate:"omitempty,phone"`
	Interests       []string        `json:"interests" validate:"max=32,unique,dive,tag"`
	Needs           []string        `json:"needs" validate:"max=32,unique,dive,tag"`
	Vulnerabilities []Vulnerability `json:"vulnerabilities" validate:"max=32,unique"`
	Stamps
}

// Age is the resident's age in year, as the case counts it: year − birth year.
func (r Resident) Age(year int) int { return year - r.BirthYear }

// Validate checks every field as of year (no one is born in the future, and
// elderly categories need a retiree or someone of 60 or over).
func (r Resident) Validate(year int) error {
	if err := validate.Struct(r); err != nil {
		return err
	}
	var fields []errs.FieldError
	if r.BirthYear > year {
		fields = append(fields, errs.FieldError{Field: "birth_year", Message: fmt.Sprintf("must not be after %d", year)})
	}
	elderly := r.Age(year) >= ElderlyAge || FlagsOf(r.Vulnerabilities)&FlagOf(Retiree) != 0
	for i, v := range r.Vulnerabilities {
		field := fmt.Sprintf("vulnerabilities[%d]", i)
		switch {
		case v.Derived():
			fields = append(fields, errs.FieldError{Field: field, Message: fmt.Sprintf("%s is derived from birth year, sex and migrant status; it cannot be set", v)})
		case !v.Recorded():
			fields = append(fields, errs.FieldError{Field: field, Message: fmt.Sprintf("unknown vulnerability %q", v)})
		case v.ElderlyCategory() && !elderly:
			fields = append(fields, errs.FieldError{Field: field, Message: fmt.Sprintf("%s is an elderly category: the resident must be a retiree or aged %d or over", v, ElderlyAge)})
		}
	}
	if len(fields) > 0 {
		return errs.Fields(fields...)
	}
	return nil
}

// Flags returns the resident's recorded vulnerabilities as a mask.
func (r Resident) Flags() Flags { return FlagsOf(r.Vulnerabilities) }

// Profile is the resident's vulnerability profile in year: those the
// record holds and those their age and sex make (elderly, youth, child, a
// migrant woman of childbearing age), in the order the case lists them.
func (r Resident) Profile(year int) []Vulnerability {
	age := r.Age(year)
	var out []Vulnerability
	if age >= ElderlyAge {
		out = append(out, Elderly)
	}
	if age < YouthAgeBelow {
		out = append(out, Youth)
	}
	if age < ChildAgeBelow {
		out = append(out, Child)
	}
	if r.Sex == Female && slices.Contains(r.Vulnerabilities, Migrant) && age >= ChildbearingAgeMin && age <= ChildbearingAgeMax {
		out = append(out, MigrantWomanChildbearing)
	}
	for _, v := range recorded {
		if slices.Contains(r.Vulnerabilities, v) {
			out = append(out, v)
		}
	}
	return out
}

// ResidentInput creates a resident.
type ResidentInput struct {
	HouseholdID     string          `json:"household_id"`
	Name            string          `json:"name"`
	Sex             Sex             `json:"sex"`
	BirthYear       int             `json:"birth_year"`
	Phone           string          `json:"phone,omitempty"`
	Interests       []string        `json:"interests,omitempty"`
	Needs           []string        `json:"needs,omitempty"`
	Vulnerabilities []Vulnerability `json:"vulnerabilities,omitempty"`
}

// ResidentUpdate changes the fields that are set; a new HouseholdID moves
// the resident. Lists are replaced whole.
type ResidentUpdate struct {
	HouseholdID     *string          `json:"household_id,omitempty"`
	Name            *string          `json:"name,omitempty"`
	Sex             *Sex             `json:"sex,omitempty"`
	BirthYear       *int             `json:"birth_year,omitempty"`
	Phone           *string          `json:"phone,omitempty"`
	Interests       *[]string        `json:"interests,omitempty"`
	Needs           *[]string        `json:"needs,omitempty"`
	Vulnerabilities *[]Vulnerability `json:"vulnerabilities,omitempty"`
}

func (u ResidentUpdate) apply(r *Resident) {
	set(&r.HouseholdID, u.HouseholdID)
	set(&r.Name, u.Name)
	set(&r.Sex, u.Sex)
	set(&r.BirthYear, u.BirthYear)
	set(&r.Phone, u.Phone)
	set(&r.Interests, u.Interests)
	set(&r.Needs, u.Needs)
	set(&r.Vulnerabilities, u.Vulnerabilities)
}

// ResidentFilter selects a community's residents. Every condition set must
// hold; tag lists match residents that have all of the tags.
type ResidentFilter struct {
	CommunityID string
	DistrictID  string
	GridID      string
	BuildingID  string
	HouseholdID string
	Name        string // substring of the name
	Phone       string // the phone number, exactly
	Interests   []string
	Needs       []string
	Cohort      Cohort // sex, vulnerabilities and ages; see CohortOf
	State       State
	Page
}

func fieldf(format string, args ...any) func(msg string) error {
	field := fmt.Sprintf(format, args...)
	return func(msg string) error { return errs.Field(field, "%s", msg) }
}
