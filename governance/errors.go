package governance

import (
	"github.com/linli-go/linli/grids"
	"github.com/linli-go/linli/internal/errs"
)

// Error is the error type of every linli package; see grids.Error.
type Error = errs.Error

// The error codes; errors.Is(err, governance.Forbidden) tests for one.
const (
	Invalid            = errs.Invalid
	NotFound           = errs.NotFound
	Conflict           = errs.Conflict
	FailedPrecondition = errs.FailedPrecondition
	Unauthorized       = errs.Unauthorized
	Forbidden          = errs.Forbidden
	Internal           = errs.Internal
)

// The rules of governance, named in refusals.
const (
	RuleAppoint  = "only the council appoints"
	RuleAssign   = "only a body's chair or the council assigns it work"
	RuleLead     = "a group leader manages their group's members and activities"
	RuleReport   = "only a body's members report on its work and escalate its problems"
	RuleRaise    = "residents raise issues for themselves; a body raises them through its members"
	RuleJoin     = "residents join and leave groups themselves"
	RuleDecide   = "only the council and community workers move community issues along"
	RuleAdminist = "community workers administer"
	RuleRecord   = "only council members and community workers record council decisions"
	RuleConvene  = "a body's chair, the council or community workers convene and run its meetings"
	RuleTakePart = "residents register and give opinions for themselves"
)

func forbidden(rule string) error { return errs.E(errs.Forbidden, "forbidden: %s", rule) }

// member is the rule every read checks: only the community's members read it.
func member(p grids.Principal, community string) error {
	if !p.In(community) {
		return forbidden("only members of a community may read it")
	}
	return nil
}
