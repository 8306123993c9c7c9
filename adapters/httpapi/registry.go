package httpapi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
)

// resource is one kind of registry record, served under
// /v1/communities/{community}/<plural> with the same six operations.
type resource[T, In, Up any] struct {
	plural  string
	create  func(context.Context, string, In) (T, error)
	get     func(context.Context, string, string) (T, error)
	update  func(context.Context, string, string, Up) (T, error)
	archive func(context.Context, string, string, grids.ArchiveInput) (T, error)
	restore func(context.Context, string, string) (T, error)
	// find reads the kind's filter parameters and returns the search to run
	// once every parameter has been checked.
	find func(community string, p *params, page grids.Page) func(context.Context) ([]T, int, error)
	id   func(T) string
}

func serve[T, In, Up any](s *server, res resource[T, In, Up]) {
	base := "/v1/communities/{community}/" + res.plural
	item := base + "/{id}"
	one := func(w http.ResponseWriter, r *http.Request, status int, rec T, err error) error {
		if err != nil {
			return err
		}
		if status == http.StatusCreated {
			w.Header().Set("Location", r.URL.Path+"/"+res.id(rec))
		}
		encode(w, status, rec)
		return nil
	}
	s.handle("GET "+base, s.authed(func(w http.ResponseWriter, r *http.Request) error {
		p := newParams(r)
		page := page(p)
		run := res.find(r.PathValue("community"), p, page)
		if err := p.done(); err != nil {
			return err
		}
		items, total, err := run(r.Context())
		return list(w, p, items, total, page, err)
	}))
	s.handle("POST "+base, s.authed(func(w http.ResponseWriter, r *http.Request) error {
		in, err := body[In](s, w, r)
		if err != nil {
			return err
		}
		rec, err := res.create(r.Context(), r.PathValue("community"), in)
		return one(w, r, http.StatusCreated, rec, err)
	}))
	s.handle("GET "+item, s.authed(func(w http.ResponseWriter, r *http.Request) error {
		if err := newParams(r).done(); err != nil {
			return err
		}
		rec, err := res.get(r.Context(), r.PathValue("community"), r.PathValue("id"))
		return one(w, r, http.StatusOK, rec, err)
	}))
	s.handle("PATCH "+item, s.authed(func(w http.ResponseWriter, r *http.Request) error {
		u, err := body[Up](s, w, r)
		if err != nil {
			return err
		}
		rec, err := res.update(r.Context(), r.PathValue("community"), r.PathValue("id"), u)
		return one(w, r, http.StatusOK, rec, err)
	}))
	s.handle("POST "+item+"/archive", s.authed(func(w http.ResponseWriter, r *http.Request) error {
		in, err := body[grids.ArchiveInput](s, w, r)
		if err != nil {
			return err
		}
		rec, err := res.archive(r.Context(), r.PathValue("community"), r.PathValue("id"), in)
		return one(w, r, http.StatusOK, rec, err)
	}))
	s.handle("POST "+item+"/restore", s.authed(func(w http.ResponseWriter, r *http.Request) error {
		if err := newParams(r).done(); err != nil {
			return err
		}
		rec, err := res.restore(r.Context(), r.PathValue("community"), r.PathValue("id"))
		return one(w, r, http.StatusOK, rec, err)
	}))
}

// body checks the request has no query parameters and decodes its JSON body.
func body[T any](s *server, w http.ResponseWriter, r *http.Request) (T, error) {
	if err := newParams(r).done(); err != nil {
		var zero T
		return zero, err
	}
	return decode[T](w, r, s.maxBody)
}

// state reads the state parameter.
func state(p *params) grids.State {
	return grids.State(p.oneOf("state", string(grids.Active), string(grids.Archived), string(grids.AnyState)))
}

func (s *server) findWorkers(community string, p *params, page grids.Page) func(context.Context) ([]grids.Worker, int, error) {
	f := grids.WorkerFilter{CommunityID: community, State: state(p), Page: page}
	return func(ctx context.Context) ([]grids.Worker, int, error) { return s.registry.FindWorkers(ctx, f) }
}

func (s *server) findDistricts(community string, p *params, page grids.Page) func(context.Context) ([]grids.District, int, error) {
	f := grids.DistrictFilter{CommunityID: community, State: state(p), Name: p.str("name"), WorkerID: p.str("worker"), Page: page}
	return func(ctx context.Context) ([]grids.District, int, error) { return s.registry.FindDistricts(ctx, f) }
}

func (s *server) findGrids(community string, p *params, page grids.Page) func(context.Context) ([]grids.Grid, int, error) {
	f := grids.GridFilter{CommunityID: community, State: state(p), Name: p.str("name"), DistrictID: p.str("district"), Page: page}
	return func(ctx context.Context) ([]grids.Grid, int, error) { return s.registry.FindGrids(ctx, f) }
}

func (s *server) findBuildings(community string, p *params, page grids.Page) func(context.Context) ([]grids.Building, int, error) {
	f := grids.BuildingFilter{CommunityID: community, State: state(p), Name: p.str("name"), DistrictID: p.str("district"),
		GridID: p.str("grid"), Page: page}
	return func(ctx context.Context) ([]grids.Building, int, error) { return s.registry.FindBuildings(ctx, f) }
}

func (s *server) findHouseholds(community string, p *params, page grids.Page) func(context.Context) ([]grids.Household, int, error) {
	f := grids.HouseholdFilter{CommunityID: community, State: state(p), DistrictID: p.str("district"), GridID: p.str("grid"),
		BuildingID: p.str("building"), Unit: p.str("unit"), Page: page}
	return func(ctx context.Context) ([]grids.Household, int, error) { return s.registry.FindHouseholds(ctx, f) }
}

