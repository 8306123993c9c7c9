package httpapi

// The OpenAPI schemas and paths of the funds.

var (
	fundKinds      = []string{"project", "welfare", "donations", "other"}
	sourceKinds    = []string{"government", "merchant", "donor", "resident", "organisation", "other"}
	callStates     = []string{"upcoming", "open", "review", "reviewed", "awarded"}
	proposalStates = []string{"draft", "submitted", "withdrawn", "awarded", "declined"}
	spendingKinds  = []string{"spend", "refund", "correction"}
)

func fundsSchemas() obj {
	count := integer(0, 1<<31)
	id := ulid("")
	money := obj{"type": "string", "pattern": `^-?[0-9]+(\.[0-9]{1,2})?$`, "description": "yuan as an exact decimal string, to the fen: more than two decimal places is refused"}
	rate := obj{"type": "string", "pattern": `^[0-9]+(\.[0-9]+)?$`, "description": "an exact decimal string"}
	tag := obj{"type": "string", "minLength": 1, "maxLength": 32, "description": "lower-case letters, digits, '_' or '-'"}
	retryID := ulid("chosen by the client to make a retry safe")
	month := obj{"type": "string", "pattern": `^[0-9]{4}-[0-9]{2}$`, "description": "a month, YYYY-MM (e.g. 2026-03)"}
	boolean := obj{"type": "boolean"}
	source := object([]string{"kind", "name"}, obj{"kind": enum(sourceKinds...), "id": obj{"type": "string", "maxLength": 64}, "name": text(100)})
	line := object([]string{"key", "category", "amount"}, obj{"key": tag, "name": text(100), "category": tag, "amount": money, "justification": text(1000)})
	criterion := object([]string{"key", "name", "weight", "max"}, obj{"key": tag, "name": text(100), "weight": rate, "max": integer(1, 100)})
	reviewer := object([]string{"resident_id"}, obj{"resident_id": id, "ties": obj{"type": "array", "items": id, "maxItems": 20, "description": "bodies and organisations the member declared ties to"}})
	eligibility := object(nil, obj{"categories": obj{"type": "array", "items": tag, "maxItems": 30}, "max_per_organisation": integer(0, 100), "require_needs": boolean})
	callProps := obj{
		"fund_id": id, "title": text(200), "description": text(5000), "budget": money, "cap": money, "opens": dateTime(), "closes": dateTime(),
		"eligibility": eligibility, "rubric": obj{"type": "array", "items": criterion, "minItems": 1, "maxItems": 20},
		"panel": obj{"type": "array", "items": reviewer, "minItems": 1, "maxItems": 50}, "council_vote": boolean,
	}
	proposalProps := obj{
		"committee_id": id, "organisation_id": id, "title": text(200), "goals": text(5000),
		"need_ids": obj{"type": "array", "items": id, "maxItems": 50}, "start": dateTime(), "end": dateTime(),
		"lines": obj{"type": "array", "items": line, "minItems": 1, "maxItems": 50},
	}
	instalment := object([]string{"seq", "due", "amount"}, obj{"seq": integer(1, 24), "due": dateTime(), "amount": money, "released_at": dateTime(), "released_by": str("")})
	spending := object([]string{"id", "community_id", "grant_id", "kind", "line", "amount", "payee", "approved_by", "date", "recorded_by", "created_at"}, obj{
		"id": id, "community_id": id, "grant_id": id, "kind": enum(spendingKinds...), "line": tag, "amount": money, "payee": text(100),
		"receipt_ref": text(100), "approved_by": text(100), "date": dateTime(), "note": text(1000), "reverses": id, "recorded_by": str(""), "created_at": dateTime(),
	})
	statementLine := object([]string{"at", "kind", "amount", "balance", "record_id"}, obj{
		"at": dateTime(), "kind": enum("income", "reversal", "grant", "release", "spend", "refund", "correction", "budget"), "amount": money, "balance": money, "record_id": str(""),
	})
	statement := object([]string{"fund_id", "to", "opening", "closing", "in", "out", "lines"}, obj{
		"fund_id": id, "from": dateTime(), "to": dateTime(), "opening": money, "closing": money, "in": money, "out": money, "lines": array(statementLine),
	})
	fund := object([]string{"id", "community_id", "kind", "name", "created_by", "created_at", "updated_at", "balance"}, obj{
		"id": id, "community_id": id, "kind": enum(fundKinds...), "name": text(100), "description": text(2000), "created_by": str(""),
		"created_at": dateTime(), "updated_at": dateTime(), "balance": money,
		"basis": obj{"type": "string", "enum": []string{"takings", "earnings"}, "description": "on the welfare fund: what the alliance's contributions are a share of (takings if not said)"},
	})
	grant := object([]string{"id", "community_id", "call_id", "proposal_id", "fund_id", "title", "amount", "lines", "instalments", "score", "rank", "awarded_by", "awarded_at"}, obj{
		"id": id, "community_id": id, "call_id": id, "proposal_id": id, "fund_id": id, "title": text(200), "committee_id": id, "organisation_id": id,
		"amount": money, "partial": boolean, "lines": array(line), "instalments": array(instalment), "score": rate, "rank": count,
		"decision_id": id, "awarded_by": str(""), "awarded_at": dateTime(),
	})
	periodBalance := object([]string{"merchant_id", "merchant", "period", "takings", "due", "paid", "owed", "declared"}, obj{
		"merchant_id": id, "merchant": str(""), "period": obj{"type": "string"}, "takings": money, "due": money, "paid": money, "owed": money, "declared": boolean,
	})
	return obj{
		"Fund":      fund,
		"FundInput": object([]string{"kind", "name"}, obj{"kind": enum(fundKinds...), "name": text(100), "description": text(2000)}),
		"Income": object([]string{"id", "community_id", "fund_id", "source", "amount", "date", "recorded_by", "created_at"}, obj{
			"id": id, "community_id": id, "fund_id": id, "source": source, "amount": money, "date": dateTime(), "period": month, "reference": text(100),
			"note": text(1000), "recorded_by": str(""), "created_at": dateTime(), "reversed_at": dateTime(), "reversed_by": str(""), "reason": text(1000),
		}),
		"IncomeInput": object([]string{"source", "amount"}, obj{"id": retryID, "source": source, "amount": money, "date": dateTime(), "period": month,
			"reference": text(100), "note": text(1000)}),
		"ReverseInput":  object([]string{"reason"}, obj{"reason": text(1000)}),
		"FundStatement": statement,
		"FundReport": object([]string{"fund", "month", "statement", "projects"}, obj{"fund": fund, "month": month, "statement": statement,
			"projects": array(object([]string{"grant_id", "title", "amount", "spent", "spent_to_date"}, obj{
				"grant_id": id, "title": text(200), "amount": money, "spent": money, "spent_to_date": money,
			}))}),
		"TrialBalance": object([]string{"community_id", "rows", "debits", "credits", "sum"}, obj{
			"community_id": id, "debits": money, "credits": money, "sum": obj{"type": "string", "const": "0", "description": "always zero"},
			"rows": array(object([]string{"code", "name", "accounts", "debits", "credits", "balance"}, obj{
				"code": count, "name": str(""), "accounts": count, "debits": money, "credits": money, "balance": money,
			})),
		}),
		"Call": object([]string{"id", "community_id", "fund_id", "title", "budget", "cap", "opens", "closes", "eligibility", "rubric", "panel", "council_vote",
			"status", "created_by", "created_at", "updated_at"}, with(callProps, obj{
			"id": id, "community_id": id, "status": enum(callStates...), "reviewed_at": dateTime(), "awarded_at": dateTime(), "decision_id": id,
			"created_by": str(""), "created_at": dateTime(), "updated_at": dateTime(),
		})),
		"CallInput": object([]string{"fund_id", "title", "budget", "cap", "opens", "closes", "rubric", "panel"}, callProps),
		"Proposal": object([]string{"id", "community_id", "call_id", "committee_id", "organisation_id", "title", "goals", "need_ids", "start", "end", "lines",
			"request", "status", "owner", "created_at", "updated_at"}, with(proposalProps, obj{
			"id": id, "community_id": id, "call_id": id, "request": money, "status": enum(proposalStates...), "owner": str("the principal who drafted it"),
			"submitted_at": dateTime(), "grant_id": id, "created_at": dateTime(), "updated_at": dateTime(),
		})),
		"ProposalInput": object([]string{"committee_id", "organisation_id", "title", "goals", "start", "end", "lines"}, proposalProps),
		"Review": object([]string{"id", "community_id", "call_id", "proposal_id", "reviewer_id", "scores", "created_at", "updated_at"}, obj{
			"id": id, "community_id": id, "call_id": id, "proposal_id": id, "reviewer_id": id,
			"scores": obj{"type": "object", "additionalProperties": integer(0, 100)}, "comment": text(2000), "created_at": dateTime(), "updated_at": dateTime(),
		}),
		"ScoreInput": object([]string{"scores"}, obj{"scores": obj{"type": "object", "additionalProperties": integer(0, 100), "description": "a score for every rubric key"}, "comment": text(2000)}),
		"Ranked": object([]string{"rank", "proposal_id", "title", "request", "score", "reviews", "recused", "submitted_at"}, obj{
			"rank": integer(1, 1<<31), "proposal_id": id, "title": text(200), "request": money,
			"score": obj{"type": "string", "description": "the weighted score out of 100, to 4 places"}, "reviews": count,
			"recused": obj{"type": "array", "items": id}, "submitted_at": dateTime(),
		}),
		"AwardInput": object(nil, obj{"decision_id": id, "partial": obj{"type": "object", "additionalProperties": money, "maxProperties": 100, "description": "proposal ID → the amount the committee funds"},
			"instalments": integer(0, 24)}),
		"Grant":         grant,
		"Spending":      spending,
		"SpendInput":    object([]string{"line", "amount", "payee", "receipt_ref", "approved_by"}, obj{"id": retryID, "line": tag, "amount": money, "payee": text(100), "receipt_ref": text(100), "approved_by": text(100), "date": dateTime(), "note": text(1000)}),
		"ReversalInput": object([]string{"kind", "reason"}, obj{"id": retryID, "kind": enum("refund", "correction"), "amount": obj{"type": "string", "description": "all that is left of the payment if empty or 0"}, "reason": text(1000)}),
		"ProjectReport": object([]string{"grant", "month", "from", "to", "opening", "granted", "released", "spent", "returned", "closing", "available", "lines", "entries"}, obj{
			"grant": grant, "month": month, "from": dateTime(), "to": dateTime(), "opening": money, "granted": money, "released": money, "spent": money,
			"returned": money, "closing": money, "available": money, "entries": array(spending),
			"lines": array(object([]string{"key", "category", "budget", "spent", "spent_to_date", "remaining"}, obj{
				"key": tag, "name": text(100), "category": tag, "budget": money, "spent": money, "spent_to_date": money, "remaining": money,
			})),
		}),
		"Merchant": object([]string{"id", "community_id", "name", "rate", "joined_at", "created_by"}, obj{
			"id": id, "community_id": id, "name": text(100), "principal_id": str("the merchant's sign-in"), "rate": rate, "contact": text(100),
			"joined_at": dateTime(), "left_at": dateTime(), "created_by": str(""),
		}),
		"MerchantInput": object([]string{"name"}, obj{"name": text(100), "principal_id": obj{"type": "string", "maxLength": 64}, "rate": rate, "contact": text(100)}),
		"DeclarationInput": object([]string{"period", "takings"}, obj{"period": month, "takings": money,
			"earnings": obj{"type": "string", "pattern": money["pattern"], "description": "the month's earnings (收益), where the alliance contributes on earnings; at most the takings"}}),
		"Declaration": object([]string{"id", "community_id", "merchant_id", "period", "takings", "earnings", "basis", "rate", "due", "declared_by", "at"}, obj{
			"id": id, "community_id": id, "merchant_id": id, "period": month, "takings": money, "earnings": money, "basis": enum("takings", "earnings"), "rate": rate,
			"due": obj{"type": "string", "description": "takings or earnings (the basis) × rate, rounded half-up to the fen"}, "declared_by": str(""), "at": dateTime(),
		}),
		"BasisInput":        object([]string{"basis"}, obj{"basis": enum("takings", "earnings")}),
		"ContributionInput": object([]string{"period", "amount"}, obj{"id": retryID, "period": month, "amount": money, "date": dateTime(), "reference": text(100)}),
		"Reconciliation":    object([]string{"periods", "due", "paid", "owed"}, obj{"periods": array(periodBalance), "due": money, "paid": money, "owed": money}),
	}
}

