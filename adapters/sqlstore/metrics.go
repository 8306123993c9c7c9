package sqlstore

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Collectors are the database's Prometheus metrics: its connection
// pools' use (go_sql_* by db_name: "linli" for PostgreSQL's one pool,
// "linli_writer" and "linli_readers" for SQLite's writer and readers),
// and the ledger's batches (linli_ledger_batch_transfers: its _count is
// the batches written, its _sum the transfers).
// Register them with the registry a server serves /metrics from.
func (db *DB) Collectors() []prometheus.Collector {
	if db.r == db.w {
		return []prometheus.Collector{db.batches, collectors.NewDBStatsCollector(db.w, "linli")}
	}
	return []prometheus.Collector{db.batches, collectors.NewDBStatsCollector(db.w, "linli_writer"), collectors.NewDBStatsCollector(db.r, "linli_readers")}
}
