package main

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/ids"
	"github.com/linli-go/linli/points"
)

// The pages that act: a worker's day (the registry, the needs queue, the
// claims queue, the warehouse counter) and a resident's own (their needs,
// their groups). Every rule is the library's: a page only asks a service
// and says its answer in Chinese.

// workRoutes registers the pages that act.
func (s *site) workRoutes(handle func(pattern string, h http.Handler)) {
	handle("GET /c/{community}/work", s.handle(s.desk))
	handle("GET /c/{community}/residents", s.handle(s.residents))
	handle("GET /c/{community}/residents/{id}", s.handle(s.resident))
	handle("POST /c/{community}/residents/{id}/archive", s.handle(s.archiveResident))
	handle("POST /c/{community}/residents/{id}/move", s.handle(s.moveResident))
	handle("POST /c/{community}/residents/{id}/signup", s.handle(s.marketSignUp))
	handle("GET /c/{community}/households/new", s.handle(s.householdForm))
	handle("POST /c/{community}/households", s.handle(s.registerHousehold))
	handle("GET /c/{community}/counter/{resident}", s.handle(s.counter))
	handle("POST /c/{community}/counter/{resident}", s.handle(s.exchange))
	handle("GET /c/{community}/receipts/{resident}", s.handle(s.receipt))
	handle("POST /c/{community}/donations", s.handle(s.donate))
	handle("GET /c/{community}/claims", s.handle(s.claims))
	handle("POST /c/{community}/claims/{id}", s.handle(s.verify))
	handle("GET /c/{community}/needs", s.handle(s.needs))
	handle("POST /c/{community}/needs/{id}", s.handle(s.actOnNeed))
	handle("GET /c/{community}/my", s.handle(s.mine))
	handle("POST /c/{community}/my/needs", s.handle(s.raiseNeed))
	handle("POST /c/{community}/groups/{id}/join", s.handle(s.joinGroup))
}

// done are the messages a page shows after a form succeeded (by key, so a
// link cannot make a page say anything else).
var done = map[string]string{
	"exchanged": "兑换完成，收据如下。", "donated": "捐赠已登记入库。", "verified": "已审核通过，积分已入账。", "rejected": "已退回这条申报。",
	"need": "已处理。", "raised": "已提交，社区会尽快答复。", "joined": "已加入小组。", "declined": "已谢绝邀请。", "invited": "邀请已发出。", "archived": "已归档。", "moved": "已登记搬家。",
	"registered": "住户已登记。", "signedup": "市集报名已登记，已加入小组。", "opened": "会议开始了。", "move": "已记录这一步。",
	"scheduled": "会议已安排。", "saved": "已保存。", "paid": "支出已入账。", "reversed": "已入账（退款或更正）。", "recorded": "活动和签到已登记。",
}

// acting is the signed-in person of this community who posts or opens a
// page that acts: the context to act in, or an error to show.
func (s *site) acting(r *http.Request, p *page) (grids.Principal, context.Context, error) {
	se, ok := s.signedIn(r)
	if !ok || !se.Principal.In(p.Community.ID) {
		return grids.Principal{}, nil, grids.ErrNoPrincipal.Refuse("请先登录。")
	}
	p.SignedIn, p.CSRF, p.Worker = se.Principal.Name, se.CSRF, se.Principal.Administers(p.Community.ID)
	p.Resident = se.Principal.ResidentID != ""
	if r.Method == http.MethodPost {
		if _, err := s.session(r); err != nil {
			return grids.Principal{}, nil, err
		}
	}
	return se.Principal, grids.WithPrincipal(r.Context(), se.Principal), nil
}

// worker is acting for a worker's page.
func (s *site) worker(r *http.Request, p *page) (grids.Principal, context.Context, error) {
	who, ctx, err := s.acting(r, p)
	if err == nil && !who.Administers(p.Community.ID) {
		err = grids.ErrWorkersOnly.Refuse("这是社区工作人员的页面。")
	}
	return who, ctx, err
}

