// Package gridstest is the conformance suite for grids.Store
// implementations, in the manner of testing/fstest: every store (memory,
// SQLite, PostgreSQL) calls RunStoreTests from its own tests and so keeps
// one contract.
package gridstest
