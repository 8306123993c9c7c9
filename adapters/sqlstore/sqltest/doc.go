// Package sqltest opens throwaway databases for tests: an SQLite file in a
// temporary directory, or a PostgreSQL schema of its own that is dropped
// afterwards, so test runs never see each other's data.
//
// PostgreSQL tests find the server through LINLI_TEST_POSTGRES (a URL such
// as postgres://postgres@127.0.0.1:5432/test?sslmode=disable). Without it
// they are skipped with a message saying so — unless LINLI_REQUIRE_POSTGRES
// is 1 (as .ci/run sets it), when a missing or unreachable server fails the
// test instead.
package sqltest
