package main

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/linli-go/linli/internal/ids"

	"github.com/linli-go/linli/internal/money"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/shopspring/decimal"
	"github.com/skip2/go-qrcode"

	"github.com/linli-go/linli/adapters/httpapi"
	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/governance/bulletin"
	"github.com/linli-go/linli/governance/outcome"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/access"
	"github.com/linli-go/linli/points"
)

//go:embed pages/*.html
var pageFiles embed.FS

// site serves pages for residents and workers: server-rendered, in
// Chinese, in large type and high contrast, working without JavaScript.
// Published information is read as a guest of the community; a passbook
// needs signing in with a token.
type site struct {
	reg     *grids.Registry
	gov     *governance.Service
	pts     *points.Service
	fnd     *funds.Service
	access  *access.Service
	limit   *httpapi.Limiter
	proxy   bool // behind a proxy that says the client's address and TLS
	metrics *siteMetrics
	log     *slog.Logger
	pages   map[string]*template.Template
	zone    *time.Location
	// tables and bulletins are kept by the versions of their records:
	// the front page is computed once, not for each reader.
	tables    *outcome.Cache
	bulletins *bulletin.Cache

	mu    sync.Mutex
	plans map[string]mapPlan // community → its regrouping map, for the registry as it was
}

func newSite(reg *grids.Registry, gov *governance.Service, pts *points.Service, fnd *funds.Service, acc *access.Service, limit *httpapi.Limiter, proxy bool, metrics prometheus.Registerer, log *slog.Logger) *site {
	s := &site{reg: reg, gov: gov, pts: pts, fnd: fnd, access: acc, limit: limit, proxy: proxy, metrics: newSiteMetrics(metrics), log: log, pages: map[string]*template.Template{}, plans: map[string]mapPlan{}}
	s.zone, _ = time.LoadLocation("Asia/Shanghai")
	s.tables = outcome.NewCache(outcome.Services{Governance: gov, Points: pts, Funds: fnd})
	s.bulletins = bulletin.NewCache(bulletin.Sources{Governance: gov, Points: pts, Funds: fnd}, reg)
	if s.zone == nil {
		s.zone = time.FixedZone("CST", 8*3600)
	}
	funcs := template.FuncMap{
		"when":      func(t time.Time) string { return t.In(s.zone).Format("2006-01-02 15:04") },
		"day":       func(t time.Time) string { return t.In(s.zone).Format("2006-01-02") },
		"entry":     s.entryText,
		"inc":       func(i int) int { return i + 1 },
		"list":      func(xs ...string) []string { return xs },
		"needState": func(st string) string { return word(needStates, grids.NeedStatus(st)) },
		"bodyName":  bodyName,
		"money":     money.Format,
		"spendingKind": func(k funds.SpendingKind) string {
			return map[funds.SpendingKind]string{funds.Spend: "支出", funds.Refund: "退款", funds.Correction: "更正"}[k]
		},
		"category": func(c string) string {
			if n, ok := categories[c]; ok {
				return n
			}
			return c
		},
		"points": signedPoints,
		"date":   s.date,
	}
	for _, name := range []string{"home", "community", "calendar", "minutes", "passbook", "signin", "warehouse", "projects", "project", "map", "error",
		"setup", "token", "card", "cards", "link",
		"desk", "residents", "resident", "household", "counter", "receipt", "claims", "needs", "mine", "room", "live", "meetingnew", "meeting", "activity", "matches"} {
		s.pages[name] = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(pageFiles, "pages/layout.html", "pages/"+name+".html"))
	}
	return s
}

