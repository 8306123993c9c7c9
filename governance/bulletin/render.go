package bulletin

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/internal/money"
)

// Lang is a bulletin's language.
type Lang string

// The languages: Chinese by default, English available.
const (
	Chinese Lang = "zh"
	English Lang = "en"
)

// labels are the bulletin's words in each language.
var labels = map[Lang]map[string]string{
	Chinese: {
		"title": "家住水秀——自治服务月报", "decisions": "议定事项", "by": "议定于", "upcoming": "下月会议与听证", "activities": "小组活动与服务时长",
		"body": "组织", "count": "活动次数", "hours": "服务时长（小时）", "total": "合计", "newgroups": "新成立小组", "warehouse": "义仓捐赠与兑换",
		"donor": "捐赠方", "item": "物品", "qty": "数量", "resident": "居民", "exchanges": "本月兑换 %d 次，使用爱心积分 %s 分。",
		"projects": "1+1+1项目经费", "project": "项目", "granted": "资助", "spent": "本月支出", "todate": "累计支出", "left": "结余",
		"raised": "新提出的议题", "answered": "议题回复", "none": "本月无。", "none_next": "下月暂无安排。", "kind": "类型", "time": "时间", "place": "地点",
		"regular": "例会", "special": "专题会议", "assembly": "代表大会", "hearing": "听证会", "consultation": "恳谈会", "open_space": "开放空间议事会",
		"decided": "已议定", "declined": "不予采纳", "carried_out": "已落实", "raised_status": "已受理", "deliberated": "审议中", "reviewed": "已回访",
	},
	English: {
		"title": "Home in Shuixiu — the self-governance monthly", "decisions": "Decisions", "by": "taken at", "upcoming": "Meetings and hearings next month",
		"activities": "Group activities and hours of service", "body": "Body", "count": "Activities", "hours": "Hours", "total": "Total",
		"newgroups": "New groups", "warehouse": "Warehouse donations and exchanges", "donor": "Donor", "item": "Item", "qty": "Quantity",
		"resident": "a resident", "exchanges": "%d exchanges this month, for %s love points.", "projects": "1+1+1 project funds", "project": "Project",
		"granted": "Granted", "spent": "Spent this month", "todate": "Spent to date", "left": "Left", "raised": "Issues raised", "answered": "Issues answered",
		"none": "None this month.", "none_next": "Nothing scheduled next month.", "kind": "Kind", "time": "When", "place": "Where",
		"regular": "regular meeting", "special": "special meeting", "assembly": "assembly", "hearing": "hearing", "consultation": "consultation", "open_space": "open-space meeting",
		"decided": "decided", "declined": "declined", "carried_out": "carried out", "raised_status": "received", "deliberated": "under deliberation", "reviewed": "reviewed",
	},
}

func (l Lang) words() map[string]string {
	if w, ok := labels[l]; ok {
		return w
	}
	return labels[Chinese]
}

// ParseLang reads a language, Chinese if empty.
func ParseLang(s string) (Lang, bool) {
	switch Lang(s) {
	case "", Chinese:
		return Chinese, true
	case English:
		return English, true
	}
	return Chinese, false
}

// view is what the templates read.
type view struct {
	Bulletin
	W    map[string]string
	Zone *time.Location
	Lang string // the page's HTML language
}

// Money writes an amount as people read it: "12,000.00".
func (v view) Money(d decimal.Decimal) string { return money.Format(d) }

func (v view) When(t time.Time) string { return t.In(v.Zone).Format("2006-01-02 15:04") }

func (v view) Status(s string) string {
	if s == "raised" {
		s = "raised_status"
	}
	if w, ok := v.W[s]; ok {
		return w
	}
	return s
}

func (v view) Donor(d Donation) string {
	if d.Donor == "" {
		return v.W["resident"]
	}
	return d.Donor
}

func (v view) ExchangesLine() string {
	return fmt.Sprintf(v.W["exchanges"], v.Exchanges, v.PointsRedeemed)
}

