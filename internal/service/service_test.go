package service

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestDefaults(t *testing.T) {
	now, newID, log := Defaults(nil, nil, nil)
	assert.WithinDuration(t, time.Now(), now(), time.Minute)
	assert.Len(t, newID(), 26, "a ULID")
	assert.NotNil(t, log)

	fixed := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	now, newID, _ = Defaults(func() time.Time { return fixed }, func() string { return "x" }, nil)
	assert.Equal(t, fixed, now())
	assert.Equal(t, "x", newID())

	assert.Equal(t, DefaultTimeout, Timeout(0))
	assert.Equal(t, DefaultTimeout, Timeout(-time.Second))
	assert.Equal(t, time.Second, Timeout(time.Second))
}

func TestDetachedOutlivesItsCaller(t *testing.T) {
	type key struct{}
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), key{}, "v"))
	d, stop := Detached(ctx, time.Hour)
	defer stop()
	cancel()
	assert.NoError(t, d.Err(), "the caller's cancellation does not reach the command")
	assert.Equal(t, "v", d.Value(key{}))
	_, ok := d.Deadline()
	assert.True(t, ok, "the command has a deadline of its own")
	stop()
	assert.Error(t, d.Err())
}
