package httpapi

import (
	"net/http"

	"github.com/linli-go/linli/governance"
)

// The routes of matching residents to mutual-aid groups: a district's
// proposals, the invitations workers confirm, residents' replies.
func (s *server) matchingRoutes(g func(handler) http.HandlerFunc) {
	base := "/v1/communities/{community}"
	s.handle("GET "+base+"/group-matches", g(s.recommendGroups))
	s.handle("GET "+base+"/invitations", g(s.findInvitations))
	s.handle("POST "+base+"/invitations", g(s.confirmMatches))
	s.handle("GET "+base+"/invitations/{id}", g(s.invitation))
	s.handle("POST "+base+"/invitations/{id}/reply", g(s.replyToInvitation))
}

func (s *server) recommendGroups(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	in := governance.MatchInput{DistrictID: p.str("district"), WithinMetres: p.int("within_metres", 0, 20000), PerResident: p.int("per_resident", 0, 5)}
	if err := p.done(); err != nil {
		return err
	}
	m, err := s.gov.RecommendGroups(r.Context(), r.PathValue("community"), in)
	return reply(w, http.StatusOK, m, err)
}

// invitations is the reply to confirming proposals: the invitations made.
type invitations struct {
	Items []governance.Invitation `json:"items"`
}

func (s *server) confirmMatches(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.ConfirmInput](s, w, r)
	if err != nil {
		return err
	}
	out, err := s.gov.ConfirmMatches(r.Context(), r.PathValue("community"), in)
	return reply(w, http.StatusCreated, invitations{out}, err)
}

func (s *server) findInvitations(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	f := governance.InvitationFilter{CommunityID: r.PathValue("community"), GroupID: p.str("group"), ResidentID: p.str("resident"),
		State: governance.InvitationState(p.oneOf("state", "open", "accepted", "declined")), Page: page(p)}
	if err := p.done(); err != nil {
		return err
	}
	items, total, err := s.gov.FindInvitations(r.Context(), f)
	return list(w, p, items, total, f.Page, err)
}

func (s *server) invitation(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	inv, err := s.gov.Invitation(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, inv, err)
}

func (s *server) replyToInvitation(w http.ResponseWriter, r *http.Request) error {
	in, err := body[governance.ReplyInput](s, w, r)
	if err != nil {
		return err
	}
	inv, err := s.gov.ReplyToInvitation(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
	return reply(w, http.StatusOK, inv, err)
}
