package points

import (
	"context"
	"errors"
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/validate"
)

// PolicyInput is an accrual policy. Points amounts take at most two
// decimal places; a zero cap means no cap.
type PolicyInput struct {
	// PointsPerHour is what an hour of service earns.
	PointsPerHour decimal.Decimal `json:"points_per_hour"`
	// Multipliers scale the points of a kind of service (the activity's
	// service tag, e.g. elder_visit: 1.5); 1 for kinds not listed.
	Multipliers map[string]decimal.Decimal `json:"multipliers,omitempty"`
	// LeaderBonus is added once to the organiser's claim for leading an
	// activity.
	LeaderBonus decimal.Decimal `json:"leader_bonus"`
	// MaxMinutesPerDay bounds the service one volunteer claims in a day
	// (12 hours if 0).
	MaxMinutesPerDay int `json:"max_minutes_per_day" validate:"gte=0,lte=1440"`
	// ActivityCap, DailyCap and MonthlyCap bound the points one volunteer
	// earns for one activity, in a day and in a month.
	ActivityCap decimal.Decimal `json:"activity_cap"`
	DailyCap    decimal.Decimal `json:"daily_cap"`
	MonthlyCap  decimal.Decimal `json:"monthly_cap"`
	// StorageCap bounds a passbook's balance: earnings beyond it are cut.
	StorageCap decimal.Decimal `json:"storage_cap"`
	// ExpiryYears: points earned in a year expire at the end of the
	// ExpiryYears-th year after it (0: never).
	ExpiryYears int `json:"expiry_years" validate:"gte=0,lte=50"`
	// GiftCap bounds the points one resident gives to members of their
	// household in a year; 0 turns gifts off.
	GiftCap decimal.Decimal `json:"gift_cap"`
	// ReservationHours is how long reserved goods wait for pickup (72 if 0).
	ReservationHours int `json:"reservation_hours" validate:"gte=0,lte=8760"`
	// Verifiers, when set, are the positions one of which whoever
	// verifies service must hold: worker, committee_chair (the chair of a
	// functional committee) or group_leader (the leader of a group other
	// than the activity's). Empty: a worker or the activity's organiser.
	// Either way the verifier is a second person (ErrSecondPerson).
	Verifiers []Verifier `json:"verifiers,omitempty" validate:"max=3,unique,dive,oneof=worker committee_chair group_leader"`
	// Zone is the time zone of days, months and years (Asia/Shanghai if
	// empty).
	Zone string `json:"zone,omitempty" validate:"omitempty,max=64"`
	Note string `json:"note,omitempty" validate:"omitempty,multiline,max=2000"`
}

// Verifier is a position that may verify service under a policy's
// Verifiers.
type Verifier string

// The positions a policy may require of verifiers.
const (
	VerifierWorker         Verifier = "worker"
	VerifierCommitteeChair Verifier = "committee_chair"
	VerifierGroupLeader    Verifier = "group_leader" // of another group than the activity's
)

// DefaultPolicy is linli's default, not the case's: the case says that
// verified service earns points and that points buy goods and services,
// but gives no rates, caps or expiry. These are a starting point a
// community changes with SetPolicy: one point an hour, more for caring for
// the elderly, a bonus for leading, a year's grace before points expire.
var DefaultPolicy = PolicyInput{
	PointsPerHour: decimal.NewFromInt(1),
	Multipliers: map[string]decimal.Decimal{
		"elder_visit": decimal.RequireFromString("1.5"),
		"elder_care":  decimal.RequireFromString("1.5"),
	},
	LeaderBonus:      decimal.NewFromInt(1),
	MaxMinutesPerDay: 12 * 60,
	MonthlyCap:       decimal.NewFromInt(200),
	ExpiryYears:      1,
	GiftCap:          decimal.NewFromInt(50),
	ReservationHours: 72,
	Zone:             "Asia/Shanghai",
}

// Validate checks every field.
func (p PolicyInput) Validate() error {
	if err := validate.Struct(p); err != nil {
		return err
	}
	var fields []errs.FieldError
	check := func(field string, d decimal.Decimal, positive bool) {
		u, err := units(field, d)
		switch {
		case err != nil:
			fields = append(fields, errs.FieldsOf(err)...)
		case u < 0 || positive && u == 0:
			fields = append(fields, errs.FieldError{Field: field, Message: map[bool]string{true: "must be positive", false: "must not be negative"}[positive]})
		}
	}
	check("points_per_hour", p.PointsPerHour, true)
	for _, f := range []struct {
		name string
		d    decimal.Decimal
	}{{"leader_bonus", p.LeaderBonus}, {"activity_cap", p.ActivityCap}, {"daily_cap", p.DailyCap}, {"monthly_cap", p.MonthlyCap},
		{"storage_cap", p.StorageCap}, {"gift_cap", p.GiftCap}} {
		check(f.name, f.d, false)
	}
	if len(p.Multipliers) > 100 {
		fields = append(fields, errs.FieldError{Field: "multipliers", Message: "at most 100 kinds of service"})
	}
	keys := make([]string, 0, len(p.Multipliers))
	for k := range p.Multipliers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		m, field := p.Multipliers[k], "multipliers."+k
		switch {
		case !validate.Tag(k):
			fields = append(fields, errs.FieldError{Field: field, Message: "a kind of service is a tag: lower-case letters, digits, '_' or '-'"})
		case m.Exponent() < -4 && !m.Equal(m.Round(4)):
			fields = append(fields, errs.FieldError{Field: field, Message: "has more than 4 decimal places"})
		case !m.IsPositive() || m.GreaterThan(decimal.NewFromInt(100)):
			fields = append(fields, errs.FieldError{Field: field, Message: "must be above 0 and at most 100"})
		}
	}
	if p.Zone != "" {
		if _, err := time.LoadLocation(p.Zone); err != nil {
			fields = append(fields, errs.FieldError{Field: "zone", Message: "is not an IANA time zone"})
		}
	}
	if len(fields) > 0 {
		return errs.Fields(fields...)
	}
	return nil
}