// routes registers each page with handle.
func (s *site) routes(handle func(pattern string, h http.Handler)) {
	handle("GET /{$}", s.handle(s.home))
	handle("GET /c/{community}/{$}", s.handle(s.community))
	handle("GET /c/{community}/bulletin/{month}", s.handle(s.bulletin))
	handle("GET /c/{community}/calendar", s.handle(s.calendar))
	handle("GET /c/{community}/minutes/{id}", s.handle(s.minutes))
	handle("GET /c/{community}/signin", s.handle(s.signinForm))
	handle("POST /c/{community}/signin", s.handle(s.signin))
	handle("POST /c/{community}/signout", s.handle(s.signout))
	handle("GET /c/{community}/card/{link}", s.handle(s.linkForm))
	handle("POST /c/{community}/card/{link}", s.handle(s.signinLink))
	handle("GET /c/{community}/cards", s.handle(s.cards))
	handle("POST /c/{community}/cards", s.handle(s.issueCard))
	handle("GET /setup", s.handle(s.setupForm))
	handle("POST /setup", s.handle(s.setup))
	handle("GET /c/{community}/passbook", s.handle(s.passbook))
	handle("GET /c/{community}/warehouse", s.handle(s.warehouse))
	handle("GET /c/{community}/projects", s.handle(s.projects))
	handle("GET /c/{community}/projects/{grant}", s.handle(s.project))
	handle("GET /c/{community}/map", s.handle(s.gridMap))
	s.workRoutes(handle)
	s.roomRoutes(handle)
	s.officeRoutes(handle)
	s.matchRoutes(handle)
}

// categories are the budget categories in Chinese.
var categories = map[string]string{"services": "服务", "materials": "物资", "activities": "活动", "equipment": "设备", "labour": "人工", "other": "其他"}

// entryText tells a passbook entry in residents' words: "楼道清洁 2小时",
// "兑换 鸡蛋 1盒".
func (s *site) entryText(e points.Entry) string {
	what := e.What
	switch e.Kind {
	case points.LineClaimed:
		return what + " " + duration(e.Minutes) + "（待审核）"
	case points.LineEarned:
		return what + " " + duration(e.Minutes)
	case points.LineRejected:
		return what + " " + duration(e.Minutes) + "（申报未通过）"
	case points.LineCorrection:
		return "更正：" + what
	case points.LineReserved:
		return fmt.Sprintf("预约兑换 %s %d%s（待取货）", what, e.Quantity, e.Unit)
	case points.LineExchanged:
		return fmt.Sprintf("兑换 %s %d%s", what, e.Quantity, e.Unit)
	case points.LineReleased:
		return fmt.Sprintf("预约取消 %s %d%s", what, e.Quantity, e.Unit)
	case points.LineReturned:
		return fmt.Sprintf("退还 %s %d%s", what, e.Quantity, e.Unit)
	case points.LineExpired:
		return "积分到期"
	case points.LineGiftIn:
		return what + " 赠送"
	case points.LineGiftOut:
		return "赠送给 " + what
	}
	return string(e.Kind)
}

// duration is minutes of service in words: "2小时", "1.5小时", "45分钟".
func duration(minutes int) string {
	if minutes < 60 {
		return fmt.Sprintf("%d分钟", minutes)
	}
	return decimal.NewFromInt(int64(minutes)).Div(decimal.NewFromInt(60)).Round(1).String() + "小时"
}

// signedPoints writes points with their sign: "+2分", "−4分", "0分".
func signedPoints(d decimal.Decimal) string {
	switch d.Sign() {
	case 1:
		return "+" + d.String() + "分"
	case -1:
		return "−" + d.Neg().String() + "分"
	}
	return "0分"
}

// date is a day in the community's zone as residents write it: "3月12日",
// with the year when it is not this year's.
func (s *site) date(t time.Time) string {
	t = t.In(s.zone)
	if t.Year() != time.Now().In(s.zone).Year() {
		return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
	}
	return fmt.Sprintf("%d月%d日", t.Month(), t.Day())
}

