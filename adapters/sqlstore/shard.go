package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/linli-go/linli/adapters/shard"
	"github.com/linli-go/linli/internal/errs"
)

// Shard returns db's stores as the shard named name of a shard.Router.
func (db *DB) Shard(name string) shard.Shard {
	return shard.Shard{Name: name, Grids: db.Grids(), Governance: db.Governance(), Points: db.Points(), Funds: db.Funds(), Access: db.Access(),
		Residents: db.activeResidents, Mover: db}
}

// activeResidents counts the active residents of every community in db.
func (db *DB) activeResidents(ctx context.Context) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM residents WHERE archived_at IS NULL").Scan(&n)
	return n, db.mapErr(err)
}

// Directory returns a shard.Directory kept in db's community_directory
// table: one database every server of a deployment reads (it may be one
// of the shards).
func (db *DB) Directory() shard.Directory { return directory{db} }

type directory struct{ db *DB }

func (d directory) Shard(ctx context.Context, community string) (string, error) {
	var name string
	err := d.db.r.QueryRowContext(ctx, d.db.sqlText("SELECT shard FROM community_directory WHERE community_id = ?"), community).Scan(&name)
	if err == sql.ErrNoRows {
		return "", errs.E(errs.NotFound, "community %s is placed on no shard", community)
	}
	return name, d.db.mapErr(err)
}

func (d directory) Place(ctx context.Context, community, shard string) (string, error) {
	err := d.db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, d.db.sqlText("INSERT INTO community_directory (community_id, shard, placed_at) VALUES (?, ?, ?) ON CONFLICT (community_id) DO NOTHING"),
			community, shard, ts(time.Now()))
		return err
	})
	if err != nil {
		return "", err
	}
	return d.Shard(ctx, community)
}

func (d directory) Placed(ctx context.Context) (map[string]string, error) {
	rows, err := d.db.r.QueryContext(ctx, "SELECT community_id, shard FROM community_directory")
	if err != nil {
		return nil, d.db.mapErr(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var c, s string
		if err := rows.Scan(&c, &s); err != nil {
			return nil, d.db.mapErr(err)
		}
		out[c] = s
	}
	return out, d.db.mapErr(rows.Err())
}

// Move re-places community from one shard to another.
func (d directory) Move(ctx context.Context, community, from, to string) error {
	return d.db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, d.db.sqlText("UPDATE community_directory SET shard = ?, placed_at = ? WHERE community_id = ? AND shard = ?"),
			to, ts(time.Now()), community, from)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.E(errs.Conflict, "shard: community %s is not on %s", community, from)
		}
		return nil
	})
}

var (
	_ shard.Directory = directory{}
	_ shard.Relocator = directory{}
)
