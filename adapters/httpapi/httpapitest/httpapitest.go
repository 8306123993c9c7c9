// Package httpapitest is the contract every httpapi.Replays passes (the
// idempotency keys of the HTTP API), like fstest for file systems.
package httpapitest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/httpapi"
	"github.com/linli-go/linli/internal/ids"
)

// RunReplayTests runs the contract against fresh stores from newReplays.
func RunReplayTests(t *testing.T, newReplays func(t testing.TB) httpapi.Replays) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	key := func() httpapi.ReplayKey {
		return httpapi.ReplayKey{Community: ids.New(), Caller: "caller-hash", Key: "key-" + ids.New()}
	}

	t.Run("ClaimSaveReplay", func(t *testing.T) {
		r := newReplays(t)
		k := key()
		prev, err := r.Claim(ctx, k, "print-1", t0)
		require.NoError(t, err)
		assert.Nil(t, prev, "a new key is claimed")
		_, err = r.Claim(ctx, k, "print-1", t0.Add(time.Second))
		assert.ErrorIs(t, err, httpapi.ErrInFlight, "a claimed key is in flight")

		saved := httpapi.Replay{Fingerprint: "print-1", Done: true, Status: 201, ContentType: "application/json", Location: "/v1/x/1",
			Body: []byte(`{"id":"1","name":"水秀"}`), At: t0.Add(2 * time.Second)}
		require.NoError(t, r.Save(ctx, k, saved))
		for _, print := range []string{"print-1", "print-2"} {
			prev, err = r.Claim(ctx, k, print, t0.Add(time.Hour))
			require.NoError(t, err)
			require.NotNil(t, prev, "a saved response is replayed")
			assert.Equal(t, saved.Fingerprint, prev.Fingerprint, "with the fingerprint it was saved under, for the caller to compare")
			assert.True(t, prev.Done)
			assert.Equal(t, saved.Status, prev.Status)
			assert.Equal(t, saved.ContentType, prev.ContentType)
			assert.Equal(t, saved.Location, prev.Location)
			assert.Equal(t, saved.Body, prev.Body)
			assert.True(t, saved.At.Equal(prev.At))
		}
		require.NoError(t, r.Release(ctx, k))
		prev, err = r.Claim(ctx, k, "print-1", t0.Add(2*time.Hour))
		require.NoError(t, err)
		assert.NotNil(t, prev, "a saved response is not released")
	})

	t.Run("KeysBelongToACallerInACommunity", func(t *testing.T) {
		r := newReplays(t)
		k := key()
		_, err := r.Claim(ctx, k, "p", t0)
		require.NoError(t, err)
		require.NoError(t, r.Save(ctx, k, httpapi.Replay{Fingerprint: "p", Status: 200, Body: []byte("a"), At: t0}))
		for _, other := range []httpapi.ReplayKey{
			{Community: ids.New(), Caller: k.Caller, Key: k.Key},
			{Community: k.Community, Caller: "another-caller", Key: k.Key},
			{Community: k.Community, Caller: k.Caller, Key: k.Key + "x"},
		} {
			prev, err := r.Claim(ctx, other, "p", t0)
			require.NoError(t, err)
			assert.Nil(t, prev, "%+v is another key", other)
		}
	})

	t.Run("ReleasedAndAbandonedClaims", func(t *testing.T) {
		r := newReplays(t)
		k := key()
		_, err := r.Claim(ctx, k, "p", t0)
		require.NoError(t, err)
		require.NoError(t, r.Release(ctx, k))
		prev, err := r.Claim(ctx, k, "p", t0.Add(time.Second))
		require.NoError(t, err)
		assert.Nil(t, prev, "a released key is claimed again")

		_, err = r.Claim(ctx, k, "p", t0.Add(httpapi.ReplayStale))
		assert.ErrorIs(t, err, httpapi.ErrInFlight, "not stale yet")
		prev, err = r.Claim(ctx, k, "p", t0.Add(time.Second+httpapi.ReplayStale))
		require.NoError(t, err)
		assert.Nil(t, prev, "a claim whose request died is taken over")
		_, err = r.Claim(ctx, k, "p", t0.Add(2*time.Second+httpapi.ReplayStale))
		assert.ErrorIs(t, err, httpapi.ErrInFlight, "by one request")
	})

	t.Run("Retention", func(t *testing.T) {
		r := newReplays(t)
		k := key()
		_, err := r.Claim(ctx, k, "p", t0)
		require.NoError(t, err)
		require.NoError(t, r.Save(ctx, k, httpapi.Replay{Fingerprint: "p", Status: 201, Body: []byte("x"), At: t0}))
		prev, err := r.Claim(ctx, k, "q", t0.Add(httpapi.ReplayRetention-time.Second))
		require.NoError(t, err)
		require.NotNil(t, prev, "kept for the retention")
		prev, err = r.Claim(ctx, k, "q", t0.Add(httpapi.ReplayRetention))
		require.NoError(t, err)
		assert.Nil(t, prev, "forgotten after it: the key is new again")
	})

	t.Run("RacingClaims", func(t *testing.T) {
		r := newReplays(t)
		k := key()
		const racers = 8
		var claimed, inFlight atomic.Int32
		var wg sync.WaitGroup
		for range racers {
			wg.Go(func() {
				prev, err := r.Claim(ctx, k, "p", t0)
				switch {
				case errors.Is(err, httpapi.ErrInFlight):
					inFlight.Add(1)
				case err == nil && prev == nil:
					claimed.Add(1)
				default:
					t.Errorf("claim: %v, %v", prev, err)
				}
			})
		}
		wg.Wait()
		assert.EqualValues(t, 1, claimed.Load(), "one request runs")
		assert.EqualValues(t, racers-1, inFlight.Load())
	})
}
