package sqlstore_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/adapters/sqlstore"
	"github.com/linli-go/linli/adapters/sqlstore/sqltest"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
)

// TestExportImport moves a community SQLite → PostgreSQL → SQLite: each
// copy exports the same rows, reads the same, and an import is all or
// nothing and never over a community that exists.
func TestExportImport(t *testing.T) {
	ctx := grids.WithPrincipal(context.Background(), grids.Admin("test"))
	src, err := sqlstore.Open(ctx, sqlstore.Config{DSN: filepath.Join(t.TempDir(), "src.db")})
	require.NoError(t, err)
	defer src.Close()
	reg := grids.NewRegistry(src.Grids(), grids.Options{})
	c, err := reg.CreateCommunity(ctx, grids.CommunityInput{Name: "水秀社区"})
	require.NoError(t, err)
	b, err := reg.CreateBuilding(ctx, c.ID, grids.BuildingInput{Name: "12栋", Location: &grids.Location{Lat: 31.5, Lng: 120.3}})
	require.NoError(t, err)
	h, err := reg.CreateHousehold(ctx, c.ID, grids.HouseholdInput{BuildingID: b.ID, Unit: "2-301", Size: 2})
	require.NoError(t, err)
	_, err = reg.CreateResident(ctx, c.ID, grids.ResidentInput{HouseholdID: h.ID, Name: "赵兰英", Sex: grids.Female, BirthYear: 1941})
	require.NoError(t, err)
	bodies, err := governance.NewService(src.Governance(), src.Grids(), governance.Options{}).Setup(ctx, c.ID)
	require.NoError(t, err)
	other, err := reg.CreateCommunity(ctx, grids.CommunityInput{Name: "稻香社区"})
	require.NoError(t, err)
	_, err = reg.CreateBuilding(ctx, other.ID, grids.BuildingInput{Name: "别人的楼"})
	require.NoError(t, err)

	var first bytes.Buffer
	moved, err := src.Export(ctx, c.ID, &first)
	require.NoError(t, err)
	assert.Greater(t, moved.Rows, 10)

	pg := sqltest.Postgres(t)
	got, err := pg.Import(ctx, bytes.NewReader(first.Bytes()))
	require.NoError(t, err)
	assert.Equal(t, moved.Rows, got.Rows)
	_, err = pg.Import(ctx, bytes.NewReader(first.Bytes()))
	assert.ErrorIs(t, err, grids.Conflict, "never over a community that exists")

	var second bytes.Buffer
	again, err := pg.Export(ctx, c.ID, &second)
	require.NoError(t, err)
	assert.Equal(t, moved.Rows, again.Rows)

	back, err := sqlstore.Open(ctx, sqlstore.Config{DSN: filepath.Join(t.TempDir(), "back.db")})
	require.NoError(t, err)
	defer back.Close()
	_, err = back.Import(ctx, bytes.NewReader(second.Bytes()))
	require.NoError(t, err)
	for _, db := range []*sqlstore.DB{pg, back} {
		r := grids.NewRegistry(db.Grids(), grids.Options{})
		com, err := r.Community(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, c, com)
		bs, _, err := r.FindBuildings(ctx, grids.BuildingFilter{CommunityID: c.ID})
		require.NoError(t, err)
		require.Len(t, bs, 1, "its buildings, not another community's")
		assert.Equal(t, b, bs[0])
		gb, _, err := governance.NewService(db.Governance(), db.Grids(), governance.Options{}).FindBodies(ctx, governance.BodyFilter{CommunityID: c.ID, Page: grids.Page{Limit: 100}})
		require.NoError(t, err)
		assert.Len(t, gb, len(bodies))
	}

	// A file cut off, or not an export, imports nothing.
	fresh, err := sqlstore.Open(ctx, sqlstore.Config{DSN: filepath.Join(t.TempDir(), "fresh.db")})
	require.NoError(t, err)
	defer fresh.Close()
	_, err = fresh.Import(ctx, bytes.NewReader(first.Bytes()[:first.Len()/2]))
	require.Error(t, err)
	_, err = fresh.Import(ctx, bytes.NewReader([]byte("hello")))
	assert.ErrorIs(t, err, grids.Invalid)
	_, err = grids.NewRegistry(fresh.Grids(), grids.Options{}).Community(ctx, c.ID)
	assert.ErrorIs(t, err, grids.NotFound, "nothing of a failed import stays")
	_, err = src.Export(ctx, "01KKBFJYM0EC24754VPBD7F9W2", &bytes.Buffer{})
	assert.ErrorIs(t, err, grids.NotFound)
}
