// Package regroup plans grids (网格) and districts (片区) by interest, need
// and surroundings: it places every building in a grid and every grid in a
// district, so that residents with similar interests, similar needs and
// similar surroundings share a grid, as the case's social workers did when
// they regrouped 9 districts and 27 grids into 4 and 18.
//
// # Constraints, always held
//
// Every grid and every district is contiguous on the building neighbour
// graph; buildings are never split; every grid's households lie within the
// bounds; districts differ by at most one grid. Bounds that cannot be met
// (too few grids for the households, a building larger than a grid may be,
// a part of the graph too small for a grid) are refused with the reason
// before any search. A graph in several unlinked parts is planned part by
// part, grids and districts shared out by weight.
//
// # Objective
//
// Household profiles (interest, need and vulnerability columns) are
// standardised and weighted by kind; the plan minimises the within-grid
// sum of squared deviations, with the buildings' positions as two more
// weighted columns so grids stay compact; then the same for districts over
// grids. Report measures the result as shared/data/regroup/README.md does
// (R² between buildings) and says in words what each grid's households
// share.
//
// # Search
//
// Recursive bisection builds contiguous grids; bound violations are
// repaired; simulated annealing over moves of one building and trades of
// two, none cutting a grid in two nor leaving the bounds, then improves
// them; a hill climb ends at a local optimum. The same Options.Seed gives
// the same plan. The search makes a fixed number of proposals per
// building, and buildings are numbered along a Hilbert curve so that its
// sweeps stay in cache: on one core, the case's community takes about
// 20 ms, a city of a million households in 54,000 buildings about 16 s.
//
// The package is pure: it reads a Community (from CSV with ReadCSV, or
// built by grids.Registry from the registry) and returns a Plan.
package regroup
