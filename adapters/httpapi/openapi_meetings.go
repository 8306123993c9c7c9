package httpapi

import (
	"github.com/linli-go/linli/governance/procedure"
)

// The OpenAPI schemas and paths of meetings and the procedure engine.

func kindNames() []string {
	var out []string
	for _, k := range procedure.Kinds() {
		out = append(out, string(k))
	}
	return out
}

var (
	meetingKinds    = []string{"regular", "special", "assembly", "hearing", "consultation", "open_space"}
	meetingStatuses = []string{"scheduled", "in_session", "adjourned", "cancelled"}
	motionStatuses  = []string{"proposed", "pending", "adopted", "lost", "withdrawn", "dropped", "tabled", "postponed", "referred", "killed", "unfinished"}
	eventTypes      = []string{"open", "arrive", "leave", "take_up", "move", "second", "drop", "withdraw", "request_floor", "recognize", "end_speech",
		"recuse", "call_vote", "cast", "tally", "close_vote", "point_of_order", "rule", "resume", "resume_motion", "report", "close"}
	voteMethods = []string{"voice", "hands", "roll_call", "ballot"}
	choices     = []string{"yes", "no", "abstain"}
	modes       = []string{"in_person", "online", "recorded"}
)

func meetingSchemas() obj {
	count := integer(0, 1<<31)
	id := ulid("")
	strs := array(str(""))
	boolean := obj{"type": "boolean"}
	settings := object([]string{"small_board"}, obj{"small_board": boolean, "quorum": count, "speech_minutes": count, "speeches": count,
		"proxies":  obj{"type": "object", "additionalProperties": obj{"type": "string"}, "description": "absent member → the member holding their written proxy"},
		"no_votes": obj{"type": "boolean", "description": "a consultation or open-space meeting: it takes no vote, and the chair closes it"}})
	invitee := object([]string{"resident_id", "as", "invited_by", "at"}, obj{"resident_id": id, "as": enum("committee_chair", "representative"),
		"body_id": ulid("the committee a chair chairs"), "invited_by": str(""), "at": dateTime()})
	recommendation := object([]string{"id", "body_id", "text", "by", "at"}, obj{"id": str("r1, r2 …"), "body_id": ulid("the committee it is addressed to"),
		"text": text(2000), "opinions": array(ulid("an opinion given at the consultation")), "by": str(""), "at": dateTime()})
	nextSteps := obj{"type": "array", "items": text(200), "minItems": 1, "maxItems": 20}
	topic := object([]string{"id", "title", "proposed_by", "at", "members"}, obj{"id": str("t1, t2 …"), "title": text(200), "proposed_by": str(""),
		"at": dateTime(), "members": array(str("a resident in its breakout group")), "report": text(5000), "owner_id": id, "next_steps": nextSteps,
		"reported_by": str(""), "reported_at": dateTime()})
	entered := obj{"entered_by": str("the worker who entered it from a paper form"), "form_ref": text(100)}
	registration := object([]string{"resident_id", "speaker", "at"}, with(obj{"resident_id": id, "speaker": boolean, "at": dateTime()}, entered))
	proxy := object([]string{"member_id", "holder_id", "form_ref", "recorded_by", "at"}, obj{"member_id": id, "holder_id": id, "form_ref": text(100), "recorded_by": str(""), "at": dateTime()})
	carried := object([]string{"ref", "text", "status"}, obj{"ref": str("the meeting and motion it came from"), "text": str(""),
		"status": enum("postponed", "unfinished", "tabled", "referred"), "committee": str("")})
	moveProps := obj{
		"type": enum(eventTypes...), "member": str(""), "mode": enum(modes...), "item": str("an agenda item"), "motion": str("a motion: m1, m2 …"),
		"kind": enum(kindNames()...), "text": str("the wording; for an amendment the whole new wording; why, for a recusal or ruling"),
		"target": str("the motion or ruling it applies to, when not the pending one"), "committee": str("the committee a motion is referred to"),
		"until": dateTime(), "minutes": count, "count": count, "method": enum(voteMethods...), "choice": enum(choices...),
		"yes": count, "no": count, "abstain": count, "outcome": enum("adopted", "lost"), "sustained": boolean,
	}
	event := object([]string{"seq", "at", "type", "by"}, with(moveProps, obj{
		"seq": count, "at": dateTime(), "by": str("the member acting, or the chair"),
		"clerk":  obj{"type": "boolean", "description": "recorded by a community worker for the meeting"},
		"for":    str("whom a clerk enters the move for: a member without a device, or the chair whose ruling it keys in (workers only)"),
		"roster": strs, "chair": str(""), "secretary": str(""), "agenda": strs, "settings": settings, "carried": array(carried),
		"invited": array(str("a participant invited without a vote")),
	}))
	result := object([]string{"at", "method", "present", "eligible", "yes", "no", "abstain", "counted", "outcome"}, obj{
		"at": dateTime(), "method": enum(voteMethods...), "present": strs, "eligible": strs, "yes": count, "no": count, "abstain": count,
		"votes":       obj{"type": "object", "additionalProperties": enum(choices...), "description": "who voted how; never for a ballot"},
		"chair_voted": boolean, "counted": boolean, "outcome": enum("adopted", "lost"),
	})
	motion := object([]string{"id", "kind", "status", "moved_at"}, obj{
		"id": str(""), "kind": enum(kindNames()...), "text": str(""), "mover": str(""), "seconder": str(""), "target": str(""), "item": str(""),
		"status": enum(motionStatuses...), "moved_at": dateTime(), "committee": str(""), "until": dateTime(), "minutes": count, "count": count,
		"ref": str(""), "report": str(""), "speeches": obj{"type": "object", "additionalProperties": count}, "debate_closed": boolean,
		"speech_minutes": count, "max_speeches": count, "recused": strs, "votes": array(result), "adhering": strs, "reconsidered": count,
	})
	ruling := object([]string{"id", "point", "by", "at", "ruled", "sustained"}, obj{
		"id": str(""), "point": str(""), "by": str(""), "at": dateTime(), "ruled": boolean, "sustained": boolean, "reason": str(""),
		"appealed": str(""), "reversed": boolean,
	})
	state := object([]string{"session", "seq", "last", "started", "chair", "roster", "agenda", "settings", "present", "attended", "motions", "stack", "queue", "rulings", "point"}, obj{
		"session": enum("", "in_session", "recess", "adjourned"), "seq": count, "last": dateTime(), "started": dateTime(), "ended": dateTime(),
		"chair": str(""), "secretary": str(""), "roster": strs, "agenda": strs, "settings": settings, "invited": strs,
		"present":  obj{"type": "object", "additionalProperties": enum(modes...)},
		"attended": obj{"type": "object", "additionalProperties": enum(modes...)},
		"item":     str("the agenda item under way"), "motions": array(motion), "stack": array(str("the pending motions, bottom up")),
		"floor": object([]string{"member", "since"}, obj{"member": str(""), "since": dateTime(), "until": dateTime(), "question": str("")}),
		"queue": strs,
		"vote": object([]string{"motion", "method", "at", "present", "eligible"}, obj{
			"motion": str(""), "method": enum(voteMethods...), "at": dateTime(), "present": strs, "eligible": strs,
			"casts": obj{"type": "object", "additionalProperties": enum(choices...)}, "tally": obj{"type": "array", "items": count, "minItems": 3, "maxItems": 3},
			"chair_cast": boolean,
		}),
		"rulings": array(ruling), "point": obj{"type": "integer", "minimum": -1, "description": "the point of order awaiting a ruling (index into rulings), -1 for none"},
		"appealable": str(""), "suspended": boolean,
	})
	agendaItem := object([]string{"id", "title", "accepted"}, obj{
		"id": str(""), "title": text(200), "detail": text(2000), "minutes": integer(0, 600), "proposed_by": str(""), "issue_id": id, "accepted": boolean,
	})
	minutesRecord := object(nil, obj{
		"status": enum("draft", "approved", "published"), "approved_in": id, "approved_at": dateTime(), "published_at": dateTime(),
		"corrections": array(object([]string{"at", "by", "text"}, obj{"at": dateTime(), "by": str(""), "text": str("")})),
	})
	meeting := object([]string{"id", "community_id", "body_id", "kind", "title", "scheduled_at", "status", "agenda", "registrations", "proxies", "invitees", "recommendations", "topics", "events", "minutes", "created_by", "created_at", "updated_at"}, obj{
		"id": id, "community_id": id, "body_id": id, "kind": enum(meetingKinds...), "title": text(200), "place": text(200), "scheduled_at": dateTime(),
		"status": enum(meetingStatuses...), "notice": text(5000), "noticed_at": dateTime(), "chair_id": str(""), "secretary_id": str(""),
		"agenda":          array(agendaItem),
		"registrations":   array(registration),
		"proxies":         array(proxy),
		"invitees":        array(invitee),
		"recommendations": array(recommendation),
		"topics":          array(topic),
		"decisions":       obj{"type": "object", "additionalProperties": id, "description": "adopted main motion → the decision recorded for it"},
		"events":          count, "minutes": minutesRecord, "settings": settings,
		"created_by": str(""), "created_at": dateTime(), "updated_at": dateTime(),
	})
	voteNote := object([]string{"method", "outcome", "counted", "yes", "no", "abstain", "eligible"}, obj{
		"method": enum(voteMethods...), "outcome": enum("adopted", "lost"), "counted": boolean, "yes": count, "no": count, "abstain": count, "eligible": count,
		"roll_call": obj{"type": "object", "additionalProperties": enum(choices...)},
	})
	minutes := object([]string{"started", "chair", "quorum", "members", "present", "absent", "small_board", "motions", "rulings", "carried"}, obj{
		"started": dateTime(), "ended": dateTime(), "chair": str(""), "secretary": str(""), "quorum": count, "members": count,
		"present": array(object([]string{"id", "mode", "member"}, obj{"id": str(""), "mode": enum(modes...), "member": boolean, "invited": boolean})),
		"absent":  strs, "small_board": boolean,
		"motions": array(object([]string{"id", "kind", "outcome"}, obj{
			"id": str(""), "kind": enum(kindNames()...), "item": str(""), "text": str(""), "target": str(""), "mover": str(""), "seconder": str(""),
			"ref": str(""), "report": str(""), "committee": str(""), "outcome": enum(motionStatuses...), "votes": array(voteNote), "recused": strs,
		})),
		"rulings": array(ruling), "carried": strs,
	})
	link := object([]string{"kind", "id"}, obj{"kind": enum("meeting", "decision", "task", "issue"), "id": id})
	return obj{
		"Settings":     settings,
		"MeetingEvent": event,
		"MeetingState": state,
		"Meeting":      meeting,
		"MeetingView":  object([]string{"meeting", "state"}, obj{"meeting": ref("Meeting"), "state": ref("MeetingState")}),
		"MeetingInput": object([]string{"body_id", "kind", "title", "scheduled_at"}, obj{
			"body_id": id, "kind": enum(meetingKinds...), "title": text(200), "place": text(200), "scheduled_at": dateTime(),
			"chair_id": str("who chairs; the body's chair if empty"), "secretary_id": str(""),
		}),
		"MeetingUpdate": object(nil, obj{
			"title": text(200), "place": text(200), "scheduled_at": dateTime(), "chair_id": str(""), "secretary_id": str(""),
			"agenda": array(object([]string{"id"}, obj{"id": str(""), "minutes": integer(0, 600), "accepted": boolean,
				"title": str("ignored: items keep their wording"), "detail": str("ignored"), "proposed_by": str("ignored"), "issue_id": str("ignored")})),
		}),
		"ItemInput": object([]string{"title"}, obj{"title": text(200), "detail": text(2000), "minutes": integer(0, 600), "issue_id": str("")}),
		"Move": object([]string{"type"}, with(moveProps, obj{"seq": obj{"type": "integer", "minimum": 1, "maximum": 1 << 31,
			"description": "the place the move takes in the log as the member saw it (the state's seq + 1); a move another came before is refused with 409, rule governance.stale_move"}})),
		"MinutesView": object([]string{"meeting_id", "title", "record", "minutes", "markdown", "zone"}, obj{
			"meeting_id": id, "title": str(""), "record": minutesRecord, "minutes": minutes,
			"decisions": obj{"type": "object", "additionalProperties": id}, "markdown": str("the minutes as text"),
			"names":           obj{"type": "object", "additionalProperties": obj{"type": "string"}, "description": "the names of the people the minutes name by ID"},
			"zone":            str("the body's time zone, in which the minutes' times are"),
			"registrations":   array(registration),
			"opinions":        array(ref("Opinion")),
			"recommendations": array(recommendation),
			"topics":          array(topic),
			"bodies":          obj{"type": "object", "additionalProperties": obj{"type": "string"}, "description": "the committees the recommendations name, by ID"},
		}),
		"InviteInput": object([]string{"resident_id", "as"}, obj{"resident_id": id, "as": enum("committee_chair", "representative")}),
		"RecommendationInput": object([]string{"body_id", "text"}, obj{"body_id": ulid("a functional committee"), "text": text(2000),
			"opinions": obj{"type": "array", "items": ulid("an opinion given at the consultation"), "maxItems": 200, "uniqueItems": true}}),
		"TopicInput":    object([]string{"title"}, obj{"title": text(200), "resident_id": ulid("a worker entering it for a resident present: whose")}),
		"BreakoutInput": object(nil, obj{"resident_id": ulid("a worker entering it for a resident present: who joins")}),
		"TopicReport":   object([]string{"report", "owner_id", "next_steps"}, obj{"report": text(5000), "owner_id": ulid("one of the group"), "next_steps": nextSteps}),
		"Opinion": object([]string{"id", "community_id", "meeting_id", "text", "online", "created_at"}, obj{
			"id": id, "community_id": id, "meeting_id": id, "resident_id": id, "text": text(5000), "online": boolean,
			"answer": text(5000), "answered_by": str(""), "answered_at": dateTime(), "link": link, "created_at": dateTime(),
			"entered_by": str("the worker who entered it from a paper form"), "form_ref": text(100),
		}),
		"OpinionInput": object([]string{"text"}, obj{"text": text(5000), "resident_id": ulid("a worker entering a paper opinion: whose it is"),
			"form_ref": text(100)}),
		"ProxyInput": object([]string{"member_id", "holder_id", "form_ref"}, obj{"member_id": ulid("the member who will be absent"),
			"holder_id": ulid("the member who votes for them"), "form_ref": text(100)}),
		"RegistrationInput": object(nil, obj{"speaker": boolean, "resident_id": ulid("a worker registering a resident from a paper form: whom"), "form_ref": text(100)}),
		"AnswerInput":       object([]string{"answer"}, obj{"answer": text(5000), "link": link}),
		"Holiday": object([]string{"date", "name"}, obj{"date": obj{"type": "string", "format": "date"}, "name": text(100),
			"workday": obj{"type": "boolean", "description": "an official make-up working day (调休补班) on a Saturday or Sunday, which counts as a working day"}}),
		"MotionRule": object([]string{"kind", "section", "class", "rank", "second", "debate", "amendable", "threshold", "target"}, obj{
			"kind": enum(kindNames()...), "section": str("in RONR, 12th edition"), "class": enum("main", "subsidiary", "privileged", "incidental", "restorative"),
			"rank": count, "second": boolean, "debate": enum("yes", "no", "as_target", "opens_main"), "amendable": boolean,
			"threshold": enum("majority", "two_thirds", "chair"), "target": str(""), "quorumless": boolean,
		}),
	}
}

