package grids_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/linli-go/linli/grids"
)

// files builds ImportFiles from strings; "" means the file is absent.
func files(buildings, households, residents string) grids.ImportFiles {
	var f grids.ImportFiles
	if buildings != "" {
		f.Buildings = strings.NewReader(buildings)
	}
	if households != "" {
		f.Households = strings.NewReader(households)
	}
	if residents != "" {
		f.Residents = strings.NewReader(residents)
	}
	return f
}

// problems lists an import error's fields as "row:field".
func problems(err error) []string {
	var e *grids.Error
	if !errors.As(err, &e) {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, fmt.Sprintf("%d:%s", f.Row, f.Field))
	}
	return out
}

func TestImportReportsEveryBadRow(t *testing.T) {
	const (
		buildings  = "name,grid,lat,lng,neighbours\nA,1-1,31.5,120.2,B\nB,1-1,,,\n"
		households = "building,unit,size\nA,1-101,2\nB,2-201,1\n"
		residents  = "building,unit,name,sex,birth_year\nA,1-101,王芳,female,1958\n"
	)
	tests := []struct {
		name  string
		files grids.ImportFiles
		want  []string // row:file.column of each problem
	}{
		{"unknown column", files("name,colour\nA,red\n", "", ""), []string{"1:buildings.header"}},
		{"missing required column", files("", "building,size\nA,2\n", ""), []string{"1:households.header"}},
		{"column twice", files("name,楼栋\nA,B\n", "", ""), []string{"1:buildings.header"}},
		{"empty file", files("", "", "\n"), []string{"1:residents.header"}},
		{"wrong number of cells", files(buildings, "building,unit,size\nA,1-101\n", ""), []string{"2:households.row"}},
		{"malformed quotes", files("name\n\"A\nB\n", "", ""), []string{"2:buildings.row"}},
		{"bad numbers", files(buildings, "building,unit,size\nA,1-101,two\nB,1-102,0\n", ""), []string{"2:households.size", "3:households.size"}},
		{"unknown building", files("", "building,unit,size\nX,1-101,1\n", ""), []string{"2:households.building"}},
		{"unknown grid", files("name,grid\nA,9-9\n", "", ""), []string{"2:buildings.grid"}},
		{"unknown neighbour", files("name,neighbours\nA,Z\n", "", ""), []string{"2:buildings.neighbours"}},
		{"own neighbour", files("name,neighbours\nA,A\n", "", ""), []string{"2:buildings.neighbours"}},
		{"half a location", files("name,lat,lng\nA,31.5,\n", "", ""), []string{"2:buildings.lat"}},
		{"location out of range", files("name,lat,lng\nA,95,120\n", "", ""), []string{"2:buildings.lat"}},
		{"location not a number", files("name,lat,lng\nA,north,120\n", "", ""), []string{"2:buildings.lat"}},
		{"duplicate building", files("name\nA\nA\n", "", ""), []string{"3:buildings.name"}},
		{"duplicate unit", files(buildings, "building,unit,size\nA,1-101,2\nA,1-101,3\n", ""), []string{"3:households.unit"}},
		{"unknown household", files(buildings, households, "building,unit,name,sex,birth_year\nA,9-999,x,male,1990\n"), []string{"2:residents.unit"}},
		{"bad resident cells", files(buildings, households, "building,unit,name,sex,birth_year,vulnerabilities\n"+
			"A,1-101,,male,1990,\n"+
			"A,1-101,x,unknown,1990,\n"+
			"A,1-101,x,male,born,\n"+
			"A,1-101,x,male,2999,\n"+
			"A,1-101,x,male,1990,rich\n"+
			"A,1-101,x,male,1990,空巢\n"+
			"A,1-101,x,female,2020,child\n"),
			[]string{"2:residents.name", "3:residents.sex", "4:residents.birth_year", "5:residents.birth_year", "6:residents.vulnerabilities", "7:residents.vulnerabilities", "8:residents.vulnerabilities"}},
		{"not UTF-8", files("name\nA\xff\n", "", ""), []string{"2:buildings.name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			before, _, err := w.reg.FindBuildings(w.worker, grids.BuildingFilter{CommunityID: w.c.ID, State: grids.AnyState})
			require.NoError(t, err)
			_, err = w.reg.Import(w.worker, w.c.ID, tt.files, grids.ImportOptions{})
			require.ErrorIs(t, err, grids.Invalid)
			assert.Equal(t, tt.want, problems(err), "%v", err)
			after, _, err := w.reg.FindBuildings(w.worker, grids.BuildingFilter{CommunityID: w.c.ID, State: grids.AnyState})
			require.NoError(t, err)
			assert.Equal(t, before, after, "all or nothing")
		})
	}
}

