package httpapi

import (
	"net/http"
	"strconv"

	"github.com/linli-go/linli/funds"
	"github.com/linli-go/linli/internal/errs"
)

// The routes of the funds: funds and their statements, calls, proposals,
// reviews and awards, grants, spending and monthly reports, the alliance.
func (s *server) fundsRoutes() {
	base := "/v1/communities/{community}"
	g := func(h handler) http.HandlerFunc { return s.authed(s.needFunds(h)) }
	s.handle("GET "+base+"/funds", g(s.funds))
	s.handle("POST "+base+"/funds", g(s.createFund))
	s.handle("GET "+base+"/funds/{id}", g(s.fund))
	s.handle("GET "+base+"/funds/{id}/statement", g(s.fundStatement))
	s.handle("GET "+base+"/funds/{id}/reports/{month}", g(s.fundReport))
	s.handle("POST "+base+"/funds/{id}/incomes", g(s.recordIncome))
	s.handle("POST "+base+"/incomes/{id}/reverse", g(s.reverseIncome))
	s.handle("GET "+base+"/trial-balance", g(s.trialBalance))

	s.handle("GET "+base+"/calls", g(s.calls))
	s.handle("POST "+base+"/calls", g(s.createCall))
	s.handle("GET "+base+"/calls/{id}", g(s.call))
	s.handle("PUT "+base+"/calls/{id}", g(s.updateCall))
	s.handle("GET "+base+"/calls/{id}/proposals", g(s.proposals))
	s.handle("POST "+base+"/calls/{id}/proposals", g(s.propose))
	s.handle("GET "+base+"/calls/{id}/reviews", g(s.reviews))
	s.handle("POST "+base+"/calls/{id}/close-review", g(s.closeReview))
	s.handle("GET "+base+"/calls/{id}/ranking", g(s.ranking))
	s.handle("POST "+base+"/calls/{id}/award", g(s.award))
	s.handle("GET "+base+"/proposals/{id}", g(s.proposal))
	s.handle("PUT "+base+"/proposals/{id}", g(s.updateProposal))
	s.handle("POST "+base+"/proposals/{id}/submit", g(s.submitProposal))
	s.handle("POST "+base+"/proposals/{id}/withdraw", g(s.withdrawProposal))
	s.handle("POST "+base+"/proposals/{id}/scores", g(s.score))

	s.handle("GET "+base+"/grants", g(s.grants))
	s.handle("GET "+base+"/grants/{id}", g(s.grant))
	s.handle("POST "+base+"/grants/{id}/instalments/{seq}/release", g(s.release))
	s.handle("GET "+base+"/grants/{id}/spending", g(s.spendings))
	s.handle("POST "+base+"/grants/{id}/spending", g(s.spend))
	s.handle("GET "+base+"/grants/{id}/reports/{month}", g(s.projectReport))
	s.handle("POST "+base+"/spending/{id}/reverse", g(s.reverseSpending))

	s.handle("GET "+base+"/merchants", g(s.merchants))
	s.handle("POST "+base+"/merchants", g(s.joinAlliance))
	s.handle("PUT "+base+"/alliance/basis", g(s.setBasis))
	s.handle("POST "+base+"/merchants/{id}/declarations", g(s.declare))
	s.handle("POST "+base+"/merchants/{id}/contributions", g(s.contribute))
	s.handle("GET "+base+"/merchants/{id}/reconciliation", g(s.merchantReconciliation))
	s.handle("GET "+base+"/alliance/reconciliation", g(s.allianceReconciliation))
}

func (s *server) needFunds(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if s.fundSvc == nil {
			return errs.E(errs.NotFound, "the funds are not served here")
		}
		return h(w, r)
	}
}

// writeReport answers a report as JSON, Markdown or HTML, as format asks.
func writeReport(w http.ResponseWriter, format string, v any, markdown, html func() string) error {
	var text, ctype string
	switch format {
	case "markdown":
		text, ctype = markdown(), "text/markdown; charset=utf-8"
	case "html":
		text, ctype = html(), "text/html; charset=utf-8"
	default:
		encode(w, http.StatusOK, v)
		return nil
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(text)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(text))
	return nil
}

func (s *server) funds(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	pg := page(p)
	if err := p.done(); err != nil {
		return err
	}
	fs, err := s.fundSvc.Funds(r.Context(), r.PathValue("community"))
	return whole(w, p, fs, pg, err)
}

