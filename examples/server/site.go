package main

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/adapters/httpapi"
	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/bulletin"
	"github.com/linli-go/linli/governance/outcome"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/points"
)

//go:embed pages/*.html
var pageFiles embed.FS

// site serves pages for residents and workers: server-rendered, in
// Chinese, in large type and high contrast, working without JavaScript.
// Published information is read as a guest of the community; a passbook
// needs signing in with a token.
type site struct {
	reg    *grids.Registry
	gov    *governance.Service
	pts    *points.Service
	fnd    *funds.Service
	tokens httpapi.TokenStore
	log    *slog.Logger
	pages  map[string]*template.Template
	zone   *time.Location

	mu    sync.Mutex
	plans map[string]mapView // community → the regrouping map, planned once
}

func newSite(reg *grids.Registry, gov *governance.Service, pts *points.Service, fnd *funds.Service, tokens httpapi.TokenStore, log *slog.Logger) *site {
	s := &site{reg: reg, gov: gov, pts: pts, fnd: fnd, tokens: tokens, log: log, pages: map[string]*template.Template{}, plans: map[string]mapView{}}
	s.zone, _ = time.LoadLocation("Asia/Shanghai")
	if s.zone == nil {
		s.zone = time.FixedZone("CST", 8*3600)
	}
	funcs := template.FuncMap{
		"when": func(t time.Time) string { return t.In(s.zone).Format("2006-01-02 15:04") },
		"day":  func(t time.Time) string { return t.In(s.zone).Format("2006-01-02") },
		"kind": func(k points.LineKind) string {
			if name, ok := lineNames[k]; ok {
				return name
			}
			return string(k)
		},
	}
	for _, name := range []string{"home", "community", "calendar", "minutes", "passbook", "signin", "warehouse", "projects", "project", "map", "error"} {
		s.pages[name] = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(pageFiles, "pages/layout.html", "pages/"+name+".html"))
	}
	return s
}

func (s *site) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", s.handle(s.home))
	mux.HandleFunc("GET /c/{community}/{$}", s.handle(s.community))
	mux.HandleFunc("GET /c/{community}/bulletin/{month}", s.handle(s.bulletin))
	mux.HandleFunc("GET /c/{community}/calendar", s.handle(s.calendar))
	mux.HandleFunc("GET /c/{community}/minutes/{id}", s.handle(s.minutes))
	mux.HandleFunc("GET /c/{community}/signin", s.handle(s.signinForm))
	mux.HandleFunc("POST /c/{community}/signin", s.handle(s.signin))
	mux.HandleFunc("POST /c/{community}/signout", s.handle(s.signout))
	mux.HandleFunc("GET /c/{community}/passbook", s.handle(s.passbook))
	mux.HandleFunc("GET /c/{community}/warehouse", s.handle(s.warehouse))
	mux.HandleFunc("GET /c/{community}/projects", s.handle(s.projects))
	mux.HandleFunc("GET /c/{community}/projects/{grant}", s.handle(s.project))
	mux.HandleFunc("GET /c/{community}/map", s.handle(s.gridMap))
}

// lineNames are the passbook's lines in residents' words.
var lineNames = map[points.LineKind]string{
	points.LineClaimed: "服务申报（待审核）", points.LineEarned: "服务积分入账", points.LineRejected: "申报未通过",
	points.LineCorrection: "更正", points.LineReserved: "预约兑换", points.LineExchanged: "义仓兑换", points.LineReleased: "预约取消",
	points.LineReturned: "退还", points.LineExpired: "积分过期", points.LineGiftIn: "家人赠送", points.LineGiftOut: "赠送家人",
}

// page is what every page's layout reads.
type page struct {
	Title     string
	Community grids.Community
	SignedIn  string // the signed-in principal's name
	Data      any
}

type pageHandler func(w http.ResponseWriter, r *http.Request) (name string, p page, err error)

// handle renders a page, or the error page with a status that fits.
func (s *site) handle(h pageHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		name, p, err := h(w, r)
		if err == nil && name == "" {
			return // answered already (a redirect, a document)
		}
		status := http.StatusOK
		if err != nil {
			status = map[string]int{"not_found": 404, "forbidden": 403, "invalid": 400, "unauthorized": 401}[codeOf(err)]
			if status == 0 {
				status = 500
				s.log.Error("page", "path", r.URL.Path, "err", err)
			}
			name, p = "error", page{Title: "出错了", Community: p.Community, Data: messageOf(err, status)}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:")
		w.WriteHeader(status)
		if err := s.pages[name].Execute(w, p); err != nil {
			s.log.Error("render", "page", name, "err", err)
		}
	}
}

