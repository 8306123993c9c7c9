package recordtest

import (
	"context"

	"github.com/linli-go/linli/grids/record"
)

// Stepped is tb with step called before each call, named "<name>.<Method>"
// ("claims.Create"): a call whose step fails returns its error and does
// nothing. Fault tests inject failures at each step with it.
func Stepped[T record.Keyed](tb record.Table[T], name string, step func(op string) error) record.Table[T] {
	return stepped[T]{tb, name, step}
}

type stepped[T record.Keyed] struct {
	tb   record.Table[T]
	name string
	step func(op string) error
}

func (s stepped[T]) Get(ctx context.Context, community, id string) (T, error) {
	if err := s.step(s.name + ".Get"); err != nil {
		var zero T
		return zero, err
	}
	return s.tb.Get(ctx, community, id)
}

func (s stepped[T]) Find(ctx context.Context, f record.Filter) ([]T, int, error) {
	if err := s.step(s.name + ".Find"); err != nil {
		return nil, 0, err
	}
	return s.tb.Find(ctx, f)
}

func (s stepped[T]) Create(ctx context.Context, v T) error {
	if err := s.step(s.name + ".Create"); err != nil {
		return err
	}
	return s.tb.Create(ctx, v)
}

func (s stepped[T]) Update(ctx context.Context, v T) error {
	if err := s.step(s.name + ".Update"); err != nil {
		return err
	}
	return s.tb.Update(ctx, v)
}

func (s stepped[T]) Last(ctx context.Context, community string) (T, error) {
	if err := s.step(s.name + ".Last"); err != nil {
		var zero T
		return zero, err
	}
	return s.tb.Last(ctx, community)
}
