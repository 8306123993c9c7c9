package grids

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/linli-go/linli/internal/errs"
)

// ImportFiles are the CSV files of one import; any of them may be nil.
//
// Each file starts with a header line naming its columns, in any order, in
// English or Chinese (in brackets below); columns marked * are required.
// Lists inside a cell are separated by ';' (also '；', '、' or '|').
//
//	buildings.csv   name* (楼栋), address (地址), grid (网格: a grid's name),
//	                lat (纬度), lng (经度), neighbours (相邻楼栋: building names)
//	households.csv  building* (楼栋: a building's name), unit* (户号), size* (人数),
//	                interests (兴趣), needs (需求): the household's own tags
//	residents.csv   building* (楼栋), unit* (户号), name* (姓名),
//	                sex* (性别: male/female, 男/女), birth_year* (出生年份),
//	                phone (电话), interests (兴趣), needs (需求),
//	                vulnerabilities (特殊群体: names or Chinese terms, e.g. 退休;党员)
//
// Buildings, households and residents may refer to records in the same
// import or already in the registry. Tags are folded to lower case.
type ImportFiles struct {
	Buildings  io.Reader
	Households io.Reader
	Residents  io.Reader
}

// Encodings an import accepts.
const (
	UTF8    = "utf-8"   // the default; a byte-order mark is skipped
	GB18030 = "gb18030" // what Excel on Chinese Windows saves as "CSV"
)

// ImportOptions tune an import.
type ImportOptions struct {
	Encoding string // UTF8 (default) or GB18030
	DryRun   bool   // check everything, store nothing
}

// ImportResult counts the records an import created (or, in a dry run,
// would have created).
type ImportResult struct {
	Buildings  int  `json:"buildings"`
	Households int  `json:"households"`
	Residents  int  `json:"residents"`
	DryRun     bool `json:"dry_run"`
}

// MaxImportProblems caps how many problems an import reports.
const MaxImportProblems = 500

