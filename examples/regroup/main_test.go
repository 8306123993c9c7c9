package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/grids/regroup"
)

func TestRegroupCommand(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"-data", "../../grids/regroup/testdata/community", "-districts", "4", "-grids", "18",
		"-seed", "3", "-out", out}, &stdout, &stderr)
	require.NoError(t, err, stderr.String())
	assert.Contains(t, stdout.String(), "bound violations 0, non-contiguous grids 0, non-contiguous districts 0, split buildings 0")

	f, err := os.Open(filepath.Join(out, "assignment.csv"))
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"household", "building", "grid", "district"}, rows[0])
	assert.Len(t, rows, 4177+1, "every household")
	districtOf := map[string]string{}
	gridOfBuilding := map[string]string{}
	for _, r := range rows[1:] {
		g, err := strconv.Atoi(r[2])
		require.NoError(t, err)
		assert.True(t, g >= 0 && g < 18)
		if d, ok := districtOf[r[2]]; ok {
			assert.Equal(t, d, r[3], "a grid lies in one district")
		}
		districtOf[r[2]] = r[3]
		if gb, ok := gridOfBuilding[r[1]]; ok {
			assert.Equal(t, gb, r[2], "a building lies in one grid")
		}
		gridOfBuilding[r[1]] = r[2]
	}
	assert.Len(t, districtOf, 18)

	raw, err := os.ReadFile(filepath.Join(out, "report.json"))
	require.NoError(t, err)
	var rep regroup.Report
	require.NoError(t, json.Unmarshal(raw, &rep))
	assert.GreaterOrEqual(t, rep.Quality.R2BetweenBuildings, 0.50)
	assert.Equal(t, 18, len(rep.Grids))
	assert.Equal(t, 3, int(rep.Options.Seed))
}

func TestRegroupCommandRefusesBadInput(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"-data", "../../grids/regroup/testdata/community", "-districts", "4", "-grids", "500", "-out", t.TempDir()}, &stdout, &stderr)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "grids", "names the parameter")
	err = run(context.Background(), []string{"-districts", "4"}, &stdout, &stderr)
	assert.Error(t, err)
	err = run(context.Background(), []string{"-data", t.TempDir(), "-districts", "4", "-grids", "18", "-out", t.TempDir()}, &stdout, &stderr)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "buildings.csv")
}
