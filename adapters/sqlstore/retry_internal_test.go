package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/internal/errs"
)

// TestRetriesExhaustedAreAConflict: a write that meets a serialization
// failure every time is tried maxAttempts times and then refused as a
// conflict the caller may retry, not as an internal error (a 500); what
// each attempt wrote is rolled back.
func TestRetriesExhaustedAreAConflict(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, Config{DSN: filepath.Join(t.TempDir(), "retry.db")})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	attempts := 0
	err = db.write(ctx, func(tx *sql.Tx) error {
		attempts++
		if _, err := tx.ExecContext(ctx, "UPDATE ledger_version SET version = version + 1"); err != nil {
			return err
		}
		return retryable{errors.New("could not serialize access due to concurrent update")}
	})
	assert.Equal(t, maxAttempts, attempts)
	assert.ErrorIs(t, err, errs.Conflict)
	assert.Contains(t, errs.Message(err), "try again")
	var version int64
	require.NoError(t, db.w.QueryRowContext(ctx, "SELECT version FROM ledger_version").Scan(&version))
	assert.Zero(t, version, "no attempt's write is kept")

	// A failure that is not transient is not retried.
	attempts = 0
	err = db.write(ctx, func(*sql.Tx) error { attempts++; return errors.New("broken") })
	assert.Equal(t, 1, attempts)
	assert.ErrorIs(t, err, errs.Internal)
}