func (s *server) createFund(w http.ResponseWriter, r *http.Request) error {
	in, err := body[funds.FundInput](s, w, r)
	if err != nil {
		return err
	}
	f, err := s.fundSvc.CreateFund(r.Context(), r.PathValue("community"), in)
	return created(w, r, "funds", f.ID, f, err)
}

func (s *server) fund(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	f, err := s.fundSvc.Fund(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, f, err)
}

func (s *server) fundStatement(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	f, t := p.period()
	if err := p.done(); err != nil {
		return err
	}
	st, err := s.fundSvc.FundStatement(r.Context(), r.PathValue("community"), r.PathValue("id"), f, t)
	return reply(w, http.StatusOK, st, err)
}

func (s *server) fundReport(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	format := p.oneOf("format", "json", "markdown", "html")
	if err := p.done(); err != nil {
		return err
	}
	rep, err := s.fundSvc.FundReport(r.Context(), r.PathValue("community"), r.PathValue("id"), r.PathValue("month"))
	if err != nil {
		return err
	}
	return writeReport(w, format, rep, rep.Markdown, rep.HTML)
}

func (s *server) recordIncome(w http.ResponseWriter, r *http.Request) error {
	in, err := body[funds.IncomeInput](s, w, r)
	if err != nil {
		return err
	}
	i, err := s.fundSvc.RecordIncome(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusCreated, i, err)
}

func (s *server) reverseIncome(w http.ResponseWriter, r *http.Request) error {
	in, err := body[funds.ReverseInput](s, w, r)
	if err != nil {
		return err
	}
	i, err := s.fundSvc.ReverseIncome(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, i, err)
}

func (s *server) trialBalance(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	tb, err := s.fundSvc.TrialBalance(r.Context(), r.PathValue("community"))
	return reply(w, http.StatusOK, tb, err)
}

// ---- calls and proposals ----

func (s *server) calls(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	pg := page(p)
	if err := p.done(); err != nil {
		return err
	}
	items, total, err := s.fundSvc.Calls(r.Context(), r.PathValue("community"), pg)
	return list(w, p, items, total, pg, err)
}

func (s *server) createCall(w http.ResponseWriter, r *http.Request) error {
	in, err := body[funds.CallInput](s, w, r)
	if err != nil {
		return err
	}
	c, err := s.fundSvc.CreateCall(r.Context(), r.PathValue("community"), in)
	return created(w, r, "calls", c.ID, c, err)
}

func (s *server) call(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	c, err := s.fundSvc.Call(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, c, err)
}

func (s *server) updateCall(w http.ResponseWriter, r *http.Request) error {
	in, err := body[funds.CallInput](s, w, r)
	if err != nil {
		return err
	}
	c, err := s.fundSvc.UpdateCall(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, c, err)
}

func (s *server) proposals(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	status := funds.ProposalStatus(p.oneOf("status", "draft", "submitted", "withdrawn", "awarded", "declined"))
	pg := page(p)
	if err := p.done(); err != nil {
		return err
	}
	items, total, err := s.fundSvc.Proposals(r.Context(), r.PathValue("community"), r.PathValue("id"), status, pg)
	return list(w, p, items, total, pg, err)
}

