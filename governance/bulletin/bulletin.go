// Package bulletin composes the community's monthly bulletin (《家住水秀——
// 自治服务月报》) from the records of every package: decisions and the
// meetings that took them, the meetings and hearings to come, activities
// and hours by group, new groups, warehouse donations and exchanges, every
// funded project's spending, and the issues raised and answered. It
// renders as printable A4 HTML and as Markdown, in Chinese or English.
//
// It publishes what a community publishes and no more: bodies,
// organisations, enterprises and projects by name; residents never by
// name (a resident donor is "a resident"); issues by their titles.
package bulletin

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/internal/keep"
)

// Sources are where the bulletin's parts come from. Points and Funds are
// a *points.Service and a *funds.Service: bulletin names only the parts it
// reads of them, because points and funds are built on governance and
// governance never imports them.
type Sources struct {
	Governance *governance.Service
	Points     WarehouseSource
	Funds      ProjectsSource
}

// WarehouseSource gives the warehouse's part of a month (points.Service
// does).
type WarehouseSource interface {
	BulletinWarehouse(ctx context.Context, communityID string, from, to time.Time) (Warehouse, error)
}

// Warehouse is the warehouse's part of a month: what was given to it and
// what was exchanged.
type Warehouse struct {
	Donations      []Donation // a resident donor is left unnamed ("")
	DonatedItems   int64
	Exchanges      int
	PointsRedeemed decimal.Decimal
}

// ProjectsSource gives the funded projects' part of a month (funds.Service
// does).
type ProjectsSource interface {
	BulletinProjects(ctx context.Context, communityID, month string, to time.Time) ([]Project, error)
}

// Decision is a decision taken in the month.
type Decision struct {
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	Meeting   string    `json:"meeting,omitempty"` // the meeting that took it
	DecidedAt time.Time `json:"decided_at"`
}

// Meeting is a meeting or hearing to come.
type Meeting struct {
	Title string                 `json:"title"`
	Kind  governance.MeetingKind `json:"kind"`
	Body  string                 `json:"body"`
	At    time.Time              `json:"at"`
	Place string                 `json:"place,omitempty"`
}

// GroupMonth is a body's activities in the month.
type GroupMonth struct {
	Body       string          `json:"body"`
	Activities int             `json:"activities"`
	Hours      decimal.Decimal `json:"hours"`
}

// Donation is a gift to the warehouse.
type Donation struct {
	Donor    string `json:"donor"` // an enterprise or organisation by name; "" for a resident
	Item     string `json:"item"`
	Quantity int64  `json:"quantity"`
}

// Project is a funded project's money.
type Project struct {
	Title       string          `json:"title"`
	Granted     decimal.Decimal `json:"granted"`
	Spent       decimal.Decimal `json:"spent"` // in the month
	SpentToDate decimal.Decimal `json:"spent_to_date"`
	Left        decimal.Decimal `json:"left"`
}

// Issue is a community issue raised or answered in the month.
type Issue struct {
	Title  string                 `json:"title"`
	Status governance.IssueStatus `json:"status"`
	Answer string                 `json:"answer,omitempty"` // the public reason or note of the step
}

// Bulletin is one month's bulletin.
type Bulletin struct {
	CommunityID    string          `json:"community_id"`
	Community      string          `json:"community"`
	Month          string          `json:"month"`
	From           time.Time       `json:"from"`
	To             time.Time       `json:"to"`
	Decisions      []Decision      `json:"decisions"`
	Upcoming       []Meeting       `json:"upcoming"`
	Groups         []GroupMonth    `json:"groups"`
	Activities     int             `json:"activities"`
	Hours          decimal.Decimal `json:"hours"`
	NewGroups      []string        `json:"new_groups"`
	Donations      []Donation      `json:"donations"`
	DonatedItems   int64           `json:"donated_items"`
	Exchanges      int             `json:"exchanges"`
	PointsRedeemed decimal.Decimal `json:"points_redeemed"`
	Projects       []Project       `json:"projects"`
	IssuesRaised   []Issue         `json:"issues_raised"`
	IssuesAnswered []Issue         `json:"issues_answered"`
}

var all = grids.Page{Limit: grids.MaxLimit}

