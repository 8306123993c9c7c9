package httpapi

// The OpenAPI schemas and paths of credentials and the first set-up.

func accessSchemas() obj {
	roles := obj{"type": "array", "items": enum("admin", "worker", "council_member", "committee_chair", "group_leader", "resident", "merchant"), "maxItems": 7, "uniqueItems": true}
	credential := obj{
		"id": ulid(""), "community_id": ulid("none for an administrator's"), "kind": enum("token", "card", "setup"), "principal": ref("Principal"),
		"label": str(""), "unit": str("a card's: what its holder types with the code, the building's name and the household's unit"),
		"issued_by": str("the principal who issued it"), "issued_at": dateTime(), "expires_at": dateTime(),
		"revoked_at": dateTime(), "revoked_by": str(""), "link_used_at": dateTime(),
	}
	return obj{
		"Credential": object([]string{"id", "kind", "principal", "issued_by", "issued_at"}, credential),
		"IssuedCredential": object([]string{"credential"}, obj{
			"credential": ref("Credential"),
			"token":      str("a token's bearer token (Authorization: Bearer …): shown this once, never stored"),
			"code":       str("a card's short code, 8 digits, typed with its unit: shown this once"),
			"link":       str("a card's one-time link secret, the last part of its URL (examples/server serves /c/{community}/card/{link}): shown this once"),
		}),
		"CredentialInput": object([]string{"kind"}, obj{
			"community_id": ulid("the path's community, if given"), "kind": enum("token", "card"),
			"name":  text(64),
			"roles": roles, "resident_id": ulid("the holder's resident record; a card's resident"),
			"principal_id": text(64), "label": text(100),
			"expires_at": obj{"type": "string", "format": "date-time", "description": "when it expires; by default 90 days for a token, 3 years for a card"},
		}),
		"SetupInput": object([]string{"code", "name"}, obj{"code": str("the set-up code the server printed on its first start"), "name": text(64)}),
		"CredentialEvent": object([]string{"id", "at", "action", "actor_id", "credential_id", "principal_id"}, obj{
			"id": ulid(""), "community_id": str(""), "at": dateTime(), "action": enum("issued", "revoked", "signed_in", "signed_out", "set_up"),
			"actor_id": str(""), "credential_id": ulid(""), "principal_id": str(""), "detail": str(""),
		}),
	}
}

func accessPaths(paths obj) {
	paths["/v1/setup"] = obj{"post": func() obj {
		o := op("Set up a new installation: exchange the printed set-up code for the first administrator's token", nil,
			jsonContent(ref("SetupInput")), "201", response("the administrator's credential and token", ref("IssuedCredential")), "400", "409", "413", "415")
		o["security"] = []any{}
		return o
	}()}
	for _, scope := range []struct {
		base, who string
		params    []any
	}{
		{"/v1", "administrators' (admins)", nil},
		{"/v1/communities/{community}", "the community's (its workers, and admins)", []any{communityParam}},
	} {
		one := append(append([]any{}, scope.params...), idParam)
		paths[scope.base+"/credentials"] = obj{"parameters": scope.params,
			"get": op("List "+scope.who+" credentials, never their secrets", append([]any{
				queryParam("status", enum("active", "revoked"), ""), queryParam("resident", obj{"type": "string"}, "a resident's"),
			}, pageParams...), nil, "200", response("a page of credentials", listOf("Credential")), "400", "403", "404"),
			"post": op("Issue a credential: a token, or a resident's sign-in card ("+scope.who+")", nil, jsonContent(ref("CredentialInput")),
				"201", response("the credential, with its secrets shown this once", ref("IssuedCredential")), "400", "403", "404", "413", "415"),
		}
		paths[scope.base+"/credentials/{id}"] = obj{"parameters": one,
			"get": op("A credential", nil, nil, "200", response("the credential", ref("Credential")), "400", "403", "404")}
		paths[scope.base+"/credentials/{id}/revoke"] = obj{"parameters": one,
			"post": op("Revoke a credential and end its sessions: its next request is refused", nil, nil,
				"200", response("the credential, revoked", ref("Credential")), "400", "403", "404", "409")}
		paths[scope.base+"/credential-events"] = obj{"parameters": scope.params,
			"get": op("What was done with "+scope.who+" credentials: issued, revoked, signed in and out", pageParams, nil,
				"200", response("a page of events, oldest first", listOf("CredentialEvent")), "400", "403", "404")}
	}
}