// Markdown renders the bulletin.
func (b Bulletin) Markdown(lang Lang) string {
	v := view{b, lang.words(), shanghai(), ""}
	w := v.W
	var s strings.Builder
	fmt.Fprintf(&s, "# %s %s · %s\n", b.Community, b.Month, w["title"])
	section := func(title string, empty bool) bool {
		fmt.Fprintf(&s, "\n## %s\n\n", title)
		if empty {
			none := w["none"]
			if title == w["upcoming"] {
				none = w["none_next"]
			}
			s.WriteString(none + "\n")
		}
		return !empty
	}
	if section(w["decisions"], len(b.Decisions) == 0) {
		for _, d := range b.Decisions {
			fmt.Fprintf(&s, "- %s（%s", md(d.Title), md(d.Body))
			if d.Meeting != "" {
				fmt.Fprintf(&s, "，%s %s", w["by"], md(d.Meeting))
			}
			fmt.Fprintf(&s, "，%s）\n", v.When(d.DecidedAt)[:10])
		}
	}
	if section(w["upcoming"], len(b.Upcoming) == 0) {
		fmt.Fprintf(&s, "| %s | %s | %s | %s |\n|---|---|---|---|\n", w["time"], w["kind"], w["body"], w["place"])
		for _, m := range b.Upcoming {
			fmt.Fprintf(&s, "| %s | %s | %s | %s |\n", v.When(m.At), v.Status(string(m.Kind)), md(m.Body), md(m.Place))
		}
	}
	if section(w["activities"], len(b.Groups) == 0) {
		fmt.Fprintf(&s, "| %s | %s | %s |\n|---|---:|---:|\n", w["body"], w["count"], w["hours"])
		for _, g := range b.Groups {
			fmt.Fprintf(&s, "| %s | %d | %s |\n", md(g.Body), g.Activities, g.Hours)
		}
		fmt.Fprintf(&s, "| %s | %d | %s |\n", w["total"], b.Activities, b.Hours)
	}
	if section(w["newgroups"], len(b.NewGroups) == 0) {
		for _, g := range b.NewGroups {
			fmt.Fprintf(&s, "- %s\n", md(g))
		}
	}
	section(w["warehouse"], false)
	if len(b.Donations) > 0 {
		fmt.Fprintf(&s, "| %s | %s | %s |\n|---|---|---:|\n", w["donor"], w["item"], w["qty"])
		for _, d := range b.Donations {
			fmt.Fprintf(&s, "| %s | %s | %d |\n", md(v.Donor(d)), md(d.Item), d.Quantity)
		}
		s.WriteString("\n")
	}
	s.WriteString(v.ExchangesLine() + "\n")
	if section(w["projects"], len(b.Projects) == 0) {
		fmt.Fprintf(&s, "| %s | %s | %s | %s | %s |\n|---|---:|---:|---:|---:|\n", w["project"], w["granted"], w["spent"], w["todate"], w["left"])
		for _, p := range b.Projects {
			fmt.Fprintf(&s, "| %s | %s | %s | %s | %s |\n", md(p.Title), money.Format(p.Granted), money.Format(p.Spent), money.Format(p.SpentToDate), money.Format(p.Left))
		}
	}
	if section(w["raised"], len(b.IssuesRaised) == 0) {
		for _, is := range b.IssuesRaised {
			fmt.Fprintf(&s, "- %s（%s）\n", md(is.Title), v.Status(string(is.Status)))
		}
	}
	if section(w["answered"], len(b.IssuesAnswered) == 0) {
		for _, is := range b.IssuesAnswered {
			fmt.Fprintf(&s, "- %s：%s", md(is.Title), v.Status(string(is.Status)))
			if is.Answer != "" {
				fmt.Fprintf(&s, "。%s", md(is.Answer))
			}
			s.WriteString("\n")
		}
	}
	return s.String()
}

func md(s string) string { return strings.NewReplacer("|", "\\|", "\n", " ").Replace(s) }

