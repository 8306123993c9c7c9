package funds

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/linli-go/linli/grids/ledger"
	"github.com/linli-go/linli/grids/record"
	"github.com/linli-go/linli/internal/errs"
)

// flows is what moved on an account in a period, by transfer code.
type flows struct {
	open, close int64 // balances (credits less debits) before and after
	in, out     map[uint16]int64
	records     []string // the records behind the transfers, in booking order
}

// flowsOf reads an account's history in [from, to) by booking time.
func flowsOf(ctx context.Context, bk ledger.Books, id ledger.ID, from, to time.Time) (flows, error) {
	f := flows{in: map[uint16]int64{}, out: map[uint16]int64{}}
	st, err := statement(ctx, bk, id, from, to)
	if err != nil {
		return f, err
	}
	open, _ := fen("", st.Opening)
	closing, _ := fen("", st.Closing)
	f.open, f.close = open, closing
	entries, err := bk.Statement(ctx, id, ledger.Nanos(from), ledger.Nanos(to)-1, 0)
	for _, e := range entries {
		f.records = append(f.records, ledger.RecordOf(e.Transfer.UserData128))
		if e.Transfer.CreditAccountID == id {
			f.in[e.Transfer.Code] += e.Transfer.Amount
		} else {
			f.out[e.Transfer.Code] += e.Transfer.Amount
		}
	}
	return f, err
}

// LineReport is a budget line's month.
type LineReport struct {
	Key         string          `json:"key"`
	Name        string          `json:"name,omitempty"`
	Category    string          `json:"category"`
	Budget      decimal.Decimal `json:"budget"`
	Spent       decimal.Decimal `json:"spent"` // in the month, net of reversals
	SpentToDate decimal.Decimal `json:"spent_to_date"`
	Remaining   decimal.Decimal `json:"remaining"` // budget less spent to date: the variance
}

// ProjectReport is a funded project's monthly spending report (每月通报).
type ProjectReport struct {
	Grant     Grant           `json:"grant"`
	Month     string          `json:"month"`
	From      time.Time       `json:"from"`
	To        time.Time       `json:"to"`
	Opening   decimal.Decimal `json:"opening"`  // granted money not spent, at the month's start
	Granted   decimal.Decimal `json:"granted"`  // awarded in the month
	Released  decimal.Decimal `json:"released"` // instalments released in the month
	Spent     decimal.Decimal `json:"spent"`    // payments booked in the month
	Returned  decimal.Decimal `json:"returned"` // refunds and corrections booked in the month
	Closing   decimal.Decimal `json:"closing"`
	Available decimal.Decimal `json:"available"` // released and not spent, at the month's end
	Lines     []LineReport    `json:"lines"`
	Entries   []Spending      `json:"entries"` // every record booked in the month, with its receipt
}

// ProjectReport reports a grant's month (2006-01, in the service's zone)
// from the ledger's history by booking time: a closed month's report
// never changes, and a later correction shows in the month it is made.
// Every member reads it.
func (s *Service) ProjectReport(ctx context.Context, communityID, grantID, month string) (ProjectReport, error) {
	if _, err := s.gate.Member(ctx, communityID); err != nil {
		return ProjectReport{}, err
	}
	from, to, err := s.month(month)
	if err != nil {
		return ProjectReport{}, err
	}
	var r ProjectReport
	err = s.view(ctx, func(tx Tx) error {
		g, err := tx.Grants().Get(ctx, communityID, grantID)
		if err != nil {
			return err
		}
		r = ProjectReport{Grant: g, Month: month, From: from, To: to, Lines: []LineReport{}}
		bk := booksOf(tx, communityID)
		ear, err := flowsOf(ctx, bk, earmarkedAccount(communityID, grantID).ID, from, to)
		if err != nil {
			return err
		}
		av, err := flowsOf(ctx, bk, availableAccount(communityID, grantID).ID, from, to)
		if err != nil {
			return err
		}
		r.Opening, r.Closing, r.Available = yuan(ear.open+av.open), yuan(ear.close+av.close), yuan(av.close)
		r.Granted, r.Released = yuan(ear.in[CodeGrant]), yuan(av.in[CodeRelease])
		r.Spent, r.Returned = yuan(av.out[CodeSpend]), yuan(av.in[CodeRefund]+av.in[CodeCorrection])
		for _, l := range g.Lines {
			month, err := flowsOf(ctx, bk, lineAccount(communityID, grantID, l.Key).ID, from, to)
			if err != nil {
				return err
			}
			todate, err := flowsOf(ctx, bk, lineAccount(communityID, grantID, l.Key).ID, time.Time{}, to)
			if err != nil {
				return err
			}
			spent := month.out[CodeSpend] - month.in[CodeRefund] - month.in[CodeCorrection]
			spentToDate := todate.out[CodeSpend] - todate.in[CodeRefund] - todate.in[CodeCorrection]
			budget, _ := fen("", l.Amount)
			r.Lines = append(r.Lines, LineReport{Key: l.Key, Name: l.Name, Category: l.Category, Budget: l.Amount, Spent: yuan(spent), SpentToDate: yuan(spentToDate), Remaining: yuan(budget - spentToDate)})
		}
		// The entries are the records behind the month's transfers, so they
		// go by the same booking time as the figures.
		r.Entries = []Spending{}
		for _, id := range av.records {
			sp, err := tx.Spendings().Get(ctx, communityID, id)
			if errors.Is(err, errs.NotFound) {
				continue // a release: the grant itself
			}
			if err != nil {
				return err
			}
			r.Entries = append(r.Entries, sp)
		}
		return nil
	})
	return r, err
}