// Import stores every record in files, or none of them: when any row is bad
// it returns an Invalid error whose Fields name each problem by file, column
// and line (up to MaxImportProblems). Only community workers may import.
func (r *Registry) Import(ctx context.Context, communityID string, files ImportFiles, opts ImportOptions) (ImportResult, error) {
	p, err := authorize(ctx, communityID, ErrWorkersOnly)
	if err != nil {
		return ImportResult{}, err
	}
	if files.Buildings == nil && files.Households == nil && files.Residents == nil {
		return ImportResult{}, errs.E(errs.Invalid, "nothing to import: give buildings, households and/or residents")
	}
	switch strings.ToLower(opts.Encoding) {
	case "", UTF8, "utf8":
		opts.Encoding = UTF8
	case GB18030, "gbk", "gb2312":
		opts.Encoding = GB18030
	default:
		return ImportResult{}, errs.Field("encoding", "must be %s or %s", UTF8, GB18030)
	}
	now := r.clock()
	imp := &importer{r: r, community: communityID, year: now.Year()}
	imp.read(files, opts.Encoding)
	if imp.unreadable() {
		return ImportResult{}, imp.err()
	}
	stamps := Stamps{CreatedAt: now, UpdatedAt: now}
	res := ImportResult{DryRun: opts.DryRun}
	errDryRun := errors.New("dry run")
	err = r.store.Update(ctx, func(tx Tx) error {
		imp.problems, imp.dropped = imp.problems[:imp.parsed], imp.parsedDropped // a retried transaction starts again
		if err := community(ctx, tx, communityID); err != nil {
			return err
		}
		bs, hs, rs, err := imp.resolve(ctx, tx, stamps)
		if err != nil {
			return err
		}
		if len(imp.problems) > 0 {
			return imp.err()
		}
		if err := tx.CreateBuildings(ctx, bs...); err != nil {
			return err
		}
		for _, b := range bs {
			if err := r.moveMembership(ctx, tx, communityID, BuildingInGrid, b.ID, "", b.GridID, now); err != nil {
				return err
			}
		}
		if err := tx.CreateHouseholds(ctx, hs...); err != nil {
			return err
		}
		if err := tx.CreateResidents(ctx, rs...); err != nil {
			return err
		}
		res.Buildings, res.Households, res.Residents = len(bs), len(hs), len(rs)
		if opts.DryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	if err != nil {
		return ImportResult{}, err
	}
	r.log.InfoContext(ctx, "imported", "community", communityID, "by", p.ID, "dry_run", res.DryRun,
		"buildings", res.Buildings, "households", res.Households, "residents", res.Residents)
	return res, nil
}

// A column of an import file: its English name and Chinese aliases.
type column struct {
	name     string
	aliases  []string
	required bool
}

var (
	buildingColumns = []column{
		{"name", []string{"楼栋", "楼栋名称", "名称"}, true},
		{"address", []string{"地址"}, false},
		{"grid", []string{"网格"}, false},
		{"lat", []string{"纬度", "latitude"}, false},
		{"lng", []string{"经度", "lon", "longitude"}, false},
		{"neighbours", []string{"相邻楼栋", "neighbors"}, false},
	}
	householdColumns = []column{
		{"building", []string{"楼栋"}, true},
		{"unit", []string{"户号", "门牌"}, true},
		{"size", []string{"人数", "户人数"}, true},
		{"interests", []string{"兴趣"}, false},
		{"needs", []string{"需求"}, false},
	}
	residentColumns = []column{
		{"building", []string{"楼栋"}, true},
		{"unit", []string{"户号", "门牌"}, true},
		{"name", []string{"姓名"}, true},
		{"sex", []string{"性别"}, true},
		{"birth_year", []string{"出生年份"}, true},
		{"phone", []string{"电话", "手机"}, false},
		{"interests", []string{"兴趣"}, false},
		{"needs", []string{"需求"}, false},
		{"vulnerabilities", []string{"特殊群体"}, false},
	}
)

// row is one data line of a file: its line number and its cells by column.
type row struct {
	line  int
	cells map[string]string
}

type importer struct {
	r         *Registry
	community string
	year      int

	buildings, households, residents []row

	problems []errs.FieldError
	dropped  int // problems beyond MaxImportProblems

	parsed, parsedDropped int // what reading the files found, before the transaction
}

func (imp *importer) problem(file string, line int, field, format string, args ...any) {
	if len(imp.problems) >= MaxImportProblems {
		imp.dropped++
		return
	}
	imp.problems = append(imp.problems, errs.FieldError{Field: file + "." + field, Row: line, Message: fmt.Sprintf(format, args...)})
}

// unreadable reports a file whose header could not be read: its rows
// cannot be interpreted, so the import stops before resolving any.
func (imp *importer) unreadable() bool {
	return slices.ContainsFunc(imp.problems, func(p errs.FieldError) bool { return p.Row == 1 })
}

func (imp *importer) err() error {
	ps := slices.Clone(imp.problems)
	if imp.dropped > 0 {
		ps = append(ps, errs.FieldError{Field: "import", Message: fmt.Sprintf("%d more problems not listed", imp.dropped)})
	}
	return errs.Fields(ps...)
}

func (imp *importer) read(files ImportFiles, encoding string) {
	imp.buildings = imp.readFile("buildings", files.Buildings, buildingColumns, encoding)
	imp.households = imp.readFile("households", files.Households, householdColumns, encoding)
	imp.residents = imp.readFile("residents", files.Residents, residentColumns, encoding)
	imp.parsed, imp.parsedDropped = len(imp.problems), imp.dropped
}

// readFile reads one CSV file into rows keyed by canonical column names.
func (imp *importer) readFile(file string, in io.Reader, cols []column, encoding string) []row {
	if in == nil {
		return nil
	}
	br := bufio.NewReader(in)
	if encoding == GB18030 {
		br = bufio.NewReader(simplifiedchinese.GB18030.NewDecoder().Reader(br))
	} else if bom, _ := br.Peek(3); string(bom) == "\uFEFF" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true

	header, err := cr.Read()
	if err == io.EOF {
		imp.problem(file, 1, "header", "the file is empty: it needs a header line naming its columns")
		return nil
	}
	if err != nil {
		imp.problem(file, 1, "header", "%s", csvProblem(err, encoding))
		return nil
	}
	names, ok := imp.header(file, header, cols, encoding)
	if !ok {
		return nil
	}
	var rows []row
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			imp.problem(file, line, "row", "%s; nothing after this line was read", csvProblem(err, encoding))
			return rows
		}
		line, _ := cr.FieldPos(0) // a record read has at least one field
		if len(rec) != len(names) {
			imp.problem(file, line, "row", "has %d cells, the header has %d", len(rec), len(names))
			continue
		}
		cells := make(map[string]string, len(names))
		good := true
		for i, v := range rec {
			if !utf8.ValidString(v) {
				imp.problem(file, line, names[i], "%s", notUTF8(encoding))
				good = false
				continue
			}
			cells[names[i]] = strings.TrimSpace(v)
		}
		if good {
			rows = append(rows, row{line: line, cells: cells})
		}
	}
}

