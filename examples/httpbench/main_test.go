package main

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/sqlstore/sqltest"
)

// TestHTTPBench runs the command, briefly, on each SQL store: it makes the
// demo community, serves it, and prints a line of figures for every
// request, each against the bare baselines. The command is built without
// the race detector, as it is run: seeding the demo under it takes minutes.
func TestHTTPBench(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "httpbench")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "%s", out)
	for name, dsn := range map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "b.db") },
		"postgres": func(t *testing.T) string { return sqltest.PostgresSchema(t) },
	} {
		t.Run(name, func(t *testing.T) {
			out, err := exec.Command(bin, "-dsn", dsn(t), "-clients", "2", "-duration", "100ms", "-writes", "-history", "20").CombinedOutput()
			require.NoError(t, err, "%s", out)
			text := string(out)
			assert.Regexp(t, `demo community on \w+ made in .*: 11458 residents`, text)
			for _, request := range []string{"bare net/http JSON", "bare net/http \\+ one row by key", "/healthz", "one resident", "a passbook",
				"50 residents", "community summary", "/outcomes \\(the programme\\)", "a closed month's bulletin \\(JSON\\)"} {
				assert.Regexp(t, regexp.MustCompile(`(?m)^`+request+` +\d+ +[\d.]+ +[\d.]+ +[\d.]+ +([\d.]+|\+Inf)$`), text, request)
			}
			assert.Regexp(t, `(?m)^bare net/http JSON +\d+ +[\d.]+ +[\d.]+ +1\.00 `, text, "the baseline against itself")
			for _, write := range []string{"an exchange at the counter", "a merchant's contribution \\(funds\\)"} {
				for _, round := range []string{"history of the demo", "\\+20 each"} {
					assert.Regexp(t, regexp.MustCompile(`(?m)^`+write+` +\d+ +[\d.]+ +[\d.]+ +in-process \d+/s \(p50 [\d.]+ ms\), HTTP [\d.]+× of it \[`+round), text, write+" "+round)
				}
			}
			assert.Contains(t, text, "added 20 of each write in-process")
		})
	}
}
