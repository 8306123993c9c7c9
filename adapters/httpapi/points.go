package httpapi

import (
	"net/http"

	"github.com/linli-go/linli/internal/errs"
	"github.com/linli-go/linli/points"
)

// The routes of the volunteer bank: policy, service claims and their
// verification, passbooks, gifts, expiry, the warehouse's catalogue,
// donations and exchanges, markets and their sign-ups.
func (s *server) pointsRoutes() {
	base := "/v1/communities/{community}"
	g := func(h handler) http.HandlerFunc { return s.authed(s.needPoints(h)) }
	s.handle("GET "+base+"/points/policy", g(s.policy))
	s.handle("POST "+base+"/points/policy", g(s.setPolicy))
	s.handle("GET "+base+"/points/evaluation", g(s.pointsEvaluation))
	s.handle("GET "+base+"/points/claims", g(s.findClaims))
	s.handle("POST "+base+"/points/claims", g(s.claim))
	s.handle("GET "+base+"/points/claims/{id}", g(s.claimByID))
	s.handle("POST "+base+"/points/claims/{id}/verify", g(s.verifyClaim))
	s.handle("POST "+base+"/points/claims/{id}/correct", g(s.correctClaim))
	s.handle("POST "+base+"/activities/{id}/claims", g(s.claimActivity))
	s.handle("GET "+base+"/passbooks/{id}", g(s.passbook))
	s.handle("GET "+base+"/passbooks/{id}/statement", g(s.statement))
	s.handle("POST "+base+"/points/gifts", g(s.give))
	s.handle("POST "+base+"/points/expiries", g(s.expire))

	s.handle("GET "+base+"/warehouse/items", g(s.findItems))
	s.handle("POST "+base+"/warehouse/items", g(s.createItem))
	s.handle("GET "+base+"/warehouse/items/{id}", g(s.item))
	s.handle("PATCH "+base+"/warehouse/items/{id}", g(s.updateItem))
	s.handle("GET "+base+"/warehouse/donations", g(s.findDonations))
	s.handle("POST "+base+"/warehouse/donations", g(s.donate))
	s.handle("GET "+base+"/warehouse/exchanges", g(s.findExchanges))
	s.handle("POST "+base+"/warehouse/exchanges", g(s.exchange))
	s.handle("GET "+base+"/warehouse/exchanges/{id}", g(s.exchangeByID))
	s.handle("POST "+base+"/warehouse/exchanges/{id}/pickup", g(s.pickup))
	s.handle("POST "+base+"/warehouse/exchanges/{id}/cancel", g(s.cancelExchange))
	s.handle("POST "+base+"/warehouse/exchanges/{id}/return", g(s.returnExchange))

	s.handle("GET "+base+"/markets", g(s.findMarkets))
	s.handle("POST "+base+"/markets", g(s.createMarket))
	s.handle("GET "+base+"/markets/{id}", g(s.market))
	s.handle("PUT "+base+"/markets/{id}", g(s.updateMarket))
	s.handle("GET "+base+"/markets/{id}/signups", g(s.signUps))
	s.handle("POST "+base+"/markets/{id}/signups", g(s.signUp))
}

func (s *server) needPoints(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if s.points == nil {
			return errs.E(errs.NotFound, "the volunteer bank is not served here")
		}
		return h(w, r)
	}
}

func (s *server) policy(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	v := p.int("version", 1, 1<<30)
	if err := p.done(); err != nil {
		return err
	}
	pol, err := s.points.Policy(r.Context(), r.PathValue("community"), v)
	return reply(w, http.StatusOK, pol, err)
}

func (s *server) setPolicy(w http.ResponseWriter, r *http.Request) error {
	in, err := body[points.PolicyInput](s, w, r)
	if err != nil {
		return err
	}
	pol, err := s.points.SetPolicy(r.Context(), r.PathValue("community"), in)
	if err != nil {
		return err
	}
	encode(w, http.StatusCreated, pol)
	return nil
}

