package governance

import (
	"time"

	"github.com/linli-go/linli/internal/errs"
)

// Occurrences lists the times of a body's regular meetings in [from, to):
// the rule's day of every month at its time, in its zone, moved to the
// next (or previous) day that is not a day off. The calendar's days
// (dates as 2006-01-02) are holidays, which are days off, and make-up
// working days, which are not, though they fall on a weekend; other
// Saturdays and Sundays are days off unless the body meets on weekends.
func Occurrences(r Recurrence, calendar []Holiday, from, to time.Time) ([]time.Time, error) {
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
	days := make(map[string]Holiday, len(calendar))
	for _, h := range calendar {
		days[h.Date] = h
	}
	off := func(d time.Time) bool {
		if h, ok := days[d.Format(time.DateOnly)]; ok {
			return !h.Workday
		}
		return !r.Weekends && (d.Weekday() == time.Saturday || d.Weekday() == time.Sunday)
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
