// Package embedder is a store written outside linli, as a project that
// embeds it would write one: it implements points.Store and funds.Store
// with every method spelt out (nothing embedded, every type named in the
// signatures), keeping the records and the ledger in linli's memory store
// underneath. Its tests run pointstest and fundstest against it, so the
// compiler and the conformance suites together prove that the storage
// contract can be implemented from another module.
//
// It is a module of its own under a testdata folder: go test ./... in
// linli does not see it; linli's .ci/run builds and tests it.
package embedder
