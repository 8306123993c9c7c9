package httpapi

import "github.com/linli-go/linli/grids"

// The OpenAPI schemas and paths of needs intake, surveys and regrouping.

func intakeSchemas() obj {
	tag := obj{"type": "string", "minLength": 1, "maxLength": 32}
	tags := func(max int) obj { return obj{"type": "array", "items": tag, "maxItems": max} }
	count := integer(0, 1<<31)
	number := obj{"type": "number"}
	refObj := object([]string{"kind", "id"}, obj{"kind": enum("committee", "group", "resident", "organisation", "household"), "id": ulid("")})
	needKind := enum("need", "suggestion", "micro_wish")
	needSource := enum("survey", "group_discussion", "micro_wish", "briefing", "hearing", "online")
	needStatus := enum("received", "accepted", "assigned", "answered", "declined")
	option := object([]string{"key", "text"}, obj{"key": tag, "text": text(200), "interests": tags(8), "needs": tags(8)})
	question := object([]string{"key", "text", "kind"}, obj{
		"key": tag, "text": text(300), "kind": enum("single", "multiple", "scale", "text"), "required": obj{"type": "boolean"},
		"options": obj{"type": "array", "items": option, "maxItems": 30}, "min": obj{"type": "integer"}, "max": obj{"type": "integer"},
		"threshold": obj{"type": "integer"}, "interests": tags(8), "needs": tags(8),
	})
	answer := object([]string{"question"}, obj{"question": tag, "options": tags(30), "value": obj{"type": "integer"}, "text": text(2000)})
	tally := object([]string{"answered"}, obj{
		"answered": count, "mean": number,
		"options": obj{"type": "object", "additionalProperties": count},
		"values":  obj{"type": "object", "additionalProperties": count},
	})
	weights := object(nil, obj{"interest": number, "need": number, "vulnerability": number, "compactness": number})
	options := object(nil, obj{
		"districts": obj{"type": "integer"}, "grids": obj{"type": "integer"}, "grid_min": obj{"type": "integer"}, "grid_max": obj{"type": "integer"},
		"weights": weights, "seed": obj{"type": "integer", "minimum": 0}, "effort": number,
	})
	pair := obj{"type": "array", "items": obj{"type": "integer"}, "minItems": 2, "maxItems": 2}
	quality := object([]string{"grids", "districts", "r2_between_buildings"}, obj{
		"grids": count, "districts": count, "tss": number, "within_grid_ssd": number, "explained_by_grids": number,
		"r2_between_buildings": number, "within_district_ssd": number, "explained_by_districts": number,
		"bound_violations": count, "non_contiguous_grids": count, "non_contiguous_districts": count, "split_buildings": count,
		"households_per_grid": pair, "grids_per_district": pair,
	})
	trait := object([]string{"name", "kind", "share", "community"}, obj{"name": str(""), "kind": enum("interest", "need"), "share": number, "community": number})
	vulnerable := obj{"type": "object", "additionalProperties": number, "description": "each vulnerability column summed over the households"}
	report := object([]string{"options", "quality", "grids", "districts"}, obj{
		"options": options, "buildings": count, "households": count, "residents": count, "quality": quality,
		"current": obj{"oneOf": []any{quality, obj{"type": "null"}}},
		"grids": array(object([]string{"grid", "district", "households", "why"}, obj{
			"grid": count, "district": count, "buildings": count, "households": count, "residents": count,
			"traits": array(trait), "vulnerable": vulnerable, "why": str("what the grid's households share, in words"),
		})),
		"districts": array(object([]string{"district", "grids", "households", "why"}, obj{
			"district": count, "grids": array(count), "households": count, "residents": count,
			"traits": array(trait), "vulnerable": vulnerable, "why": str(""),
		})),
		"took_ms": count,
	})
	return obj{
		"Ref": refObj,
		"Need": object([]string{"id", "community_id", "kind", "source", "title", "tags", "status", "events", "created_at", "updated_at"}, obj{
			"id": ulid(""), "community_id": ulid(""), "kind": needKind, "source": needSource, "title": text(100), "detail": text(2000),
			"tags": tags(16), "household_id": ulid("shown to workers and to the household only"), "group": refObj, "status": needStatus,
			"assignee": refObj, "reply": text(2000), "claimed_by": refObj, "fulfilled_at": dateTime(),
			"events":     array(object([]string{"at", "by", "action", "status"}, obj{"at": dateTime(), "by": str(""), "action": str(""), "status": needStatus, "note": text(500)})),
			"created_at": dateTime(), "updated_at": dateTime(),
		}),
		"NeedInput": object([]string{"title"}, obj{
			"kind": needKind, "source": needSource, "title": text(100), "detail": text(2000), "tags": tags(16),
			"household_id": ulid("a resident's own household by default"), "group": refObj,
		}),
		"NeedAction": object([]string{"action"}, obj{
			"action":   enum("accept", "assign", "answer", "decline", "claim", "unclaim", "fulfil"),
			"assignee": refObj, "reply": text(2000), "claimed_by": refObj, "note": text(500),
		}),
		"Survey": object([]string{"id", "community_id", "title", "status", "questions", "created_at", "updated_at"}, obj{
			"id": ulid(""), "community_id": ulid(""), "title": text(100), "description": text(2000), "status": enum("draft", "open", "closed"),
			"questions": array(question), "opened_at": dateTime(), "closed_at": dateTime(), "created_at": dateTime(), "updated_at": dateTime(),
		}),
		"SurveyInput":   object([]string{"title", "questions"}, obj{"title": text(100), "description": text(2000), "questions": array(question)}),
		"SurveyUpdate":  object(nil, obj{"title": text(100), "description": text(2000), "questions": array(question)}),
		"ResponseInput": object([]string{"household_id", "answers"}, obj{"household_id": ulid(""), "answers": obj{"type": "array", "items": answer, "maxItems": 100}}),
		"Response": object([]string{"id", "survey_id", "household_id", "answers", "interests", "needs", "submitted_at"}, obj{
			"id": ulid(""), "community_id": ulid(""), "survey_id": ulid(""), "household_id": ulid(""), "answers": array(answer),
			"interests": tags(64), "needs": tags(64), "by": str(""), "submitted_at": dateTime(),
		}),
		"SurveyResults": object([]string{"survey_id", "responses", "by", "questions"}, obj{
			"survey_id": ulid(""), "responses": count, "by": enum("grid", "district"),
			"questions": array(object([]string{"key", "kind", "text", "overall", "groups"}, obj{
				"key": tag, "kind": enum("single", "multiple", "scale", "text"), "text": str(""), "overall": tally,
				"groups": array(object([]string{"id", "name", "tally"}, obj{"id": str("a grid or district; empty for households outside any"), "name": str(""), "tally": tally})),
				"texts":  array(str("")),
			})),
		}),
		"Profile": object([]string{"household_id", "building_id", "residents", "interests", "needs", "vulnerabilities"}, obj{
			"household_id": ulid(""), "building_id": ulid(""), "residents": count, "interests": tags(256), "needs": tags(256),
			"vulnerabilities": obj{"type": "object", "additionalProperties": count},
		}),
		"PlanInput": object([]string{"districts", "grids"}, obj{
			"districts": integer(1, 100000), "grids": integer(1, 1000000), "grid_min": obj{"type": "integer"}, "grid_max": obj{"type": "integer"},
			"weights": weights, "seed": obj{"type": "integer", "minimum": 0}, "effort": obj{"type": "number", "minimum": 0, "maximum": 100},
			"async": obj{"type": "boolean", "description": "run as a job: answer 202 at once and report progress"},
		}),
		"RegroupPlan": object([]string{"id", "community_id", "options", "status", "progress", "basis", "created_at", "updated_at"}, obj{
			"id": ulid(""), "community_id": ulid(""), "options": options, "status": enum("running", "done", "failed", "applied"),
			"progress": obj{"type": "number", "minimum": 0, "maximum": 1}, "error": str(""), "report": report,
			"placements": array(object([]string{"building_id", "grid", "district"}, obj{"building_id": ulid(""), "grid": count, "district": count})),
			"basis":      str(""), "created_by": str(""), "created_at": dateTime(), "updated_at": dateTime(), "applied_at": dateTime(),
		}),
		"ApplyInput": object(nil, obj{
			"district_names": array(text(64)), "grid_names": array(text(64)),
			"workers": obj{"type": "array", "items": obj{"type": "array", "items": ulid(""), "maxItems": 2}},
		}),
		"ApplyResult": object([]string{"plan", "districts", "grids", "moved"}, obj{
			"plan": ref("RegroupPlan"), "districts": array(ref("District")), "grids": array(ref("Grid")), "moved": count,
		}),
		"Membership": object([]string{"id", "community_id", "kind", "member_id", "group_id", "from"}, obj{
			"id": str(""), "community_id": ulid(""), "kind": enum(string(grids.BuildingInGrid), string(grids.GridInDistrict)),
			"member_id": ulid(""), "group_id": ulid(""), "from": dateTime(), "to": dateTime(),
		}),
	}
}

