package grids

import (
	"time"

	"github.com/linli-go/linli/grids/regroup"
)

// PlanStatus is where a regrouping plan is.
type PlanStatus string

// The statuses: running → done → applied, or running → failed.
const (
	PlanRunning PlanStatus = "running"
	PlanDone    PlanStatus = "done"
	PlanFailed  PlanStatus = "failed"
	PlanApplied PlanStatus = "applied"
)

// PlanInput asks for a regrouping plan (see regroup.Options). Async runs it
// as a job: the plan comes back running, with its progress, and is done or
// failed later.
type PlanInput struct {
	Districts int             `json:"districts"`
	Grids     int             `json:"grids"`
	GridMin   int             `json:"grid_min,omitempty"`
	GridMax   int             `json:"grid_max,omitempty"`
	Weights   regroup.Weights `json:"weights,omitempty"`
	Seed      uint64          `json:"seed,omitempty"`
	Effort    float64         `json:"effort,omitempty"`
	Async     bool            `json:"async,omitempty"`
}

// Placement puts one building in a planned grid and district (numbered from
// 0 within the plan).
type Placement struct {
	BuildingID string `json:"building_id"`
	Grid       int    `json:"grid"`
	District   int    `json:"district"`
}

// RegroupPlan is a plan to regroup a community's buildings into new grids
// and districts, with its quality report; applying it makes it so.
type RegroupPlan struct {
	ID          string          `json:"id"`
	CommunityID string          `json:"community_id"`
	Options     regroup.Options `json:"options"`
	Status      PlanStatus      `json:"status"`
	Progress    float64         `json:"progress"`
	Error       string          `json:"error,omitempty"`
	Report      *regroup.Report `json:"report,omitempty"`
	Placements  []Placement     `json:"placements,omitempty"`
	// Basis fingerprints the buildings and households planned for: a plan
	// applies only to the registry it was made from.
	Basis     string     `json:"basis"`
	CreatedBy string     `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	AppliedAt *time.Time `json:"applied_at,omitempty"`
}

// PlanFilter selects a community's plans.
type PlanFilter struct {
	CommunityID string
	Status      PlanStatus
	Page
}

// ApplyInput names what applying a plan creates: grid and district names
// (defaults "第N片区" and "N-M网格"), and each district's two workers
// (default: the workers of the old districts it overlaps most).
type ApplyInput struct {
	DistrictNames []string   `json:"district_names,omitempty" validate:"omitempty,unique,dive,required,text,max=64"`
	GridNames     []string   `json:"grid_names,omitempty" validate:"omitempty,unique,dive,required,text,max=64"`
	Workers       [][]string `json:"workers,omitempty" validate:"omitempty,dive,max=2,unique,dive,ulid"`
}

// ApplyResult is what applying made.
type ApplyResult struct {
	Plan      RegroupPlan `json:"plan"`
	Districts []District  `json:"districts"`
	Grids     []Grid      `json:"grids"`
	Moved     int         `json:"moved"` // buildings that changed grid
}

// MembershipKind says what belongs to what.
type MembershipKind string

// The memberships the registry keeps history of.
const (
	BuildingInGrid MembershipKind = "building_grid"
	GridInDistrict MembershipKind = "grid_district"
)

// Membership records that a building was in a grid (or a grid in a
// district) from one time to another; To is nil while it lasts. Households
// belong to their building's grid, so their history follows.
type Membership struct {
	ID          string         `json:"id"`
	CommunityID string         `json:"community_id"`
	Kind        MembershipKind `json:"kind"`
	MemberID    string         `json:"member_id"`
	GroupID     string         `json:"group_id"`
	From        time.Time      `json:"from"`
	To          *time.Time     `json:"to,omitempty"`
}

// MembershipFilter selects memberships.
type MembershipFilter struct {
	CommunityID string
	Kind        MembershipKind
	MemberID    string
	GroupID     string
	At          *time.Time // those that held at this time
	Page
}
