// Package shard places whole communities on several databases (shards)
// and routes every transaction of the domain stores to the one holding
// its community.
//
// Every record belongs to one community and every rule runs inside one,
// so a community is the unit of placement, as a tenant is in Citus's
// distribution by tenant or in a cell architecture. A Router holds the
// shards' stores (any implementation: sqlstore on several PostgreSQL
// servers in production, memstore in tests) and a Directory that says
// which shard holds each community. Its Grids, Governance, Points, Funds
// and Access stores implement the domain packages' Store contracts, so
// the services run on it unchanged.
//
// A transaction never spans communities. The stores' View and Update take
// a function, not a community, so a Router runs the function once against
// a probe that stops it at its first call and notes the community that
// call names (a store may run a transaction's function more than once:
// every Store contract allows it), then runs it on that community's shard
// with every call checked: a call naming another community fails with
// ErrSpansCommunities. The conformance suites and the services' tests
// run on a Router, so a service that touched two communities in one
// transaction would fail them.
//
// Records of no community (an installation's administrators and its
// set-up) live on the first shard. Listing communities reads every shard.
//
// Router.Move moves a community to another shard under load. Its shard
// fences it (writes are refused with ErrMoving, an unavailable error: HTTP
// 503 with Retry-After; reads go on), the copy goes over with its
// credentials, its digest must equal the original's and a check of the
// caller's (the auditors) must pass on it, and only then does the directory
// flip. The old copy stays, read-only, for a grace period, for reads that
// looked the community up before; then it is removed, and a marker sends
// writes routed by an older lookup after the community (ErrMoved, which
// the Router follows). Anything failing before the flip discards the copy
// and lifts the fence. The shards' stores do the fencing (a Mover:
// sqlstore.DB); a write knows its community from its context (Writing).
package shard