// header maps a header line to canonical column names.
func (imp *importer) header(file string, header []string, cols []column, encoding string) ([]string, bool) {
	names := make([]string, len(header))
	seen := map[string]bool{}
	ok := true
	for i, h := range header {
		if !utf8.ValidString(h) {
			imp.problem(file, 1, "header", "%s", notUTF8(encoding))
			return nil, false
		}
		h = strings.ToLower(strings.TrimSpace(h))
		for _, c := range cols {
			if h == c.name || slices.Contains(c.aliases, h) {
				names[i] = c.name
			}
		}
		switch {
		case names[i] == "":
			imp.problem(file, 1, "header", "unknown column %q; the columns are %s", h, columnList(cols))
			ok = false
		case seen[names[i]]:
			imp.problem(file, 1, "header", "column %q appears twice", names[i])
			ok = false
		}
		seen[names[i]] = true
	}
	for _, c := range cols {
		if c.required && !seen[c.name] {
			imp.problem(file, 1, "header", "column %q (%s) is required", c.name, c.aliases[0])
			ok = false
		}
	}
	return names, ok
}

func columnList(cols []column) string {
	var b strings.Builder
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s (%s)", c.name, c.aliases[0])
	}
	return b.String()
}

func notUTF8(encoding string) string {
	if encoding == GB18030 {
		return "is not valid GB18030 text"
	}
	return "is not valid UTF-8 text: save the sheet as \"CSV UTF-8\", or import with encoding gb18030 (Excel's CSV on Chinese Windows)"
}

func csvProblem(err error, encoding string) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return "malformed CSV: " + pe.Err.Error()
	}
	return "cannot read the file: " + err.Error()
}