// ProjectLine is one funded project in a fund's month.
type ProjectLine struct {
	GrantID     string          `json:"grant_id"`
	Title       string          `json:"title"`
	Amount      decimal.Decimal `json:"amount"`
	Spent       decimal.Decimal `json:"spent"` // in the month, net of reversals
	SpentToDate decimal.Decimal `json:"spent_to_date"`
}

// FundReport is a fund's monthly report: its statement for the month and
// the spending of every project it funds.
type FundReport struct {
	Fund      Fund          `json:"fund"`
	Month     string        `json:"month"`
	Statement Statement     `json:"statement"`
	Projects  []ProjectLine `json:"projects"`
}

// FundReport reports a fund's month, by booking time like ProjectReport.
func (s *Service) FundReport(ctx context.Context, communityID, fundID, month string) (FundReport, error) {
	if _, err := s.gate.Member(ctx, communityID); err != nil {
		return FundReport{}, err
	}
	from, to, err := s.month(month)
	if err != nil {
		return FundReport{}, err
	}
	var r FundReport
	err = s.view(ctx, func(tx Tx) error {
		f, err := tx.Funds().Get(ctx, communityID, fundID)
		if err != nil {
			return err
		}
		all, _, err := tx.Grants().Find(ctx, record.Filter{CommunityID: communityID, To: &to})
		if err != nil {
			return err
		}
		f.Balance = decimal.Zero
		r = FundReport{Fund: f, Month: month, Projects: []ProjectLine{}}
		bk := booksOf(tx, communityID)
		if r.Statement, err = statement(ctx, bk, fundAccount(communityID, fundID).ID, from, to); err != nil {
			return err
		}
		r.Statement.FundID = fundID
		r.Fund.Balance = r.Statement.Closing
		for _, g := range all {
			if g.FundID != fundID {
				continue
			}
			av, err := flowsOf(ctx, bk, availableAccount(communityID, g.ID).ID, from, to)
			if err != nil {
				return err
			}
			whole, err := flowsOf(ctx, bk, availableAccount(communityID, g.ID).ID, time.Time{}, to)
			if err != nil {
				return err
			}
			net := func(f flows) int64 { return f.out[CodeSpend] - f.in[CodeRefund] - f.in[CodeCorrection] }
			r.Projects = append(r.Projects, ProjectLine{GrantID: g.ID, Title: g.Title, Amount: g.Amount, Spent: yuan(net(av)), SpentToDate: yuan(net(whole))})
		}
		return nil
	})
	if err != nil {
		return FundReport{}, err
	}
	return r, nil
}

// Markdown renders the report for printing or posting.
func (r ProjectReport) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s — %s 经费使用月报\n\n", r.Grant.Title, r.Month)
	fmt.Fprintf(&b, "资助金额 %s 元；月初余额 %s 元；本月拨付 %s 元；本月支出 %s 元；本月退回 %s 元；月末余额 %s 元（其中可用 %s 元）。\n\n",
		r.Grant.Amount, r.Opening, r.Released, r.Spent, r.Returned, r.Closing, r.Available)
	b.WriteString("| 预算科目 | 类别 | 预算 | 本月支出 | 累计支出 | 结余 |\n|---|---|---:|---:|---:|---:|\n")
	for _, l := range r.Lines {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", l.Key, l.Category, l.Budget, l.Spent, l.SpentToDate, l.Remaining)
	}
	if len(r.Entries) > 0 {
		b.WriteString("\n| 日期 | 科目 | 类型 | 金额 | 收款方 | 票据 | 审批 |\n|---|---|---|---:|---|---|---|\n")
		for _, e := range r.Entries {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", e.Date.Format("2006-01-02"), e.Line, e.Kind, e.Amount, md(e.Payee), md(e.ReceiptRef), md(e.ApprovedBy))
		}
	}
	return b.String()
}

// md keeps a cell's text from breaking the table.
func md(s string) string { return strings.NewReplacer("|", "\\|", "\n", " ").Replace(s) }

