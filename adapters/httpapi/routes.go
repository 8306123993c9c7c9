package httpapi

import (
	"io"
	"net/http"

	"github.com/linli-go/linli/grids"
)

// routes lists every route of the API: the OpenAPI document describes
// exactly these (a test holds them to it).
func (s *server) routes() {
	s.handle("GET /healthz", s.public(s.health))
	s.handle("GET /readyz", s.public(s.ready))
	s.handle("GET /openapi.json", s.public(s.openAPI))
	s.handle("GET /v1/me", s.authed(s.me))
	s.accessRoutes()

	s.handle("POST /v1/communities", s.authed(s.createCommunity))
	s.handle("GET /v1/communities", s.authed(s.findCommunities))
	s.handle("GET /v1/communities/{community}", s.authed(s.community))
	s.handle("PATCH /v1/communities/{community}", s.authed(s.updateCommunity))
	s.handle("GET /v1/communities/{community}/summary", s.authed(s.summary))
	s.handle("POST /v1/communities/{community}/import", s.authed(s.importFiles))
	s.intakeRoutes()
	s.governanceRoutes()
	s.pointsRoutes()
	s.fundsRoutes()
	s.handle("GET /v1/communities/{community}/outcomes", s.authed(s.outcomes))
	s.handle("GET /v1/outcomes", s.authed(s.allOutcomes))
	s.handle("GET /v1/communities/{community}/bulletins/{month}", s.authed(s.bulletin))
	s.handle("GET /v1/communities/{community}/audit", s.authed(s.audit))

	reg := s.registry
	serve(s, resource[grids.Worker, grids.WorkerInput, grids.WorkerUpdate]{
		plural: "workers", create: reg.CreateWorker, get: reg.Worker, update: reg.UpdateWorker,
		archive: reg.ArchiveWorker, restore: reg.RestoreWorker, find: s.findWorkers,
		id: func(x grids.Worker) string { return x.ID },
	})
	serve(s, resource[grids.District, grids.DistrictInput, grids.DistrictUpdate]{
		plural: "districts", create: reg.CreateDistrict, get: reg.District, update: reg.UpdateDistrict,
		archive: reg.ArchiveDistrict, restore: reg.RestoreDistrict, find: s.findDistricts,
		id: func(x grids.District) string { return x.ID },
	})
	serve(s, resource[grids.Grid, grids.GridInput, grids.GridUpdate]{
		plural: "grids", create: reg.CreateGrid, get: reg.Grid, update: reg.UpdateGrid,
		archive: reg.ArchiveGrid, restore: reg.RestoreGrid, find: s.findGrids,
		id: func(x grids.Grid) string { return x.ID },
	})
	serve(s, resource[grids.Building, grids.BuildingInput, grids.BuildingUpdate]{
		plural: "buildings", create: reg.CreateBuilding, get: reg.Building, update: reg.UpdateBuilding,
		archive: reg.ArchiveBuilding, restore: reg.RestoreBuilding, find: s.findBuildings,
		id: func(x grids.Building) string { return x.ID },
	})
	serve(s, resource[grids.Household, grids.HouseholdInput, grids.HouseholdUpdate]{
		plural: "households", create: reg.CreateHousehold, get: reg.Household, update: reg.UpdateHousehold,
		archive: reg.ArchiveHousehold, restore: reg.RestoreHousehold, find: s.findHouseholds,
		id: func(x grids.Household) string { return x.ID },
	})
	serve(s, resource[grids.Resident, grids.ResidentInput, grids.ResidentUpdate]{
		plural: "residents", create: reg.CreateResident, get: reg.Resident, update: reg.UpdateResident,
		archive: reg.ArchiveResident, restore: reg.RestoreResident, find: s.findResidents,
		id: func(x grids.Resident) string { return x.ID },
	})
}

// resourcePlurals lists the registry's record kinds, as served by routes.
var resourcePlurals = []string{"workers", "districts", "grids", "buildings", "households", "residents"}

// health answers liveness: the process serves requests. It touches no
// database, so a load balancer's probes cost nothing and a slow database
// does not get the server restarted.
func (s *server) health(w http.ResponseWriter, r *http.Request) error {
	if err := newParams(r).done(); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	_, err := io.WriteString(w, `{"status":"ok"}`+"\n")
	return err
}

// ready answers readiness: the database answers too.
func (s *server) ready(w http.ResponseWriter, r *http.Request) error {
	if err := newParams(r).done(); err != nil {
		return err
	}
	status := map[string]string{"status": "ok"}
	if s.ping != nil {
		if err := s.ping(r.Context()); err != nil {
			s.log.ErrorContext(r.Context(), "readiness check failed", "err", err)
			status["status"] = "unavailable"
			encode(w, http.StatusServiceUnavailable, status)
			return nil
		}
	}
	encode(w, http.StatusOK, status)
	return nil
}

func (s *server) me(w http.ResponseWriter, r *http.Request) error {
	if err := newParams(r).done(); err != nil {
		return err
	}
	p, _ := grids.PrincipalFrom(r.Context())
	encode(w, http.StatusOK, p)
	return nil
}