func TestImportAcceptsWhatSpreadsheetsWrite(t *testing.T) {
	w := newWorld(t)
	// Chinese headers in any order, a byte-order mark, stray spaces,
	// Chinese list separators and terms, a reference to a registered building.
	res, err := w.reg.Import(w.worker, w.c.ID, files(
		"\uFEFF楼栋, 网格 ,相邻楼栋\n 2号 ,1-1,1号；3号\n3号,,\n",
		"楼栋,户号,人数\n2号,1-101,3\n1号,1-103,1\n",
		"姓名,性别,出生年份,楼栋,户号,兴趣,特殊群体\n赵兰,女,1940,2号,1-101,Choir、广场舞,退休;独居\n赵刚,男,1968,2号,1-101,,\n钱红,女,1995,1号,1-103,,流动人口\n"),
		grids.ImportOptions{})
	require.NoError(t, err)
	assert.Equal(t, grids.ImportResult{Buildings: 2, Households: 2, Residents: 3}, res)

	got, _, err := w.reg.FindBuildings(w.worker, grids.BuildingFilter{CommunityID: w.c.ID, Name: "2号"})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, w.g.ID, got[0].GridID)
	assert.Len(t, got[0].Neighbours, 2, "1号 (registered) and 3号 (imported)")
	old, err := w.reg.Building(w.worker, w.c.ID, w.b.ID)
	require.NoError(t, err)
	assert.Contains(t, old.Neighbours, got[0].ID, "links are undirected")

	rs, _, err := w.reg.FindResidents(w.worker, grids.ResidentFilter{CommunityID: w.c.ID, Name: "赵兰"})
	require.NoError(t, err)
	require.Len(t, rs, 1)
	assert.Equal(t, []string{"choir", "广场舞"}, rs[0].Interests)
	assert.Equal(t, []grids.Vulnerability{grids.Retiree, grids.LivingAlone}, rs[0].Vulnerabilities)

	gb, err := simplifiedchinese.GB18030.NewEncoder().String("楼栋,户号,人数\n3号,3-101,2\n")
	require.NoError(t, err)
	_, err = w.reg.Import(w.worker, w.c.ID, files("", gb, ""), grids.ImportOptions{})
	require.ErrorIs(t, err, grids.Invalid, "GB18030 is not UTF-8")
	assert.Contains(t, err.Error(), "gb18030", "the error says what to do")
	res, err = w.reg.Import(w.worker, w.c.ID, files("", gb, ""), grids.ImportOptions{Encoding: "GBK"})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Households)

	_, err = w.reg.Import(w.worker, w.c.ID, files("name\nX\n", "", ""), grids.ImportOptions{Encoding: "latin1"})
	assert.ErrorIs(t, err, grids.Invalid)
}

func TestImportCapsItsReport(t *testing.T) {
	w := newWorld(t)
	var b strings.Builder
	b.WriteString("building,unit,size\n")
	for i := range grids.MaxImportProblems + 20 {
		fmt.Fprintf(&b, "nowhere,%d,1\n", i)
	}
	_, err := w.reg.Import(w.worker, w.c.ID, files("", b.String(), ""), grids.ImportOptions{})
	var e *grids.Error
	require.ErrorAs(t, err, &e)
	require.Len(t, e.Fields, grids.MaxImportProblems+1)
	assert.Equal(t, "20 more problems not listed", e.Fields[grids.MaxImportProblems].Message)
}

func TestImportDryRun(t *testing.T) {
	w := newWorld(t)
	res, err := w.reg.Import(w.worker, w.c.ID, files("name\nX\nY\n", "", ""), grids.ImportOptions{DryRun: true})
	require.NoError(t, err)
	assert.Equal(t, grids.ImportResult{Buildings: 2, DryRun: true}, res)
	_, n, err := w.reg.FindBuildings(w.worker, grids.BuildingFilter{CommunityID: w.c.ID})
	require.NoError(t, err)
	assert.Equal(t, 1, n, "nothing stored")
}

// FuzzImport feeds arbitrary CSV to the import: it must never panic, must
// fail only with Invalid, and must store all of a file or none of it.
func FuzzImport(f *testing.F) {
	f.Add("name,grid,lat,lng,neighbours\nA,1-1,31.5,120.2,B\nB,,,,A\n", "building,unit,size\nA,1,2\n", "building,unit,name,sex,birth_year,vulnerabilities\nA,1,x,男,1950,退休;独居\n")
	f.Add("\uFEFF楼栋\n\"A\"\"\",\n", "楼栋,户号,人数\n", "")
	f.Add("name\n\xff\n", "building,unit,size\nA,1,99999999999999999999\n", "building,unit,name,sex,birth_year\n,,,,\n")
	f.Fuzz(func(t *testing.T, buildings, households, residents string) {
		w := newWorld(t)
		res, err := w.reg.Import(w.worker, w.c.ID, files(buildings, households, residents), grids.ImportOptions{})
		_, nb, ferr := w.reg.FindBuildings(w.worker, grids.BuildingFilter{CommunityID: w.c.ID})
		require.NoError(t, ferr)
		_, nr, ferr := w.reg.FindResidents(w.worker, grids.ResidentFilter{CommunityID: w.c.ID})
		require.NoError(t, ferr)
		if err != nil {
			require.ErrorIs(t, err, grids.Invalid, "%v", err)
			assert.Equal(t, 1, nb, "nothing stored on failure")
			assert.Equal(t, 2, nr)
			return
		}
		assert.Equal(t, 1+res.Buildings, nb)
		assert.Equal(t, 2+res.Residents, nr)
	})
}
