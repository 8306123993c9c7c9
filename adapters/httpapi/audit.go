package httpapi

import (
	"net/http"

	"github.com/linli-go/linli/grids/ledger"
)

// Books is an audit of a community's books: the volunteer bank's and the
// funds', each against its records.
type Books struct {
	CommunityID string       `json:"community_id"`
	Agree       bool         `json:"agree"` // no disagreement anywhere
	Points      ledger.Audit `json:"points"`
	Funds       ledger.Audit `json:"funds"`
}

// audit checks a community's records against its ledger (workers).
func (s *server) audit(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	c := r.PathValue("community")
	b := Books{CommunityID: c}
	var err error
	if b.Points, err = s.points.Audit(r.Context(), c); err != nil {
		return err
	}
	if b.Funds, err = s.fundSvc.Audit(r.Context(), c); err != nil {
		return err
	}
	b.Agree = len(b.Points.Disagreements) == 0 && len(b.Funds.Disagreements) == 0
	return reply(w, http.StatusOK, b, nil)
}

func auditPaths(paths obj) {
	paths["/v1/communities/{community}/audit"] = obj{"parameters": []any{communityParam},
		"get": op("Audit the community's books against its records (workers): every transfer of points, stock and money explained by its record, "+
			"every record's transfers there as it states them, balances that replay from the transfers, debits equal to credits",
			nil, nil, "200", response("the audit", ref("Books")), "400", "403", "404")}
}

func auditSchemas() obj {
	count := integer(0, 1<<31)
	disagreement := object([]string{"problem"}, obj{"transfer_id": obj{"type": "string"}, "record": obj{"type": "string"}, "problem": obj{"type": "string"}})
	audit := object([]string{"community_id", "at", "records", "transfers", "disagreements"}, obj{
		"community_id": ulid(""), "at": dateTime(), "records": count, "transfers": count, "disagreements": array(disagreement)})
	return obj{
		"Audit": audit,
		"Books": object([]string{"community_id", "agree", "points", "funds"}, obj{"community_id": ulid(""), "agree": obj{"type": "boolean"},
			"points": ref("Audit"), "funds": ref("Audit")}),
	}
}
