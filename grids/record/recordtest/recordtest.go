// Package recordtest checks a store's record tables against the contract
// of package record, as fstest does for file systems: pointstest and
// fundstest run it over every kind of record, and a store written outside
// linli gets the same checks through them.
package recordtest

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/record"
	"github.com/linli-go/linli/internal/ids"
)

// Env is the store under test: its transactions and two communities, the
// one the records belong to and another.
type Env[Tx any] struct {
	View, Update     func(ctx context.Context, fn func(Tx) error) error
	Community, Other string
}

// Kind is one kind of record in the store's transactions.
type Kind[Tx any, T record.Keyed] struct {
	Name  string
	Table func(Tx) record.Table[T]
	// Change is what an update changes, keys included; nil for a record
	// its domain never changes (its updates are not checked).
	Change func(T) T
}

// Check checks a kind of record: round trips, taken IDs, rollback,
// isolation between communities, every filter, the order, the pages, the
// totals, updates, and Last. a comes before b, both in Env.Community, and
// their keys differ in every field.
func Check[Tx any, T record.Keyed](t *testing.T, env Env[Tx], k Kind[Tx, T], a, b T) {
	t.Run(k.Name, func(t *testing.T) {
		ctx := context.Background()
		create := func(v T) error { return env.Update(ctx, func(tx Tx) error { return k.Table(tx).Create(ctx, v) }) }
		require.NoError(t, create(b))
		require.NoError(t, create(a))
		assert.ErrorIs(t, create(a), grids.Conflict, "an ID is taken once")

		// A failed transaction leaves nothing behind.
		rollback := errors.New("roll back")
		err := env.Update(ctx, func(tx Tx) error {
			if k.Change != nil {
				require.NoError(t, k.Table(tx).Update(ctx, k.Change(a)))
			}
			return rollback
		})
		require.ErrorIs(t, err, rollback)

		ka, kb := a.Keys(), b.Keys()
		require.NoError(t, env.View(ctx, func(tx Tx) error {
			tb := k.Table(tx)
			got, err := tb.Get(ctx, env.Community, ka.ID)
			require.NoError(t, err)
			Same(t, a, got, "a record reads back as written")
			_, err = tb.Get(ctx, env.Community, ids.New())
			assert.ErrorIs(t, err, grids.NotFound)

			find := func(fl record.Filter) ([]string, int) {
				fl.CommunityID = env.Community
				vs, n, err := tb.Find(ctx, fl)
				require.NoError(t, err)
				out := []string{}
				for _, v := range vs {
					out = append(out, v.Keys().ID)
				}
				return out, n
			}
			got2, n := find(record.Filter{})
			assert.Equal(t, []string{ka.ID, kb.ID}, got2, "finds order by time")
			assert.Equal(t, 2, n)
			got2, n = find(record.Filter{Page: grids.Page{Offset: 1, Limit: 1}})
			assert.Equal(t, []string{kb.ID}, got2)
			assert.Equal(t, 2, n, "the total ignores the page")
			got2, _ = find(record.Filter{From: &kb.At})
			assert.Equal(t, []string{kb.ID}, got2, "from is inclusive")
			got2, _ = find(record.Filter{To: &kb.At})
			assert.Equal(t, []string{ka.ID}, got2, "to is exclusive")
			for _, fl := range []record.Filter{{ResidentID: ka.ResidentID}, {RefID: ka.RefID}, {Status: ka.Status}} {
				if fl == (record.Filter{}) {
					continue
				}
				got2, n = find(fl)
				assert.Equal(t, []string{ka.ID}, got2, "filter %+v", fl)
				assert.Equal(t, 1, n)
			}
			got2, n = find(record.Filter{Page: grids.Page{After: ka.ID}})
			assert.Equal(t, []string{kb.ID}, got2, "after a record: the ones that follow it")
			assert.Equal(t, 2, n, "the total is of the whole filter")
			got2, _ = find(record.Filter{Page: grids.Page{After: kb.ID}})
			assert.Empty(t, got2)
			got2, _ = find(record.Filter{Status: kb.Status, Page: grids.Page{After: ka.ID}})
			assert.Equal(t, []string{kb.ID}, got2, "a record the filter leaves out still marks the place")
			_, n = find(record.Filter{Page: grids.Page{NoTotal: true}})
			assert.Equal(t, -1, n, "no total unless asked")
			_, _, err = tb.Find(ctx, record.Filter{CommunityID: env.Community, Page: grids.Page{After: ids.New()}})
			assert.ErrorIs(t, err, grids.Invalid, "after names no record")

			last, err := tb.Last(ctx, env.Community)
			require.NoError(t, err)
			assert.Equal(t, max(ka.ID, kb.ID), last.Keys().ID, "the last is the greatest ID")
			return nil
		}))
		// Another community sees none of them (in a transaction of its own:
		// one never spans communities, so that a store may place each
		// community on a database of its own).
		require.NoError(t, env.View(ctx, func(tx Tx) error {
			tb := k.Table(tx)
			_, err := tb.Get(ctx, env.Other, ka.ID)
			assert.ErrorIs(t, err, grids.NotFound, "records belong to one community")
			_, _, err = tb.Find(ctx, record.Filter{CommunityID: env.Other, Page: grids.Page{After: ka.ID}})
			assert.ErrorIs(t, err, grids.Invalid, "after names another community's record")
			vs, n, err := tb.Find(ctx, record.Filter{CommunityID: env.Other})
			require.NoError(t, err)
			assert.Empty(t, vs)
			assert.Zero(t, n)
			_, err = tb.Last(ctx, env.Other)
			assert.ErrorIs(t, err, grids.NotFound)
			return nil
		}))

		if k.Change == nil {
			return
		}
		changed := k.Change(a)
		require.NoError(t, env.Update(ctx, func(tx Tx) error { return k.Table(tx).Update(ctx, changed) }))
		if missing, ok := withID(b, ids.New()); ok {
			require.NoError(t, env.Update(ctx, func(tx Tx) error {
				assert.ErrorIs(t, k.Table(tx).Update(ctx, missing), grids.NotFound, "an update needs the record")
				return nil
			}))
		}
		require.NoError(t, env.View(ctx, func(tx Tx) error {
			got, err := k.Table(tx).Get(ctx, env.Community, ka.ID)
			require.NoError(t, err)
			Same(t, changed, got, "an update replaces the record")
			kc := changed.Keys()
			vs, _, err := k.Table(tx).Find(ctx, record.Filter{CommunityID: kc.CommunityID, Status: kc.Status, ResidentID: kc.ResidentID, RefID: kc.RefID})
			require.NoError(t, err)
			found := false
			for _, v := range vs {
				found = found || v.Keys().ID == kc.ID
			}
			assert.True(t, found, "finds see the changed keys")
			return nil
		}))
	})
}