func (s *server) findResidents(community string, p *params, page grids.Page) func(context.Context) ([]grids.Resident, int, error) {
	f := grids.ResidentFilter{
		CommunityID: community, State: state(p), DistrictID: p.str("district"), GridID: p.str("grid"),
		BuildingID: p.str("building"), HouseholdID: p.str("household"), Name: p.str("name"), Phone: p.str("phone"),
		Interests: p.strs("interest"), Needs: p.strs("need"), Page: page,
	}
	sex := grids.Sex(p.oneOf("sex", string(grids.Male), string(grids.Female)))
	year := p.int("year", grids.EarliestBirthYear, 9999)
	if year == 0 {
		year = s.now().Year()
	}
	var vs []grids.Vulnerability
	for _, v := range p.strs("vulnerability") {
		vv, ok := grids.ParseVulnerability(v)
		if !ok {
			p.fail("vulnerability", "unknown vulnerability %q", v)
			continue
		}
		vs = append(vs, vv)
	}
	f.Cohort, _ = grids.CohortOf(year, sex, vs)
	return func(ctx context.Context) ([]grids.Resident, int, error) { return s.registry.FindResidents(ctx, f) }
}

// ---- communities ----

func (s *server) createCommunity(w http.ResponseWriter, r *http.Request) error {
	in, err := body[grids.CommunityInput](s, w, r)
	if err != nil {
		return err
	}
	c, err := s.registry.CreateCommunity(r.Context(), in)
	if err != nil {
		return err
	}
	if s.gov != nil {
		// The case's structure comes with a new community. Should this fail,
		// the community stands and POST …/governance/setup completes it.
		if _, err := s.gov.Setup(r.Context(), c.ID); err != nil {
			s.log.ErrorContext(r.Context(), "setting up governance", "community", c.ID, "err", err)
		}
	}
	w.Header().Set("Location", "/v1/communities/"+c.ID)
	encode(w, http.StatusCreated, c)
	return nil
}

func (s *server) findCommunities(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	page := page(p)
	name := p.str("name")
	if err := p.done(); err != nil {
		return err
	}
	cs, total, err := s.registry.FindCommunities(r.Context(), grids.CommunityFilter{Name: name, Page: page})
	return list(w, p, cs, total, page, err)
}

func (s *server) community(w http.ResponseWriter, r *http.Request) error {
	if err := newParams(r).done(); err != nil {
		return err
	}
	c, err := s.registry.Community(r.Context(), r.PathValue("community"))
	if err != nil {
		return err
	}
	encode(w, http.StatusOK, c)
	return nil
}

func (s *server) updateCommunity(w http.ResponseWriter, r *http.Request) error {
	u, err := body[grids.CommunityUpdate](s, w, r)
	if err != nil {
		return err
	}
	c, err := s.registry.UpdateCommunity(r.Context(), r.PathValue("community"), u)
	if err != nil {
		return err
	}
	encode(w, http.StatusOK, c)
	return nil
}

func (s *server) summary(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	opts := grids.SummaryOptions{
		Scope: grids.Scope{DistrictID: p.str("district"), GridID: p.str("grid")},
		Year:  p.int("year", grids.EarliestBirthYear, 9999),
	}
	if err := p.done(); err != nil {
		return err
	}
	sum, err := s.registry.Summary(r.Context(), r.PathValue("community"), opts)
	if err != nil {
		return err
	}
	encode(w, http.StatusOK, sum)
	return nil
}

// importFiles takes the CSV files as multipart/form-data parts named
// buildings, households and residents.
func (s *server) importFiles(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	opts := grids.ImportOptions{Encoding: p.oneOf("encoding", grids.UTF8, grids.GB18030), DryRun: p.bool("dry_run")}
	if err := p.done(); err != nil {
		return err
	}
	if err := mediaType(r, "multipart/form-data"); err != nil {
		return err
	}
	if _, ps, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ps["boundary"] == "" {
		return errs.E(errs.Invalid, "the multipart body has no boundary")
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.maxFiles)
	mr, err := r.MultipartReader()
	if err != nil {
		return errs.E(errs.Invalid, "cannot read the multipart body: %w", err)
	}
	var files grids.ImportFiles
	seen := map[string]bool{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return tooBig(err, s.maxFiles, "cannot read the multipart body")
		}
		name := part.FormName()
		var into *io.Reader
		switch name {
		case "buildings":
			into = &files.Buildings
		case "households":
			into = &files.Households
		case "residents":
			into = &files.Residents
		default:
			return errs.Field(name, "is not a file this import takes: send buildings, households and/or residents")
		}
		if seen[name] {
			return errs.Field(name, "is sent twice")
		}
		seen[name] = true
		data, err := io.ReadAll(part)
		if err != nil {
			return tooBig(err, s.maxFiles, "cannot read "+name)
		}
		*into = bytes.NewReader(data)
	}
	res, err := s.registry.Import(r.Context(), r.PathValue("community"), files, opts)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if opts.DryRun {
		status = http.StatusOK
	}
	encode(w, status, res)
	return nil
}

// tooBig turns a body over the limit into 413, anything else into 400.
func tooBig(err error, max int64, what string) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &errStatus{http.StatusRequestEntityTooLarge, errs.E(errs.Invalid, "the files are larger than %d bytes together", max)}
	}
	return errs.E(errs.Invalid, "%s: %w", what, err)
}