var projectHTML = template.Must(template.New("report").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{.Grant.Title}} {{.Month}} 经费使用月报</title>
<style>@page{size:A4;margin:18mm}body{font:16px/1.6 sans-serif;color:#000}table{border-collapse:collapse;width:100%;margin:1em 0}
th,td{border:1px solid #333;padding:4px 6px}td.n{text-align:right}</style></head><body>
<h1>{{.Grant.Title}} — {{.Month}} 经费使用月报</h1>
<p>资助金额 {{.Grant.Amount}} 元；月初余额 {{.Opening}} 元；本月拨付 {{.Released}} 元；本月支出 {{.Spent}} 元；本月退回 {{.Returned}} 元；月末余额 {{.Closing}} 元（其中可用 {{.Available}} 元）。</p>
<table><tr><th>预算科目</th><th>类别</th><th>预算</th><th>本月支出</th><th>累计支出</th><th>结余</th></tr>
{{range .Lines}}<tr><td>{{.Key}}</td><td>{{.Category}}</td><td class="n">{{.Budget}}</td><td class="n">{{.Spent}}</td><td class="n">{{.SpentToDate}}</td><td class="n">{{.Remaining}}</td></tr>
{{end}}</table>
{{if .Entries}}<table><tr><th>日期</th><th>科目</th><th>类型</th><th>金额</th><th>收款方</th><th>票据</th><th>审批</th></tr>
{{range .Entries}}<tr><td>{{.Date.Format "2006-01-02"}}</td><td>{{.Line}}</td><td>{{.Kind}}</td><td class="n">{{.Amount}}</td><td>{{.Payee}}</td><td>{{.ReceiptRef}}</td><td>{{.ApprovedBy}}</td></tr>
{{end}}</table>{{end}}
</body></html>
`))

// HTML renders the report as a printable A4 page.
func (r ProjectReport) HTML() string {
	var b bytes.Buffer
	if err := projectHTML.Execute(&b, r); err != nil {
		return "<!doctype html><p>" + template.HTMLEscapeString(err.Error()) + "</p>"
	}
	return b.String()
}

// Markdown renders the fund's month.
func (r FundReport) Markdown() string {
	var b strings.Builder
	st := r.Statement
	fmt.Fprintf(&b, "# %s — %s 月报\n\n月初余额 %s 元；本月收入 %s 元；本月支出 %s 元；月末余额 %s 元。\n\n", r.Fund.Name, r.Month, st.Opening, st.In, st.Out, st.Closing)
	if len(st.Lines) > 0 {
		b.WriteString("| 时间 | 类型 | 金额 | 余额 |\n|---|---|---:|---:|\n")
		for _, l := range st.Lines {
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", l.At.Format("2006-01-02 15:04"), l.Kind, l.Amount, l.Balance)
		}
	}
	if len(r.Projects) > 0 {
		b.WriteString("\n| 项目 | 资助 | 本月支出 | 累计支出 |\n|---|---:|---:|---:|\n")
		for _, p := range r.Projects {
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", md(p.Title), p.Amount, p.Spent, p.SpentToDate)
		}
	}
	return b.String()
}

var fundHTML = template.Must(template.New("fund").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{.Fund.Name}} {{.Month}} 月报</title>
<style>@page{size:A4;margin:18mm}body{font:16px/1.6 sans-serif;color:#000}table{border-collapse:collapse;width:100%;margin:1em 0}
th,td{border:1px solid #333;padding:4px 6px}td.n{text-align:right}</style></head><body>
<h1>{{.Fund.Name}} — {{.Month}} 月报</h1>
<p>月初余额 {{.Statement.Opening}} 元；本月收入 {{.Statement.In}} 元；本月支出 {{.Statement.Out}} 元；月末余额 {{.Statement.Closing}} 元。</p>
{{if .Statement.Lines}}<table><tr><th>时间</th><th>类型</th><th>金额</th><th>余额</th></tr>
{{range .Statement.Lines}}<tr><td>{{.At.Format "2006-01-02 15:04"}}</td><td>{{.Kind}}</td><td class="n">{{.Amount}}</td><td class="n">{{.Balance}}</td></tr>
{{end}}</table>{{end}}
{{if .Projects}}<table><tr><th>项目</th><th>资助</th><th>本月支出</th><th>累计支出</th></tr>
{{range .Projects}}<tr><td>{{.Title}}</td><td class="n">{{.Amount}}</td><td class="n">{{.Spent}}</td><td class="n">{{.SpentToDate}}</td></tr>
{{end}}</table>{{end}}
</body></html>
`))

// HTML renders the fund's month as a printable A4 page.
func (r FundReport) HTML() string {
	var b bytes.Buffer
	if err := fundHTML.Execute(&b, r); err != nil {
		return "<!doctype html><p>" + template.HTMLEscapeString(err.Error()) + "</p>"
	}
	return b.String()
}
