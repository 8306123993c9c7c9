package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCityBench runs the benchmark briefly on two SQLite shards: three
// communities (registries only) placed in turn, a line of figures for each
// step of the load, each shard's size; a second run on the same files
// makes nothing again, and gathers every community on one shard by moves.
func TestCityBench(t *testing.T) {
	dir := t.TempDir()
	shards := filepath.Join(dir, "a.db") + "," + filepath.Join(dir, "b.db")
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-shards", shards, "-communities", "3", "-history=false", "-steps", "1,3", "-duration", "200ms", "-clients", "2"}, &out))
	text := out.String()
	assert.Contains(t, text, "seeded 3 communities in")
	assert.Regexp(t, `3 communities, 3\d{4} residents`, text)
	for _, step := range []string{"1", "3"} {
		assert.Regexp(t, regexp.MustCompile(`(?m)^`+step+` +\d+ +[\d.]+ +[\d.]+ +[\d.]+ +[\d.]+   resident [\d.]+, passbook [\d.]+, 50 residents [\d.]+, summary [\d.]+, raise a need [\d.]+$`), text)
	}
	assert.Regexp(t, `(?m)^shard1: 2 communities, [\d.]+ MB$`, text, "placed in turn")
	assert.Regexp(t, `(?m)^shard2: 1 communities, [\d.]+ MB$`, text)

	out.Reset()
	require.NoError(t, run(context.Background(), []string{"-shards", shards, "-communities", "3", "-history=false", "-steps", "3", "-duration", "200ms", "-clients", "2", "-gather", "shard1"}, &out))
	text = out.String()
	assert.Contains(t, text, "seeded 0 communities in", "made once")
	assert.Contains(t, text, "moved 1 communities: read-only for")
	assert.Regexp(t, `(?m)^shard1: 3 communities, [\d.]+ MB$`, text)
	assert.Regexp(t, `(?m)^shard2: 0 communities, [\d.]+ MB$`, text)

	out.Reset()
	require.NoError(t, run(context.Background(), []string{"-shards", shards, "-communities", "3", "-history=false", "-steps", "3", "-duration", "200ms", "-clients", "2", "-spread"}, &out))
	assert.Regexp(t, `(?m)^shard2: 1 communities, [\d.]+ MB$`, out.String(), "moved back where placed")
}
