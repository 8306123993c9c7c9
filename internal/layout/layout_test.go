package layout

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/importer"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

const module = "github.com/linli-go/linli"

type pkg struct {
	Dir        string
	GoFiles    []string
	ImportPath string
	Name       string
	Export     string
	Imports    []string
	Module     *struct{ Path string }
}

// list runs go list over the module and everything it depends on, with the
// compiler's export data, which holds each package's API fully typed.
func list(t *testing.T) map[string]*pkg {
	t.Helper()
	listed.once.Do(func() { listed.pkgs, listed.err = golist() })
	if listed.err != nil {
		t.Fatal(listed.err)
	}
	return listed.pkgs
}

var listed struct {
	once sync.Once
	pkgs map[string]*pkg
	err  error
}

func golist() (map[string]*pkg, error) {
	cmd := exec.Command("go", "list", "-export", "-deps", "-json=Dir,GoFiles,ImportPath,Name,Export,Imports,Module", module+"/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %v\n%s", err, stderr.String())
	}
	pkgs := map[string]*pkg{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		p := new(pkg)
		if err := dec.Decode(p); err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		pkgs[p.ImportPath] = p
		if ours(p.ImportPath) {
			// Read what go list read, so that go test's cache, which
			// knows the files a test opens, runs this test again when
			// one changes.
			for _, f := range p.GoFiles {
				if _, err := os.Stat(filepath.Join(p.Dir, f)); err != nil {
					return nil, err
				}
			}
		}
	}
	return pkgs, nil
}

func ours(path string) bool { return path == module || strings.HasPrefix(path, module+"/") }

// rel is a package's path inside the module: "points/pointstest".
func rel(path string) string { return strings.TrimPrefix(strings.TrimPrefix(path, module), "/") }

func under(path, dir string) bool { r := rel(path); return r == dir || strings.HasPrefix(r, dir+"/") }

func internal(path string) bool { return strings.Contains("/"+rel(path)+"/", "/internal/") }

// TestImportsPointOneWay checks the arrows between the module's folders
// (test files aside: a suite may import what it tests).
func TestImportsPointOneWay(t *testing.T) {
	layer := func(path string) int {
		switch {
		case under(path, "internal"):
			return 0
		case under(path, "grids"):
			return 1
		case under(path, "governance"):
			return 2
		case under(path, "points"), under(path, "funds"):
			return 3
		case under(path, "adapters"):
			return 4
		default:
			return 5
		}
	}
	for _, p := range list(t) {
		if !ours(p.ImportPath) {
			continue
		}
		for _, imp := range p.Imports {
			if !ours(imp) {
				continue
			}
			from, to := rel(p.ImportPath), rel(imp)
			switch {
			case layer(imp) > layer(p.ImportPath):
				t.Errorf("%s imports %s, which is above it", from, to)
			case under(p.ImportPath, "points") && under(imp, "funds"), under(p.ImportPath, "funds") && under(imp, "points"):
				t.Errorf("%s imports %s: points and funds never import each other", from, to)
			}
		}
	}
}

// TestPublicAPINamesNoInternalType checks that an embedder can name every
// type in every exported declaration: a type defined under internal/ may
// appear only where a public package gives it a name (an alias).
func TestPublicAPINamesNoInternalType(t *testing.T) {
	pkgs := list(t)
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		p, ok := pkgs[path]
		if !ok || p.Export == "" {
			return nil, os.ErrNotExist
		}
		return os.Open(p.Export)
	})
	var public []*types.Package
	for _, p := range pkgs {
		if ours(p.ImportPath) && !internal(p.ImportPath) && p.Name != "main" {
			tp, err := imp.Import(p.ImportPath)
			if err != nil {
				t.Fatalf("import %s: %v", p.ImportPath, err)
			}
			public = append(public, tp)
		}
	}
	slices.SortFunc(public, func(a, b *types.Package) int { return strings.Compare(a.Path(), b.Path()) })

	// The internal types that public packages name by alias.
	named := map[*types.TypeName]bool{}
	for _, tp := range public {
		for _, name := range tp.Scope().Names() {
			if tn, ok := tp.Scope().Lookup(name).(*types.TypeName); ok && tn.Exported() && tn.IsAlias() {
				if n, ok := types.Unalias(tn.Type()).(*types.Named); ok {
					named[n.Origin().Obj()] = true
				}
			}
		}
	}

	for _, tp := range public {
		c := checker{t: t, named: named, seen: map[types.Type]bool{}}
		for _, name := range tp.Scope().Names() {
			obj := tp.Scope().Lookup(name)
			if !obj.Exported() {
				continue
			}
			c.where = tp.Path()[len(module)+1:] + "." + name
			switch obj := obj.(type) {
			case *types.TypeName:
				if obj.IsAlias() {
					continue
				}
				c.declared(obj.Type())
			default:
				c.walk(obj.Type())
			}
		}
	}
}

type checker struct {
	t     *testing.T
	named map[*types.TypeName]bool
	seen  map[types.Type]bool
	where string
}

// declared walks what a public type shows: its exported fields, its
// interface's methods and its exported methods.
func (c *checker) declared(typ types.Type) {
	n, ok := typ.(*types.Named)
	if !ok {
		return
	}
	c.shape(n.Underlying())
	for m := range n.Methods() {
		if m.Exported() {
			c.walk(m.Type())
		}
	}
}

func (c *checker) shape(u types.Type) {
	switch u := u.(type) {
	case *types.Struct:
		for f := range u.Fields() {
			if f.Exported() {
				c.walk(f.Type())
			}
		}
	case *types.Interface:
		for m := range u.Methods() {
			if m.Exported() {
				c.walk(m.Type())
			}
		}
	default:
		c.walk(u)
	}
}

func (c *checker) walk(typ types.Type) {
	if typ == nil || c.seen[typ] {
		return
	}
	c.seen[typ] = true
	switch typ := typ.(type) {
	case *types.Alias:
		c.walk(types.Unalias(typ))
	case *types.Named:
		obj := typ.Origin().Obj()
		if obj.Pkg() != nil && ours(obj.Pkg().Path()) && internal(obj.Pkg().Path()) && !c.named[obj] {
			c.t.Errorf("%s mentions %s.%s, which no public package names", c.where, rel(obj.Pkg().Path()), obj.Name())
		}
		for a := range typ.TypeArgs().Types() {
			c.walk(a)
		}
		if obj.Pkg() != nil && ours(obj.Pkg().Path()) && !internal(obj.Pkg().Path()) {
			return // a public type is checked where it is declared
		}
		// What an aliased internal type shows must be nameable too.
		c.shape(typ.Underlying())
		for m := range typ.Methods() {
			if m.Exported() {
				c.walk(m.Type())
			}
		}
	case *types.Pointer:
		c.walk(typ.Elem())
	case *types.Slice:
		c.walk(typ.Elem())
	case *types.Array:
		c.walk(typ.Elem())
	case *types.Map:
		c.walk(typ.Key())
		c.walk(typ.Elem())
	case *types.Chan:
		c.walk(typ.Elem())
	case *types.Signature:
		for v := range typ.Params().Variables() {
			c.walk(v.Type())
		}
		for v := range typ.Results().Variables() {
			c.walk(v.Type())
		}
	case *types.Struct, *types.Interface:
		c.shape(typ)
	}
}
