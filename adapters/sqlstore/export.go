package sqlstore

import (
	"bufio"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/linli-go/linli/internal/errs"
)

// The export format: a gzip of JSON Lines. The first line is the header
//
//	{"format":"linli-export","version":1,"community":"01…","schema":12,"dialect":"sqlite","exported_at":"…"}
//
// then, for each table in an order an import can insert in (parents
// first), a line {"table":"households","columns":["community_id","id",…]}
// followed by one line per row, {"row":[…]} with a value per column:
// null, a number, a string, true or false, {"b":"<base64>"} for bytes or
// {"t":"<RFC 3339, UTC>"} for a time. The last line is {"end":true,"rows":N}:
// a file without it was cut off and is refused. Credentials, sessions and
// idempotency keys are not exported: they belong to a server, not to the
// community's records.
const (
	exportFormat  = "linli-export"
	exportVersion = 1
)

// notExported are the community's tables an export leaves out.
// Record versions are not carried: an imported community starts at
// versions no copy of it had (Import), so nothing kept of another copy's
// history is served for it.
var notExported = []string{"access_records", "idempotency_keys", "record_versions"}

// recordDomains are the domains whose versions record_versions keeps.
var recordDomains = []string{"governance", "points", "funds"}

type exportHeader struct {
	Format     string    `json:"format"`
	Version    int       `json:"version"`
	Community  string    `json:"community"`
	Schema     int       `json:"schema"`
	Dialect    string    `json:"dialect"`
	ExportedAt time.Time `json:"exported_at"`
}

type exportLine struct {
	Table   string            `json:"table,omitempty"`
	Columns []string          `json:"columns,omitempty"`
	Row     []json.RawMessage `json:"row,omitempty"`
	End     bool              `json:"end,omitempty"`
	Rows    int               `json:"rows,omitempty"`
}

// Moved counts what an export wrote or an import read.
type Moved struct {
	Community string
	Tables    int
	Rows      int
}

// Export writes community and everything it owns to w (see the format
// above), read in one transaction, so the copy is consistent while the
// community is in use.
func (db *DB) Export(ctx context.Context, community string, w io.Writer) (Moved, error) {
	return db.exportGzip(ctx, community, w, exportOptions{header: true})
}

// exportOptions say what an export carries.
type exportOptions struct {
	header bool // the header line, first
	// credentials: access_records too, for a move between shards (a
	// file an operator keeps never holds them).
	credentials bool
	// fenced: the community is fenced for a move, and the read is one
	// that every write not refused by the fence precedes (readFenced).
	fenced bool
}

// exportGzip is export, compressed.
func (db *DB) exportGzip(ctx context.Context, community string, w io.Writer, opts exportOptions) (Moved, error) {
	zw := gzip.NewWriter(w)
	moved, err := db.export(ctx, community, zw, opts)
	if err != nil {
		return Moved{}, err
	}
	return moved, zw.Close()
}

// export writes the lines of an export to w, uncompressed.
func (db *DB) export(ctx context.Context, community string, w io.Writer, opts exportOptions) (Moved, error) {
	tables, err := exportTables(opts.credentials)
	if err != nil {
		return Moved{}, err
	}
	ms, err := db.migrations()
	if err != nil {
		return Moved{}, err
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	moved := Moved{Community: community}
	read := db.read
	if opts.fenced {
		read = func(ctx context.Context, fn func(querier) error) error { return db.readFenced(ctx, community, fn) }
	}
	err = read(ctx, func(tx querier) error {
		moved = Moved{Community: community}
		var n int
		if err := tx.QueryRowContext(ctx, db.sqlText("SELECT count(*) FROM communities WHERE id = ?"), community).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return errs.E(errs.NotFound, "community %s not found", community)
		}
		if opts.header {
			if err := enc.Encode(exportHeader{Format: exportFormat, Version: exportVersion, Community: community, Schema: ms[len(ms)-1].version,
				Dialect: db.dialect, ExportedAt: time.Now().UTC()}); err != nil {
				return err
			}
		}
		for _, table := range tables {
			where := "community_id"
			if table == "communities" {
				where = "id"
			}
			// Ordered by every column, leftmost first: one order, the same
			// in every export of the same rows.
			probe, err := tx.QueryContext(ctx, "SELECT * FROM "+table+" WHERE 1 = 0")
			if err != nil {
				return fmt.Errorf("export %s: %w", table, err)
			}
			names, err := probe.Columns()
			probe.Close()
			if err != nil {
				return err
			}
			order := make([]string, len(names))
			for i := range names {
				order[i] = strconv.Itoa(i + 1)
			}
			rows, err := tx.QueryContext(ctx, db.sqlText("SELECT * FROM "+table+" WHERE "+where+" = ? ORDER BY "+strings.Join(order, ", ")), community)
			if err != nil {
				return fmt.Errorf("export %s: %w", table, err)
			}
			cols, err := rows.Columns()
			if err != nil {
				rows.Close()
				return err
			}
			if err := enc.Encode(exportLine{Table: table, Columns: cols}); err != nil {
				rows.Close()
				return err
			}
			moved.Tables++
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			for rows.Next() {
				if err := rows.Scan(ptrs...); err != nil {
					rows.Close()
					return err
				}
				line := exportLine{Row: make([]json.RawMessage, len(cols))}
				for i, v := range vals {
					if line.Row[i], err = encodeValue(v); err != nil {
						rows.Close()
						return fmt.Errorf("export %s.%s: %w", table, cols[i], err)
					}
				}
				if err := enc.Encode(line); err != nil {
					rows.Close()
					return err
				}
				moved.Rows++
			}
			if err := errors.Join(rows.Err(), rows.Close()); err != nil {
				return err
			}
		}
		return enc.Encode(exportLine{End: true, Rows: moved.Rows})
	})
	if err != nil {
		return Moved{}, err
	}
	return moved, bw.Flush()
}

