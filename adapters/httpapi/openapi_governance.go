package httpapi

// The OpenAPI schemas and paths of governance.

var (
	bodyKinds   = []string{"council", "committee", "group", "think_tank"}
	officeNames = []string{"chair", "vice_chair", "secretary", "leader", "member"}
	seatKinds   = []string{"residents", "party", "mass_organisation", "organisation"}
	taskStates  = []string{"open", "in_progress", "done", "cancelled"}
	issueStates = []string{"raised", "deliberated", "decided", "carried_out", "reviewed", "declined"}
	nomStates   = []string{"pending", "reviewed", "appointed", "rejected"}
)

func governanceSchemas() obj {
	count := integer(0, 1<<31)
	tag := obj{"type": "string", "minLength": 1, "maxLength": 32, "description": "lower-case letters, digits, '_' or '-'"}
	id := ulid("")
	optionalID := obj{"type": "string", "description": "an ID, or empty for none"}
	recurrence := object([]string{"day", "time", "shift", "zone"}, obj{
		"day": integer(1, 28), "time": obj{"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}, "place": text(200),
		"weekends": obj{"type": "boolean", "description": "the body meets on weekends: only holidays move it"},
		"shift":    enum("next", "previous", "none"), "zone": obj{"type": "string", "maxLength": 64, "description": "an IANA time zone, e.g. Asia/Shanghai"},
	})
	bodyProps := obj{
		"name": text(100), "chinese_name": text(100), "remit": text(1000),
		"district_id": optionalID, "grid_id": optionalID, "schedule": text(200),
		"meets":       with(recurrence, obj{"description": "the rule for regular meetings (e.g. the 10th of every month); day 0 in an update removes it"}),
		"small_board": obj{"type": "boolean", "description": "small-board rules of procedure (RONR 49:21)"},
		"proxies":     obj{"type": "boolean", "description": "the bylaws allow proxy voting (not by default)"},
		"quorum":      obj{"type": "integer", "minimum": 0, "maximum": 100, "description": "members needed; 0 for a majority"},
		"seats":       obj{"type": "integer", "minimum": 0, "maximum": 1000, "description": "the council's seats, or a group's size (0: no limit)"},
		"tags":        obj{"type": "array", "items": tag, "maxItems": 32, "uniqueItems": true, "description": "a group's purpose: the interests and needs it serves"},
	}
	link := object([]string{"kind", "id"}, obj{"kind": enum("meeting", "decision", "task", "issue"), "id": id})
	participant := object([]string{"resident_id", "minutes"}, obj{"resident_id": id, "minutes": integer(1, 24*60)})
	participants := obj{"type": "array", "items": participant, "maxItems": 2000}
	orgProps := obj{
		"name": text(100), "kind": enum("grassroots", "professional"), "origin": enum("incubated", "external"),
		"purpose": text(1000), "contact": text(100), "committee_ids": obj{"type": "array", "items": id, "maxItems": 8},
	}
	activityProps := obj{
		"title": text(200), "service": tag, "place": text(200), "start": dateTime(), "end": dateTime(),
		"organiser_id": optionalID, "participants": participants,
	}
	hours := obj{"type": "string", "pattern": `^[0-9]+(\.[0-9]+)?$`, "description": "exact hours, a decimal rounded half-up to the hundredth"}
	figures := object([]string{"activities", "volunteers", "new_volunteers", "service_hours", "services"}, obj{
		"activities": count, "volunteers": count, "new_volunteers": count, "service_hours": hours, "services": array(tag),
	})
	return obj{
		"Body": object(append([]string{"id", "community_id", "kind", "name"}, stampRequired...), with(with(bodyProps, stampProps), obj{
			"id": id, "community_id": id, "kind": enum(bodyKinds...), "key": str("the default body Setup made, e.g. council or silver"),
			"parent_id": ulid("the body it reports to"),
		})),
		"BodyInput": object([]string{"kind", "name"}, with(bodyProps, obj{
			"kind": enum("committee", "group"), "parent_id": optionalID,
		})),
		"BodyUpdate": object(nil, bodyProps),
		"GroupProposal": object([]string{"resident_id", "group_id"}, obj{
			"resident_id": id, "group_id": id, "tags": obj{"type": "array", "items": tag, "description": "their interests and needs the group serves"},
			"metres": obj{"type": "integer", "minimum": 0, "description": "from the resident's building to where the group meets"},
		}),
		"Matching": object([]string{"district_id", "within_metres", "residents", "tagged", "served", "matched", "already", "matched_per_mille",
			"no_group", "too_far", "full", "mean_metres", "median_metres", "max_metres", "proposals"}, obj{
			"district_id": id, "within_metres": integer(0, 20000), "residents": count, "tagged": count, "served": count, "matched": count, "already": count,
			"matched_per_mille": integer(0, 1000), "no_group": count, "too_far": count, "full": count,
			"mean_metres": count, "median_metres": count, "max_metres": count, "proposals": array(ref("GroupProposal")),
		}),
		"ConfirmInput": object([]string{"proposals"}, obj{"proposals": obj{"type": "array", "items": ref("GroupProposal"), "minItems": 1, "maxItems": 1000}}),
		"Invitation": object([]string{"id", "community_id", "group_id", "resident_id", "tags", "metres", "state", "invited_by", "created_at"}, obj{
			"id": id, "community_id": id, "group_id": id, "resident_id": id, "tags": array(tag), "metres": count,
			"state": enum("open", "accepted", "declined"), "invited_by": str(""), "answered_by": str("the resident, or the worker who entered their answer"),
			"position_id": ulid("the membership an acceptance made"), "created_at": dateTime(), "answered_at": dateTime(),
		}),
		"Invitations": object([]string{"items"}, obj{"items": array(ref("Invitation"))}),
		"ReplyInput":  object(nil, obj{"accept": obj{"type": "boolean", "description": "join the group; false declines"}}),
		"Position": object([]string{"id", "community_id", "body_id", "holder_kind", "holder_id", "office", "from", "created_by"}, obj{
			"id": id, "community_id": id, "body_id": id, "holder_kind": enum("resident", "organisation"), "holder_id": id,
			"office": enum(officeNames...), "constituency": enum(seatKinds...), "represents": ulid("the organisation a council seat stands for"),
			"decision_id": ulid("the council decision behind it"), "from": dateTime(), "term_end": dateTime(), "to": dateTime(),
			"ceased": text(200), "created_by": str(""),
		}),
		"AppointInput": object([]string{"body_id", "resident_id", "office", "decision_id"}, obj{
			"body_id": id, "resident_id": id, "office": enum(officeNames...), "decision_id": id,
			"constituency": enum(seatKinds...), "represents": id, "from": dateTime(), "term_end": dateTime(),
		}),
		"MemberInput": object([]string{"holder_id"}, obj{"holder_kind": enum("resident", "organisation"), "holder_id": id}),
		"EndInput":    object([]string{"reason"}, obj{"reason": text(200), "decision_id": id}),
		"RenewInput":  object([]string{"decision_id", "term_end"}, obj{"decision_id": ulid("the council decision that renews it"), "term_end": dateTime()}),
		"Organisation": object(append([]string{"id", "community_id", "name", "kind", "origin", "committee_ids"}, stampRequired...),
			with(with(orgProps, stampProps), obj{"id": id, "community_id": id})),
		"OrganisationInput":  object([]string{"name", "kind", "origin"}, orgProps),
		"OrganisationUpdate": object(nil, orgProps),
		"Decision": object([]string{"id", "community_id", "body_id", "title", "decided_at", "recorded_by", "created_at"}, obj{
			"id": id, "community_id": id, "body_id": id, "title": text(200), "text": text(5000), "decided_at": dateTime(),
			"meeting_id": id, "recorded_by": str(""), "created_at": dateTime(),
		}),
		"DecisionInput": object([]string{"title"}, obj{
			"body_id": obj{"type": "string", "description": "the council if empty"}, "title": text(200), "text": text(5000),
			"decided_at": dateTime(), "meeting_id": optionalID,
		}),
		"Nomination": object([]string{"id", "community_id", "resident_id", "self", "body_id", "office", "status", "created_at", "updated_at"}, obj{
			"id": id, "community_id": id, "resident_id": id, "self": obj{"type": "boolean"}, "recommended_by": id, "briefing_id": ulid("the think tank's briefing that named the candidate"), "body_id": id,
			"office": enum(officeNames...), "statement": text(2000), "status": enum(nomStates...), "review": text(2000),
			"reviewed_by": str(""), "decision_id": id, "position_id": id, "created_at": dateTime(), "updated_at": dateTime(),
		}),
		"NominationInput": object([]string{"body_id", "office"}, obj{
			"resident_id": obj{"type": "string", "description": "whom you recommend; yourself if empty"},
			"body_id":     id, "office": enum(officeNames...), "statement": text(2000),
			"briefing_id": ulid("cites the think tank's briefing that named the resident a candidate leader"),
		}),
		"Stairwell": object([]string{"building_id", "stairwell"}, obj{"building_id": id, "stairwell": text(32)}),
		"Briefing": object([]string{"id", "community_id", "body_id", "held_at", "stairwells", "attendees", "needs", "candidates", "recorded_by", "created_at"}, obj{
			"id": id, "community_id": id, "body_id": ulid("the think tank"), "held_at": dateTime(), "place": text(200),
			"stairwells":  obj{"type": "array", "items": ref("Stairwell"), "minItems": 1, "maxItems": 100},
			"attendees":   obj{"type": "array", "items": id, "maxItems": 1000, "uniqueItems": true},
			"needs":       obj{"type": "array", "items": id, "maxItems": 200, "uniqueItems": true},
			"candidates":  obj{"type": "array", "items": ref("Candidate"), "maxItems": 50},
			"recorded_by": str(""), "created_at": dateTime(),
		}),
		"Candidate": object([]string{"resident_id"}, obj{"resident_id": id, "note": text(200)}),
		"BriefingInput": object([]string{"held_at", "stairwells"}, obj{
			"held_at": dateTime(), "place": text(200),
			"stairwells": obj{"type": "array", "items": ref("Stairwell"), "minItems": 1, "maxItems": 100},
			"attendees":  obj{"type": "array", "items": id, "maxItems": 1000, "uniqueItems": true},
			"needs":      obj{"type": "array", "items": id, "maxItems": 200, "uniqueItems": true},
			"candidates": obj{"type": "array", "items": ref("Candidate"), "maxItems": 50},
		}),
		"Coverage": object([]string{"briefings", "stairwells", "briefed", "not_briefed"}, obj{
			"briefings": integer(0, 1<<31), "stairwells": integer(0, 1<<31), "briefed": integer(0, 1<<31), "not_briefed": array(ref("Stairwell")),
		}),
		"ReviewInput":            object([]string{"note"}, obj{"approve": obj{"type": "boolean"}, "note": text(2000)}),
		"NominationAppointInput": object([]string{"decision_id"}, obj{"decision_id": id, "term_end": dateTime()}),
		"Task": object([]string{"id", "community_id", "from_body_id", "to_body_id", "title", "status", "reports", "created_by", "created_at", "updated_at"}, obj{
			"id": id, "community_id": id, "from_body_id": id, "to_body_id": id, "title": text(200), "detail": text(5000),
			"owner_id": id, "due": dateTime(), "status": enum(taskStates...), "issue_id": id,
			"reports":    array(object([]string{"at", "by", "status", "note"}, obj{"at": dateTime(), "by": str(""), "status": enum(taskStates...), "note": text(2000)})),
			"created_by": str(""), "created_at": dateTime(), "updated_at": dateTime(),
		}),
		"TaskInput": object([]string{"to_body_id", "title"}, obj{
			"from_body_id": obj{"type": "string", "description": "the council if empty"}, "to_body_id": id, "title": text(200),
			"detail": text(5000), "owner_id": optionalID, "due": dateTime(), "issue_id": optionalID,
		}),
		"ReportInput":   object([]string{"note"}, obj{"status": enum("in_progress", "done", "cancelled"), "note": text(2000)}),
		"EscalateInput": object([]string{"title"}, obj{"title": text(200), "detail": text(5000)}),
		"Issue": object([]string{"id", "community_id", "title", "raised_by", "status", "steps", "created_at", "updated_at"}, obj{
			"id": id, "community_id": id, "title": text(200), "detail": text(5000),
			"raised_by":   object([]string{"kind", "id"}, obj{"kind": enum("resident", "committee", "group"), "id": obj{"type": "string"}}),
			"by_resident": id, "status": enum(issueStates...), "reason": text(2000),
			"steps": array(object([]string{"at", "by", "status"}, obj{
				"at": dateTime(), "by": str(""), "status": enum(issueStates...), "note": text(2000), "link": link,
			})),
			"created_at": dateTime(), "updated_at": dateTime(),
		}),
		"IssueInput": object([]string{"title"}, obj{"title": text(200), "detail": text(5000), "body_id": obj{"type": "string", "description": "a committee or group you belong to; yourself if empty"}}),
		"StepInput": object([]string{"status"}, obj{
			"status": enum("deliberated", "decided", "carried_out", "reviewed", "declined"), "note": text(2000), "link": link,
			"reason": obj{"type": "string", "maxLength": 2000, "description": "the public reason, required to decline"},
		}),
		"Activity": object([]string{"id", "community_id", "body_id", "title", "service", "start", "end", "participants", "created_by", "created_at", "updated_at"},
			with(activityProps, obj{"id": id, "community_id": id, "body_id": id, "created_by": str(""), "created_at": dateTime(), "updated_at": dateTime()})),
		"ActivityInput":  object([]string{"body_id", "title", "service", "start", "end"}, with(activityProps, obj{"body_id": id})),
		"ActivityUpdate": object(nil, activityProps),
		"Evaluation": object([]string{"community_id", "from", "to", "groups_formed", "figures", "bodies"}, obj{
			"community_id": id, "from": dateTime(), "to": dateTime(), "groups_formed": count, "figures": figures,
			"bodies": array(object([]string{"body_id", "name", "kind", "figures"}, obj{
				"body_id": id, "name": str(""), "kind": enum(bodyKinds...), "figures": figures,
				"including_groups": with(figures, obj{"description": "a committee's figures with its groups'"}),
				"heads":            array(object([]string{"resident_id", "office", "from", "to"}, obj{"resident_id": id, "office": enum("chair", "leader"), "from": dateTime(), "to": dateTime()})),
				"unled_days":       obj{"type": "integer", "minimum": 0, "description": "whole days of the period, from the body's creation, without a head"},
			})),
		}),
	}
}

func governancePaths(paths obj) {
	c := []any{communityParam}
	ci := []any{communityParam, idParam}
	body := func(name string) obj { return jsonContent(ref(name)) }
	q := func(name string, schema obj, desc string) obj { return queryParam(name, schema, desc) }
	s := obj{"type": "string"}
	at := obj{"type": "string", "format": "date-time"}
	withPage := func(ps ...any) []any { return append(ps, pageParams...) }
	write := []string{"400", "403", "404", "409", "413", "415"}
	read := []string{"400", "403", "404"}
	post := func(summary, in string, status, desc, out string) obj {
		var b obj
		if in != "" {
			b = body(in)
		}
		return op(summary, nil, b, status, response(desc, ref(out)), write...)
	}
	get := func(summary string, params []any, desc string, schema obj) obj {
		return op(summary, params, nil, "200", response(desc, schema), read...)
	}

	paths["/v1/communities/{community}/governance/setup"] = obj{"parameters": c,
		"post": op("Give the community its council of nine, think tank and eight committees, making only those it lacks (workers)", nil, nil,
			"200", response("the council, the think tank and the committees", array(ref("Body"))), write...)}
	paths["/v1/communities/{community}/evaluation"] = obj{"parameters": c,
		"get": get("Groups formed, activities, new volunteers, service hours and kinds of service for a period, in total and per body",
			[]any{q("from", at, "the period's start (required)"), q("to", at, "the period's end, exclusive (required)")}, "the evaluation", ref("Evaluation"))}

	paths["/v1/communities/{community}/bodies"] = obj{"parameters": c,
		"get": get("Find the council, committees, groups and think tank", withPage(q("kind", enum(bodyKinds...), ""), q("parent", s, "reporting to this body"),
			q("key", s, "a default body's key"), stateParam), "a page of bodies", listOf("Body")),
		"post": post("Add a committee (the council) or a group (the council, or the committee's chair)", "BodyInput", "201", "added", "Body"),
	}
	paths["/v1/communities/{community}/bodies/{id}"] = obj{"parameters": ci,
		"get":   get("A body", nil, "the body", ref("Body")),
		"patch": post("Change a body (the council, or its chair)", "BodyUpdate", "200", "changed", "Body"),
	}
	paths["/v1/communities/{community}/bodies/{id}/archive"] = obj{"parameters": ci,
		"post": post("Dissolve a committee or group (the council): its positions end, their history stays", "ArchiveInput", "200", "dissolved", "Body")}
	paths["/v1/communities/{community}/bodies/{id}/members"] = obj{"parameters": ci,
		"post": post("Add a member to a group (its leader, the council) or the think tank (workers)", "MemberInput", "201", "the new position", "Position")}
	paths["/v1/communities/{community}/bodies/{id}/join"] = obj{"parameters": ci,
		"post": post("Join a mutual-aid group (residents)", "", "201", "the new position", "Position")}
	paths["/v1/communities/{community}/bodies/{id}/leave"] = obj{"parameters": ci,
		"post": post("Leave a mutual-aid group (residents)", "", "200", "the ended position", "Position")}

	paths["/v1/communities/{community}/group-matches"] = obj{"parameters": c,
		"get": get("Propose groups to a district's residents: a group whose purpose shares one of their interests or needs, near home, within its size (workers; changes nothing)",
			[]any{q("district", s, "the district (required)"), q("within_metres", integer(0, 20000), "how far a group may meet from home (800 if 0)"),
				q("per_resident", integer(0, 5), "groups proposed to each resident at most (1 if 0)")}, "the proposals and how well they serve the district", ref("Matching"))}
	paths["/v1/communities/{community}/invitations"] = obj{"parameters": c,
		"get": get("Find invitations to groups (workers; a resident sees their own)", withPage(q("group", s, ""), q("resident", s, ""), q("state", enum("open", "accepted", "declined"), "")),
			"a page of invitations", listOf("Invitation")),
		"post": post("Confirm proposals as invitations (workers); each is checked again", "ConfirmInput", "201", "the invitations made", "Invitations"),
	}
	paths["/v1/communities/{community}/invitations/{id}"] = obj{"parameters": ci, "get": get("An invitation", nil, "the invitation", ref("Invitation"))}
	paths["/v1/communities/{community}/invitations/{id}/reply"] = obj{"parameters": ci,
		"post": post("Accept (and join the group) or decline an invitation (the resident, or a worker entering their answer)", "ReplyInput", "200", "the answered invitation", "Invitation")}

	paths["/v1/communities/{community}/positions"] = obj{"parameters": c,
		"get": get("Who held which office in which body, when", withPage(q("body", s, ""), q("holder", s, "a resident or organisation"),
			q("office", enum(officeNames...), ""), q("active_at", at, "only positions that held then"), q("active", obj{"type": "boolean"}, "only positions that hold now")),
			"a page of positions, by body and start", listOf("Position")),
		"post": post("Appoint a resident by a recorded council decision (the council)", "AppointInput", "201", "appointed", "Position"),
	}
	paths["/v1/communities/{community}/positions/{id}"] = obj{"parameters": ci, "get": get("A position", nil, "the position", ref("Position"))}
	paths["/v1/communities/{community}/positions/{id}/end"] = obj{"parameters": ci,
		"post": post("End a position (the council; a group's leader or the member for group members)", "EndInput", "200", "ended", "Position")}
	paths["/v1/communities/{community}/positions/{id}/renew"] = obj{"parameters": ci,
		"post": post("Renew a position's term by a council decision (the council): the holder continues in a new position from the old term's end", "RenewInput", "201", "renewed", "Position")}

	paths["/v1/communities/{community}/organisations"] = obj{"parameters": c,
		"get": get("Find social organisations", withPage(q("kind", enum("grassroots", "professional"), ""), q("committee", s, "linked to this committee"), stateParam),
			"a page of organisations", listOf("Organisation")),
		"post": post("Register a social organisation (workers)", "OrganisationInput", "201", "registered", "Organisation"),
	}
	paths["/v1/communities/{community}/organisations/{id}"] = obj{"parameters": ci,
		"get":   get("An organisation", nil, "the organisation", ref("Organisation")),
		"patch": post("Change an organisation (workers)", "OrganisationUpdate", "200", "changed", "Organisation"),
	}
	paths["/v1/communities/{community}/organisations/{id}/archive"] = obj{"parameters": ci,
		"post": post("Archive an organisation (workers): its think-tank seat ends", "ArchiveInput", "200", "archived", "Organisation")}

	paths["/v1/communities/{community}/decisions"] = obj{"parameters": c,
		"get":  get("Find recorded decisions", withPage(q("body", s, ""), q("meeting", s, "")), "a page of decisions", listOf("Decision")),
		"post": post("Record a decision of the council (its members, workers) or of a body (its chair)", "DecisionInput", "201", "recorded", "Decision"),
	}
	paths["/v1/communities/{community}/decisions/{id}"] = obj{"parameters": ci, "get": get("A decision", nil, "the decision", ref("Decision"))}

	paths["/v1/communities/{community}/nominations"] = obj{"parameters": c,
		"get": get("Find nominations", withPage(q("status", enum(nomStates...), ""), q("body", s, ""), q("resident", s, "the nominee")),
			"a page of nominations", listOf("Nomination")),
		"post": post("Put yourself forward, or recommend another resident", "NominationInput", "201", "nominated", "Nomination"),
	}
	paths["/v1/communities/{community}/briefings"] = obj{"parameters": c,
		"get": get("The think tank's stairwell briefings, by when they were held", withPage(q("from", obj{"type": "string", "format": "date-time"}, "held at or after"),
			q("to", obj{"type": "string", "format": "date-time"}, "held before")), "a page of briefings", listOf("Briefing")),
		"post": post("Record a briefing the think tank held: stairwells, attendees, needs and candidate leaders (workers, the think tank's members)", "BriefingInput", "201", "recorded", "Briefing"),
	}
	paths["/v1/communities/{community}/briefings/coverage"] = obj{"parameters": c,
		"get": get("Which of the community's stairwells the briefings have covered, and those they have not", nil, "the coverage", ref("Coverage"))}
	paths["/v1/communities/{community}/briefings/{id}"] = obj{"parameters": ci, "get": get("A briefing", nil, "the briefing", ref("Briefing"))}
	paths["/v1/communities/{community}/nominations/{id}"] = obj{"parameters": ci, "get": get("A nomination", nil, "the nomination", ref("Nomination"))}
	paths["/v1/communities/{community}/nominations/{id}/review"] = obj{"parameters": ci,
		"post": post("Review a pending nomination (the council, workers)", "ReviewInput", "200", "reviewed or rejected", "Nomination")}
	paths["/v1/communities/{community}/nominations/{id}/appoint"] = obj{"parameters": ci,
		"post": post("Appoint a reviewed nominee by a council decision (the council)", "NominationAppointInput", "200", "appointed", "Nomination")}

	paths["/v1/communities/{community}/tasks"] = obj{"parameters": c,
		"get": get("Find tasks", withPage(q("from", s, "the assigning body"), q("to", s, "the receiving body"), q("status", enum(taskStates...), ""), q("owner", s, "")),
			"a page of tasks", listOf("Task")),
		"post": post("Assign work down (the council; a committee's chair to its groups)", "TaskInput", "201", "assigned", "Task"),
	}
	paths["/v1/communities/{community}/tasks/{id}"] = obj{"parameters": ci, "get": get("A task", nil, "the task with its reports", ref("Task"))}
	paths["/v1/communities/{community}/tasks/{id}/reports"] = obj{"parameters": ci,
		"post": post("Report progress up (the body's members)", "ReportInput", "200", "the task as it is now", "Task")}
	paths["/v1/communities/{community}/tasks/{id}/escalate"] = obj{"parameters": ci,
		"post": post("Escalate a problem met in the task as a community issue (the body's members)", "EscalateInput", "201", "the issue raised", "Issue")}

	paths["/v1/communities/{community}/issues"] = obj{"parameters": c,
		"get": get("Find community issues", withPage(q("status", enum(issueStates...), ""), q("raised_by", s, "a resident, committee or group")),
			"a page of issues", listOf("Issue")),
		"post": post("Raise a community issue (residents; members for their body)", "IssueInput", "201", "raised", "Issue"),
	}
	paths["/v1/communities/{community}/issues/{id}"] = obj{"parameters": ci, "get": get("An issue", nil, "the issue with its steps", ref("Issue"))}
	paths["/v1/communities/{community}/issues/{id}/steps"] = obj{"parameters": ci,
		"post": post("Move an issue along, resting on a meeting, decision or task (the council, workers)", "StepInput", "200", "the issue as it is now", "Issue")}

	paths["/v1/communities/{community}/activities"] = obj{"parameters": c,
		"get": get("Find activities", withPage(q("body", s, ""), q("service", s, "a kind of service"), q("participant", s, "a resident who took part"),
			q("from", at, "starting at or after"), q("to", at, "starting before")), "a page of activities, by start", listOf("Activity")),
		"post": post("Record an activity with its participants' minutes (the body's leader or chair, workers)", "ActivityInput", "201", "recorded", "Activity"),
	}
	paths["/v1/communities/{community}/activities/{id}"] = obj{"parameters": ci,
		"get":   get("An activity", nil, "the activity", ref("Activity")),
		"patch": post("Correct an activity's record (the body's leader or chair, workers)", "ActivityUpdate", "200", "corrected", "Activity"),
	}
}
