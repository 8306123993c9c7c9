package governance_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
)

func TestOccurrences(t *testing.T) {
	tenth := governance.Recurrence{Day: 10, Time: "19:00", Shift: "next", Zone: "Asia/Shanghai"}
	cst := time.FixedZone("CST", 8*3600)
	from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, cst), time.Date(2026, 7, 1, 0, 0, 0, 0, cst)
	got, err := governance.Occurrences(tenth, []governance.Holiday{{Date: "2026-02-10", Name: "春节"}, {Date: "2026-02-11", Name: "春节"}}, from, to)
	require.NoError(t, err)
	var days []string
	for _, d := range got {
		days = append(days, d.In(cst).Format("2006-01-02 15:04 Mon"))
	}
	assert.Equal(t, []string{
		"2026-01-12 19:00 Mon", // the 10th is a Saturday
		"2026-02-12 19:00 Thu", // the 10th and 11th are holidays (春节 in this calendar)
		"2026-03-10 19:00 Tue",
		"2026-04-10 19:00 Fri",
		"2026-05-11 19:00 Mon", // Sunday the 10th
		"2026-06-10 19:00 Wed",
	}, days)

	prev := tenth
	prev.Shift = "previous"
	got, err = governance.Occurrences(prev, nil, from, time.Date(2026, 2, 1, 0, 0, 0, 0, cst))
	require.NoError(t, err)
	assert.Equal(t, "2026-01-09", got[0].In(cst).Format(time.DateOnly), "Friday before")

	none := tenth
	none.Shift = "none"
	got, err = governance.Occurrences(none, nil, from, time.Date(2026, 2, 1, 0, 0, 0, 0, cst))
	require.NoError(t, err)
	assert.Equal(t, "2026-01-10", got[0].In(cst).Format(time.DateOnly))

	// 2026-01-10 is a Saturday. Made an official working day (调休补班), it
	// counts as one; a body that meets on weekends keeps it anyway, and
	// moves only off holidays.
	got, err = governance.Occurrences(tenth, []governance.Holiday{{Date: "2026-01-10", Name: "元旦调休上班", Workday: true}}, from, time.Date(2026, 2, 1, 0, 0, 0, 0, cst))
	require.NoError(t, err)
	assert.Equal(t, "2026-01-10 Sat", got[0].In(cst).Format("2006-01-02 Mon"), "a make-up working day is a working day")
	weekends := tenth
	weekends.Weekends = true
	got, err = governance.Occurrences(weekends, []governance.Holiday{{Date: "2026-05-10", Name: "假日"}}, from, to)
	require.NoError(t, err)
	days = nil
	for _, d := range got {
		days = append(days, d.In(cst).Format("01-02 Mon"))
	}
	assert.Equal(t, []string{"01-10 Sat", "02-10 Tue", "03-10 Tue", "04-10 Fri", "05-11 Mon", "06-10 Wed"}, days, "weekends kept; the holiday on Sunday 10 May moves it to Monday")

	_, err = governance.Occurrences(governance.Recurrence{Day: 10, Time: "19:00", Zone: "Mars/Olympus"}, nil, from, to)
	assert.ErrorIs(t, err, grids.Invalid)
	_, err = governance.Occurrences(tenth, nil, to, from)
	assert.ErrorIs(t, err, grids.Invalid)
}