// Compose gathers the bulletin of a month (YYYY-MM in zone; Asia/Shanghai
// if nil). Any member of the community may compose it; a source left unset
// leaves its part empty.
func Compose(ctx context.Context, s Sources, registry *grids.Registry, communityID, month string, zone *time.Location) (Bulletin, error) {
	if zone == nil {
		zone = shanghai()
	}
	start, err := time.ParseInLocation("2006-01", month, zone)
	if err != nil {
		return Bulletin{}, errs.Field("month", "is a month written YYYY-MM, e.g. 2026-03")
	}
	from, to := start.UTC(), start.AddDate(0, 1, 0).UTC()
	b := Bulletin{CommunityID: communityID, Month: month, From: from, To: to, Decisions: []Decision{}, Upcoming: []Meeting{}, Groups: []GroupMonth{},
		Hours: decimal.Zero, NewGroups: []string{}, Donations: []Donation{}, PointsRedeemed: decimal.Zero, Projects: []Project{},
		IssuesRaised: []Issue{}, IssuesAnswered: []Issue{}}
	if registry != nil {
		c, err := registry.Community(ctx, communityID)
		if err != nil {
			return b, err
		}
		b.Community = c.Name
	}
	redact, err := redactor(ctx, registry, communityID)
	if err != nil {
		return b, err
	}
	defer b.redact(redact)
	in := func(t time.Time) bool { return !t.Before(from) && t.Before(to) }
	if g := s.Governance; g != nil {
		if err := governanceParts(ctx, g, &b, in); err != nil {
			return b, err
		}
	}
	if p := s.Points; p != nil {
		w, err := p.BulletinWarehouse(ctx, communityID, from, to)
		if err != nil {
			return b, err
		}
		if w.Donations != nil {
			b.Donations = w.Donations
		}
		b.DonatedItems, b.Exchanges = w.DonatedItems, w.Exchanges
		if !w.PointsRedeemed.IsZero() {
			b.PointsRedeemed = w.PointsRedeemed
		}
	}
	if f := s.Funds; f != nil {
		ps, err := f.BulletinProjects(ctx, communityID, month, to)
		if err != nil {
			return b, err
		}
		if ps != nil {
			b.Projects = ps
		}
	}
	return b, nil
}

// Redacted stands for a resident's name: the community has no record of
// residents' consent to be named, so none is.
const Redacted = "一位居民"

// redactor replaces the names of the community's residents. It reads them
// with the registry's full view: the names are used to hide, never shown.
func redactor(ctx context.Context, registry *grids.Registry, community string) (func(string) string, error) {
	if registry == nil {
		return func(s string) string { return s }, nil
	}
	internal := grids.WithPrincipal(ctx, grids.Admin("bulletin"))
	names, err := registry.ResidentNames(internal, community)
	if err != nil {
		return nil, err
	}
	var pairs []string
	for _, n := range names {
		if len([]rune(n)) >= 2 {
			pairs = append(pairs, n, Redacted)
		}
	}
	if len(pairs) == 0 {
		return func(s string) string { return s }, nil
	}
	// Longer names first, so that a name containing another is replaced whole.
	type pair struct{ name, with string }
	ps := make([]pair, 0, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		ps = append(ps, pair{pairs[i], pairs[i+1]})
	}
	sort.Slice(ps, func(i, j int) bool { return len(ps[i].name) > len(ps[j].name) })
	pairs = pairs[:0]
	for _, p := range ps {
		pairs = append(pairs, p.name, p.with)
	}
	return strings.NewReplacer(pairs...).Replace, nil
}

// redact applies r to every text drawn from the records.
func (b *Bulletin) redact(r func(string) string) {
	for i := range b.Decisions {
		d := &b.Decisions[i]
		d.Title, d.Body, d.Meeting = r(d.Title), r(d.Body), r(d.Meeting)
	}
	for i := range b.Upcoming {
		m := &b.Upcoming[i]
		m.Title, m.Body, m.Place = r(m.Title), r(m.Body), r(m.Place)
	}
	for i := range b.Groups {
		b.Groups[i].Body = r(b.Groups[i].Body)
	}
	for i := range b.NewGroups {
		b.NewGroups[i] = r(b.NewGroups[i])
	}
	for i := range b.Donations {
		b.Donations[i].Donor, b.Donations[i].Item = r(b.Donations[i].Donor), r(b.Donations[i].Item)
	}
	for i := range b.Projects {
		b.Projects[i].Title = r(b.Projects[i].Title)
	}
	for _, list := range [][]Issue{b.IssuesRaised, b.IssuesAnswered} {
		for i := range list {
			list[i].Title, list[i].Answer = r(list[i].Title), r(list[i].Answer)
		}
	}
}