// page is what every page's layout reads.
type page struct {
	Title     string
	Community grids.Community
	SignedIn  string // the signed-in principal's name
	CSRF      string // the session's form token, for the forms it posts
	Worker    bool   // the signed-in person works for the community
	Resident  bool   // the signed-in person is a resident
	Error     string // what went wrong with the form posted
	Done      string // what the form posted did
	Data      any
	status    int // the status to answer with, when not 200
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
		if p.status != 0 {
			status = p.status
		}
		if err != nil {
			if name == "signin" || name == "setup" || name == "link" { // the form again, with what went wrong
				status = http.StatusUnauthorized
				var wait *tooMany
				if errors.As(err, &wait) {
					w.Header().Set("Retry-After", strconv.Itoa(int(wait.after/time.Second)+1))
					status = http.StatusTooManyRequests
				} else if codeOf(err) == "invalid" {
					status = http.StatusBadRequest
				} else if codeOf(err) == "failed_precondition" {
					status = http.StatusConflict
				}
				p.Error = messageOf(err, status)
				err = nil
			}
		}
		if err != nil {
			var wait *tooMany
			if errors.As(err, &wait) {
				w.Header().Set("Retry-After", strconv.Itoa(int(wait.after/time.Second)+1))
				status = http.StatusTooManyRequests
			}
			if status == http.StatusOK {
				status = map[string]int{"not_found": 404, "forbidden": 403, "invalid": 400, "unauthorized": 401, "conflict": 409, "failed_precondition": 409, "unavailable": 503}[codeOf(err)]
			}
			if status == 0 {
				status = 500
				s.log.Error("page", "path", r.URL.Path, "err", err)
			}
			name, p = "error", page{Title: "出错了", Community: p.Community, Data: messageOf(err, status)}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'")
		w.Header().Set("Cache-Control", "no-store") // pages may show a signed-in person's own data, or a secret shown once
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

// messageOf says what went wrong in Chinese: the site's own words, or
// the library's refusal by its code (its English is for developers).
func messageOf(err error, status int) string {
	if status == 500 {
		return "服务器出了点问题，请稍后再试。"
	}
	if msg := err.Error(); strings.ContainsFunc(msg, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		return msg
	}
	if m, ok := refusals[ruleOf(err)]; ok {
		return m
	}
	switch codeOf(err) {
	case "not_found":
		return "找不到您要的内容：它可能已被删除，或链接有误。"
	case "forbidden":
		return "您没有权限做这件事。如有疑问，请联系社区工作人员。"
	case "unauthorized":
		return "请先登录。"
	case "invalid":
		return "填写的内容有误，请检查后再提交。"
	case "conflict", "failed_precondition":
		return "这件事现在不能办理：记录的状态已经变了，请刷新页面后再看。"
	}
	return "出了点问题，请稍后再试。"
}

func ruleOf(err error) string {
	var e *grids.Error
	if errors.As(err, &e) && e.Rule != nil {
		return e.Rule.Name()
	}
	return ""
}

// guest is how a visitor reads what a community publishes.
func guest(ctx context.Context, community string) context.Context {
	return grids.WithPrincipal(ctx, grids.Principal{ID: "guest", CommunityID: community, Name: "访客", Roles: []grids.Role{grids.RoleResident}})
}

// reader is who reads a page: the signed-in person of this community,
// or a guest.
func (s *site) reader(r *http.Request, guest context.Context, p page) context.Context {
	if se, ok := s.signedIn(r); ok && se.Principal.In(p.Community.ID) {
		return grids.WithPrincipal(r.Context(), se.Principal)
	}
	return guest
}

// signedIn is the session of the sign-in cookie, if any.
func (s *site) signedIn(r *http.Request) (access.Session, bool) {
	c, err := r.Cookie(cookieName)
	if err != nil {
		return access.Session{}, false
	}
	se, err := s.access.Session(r.Context(), c.Value)
	return se, err == nil
}

// cookieName names the session cookie: it holds the session's ID and a
// secret, never a token.
const cookieName = "linli_session"

// base loads the community a page is about.
func (s *site) base(r *http.Request, title string) (page, context.Context, error) {
	id := r.PathValue("community")
	ctx := guest(r.Context(), id)
	c, err := s.reg.Community(grids.WithPrincipal(r.Context(), grids.Admin("site")), id)
	p := page{Title: title, Community: c}
	if se, ok := s.signedIn(r); ok && se.Principal.In(id) {
		p.SignedIn, p.CSRF = se.Principal.Name, se.CSRF
		p.Worker, p.Resident = se.Principal.Administers(id), se.Principal.ResidentID != ""
	}
	key := r.URL.Query().Get("ok")
	if strings.HasPrefix(key, "moved-") {
		key = "move"
	}
	p.Done = done[key] // what the form just posted did, by key: a link cannot make a page say anything else
	return p, ctx, err
}

func (s *site) home(w http.ResponseWriter, r *http.Request) (string, page, error) {
	cs, _, err := s.reg.FindCommunities(grids.WithPrincipal(r.Context(), grids.Admin("site")), grids.CommunityFilter{Page: grids.Page{Limit: 100}})
	return "home", page{Title: "邻里", Data: cs}, err
}

type communityView struct {
	LastMonth      string
	Months         int
	Since, Through string // the period, as the community says it: "2024年10月", "2026年11月"
	Table          outcome.Table
}

func (s *site) community(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, ctx, err := s.base(r, "")
	if err != nil {
		return "community", p, err
	}
	p.Title = p.Community.Name
	from, to := outcome.Period(time.Now(), s.zone)
	last := to.AddDate(0, -1, 0)
	t, err := s.tables.Evaluate(ctx, p.Community.ID, from.UTC(), to.UTC())
	p.Data = communityView{LastMonth: last.Format("2006-01"), Months: outcome.Months, Table: t,
		Since: fmt.Sprintf("%d年%d月", from.Year(), from.Month()), Through: fmt.Sprintf("%d年%d月", last.Year(), last.Month())}
	return "community", p, err
}

func (s *site) bulletin(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, ctx, err := s.base(r, "月报")
	if err != nil {
		return "error", p, err
	}
	b, err := s.bulletins.Compose(ctx, p.Community.ID, r.PathValue("month"), s.zone)
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
	drafts         bool // the reader reads draft minutes: a worker
}

// Readable reports whether the calendar links m's minutes: approved ones
// for everyone, drafts for workers.
func (v calendarView) Readable(m governance.Meeting) bool {
	if m.Status != governance.MeetingAdjourned {
		return false
	}
	st := m.Minutes.Status
	return st == governance.MinutesApproved || st == governance.MinutesPublished || v.drafts
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
	if se, ok := s.signedIn(r); ok && se.Principal.Administers(p.Community.ID) {
		v.drafts = true
	}
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

func (s *site) signinForm(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, err := s.base(r, "登录")
	return "signin", p, err
}

// signin signs in with a card's unit and code, or a worker's token; the
// session's cookie follows.
func (s *site) signin(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, err := s.base(r, "登录")
	if err != nil {
		return "error", p, err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	unit, code, token := strings.TrimSpace(r.PostFormValue("unit")), strings.TrimSpace(r.PostFormValue("code")), strings.TrimSpace(r.PostFormValue("token"))
	keys := []string{"addr:" + httpapi.ClientAddress(r, s.proxy)}
	kind := "token"
	if token == "" {
		kind = "code"
		keys = append(keys, "unit:"+p.Community.ID+":"+access.NormalUnit(unit))
	} else if _, id, ok := access.TokenID(token); ok {
		keys = append(keys, "cred:"+id)
	}
	if err := s.limited(keys...); err != nil {
		return "signin", p, err
	}
	var se access.Session
	var cookie string
	if token != "" {
		se, cookie, err = s.access.SignIn(r.Context(), token)
	} else {
		se, cookie, err = s.access.SignInCode(r.Context(), p.Community.ID, unit, code)
	}
	if err == nil && !se.Principal.In(p.Community.ID) {
		_ = s.access.SignOut(r.Context(), cookie)
		err = access.ErrUnknown.Refuse("the credential is of another community")
	}
	if err != nil {
		if errors.Is(err, access.ErrUnknown) {
			s.limit.Fail(keys...)
			s.metrics.failed(kind)
			err = errors.New("门牌号或登录码不对，请对照登录卡再试一次，或请社区工作人员帮忙。")
			if kind == "token" {
				err = errors.New("凭证无效，请向社区工作人员索取。")
			}
		}
		return "signin", p, err
	}
	s.startSession(w, r, se, cookie)
	next := "/c/" + p.Community.ID + "/" // others' at the community's page
	if se.Principal.Administers(p.Community.ID) {
		next += "work" // a worker's day starts at the desk
	} else if se.Principal.ResidentID != "" {
		next += "passbook" // a resident's at their passbook
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return "", p, nil
}

// tooMany is a sign-in refused for too many failures, with the wait.
type tooMany struct{ after time.Duration }

func (e *tooMany) Error() string {
	return fmt.Sprintf("尝试次数太多，请%d分钟后再试。", int(e.after.Minutes())+1)
}

func (s *site) limited(keys ...string) error {
	if wait := s.limit.Wait(keys...); wait > 0 {
		s.metrics.limited()
		return &tooMany{after: wait}
	}
	return nil
}

func (s *site) startSession(w http.ResponseWriter, r *http.Request, se access.Session, cookie string) {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: cookie, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: httpapi.Secure(r, s.proxy), Expires: se.ExpiresAt})
}

// session is the signed-in session whose form this is: its CSRF token
// must come with the form.
func (s *site) session(r *http.Request) (access.Session, error) {
	se, ok := s.signedIn(r)
	if !ok {
		return se, access.ErrUnknown.Refuse("请先登录。")
	}
	if subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(se.CSRF)) != 1 {
		return se, grids.ErrNoPrincipal.Refuse("表单已过期，请返回上一页刷新后再提交。")
	}
	return se, nil
}

func (s *site) signout(w http.ResponseWriter, r *http.Request) (string, page, error) {
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	if _, err := s.session(r); err == nil {
		c, _ := r.Cookie(cookieName)
		if err := s.access.SignOut(r.Context(), c.Value); err != nil {
			return "error", page{}, err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/", HttpOnly: true, MaxAge: -1})
	http.Redirect(w, r, "/c/"+r.PathValue("community")+"/", http.StatusSeeOther)
	return "", page{}, nil
}

// linkForm is where a card's QR code leads: a button that signs in.
// Opening the link does not use it (phones and chat apps open links to
// preview them); pressing the button does.
func (s *site) linkForm(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, err := s.base(r, "登录")
	p.Data = r.PathValue("link")
	return "link", p, err
}

func (s *site) signinLink(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, err := s.base(r, "登录")
	if err != nil {
		return "error", p, err
	}
	p.Data = r.PathValue("link")
	keys := []string{"addr:" + httpapi.ClientAddress(r, s.proxy)}
	if err := s.limited(keys...); err != nil {
		return "link", p, err
	}
	se, cookie, err := s.access.SignInLink(r.Context(), p.Community.ID, r.PathValue("link"))
	switch {
	case errors.Is(err, access.ErrLinkUsed):
		return "link", p, errors.New("这张登录卡的二维码已经用过了，请用卡上的门牌号和登录码登录。")
	case errors.Is(err, access.ErrUnknown):
		s.limit.Fail(keys...)
		s.metrics.failed("link")
		return "link", p, errors.New("这个登录链接无效或已作废，请向社区工作人员重新领取登录卡。")
	case err != nil:
		return "error", p, err
	}
	s.startSession(w, r, se, cookie)
	http.Redirect(w, r, "/c/"+p.Community.ID+"/passbook", http.StatusSeeOther)
	return "", p, nil
}

// cardsView is the worker's page of residents to print cards for.
type cardsView struct {
	Query     string
	Residents []grids.Resident
}

// cards finds residents by name, for a worker to print their cards.
func (s *site) cards(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, err := s.base(r, "打印登录卡")
	if err != nil {
		return "error", p, err
	}
	se, ok := s.signedIn(r)
	if !ok || !se.Principal.Administers(p.Community.ID) {
		return "error", p, grids.ErrWorkersOnly.Refuse("只有社区工作人员可以打印登录卡，请先登录。")
	}
	v := cardsView{Query: strings.TrimSpace(r.URL.Query().Get("name"))}
	if v.Query != "" {
		v.Residents, _, err = s.reg.FindResidents(grids.WithPrincipal(r.Context(), se.Principal), grids.ResidentFilter{CommunityID: p.Community.ID, Name: v.Query, Page: grids.Page{Limit: 20, NoTotal: true}})
	}
	p.Data = v
	return "cards", p, err
}

// cardView is a printed sign-in card.
type cardView struct {
	Name, Unit, Code, Link string
	QR                     template.URL // a PNG, as a data: URL
	Expires                time.Time
}

// issueCard issues a resident's card and shows it, to print, this once.
func (s *site) issueCard(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, err := s.base(r, "登录卡")
	if err != nil {
		return "error", p, err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	se, err := s.session(r)
	if err != nil {
		return "error", p, err
	}
	iss, err := s.access.Issue(grids.WithPrincipal(r.Context(), se.Principal), access.Issue{CommunityID: p.Community.ID, Kind: access.Card, ResidentID: r.PostFormValue("resident"), Label: "登录卡"})
	if err != nil {
		return "error", p, err
	}
	scheme := "http"
	if httpapi.Secure(r, s.proxy) {
		scheme = "https"
	}
	link := scheme + "://" + r.Host + "/c/" + p.Community.ID + "/card/" + iss.Link
	png, err := qrcode.Encode(link, qrcode.Medium, 256)
	if err != nil {
		return "error", p, err
	}
	p.Data = cardView{Name: iss.Credential.Principal.Name, Unit: iss.Credential.Unit, Code: iss.Code[:4] + " " + iss.Code[4:], Link: link,
		QR: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)), Expires: *iss.Credential.ExpiresAt}
	return "card", p, nil
}

// setupForm is where the set-up link printed on a new installation's first
// start leads.
func (s *site) setupForm(w http.ResponseWriter, r *http.Request) (string, page, error) {
	return "setup", page{Title: "设置邻里", Data: r.URL.Query().Get("code")}, nil
}

// tokenView shows the first administrator's token, this once.
type tokenView struct{ Token string }

func (s *site) setup(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p := page{Title: "设置邻里"}
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	code := strings.TrimSpace(r.PostFormValue("code"))
	p.Data = code
	keys := []string{"addr:" + httpapi.ClientAddress(r, s.proxy)}
	if err := s.limited(keys...); err != nil {
		return "setup", p, err
	}
	iss, err := s.access.CompleteSetup(r.Context(), code, strings.TrimSpace(r.PostFormValue("name")))
	if errors.Is(err, access.ErrUnknown) {
		s.limit.Fail(keys...)
		s.metrics.failed("setup")
		return "setup", p, errors.New("设置码无效或已过期：请重新启动服务器，使用它新打印的设置码。")
	}
	if err != nil {
		return "setup", p, err
	}
	se, cookie, err := s.access.SignIn(r.Context(), iss.Token)
	if err != nil {
		return "error", p, err
	}
	s.startSession(w, r, se, cookie)
	p.SignedIn, p.CSRF, p.Data = se.Principal.Name, se.CSRF, tokenView{Token: iss.Token}
	return "token", p, nil
}

func (s *site) passbook(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, err := s.base(r, "我的爱心存折")
	if err != nil {
		return "passbook", p, err
	}
	se, ok := s.signedIn(r)
	who := se.Principal
	if !ok || !who.In(p.Community.ID) || who.ResidentID == "" {
		http.Redirect(w, r, "/c/"+p.Community.ID+"/signin", http.StatusSeeOther)
		return "", p, nil
	}
	st, err := s.pts.Statement(grids.WithPrincipal(r.Context(), who), p.Community.ID, who.ResidentID)
	slices.Reverse(st.Entries) // newest first, for reading
	p.Data = st
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

// LineName is a budget line's name, its key if it has none.
func (v projectView) LineName(key string) string {
	if n := v.names[key]; n != "" {
		return n
	}
	return key
}

// bar is one budget line in the chart.
type bar struct {
	Name, Category     string
	Budget, Spent      decimal.Decimal
	Y, BudgetW, SpentW int
	LabelY             int
}

type projectView struct {
	Grant  funds.Grant
	Key    string // makes a payment form sent twice one payment
	Report funds.ProjectReport
	names  map[string]string // budget line → its name
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
	award := g.AwardedAt.In(s.zone)
	for m := time.Date(award.Year(), award.Month(), 1, 0, 0, 0, 0, s.zone); !m.After(now) && len(months) < 36; m = m.AddDate(0, 1, 0) {
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
	v := projectView{Grant: g, Key: ids.New(), Report: rep, Months: months, names: map[string]string{}}
	for _, l := range g.Lines {
		v.names[l.Key] = l.Name
	}
	max := decimal.NewFromInt(1)
	for _, l := range rep.Lines {
		if l.Budget.GreaterThan(max) {
			max = l.Budget
		}
	}
	for i, l := range rep.Lines {
		width := func(d decimal.Decimal) int { return int(d.Mul(decimal.NewFromInt(470)).Div(max).IntPart()) }
		name := l.Name
		if name == "" {
			name = l.Key
		}
		v.Bars = append(v.Bars, bar{Name: name, Category: l.Category, Budget: l.Budget, Spent: l.SpentToDate, Y: 34 + i*70,
			BudgetW: width(l.Budget), SpentW: width(l.SpentToDate), LabelY: 24 + i*70})
	}
	v.Height = 20 + len(rep.Lines)*70
	p.Title, p.Data = g.Title+" 经费使用", v
	return "project", p, nil
}

// mapView draws buildings coloured by grid, now and as a regrouping
// would make them, with a legend of each.
type mapView struct {
	Before, After             []cell
	BeforeLegend, AfterLegend []swatch
	Grids, Planned            int
	Note                      string
}

type cell struct {
	X, Y  int
	Fill  string
	Title string
}

type swatch struct{ Fill, Name string }

// palette has colours far enough apart to tell neighbouring grids by.
var palette = []string{"#1b5e20", "#0d47a1", "#b71c1c", "#e65100", "#4a148c", "#006064", "#827717", "#3e2723", "#263238", "#880e4f",
	"#33691e", "#01579b", "#bf360c", "#1a237e", "#004d40", "#f57f17", "#311b92", "#212121"}

// mapPlan is a community's regrouping map as planned for the registry as
// it was (its fingerprint): planning takes seconds, so it is kept until
// a building, a link or a grid changes.
type mapPlan struct {
	fingerprint string
	view        mapView
}

func (s *site) gridMap(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, err := s.base(r, "网格地图")
	if err != nil {
		return "map", p, err
	}
	v, err := s.planMap(r.Context(), p.Community.ID)
	p.Data = v
	return "map", p, err
}

// planMap lays the buildings out by location and plans a regrouping of
// the same number of grids; a worker's view of the structure, which is
// public.
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
	h := sha256.New()
	for _, b := range bs {
		fmt.Fprintf(h, "%s %s %v %v\n", b.ID, b.GridID, b.Location, b.Neighbours)
	}
	for _, g := range gs {
		fmt.Fprintf(h, "g %s %s\n", g.ID, g.Name)
	}
	fingerprint := hex.EncodeToString(h.Sum(nil))
	s.mu.Lock()
	cached, ok := s.plans[community]
	s.mu.Unlock()
	if ok && cached.fingerprint == fingerprint {
		return cached.view, nil
	}

	v := mapView{Grids: len(gs)}
	if len(bs) == 0 || len(gs) == 0 {
		v.Note = "社区还没有带位置的楼栋。"
		return v, nil
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
	byID := map[string]grids.Building{}
	for _, b := range bs {
		byID[b.ID] = b
	}
	names := map[string]string{}
	for _, g := range gs {
		names[g.ID] = g.Name
	}
	before := map[string]string{}
	for _, b := range bs {
		before[b.ID] = b.GridID
	}
	colour := colourGrids(bs, before)
	for _, b := range bs {
		if x, y, ok := pos(b); ok {
			v.Before = append(v.Before, cell{X: x, Y: y, Fill: colour[b.GridID], Title: b.Name + "（" + names[b.GridID] + "）"})
		}
	}
	for _, g := range gs {
		v.BeforeLegend = append(v.BeforeLegend, swatch{Fill: colour[g.ID], Name: g.Name})
	}
	var unplaced []string
	for _, b := range bs {
		if len(b.Neighbours) == 0 && b.Location == nil {
			unplaced = append(unplaced, b.Name)
		}
	}
	plan, err := s.reg.PlanRegroup(worker, community, grids.PlanInput{Districts: max(1, len(ds)), Grids: len(gs), Seed: 1})
	if err != nil {
		v.Note = "暂时无法给出重组方案。"
		if len(unplaced) > 0 {
			v.Note += "这些楼栋既没有登记相邻楼栋，也没有位置：" + strings.Join(unplaced, "、") + "。请在楼栋登记中补上。"
		} else {
			v.Note += "楼栋之间的相邻关系不连通，请检查楼栋登记中的相邻楼栋。"
		}
		s.log.Info("map: no regrouping plan", "community", community, "err", err)
		return v, nil
	}
	after := map[string]string{}
	for _, pl := range plan.Placements {
		after[pl.BuildingID] = strconv.Itoa(pl.Grid)
	}
	colour = colourGrids(bs, after)
	planned := map[string]bool{}
	for _, pl := range plan.Placements {
		key := strconv.Itoa(pl.Grid)
		if x, y, ok := pos(byID[pl.BuildingID]); ok {
			v.After = append(v.After, cell{X: x, Y: y, Fill: colour[key], Title: fmt.Sprintf("%s（新网格%d）", byID[pl.BuildingID].Name, pl.Grid+1)})
		}
		planned[key] = true
	}
	v.Planned = len(planned)
	for i := range len(gs) + 1 {
		if key := strconv.Itoa(i); planned[key] {
			v.AfterLegend = append(v.AfterLegend, swatch{Fill: colour[key], Name: fmt.Sprintf("新网格%d", i+1)})
		}
	}
	sort.Slice(v.Before, func(i, j int) bool { return v.Before[i].Title < v.Before[j].Title })
	s.mu.Lock()
	s.plans[community] = mapPlan{fingerprint: fingerprint, view: v}
	s.mu.Unlock()
	return v, nil
}

// colourGrids gives each grid a colour of the palette such that no two
// grids with neighbouring buildings share one: greedy colouring, the
// grids with the most neighbouring grids first, each taking the colour
// used least so far among those its neighbours leave, so the legend tells
// as many grids apart as the palette can.
func colourGrids(bs []grids.Building, gridOf map[string]string) map[string]string {
	adj := map[string]map[string]bool{}
	for _, b := range bs {
		g := gridOf[b.ID]
		if adj[g] == nil {
			adj[g] = map[string]bool{}
		}
		for _, n := range b.Neighbours {
			if h, ok := gridOf[n]; ok && h != g {
				adj[g][h] = true
				if adj[h] == nil {
					adj[h] = map[string]bool{}
				}
				adj[h][g] = true
			}
		}
	}
	order := make([]string, 0, len(adj))
	for g := range adj {
		order = append(order, g)
	}
	sort.Slice(order, func(i, j int) bool {
		if len(adj[order[i]]) != len(adj[order[j]]) {
			return len(adj[order[i]]) > len(adj[order[j]])
		}
		return order[i] < order[j]
	})
	colour := map[string]string{}
	uses := map[string]int{}
	for _, g := range order {
		taken := map[string]bool{}
		for h := range adj[g] {
			taken[colour[h]] = true
		}
		best := ""
		for _, c := range palette {
			if !taken[c] && (best == "" || uses[c] < uses[best]) {
				best = c
			}
		}
		if best == "" { // more neighbours than colours: cannot happen on a map
			best = palette[len(palette)-1]
		}
		colour[g] = best
		uses[best]++
	}
	return colour
}

// siteMetrics count the pages' failed and refused sign-ins.
type siteMetrics struct {
	failures *prometheus.CounterVec
	refused  prometheus.Counter
}

func newSiteMetrics(reg prometheus.Registerer) *siteMetrics {
	m := &siteMetrics{
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "linli_page_signin_failures_total",
			Help: "Failed sign-ins on the pages, by what was tried (code, token, link, setup)."}, []string{"kind"}),
		refused: prometheus.NewCounter(prometheus.CounterOpts{Name: "linli_page_signin_rate_limited_total",
			Help: "Sign-ins on the pages refused with 429 after too many failed attempts."}),
	}
	reg.MustRegister(m.failures, m.refused)
	return m
}

func (m *siteMetrics) failed(kind string) { m.failures.WithLabelValues(kind).Inc() }
func (m *siteMetrics) limited()           { m.refused.Inc() }
