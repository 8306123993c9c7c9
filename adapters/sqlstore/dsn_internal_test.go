package sqlstore

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPostgresDSN(t *testing.T) {
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{DSN: "postgres://u@h/db?sslmode=disable"}, "postgres://u@h/db?sslmode=disable"},
		{Config{DSN: "postgres://u@h/db?sslmode=disable", StatementTimeout: 2 * time.Second}, "postgres://u@h/db?sslmode=disable&statement_timeout=2000"},
		{Config{DSN: "postgres://u@h/db?statement_timeout=5", StatementTimeout: time.Second}, "postgres://u@h/db?statement_timeout=5"},
	} {
		got, err := postgresDSN(c.cfg)
		require.NoError(t, err)
		assert.Equal(t, c.want, got)
	}
}