func fundsPaths(paths obj) {
	c := []any{communityParam}
	ci := []any{communityParam, idParam}
	body := func(name string) obj { return jsonContent(ref(name)) }
	q := func(name string, schema obj, desc string) obj { return queryParam(name, schema, desc) }
	at := obj{"type": "string", "format": "date-time"}
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
	monthParam := pathParam("month", "the month, YYYY-MM (e.g. 2026-03)")
	report := func(summary, schema string, formats ...string) obj {
		o := get(summary, []any{q("format", enum(append([]string{"json"}, formats...)...), "json if not given")}, "the report", ref(schema))
		content := o["responses"].(obj)["200"].(obj)["content"].(obj)
		content["text/markdown"] = obj{"schema": obj{"type": "string"}}
		if len(formats) > 1 {
			content["text/html"] = obj{"schema": obj{"type": "string"}}
		}
		return o
	}
	base := "/v1/communities/{community}"
	paths[base+"/funds"] = obj{"parameters": c,
		"get":  get("The community's funds with their balances", pageParams, "the funds", listOf("Fund")),
		"post": post("Set up a fund (workers)", "FundInput", "201", "set up", ref("Fund")),
	}
	paths[base+"/funds/{id}"] = obj{"parameters": ci, "get": get("A fund with its balance", nil, "the fund", ref("Fund"))}
	paths[base+"/funds/{id}/statement"] = obj{"parameters": ci,
		"get": get("A fund's statement: every income, reversal and grant with the running balance", []any{q("from", at, ""), q("to", at, "exclusive")}, "the statement", ref("FundStatement"))}
	paths[base+"/funds/{id}/reports/{month}"] = obj{"parameters": []any{communityParam, idParam, monthParam},
		"get": report("A fund's monthly report (每月通报): its statement and every project's spending; a closed month's never changes", "FundReport", "markdown", "html")}
	paths[base+"/funds/{id}/incomes"] = obj{"parameters": ci,
		"post": post("Book money paid into a fund (workers)", "IncomeInput", "201", "booked", ref("Income"))}
	paths[base+"/incomes/{id}/reverse"] = obj{"parameters": ci,
		"post": post("Reverse an income booked in error, by a reversing transfer (workers)", "ReverseInput", "200", "reversed", ref("Income"))}
	paths[base+"/trial-balance"] = obj{"parameters": c,
		"get": get("Every money account of the community by kind; the balances sum to zero", nil, "the trial balance", ref("TrialBalance"))}

	paths[base+"/calls"] = obj{"parameters": c,
		"get":  get("Calls for 1+1+1 proposals", pageParams, "a page of calls", listOf("Call")),
		"post": post("Open a call on a fund (workers)", "CallInput", "201", "opened", ref("Call")),
	}
	paths[base+"/calls/{id}"] = obj{"parameters": ci,
		"get": get("A call", nil, "the call", ref("Call")),
		"put": post("Change a call before it opens (workers)", "CallInput", "200", "changed", ref("Call")),
	}
	paths[base+"/calls/{id}/proposals"] = obj{"parameters": ci,
		"get":  get("A call's proposals (drafts only to their drafters and workers)", append([]any{q("status", enum(proposalStates...), "")}, pageParams...), "a page of proposals", listOf("Proposal")),
		"post": post("Draft a proposal: one committee, one organisation, one project", "ProposalInput", "201", "drafted", ref("Proposal")),
	}
	paths[base+"/calls/{id}/reviews"] = obj{"parameters": ci, "get": get("A call's reviews (workers all, panel members their own)", pageParams, "the reviews", listOf("Review"))}
	paths[base+"/calls/{id}/close-review"] = obj{"parameters": ci,
		"post": op("Close a call's review: scores are locked (workers)", nil, nil, "200", response("closed", ref("Call")), write...)}
	paths[base+"/calls/{id}/ranking"] = obj{"parameters": ci,
		"get": get("Proposals by weighted score; ties to the smaller request, then the earlier submission", pageParams, "the ranking", listOf("Ranked"))}
	paths[base+"/calls/{id}/award"] = obj{"parameters": ci,
		"post": post("Award greedily within the money available (a council member, or a worker recording the council's decision)", "AwardInput", "200", "the grants", array(ref("Grant")))}
	paths[base+"/proposals/{id}"] = obj{"parameters": ci,
		"get": get("A proposal", nil, "the proposal", ref("Proposal")),
		"put": post("Rewrite a draft (its drafter, or workers)", "ProposalInput", "200", "rewritten", ref("Proposal")),
	}
	paths[base+"/proposals/{id}/submit"] = obj{"parameters": ci,
		"post": op("Submit a draft within the window; an ineligible one is refused with every reason", nil, nil, "200", response("submitted", ref("Proposal")), write...)}
	paths[base+"/proposals/{id}/withdraw"] = obj{"parameters": ci,
		"post": op("Withdraw a proposal before the award", nil, nil, "200", response("withdrawn", ref("Proposal")), write...)}
	paths[base+"/proposals/{id}/scores"] = obj{"parameters": ci,
		"post": post("Score a proposal on the rubric (panel members not tied to it, during the review)", "ScoreInput", "200", "scored", ref("Review"))}

	paths[base+"/grants"] = obj{"parameters": c,
		"get": get("Grants", append([]any{q("call", obj{"type": "string"}, "of this call")}, pageParams...), "a page of grants", listOf("Grant"))}
	paths[base+"/grants/{id}"] = obj{"parameters": ci, "get": get("A grant agreement", nil, "the grant", ref("Grant"))}
	paths[base+"/grants/{id}/instalments/{seq}/release"] = obj{"parameters": []any{communityParam, idParam, pathParam("seq", "the instalment's number")},
		"post": op("Release an instalment to spend (workers)", nil, nil, "200", response("released", ref("Grant")), write...)}
	paths[base+"/grants/{id}/spending"] = obj{"parameters": ci,
		"get":  get("A grant's spending records, in booking order", pageParams, "a page of spending", listOf("Spending")),
		"post": post("Record a payment on a budget line: never more than the line or the money released (workers)", "SpendInput", "201", "recorded", ref("Spending")),
	}
	paths[base+"/grants/{id}/reports/{month}"] = obj{"parameters": []any{communityParam, idParam, monthParam},
		"get": report("A project's monthly spending report (每月通报): opening, releases, spending by line, receipts, closing, variance", "ProjectReport", "markdown", "html")}
	paths[base+"/spending/{id}/reverse"] = obj{"parameters": ci,
		"post": post("Refund or correct a payment by reversing transfers (workers)", "ReversalInput", "201", "the reversal", ref("Spending"))}

	paths[base+"/merchants"] = obj{"parameters": c,
		"get":  get("The merchant alliance (便民服务联盟)", pageParams, "the merchants", listOf("Merchant")),
		"post": post("Admit a merchant (workers); 10% of takings by default", "MerchantInput", "201", "admitted", ref("Merchant")),
	}
	paths[base+"/alliance/basis"] = obj{"parameters": c,
		"put": post("Say what the alliance's contributions are a share of: takings or earnings (收益), on the welfare fund (workers)", "BasisInput", "200", "the welfare fund", ref("Fund"))}
	paths[base+"/merchants/{id}/declarations"] = obj{"parameters": ci,
		"post": post("Declare a month's takings (the merchant, or workers); the contribution due is computed", "DeclarationInput", "201", "declared", ref("Declaration"))}
	paths[base+"/merchants/{id}/contributions"] = obj{"parameters": ci,
		"post": post("Book a merchant's payment into the welfare fund (workers)", "ContributionInput", "201", "booked", ref("Income"))}
	paths[base+"/merchants/{id}/reconciliation"] = obj{"parameters": ci,
		"get": get("A merchant's contributions due against payments (the merchant, or workers)", nil, "the reconciliation", ref("Reconciliation"))}
	paths[base+"/alliance/reconciliation"] = obj{"parameters": c,
		"get": get("Every merchant's contributions due against payments (workers)", nil, "the reconciliation", ref("Reconciliation"))}
}
