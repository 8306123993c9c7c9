package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/memstore"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
)

// envRequireIsolation "1" (as .ci/run sets) fails TestWithoutZoneinfo
// rather than skip it where a mount namespace cannot be made.
const envRequireIsolation = "LINLI_REQUIRE_ISOLATION"

// TestWithoutZoneinfo runs the server's code on a machine without time
// zone files, as in a minimal container: ZONEINFO points at an empty
// folder, and an empty folder is mounted over /usr/share/zoneinfo (in a
// mount namespace of the child's own). The council, which meets at 19:00
// Wuxi time, still gets its meetings scheduled: the zones are embedded.
func TestWithoutZoneinfo(t *testing.T) {
	if os.Getenv("LINLI_ZONE_CHILD") == "1" {
		withoutZoneinfo(t)
		return
	}
	empty := t.TempDir()
	nothing := filepath.Join(t.TempDir(), "nothing")
	require.NoError(t, os.WriteFile(nothing, nil, 0o644))
	// Go reads zones from ZONEINFO, the system's folder, then the copy
	// in its own installation: all three are emptied.
	script := `mount --bind "$EMPTY" /usr/share/zoneinfo && { [ ! -e "$GOZIP" ] || mount --bind "$NOTHING" "$GOZIP"; } && exec "$0" -test.run='^TestWithoutZoneinfo$' -test.v`
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	require.NoError(t, err, "go env GOROOT")
	cmd := exec.Command("unshare", "--mount", "sh", "-c", script, os.Args[0])
	cmd.Env = append(os.Environ(), "LINLI_ZONE_CHILD=1", "EMPTY="+empty, "ZONEINFO="+empty, "NOTHING="+nothing,
		"GOZIP="+filepath.Join(strings.TrimSpace(string(goroot)), "lib", "time", "zoneinfo.zip"))
	out, err := cmd.CombinedOutput()
	if err != nil && strings.Contains(string(out), "unshare") && !strings.Contains(string(out), "--- FAIL") {
		if os.Getenv(envRequireIsolation) == "1" {
			t.Fatalf("%s=1 but no mount namespace could be made: %v\n%s", envRequireIsolation, err, out)
		}
		t.Skipf("skipped: no mount namespace here (needs root and unshare): %v", err)
	}
	require.NoError(t, err, "%s", out)
	require.Contains(t, string(out), "--- PASS: TestWithoutZoneinfo")
}

func withoutZoneinfo(t *testing.T) {
	entries, err := os.ReadDir("/usr/share/zoneinfo")
	require.NoError(t, err)
	require.Empty(t, entries, "the machine's zone files are hidden")
	loc, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(t, err, "the embedded zones")

	store := memstore.New()
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("test"))
	com, err := grids.NewRegistry(store.Grids(), grids.Options{}).CreateCommunity(ctx, grids.CommunityInput{Name: "水秀社区"})
	require.NoError(t, err)
	gov := governance.NewService(store.Governance(), store.Grids(), governance.Options{})
	bodies, err := gov.Setup(ctx, com.ID)
	require.NoError(t, err, "the council meets in Asia/Shanghai")
	ms, err := gov.Schedule(ctx, com.ID, bodies[0].ID, time.Now().AddDate(0, 2, 0))
	require.NoError(t, err)
	require.NotEmpty(t, ms)
	require.Equal(t, "19:00", ms[0].ScheduledAt.In(loc).Format("15:04"))
}
