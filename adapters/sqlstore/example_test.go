package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/linli-go/linli/adapters/sqlstore"
	"github.com/linli-go/linli/grids"
)

// Open an SQLite file (created and migrated if new); a postgres:// URL
// opens PostgreSQL the same way.
func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "linli")
	defer os.RemoveAll(dir)

	ctx := context.Background()
	db, err := sqlstore.Open(ctx, sqlstore.Config{DSN: filepath.Join(dir, "linli.db")})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()

	reg := grids.NewRegistry(db.Grids(), grids.Options{})
	com, err := reg.CreateCommunity(grids.WithPrincipal(ctx, grids.Admin("setup")), grids.CommunityInput{Name: "水秀社区"})
	fmt.Println(db.Dialect(), com.Name, err)
	// Output: sqlite 水秀社区 <nil>
}
