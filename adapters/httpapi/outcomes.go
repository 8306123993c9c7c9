package httpapi

import (
	"maps"
	"net/http"

	"github.com/linli-go/linli/governance/bulletin"
	"github.com/linli-go/linli/governance/outcome"
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
)

// outcomes is the case's outcome table over every package the server
// serves.
func (s *server) outcomes(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	from, to := p.requiredPeriod()
	if err := p.done(); err != nil {
		return err
	}
	t, err := s.tables.Evaluate(r.Context(), r.PathValue("community"), from, to)
	return reply(w, http.StatusOK, t, err)
}

// allOutcomes is the outcome table of every community the server holds,
// summed (administrators: listing the communities is theirs). Each
// community's table comes from the kept tables, read on its own shard
// where communities are spread over several.
func (s *server) allOutcomes(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	from, to := p.requiredPeriod()
	if err := p.done(); err != nil {
		return err
	}
	var tables []outcome.Table
	for after := ""; ; {
		cs, _, err := s.registry.FindCommunities(r.Context(), grids.CommunityFilter{Page: grids.Page{Limit: grids.MaxLimit, After: after, NoTotal: true}})
		if err != nil {
			return err
		}
		for _, c := range cs {
			t, err := s.tables.Evaluate(r.Context(), c.ID, from, to)
			if err != nil {
				return err
			}
			tables = append(tables, t)
		}
		if len(cs) < grids.MaxLimit {
			break
		}
		after = cs[len(cs)-1].ID
	}
	return reply(w, http.StatusOK, outcome.Sum(from, to, tables...), nil)
}

// outcomeSources are the services served, a service not served left unset
// (a nil *points.Service in the interface would be called).
func (s *server) outcomeSources() outcome.Services {
	o := outcome.Services{Governance: s.gov}
	if s.points != nil {
		o.Points = s.points
	}
	if s.fundSvc != nil {
		o.Funds = s.fundSvc
	}
	return o
}

func (s *server) bulletinSources() bulletin.Sources {
	b := bulletin.Sources{Governance: s.gov}
	if s.points != nil {
		b.Points = s.points
	}
	if s.fundSvc != nil {
		b.Funds = s.fundSvc
	}
	return b
}

func outcomeSchemas() obj {
	count := integer(0, 1<<31)
	dec := obj{"type": "string", "pattern": `^-?[0-9]+(\.[0-9]+)?$`, "description": "an exact decimal"}
	lines := []string{"council_meetings", "meetings", "hearings", "markets", "activities", "groups_formed", "volunteers", "new_volunteers",
		"service_hours", "kinds_of_service", "partner_enterprises", "donated_items", "points_issued", "points_redeemed", "projects",
		"money_granted", "money_spent", "contributions"}
	// with is the table's lines (outcome.Lines) after the fields named
	// first, all required.
	with := func(first []string, fields obj, kinds obj) obj {
		all := obj{"council_meetings": count,
			"meetings": array(object([]string{"kind", "held"}, obj{"kind": enum(meetingKinds...), "held": count})),
			"hearings": count, "markets": count, "activities": count, "groups_formed": count, "volunteers": count, "new_volunteers": count,
			"service_hours": dec, "kinds_of_service": kinds, "partner_enterprises": count, "donated_items": count,
			"points_issued": dec, "points_redeemed": dec, "projects": count, "money_granted": dec, "money_spent": dec, "contributions": dec,
		}
		maps.Copy(all, fields)
		return object(append(first, lines...), all)
	}
	return obj{
		"Bulletin":     bulletinSchema(),
		"OutcomeTable": with([]string{"community_id", "from", "to"}, obj{"community_id": ulid(""), "from": dateTime(), "to": dateTime()}, count),
		"OutcomeTotal": with([]string{"from", "to", "communities"}, obj{"from": dateTime(), "to": dateTime(), "communities": count},
			obj{"type": "integer", "minimum": 0, "description": "the most kinds of service any one community had (kinds are each community's own)"}),
	}
}