func codeOf(err error) string {
	var e *grids.Error
	if errors.As(err, &e) {
		return string(e.Code)
	}
	return ""
}

func messageOf(err error, status int) string {
	if status == 500 {
		return "服务器出了点问题，请稍后再试。"
	}
	return err.Error()
}

// guest is how a visitor reads what a community publishes.
func guest(ctx context.Context, community string) context.Context {
	return grids.WithPrincipal(ctx, grids.Principal{ID: "guest", CommunityID: community, Name: "访客", Roles: []grids.Role{grids.RoleResident}})
}

// signedIn is the principal of the sign-in cookie, if any.
func (s *site) signedIn(r *http.Request) (grids.Principal, bool) {
	c, err := r.Cookie(cookieName)
	if err != nil {
		return grids.Principal{}, false
	}
	p, err := s.tokens.TokenPrincipal(r.Context(), httpapi.HashToken(c.Value), time.Now())
	return p, err == nil
}

const cookieName = "linli_token"

// base loads the community a page is about.
func (s *site) base(r *http.Request, title string) (page, context.Context, error) {
	id := r.PathValue("community")
	ctx := guest(r.Context(), id)
	c, err := s.reg.Community(grids.WithPrincipal(r.Context(), grids.Admin("site")), id)
	p := page{Title: title, Community: c}
	if who, ok := s.signedIn(r); ok && who.In(id) {
		p.SignedIn = who.Name
	}
	return p, ctx, err
}

func (s *site) home(w http.ResponseWriter, r *http.Request) (string, page, error) {
	cs, _, err := s.reg.FindCommunities(grids.WithPrincipal(r.Context(), grids.Admin("site")), grids.CommunityFilter{Page: grids.Page{Limit: 100}})
	return "home", page{Title: "邻里", Data: cs}, err
}

type communityView struct {
	LastMonth string
	Table     outcome.Table
}

func (s *site) community(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, ctx, err := s.base(r, "")
	if err != nil {
		return "community", p, err
	}
	p.Title = p.Community.Name
	now := time.Now().In(s.zone)
	last := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, s.zone).AddDate(0, -1, 0)
	from := last.AddDate(-2, 0, 0)
	t, err := outcome.Evaluate(ctx, outcome.Services{Governance: s.gov, Points: s.pts, Funds: s.fnd}, p.Community.ID, from.UTC(), last.AddDate(0, 1, 0).UTC())
	p.Data = communityView{LastMonth: last.Format("2006-01"), Table: t}
	return "community", p, err
}

func (s *site) bulletin(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, ctx, err := s.base(r, "月报")
	if err != nil {
		return "error", p, err
	}
	b, err := bulletin.Compose(ctx, bulletin.Sources{Governance: s.gov, Points: s.pts, Funds: s.fnd}, s.reg, p.Community.ID, r.PathValue("month"), s.zone)
	if err != nil {
		return "error", p, err
	}
	lang, _ := bulletin.ParseLang(r.URL.Query().Get("lang"))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(b.HTML(lang)))
	return "", p, nil
}

type calendarView struct {
	Upcoming, Past []governance.Meeting
	Bodies         map[string]string
}

func (s *site) calendar(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, ctx, err := s.base(r, "议事日历")
	if err != nil {
		return "calendar", p, err
	}
	now := time.Now()
	from, to := now.AddDate(0, -3, 0), now.AddDate(0, 3, 0)
	ms, _, err := s.gov.FindMeetings(ctx, governance.MeetingFilter{CommunityID: p.Community.ID, From: &from, To: &to, Page: grids.Page{Limit: grids.MaxLimit}})
	if err != nil {
		return "calendar", p, err
	}
	v := calendarView{Bodies: map[string]string{}}
	bodies, _, err := s.gov.FindBodies(ctx, governance.BodyFilter{CommunityID: p.Community.ID, State: grids.AnyState, Page: grids.Page{Limit: grids.MaxLimit}})
	for _, b := range bodies {
		v.Bodies[b.ID] = b.ChineseName
		if b.ChineseName == "" {
			v.Bodies[b.ID] = b.Name
		}
	}
	for _, m := range ms {
		if m.ScheduledAt.After(now) {
			v.Upcoming = append(v.Upcoming, m)
		} else {
			v.Past = append([]governance.Meeting{m}, v.Past...)
		}
	}
	p.Data = v
	return "calendar", p, err
}