func intakePaths(paths obj) {
	c := []any{communityParam}
	ci := []any{communityParam, idParam}
	body := func(name string) obj { return jsonContent(ref(name)) }
	q := func(name string, schema obj, desc string) obj { return queryParam(name, schema, desc) }
	s := obj{"type": "string"}
	withPage := func(ps ...any) []any { return append(ps, pageParams...) }
	paths["/v1/communities/{community}/needs"] = obj{"parameters": c,
		"get": op("Find needs, suggestions and micro-wishes", withPage(
			q("kind", enum("need", "suggestion", "micro_wish"), ""), q("source", enum("survey", "group_discussion", "micro_wish", "briefing", "hearing", "online"), ""),
			q("status", enum("received", "accepted", "assigned", "answered", "declined"), ""), q("tag", s, ""), q("household", s, ""),
			q("assignee", s, "a committee or group's ID"), q("unclaimed", obj{"type": "boolean"}, "micro-wishes no one has claimed")),
			nil, "200", response("a page of needs", listOf("Need")), "400", "403", "404"),
		"post": op("Raise a need (residents: for their household)", nil, body("NeedInput"), "201", response("raised", ref("Need")), "400", "403", "404", "413", "415"),
	}
	paths["/v1/communities/{community}/needs/{id}"] = obj{"parameters": ci,
		"get": op("A need", nil, nil, "200", response("the need", ref("Need")), "400", "403", "404")}
	paths["/v1/communities/{community}/needs/{id}/actions"] = obj{"parameters": ci,
		"post": op("Move a need along: accept, assign, answer, decline (workers); claim, unclaim, fulfil a micro-wish", nil,
			body("NeedAction"), "200", response("the need as it is now", ref("Need")), "400", "403", "404", "409", "413", "415")}

	paths["/v1/communities/{community}/surveys"] = obj{"parameters": c,
		"get":  op("Find surveys", withPage(q("status", enum("draft", "open", "closed"), "")), nil, "200", response("a page of surveys", listOf("Survey")), "400", "403", "404"),
		"post": op("Draft a survey (workers)", nil, body("SurveyInput"), "201", response("drafted", ref("Survey")), "400", "403", "404", "413", "415"),
	}
	paths["/v1/communities/{community}/surveys/{id}"] = obj{"parameters": ci,
		"get":   op("A survey", nil, nil, "200", response("the survey", ref("Survey")), "400", "403", "404"),
		"patch": op("Change a draft survey (workers)", nil, body("SurveyUpdate"), "200", response("changed", ref("Survey")), "400", "403", "404", "409", "413", "415"),
	}
	for _, action := range []string{"open", "close"} {
		paths["/v1/communities/{community}/surveys/{id}/"+action] = obj{"parameters": ci,
			"post": op(action+" a survey (workers)", nil, nil, "200", response("the survey", ref("Survey")), "400", "403", "404", "409")}
	}
	paths["/v1/communities/{community}/surveys/{id}/responses"] = obj{"parameters": ci,
		"post": op("Answer a survey for a household (again replaces)", nil, body("ResponseInput"), "200", response("the response", ref("Response")), "400", "403", "404", "409", "413", "415")}
	paths["/v1/communities/{community}/surveys/{id}/results"] = obj{"parameters": ci,
		"get": op("A survey's results per question, overall and per grid or district", []any{q("by", enum("grid", "district"), "grid if not given")},
			nil, "200", response("the results", ref("SurveyResults")), "400", "403", "404")}
	paths["/v1/communities/{community}/households/{id}/profile"] = obj{"parameters": ci,
		"get": op("What regrouping reads of a household", nil, nil, "200", response("the profile", ref("Profile")), "400", "403", "404", "409")}

	paths["/v1/communities/{community}/regroup-plans"] = obj{"parameters": c,
		"get": op("Find regrouping plans", withPage(q("status", enum("running", "done", "failed", "applied"), "")), nil,
			"200", response("a page of plans (without placements)", listOf("RegroupPlan")), "400", "403", "404"),
		"post": func() obj {
			o := op("Plan a regrouping (workers): at once, or as a job with async", nil, body("PlanInput"), "201",
				response("planned", ref("RegroupPlan")), "400", "403", "404", "409", "413", "415")
			o["responses"].(obj)["202"] = response("running: GET the plan for its progress", ref("RegroupPlan"))
			return o
		}(),
	}
	paths["/v1/communities/{community}/regroup-plans/{id}"] = obj{"parameters": ci,
		"get": op("A regrouping plan, with its progress and report", nil, nil, "200", response("the plan", ref("RegroupPlan")), "400", "403", "404")}
	paths["/v1/communities/{community}/regroup-plans/{id}/apply"] = obj{"parameters": ci,
		"post": op("Apply a plan (workers)", nil, body("ApplyInput"), "200", response("applied", ref("ApplyResult")), "400", "403", "404", "409", "413", "415")}
	paths["/v1/communities/{community}/memberships"] = obj{"parameters": c,
		"get": op("Membership history: which grids a building was in, which buildings a grid held", withPage(
			q("kind", enum(string(grids.BuildingInGrid), string(grids.GridInDistrict)), ""), q("member", s, "a building or grid"),
			q("group", s, "a grid or district"), q("at", obj{"type": "string", "format": "date-time"}, "only memberships that held then")),
			nil, "200", response("a page of memberships", listOf("Membership")), "400", "403", "404")}
}
