package regroup

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/linli-go/linli/internal/errs"
)

// Kind is what a profile column says about a household.
type Kind int

// The kinds, named in CSV headers by their prefixes i_, n_ and v_.
const (
	Interest Kind = iota
	Need
	Vulnerability
)

func (k Kind) String() string { return [...]string{"interest", "need", "vulnerability"}[k] }

// Column is one profile column: a tag, need or vulnerability.
type Column struct {
	Name string `json:"name"`
	Kind Kind   `json:"-"`
}

// Building is a building to place in a grid: where it is and, if known,
// which grid and district hold it now.
type Building struct {
	ID       string
	X, Y     float64 // position in metres, or any planar coordinates
	Grid     string  // current grid, "" if unknown
	District string  // current district, "" if unknown
}

// Household lives in one building; its profile is a row of
// Community.Profile.
type Household struct {
	ID       string
	Building int // index into Community.Buildings
	Size     int // residents
}

// Community is what regrouping reads: buildings and their neighbour links,
// households and their profiles (one value per column per household, 0/1
// or a weight).
type Community struct {
	Columns    []Column
	Buildings  []Building
	Links      [][2]int // pairs of indexes into Buildings
	Households []Household
	Profile    []float64 // len(Households) × len(Columns), row by row
}

// Values returns household h's profile.
func (c *Community) Values(h int) []float64 {
	n := len(c.Columns)
	return c.Profile[h*n : (h+1)*n]
}

// maxProblems caps how many bad rows reading reports.
const maxProblems = 500

// reader collects the problems of reading CSV files.
type reader struct {
	problems []errs.FieldError
	dropped  int
}

func (rd *reader) fail(file string, line int, field, format string, args ...any) {
	if len(rd.problems) >= maxProblems {
		rd.dropped++
		return
	}
	rd.problems = append(rd.problems, errs.FieldError{Field: file + "." + field, Row: line, Message: fmt.Sprintf(format, args...)})
}

func (rd *reader) err() error {
	if len(rd.problems) == 0 {
		return nil
	}
	ps := rd.problems
	if rd.dropped > 0 {
		ps = append(ps, errs.FieldError{Field: "data", Message: fmt.Sprintf("%d more problems not listed", rd.dropped)})
	}
	return errs.Fields(ps...)
}

// table reads a CSV file with a header: onHeader sees the header (may be
// nil), then row sees each data line with a lookup of cells by column name.
func (rd *reader) table(file string, in io.Reader, required []string, onHeader func([]string), row func(line int, cell func(string) string, rec []string)) {
	cr := csv.NewReader(in)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			rd.fail(file, 1, "header", "the file is empty: it needs a header line")
		} else {
			rd.fail(file, 1, "header", "cannot read the header: %v", err)
		}
		return
	}
	header = append([]string(nil), header...)
	index := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))
		header[i] = h
		if _, dup := index[h]; dup {
			rd.fail(file, 1, "header", "column %q appears twice", h)
		}
		index[h] = i
	}
	for _, name := range required {
		if _, ok := index[name]; !ok {
			rd.fail(file, 1, "header", "column %q is required", name)
		}
	}
	if len(rd.problems) > 0 {
		return
	}
	if onHeader != nil {
		onHeader(header)
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			rd.fail(file, line, "row", "malformed CSV: %v; nothing after this line was read", err)
			return
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			rd.fail(file, line, "row", "has %d cells, the header has %d", len(rec), len(header))
			continue
		}
		row(line, func(name string) string {
			if i, ok := index[name]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}, rec)
	}
}

// number parses a finite number.
func (rd *reader) number(file string, line int, field, s string) (float64, bool) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		rd.fail(file, line, field, "%q is not a finite number", s)
		return 0, false
	}
	return v, true
}

// ReadDir reads buildings.csv, edges.csv and households.csv from dir (the
// format of shared/data/regroup/README.md).
func ReadDir(dir string) (*Community, error) {
	open := func(name string) (*os.File, error) {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return nil, errs.E(errs.Invalid, "%s: %w", name, err)
		}
		return f, nil
	}
	b, err := open("buildings.csv")
	if err != nil {
		return nil, err
	}
	defer b.Close()
	e, err := open("edges.csv")
	if err != nil {
		return nil, err
	}
	defer e.Close()
	h, err := open("households.csv")
	if err != nil {
		return nil, err
	}
	defer h.Close()
	return ReadCSV(b, e, h)
}

