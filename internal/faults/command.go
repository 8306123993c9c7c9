package faults

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// Command is a command that moves points, stock or money, as the
// conformance suites' fault tests run it.
type Command struct {
	Name string
	// Per is how many effects one instance has (1 if 0).
	Per int
	// Setup, if not nil, runs once before the first instance.
	Setup func(t *testing.T)
	// Prepare readies one instance (without faults) and returns it with
	// its input fixed, IDs included, so that running it again is a retry
	// of the same command. Each run builds its services afresh over a
	// store whose steps the plan faults (nil: none), as a process that
	// starts would.
	Prepare func(t *testing.T) func(ctx context.Context, p *Plan) error
	// Effects counts what the instances did so far.
	Effects func(t *testing.T) int
}

// Test injects a fault of each kind at each step of the command in turn,
// one an instance, until an instance ends before its step: after each
// fault audit must pass (it fails the test on any disagreement between
// records and ledger), the same instance run again must succeed, and
// the instance must have had exactly one effect.
func Test(t *testing.T, cmd Command, audit func()) {
	t.Helper()
	if cmd.Setup != nil {
		cmd.Setup(t)
	}
	per := max(cmd.Per, 1)
	want := cmd.Effects(t)
	for _, kind := range Kinds {
		for step := 1; ; step++ {
			require.Less(t, step, 200, "%s: a command of 200 steps?", cmd.Name)
			run := cmd.Prepare(t)
			ctx, cancel := context.WithCancel(context.Background())
			plan := At(kind, step, cancel)
			err := Run(func() error { return run(ctx, plan) })
			cancel()
			want += per
			hit := plan.Hit()
			if hit == "" { // the instance ended before the step
				require.NoError(t, err, "%s with no fault", cmd.Name)
				require.Equal(t, want, cmd.Effects(t), "%s with no fault", cmd.Name)
				require.Greater(t, step, 1, "%s: no %s was injected", cmd.Name, kind)
				t.Logf("%s: %s injected at each of its %d steps", cmd.Name, kind, step-1)
				break
			}
			what := fmt.Sprintf("%s after a %s at %s", cmd.Name, kind, hit)
			audit()
			require.NoError(t, run(context.Background(), nil), "%s: the retry", what)
			require.Equal(t, want, cmd.Effects(t), "%s: exactly one effect", what)
		}
	}
	audit()
}
