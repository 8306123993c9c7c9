// Package sqlstore keeps linli's records in SQL: SQLite, embedded and pure
// Go (modernc.org/sqlite), by default; PostgreSQL (through pgx) for larger
// deployments. One code path serves both: the SQL is written to run on
// either, and the few differences live in dialect.
//
// Open migrates the schema from the embedded migrations/<dialect> files,
// recording each in schema_migrations, so a new database is ready to use
// and an old one is brought up to date.
//
// SQLite runs in WAL mode with one writer connection (BEGIN IMMEDIATE, so
// writers queue in Go rather than fail with SQLITE_BUSY) and a pool of
// read-only connections that read concurrently from snapshots. PostgreSQL
// writes at READ COMMITTED, locking the rows a transaction reads for
// update, and reads at REPEATABLE READ so a View sees one snapshot;
// serialization failures and deadlocks are retried a bounded number of
// times.
package sqlstore