// ReadCSV reads the three files of a community:
//
//	buildings   id, x, y; optional grid and district (the current layout);
//	            other columns are ignored
//	edges       a, b: building IDs that are neighbours (undirected)
//	households  id, building, size, then profile columns whose names start
//	            with i_ (interest), n_ (need) or v_ (vulnerability), 0/1 or a
//	            weight; other columns are ignored
//
// Every problem is reported with its file, line and column, in one Invalid
// error (up to 500 of them).
func ReadCSV(buildings, edges, households io.Reader) (*Community, error) {
	rd := &reader{}
	c := &Community{}
	byID := map[string]int{}
	rd.table("buildings", buildings, []string{"id", "x", "y"}, nil, func(line int, cell func(string) string, _ []string) {
		id := cell("id")
		if id == "" {
			rd.fail("buildings", line, "id", "is missing")
			return
		}
		if _, dup := byID[id]; dup {
			rd.fail("buildings", line, "id", "building %q appears twice", id)
			return
		}
		x, okx := rd.number("buildings", line, "x", cell("x"))
		y, oky := rd.number("buildings", line, "y", cell("y"))
		if !okx || !oky {
			return
		}
		byID[id] = len(c.Buildings)
		c.Buildings = append(c.Buildings, Building{ID: id, X: x, Y: y, Grid: cell("grid"), District: cell("district")})
	})
	if err := rd.err(); err != nil {
		return nil, err
	}
	if len(c.Buildings) == 0 {
		rd.fail("buildings", 1, "row", "no buildings")
		return nil, rd.err()
	}
	rd.table("edges", edges, []string{"a", "b"}, nil, func(line int, cell func(string) string, _ []string) {
		a, oka := byID[cell("a")]
		b, okb := byID[cell("b")]
		if !oka {
			rd.fail("edges", line, "a", "no building %q in buildings.csv", cell("a"))
		}
		if !okb {
			rd.fail("edges", line, "b", "no building %q in buildings.csv", cell("b"))
		}
		if oka && okb {
			if a == b {
				rd.fail("edges", line, "b", "a building is not its own neighbour")
				return
			}
			c.Links = append(c.Links, [2]int{a, b})
		}
	})
	seen := map[string]bool{}
	var profileAt []int // the CSV column of each profile column
	onHeader := func(header []string) {
		for i, h := range header {
			kind := -1
			switch {
			case strings.HasPrefix(h, "i_"):
				kind = int(Interest)
			case strings.HasPrefix(h, "n_"):
				kind = int(Need)
			case strings.HasPrefix(h, "v_"):
				kind = int(Vulnerability)
			}
			if kind >= 0 && len(h) > 2 {
				c.Columns = append(c.Columns, Column{Name: h, Kind: Kind(kind)})
				profileAt = append(profileAt, i)
			}
		}
	}
	values := []float64{}
	rd.table("households", households, []string{"id", "building", "size"}, onHeader, func(line int, cell func(string) string, rec []string) {
		id := cell("id")
		switch {
		case id == "":
			rd.fail("households", line, "id", "is missing")
			return
		case seen[id]:
			rd.fail("households", line, "id", "household %q appears twice", id)
			return
		}
		seen[id] = true
		b, ok := byID[cell("building")]
		if !ok {
			rd.fail("households", line, "building", "no building %q in buildings.csv", cell("building"))
			return
		}
		size, err := strconv.Atoi(cell("size"))
		if err != nil || size < 1 {
			rd.fail("households", line, "size", "%q is not a number of residents (1 or more)", cell("size"))
			return
		}
		values = values[:0]
		for i, col := range profileAt {
			v, ok := rd.number("households", line, c.Columns[i].Name, strings.TrimSpace(rec[col]))
			if !ok {
				return
			}
			if v < 0 {
				rd.fail("households", line, c.Columns[i].Name, "%v is negative: give 0/1 or a weight", v)
				return
			}
			values = append(values, v)
		}
		c.Profile = append(c.Profile, values...)
		c.Households = append(c.Households, Household{ID: id, Building: b, Size: size})
	})
	if err := rd.err(); err != nil {
		return nil, err
	}
	return c, nil
}