func (s *server) pointsEvaluation(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	from, to := p.requiredPeriod()
	if err := p.done(); err != nil {
		return err
	}
	ev, err := s.points.Evaluate(r.Context(), r.PathValue("community"), from, to)
	return reply(w, http.StatusOK, ev, err)
}

func (s *server) findClaims(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	f := points.ClaimFilter{ResidentID: p.str("resident"), ActivityID: p.str("activity"),
		Status: points.ClaimStatus(p.oneOf("status", "claimed", "verified", "rejected", "corrected")), From: p.time("from"), To: p.time("to"), Page: page(p)}
	if err := p.done(); err != nil {
		return err
	}
	items, total, err := s.points.Claims(r.Context(), r.PathValue("community"), f)
	return list(w, p, items, total, f.Page, err)
}

func (s *server) claim(w http.ResponseWriter, r *http.Request) error {
	in, err := body[points.ClaimInput](s, w, r)
	if err != nil {
		return err
	}
	c, err := s.points.Claim(r.Context(), r.PathValue("community"), in)
	return created(w, r, "points/claims", c.ID, c, err)
}

func (s *server) claimByID(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	c, err := s.points.ClaimByID(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, c, err)
}

func (s *server) verifyClaim(w http.ResponseWriter, r *http.Request) error {
	in, err := body[points.VerifyInput](s, w, r)
	if err != nil {
		return err
	}
	c, err := s.points.Verify(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, c, err)
}

func (s *server) correctClaim(w http.ResponseWriter, r *http.Request) error {
	in, err := body[points.CorrectInput](s, w, r)
	if err != nil {
		return err
	}
	c, err := s.points.Correct(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, c, err)
}

func (s *server) claimActivity(w http.ResponseWriter, r *http.Request) error {
	in, err := body[points.ActivityClaimInput](s, w, r)
	if err != nil {
		return err
	}
	cs, err := s.points.ClaimActivity(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusCreated, cs, err)
}

func (s *server) passbook(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	f, t := p.period()
	if err := p.done(); err != nil {
		return err
	}
	pb, err := s.points.Passbook(r.Context(), r.PathValue("community"), r.PathValue("id"), f, t)
	return reply(w, http.StatusOK, pb, err)
}

func (s *server) statement(w http.ResponseWriter, r *http.Request) error {
	if err := newParams(r).done(); err != nil {
		return err
	}
	st, err := s.points.Statement(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, st, err)
}

func (s *server) give(w http.ResponseWriter, r *http.Request) error {
	in, err := body[points.GiftInput](s, w, r)
	if err != nil {
		return err
	}
	g, err := s.points.Give(r.Context(), r.PathValue("community"), in)
	return reply(w, http.StatusCreated, g, err)
}

func (s *server) expire(w http.ResponseWriter, r *http.Request) error {
	in, err := body[points.ExpireInput](s, w, r)
	if err != nil {
		return err
	}
	ex, err := s.points.Expire(r.Context(), r.PathValue("community"), in)
	return reply(w, http.StatusOK, ex, err)
}

// ---- warehouse ----

func (s *server) findItems(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	f := points.ItemFilter{Kind: points.ItemKind(p.oneOf("kind", "goods", "service")), Retired: p.bool("retired"), Page: page(p)}
	if err := p.done(); err != nil {
		return err
	}
	items, total, err := s.points.Items(r.Context(), r.PathValue("community"), f)
	return list(w, p, items, total, f.Page, err)
}

func (s *server) createItem(w http.ResponseWriter, r *http.Request) error {
	in, err := body[points.ItemInput](s, w, r)
	if err != nil {
		return err
	}
	it, err := s.points.CreateItem(r.Context(), r.PathValue("community"), in)
	return created(w, r, "warehouse/items", it.ID, it, err)
}

func (s *server) item(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	it, err := s.points.Item(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, it, err)
}

