package httpapi

import "github.com/linli-go/linli/points"

// The OpenAPI schemas and paths of the volunteer bank.

var (
	claimStates    = []string{"claimed", "verified", "rejected", "corrected"}
	exchangeStates = []string{"reserved", "completed", "cancelled", "expired", "returned"}
	partyKinds     = []string{"resident", "enterprise", "organisation", "partner"}
	lineKinds      = []string{"claimed", "earned", "rejected", "correction", "reserved", "exchanged", "released", "returned", "expired", "gift_in", "gift_out"}
	stallKinds     = []string{"exchange", "service", "sign_up", "donation", "information"}
)

func pointsSchemas() obj {
	count := integer(0, 1<<31)
	id := ulid("")
	optionalID := obj{"type": "string", "description": "an ID, or empty for none"}
	retryID := ulid("chosen by the client to make a retry safe: the same ID is acted on once")
	boolean := obj{"type": "boolean"}
	amount := obj{"type": "string", "pattern": `^-?[0-9]+(\.[0-9]+)?$`, "description": "points as an exact decimal string, at most two decimal places"}
	rate := obj{"type": "string", "pattern": `^[0-9]+(\.[0-9]+)?$`, "description": "an exact decimal string"}
	quantity := integer(1, 1000000)
	party := object([]string{"kind", "name"}, obj{"kind": enum(partyKinds...), "id": obj{"type": "string", "maxLength": 64, "description": "a resident's ID, or the community's own reference"}, "name": text(100)})
	evidence := object(nil, obj{"note": text(1000), "photo_ref": text(300), "sign_in": boolean})
	policyProps := obj{
		"points_per_hour": amount, "multipliers": obj{"type": "object", "additionalProperties": rate, "description": "by kind of service; 1 if not listed"},
		"leader_bonus": amount, "max_minutes_per_day": integer(0, 1440), "activity_cap": amount, "daily_cap": amount, "monthly_cap": amount,
		"storage_cap": amount, "expiry_years": integer(0, 50), "gift_cap": amount, "reservation_hours": integer(0, 8760),
		"verifiers": obj{"type": "array", "maxItems": 3, "uniqueItems": true, "items": enum("worker", "committee_chair", "group_leader"),
			"description": "positions one of which a verifier must hold; empty: a worker or the activity's organiser"},
		"zone": obj{"type": "string", "maxLength": 64, "description": "an IANA time zone; Asia/Shanghai if empty"}, "note": text(2000),
	}
	stall := object([]string{"name", "kind"}, obj{"name": text(100), "kind": enum(stallKinds...), "host": party})
	marketProps := obj{"title": text(200), "date": dateTime(), "place": text(200), "stalls": obj{"type": "array", "items": stall, "maxItems": 200}}
	itemProps := obj{"name": text(100), "price": amount, "description": text(2000)}
	return obj{
		"Policy": object([]string{"community_id", "version", "points_per_hour", "created_by", "created_at"}, with(policyProps, obj{
			"community_id": id, "version": integer(1, 1<<30), "created_by": str(""), "created_at": dateTime(),
		})),
		"PolicyInput": object([]string{"points_per_hour"}, policyProps),
		"Claim": object([]string{"id", "community_id", "activity_id", "resident_id", "service", "activity_start", "minutes", "evidence", "policy_version",
			"computed", "points", "status", "claimed_by", "claimed_at"}, obj{
			"id": id, "community_id": id, "activity_id": id, "resident_id": id, "service": str("the activity's kind of service"), "activity_start": dateTime(),
			"minutes": integer(1, 1440), "leading": boolean, "evidence": evidence, "policy_version": count,
			"computed": amount, "points": amount, "capped": array(enum("activity", "day", "month", "storage")), "status": enum(claimStates...),
			"claimed_by": str(""), "claimed_at": dateTime(), "verified_by": str(""), "verified_at": dateTime(), "note": text(1000),
			"corrected_by": str(""), "corrected_at": dateTime(), "reason": text(1000),
		}),
		"ClaimInput": object([]string{"activity_id", "evidence"}, obj{
			"id": retryID, "activity_id": id, "resident_id": ulid("the volunteer; yourself if empty"),
			"minutes": obj{"type": "integer", "minimum": 0, "maximum": 1440, "description": "the minutes the activity recorded if 0"},
			"leading": obj{"type": "boolean", "description": "the organiser's claim earns the leader bonus"}, "evidence": evidence,
		}),
		"ActivityClaimInput": object([]string{"evidence"}, obj{"evidence": evidence, "organiser": obj{"type": "boolean", "description": "also claim for the organiser, leading"}}),
		"VerifyInput":        object([]string{"approve"}, obj{"approve": boolean, "note": text(1000)}),
		"CorrectInput":       object([]string{"reason"}, obj{"reason": text(1000)}),
		"CloseInput":         object([]string{"reason"}, obj{"reason": text(1000)}),
		"Passbook": object([]string{"community_id", "resident_id", "to", "opening", "balance", "pending", "held", "lines"}, obj{
			"community_id": id, "resident_id": id, "from": dateTime(), "to": dateTime(), "opening": amount, "balance": amount,
			"pending": amount, "held": amount,
			"lines": array(object([]string{"at", "kind", "points", "balance", "pending", "record_id"}, obj{
				"at": dateTime(), "kind": enum(lineKinds...), "points": amount, "balance": amount, "pending": amount,
				"record_id": str("the claim, exchange, gift or expiry behind the line"), "policy_version": count,
			})),
		}),
		"Statement": object([]string{"community_id", "resident_id", "balance", "pending", "held", "entries"}, obj{
			"community_id": id, "resident_id": id, "balance": amount, "pending": amount, "held": amount,
			"entries": array(object([]string{"at", "kind", "points", "balance", "record_id"}, obj{
				"at": dateTime(), "served": dateTime(), "kind": enum(lineKinds...), "open": obj{"type": "boolean", "description": "still waits: a claim not yet verified, goods not yet picked up"},
				"what":    str("the activity's title, the item's name, or the family member of a gift"),
				"minutes": count, "quantity": count, "unit": str(""), "points": amount, "balance": amount,
				"record_id": str("the claim, exchange, gift or expiry behind the entry"),
			})),
		}),
		"GiftInput": object([]string{"to_id", "points"}, obj{"id": retryID, "to_id": ulid("a member of your household"), "points": amount, "note": text(500)}),
		"Gift": object([]string{"id", "community_id", "from_id", "to_id", "points", "status", "policy_version", "at"}, obj{
			"id": id, "community_id": id, "from_id": id, "to_id": id, "points": amount, "note": text(500), "policy_version": count, "at": dateTime(),
			"status": enum(string(points.GiftGiven)),
		}),
		"ExpireInput": object([]string{"year"}, obj{"year": integer(2000, 2200)}),
		"Expiry": object([]string{"id", "community_id", "resident_id", "year", "points", "policy_version", "at", "by"}, obj{
			"id": id, "community_id": id, "resident_id": id, "year": integer(2000, 2200), "points": amount, "policy_version": count, "at": dateTime(), "by": str(""),
		}),
		"CatalogueItem": object([]string{"id", "community_id", "kind", "name", "unit", "price", "created_by", "created_at", "updated_at", "stock"}, with(itemProps, obj{
			"id": id, "community_id": id, "kind": enum("goods", "service"), "unit": text(20), "provider": party, "retired": boolean,
			"created_by": str(""), "created_at": dateTime(), "updated_at": dateTime(),
			"stock": obj{"type": "integer", "minimum": 0, "description": "units on the shelf and not reserved, from the ledger"},
		})),
		"CatalogueItemInput":  object([]string{"kind", "name", "unit", "price"}, with(itemProps, obj{"kind": enum("goods", "service"), "unit": text(20), "provider": party})),
		"CatalogueItemUpdate": object(nil, with(itemProps, obj{"retired": boolean})),
		"Donation": object([]string{"id", "community_id", "donor", "item_id", "quantity", "date", "condition", "recorded_by", "created_at"}, obj{
			"id": id, "community_id": id, "donor": party, "item_id": id, "quantity": quantity, "date": dateTime(), "condition": enum("new", "good", "used"),
			"best_before": dateTime(), "note": text(1000), "recorded_by": str(""), "created_at": dateTime(),
		}),
		"DonationInput": object([]string{"donor", "item_id", "quantity", "condition"}, obj{
			"id": retryID, "donor": party, "item_id": id, "quantity": quantity, "date": dateTime(), "condition": enum("new", "good", "used"),
			"best_before": dateTime(), "note": text(1000),
		}),
		"Exchange": object([]string{"id", "community_id", "resident_id", "item_id", "quantity", "price", "points", "status", "policy_version", "created_by", "created_at"}, obj{
			"id": id, "community_id": id, "resident_id": id, "item_id": id, "quantity": integer(1, 1000), "price": amount, "points": amount,
			"status": enum(exchangeStates...), "market_id": id, "policy_version": count, "expires_at": dateTime(), "created_by": str(""), "created_at": dateTime(),
			"completed_at": dateTime(), "closed_by": str(""), "closed_at": dateTime(), "reason": text(1000),
		}),
		"ExchangeInput": object([]string{"item_id", "quantity"}, obj{
			"id": retryID, "resident_id": ulid("whose points pay; yourself if empty"), "item_id": id, "quantity": integer(1, 1000),
			"reserve":   obj{"type": "boolean", "description": "hold points and items for pickup within the policy's reservation hours"},
			"market_id": optionalID,
		}),
		"Market": object([]string{"id", "community_id", "title", "date", "place", "stalls", "created_by", "created_at", "updated_at"}, with(marketProps, obj{
			"id": id, "community_id": id, "created_by": str(""), "created_at": dateTime(), "updated_at": dateTime(),
		})),
		"MarketInput": object([]string{"title", "date", "place"}, marketProps),
		"SignUpInput": object([]string{"group_id"}, obj{"resident_id": ulid("who joins; yourself if empty (workers sign up others)"), "group_id": id}),
		"SignUp": object([]string{"id", "community_id", "market_id", "resident_id", "group_id", "recorded_by", "at"}, obj{
			"id": id, "community_id": id, "market_id": id, "resident_id": id, "group_id": id, "position_id": ulid("the membership made at once"),
			"recorded_by": str(""), "at": dateTime(),
		}),
		"PointsEvaluation": object([]string{"community_id", "from", "to", "hours", "claims", "volunteers", "new_volunteers", "points_issued", "points_corrected",
			"points_redeemed", "points_returned", "points_expired", "exchanges", "donations", "donated_items", "enterprises", "donors", "markets", "sign_ups"}, obj{
			"community_id": id, "from": dateTime(), "to": dateTime(), "hours": rate, "claims": count, "volunteers": count, "new_volunteers": count,
			"points_issued": amount, "points_corrected": amount, "points_redeemed": amount, "points_returned": amount, "points_expired": amount,
			"exchanges": count, "donations": count, "donated_items": count, "enterprises": count,
			"donors":  array(object([]string{"donor", "donations", "items"}, obj{"donor": party, "donations": count, "items": count})),
			"markets": count, "sign_ups": count,
		}),
	}
}

