package httpapi

import (
	"errors"
	"net/http"
	"time"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/grids/access"
	"github.com/linli-go/linli/internal/errs"
)

// The routes of credentials: the first set-up, and issuing, listing and
// revoking a community's credentials (or, outside one, administrators').
func (s *server) accessRoutes() {
	s.handle("POST /v1/setup", s.public(s.setup))
	for _, base := range []string{"/v1", "/v1/communities/{community}"} {
		s.handle("GET "+base+"/credentials", s.authed(s.findCredentials))
		s.handle("POST "+base+"/credentials", s.authed(s.issueCredential))
		s.handle("GET "+base+"/credentials/{id}", s.authed(s.credential))
		s.handle("POST "+base+"/credentials/{id}/revoke", s.authed(s.revokeCredential))
		s.handle("GET "+base+"/credential-events", s.authed(s.credentialEvents))
	}
}

// credentialView is a credential as the API shows it: without the hashes
// of its secrets.
type credentialView struct {
	ID          string          `json:"id"`
	CommunityID string          `json:"community_id,omitempty"`
	Kind        access.Kind     `json:"kind"`
	Principal   grids.Principal `json:"principal"`
	Label       string          `json:"label,omitempty"`
	Unit        string          `json:"unit,omitempty"`
	IssuedBy    string          `json:"issued_by"`
	IssuedAt    time.Time       `json:"issued_at"`
	ExpiresAt   *time.Time      `json:"expires_at,omitempty"`
	RevokedAt   *time.Time      `json:"revoked_at,omitempty"`
	RevokedBy   string          `json:"revoked_by,omitempty"`
	LinkUsedAt  *time.Time      `json:"link_used_at,omitempty"`
}

func viewOf(c access.Credential) credentialView {
	return credentialView{ID: c.ID, CommunityID: c.CommunityID, Kind: c.Kind, Principal: c.Principal, Label: c.Label, Unit: c.Unit,
		IssuedBy: c.IssuedBy, IssuedAt: c.IssuedAt, ExpiresAt: c.ExpiresAt, RevokedAt: c.RevokedAt, RevokedBy: c.RevokedBy, LinkUsedAt: c.LinkUsedAt}
}

// issuedView is a new credential with its secrets, shown this once.
type issuedView struct {
	Credential credentialView `json:"credential"`
	Token      string         `json:"token,omitempty"`
	Code       string         `json:"code,omitempty"`
	Link       string         `json:"link,omitempty"`
}

// setupInput exchanges the set-up code for the first administrator's token.
type setupInput struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

func (s *server) accessServed() error {
	if s.access == nil {
		return errs.E(errs.NotFound, "credentials are not served here")
	}
	return nil
}

func (s *server) setup(w http.ResponseWriter, r *http.Request) error {
	if err := s.accessServed(); err != nil {
		return err
	}
	addr := "addr:" + ClientAddress(r, s.trustProxy)
	if err := s.limited(addr); err != nil {
		return err
	}
	in, err := decode[setupInput](w, r, s.maxBody)
	if err != nil {
		return err
	}
	iss, err := s.access.CompleteSetup(r.Context(), in.Code, in.Name)
	if errors.Is(err, access.ErrUnknown) {
		s.limiter.Fail(addr)
		s.metrics.failed("setup")
	}
	return reply(w, http.StatusCreated, issuedView{Credential: viewOf(iss.Credential), Token: iss.Token}, err)
}

func (s *server) findCredentials(w http.ResponseWriter, r *http.Request) error {
	if err := s.accessServed(); err != nil {
		return err
	}
	p := newParams(r)
	f := access.Filter{CommunityID: r.PathValue("community"), ResidentID: p.str("resident"), Status: p.oneOf("status", access.Active, access.Revoked), Page: page(p)}
	if err := p.done(); err != nil {
		return err
	}
	cs, total, err := s.access.Credentials(r.Context(), f)
	views := make([]credentialView, len(cs))
	for i, c := range cs {
		views[i] = viewOf(c)
	}
	return list(w, p, views, total, f.Page, err)
}

func (s *server) issueCredential(w http.ResponseWriter, r *http.Request) error {
	if err := s.accessServed(); err != nil {
		return err
	}
	in, err := decode[access.Issue](w, r, s.maxBody)
	if err != nil {
		return err
	}
	if path := r.PathValue("community"); in.CommunityID != "" && in.CommunityID != path {
		return errs.Field("community_id", "is the path's community (%q) if given", path)
	}
	in.CommunityID = r.PathValue("community")
	iss, err := s.access.Issue(r.Context(), in)
	if err == nil {
		w.Header().Set("Location", r.URL.Path+"/"+iss.Credential.ID)
	}
	return reply(w, http.StatusCreated, issuedView{Credential: viewOf(iss.Credential), Token: iss.Token, Code: iss.Code, Link: iss.Link}, err)
}

func (s *server) credential(w http.ResponseWriter, r *http.Request) error {
	if err := s.accessServed(); err != nil {
		return err
	}
	if err := noParams(r); err != nil {
		return err
	}
	c, err := s.access.Credential(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, viewOf(c), err)
}

func (s *server) revokeCredential(w http.ResponseWriter, r *http.Request) error {
	if err := s.accessServed(); err != nil {
		return err
	}
	if err := noParams(r); err != nil {
		return err
	}
	c, err := s.access.Revoke(r.Context(), r.PathValue("community"), r.PathValue("id"))
	return reply(w, http.StatusOK, viewOf(c), err)
}

func (s *server) credentialEvents(w http.ResponseWriter, r *http.Request) error {
	if err := s.accessServed(); err != nil {
		return err
	}
	p := newParams(r)
	pg := page(p)
	if err := p.done(); err != nil {
		return err
	}
	es, total, err := s.access.Events(r.Context(), r.PathValue("community"), pg)
	return list(w, p, es, total, pg, err)
}
