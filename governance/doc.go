// Package governance will model the self-governance structure of the case:
// the 9-member council (邻里伙伴自治理事会), the eight functional
// committees, mutual-aid groups, leaders and social organisations, two-way
// tasking and the community-issue lifecycle, and meeting procedure under
// Robert's Rules (the council meets on the 10th of every month).
//
// Not implemented yet: see issues 4 and 5. It holds no exported API, so
// nothing can come to depend on a placeholder.
package governance
