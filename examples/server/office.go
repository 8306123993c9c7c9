package main

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/governance"
	"github.com/linli-go/linli/grids"
)

// The worker's office pages: meetings (schedule, agenda, notice, minutes
// approved and published), a project's payments (with refunds and
// corrections), and a group's activity with its sign-in sheet.

func (s *site) officeRoutes(handle func(pattern string, h http.Handler)) {
	handle("GET /c/{community}/meetings/new", s.handle(s.meetingForm))
	handle("POST /c/{community}/meetings", s.handle(s.scheduleMeeting))
	handle("GET /c/{community}/meetings/{id}", s.handle(s.meeting))
	handle("POST /c/{community}/meetings/{id}", s.handle(s.changeMeeting))
	handle("POST /c/{community}/projects/{grant}/payments", s.handle(s.pay))
	handle("POST /c/{community}/projects/{grant}/payments/{id}/reverse", s.handle(s.reverse))
	handle("GET /c/{community}/activities/new", s.handle(s.activityForm))
	handle("POST /c/{community}/activities", s.handle(s.recordActivity))
}

var meetingKinds = map[governance.MeetingKind]string{
	governance.RegularMeeting: "例会", governance.SpecialMeeting: "专题会议", governance.Assembly: "居民代表大会", governance.Hearing: "听证会",
	governance.Consultation: "恳谈会", governance.OpenSpace: "开放空间议事会",
}

// localTime reads a date and a time typed in the community's zone.
func (s *site) localTime(date, clock string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02 15:04", strings.TrimSpace(date)+" "+strings.TrimSpace(clock), s.zone)
	if err != nil {
		return t, errors.New("日期或时间的格式不对：日期如 2026-12-10，时间如 19:00。")
	}
	return t, nil
}

// dayOf is the moment a payment made on date is booked at: noon of that
// day in the community's zone, or now if the day is today and noon has
// not come (a receipt of today entered early in the morning is not in
// the future).
func (s *site) dayOf(date string) (time.Time, error) {
	t, err := s.localTime(date, "12:00")
	if err != nil {
		return t, err
	}
	if now := time.Now(); t.After(now) && now.In(s.zone).Format(time.DateOnly) == t.Format(time.DateOnly) {
		return now, nil
	}
	return t, nil
}

type meetingFormView struct {
	Bodies []governance.Body
	Kinds  []kindOption
	Today  string
}

func (s *site) meetingForm(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, ctx, err := s.workerPage(w, r, "安排会议")
	if err != nil {
		return "error", p, err
	}
	bodies, _, err := s.gov.FindBodies(ctx, governance.BodyFilter{CommunityID: p.Community.ID, Page: grids.Page{Limit: grids.MaxLimit, NoTotal: true}})
	v := meetingFormView{Bodies: bodies, Today: time.Now().In(s.zone).Format("2006-01-02")}
	for _, k := range []governance.MeetingKind{governance.RegularMeeting, governance.SpecialMeeting, governance.Hearing, governance.Consultation, governance.OpenSpace, governance.Assembly} {
		v.Kinds = append(v.Kinds, kindOption{Kind: string(k), Name: meetingKinds[k]})
	}
	p.Data = v
	return "meetingnew", p, err
}

func (s *site) scheduleMeeting(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, ctx, err := s.workerPage(w, r, "安排会议")
	if err != nil {
		return "error", p, err
	}
	at, err := s.localTime(r.PostFormValue("date"), r.PostFormValue("time"))
	if err != nil {
		return s.again(w, r, s.meetingForm, err)
	}
	m, err := s.gov.ScheduleMeeting(ctx, p.Community.ID, governance.MeetingInput{BodyID: r.PostFormValue("body"), Kind: governance.MeetingKind(r.PostFormValue("kind")),
		Title: strings.TrimSpace(r.PostFormValue("title")), Place: strings.TrimSpace(r.PostFormValue("place")), ScheduledAt: at})
	if err != nil {
		return s.again(w, r, s.meetingForm, err)
	}
	return redirect(w, r, "/c/"+p.Community.ID+"/meetings/"+m.ID, "scheduled")
}

type meetingView struct {
	Meeting governance.Meeting
	Kind    string
	Status  string
	Minutes string
	Held    []governance.Meeting // later meetings of the body that may approve the minutes
}

