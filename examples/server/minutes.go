package main

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/linli-go/linli/governance"
)

// minutesView is a meeting's minutes as a document in Chinese, its times
// in the body's zone.
type minutesView struct {
	Title, Status    string
	Draft            bool
	Opened, Closed   string // "2026年3月10日 19:00", "20:35"
	Chair, Secretary string
	Members, Quorum  int
	Attended         int // members present
	Present, Absent  []string
	Motions          []motionLine
	Rulings          []string
	Carried          []string
	Corrections      []string
}

type motionLine struct {
	Kind, Text, Mover, Seconder, Outcome string
	Votes                                []string
	Recused                              string
}

var minutesStates = map[governance.MinutesStatus]string{
	governance.MinutesDraft: "草稿，待下次会议批准", governance.MinutesApproved: "已批准", governance.MinutesPublished: "已公布",
}

// minutesDocument lays the library's minutes out in Chinese.
func minutesDocument(v governance.MinutesView) minutesView {
	loc, err := time.LoadLocation(v.Zone)
	if err != nil {
		loc = time.UTC
	}
	who := func(id string) string {
		if n := v.Names[id]; n != "" {
			return n
		}
		return id
	}
	m := v.Minutes
	out := minutesView{Title: v.Title, Status: word(minutesStates, v.Record.Status), Draft: v.Record.Status == governance.MinutesDraft || v.Record.Status == "",
		Chair: who(m.Chair), Members: m.Members, Quorum: m.Quorum, Carried: []string{}}
	if v.Record.Status == "" {
		out.Status = "会议进行中"
	}
	start := m.Started.In(loc)
	out.Opened = fmt.Sprintf("%d年%d月%d日 %s", start.Year(), start.Month(), start.Day(), start.Format("15:04"))
	if m.Ended != nil {
		out.Closed = m.Ended.In(loc).Format("15:04")
	}
	if m.Secretary != "" {
		out.Secretary = who(m.Secretary)
	}
	for _, a := range m.Present {
		line := who(a.ID) + "（" + word(attendance, a.Mode)
		if !a.Member {
			line += "，列席"
		} else {
			out.Attended++
		}
		out.Present = append(out.Present, line+"）")
	}
	for _, id := range m.Absent {
		out.Absent = append(out.Absent, who(id))
	}
	byID := map[string]string{}
	for i, mo := range m.Motions {
		byID[mo.ID] = fmt.Sprintf("第%d项动议", i+1)
	}
	for _, mo := range m.Motions {
		l := motionLine{Kind: word(motionKinds, mo.Kind), Text: mo.Text, Outcome: word(motionStates, mo.Outcome)}
		if mo.Target != "" && byID[mo.Target] != "" {
			l.Kind += "（针对" + byID[mo.Target] + "）"
		}
		if mo.Mover != "" {
			l.Mover = who(mo.Mover)
		}
		if mo.Seconder != "" {
			l.Seconder = who(mo.Seconder)
		}
		if mo.Ref != "" {
			l.Kind += "（上次会议转来）"
		}
		if mo.Report != "" {
			l.Text += "　委员会报告：" + mo.Report
		}
		for _, vn := range mo.Votes {
			if !vn.Counted {
				l.Votes = append(l.Votes, word(voteMethods, vn.Method))
				continue
			}
			text := fmt.Sprintf("%s：赞成%d，反对%d，弃权%d（有表决权%d人）", word(voteMethods, vn.Method), vn.Yes, vn.No, vn.Abstain, vn.Eligible)
			if len(vn.RollCall) > 0 {
				var names []string
				for id, c := range vn.RollCall {
					names = append(names, who(id)+word(choices, c))
				}
				sort.Strings(names)
				text += "。" + strings.Join(names, "，")
			}
			l.Votes = append(l.Votes, text)
		}
		if len(mo.Recused) > 0 {
			var rs []string
			for _, id := range mo.Recused {
				rs = append(rs, who(id))
			}
			l.Recused = strings.Join(rs, "，")
		}
		out.Motions = append(out.Motions, l)
	}
	for _, r := range m.Rulings {
		ruling := "不成立"
		if r.Sustained {
			ruling = "成立"
		}
		out.Rulings = append(out.Rulings, fmt.Sprintf("%s提出程序问题：“%s”。主持人裁定%s：%s", who(r.By), r.Point, ruling, r.Reason))
	}
	for _, id := range m.Carried {
		if name := byID[id]; name != "" {
			out.Carried = append(out.Carried, name)
		}
	}
	for _, c := range v.Record.Corrections {
		out.Corrections = append(out.Corrections, c.At.In(loc).Format("2006-01-02")+"："+c.Text)
	}
	return out
}

func (s *site) minutes(w http.ResponseWriter, r *http.Request) (string, page, error) {
	p, ctx, err := s.base(r, "会议纪要")
	if err != nil {
		return "minutes", p, err
	}
	m, err := s.gov.Minutes(s.reader(r, ctx, p), p.Community.ID, r.PathValue("id"))
	if err != nil {
		return "minutes", p, err
	}
	doc := minutesDocument(m)
	p.Title, p.Data = m.Title, doc
	return "minutes", p, nil
}
