// Package outcome computes the case's outcome table — the figures the
// Shuixiu programme judged itself by — for any community and period, from
// the records of every package: meetings by kind, hearings, markets,
// activities, groups formed, new volunteers, service hours, kinds of
// service, partner enterprises, donated items, points issued and
// redeemed, money granted and spent.
package outcome

import (
	"context"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/keep"
)

// Months is the length of the period an outcome table reports by
// default: the case's programme, whose 26 monthly council meetings its
// outcome table counts.
const Months = 26

// Period is the period the outcome table reports at now: the Months whole
// months before now's month, months as the community counts them (in
// loc). Every figure shown of "the programme" is over this one period, so
// the front page, the API's default and the bulletin agree.
func Period(now time.Time, loc *time.Location) (from, to time.Time) {
	now = now.In(loc)
	to = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc)
	return to.AddDate(0, -Months, 0), to
}

// Services are where the figures come from. Points and Funds are a
// *points.Service and a *funds.Service: outcome names only the figures it
// reads of them, because points and funds are built on governance and
// governance never imports them.
type Services struct {
	Governance *governance.Service
	Points     PointsSource
	Funds      FundsSource
}

// PointsSource gives the volunteer bank's and the warehouse's lines of the
// table (points.Service does).
type PointsSource interface {
	OutcomeFigures(ctx context.Context, communityID string, from, to time.Time) (PointsFigures, error)
}

// PointsFigures are the bank's and the warehouse's lines for a period.
type PointsFigures struct {
	Markets        int             // exchange markets held
	Enterprises    int             // enterprises that gave to the warehouse
	DonatedItems   int64           // items given to the warehouse
	PointsIssued   decimal.Decimal // for verified service
	PointsRedeemed decimal.Decimal // exchanged for goods and services
}

// FundsSource gives the funds' lines of the table (funds.Service does).
type FundsSource interface {
	OutcomeFigures(ctx context.Context, communityID string, from, to time.Time) (FundsFigures, error)
}

// FundsFigures are the funds' lines for a period.
type FundsFigures struct {
	Projects      int             // awarded
	Granted       decimal.Decimal // to those projects
	Spent         decimal.Decimal // net of refunds and corrections
	Contributions decimal.Decimal // the alliance's, into the welfare fund
}

// MeetingCount is how many meetings of a kind were held.
type MeetingCount struct {
	Kind governance.MeetingKind `json:"kind"`
	Held int                    `json:"held"`
}

// Table is the outcome table of one community.
type Table struct {
	CommunityID string    `json:"community_id"`
	From        time.Time `json:"from"`
	To          time.Time `json:"to"`
	Lines
}

// Lines are the outcome table's figures.
type Lines struct {
	CouncilMeetings int             `json:"council_meetings"` // the council's regular meetings held
	Meetings        []MeetingCount  `json:"meetings"`         // every meeting held, by kind
	Hearings        int             `json:"hearings"`
	Markets         int             `json:"markets"`
	Activities      int             `json:"activities"`
	GroupsFormed    int             `json:"groups_formed"`
	Volunteers      int             `json:"volunteers"`
	NewVolunteers   int             `json:"new_volunteers"`
	ServiceHours    decimal.Decimal `json:"service_hours"`
	KindsOfService  int             `json:"kinds_of_service"`
	Enterprises     int             `json:"partner_enterprises"` // enterprises that gave to the warehouse
	DonatedItems    int64           `json:"donated_items"`
	PointsIssued    decimal.Decimal `json:"points_issued"`
	PointsRedeemed  decimal.Decimal `json:"points_redeemed"`
	Projects        int             `json:"projects"`
	MoneyGranted    decimal.Decimal `json:"money_granted"`
	MoneySpent      decimal.Decimal `json:"money_spent"`
	Contributions   decimal.Decimal `json:"contributions"` // the alliance's, into the welfare fund
}

// noLines are Lines of nothing: zero, the lists empty rather than null.
func noLines() Lines {
	return Lines{Meetings: []MeetingCount{}, ServiceHours: decimal.Zero, PointsIssued: decimal.Zero, PointsRedeemed: decimal.Zero,
		MoneyGranted: decimal.Zero, MoneySpent: decimal.Zero, Contributions: decimal.Zero}
}

