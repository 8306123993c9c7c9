package grids

import "github.com/linli-go/linli/internal/validate"

// MaxNeighbours bounds a building's neighbour list.
const MaxNeighbours = 64

// Location is a building's position (WGS 84 degrees).
type Location struct {
	Lat float64 `json:"lat" validate:"finite,gte=-90,lte=90"`
	Lng float64 `json:"lng" validate:"finite,gte=-180,lte=180"`
}

// Building (楼栋) is a residential building. Neighbours are undirected: if A
// lists B, B lists A.
type Building struct {
	ID          string    `json:"id" validate:"ulid"`
	CommunityID string    `json:"community_id" validate:"ulid"`
	GridID      string    `json:"grid_id,omitempty" validate:"omitempty,ulid"`
	Name        string    `json:"name" validate:"required,text,max=64"`
	Address     string    `json:"address,omitempty" validate:"omitempty,text,max=200"`
	Location    *Location `json:"location,omitempty" validate:"omitempty"`
	Neighbours  []string  `json:"neighbours" validate:"max=64,unique,dive,ulid"`
	Stamps
}

// Validate checks every field.
func (b Building) Validate() error {
	if err := validate.Struct(b); err != nil {
		return err
	}
	for i, n := range b.Neighbours {
		if n == b.ID {
			return fieldf("neighbours[%d]", i)("a building is not its own neighbour")
		}
	}
	return nil
}

// BuildingInput creates a building.
type BuildingInput struct {
	GridID     string    `json:"grid_id,omitempty"`
	Name       string    `json:"name"`
	Address    string    `json:"address,omitempty"`
	Location   *Location `json:"location,omitempty"`
	Neighbours []string  `json:"neighbours,omitempty"`
}

// BuildingUpdate changes the fields that are set. Setting Neighbours
// replaces the building's neighbours, and so changes theirs too.
type BuildingUpdate struct {
	GridID     *string    `json:"grid_id,omitempty"`
	Name       *string    `json:"name,omitempty"`
	Address    *string    `json:"address,omitempty"`
	Location   **Location `json:"location,omitempty"`
	Neighbours *[]string  `json:"neighbours,omitempty"`
}

func (u BuildingUpdate) apply(b *Building) {
	set(&b.GridID, u.GridID)
	set(&b.Name, u.Name)
	set(&b.Address, u.Address)
	set(&b.Location, u.Location)
	set(&b.Neighbours, u.Neighbours)
}

// BuildingFilter selects a community's buildings.
type BuildingFilter struct {
	CommunityID string
	DistrictID  string
	GridID      string
	Name        string // exact name
	State       State
	Page
}