func meetingPaths(paths obj) {
	c := []any{communityParam}
	ci := []any{communityParam, idParam}
	body := func(schema obj) obj { return jsonContent(schema) }
	q := func(name string, schema obj, desc string) obj { return queryParam(name, schema, desc) }
	s := obj{"type": "string"}
	at := obj{"type": "string", "format": "date-time"}
	write := []string{"400", "403", "404", "409", "413", "415"}
	read := []string{"400", "403", "404"}
	post := func(summary string, in obj, status, desc string, out obj) obj {
		var b obj
		if in != nil {
			b = body(in)
		}
		return op(summary, nil, b, status, response(desc, out), write...)
	}
	get := func(summary string, params []any, desc string, schema obj) obj {
		return op(summary, params, nil, "200", response(desc, schema), read...)
	}
	mi := "/v1/communities/{community}/meetings/{id}"

	paths["/v1/communities/{community}/procedure/rules"] = obj{"parameters": c,
		"get": get("The motions of Robert's Rules the engine knows: rank, second, debate, amendment, threshold", pageParams, "the table", listOf("MotionRule"))}
	paths["/v1/communities/{community}/holidays"] = obj{"parameters": c,
		"get": get("The community's holidays of a year", append([]any{q("year", integer(2000, 2200), "this year if not given")}, pageParams...), "the holidays", listOf("Holiday")),
		"put": post("Replace the community's holidays of a year (workers)", object([]string{"year", "holidays"}, obj{"year": integer(2000, 2200), "holidays": array(ref("Holiday"))}),
			"200", "the year's holidays", array(ref("Holiday"))),
	}
	paths["/v1/communities/{community}/bodies/{id}/schedule"] = obj{"parameters": ci,
		"post": post("Schedule the body's regular meetings by its rule up to a time, off weekends and holidays; only those missing",
			object([]string{"through"}, obj{"through": dateTime()}), "200", "the meetings made", array(ref("Meeting")))}
	paths["/v1/communities/{community}/meetings"] = obj{"parameters": c,
		"get": get("Find meetings, by scheduled time", append([]any{q("body", s, ""), q("kind", enum(meetingKinds...), ""), q("status", enum(meetingStatuses...), ""),
			q("from", at, "scheduled at or after"), q("to", at, "scheduled before")}, pageParams...), "a page of meetings", listOf("Meeting")),
		"post": post("Schedule a meeting (the body's chair, the council, workers)", ref("MeetingInput"), "201", "scheduled", ref("Meeting")),
	}
	paths[mi] = obj{"parameters": ci,
		"get":   get("A meeting", nil, "the meeting", ref("Meeting")),
		"patch": post("Change a scheduled meeting: title, place, time, chair, secretary, the agenda's order, time and acceptance", ref("MeetingUpdate"), "200", "changed", ref("Meeting")),
	}
	paths[mi+"/notice"] = obj{"parameters": ci,
		"post": post("Record the notice of the meeting", object([]string{"notice"}, obj{"notice": text(5000)}), "200", "noticed", ref("Meeting"))}
	paths[mi+"/items"] = obj{"parameters": ci,
		"post": post("Propose an agenda item in advance (anyone; accepted at once from the chair)", ref("ItemInput"), "200", "the meeting with the item", ref("Meeting"))}
	paths[mi+"/cancel"] = obj{"parameters": ci,
		"post": post("Cancel a scheduled meeting", ref("ArchiveInput"), "200", "cancelled", ref("Meeting"))}
	paths[mi+"/register"] = obj{"parameters": ci,
		"post": post("Register to attend or speak at a public meeting (residents; workers for a resident without a device, from a paper form)", ref("RegistrationInput"), "200", "registered", ref("Meeting"))}
	paths[mi+"/proxies"] = obj{"parameters": ci,
		"post": post("Record a written proxy before the meeting (who convenes it), where the body's bylaws allow proxies", ref("ProxyInput"), "200", "recorded", ref("Meeting"))}
	paths[mi+"/invitees"] = obj{"parameters": ci,
		"post": post("Invite a committee chair or a residents' representative to a council meeting before it opens: on its roster without a vote (who convenes it)", ref("InviteInput"), "200", "invited", ref("Meeting"))}
	paths[mi+"/recommendations"] = obj{"parameters": ci,
		"post": post("Record a consultation's recommendation to a named committee (who convenes it; the consultation takes no vote)", ref("RecommendationInput"), "200", "recorded", ref("Meeting"))}
	paths[mi+"/topics"] = obj{"parameters": ci,
		"post": post("Propose a topic at an open-space meeting in session (a participant present), hosting its breakout group", ref("TopicInput"), "200", "proposed", ref("Meeting"))}
	mt := []any{communityParam, idParam, pathParam("topic", "the topic: t1, t2 …")}
	paths[mi+"/topics/{topic}/members"] = obj{"parameters": mt,
		"post": post("Join a topic's breakout group (a participant present; out of any other)", ref("BreakoutInput"), "200", "joined", ref("Meeting"))}
	paths[mi+"/topics/{topic}/report"] = obj{"parameters": mt,
		"post": post("Report a breakout group's findings, the topic's owner (one of the group) and next steps, once", ref("TopicReport"), "200", "reported", ref("Meeting"))}
	paths[mi+"/open"] = obj{"parameters": ci,
		"post": post("Call the meeting to order: roster, chair, rules and carried business", nil, "200", "in session", ref("MeetingView"))}
	paths[mi+"/moves"] = obj{"parameters": ci,
		"post": post("Make a move in the meeting, in your own name: the engine refuses what is out of order, naming the rule", ref("Move"), "200",
			"the meeting and its state after the move", ref("MeetingView"))}
	paths[mi+"/state"] = obj{"parameters": ci, "get": get("The meeting's state, replayed from its log", nil, "the state", ref("MeetingView"))}
	paths[mi+"/events"] = obj{"parameters": ci, "get": get("The meeting's append-only log", pageParams, "the events, in order", listOf("MeetingEvent"))}
	paths[mi+"/minutes"] = obj{"parameters": ci,
		"get": func() obj {
			o := get("The minutes, drafted from the log, with corrections; drafts to the body's members, the council and workers, approved minutes to every member of the community", []any{q("format", enum("json", "markdown"), "json if not given")}, "the minutes", ref("MinutesView"))
			o["responses"].(obj)["200"].(obj)["content"].(obj)["text/markdown"] = obj{"schema": obj{"type": "string"}}
			o["responses"].(obj)["409"] = obj{"$ref": "#/components/responses/Problem"} // a meeting not held has none
			return o
		}()}
	paths[mi+"/minutes/approve"] = obj{"parameters": ci,
		"post": post("Approve draft minutes at a later meeting of the body", object([]string{"approved_in"}, obj{"approved_in": ulid("")}), "200", "approved", ref("Meeting"))}
	paths[mi+"/minutes/corrections"] = obj{"parameters": ci,
		"post": post("Append a correction to the minutes", object([]string{"text"}, obj{"text": text(2000)}), "200", "corrected", ref("Meeting"))}
	paths[mi+"/minutes/publish"] = obj{"parameters": ci, "post": post("Publish approved minutes", nil, "200", "published", ref("Meeting"))}
	paths[mi+"/opinions"] = obj{"parameters": ci,
		"get": get("Written opinions given for a public meeting", append([]any{q("resident", s, ""), q("unanswered", obj{"type": "boolean"}, "")}, pageParams...),
			"a page of opinions", listOf("Opinion")),
		"post": post("Give a written opinion (residents; online before the meeting or at it)", ref("OpinionInput"), "201", "given", ref("Opinion")),
	}
	paths["/v1/communities/{community}/opinions/{id}"] = obj{"parameters": ci, "get": get("An opinion", nil, "the opinion", ref("Opinion"))}
	paths["/v1/communities/{community}/opinions/{id}/answer"] = obj{"parameters": ci,
		"post": post("Answer an opinion publicly, linked to the decision or issue it affected", ref("AnswerInput"), "200", "answered", ref("Opinion"))}
}
