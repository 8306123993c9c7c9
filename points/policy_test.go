package points_test

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/points"
)

func TestPolicyValidate(t *testing.T) {
	d := decimal.RequireFromString
	for _, tc := range []struct {
		name  string
		edit  func(*points.PolicyInput)
		field string // "" for valid
	}{
		{"default", func(*points.PolicyInput) {}, ""},
		{"zero rate", func(p *points.PolicyInput) { p.PointsPerHour = decimal.Zero }, "points_per_hour"},
		{"three places", func(p *points.PolicyInput) { p.PointsPerHour = d("1.005") }, "points_per_hour"},
		{"trailing zeros are fine", func(p *points.PolicyInput) { p.PointsPerHour = d("1.500") }, ""},
		{"negative cap", func(p *points.PolicyInput) { p.MonthlyCap = d("-1") }, "monthly_cap"},
		{"huge cap", func(p *points.PolicyInput) { p.StorageCap = d("1e30") }, "storage_cap"},
		{"bad service tag", func(p *points.PolicyInput) { p.Multipliers = map[string]decimal.Decimal{"Elder Visit": d("2")} }, "multipliers.Elder Visit"},
		{"zero multiplier", func(p *points.PolicyInput) { p.Multipliers = map[string]decimal.Decimal{"patrol": decimal.Zero} }, "multipliers.patrol"},
		{"five places", func(p *points.PolicyInput) { p.Multipliers = map[string]decimal.Decimal{"patrol": d("1.00001")} }, "multipliers.patrol"},
		{"unknown zone", func(p *points.PolicyInput) { p.Zone = "Mars/Olympus" }, "zone"},
		{"a day has 1440 minutes", func(p *points.PolicyInput) { p.MaxMinutesPerDay = 1441 }, "max_minutes_per_day"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := points.DefaultPolicy
			tc.edit(&p)
			err := p.Validate()
			if tc.field == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, grids.Invalid)
			var e *grids.Error
			if assert.ErrorAs(t, err, &e) && assert.NotEmpty(t, e.Fields) {
				assert.Equal(t, tc.field, e.Fields[0].Field)
			}
		})
	}
}

func TestEarn(t *testing.T) {
	p := points.DefaultPolicy
	for _, tc := range []struct {
		service string
		minutes int
		leading bool
		want    string
	}{
		{"cleaning", 60, false, "1"},
		{"cleaning", 90, false, "1.5"},
		{"cleaning", 1, false, "0.02"}, // 0.01666… rounds half-up to the hundredth
		{"elder_visit", 120, false, "3"},
		{"elder_visit", 50, true, "2.25"}, // 1.25 and the bonus
		{"patrol", 0, true, "1"},
	} {
		got := p.Earn(tc.service, tc.minutes, tc.leading)
		assert.Equal(t, tc.want, got.String(), "%s %d min leading=%v", tc.service, tc.minutes, tc.leading)
	}
}
