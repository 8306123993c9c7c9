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
	Stamps
}

// Validate checks every field.
func (h Household) Validate() error { return validate.Struct(h) }

// HouseholdInput creates a household.
type HouseholdInput struct {
	BuildingID string `json:"building_id"`
	Unit       string `json:"unit"`
	Size       int    `json:"size"`
}

// HouseholdUpdate changes the fields that are set; a new BuildingID moves
// the household.
type HouseholdUpdate struct {
	BuildingID *string `json:"building_id,omitempty"`
	Unit       *string `json:"unit,omitempty"`
	Size       *int    `json:"size,omitempty"`
}

func (u HouseholdUpdate) apply(h *Household) {
	set(&h.BuildingID, u.BuildingID)
	set(&h.Unit, u.Unit)
	set(&h.Size, u.Size)
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