// list splits a cell holding a list.
func list(cell string) []string {
	if cell == "" {
		return nil
	}
	parts := strings.FieldsFunc(cell, func(r rune) bool { return r == ';' || r == '；' || r == '、' || r == '|' })
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// lowered folds tags to lower case, as spreadsheets write them as they like.
func lowered(tags []string) []string {
	for i, t := range tags {
		tags[i] = strings.ToLower(t)
	}
	return tags
}

func parseSex(s string) (Sex, bool) {
	switch strings.ToLower(s) {
	case "male", "m", "男":
		return Male, true
	case "female", "f", "女":
		return Female, true
	}
	return "", false
}

// householdKey names a household in an import: its building's name and unit.
type householdKey struct{ building, unit string }

// resolve turns rows into records, checking every reference against the
// import and the registry; problems are collected, not returned.
func (imp *importer) resolve(ctx context.Context, tx Tx, now Stamps) ([]Building, []Household, []Resident, error) {
	existing, _, err := tx.FindBuildings(ctx, BuildingFilter{CommunityID: imp.community})
	if err != nil {
		return nil, nil, nil, err
	}
	buildingID := make(map[string]string, len(existing)+len(imp.buildings)) // name → ID
	for _, b := range existing {
		buildingID[b.Name] = b.ID
	}
	grids, _, err := tx.FindGrids(ctx, GridFilter{CommunityID: imp.community})
	if err != nil {
		return nil, nil, nil, err
	}
	gridID := make(map[string]string, len(grids))
	for _, g := range grids {
		gridID[g.Name] = g.ID
	}

	bs := imp.resolveBuildings(buildingID, gridID, now)

	households, _, err := tx.FindHouseholds(ctx, HouseholdFilter{CommunityID: imp.community})
	if err != nil {
		return nil, nil, nil, err
	}
	nameOf := make(map[string]string, len(buildingID))
	for name, id := range buildingID {
		nameOf[id] = name
	}
	householdID := make(map[householdKey]string, len(households)+len(imp.households))
	for _, h := range households {
		householdID[householdKey{nameOf[h.BuildingID], h.Unit}] = h.ID
	}
	hs := imp.resolveHouseholds(buildingID, householdID, now)
	rs := imp.resolveResidents(householdID, now)
	return bs, hs, rs, nil
}

func (imp *importer) resolveBuildings(buildingID, gridID map[string]string, now Stamps) []Building {
	const file = "buildings"
	bs := make([]Building, 0, len(imp.buildings))
	rows := make([]row, 0, len(imp.buildings)) // the row each of bs came from
	firstLine := map[string]int{}
	for _, rw := range imp.buildings {
		c := rw.cells
		b := Building{ID: imp.r.newID(), CommunityID: imp.community, Name: c["name"], Address: c["address"], Stamps: now}
		switch line, dup := firstLine[b.Name]; {
		case dup:
			imp.problem(file, rw.line, "name", "building %q is already on line %d", b.Name, line)
			continue
		case buildingID[b.Name] != "":
			imp.problem(file, rw.line, "name", "a building named %q is already registered", b.Name)
			continue
		}
		if b.Name != "" {
			firstLine[b.Name] = rw.line
		}
		if g := c["grid"]; g != "" {
			if b.GridID = gridID[g]; b.GridID == "" {
				imp.problem(file, rw.line, "grid", "no grid named %q in this community", g)
			}
		}
		b.Location = imp.location(file, rw)
		if err := b.Validate(); err != nil {
			imp.fieldProblems(file, rw.line, err)
		}
		buildingID[b.Name] = b.ID
		bs = append(bs, b)
		rows = append(rows, rw)
	}
	// Neighbours may name buildings further down the file: resolve them last.
	for i, rw := range rows {
		b := &bs[i]
		for _, n := range list(rw.cells["neighbours"]) {
			id := buildingID[n]
			switch {
			case id == "":
				imp.problem(file, rw.line, "neighbours", "no building named %q in this import or the registry", n)
			case id == b.ID:
				imp.problem(file, rw.line, "neighbours", "a building is not its own neighbour")
			case !slices.Contains(b.Neighbours, id):
				b.Neighbours = append(b.Neighbours, id)
			}
		}
		if len(b.Neighbours) > MaxNeighbours {
			imp.problem(file, rw.line, "neighbours", "lists %d buildings, at most %d", len(b.Neighbours), MaxNeighbours)
		}
		b.Neighbours = sorted(b.Neighbours)
	}
	return bs
}

// location reads a row's lat and lng; nil when absent or bad.
func (imp *importer) location(file string, rw row) *Location {
	lat, lng := rw.cells["lat"], rw.cells["lng"]
	if lat == "" && lng == "" {
		return nil
	}
	if lat == "" || lng == "" {
		imp.problem(file, rw.line, "lat", "give both lat and lng, or neither")
		return nil
	}
	var loc Location
	ok := true
	for _, f := range []struct {
		name string
		cell string
		into *float64
	}{{"lat", lat, &loc.Lat}, {"lng", lng, &loc.Lng}} {
		v, err := strconv.ParseFloat(f.cell, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			imp.problem(file, rw.line, f.name, "%q is not a number of degrees", f.cell)
			ok = false
		}
		*f.into = v
	}
	if !ok {
		return nil
	}
	return &loc
}

func (imp *importer) resolveHouseholds(buildingID map[string]string, householdID map[householdKey]string, now Stamps) []Household {
	const file = "households"
	hs := make([]Household, 0, len(imp.households))
	firstLine := map[householdKey]int{}
	for _, rw := range imp.households {
		c := rw.cells
		key := householdKey{c["building"], c["unit"]}
		h := Household{ID: imp.r.newID(), CommunityID: imp.community, Unit: key.unit, Stamps: now}
		if h.BuildingID = buildingID[key.building]; h.BuildingID == "" {
			imp.problem(file, rw.line, "building", "no building named %q in this import or the registry", key.building)
			continue
		}
		if line, dup := firstLine[key]; dup {
			imp.problem(file, rw.line, "unit", "unit %q of building %q is already on line %d", key.unit, key.building, line)
			continue
		}
		if householdID[key] != "" {
			imp.problem(file, rw.line, "unit", "unit %q of building %q already has a registered household", key.unit, key.building)
			continue
		}
		firstLine[key] = rw.line
		size, err := strconv.Atoi(c["size"])
		if err != nil {
			imp.problem(file, rw.line, "size", "%q is not a whole number", c["size"])
		}
		h.Size = size
		h.Interests, h.Needs = lowered(list(c["interests"])), lowered(list(c["needs"]))
		if err == nil {
			if err := h.Validate(); err != nil {
				imp.fieldProblems(file, rw.line, err)
			}
		}
		h.normalize()
		householdID[key] = h.ID
		hs = append(hs, h)
	}
	return hs
}

func (imp *importer) resolveResidents(householdID map[householdKey]string, now Stamps) []Resident {
	const file = "residents"
	rs := make([]Resident, 0, len(imp.residents))
	for _, rw := range imp.residents {
		c := rw.cells
		key := householdKey{c["building"], c["unit"]}
		res := Resident{ID: imp.r.newID(), CommunityID: imp.community, Name: c["name"], Phone: c["phone"], Stamps: now}
		ok := true
		if res.HouseholdID = householdID[key]; res.HouseholdID == "" {
			imp.problem(file, rw.line, "unit", "no household at unit %q of building %q in this import or the registry", key.unit, key.building)
			ok = false
		}
		var known bool
		if res.Sex, known = parseSex(c["sex"]); !known {
			imp.problem(file, rw.line, "sex", "%q is not a sex: write male or female (男 or 女)", c["sex"])
			ok = false
		}
		year, err := strconv.Atoi(c["birth_year"])
		if err != nil {
			imp.problem(file, rw.line, "birth_year", "%q is not a year", c["birth_year"])
			ok = false
		}
		res.BirthYear = year
		res.Interests, res.Needs = lowered(list(c["interests"])), lowered(list(c["needs"]))
		for _, v := range list(c["vulnerabilities"]) {
			vv, known := ParseVulnerability(v)
			if !known || vv.Derived() {
				imp.problem(file, rw.line, "vulnerabilities", "%q is not a recorded vulnerability; use one of %s", v, recordedList())
				ok = false
				continue
			}
			res.Vulnerabilities = append(res.Vulnerabilities, vv)
		}
		if ok {
			if err := res.Validate(imp.year); err != nil {
				imp.fieldProblems(file, rw.line, err)
			}
		}
		res.normalize()
		rs = append(rs, res)
	}
	return rs
}

func recordedList() string {
	var b strings.Builder
	for i, v := range recorded {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s (%s)", v, v.Chinese())
	}
	return b.String()
}

// fieldProblems files a record's validation errors under the row.
func (imp *importer) fieldProblems(file string, line int, err error) {
	fields := errs.FieldsOf(err)
	if len(fields) == 0 {
		imp.problem(file, line, "row", "%s", errs.Message(err))
		return
	}
	for _, f := range fields {
		// A record's JSON path names a column: "interests[2]" → interests,
		// "location.lat" → lat.
		name, _, _ := strings.Cut(f.Field, "[")
		name = name[strings.LastIndex(name, ".")+1:]
		imp.problem(file, line, name, "%s", f.Message)
	}
}