// Same asserts two records are equal as their JSON, which is how the API
// shows them: 1.50 and 1.5 points are the same.
func Same(t testing.TB, want, got any, msg string) {
	t.Helper()
	w, err := json.Marshal(want)
	require.NoError(t, err)
	g, err := json.Marshal(got)
	require.NoError(t, err)
	assert.JSONEq(t, string(w), string(g), msg)
}

// withID is v with its ID field set to id, if it has one.
func withID[T any](v T, id string) (T, bool) {
	r := reflect.ValueOf(&v).Elem()
	if r.Kind() != reflect.Struct {
		return v, false
	}
	f := r.FieldByName("ID")
	if !f.IsValid() || f.Kind() != reflect.String || !f.CanSet() {
		return v, false
	}
	f.SetString(id)
	return v, true
}

// CheckVersion checks record.Versioned's contract for community, whose
// records write and fail change: a View (read) leaves its version, an
// Update that writes (write) advances it, one that writes and then fails
// (fail, which must return its error) leaves it, and a community never
// written is at 0.
func CheckVersion(t *testing.T, v record.Versioned, community string, read, write, fail func(context.Context) error) {
	t.Helper()
	ctx := context.Background()
	version := func() int64 {
		t.Helper()
		n, err := v.Version(ctx, community)
		require.NoError(t, err)
		return n
	}
	unknown, err := v.Version(ctx, ids.New())
	require.NoError(t, err, "a community never written")
	assert.Zero(t, unknown, "a community never written is at 0")
	require.NoError(t, write(ctx))
	v0 := version()
	require.NoError(t, read(ctx))
	assert.Equal(t, v0, version(), "a View leaves the version")
	require.NoError(t, write(ctx))
	v1 := version()
	assert.Greater(t, v1, v0, "an Update that wrote advances the version")
	require.Error(t, fail(ctx), "fail fails")
	assert.Equal(t, v1, version(), "an Update rolled back leaves the version")
	require.NoError(t, write(ctx))
	assert.Greater(t, version(), v1, "and the next write advances it")
}
