package httpapi

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/linli-go/linli/grids"
)

// The OpenAPI 3.1 document of the API, built in code so the six record
// kinds share one description of their operations, as they share one
// implementation. Tests load it with kin-openapi and check every request
// and response of the test suite against it.

type obj = map[string]any

func ref(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }

func str(desc string) obj {
	o := obj{"type": "string"}
	if desc != "" {
		o["description"] = desc
	}
	return o
}

func text(max int) obj { return obj{"type": "string", "maxLength": max} }

func ulid(desc string) obj {
	return obj{"type": "string", "pattern": "^[0-9A-HJKMNP-TV-Z]{26}$", "description": desc}
}

func integer(min, max int) obj { return obj{"type": "integer", "minimum": min, "maximum": max} }

func array(items obj) obj { return obj{"type": "array", "items": items} }

func dateTime() obj { return obj{"type": "string", "format": "date-time"} }

func enum(values ...string) obj { return obj{"type": "string", "enum": values} }

// object is a closed object: any property not listed is an error.
func object(required []string, props obj) obj {
	o := obj{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

// with returns props plus extra.
func with(props obj, extra obj) obj {
	out := obj{}
	for k, v := range props {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

var stampProps = obj{
	"created_at":     dateTime(),
	"updated_at":     dateTime(),
	"archived_at":    dateTime(),
	"archive_reason": text(200),
}

var stampRequired = []string{"created_at", "updated_at"}

func vulnerabilityNames(derived bool) []string {
	var out []string
	for _, v := range grids.RecordedVulnerabilities() {
		out = append(out, string(v))
	}
	if derived {
		for _, v := range grids.DerivedVulnerabilities() {
			out = append(out, string(v))
		}
	}
	return out
}

func schemas() obj {
	tag := obj{"type": "string", "minLength": 1, "maxLength": 32, "description": "lower-case letters, digits, '_' or '-'"}
	location := object([]string{"lat", "lng"}, obj{
		"lat": obj{"type": "number", "minimum": -90, "maximum": 90},
		"lng": obj{"type": "number", "minimum": -180, "maximum": 180},
	})
	workerProps := obj{"name": text(64), "phone": text(24)}
	districtProps := obj{"name": text(64), "worker_ids": obj{"type": "array", "items": ulid("a worker"), "maxItems": 2}}
	gridProps := obj{"district_id": ulid("the district the grid is in"), "name": text(64)}
	buildingProps := obj{
		"grid_id": obj{"type": "string", "description": "the grid, or empty for none"}, "name": text(64), "address": text(200),
		"location": location, "neighbours": obj{"type": "array", "items": ulid("a building"), "maxItems": 64},
	}
	householdProps := obj{"building_id": ulid("the building"), "unit": text(32), "size": integer(1, 20),
		"interests": obj{"type": "array", "items": tag, "maxItems": 32}, "needs": obj{"type": "array", "items": tag, "maxItems": 32}}
	residentProps := obj{
		"household_id": ulid("the household"), "name": text(64), "sex": enum("male", "female"),
		"birth_year": integer(grids.EarliestBirthYear, 9999), "phone": text(24),
		"interests": obj{"type": "array", "items": tag, "maxItems": 32},
		"needs":     obj{"type": "array", "items": tag, "maxItems": 32},
		"vulnerabilities": obj{"type": "array", "items": enum(vulnerabilityNames(false)...), "maxItems": 32,
			"description": "recorded vulnerabilities; elderly categories need a retiree or someone of 60 or over"},
	}
	nullableLocation := obj{"oneOf": []any{location, obj{"type": "null"}}}
	record := func(props obj, required ...string) obj {
		return object(append(append([]string{"id", "community_id"}, required...), stampRequired...),
			with(with(props, stampProps), obj{"id": ulid("the record's ID"), "community_id": ulid("its community")}))
	}
	sexCount := object([]string{"total", "male", "female"}, obj{"total": integer(0, 1<<31), "male": integer(0, 1<<31), "female": integer(0, 1<<31)})
	count := integer(0, 1<<31)
	fieldError := object([]string{"field", "message"}, obj{"field": str("the field, as a JSON path or file.column"), "message": str(""), "row": obj{"type": "integer", "description": "the CSV line"}})
	return obj{
		"Problem": object([]string{"type", "title", "status", "code"}, obj{
			"type": str("urn:linli:problem:<code>"), "title": str(""), "status": integer(400, 599), "detail": str(""),
			"code":   enum("invalid", "not_found", "conflict", "failed_precondition", "unauthorized", "forbidden", "unavailable", "internal"),
			"rule":   ruleSchema(),
			"errors": array(fieldError),
		}),
		"Principal": object([]string{"id", "name", "roles"}, obj{
			"id": str(""), "community_id": ulid("the community the principal acts in"), "name": str(""),
			"roles":       array(enum("admin", "worker", "council_member", "committee_chair", "group_leader", "resident", "merchant")),
			"resident_id": ulid("the principal's resident record"),
		}),
		"Community":       object([]string{"id", "name", "created_at", "updated_at"}, obj{"id": ulid(""), "name": text(100), "address": text(200), "created_at": dateTime(), "updated_at": dateTime()}),
		"CommunityInput":  object([]string{"name"}, obj{"name": text(100), "address": text(200)}),
		"CommunityUpdate": object(nil, obj{"name": text(100), "address": text(200)}),
		"Worker":          record(workerProps, "name"),
		"WorkerInput":     object([]string{"name"}, workerProps),
		"WorkerUpdate":    object(nil, workerProps),
		"District":        record(districtProps, "name", "worker_ids"),
		"DistrictInput":   object([]string{"name"}, districtProps),
		"DistrictUpdate":  object(nil, districtProps),
		"Grid":            record(gridProps, "district_id", "name"),
		"GridInput":       object([]string{"district_id", "name"}, gridProps),
		"GridUpdate":      object(nil, gridProps),
		"Building":        record(buildingProps, "name", "neighbours"),
		"BuildingInput":   object([]string{"name"}, buildingProps),
		"BuildingUpdate":  object(nil, with(buildingProps, obj{"location": nullableLocation})),
		"Household":       record(householdProps, "building_id", "unit", "size", "interests", "needs"),
		"HouseholdInput":  object([]string{"building_id", "unit", "size"}, householdProps),
		"HouseholdUpdate": object(nil, householdProps),
		"Resident":        record(residentProps, "household_id", "name", "sex", "birth_year", "interests", "needs", "vulnerabilities"),
		"ResidentInput":   object([]string{"household_id", "name", "sex", "birth_year"}, residentProps),
		"ResidentUpdate":  object(nil, residentProps),
		"ArchiveInput":    object([]string{"reason"}, obj{"reason": text(200)}),
		"Summary": object([]string{"community_id", "scope", "year", "households", "residents", "migrants", "retirees", "elders", "disabled",
			"under_18", "under_14", "migrant_women_childbearing", "party_members", "retired_party_members", "elderly_or_disabled", "share_elderly_or_disabled"}, obj{
			"community_id": ulid(""), "year": integer(grids.EarliestBirthYear, 9999),
			"scope":      object(nil, obj{"district_id": ulid(""), "grid_id": ulid("")}),
			"households": count, "residents": sexCount, "migrants": sexCount, "retirees": count,
			"elders": object([]string{"aged_60_plus", "empty_nest", "living_alone", "no_family", "disabled", "semi_disabled", "dementia"}, obj{
				"aged_60_plus": count, "empty_nest": count, "living_alone": count, "no_family": count, "disabled": count, "semi_disabled": count, "dementia": count,
			}),
			"disabled": object([]string{"total", "hearing", "intellectual", "mental", "physical", "visual"}, obj{
				"total": count, "hearing": count, "intellectual": count, "mental": count, "physical": count, "visual": count,
			}),
			"under_18": count, "under_14": count, "migrant_women_childbearing": count, "party_members": count,
			"retired_party_members": count, "elderly_or_disabled": count,
			"share_elderly_or_disabled": obj{"type": "string", "pattern": `^[0-9]+(\.[0-9]+)?$`, "description": "a decimal fraction, rounded half-up to 4 places"},
		}),
		"ImportResult": object([]string{"buildings", "households", "residents", "dry_run"}, obj{
			"buildings": count, "households": count, "residents": count, "dry_run": obj{"type": "boolean"},
		}),
		"Health": object([]string{"status"}, obj{"status": enum("ok", "unavailable")}),
	}
}

// listOf is the envelope schema of a list of name.
func listOf(name string) obj {
	return object([]string{"items", "limit"}, obj{
		"items": array(ref(name)), "limit": integer(1, grids.MaxLimit),
		"next":  obj{"type": "string", "description": "the URL of the next page, while this one is full (the last page may come back empty)"},
		"total": obj{"type": "integer", "minimum": 0, "maximum": 1 << 31, "description": "how many match the whole filter, when asked for with total=true"},
	})
}

func jsonContent(schema obj) obj { return obj{"application/json": obj{"schema": schema}} }

func response(desc string, schema obj) obj {
	return obj{"description": desc, "content": jsonContent(schema)}
}

func problems(statuses ...string) obj {
	out := obj{}
	for _, s := range statuses {
		out[s] = obj{"$ref": "#/components/responses/Problem"}
	}
	return out
}

func op(summary string, params []any, body obj, ok string, okResp obj, errStatuses ...string) obj {
	responses := problems(append([]string{"401", "429", "500"}, errStatuses...)...)
	responses[ok] = okResp
	o := obj{"summary": summary, "responses": responses}
	if len(params) > 0 {
		o["parameters"] = params
	}
	if body != nil {
		o["requestBody"] = obj{"required": true, "content": body}
	}
	return o
}

func pathParam(name, desc string) obj {
	return obj{"name": name, "in": "path", "required": true, "schema": obj{"type": "string"}, "description": desc}
}

func queryParam(name string, schema obj, desc string) obj {
	return obj{"name": name, "in": "query", "schema": schema, "description": desc}
}

func repeated(name string, items obj, desc string) obj {
	return obj{"name": name, "in": "query", "schema": array(items), "style": "form", "explode": true, "description": desc}
}

var (
	communityParam = pathParam("community", "the community's ID")
	idParam        = pathParam("id", "the record's ID")
	pageParams     = []any{
		queryParam("limit", integer(1, grids.MaxLimit), "how many to return; 50 if not given"),
		queryParam("after", obj{"type": "string", "maxLength": 64}, "the ID of the last item of the page before: the page starts after it (the next link of a page carries it)"),
		queryParam("offset", integer(0, 1<<31), "how many matches to skip, instead of after"),
		queryParam("total", obj{"type": "boolean"}, "count the matches of the whole filter too (a count is most of a page's cost on a large list)"),
	}
	stateParam = queryParam("state", enum("active", "archived", "all"), "active (default), archived or all")
)

// filterParams are each kind's find filters.
func filterParams(plural string) []any {
	id := obj{"type": "string"}
	switch plural {
	case "districts":
		return []any{queryParam("name", id, "exact name"), queryParam("worker", id, "headed by this worker")}
	case "grids":
		return []any{queryParam("name", id, "exact name"), queryParam("district", id, "in this district")}
	case "buildings":
		return []any{queryParam("name", id, "exact name"), queryParam("district", id, ""), queryParam("grid", id, "")}
	case "households":
		return []any{queryParam("district", id, ""), queryParam("grid", id, ""), queryParam("building", id, ""), queryParam("unit", id, "exact unit")}
	case "residents":
		return []any{
			queryParam("district", id, ""), queryParam("grid", id, ""), queryParam("building", id, ""), queryParam("household", id, ""),
			queryParam("name", id, "part of the name"), queryParam("phone", id, "the phone number, exactly"),
			repeated("interest", id, "has every interest given"), repeated("need", id, "has every need given"),
			queryParam("sex", enum("male", "female"), ""),
			repeated("vulnerability", enum(vulnerabilityNames(true)...), "has every vulnerability given; derived ones (elderly, youth, child, migrant_woman_childbearing) are reckoned as of year"),
			queryParam("year", integer(grids.EarliestBirthYear, 9999), "the year ages are reckoned in; this year if not given"),
		}
	}
	return nil
}

func document() obj {
	paths := obj{
		"/healthz": obj{"get": obj{"summary": "Whether the server is alive (liveness; it touches no database)", "security": []any{},
			"responses": obj{"200": response("alive", ref("Health")), "400": obj{"$ref": "#/components/responses/Problem"}}}},
		"/readyz": obj{"get": obj{"summary": "Whether the server and its database answer (readiness)", "security": []any{},
			"responses": obj{"200": response("ready", ref("Health")), "503": response("the database does not answer", ref("Health")),
				"400": obj{"$ref": "#/components/responses/Problem"}}}},
		"/openapi.json": obj{"get": obj{"summary": "This document", "security": []any{},
			"responses": obj{"200": response("the OpenAPI document", obj{"type": "object"})}}},
		"/v1/me": obj{"get": op("The principal the token belongs to", nil, nil, "200", response("the principal", ref("Principal")), "400")},
		"/v1/communities": obj{
			"post": op("Create a community (admins)", nil, jsonContent(ref("CommunityInput")), "201", response("created", ref("Community")), "400", "403", "413", "415"),
			"get":  op("List communities (admins)", append([]any{queryParam("name", obj{"type": "string"}, "exact name")}, pageParams...), nil, "200", response("a page of communities", listOf("Community")), "400", "403"),
		},
		"/v1/communities/{community}": obj{
			"parameters": []any{communityParam},
			"get":        op("A community", nil, nil, "200", response("the community", ref("Community")), "400", "403", "404"),
			"patch":      op("Change a community's name or address (workers)", nil, jsonContent(ref("CommunityUpdate")), "200", response("changed", ref("Community")), "400", "403", "404", "413", "415"),
		},
		"/v1/communities/{community}/summary": obj{
			"parameters": []any{communityParam},
			"get": op("The population table for the community, a district or a grid",
				[]any{queryParam("district", obj{"type": "string"}, ""), queryParam("grid", obj{"type": "string"}, ""), queryParam("year", integer(grids.EarliestBirthYear, 9999), "ages as of this year")},
				nil, "200", response("the summary", ref("Summary")), "400", "403", "404"),
		},
		"/v1/communities/{community}/import": obj{
			"parameters": []any{communityParam},
			"post": op("Import buildings, households and residents from CSV, all or nothing (workers)",
				[]any{queryParam("encoding", enum(grids.UTF8, grids.GB18030), "the files' encoding; utf-8 if not given"),
					queryParam("dry_run", obj{"type": "boolean"}, "check everything, store nothing")},
				obj{"multipart/form-data": obj{"schema": object(nil, obj{
					"buildings":  obj{"type": "string", "contentMediaType": "text/csv", "description": "name, address, grid, lat, lng, neighbours (English or Chinese headers)"},
					"households": obj{"type": "string", "contentMediaType": "text/csv", "description": "building, unit, size"},
					"residents":  obj{"type": "string", "contentMediaType": "text/csv", "description": "building, unit, name, sex, birth_year, phone, interests, needs, vulnerabilities"},
				})}},
				"201", response("imported (200 for a dry run)", ref("ImportResult")), "400", "403", "404", "409", "413", "415"),
		},
	}
	paths["/v1/communities/{community}/import"].(obj)["post"].(obj)["responses"].(obj)["200"] = response("checked, nothing stored", ref("ImportResult"))

	for _, plural := range resourcePlurals {
		name := strings.ToUpper(plural[:1]) + strings.TrimSuffix(plural[1:], "s")
		one := strings.TrimSuffix(plural, "s")
		base := "/v1/communities/{community}/" + plural
		item := base + "/{id}"
		paths[base] = obj{
			"parameters": []any{communityParam},
			"get": op("Find "+plural, append(append([]any{stateParam}, filterParams(plural)...), pageParams...), nil,
				"200", response("a page of "+plural, listOf(name)), "400", "403", "404"),
			"post": op("Create a "+one+" (workers)", nil, jsonContent(ref(name+"Input")), "201",
				response("created", ref(name)), "400", "403", "404", "409", "413", "415"),
		}
		paths[item] = obj{
			"parameters": []any{communityParam, idParam},
			"get":        op("A "+one, nil, nil, "200", response("the "+one, ref(name)), "400", "403", "404"),
			"patch": op("Change a "+one+" (workers); lists are replaced whole", nil, jsonContent(ref(name+"Update")), "200",
				response("changed", ref(name)), "400", "403", "404", "409", "413", "415"),
		}
		paths[item+"/archive"] = obj{
			"parameters": []any{communityParam, idParam},
			"post": op("Archive a "+one+" (workers); records are never deleted", nil, jsonContent(ref("ArchiveInput")), "200",
				response("archived", ref(name)), "400", "403", "404", "409", "413", "415"),
		}
		paths[item+"/restore"] = obj{
			"parameters": []any{communityParam, idParam},
			"post":       op("Restore an archived "+one+" (workers)", nil, nil, "200", response("restored", ref(name)), "400", "403", "404", "409"),
		}
	}
	intakePaths(paths)
	accessPaths(paths)
	governancePaths(paths)
	meetingPaths(paths)
	pointsPaths(paths)
	fundsPaths(paths)
	outcomePaths(paths)
	auditPaths(paths)
	schemas := schemas()
	for _, more := range []obj{accessSchemas(), intakeSchemas(), governanceSchemas(), meetingSchemas(), pointsSchemas(), fundsSchemas(), outcomeSchemas(), auditSchemas()} {
		for name, schema := range more {
			if _, taken := schemas[name]; taken {
				panic("httpapi: two schemas named " + name) // a test builds the document: this never ships
			}
			schemas[name] = schema
		}
	}
	return obj{
		"openapi":           "3.1.0",
		"jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
		"info": obj{
			"title":   "linli",
			"version": "0.1.0",
			"description": "The community registry of linli (邻里): communities, districts, grids, buildings, households and residents, " +
				"the population summary and CSV import; needs intake and surveys; regrouping plans and membership history; " +
				"governance: the council, committees, mutual-aid groups and think tank, positions, organisations, decisions, nominations, " +
				"tasks, community issues, activities and their evaluation; meetings under Robert's Rules, run move by move, with minutes, hearings and opinions. " +
				"Every error is an RFC 9457 problem (application/problem+json) with a stable code.",
		},
		"security": []any{obj{"bearer": []any{}}},
		"paths":    conventions(paths),
		"components": obj{
			"schemas":         schemas,
			"securitySchemes": obj{"bearer": obj{"type": "http", "scheme": "bearer", "description": "a token issued to a principal"}},
			"responses": obj{"Problem": obj{"description": "a problem",
				"content": obj{"application/problem+json": obj{"schema": ref("Problem")}}}},
			"parameters": obj{"IfMatch": obj{"name": "If-Match", "in": "header", "schema": obj{"type": "string"},
				"description": "Applies the change only to the version of the record this tag names (the ETag header of the response that showed it), " +
					"or to any for *: a record changed since is refused with 412 (rule http.stale), and nothing is changed."},
				"IdempotencyKey": obj{"name": "Idempotency-Key", "in": "header", "schema": obj{"type": "string", "minLength": 1, "maxLength": maxKey, "pattern": `^[\x20-\x7e]+$`},
					"description": "Makes the POST once: a retry with the same key and body within 24 hours gets the first response again " +
						"(status, body, and the header Idempotent-Replayed: true) and acts no more; the same key with another body is refused (422, " +
						"rule http.idempotency_key_reused); while the first is still running, a retry gets 409 (rule http.idempotency_in_flight) " +
						"with Retry-After. Keys belong to one caller (its credentials) in one community."}},
		},
	}
}

// conventions adds what every operation of a kind shares: a POST takes an
// Idempotency-Key, and may answer 409 or 422 for it; a PATCH takes an
// If-Match, and may answer 412.
func conventions(paths obj) obj {
	for _, item := range paths {
		// A write of a community moving between databases is refused for
		// a while (503 with Retry-After).
		for _, method := range []string{"post", "put", "patch", "delete"} {
			if o, ok := item.(obj)[method].(obj); ok {
				o["responses"].(obj)["503"] = obj{"$ref": "#/components/responses/Problem"}
			}
		}
		if patch, ok := item.(obj)["patch"].(obj); ok {
			params, _ := patch["parameters"].([]any)
			patch["parameters"] = append(params, obj{"$ref": "#/components/parameters/IfMatch"})
			patch["responses"].(obj)["412"] = obj{"$ref": "#/components/responses/Problem"}
		}
		post, ok := item.(obj)["post"].(obj)
		if !ok {
			continue
		}
		params, _ := post["parameters"].([]any)
		post["parameters"] = append(params, obj{"$ref": "#/components/parameters/IdempotencyKey"})
		responses := post["responses"].(obj)
		for _, st := range []string{"400", "409", "413", "422"} {
			if _, ok := responses[st]; !ok {
				responses[st] = obj{"$ref": "#/components/responses/Problem"}
			}
		}
	}
	return paths
}

// ruleSchema is the rule a refusal names: every one the domain packages
// declare, with what it says.
func ruleSchema() obj {
	var names []any
	var says strings.Builder
	says.WriteString("The rule that refused, stable for clients to match on:")
	for _, r := range refusals() {
		names = append(names, r.Name())
		fmt.Fprintf(&says, "\n- `%s` (%s): %s", r.Name(), r.Code(), r.Says())
	}
	return obj{"type": "string", "enum": names, "description": says.String()}
}

// openapi.json is the document as committed: what the server serves and
// what clients generate code from. document() builds it; a test holds the
// two to each other (go test ./adapters/httpapi -run TestCommittedDocument
// -update writes it again), and another holds every request body's schema
// to the Go type the handler decodes.
//
//go:embed openapi.json
var committedDocument []byte

// openAPIJSON is the document, encoded.
func openAPIJSON() []byte {
	b, err := json.MarshalIndent(document(), "", "\t")
	if err != nil {
		panic(err) // maps of strings and numbers always encode
	}
	return append(b, '\n')
}

func (s *server) openAPI(w http.ResponseWriter, r *http.Request) error {
	if err := newParams(r).done(); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(s.spec)
	return nil
}