// workerPage begins a worker's page: the community, the form if one was
// posted, and the signed-in worker acting.
func (s *site) workerPage(w http.ResponseWriter, r *http.Request, title string) (page, grids.Principal, context.Context, error) {
	p, _, err := s.base(r, title)
	if err != nil {
		return p, grids.Principal{}, nil, err
	}
	if r.Method == http.MethodPost {
		form(w, r)
	}
	who, ctx, err := s.worker(r, &p)
	return p, who, ctx, err
}

// form reads a posted form, at most 64 KiB.
func form(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	_ = r.ParseForm()
}

// redirect answers a form that succeeded: see the result (post, redirect,
// get), with the message of key.
func redirect(w http.ResponseWriter, r *http.Request, path, key string) (string, page, error) {
	q := url.Values{"ok": {key}}
	if i := strings.IndexByte(path, '?'); i >= 0 {
		extra, _ := url.ParseQuery(path[i+1:])
		for k, v := range extra {
			q[k] = v
		}
		path = path[:i]
	}
	http.Redirect(w, r, path+"?"+q.Encode(), http.StatusSeeOther)
	return "", page{}, nil
}

// again shows a form's page once more with what went wrong: the page as
// show makes it, the refusal in Chinese on top, and the status it calls for.
func (s *site) again(w http.ResponseWriter, r *http.Request, show pageHandler, failed error) (string, page, error) {
	r.Method = http.MethodGet
	name, p, err := show(w, r)
	if err != nil {
		return name, p, err
	}
	p.Error, p.status = messageOf(failed, 0), statusOf(failed)
	return name, p, nil
}

// statusOf is the HTTP status of a refusal.
func statusOf(err error) int {
	if st := map[string]int{"not_found": 404, "forbidden": 403, "invalid": 400, "unauthorized": 401, "conflict": 409, "failed_precondition": 409, "unavailable": 503}[codeOf(err)]; st != 0 {
		return st
	}
	return http.StatusBadRequest
}

// ---- the desk ----

type deskView struct {
	Needs, Claims int
}

func (s *site) desk(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, ctx, err := s.workerPage(w, r, "今日工作")
	if err != nil {
		return "error", p, err
	}
	var v deskView
	_, v.Needs, err = s.reg.FindNeeds(ctx, grids.NeedFilter{CommunityID: p.Community.ID, Status: grids.NeedReceived, Page: grids.Page{Limit: 1}})
	if err != nil {
		return "error", p, err
	}
	_, v.Claims, err = s.pts.Claims(ctx, p.Community.ID, points.ClaimFilter{Status: points.Claimed, Page: grids.Page{Limit: 1}})
	p.Data = v
	return "desk", p, err
}

// ---- the registry ----

type residentsView struct {
	Query     string
	Residents []residentLine
}

type residentLine struct {
	grids.Resident
	Unit string
}