// meetingKinds are the kinds of meeting the table counts, in its order.
var meetingKinds = []governance.MeetingKind{governance.RegularMeeting, governance.SpecialMeeting, governance.Assembly,
	governance.Hearing, governance.Consultation, governance.OpenSpace}

// Evaluate computes the table for [from, to). Any member of the community
// may read it; a service left unset contributes nothing.
func Evaluate(ctx context.Context, s Services, communityID string, from, to time.Time) (Table, error) {
	if from.IsZero() || !to.After(from) {
		return Table{}, errs.Field("to", "a period runs from a start to a later end")
	}
	t := Table{CommunityID: communityID, From: from, To: to, Lines: noLines()}
	if g := s.Governance; g != nil {
		ev, err := g.Evaluate(ctx, communityID, from, to)
		if err != nil {
			return t, err
		}
		t.Activities, t.GroupsFormed = ev.Figures.Activities, ev.GroupsFormed
		t.Volunteers, t.NewVolunteers = ev.Figures.Volunteers, ev.Figures.NewVolunteers
		t.ServiceHours, t.KindsOfService = ev.Figures.ServiceHours, len(ev.Figures.Services)
		councils, _, err := g.FindBodies(ctx, governance.BodyFilter{CommunityID: communityID, Kind: governance.Council, Page: grids.Page{Limit: 1}})
		if err != nil {
			return t, err
		}
		for _, k := range meetingKinds {
			_, n, err := g.FindMeetings(ctx, governance.MeetingFilter{CommunityID: communityID, Kind: k, Status: governance.MeetingAdjourned, From: &from, To: &to, Page: grids.Page{Limit: 1}})
			if err != nil {
				return t, err
			}
			if n > 0 {
				t.Meetings = append(t.Meetings, MeetingCount{Kind: k, Held: n})
			}
			if k == governance.Hearing {
				t.Hearings = n
			}
		}
		if len(councils) > 0 {
			_, n, err := g.FindMeetings(ctx, governance.MeetingFilter{CommunityID: communityID, BodyID: councils[0].ID, Kind: governance.RegularMeeting,
				Status: governance.MeetingAdjourned, From: &from, To: &to, Page: grids.Page{Limit: 1}})
			if err != nil {
				return t, err
			}
			t.CouncilMeetings = n
		}
	}
	if p := s.Points; p != nil {
		ev, err := p.OutcomeFigures(ctx, communityID, from, to)
		if err != nil {
			return t, err
		}
		t.Markets, t.Enterprises, t.DonatedItems = ev.Markets, ev.Enterprises, ev.DonatedItems
		t.PointsIssued, t.PointsRedeemed = ev.PointsIssued, ev.PointsRedeemed
	}
	if f := s.Funds; f != nil {
		fg, err := f.OutcomeFigures(ctx, communityID, from, to)
		if err != nil {
			return t, err
		}
		t.Projects, t.MoneyGranted, t.MoneySpent, t.Contributions = fg.Projects, fg.Granted, fg.Spent, fg.Contributions
	}
	return t, nil
}

// Cache keeps outcome tables by the versions of the records they were
// computed from: a table is computed once and served until a write to
// the community's governance, points or funds records (from any server)
// advances a version, so a front page or an outcome table read by many
// costs one cheap read of each version. A source that keeps no versions
// (record.Versioned) leaves every table computed afresh. Tables are
// shared between callers: read them, do not change them.
type Cache struct {
	s    Services
	kept keep.Cache[period, Table]
}

type period struct {
	community string
	from, to  int64
}

// NewCache returns a Cache over s.
func NewCache(s Services) *Cache { return &Cache{s: s} }

// Evaluate is Evaluate over the cache's services, from the tables kept.
func (c *Cache) Evaluate(ctx context.Context, communityID string, from, to time.Time) (Table, error) {
	var src keep.Sources
	if !src.Add(c.s.Governance, c.s.Governance == nil) || !src.Add(c.s.Points, c.s.Points == nil) || !src.Add(c.s.Funds, c.s.Funds == nil) {
		return Evaluate(ctx, c.s, communityID, from, to)
	}
	stamp, err := src.Stamp(ctx, communityID)
	if err != nil {
		return Table{}, err
	}
	return c.kept.Get(ctx, period{communityID, from.UnixNano(), to.UnixNano()}, stamp, func(ctx context.Context) (Table, error) {
		return Evaluate(ctx, c.s, communityID, from, to)
	})
}