func governanceParts(ctx context.Context, g *governance.Service, b *Bulletin, in func(time.Time) bool) error {
	bodies, _, err := g.FindBodies(ctx, governance.BodyFilter{CommunityID: b.CommunityID, State: grids.AnyState, Page: all})
	if err != nil {
		return err
	}
	name := map[string]string{}
	for _, x := range bodies {
		name[x.ID] = x.ChineseName
		if name[x.ID] == "" {
			name[x.ID] = x.Name
		}
		if x.Kind == governance.Group && in(x.CreatedAt) {
			b.NewGroups = append(b.NewGroups, name[x.ID])
		}
	}
	ds, _, err := g.FindDecisions(ctx, governance.DecisionFilter{CommunityID: b.CommunityID, Page: all})
	if err != nil {
		return err
	}
	meetings := map[string]string{}
	for _, d := range ds {
		if !in(d.DecidedAt) {
			continue
		}
		item := Decision{Title: d.Title, Body: name[d.BodyID], DecidedAt: d.DecidedAt}
		if d.MeetingID != "" {
			if _, ok := meetings[d.MeetingID]; !ok {
				if m, err := g.Meeting(ctx, b.CommunityID, d.MeetingID); err == nil {
					meetings[d.MeetingID] = m.Title
				}
			}
			item.Meeting = meetings[d.MeetingID]
		}
		b.Decisions = append(b.Decisions, item)
	}
	sort.SliceStable(b.Decisions, func(i, j int) bool { return b.Decisions[i].DecidedAt.Before(b.Decisions[j].DecidedAt) })
	next := b.To.AddDate(0, 1, 0)
	ms, _, err := g.FindMeetings(ctx, governance.MeetingFilter{CommunityID: b.CommunityID, Status: governance.MeetingScheduled, From: &b.To, To: &next, Page: all})
	if err != nil {
		return err
	}
	for _, m := range ms {
		b.Upcoming = append(b.Upcoming, Meeting{Title: m.Title, Kind: m.Kind, Body: name[m.BodyID], At: m.ScheduledAt, Place: m.Place})
	}
	acts, _, err := g.FindActivities(ctx, governance.ActivityFilter{CommunityID: b.CommunityID, From: &b.From, To: &b.To, Page: all})
	if err != nil {
		return err
	}
	by := map[string]*GroupMonth{}
	var order []string
	minutes := 0
	for _, a := range acts {
		gm := by[a.BodyID]
		if gm == nil {
			gm = &GroupMonth{Body: name[a.BodyID], Hours: decimal.Zero}
			by[a.BodyID] = gm
			order = append(order, a.BodyID)
		}
		gm.Activities++
		gm.Hours = gm.Hours.Add(decimal.NewFromInt(int64(a.Minutes())).Div(decimal.NewFromInt(60)))
		minutes += a.Minutes()
		b.Activities++
	}
	for _, id := range order {
		gm := by[id]
		gm.Hours = gm.Hours.Round(1)
		b.Groups = append(b.Groups, *gm)
	}
	b.Hours = decimal.NewFromInt(int64(minutes)).Div(decimal.NewFromInt(60)).Round(1)
	issues, _, err := g.FindIssues(ctx, governance.IssueFilter{CommunityID: b.CommunityID, Page: all})
	if err != nil {
		return err
	}
	for _, is := range issues {
		if in(is.CreatedAt) {
			b.IssuesRaised = append(b.IssuesRaised, Issue{Title: is.Title, Status: is.Status})
		}
		for _, st := range is.Steps {
			if in(st.At) && (st.Status == governance.Decided || st.Status == governance.Declined || st.Status == governance.CarriedOut) {
				answer := st.Note
				if st.Status == governance.Declined {
					answer = is.Reason
				}
				b.IssuesAnswered = append(b.IssuesAnswered, Issue{Title: is.Title, Status: st.Status, Answer: answer})
			}
		}
	}
	return nil
}

func shanghai() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}

// Cache keeps bulletins by the versions of the records they were
// composed from (the registry's for the names they hide, and the
// governance, points and funds records'): a month's bulletin is composed
// once and served until a write to any of them, from any server, advances
// a version. A source that keeps no versions leaves every bulletin
// composed afresh. Bulletins are shared between callers: read them, do
// not change them.
type Cache struct {
	s        Sources
	registry *grids.Registry
	kept     keep.Cache[issue, Bulletin]
}

type issue struct{ community, month, zone string }

// NewCache returns a Cache composing from s and registry.
func NewCache(s Sources, registry *grids.Registry) *Cache { return &Cache{s: s, registry: registry} }

// Compose is Compose over the cache's sources, from the bulletins kept.
func (c *Cache) Compose(ctx context.Context, communityID, month string, zone *time.Location) (Bulletin, error) {
	var src keep.Sources
	if !src.Add(c.s.Governance, c.s.Governance == nil) || !src.Add(c.s.Points, c.s.Points == nil) || !src.Add(c.s.Funds, c.s.Funds == nil) ||
		!src.Add(c.registry, c.registry == nil) {
		return Compose(ctx, c.s, c.registry, communityID, month, zone)
	}
	stamp, err := src.Stamp(ctx, communityID)
	if err != nil {
		return Bulletin{}, err
	}
	if zone == nil {
		zone = shanghai()
	}
	return c.kept.Get(ctx, issue{communityID, month, zone.String()}, stamp, func(ctx context.Context) (Bulletin, error) {
		return Compose(ctx, c.s, c.registry, communityID, month, zone)
	})
}