func (s *site) meeting(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, ctx, err := s.workerPage(w, r, "会议")
	if err != nil {
		return "error", p, err
	}
	m, err := s.gov.Meeting(ctx, p.Community.ID, r.PathValue("id"))
	if err != nil {
		return "error", p, err
	}
	v := meetingView{Meeting: m, Kind: word(meetingKinds, m.Kind), Status: word(meetingStates, m.Status), Minutes: word(minutesStates, m.Minutes.Status)}
	if m.Minutes.Status == governance.MinutesDraft {
		// The body's later meetings, held or in session, approve them.
		later, _, err := s.gov.FindMeetings(ctx, governance.MeetingFilter{CommunityID: p.Community.ID, BodyID: m.BodyID, From: &m.ScheduledAt,
			Page: grids.Page{Limit: 50, NoTotal: true}})
		if err != nil {
			return "error", p, err
		}
		for _, o := range later {
			if o.ID != m.ID && (o.Status == governance.MeetingInSession || o.Status == governance.MeetingAdjourned) {
				v.Held = append(v.Held, o)
			}
		}
	}
	p.Title, p.Data = m.Title, v
	return "meeting", p, nil
}

// changeMeeting takes one of the meeting page's forms: an agenda item, the
// notice, the minutes approved at a later meeting, or published.
func (s *site) changeMeeting(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, ctx, err := s.workerPage(w, r, "会议")
	if err != nil {
		return "error", p, err
	}
	c, id, f := p.Community.ID, r.PathValue("id"), r.PostFormValue
	switch f("do") {
	case "item":
		minutes, _ := strconv.Atoi(f("minutes"))
		_, err = s.gov.ProposeItem(ctx, c, id, governance.ItemInput{Title: strings.TrimSpace(f("title")), Detail: strings.TrimSpace(f("detail")), Minutes: minutes})
	case "notice":
		_, err = s.gov.GiveNotice(ctx, c, id, strings.TrimSpace(f("notice")))
	case "approve":
		_, err = s.gov.ApproveMinutes(ctx, c, id, f("approved_in"))
	case "publish":
		_, err = s.gov.PublishMinutes(ctx, c, id)
	default:
		err = errors.New("会议页不认识这一步。")
	}
	if err != nil {
		return s.again(w, r, s.meeting, err)
	}
	return redirect(w, r, "/c/"+c+"/meetings/"+id, "saved")
}

// amount reads money typed in yuan: "800", "800.5", "1,200.00".
func amount(s string) (decimal.Decimal, error) {
	d, err := decimal.NewFromString(strings.ReplaceAll(strings.TrimSpace(s), ",", ""))
	if err != nil || !d.IsPositive() || d.Exponent() < -2 {
		return decimal.Zero, errors.New("金额请填写大于零的数字，最多两位小数，如 800 或 800.50。")
	}
	return d, nil
}

// pay books a payment against a budget line, with its receipt.
func (s *site) pay(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, ctx, err := s.workerPage(w, r, "项目经费")
	if err != nil {
		return "error", p, err
	}
	f := r.PostFormValue
	amt, err := amount(f("amount"))
	var date time.Time
	if err == nil {
		date, err = s.dayOf(f("date"))
	}
	if err == nil {
		_, err = s.fnd.Spend(ctx, p.Community.ID, r.PathValue("grant"), funds.SpendInput{ID: f("key"), Line: f("line"), Amount: amt, Payee: strings.TrimSpace(f("payee")),
			ReceiptRef: strings.TrimSpace(f("receipt")), ApprovedBy: strings.TrimSpace(f("approved")), Date: date, Note: strings.TrimSpace(f("note"))})
	}
	if err != nil {
		return s.again(w, r, s.project, err)
	}
	return redirect(w, r, "/c/"+p.Community.ID+"/projects/"+r.PathValue("grant")+"?month="+date.Format("2006-01"), "paid")
}

