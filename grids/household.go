package grids

import "github.com/linli-go/linli/internal/validate"

// Bounds on a household's declared size.
const (
	MinHouseholdSize = 1
	MaxHouseholdSize = 20
)

// Household (户) lives in one unit of a building. Size is the number of
// people the household declares, which may exceed the residents registered.
type Household struct {
	ID          string `json:"id" validate:"ulid"`
	CommunityID string `json:"community_id" validate:"ulid"`
	BuildingID  string `json:"building_id" validate:"required,ulid"`
	Unit        string `json:"unit" validate:"required,text,max=32"`
	Size        int    `json:"size" validate:"gte=1,lte=20"`
	// Interests and Needs are the household's own tags, set by workers;
	// with its residents' and those its survey answers map to, they make
	// the profile regrouping reads (see Profile).
	Interests []string `json:"interests" validate:"max=32,unique,dive,tag"`
	Needs     []string `json:"needs" validate:"max=32,unique,dive,tag"`
	Stamps
}

// Validate checks every field.
func (h Household) Validate() error { return validate.Struct(h) }

// HouseholdInput creates a household.
type HouseholdInput struct {
	BuildingID string   `json:"building_id"`
	Unit       string   `json:"unit"`
	Size       int      `json:"size"`
	Interests  []string `json:"interests,omitempty"`
	Needs      []string `json:"needs,omitempty"`
}

// HouseholdUpdate changes the fields that are set; a new BuildingID moves
// the household.
type HouseholdUpdate struct {
	BuildingID *string   `json:"building_id,omitempty"`
	Unit       *string   `json:"unit,omitempty"`
	Size       *int      `json:"size,omitempty"`
	Interests  *[]string `json:"interests,omitempty"`
	Needs      *[]string `json:"needs,omitempty"`
}

func (u HouseholdUpdate) apply(h *Household) {
	set(&h.BuildingID, u.BuildingID)
	set(&h.Unit, u.Unit)
	set(&h.Size, u.Size)
	set(&h.Interests, u.Interests)
	set(&h.Needs, u.Needs)
}

// normalize puts a household's lists in their stored order.
func (h *Household) normalize() {
	h.Interests, h.Needs = sorted(h.Interests), sorted(h.Needs)
}

// Profile is what regrouping reads of a household: the union of its own
// tags, its residents' and those its latest survey answers map to, and how
// many of its residents have each recorded vulnerability.
type Profile struct {
	HouseholdID     string                `json:"household_id"`
	BuildingID      string                `json:"building_id"`
	Residents       int                   `json:"residents"`
	Interests       []string              `json:"interests"`
	Needs           []string              `json:"needs"`
	Vulnerabilities map[Vulnerability]int `json:"vulnerabilities"`
}

// HouseholdFilter selects a community's households.
type HouseholdFilter struct {
	CommunityID string
	ID          string // this household only
	DistrictID  string
	GridID      string
	BuildingID  string
	Unit        string // exact unit
	State       State
	Page
}
