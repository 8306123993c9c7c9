package grids

import "github.com/linli-go/linli/internal/validate"

// MaxDistrictWorkers is how many community workers head a district: the case
// puts two on each (片长).
const MaxDistrictWorkers = 2

// District (片区) groups grids and is served by up to two community workers.
type District struct {
	ID          string   `json:"id" validate:"ulid"`
	CommunityID string   `json:"community_id" validate:"ulid"`
	Name        string   `json:"name" validate:"required,text,max=64"`
	WorkerIDs   []string `json:"worker_ids" validate:"max=2,unique,dive,ulid"`
	Stamps
}

// Validate checks every field.
func (d District) Validate() error { return validate.Struct(d) }

// DistrictInput creates a district.
type DistrictInput struct {
	Name      string   `json:"name"`
	WorkerIDs []string `json:"worker_ids,omitempty"`
}

// DistrictUpdate changes the fields that are set.
type DistrictUpdate struct {
	Name      *string   `json:"name,omitempty"`
	WorkerIDs *[]string `json:"worker_ids,omitempty"`
}

func (u DistrictUpdate) apply(d *District) {
	set(&d.Name, u.Name)
	set(&d.WorkerIDs, u.WorkerIDs)
}

// DistrictFilter selects a community's districts.
type DistrictFilter struct {
	CommunityID string
	WorkerID    string // headed by this worker
	Name        string // exact name
	State       State
	Page
}

// Grid (网格) is a group of neighbouring buildings inside one district: the
// unit of service.
type Grid struct {
	ID          string `json:"id" validate:"ulid"`
	CommunityID string `json:"community_id" validate:"ulid"`
	DistrictID  string `json:"district_id" validate:"required,ulid"`
	Name        string `json:"name" validate:"required,text,max=64"`
	Stamps
}

// Validate checks every field.
func (g Grid) Validate() error { return validate.Struct(g) }

// GridInput creates a grid.
type GridInput struct {
	DistrictID string `json:"district_id"`
	Name       string `json:"name"`
}

// GridUpdate changes the fields that are set.
type GridUpdate struct {
	DistrictID *string `json:"district_id,omitempty"`
	Name       *string `json:"name,omitempty"`
}

func (u GridUpdate) apply(g *Grid) {
	set(&g.DistrictID, u.DistrictID)
	set(&g.Name, u.Name)
}

// GridFilter selects a community's grids.
type GridFilter struct {
	CommunityID string
	DistrictID  string
	Name        string // exact name
	State       State
	Page
}