// residents finds residents by name, phone or unit.
func (s *site) residents(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, ctx, err := s.workerPage(w, r, "查找居民")
	if err != nil {
		return "error", p, err
	}
	v := residentsView{Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	p.Data = &v
	if v.Query == "" {
		return "residents", p, nil
	}
	c := p.Community.ID
	found := map[string]bool{}
	add := func(rs []grids.Resident) {
		for _, res := range rs {
			if !found[res.ID] && len(v.Residents) < 50 {
				found[res.ID] = true
				v.Residents = append(v.Residents, residentLine{Resident: res})
			}
		}
	}
	page := grids.Page{Limit: 50, NoTotal: true}
	byName, _, err := s.reg.FindResidents(ctx, grids.ResidentFilter{CommunityID: c, Name: v.Query, Page: page})
	if err != nil {
		return "residents", p, err
	}
	add(byName)
	if strings.ContainsAny(v.Query, "0123456789") {
		byPhone, _, err := s.reg.FindResidents(ctx, grids.ResidentFilter{CommunityID: c, Phone: v.Query, Page: page})
		if err != nil {
			return "residents", p, err
		}
		add(byPhone)
		hs, _, err := s.reg.FindHouseholds(ctx, grids.HouseholdFilter{CommunityID: c, Unit: v.Query, Page: grids.Page{Limit: 20, NoTotal: true}})
		if err != nil {
			return "residents", p, err
		}
		for _, h := range hs {
			rs, _, err := s.reg.FindResidents(ctx, grids.ResidentFilter{CommunityID: c, HouseholdID: h.ID, Page: page})
			if err != nil {
				return "residents", p, err
			}
			add(rs)
		}
	}
	units := map[string]string{}
	for i, res := range v.Residents {
		if _, ok := units[res.HouseholdID]; !ok {
			if h, err := s.reg.Household(ctx, c, res.HouseholdID); err == nil {
				units[res.HouseholdID] = h.Unit
			}
		}
		v.Residents[i].Unit = units[res.HouseholdID]
	}
	return "residents", p, nil
}

type residentView struct {
	Resident        grids.Resident
	Household       grids.Household
	Building        string
	Vulnerabilities []string
	Age             int
	Balance         string
	Housemates      []grids.Resident
	Buildings       []grids.Building  // where a move may go
	Markets         []points.Market   // market days near today, for the sign-up corner
	Groups          []governance.Body // groups to sign up for
}

func (s *site) resident(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, ctx, err := s.workerPage(w, r, "居民")
	if err != nil {
		return "error", p, err
	}
	c := p.Community.ID
	res, err := s.reg.Resident(ctx, c, r.PathValue("id"))
	if err != nil {
		return "error", p, err
	}
	v := residentView{Resident: res, Age: time.Now().In(s.zone).Year() - res.BirthYear}
	if v.Household, err = s.reg.Household(ctx, c, res.HouseholdID); err != nil {
		return "error", p, err
	}
	if b, err := s.reg.Building(ctx, c, v.Household.BuildingID); err == nil {
		v.Building = b.Name
	}
	for _, vu := range res.Profile(time.Now().In(s.zone).Year()) {
		v.Vulnerabilities = append(v.Vulnerabilities, vu.Chinese())
	}
	v.Housemates, _, err = s.reg.FindResidents(ctx, grids.ResidentFilter{CommunityID: c, HouseholdID: res.HouseholdID, Page: grids.Page{Limit: 20, NoTotal: true}})
	if err != nil {
		return "error", p, err
	}
	v.Housemates = slices.DeleteFunc(v.Housemates, func(o grids.Resident) bool { return o.ID == res.ID })
	if pb, err := s.pts.Passbook(ctx, c, res.ID, time.Time{}, time.Time{}); err == nil {
		v.Balance = pb.Balance.String()
	}
	if v.Buildings, _, err = s.reg.FindBuildings(ctx, grids.BuildingFilter{CommunityID: c, Page: grids.Page{Limit: grids.MaxLimit, NoTotal: true}}); err != nil {
		return "error", p, err
	}
	slices.SortFunc(v.Buildings, func(a, b grids.Building) int { return strings.Compare(a.Name, b.Name) })
	from, to := time.Now().AddDate(0, -1, 0), time.Now().AddDate(0, 1, 0)
	if v.Markets, _, err = s.pts.Markets(ctx, c, &from, &to, grids.Page{Limit: 20, NoTotal: true}); err != nil {
		return "error", p, err
	}
	if len(v.Markets) > 0 {
		if v.Groups, _, err = s.gov.FindBodies(ctx, governance.BodyFilter{CommunityID: c, Kind: governance.Group, Page: grids.Page{Limit: grids.MaxLimit, NoTotal: true}}); err != nil {
			return "error", p, err
		}
	}
	p.Title, p.Data = res.Name, v
	return "resident", p, nil
}

func (s *site) archiveResident(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, ctx, err := s.workerPage(w, r, "居民")
	if err != nil {
		return "error", p, err
	}
	id := r.PathValue("id")
	if _, err := s.reg.ArchiveResident(ctx, p.Community.ID, id, grids.ArchiveInput{Reason: strings.TrimSpace(r.PostFormValue("reason"))}); err != nil {
		return s.again(w, r, s.resident, err)
	}
	return redirect(w, r, "/c/"+p.Community.ID+"/residents/"+id, "archived")
}

// moveResident records a move to another household of the community, found
// by its unit.
func (s *site) moveResident(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, ctx, err := s.workerPage(w, r, "居民")
	if err != nil {
		return "error", p, err
	}
	id, unit := r.PathValue("id"), strings.TrimSpace(r.PostFormValue("unit"))
	hs, _, err := s.reg.FindHouseholds(ctx, grids.HouseholdFilter{CommunityID: p.Community.ID, BuildingID: r.PostFormValue("building"), Unit: unit,
		Page: grids.Page{Limit: 2, NoTotal: true}})
	if err == nil && len(hs) != 1 {
		err = errors.New("找不到门牌号为“" + unit + "”的住户，请先登记这户，或检查门牌号。")
	}
	if err == nil {
		_, err = s.reg.UpdateResident(ctx, p.Community.ID, id, grids.ResidentUpdate{HouseholdID: &hs[0].ID})
	}
	if err != nil {
		return s.again(w, r, s.resident, err)
	}
	return redirect(w, r, "/c/"+p.Community.ID+"/residents/"+id, "moved")
}

// marketSignUp signs a resident up for a group at a market day's corner.
func (s *site) marketSignUp(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, ctx, err := s.workerPage(w, r, "居民")
	if err != nil {
		return "error", p, err
	}
	id := r.PathValue("id")
	if _, err := s.pts.SignUp(ctx, p.Community.ID, r.PostFormValue("market"), points.SignUpInput{ResidentID: id, GroupID: r.PostFormValue("group")}); err != nil {
		return s.again(w, r, s.resident, err)
	}
	return redirect(w, r, "/c/"+p.Community.ID+"/residents/"+id, "signedup")
}

type householdView struct {
	Buildings []grids.Building
	Rows      []int
}

func (s *site) householdForm(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, ctx, err := s.workerPage(w, r, "登记住户")
	if err != nil {
		return "error", p, err
	}
	bs, _, err := s.reg.FindBuildings(ctx, grids.BuildingFilter{CommunityID: p.Community.ID, Page: grids.Page{Limit: grids.MaxLimit, NoTotal: true}})
	slices.SortFunc(bs, func(a, b grids.Building) int { return strings.Compare(a.Name, b.Name) })
	p.Data = householdView{Buildings: bs, Rows: []int{0, 1, 2, 3}}
	return "household", p, err
}

// registerHousehold registers a household and the residents listed with
// it. The household comes first; a resident refused is said, and the
// household stays registered (a worker adds the rest on its page).
func (s *site) registerHousehold(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, ctx, err := s.workerPage(w, r, "登记住户")
	if err != nil {
		return "error", p, err
	}
	c := p.Community.ID
	var people []grids.ResidentInput
	for i := range 4 {
		n := strconv.Itoa(i)
		name := strings.TrimSpace(r.PostFormValue("name" + n))
		if name == "" {
			continue
		}
		born, _ := strconv.Atoi(r.PostFormValue("born" + n))
		people = append(people, grids.ResidentInput{Name: name, Sex: grids.Sex(r.PostFormValue("sex" + n)), BirthYear: born,
			Phone: strings.TrimSpace(r.PostFormValue("phone" + n))})
	}
	if len(people) == 0 {
		return s.again(w, r, s.householdForm, errors.New("请至少填写一位居民的姓名。"))
	}
	h, err := s.reg.CreateHousehold(ctx, c, grids.HouseholdInput{BuildingID: r.PostFormValue("building"), Unit: strings.TrimSpace(r.PostFormValue("unit")), Size: len(people)})
	if err != nil {
		return s.again(w, r, s.householdForm, err)
	}
	var first string
	for _, in := range people {
		in.HouseholdID = h.ID
		res, err := s.reg.CreateResident(ctx, c, in)
		if err != nil {
			return s.again(w, r, s.householdForm, errors.New("住户已登记，但居民“"+in.Name+"”没有登记上："+messageOf(err, 0)+"请在查找居民中补登。"))
		}
		if first == "" {
			first = res.ID
		}
	}
	return redirect(w, r, "/c/"+c+"/residents/"+first, "registered")
}

// ---- the warehouse counter ----

type counterView struct {
	Resident grids.Resident
	Balance  string
	Items    []counterItem
	Token    string // makes a repeated form one exchange
}

type counterItem struct {
	points.Item
	Key string // the exchange's ID, should this item be taken
}

// counter is the warehouse counter for one resident: their balance and
// the catalogue to pick from.
func (s *site) counter(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, ctx, err := s.workerPage(w, r, "义仓柜台")
	if err != nil {
		return "error", p, err
	}
	c := p.Community.ID
	res, err := s.reg.Resident(ctx, c, r.PathValue("resident"))
	if err != nil {
		return "error", p, err
	}
	pb, err := s.pts.Passbook(ctx, c, res.ID, time.Time{}, time.Time{})
	if err != nil {
		return "error", p, err
	}
	items, _, err := s.pts.Items(ctx, c, points.ItemFilter{Page: grids.Page{Limit: grids.MaxLimit, NoTotal: true}})
	v := counterView{Resident: res, Balance: pb.Balance.String(), Token: ids.New()}
	for _, it := range items {
		v.Items = append(v.Items, counterItem{Item: it, Key: ids.New()})
	}
	p.Title, p.Data = "义仓柜台 · "+res.Name, v
	return "counter", p, err
}

// exchange takes the items picked: one exchange per item, each with the
// ID the form was given, so sending the form again makes none twice.
func (s *site) exchange(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, ctx, err := s.workerPage(w, r, "义仓柜台")
	if err != nil {
		return "error", p, err
	}
	c, resident := p.Community.ID, r.PathValue("resident")
	var made []string
	for _, item := range r.PostForm["item"] {
		qty, _ := strconv.ParseInt(r.PostFormValue("qty-"+item), 10, 64)
		if qty <= 0 {
			continue
		}
		x, err := s.pts.Exchange(ctx, c, points.ExchangeInput{ID: r.PostFormValue("key-" + item), ResidentID: resident, ItemID: item, Quantity: qty})
		if err != nil {
			if len(made) > 0 {
				err = errors.New("前面的物品已兑换（见收据），这一件没有换成：" + messageOf(err, 0))
			}
			return s.again(w, r, s.counter, err)
		}
		made = append(made, x.ID)
	}
	if len(made) == 0 {
		return s.again(w, r, s.counter, errors.New("请先填写要兑换的数量。"))
	}
	return redirect(w, r, "/c/"+c+"/receipts/"+resident+"?x="+strings.Join(made, ","), "exchanged")
}

type receiptView struct {
	Resident grids.Resident
	Lines    []receiptLine
	Total    string
	Balance  string
	At       time.Time
}

type receiptLine struct {
	Name, Unit string
	Quantity   int64
	Points     string
}

// receipt prints the exchanges just made.
func (s *site) receipt(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, ctx, err := s.workerPage(w, r, "兑换收据")
	if err != nil {
		return "error", p, err
	}
	c := p.Community.ID
	res, err := s.reg.Resident(ctx, c, r.PathValue("resident"))
	if err != nil {
		return "error", p, err
	}
	v := receiptView{Resident: res, At: time.Now()}
	total := points.Exchange{}.Points
	for _, id := range strings.Split(r.URL.Query().Get("x"), ",") {
		x, err := s.pts.ExchangeByID(ctx, c, id)
		if err != nil || x.ResidentID != res.ID {
			continue
		}
		it, err := s.pts.Item(ctx, c, x.ItemID)
		if err != nil {
			return "error", p, err
		}
		v.Lines = append(v.Lines, receiptLine{Name: it.Name, Unit: it.Unit, Quantity: x.Quantity, Points: x.Points.String()})
		total = total.Add(x.Points)
		v.At = x.CreatedAt
	}
	pb, err := s.pts.Passbook(ctx, c, res.ID, time.Time{}, time.Time{})
	if err != nil {
		return "error", p, err
	}
	v.Total, v.Balance = total.String(), pb.Balance.String()
	p.Data = v
	return "receipt", p, nil
}

// donate records a donation from the counter page.
func (s *site) donate(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, ctx, err := s.workerPage(w, r, "登记捐赠")
	if err != nil {
		return "error", p, err
	}
	qty, _ := strconv.ParseInt(r.PostFormValue("quantity"), 10, 64)
	_, err = s.pts.Donate(ctx, p.Community.ID, points.DonationInput{ID: r.PostFormValue("key"), ItemID: r.PostFormValue("item"), Quantity: qty, Condition: "new",
		Donor: points.Party{Kind: points.PartyKind(r.PostFormValue("kind")), Name: strings.TrimSpace(r.PostFormValue("donor"))}})
	back := r.PostFormValue("back")
	if !strings.HasPrefix(back, "/c/"+p.Community.ID+"/") {
		back = "/c/" + p.Community.ID + "/work"
	}
	if err != nil {
		return "error", p, err
	}
	return redirect(w, r, back, "donated")
}

// ---- the claims queue ----

type claimsView struct {
	Claims []claimLine
}

type claimLine struct {
	points.Claim
	Volunteer, Activity, RecordedBy string
	Hours                           string
	// Mine: the signed-in worker claimed it or recorded the attendance it
	// rests on, so the page offers no verification (the library refuses it
	// too).
	Mine bool
}

func (s *site) claims(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, who, ctx, err := s.workerPage(w, r, "服务申报审核")
	if err != nil {
		return "error", p, err
	}
	c := p.Community.ID
	cs, _, err := s.pts.Claims(ctx, c, points.ClaimFilter{Status: points.Claimed, Page: grids.Page{Limit: 50, NoTotal: true}})
	if err != nil {
		return "error", p, err
	}
	var v claimsView
	for _, cl := range cs {
		l := claimLine{Claim: cl, Hours: duration(cl.Minutes)}
		if res, err := s.reg.Resident(ctx, c, cl.ResidentID); err == nil {
			l.Volunteer = res.Name
		}
		if a, err := s.gov.Activity(ctx, c, cl.ActivityID); err == nil {
			l.Activity, l.RecordedBy = a.Title, a.CreatedBy
		}
		l.Mine = cl.ClaimedBy == who.ID || l.RecordedBy == who.ID || who.ResidentID != "" && cl.ResidentID == who.ResidentID
		v.Claims = append(v.Claims, l)
	}
	p.Data = v
	return "claims", p, nil
}

func (s *site) verify(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, ctx, err := s.workerPage(w, r, "服务申报审核")
	if err != nil {
		return "error", p, err
	}
	approve := r.PostFormValue("decision") == "approve"
	_, err = s.pts.Verify(ctx, p.Community.ID, r.PathValue("id"), points.VerifyInput{Approve: approve, Note: strings.TrimSpace(r.PostFormValue("note"))})
	if err != nil {
		return s.again(w, r, s.claims, err)
	}
	key := "verified"
	if !approve {
		key = "rejected"
	}
	return redirect(w, r, "/c/"+p.Community.ID+"/claims", key)
}

// ---- the needs queue ----

type needsView struct {
	Status string
	Needs  []needLine
	Bodies []governance.Body
}

type needLine struct {
	grids.Need
	Kind, Status, Assignee string
	Open                   bool
}

func (s *site) needs(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, ctx, err := s.workerPage(w, r, "需求与建议")
	if err != nil {
		return "error", p, err
	}
	c := p.Community.ID
	v := needsView{Status: r.URL.Query().Get("status")}
	if v.Status == "" {
		v.Status = string(grids.NeedReceived)
	}
	ns, _, err := s.reg.FindNeeds(ctx, grids.NeedFilter{CommunityID: c, Status: grids.NeedStatus(v.Status), Page: grids.Page{Limit: 50, NoTotal: true}})
	if err != nil {
		return "needs", p, err
	}
	bodies, _, err := s.gov.FindBodies(ctx, governance.BodyFilter{CommunityID: c, Page: grids.Page{Limit: grids.MaxLimit, NoTotal: true}})
	if err != nil {
		return "needs", p, err
	}
	names := map[string]string{}
	for _, b := range bodies {
		names[b.ID] = bodyName(b)
		if b.Kind == governance.Committee || b.Kind == governance.Group {
			v.Bodies = append(v.Bodies, b)
		}
	}
	for _, n := range ns {
		l := needLine{Need: n, Kind: word(needKinds, n.Kind), Status: word(needStates, n.Status), Open: !n.Status.Final()}
		if n.Assignee != nil {
			l.Assignee = names[n.Assignee.ID]
		}
		v.Needs = append(v.Needs, l)
	}
	p.Data = v
	return "needs", p, nil
}

// bodyName is a body's Chinese name, its name if it has none.
func bodyName(b governance.Body) string {
	if b.ChineseName != "" {
		return b.ChineseName
	}
	return b.Name
}

func (s *site) actOnNeed(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, ctx, err := s.workerPage(w, r, "需求与建议")
	if err != nil {
		return "error", p, err
	}
	a := grids.NeedAction{Action: r.PostFormValue("action"), Reply: strings.TrimSpace(r.PostFormValue("reply"))}
	if a.Action == "assign" {
		kind := "group"
		if b, err := s.gov.Body(ctx, p.Community.ID, r.PostFormValue("body")); err == nil && b.Kind == governance.Committee {
			kind = "committee"
		}
		a.Assignee = &grids.Ref{Kind: kind, ID: r.PostFormValue("body")}
	}
	if _, err := s.reg.ActOnNeed(ctx, p.Community.ID, r.PathValue("id"), a); err != nil {
		return s.again(w, r, s.needs, err)
	}
	return redirect(w, r, "/c/"+p.Community.ID+"/needs?status="+url.QueryEscape(r.URL.Query().Get("status")), "need")
}

// ---- the resident's own ----

type mineView struct {
	Needs       []needLine
	Groups      []groupLine
	Others      []governance.Body // groups to join
	Invitations []invitationLine
}

// invitationLine is an open invitation to a group, in the resident's words.
type invitationLine struct {
	ID, Group, Tags string
	Metres          int
}

type groupLine struct {
	Name string
	Next []governance.Activity
}

// mine is a resident's page: their household's needs with the replies, a
// form to raise one, their groups with what comes next, groups to join.
func (s *site) mine(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, err := s.base(r, "我的社区")
	if err != nil {
		return "error", p, err
	}
	who, ctx, err := s.acting(r, &p)
	if err != nil {
		http.Redirect(w, r, "/c/"+p.Community.ID+"/signin", http.StatusSeeOther)
		return "", p, nil
	}
	if who.ResidentID == "" {
		return "error", p, errors.New("这是居民的页面：请用居民的登录卡登录。")
	}
	c := p.Community.ID
	res, err := s.reg.Resident(ctx, c, who.ResidentID)
	if err != nil {
		return "error", p, err
	}
	var v mineView
	ns, _, err := s.reg.FindNeeds(ctx, grids.NeedFilter{CommunityID: c, HouseholdID: res.HouseholdID, Page: grids.Page{Limit: 50, NoTotal: true}})
	if err != nil {
		return "error", p, err
	}
	for _, n := range ns {
		v.Needs = append(v.Needs, needLine{Need: n, Kind: word(needKinds, n.Kind), Status: word(needStates, n.Status)})
	}
	slices.Reverse(v.Needs)
	now := time.Now()
	mine, _, err := s.gov.FindPositions(ctx, governance.PositionFilter{CommunityID: c, HolderID: who.ResidentID, ActiveAt: &now, Page: grids.Page{Limit: 50, NoTotal: true}})
	if err != nil {
		return "error", p, err
	}
	in := map[string]bool{}
	bodies, _, err := s.gov.FindBodies(ctx, governance.BodyFilter{CommunityID: c, Kind: governance.Group, Page: grids.Page{Limit: grids.MaxLimit, NoTotal: true}})
	if err != nil {
		return "error", p, err
	}
	byID := map[string]governance.Body{}
	for _, b := range bodies {
		byID[b.ID] = b
	}
	later := now.AddDate(0, 2, 0)
	for _, pos := range mine {
		b, ok := byID[pos.BodyID]
		if !ok || in[b.ID] {
			continue
		}
		in[b.ID] = true
		acts, _, err := s.gov.FindActivities(ctx, governance.ActivityFilter{CommunityID: c, BodyID: b.ID, From: &now, To: &later, Page: grids.Page{Limit: 3, NoTotal: true}})
		if err != nil {
			return "error", p, err
		}
		v.Groups = append(v.Groups, groupLine{Name: bodyName(b), Next: acts})
	}
	for _, b := range bodies {
		if !in[b.ID] {
			v.Others = append(v.Others, b)
		}
	}
	invs, _, err := s.gov.FindInvitations(ctx, governance.InvitationFilter{CommunityID: c, State: governance.InvitationOpen, Page: grids.Page{Limit: 20, NoTotal: true}})
	if err != nil {
		return "error", p, err
	}
	for _, inv := range invs {
		v.Invitations = append(v.Invitations, invitationLine{ID: inv.ID, Group: bodyName(byID[inv.GroupID]), Tags: tagsText(inv.Tags), Metres: inv.Metres})
	}
	p.Data = v
	return "mine", p, nil
}

func (s *site) raiseNeed(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, err := s.base(r, "我的社区")
	if err != nil {
		return "error", p, err
	}
	form(w, r)
	_, ctx, err := s.acting(r, &p)
	if err != nil {
		return "error", p, err
	}
	_, err = s.reg.RaiseNeed(ctx, p.Community.ID, grids.NeedInput{Kind: grids.NeedKind(r.PostFormValue("kind")), Source: grids.SourceOnline,
		Title: strings.TrimSpace(r.PostFormValue("title")), Detail: strings.TrimSpace(r.PostFormValue("detail"))})
	if err != nil {
		return s.again(w, r, s.mine, err)
	}
	return redirect(w, r, "/c/"+p.Community.ID+"/my", "raised")
}

func (s *site) joinGroup(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, err := s.base(r, "我的社区")
	if err != nil {
		return "error", p, err
	}
	form(w, r)
	_, ctx, err := s.acting(r, &p)
	if err != nil {
		return "error", p, err
	}
	if _, err := s.gov.Join(ctx, p.Community.ID, r.PathValue("id")); err != nil {
		return s.again(w, r, s.mine, err)
	}
	return redirect(w, r, "/c/"+p.Community.ID+"/my", "joined")
}