// reverse books a refund or a correction of a payment.
func (s *site) reverse(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, ctx, err := s.workerPage(w, r, "项目经费")
	if err != nil {
		return "error", p, err
	}
	f := r.PostFormValue
	in := funds.ReversalInput{ID: f("key"), Kind: funds.SpendingKind(f("kind")), Reason: strings.TrimSpace(f("reason"))}
	if strings.TrimSpace(f("amount")) != "" {
		if in.Amount, err = amount(f("amount")); err != nil {
			return s.again(w, r, s.project, err)
		}
	}
	if _, err := s.fnd.Reverse(ctx, p.Community.ID, r.PathValue("id"), in); err != nil {
		return s.again(w, r, s.project, err)
	}
	return redirect(w, r, "/c/"+p.Community.ID+"/projects/"+r.PathValue("grant")+"?month="+time.Now().In(s.zone).Format("2006-01"), "reversed")
}

type activityFormView struct {
	Services []kindOption
	Groups   []governance.Body
	Group    string
	Members  []person
	Today    string
}

// activityForm records an activity of a group with its sign-in sheet: the
// group chosen first, then who came and for how long.
func (s *site) activityForm(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, ctx, err := s.workerPage(w, r, "登记活动")
	if err != nil {
		return "error", p, err
	}
	c := p.Community.ID
	groups, _, err := s.gov.FindBodies(ctx, governance.BodyFilter{CommunityID: c, Kind: governance.Group, Page: grids.Page{Limit: grids.MaxLimit, NoTotal: true}})
	if err != nil {
		return "error", p, err
	}
	v := activityFormView{Services: services, Groups: groups, Group: r.URL.Query().Get("group"), Today: time.Now().In(s.zone).Format("2006-01-02")}
	if v.Group != "" {
		now := time.Now()
		ps, _, err := s.gov.FindPositions(ctx, governance.PositionFilter{CommunityID: c, BodyID: v.Group, ActiveAt: &now, Page: grids.Page{Limit: 200, NoTotal: true}})
		if err != nil {
			return "error", p, err
		}
		var holders []string
		for _, pos := range ps {
			if pos.HolderKind == "resident" && !slices.Contains(holders, pos.HolderID) {
				holders = append(holders, pos.HolderID)
			}
		}
		names := s.namesOf(ctx, c, holders)
		for _, h := range holders {
			v.Members = append(v.Members, person{ID: h, Name: names[h]})
		}
	}
	p.Data = v
	return "activity", p, nil
}

func (s *site) recordActivity(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, _, ctx, err := s.workerPage(w, r, "登记活动")
	if err != nil {
		return "error", p, err
	}
	f := r.PostFormValue
	start, err := s.localTime(f("date"), f("start"))
	var end time.Time
	if err == nil {
		end, err = s.localTime(f("date"), f("end"))
	}
	if err != nil {
		return s.again(w, r, s.activityForm, err)
	}
	in := governance.ActivityInput{BodyID: f("group"), Title: strings.TrimSpace(f("title")), Service: f("service"), Place: strings.TrimSpace(f("place")),
		Start: start, End: end, OrganiserID: f("organiser")}
	for _, id := range r.PostForm["came"] {
		minutes, _ := strconv.Atoi(f("minutes-" + id))
		if minutes == 0 {
			minutes = int(end.Sub(start) / time.Minute)
		}
		in.Participants = append(in.Participants, governance.Participant{ResidentID: id, Minutes: minutes})
	}
	if _, err := s.gov.RecordActivity(ctx, p.Community.ID, in); err != nil {
		return s.again(w, r, s.activityForm, err)
	}
	return redirect(w, r, "/c/"+p.Community.ID+"/activities/new?group="+in.BodyID, "recorded")
}

// services are the kinds of service an activity records, in Chinese.
var services = []kindOption{{"cleaning", "清洁"}, {"patrol", "巡逻"}, {"elder_visit", "探访老人"}, {"meal_delivery", "送餐"},
	{"stairwell_culture", "楼道文化"}, {"after_school", "四点半课堂"}, {"picture_books", "绘本阅读"}, {"greening", "绿化"},
	{"waste_sorting", "垃圾分类"}, {"tai_chi", "太极"}, {"performance", "文艺演出"}, {"festival", "节庆活动"}, {"mediation", "调解"},
	{"caring_parking", "爱心停车"}, {"repair", "义务维修"}, {"haircut", "义务理发"}, {"publicity", "宣传"}, {"youth_volunteering", "青少年志愿"}}