var page = template.Must(template.New("bulletin").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>{{.Community}} {{.Month}} {{.W.title}}</title>
<style>@page{size:A4;margin:16mm}body{font:20px/1.7 sans-serif;color:#000;background:#fff;max-width:48em;margin:auto;padding:0 1em}
h1{font-size:1.6em}h2{font-size:1.3em;border-bottom:2px solid #000;margin-top:1.4em}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #000;padding:4px 8px;text-align:left}td.n{text-align:right}</style></head><body>
<h1>{{.Community}} {{.Month}} · {{.W.title}}</h1>
<h2>{{.W.decisions}}</h2>{{if .Decisions}}<ul>{{range .Decisions}}<li>{{.Title}}（{{.Body}}{{if .Meeting}}，{{$.W.by}} {{.Meeting}}{{end}}）</li>{{end}}</ul>{{else}}<p>{{.W.none}}</p>{{end}}
<h2>{{.W.upcoming}}</h2>{{if .Upcoming}}<table><tr><th>{{.W.time}}</th><th>{{.W.kind}}</th><th>{{.W.body}}</th><th>{{.W.place}}</th></tr>
{{range .Upcoming}}<tr><td>{{$.When .At}}</td><td>{{$.Status (printf "%s" .Kind)}}</td><td>{{.Body}}</td><td>{{.Place}}</td></tr>{{end}}</table>{{else}}<p>{{.W.none_next}}</p>{{end}}
<h2>{{.W.activities}}</h2>{{if .Groups}}<table><tr><th>{{.W.body}}</th><th>{{.W.count}}</th><th>{{.W.hours}}</th></tr>
{{range .Groups}}<tr><td>{{.Body}}</td><td class="n">{{.Activities}}</td><td class="n">{{.Hours}}</td></tr>{{end}}
<tr><th>{{.W.total}}</th><th class="n">{{.Activities}}</th><th class="n">{{.Hours}}</th></tr></table>{{else}}<p>{{.W.none}}</p>{{end}}
<h2>{{.W.newgroups}}</h2>{{if .NewGroups}}<ul>{{range .NewGroups}}<li>{{.}}</li>{{end}}</ul>{{else}}<p>{{.W.none}}</p>{{end}}
<h2>{{.W.warehouse}}</h2>{{if .Donations}}<table><tr><th>{{.W.donor}}</th><th>{{.W.item}}</th><th>{{.W.qty}}</th></tr>
{{range .Donations}}<tr><td>{{$.Donor .}}</td><td>{{.Item}}</td><td class="n">{{.Quantity}}</td></tr>{{end}}</table>{{end}}<p>{{.ExchangesLine}}</p>
<h2>{{.W.projects}}</h2>{{if .Projects}}<table><tr><th>{{.W.project}}</th><th>{{.W.granted}}</th><th>{{.W.spent}}</th><th>{{.W.todate}}</th><th>{{.W.left}}</th></tr>
{{range .Projects}}<tr><td>{{.Title}}</td><td class="n">{{$.Money .Granted}}</td><td class="n">{{$.Money .Spent}}</td><td class="n">{{$.Money .SpentToDate}}</td><td class="n">{{$.Money .Left}}</td></tr>{{end}}</table>{{else}}<p>{{.W.none}}</p>{{end}}
<h2>{{.W.raised}}</h2>{{if .IssuesRaised}}<ul>{{range .IssuesRaised}}<li>{{.Title}}（{{$.Status (printf "%s" .Status)}}）</li>{{end}}</ul>{{else}}<p>{{.W.none}}</p>{{end}}
<h2>{{.W.answered}}</h2>{{if .IssuesAnswered}}<ul>{{range .IssuesAnswered}}<li>{{.Title}}：{{$.Status (printf "%s" .Status)}}{{if .Answer}}。{{.Answer}}{{end}}</li>{{end}}</ul>{{else}}<p>{{.W.none}}</p>{{end}}
</body></html>
`))

// HTML renders the bulletin as a printable A4 page, in large type.
func (b Bulletin) HTML(lang Lang) string {
	var buf bytes.Buffer
	htmlLang := "zh-CN"
	if lang == English {
		htmlLang = "en"
	}
	if err := page.Execute(&buf, view{b, lang.words(), shanghai(), htmlLang}); err != nil {
		return "<!doctype html><p>" + template.HTMLEscapeString(err.Error()) + "</p>"
	}
	return buf.String()
}