func (s *site) minutes(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, ctx, err := s.base(r, "会议纪要")
	if err != nil {
		return "minutes", p, err
	}
	m, err := s.gov.Minutes(ctx, p.Community.ID, r.PathValue("id"))
	if err != nil {
		return "minutes", p, err
	}
	p.Title, p.Data = m.Title, m
	return "minutes", p, nil
}

func (s *site) signinForm(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, err := s.base(r, "登录")
	return "signin", p, err
}

func (s *site) signin(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, err := s.base(r, "登录")
	if err != nil {
		return "signin", p, err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	token := strings.TrimSpace(r.PostFormValue("token"))
	who, err := s.tokens.TokenPrincipal(r.Context(), httpapi.HashToken(token), time.Now())
	if err != nil || !who.In(p.Community.ID) {
		p.Data = "凭证无效，请向社区工作人员索取。"
		w.WriteHeader(http.StatusUnauthorized)
		return "signin", p, nil
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: 8 * 3600})
	http.Redirect(w, r, "/c/"+p.Community.ID+"/passbook", http.StatusSeeOther)
	return "", p, nil
}

func (s *site) signout(w http.ResponseWriter, r *http.Request) (string, page, error) {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/", HttpOnly: true, MaxAge: -1})
	http.Redirect(w, r, "/c/"+r.PathValue("community")+"/", http.StatusSeeOther)
	return "", page{}, nil
}

func (s *site) passbook(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, err := s.base(r, "我的爱心存折")
	if err != nil {
		return "passbook", p, err
	}
	who, ok := s.signedIn(r)
	if !ok || !who.In(p.Community.ID) || who.ResidentID == "" {
		http.Redirect(w, r, "/c/"+p.Community.ID+"/signin", http.StatusSeeOther)
		return "", p, nil
	}
	pb, err := s.pts.Passbook(grids.WithPrincipal(r.Context(), who), p.Community.ID, who.ResidentID, time.Time{}, time.Time{})
	// Newest first, for reading.
	for i, j := 0, len(pb.Lines)-1; i < j; i, j = i+1, j-1 {
		pb.Lines[i], pb.Lines[j] = pb.Lines[j], pb.Lines[i]
	}
	p.Data = pb
	return "passbook", p, err
}

func (s *site) warehouse(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, ctx, err := s.base(r, "义仓兑换目录")
	if err != nil {
		return "warehouse", p, err
	}
	items, _, err := s.pts.Items(ctx, p.Community.ID, points.ItemFilter{Page: grids.Page{Limit: grids.MaxLimit}})
	p.Data = items
	return "warehouse", p, err
}

func (s *site) projects(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, ctx, err := s.base(r, "项目经费公示")
	if err != nil {
		return "projects", p, err
	}
	gs, _, err := s.fnd.Grants(ctx, p.Community.ID, "", grids.Page{Limit: grids.MaxLimit})
	p.Data = gs
	return "projects", p, err
}

// bar is one budget line in the chart.
type bar struct {
	Key, Category      string
	Budget, Spent      decimal.Decimal
	Y, BudgetW, SpentW int
	LabelY, ValueX     int
}

type projectView struct {
	Report funds.ProjectReport
	Months []string
	Bars   []bar
	Height int
}

func (s *site) project(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, ctx, err := s.base(r, "项目经费")
	if err != nil {
		return "project", p, err
	}
	g, err := s.fnd.Grant(ctx, p.Community.ID, r.PathValue("grant"))
	if err != nil {
		return "project", p, err
	}
	// The months from the award to now, newest first.
	var months []string
	now := time.Now().In(s.zone)
	for m := g.AwardedAt.In(s.zone); !m.After(now) && len(months) < 36; m = m.AddDate(0, 1, 0) {
		months = append([]string{m.Format("2006-01")}, months...)
	}
	month := r.URL.Query().Get("month")
	if month == "" && len(months) > 0 {
		month = months[0]
	}
	rep, err := s.fnd.ProjectReport(ctx, p.Community.ID, g.ID, month)
	if err != nil {
		return "project", p, err
	}
	v := projectView{Report: rep, Months: months}
	max := decimal.NewFromInt(1)
	for _, l := range rep.Lines {
		if l.Budget.GreaterThan(max) {
			max = l.Budget
		}
	}
	for i, l := range rep.Lines {
		width := func(d decimal.Decimal) int { return int(d.Mul(decimal.NewFromInt(400)).Div(max).IntPart()) }
		v.Bars = append(v.Bars, bar{Key: l.Key, Category: l.Category, Budget: l.Budget, Spent: l.SpentToDate, Y: 10 + i*70,
			BudgetW: width(l.Budget), SpentW: width(l.SpentToDate), LabelY: 30 + i*70, ValueX: 560})
	}
	v.Height = 20 + len(rep.Lines)*70
	p.Title, p.Data = g.Title+" 经费使用", v
	return "project", p, nil
}

