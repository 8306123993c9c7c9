// Package memstore keeps linli's records in memory: the reference
// implementation of every domain Store, used by tests, examples and policy
// experiments. It passes the same conformance suites as the SQL stores.
//
// One read-write lock guards a Store: View transactions share it, Update
// transactions hold it alone, so updates are serializable. An Update that
// fails or panics is rolled back from an undo log, leaving no trace.
package memstore
