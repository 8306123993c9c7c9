package main

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/sqlstore"
	"github.com/linli-go/linli/adapters/sqlstore/sqltest"
	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/governancedemo"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/points"
)

// buildServer builds the server into a temporary folder (without the
// race detector, which would make each seeding minutes long), once a test
// run.
var buildServer = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "linli-server")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "server")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// server is a server process on a database.
type server struct {
	cmd   *exec.Cmd
	lines chan string // what it prints, line by line; closed when it ends
	out   strings.Builder
	mu    sync.Mutex
}

func startProcess(t *testing.T, dsn string) *server {
	t.Helper()
	bin, err := buildServer()
	require.NoError(t, err)
	s := &server{cmd: exec.Command(bin, "-db", dsn, "-addr", "127.0.0.1:0"), lines: make(chan string, 100)}
	s.cmd.Stderr = os.Stderr
	pipe, err := s.cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, s.cmd.Start())
	go func() {
		defer close(s.lines)
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			s.mu.Lock()
			s.out.WriteString(sc.Text() + "\n")
			s.mu.Unlock()
			s.lines <- sc.Text()
		}
	}()
	t.Cleanup(func() { s.cmd.Process.Kill(); s.cmd.Wait() })
	return s
}

// await waits for a line that contains text; false if the server ended
// first.
func (s *server) await(t *testing.T, text string) bool {
	t.Helper()
	timeout := time.After(3 * time.Minute)
	for {
		select {
		case l, ok := <-s.lines:
			if !ok {
				return false
			}
			if strings.Contains(l, text) {
				return true
			}
		case <-timeout:
			t.Fatalf("no %q in time:\n%s", text, s.output())
		}
	}
}

func (s *server) output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

// kill9 kills the server with SIGKILL.
func (s *server) kill9(t *testing.T) {
	t.Helper()
	require.NoError(t, s.cmd.Process.Signal(syscall.SIGKILL))
	_ = s.cmd.Wait()
	for range s.lines { // drain
	}
}

// TestSeedingKilled kills the server with SIGKILL at moments spread over
// its first start's seeding (on SQLite in each of its stages, and between
// the last stage and the mark that says the demo is made; on PostgreSQL
// in the middle), then starts it again: it makes the demo whole, once.
func TestSeedingKilled(t *testing.T) {
	for _, d := range []struct {
		name  string
		dsn   func(t *testing.T) string
		kills []string
	}{
		{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "linli.db") },
			[]string{"linli listens", "demo community", "demo governance:", "demo volunteer bank:", "demo funds:"}},
		{"postgres", func(t *testing.T) string { return sqltest.PostgresSchema(t) }, []string{"demo governance:"}},
	} {
		t.Run(d.name, func(t *testing.T) {
			dsn := d.dsn(t)
			var outs []string
			for _, after := range d.kills {
				s := startProcess(t, dsn)
				require.True(t, s.await(t, after), "the server printed %q before it ended:\n%s", after, s.output())
				time.Sleep(time.Duration(rand.IntN(300)) * time.Millisecond)
				s.kill9(t)
				outs = append(outs, s.output())
			}
			s := startProcess(t, dsn)
			require.True(t, s.await(t, "press Ctrl-C"), "the last start serves:\n%s", s.output())
			s.kill9(t)
			all := strings.Join(append(outs, s.output()), "\n")
			assert.GreaterOrEqual(t, strings.Count(all, "a demo community cut off before it was made in full"), min(3, len(d.kills)),
				"the starts after the kills in the stages removed what was cut off:\n%s", all)
			checkDemo(t, dsn)
		})
	}
}

// TestTwoFirstStarts starts two servers on one new database at once: one
// makes the demo, the other waits for it and finds it made.
func TestTwoFirstStarts(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "linli.db")
	a, b := startProcess(t, dsn), startProcess(t, dsn)
	require.True(t, a.await(t, "press Ctrl-C"), "%s", a.output())
	require.True(t, b.await(t, "press Ctrl-C"), "%s", b.output())
	made := strings.Count(a.output()+b.output(), "demo volunteer bank:")
	assert.Equal(t, 1, made, "one of them made the demo:\n%s\n%s", a.output(), b.output())
	assert.Contains(t, a.output()+b.output(), "(already there)")
	a.kill9(t)
	b.kill9(t)
	c := checkDemo(t, dsn)

	// The audit sub-command says the same.
	var out strings.Builder
	env := func(string) string { return "" }
	require.NoError(t, run(context.Background(), []string{"audit", "-db", dsn, "-community", c}, env, &out, &out, nil))
	assert.Contains(t, out.String(), "the books agree with the records")
	assert.Error(t, run(context.Background(), []string{"audit", "-db", dsn}, env, &out, &out, nil), "-community is required")
}

// checkDemo requires one demo community in the database, whole: the
// case's figures, and books that agree with the records. It returns the
// community's ID.
func checkDemo(t *testing.T, dsn string) string {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, sqlstore.Config{DSN: dsn})
	require.NoError(t, err)
	defer db.Close()
	gov := governance.NewService(db.Governance(), db.Grids(), governance.Options{})
	reg := grids.NewRegistry(db.Grids(), grids.Options{Bodies: gov})
	admin := grids.WithPrincipal(ctx, grids.Admin("test"))
	found, _, err := reg.FindCommunities(admin, grids.CommunityFilter{Name: demoName})
	require.NoError(t, err)
	require.Len(t, found, 1, "one demo community")
	c := found[0].ID
	id, made, err := db.Marked(ctx, demoMark)
	require.NoError(t, err)
	require.True(t, made)
	assert.Equal(t, c, id)
	sum, err := reg.Summary(admin, c, grids.SummaryOptions{})
	require.NoError(t, err)
	assert.Equal(t, 11458, sum.Residents.Total)
	assert.Equal(t, 4177, sum.Households)
	pts := points.NewService(db.Points(), governance.Lookup{Store: db.Governance()}, grids.Lookup{Store: db.Grids()}, points.Options{})
	pa, err := pts.Audit(admin, c)
	require.NoError(t, err)
	assert.Empty(t, pa.Disagreements)
	fa, err := funds.NewService(db.Funds(), governance.Lookup{Store: db.Governance()}, grids.Lookup{Store: db.Grids()}, funds.Options{}).Audit(admin, c)
	require.NoError(t, err)
	assert.Empty(t, fa.Disagreements)
	from, to := governancedemo.Period(time.Now())
	ev, err := pts.Evaluate(admin, c, from, to)
	require.NoError(t, err)
	assert.Equal(t, "5249", ev.Hours.String(), "the case's service hours, counted once")
	assert.EqualValues(t, 2172, ev.DonatedItems)
	return c
}