// Import reads an export and inserts all of it in one transaction: all or
// nothing. It refuses a community that exists here, a file of another
// format or a newer schema, and a file cut off.
func (db *DB) Import(ctx context.Context, r io.Reader) (Moved, error) {
	return db.importFrom(ctx, r, false)
}

// importFrom is Import; credentials allows a move's access_records. A
// community this database has seen move away is taken back: the marker
// its move left (community_fences) goes in the same transaction.
func (db *DB) importFrom(ctx context.Context, r io.Reader, credentials bool) (Moved, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return Moved{}, errs.E(errs.Invalid, "import: not a linli export (gzip): %w", err)
	}
	dec := json.NewDecoder(bufio.NewReader(zr))
	dec.UseNumber()
	var h exportHeader
	if err := dec.Decode(&h); err != nil || h.Format != exportFormat {
		return Moved{}, errs.E(errs.Invalid, "import: not a linli export")
	}
	if h.Version != exportVersion {
		return Moved{}, errs.E(errs.Invalid, "import: export format version %d; this linli reads version %d", h.Version, exportVersion)
	}
	ms, err := db.migrations()
	if err != nil {
		return Moved{}, err
	}
	if h.Schema > ms[len(ms)-1].version {
		return Moved{}, errs.E(errs.FailedPrecondition, "import: the export's schema (%d) is newer than this linli's (%d): upgrade first", h.Schema, ms[len(ms)-1].version)
	}
	moved := Moved{Community: h.Community}
	var rows map[string]int64 // by table
	err = db.write(ctx, func(tx *sql.Tx) error {
		moved = Moved{Community: h.Community}
		rows = map[string]int64{}
		if db.dialect == SQLite {
			// Rows of a table may refer to rows of it that come later.
			if _, err := tx.ExecContext(ctx, "PRAGMA defer_foreign_keys = ON"); err != nil {
				return err
			}
		}
		var n int
		if err := tx.QueryRowContext(ctx, db.sqlText("SELECT count(*) FROM communities WHERE id = ?"), h.Community).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return errs.E(errs.Conflict, "import: community %s exists here already", h.Community)
		}
		var ins *inserter
		for {
			var line exportLine
			if err := dec.Decode(&line); err != nil {
				if errors.Is(err, io.EOF) {
					return errs.E(errs.Invalid, "import: the file ends before its last line: it was cut off")
				}
				return errs.E(errs.Invalid, "import: %w", err)
			}
			switch {
			case line.End:
				if err := ins.flush(ctx); err != nil {
					return err
				}
				if line.Rows != moved.Rows {
					return errs.E(errs.Invalid, "import: the file says %d rows, it holds %d", line.Rows, moved.Rows)
				}
				// Versions no copy had: a report another copy of the
				// community kept is never taken for this one's.
				if _, err := tx.ExecContext(ctx, db.sqlText("DELETE FROM community_fences WHERE community_id = ?"), h.Community); err != nil {
					return err
				}
				at := time.Now().UnixNano()
				for _, domain := range recordDomains {
					if _, err := tx.ExecContext(ctx, db.sqlText("INSERT INTO record_versions (community_id, domain, version) VALUES (?, ?, ?)"), h.Community, domain, at); err != nil {
						return err
					}
				}
				return nil
			case line.Table != "":
				if err := ins.flush(ctx); err != nil {
					return err
				}
				if !slices.Contains(append(mustTables(), "communities"), line.Table) || slices.Contains(notExported, line.Table) &&
					(!credentials || line.Table != "access_records") {
					return errs.E(errs.Invalid, "import: unknown table %q", line.Table)
				}
				kinds, err := db.columnKinds(ctx, tx, line.Table)
				if err != nil {
					return err
				}
				ins = &inserter{db: db, tx: tx, table: line.Table, columns: line.Columns, kinds: kinds}
				moved.Tables++
			case line.Row != nil:
				if ins == nil || len(line.Row) != len(ins.columns) {
					return errs.E(errs.Invalid, "import: a row outside a table, or of another width")
				}
				vals := make([]any, len(line.Row))
				for i, raw := range line.Row {
					v, err := decodeValue(raw, ins.kinds[ins.columns[i]])
					if err != nil {
						return errs.E(errs.Invalid, "import: %s.%s: %w", ins.table, ins.columns[i], err)
					}
					if i < len(vals) {
						vals[i] = v
					}
				}
				if err := ins.add(ctx, vals); err != nil {
					return err
				}
				moved.Rows++
				rows[ins.table]++
			}
		}
	})
	if err != nil {
		return moved, err
	}
	// A community's whole history arrived at once: statistics from before
	// would mislead the planner until autovacuum caught up.
	return moved, db.analyzeGrown(ctx, rows)
}

