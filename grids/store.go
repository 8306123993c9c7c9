package grids

import (
	"context"
	"time"
)

// Store persists the registry. It enforces storage rules only (unique keys,
// references inside one community, atomicity); Registry enforces the domain
// rules. Implementations: adapters/memstore and adapters/sqlstore; all of
// them pass gridstest.RunStoreTests.
type Store interface {
	// View runs fn in a read-only transaction that sees one consistent
	// snapshot.
	View(ctx context.Context, fn func(Tx) error) error
	// Update runs fn in a read-write transaction, committed if fn returns nil
	// and rolled back, leaving no trace, if it returns an error or panics.
	// Updates are serializable. A store may run fn again after a transient
	// conflict, so fn must have no effects outside tx.
	Update(ctx context.Context, fn func(Tx) error) error
}

// Tx is one transaction over the registry.
//
// Getters return a NotFound error when no record has that ID in that
// community. Creates return Conflict when the ID is taken or a unique key
// (below) would repeat; Updates replace the whole record and return NotFound
// when it does not exist. Creates and updates return Invalid when a record
// refers to one (district, grid, building, household, worker, neighbour)
// that does not exist in the same community: stores keep references inside
// a tenant even though the Registry checks them first. Find methods order by
// ID (creation order) and return the page asked for with the total number
// of matches; lists in records come back sorted, and empty rather than nil.
//
// Unique keys, among records that are not archived: district, grid and
// building names in a community; a household's unit in its building.
type Tx interface {
	Community(ctx context.Context, id string) (Community, error)
	FindCommunities(ctx context.Context, f CommunityFilter) ([]Community, int, error)
	CreateCommunity(ctx context.Context, c Community) error
	UpdateCommunity(ctx context.Context, c Community) error

	Worker(ctx context.Context, community, id string) (Worker, error)
	FindWorkers(ctx context.Context, f WorkerFilter) ([]Worker, int, error)
	CreateWorker(ctx context.Context, w Worker) error
	UpdateWorker(ctx context.Context, w Worker) error

	District(ctx context.Context, community, id string) (District, error)
	FindDistricts(ctx context.Context, f DistrictFilter) ([]District, int, error)
	CreateDistrict(ctx context.Context, d District) error
	UpdateDistrict(ctx context.Context, d District) error

	Grid(ctx context.Context, community, id string) (Grid, error)
	FindGrids(ctx context.Context, f GridFilter) ([]Grid, int, error)
	CreateGrid(ctx context.Context, g Grid) error
	UpdateGrid(ctx context.Context, g Grid) error

	// Building returns the building with its neighbours, in ID order.
	Building(ctx context.Context, community, id string) (Building, error)
	FindBuildings(ctx context.Context, f BuildingFilter) ([]Building, int, error)
	// CreateBuildings stores new buildings and the neighbour links they list
	// (to each other or to existing buildings), all or none.
	CreateBuildings(ctx context.Context, bs ...Building) error
	// UpdateBuilding replaces the building, and its neighbour links: links
	// are undirected, so the buildings added or dropped change too.
	UpdateBuilding(ctx context.Context, b Building) error

	Household(ctx context.Context, community, id string) (Household, error)
	FindHouseholds(ctx context.Context, f HouseholdFilter) ([]Household, int, error)
	CreateHouseholds(ctx context.Context, hs ...Household) error
	UpdateHousehold(ctx context.Context, h Household) error

	Resident(ctx context.Context, community, id string) (Resident, error)
	FindResidents(ctx context.Context, f ResidentFilter) ([]Resident, int, error)
	// ResidentNames returns the distinct names of the community's
	// residents, archived ones too, in no particular order.
	ResidentNames(ctx context.Context, community string) ([]string, error)
	CreateResidents(ctx context.Context, rs ...Resident) error
	UpdateResident(ctx context.Context, r Resident) error

	Need(ctx context.Context, community, id string) (Need, error)
	FindNeeds(ctx context.Context, f NeedFilter) ([]Need, int, error)
	CreateNeed(ctx context.Context, n Need) error
	UpdateNeed(ctx context.Context, n Need) error

	Survey(ctx context.Context, community, id string) (Survey, error)
	FindSurveys(ctx context.Context, f SurveyFilter) ([]Survey, int, error)
	CreateSurvey(ctx context.Context, s Survey) error
	UpdateSurvey(ctx context.Context, s Survey) error
	// PutResponse stores a household's response to a survey, replacing any
	// earlier one (a response's ID is kept from the first).
	PutResponse(ctx context.Context, r Response) error
	// FindResponses returns responses in ID order (all of them: a survey's
	// responses are counted, not paged).
	FindResponses(ctx context.Context, f ResponseFilter) ([]Response, error)

	RegroupPlan(ctx context.Context, community, id string) (RegroupPlan, error)
	FindRegroupPlans(ctx context.Context, f PlanFilter) ([]RegroupPlan, int, error)
	CreateRegroupPlan(ctx context.Context, p RegroupPlan) error
	UpdateRegroupPlan(ctx context.Context, p RegroupPlan) error

	// OpenMembership records that a membership began; CloseMembership ends
	// the member's open membership of that kind (if any) at a time.
	OpenMembership(ctx context.Context, m Membership) error
	CloseMembership(ctx context.Context, community string, kind MembershipKind, member string, at time.Time) error
	// FindMemberships returns memberships ordered by member, then start.
	FindMemberships(ctx context.Context, f MembershipFilter) ([]Membership, int, error)

	// ResidentHistogram counts the active residents in scope by sex,
	// recorded vulnerabilities and birth year, one entry per combination
	// present, in any order. Summaries fold it: every figure of the case's
	// population table is a sum over it.
	ResidentHistogram(ctx context.Context, community string, scope Scope) ([]CohortCount, error)
	// CountHouseholds counts the active households in scope.
	CountHouseholds(ctx context.Context, community string, scope Scope) (int, error)
	// RegistryVersion is a number that every create or update of the
	// community's districts, grids, buildings, households and residents
	// advances, in the same transaction (NotFound for an unknown
	// community). What is computed from the registry at one version holds
	// while it stays.
	RegistryVersion(ctx context.Context, community string) (int64, error)
}

// Scope narrows a count to a district or a grid; the zero Scope is the
// whole community.
type Scope struct {
	DistrictID string `json:"district_id,omitempty"`
	GridID     string `json:"grid_id,omitempty"`
}

// CohortCount is how many residents share a sex, a set of recorded
// vulnerabilities and a birth year.
type CohortCount struct {
	Sex       Sex
	Flags     Flags
	BirthYear int
	N         int
}

// Count is a union of cohorts: a resident counts once if they are in any.
type Count []Cohort

// Match reports whether a resident with these attributes counts.
func (c Count) Match(sex Sex, flags Flags, birthYear int) bool {
	for _, co := range c {
		if co.Match(sex, flags, birthYear) {
			return true
		}
	}
	return false
}