func pointsPaths(paths obj) {
	c := []any{communityParam}
	ci := []any{communityParam, idParam}
	body := func(name string) obj { return jsonContent(ref(name)) }
	q := func(name string, schema obj, desc string) obj { return queryParam(name, schema, desc) }
	s := obj{"type": "string"}
	at := obj{"type": "string", "format": "date-time"}
	withPage := func(ps ...any) []any { return append(ps, pageParams...) }
	write := []string{"400", "403", "404", "409", "413", "415"}
	read := []string{"400", "403", "404"}
	post := func(summary, in string, status, desc string, out obj) obj {
		var b obj
		if in != "" {
			b = body(in)
		}
		return op(summary, nil, b, status, response(desc, out), write...)
	}
	get := func(summary string, params []any, desc string, schema obj) obj {
		return op(summary, params, nil, "200", response(desc, schema), read...)
	}
	period := []any{q("from", at, "the period's start"), q("to", at, "the period's end, exclusive")}

	paths["/v1/communities/{community}/points/policy"] = obj{"parameters": c,
		"get":  get("The accrual policy: the latest version, or the one asked for", []any{q("version", integer(1, 1<<30), "")}, "the policy", ref("Policy")),
		"post": post("Set the next version of the accrual policy (workers)", "PolicyInput", "201", "the new version", ref("Policy")),
	}
	paths["/v1/communities/{community}/points/evaluation"] = obj{"parameters": c,
		"get": get("Service hours, volunteers, new volunteers, points issued, redeemed and expired, donations by donor, markets and sign-ups for a period",
			[]any{q("from", at, "the period's start (required)"), q("to", at, "the period's end, exclusive (required)")}, "the figures", ref("PointsEvaluation"))}
	paths["/v1/communities/{community}/points/claims"] = obj{"parameters": c,
		"get": get("Find service claims (a resident their own; workers and leaders all)", withPage(append([]any{q("resident", s, ""), q("activity", s, ""),
			q("status", enum(claimStates...), "")}, period...)...), "a page of claims", listOf("Claim")),
		"post": post("Claim points for service at an activity: the volunteer, its organiser or a worker; pending until verified", "ClaimInput", "201", "claimed", ref("Claim")),
	}
	paths["/v1/communities/{community}/points/claims/{id}"] = obj{"parameters": ci, "get": get("A claim", nil, "the claim", ref("Claim"))}
	paths["/v1/communities/{community}/points/claims/{id}/verify"] = obj{"parameters": ci,
		"post": post("Approve (points posted) or reject (voided) a claim: the activity's organiser or a worker, never the volunteer nor whoever filed the claim or recorded the attendance (a second person)", "VerifyInput", "200", "verified or rejected", ref("Claim"))}
	paths["/v1/communities/{community}/points/claims/{id}/correct"] = obj{"parameters": ci,
		"post": post("Reverse a verified claim's points by a correcting transfer (workers)", "CorrectInput", "200", "corrected", ref("Claim"))}
	paths["/v1/communities/{community}/activities/{id}/claims"] = obj{"parameters": ci,
		"post": post("Claim for every recorded participant without a claim, and if asked the organiser (the organiser or a worker)", "ActivityClaimInput", "201", "the claims made", array(ref("Claim")))}
	paths["/v1/communities/{community}/passbooks/{id}"] = obj{"parameters": []any{communityParam, pathParam("id", "the resident's ID")},
		"get": get("A resident's passbook: every earning, exchange, expiry and correction with the running balance (the resident, or workers)", period, "the passbook", ref("Passbook"))}
	paths["/v1/communities/{community}/passbooks/{id}/statement"] = obj{"parameters": []any{communityParam, pathParam("id", "the resident's ID")},
		"get": get("A resident's passbook in plain words: one named entry per claim, exchange, gift, expiry or correction, a claim waiting until verified and a reservation until picked up (the resident, or workers)", nil, "the statement", ref("Statement"))}
	paths["/v1/communities/{community}/points/gifts"] = obj{"parameters": c,
		"post": post("Give points to a member of your household, within the yearly cap", "GiftInput", "201", "given", ref("Gift"))}
	paths["/v1/communities/{community}/points/expiries"] = obj{"parameters": c,
		"post": post("Expire the unspent points of an earning year once due (workers); each expiry is a passbook line", "ExpireInput", "200", "the expiries made", array(ref("Expiry")))}

	paths["/v1/communities/{community}/warehouse/items"] = obj{"parameters": c,
		"get": get("The warehouse catalogue with stock", withPage(q("kind", enum("goods", "service"), ""), q("retired", obj{"type": "boolean"}, "list retired entries")),
			"a page of items", listOf("CatalogueItem")),
		"post": post("List goods or a service in the catalogue (workers)", "CatalogueItemInput", "201", "listed", ref("CatalogueItem")),
	}
	paths["/v1/communities/{community}/warehouse/items/{id}"] = obj{"parameters": ci,
		"get":   get("A catalogue item with its stock", nil, "the item", ref("CatalogueItem")),
		"patch": post("Change an item's name, price or description, or retire it (workers)", "CatalogueItemUpdate", "200", "changed", ref("CatalogueItem")),
	}
	paths["/v1/communities/{community}/warehouse/donations"] = obj{"parameters": c,
		"get": get("Find donations", withPage(append([]any{q("donor", s, "the donor's ID"), q("donor_kind", enum(partyKinds...), ""), q("item", s, "")}, period...)...),
			"a page of donations", listOf("Donation")),
		"post": post("Record a donation and put it on the shelf (workers)", "DonationInput", "201", "recorded", ref("Donation")),
	}
	paths["/v1/communities/{community}/warehouse/exchanges"] = obj{"parameters": c,
		"get": get("Find exchanges (a resident their own; workers all)", withPage(append([]any{q("resident", s, ""), q("item", s, ""), q("status", enum(exchangeStates...), "")}, period...)...),
			"a page of exchanges", listOf("Exchange")),
		"post": post("Exchange points for goods or a service, both or neither; or reserve them for pickup", "ExchangeInput", "201", "made", ref("Exchange")),
	}
	paths["/v1/communities/{community}/warehouse/exchanges/{id}"] = obj{"parameters": ci, "get": get("An exchange", nil, "the exchange", ref("Exchange"))}
	paths["/v1/communities/{community}/warehouse/exchanges/{id}/pickup"] = obj{"parameters": ci,
		"post": op("Hand over reserved goods (workers)", nil, nil, "200", response("completed", ref("Exchange")), write...)}
	paths["/v1/communities/{community}/warehouse/exchanges/{id}/cancel"] = obj{"parameters": ci,
		"post": post("Cancel a reservation (the resident, or workers)", "CloseInput", "200", "cancelled", ref("Exchange"))}
	paths["/v1/communities/{community}/warehouse/exchanges/{id}/return"] = obj{"parameters": ci,
		"post": post("Take goods back: points and items reversed (workers)", "CloseInput", "200", "returned", ref("Exchange"))}

	paths["/v1/communities/{community}/markets"] = obj{"parameters": c,
		"get":  get("Markets (义集)", withPage(period...), "a page of markets", listOf("Market")),
		"post": post("Plan a market (workers)", "MarketInput", "201", "planned", ref("Market")),
	}
	paths["/v1/communities/{community}/markets/{id}"] = obj{"parameters": ci,
		"get": get("A market", nil, "the market", ref("Market")),
		"put": post("Replace a market's plan (workers)", "MarketInput", "200", "changed", ref("Market")),
	}
	paths["/v1/communities/{community}/markets/{id}/signups"] = obj{"parameters": ci,
		"get":  get("The market's sign-ups", pageParams, "the sign-ups", listOf("SignUp")),
		"post": post("Join a mutual-aid group at the market's sign-up corner (yourself; workers sign up others)", "SignUpInput", "201", "signed up", ref("SignUp")),
	}
}