// analyzeGrown refreshes the statistics of the tables an import added
// rows to (added: rows by table), rather than of every table of the
// database. However few rows arrived, they are of a community the
// statistics have not seen, whose count the planner then guesses at one
// row: measured on a shard of 100 communities, a page of 50 residents
// went from an index range (1.3 ms) to reading the community (9.4 ms).
// SQLite's PRAGMA optimize chooses for itself.
func (db *DB) analyzeGrown(ctx context.Context, added map[string]int64) error {
	if db.dialect != Postgres {
		if _, err := db.w.ExecContext(ctx, "PRAGMA optimize"); err != nil {
			return errs.E(errs.Internal, "analyze: %w", err)
		}
		return nil
	}
	tables := slices.Sorted(maps.Keys(added))
	for _, table := range tables {
		if _, err := db.w.ExecContext(ctx, "ANALYZE "+table); err != nil {
			return errs.E(errs.Internal, "analyze %s: %w", table, err)
		}
	}
	return nil
}

// inserter inserts a table's rows in batches.
type inserter struct {
	db      *DB
	tx      *sql.Tx
	table   string
	columns []string
	kinds   map[string]string
	rows    [][]any
}

func (in *inserter) add(ctx context.Context, row []any) error {
	in.rows = append(in.rows, row)
	if len(in.rows)*len(in.columns) >= 4000 {
		return in.flush(ctx)
	}
	return nil
}

func (in *inserter) flush(ctx context.Context) error {
	if in == nil || len(in.rows) == 0 {
		return nil
	}
	q := &query{}
	q.add("INSERT INTO " + in.table + " (" + strings.Join(in.columns, ", ") + ") VALUES ")
	for i, row := range in.rows {
		if i > 0 {
			q.add(", ")
		}
		q.tuple(row...)
	}
	_, err := in.tx.ExecContext(ctx, in.db.sqlText(q.String()), q.args...)
	in.rows = in.rows[:0]
	if err != nil {
		return fmt.Errorf("import %s: %w", in.table, in.db.mapErr(err))
	}
	return nil
}

// columnKinds are a table's columns' types here, for the values a JSON
// line cannot tell apart (a boolean stored by SQLite as 0 or 1).
func (db *DB) columnKinds(ctx context.Context, tx *sql.Tx, table string) (map[string]string, error) {
	q := "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1"
	if db.dialect == SQLite {
		q = "SELECT name, type FROM pragma_table_info(?)"
	}
	rows, err := tx.QueryContext(ctx, q, table)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for rows.Next() {
		var name, kind string
		if err := rows.Scan(&name, &kind); err != nil {
			rows.Close()
			return nil, err
		}
		out[name] = strings.ToLower(kind)
	}
	return out, errors.Join(rows.Err(), rows.Close())
}

func encodeValue(v any) (json.RawMessage, error) {
	switch x := v.(type) {
	case []byte:
		return json.Marshal(map[string]string{"b": base64.StdEncoding.EncodeToString(x)})
	case time.Time:
		return json.Marshal(map[string]string{"t": ts(x)})
	case nil, int64, float64, string, bool:
		return json.Marshal(x)
	}
	return nil, fmt.Errorf("a value of type %T", v)
}

func decodeValue(raw json.RawMessage, kind string) (any, error) {
	var v any
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case nil, string:
		return x, nil
	case bool:
		return x, nil
	case json.Number:
		if kind == "boolean" {
			return x.String() != "0", nil
		}
		if i, err := x.Int64(); err == nil {
			return i, nil
		}
		return x.Float64()
	case map[string]any:
		if b, ok := x["b"].(string); ok {
			return base64.StdEncoding.DecodeString(b)
		}
		if t, ok := x["t"].(string); ok {
			return t, nil
		}
	}
	return nil, fmt.Errorf("a value %s", raw)
}

// exportTables are the community's tables, parents first, beginning with
// its row in communities.
func exportTables(credentials bool) ([]string, error) {
	tables, err := communityTables()
	if err != nil {
		return nil, err
	}
	slices.Reverse(tables) // communityTables lists children first
	out := []string{"communities"}
	for _, t := range tables {
		if !slices.Contains(notExported, t) || credentials && t == "access_records" {
			out = append(out, t)
		}
	}
	return out, nil
}

func mustTables() []string {
	t, _ := communityTables()
	return t
}
