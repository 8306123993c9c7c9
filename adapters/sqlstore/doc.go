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
// read-only connections that read concurrently from snapshots: its write
// transactions are serializable because there is one at a time.
//
// On PostgreSQL the domain stores' Updates run at SERIALIZABLE: every
// check a service makes before it writes (a cap over a year's gifts, one
// claim per activity, a budget over its spending) holds at commit, write
// skew included, without a lock per rule; the conformance suites race
// such checks (WriteSkew). A serialization failure or deadlock runs the
// transaction again, up to 24 times with jittered backoff. Rows a
// transaction reads by ID are also locked FOR UPDATE, so transactions on
// one record queue rather than fail, and the ledger takes its accounts in
// ID order. Views run at REPEATABLE READ, read-only, over one snapshot.
// The ledger used directly (Ledger, with group commit) runs its batches
// at READ COMMITTED: every account a batch touches is locked in ID order
// before it is read, which is all its rules need.
//
// Every command of points and funds writes its ledger transfers and its
// record in one of these transactions (points.Tx.Ledger): they commit
// together or not at all, whatever happens to the process.
//
// A database can be a shard of a shard.Router (DB.Shard) and keep its
// directory (DB.Directory). It hands communities over to another shard
// (DB as a shard.Mover, used by Router.Move): a write the router routes
// reads its community's fence first (community_fences), so a community
// moving refuses writes, and one moved away sends them after it.
package sqlstore