func (s *server) propose(w http.ResponseWriter, r *http.Request) error {
	in, err := body[funds.ProposalInput](s, w, r)
	if err != nil {
		return err
	}
	pr, err := s.fundSvc.Propose(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return created(w, r, "proposals", pr.ID, pr, err)
}

func (s *server) reviews(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	pg := page(p)
	if err := p.done(); err != nil {
		return err
	}
	rs, err := s.fundSvc.Reviews(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return whole(w, p, rs, pg, err)
}

func (s *server) closeReview(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	c, err := s.fundSvc.CloseReview(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, c, err)
}

func (s *server) ranking(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	pg := page(p)
	if err := p.done(); err != nil {
		return err
	}
	rk, err := s.fundSvc.Ranking(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return whole(w, p, rk, pg, err)
}

func (s *server) award(w http.ResponseWriter, r *http.Request) error {
	in, err := body[funds.AwardInput](s, w, r)
	if err != nil {
		return err
	}
	gs, err := s.fundSvc.Award(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, gs, err)
}

func (s *server) proposal(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	pr, err := s.fundSvc.Proposal(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, pr, err)
}

func (s *server) updateProposal(w http.ResponseWriter, r *http.Request) error {
	in, err := body[funds.ProposalInput](s, w, r)
	if err != nil {
		return err
	}
	pr, err := s.fundSvc.UpdateProposal(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, pr, err)
}

func (s *server) submitProposal(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	pr, err := s.fundSvc.Submit(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, pr, err)
}

func (s *server) withdrawProposal(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	pr, err := s.fundSvc.Withdraw(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, pr, err)
}

func (s *server) score(w http.ResponseWriter, r *http.Request) error {
	in, err := body[funds.ScoreInput](s, w, r)
	if err != nil {
		return err
	}
	rv, err := s.fundSvc.Score(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, rv, err)
}

// ---- grants and spending ----

func (s *server) grants(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	call, pg := p.str("call"), page(p)
	if err := p.done(); err != nil {
		return err
	}
	items, total, err := s.fundSvc.Grants(r.Context(), r.PathValue("community"), call, pg)
	return list(w, p, items, total, pg, err)
}

func (s *server) grant(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	g, err := s.fundSvc.Grant(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, g, err)
}

func (s *server) release(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	seq, err := strconv.Atoi(r.PathValue("seq"))
	if err != nil {
		return errs.Field("seq", "is an instalment's number")
	}
	g, err := s.fundSvc.Release(r.Context(), r.PathValue("community"), r.PathValue("id"), seq)
	return reply(w, http.StatusOK, g, err)
}

func (s *server) spendings(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	pg := page(p)
	if err := p.done(); err != nil {
		return err
	}
	items, total, err := s.fundSvc.Spendings(r.Context(), r.PathValue("community"), r.PathValue("id"), pg)
	return list(w, p, items, total, pg, err)
}

func (s *server) spend(w http.ResponseWriter, r *http.Request) error {
	in, err := body[funds.SpendInput](s, w, r)
	if err != nil {
		return err
	}
	sp, err := s.fundSvc.Spend(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusCreated, sp, err)
}

func (s *server) projectReport(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	format := p.oneOf("format", "json", "markdown", "html")
	if err := p.done(); err != nil {
		return err
	}
	rep, err := s.fundSvc.ProjectReport(r.Context(), r.PathValue("community"), r.PathValue("id"), r.PathValue("month"))
	if err != nil {
		return err
	}
	return writeReport(w, format, rep, rep.Markdown, rep.HTML)
}

func (s *server) reverseSpending(w http.ResponseWriter, r *http.Request) error {
	in, err := body[funds.ReversalInput](s, w, r)
	if err != nil {
		return err
	}
	sp, err := s.fundSvc.Reverse(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusCreated, sp, err)
}

// ---- the alliance ----

func (s *server) merchants(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	pg := page(p)
	if err := p.done(); err != nil {
		return err
	}
	ms, err := s.fundSvc.Merchants(r.Context(), r.PathValue("community"))
	return whole(w, p, ms, pg, err)
}

func (s *server) joinAlliance(w http.ResponseWriter, r *http.Request) error {
	in, err := body[funds.MerchantInput](s, w, r)
	if err != nil {
		return err
	}
	m, err := s.fundSvc.JoinAlliance(r.Context(), r.PathValue("community"), in)
	return reply(w, http.StatusCreated, m, err)
}

func (s *server) setBasis(w http.ResponseWriter, r *http.Request) error {
	in, err := body[basisInput](s, w, r)
	if err != nil {
		return err
	}
	f, err := s.fundSvc.SetBasis(r.Context(), r.PathValue("community"), in.Basis)
	return reply(w, http.StatusOK, f, err)
}

// basisInput says what the alliance contributes a share of.
type basisInput struct {
	Basis funds.Basis `json:"basis"`
}

func (s *server) declare(w http.ResponseWriter, r *http.Request) error {
	in, err := body[funds.DeclarationInput](s, w, r)
	if err != nil {
		return err
	}
	d, err := s.fundSvc.Declare(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusCreated, d, err)
}

func (s *server) contribute(w http.ResponseWriter, r *http.Request) error {
	in, err := body[funds.ContributionInput](s, w, r)
	if err != nil {
		return err
	}
	i, err := s.fundSvc.RecordContribution(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusCreated, i, err)
}

func (s *server) merchantReconciliation(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	rec, err := s.fundSvc.Reconcile(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, rec, err)
}

func (s *server) allianceReconciliation(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	rec, err := s.fundSvc.Reconcile(r.Context(), r.PathValue("community"), "")
	return reply(w, http.StatusOK, rec, err)
}
