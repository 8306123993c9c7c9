package httpapi

import (
	"net/http"

	"github.com/linli-go/linli/governance/outcome"
)

// outcomes is the case's outcome table over every package the server
// serves.
func (s *server) outcomes(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	from, to := p.time("from"), p.time("to")
	if from == nil {
		p.fail("from", "is required: the start of the period")
	}
	if to == nil {
		p.fail("to", "is required: the end of the period (exclusive)")
	}
	if err := p.done(); err != nil {
		return err
	}
	t, err := outcome.Evaluate(r.Context(), outcome.Services{Governance: s.gov, Points: s.points, Funds: s.fundSvc}, r.PathValue("community"), *from, *to)
	return reply(w, http.StatusOK, t, err)
}

func outcomeSchemas() obj {
	count := integer(0, 1<<31)
	dec := obj{"type": "string", "pattern": `^-?[0-9]+(\.[0-9]+)?$`, "description": "an exact decimal"}
	return obj{
		"OutcomeTable": object([]string{"community_id", "from", "to", "council_meetings", "meetings", "hearings", "markets", "activities", "groups_formed",
			"volunteers", "new_volunteers", "service_hours", "kinds_of_service", "partner_enterprises", "donated_items", "points_issued", "points_redeemed",
			"projects", "money_granted", "money_spent", "contributions"}, obj{
			"community_id": ulid(""), "from": dateTime(), "to": dateTime(), "council_meetings": count,
			"meetings": array(object([]string{"kind", "held"}, obj{"kind": enum(meetingKinds...), "held": count})),
			"hearings": count, "markets": count, "activities": count, "groups_formed": count, "volunteers": count, "new_volunteers": count,
			"service_hours": dec, "kinds_of_service": count, "partner_enterprises": count, "donated_items": count,
			"points_issued": dec, "points_redeemed": dec, "projects": count, "money_granted": dec, "money_spent": dec, "contributions": dec,
		}),
	}
}

func outcomePaths(paths obj) {
	at := obj{"type": "string", "format": "date-time"}
	paths["/v1/communities/{community}/outcomes"] = obj{"parameters": []any{communityParam},
		"get": op("The case's outcome table for a period: meetings, hearings, markets, activities, groups, volunteers, hours, kinds of service, partner enterprises, donated items, points, money",
			[]any{queryParam("from", at, "the period's start (required)"), queryParam("to", at, "the period's end, exclusive (required)")}, nil,
			"200", response("the table", ref("OutcomeTable")), "400", "403", "404")}
}