func outcomePaths(paths obj) {
	at := obj{"type": "string", "format": "date-time"}
	paths["/v1/communities/{community}/outcomes"] = obj{"parameters": []any{communityParam},
		"get": op("The case's outcome table for a period: meetings, hearings, markets, activities, groups, volunteers, hours, kinds of service, partner enterprises, donated items, points, money",
			[]any{queryParam("from", at, "the period's start (required)"), queryParam("to", at, "the period's end, exclusive (required)")}, nil,
			"200", response("the table", ref("OutcomeTable")), "400", "403", "404")}
	paths["/v1/outcomes"] = obj{
		"get": op("The outcome table of every community, summed over a period (administrators): what a platform serving many communities reports",
			[]any{queryParam("from", at, "the period's start (required)"), queryParam("to", at, "the period's end, exclusive (required)")}, nil,
			"200", response("the communities' tables summed", ref("OutcomeTotal")), "400", "403")}
	b := op("The monthly bulletin (自治服务月报): decisions, meetings to come, activities and hours by group, new groups, warehouse, project spending, issues; residents are never named",
		[]any{queryParam("format", enum("json", "markdown", "html"), "json if not given"), queryParam("lang", enum("zh", "en"), "zh if not given")}, nil,
		"200", response("the bulletin", ref("Bulletin")), "400", "403", "404")
	content := b["responses"].(obj)["200"].(obj)["content"].(obj)
	content["text/markdown"] = obj{"schema": obj{"type": "string"}}
	content["text/html"] = obj{"schema": obj{"type": "string"}}
	paths["/v1/communities/{community}/bulletins/{month}"] = obj{"parameters": []any{communityParam, pathParam("month", "the month, YYYY-MM (e.g. 2026-03)")}, "get": b}
}

// bulletin is a month's bulletin, as JSON, Markdown or printable HTML,
// in Chinese or English.
func (s *server) bulletin(w http.ResponseWriter, r *http.Request) error {
	p := newParams(r)
	format := p.oneOf("format", "json", "markdown", "html")
	lang, ok := bulletin.ParseLang(p.oneOf("lang", "zh", "en"))
	if err := p.done(); err != nil {
		return err
	}
	if !ok {
		return errs.Field("lang", "is zh or en")
	}
	b, err := s.bulletins.Compose(r.Context(), r.PathValue("community"), r.PathValue("month"), nil)
	if err != nil {
		return err
	}
	return writeReport(w, format, b, func() string { return b.Markdown(lang) }, func() string { return b.HTML(lang) })
}

func bulletinSchema() obj {
	count := integer(0, 1<<31)
	dec := obj{"type": "string", "pattern": `^-?[0-9]+(\.[0-9]+)?$`}
	s := str("")
	issue := object([]string{"title", "status"}, obj{"title": s, "status": enum(issueStates...), "answer": s})
	return object([]string{"community_id", "community", "month", "from", "to", "decisions", "upcoming", "groups", "activities", "hours", "new_groups",
		"donations", "donated_items", "exchanges", "points_redeemed", "projects", "issues_raised", "issues_answered"}, obj{
		"community_id": ulid(""), "community": s, "month": obj{"type": "string"}, "from": dateTime(), "to": dateTime(),
		"decisions":  array(object([]string{"title", "body", "decided_at"}, obj{"title": s, "body": s, "meeting": s, "decided_at": dateTime()})),
		"upcoming":   array(object([]string{"title", "kind", "body", "at"}, obj{"title": s, "kind": enum(meetingKinds...), "body": s, "at": dateTime(), "place": s})),
		"groups":     array(object([]string{"body", "activities", "hours"}, obj{"body": s, "activities": count, "hours": dec})),
		"activities": count, "hours": dec, "new_groups": array(s),
		"donations":     array(object([]string{"donor", "item", "quantity"}, obj{"donor": str("an enterprise or organisation; empty for a resident, who is not named"), "item": s, "quantity": count})),
		"donated_items": count, "exchanges": count, "points_redeemed": dec,
		"projects":      array(object([]string{"title", "granted", "spent", "spent_to_date", "left"}, obj{"title": s, "granted": dec, "spent": dec, "spent_to_date": dec, "left": dec})),
		"issues_raised": array(issue), "issues_answered": array(issue),
	})
}
