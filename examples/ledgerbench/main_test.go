package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/sqlstore/sqltest"
)

// TestLedgerbench runs the command on each store, small: it prints its two
// figures and that the invariants hold.
func TestLedgerbench(t *testing.T) {
	for name, args := range map[string]func(t *testing.T) []string{
		"memory": func(*testing.T) []string {
			return []string{"-store", "memory", "-transfers", "20000", "-accounts", "100", "-clients", "2", "-batch", "500"}
		},
		"sqlite": func(t *testing.T) []string {
			return []string{"-store", "sqlite", "-dsn", filepath.Join(t.TempDir(), "b.db"), "-transfers", "2000", "-accounts", "50", "-batch", "200"}
		},
		"postgres": func(t *testing.T) []string {
			return []string{"-store", "postgres", "-dsn", sqltest.PostgresSchema(t), "-transfers", "2000", "-accounts", "50", "-clients", "4", "-batch", "100"}
		},
		"postgres/hot": func(t *testing.T) []string {
			return []string{"-store", "postgres", "-dsn", sqltest.PostgresSchema(t), "-transfers", "300", "-accounts", "20", "-clients", "16", "-batch", "1", "-hot"}
		},
	} {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			require.NoError(t, run(context.Background(), args(t), &out))
			assert.Regexp(t, regexp.MustCompile(`(?m)^transfers/s: \d+$`), out.String())
			assert.Regexp(t, regexp.MustCompile(`(?m)^latency p50: [\d.]+ ms p99: [\d.]+ ms$`), out.String())
			assert.Contains(t, out.String(), "invariants: ok")
		})
	}
}

func TestLedgerbenchRefusesBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-store", "oracle"}, {"-store", "sqlite"}, {"-transfers", "0"}, {"-accounts", "1"}} {
		assert.Error(t, run(context.Background(), args, &bytes.Buffer{}), "%v", args)
	}
}