// normalized writes the decimals as they read back from storage.
func (p PolicyInput) normalized() PolicyInput {
	p.PointsPerHour, p.LeaderBonus, p.ActivityCap, p.DailyCap = norm(p.PointsPerHour), norm(p.LeaderBonus), norm(p.ActivityCap), norm(p.DailyCap)
	p.MonthlyCap, p.StorageCap, p.GiftCap = norm(p.MonthlyCap), norm(p.StorageCap), norm(p.GiftCap)
	if len(p.Multipliers) > 0 {
		m := make(map[string]decimal.Decimal, len(p.Multipliers))
		for k, v := range p.Multipliers {
			m[k] = norm(v)
		}
		p.Multipliers = m
	} else {
		p.Multipliers = nil
	}
	return p
}

// location is the policy's time zone.
func (p PolicyInput) location() *time.Location {
	name := p.Zone
	if name == "" {
		name = "Asia/Shanghai"
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}

func (p PolicyInput) maxMinutesPerDay() int {
	if p.MaxMinutesPerDay == 0 {
		return 12 * 60
	}
	return p.MaxMinutesPerDay
}

func (p PolicyInput) reservation() time.Duration {
	if p.ReservationHours == 0 {
		return 72 * time.Hour
	}
	return time.Duration(p.ReservationHours) * time.Hour
}

// Earn is what minutes of a kind of service earn before caps, rounded
// half-up to the hundredth of a point.
func (p PolicyInput) Earn(service string, minutes int, leading bool) decimal.Decimal {
	m, ok := p.Multipliers[service]
	if !ok {
		m = decimal.NewFromInt(1)
	}
	d := p.PointsPerHour.Mul(decimal.NewFromInt(int64(minutes))).Mul(m).Div(decimal.NewFromInt(60))
	if leading {
		d = d.Add(p.LeaderBonus)
	}
	return norm(d.Round(scale))
}

// SetPolicy makes in the community's next policy version; workers set
// policy.
func (s *Service) SetPolicy(ctx context.Context, communityID string, in PolicyInput) (Policy, error) {
	p, err := s.gate.Administrator(ctx, communityID)
	if err != nil {
		return Policy{}, err
	}
	if err := in.Validate(); err != nil {
		return Policy{}, err
	}
	in = in.normalized()
	var out Policy
	err = s.update(ctx, func(tx Tx) error {
		v := 1
		if last, err := tx.Policies().Last(ctx, communityID); err == nil {
			v = last.Version + 1
		} else if !errors.Is(err, errs.NotFound) {
			return err
		}
		out = Policy{CommunityID: communityID, Version: v, PolicyInput: in, CreatedBy: p.ID, CreatedAt: s.clock()}
		return tx.Policies().Create(ctx, out)
	})
	return out, err
}

// Policy returns a version of the community's policy, the latest for 0.
func (s *Service) Policy(ctx context.Context, communityID string, version int) (Policy, error) {
	if _, err := s.gate.Member(ctx, communityID); err != nil {
		return Policy{}, err
	}
	if version < 0 {
		return Policy{}, errs.Field("version", "must not be negative")
	}
	var out Policy
	err := s.view(ctx, func(tx Tx) error {
		var err error
		out, err = policyAt(ctx, tx, communityID, version)
		return err
	})
	return out, err
}

// policyAt reads a version of the policy, the latest for 0.
func policyAt(ctx context.Context, tx Tx, community string, version int) (Policy, error) {
	if version > 0 {
		return tx.Policies().Get(ctx, community, policyID(version))
	}
	return tx.Policies().Last(ctx, community)
}

// current loads the latest policy, which every earning needs.
func current(ctx context.Context, tx Tx, community string) (Policy, error) {
	p, err := tx.Policies().Last(ctx, community)
	if errors.Is(err, errs.NotFound) {
		return p, ErrNoPolicy.Refusal()
	}
	return p, err
}

// day is the date of t in the policy's zone; yearStart the start of a year there.
func (p PolicyInput) day(t time.Time) string { return t.In(p.location()).Format("2006-01-02") }
func (p PolicyInput) yearStart(y int) time.Time {
	return time.Date(y, 1, 1, 0, 0, 0, 0, p.location()).UTC()
}

// WithoutMultipliers is the policy with every kind of service paid alike.
func (p PolicyInput) WithoutMultipliers() PolicyInput {
	p.Multipliers = nil
	return p
}
