package embedder

import (
	"context"

	"github.com/linli-go/linli/grids/record"
)

// table passes one kind of record's calls to the store underneath.
type table[T record.Keyed] struct {
	inner record.Table[T]
}

func (t table[T]) Get(ctx context.Context, community, id string) (T, error) {
	return t.inner.Get(ctx, community, id)
}

func (t table[T]) Find(ctx context.Context, f record.Filter) ([]T, int, error) {
	return t.inner.Find(ctx, f)
}

func (t table[T]) Create(ctx context.Context, v T) error {
	return t.inner.Create(ctx, v)
}

func (t table[T]) Update(ctx context.Context, v T) error {
	return t.inner.Update(ctx, v)
}

func (t table[T]) Last(ctx context.Context, community string) (T, error) {
	return t.inner.Last(ctx, community)
}

var _ record.Table[record.Keyed] = table[record.Keyed]{}
