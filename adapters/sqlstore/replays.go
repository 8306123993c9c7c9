package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/linli-go/linli/adapters/httpapi"
)

// Replays keeps the HTTP API's idempotency keys and the responses saved
// under them (httpapi.Replays), in the database: a retry finds them after
// a restart and on another server.
type Replays struct{ db *DB }

// Replays returns the idempotency key store.
func (db *DB) Replays() Replays { return Replays{db} }

// Claim implements httpapi.Replays.
func (r Replays) Claim(ctx context.Context, k httpapi.ReplayKey, fingerprint string, now time.Time) (*httpapi.Replay, error) {
	var out *httpapi.Replay
	err := r.db.write(ctx, func(t *sql.Tx) error {
		out = nil
		// Keys past their retention are dropped as others are claimed.
		if _, err := t.ExecContext(ctx, r.db.sqlText("DELETE FROM idempotency_keys WHERE at <= ?"), ts(now.Add(-httpapi.ReplayRetention))); err != nil {
			return err
		}
		res, err := t.ExecContext(ctx, r.db.sqlText("INSERT INTO idempotency_keys (community_id, caller, idem_key, fingerprint, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"),
			k.Community, k.Caller, k.Key, fingerprint, ts(now))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return nil // claimed
		}
		var prev httpapi.Replay
		var done int
		var at string
		var location, contentType sql.NullString
		err = t.QueryRowContext(ctx, r.db.sqlText("SELECT fingerprint, done, status, content_type, location, body, at FROM idempotency_keys WHERE community_id = ? AND caller = ? AND idem_key = ?"),
			k.Community, k.Caller, k.Key).Scan(&prev.Fingerprint, &done, &prev.Status, &contentType, &location, &prev.Body, &at)
		if errors.Is(err, sql.ErrNoRows) {
			return httpapi.ErrInFlight // released meanwhile: the caller retries
		}
		if err != nil {
			return err
		}
		prev.Done, prev.ContentType, prev.Location = done == 1, contentType.String, location.String
		if prev.At, err = time.Parse(timeFormat, at); err != nil {
			return err
		}
		abandoned := !prev.Done && !now.Before(prev.At.Add(httpapi.ReplayStale))
		switch {
		case prev.Done:
			out = &prev
			return nil
		case !abandoned:
			return httpapi.ErrInFlight
		}
		// The request that claimed it died: this one takes it over, unless
		// another retry took it first.
		res, err = t.ExecContext(ctx, r.db.sqlText("UPDATE idempotency_keys SET fingerprint = ?, at = ? WHERE community_id = ? AND caller = ? AND idem_key = ? AND done = 0 AND at = ?"),
			fingerprint, ts(now), k.Community, k.Caller, k.Key, at)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return httpapi.ErrInFlight
		}
		return nil
	})
	return out, err
}

// Save implements httpapi.Replays.
func (r Replays) Save(ctx context.Context, k httpapi.ReplayKey, rp httpapi.Replay) error {
	body := rp.Body
	if body == nil {
		body = []byte{}
	}
	return r.db.write(ctx, func(t *sql.Tx) error {
		_, err := t.ExecContext(ctx, r.db.sqlText(`INSERT INTO idempotency_keys (community_id, caller, idem_key, fingerprint, done, status, content_type, location, body, at)
VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?)
ON CONFLICT (community_id, caller, idem_key) DO UPDATE SET fingerprint = excluded.fingerprint, done = 1, status = excluded.status,
content_type = excluded.content_type, location = excluded.location, body = excluded.body, at = excluded.at`),
			k.Community, k.Caller, k.Key, rp.Fingerprint, rp.Status, rp.ContentType, rp.Location, body, ts(rp.At))
		return err
	})
}

// Release implements httpapi.Replays.
func (r Replays) Release(ctx context.Context, k httpapi.ReplayKey) error {
	return r.db.write(ctx, func(t *sql.Tx) error {
		_, err := t.ExecContext(ctx, r.db.sqlText("DELETE FROM idempotency_keys WHERE community_id = ? AND caller = ? AND idem_key = ? AND done = 0"),
			k.Community, k.Caller, k.Key)
		return err
	})
}

var _ httpapi.Replays = Replays{}