// mapView draws buildings coloured by grid, now and as a regrouping
// would make them.
type mapView struct {
	Before, After  []cell
	Size           int
	Grids, Planned int
	Note           string
}

type cell struct {
	X, Y  int
	Fill  string
	Title string
}

var palette = []string{"#1b5e20", "#0d47a1", "#b71c1c", "#e65100", "#4a148c", "#006064", "#827717", "#3e2723", "#263238", "#880e4f",
	"#33691e", "#01579b", "#bf360c", "#1a237e", "#004d40", "#f57f17", "#311b92", "#212121"}

func (s *site) gridMap(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, err := s.base(r, "网格地图")
	if err != nil {
		return "map", p, err
	}
	s.mu.Lock()
	v, ok := s.plans[p.Community.ID]
	s.mu.Unlock()
	if !ok {
		if v, err = s.planMap(r.Context(), p.Community.ID); err != nil {
			return "map", p, err
		}
		s.mu.Lock()
		s.plans[p.Community.ID] = v
		s.mu.Unlock()
	}
	p.Data = v
	return "map", p, nil
}

// planMap lays the buildings out by location and plans a regrouping of
// the same number of grids, once; a worker's view of the structure,
// which is public.
func (s *site) planMap(ctx context.Context, community string) (mapView, error) {
	worker := grids.WithPrincipal(ctx, grids.Admin("site"))
	bs, _, err := s.reg.FindBuildings(worker, grids.BuildingFilter{CommunityID: community, Page: grids.Page{Limit: grids.MaxLimit}})
	if err != nil {
		return mapView{}, err
	}
	gs, _, err := s.reg.FindGrids(worker, grids.GridFilter{CommunityID: community, Page: grids.Page{Limit: grids.MaxLimit}})
	if err != nil {
		return mapView{}, err
	}
	ds, _, err := s.reg.FindDistricts(worker, grids.DistrictFilter{CommunityID: community, Page: grids.Page{Limit: grids.MaxLimit}})
	if err != nil {
		return mapView{}, err
	}
	v := mapView{Size: 420, Grids: len(gs)}
	if len(bs) == 0 || len(gs) == 0 {
		v.Note = "社区还没有带位置的楼栋。"
		return v, nil
	}
	index := map[string]int{}
	for i, g := range gs {
		index[g.ID] = i
	}
	var minLat, maxLat, minLng, maxLng float64 = 90, -90, 180, -180
	for _, b := range bs {
		if b.Location == nil {
			continue
		}
		minLat, maxLat = min(minLat, b.Location.Lat), max(maxLat, b.Location.Lat)
		minLng, maxLng = min(minLng, b.Location.Lng), max(maxLng, b.Location.Lng)
	}
	pos := func(b grids.Building) (int, int, bool) {
		if b.Location == nil || maxLat <= minLat || maxLng <= minLng {
			return 0, 0, false
		}
		x := 10 + int((b.Location.Lng-minLng)/(maxLng-minLng)*370)
		y := 10 + int((maxLat-b.Location.Lat)/(maxLat-minLat)*370)
		return x, y, true
	}
	for _, b := range bs {
		if x, y, ok := pos(b); ok {
			v.Before = append(v.Before, cell{X: x, Y: y, Fill: palette[index[b.GridID]%len(palette)], Title: b.Name})
		}
	}
	plan, err := s.reg.PlanRegroup(worker, community, grids.PlanInput{Districts: max(1, len(ds)), Grids: len(gs), Seed: 1})
	if err != nil {
		v.Note = fmt.Sprintf("暂时无法给出重组方案：%v", err)
		return v, nil
	}
	byID := map[string]grids.Building{}
	for _, b := range bs {
		byID[b.ID] = b
	}
	planned := map[int]bool{}
	for _, pl := range plan.Placements {
		if x, y, ok := pos(byID[pl.BuildingID]); ok {
			v.After = append(v.After, cell{X: x, Y: y, Fill: palette[pl.Grid%len(palette)], Title: byID[pl.BuildingID].Name})
			planned[pl.Grid] = true
		}
	}
	v.Planned = len(planned)
	sort.Slice(v.Before, func(i, j int) bool { return v.Before[i].Title < v.Before[j].Title })
	return v, nil
}