func (s *server) updateItem(w http.ResponseWriter, r *http.Request) error {
	in, err := body[points.ItemUpdate](s, w, r)
	if err != nil {
		return err
	}
	it, err := s.points.UpdateItem(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, it, err)
}

func (s *server) findDonations(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	f := points.DonationFilter{DonorID: p.str("donor"), DonorKind: points.PartyKind(p.oneOf("donor_kind", "resident", "enterprise", "organisation", "partner")),
		ItemID: p.str("item"), From: p.time("from"), To: p.time("to"), Page: page(p)}
	if err := p.done(); err != nil {
		return err
	}
	items, total, err := s.points.Donations(r.Context(), r.PathValue("community"), f)
	return list(w, p, items, total, f.Page, err)
}

func (s *server) donate(w http.ResponseWriter, r *http.Request) error {
	in, err := body[points.DonationInput](s, w, r)
	if err != nil {
		return err
	}
	d, err := s.points.Donate(r.Context(), r.PathValue("community"), in)
	return reply(w, http.StatusCreated, d, err)
}

func (s *server) findExchanges(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	f := points.ExchangeFilter{ResidentID: p.str("resident"), ItemID: p.str("item"),
		Status: points.ExchangeStatus(p.oneOf("status", "reserved", "completed", "cancelled", "expired", "returned")), From: p.time("from"), To: p.time("to"), Page: page(p)}
	if err := p.done(); err != nil {
		return err
	}
	items, total, err := s.points.Exchanges(r.Context(), r.PathValue("community"), f)
	return list(w, p, items, total, f.Page, err)
}

func (s *server) exchange(w http.ResponseWriter, r *http.Request) error {
	in, err := body[points.ExchangeInput](s, w, r)
	if err != nil {
		return err
	}
	e, err := s.points.Exchange(r.Context(), r.PathValue("community"), in)
	return created(w, r, "warehouse/exchanges", e.ID, e, err)
}

func (s *server) exchangeByID(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	e, err := s.points.ExchangeByID(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, e, err)
}

func (s *server) pickup(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	e, err := s.points.Pickup(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, e, err)
}

func (s *server) cancelExchange(w http.ResponseWriter, r *http.Request) error {
	in, err := body[points.CloseInput](s, w, r)
	if err != nil {
		return err
	}
	e, err := s.points.Cancel(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, e, err)
}

func (s *server) returnExchange(w http.ResponseWriter, r *http.Request) error {
	in, err := body[points.CloseInput](s, w, r)
	if err != nil {
		return err
	}
	e, err := s.points.Return(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, e, err)
}

// ---- markets ----

func (s *server) findMarkets(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	from, to, pg := p.time("from"), p.time("to"), page(p)
	if err := p.done(); err != nil {
		return err
	}
	items, total, err := s.points.Markets(r.Context(), r.PathValue("community"), from, to, pg)
	return list(w, p, items, total, pg, err)
}

func (s *server) createMarket(w http.ResponseWriter, r *http.Request) error {
	in, err := body[points.MarketInput](s, w, r)
	if err != nil {
		return err
	}
	m, err := s.points.CreateMarket(r.Context(), r.PathValue("community"), in)
	return created(w, r, "markets", m.ID, m, err)
}

func (s *server) market(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	m, err := s.points.Market(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, m, err)
}

func (s *server) updateMarket(w http.ResponseWriter, r *http.Request) error {
	in, err := body[points.MarketInput](s, w, r)
	if err != nil {
		return err
	}
	m, err := s.points.UpdateMarket(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, m, err)
}

func (s *server) signUps(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	pg := page(p)
	if err := p.done(); err != nil {
		return err
	}
	su, err := s.points.SignUps(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return whole(w, p, su, pg, err)
}

func (s *server) signUp(w http.ResponseWriter, r *http.Request) error {
	in, err := body[points.SignUpInput](s, w, r)
	if err != nil {
		return err
	}
	su, err := s.points.SignUp(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusCreated, su, err)
}
