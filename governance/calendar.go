package governance

import (
	"time"

	"github.com/linli-go/linli/internal/errs"
)

// Occurrences lists the times of a body's regular meetings in [from, to):
// the rule's day of every month at its time, in its zone, moved to the
// next (or previous) working day when it falls on a weekend or one of the
// holidays (dates as 2006-01-02).
func Occurrences(r Recurrence, holidays map[string]bool, from, to time.Time) ([]time.Time, error) {
	loc, err := time.LoadLocation(r.Zone)
	if err != nil {
		return nil, errs.Field("meets.zone", "is not a time zone (e.g. Asia/Shanghai)")
	}
	clock, err := time.Parse("15:04", r.Time)
	if err != nil {
		return nil, errs.Field("meets.time", "must be hh:mm")
	}
	if !to.After(from) {
		return nil, errs.Field("through", "must come after the start")
	}
	if to.Sub(from) > 10*366*24*time.Hour {
		return nil, errs.Field("through", "schedules at most ten years at once")
	}
	off := func(d time.Time) bool {
		return d.Weekday() == time.Saturday || d.Weekday() == time.Sunday || holidays[d.Format(time.DateOnly)]
	}
	var out []time.Time
	f := from.In(loc)
	for y, m := f.Year(), f.Month()-1; ; m++ { // from the month before: a shift may move into range
		d := time.Date(y, m, r.Day, clock.Hour(), clock.Minute(), 0, 0, loc)
		if d.After(to.Add(40 * 24 * time.Hour)) {
			break
		}
		for step := 0; off(d) && r.Shift != "none" && step < 31; step++ {
			if r.Shift == "previous" {
				d = d.AddDate(0, 0, -1)
			} else {
				d = d.AddDate(0, 0, 1)
			}
		}
		if !d.Before(from) && d.Before(to) {
			out = append(out, d.UTC())
		}
	}
	return out, nil
}
